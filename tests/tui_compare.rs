//! The compare view: `c` asks for the four sends as one effect, Esc cancels it, the answer
//! lands as `CompareDone`, and the screens at 80×24 (stacked) and 160×48 (side by side) mask
//! the credential in every form and say the verdict in words, not colour alone.

mod tui_common;

use authlens::practice::keys;
use authlens::slots::{Outcome, SpecSays, Verdict};
use authlens::tui::app::App;
use authlens::tui::msg::{Effect, Msg};
use crossterm::event::KeyCode;
use tui_common::*;

fn open(app: &mut App) -> u64 {
    match &update(app, ch('c'))[..] {
        [Effect::Compare { id, credential, .. }] => {
            assert!(!credential.value.is_empty());
            *id
        }
        other => panic!("{other:?}"),
    }
}

fn outcome(slot: &str, sent_as: &str, status: u16, verdict: Verdict) -> Outcome {
    let refused = verdict != Verdict::Worked;
    Outcome {
        slot: slot.into(),
        spec: None,
        spec_scheme: None,
        sent_as: sent_as.into(),
        status: Some(status),
        verdict,
        challenge: refused.then(|| "Bearer realm=\"practice\"".into()),
        message: refused.then(|| "Unauthorized".into()),
        notes: Vec::new(),
        findings: Vec::new(),
        exchange: None,
    }
}

/// What the strict route says to the bearer token in each slot.
fn outcomes() -> Vec<Outcome> {
    let t = keys::BEARER_TOKEN;
    let basic = base64_of(&format!("{t}:"));
    vec![
        outcome(
            "Authorization: Bearer",
            &format!("authorization: Bearer {t}"),
            200,
            Verdict::Worked,
        ),
        outcome(
            "X-API-Key header",
            &format!("x-api-key: {t}"),
            401,
            Verdict::Rejected,
        ),
        outcome(
            "Authorization: Basic",
            &format!("authorization: Basic {basic}"),
            401,
            Verdict::Rejected,
        ),
        outcome(
            "?api_key= query",
            &format!("GET /strict/v1/models?api_key={t} HTTP/1.1"),
            401,
            Verdict::Rejected,
        ),
    ]
}

