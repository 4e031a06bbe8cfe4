//! `update` without a terminal or a runtime: editing, sending, cancelling, pasting, quitting.

mod tui_common;

use authlens::draft::{AuthHelper, Row};
use authlens::tui::app::{Outcome, Overlay, Pane, Tab, Target};
use authlens::tui::msg::{Effect, Msg, SendFailure};
use authlens::tui::update::update;
use crossterm::event::KeyCode;
use tui_common::*;

#[test]
fn enter_on_the_url_sends_the_draft_with_its_variables() {
    let mut app = app();
    let effects = update(&mut app, key(KeyCode::Enter));
    let [Effect::Send { draft, vars, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(draft.url, "${BASE}/strict/v1/models");
    assert_eq!(vars.value("BASE").as_deref(), Some(BASE));
    assert!(app.sending());
}

#[test]
fn ctrl_s_sends_even_while_typing_and_esc_cancels() {
    let mut app = app();
    feed(&mut app, [ch('e')]);
    assert!(app.editing.is_some());
    let effects = update(&mut app, ctrl('s'));
    let id = match &effects[..] {
        [Effect::Send { id, .. }] => *id,
        other => panic!("{other:?}"),
    };
    assert!(app.editing.is_none());
    assert_eq!(
        update(&mut app, key(KeyCode::Esc)),
        vec![Effect::Cancel { id }]
    );
    assert!(matches!(
        app.entry().unwrap().outcome,
        Some(Outcome::Cancelled)
    ));
    // The cancelled send finishing anyway changes nothing.
    let late = Msg::SendDone {
        id,
        result: Err(SendFailure {
            message: "late".into(),
            partial: None,
        }),
    };
    update(&mut app, late);
    assert!(matches!(
        app.entry().unwrap().outcome,
        Some(Outcome::Cancelled)
    ));
}

#[test]
fn a_second_send_while_one_is_in_flight_is_refused() {
    let mut app = app();
    assert_eq!(feed(&mut app, [ctrl('s')]).len(), 1);
    assert!(feed(&mut app, [ctrl('s')]).is_empty());
    assert!(app.status.as_ref().unwrap().1.contains("already in flight"));
}

#[test]
fn editing_a_header_value_writes_through_and_undo_restores() {
    let mut app = app();
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::HeaderValue(0));
    feed(&mut app, [key(KeyCode::Home)]);
    feed(&mut app, (0..6).map(|_| key(KeyCode::Delete)));
    feed(&mut app, typed("Bearer"));
    assert_eq!(
        app.draft().unwrap().headers[0].value,
        "Bearer ${OPENAI_API_KEY}"
    );
    feed(&mut app, [ctrl('z')]);
    assert_eq!(
        app.draft().unwrap().headers[0].value,
        "Beare ${OPENAI_API_KEY}"
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.editing.is_none());
}

#[test]
fn header_rows_add_toggle_move_and_delete() {
    let mut app = app();
    feed(&mut app, [ch('a')]);
    feed(&mut app, typed("Accept"));
    // Enter after the name goes on to the value.
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("application/json"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let headers = &app.draft().unwrap().headers;
    assert_eq!(headers[1], Row::new("Accept", "application/json"));
    feed(&mut app, [ch(' '), ch('K')]);
    let d = app.draft().unwrap();
    assert_eq!(
        (d.headers[0].name.as_str(), d.headers[0].enabled),
        ("Accept", false)
    );
    assert_eq!(app.editor.row, 1);
    feed(&mut app, [ch('d')]);
    assert_eq!(app.draft().unwrap().headers.len(), 1);
    // Nothing typed is lost: Ctrl+Z outside a field brings the deleted row back.
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.draft().unwrap().headers[0].name, "Accept");
    assert_eq!(app.draft().unwrap().headers.len(), 2);
}

#[test]
fn the_method_picker_sets_common_and_custom_methods() {
    let mut app = app();
    feed(&mut app, [ch('m'), ch('j'), key(KeyCode::Enter)]);
    assert_eq!(app.draft().unwrap().method, "POST");
    feed(&mut app, [ch('m'), ch('k'), ch('k'), key(KeyCode::Enter)]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::Method);
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("PURGE"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.draft().unwrap().method, "PURGE");
}

#[test]
fn the_auth_helper_cycles_and_keeps_the_credential() {
    let mut app = app();
    let auth = Tab::ALL.iter().position(|t| *t == Tab::Auth).unwrap();
    feed(&mut app, (0..auth).map(|_| ch('l')));
    assert_eq!(app.editor.tab(), Tab::Auth);
    feed(&mut app, [ch('t')]);
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, typed("${OPENAI_API_KEY}"));
    feed(&mut app, [key(KeyCode::Esc), ch('t')]);
    assert_eq!(
        app.draft().unwrap().auth,
        AuthHelper::ApiKeyHeader {
            name: "X-API-Key".into(),
            key: "${OPENAI_API_KEY}".into()
        }
    );
}

