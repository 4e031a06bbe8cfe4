//! `update` without a terminal or a runtime: editing, sending, cancelling, pasting, quitting.

mod tui_common;

use authlens::draft::{AuthHelper, PartField, Place, Row, RowRef, Side};
use authlens::tui::app::{Outcome, Overlay, Pane, Tab, Target};
use authlens::tui::msg::{Effect, Msg, SendFailure};
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
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Header(RowRef::Typed(0), Side::Value))
    );
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
    // Undoing the move, then the disable, says what came back.
    feed(&mut app, [ctrl('z'), ctrl('z')]);
    let note = &app.status.as_ref().unwrap().1;
    assert!(note.contains(r#"header 2 "Accept" enabled"#), "{note}");
}

#[test]
fn the_method_picker_sets_common_and_custom_methods() {
    let mut app = app();
    feed(&mut app, [ch('m'), ch('j'), key(KeyCode::Enter)]);
    assert_eq!(app.draft().unwrap().method, "POST");
    feed(&mut app, [ch('m'), ch('k'), ch('k'), key(KeyCode::Enter)]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Method)
    );
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
    // On to Basic (the key becomes the password), then none: that drop is said.
    feed(&mut app, [ch('t'), ch('t')]);
    assert!(matches!(
        &app.draft().unwrap().auth,
        AuthHelper::Basic { password, .. } if password == "${OPENAI_API_KEY}"
    ));
    feed(&mut app, [ch('t')]);
    assert_eq!(app.draft().unwrap().auth, AuthHelper::None);
    assert!(app.status.as_ref().unwrap().1.contains("password dropped"));
}

