//! Every command's errors go through one reporter: the real binary, for each kind of error,
//! exits with the README's code (2 bad input, 1 network or machine) and prints one line,
//! `authlens <command>: …`, naming the input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn authlens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .env_remove("API_KEY_REQUIRED")
        .env_remove("PRACTICE_TOKEN")
        .output()
        .expect("the binary runs")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-errors-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A local port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn each_kind_of_error_exits_with_its_code_in_one_line() {
    let dir = scratch("codes");
    std::fs::write(
        dir.join("bad.env"),
        "GOOD=EXAMPLE\nBROKEN=my uncool value\n",
    )
    .unwrap();
    std::fs::write(dir.join("one.json"), "{\n  \"request\": [1,\n").unwrap();
    let unreachable = format!("http://127.0.0.1:{}/", closed_port());
    // Held open for the whole test: `serve` on this port must fail to listen, not start.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_port = taken.local_addr().unwrap().port().to_string();
    let bad_header = ["-H", "no colon"];
    let cases: Vec<(Vec<&str>, u8, &str)> = vec![
        (
            [&["send", "http://127.0.0.1:9/"][..], &bad_header].concat(),
            2,
            "authlens send: -H argument 1 \"no colon\": expected `Name: value`",
        ),
        (
            vec!["send", &unreachable],
            1,
            "authlens send: could not connect for",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "--env-file", "bad.env"],
            2,
            "authlens send: bad.env:2: ",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "--env-file", "nope.env"],
            2,
            "authlens send: nope.env: no such file",
        ),
        (
            vec!["send", "http://127.0.0.1:9/", "--timeout", "0"],
            2,
            "authlens send: --timeout 0: must be a positive number of seconds",
        ),
        (
            [&["compare", "http://127.0.0.1:9/"][..], &bad_header].concat(),
            2,
            "authlens compare: -H argument 1",
        ),
        (
            vec![
                "compare",
                "http://127.0.0.1:9/",
                "--credential",
                "EXAMPLE",
                "--env-file",
                "bad.env",
            ],
            2,
            "authlens compare: bad.env:2: ",
        ),
        (
            vec!["compare", "http://127.0.0.1:9/"],
            2,
            "authlens compare: no credential to compare",
        ),
        (
            vec!["diagnose", "missing-EXAMPLE.json"],
            2,
            "authlens diagnose: missing-EXAMPLE.json: cannot read",
        ),
        (
            vec!["diagnose", "one.json"],
            2,
            "authlens diagnose: one.json:3:",
        ),
        (
            vec!["serve", "--port", &taken_port, "--api-key", "EXAMPLE"],
            1,
            "authlens serve: cannot listen on 127.0.0.1:",
        ),
    ];
    for (args, code, says) in cases {
        let out = authlens(&args, &dir);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code.into()), "{args:?} → {err}");
        assert!(
            err.starts_with(says),
            "{args:?}: expected {says:?} in {err:?}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err:?}");
    }
    drop(taken);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_huge_timeout_is_bad_input_not_a_panic() {
    let dir = scratch("timeout");
    let url = "http://127.0.0.1:9/";
    for t in ["1e19", "1e20", "86401"] {
        let send = vec!["send", url, "--timeout", t];
        let compare = vec![
            "compare",
            url,
            "--credential",
            "EXAMPLE-FAKE-0000",
            "--timeout",
            t,
        ];
        for args in [send, compare] {
            let out = authlens(&args, &dir);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?} → {err}");
            let says = format!(
                "authlens {}: --timeout {t}: must be at most 86400 seconds",
                args[0]
            );
            assert!(err.starts_with(&says), "expected {says:?} in {err:?}");
            assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn compare_with_no_slot_answered_is_a_network_failure() {
    let dir = scratch("compare-network");
    let unreachable = format!("http://127.0.0.1:{}/", closed_port());
    for format in ["text", "json"] {
        let out = authlens(
            &[
                "compare",
                &unreachable,
                "--credential",
                "EXAMPLE-FAKE-0000",
                "--format",
                format,
            ],
            &dir,
        );
        let err = String::from_utf8_lossy(&out.stderr);
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{format}: {err}{shown}");
        assert!(
            err.starts_with(
                "authlens compare: no slot got a response, the network failed: could not connect"
            ),
            "{format}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
        assert!(!shown.contains("server said"), "{format}: {shown}");
        assert!(shown.contains("the network failed"), "{format}: {shown}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diagnose_names_what_is_wrong_with_the_file() {
    let dir = scratch("diagnose-files");
    let exchange = r#"{"request":{"method":"GET","url":"http://h/"},"response":{"status":401}}"#;
    std::fs::write(dir.join("bom.json"), format!("\u{feff}{exchange}")).unwrap();
    let utf16: Vec<u8> = format!("\u{feff}{exchange}")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    std::fs::write(dir.join("utf16.json"), utf16).unwrap();
    let har = |status: &str| {
        format!(
            r#"{{"log":{{"entries":[{{"request":{{"method":"GET","url":"http://h/"}},"response":{{"status":{status}}}}}]}}}}"#
        )
    };
    std::fs::write(dir.join("status.har"), har("99999")).unwrap();
    std::fs::write(dir.join("empty.har"), r#"{"log":{"entries":[]}}"#).unwrap();
    std::fs::write(dir.join("empty.json"), "[]").unwrap();

    let out = authlens(&["diagnose", "bom.json"], &dir);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "a UTF-8 BOM is skipped: {err}");

    let cases = [
        (
            "utf16.json",
            "authlens diagnose: utf16.json: is UTF-16 (",
            "save it as UTF-8",
        ),
        (
            "status.har",
            "authlens diagnose: status.har:1:1: log.entries[0] response.status 99999 is out of range",
            "",
        ),
        (
            "empty.har",
            "authlens diagnose: no exchanges in empty.har",
            "nothing to diagnose",
        ),
        (
            "empty.json",
            "authlens diagnose: no exchanges in empty.json",
            "nothing to diagnose",
        ),
    ];
    for (file, starts, says) in cases {
        let out = authlens(&["diagnose", file], &dir);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {err}");
        assert!(
            err.starts_with(starts) && err.contains(says),
            "{file}: {err}"
        );
        assert_eq!(err.trim_end().lines().count(), 1, "{file}: {err:?}");
        assert!(out.stdout.is_empty(), "{file}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