#[test]
fn pasting_curl_into_the_url_makes_a_new_draft() {
    let mut app = app();
    feed(&mut app, [ch('e')]);
    let n = app.entries.len();
    update(
        &mut app,
        Msg::Paste(
            "curl 'http://h.example/x' \\\n  -H $'X-API-Key: EXAMPLE-key\\t' -d 'a=1'".into(),
        ),
    );
    assert_eq!(app.entries.len(), n + 1);
    assert_eq!(app.selected, n);
    let d = app.draft().unwrap();
    assert_eq!(
        (d.method.as_str(), d.url.as_str()),
        ("POST", "http://h.example/x")
    );
    assert_eq!(d.headers[0].value, "EXAMPLE-key\t");
    let bad = update(&mut app, Msg::Paste("curl --nope".into()));
    assert!(bad.is_empty());
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .1
            .contains("unknown option --nope")
    );
}

#[test]
fn a_finished_send_lands_on_its_entry_and_in_the_history() {
    let mut app = app();
    let n = app.entries.len();
    deliver(&mut app, strict_401(authlens::practice::keys::BEARER_TOKEN));
    assert!(!app.sending());
    let status = app
        .loaded()
        .unwrap()
        .exchange
        .final_response()
        .unwrap()
        .status;
    assert_eq!(status, 401);
    assert_eq!(app.entries.len(), n + 1);
    assert!(
        app.entries[n].name.starts_with("401 GET"),
        "{}",
        app.entries[n].name
    );
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .1
            .starts_with("401 Unauthorized")
    );
}

#[test]
fn quitting_asks_only_while_a_request_is_in_flight_and_saves_drafts() {
    let mut app = app();
    feed(&mut app, [ctrl('s'), ch('q')]);
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    feed(&mut app, [ch('n')]);
    assert!(!app.quit);
    let effects = feed(&mut app, [ctrl('c'), ch('y')]);
    assert!(app.quit);
    assert!(matches!(effects[0], Effect::Cancel { .. }));
    let Effect::Save(json) = &effects[1] else {
        panic!("{effects:?}")
    };
    assert!(json.contains("${OPENAI_API_KEY}"));
    assert!(!json.contains(authlens::practice::keys::BEARER_TOKEN));

    let mut idle = tui_common::app();
    feed(&mut idle, [ch('q')]);
    assert!(idle.quit);
}

#[test]
fn reveal_is_switched_off_when_the_focus_leaves_the_exchange() {
    let mut app = app();
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(app.focus, Pane::Exchange);
    feed(&mut app, [ch('r')]);
    assert!(app.exchange.reveal);
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.focus, Pane::List);
    assert!(!app.exchange.reveal);
}

#[test]
fn copy_as_curl_is_masked_unless_revealed() {
    let mut app = app();
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    let masked = feed(&mut app, [ch('y')]);
    let [Effect::Copy { text, .. }] = &masked[..] else {
        panic!("{masked:?}")
    };
    assert!(text.starts_with("curl -X GET"), "{text}");
    assert!(
        !text.contains(authlens::practice::keys::BEARER_TOKEN),
        "{text}"
    );
    let shown = feed(&mut app, [ch('r'), ch('y')]);
    let [Effect::Copy { text, .. }] = &shown[..] else {
        panic!("{shown:?}")
    };
    assert!(text.contains(authlens::practice::keys::BEARER_TOKEN));
}