#[test]
fn pasting_curl_into_the_url_makes_a_new_draft() {
    let mut app = app();
    feed(&mut app, [ch('e')]);
    let n = app.entries.len();
    update(
        &mut app,
        // A terminal pastes each line break as CR, the key Enter sends.
        Msg::Paste(
            "curl 'http://h.example/x' \\\r  -H $'X-API-Key: EXAMPLE-key\\t' \\\r  -d 'a=1'".into(),
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
    // The key stays out, as a shell reference the command can still run with.
    assert!(
        text.starts_with("# set first: export OPENAI_API_KEY=…\ncurl -X GET"),
        "{text}"
    );
    assert!(
        !text.contains(authlens::practice::keys::BEARER_TOKEN),
        "{text}"
    );
    assert!(
        text.contains(r#"'Authorization: bearer '"${OPENAI_API_KEY}"''"#),
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
    update(&mut app, Msg::Resize(80, 24));
    deliver(&mut app, strict_401(authlens::practice::keys::BEARER_TOKEN));
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('/')]);
    feed(&mut app, typed("fix"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let status = &app.status.as_ref().unwrap().1;
    assert_eq!(status, "match on line 3", "pretty-printed: {{, detail, fix");
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert!(
        rows.iter().any(|r| r.contains(r#""fix": "Write exactly"#)),
        "{rows:#?}"
    );
}

/// The rows inside the exchange pane's border, where the pane spans the screen (below 100
/// columns), trailing spaces trimmed.
fn exchange_rows(s: &str) -> Vec<String> {
    s.lines()
        .skip_while(|l| !l.contains(" Exchange "))
        .skip(1)
        .take_while(|l| !l.starts_with(['┗', '╰']))
        .map(|l| {
            let l = l.trim_start_matches(['┃', '│']);
            l.trim_end_matches(['┃', '│']).trim_end().to_string()
        })
        .collect()
}

fn is_more_marker(row: &str) -> bool {
    row.starts_with("… ") && row.contains(" more line") && row.ends_with("(j/↓ to scroll)")
}

/// The first sample's 401 with the headers the practice server also sends after the challenge.
fn strict_401_full() -> authlens::exchange::Exchange {
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    ex.hops[0].response.headers.extend([
        ("content-length".to_string(), "78".to_string()),
        (
            "date".to_string(),
            "Mon, 01 Jan 2024 00:00:00 GMT".to_string(),
        ),
    ]);
    ex
}

/// A 401 whose body is `line 1` … `line {n}`, one a line.
fn with_numbered_body(n: usize) -> authlens::exchange::Exchange {
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    let body: String = (1..=n).map(|i| format!("line {i}\n")).collect();
    ex.hops[0].response.body = authlens::exchange::BodyPreview::from_bytes(body.into_bytes());
    ex
}

/// Presses j until the window stops moving, collecting every screen on the way.
fn scroll_through(app: &mut authlens::tui::app::App, w: u16, h: u16) -> String {
    let mut seen = screen(app, w, h);
    for _ in 0..200 {
        let before = app.exchange.scroll;
        feed(app, [ch('j')]);
        if app.exchange.scroll == before {
            return seen;
        }
        seen.push_str(&screen(app, w, h));
    }
    panic!("j never reached the end");
}

#[test]
fn at_80x24_every_line_of_the_exchange_is_reachable_and_what_is_cut_is_said() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    deliver(&mut app, strict_401_full());
    // Right after Ctrl+S (the editor keeps the focus) the whole request head shows, and the
    // last row says how much is below instead of cutting it silently.
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert!(
        rows.iter().any(|r| r.contains("host: 127.0.0.1:43210")),
        "{rows:#?}"
    );
    assert!(
        !rows.iter().any(|r| r.contains("wants Bearer")),
        "{rows:#?}"
    );
    let last = rows.iter().rev().find(|r| !r.is_empty()).unwrap();
    assert!(is_more_marker(last), "{rows:#?}");
    // In the pane, j walks down through the challenge, the headers after it and the body.
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    let seen = scroll_through(&mut app, 80, 24);
    for line in [
        "↳ wants Bearer · realm=",
        "content-length: 78",
        "date: Mon, 01",
        r#""fix""#,
    ] {
        assert!(seen.contains(line), "{line:?} never shown:\n{seen}");
    }
    // At the end nothing is cut below, and the head scrolled away is said above.
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert!(!rows.iter().any(|r| is_more_marker(r)), "{rows:#?}");
    assert_eq!(rows.last().unwrap(), "}", "{rows:#?}");
    assert!(
        rows[1].starts_with("… ") && rows[1].ends_with("above (k/↑ to scroll)"),
        "{rows:#?}"
    );
    feed(&mut app, [ch('g')]);
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert!(rows[1].starts_with("▲ request"), "{rows:#?}");
}

#[test]
fn at_120x40_the_wheel_brings_the_challenge_and_the_last_headers_into_view() {
    use crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let mut app = app();
    update(&mut app, Msg::Resize(120, 40));
    deliver(&mut app, strict_401_full());
    let first = screen(&app, 120, 40);
    assert!(first.contains("more lines (j/↓ to scroll)"), "{first}");
    let pane = authlens::tui::ui::layout::areas(&app).exchange;
    let wheel = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: pane.x + 5,
            row: pane.y + 3,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut seen = first;
    for _ in 0..10 {
        update(&mut app, wheel(MouseEventKind::ScrollDown));
        seen.push_str(&screen(&app, 120, 40));
    }
    for line in ["↳ wants Bearer", "content-length: 78", "date: Mon, 01", "}"] {
        assert!(seen.contains(line), "{line:?} never shown:\n{seen}");
    }
    let end = screen(&app, 120, 40);
    assert!(
        !end.contains("more lines (j/↓"),
        "the end is on screen:\n{end}"
    );
    for _ in 0..10 {
        update(&mut app, wheel(MouseEventKind::ScrollUp));
    }
    assert!(screen(&app, 120, 40).contains("▲ request · captured"));
}

#[test]
fn a_posts_content_length_and_body_bytes_can_be_scrolled_to() {
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    let r = &mut ex.hops[0].request;
    let head = "POST /strict/v1/models HTTP/1.1\r\nauthorization: bearer EXAMPLE\r\n\
                accept: */*\r\nhost: 127.0.0.1:43210\r\ncontent-type: application/json\r\n\
                content-length: 15\r\n\r\n";
    r.method = "POST".into();
    r.raw = format!("{head}{{\"a\":\"EXAMPLE\"}}").into_bytes();
    r.head_len = head.len();
    for (name, value) in [
        ("content-type", "application/json"),
        ("content-length", "15"),
    ] {
        r.headers.push(authlens::exchange::WireHeader {
            name: name.into(),
            value: value.into(),
            origin: authlens::exchange::Origin::Client,
        });
    }
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    deliver(&mut app, ex);
    let rows = exchange_rows(&screen(&app, 80, 24));
    let shown = |rows: &[String], s: &str| rows.iter().any(|r| r.contains(s));
    assert!(
        shown(&rows, "── body · 15 bytes as sent")
            || is_more_marker(rows.iter().rev().find(|r| !r.is_empty()).unwrap()),
        "either shown or said to be below: {rows:#?}"
    );
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    let seen = scroll_through(&mut app, 80, 24);
    assert!(seen.contains("client   │ content-length: 15"), "{seen}");
    assert!(seen.contains("── body · 15 bytes as sent"), "{seen}");
    assert!(
        seen.contains("  {\"a\":\"EXAMPLE\"}"),
        "the body as sent:\n{seen}"
    );
}

#[test]
fn g_shows_the_last_page_with_the_last_line_at_the_bottom() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    deliver(&mut app, with_numbered_body(100));
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('G')]);
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert_eq!(rows.last().unwrap(), "line 100", "{rows:#?}");
    assert!(
        rows.iter().all(|r| !r.is_empty()),
        "no blank rows: {rows:#?}"
    );
    let note = rows.iter().find(|r| r.starts_with("── body")).unwrap();
    assert!(note.contains("–100 of 100"), "{note}");
    // j at the end stays; k moves at once (the window was not parked past the end).
    feed(&mut app, [ch('j'), ch('k')]);
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert_eq!(
        rows.last().unwrap(),
        "… 2 more lines (j/↓ to scroll)",
        "{rows:#?}"
    );
    assert_eq!(rows[rows.len() - 2], "line 98", "{rows:#?}");
    // End and PgUp/PgDn scroll the same column; Home is the top of the request.
    feed(&mut app, [key(KeyCode::Home), key(KeyCode::PageDown)]);
    let paged = exchange_rows(&screen(&app, 80, 24));
    assert!(
        !paged.iter().any(|r| r.starts_with("▲ request")),
        "{paged:#?}"
    );
    feed(&mut app, [key(KeyCode::PageUp)]);
    assert!(exchange_rows(&screen(&app, 80, 24))[1].starts_with("▲ request"));
    feed(&mut app, [key(KeyCode::End)]);
    assert_eq!(
        exchange_rows(&screen(&app, 80, 24)).last().unwrap(),
        "line 100"
    );
}

#[test]
fn side_by_side_a_long_request_scrolls_while_a_short_response_stays_put() {
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    for i in 1..=40 {
        ex.hops[0]
            .request
            .headers
            .push(authlens::exchange::WireHeader {
                name: format!("x-extra-{i:02}"),
                value: "EXAMPLE".into(),
                origin: authlens::exchange::Origin::Client,
            });
    }
    let mut app = app();
    update(&mut app, Msg::Resize(200, 40));
    deliver(&mut app, ex);
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    let s = screen(&app, 200, 40);
    assert!(
        s.contains("more lines (j/↓ to scroll)") && !s.contains("x-extra-40"),
        "{s}"
    );
    feed(&mut app, [ch('G')]);
    let s = screen(&app, 200, 40);
    assert!(s.contains("x-extra-40: EXAMPLE"), "{s}");
    assert!(
        s.contains("▼ 401 Unauthorized") && s.contains("↳ wants Bearer"),
        "{s}"
    );
    assert!(!s.contains("more lines (j/↓"), "{s}");
}

#[test]
fn the_search_prompt_shows_what_is_typed_and_starts_empty() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    deliver(&mut app, with_numbered_body(100));
    let status_row =
        |app: &authlens::tui::app::App| screen(app, 80, 24).lines().nth(22).unwrap().to_string();
    let match_line = |app: &authlens::tui::app::App| app.status.as_ref().unwrap().1.clone();
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('/')]);
    assert!(
        status_row(&app).starts_with("/  search the body"),
        "{}",
        status_row(&app)
    );
    feed(&mut app, typed("line 9"));
    assert!(
        status_row(&app).starts_with("/line 9 "),
        "{}",
        status_row(&app)
    );
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(match_line(&app), "match on line 9");
    // A second search starts empty: it is not appended to the first.
    feed(&mut app, [ch('/')]);
    let prompt = status_row(&app);
    assert!(
        prompt.starts_with(r#"/  Enter: "line 9" again"#),
        "{prompt}"
    );
    feed(&mut app, typed("line 1"));
    assert!(
        status_row(&app).starts_with("/line 1 "),
        "{}",
        status_row(&app)
    );
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(match_line(&app), "match on line 10", "forward from line 9");
    assert!(
        exchange_rows(&screen(&app, 80, 24))
            .iter()
            .any(|r| r == "line 10")
    );
    // n goes on; `/` then Enter alone searches the last query again.
    feed(&mut app, [ch('n')]);
    assert_eq!(match_line(&app), "match on line 11");
    feed(&mut app, [ch('/'), key(KeyCode::Enter)]);
    assert_eq!(match_line(&app), "match on line 12");
    // Esc drops a query being typed and keeps the last one.
    feed(&mut app, [ch('/')]);
    feed(&mut app, typed("zzz"));
    feed(&mut app, [key(KeyCode::Esc), ch('n')]);
    assert_eq!(match_line(&app), "match on line 13");
    // Near the end the window cannot put a match at the top; n still goes on past it.
    feed(&mut app, [ch('/')]);
    feed(&mut app, typed("line 9"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(match_line(&app), "match on line 90");
    feed(&mut app, [ch('n'), ch('n')]);
    assert_eq!(match_line(&app), "match on line 92");
    assert!(
        exchange_rows(&screen(&app, 80, 24))
            .iter()
            .any(|r| r == "line 92")
    );
}

/// `İẞ` lower-cases to as many bytes, but `ß` moves into the middle of `ẞ`: searching for it
/// once took the TUI down (and the drafts typed since the last save with it).
#[test]
fn searching_for_a_letter_whose_lower_case_is_shorter_finds_it_and_draws() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    let body = "first line\nİẞ EXAMPLE straße\n";
    ex.hops[0].response.body =
        authlens::exchange::BodyPreview::from_bytes(body.as_bytes().to_vec());
    deliver(&mut app, ex);
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('/')]);
    feed(&mut app, typed("ß"));
    // Highlighted while typed, on a screen tall enough to show the line: the frame draws.
    let rows = exchange_rows(&screen(&app, 80, 40));
    assert!(rows.iter().any(|r| r == "İẞ EXAMPLE straße"), "{rows:#?}");
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.status.as_ref().unwrap().1, "match on line 2");
    let rows = exchange_rows(&screen(&app, 80, 24));
    assert!(rows.iter().any(|r| r == "İẞ EXAMPLE straße"), "{rows:#?}");
}

/// A 401 whose body is `line 1` … `line {n}` and larger than what is searched inline.
fn with_big_numbered_body(n: usize) -> authlens::exchange::Exchange {
    let ex = with_numbered_body(n);
    assert!(ex.hops[0].response.body.bytes.len() > authlens::tui::search::INLINE_MAX);
    ex
}

/// `/` in a large body does not search on the event loop: it asks for a search and jumps when
/// the answer comes; a newer search supersedes an older one, whose answer is then ignored.
#[test]
fn a_large_body_is_searched_off_the_event_loop_and_the_newest_search_wins() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    deliver(&mut app, with_big_numbered_body(100_000));
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab), ch('/')]);
    feed(&mut app, typed("line 99999"));
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::Search(first)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let status = &app.status.as_ref().unwrap().1;
    assert!(
        status.starts_with("searching the body (1.0 MiB) for \"line 99999\""),
        "{status}"
    );
    assert_eq!(app.exchange.scroll, 0, "nothing moves before the answer");
    // A newer query before the answer: the first search's answer is not applied.
    feed(&mut app, [ch('/')]);
    feed(&mut app, typed("line 7"));
    let effects = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::Search(second)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let superseded = || true;
    assert!(first.run(superseded).is_err(), "a superseded search stops");
    let line = first.run(|| false).unwrap();
    assert_eq!(line, Some(99_998));
    feed(&mut app, [Msg::SearchDone { id: first.id, line }]);
    assert_eq!(app.exchange.found, None);
    let line = second.run(|| false).unwrap();
    feed(
        &mut app,
        [Msg::SearchDone {
            id: second.id,
            line,
        }],
    );
    assert_eq!(app.status.as_ref().unwrap().1, "match on line 7");
    assert!(
        exchange_rows(&screen(&app, 80, 24))
            .iter()
            .any(|r| r == "line 7"),
        "scrolled to it"
    );
    // n goes on from there, off the loop too; leaving the hop drops the wait.
    let effects = feed(&mut app, [ch('n')]);
    let [Effect::Search(next)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(next.run(|| false).unwrap(), Some(69));
    feed(&mut app, [ch('[')]);
    feed(
        &mut app,
        [Msg::SearchDone {
            id: next.id,
            line: Some(69),
        }],
    );
    assert_eq!(app.exchange.found, None);
}

