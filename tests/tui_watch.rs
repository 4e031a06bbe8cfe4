//! The watch screen of `authlens watch`, driven the way the runtime drives it: synthetic
//! proxy events as `Msg::Watch`, keys as `Msg::Key`, a frame after each.

mod tui_common;

use authlens::tui::app::Pane;
use authlens::tui::msg::{Effect, Msg};
use authlens::tui::watch::WatchPane;
use authlens::watch::{Event, Stream};
use crossterm::event::KeyCode;
use tui_common::watch::*;
use tui_common::*;

fn ids(app: &authlens::tui::app::App) -> Vec<u64> {
    let w = app.watch.as_ref().unwrap();
    w.rows.iter().map(|r| r.id()).collect()
}

fn selected_id(app: &authlens::tui::app::App) -> u64 {
    app.watch.as_ref().unwrap().selected_row().unwrap().id()
}

#[test]
fn rows_appear_in_order_with_status_duration_and_top_finding() {
    let mut app = watch_app();
    feed(&mut app, session());
    assert_eq!(ids(&app), [1, 2, 3, 4]);
    let s = screen(&app, 100, 30);
    let row = |id: &str| {
        s.lines()
            .find(|l| l.contains(&format!("#{id} ")))
            .unwrap_or_else(|| panic!("no row #{id}:\n{s}"))
            .to_string()
    };
    assert!(row("1").contains("POST") && row("1").contains("200"), "{s}");
    let r2 = row("2");
    assert!(
        r2.contains("GET") && r2.contains("/v1/models") && r2.contains("401"),
        "{r2}"
    );
    assert!(r2.contains("122 ms") || r2.contains("132 ms"), "{r2}");
    let top = lowercase_bearer(2).findings[0].id.to_string();
    assert!(r2.contains(&top), "the top finding {top} in {r2}");
    assert!(row("3").contains("CONNECT api.other.example:443"), "{s}");
    assert!(s.contains("--upstream https://api.other.example"), "{s}");
    assert!(
        s.contains(
            "authlens watch · program exited with code 1 · 127.0.0.1:8080 → https://api.example.com"
        ),
        "{s}"
    );
}

#[test]
fn the_selection_follows_at_the_bottom_and_stays_put_above_it() {
    let mut app = watch_app();
    feed(
        &mut app,
        [
            Msg::Watch(listening()),
            exchange(ok_post(1)),
            exchange(ok_post(2)),
        ],
    );
    assert_eq!(selected_id(&app), 2, "following: the newest is selected");
    feed(&mut app, [ch('k')]);
    assert_eq!(selected_id(&app), 1);
    feed(&mut app, [exchange(ok_post(3))]);
    assert_eq!(
        selected_id(&app),
        1,
        "not at the bottom: the selection stays"
    );
    assert!(screen(&app, 100, 30).contains("Exchanges · G follows"));
    feed(&mut app, [ch('G'), exchange(ok_post(4))]);
    assert_eq!(selected_id(&app), 4, "G follows again");
    feed(&mut app, [ch('g'), ch('j'), ch('j'), ch('j')]);
    assert_eq!(selected_id(&app), 4);
    feed(&mut app, [exchange(ok_post(5))]);
    assert_eq!(selected_id(&app), 5, "j to the last row follows too");
}

#[test]
fn following_waits_while_an_exchange_is_read() {
    let mut app = watch_app();
    feed(&mut app, [Msg::Watch(listening()), exchange(ok_post(1))]);
    feed(&mut app, [key(KeyCode::Tab)]);
    feed(&mut app, [exchange(ok_post(2))]);
    assert_eq!(selected_id(&app), 1, "the exchange being read stays");
    assert!(screen(&app, 100, 30).contains("following once you are back here"));
    feed(
        &mut app,
        [Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::BackTab,
            crossterm::event::KeyModifiers::SHIFT,
        ))],
    );
    assert_eq!(app.watch.as_ref().unwrap().focus, WatchPane::List);
    assert_eq!(selected_id(&app), 2, "back in the list, it follows again");
}