#[test]
fn searching_the_body_scrolls_to_the_match() {
    let mut app = app();
    deliver(&mut app, strict_401(authlens::practice::keys::BEARER_TOKEN));
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('/')]);
    feed(&mut app, typed("fix"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.exchange.scroll, 2, "pretty-printed: {{, detail, fix");
}

#[test]
fn lint_points_at_the_scheme_and_one_key_fixes_it() {
    let mut app = app();
    let f = app
        .selected_finding()
        .expect("the lower-case scheme is linted");
    assert_eq!(f.id, "auth-scheme-case-nonstandard");
    feed(&mut app, [ch('F')]);
    assert_eq!(
        app.draft().unwrap().headers[0].value,
        "Bearer ${OPENAI_API_KEY}"
    );
    let status = &app.status.as_ref().unwrap().1;
    assert!(status.contains("\"Authorization: bearer ${OPENAI_API_KEY}\" → \"Authorization: Bearer ${OPENAI_API_KEY}\""), "{status}");
    assert!(
        app.findings
            .iter()
            .all(|f| f.id != "auth-scheme-case-nonstandard")
    );
}

#[test]
fn the_diagnosis_replaces_lint_until_the_draft_is_edited() {
    let mut app = app();
    deliver(
        &mut app,
        redirect_dropped(authlens::practice::keys::BEARER_TOKEN),
    );
    let ids: Vec<&str> = app.findings.iter().map(|f| f.id).collect();
    assert!(ids.iter().any(|id| id.contains("redirect")), "{ids:?}");
    // Enter on a redirect finding jumps to its hop in the exchange.
    let i = app
        .findings
        .iter()
        .position(|f| matches!(f.anchor, authlens::rules::Anchor::RedirectHop { .. }))
        .unwrap();
    app.finding_sel = i;
    app.focus = Pane::Findings;
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.focus, Pane::Exchange);
    // Editing the draft makes the diagnosis stale: lint again.
    feed(
        &mut app,
        [
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            ch('e'),
            ch('x'),
            key(KeyCode::Esc),
        ],
    );
    assert!(
        app.findings
            .iter()
            .all(|f| !matches!(f.anchor, authlens::rules::Anchor::RedirectHop { .. }))
    );
}

#[test]
fn a_click_selects_the_pane_and_the_request_under_it_and_the_wheel_scrolls() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut app = app();
    update(&mut app, Msg::Resize(160, 48));
    let click = |column, row| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: crossterm::event::KeyModifiers::NONE,
        })
    };
    // Row 0 is the list's border; row 3 is the third request.
    update(&mut app, click(5, 3));
    assert_eq!((app.focus, app.selected), (Pane::List, 2));
    update(&mut app, click(150, 10));
    assert_eq!(app.focus, Pane::Exchange);
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 5,
        row: 5,
        modifiers: crossterm::event::KeyModifiers::NONE,
    });
    update(&mut app, wheel);
    assert_eq!(app.selected, 3);
}

#[test]
fn a_missing_upload_file_is_marked() {
    let mut app = app();
    let i = app
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("extract-fixed"))
        .unwrap();
    let effects = authlens::tui::update::select(&mut app, i);
    let [Effect::CheckFiles(paths)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(paths, &["/tmp/authlens-EXAMPLE-page1.jpg".to_string()]);
    update(&mut app, Msg::FilesChecked(paths.clone()));
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    let s = screen(&app, 160, 48);
    assert!(s.contains("✗ file not found"), "{s}");
}

