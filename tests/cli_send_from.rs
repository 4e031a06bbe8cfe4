//! `authlens send --from FILE.http`: the seed-000 upload kept in a `.http` file, its key in
//! `http-client.private.env.json`, sent to the practice server with `--env dev` — the key
//! reaches the server and is never printed unmasked; every wrong choice is one clear line.

use authlens::practice::{Config, PracticeServer, keys};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const UPLOAD: &str = "### Seed upload
# @name upload
POST {{host}}/api/v1/vote-extraction/extract
X-API-Key: {{API_KEY}}
Content-Type: multipart/form-data; boundary=WebAppBoundary

--WebAppBoundary
Content-Disposition: form-data; name=\"files\"; filename=\"page1.jpg\"
Content-Type: image/jpeg

< ./page1.jpg
--WebAppBoundary--
";

fn authlens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .env_remove("host")
        .output()
        .expect("the binary runs")
}

/// A project directory holding `api.http` (with `extra` appended), its environments (the key
/// only in the private one) and the page to upload.
fn project(name: &str, base: &str, extra: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-from-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("api.http"), format!("{UPLOAD}{extra}")).unwrap();
    std::fs::write(dir.join("page1.jpg"), b"\xff\xd8\xff\xe0EXAMPLE-page").unwrap();
    let public = format!(
        "{{\"dev\": {{\"host\": \"{base}\"}}, \"prod\": {{\"host\": \"https://api.example.com\"}}}}"
    );
    std::fs::write(dir.join("http-client.env.json"), public).unwrap();
    let private = format!("{{\"dev\": {{\"API_KEY\": \"{}\"}}}}", keys::API_KEY);
    std::fs::write(dir.join("http-client.private.env.json"), private).unwrap();
    dir
}

fn shown(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_upload_is_sent_from_a_http_file_with_the_private_key_masked() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = project("seed", &s.url(""), "");
    let file = dir.join("api.http").display().to_string();
    // From another directory: paths are the file's, not the working directory's.
    let elsewhere = std::env::temp_dir();
    for args in [
        vec![
            "send",
            "--from",
            file.as_str(),
            "--name",
            "upload",
            "--env",
            "dev",
        ],
        vec!["send", "--from", file.as_str(), "--env", "dev"],
    ] {
        let out = tokio::task::block_in_place(|| authlens(&args, &elsewhere));
        let text = shown(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}\n{text}");
        assert!(!text.contains(keys::API_KEY), "the key is masked:\n{text}");
        assert!(text.contains("chars)"), "{text}");
    }
    let records = s.records();
    let raw = String::from_utf8_lossy(&records.last().unwrap().raw).into_owned();
    assert!(
        raw.contains(keys::API_KEY),
        "the server got the private key"
    );
    assert!(
        raw.contains("filename=\"page1.jpg\"") && raw.contains("EXAMPLE-page"),
        "{raw}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_and_environments_are_listed_when_the_choice_is_wrong() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let dir = project(
        "choice",
        &s.url(""),
        "\n###\n# @name health\nGET {{host}}/health\n",
    );
    let run = |args: &[&str]| tokio::task::block_in_place(|| authlens(args, &dir));
    let out = run(&["send", "--from", "api.http", "--env", "dev"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "authlens send: api.http holds 2 requests; choose one with --name: \"upload\", \"health\"\n"
    );
    let out = run(&["send", "--from", "api.http", "--name", "nope"]);
    assert!(
        shown(&out).contains("no request named \"nope\"; its requests: \"upload\", \"health\""),
        "{}",
        shown(&out)
    );
    let out = run(&[
        "send", "--from", "api.http", "--name", "upload", "--env", "stage",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        shown(&out)
            .contains("--env stage: no environment \"stage\"; the environments are: dev, prod"),
        "{}",
        shown(&out)
    );
    let out = run(&["send", "--from", "api.http", "--name", "upload"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "without --env, {{{{host}}}} is unset:\n{}",
        shown(&out)
    );
    assert!(shown(&out).contains("host"), "{}", shown(&out));
    for env in ["http-client.env.json", "http-client.private.env.json"] {
        std::fs::remove_file(dir.join(env)).unwrap();
    }
    let out = run(&[
        "send", "--from", "api.http", "--name", "upload", "--env", "dev",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(shown(&out).contains("--env dev: there is no http-client.env.json or http-client.private.env.json next to api.http"), "{}", shown(&out));
    std::fs::write(dir.join("bad.http"), "POST http://h/\nBad Header\n").unwrap();
    let out = run(&["send", "--from", "bad.http"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "authlens send: bad.http:2: header \"Bad Header\" has no colon\n"
    );
    let out = run(&["send", "http://h/", "--from", "api.http"]);
    assert_eq!(out.status.code(), Some(2), "a URL and --from conflict");
    std::fs::remove_dir_all(&dir).unwrap();
}