#[test]
fn the_wheel_scrolls_the_focused_pane() {
    use crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
    let wheel = |kind| {
        Msg::Mouse(MouseEvent {
            kind,
            column: 10,
            row: 10,
            modifiers: KeyModifiers::NONE,
        })
    };
    let mut app = watch_app();
    let mut long = ok_post(2);
    let body: String = (0..80).map(|i| format!("line {i}\n")).collect();
    long.response.as_mut().unwrap().body =
        authlens::exchange::BodyPreview::from_bytes(body.into_bytes());
    feed(
        &mut app,
        [
            Msg::Watch(listening()),
            exchange(ok_post(1)),
            exchange(long),
        ],
    );
    feed(&mut app, [wheel(MouseEventKind::ScrollUp)]);
    assert_eq!(selected_id(&app), 1);
    feed(
        &mut app,
        [
            ch('j'),
            key(KeyCode::Tab),
            wheel(MouseEventKind::ScrollDown),
        ],
    );
    let i = app.watch.as_ref().unwrap().inspect.as_ref().unwrap();
    assert_eq!(i.exchange.scroll, 3, "the exchange scrolled");
    feed(&mut app, [ch('G')]);
    let s = screen(&app, 100, 30);
    assert!(s.contains("line 79"), "G: the body's last line\n{s}");
}

#[test]
fn the_exchange_view_shows_the_programs_header_case_and_masks_the_key() {
    let mut app = watch_app();
    feed(
        &mut app,
        [Msg::Watch(listening()), exchange(lowercase_bearer(1))],
    );
    feed(&mut app, [key(KeyCode::Tab)]);
    assert_eq!(app.watch.as_ref().unwrap().focus, WatchPane::Exchange);
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("authorization: bearer sk-"),
        "lower case as sent:\n{s}"
    );
    assert!(s.contains("User-Agent: python-requests"), "{s}");
    assert!(s.contains("▼ 401 Unauthorized"), "{s}");
    assert!(
        s.contains("forwarded as GET https://api.example.com/v1/models"),
        "{s}"
    );
    assert!(s.contains("changed Host"), "{s}");
    assert!(!s.contains(FAKE_KEY), "the key is masked:\n{s}");
    let wide = screen(&app, 160, 48);
    assert!(!wide.contains(FAKE_KEY), "{wide}");
    // r reveals it, as in the send view; leaving the pane masks it again.
    feed(&mut app, [ch('r')]);
    assert!(screen(&app, 160, 48).contains(FAKE_KEY));
    feed(&mut app, [key(KeyCode::Tab)]);
    assert!(!screen(&app, 160, 48).contains(FAKE_KEY));
}

#[test]
fn the_findings_of_the_selected_exchange_are_shown_with_evidence() {
    let mut app = watch_app();
    feed(
        &mut app,
        [Msg::Watch(listening()), exchange(lowercase_bearer(1))],
    );
    let w = lowercase_bearer(1);
    let s = screen(&app, 160, 48);
    assert!(s.contains(&format!("Findings {}", w.findings.len())), "{s}");
    assert!(s.contains(&w.findings[0].title), "{s}");
    assert!(!s.contains(FAKE_KEY), "{s}");
}

#[test]
fn tab_reaches_the_findings_and_enter_shows_the_place_in_the_response() {
    let mut app = watch_app();
    let mut x = lowercase_bearer(1);
    // A second finding, about the response's status, to walk to and show.
    let mut status = x.findings[0].clone();
    status.anchor = authlens::rules::Anchor::ResponseStatus;
    status.title = "EXAMPLE finding about the status".into();
    x.findings.push(status);
    feed(&mut app, [Msg::Watch(listening()), exchange(x)]);
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    assert_eq!(app.watch.as_ref().unwrap().focus, WatchPane::Findings);
    assert!(screen(&app, 100, 30).contains("● Findings 2"));
    feed(&mut app, [ch('j')]);
    let inspector = app.watch.as_ref().unwrap().inspect.as_ref().unwrap();
    assert_eq!(inspector.finding_sel, 1);
    feed(&mut app, [key(KeyCode::Enter)]);
    assert_eq!(app.watch.as_ref().unwrap().focus, WatchPane::Exchange);
    assert!(screen(&app, 100, 30).contains("● Exchange"));
}