/// `Y` on a large body hands the copy to the runtime to make off the event loop; what it
/// copies is masked as a small body's copy is, unless secrets are revealed.
#[test]
fn copying_a_large_body_is_made_off_the_loop_and_masked() {
    let token = authlens::practice::keys::BEARER_TOKEN;
    let mut app = app();
    let mut ex = with_big_numbered_body(100_000);
    let mut body = ex.hops[0].response.body.bytes.clone();
    body.extend_from_slice(format!("echoed: Bearer {token}\n").as_bytes());
    ex.hops[0].response.body = authlens::exchange::BodyPreview::from_bytes(body);
    deliver(&mut app, ex);
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    let effects = feed(&mut app, [ch('Y')]);
    let [Effect::CopyBody(job)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let text = job.text();
    assert!(text.starts_with("line 1\nline 2\n"));
    assert!(
        !text.contains(token) && text.contains("echoed: Bearer sk-au…"),
        "masked"
    );
    let effects = feed(&mut app, [ch('r'), ch('Y')]);
    let [Effect::CopyBody(job)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert!(job.text().ends_with(&format!("echoed: Bearer {token}\n")));
}

#[test]
fn the_help_stops_at_its_end() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    feed(&mut app, [ch('?')]);
    let top = screen(&app, 80, 24);
    assert!(top.contains("more lines (j/↓ to scroll)"), "{top}");
    feed(&mut app, (0..500).map(|_| ch('j')));
    let end = screen(&app, 80, 24);
    let rows: Vec<&str> = end.lines().collect();
    // The box's last row inside the border is the help's last line, not blank space.
    assert!(rows[21].contains("request, wheel scrolls."), "{end}");
    assert!(!end.contains("more lines (j/↓"), "{end}");
    // One k moves at once: the scroll was not parked far past the end.
    feed(&mut app, [ch('k')]);
    let up = screen(&app, 80, 24);
    assert_ne!(up, end);
    assert!(up.contains("1 more line (j/↓ to scroll)"), "{up}");
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
    assert!(
        status
            .contains(r#"Authorization: "bearer ${OPENAI_API_KEY}" → "Bearer ${OPENAI_API_KEY}""#),
        "{status}"
    );
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
    let ids: Vec<&str> = app.findings.iter().map(|f| f.id.as_str()).collect();
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
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Body)
    );
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
        Target::Draft(Place::Part(0, PartField::Filename))
    );
    feed(&mut app, typed("page-1.png"));
    feed(&mut app, [key(KeyCode::Enter), ch('T')]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Part(0, PartField::ContentType))
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
        (
            Target::Draft(Place::Part(0, PartField::Value)),
            "/tmp/EXAMPLE-sc"
        )
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
            target: Target::Draft(Place::Part(0, PartField::Value)),
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
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Url)
    );
    assert!(update(&mut app, key(KeyCode::Tab)).is_empty());
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Url)
    );
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
        Target::Draft(Place::UrlParam(1, Side::Value))
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

#[test]
fn history_keeps_what_was_sent_and_edits_go_to_a_copy() {
    use authlens::tui::app::EntryKind;
    let mut app = app();
    deliver(&mut app, strict_401("bearer EXAMPLE-token"));
    let h = app
        .entries
        .iter()
        .position(|e| e.kind == EntryKind::History)
        .expect("a history entry");
    authlens::tui::update::select(&mut app, h);
    let sent = app.draft().unwrap().clone();
    // Typing into its URL: the history entry is untouched, the copy takes the edit.
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("?page=2"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.entries[h].draft, sent);
    assert_eq!(app.selected, app.entries.len() - 1);
    assert_eq!(app.entry().unwrap().kind, EntryKind::Yours);
    assert_eq!(app.draft().unwrap().url, format!("{}?page=2", sent.url));
    // A fix from history lands on a copy, and Ctrl+Z there goes back to what was sent.
    authlens::tui::update::select(&mut app, h);
    let n = app.entries.len();
    feed(&mut app, [ch('F')]);
    assert_eq!(app.entries.len(), n + 1);
    assert_eq!(app.entries[h].draft, sent);
    assert_ne!(app.draft().unwrap(), &sent);
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.draft().unwrap(), &sent);
    // A send from history works on a copy too.
    let n = app.entries.len();
    authlens::tui::update::select(&mut app, h);
    let effects = update(&mut app, ctrl('s'));
    assert!(matches!(&effects[..], [Effect::Send { .. }]), "{effects:?}");
    assert_eq!(app.entries.len(), n + 1);
    assert_eq!(app.inflight.as_ref().unwrap().entry, n);
    assert_eq!(app.entries[h].draft, sent);
}

#[test]
fn a_long_message_keeps_its_end_and_the_server_label_gives_way() {
    let mut app = app();
    let path = "/home/learner/.local/share/authlens/session.corrupt-4242.json";
    app.status = Some((
        authlens::tui::app::Level::Error,
        format!(
            "the saved session did not load (expected value at line 1 column 1); it was moved to {path}"
        ),
    ));
    let s = screen(&app, 80, 24);
    let line = s.lines().nth(22).unwrap();
    assert!(line.contains("session.corrupt-4242.json"), "{line}");
    assert!(!line.contains("practice server"), "{line}");
}

#[test]
fn ctrl_c_at_the_quit_question_quits() {
    let mut app = app();
    feed(&mut app, [ctrl('s')]);
    feed(&mut app, [ctrl('c')]);
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    assert!(!app.quit);
    feed(&mut app, [ctrl('c')]);
    assert!(app.quit);
}

#[test]
fn r_resets_an_edited_sample_and_ctrl_z_takes_it_back() {
    let mut app = app();
    let shipped = app.draft().unwrap().clone();
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("/edited"));
    feed(&mut app, [key(KeyCode::Esc)]);
    let edited = app.draft().unwrap().clone();
    assert_ne!(edited, shipped);
    update(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.focus, Pane::List);
    feed(&mut app, [ch('R')]);
    assert_eq!(
        app.draft().unwrap(),
        &shipped,
        "practice variables kept, edits gone"
    );
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.draft().unwrap(), &edited);
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
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Body)
    );
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
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Body)
    );
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
        Target::Draft(Place::Header(RowRef::Typed(headers), Side::Value))
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
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Var(vars, Side::Name))
    );
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.editing.is_none());
}

#[test]
fn enter_after_a_text_parts_name_goes_on_to_its_text() {
    use authlens::draft::{Body, PartValue};
    let mut app = app();
    go_to_tab(&mut app, Tab::Body);
    feed(&mut app, [ch('a')]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Part(0, PartField::Name))
    );
    feed(&mut app, typed("model"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Part(0, PartField::Value))
    );
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
    // Below the rows: the program setting (3 lines), then the .env search.
    assert!(s.contains("… 7 more lines (PgDn)"), "{s}");
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
    assert!(s.contains("… 7 more lines"), "{s}");
    // With the last row selected (here the URL: no variables), j scrolls on down.
    feed(&mut app, (0..7).map(|_| ch('j')));
    let s = screen(&app, 120, 40);
    assert!(s.contains("read, 1 key"), "{s}");
    assert_eq!(app.editor.row, 0);
    feed(&mut app, (0..7).map(|_| ch('k')));
    assert!(screen(&app, 120, 40).contains("… 7 more lines"));
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
    assert!(s.contains("… 4 more lines (PgDn)"), "{s}");
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