#[test]
fn a_text_body_with_its_content_type_and_newlines() {
    use authlens::draft::Body;
    let mut app = app();
    let body = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    feed(&mut app, (0..body).map(|_| ch('l')));
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert!(matches!(app.draft().unwrap().body, Body::Text { .. }));
    // Row 1: the content type; emptied means "none, the header decides".
    feed(&mut app, [key(KeyCode::Enter), ctrl('u')]);
    feed(&mut app, typed("text/plain"));
    feed(
        &mut app,
        [key(KeyCode::Enter), key(KeyCode::Down), key(KeyCode::Enter)],
    );
    assert_eq!(app.editing.as_ref().unwrap().target, Target::Body);
    feed(&mut app, typed("a"));
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("b"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(
        app.draft().unwrap().body,
        Body::Text {
            content_type: Some("text/plain".into()),
            text: "a\nb".into()
        }
    );
}

/// The Body tab of a fresh draft with one file part at `path`, the part's row selected.
fn app_with_file_part(path: &str) -> authlens::tui::app::App {
    let mut app = app();
    let body = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    feed(&mut app, (0..body).map(|_| ch('l')));
    feed(&mut app, [ch('f')]);
    feed(&mut app, typed(path));
    feed(&mut app, [key(KeyCode::Esc)]);
    app
}

#[test]
fn a_file_part_shows_the_name_and_type_it_will_send_and_both_are_editable() {
    use authlens::draft::{Body, PartValue};
    let mut app = app_with_file_part("/tmp/EXAMPLE-scan.png");
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("N file name: EXAMPLE-scan.png (from the path)"),
        "{s}"
    );
    assert!(s.contains("T type: image/png (from the extension)"), "{s}");
    feed(&mut app, [ch('N')]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::PartFilename(0)
    );
    feed(&mut app, typed("page-1.png"));
    feed(&mut app, [key(KeyCode::Enter), ch('T')]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::PartContentType(0)
    );
    feed(&mut app, typed("image png"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let Body::Multipart { parts } = &app.draft().unwrap().body else {
        panic!("not multipart")
    };
    let PartValue::File {
        filename,
        content_type,
        ..
    } = &parts[0].value
    else {
        panic!("not a file part")
    };
    assert_eq!(filename.as_deref(), Some("page-1.png"));
    assert_eq!(content_type.as_deref(), Some("image png"));
    let s = screen(&app, 160, 48);
    assert!(s.contains("file name: page-1.png"), "{s}");
    assert!(s.contains("✗ not a MIME type"), "{s}");
}

#[test]
fn tab_in_a_file_path_completes_from_what_the_runtime_found() {
    let mut app = app_with_file_part("/tmp/EXAMPLE-sc");
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.status.as_ref().unwrap().1.contains("Tab completes"));
    let effects = update(&mut app, key(KeyCode::Tab));
    let [Effect::CompletePath { target, typed: t }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (*target, t.as_str()),
        (Target::PartValue(0), "/tmp/EXAMPLE-sc")
    );
    let found = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    // Two matches: their common start is filled in and both are named.
    update(
        &mut app,
        Msg::PathCompleted {
            target: *target,
            typed: t.clone(),
            found: found(&["/tmp/EXAMPLE-scan-1.png", "/tmp/EXAMPLE-scan-2.png"]),
        },
    );
    assert_eq!(
        app.editing.as_ref().unwrap().input.text,
        "/tmp/EXAMPLE-scan-"
    );
    let note = &app.status.as_ref().unwrap().1;
    assert!(note.contains("EXAMPLE-scan-1.png") && note.contains("EXAMPLE-scan-2.png"));
    // An answer for text that has since changed is dropped.
    update(
        &mut app,
        Msg::PathCompleted {
            target: Target::PartValue(0),
            typed: "/tmp/EXAMPLE-sc".into(),
            found: found(&["/tmp/EXAMPLE-scan-1.png"]),
        },
    );
    assert_eq!(
        app.editing.as_ref().unwrap().input.text,
        "/tmp/EXAMPLE-scan-"
    );
    // Ctrl+Z takes the completion back like any edit.
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.editing.as_ref().unwrap().input.text, "/tmp/EXAMPLE-sc");
}

#[test]
fn tab_elsewhere_while_typing_does_not_complete() {
    let mut app = app();
    feed(&mut app, [ch('e')]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::Url);
    assert!(update(&mut app, key(KeyCode::Tab)).is_empty());
    assert_eq!(app.editing.as_ref().unwrap().target, Target::Url);
}

