//! `authlens explain`, as a user runs it: the list of causes, one in full, and a typo.

use std::process::Command;

fn explain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_authlens"))
        .arg("explain")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn with_no_cause_every_id_is_listed_first_on_its_line() {
    let (code, out, _) = explain(&[]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), authlens::rules::CauseId::ALL.len());
    assert!(
        out.lines()
            .any(|l| l.starts_with("redirect-auth-stripped-cross-origin "))
    );
}

#[test]
fn a_cause_is_explained_with_its_fix_and_sources() {
    let (code, out, _) = explain(&["redirect-auth-stripped-cross-origin"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("redirect-auth-stripped-cross-origin — "),
        "{out}"
    );
    for part in ["How authlens recognises it:", "Fix:", "Sources:", "reqwest"] {
        assert!(out.contains(part), "{part} missing:\n{out}");
    }
}

#[test]
fn a_misspelt_cause_is_bad_input_with_a_suggestion() {
    let (code, out, err) = explain(&["jwt-expird"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("did you mean `jwt-expired`?"), "{err}");
    assert_eq!(err.lines().count(), 1);
    // Not ASCII: still one line and exit 2, no panic.
    assert_eq!(explain(&["abcé-jwt"]).0, 2);
}
