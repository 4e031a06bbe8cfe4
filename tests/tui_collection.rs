//! `.http` files as the TUI's collection, through `update`: a file opened lists its requests
//! named by file, its variables and environments resolve in them, `w` saves (in place for a
//! file's request, into a new file for one of yours, keys only as references), `E` switches
//! environments, and the session never duplicates a file's request.

mod tui_common;

use authlens::tui::app::{App, EntryKind, Level, Pane, Target};
use authlens::tui::collection::{self, save::SaveJob};
use authlens::tui::msg::{Effect, Msg};
use authlens::tui::{names, session};
use authlens::vars::Source;
use crossterm::event::KeyCode;
use std::path::{Path, PathBuf};
use tui_common::*;

const API: &str = "# The team's requests: kept in git.
@host = http://127.0.0.1:9
@version = v1

### upload
# a comment inside the request, kept
POST {{host}}/api/{{version}}/vote-extraction/extract
X-API-Key: {{API_KEY}}
Content-Type: application/json

{\"page\": 1}

> {% client.global.set(\"id\", response.body.id); %}

###
# @name list
GET {{host}}/api/{{version}}/items?page=1
Accept: application/json

### a line authlens does not know is kept too
";

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("authlens-coll-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The sample app with the files at `paths` listed after the samples.
fn with_files(paths: &[PathBuf]) -> App {
    let mut app = app();
    let (opened, note) = collection::open_all(paths);
    assert_eq!(note, None);
    authlens::tui::open_collection(&mut app, (opened, None, true));
    app
}

/// Runs the save the app asked for, as the runtime does, and hands back the answer.
fn perform_save(app: &mut App, effects: Vec<Effect>) {
    let job: SaveJob = effects
        .into_iter()
        .find_map(|e| match e {
            Effect::SaveHttp(job) => Some(*job),
            _ => None,
        })
        .expect("a save asked for");
    update(app, Msg::HttpSaved(Box::new(job.run())));
}

#[test]
fn a_file_opened_lists_its_requests_by_file_and_its_variables_resolve() {
    let d = dir("open");
    let path = d.join("api.http");
    std::fs::write(&path, API).unwrap();
    let app = with_files(std::slice::from_ref(&path));
    let e = app.entry().unwrap();
    assert_eq!(e.name, "api.http › upload");
    assert!(matches!(e.kind, EntryKind::File(r) if r.index == 0));
    let all: Vec<String> = app.entries.iter().map(|e| e.name.clone()).collect();
    assert!(all.contains(&"api.http › list".to_string()), "{all:?}");
    let host = app.vars.get("host").expect("the file's @host");
    assert_eq!(host.value, "http://127.0.0.1:9");
    assert_eq!(host.source, Source::HttpFile { path, line: 2 });
    let url = &app.resolved.as_ref().unwrap().url.text;
    assert_eq!(url, "http://127.0.0.1:9/api/v1/vote-extraction/extract");
    // The session never holds a file's request: the file brings it back.
    let saved = session::to_json(&app);
    assert!(
        !saved.contains("{{host}}") && !saved.contains("api.http"),
        "{saved}"
    );
}

#[test]
fn requests_of_two_files_never_look_the_same() {
    let d = dir("two");
    let one = "### upload\nPOST http://a.test/x\n";
    std::fs::write(d.join("a.http"), one).unwrap();
    std::fs::write(d.join("b.http"), one).unwrap();
    let found = collection::files_in(&d);
    assert_eq!(found.len(), 2);
    let app = with_files(&found);
    let shown: Vec<String> = names::shown(&app.entries)
        .into_iter()
        .map(|(b, s)| b + &s)
        .collect();
    assert!(shown.contains(&"a.http › upload".to_string()), "{shown:?}");
    assert!(shown.contains(&"b.http › upload".to_string()), "{shown:?}");
    let mut unique = shown.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), shown.len(), "{shown:?}");
}

#[test]
fn an_edit_to_a_files_request_not_saved_is_kept_in_the_session_at_quit() {
    let d = dir("unsaved");
    let path = d.join("api.http");
    std::fs::write(&path, API).unwrap();
    let mut app = with_files(std::slice::from_ref(&path));
    let list = app.entries.iter().position(|e| e.name == "api.http › list");
    app.focus = Pane::List;
    authlens::tui::update::select(&mut app, list.unwrap());
    app.focus = Pane::Editor;
    feed(
        &mut app,
        [ch('e'), key(KeyCode::Backspace), ch('7'), key(KeyCode::Esc)],
    );
    // Not saved to the file: the session keeps the edit as the user's own draft.
    let saved = session::to_json(&app);
    assert!(saved.contains("items?page=7"), "{saved}");
    assert!(saved.contains("api.http › list (unsaved edit)"), "{saved}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), API);
    // The file's other request, untouched, is still left to the file.
    assert!(!saved.contains("api.http › upload"), "{saved}");
}

#[test]
fn saving_a_files_request_changes_only_that_request_in_the_file() {
    let d = dir("inplace");
    let path = d.join("api.http");
    std::fs::write(&path, API).unwrap();
    let mut app = with_files(std::slice::from_ref(&path));
    // The second request: its URL's page 1 becomes page 2.
    update(&mut app, ch('j'));
    let list = app.entries.iter().position(|e| e.name == "api.http › list");
    app.focus = Pane::List;
    authlens::tui::update::select(&mut app, list.unwrap());
    app.focus = Pane::Editor;
    feed(
        &mut app,
        [ch('e'), key(KeyCode::Backspace), ch('2'), key(KeyCode::Esc)],
    );
    let effects = update(&mut app, ch('w'));
    perform_save(&mut app, effects);
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(after, API.replace("items?page=1", "items?page=2"));
    let (level, text) = app.status.clone().unwrap();
    assert_eq!(level, Level::Info, "{text}");
    assert!(text.starts_with("saved to "), "{text}");
}

#[test]
fn a_new_request_saved_to_a_new_file_has_its_key_as_a_reference_and_is_remembered() {
    let d = dir("new");
    let path = d.join("mine.http");
    let mut app = app();
    update(&mut app, ctrl('n'));
    feed(&mut app, typed("https://api.example.test/v1/items"));
    update(&mut app, key(KeyCode::Esc));
    // A header of the user's own, with a literal key.
    app.draft_mut()
        .unwrap()
        .headers
        .push(authlens::draft::Row::new(
            "X-API-Key",
            "FAKE-EXAMPLE-KEY-0001",
        ));
    update(&mut app, ch('w'));
    assert!(matches!(&app.editing, Some(e) if e.target == Target::SaveAs));
    assert_eq!(app.editing.as_ref().unwrap().input.text, "./requests.http");
    feed(&mut app, [ctrl('u')]);
    feed(&mut app, typed(&path.display().to_string()));
    update(&mut app, key(KeyCode::Enter));
    // The name offered is the one the list shows.
    assert_eq!(app.editing.as_ref().unwrap().input.text, "GET /v1/items");
    let effects = update(&mut app, key(KeyCode::Enter));
    perform_save(&mut app, effects);
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(!written.contains("FAKE-EXAMPLE-KEY"), "{written}");
    assert!(
        written.contains("X-API-Key: {{AUTHLENS_UNSAVED_"),
        "{written}"
    );
    assert!(
        written.contains("GET https://api.example.test/v1/items"),
        "{written}"
    );
    let (_, text) = app.status.clone().unwrap();
    assert!(
        text.contains("the literal key in header X-API-Key was written as {{AUTHLENS_UNSAVED_"),
        "{text}"
    );
    let e = app.entry().unwrap();
    assert_eq!(e.name, "mine.http › GET /v1/items");
    assert!(matches!(e.kind, EntryKind::File(r) if r.index == 0));
    // Remembered: the next `w` writes in place, asking nothing.
    let effects = update(&mut app, ch('w'));
    assert!(app.editing.is_none());
    assert!(matches!(&effects[..], [Effect::SaveHttp(job)] if job.index == Some(0)));
    // And the session leaves it to the file.
    assert!(!session::to_json(&app).contains("api.example.test"));
}

#[test]
fn esc_in_the_save_prompt_writes_nothing() {
    let mut app = app();
    update(&mut app, ctrl('n'));
    update(&mut app, key(KeyCode::Esc));
    update(&mut app, ch('w'));
    let effects = feed(&mut app, [key(KeyCode::Esc)]);
    assert!(effects.iter().all(|e| !matches!(e, Effect::SaveHttp(_))));
    assert!(app.collection.saving.is_none() && app.editing.is_none());
    assert_eq!(app.status.unwrap().1, "not saved");
}

#[test]
fn e_switches_environments_and_the_values_and_title_follow() {
    let d = dir("envs");
    let path = d.join("api.http");
    std::fs::write(
        &path,
        "### who\nGET {{BASE}}/me\nAuthorization: Bearer {{TOKEN}}\n",
    )
    .unwrap();
    let envs = r#"{"dev": {"BASE": "http://dev.test"}, "prod": {"BASE": "https://prod.test"}}"#;
    std::fs::write(d.join("http-client.env.json"), envs).unwrap();
    let private = r#"{"dev": {"TOKEN": "FAKE-EXAMPLE-dev-token"}}"#;
    std::fs::write(d.join("http-client.private.env.json"), private).unwrap();
    let mut app = with_files(std::slice::from_ref(&path));
    assert!(app.vars.get("BASE").is_none());
    assert!(screen(&app, 120, 30).contains("Requests · .env"));
    update(&mut app, ch('E'));
    let base = app.vars.get("BASE").unwrap();
    assert_eq!(base.value, "http://dev.test");
    assert!(matches!(&base.source, Source::HttpEnv { env, .. } if env == "dev"));
    let token = app.vars.get("TOKEN").unwrap();
    assert!(
        matches!(&token.source, Source::HttpEnv { path, .. } if path.ends_with("http-client.private.env.json"))
    );
    assert_eq!(
        app.resolved.as_ref().unwrap().url.text,
        "http://dev.test/me"
    );
    assert!(screen(&app, 120, 30).contains("Requests · dev"));
    update(&mut app, ch('E'));
    assert_eq!(app.vars.value("BASE").as_deref(), Some("https://prod.test"));
    assert!(app.vars.get("TOKEN").is_none(), "prod has no token");
    update(&mut app, ch('E'));
    assert!(app.collection.env.is_none() && app.vars.get("BASE").is_none());
}

#[test]
fn the_vars_tab_names_the_environments_and_the_active_one() {
    let d = dir("varstab");
    let path = d.join("api.http");
    std::fs::write(&path, "GET {{BASE}}/me\n").unwrap();
    std::fs::write(
        d.join("http-client.env.json"),
        r#"{"dev": {"BASE": "http://dev.test"}}"#,
    )
    .unwrap();
    let mut app = with_files(std::slice::from_ref(&path));
    update(&mut app, ch('E'));
    while app.editor.tab() != authlens::tui::app::Tab::Vars {
        update(&mut app, ch('l'));
    }
    let s = screen(&app, 160, 48);
    assert!(s.contains("environment · E switches"), "{s}");
    assert!(s.contains("▶ dev"), "{s}");
    assert!(s.contains("http-client.env.json (dev)"), "{s}");
}

#[test]
fn a_missing_or_broken_file_is_one_line_naming_file_and_line() {
    let d = dir("broken");
    let e = collection::open(&d.join("nope.http")).unwrap_err();
    assert!(e.to_string().contains("nope.http"), "{e}");
    let bad = d.join("bad.http");
    std::fs::write(&bad, "GET http://h/\n\n< ./missing-body.json\n").unwrap();
    let e = collection::open(&bad).unwrap_err().to_string();
    assert!(e.contains("bad.http:3:"), "{e}");
    assert_eq!(e.lines().count(), 1);
    assert!(collection::file_arg("api.http").is_some());
    assert_eq!(collection::file_arg("https://h/a.http"), None::<&Path>);
}

const UPLOAD: &str = "### upload
POST {{BASE}}/api/v1/vote-extraction/extract
X-API-Key: {{API_KEY}}
Content-Type: multipart/form-data; boundary=WebAppBoundary

--WebAppBoundary
Content-Disposition: form-data; name=\"files\"; filename=\"page1.jpg\"
Content-Type: image/jpeg

< ./page1.jpg
--WebAppBoundary--
";

/// The seed-000 upload kept in a `.http` file, its base and key in the private environment
/// `dev`: opened, `E` picks dev, `^S` sends it on the real loop, and the practice server
/// answers 200 having got the key in `X-API-Key`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_upload_of_a_http_file_in_env_dev_gets_200_on_the_real_loop() {
    use authlens::practice::{Config, PracticeServer, keys};
    use authlens::tui::app::{EnvSnapshot, Server};
    use std::time::{Duration, Instant};
    const DEADLINE: Duration = Duration::from_secs(30);
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let d = dir("e2e");
    std::fs::write(d.join("api.http"), UPLOAD).unwrap();
    std::fs::write(d.join("page1.jpg"), b"\xff\xd8\xff\xe0EXAMPLE-page").unwrap();
    let private = format!(
        r#"{{"dev": {{"BASE": "{}", "API_KEY": "{}"}}}}"#,
        s.url(""),
        keys::API_KEY
    );
    std::fs::write(d.join("http-client.private.env.json"), private).unwrap();
    let mut app = App::new(
        authlens::tui::samples::samples(),
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    );
    let (opened, note) = collection::open_all(&[d.join("api.http")]);
    assert_eq!(note, None);
    authlens::tui::open_collection(&mut app, (opened, None, true));
    let ui = start_loop(app, DEADLINE).await;
    ui.send([ch('E')]);
    ui.wait_for("Requests · dev", DEADLINE).await;
    ui.send([ctrl('s')]);
    let screen = ui.wait_for("▼ 200 OK", DEADLINE).await;
    assert!(
        !screen.contains(keys::API_KEY),
        "masked on screen:\n{screen}"
    );
    ui.quit(DEADLINE).await;
    let records = s.records();
    let raw = String::from_utf8_lossy(&records.last().unwrap().raw).into_owned();
    assert!(
        raw.contains(&format!("x-api-key: {}", keys::API_KEY)) || raw.contains(keys::API_KEY),
        "{raw}"
    );
    assert!(
        raw.contains("filename=\"page1.jpg\"") && raw.contains("EXAMPLE-page"),
        "{raw}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// A `.http` request's `# @insecure`, sent from the TUI on the real loop to the practice
/// server's TLS port with no CA to trust: it gets through (the server answers 401 for the
/// missing key) and the exchange says, on its hop bar, that TLS was not verified.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_files_insecure_request_goes_unverified_from_the_tui_and_says_so() {
    use authlens::ca::{Authority, Kind};
    use authlens::practice::{Config, PracticeServer};
    use std::time::Duration;
    const DEADLINE: Duration = Duration::from_secs(30);
    let d = dir("insecure");
    let ca = Authority::load_or_create(&d.join("data/authlens"), Kind::Practice).unwrap();
    let mut s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let port = s.listen_tls(0, &ca).await.unwrap().port();
    let file = format!("# @name tls\n# @insecure\nGET https://127.0.0.1:{port}/v1/models\n");
    std::fs::write(d.join("tls.http"), file).unwrap();
    let mut app = fresh_app();
    let (opened, note) = collection::open_all(&[d.join("tls.http")]);
    assert_eq!(note, None);
    authlens::tui::open_collection(&mut app, (opened, None, true));
    let ui = start_loop(app, DEADLINE).await;
    ui.send([ctrl('s')]);
    let screen = ui.wait_for("TLS NOT VERIFIED", DEADLINE).await;
    assert!(screen.contains("hop 1 401"), "{screen}");
    ui.quit(DEADLINE).await;
}