#[test]
fn the_query_tab_and_the_url_line_show_the_same_query() {
    let mut app = app();
    // Type a query into the URL: it appears as rows of the Query tab, raw.
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("?api_key=EXAMPLE+key&page=1"));
    feed(&mut app, [key(KeyCode::Esc)]);
    let query = Tab::ALL.iter().position(|t| *t == Tab::Query).unwrap();
    feed(&mut app, (0..query).map(|_| ch('l')));
    let s = screen(&app, 160, 48);
    assert!(s.contains("URL page=1"), "{s}");
    assert!(s.contains(" Query 2 "), "{s}");
    // Editing a URL row rewrites that piece of the URL, and nothing else.
    feed(
        &mut app,
        [key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Enter)],
    );
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::UrlParamValue(1)
    );
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("2"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        app.draft().unwrap().url,
        "${BASE}/strict/v1/models?api_key=EXAMPLE+key&page=2"
    );
    // A table row is added after them and shows up, encoded, in the URL as sent.
    feed(&mut app, [ch('a')]);
    feed(&mut app, typed("q"));
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("a b"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.draft().unwrap().query, vec![Row::new("q", "a b")]);
    let s = screen(&app, 160, 48);
    // The editor wraps the long line: the URL as sent, with the key masked.
    assert!(
        s.contains("→ http://127.0.0.1:43210/strict/v1/models?api_key=•••• (11"),
        "{s}"
    );
    assert!(s.contains("chars)&page=2&q=a+b "), "{s}");
    // The key typed in the URL is masked on the URL line too.
    assert!(!s.contains("EXAMPLE+key"), "{s}");
    // A URL row cannot be disabled (it would no longer be in the URL); d removes it.
    feed(&mut app, [key(KeyCode::Up), key(KeyCode::Up), ch(' ')]);
    assert!(app.status.as_ref().unwrap().1.contains("d removes it"));
    feed(&mut app, [ch('d')]);
    assert_eq!(app.draft().unwrap().url, "${BASE}/strict/v1/models?page=2");
}

#[test]
fn p_pretty_prints_a_json_body_and_ctrl_z_takes_it_back() {
    use authlens::draft::Body;
    let mut app = app();
    let body = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    feed(&mut app, (0..body).map(|_| ch('l')));
    // No body yet → text; row 2 is the text itself.
    feed(
        &mut app,
        [key(KeyCode::Down), key(KeyCode::Enter), key(KeyCode::Down)],
    );
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed(r#"{"model":"x","n":1e3}"#));
    feed(&mut app, [key(KeyCode::Esc), ch('p')]);
    let text = |app: &authlens::tui::app::App| match &app.draft().unwrap().body {
        Body::Text { text, .. } => text.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(text(&app), "{\n  \"model\": \"x\",\n  \"n\": 1e3\n}");
    feed(&mut app, [ctrl('z')]);
    assert_eq!(text(&app), r#"{"model":"x","n":1e3}"#);
    // Not JSON: the reason and where, and the body left alone.
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed(","));
    feed(&mut app, [key(KeyCode::Esc), ch('p')]);
    let (level, note) = app.status.clone().unwrap();
    assert_eq!(level, authlens::tui::app::Level::Error);
    assert!(
        note.contains("not JSON") && note.contains("column"),
        "{note}"
    );
    assert_eq!(text(&app), r#"{"model":"x","n":1e3},"#);
}

fn go_to_tab(app: &mut authlens::tui::app::App, tab: Tab) {
    while app.editor.tab() != tab {
        feed(app, [ch('l')]);
    }
}

fn body_text(app: &authlens::tui::app::App) -> String {
    match &app.draft().unwrap().body {
        authlens::draft::Body::Text { text, .. } => text.clone(),
        other => panic!("not a text body: {other:?}"),
    }
}

#[test]
fn up_and_down_move_between_the_lines_of_the_body_keeping_the_column() {
    let mut app = app();
    go_to_tab(&mut app, Tab::Body);
    // No body → text; row 2 is the text itself.
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::Body);
    feed(&mut app, typed("abc"));
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("d"));
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("xyz"));
    // Up from column 3 passes the one-character line and comes back to column 3.
    feed(&mut app, [key(KeyCode::Up), key(KeyCode::Up)]);
    feed(&mut app, typed("!"));
    assert_eq!(body_text(&app), "abc!\nd\nxyz");
    feed(&mut app, [key(KeyCode::Down)]);
    feed(&mut app, typed("?"));
    assert_eq!(body_text(&app), "abc!\nd?\nxyz");
    // Still typing in the body: Up and Down did not leave the field or move the row.
    assert_eq!(app.editing.as_ref().unwrap().target, Target::Body);
    assert_eq!(app.editor.row, 2);
}

