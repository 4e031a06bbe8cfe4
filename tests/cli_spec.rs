//! `--spec` on `send`, `diagnose` and `watch`, against the practice server's own
//! `/openapi.json`: the seed-000 upload sent with the key as Bearer is told, with the spec as
//! evidence, that the operation reads `X-API-Key`; the fixed request works; `--spec auto`
//! finds the document itself; a 401 without a spec hints at it; a bad document stops the
//! command with one line naming it.

use authlens::practice::{Config, PracticeServer, keys};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn authlens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-spec-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page1.jpg"), b"\xff\xd8\xff\xe0EXAMPLE").unwrap();
    dir
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

async fn practice() -> PracticeServer {
    PracticeServer::start(Config::practice_default())
        .await
        .unwrap()
}

/// `send --format json` of the seed upload with `header`, and `--spec spec` when given.
fn upload(s: &PracticeServer, dir: &Path, header: &str, spec: Option<&str>) -> Output {
    let url = s.url("/api/v1/vote-extraction/extract");
    let mut args = vec![
        "send",
        "-X",
        "POST",
        &url,
        "-H",
        header,
        "-F",
        "files=@page1.jpg",
    ];
    args.extend(["--format", "json"]);
    if let Some(spec) = spec {
        args.extend(["--spec", spec]);
    }
    authlens(&args, dir)
}

fn ids(o: &Output) -> Vec<String> {
    let v: Value = serde_json::from_str(&text(&o.stdout))
        .unwrap_or_else(|e| panic!("{e}: {}", text(&o.stdout)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_upload_is_judged_against_the_practice_servers_own_spec() {
    let s = practice().await;
    let dir = scratch("seed");
    let spec = s.url("/openapi.json");
    let bearer = format!("Authorization: Bearer {}", keys::API_KEY);
    let o = upload(&s, &dir, &bearer, Some(&spec));
    assert_eq!(o.status.code(), Some(4), "{}", text(&o.stderr));
    let found = ids(&o);
    assert!(
        found.contains(&"spec-credential-in-wrong-slot".to_string()),
        "{found:?}"
    );
    // The provider-table guess is folded into the spec's finding, not a second error.
    assert!(
        !found.contains(&"api-key-sent-as-bearer".to_string()),
        "{found:?}"
    );
    let out = text(&o.stdout);
    assert!(
        out.contains("/components/securitySchemes/APIKeyHeader"),
        "{out}"
    );
    assert!(
        out.contains(&spec),
        "the evidence names the document: {out}"
    );
    assert!(!out.contains(keys::API_KEY), "the key leaked: {out}");
    assert!(!text(&o.stderr).contains("hint:"), "a spec was given");

    // Moved where the spec says, the same key works and the spec has nothing to say.
    let fixed = format!("X-API-Key: {}", keys::API_KEY);
    let o = upload(&s, &dir, &fixed, Some(&spec));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        ids(&o).iter().all(|id| !id.starts_with("spec-")),
        "{:?}",
        ids(&o)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spec_auto_finds_the_document_and_a_401_without_one_hints_at_it() {
    let s = practice().await;
    let dir = scratch("auto");
    let bearer = format!("Authorization: Bearer {}", keys::API_KEY);
    let o = upload(&s, &dir, &bearer, None);
    let err = text(&o.stderr);
    assert!(
        err.contains("hint:") && err.contains("--spec auto"),
        "{err}"
    );
    assert!(!ids(&o).iter().any(|id| id.starts_with("spec-")));

    let before = s.records().len();
    let o = upload(&s, &dir, &bearer, Some("auto"));
    let err = text(&o.stderr);
    let at = s.url("/openapi.json");
    assert!(err.contains(&format!("spec: {at}")), "{err}");
    assert!(ids(&o).contains(&"spec-credential-in-wrong-slot".to_string()));
    // Discovery asked for the document without the user's key.
    let records = s.records();
    let looked = records[before..]
        .iter()
        .find(|r| text(&r.raw).starts_with("GET /openapi.json"))
        .expect("discovery fetched /openapi.json");
    assert!(!text(&looked.raw).contains(keys::API_KEY));
}

#[test]
fn diagnose_takes_a_spec_file_and_a_bad_one_is_named_with_its_position() {
    let dir = scratch("diagnose");
    let file = dir.join("exchange.json");
    let exchange = serde_json::json!({
        "request": {"method": "POST", "url": "http://localhost:8000/api/v1/vote-extraction/extract",
                    "headers": [["Authorization", "Bearer FAKE-EXAMPLE-key-0000"]]},
        "response": {"status": 401, "headers": [], "body": "{\"detail\":\"Not authenticated\"}"}
    });
    std::fs::write(&file, exchange.to_string()).unwrap();
    let fixture = std::fs::canonicalize("tests/fixtures/openapi/fastapi-seed.json").unwrap();
    let file_arg = file.to_str().unwrap();
    let o = authlens(
        &[
            "diagnose",
            file_arg,
            "--format",
            "json",
            "--spec",
            fixture.to_str().unwrap(),
        ],
        &dir,
    );
    assert!(ids(&o).contains(&"spec-credential-in-wrong-slot".to_string()));
    let o = authlens(&["diagnose", file_arg, "--format", "json"], &dir);
    assert!(
        !ids(&o).iter().any(|id| id.starts_with("spec-")),
        "no spec, no spec finding"
    );

    std::fs::write(
        dir.join("bad.yaml"),
        "openapi: 3.1.0\npaths:\n  /x: [unclosed\n",
    )
    .unwrap();
    let o = authlens(&["diagnose", file_arg, "--spec", "bad.yaml"], &dir);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.starts_with("authlens diagnose: --spec bad.yaml: line 3, column "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let o = authlens(&["diagnose", file_arg, "--spec", "auto"], &dir);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("--spec auto"),
        "{}",
        text(&o.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_judges_each_exchange_against_the_spec() {
    let curl_here = Command::new("curl").arg("--version").output().is_ok();
    if !curl_here {
        eprintln!("skipped: curl is not available here");
        return;
    }
    let s = practice().await;
    let dir = scratch("watch");
    let script = format!(
        "curl -sS -X POST \"$AUTHLENS_WATCH_URL/api/v1/vote-extraction/extract\" -H 'Authorization: Bearer {}' -F files=@page1.jpg",
        keys::API_KEY
    );
    let (up, spec) = (s.url(""), s.url("/openapi.json"));
    let args = ["watch", "--no-tui", "--upstream", &up, "--spec", &spec];
    let o = authlens(&[&args[..], &["--", "sh", "-c", &script]].concat(), &dir);
    let out = text(&o.stdout);
    assert!(
        out.contains("spec-credential-in-wrong-slot"),
        "{out}\n{}",
        text(&o.stderr)
    );
    assert!(!out.contains(keys::API_KEY), "the key leaked: {out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_in_the_spec_url_is_masked_in_the_evidence() {
    let s = practice().await;
    let dir = scratch("keyed-url");
    let secret = "FAKE-spec-url-key-0123456789abcdef";
    let spec = s.url(&format!("/openapi.json?api_key={secret}"));
    let bearer = format!("Authorization: Bearer {}", keys::API_KEY);
    let o = upload(&s, &dir, &bearer, Some(&spec));
    let all = format!("{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        ids(&o).contains(&"spec-credential-in-wrong-slot".to_string()),
        "{all}"
    );
    assert!(!all.contains(secret), "the spec URL's key leaked: {all}");
}
