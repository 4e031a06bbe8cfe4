//! Screens on ratatui's `TestBackend` at 80×24 and 160×48, through the real render code, with
//! style checks where the meaning is carried by style (a masked value, an unresolved variable).

mod tui_common;

use authlens::practice::keys;
use authlens::tui::app::Tab;
use authlens::tui::ui::render_to_buffer;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use tui_common::*;

#[test]
fn start_screen_80x24() {
    insta::assert_snapshot!(screen(&app(), 80, 24));
}

#[test]
fn start_screen_160x48() {
    insta::assert_snapshot!(screen(&app(), 160, 48));
}

#[test]
fn a_401_from_the_strict_route_80x24_and_160x48() {
    let mut app = app();
    deliver(&mut app, strict_401(keys::BEARER_TOKEN));
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    let small = screen(&app, 80, 24);
    assert!(
        !small.contains(keys::BEARER_TOKEN),
        "the token is masked:\n{small}"
    );
    insta::assert_snapshot!("strict_401_80x24", small);
    insta::assert_snapshot!("strict_401_160x48", screen(&app, 160, 48));
}

#[test]
fn the_redirect_that_dropped_authorization() {
    let mut app = app();
    let i = app
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("redirect-cross"))
        .unwrap();
    authlens::tui::update::select(&mut app, i);
    deliver(&mut app, redirect_dropped(keys::BEARER_TOKEN));
    let s = screen(&app, 160, 48);
    assert!(s.contains("✂ removed│ Authorization"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_variables_view_shows_the_shadowed_dotenv_value() {
    let app = shadowed_app();
    let s = screen(&app, 160, 48);
    assert!(s.contains("from process"), "{s}");
    assert!(s.contains("shadows"), "{s}");
    assert!(s.contains("/home/learner/proj/.env:2"), "{s}");
    assert!(s.contains("TRACE_ID not set"), "{s}");
    assert!(!s.contains("stale-key-0000000000000000"), "masked:\n{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_help_overlay_is_the_keymap() {
    let mut app = app();
    feed(&mut app, [ch('?')]);
    let s = screen(&app, 80, 24);
    assert!(s.contains("^S") && s.contains("send"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_help_lists_every_binding_under_its_context() {
    use authlens::tui::keymap::{BINDINGS, keys_label};
    let lines: Vec<String> = authlens::tui::ui::overlay::help_lines()
        .iter()
        .map(|l| l.to_string())
        .collect();
    // A section is a title after a blank line, then its bindings up to the next blank line.
    let section = |title: &str| -> Vec<&String> {
        let start = lines
            .windows(2)
            .position(|w| w[0].is_empty() && w[1] == title)
            .unwrap_or_else(|| panic!("no {title:?} section in the help:\n{lines:#?}"));
        lines[start + 2..]
            .iter()
            .take_while(|l| !l.is_empty())
            .collect()
    };
    for b in BINDINGS {
        let line = format!("  {:<16}{}", keys_label(b), b.help);
        assert!(
            section(b.ctx.title()).contains(&&line),
            "{:?} in {:?} ({line:?}) is missing from the help",
            b.action,
            b.ctx
        );
    }
    // Once left out: Enter in the findings jumps to the place, L opens the lesson.
    let findings = section("Findings");
    assert!(
        findings
            .iter()
            .any(|l| l.contains("go to the place it points at"))
    );
    assert!(
        findings
            .iter()
            .any(|l| l.contains("open the lesson about it"))
    );
}

#[test]
fn the_exchange_at_80x24_scrolled_to_the_challenge() {
    let mut app = app();
    deliver(&mut app, strict_401(keys::BEARER_TOKEN));
    feed(&mut app, [key(KeyCode::Tab), key(KeyCode::Tab)]);
    feed(&mut app, [ch('j'), ch('j'), ch('j')]);
    let s = screen(&app, 80, 24);
    assert!(s.contains("↳ wants Bearer"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn a_tiny_terminal_gets_a_notice() {
    let s = screen(&app(), 40, 10);
    assert!(s.contains("Terminal too small"), "{s}");
}

fn find(buf: &ratatui::buffer::Buffer, needle: &str) -> (u16, u16) {
    let text = authlens::tui::ui::buffer_text(buf);
    for (y, line) in text.lines().enumerate() {
        if let Some(byte) = line.find(needle) {
            return (line[..byte].chars().count() as u16, y as u16);
        }
    }
    panic!("{needle:?} not on screen:\n{text}");
}

#[test]
fn meaning_carried_by_style_masked_values_and_unresolved_variables() {
    let mut app = app();
    deliver(&mut app, strict_401(keys::BEARER_TOKEN));
    let buf = render_to_buffer(&app, 160, 48);
    // The wire view masks the token and keeps the scheme word readable.
    let (x, y) = find(&buf, "bearer sk-au…0000 (43 chars)");
    assert_eq!(buf[(x, y)].symbol(), "b");

    let mut shadowed = shadowed_app();
    shadowed.editor.tab_index = 0;
    let buf = render_to_buffer(&shadowed, 160, 48);
    let (x, y) = find(&buf, "${TRACE_ID}");
    assert_eq!(buf[(x, y)].fg, Color::Red, "unresolved is red");
    assert!(buf[(x, y)].modifier.contains(Modifier::BOLD));
    // A finding (the stale exported value shadows .env) underlines the reference it is about.
    let (x, y) = find(&buf, "${API_KEY}");
    assert!(
        buf[(x, y)].modifier.contains(Modifier::UNDERLINED),
        "a finding's place is underlined"
    );
    assert_eq!(buf[(x, y)].fg, Color::Yellow, "in its severity's colour");
    let start = render_to_buffer(&tui_common::app(), 160, 48);
    let (x, y) = find(&start, "${BASE}");
    assert_eq!(start[(x, y)].fg, Color::Green, "resolved is green");
    // The lower-case scheme is underlined exactly: `bearer`, not the reference after it.
    let (x, y) = find(&start, "bearer ${OPENAI_API_KEY}");
    assert!(start[(x, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(start[(x + 5, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(!start[(x + 6, y)].modifier.contains(Modifier::UNDERLINED));
    assert!(!start[(x + 7, y)].modifier.contains(Modifier::UNDERLINED));
    shadowed.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    let buf = render_to_buffer(&shadowed, 160, 48);
    let (x, y) = find(&buf, "authl…0000 (43 chars)");
    assert_eq!(
        buf[(x, y)].fg,
        Color::Yellow,
        "masked values are marked as masked"
    );
    assert!(buf[(x, y)].modifier.contains(Modifier::ITALIC));
}
