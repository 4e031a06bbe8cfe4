//! `--as-client` and `--as-loader` on the real binary: a flag replaces a file's `context` and
//! changes what `diagnose` finds; `send` adds predictions for the named stack; an unknown name
//! is one warning line, never an error.

use authlens::practice::{Config, PracticeServer};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn authlens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .env_remove("X")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-as-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn out(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A recorded 401 whose program used node dotenv (no `$` expansion) and curl; the key holds
/// `${X}` and, in its header, a line break.
const FILE: &str = r#"{"env":{},"dotenv":"API_KEY=EXAMPLE-FAKE${X}key0000\n",
 "request":{"method":"GET","url":"https://api.example.test/v1",
            "headers":[["X-API-Key","${API_KEY}"],["Authorization","Bearer EXAMPLE-FAKE-tok\n0000"]]},
 "response":{"status":401,"headers":[],"body":"unauthorized"},
 "context":{"loader":"node-dotenv","client":"curl","cwd":"/p","dotenv_path":"/p/.env"}}"#;

fn diagnose(dir: &Path, extra: &[&str]) -> (String, String) {
    std::fs::write(dir.join("x.json"), FILE).unwrap();
    let mut args = vec!["diagnose", "x.json", "--format", "json"];
    args.extend_from_slice(extra);
    let o = authlens(&args, dir);
    assert!(o.status.success(), "{o:?}");
    out(&o)
}

fn finding<'a>(json: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
}

#[test]
fn a_flag_overrides_the_files_context_and_changes_the_findings() {
    let dir = scratch("override");
    let (plain, _) = diagnose(&dir, &[]);
    let plain: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert!(finding(&plain, "dotenv-variable-expansion").is_none());
    let cut = finding(&plain, "credential-control-characters").expect("the line break");
    assert!(cut["explanation"].as_str().unwrap().contains("curl cuts"));

    let (as_python, err) = diagnose(
        &dir,
        &["--as-loader", "python-dotenv", "--as-client", "requests"],
    );
    assert_eq!(err, "");
    let as_python: serde_json::Value = serde_json::from_str(&as_python).unwrap();
    let expanded = finding(&as_python, "dotenv-variable-expansion").expect("python expands ${X}");
    assert!(
        expanded["explanation"]
            .as_str()
            .unwrap()
            .contains("python-dotenv")
    );
    let refused = finding(&as_python, "credential-control-characters").unwrap();
    let words = refused["explanation"].as_str().unwrap();
    assert!(words.contains("InvalidHeader"), "{words}");
}

#[test]
fn an_unknown_name_is_one_warning_line_and_not_an_error() {
    let dir = scratch("unknown");
    let (stdout, err) = diagnose(&dir, &["--as-client", "clj-http"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("authlens diagnose: warning: unknown --as-client \"clj-http\""));
    assert!(err.contains("python-requests (requests)"), "{err}");
    // No client-specific conclusion: the generic words, not curl's or requests'.
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let cut = finding(&json, "credential-control-characters").unwrap();
    assert!(
        cut["explanation"]
            .as_str()
            .unwrap()
            .contains("most clients refuse it")
    );
}

/// A file's own `context` naming a client the vocabulary lacks: one note on stderr (once,
/// however many exchanges name it), the diagnosis unchanged on stdout.
#[test]
fn an_unknown_context_name_in_the_file_is_noted_once() {
    let dir = scratch("unknown-context");
    let one = FILE.replace(r#""client":"curl""#, r#""client":"clj-http""#);
    std::fs::write(dir.join("two.json"), format!("[{one},{one}]")).unwrap();
    let (stdout, err) = out(&authlens(
        &["diagnose", "two.json", "--format", "json"],
        &dir,
    ));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(r#"context.client "clj-http" is not in the vocabulary"#),
        "{err}"
    );
    assert!(err.contains("no client-specific conclusion"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["exchanges"].as_array().unwrap().len(), 2);
    // The known loader of the same file is not noted.
    assert!(!err.contains("loader"), "{err}");
}

/// The `.env` in a parent directory: dotenvy (authlens) finds it; node dotenv would not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_predicts_what_the_named_stack_would_meet() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let root = scratch("send");
    let app = root.join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(root.join(".env"), "API_KEY='EXAMPLE-FAKE${X}key0000'\n").unwrap();
    let url = s.url("/echo");
    let send = |extra: &[&str]| {
        let mut args = vec!["send", url.as_str(), "-H", "X-API-Key: ${API_KEY}"];
        args.extend_from_slice(extra);
        out(&authlens(&args, &app))
    };
    let (own, _) = send(&[]);
    assert!(!own.contains("Prediction"), "{own}");
    let (node, _) = send(&["--as-loader", "dotenv"]);
    assert!(
        node.contains("dotenv-not-found-from-cwd")
            && node.contains("Prediction for your program (node dotenv")
            && node.contains("never its parents"),
        "{node}"
    );
    let (python, _) = send(&["--as-loader", "python-dotenv"]);
    assert!(
        python.contains("dotenv-variable-expansion")
            && python.contains("predicted for python-dotenv 1.2.2"),
        "{python}"
    );
}
