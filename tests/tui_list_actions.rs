//! The list's actions through `update`: a new blank request, rename, duplicate, move; what
//! survives a restart; an edited sample marked as such; names that never read the same.

mod tui_common;

use authlens::draft::{Draft, Place};
use authlens::tui::app::{App, Entry, EntryKind, EnvSnapshot, Pane, Server, Target};
use authlens::tui::{names, session};
use crossterm::event::KeyCode;
use tui_common::*;

fn in_list(app: &mut App) {
    app.focus = Pane::List;
}

fn shown_names(app: &App) -> Vec<String> {
    names::shown(&app.entries)
        .into_iter()
        .map(|(base, suffix)| base + &suffix)
        .collect()
}

/// Saved by `to_json` and read back over fresh samples, as the next run does.
fn restart(app: &App) -> App {
    let saved: session::SessionFile = serde_json::from_str(&session::to_json(app)).unwrap();
    let (entries, selected) = session::restore(authlens::tui::samples::samples(), saved);
    let mut next = App::new(
        entries,
        EnvSnapshot::default(),
        Server::Starting,
        std::time::Instant::now(),
    );
    next.selected = selected;
    next
}

#[test]
fn ctrl_n_from_the_editor_starts_a_blank_get_with_the_cursor_in_its_url() {
    let mut app = app();
    let n = app.entries.len();
    feed(&mut app, [ctrl('n')]);
    assert_eq!(app.entries.len(), n + 1);
    assert_eq!(app.selected, n);
    let e = app.entry().unwrap();
    assert_eq!(
        (e.kind, e.draft.method.as_str(), e.draft.url.as_str()),
        (EntryKind::Yours, "GET", "")
    );
    assert_eq!(app.focus, Pane::Editor);
    assert_eq!(
        app.editing.as_ref().map(|e| e.target),
        Some(Target::Draft(Place::Url))
    );
    assert_eq!(shown_names(&app)[n], "new request");
    feed(&mut app, typed("https://api.example.test/v1/me"));
    assert_eq!(app.draft().unwrap().url, "https://api.example.test/v1/me");
    assert_eq!(shown_names(&app)[n], "GET /v1/me", "named by what is typed");
    // `n` does the same from the list.
    feed(&mut app, [key(KeyCode::Esc)]);
    in_list(&mut app);
    feed(&mut app, [ch('n')]);
    assert_eq!((app.entries.len(), app.selected), (n + 2, n + 1));
}

#[test]
fn ctrl_n_is_in_the_footer_of_every_pane_and_in_the_help() {
    use authlens::tui::keymap::{contexts, footer};
    let mut app = app();
    for pane in Pane::ALL {
        app.focus = pane;
        let f = footer(&contexts(&app));
        assert!(
            f.iter().any(|(k, h)| k == "^N" && *h == "new request"),
            "{pane:?}: {f:?}"
        );
    }
    let help: Vec<String> = authlens::tui::ui::overlay::help_lines()
        .iter()
        .map(|l| l.to_string())
        .collect();
    assert!(
        help.iter()
            .any(|l| l.contains("^N") && l.contains("new request"))
    );
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("^N new request"),
        "the list's empty area says it:\n{s}"
    );
}

#[test]
fn rename_is_typed_in_the_list_enter_keeps_it_esc_and_empty_do_not() {
    let mut app = app();
    feed(&mut app, [ctrl('n'), key(KeyCode::Esc)]);
    in_list(&mut app);
    feed(&mut app, [ch('r')]);
    assert_eq!(app.editing.as_ref().unwrap().target, Target::EntryName);
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed("upload page 1"));
    assert_eq!(app.entry().unwrap().name, "", "taken only on Enter");
    let s = screen(&app, 160, 48);
    assert!(s.contains("upload page 1"), "typed in place:\n{s}");
    feed(&mut app, [key(KeyCode::Enter)]);
    assert!(app.editing.is_none());
    assert_eq!(app.entry().unwrap().name, "upload page 1");
    // Esc keeps the old name.
    feed(&mut app, [key(KeyCode::F(2))]);
    feed(&mut app, typed(" (draft)"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.entry().unwrap().name, "upload page 1");
    // An empty name is refused and the prompt stays.
    feed(&mut app, [ch('r'), ctrl('u'), ch(' '), key(KeyCode::Enter)]);
    assert!(app.editing.is_some());
    assert!(app.status.as_ref().unwrap().1.contains("cannot be empty"));
    feed(&mut app, [key(KeyCode::Esc)]);
    assert_eq!(app.entry().unwrap().name, "upload page 1");
}