/// A body of thousands of lines is drawn a window at a time (only the lines on screen are
/// built): it still scrolls to its end and the lesson below it, counts what is cut, and
/// follows the cursor while it is typed in.
#[test]
fn a_long_body_scrolls_to_its_end_and_follows_the_cursor() {
    let mut app = app();
    update(&mut app, Msg::Resize(160, 48));
    let rows: Vec<String> = (1..=3000).map(|i| format!("row {i} EXAMPLE")).collect();
    app.draft_mut().unwrap().body = authlens::draft::Body::Text {
        content_type: None,
        text: rows.join("\n"),
    };
    go_to_tab(&mut app, Tab::Body);
    let s = screen(&app, 160, 48);
    assert!(s.contains("row 1 EXAMPLE"), "{s}");
    // The editor's marker: `… N more lines (PgDn)`.
    let cut = |s: &str| -> Option<usize> {
        let end = s.find(" more lines (PgDn)")?;
        s[..end].rsplit("… ").next()?.parse().ok()
    };
    let first = cut(&s).expect("a marker of the lines cut");
    assert!(first > 2900, "{s}");
    // PgDn goes on down; the marker counts down to the end: the last row, then the lesson.
    let mut last = first;
    for _ in 0..1000 {
        feed(&mut app, [key(KeyCode::PageDown)]);
        match cut(&screen(&app, 160, 48)) {
            Some(n) => {
                assert!(n < last, "{n} after {last}");
                last = n;
            }
            None => break,
        }
    }
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("row 3000 EXAMPLE") || s.contains("lesson:"),
        "{s}"
    );
    assert!(s.contains("lesson:"), "{s}");
    // Typing at the end of the body: the window follows the cursor to the last row.
    feed(&mut app, [key(KeyCode::PageUp)]);
    app.editor.row = 2;
    feed(&mut app, [key(KeyCode::Enter)]);
    feed(&mut app, typed("!"));
    let s = screen(&app, 160, 48);
    assert!(s.contains("row 3000 EXAMPLE!"), "{s}");
    assert!(!s.contains("row 2000 EXAMPLE"), "{s}");
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
    assert_eq!(
        (e.target, e.input.text.as_str()),
        (Target::Draft(Place::Method), "")
    );
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

#[test]
fn going_to_a_finding_about_the_response_scrolls_the_exchange_to_it() {
    use authlens::rules::Anchor;
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    // A 403 for a missing scope: the finding is about the response's status.
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    let r = &mut ex.hops[0].response;
    (r.status, r.reason) = (403, "Forbidden".into());
    r.headers = vec![
        ("content-type".into(), "application/json".into()),
        (
            "www-authenticate".into(),
            r#"Bearer error="insufficient_scope", scope="admin""#.into(),
        ),
    ];
    deliver(&mut app, ex);
    let i = app
        .findings
        .iter()
        .position(|f| f.anchor == Anchor::ResponseStatus)
        .unwrap_or_else(|| {
            panic!(
                "{:?}",
                app.findings.iter().map(|f| f.id).collect::<Vec<_>>()
            )
        });
    app.finding_sel = i;
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Findings);
    update(&mut app, key(KeyCode::Enter));
    assert_eq!(app.focus, Pane::Exchange);
    assert!(app.exchange.scroll > 0, "scrolled past the request head");
    let rows = exchange_rows(&screen(&app, 80, 24));
    // Under the hop bar and the "lines above" marker, the status is the first line shown.
    let first = rows.iter().skip(1).find(|r| !r.starts_with('…'));
    assert!(
        first.is_some_and(|r| r.contains("▼ 403 Forbidden")),
        "{rows:#?}"
    );
}

#[test]
fn a_variable_keeps_its_colour_while_the_url_is_typed() {
    use ratatui::style::{Color, Modifier};
    let mut app = app();
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("?k=${NOT_SET_ANYWHERE}"));
    let buf = authlens::tui::ui::render_to_buffer(&app, 160, 48);
    let text = authlens::tui::ui::buffer_text(&buf);
    let (row, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("${NOT_SET_ANYWHERE}"))
        .unwrap();
    let x = line[..line.find("${NOT_SET").unwrap()].chars().count() as u16;
    let cell = &buf[(x + 2, row as u16)];
    assert!(
        cell.modifier.contains(Modifier::UNDERLINED),
        "still a field"
    );
    let base = &buf[(x - 3, row as u16)];
    assert_ne!(
        cell.fg, base.fg,
        "the unresolved reference has its own colour"
    );
    assert_ne!(cell.fg, Color::Reset);
}

#[test]
fn a_key_typed_in_the_url_stays_out_of_names_messages_and_the_session() {
    let mut app = app();
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("?api_key=EXAMPLE-FAKE-LITERAL&page=1"));
    feed(&mut app, [key(KeyCode::Esc)]);
    deliver(&mut app, strict_401("EXAMPLE-FAKE-LITERAL"));
    let h = app.entries.len() - 1;
    authlens::tui::update::select(&mut app, h);
    // Editing the history entry makes a copy named after its URL.
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("2"));
    feed(&mut app, [key(KeyCode::Esc)]);
    // Removing the parameter and taking it back: the message names the URL.
    let query = Tab::ALL.iter().position(|t| *t == Tab::Query).unwrap();
    feed(&mut app, (0..query).map(|_| ch('l')));
    feed(&mut app, [key(KeyCode::Down), ch('d'), ctrl('z')]);
    let note = app.status.clone().unwrap().1;
    assert!(note.contains("taken back"), "{note}");
    let s = screen(&app, 80, 24) + &screen(&app, 200, 60);
    let names: Vec<String> = app.entries.iter().map(|e| e.name.clone()).collect();
    // Quitting asks about the typed key (masked), and `d` saves the drafts without it.
    feed(&mut app, [ch('q')]);
    let question = screen(&app, 80, 24) + &screen(&app, 200, 60);
    assert!(question.contains("URL parameter api_key"), "{question}");
    let Some(Effect::Save(json)) = update(&mut app, ch('d')).pop() else {
        panic!("no save")
    };
    for (what, text) in [
        ("screen", s.as_str()),
        ("question", question.as_str()),
        ("message", note.as_str()),
        ("session", &json),
    ] {
        assert!(!text.contains("EXAMPLE-FAKE-LITERAL"), "{what}: {text}");
    }
    assert!(
        names.iter().all(|n| !n.contains("EXAMPLE-FAKE-LITERAL")),
        "{names:?}"
    );
}

#[test]
fn ctrl_z_after_a_finished_field_edit_takes_that_edit_back_first() {
    let mut app = app();
    let original = app.draft().unwrap().url.clone();
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("/v2"));
    feed(&mut app, [key(KeyCode::Esc)]);
    // Then a change outside a field: disabling the header row.
    feed(&mut app, [key(KeyCode::Down), ch(' ')]);
    assert!(!app.draft().unwrap().headers[0].enabled);
    feed(&mut app, [ctrl('z')]);
    assert!(app.draft().unwrap().headers[0].enabled);
    assert_eq!(app.draft().unwrap().url, format!("{original}/v2"));
    // The typed edit is the next step back, whole.
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.draft().unwrap().url, original);
    assert!(app.status.as_ref().unwrap().1.contains("taken back: URL"));
}

/// Ctrl+Z steps keep what a change replaced: edits beside (and in) a 1 MiB body hold bytes,
/// not a copy of the body each, and still take back exactly.
#[test]
fn undo_steps_beside_a_1_mib_body_hold_what_changed_not_the_body() {
    let mut app = app();
    let body = "{\"EXAMPLE\": \"FAKE row\"},\n".repeat((1 << 20) / 24);
    app.draft_mut().unwrap().body = authlens::draft::Body::Text {
        content_type: None,
        text: body.clone(),
    };
    feed(&mut app, [key(KeyCode::Down)]);
    for _ in 0..60 {
        feed(&mut app, [key(KeyCode::Enter)]);
        feed(&mut app, typed("x"));
        feed(&mut app, [key(KeyCode::Esc)]);
    }
    let value = app.draft().unwrap().headers[0].value.clone();
    assert!(value.ends_with(&"x".repeat(60)), "{value}");
    let held = authlens::tui::undo::held_bytes(&app.undo);
    assert!(held < 64 << 10, "{held} bytes for 50 header edits");
    // One character typed into the body is one small step too.
    let body_tab = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    app.editor.tab_index = body_tab;
    app.editor.row = 2;
    feed(&mut app, [key(KeyCode::Enter), key(KeyCode::Up)]);
    feed(&mut app, typed("ü"));
    feed(&mut app, [key(KeyCode::Esc)]);
    let held = authlens::tui::undo::held_bytes(&app.undo);
    assert!(held < 64 << 10, "{held} bytes after a body edit");
    feed(&mut app, [ctrl('z')]);
    let authlens::draft::Body::Text { text, .. } = &app.draft().unwrap().body else {
        panic!("a text body")
    };
    assert!(*text == body, "the body as it was");
    feed(&mut app, [ctrl('z')]);
    assert_eq!(
        app.draft().unwrap().headers[0].value,
        value[..value.len() - 1]
    );
    let note = &app.status.as_ref().unwrap().1;
    assert!(note.starts_with("taken back: Authorization:"), "{note}");
}