fn base64_of(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn compared() -> App {
    let mut app = app();
    let id = open(&mut app);
    update(
        &mut app,
        Msg::CompareDone {
            id,
            outcomes: outcomes(),
        },
    );
    app
}

#[test]
fn c_opens_compare_as_one_effect_and_esc_cancels_it() {
    let mut app = app();
    let id = open(&mut app);
    let view = app.compare.as_ref().unwrap();
    assert!(view.running());
    assert_eq!(
        update(&mut app, key(KeyCode::Esc)),
        vec![Effect::Cancel { id }]
    );
    assert!(app.compare.is_none());
    // A late answer to the cancelled compare changes nothing.
    update(
        &mut app,
        Msg::CompareDone {
            id,
            outcomes: outcomes(),
        },
    );
    assert!(app.compare.is_none());
}

#[test]
fn the_answer_lands_and_esc_closes_without_a_cancel() {
    let mut app = compared();
    let view = app.compare.as_ref().unwrap();
    assert!(!view.running());
    assert!(view.summary().unwrap().contains("Authorization: Bearer"));
    assert_eq!(update(&mut app, key(KeyCode::Esc)), vec![]);
    assert!(app.compare.is_none());
}

#[test]
fn a_request_without_a_credential_says_so_and_opens_nothing() {
    let mut app = app();
    let d = app.draft_mut().unwrap();
    d.headers.clear();
    d.auth = authlens::draft::AuthHelper::None;
    app.refresh_vars();
    assert_eq!(update(&mut app, ch('c')), vec![]);
    assert!(app.compare.is_none());
    let (_, msg) = app.status.as_ref().unwrap();
    assert!(msg.contains("no credential"), "{msg}");
}

#[test]
fn compare_80x24_is_stacked_and_masked() {
    let app = compared();
    let s = screen(&app, 80, 24);
    assert!(!s.contains(keys::BEARER_TOKEN), "masked:\n{s}");
    assert!(
        !s.contains(&base64_of(&format!("{}:", keys::BEARER_TOKEN))),
        "{s}"
    );
    assert!(
        s.contains("✔ worked 200") && s.contains("✘ refused 401"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn compare_160x48_is_side_by_side_and_masked() {
    let app = compared();
    let s = screen(&app, 160, 48);
    assert!(!s.contains(keys::BEARER_TOKEN), "masked:\n{s}");
    for slot in [
        "Authorization: Bearer",
        "X-API-Key header",
        "Authorization: Basic",
        "?api_key= query",
    ] {
        assert!(s.contains(slot), "{slot}:\n{s}");
    }
    insta::assert_snapshot!(s);
}

#[test]
fn the_specs_mark_shows_on_the_slots_it_judges() {
    let mut app = app();
    let id = open(&mut app);
    let mut marked = outcomes();
    marked[0].spec = Some(SpecSays::Accepts);
    marked[0].spec_scheme = Some("HTTPBearer".into());
    marked[1].spec = Some(SpecSays::Rejects);
    update(
        &mut app,
        Msg::CompareDone {
            id,
            outcomes: marked,
        },
    );
    let s = screen(&app, 160, 48);
    assert!(s.contains("✓ spec (HTTPBearer)"), "{s}");
    assert_eq!(
        s.matches("✗ spec").count(),
        1,
        "only the slot it judged:\n{s}"
    );
}

/// One slot puts the key in the URL's query: to a host other than this machine, `c` asks
/// first and a second `c` on the same URL sends; the practice server on loopback is at once.
#[test]
fn c_asks_before_sending_a_key_to_another_host_in_four_slots() {
    let mut app = app();
    let d = app.draft_mut().unwrap();
    d.url = "https://api.example.com/v1/models".into();
    app.refresh_vars();
    assert_eq!(update(&mut app, ch('c')), vec![]);
    assert!(app.compare.is_none(), "nothing sent on the first press");
    let (_, msg) = app.status.clone().unwrap();
    assert!(
        msg.contains("api.example.com") && msg.contains("press c again"),
        "{msg}"
    );
    assert!(matches!(
        &update(&mut app, ch('c'))[..],
        [Effect::Compare { .. }]
    ));
    // Asked long ago, or about another URL: asked again.
    app.compare = None;
    update(&mut app, ch('c'));
    app.now += std::time::Duration::from_secs(60);
    assert_eq!(update(&mut app, ch('c')), vec![]);
    let d = app.draft_mut().unwrap();
    d.url = "https://api.example.org/v1/models".into();
    app.refresh_vars();
    assert_eq!(update(&mut app, ch('c')), vec![]);
    // localhost and loopback addresses are this machine: no question.
    for url in [
        "http://localhost:8000/x",
        "http://[::1]:8000/x",
        "http://127.0.0.2/x",
    ] {
        app.compare = None;
        app.draft_mut().unwrap().url = url.into();
        app.refresh_vars();
        assert!(
            matches!(&update(&mut app, ch('c'))[..], [Effect::Compare { .. }]),
            "{url}"
        );
    }
}

#[test]
fn a_compare_sent_with_tls_checks_off_says_so_in_its_title() {
    let mut app = compared();
    let s = screen(&app, 160, 48);
    assert!(s.contains("Compare — GET"), "{s}");
    assert!(!s.contains("TLS NOT VERIFIED"), "{s}");
    update(&mut app, key(KeyCode::Esc));
    // One slot's exchange met TLS with the certificate unchecked (`-k` on an https URL).
    let mut unverified = outcomes();
    let mut ex = authlens::exchange::Exchange::default();
    ex.transport.tls_unverified = true;
    unverified[0].exchange = Some(ex);
    let id = open(&mut app);
    update(
        &mut app,
        Msg::CompareDone {
            id,
            outcomes: unverified,
        },
    );
    let s = screen(&app, 160, 48);
    assert!(s.contains("Compare — GET"), "{s}");
    assert!(s.contains("! TLS NOT VERIFIED"), "{s}");
}