#[test]
fn the_footer_in_the_body_says_enter_is_a_new_line_and_esc_finishes() {
    let mut app = app();
    go_to_tab(&mut app, Tab::Body);
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    let s = screen(&app, 120, 40);
    let footer = s.lines().nth(39).unwrap();
    assert!(footer.contains("Enter  new line"), "{footer}");
    assert!(footer.contains("Esc  done with the body"), "{footer}");
    assert!(!footer.contains("Enter  done"), "{footer}");
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.editing.is_none());
    // In a one-line field Enter still finishes.
    feed(&mut app, [key(KeyCode::Up), key(KeyCode::Enter)]);
    let s = screen(&app, 120, 40);
    assert!(s.lines().nth(39).unwrap().contains("Enter  done"), "{s}");
}

#[test]
fn enter_after_a_new_rows_name_goes_on_to_its_value_so_letters_are_not_commands() {
    let mut app = app();
    let headers = app.draft().unwrap().headers.len();
    let finding = app.findings.len();
    feed(&mut app, [ch('a')]);
    feed(&mut app, typed("X-Trace"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::HeaderValue(headers)
    );
    // F (apply a fix), K (move a row up) and a (add a row) are text here.
    feed(&mut app, typed("FAKE-Ka"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.editing.is_none());
    let d = app.draft().unwrap();
    assert_eq!(d.headers.len(), headers + 1);
    assert_eq!(d.headers[headers], Row::new("X-Trace", "FAKE-Ka"));
    assert_eq!(
        d.headers[0].value, "bearer ${OPENAI_API_KEY}",
        "no fix applied"
    );
    assert_eq!(app.findings.len(), finding);

    // Query and variable rows too.
    go_to_tab(&mut app, Tab::Query);
    feed(&mut app, [ch('a')]);
    feed(&mut app, typed("page"));
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("2a"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.draft().unwrap().query, vec![Row::new("page", "2a")]);
    go_to_tab(&mut app, Tab::Vars);
    let vars = app.draft().unwrap().vars.len();
    feed(&mut app, [ch('a')]);
    feed(&mut app, typed("TRACE"));
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("FAKE-trace"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        app.draft().unwrap().vars[vars],
        ("TRACE".to_string(), "FAKE-trace".to_string())
    );

    // Esc after a name still stops there.
    feed(&mut app, [ch('n')]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::VarName(vars));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.editing.is_none());
}

#[test]
fn enter_after_a_text_parts_name_goes_on_to_its_text() {
    use authlens::draft::{Body, PartValue};
    let mut app = app();
    go_to_tab(&mut app, Tab::Body);
    feed(&mut app, [ch('a')]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::PartName(0));
    feed(&mut app, typed("model"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::PartValue(0));
    feed(&mut app, typed("tiny-FAKE"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let Body::Multipart { parts } = &app.draft().unwrap().body else {
        panic!("not multipart")
    };
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].name, "model");
    assert_eq!(
        parts[0].value,
        PartValue::Text {
            text: "tiny-FAKE".into()
        }
    );
}

#[test]
fn the_vars_tab_scrolls_to_the_lines_below_the_last_row() {
    let mut app = shadowed_app();
    update(&mut app, Msg::Resize(120, 40));
    let s = screen(&app, 120, 40);
    // The .env search is below the pane, and the pane says so.
    assert!(!s.contains("read, 1 key"), "{s}");
    assert!(s.contains("… 4 more lines (PgDn)"), "{s}");
    feed(&mut app, [key(KeyCode::PageDown)]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("/home/learner/proj/.env  read, 1 key"), "{s}");
    assert!(
        s.contains("/home/learner/proj/notebooks/.env  not there"),
        "{s}"
    );
    assert!(!s.contains("more line"), "nothing is cut any more:\n{s}");
    // More PgDn is no overshoot: one PgUp is back at the top.
    feed(
        &mut app,
        [key(KeyCode::PageDown), ctrl('d'), key(KeyCode::PageDown)],
    );
    feed(&mut app, [key(KeyCode::PageUp)]);
    let s = screen(&app, 120, 40);
    assert!(s.contains("request variables · a add"), "{s}");
    assert!(s.contains("… 4 more lines"), "{s}");
    // With the last row selected (here the URL: no variables), j scrolls on down.
    feed(&mut app, (0..4).map(|_| ch('j')));
    let s = screen(&app, 120, 40);
    assert!(s.contains("read, 1 key"), "{s}");
    assert_eq!(app.editor.row, 0);
    feed(&mut app, (0..4).map(|_| ch('k')));
    assert!(screen(&app, 120, 40).contains("… 4 more lines"));
    // The mouse wheel over the editor scrolls it too.
    use crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let wheel = Msg::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 60,
        row: 5,
        modifiers: KeyModifiers::NONE,
    });
    feed(&mut app, [wheel]);
    let s = screen(&app, 120, 40);
    assert!(!s.contains("request variables · a add"), "{s}");
    assert!(s.contains("… 2 more lines (PgDn)"), "{s}");
}