/// Derived state (variables, the resolved draft, the findings) is computed once per change:
/// a tick, a key release, moving around and scrolling recompute none of it.
#[test]
fn messages_that_change_nothing_recompute_nothing() {
    use crossterm::event::{KeyEvent, KeyEventKind, KeyModifiers};
    let mut app = app();
    deliver(&mut app, with_numbered_body(200));
    let before = app.derivations();
    let release = KeyEvent::new_with_kind(
        KeyCode::Char('j'),
        KeyModifiers::NONE,
        KeyEventKind::Release,
    );
    feed(&mut app, [Msg::Tick, Msg::Key(release), Msg::Tick]);
    // j/k and tabs in the editor, then the exchange scrolled and paged.
    feed(
        &mut app,
        [key(KeyCode::Down), key(KeyCode::Up), ch('l'), ch('h')],
    );
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    feed(
        &mut app,
        [
            ch('j'),
            ch('j'),
            key(KeyCode::PageDown),
            ch('k'),
            ch('G'),
            ch('g'),
        ],
    );
    assert_eq!(app.focus, Pane::Exchange);
    assert_eq!(app.derivations(), before);
    // A key typed in the URL resolves and lints again, and keeps the variables.
    feed(
        &mut app,
        [
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            ch('e'),
            ch('x'),
        ],
    );
    let after = app.derivations();
    assert_eq!(after.vars, before.vars);
    assert_eq!(after.resolved, before.resolved + 1);
    assert_eq!(after.findings, before.findings + 1);
    assert!(
        app.resolved
            .as_ref()
            .unwrap()
            .url
            .text
            .ends_with("/strict/v1/modelsx")
    );
}

/// The lint reads the clock (a JWT's `exp`): a tick in a new second lints again, so a token
/// that expires while the request is in flight is flagged without a key pressed.
#[test]
fn a_token_that_expires_is_flagged_on_the_next_tick() {
    let mut app = app();
    let fresh = app
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("jwt-valid"))
        .unwrap();
    authlens::tui::update::select(&mut app, fresh);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    app.unix_now = Some(now);
    feed(&mut app, [Msg::Tick]);
    let expired =
        |app: &authlens::tui::app::App| app.findings.iter().any(|f| f.id == "jwt-expired");
    assert!(!expired(&app));
    let linted = app.derivations().findings;
    feed(&mut app, [Msg::Tick, Msg::Tick]);
    assert_eq!(
        app.derivations().findings,
        linted,
        "the same second: no lint"
    );
    app.unix_now = Some(now + 30 * 24 * 3600);
    feed(&mut app, [Msg::Tick]);
    assert!(expired(&app), "{:?}", app.findings);
    assert_eq!(app.derivations().findings, linted + 1);
}

/// A POST whose text body is about 1 MiB of JSON: large enough to be linted off the loop.
fn big_body_entry() -> authlens::tui::app::Entry {
    big_body_entry_at("http://127.0.0.1:43210/v1/items")
}

fn big_body_entry_at(url: &str) -> authlens::tui::app::Entry {
    let mut draft = authlens::draft::Draft::new("POST", url)
        .header("Authorization", "Bearer ${OPENAI_API_KEY}");
    draft.vars = vec![("OPENAI_API_KEY".into(), "sk-EXAMPLE-FAKE-0000".into())];
    draft.body = authlens::draft::Body::Text {
        content_type: Some("application/json".into()),
        text: format!(
            "[{}{{}}]",
            "{\"EXAMPLE\": \"FAKE row\"},\n".repeat((1 << 20) / 24)
        ),
    };
    authlens::tui::app::Entry {
        name: "1 MiB upload".into(),
        lesson: None,
        kind: authlens::tui::app::EntryKind::Yours,
        sample_id: None,
        draft,
        outcome: None,
    }
}

/// Typing in a 1 MiB body does not lint it on the event loop: each key asks for the newest
/// lint, which the runtime runs off the loop; what was found stays on screen meanwhile, and
/// an answer lands only if it is newer than what is shown.
#[test]
fn a_large_draft_is_linted_off_the_event_loop_newest_first() {
    let mut app = app();
    app.entries.insert(1, big_body_entry());
    // Selecting it asks; until the answer the panes say they are checking.
    let effects = feed(&mut app, [key(KeyCode::BackTab), key(KeyCode::Down)]);
    let jobs: Vec<_> = effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Derive(job) => Some(job),
            _ => None,
        })
        .collect();
    let [first] = &jobs[..] else {
        panic!("{jobs:?}")
    };
    assert!(app.deriving() && app.findings.is_empty());
    let s = screen(&app, 160, 48);
    assert!(s.contains("checking this request…"), "{s}");
    assert!(s.contains("… resolving the variables"), "{s}");
    feed(&mut app, [Msg::Derived(Box::new(first.clone().run()))]);
    assert!(!app.deriving());
    let s = screen(&app, 160, 48);
    assert!(s.contains("→ http://127.0.0.1:43210/v1/items"), "{s}");
    // Keys typed at the end of the body: a job each, and no lint on the loop.
    let body_tab = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    app.editor.tab_index = body_tab;
    app.editor.row = 2;
    feed(&mut app, [key(KeyCode::Enter), key(KeyCode::Enter)]);
    assert_eq!(
        app.editing.as_ref().unwrap().target,
        Target::Draft(Place::Body)
    );
    let linted = app.derivations().findings;
    let mut jobs = Vec::new();
    for text in ["${EXAMPLE_UNSET", "}"] {
        for e in feed(&mut app, typed(text)) {
            if let Effect::Derive(job) = e {
                jobs.push(job);
            }
        }
    }
    assert_eq!(jobs.len(), 16);
    assert_eq!(
        app.derivations().findings,
        linted,
        "nothing linted on the loop"
    );
    // An older answer still replaces what is shown; the newest ends the wait.
    let older = jobs[14].clone().run();
    let newest = jobs[15].clone().run();
    feed(&mut app, [Msg::Derived(Box::new(newest))]);
    assert!(!app.deriving());
    let s = screen(&app, 160, 48);
    assert!(s.contains("✗ not set: EXAMPLE_UNSET"), "{s}");
    feed(&mut app, [Msg::Derived(Box::new(older))]);
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("✗ not set: EXAMPLE_UNSET"),
        "an older answer is not taken"
    );
    assert!(!app.deriving());
}

/// After a request is deleted, the next one sits at its index: an answer about the deleted
/// one arriving late is not shown as the next one's.
#[test]
fn a_late_answer_about_a_deleted_request_is_not_shown_for_the_next() {
    fn jobs(effects: Vec<Effect>) -> Vec<authlens::tui::app::DeriveJob> {
        effects
            .into_iter()
            .filter_map(|e| match e {
                Effect::Derive(job) => Some(*job),
                _ => None,
            })
            .collect()
    }
    let mut app = app();
    app.entries
        .insert(1, big_body_entry_at("http://127.0.0.1:43210/v1/first"));
    app.entries
        .insert(2, big_body_entry_at("http://127.0.0.1:43210/v1/second"));
    let [first] = &jobs(feed(&mut app, [key(KeyCode::BackTab), key(KeyCode::Down)]))[..] else {
        panic!("one job")
    };
    let [second] = &jobs(feed(&mut app, [ch('d')]))[..] else {
        panic!("one job for the request now selected")
    };
    assert_eq!(app.entry().unwrap().name, "1 MiB upload");
    assert_eq!(app.draft().unwrap().url, "http://127.0.0.1:43210/v1/second");
    feed(&mut app, [Msg::Derived(Box::new(first.clone().run()))]);
    assert!(
        app.deriving() && app.resolved.is_none(),
        "the deleted one's answer is dropped"
    );
    feed(&mut app, [Msg::Derived(Box::new(second.clone().run()))]);
    let s = screen(&app, 160, 48);
    assert!(s.contains("→ http://127.0.0.1:43210/v1/second"), "{s}");
}

