//! The `authlens send` binary as a user runs it: secrets stay masked unless `--reveal`, and
//! every bad input ends in exit code 2 with one line naming the input — never a panic.

use authlens::practice::{Config, PracticeServer, keys};
use std::path::PathBuf;
use std::process::{Command, Output};

fn authlens(args: &[&str], env: &[(&str, &str)], cwd: &std::path::Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_authlens"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .env_remove("PRACTICE_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_masked_unless_revealed() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("mask");
    let url = s.url("/echo/secret");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "send",
            url.as_str(),
            "-H",
            "Authorization: Bearer ${PRACTICE_TOKEN}",
            "-H",
            "X-API-Key: ${API_KEY}",
        ];
        args.extend_from_slice(extra);
        authlens(
            &args,
            &[
                ("PRACTICE_TOKEN", keys::BEARER_TOKEN),
                ("API_KEY", keys::API_KEY),
            ],
            &dir,
        )
    };
    for format in ["text", "json"] {
        let out = tokio::task::block_in_place(|| run(&["--format", format]));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let shown = stdout(&out) + &stderr(&out);
        assert!(
            !shown.contains(keys::BEARER_TOKEN),
            "{format}: bearer token leaked:\n{shown}"
        );
        assert!(
            !shown.contains(keys::API_KEY),
            "{format}: API key leaked:\n{shown}"
        );
        assert!(
            shown.contains("chars)"),
            "{format}: the masked form is shown:\n{shown}"
        );
    }
    let out = tokio::task::block_in_place(|| run(&["--reveal"]));
    assert!(
        stdout(&out).contains(keys::BEARER_TOKEN),
        "--reveal shows the key"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_follow_the_final_status() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("status");
    let out = tokio::task::block_in_place(|| authlens(&["send", &s.url("/v1/models")], &[], &dir));
    assert_eq!(out.status.code(), Some(4), "401 → exit 4");
    assert!(stdout(&out).contains("< 401"), "{}", stdout(&out));
    let out =
        tokio::task::block_in_place(|| authlens(&["send", &s.url("/api/v1/health")], &[], &dir));
    assert_eq!(out.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Arguments, environment, and what the one-line message must say.
type Case<'a> = (Vec<&'a str>, &'a [(&'a str, &'a str)], &'a str);

#[test]
fn bad_inputs_exit_2_with_one_line_naming_the_input() {
    let dir = scratch("bad");
    std::fs::write(
        dir.join("bad.env"),
        "GOOD=EXAMPLE\nBROKEN=my uncool value\n",
    )
    .unwrap();
    let big = dir.join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap(); // sparse: nothing is written
    let big_part = format!("file=@{}", big.display());
    let cases: Vec<Case> = vec![
        (vec!["send", "http://exa mple.test/"], &[], "the URL"),
        (
            vec!["send", "-X", "GE T", "http://127.0.0.1:9/"],
            &[],
            "the method",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "-H", "X API Key: v"],
            &[],
            "header 1 \"X API Key\"",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "-H", "X-API-Key: ${K}"],
            &[("K", "EXAMPLE\n")],
            "column 8",
        ),
        (
            vec![
                "send",
                "http://127.0.0.1:9/",
                "-F",
                "file=@/nonexistent/EXAMPLE.jpg",
            ],
            &[],
            "no such file",
        ),
        (
            vec![
                "send",
                "http://127.0.0.1:9/",
                "-H",
                "X-API-Key: ${AUTHLENS_UNSET_EXAMPLE}",
            ],
            &[],
            "AUTHLENS_UNSET_EXAMPLE is not set",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "--env-file", "bad.env"],
            &[],
            "bad.env:2",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "-F", big_part.as_str()],
            &[],
            "MiB",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "-H", "no colon"],
            &[],
            "-H argument 1",
        ),
    ];
    for (args, env, says) in cases {
        let out = authlens(&args, env, &dir);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?} → {err}");
        assert!(err.contains(says), "{args:?}: expected {says:?} in {err:?}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err:?}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        // stdout may carry lint findings that explain the refusal; never a partial exchange.
        assert!(
            !stdout(&out).contains("> request"),
            "{args:?}: nothing was sent"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unreachable_host_exits_1_naming_the_phase() {
    let dir = scratch("unreachable");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener); // nothing listens there now
    let out = authlens(&["send", &format!("http://127.0.0.1:{port}/")], &[], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("could not connect"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_to_a_plain_http_server_fails_in_the_tls_phase() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("tls");
    let url = s.url("/").replace("http://", "https://");
    let out = tokio::task::block_in_place(|| authlens(&["send", &url], &[], &dir));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("TLS handshake failed"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_loaded_from_a_dotenv_in_a_parent_directory_like_dotenvy() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let root = scratch("dotenv-parent");
    let child = root.join("notebooks/experiments");
    std::fs::create_dir_all(&child).unwrap();
    std::fs::write(
        root.join(".env"),
        format!("# the backend key\nAPI_KEY={}\n", keys::API_KEY),
    )
    .unwrap();
    let url = s.url("/api/v1/vote-extraction/extract");
    let image = child.join("page-EXAMPLE.jpg");
    std::fs::write(&image, b"\xff\xd8\xff\xe0EXAMPLE").unwrap();
    let part = format!("files=@{}", image.display());
    let args = [
        "send",
        url.as_str(),
        "-H",
        "X-API-Key: ${API_KEY}",
        "-F",
        part.as_str(),
    ];
    let out = tokio::task::block_in_place(|| authlens(&args, &[], &child));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(!stdout(&out).contains(keys::API_KEY), "masked");
    // The server really got the key from the parent's .env.
    let got = s
        .records()
        .into_iter()
        .any(|r| String::from_utf8_lossy(&r.raw).contains(keys::API_KEY));
    assert!(got, "the practice server saw the key from ../../.env");
    std::fs::remove_dir_all(&root).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_reports_why_the_redirected_request_got_401() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("findings");
    let url = s.url("/redirect/models");
    let auth = format!("Authorization: Bearer {}", keys::BEARER_TOKEN);
    let text = tokio::task::block_in_place(|| authlens(&["send", &url, "-H", &auth], &[], &dir));
    assert_eq!(text.status.code(), Some(4));
    let shown = stdout(&text);
    let after = shown.split("After the response:").nth(1).unwrap_or("");
    assert!(
        after.contains("redirect-auth-stripped-cross-origin"),
        "{shown}"
    );
    assert!(
        after.contains("redirect hop 1"),
        "the finding points at the hop: {shown}"
    );

    let json = tokio::task::block_in_place(|| {
        authlens(&["send", &url, "-H", &auth, "--format", "json"], &[], &dir)
    });
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    let ids: Vec<&str> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"redirect-auth-stripped-cross-origin"),
        "{ids:?}"
    );
    assert_eq!(value["redirects"][0]["status"], 307);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The README's workflow, `send --format json > x.json; diagnose x.json`: the masks in the
/// export are listed with their safe facts, so the diagnosis judges the key's shape — not the
/// mask's ellipsis — and two exports of one key carry one fingerprint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_exchange_does_not_make_diagnose_read_its_own_masks() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("masked-export");
    let data = dir.join("data");
    let url = s.url("/strict/v1/models");
    let export = || {
        let out = authlens(
            &[
                "send",
                &url,
                "-H",
                "Authorization: bearer ${PRACTICE_TOKEN}",
                "--format",
                "json",
            ],
            &[
                ("PRACTICE_TOKEN", keys::BEARER_TOKEN),
                ("XDG_DATA_HOME", data.to_str().unwrap()),
            ],
            &dir,
        );
        let text = stdout(&out);
        assert!(!text.contains(keys::BEARER_TOKEN));
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    };
    let (first, second) = (export(), export());
    let fp = |v: &serde_json::Value| v["masked"][0]["fingerprint"].as_str().unwrap().to_string();
    assert!(fp(&first).starts_with("hmac-sha256:"));
    assert_eq!(fp(&first), fp(&second));
    assert_eq!(first["masked"][0]["length"], keys::BEARER_TOKEN.len());
    use std::os::unix::fs::PermissionsExt;
    let key = std::fs::metadata(data.join("authlens/fingerprint.key")).unwrap();
    assert_eq!(key.permissions().mode() & 0o777, 0o600);

    let file = dir.join("x.json");
    std::fs::write(&file, first.to_string()).unwrap();
    let out = authlens(
        &["diagnose", file.to_str().unwrap(), "--format", "json"],
        &[],
        &dir,
    );
    let ids: Vec<String> =
        serde_json::from_str::<serde_json::Value>(&stdout(&out)).unwrap()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
    assert!(
        ids.contains(&"auth-scheme-case-nonstandard".to_string()),
        "{ids:?}"
    );
    for wrong in [
        "credential-invisible-unicode",
        "credential-masked-or-truncated",
    ] {
        assert!(
            !ids.contains(&wrong.to_string()),
            "{wrong} from authlens's own mask: {ids:?}"
        );
    }
}

/// Runs the binary with `stdin` written to it, waiting at most `limit`: a run that hangs is
/// killed and fails the test instead of hanging it.
fn run_within(args: &[&str], stdin: Option<&[u8]>, limit: std::time::Duration) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        pipe.write_all(bytes).unwrap();
        // Dropped here: the binary reads to the end of stdin.
    }
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg(pid.to_string()).status();
            panic!("{args:?} still running after {limit:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_from_stdin_is_sent_like_curl() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let url = s.url("/echo/stdin");
    let out = tokio::task::block_in_place(|| {
        run_within(
            &["send", &url, "-d", "@-"],
            Some(b"user=EXAMPLE\nnote=from-stdin\n"),
            std::time::Duration::from_secs(60),
        )
    });
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // As with `-d @file`, newlines are stripped.
    let got = s
        .records()
        .into_iter()
        .any(|r| String::from_utf8_lossy(&r.raw).ends_with("\r\n\r\nuser=EXAMPLEnote=from-stdin"));
    assert!(got, "the server got the body from stdin:\n{}", stdout(&out));
}

#[test]
fn a_fifo_nothing_writes_to_times_out_naming_it() {
    let dir = scratch("fifo");
    let fifo = dir.join("body-EXAMPLE.fifo");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success(), "mkfifo");
    let arg = format!("@{}", fifo.display());
    let started = std::time::Instant::now();
    let out = run_within(
        &["send", "http://127.0.0.1:9/", "-d", &arg, "--timeout", "1"],
        None,
        std::time::Duration::from_secs(20),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with(&format!("authlens send: -d {arg}: ")) && err.contains("--timeout"),
        "{err}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_dotenv_in_a_parent_stops_only_a_request_that_needs_it() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let root = scratch("dotenv-broken-parent");
    let child = root.join("notebooks");
    std::fs::create_dir_all(&child).unwrap();
    std::fs::write(
        root.join(".env"),
        "GOOD=EXAMPLE\nBROKEN=my uncool value\nAPI_KEY=EXAMPLE-after-the-break\n",
    )
    .unwrap();
    let url = s.url("/api/v1/health");
    let run = |args: &[&str], env: &[(&str, &str)]| {
        tokio::task::block_in_place(|| authlens(args, env, &child))
    };

    // No variable at all, or one set in the environment: a warning, and the request goes.
    for (args, env) in [
        (vec!["send", url.as_str()], &[][..]),
        (
            vec![
                "send",
                url.as_str(),
                "-H",
                "X-Trace: ${AUTHLENS_TRACE_EXAMPLE}",
            ],
            &[("AUTHLENS_TRACE_EXAMPLE", "EXAMPLE")][..],
        ),
    ] {
        let out = run(&args, env);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            err.starts_with("authlens send: warning: ") && err.contains(".env:2: "),
            "{args:?}: {err}"
        );
        assert!(stdout(&out).contains("< 200"), "{}", stdout(&out));
    }

    // A variable the broken file would define (or did, before its bad line): it stops.
    for name in ["API_KEY", "GOOD"] {
        let header = format!("X-API-Key: ${{{name}}}");
        let out = run(&["send", &url, "-H", &header], &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(".env:2: "), "{name}: {err}");
        assert!(!err.contains("warning"), "{name}: {err}");
    }

    // Named with --env-file, a broken file stops every request.
    let named = root.join(".env");
    let out = run(&["send", &url, "--env-file", named.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    std::fs::remove_dir_all(&root).unwrap();
}