#[test]
fn a_fault_a_note_and_a_notice_are_said() {
    let mut app = watch_app();
    let mut x = ok_post(1);
    x.response = None;
    x.forwarded = None;
    x.fault = Some("upstream 127.0.0.1:9 refused the connection".into());
    x.findings.clear();
    let mut y = lowercase_bearer(2);
    y.notes = vec!["a redirect to https://elsewhere.example would leave the proxy".into()];
    feed(
        &mut app,
        [
            Msg::Watch(listening()),
            exchange(x),
            Msg::Watch(Event::Notice(
                "a connection sent no parsable request".into(),
            )),
        ],
    );
    let s = screen(&app, 100, 30);
    let row = s.lines().find(|l| l.contains("#1 ")).unwrap();
    assert!(
        row.contains("---") && row.contains("✗ upstream 127.0.0.1:9 refused"),
        "{row}"
    );
    assert!(s.contains("not forwarded"), "{s}");
    assert!(
        s.contains("✗ upstream 127.0.0.1:9 refused the connection"),
        "{s}"
    );
    assert!(
        s.contains("POST /v1/chat/completions HTTP/1.1"),
        "the request still shown:\n{s}"
    );
    assert!(s.contains("▼ 0 (no response)"), "{s}");
    assert!(s.contains("! a connection sent no parsable request"), "{s}");
    assert!(!s.contains(FAKE_KEY), "{s}");
    feed(&mut app, [exchange(y)]);
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("• a redirect to https://elsewhere.example would leave"),
        "{s}"
    );
}