/// `d` in the list deletes at once and says Ctrl+Z brings it back; Ctrl+Z puts the request
/// back where it was, with its draft and its own undo steps, and leaves the neighbour that
/// took its place alone.
#[test]
fn ctrl_z_brings_a_deleted_request_back_where_it_was() {
    let mut app = app();
    let mine = |url: &str| authlens::tui::app::Entry {
        name: url.into(),
        lesson: None,
        kind: authlens::tui::app::EntryKind::Yours,
        sample_id: None,
        draft: authlens::draft::Draft::new("GET", url),
        outcome: None,
    };
    app.entries
        .insert(1, mine("https://api.example.test/EXAMPLE-one"));
    app.entries
        .insert(2, mine("https://api.example.test/EXAMPLE-two"));
    let n = app.entries.len();
    // An edit to the first, kept on the undo stack, then the delete.
    feed(&mut app, [key(KeyCode::BackTab), key(KeyCode::Down)]);
    feed(&mut app, [key(KeyCode::Enter), ch('e')]);
    feed(&mut app, typed("/edited"));
    feed(
        &mut app,
        [key(KeyCode::Esc), key(KeyCode::BackTab), ch('d')],
    );
    assert_eq!(app.entries.len(), n - 1);
    assert_eq!(
        app.draft().unwrap().url,
        "https://api.example.test/EXAMPLE-two"
    );
    let note = &app.status.as_ref().unwrap().1;
    assert!(note.contains("Ctrl+Z brings it back"), "{note}");
    // Ctrl+Z: back at index 1, selected, edited as it was; the neighbour is untouched.
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.entries.len(), n);
    assert_eq!(app.selected, 1);
    assert_eq!(
        app.draft().unwrap().url,
        "https://api.example.test/EXAMPLE-one/edited"
    );
    assert_eq!(
        app.entries[2].draft.url,
        "https://api.example.test/EXAMPLE-two"
    );
    assert!(app.status.as_ref().unwrap().1.starts_with("brought back"));
    // Its own earlier edit can be taken back too, on it and not on the neighbour.
    feed(&mut app, [ctrl('z')]);
    assert_eq!(
        app.draft().unwrap().url,
        "https://api.example.test/EXAMPLE-one"
    );
    assert_eq!(
        app.entries[2].draft.url,
        "https://api.example.test/EXAMPLE-two"
    );
    feed(&mut app, [ctrl('z')]);
    assert_eq!(app.status.as_ref().unwrap().1, "nothing to take back");
}

/// The `?` help says what `d` does in the list and that Ctrl+Z takes a delete back.
#[test]
fn the_help_says_a_deleted_request_comes_back_with_ctrl_z() {
    let help: Vec<String> = authlens::tui::ui::overlay::help_lines()
        .iter()
        .map(|l| l.to_string())
        .collect();
    let list = help.iter().position(|l| l == "Request list").unwrap();
    let d = help[list..]
        .iter()
        .find(|l| l.trim_start().starts_with("d "))
        .unwrap();
    assert!(d.contains("^Z brings it back"), "{d}");
    assert!(
        help.iter()
            .any(|l| l.contains("^Z") && l.contains("deleted row or request")),
        "{help:#?}"
    );
}

#[test]
fn a_copy_of_a_sample_follows_the_practice_server_to_its_next_port() {
    use authlens::tui::app::{EntryKind, EnvSnapshot, Server};
    use authlens::tui::session;
    let mut app = app();
    deliver(&mut app, strict_401("EXAMPLE-token"));
    let h = app.entries.len() - 1;
    authlens::tui::update::select(&mut app, h);
    feed(&mut app, [ch('e')]);
    feed(&mut app, typed("?page=2"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.entry().unwrap().kind, EntryKind::Yours);
    // Saved, then restored by a run whose practice server has another port.
    let saved: session::SessionFile = serde_json::from_str(&session::to_json(&app)).unwrap();
    let (entries, selected) = session::restore(authlens::tui::samples::samples(), saved);
    let mut next = authlens::tui::app::App::new(
        entries,
        EnvSnapshot::default(),
        Server::Starting,
        std::time::Instant::now(),
    );
    next.selected = selected;
    update(
        &mut next,
        Msg::ServerReady {
            base: "http://127.0.0.1:54321".into(),
            other: "http://127.0.0.1:54322".into(),
            page: "/tmp/authlens-EXAMPLE-page2.jpg".into(),
        },
    );
    let copy = next
        .entries
        .iter()
        .find(|e| e.kind == EntryKind::Yours)
        .unwrap();
    let base = copy.draft.vars.iter().find(|(n, _)| n == "BASE").unwrap();
    assert_eq!(base.1, "http://127.0.0.1:54321");
}

#[test]
fn enter_on_a_finding_about_the_auth_helper_opens_the_auth_tab() {
    use authlens::rules::Anchor;
    let mut app = app();
    let d = app.draft_mut().unwrap();
    d.headers.clear();
    d.auth = AuthHelper::Bearer {
        token: "Bearer FAKE-token-0000".into(),
    };
    update(&mut app, Msg::Tick);
    let i = app
        .findings
        .iter()
        .position(|f| {
            matches!(
                f.anchor,
                Anchor::Draft {
                    place: Place::Header(RowRef::AuthHelper, Side::Value),
                    ..
                }
            )
        })
        .expect("`Bearer Bearer …` from the helper is found");
    assert!(
        app.findings[i].fix.is_none(),
        "no table edit reaches the helper"
    );
    app.finding_sel = i;
    app.focus = Pane::Findings;
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.focus, Pane::Editor);
    assert_eq!((app.editor.tab(), app.editor.row), (Tab::Auth, 1));
}

/// A server's control characters — ESC, BEL, DEL and the one-byte CSI (U+009B) — are drawn as
/// visible symbols in the body and the headers, never handed to the terminal.
#[test]
fn control_characters_from_a_server_are_shown_not_obeyed() {
    let mut app = app();
    update(&mut app, Msg::Resize(160, 48));
    let mut ex = strict_401(authlens::practice::keys::BEARER_TOKEN);
    let text = "an ordinary line of a text body, long enough to stay text. ".repeat(8);
    let evil = format!("{text}EXAMPLE \u{1b}[2J \u{7}bell \u{7f}del \u{9b}31m csi\n{text}");
    ex.hops[0].response.body =
        authlens::exchange::BodyPreview::from_bytes(evil.as_bytes().to_vec());
    ex.hops[0]
        .response
        .headers
        .push(("X-Evil".into(), "a\u{9b}2Jb\u{1b}]0;title\u{7}".into()));
    deliver(&mut app, ex);
    let shown = screen(&app, 160, 48);
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "{shown:?}"
    );
    assert!(
        shown.contains("␛[2J") && shown.contains("‹U+009B›"),
        "{shown}"
    );
}

/// A request of the user's with a key typed literally and a credential variable: what the
/// session file leaves out, so quitting asks about it.
fn app_with_typed_secrets(dir: &std::path::Path) -> authlens::tui::app::App {
    let mut app = app();
    let mut draft = authlens::draft::Draft::new("GET", "https://api.example.test/v1/models")
        .header("Authorization", "Bearer EXAMPLE-FAKE-typed-key-0000")
        .header("X-API-Key", "${MY_API_KEY}");
    draft
        .vars
        .push(("MY_API_KEY".into(), "FAKE-variable-value-1111".into()));
    app.entries.push(authlens::tui::app::Entry {
        name: "mine".into(),
        lesson: None,
        kind: authlens::tui::app::EntryKind::Yours,
        sample_id: None,
        draft,
        outcome: None,
    });
    let mut env = app.env.clone();
    env.rules.cwd = Some(dir.display().to_string());
    app.set_env(env);
    app
}

