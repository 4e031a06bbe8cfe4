//! `authlens compare --spec`: the API's own document marks each slot before anything is sent,
//! against the practice server's `/openapi.json`; a spec that does not load stops the command
//! with one line naming it, exit 2, and nothing sent.

use authlens::practice::{Config, PracticeServer, keys};
use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn authlens(args: &[&str], cwd: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-cmpspec-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("page1.jpg"), b"\xff\xd8\xff\xe0EXAMPLE").unwrap();
    dir
}

/// The upload with the practice key sent as Bearer: the mistake the spec answers.
fn upload_args<'a>(spec: &'a str, url: &'a str, bearer: &'a str, format: &'a str) -> Vec<&'a str> {
    vec![
        "compare",
        "--spec",
        spec,
        "-X",
        "POST",
        url,
        "-H",
        bearer,
        "-F",
        "files=@page1.jpg",
        "--format",
        format,
    ]
}

fn row<'a>(slots: &'a [Value], label: &str) -> &'a Value {
    slots
        .iter()
        .find(|s| s["slot"] == label)
        .unwrap_or_else(|| panic!("no {label} row in {slots:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_practice_spec_marks_the_x_api_key_row_and_that_row_works() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("marks");
    let (spec, url) = (
        s.url("/openapi.json"),
        s.url("/api/v1/vote-extraction/extract"),
    );
    let bearer = format!("Authorization: Bearer {}", keys::API_KEY);

    let out = authlens(&upload_args(&spec, &url, &bearer, "json"), &dir);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains(keys::API_KEY), "masked:\n{text}");
    let json: Value = serde_json::from_str(&text).unwrap();
    let slots = json["slots"].as_array().unwrap();
    let key = row(slots, "X-API-Key header");
    assert_eq!(
        (&key["spec"], &key["verdict"]),
        (&"accepts".into(), &"worked".into())
    );
    assert_eq!(key["spec_scheme"], "APIKeyHeader");
    for other in [
        "Authorization: Bearer",
        "Authorization: Basic",
        "?api_key= query",
    ] {
        let r = row(slots, other);
        assert_eq!(
            (&r["spec"], &r["verdict"]),
            (&"rejects".into(), &"rejected".into()),
            "{other}"
        );
    }
    assert!(
        json["spec"]["note"]
            .as_str()
            .unwrap()
            .contains("APIKeyHeader"),
        "{json}"
    );

    let out = authlens(&upload_args(&spec, &url, &bearer, "text"), &dir);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("X-API-Key header"))
        .unwrap();
    assert!(
        line.contains("✔ worked") && line.contains("✓ spec"),
        "{text}"
    );
    let line = text
        .lines()
        .find(|l| l.starts_with("Authorization: Bearer"))
        .unwrap();
    assert!(
        line.contains("✘ refused") && line.contains("✗ spec"),
        "{text}"
    );
    assert!(!text.contains(keys::API_KEY), "masked:\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_that_does_not_load_is_one_line_exit_2_and_nothing_is_sent() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = scratch("bad");
    std::fs::write(
        dir.join("api.json"),
        "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": [\n",
    )
    .unwrap();
    let url = s.url("/api/v1/vote-extraction/extract");
    let bearer = format!("Authorization: Bearer {}", keys::API_KEY);
    let missing = s.url("/no-spec-here.json");
    for (spec, says) in [
        (
            "api.json",
            "--spec api.json: line 3, column 11:".to_string(),
        ),
        (
            missing.as_str(),
            format!("--spec {missing}: the server answered 404"),
        ),
    ] {
        let out = authlens(&upload_args(spec, &url, &bearer, "text"), &dir);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("authlens compare: {says}")),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    // Only the fetch of the missing document reached the server; no slot was sent. Each run
    // has exited, and a request is recorded before it is answered, so nothing is in flight.
    let records = s.records();
    let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/no-spec-here.json"]);
}
