//! Export as code, run: each snippet is run by its real runtime (curl, HTTPie, python3 with
//! requests or httpx, node) against the practice server, and must send the request authlens
//! sends — same method, path, query, credential headers and body or parts. A runtime that is
//! missing is skipped with the reason printed.

mod export_common;

use authlens::ca::{Authority, Kind};
use authlens::draft::{Body, Draft, Part, PartValue, Row};
use authlens::formats::export::{Target, export};
use authlens::practice::{Config, PracticeServer};
use authlens::vars::{DotenvReport, Vars};
use export_common::{Content, Seen, seen};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fake key the snippets read from their environment; never written into them.
const FAKE_KEY: &str = "sk-EXAMPLE-FAKE-export-0000000000";
const TRICKY: &str = "it's \"$x\" `y` \\ é ✓\nline 2";

fn vars() -> Vars {
    Vars::build(
        &[("API_KEY".into(), FAKE_KEY.into())],
        [],
        DotenvReport::default(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-export-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("page1.jpg"),
        b"\xff\xd8\xff\xe0EXAMPLE-jpeg\r\n--x\0",
    )
    .unwrap();
    dir
}

/// How each target is run, or why it cannot be here.
fn runner(target: Target) -> Result<(&'static str, Vec<&'static str>, &'static str), String> {
    let ok = |tool: &str, args: &[&str]| {
        Command::new(tool)
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let (tool, check, file, run): (&str, &[&str], &str, Vec<&str>) = match target {
        Target::Curl => (
            "curl",
            &["--version"],
            "request.sh",
            vec!["sh", "request.sh"],
        ),
        Target::Httpie => (
            "http",
            &["--version"],
            "request.sh",
            vec!["sh", "request.sh"],
        ),
        Target::PythonRequests => (
            "python3",
            &["-c", "import requests"],
            "request.py",
            vec!["python3", "request.py"],
        ),
        Target::PythonHttpx => (
            "python3",
            &["-c", "import httpx"],
            "request.py",
            vec!["python3", "request.py"],
        ),
        Target::JsFetch => (
            "node",
            &["-e", "require('fs').openAsBlob || process.exit(1)"],
            "request.mjs",
            vec!["node", "request.mjs"],
        ),
        _ => return Err("not run".into()),
    };
    match ok(tool, check) {
        true => Ok((file, run, tool)),
        false => Err(format!("{tool} {} is not available here", check.join(" "))),
    }
}

const RUN: [Target; 5] = [
    Target::Curl,
    Target::Httpie,
    Target::PythonRequests,
    Target::PythonHttpx,
    Target::JsFetch,
];

/// Sends `sent` with authlens, then exports `exported` (the same request with file parts
/// relative to the scratch directory) for each runtime here, runs it there, and compares
/// what the server received.
async fn same_request(case: &str, sent: &Draft, exported: &Draft) {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let (sent, exported) = (on(sent, &server), on(exported, &server));
    let options = authlens::send::Options::default();
    authlens::send::run(&sent, &vars(), &options).await.unwrap();
    let want = seen(&server.records().last().unwrap().raw);
    assert!(
        want.credentials.iter().any(|(_, v)| v.contains(FAKE_KEY)),
        "{want:?}"
    );
    let dir = scratch(case);
    for target in RUN {
        let (file, run, tool) = match runner(target) {
            Ok(r) => r,
            Err(why) => {
                eprintln!("skipped {case} as {}: {why}", target.name());
                continue;
            }
        };
        let code = export(target, &exported, &vars()).unwrap();
        assert!(!code.contains(FAKE_KEY), "{}:\n{code}", target.name());
        std::fs::write(dir.join(file), &code).unwrap();
        let before = server.records().len();
        let out = run_in(&dir, run).await;
        assert!(
            out.status.success(),
            "{case} as {} ({tool}) failed:\n{code}\n{}",
            target.name(),
            String::from_utf8_lossy(&out.stderr)
        );
        let records = server.records();
        assert_eq!(records.len(), before + 1, "{case} as {}", target.name());
        let got: Seen = seen(&records.last().unwrap().raw);
        let want = match target {
            Target::JsFetch => crlf_text_parts(&want),
            _ => want.clone(),
        };
        assert_eq!(got, want, "{case} as {}:\n{code}", target.name());
    }
}

/// fetch's FormData sends a text field's line breaks as CRLF (the HTML rule, which the
/// snippet's comment states): the one difference allowed, and only in text parts.
fn crlf_text_parts(want: &Seen) -> Seen {
    let mut w = want.clone();
    if let Content::Parts(parts) = &mut w.body {
        for p in parts.iter_mut().filter(|p| p.filename.is_none()) {
            let text = String::from_utf8(p.bytes.clone()).unwrap();
            p.bytes = text
                .replace("\r\n", "\n")
                .replace('\n', "\r\n")
                .into_bytes();
        }
    }
    w
}

/// `{BASE}` in the URL → the server's address.
fn on(d: &Draft, server: &PracticeServer) -> Draft {
    let mut d = d.clone();
    d.url = d.url.replace("{BASE}", &server.url(""));
    d
}

async fn run_in(dir: &Path, run: Vec<&'static str>) -> std::process::Output {
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || {
        Command::new(run[0])
            .args(&run[1..])
            .current_dir(dir)
            .env("API_KEY", FAKE_KEY)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bearer_get_with_a_query_row() {
    let mut d =
        Draft::new("GET", "{BASE}/echo/get?typed=1").header("Authorization", "Bearer ${API_KEY}");
    d.query.push(Row::new("q", "a b&c/é+$x"));
    d.query.push(Row::new("page", "2"));
    same_request("bearer-get", &d, &d).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_json_post_keeps_its_bytes() {
    let mut d = Draft::new("POST", "{BASE}/echo/json").header("X-API-Key", "${API_KEY}");
    d.body = Body::Text {
        content_type: Some("application/json".into()),
        text: format!("{{\"note\": {:?},\n  \"n\": 1}}", TRICKY),
    };
    same_request("json-post", &d, &d).await;
}

/// The seed-000 upload: the key header and the file part `files` = ./page1.jpg image/jpeg,
/// with a text part beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_multipart_upload() {
    let upload = |path: &str| {
        let mut d = Draft::new("POST", "{BASE}/api/v1/vote-extraction/extract")
            .header("X-API-Key", "${API_KEY}");
        d.body = Body::Multipart {
            parts: vec![
                Part {
                    name: "files".into(),
                    value: PartValue::File {
                        path: path.into(),
                        filename: None,
                        content_type: Some("image/jpeg".into()),
                    },
                },
                Part {
                    name: "note".into(),
                    value: PartValue::Text {
                        text: TRICKY.into(),
                    },
                },
            ],
        };
        d
    };
    let absolute = scratch("seed").join("page1.jpg");
    same_request(
        "seed",
        &upload(&absolute.display().to_string()),
        &upload("./page1.jpg"),
    )
    .await;
}

/// The practice server with its TLS port, on a practice CA made under `dir`; the CA's PEM.
async fn practice_tls(dir: &Path) -> (PracticeServer, u16, PathBuf) {
    let ca = Authority::load_or_create(&dir.join("data/authlens"), Kind::Practice).unwrap();
    let mut s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let addr = s.listen_tls(0, &ca).await.unwrap();
    (s, addr.port(), ca.cert_path().to_path_buf())
}

/// Exports `d` as `target`, runs it in `dir` with no proxy or CA from the caller's shell, and
/// gives the code, the output and how many requests the server received meanwhile; `None`
/// (said) when the runtime is missing.
async fn run_export(
    target: Target,
    d: &Draft,
    dir: &Path,
    server: &PracticeServer,
) -> Option<(String, std::process::Output, usize)> {
    let (file, run, _) = match runner(target) {
        Ok(r) => r,
        Err(why) => {
            eprintln!("skipped {}: {why}", target.name());
            return None;
        }
    };
    let code = export(target, d, &vars()).unwrap();
    std::fs::write(dir.join(file), &code).unwrap();
    let before = server.records().len();
    let dir = dir.to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        let mut c = Command::new(run[0]);
        c.args(&run[1..]).current_dir(dir).env("API_KEY", FAKE_KEY);
        for var in [
            "NO_PROXY",
            "no_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
            "SSL_CERT_FILE",
            "REQUESTS_CA_BUNDLE",
            "CURL_CA_BUNDLE",
            "NODE_EXTRA_CA_CERTS",
        ] {
            c.env_remove(var);
        }
        c.output().unwrap()
    })
    .await
    .unwrap();
    Some((code, out, server.records().len() - before))
}

/// What a run printed, for a failed assertion.
fn shown(code: &str, out: &std::process::Output) -> String {
    format!(
        "{code}\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Against a certificate nothing trusts: the plain snippet fails on it, the `insecure` one
/// gets the practice 401 (the fake key), and so does one given the practice CA as its bundle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_insecure_or_ca_bundle_export_gets_past_the_certificate() {
    let dir = scratch("tls");
    let (server, port, pem) = practice_tls(&dir).await;
    let plain = Draft::new("GET", &format!("https://127.0.0.1:{port}/v1/models"))
        .header("Authorization", "Bearer ${API_KEY}");
    let mut insecure = plain.clone();
    insecure.settings.insecure = true;
    let mut trusted = plain.clone();
    trusted.settings.ca_bundle = Some(pem.display().to_string());
    for target in [
        Target::Curl,
        Target::Httpie,
        Target::PythonRequests,
        Target::PythonHttpx,
    ] {
        let Some((code, out, got)) = run_export(target, &plain, &dir, &server).await else {
            continue;
        };
        let name = target.name();
        assert!(!out.status.success(), "{name}: {}", shown(&code, &out));
        assert_eq!(got, 0, "{name}: {}", shown(&code, &out));
        for d in [&insecure, &trusted] {
            let (code, out, got) = run_export(target, d, &dir, &server).await.unwrap();
            assert!(out.status.success(), "{name}: {}", shown(&code, &out));
            assert_eq!(got, 1, "{name}: {}", shown(&code, &out));
            let sent = seen(&server.records().last().unwrap().raw);
            assert_eq!(
                sent.credentials,
                vec![("authorization".into(), format!("Bearer {FAKE_KEY}"))]
            );
            let stdout = String::from_utf8_lossy(&out.stdout);
            if name.starts_with("python") {
                assert!(
                    stdout.starts_with("401\n"),
                    "{name}: {}",
                    shown(&code, &out)
                );
                // Written for the httpx at hand: no `verify="path"` it has deprecated.
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    !stderr.contains("Deprecat"),
                    "{name}: {}",
                    shown(&code, &out)
                );
            }
        }
    }
}

/// authlens follows redirects by default and so does each snippet (curl and HTTPie only
/// with a flag, httpx only when told); a no-follow export stops at the 307.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_no_follow_export_gets_the_307_and_a_default_one_follows() {
    let dir = scratch("no-follow");
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let follows = Draft::new("GET", &server.url("/redirect/same-origin"))
        .header("Authorization", "Bearer ${API_KEY}");
    let mut stops = follows.clone();
    stops.settings.max_redirects = Some(0);
    let mut limited = follows.clone();
    limited.settings.max_redirects = Some(1);
    for target in RUN {
        let Some((code, out, got)) = run_export(target, &follows, &dir, &server).await else {
            continue;
        };
        let name = target.name();
        assert!(out.status.success(), "{name}: {}", shown(&code, &out));
        assert_eq!(got, 2, "{name} follows: {}", shown(&code, &out));
        let (code, out, got) = run_export(target, &limited, &dir, &server).await.unwrap();
        assert!(out.status.success(), "{name}: {}", shown(&code, &out));
        assert_eq!(got, 2, "{name} follows one: {}", shown(&code, &out));
        let (code, out, got) = run_export(target, &stops, &dir, &server).await.unwrap();
        assert!(out.status.success(), "{name}: {}", shown(&code, &out));
        assert_eq!(got, 1, "{name} stops: {}", shown(&code, &out));
        let stdout = String::from_utf8_lossy(&out.stdout);
        if matches!(name, "python-requests" | "python-httpx" | "js-fetch") {
            assert!(
                stdout.starts_with("307\n"),
                "{name}: {}",
                shown(&code, &out)
            );
        }
    }
}
