//! The history file (`tui::history_store`): a send kept and read back as it was, findings
//! included; the caps; masking and `0600`; a corrupt file moved aside; the effects `update`
//! asks for; and the real loop against the practice server, restarted on the same data dir.

mod tui_common;

use authlens::draft::Draft;
use authlens::exchange::BodyPreview;
use authlens::tui::app::{App, Entry, EntryKind, EnvSnapshot, Loaded, Outcome, Server};
use authlens::tui::history_store::file::Store;
use authlens::tui::history_store::{BODY_MAX, Keep, MAX_BYTES, MAX_ENTRIES, Op, Restored, Source};
use authlens::tui::msg::{Effect, Msg};
use crossterm::event::KeyCode;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tui_common::*;

const DEADLINE: Duration = Duration::from_secs(20);
const KEY: &str = "EXAMPLE-FAKE-history-key-0123456789abcdef";

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-history-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// One of the user's requests with the key typed literally, and an app that sent it and got
/// the strict route's 401 back, the key echoed in the body too.
fn sent_app(body_extra: &str) -> App {
    let draft = Draft::new("GET", &format!("{BASE}/strict/v1/models"))
        .header("Authorization", &format!("bearer {KEY}"));
    let mut app = App::new(
        vec![Entry::yours("mine".into(), draft)],
        EnvSnapshot::default(),
        Server::NotNeeded,
        Instant::now(),
    );
    app.unix_now = Some(1_772_366_400);
    let mut ex = strict_401(KEY);
    let body = format!(r#"{{"detail":"Unauthorized","got":"{KEY}"}}{body_extra}"#);
    ex.hops[0].response.body = BodyPreview::from_bytes(body.into_bytes());
    deliver(&mut app, ex);
    app
}

/// The `Keep` a send asks for, as `update` made it.
fn keep_of(app: &App) -> Keep {
    let entry = app
        .entries
        .iter()
        .rfind(|e| e.kind == EntryKind::History)
        .unwrap();
    let loaded = entry
        .outcome
        .as_ref()
        .and_then(Outcome::shared)
        .unwrap()
        .clone();
    Keep {
        name: entry.name.clone(),
        source: Source::Send,
        at: 1_772_366_400,
        draft: entry.draft.clone(),
        loaded,
        error: None,
    }
}

fn loaded_of(e: &Entry) -> &Loaded {
    e.outcome.as_ref().and_then(Outcome::loaded).unwrap()
}

#[test]
fn a_kept_send_reads_back_as_it_was_with_its_findings_masked_and_private() {
    let dir = temp_dir("round-trip");
    let path = dir.join("data").join("history.json");
    let app = sent_app("");
    let keep = keep_of(&app);
    let (mut store, restored) = Store::open(&path);
    assert!(restored.entries.is_empty() && restored.note.is_none());
    store.keep(&keep);
    store.write().unwrap();

    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(KEY), "the key is never on disk:\n{text}");
    assert!(!text.contains("history-key"), "nor a piece of it:\n{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
    }

    let (_, restored) = Store::open(&path);
    assert_eq!(restored.entries.len(), 1);
    let e = &restored.entries[0];
    assert_eq!(e.kind, EntryKind::History);
    assert_eq!(e.name, keep.name);
    let (was, back) = (&keep.loaded, loaded_of(e));
    assert_eq!(back.restored, Some(1_772_366_400));
    assert_eq!(back.sent, e.draft);
    assert_eq!(
        e.draft.headers[0].value,
        "bearer ${AUTHLENS_UNSAVED_AUTHORIZATION}"
    );
    // The exchange: every hop, the wire view's bytes and headers (masked), the response.
    let (a, b) = (&was.exchange.hops[0], &back.exchange.hops[0]);
    assert_eq!(b.response.status, 401);
    assert_eq!(b.response.headers, a.response.headers);
    assert_eq!(b.request.headers.len(), a.request.headers.len());
    assert_eq!(b.request.capture, a.request.capture);
    let raw = String::from_utf8_lossy(&b.request.raw);
    assert!(raw.starts_with("GET /strict/v1/models HTTP/1.1\r\nauthorization: bearer "));
    assert_eq!(b.request.head_len, b.request.raw.len());
    assert_eq!(back.bodies.len(), 1);
    // The findings as they were made: same ids, places, evidence; a fix typing the key is
    // left out rather than typed as its mask.
    assert!(!was.findings.is_empty());
    assert_eq!(back.findings.len(), was.findings.len());
    for (x, y) in was.findings.iter().zip(&back.findings) {
        assert_eq!(
            (x.id, &x.anchor, &x.evidence),
            (y.id, &y.anchor, &y.evidence)
        );
        let typed_key = serde_json::to_string(&x.fix).unwrap().contains(KEY);
        assert_eq!(y.fix.is_none(), x.fix.is_none() || typed_key, "{:?}", x.id);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_history_is_capped_by_count_and_by_bytes_oldest_first_and_bodies_are_cut() {
    let dir = temp_dir("caps");
    let path = dir.join("history.json");
    let app = sent_app("");
    let (mut store, _) = Store::open(&path);
    for i in 0..MAX_ENTRIES + 5 {
        let mut k = keep_of(&app);
        k.name = format!("send {i}");
        store.keep(&k);
    }
    assert_eq!(store.len(), MAX_ENTRIES);
    store.write().unwrap();
    let (_, restored) = Store::open(&path);
    assert_eq!(restored.entries.len(), MAX_ENTRIES);
    assert_eq!(restored.entries[0].name, "send 5", "the oldest went first");

    // A 1 MiB body is cut at BODY_MAX and says so; enough of them hit the byte cap.
    let big = sent_app(&"x".repeat(1 << 20));
    let (mut store, _) = Store::open(&dir.join("big.json"));
    let n = MAX_BYTES / BODY_MAX + 10;
    for i in 0..n {
        let mut k = keep_of(&big);
        k.name = format!("big {i}");
        store.keep(&k);
    }
    assert!(store.bytes() <= MAX_BYTES, "{}", store.bytes());
    assert!(store.len() < n && store.len() > n / 2, "{}", store.len());
    store.write().unwrap();
    let (_, restored) = Store::open(&dir.join("big.json"));
    assert_eq!(
        restored.entries.last().unwrap().name,
        format!("big {}", n - 1)
    );
    let body = &loaded_of(&restored.entries[0]).exchange.hops[0]
        .response
        .body;
    assert_eq!(body.bytes.len(), BODY_MAX);
    assert!(body.truncated);
    assert!(body.total > (1 << 20));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_corrupt_history_is_moved_aside_with_a_message_and_a_new_one_begins() {
    let dir = temp_dir("corrupt");
    let path = dir.join("history.json");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&path, b"{\"version\":1,\"entries\":[\x00\xff").unwrap();
    let (mut store, restored) = Store::open(&path);
    let note = restored.note.expect("a message");
    assert!(note.starts_with("the history did not load ("), "{note}");
    assert!(note.contains("it was moved to "), "{note}");
    assert!(restored.entries.is_empty() && !path.exists());
    let aside: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(aside[0].path()).unwrap(),
        b"{\"version\":1,\"entries\":[\x00\xff"
    );
    store.keep(&keep_of(&sent_app("")));
    store.write().unwrap();
    assert_eq!(Store::open(&path).1.entries.len(), 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `update`: a finished send asks for one `Keep` of the entry it added; the file's entries
/// are appended when they come; quit names the history entries still listed, not the deleted.
#[test]
fn sends_are_kept_restored_entries_appended_and_deletes_forgotten_at_quit() {
    let mut app = app();
    app.unix_now = Some(1_772_366_400);
    let effects = update(&mut app, ctrl('s'));
    let Some(Effect::Send {
        id,
        draft,
        vars,
        rules,
        ..
    }) = effects.into_iter().next()
    else {
        panic!("a send")
    };
    let result = authlens::tui::runtime::load_result(
        Ok(strict_401("EXAMPLE-FAKE-token")),
        &draft,
        &vars,
        &rules,
    );
    let effects = update(&mut app, Msg::SendDone { id, result });
    let kept: Vec<&Keep> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::History(Op::Keep(k)) => Some(&**k),
            _ => None,
        })
        .collect();
    assert_eq!(kept.len(), 1, "{effects:?}");
    let history = app.entries.last().unwrap();
    assert_eq!(history.kind, EntryKind::History);
    let shared = history
        .outcome
        .as_ref()
        .and_then(Outcome::shared)
        .unwrap()
        .clone();
    assert!(Arc::ptr_eq(&kept[0].loaded, &shared));
    assert_eq!((kept[0].at, kept[0].source), (1_772_366_400, Source::Send));
    assert_eq!(kept[0].name, history.name);

    // Quit before the file's entries are back: nothing is said of deletes.
    let mut early = app.clone();
    let quit = update(&mut early, ch('q'));
    assert!(
        !quit.iter().any(|e| matches!(e, Effect::History(_))),
        "{quit:?}"
    );

    // The file's entries come after what is listed; one deleted is left out at quit.
    let n = app.entries.len();
    let (_, restored) = restored_one();
    update(&mut app, Msg::HistoryLoaded(Box::new(restored)));
    assert_eq!(app.entries.len(), n + 1);
    let old = app.entries[n]
        .outcome
        .as_ref()
        .and_then(Outcome::shared)
        .unwrap()
        .clone();
    app.focus = authlens::tui::app::Pane::List;
    select_entry(&mut app, n);
    update(&mut app, ch('d'));
    let quit = update(&mut app, ch('q'));
    let listed = quit
        .iter()
        .find_map(|e| match e {
            Effect::History(Op::Retain(l)) => Some(l.clone()),
            _ => None,
        })
        .expect("a retain at quit");
    assert_eq!(listed.len(), 1);
    assert!(Arc::ptr_eq(&listed[0], &shared));
    assert!(!listed.iter().any(|l| Arc::ptr_eq(l, &old)));
}

/// A store with one record, and its entry as the file gives it back.
fn restored_one() -> (PathBuf, Restored) {
    let dir = temp_dir("restored-one");
    let path = dir.join("history.json");
    let (mut store, _) = Store::open(&path);
    store.keep(&keep_of(&sent_app("")));
    store.write().unwrap();
    let (_, restored) = Store::open(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    (path, restored)
}

fn select_entry(app: &mut App, i: usize) {
    authlens::tui::update::select(app, i);
}

/// `/` in the list finds history entries by status, method, URL and finding id.
#[test]
fn slash_in_the_list_jumps_to_requests_by_status_method_url_and_finding() {
    let mut app = app();
    update(&mut app, Msg::HistoryLoaded(Box::new(restored_one().1)));
    let last = app.entries.len() - 1;
    let finding = loaded_of(&app.entries[last]).findings[0].id.as_str();
    app.focus = authlens::tui::app::Pane::List;
    // Samples are searched too, but none was sent (no status) or points at port 43210.
    for query in ["401 strict", "get 43210/strict/V1", finding] {
        select_entry(&mut app, 0);
        feed(&mut app, [ch('/')]);
        feed(&mut app, typed(query));
        feed(&mut app, [key(KeyCode::Enter)]);
        assert_eq!(app.selected, last, "{query}: {:?}", app.status);
    }
    // `/` then Enter: the last query again; nothing matching is said.
    select_entry(&mut app, 0);
    feed(&mut app, [ch('/'), key(KeyCode::Enter)]);
    assert_eq!(app.selected, last);
    feed(&mut app, [ch('/')]);
    feed(&mut app, typed("no-such-thing-EXAMPLE"));
    feed(&mut app, [key(KeyCode::Enter)]);
    let (_, text) = app.status.clone().unwrap();
    assert!(text.starts_with("no request matches"), "{text}");
}

/// The real loop against the practice server: the strict sample is sent and gets 401; after
/// a restart on the same data directory its history entry is back with its status and
/// findings, and `/` finds it. The key never reaches the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_is_back_after_a_restart_with_its_status_and_findings() {
    let dir = temp_dir("e2e");
    let (session, history) = (dir.join("session.json"), dir.join("history.json"));
    let ui = start_loop_with(
        fresh_app(),
        Some(session.clone()),
        Some(history.clone()),
        DEADLINE,
    )
    .await;
    ui.send([ctrl('s')]);
    ui.wait_for("▼ 401 Unauthorized", DEADLINE).await;
    let s = ui.wait_for("diagnosis of the last send", DEADLINE).await;
    assert!(s.contains("auth-scheme-case"), "{s}");
    let before = ui.quit(DEADLINE).await;
    let sent = before
        .entries
        .iter()
        .rfind(|e| e.kind == EntryKind::History)
        .unwrap();
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(
        !text.contains(authlens::practice::keys::BEARER_TOKEN),
        "{text}"
    );
    assert!(!text.contains("EXAMPLE-bearer-0000"), "{text}");

    let ui = start_loop_with(fresh_app(), Some(session), Some(history), DEADLINE).await;
    ui.wait_for("↻ 401 GET /strict", DEADLINE).await;
    // `/` in the list finds it by its status and a finding id; its diagnosis is the one made.
    ui.send([key(KeyCode::BackTab), ch('/')]);
    ui.send(typed("401 auth-scheme-case"));
    ui.send([key(KeyCode::Enter)]);
    ui.wait_for("1 of 1 matching", DEADLINE).await;
    let s = ui.wait_for(" UTC, kept", DEADLINE).await;
    assert!(s.contains("▼ 401 Unauthorized"), "{s}");
    assert!(s.contains(" · diagnosed 20"), "{s}");
    assert!(s.contains("(auth-scheme-case-nonstandard)"), "{s}");
    let after = ui.quit(DEADLINE).await;
    let back = after.entry().unwrap();
    assert_eq!(back.name, sent.name);
    let (was, now) = (loaded_of(sent), loaded_of(back));
    let ids = |l: &Loaded| l.findings.iter().map(|f| f.id).collect::<Vec<_>>();
    assert_eq!(ids(now), ids(was));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `s` on the watch screen: the selected exchange into the list as a history entry and one
/// `Keep` of it, masked on the way like a send; `s` again on the same exchange keeps nothing.
#[test]
fn s_on_the_watch_screen_keeps_the_selected_exchange_once() {
    use tui_common::watch::{exchange, listening, lowercase_bearer, watch_app};
    let mut app = watch_app();
    app.unix_now = Some(1_772_366_400);
    feed(
        &mut app,
        [Msg::Watch(listening()), exchange(lowercase_bearer(1))],
    );
    let n = app.entries.len();
    let effects = feed(&mut app, [ch('s')]);
    let [Effect::History(Op::Keep(k))] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!((k.source, k.at), (Source::Watch, 1_772_366_400));
    assert_eq!(app.entries.len(), n + 1);
    let kept = app.entries.last().unwrap();
    assert_eq!(kept.kind, EntryKind::History);
    assert!(
        kept.name.starts_with("watched #1 · 401 GET "),
        "{}",
        kept.name
    );
    let shared = kept.outcome.as_ref().and_then(Outcome::shared).unwrap();
    assert!(Arc::ptr_eq(&k.loaded, shared));
    assert!(!shared.findings.is_empty());
    let s = screen(&app, 100, 30);
    assert!(s.contains("kept in the history: watched #1"), "{s}");
    assert!(
        s.contains("s  keep in history"),
        "the footer lists it:\n{s}"
    );

    // Written, the token the program sent is not in the file.
    let dir = temp_dir("watch-keep");
    let (mut store, _) = Store::open(&dir.join("history.json"));
    store.keep(k);
    store.write().unwrap();
    let text = std::fs::read_to_string(dir.join("history.json")).unwrap();
    let token = authlens::practice::keys::BEARER_TOKEN;
    assert!(!text.contains(token), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();

    assert!(feed(&mut app, [ch('s')]).is_empty(), "kept once");
    assert_eq!(app.entries.len(), n + 1);
}