#[test]
fn samples_and_history_are_not_renamed_or_moved() {
    let mut app = app();
    in_list(&mut app);
    let name = app.entry().unwrap().name.clone();
    feed(&mut app, [ch('r')]);
    assert!(app.editing.is_none());
    assert!(app.status.as_ref().unwrap().1.contains("not renamed"));
    feed(&mut app, [ch('J')]);
    assert_eq!((app.selected, app.entries[0].name.clone()), (0, name));
    assert!(app.status.as_ref().unwrap().1.contains("not moved"));
    deliver(&mut app, strict_401("EXAMPLE-token"));
    let h = app.entries.len() - 1;
    authlens::tui::update::select(&mut app, h);
    feed(&mut app, [ch('K')]);
    assert_eq!(app.entries[h].kind, EntryKind::History);
}

#[test]
fn duplicate_puts_a_copy_of_yours_right_after_the_original_and_selects_it() {
    let mut app = app();
    in_list(&mut app);
    let n = app.entries.len();
    feed(&mut app, [ctrl('d')]);
    assert_eq!(app.entries.len(), n + 1);
    assert_eq!(app.selected, 1);
    let copy = &app.entries[1];
    assert_eq!(copy.kind, EntryKind::Yours);
    assert_eq!(
        copy.name, "bearer (lower case) (copy)",
        "no ✗: it is not the lesson's"
    );
    assert_eq!(copy.draft, app.entries[0].draft);
    assert_eq!(app.entries[2].sample_id.as_deref(), Some("strict-fixed"));
    // A copy of the copy, and of the original again, are named apart.
    feed(&mut app, [ctrl('d')]);
    assert_eq!(app.entries[2].name, "bearer (lower case) (copy) (copy)");
    authlens::tui::update::select(&mut app, 0);
    feed(&mut app, [ctrl('d')]);
    assert_eq!(app.entries[1].name, "bearer (lower case) (copy 2)");
}

#[test]
fn move_reorders_yours_and_what_points_at_it_follows() {
    let mut app = app();
    in_list(&mut app);
    feed(&mut app, [ctrl('d')]); // a copy at 1, after the first sample
    feed(&mut app, [ch('K')]);
    assert_eq!(app.selected, 0);
    assert_eq!(app.entries[0].kind, EntryKind::Yours);
    assert_eq!(app.entries[1].sample_id.as_deref(), Some("strict-lower"));
    feed(&mut app, [ch('K')]); // already first: nothing
    assert_eq!(app.selected, 0);
    // A send in flight lands on its own request after the move.
    feed(&mut app, [ctrl('s')]);
    feed(&mut app, [ch('J'), ch('J')]);
    assert_eq!(app.selected, 2);
    assert_eq!(app.inflight.as_ref().unwrap().entry, 2);
}

#[test]
fn names_order_and_copies_survive_a_restart() {
    let mut app = app();
    in_list(&mut app);
    feed(&mut app, [ctrl('d'), ch('r'), ctrl('u')]);
    feed(&mut app, typed("mine"));
    feed(&mut app, [key(KeyCode::Enter), ch('K')]); // "mine" first, before the samples
    feed(&mut app, [ctrl('n'), key(KeyCode::Esc)]);
    let before: Vec<(String, Option<String>)> = app
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.sample_id.clone()))
        .collect();
    let next = restart(&app);
    let after: Vec<(String, Option<String>)> = next
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.sample_id.clone()))
        .collect();
    assert_eq!(after, before);
    assert_eq!(next.entries[0].name, "mine");
    assert_eq!(
        next.entries.last().unwrap().name,
        "",
        "unnamed stays unnamed"
    );
}

#[test]
fn a_file_from_before_requests_moved_restores_as_it_always_did() {
    // Version 1 as written before: samples first, yours after; one sample left out (new).
    let mut samples = authlens::tui::samples::samples();
    let new_one = samples.remove(3);
    let mut entries: Vec<session::SavedEntry> = samples
        .iter()
        .map(|e| session::SavedEntry {
            name: e.name.clone(),
            sample_id: e.sample_id.clone(),
            draft: e.draft.clone(),
        })
        .collect();
    entries.push(session::SavedEntry {
        name: "GET https://h.test/x".into(),
        sample_id: None,
        draft: Draft::new("GET", "https://h.test/x"),
    });
    let file = session::SessionFile {
        version: 1,
        selected: 0,
        entries,
    };
    let (restored, _) = session::restore(authlens::tui::samples::samples(), file);
    let ids: Vec<Option<&str>> = restored.iter().map(|e| e.sample_id.as_deref()).collect();
    let shipped: Vec<Option<String>> = authlens::tui::samples::samples()
        .into_iter()
        .map(|e| e.sample_id)
        .collect();
    assert_eq!(
        ids[..shipped.len()],
        shipped.iter().map(|s| s.as_deref()).collect::<Vec<_>>()[..]
    );
    assert_eq!(
        ids[3],
        new_one.sample_id.as_deref(),
        "a new sample in its place"
    );
    assert_eq!(restored.last().unwrap().name, "GET https://h.test/x");
}