fn unsaved_question(app: &authlens::tui::app::App) -> &authlens::tui::app::UnsavedQuestion {
    match &app.overlay {
        Some(Overlay::UnsavedSecrets(q)) => q,
        other => panic!("no question about typed secrets: {other:?}"),
    }
}

/// `q` with typed secrets asks, naming each (masked) and where `w` writes them, with the keys
/// from the keymap; git's answer about that file is shown; Esc stays.
#[test]
fn quitting_with_typed_secrets_asks_and_esc_stays() {
    let dir = std::path::Path::new("/home/learner/EXAMPLE-project");
    let mut app = app_with_typed_secrets(dir);
    let effects = update(&mut app, ch('q'));
    assert!(!app.quit);
    let env = dir.join(".env");
    assert_eq!(effects, vec![Effect::CheckEnvGit(env.clone())]);
    let q = unsaved_question(&app);
    let places: Vec<&str> = q.lost.iter().map(|l| l.left.place.as_str()).collect();
    assert_eq!(places, ["variable MY_API_KEY", "header Authorization"]);
    update(
        &mut app,
        Msg::EnvGit {
            path: env,
            state: authlens::tui::keep::GitState::Tracked,
        },
    );
    let s = screen(&app, 100, 30);
    assert!(s.contains("2 secrets you typed are not saved"), "{s}");
    assert!(s.contains("mine · header Authorization"), "{s}");
    assert!(s.contains("/home/learner/EXAMPLE-project/.env"), "{s}");
    assert!(s.contains("git tracks that file"), "{s}");
    assert!(!s.contains("EXAMPLE-FAKE-typed-key-0000"), "masked:\n{s}");
    let footer = s.lines().last().unwrap();
    for k in ["w ", "d ", "Esc "] {
        assert!(footer.contains(k), "{k:?} in the footer: {footer}");
    }
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.overlay, None);
    assert!(!app.quit);
}

/// `d` drops them: the drafts are saved without them and the note printed at exit says so.
#[test]
fn d_at_the_question_drops_the_typed_secrets_and_quits() {
    let mut app = app_with_typed_secrets(std::path::Path::new("/tmp/EXAMPLE"));
    feed(&mut app, [ch('q')]);
    let effects = update(&mut app, ch('d'));
    assert!(app.quit);
    let [Effect::Save(json)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert!(
        json.contains("Bearer ${AUTHLENS_UNSAVED_AUTHORIZATION}"),
        "{json}"
    );
    assert!(!json.contains("EXAMPLE-FAKE-typed") && !json.contains("FAKE-variable"));
    let (_, note) = app.status.clone().unwrap();
    assert_eq!(
        note,
        "2 secrets you typed were not saved: type them again next time"
    );
}

/// `w` asks the runtime to write `.env`; once it is written the drafts are saved referring
/// to the names written, and the app quits. A failed write says why and asks again.
#[test]
fn w_at_the_question_writes_env_then_saves_drafts_that_refer_to_it() {
    use authlens::tui::keep::Written;
    let dir = std::path::Path::new("/tmp/EXAMPLE-project");
    let mut app = app_with_typed_secrets(dir);
    app.env.process = vec![("MY_API_KEY".into(), "EXAMPLE-exported".into())];
    feed(&mut app, [ch('q')]);
    let effects = update(&mut app, ch('w'));
    let [Effect::WriteEnv(job)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(job.path, dir.join(".env"));
    let wanted: Vec<(&str, &str)> = job
        .wanted
        .iter()
        .map(|w| (w.name.as_str(), w.value.as_str()))
        .collect();
    assert_eq!(
        wanted,
        [
            ("MY_API_KEY", "FAKE-variable-value-1111"),
            ("AUTHORIZATION", "EXAMPLE-FAKE-typed-key-0000"),
        ]
    );
    assert_eq!(
        job.process, app.env.process,
        "an exported name is not taken"
    );
    // While it writes, Esc does not leave the question.
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(matches!(app.overlay, Some(Overlay::UnsavedSecrets(_))));
    // The write failed: nothing quits, the question is asked again.
    feed(
        &mut app,
        [Msg::EnvWritten(Err("EXAMPLE: permission denied".into()))],
    );
    assert!(!app.quit);
    assert!(app.status.clone().unwrap().1.contains("permission denied"));
    let effects = update(&mut app, ch('w'));
    assert!(matches!(&effects[..], [Effect::WriteEnv(_)]));
    let written = Written {
        names: vec!["MY_API_KEY_2".into(), "AUTHORIZATION".into()],
        added: 2,
    };
    let effects = update(&mut app, Msg::EnvWritten(Ok(written)));
    assert!(app.quit);
    let [Effect::Save(json)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert!(json.contains("Bearer ${AUTHORIZATION}"), "{json}");
    assert!(json.contains("${MY_API_KEY_2}"), "{json}");
    assert!(!json.contains("AUTHLENS_UNSAVED"), "{json}");
    assert!(!json.contains("EXAMPLE-FAKE-typed") && !json.contains("FAKE-variable"));
    let (_, note) = app.status.clone().unwrap();
    assert!(
        note.starts_with("wrote 2 secrets you typed to /tmp/EXAMPLE-project/.env"),
        "{note}"
    );
}

/// Ctrl+C asks too, after the question about a request in flight; Ctrl+C at the secrets
/// question means it.
#[test]
fn ctrl_c_asks_about_typed_secrets_and_again_drops_them() {
    let mut app = app_with_typed_secrets(std::path::Path::new("/tmp/EXAMPLE"));
    feed(&mut app, [ctrl('s'), ctrl('c')]);
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    feed(&mut app, [ch('y')]);
    unsaved_question(&app);
    assert!(!app.quit && app.sending());
    let effects = update(&mut app, ctrl('c'));
    assert!(app.quit);
    assert!(matches!(
        &effects[..],
        [Effect::Cancel { .. }, Effect::Save(_)]
    ));
    assert!(app.status.clone().unwrap().1.contains("were not saved"));
}

/// The samples as they ship (their tokens minted afresh each run) lose nothing at quit.
#[test]
fn the_samples_as_shipped_lose_nothing_at_quit() {
    let mut app = app();
    assert_eq!(authlens::tui::keep::find(&app), vec![]);
    // A sample's token typed over: that is the user's, and asked about.
    let jwt = app
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("jwt-valid"))
        .unwrap();
    for (name, value) in &mut app.entries[jwt].draft.vars {
        if name == "JWT" {
            *value = "EXAMPLE.FAKE.token".into();
        }
    }
    let lost = authlens::tui::keep::find(&app);
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].left.place, "variable JWT");
    assert!(
        lost[0].avoid.contains(&"JWT".to_string()),
        "restore gives the sample its JWT back"
    );
}

#[test]
fn the_basic_preview_masks_the_password_as_the_field_does_filled_or_empty() {
    let mut app = app();
    let auth = Tab::ALL.iter().position(|t| *t == Tab::Auth).unwrap();
    feed(&mut app, (0..auth).map(|_| ch('l')));
    feed(&mut app, [ch('t'), ch('t'), ch('t'), ch('t')]);
    assert_eq!(
        app.draft().unwrap().auth,
        AuthHelper::Basic {
            user: String::new(),
            password: String::new()
        }
    );
    let empty = screen(&app, 160, 30);
    assert!(
        empty.contains("Authorization: Basic base64((no user):(no password))"),
        "{empty}"
    );
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, typed("alice"));
    feed(
        &mut app,
        [key(KeyCode::Esc), key(KeyCode::Down), key(KeyCode::Enter)],
    );
    feed(&mut app, typed("FAKE-pass-word-FAKE"));
    feed(&mut app, [key(KeyCode::Esc)]);
    let filled = screen(&app, 160, 30);
    // The same mask in the field and in the preview; the user is no secret.
    assert!(filled.contains("password: FAK…KE (19 chars)"), "{filled}");
    assert!(
        filled.contains("Basic base64(alice:FAK…KE (19 chars))"),
        "{filled}"
    );
    assert!(!filled.contains("pass-word"), "{filled}");
}

