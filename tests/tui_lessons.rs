//! Lessons in the TUI: `L` lists them, Enter loads the broken request in the lesson's world
//! and shows the text; with the real loop against the practice server the broken request is
//! "Not yet", the fixed one (`f`) is "Fixed!".

mod tui_common;

use authlens::tui::app::{App, EnvSnapshot, Overlay, Server};
use authlens::tui::msg::Effect;
use authlens::tui::samples;
use crossterm::event::KeyCode;
use std::time::{Duration, Instant};
use tui_common::*;

const DEADLINE: Duration = Duration::from_secs(20);

/// `L`, Enter: the first lesson open, its assets asked for.
fn opened() -> (App, Vec<Effect>) {
    let mut app = app();
    update(&mut app, ch('L'));
    assert!(matches!(
        app.overlay,
        Some(Overlay::Lessons { selected: 0 })
    ));
    let effects = update(&mut app, key(KeyCode::Enter));
    (app, effects)
}

#[test]
fn enter_loads_the_broken_request_and_asks_for_the_files() {
    let (app, effects) = opened();
    assert!(
        matches!(&effects[..], [Effect::WriteLessonAssets(_)]),
        "{effects:?}"
    );
    let active = app.lesson.as_ref().unwrap();
    assert_eq!(active.entry, app.selected);
    assert!(!active.fixed_loaded);
    assert!(matches!(app.overlay, Some(Overlay::Lesson { .. })));
    let d = app.draft().unwrap();
    let url = authlens::vars::interpolate(&d.url, |n| app.vars.value(n)).text;
    assert!(url.starts_with(BASE), "{url}");
}

#[test]
fn f_loads_the_fixed_request_and_leaving_the_lesson_restores_the_world() {
    let (mut app, _) = opened();
    let broken = app.draft().unwrap().clone();
    update(&mut app, ch('f'));
    assert!(app.lesson.as_ref().unwrap().fixed_loaded);
    assert_ne!(app.draft().unwrap(), &broken);
    update(&mut app, key(KeyCode::Esc));
    assert!(app.overlay.is_none());
    authlens::tui::update::select(&mut app, 0);
    assert!(app.lesson.is_none());
    assert_eq!(app.env.process, EnvSnapshot::default().process);
}

#[test]
fn lesson_80x24_and_160x48() {
    let (app, _) = opened();
    let small = screen(&app, 80, 24);
    assert!(small.contains("Not sent yet"), "{small}");
    insta::assert_snapshot!("lesson_80x24", small);
    insta::assert_snapshot!("lesson_160x48", screen(&app, 160, 48));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broken_is_not_yet_and_fixed_is_fixed_with_the_real_loop() {
    let app = App::new(
        samples::samples(),
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    );
    let ui = start_loop(app, DEADLINE).await;
    ui.send([ch('L')]);
    ui.send([key(KeyCode::Enter)]);
    ui.wait_for("Not sent yet", DEADLINE).await;
    ui.send([key(KeyCode::Esc)]);
    ui.send([ctrl('s')]);
    ui.wait_for("Not yet:", DEADLINE).await;
    ui.send([ch('L')]);
    ui.send([ch('f')]);
    ui.wait_for("The fixed request is loaded", DEADLINE).await;
    ui.send([key(KeyCode::Esc)]);
    ui.send([ctrl('s')]);
    ui.wait_for("Fixed!", DEADLINE).await;
    ui.quit(DEADLINE).await;
}

#[test]
fn l_on_a_finding_opens_the_lesson_that_teaches_it() {
    let mut app = app();
    // The lower-case `bearer` sample: lint finds auth-scheme-case before any send.
    let f = app.findings.first().expect("a lint finding").id;
    let want = authlens::lessons::for_finding(f).expect("a lesson teaches it");
    update(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, authlens::tui::app::Pane::Findings);
    let s = screen(&app, 160, 48);
    assert!(s.contains(&format!("lesson: {}", want.title)), "{s}");
    let effects = update(&mut app, ch('L'));
    assert!(
        matches!(&effects[..], [Effect::WriteLessonAssets(_)]),
        "{effects:?}"
    );
    assert_eq!(app.lesson.as_ref().unwrap().lesson.id, want.id);
}

#[test]
fn a_lessons_request_is_not_saved_and_deleting_it_leaves_the_lesson() {
    let (mut app, _) = opened();
    let lesson_entry = app.lesson.as_ref().unwrap().entry;
    // Quitting saves the samples, but not the lesson's request: its world (env, .env, the
    // practice port) is not saved with it, so it would not behave the same after a restart.
    let effects = update(&mut app, ctrl('c'));
    let Some(Effect::Save(json)) = effects.last() else {
        panic!("{effects:?}")
    };
    let saved: serde_json::Value = serde_json::from_str(json).unwrap();
    let names: Vec<&str> = saved["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.starts_with("lesson:")), "{names:?}");
    assert_eq!(names.len(), app.entries.len() - 1);

    // Deleting the lesson's request from the list ends the lesson and restores the world.
    app.quit = false;
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.focus, authlens::tui::app::Pane::List);
    assert_eq!(app.selected, lesson_entry);
    update(&mut app, ch('d'));
    assert!(app.lesson.is_none());
    assert_eq!(app.entries.len(), lesson_entry);
    assert_eq!(app.env.process, EnvSnapshot::default().process);
}