#[test]
fn the_selected_row_stays_in_view_when_the_pane_is_short() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    for i in 0..8 {
        feed(&mut app, [ch('a')]);
        feed(&mut app, typed(&format!("X-Row-{i}")));
        feed(&mut app, [key(KeyCode::Enter)]);
        feed(&mut app, typed("FAKE"));
        feed(&mut app, [key(KeyCode::Esc)]);
    }
    // The row just added is in view, the ones above it scrolled away.
    let s = screen(&app, 80, 24);
    assert!(s.contains("▶  [x] X-Row-7: FAKE"), "{s}");
    assert!(!s.contains("X-Row-0"), "{s}");
    feed(&mut app, (0..9).map(|_| ch('k')));
    let s = screen(&app, 80, 24);
    assert!(s.contains("┃▶   GET  ${BASE}"), "{s}");
    assert!(s.contains("X-Row-0: FAKE"), "{s}");
    assert!(s.contains("… 10 more lines (PgDn)"), "{s}");
    assert!(!s.contains("X-Row-7"), "{s}");
}

#[test]
fn an_invalid_header_name_is_marked_while_it_is_typed() {
    use ratatui::style::Color;
    let mut app = app();
    feed(&mut app, [ch('a')]);
    feed(&mut app, typed("X Bad"));
    let why = "✗ U+0020 (space) at column 2 is not allowed in a header name";
    let s = screen(&app, 120, 40);
    assert!(s.contains(why), "before Enter:\n{s}");
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("v"));
    feed(&mut app, [key(KeyCode::Esc)]);
    let buf = authlens::tui::ui::render_to_buffer(&app, 120, 40);
    let text = authlens::tui::ui::buffer_text(&buf);
    assert!(text.contains(why), "{text}");
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("X Bad: v"))
        .unwrap();
    let x = line[..line.find("X Bad").unwrap()].chars().count() as u16;
    assert_eq!(
        buf[(x, y as u16)].fg,
        Color::Red,
        "the name is in the error colour"
    );
    // Fixed, the mark goes; a variable in a name is left to the send, which resolves it.
    feed(&mut app, [ch('n'), key(KeyCode::Home), key(KeyCode::Right)]);
    feed(&mut app, [key(KeyCode::Delete)]);
    feed(&mut app, typed("-${HDR_SUFFIX}"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.draft().unwrap().headers[1].name, "X-${HDR_SUFFIX}Bad");
    let s = screen(&app, 120, 40);
    assert!(!s.contains("not allowed in a header name"), "{s}");
}

