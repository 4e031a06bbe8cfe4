//! The Vars tab's "your program's client and loader": `o` and `O` cycle through the rules'
//! vocabulary, the tab shows the choice, and the findings add what that stack would meet.

mod tui_common;

use authlens::draft::Draft;
use authlens::rules::{CauseId, Context};
use authlens::tui::app::{App, Entry, EntryKind, EnvSnapshot, Server, Tab};
use authlens::vars::DotenvReport;
use std::path::Path;
use std::time::Instant;
use tui_common::*;

/// `${API_KEY}` from a `.env` one directory above where the program runs: dotenvy (authlens)
/// finds it, node dotenv would not.
fn parent_dotenv_app() -> App {
    let text = "API_KEY=authlens-EXAMPLE-api-key-1111111111111111\n";
    let file = authlens::vars::dotenv::parse_bytes(Path::new("/proj/.env"), text.as_bytes());
    let dotenv = DotenvReport {
        searched: vec!["/proj/app/.env".into(), "/proj/.env".into()],
        files: vec![file],
        explicit: false,
    };
    let mut rules =
        Context::live(1_772_366_400).with_dotenv("/proj/.env", text, &Default::default());
    rules.cwd = Some("/proj/app".into());
    let entry = Entry {
        name: "mine".into(),
        lesson: None,
        kind: EntryKind::Yours,
        sample_id: None,
        draft: Draft::new("GET", "http://127.0.0.1:43210/v1").header("X-API-Key", "${API_KEY}"),
        outcome: None,
    };
    let env = EnvSnapshot {
        process: Vec::new(),
        dotenv,
        rules,
    };
    let mut app = App::new(vec![entry], env, Server::NotNeeded, Instant::now());
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    app
}

fn predicted(app: &App, id: CauseId) -> Option<String> {
    app.findings
        .iter()
        .find(|f| f.id == id && f.explanation.starts_with("Prediction for your program"))
        .map(|f| f.explanation.clone())
}

#[test]
fn the_loader_setting_cycles_and_predicts_what_node_dotenv_would_miss() {
    let mut app = parent_dotenv_app();
    update(&mut app, ch('j')); // a frame drawn
    assert!(screen(&app, 100, 40).contains("loader  authlens itself"));
    assert_eq!(predicted(&app, CauseId::DotenvNotFoundFromCwd), None);
    while app.program.loader_name() != "node-dotenv" {
        feed(&mut app, [ch('O')]);
    }
    let words = predicted(&app, CauseId::DotenvNotFoundFromCwd).expect("a prediction");
    assert!(words.contains("(node dotenv"), "{words}");
    assert!(words.contains("never its parents"), "{words}");
    assert!(screen(&app, 100, 40).contains("loader  node-dotenv"));
    // Round the cycle, back to authlens itself: no prediction is left.
    while app.program.loader.is_some() {
        feed(&mut app, [ch('O')]);
    }
    assert_eq!(predicted(&app, CauseId::DotenvNotFoundFromCwd), None);
}

#[test]
fn the_client_setting_lives_in_the_vars_tab_and_is_listed_in_the_help() {
    let mut app = parent_dotenv_app();
    feed(&mut app, [ch('o')]);
    assert_eq!(app.program.client_name(), "reqwest");
    feed(&mut app, [ch('o'), ch('o'), ch('o')]);
    assert_eq!(app.program.client_name(), "python-requests");
    assert!(screen(&app, 100, 40).contains("client  python-requests"));
    // On another tab the key only says where the setting is.
    feed(&mut app, [ch('h')]);
    feed(&mut app, [ch('o')]);
    assert_eq!(app.program.client_name(), "python-requests");
    let help = authlens::tui::keymap::BINDINGS
        .iter()
        .find(|b| b.action == authlens::tui::keymap::Action::CycleClient)
        .expect("bound in the one keymap");
    assert!(help.help.contains("your program's client"));
}
