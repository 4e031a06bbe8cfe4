//! The TUI's findings list after a send with TLS checks off says so (`tls-verification-off`),
//! and the same exchange sent verified does not: the list is the rules' output through the
//! runtime's own `load_result`, drawn on a test backend.

mod tui_common;

use tui_common::*;

fn sent(tls_unverified: bool) -> String {
    let mut app = app();
    let mut ex = strict_401("FAKE-EXAMPLE-token-0000000000000000");
    ex.hops[0].request.url = "https://127.0.0.1:43210/strict/v1/models".into();
    ex.transport.tls_unverified = tls_unverified;
    deliver(&mut app, ex);
    screen(&app, 160, 50)
}

#[test]
fn the_findings_list_says_the_diagnosis_was_made_with_tls_checks_off() {
    let off = sent(true);
    assert!(off.contains("TLS NOT VERIFIED"), "{off}");
    assert!(
        off.contains("info    The diagnosis was made with TLS checks off"),
        "{off}"
    );
    let on = sent(false);
    assert!(
        !on.contains("TLS checks off") && !on.contains("TLS NOT VERIFIED"),
        "{on}"
    );
}
