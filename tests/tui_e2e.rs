//! The real event loop with scripted input against the in-process practice server: the
//! lower-case `bearer` sample is linted, gets 401 and a diagnosis; one key applies the fix,
//! sending again gets 200, and `q` ends the loop.

mod tui_common;

use authlens::tui::app::{App, EnvSnapshot, Server, Tab};
use authlens::tui::samples;
use crossterm::event::KeyCode;
use std::time::{Duration, Instant};
use tui_common::*;

const DEADLINE: Duration = Duration::from_secs(20);

/// The samples with sample `id` selected.
fn on_sample(id: &str) -> App {
    let mut app = fresh_app();
    app.selected = app
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no sample {id}"));
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strict_route_401_finding_fix_then_200_then_quit() {
    let ui = start_loop(fresh_app(), DEADLINE).await;
    // Lint, before sending: the lower-case scheme is already pointed out, with a fix.
    ui.wait_for("[fix: F]", DEADLINE).await;
    ui.send([ctrl('s')]);
    let s = ui.wait_for("▼ 401 Unauthorized", DEADLINE).await;
    assert!(
        s.contains("typed h1 │ authorization: bearer sk-au…0000 (43 chars)"),
        "{s}"
    );
    assert!(s.contains("captured from the socket"), "{s}");
    let s = ui.wait_for("diagnosis of the last send", DEADLINE).await;
    assert!(
        s.contains("auth-scheme-case"),
        "the finding names its rule:\n{s}"
    );

    // One key applies the fix and says what changed; sending again gets 200.
    ui.send([ch('F')]);
    let s = ui.wait_for("fixed (", DEADLINE).await;
    assert!(s.contains("Authorization: Bearer ${OPENAI_API_KEY}"), "{s}");
    ui.send([ctrl('s')]);
    let s = ui.wait_for("▼ 200 OK", DEADLINE).await;
    assert!(
        s.contains("authorization: Bearer sk-au…0000 (43 chars)"),
        "{s}"
    );

    // Copy as curl from the exchange pane: masked.
    ui.send([key(KeyCode::Tab), key(KeyCode::Tab)]);
    ui.wait_for("● Exchange", DEADLINE).await;
    ui.send([ch('y')]);
    ui.wait_for("copied curl command (secrets as $VARIABLES", DEADLINE)
        .await;
    let curl = ui.copied.lock().unwrap()[0].clone();
    assert!(
        curl.contains(r#"Authorization: Bearer '"${OPENAI_API_KEY}"''"#),
        "{curl}"
    );
    assert!(!curl.contains("sk-authlens-EXAMPLE"), "{curl}");

    // The list: down to another sample.
    ui.send([key(KeyCode::Tab), ch('j')]);
    ui.wait_for("▶  ✓ Bearer (exact)", DEADLINE).await;
    ui.quit(DEADLINE).await;
}

/// A file part built with the keys alone: the path completed by Tab from the disk, the file
/// name and type typed over their defaults, and all three on the wire of the echo route.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_part_completed_with_tab_sends_the_typed_name_and_type() {
    let dir = std::env::temp_dir().join(format!("authlens-e2e-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("EXAMPLE-upload-page.png"), b"FAKE-PNG-BYTES").unwrap();
    let app = on_sample("echo");
    let ui = start_loop(app, DEADLINE).await;
    let body_tab = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    ui.send((0..body_tab).map(|_| ch('l')));
    ui.send([ch('f')]);
    ui.wait_for("Tab completes the path", DEADLINE).await;
    ui.send(typed(&format!("{}/EXAMPLE-up", dir.display())));
    ui.send([key(KeyCode::Tab)]);
    ui.wait_for("EXAMPLE-upload-page.png", DEADLINE).await;
    ui.send([key(KeyCode::Enter), ch('N')]);
    ui.send(typed("renamed-EXAMPLE.png"));
    ui.send([key(KeyCode::Enter), ch('T')]);
    ui.send(typed("image/x-fake"));
    ui.send([key(KeyCode::Enter), ctrl('s')]);
    ui.wait_for("▼ 200 OK", DEADLINE).await;
    let app = ui.quit(DEADLINE).await;
    std::fs::remove_dir_all(&dir).unwrap();

    let sent = app.loaded().expect("the echo exchange");
    let wire = String::from_utf8_lossy(&sent.exchange.hops[0].request.raw).to_lowercase();
    assert!(
        wire.contains(r#"name="files"; filename="renamed-example.png""#),
        "{wire}"
    );
    assert!(wire.contains("content-type: image/x-fake"), "{wire}");
    assert!(wire.contains("fake-png-bytes"), "{wire}");
}

/// Quitting after a failed send leaves only news about quitting: here, drafts that could not
/// be saved (the data directory is a file), which `main` prints once the terminal is back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_save_on_quit_is_reported_and_an_old_error_is_not() {
    let blocker = std::env::temp_dir().join(format!("authlens-not-a-dir-{}", std::process::id()));
    std::fs::write(&blocker, b"a file where the data directory should be").unwrap();
    let mut app = fresh_app();
    app.status = Some((
        authlens::tui::app::Level::Error,
        "an old send failed".into(),
    ));
    let ui = start_loop_saving(app, Some(blocker.join("session.json")), DEADLINE).await;
    let app = ui.quit(DEADLINE).await;
    std::fs::remove_file(&blocker).unwrap();
    let (level, text) = app.status.expect("the save failure");
    assert_eq!(level, authlens::tui::app::Level::Error);
    assert!(text.starts_with("drafts not saved to "), "{text}");
}

/// The real loop with a large response body: `/` answers from a search off the event loop, and
/// the view jumps to the match when it lands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_in_a_large_body_lands_through_the_loop() {
    let mut app = fresh_app();
    let mut ex = strict_401("EXAMPLE-FAKE-token");
    let body: String = (1..=200_000)
        .map(|i| format!("row {i} EXAMPLE\n"))
        .collect();
    ex.hops[0].response.body = authlens::exchange::BodyPreview::from_bytes(body.into_bytes());
    deliver(&mut app, ex);
    let ui = start_loop(app, DEADLINE).await;
    ui.send([key(KeyCode::Tab), key(KeyCode::Tab), ch('/')]);
    ui.send(typed("ROW 199999 example"));
    ui.send([key(KeyCode::Enter)]);
    let s = ui.wait_for("match on line 199999", DEADLINE).await;
    assert!(s.contains("row 199999 EXAMPLE"), "{s}");
    ui.quit(DEADLINE).await;
}

/// The real loop with a 1 MiB request body: typing in it is linted off the event loop (the
/// runtime's worker), and what the newest text resolves to lands on screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_in_a_large_body_is_linted_off_the_loop_and_lands() {
    let mut draft = authlens::draft::Draft::new("POST", "http://127.0.0.1:43210/v1/items");
    draft.body = authlens::draft::Body::Text {
        content_type: None,
        text: "EXAMPLE FAKE line of a large body\n".repeat((1 << 20) / 34),
    };
    let mut entries = samples::samples();
    entries.insert(
        0,
        authlens::tui::app::Entry {
            name: "1 MiB upload".into(),
            lesson: None,
            kind: authlens::tui::app::EntryKind::Yours,
            sample_id: None,
            draft,
            outcome: None,
        },
    );
    let app = App::new(
        entries,
        EnvSnapshot::default(),
        Server::Starting,
        Instant::now(),
    );
    let ui = start_loop(app, DEADLINE).await;
    let body_tab = Tab::ALL.iter().position(|t| *t == Tab::Body).unwrap();
    ui.send((0..body_tab).map(|_| ch('l')));
    ui.send([key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Enter)]);
    ui.send(typed("${EXAMPLE_UNSET}"));
    ui.wait_for("✗ not set: EXAMPLE_UNSET", DEADLINE).await;
    ui.send([key(KeyCode::Esc)]);
    ui.quit(DEADLINE).await;
}