#[test]
fn an_edited_sample_no_longer_claims_its_mark_or_its_lesson() {
    let mut app = app();
    let s = screen(&app, 160, 48);
    assert!(s.contains("▶  ✗ bearer (lower case)"), "{s}");
    assert!(s.contains("lesson: A naive server"), "{s}");
    // Fixing the scheme by hand makes it another request than the lesson's broken one.
    feed(&mut app, [ch('F')]);
    let s = screen(&app, 160, 48);
    assert!(s.contains("▶✎ bearer (lower case)"), "{s}");
    assert!(!s.contains("✗ bearer"), "{s}");
    assert!(!s.contains("lesson: A naive server"), "{s}");
    assert!(
        s.contains("✎ edited: the lesson described this sample as it"),
        "{s}"
    );
    // Put back as shipped, it is the lesson's again.
    in_list(&mut app);
    feed(&mut app, [ch('R')]);
    let s = screen(&app, 160, 48);
    assert!(s.contains("▶  ✗ bearer (lower case)"), "{s}");
}

#[test]
fn an_edit_survives_a_restart_and_stays_marked_an_untouched_sample_does_not() {
    let mut app = app();
    feed(&mut app, [ch('F')]);
    let next = restart(&app);
    assert!(authlens::tui::samples::is_edited(&next.entries[0]));
    assert!(
        next.entries[1..]
            .iter()
            .filter(|e| e.kind == EntryKind::Sample)
            .all(|e| !authlens::tui::samples::is_edited(e)),
        "restored unchanged, credentials put back last"
    );
}

#[test]
fn pasted_entries_are_named_by_method_and_path_and_twins_are_told_apart_at_the_lists_width() {
    let mut app = app();
    let curl = |host: &str| {
        format!(
            "curl -X POST 'https://{host}/api/v1/vote-extraction/extract?api_key=EXAMPLE-key-000000' -F files=@page1.jpg"
        )
    };
    update(
        &mut app,
        authlens::tui::msg::Msg::Paste(curl("staging.example.test")),
    );
    update(
        &mut app,
        authlens::tui::msg::Msg::Paste(curl("prod.example.test")),
    );
    update(
        &mut app,
        authlens::tui::msg::Msg::Paste(curl("prod.example.test")),
    );
    let n = app.entries.len();
    let names = shown_names(&app);
    assert_eq!(
        names[n - 3..],
        [
            "POST /api/v1/vote-extraction/extract · staging",
            "POST /api/v1/vote-extraction/extract · prod",
            "POST /api/v1/vote-extraction/extract · prod #2",
        ]
    );
    in_list(&mut app);
    let s = screen(&app, 160, 48);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains("POST /api")).collect();
    assert_eq!(rows.len(), 3, "{s}");
    let cells: Vec<String> = rows
        .iter()
        .map(|r| r.split(['│', '┃']).nth(1).unwrap().trim().to_string())
        .collect();
    assert!(
        cells.iter().all(|c| !c.contains("EXAMPLE-key")),
        "{cells:?}"
    );
    for (i, a) in cells.iter().enumerate() {
        for b in &cells[i + 1..] {
            assert_ne!(a, b, "two entries read the same at 160 columns:\n{s}");
        }
    }
    assert!(cells[0].ends_with("· staging"), "{cells:?}");
    assert!(cells[2].ends_with("· prod #2"), "{cells:?}");
}

#[test]
fn a_history_fork_is_named_by_method_and_path() {
    let mut app = app();
    deliver(&mut app, strict_401("EXAMPLE-token"));
    let h = app.entries.len() - 1;
    authlens::tui::update::select(&mut app, h);
    feed(&mut app, [ch('e'), ch('x'), key(KeyCode::Esc)]);
    let e: &Entry = app.entry().unwrap();
    assert_eq!(e.kind, EntryKind::Yours);
    assert_eq!(names::base(e), "GET /strict/v1/modelsx");
}
