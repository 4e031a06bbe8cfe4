//! `authlens import` end to end: the practice server's own `/openapi.json` and a Postman
//! collection made for it are imported to `.http` files, and an imported request is sent with
//! `authlens send --from OUT.http --name …`, its key only in the process environment — the
//! server answers 200 and got the key; the files written hold no key. Bad input is one line.

use authlens::formats::http_file;
use authlens::practice::{Config, PracticeServer, keys};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn authlens(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_authlens"));
    // Away from this checkout, so no `.env` of a parent directory sets a variable.
    c.args(args).current_dir(std::env::temp_dir());
    for name in [
        "API_KEY",
        "TOKEN",
        "baseUrl",
        "HTTP_BEARER",
        "API_KEY_HEADER",
    ] {
        c.env_remove(name);
    }
    c.envs(env.iter().copied())
        .output()
        .expect("the binary runs")
}

fn shown(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The name of the imported request whose name ends with `suffix`.
fn named(http: &Path, suffix: &str) -> String {
    let file = http_file::read(http).unwrap();
    file.names()
        .into_iter()
        .find(|n| n.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} in {:?}", file.names()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_practice_servers_openapi_imports_and_an_operation_sends_with_its_scheme_variable() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let doc = reqwest::get(s.url("/openapi.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let dir = temp_dir("openapi");
    std::fs::write(dir.join("openapi.json"), doc).unwrap();
    let out = dir.join("api.http");
    let (input, output) = (dir.join("openapi.json"), out.display().to_string());
    let args = ["import", input.to_str().unwrap(), "-o", output.as_str()];
    let o = tokio::task::block_in_place(|| authlens(&args, &[]));
    assert_eq!(o.status.code(), Some(0), "{}", shown(&o));
    // FastAPI's scheme `HTTPBearer` is the variable `HTTP_BEARER`; no server: `baseUrl`.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("Authorization: Bearer {{HTTP_BEARER}}"),
        "{text}"
    );
    assert!(shown(&o).contains("HTTP_BEARER"), "{}", shown(&o));
    // Importing again over the file is refused without --force.
    let again = tokio::task::block_in_place(|| authlens(&args, &[]));
    assert_eq!(again.status.code(), Some(2));
    assert!(
        shown(&again).contains("exists; pass --force"),
        "{}",
        shown(&again)
    );

    let name = named(&out, "GET /v1/models");
    let base = s.url("");
    let base = base.trim_end_matches('/');
    let send = ["send", "--from", output.as_str(), "--name", name.as_str()];
    let env = [("baseUrl", base), ("HTTP_BEARER", keys::BEARER_TOKEN)];
    let o = tokio::task::block_in_place(|| authlens(&send, &env));
    let shown = shown(&o);
    assert_eq!(o.status.code(), Some(0), "{shown}");
    assert!(shown.contains("200"), "{shown}");
    let raw = String::from_utf8_lossy(&s.records().last().unwrap().raw).into_owned();
    assert!(
        raw.contains(&format!("Bearer {}", keys::BEARER_TOKEN)),
        "{raw}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postman_collection_and_environment_import_and_send_with_the_secret_from_the_process() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let base = s.url("");
    let base = base.trim_end_matches('/');
    let dir = temp_dir("postman");
    let collection = r#"{
      "info": {"name": "Practice", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{TOKEN}}"}]},
      "item": [{"name": "Models", "item": [
        {"name": "List models", "request": {"method": "GET", "url": "{{baseUrl}}/v1/models"}}]},
        {"name": "Health", "request": {"method": "GET", "url": "{{baseUrl}}/api/v1/health", "auth": {"type": "noauth"}}}]
    }"#;
    let env = format!(
        r#"{{"name": "practice", "values": [
          {{"key": "baseUrl", "value": "{base}", "enabled": true}},
          {{"key": "TOKEN", "value": "{}", "enabled": true, "type": "secret"}}]}}"#,
        keys::BEARER_TOKEN
    );
    std::fs::write(dir.join("collection.json"), collection).unwrap();
    std::fs::write(dir.join("env.json"), env).unwrap();
    let out = dir.join("api.http").display().to_string();
    let (c, e) = (dir.join("collection.json"), dir.join("env.json"));
    let args = [
        "import",
        c.to_str().unwrap(),
        "--env",
        e.to_str().unwrap(),
        "-o",
        &out,
    ];
    let o = tokio::task::block_in_place(|| authlens(&args, &[]));
    let said = shown(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("TOKEN  (Postman secret, not written)"),
        "{said}"
    );
    // The plain value is in the environment file, the secret nowhere on disk.
    let env_file = std::fs::read_to_string(dir.join("http-client.env.json")).unwrap();
    assert!(
        env_file.contains("\"practice\"") && env_file.contains(base),
        "{env_file}"
    );
    for f in ["api.http", "http-client.env.json"] {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        assert!(!text.contains(keys::BEARER_TOKEN), "{f}: {text}");
    }
    let send = [
        "send",
        "--from",
        &out,
        "--name",
        "Models / List models",
        "--env",
        "practice",
    ];
    let o = tokio::task::block_in_place(|| authlens(&send, &[("TOKEN", keys::BEARER_TOKEN)]));
    let said = shown(&o);
    assert_eq!(o.status.code(), Some(0), "{said}");
    assert!(said.contains("200"), "{said}");
    assert!(
        !said.contains(keys::BEARER_TOKEN),
        "the key is masked: {said}"
    );
    let raw = String::from_utf8_lossy(&s.records().last().unwrap().raw).into_owned();
    assert!(
        raw.contains(&format!("Bearer {}", keys::BEARER_TOKEN)),
        "{raw}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Bad input: one line on stderr naming the file (and the position when there is one).
#[test]
fn bad_input_is_one_line_naming_the_file() {
    let dir = temp_dir("bad");
    let cases = [
        (
            "truncated.json",
            "{\"log\": {\"entries\": [\n  {\"request\": ",
            "truncated.json:2:14: is not valid JSON: EOF while parsing a value",
        ),
        (
            "v20.json",
            &std::fs::read_to_string("tests/fixtures/import/postman_v20.json").unwrap(),
            "v20.json: is a Postman collection v2.0: only v2.1 is supported",
        ),
        (
            "notes.txt",
            "just some notes\nnothing to import\n",
            "notes.txt: is not a known format: expected HAR 1.2, Postman collection v2.1",
        ),
    ];
    for (name, text, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let o = authlens(&["import", path.to_str().unwrap()], &[]);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(err.contains(expected), "{name}: {err}");
        assert!(o.stdout.is_empty(), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