#[test]
fn x_lists_the_export_targets_and_copies_the_chosen_code() {
    let mut app = app();
    update(&mut app, Msg::Resize(120, 40));
    feed(&mut app, [ch('x')]);
    let list = screen(&app, 120, 40);
    assert!(list.contains("Export as code"), "{list}");
    for name in [
        "curl",
        "httpie",
        "python-requests",
        "js-fetch",
        "rust-reqwest",
    ] {
        assert!(list.contains(name), "{name}: {list}");
    }
    feed(&mut app, [ch('j'), ch('j')]);
    let python = screen(&app, 120, 40);
    assert!(python.contains("▶ python-requests"), "{python}");
    assert!(python.contains("import requests"), "{python}");
    let copied = feed(&mut app, [key(KeyCode::Enter)]);
    let [Effect::Copy { text, .. }] = &copied[..] else {
        panic!("{copied:?}")
    };
    assert!(text.contains(r#"os.environ["OPENAI_API_KEY"]"#), "{text}");
    assert!(app.overlay.is_none());
    // A key typed into the request is not copied: the code looks up a name nothing sets.
    app.draft_mut().unwrap().headers[0].value = "Bearer sk-FAKEFAKEFAKEFAKEFAKEFAKE".into();
    feed(&mut app, [ch('x')]);
    let again = screen(&app, 120, 40);
    assert!(
        again.contains("▶ python-requests"),
        "reopens where it was: {again}"
    );
    let copied = feed(&mut app, [ch('y')]);
    let [Effect::Copy { text, .. }] = &copied[..] else {
        panic!("{copied:?}")
    };
    assert!(!text.contains("FAKEFAKE"), "{text}");
    assert!(text.contains("AUTHLENS_UNSAVED"), "{text}");
}

#[test]
fn the_settings_tab_edits_a_timeout_refuses_bad_text_and_flips_tls_loudly() {
    let mut app = app();
    let settings = Tab::ALL.iter().position(|t| *t == Tab::Settings).unwrap();
    feed(&mut app, (0..settings).map(|_| ch('l')));
    let fresh = screen(&app, 160, 30);
    assert!(fresh.contains("timeout:     30 s (default)"), "{fresh}");
    assert!(fresh.contains("verify TLS:  yes"), "{fresh}");

    // Not a number: Enter says what the field takes and keeps what was typed.
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, typed("soon"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.editing.is_some(), "the field stays open");
    let refused = screen(&app, 160, 30);
    assert!(
        refused.contains("Settings › timeout: \"soon\" is not a timeout"),
        "{refused}"
    );
    assert!(refused.contains("soon"), "{refused}");
    assert_eq!(app.draft().unwrap().settings.timeout_ms, None);
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("2.5"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.editing.is_none());
    assert_eq!(app.draft().unwrap().settings.timeout_ms, Some(2500));

    // Redirects off, then TLS verification off: said on the tab, and in the status line.
    feed(&mut app, [key(KeyCode::Down), key(KeyCode::Enter)]);
    feed(&mut app, typed("0"));
    feed(
        &mut app,
        [key(KeyCode::Enter), key(KeyCode::Down), key(KeyCode::Enter)],
    );
    let set = screen(&app, 160, 30);
    assert!(set.contains("timeout:     2.5 s"), "{set}");
    assert!(set.contains("redirects:   do not follow (0)"), "{set}");
    assert!(set.contains("NO — TLS NOT VERIFIED"), "{set}");
    assert!(
        set.contains("TLS verification is OFF for this request"),
        "{set}"
    );
    assert!(
        set.contains(" Settings 3 "),
        "the tab counts what is set:\n{set}"
    );

    // Ctrl+Z takes the switch back; `d` on the timeout brings back its default.
    feed(&mut app, [ctrl('z')]);
    assert!(!app.draft().unwrap().settings.insecure);
    feed(&mut app, [key(KeyCode::Up), key(KeyCode::Up), ch('d')]);
    assert_eq!(app.draft().unwrap().settings.timeout_ms, None);
    assert_eq!(app.draft().unwrap().settings.max_redirects, Some(0));
}

#[test]
fn the_settings_tab_shows_the_command_line_flags_under_a_request_that_sets_nothing() {
    let mut app = app();
    app.flags.insecure = true;
    app.flags.timeout_ms = Some(5000);
    app.flags.proxy = Some("http://user:FAKE-proxy-pass@proxy.example:3128".into());
    let settings = Tab::ALL.iter().position(|t| *t == Tab::Settings).unwrap();
    feed(&mut app, (0..settings).map(|_| ch('l')));
    let s = screen(&app, 160, 30);
    assert!(s.contains("timeout:     5 s  (command line)"), "{s}");
    assert!(
        s.contains("verify TLS:  NO — TLS NOT VERIFIED  (command line)"),
        "{s}"
    );
    assert!(s.contains("http://user:••••@proxy.example:3128/"), "{s}");
    assert!(!s.contains("FAKE-proxy-pass"), "{s}");
}

#[test]
fn a_cookie_in_the_jar_is_listed_masked_edited_on_enter_deleted_and_emptied() {
    let mut app = app();
    let url = url::Url::parse("http://127.0.0.1:43210/cookie/login").unwrap();
    let now = 1_800_000_000;
    app.unix_now = Some(now);
    let set = |app: &mut authlens::tui::app::App, header: &str| {
        app.jar.store(&url, header, now).unwrap();
    };
    set(
        &mut app,
        "session=FAKE-session-EXAMPLE-0000; Path=/cookie; HttpOnly",
    );
    set(&mut app, "old=FAKE-old-cookie-EXAMPLE; Path=/; Max-Age=60");
    app.unix_now = Some(now + 120);
    let vars = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    feed(&mut app, (0..vars).map(|_| ch('l')));
    let s = screen(&app, 200, 40);
    assert!(s.contains("cookie jar · 2 cookies"), "{s}");
    assert!(s.contains("session = FAKE-…0000 (25 chars)"), "{s}");
    assert!(s.contains("EXPIRED at"), "the expired one is marked:\n{s}");
    assert!(!s.contains("FAKE-session-EXAMPLE"), "{s}");

    // The request's own variables come first; the jar's rows follow them (sorted by path).
    let first_cookie = app.draft().unwrap().vars.len() + 1;
    let session_row = first_cookie + 1;
    feed(&mut app, (0..session_row).map(|_| key(KeyCode::Down)));
    feed(&mut app, [key(KeyCode::Enter), ctrl('u')]);
    feed(&mut app, typed("FAKE-typed-over"));
    feed(&mut app, [key(KeyCode::Esc)]);
    let value = |app: &authlens::tui::app::App| {
        let c = app.jar.list().into_iter().find(|c| c.name == "session");
        c.map(|c| c.value.expose().to_string())
    };
    assert_eq!(
        value(&app).as_deref(),
        Some("FAKE-session-EXAMPLE-0000"),
        "Esc keeps it"
    );
    // A `;` cannot go in a Cookie header: refused with its column, the field stays open.
    feed(&mut app, [key(KeyCode::Enter), ctrl('u')]);
    feed(&mut app, typed("FAKE;x"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.editing.is_some());
    assert!(screen(&app, 200, 40).contains("column 5"));
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("FAKE-typed-over"));
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(value(&app).as_deref(), Some("FAKE-typed-over"));

    feed(&mut app, [ch('d')]);
    assert_eq!(app.jar.len(), 1);
    assert_eq!(
        app.draft().unwrap().vars.len() + 1,
        first_cookie,
        "no variable was deleted"
    );
    feed(&mut app, [ch('C')]);
    assert!(app.jar.is_empty());
    let s = screen(&app, 200, 40);
    assert!(
        s.contains("the cookie jar is empty now (1 cookie dropped)"),
        "{s}"
    );
}

#[test]
fn the_jar_is_not_changed_while_a_send_has_it() {
    let mut app = app();
    let url = url::Url::parse("http://127.0.0.1:43210/cookie/login").unwrap();
    app.jar
        .store(
            &url,
            "session=FAKE-session-EXAMPLE-0000; Path=/",
            1_800_000_000,
        )
        .unwrap();
    let effects = update(&mut app, ctrl('s'));
    let [Effect::Send { jar, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(jar.len(), 1, "the send takes the session's cookies");
    feed(&mut app, [ch('C')]);
    assert_eq!(app.jar.len(), 1, "C waits for the send to land");
    assert!(screen(&app, 160, 30).contains("a send is in flight and the jar is with it"));
}