#[test]
fn e_copies_the_request_into_a_draft_and_w_comes_back() {
    let mut app = watch_app();
    feed(&mut app, [Msg::Watch(listening()), exchange(ok_post(1))]);
    feed(&mut app, [ch('e')]);
    assert!(!app.watch.as_ref().unwrap().shown, "the editor is shown");
    assert_eq!(app.focus, Pane::Editor);
    let d = app.draft().expect("a draft").clone();
    assert_eq!(d.method, "POST");
    assert_eq!(d.url, "https://api.example.com/v1/chat/completions");
    let headers: Vec<(&str, &str)> = d
        .headers
        .iter()
        .map(|r| (r.name.as_str(), r.value.as_str()))
        .collect();
    assert_eq!(
        headers,
        [
            ("X-Api-Key", FAKE_KEY),
            ("Content-Type", "application/json")
        ],
        "in the program's case and order, Host and Content-Length left to the client"
    );
    assert!(
        matches!(&d.body, authlens::draft::Body::Text { text, .. } if text == r#"{"model":"m-1"}"#)
    );
    let s = screen(&app, 100, 30);
    assert!(s.contains(" W ") && s.contains("back to the watch"), "{s}");
    // The watch goes on meanwhile.
    feed(&mut app, [exchange(ok_post(2))]);
    feed(&mut app, [ch('W')]);
    assert!(app.watch.as_ref().unwrap().shown);
    assert_eq!(ids(&app), [1, 2]);
}

#[tokio::test]
async fn a_copied_request_sends_as_any_draft_does() {
    use authlens::practice::{Config, PracticeServer, keys};
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let base = server.url("");
    let auth = format!("Bearer {}", keys::BEARER_TOKEN);
    let sent = wire(
        "GET",
        &format!("http://{PROXY}/v1/models"),
        &[("Host", PROXY), ("Authorization", &auth)],
        "",
    );
    let x = watched(1, sent, base.trim_end_matches('/'), None);
    let mut app = watch_app();
    feed(&mut app, [Msg::Watch(listening()), exchange(x), ch('e')]);
    let effects = update(&mut app, ctrl('s'));
    let Some(Effect::Send {
        id,
        draft,
        vars,
        rules,
        ..
    }) = effects.into_iter().next()
    else {
        panic!("^S sends the copy");
    };
    assert_eq!(
        draft.url,
        format!("{}/v1/models", base.trim_end_matches('/'))
    );
    let result = authlens::send::run(&draft, &vars, &Default::default()).await;
    let status = result
        .as_ref()
        .ok()
        .and_then(|e| e.final_response())
        .map(|r| r.status);
    assert_eq!(status, Some(200), "{result:?}");
    let loaded = authlens::tui::runtime::load_result(result, &draft, &vars, &rules);
    update(&mut app, Msg::SendDone { id, result: loaded });
    let s = screen(&app, 160, 48);
    assert!(s.contains("▼ 200"), "{s}");
}

#[test]
fn h_exports_a_private_har_the_har_reader_reads_back_without_the_key() {
    let mut app = watch_app();
    feed(&mut app, session());
    let effects = update(&mut app, ch('H'));
    let Some(Effect::ExportHar(job)) = effects.into_iter().next() else {
        panic!("H asks for an export");
    };
    assert_eq!(job.stem, "authlens-watch-20260301-110000");
    let dir = std::env::temp_dir().join(format!("authlens-har-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let note = job.write_in(&dir).unwrap();
    let path = dir.join("authlens-watch-20260301-110000.har");
    assert!(note.contains(&path.display().to_string()), "{note}");
    assert!(
        note.contains("3 exchanges") && note.contains("1 tunnel"),
        "{note}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(FAKE_KEY), "no secret in the HAR");
    let read: Vec<_> = authlens::formats::har::read(&text)
        .unwrap()
        .unwrap()
        .collect();
    let got: Vec<(String, u16)> = read
        .iter()
        .map(|(_, f)| {
            (
                f.request.method.clone(),
                f.response.as_ref().unwrap().status,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("POST".into(), 200),
            ("GET".into(), 401),
            ("GET".into(), 401)
        ]
    );
    assert_eq!(read[1].1.request.url, "https://api.example.com/v1/models");
    assert!(
        read[1]
            .1
            .request
            .headers
            .iter()
            .any(|(n, _)| n == "authorization")
    );
    // A second export in the same second does not replace the first.
    let again = job.write_in(&dir).unwrap();
    assert!(again.contains("20260301-110000-2.har"), "{again}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_programs_output_is_a_pane_and_exited_shows_the_code() {
    let mut app = watch_app();
    feed(&mut app, session());
    let s = screen(&app, 100, 30);
    assert!(s.contains("calling the API…"), "{s}");
    assert!(
        s.contains("! openai.AuthenticationError"),
        "stderr marked:\n{s}"
    );
    assert!(s.contains("program exited with code 1"), "{s}");
    assert!(!app.quit, "the screen stays open after the program ends");
    for i in 0..20 {
        update(
            &mut app,
            Msg::Watch(Event::Output {
                stream: Stream::Stdout,
                line: format!("line {i}"),
            }),
        );
    }
    assert!(screen(&app, 100, 30).contains("line 19"));
    feed(
        &mut app,
        [key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    assert_eq!(app.watch.as_ref().unwrap().focus, WatchPane::Output);
    feed(&mut app, [ch('g')]);
    let s = screen(&app, 100, 30);
    assert!(
        s.contains("calling the API…") && !s.contains("line 19"),
        "{s}"
    );
    feed(&mut app, [ch('q')]);
    assert!(app.quit);
}

/// A program that logs its own headers prints its key: the output pane masks it with what
/// the watched requests carried.
#[test]
fn the_programs_output_is_masked_with_the_keys_it_sent() {
    let mut app = watch_app();
    let logged = format!("sending authorization: bearer {FAKE_KEY}");
    feed(
        &mut app,
        [Msg::Watch(Event::Output {
            stream: Stream::Stdout,
            line: logged,
        })],
    );
    update(&mut app, exchange(lowercase_bearer(1)));
    let s = screen(&app, 100, 30);
    assert!(s.contains("sending authorization: bearer"), "{s}");
    assert!(!s.contains(FAKE_KEY), "{s}");
}

#[test]
fn the_list_is_bounded_and_says_what_was_dropped() {
    let mut app = watch_app();
    let one = ok_post(1);
    for id in 1..=(authlens::tui::watch::MAX_ROWS as u64 + 5) {
        let mut x = one.clone();
        x.id = id;
        authlens::tui::update::update(&mut app, exchange(x));
    }
    assert_eq!(ids(&app).len(), authlens::tui::watch::MAX_ROWS);
    assert_eq!(ids(&app)[0], 6);
    assert!(screen(&app, 100, 30).contains("newest 1000; 5 older dropped"));
}

#[test]
fn the_footer_and_help_list_the_watch_keys() {
    let mut app = watch_app();
    feed(&mut app, session());
    let s = screen(&app, 100, 30);
    let footer = s.lines().last().unwrap();
    for k in ["e ", "edit a copy", "H ", "export HAR", "? ", "q "] {
        assert!(footer.contains(k), "{k:?} in {footer}");
    }
    feed(&mut app, [ch('?')]);
    let help: String = authlens::tui::ui::overlay::help_lines()
        .iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(help.contains("Watch screen") && help.contains("export HAR"));
    assert!(screen(&app, 100, 30).contains("Keys"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert!(app.overlay.is_none());
}

#[test]
fn the_watch_screen_100x30() {
    let mut app = watch_app();
    feed(&mut app, session());
    feed(&mut app, [ch('k'), ch('k')]);
    let s = screen(&app, 100, 30);
    assert!(!s.contains(FAKE_KEY));
    insta::assert_snapshot!(s);
}

/// The real loop (`runtime::run`) on a test screen, fed the watch's events and keys as one
/// finite stream: it ends at `q` with the program's exit code kept.
#[tokio::test]
async fn the_loop_takes_watch_events_and_ends_with_the_exit_code() {
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let mut msgs = session();
    msgs.push(ch('q'));
    let options = authlens::tui::runtime::Options {
        start_server: false,
        save_path: None,
        history_path: None,
        send: Default::default(),
        clipboard: Box::new(|_| Ok(())),
    };
    let input = futures_util::stream::iter(msgs);
    let app = authlens::tui::runtime::run(&mut terminal, watch_app(), input, options)
        .await
        .unwrap();
    assert!(app.quit);
    assert_eq!(app.watch.as_ref().and_then(|w| w.exited), Some(1));
    assert_eq!(ids(&app), [1, 2, 3, 4]);
}

#[test]
fn slash_searches_the_watched_body_and_a_pasted_curl_opens_the_editor() {
    let mut app = watch_app();
    feed(
        &mut app,
        [Msg::Watch(listening()), exchange(lowercase_bearer(1))],
    );
    feed(&mut app, [key(KeyCode::Tab), ch('/')]);
    assert!(
        screen(&app, 100, 30).contains("/  search the body"),
        "the prompt"
    );
    feed(&mut app, typed("message"));
    feed(&mut app, [Msg::Paste("Incorrect".into())]);
    let inspector = app.watch.as_ref().unwrap().inspect.as_ref().unwrap();
    assert_eq!(
        inspector.editing.as_ref().unwrap().input.text,
        "messageIncorrect"
    );
    feed(&mut app, (0..9).map(|_| key(KeyCode::Backspace)));
    feed(&mut app, [key(KeyCode::Enter)]);
    let status = app
        .status
        .as_ref()
        .map(|(_, s)| s.clone())
        .unwrap_or_default();
    assert!(status.starts_with("match on line"), "{status}");
    feed(&mut app, [key(KeyCode::Esc)]);
    let curl = "curl -H 'X-Api-Key: EXAMPLE-0000' https://api.example.com/v1/models";
    feed(&mut app, [Msg::Paste(curl.into())]);
    assert!(
        !app.watch.as_ref().unwrap().shown,
        "the imported draft is shown"
    );
    assert_eq!(
        app.draft().map(|d| d.url.as_str()),
        Some("https://api.example.com/v1/models")
    );
}

/// Every size from the smallest the app draws to a wide one, each pane focused: no panic,
/// and never the key.
#[test]
fn the_screen_draws_at_every_size_without_the_key() {
    let mut app = watch_app();
    feed(&mut app, session());
    feed(&mut app, [ch('k'), ch('k')]);
    for _ in 0..4 {
        for (w, h) in [
            (60, 16),
            (80, 24),
            (100, 30),
            (139, 40),
            (140, 40),
            (200, 60),
        ] {
            let s = screen(&app, w, h);
            assert!(!s.contains(FAKE_KEY), "{w}x{h}:\n{s}");
        }
        feed(&mut app, [key(KeyCode::Tab)]);
    }
}

/// The entry point the CLI calls at merge, as agreed (built, never polled: it would take the
/// terminal).
#[test]
fn the_entry_point_has_the_agreed_signature() {
    let (_tx, rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
    let run = authlens::tui::watch::run(rx, None);
    let _: &dyn std::future::Future<Output = std::io::Result<Option<i32>>> = &run;
}