/// The fake scan the upload samples send is a file this run writes in the temporary
/// directory; it is removed when the loop ends, by `q` or by SIGTERM (`Msg::Terminate`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scan_file_of_the_upload_samples_is_removed_when_the_loop_ends() {
    for end in [ch('q'), authlens::tui::msg::Msg::Terminate] {
        let ui = start_loop(fresh_app(), DEADLINE).await;
        let app = ui.finish([end], DEADLINE).await;
        let Server::Ready { page, .. } = &app.server else {
            panic!("the practice server was ready: {:?}", app.server)
        };
        let page = std::path::Path::new(page);
        assert!(page.starts_with(std::env::temp_dir()), "{}", page.display());
        assert!(!page.exists(), "{} is left behind", page.display());
    }
}

/// `w` at the quit question, through the real loop: the `.env` in the working directory holds
/// each typed secret exactly, is created `0600`, and the session file refers to the names
/// written — so the next run, reading that `.env`, sends the same bytes.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn w_at_quit_writes_typed_secrets_to_env_and_the_session_refers_to_them() {
    use authlens::tui::session;
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("authlens-e2e-keep-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let typed = "Bearer EXAMPLE-FAKE-typed key '$HOME' 0000";
    let mut draft = authlens::draft::Draft::new("GET", "https://api.example.test/v1/models")
        .header("Authorization", typed)
        .header("X-API-Key", "${MY_API_KEY}");
    draft
        .vars
        .push(("MY_API_KEY".into(), "FAKE-variable-value-1111".into()));
    let mut app = fresh_app();
    app.entries.push(authlens::tui::app::Entry {
        name: "mine".into(),
        lesson: None,
        kind: authlens::tui::app::EntryKind::Yours,
        sample_id: None,
        draft: draft.clone(),
        outcome: None,
    });
    let mut env = app.env.clone();
    env.rules.cwd = Some(dir.display().to_string());
    app.set_env(env);
    let session_path = dir.join("data").join("session.json");
    let ui = start_loop_saving(app, Some(session_path.clone()), DEADLINE).await;
    ui.send([ch('q')]);
    ui.wait_for("2 secrets you typed are not saved", DEADLINE)
        .await;
    let app = ui.finish([ch('w')], DEADLINE).await;
    let (_, note) = app.status.clone().expect("a note for after the terminal");
    assert!(note.starts_with("wrote 2 secrets you typed to "), "{note}");

    let env_path = dir.join(".env");
    let mode = std::fs::metadata(&env_path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let file = authlens::vars::dotenv::load_file(&env_path);
    let value = |k: &str| {
        file.entries
            .iter()
            .find(|e| e.key == k)
            .map(|e| e.value.clone())
    };
    assert_eq!(
        value("AUTHORIZATION").as_deref(),
        Some("EXAMPLE-FAKE-typed key '$HOME' 0000")
    );
    assert_eq!(
        value("MY_API_KEY").as_deref(),
        Some("FAKE-variable-value-1111")
    );

    let json = std::fs::read_to_string(&session_path).unwrap();
    assert!(json.contains("Bearer ${AUTHORIZATION}"), "{json}");
    assert!(json.contains("${MY_API_KEY}"), "{json}");
    assert!(!json.contains("AUTHLENS_UNSAVED"), "{json}");
    assert!(!json.contains("EXAMPLE-FAKE-typed") && !json.contains("FAKE-variable"));

    // The next run: the restored draft, with that .env, resolves to what was typed.
    let session::Loaded::Saved(saved) = session::load(&session_path) else {
        panic!("the session loads")
    };
    let (entries, _) = session::restore(samples::samples(), saved);
    let mine = entries.iter().find(|e| e.name == "mine").unwrap();
    let vars =
        authlens::vars::Vars::build(&mine.draft.vars, [], authlens::vars::dotenv::search(&dir));
    let r = authlens::vars::resolve(&mine.draft, &vars);
    let headers: Vec<&str> = r.headers.iter().map(|h| h.value.text.as_str()).collect();
    assert_eq!(headers, [typed, "FAKE-variable-value-1111"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The wire view shows a multipart request's part heads as sent (name, file name, type),
/// with the file's bytes summarised, not `+ N body bytes`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uploads_part_heads_show_in_the_wire_view() {
    let mut app = fresh_app();
    let i = app
        .entries
        .iter()
        .position(|e| e.sample_id.as_deref() == Some("extract-fixed"))
        .unwrap();
    authlens::tui::update::select(&mut app, i);
    let ui = start_loop(app, DEADLINE).await;
    ui.wait_for("practice server", DEADLINE).await;
    ui.send([ctrl('s')]);
    let s = ui.wait_for("▼ 200 OK", DEADLINE).await;
    assert!(s.contains("bytes as sent"), "{s}");
    for part_head in [
        "Content-Disposition: form-data; name=\"files\";",
        "filename=\"page1.jpg\"",
        "Content-Type: image/jpeg",
        "binary bytes",
    ] {
        assert!(s.contains(part_head), "{part_head}:\n{s}");
    }
    ui.quit(DEADLINE).await;
}

/// The Settings tab's redirect limit, set with the keys, holds on the real loop: the
/// cross-origin redirect sample stops at its 307 instead of following it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_off_in_the_settings_tab_show_the_307_itself() {
    let app = on_sample("redirect-cross");
    let ui = start_loop(app, DEADLINE).await;
    let settings = Tab::ALL.iter().position(|t| *t == Tab::Settings).unwrap();
    ui.send((0..settings).map(|_| ch('l')));
    ui.wait_for("redirects:", DEADLINE).await;
    ui.send([key(KeyCode::Down), key(KeyCode::Down), key(KeyCode::Enter)]);
    ui.send(typed("0"));
    ui.send([key(KeyCode::Enter)]);
    ui.wait_for("do not follow (0)", DEADLINE).await;
    ui.send([ctrl('s')]);
    let s = ui.wait_for("not followed", DEADLINE).await;
    assert!(s.contains("307 Temporary Redirect"), "{s}");
    assert!(!s.contains("hop 2"), "one hop only:\n{s}");
    ui.quit(DEADLINE).await;
}

/// The session's cookie jar on the real loop: the login's 303 sets the cookie, the Vars tab
/// lists it masked, the next request to `/cookie/me` carries it (marked as the jar's on the
/// wire) and gets 200; `C` empties the jar and the same request gets 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jar_keeps_the_login_cookie_for_the_next_request_until_emptied() {
    let app = on_sample("cookie-login");
    let ui = start_loop(app, DEADLINE).await;
    ui.wait_for("practice server 127.0.0.1", DEADLINE).await;
    ui.send([ctrl('s')]);
    ui.wait_for("▼ 200 OK", DEADLINE).await;
    let vars = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    ui.send((0..vars).map(|_| ch('l')));
    let s = ui.wait_for("cookie jar · 1 cookie", DEADLINE).await;
    assert!(s.contains("session = authl…6666 (41 chars)"), "{s}");
    assert!(s.contains("domain 127.0.0.1 (host"), "{s}");
    assert!(!s.contains(authlens::practice::keys::SESSION_COOKIE), "{s}");

    // The request before it in the list: /cookie/me, with no credential of its own.
    ui.send([
        key(KeyCode::Tab),
        key(KeyCode::Tab),
        key(KeyCode::Tab),
        ch('k'),
    ]);
    ui.wait_for("▶  ✗ no session cookie", DEADLINE).await;
    ui.send([ctrl('s')]);
    let s = ui.wait_for("▼ 200 OK", DEADLINE).await;
    assert!(s.contains("jar      │ cookie: session="), "{s}");
    assert!(!s.contains(authlens::practice::keys::SESSION_COOKIE), "{s}");

    ui.send([ch('C')]);
    ui.wait_for("the cookie jar is empty now (1 cookie dropped)", DEADLINE)
        .await;
    ui.send([ctrl('s')]);
    ui.wait_for("▼ 401 Unauthorized", DEADLINE).await;
    ui.quit(DEADLINE).await;
}

/// A login cookie with a Path too narrow for the page it redirects to: the exchange view
/// says, on the hop that went without it, which cookie the jar kept back and why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_exchange_says_which_jar_cookie_a_hop_went_without_and_why() {
    let mut app = on_sample("cookie-login");
    app.entries[app.selected]
        .draft
        .url
        .push_str("?path=/cookie/admin");
    let ui = start_loop(app, DEADLINE).await;
    ui.wait_for("practice server 127.0.0.1", DEADLINE).await;
    ui.send([ctrl('s')]);
    let s = ui.wait_for("▼ 401 Unauthorized", DEADLINE).await;
    assert!(
        s.contains("✂ jar    │ cookie session not sent: its Path /cookie/admin"),
        "{s}"
    );
    ui.quit(DEADLINE).await;
}