#[test]
fn a_custom_method_starts_empty_and_is_checked_as_it_is_typed() {
    let mut app = app();
    // The picker's last entry is "custom…".
    feed(&mut app, [ch('m'), ch('k'), key(KeyCode::Enter)]);
    let e = app.editing.as_ref().unwrap();
    assert_eq!((e.target, e.input.text.as_str()), (Target::Method, ""));
    feed(&mut app, typed("PROP FIND"));
    assert_eq!(app.draft().unwrap().method, "PROP FIND");
    let s = screen(&app, 120, 40);
    assert!(
        s.contains("✗ U+0020 (space) at column 5 is not allowed in a method"),
        "{s}"
    );
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("PROPFIND"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.draft().unwrap().method, "PROPFIND");
    assert!(!screen(&app, 120, 40).contains("not allowed in a method"));
    // Left empty, even after typing, the method stays what it was: never "". (The picker
    // opens on "custom…" for a custom method.)
    feed(&mut app, [ch('m'), key(KeyCode::Enter)]);
    assert_eq!(app.editing.as_ref().unwrap().input.text, "");
    feed(&mut app, typed("X"));
    feed(&mut app, [key(KeyCode::Backspace), key(KeyCode::Esc)]);
    assert_eq!(app.draft().unwrap().method, "PROPFIND");
}

#[test]
fn the_api_key_query_helper_is_shown_as_a_query_parameter() {
    let mut app = app();
    go_to_tab(&mut app, Tab::Auth);
    // none → Bearer → key in a header → key in the query
    feed(&mut app, [ch('t'), ch('t'), ch('t')]);
    assert!(matches!(
        app.draft().unwrap().auth,
        AuthHelper::ApiKeyQuery { .. }
    ));
    let s = screen(&app, 120, 40);
    assert!(s.contains("⚙  ?api_key=  [auth helper]"), "{s}");
    assert!(!s.contains("?api_key:"), "{s}");
}

#[test]
fn t_on_a_multipart_body_says_its_parts_are_dropped_and_ctrl_z_says_what_came_back() {
    use authlens::draft::Body;
    let mut app = app();
    go_to_tab(&mut app, Tab::Body);
    for name in ["a", "b"] {
        feed(&mut app, [ch('a')]);
        feed(&mut app, typed(name));
        feed(&mut app, [key(KeyCode::Enter)]);
        feed(&mut app, typed("FAKE"));
        feed(&mut app, [key(KeyCode::Esc)]);
    }
    feed(&mut app, [ch('t')]);
    assert_eq!(app.draft().unwrap().body, Body::None);
    let note = &app.status.as_ref().unwrap().1;
    assert!(
        note.contains("its 2 parts dropped; Ctrl+Z brings them back"),
        "{note}"
    );
    feed(&mut app, [ctrl('z')]);
    let Body::Multipart { parts } = &app.draft().unwrap().body else {
        panic!("not multipart")
    };
    assert_eq!(parts.len(), 2);
    let note = &app.status.as_ref().unwrap().1;
    assert_eq!(note, "taken back: no body → multipart body (2 parts)");
    // A text body's text is named too; an empty one goes without a word.
    feed(&mut app, [ch('t'), ch('t')]);
    assert!(matches!(app.draft().unwrap().body, Body::Text { .. }));
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, typed("{}"));
    feed(&mut app, [key(KeyCode::Esc), ch('t')]);
    let note = &app.status.as_ref().unwrap().1;
    assert!(
        note.contains("its text (2 bytes) dropped; Ctrl+Z brings it back"),
        "{note}"
    );
}

#[test]
fn a_dotenv_file_with_one_key_says_one_key() {
    let app = shadowed_app();
    let s = screen(&app, 160, 48);
    assert!(s.contains("/home/learner/proj/.env  read, 1 key "), "{s}");
    assert!(!s.contains("1 keys"), "{s}");
}
