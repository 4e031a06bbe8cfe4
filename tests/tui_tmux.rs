//! The binary in a real terminal: tmux runs it, keys go in with `send-keys`, the screen comes
//! back with `capture-pane`, polled against a deadline. Under `cargo test --release` (what CI
//! runs) this is the release binary. Skips, saying so, only when tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(30);

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().expect("tmux runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Kills the tmux session even when an assertion fails.
struct Session(String);

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.0])
            .output();
    }
}

impl Session {
    fn screen(&self) -> String {
        tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.0.as_str()];
        args.extend_from_slice(keys);
        tmux(&args);
    }

    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < end,
                "waited {DEADLINE:?} for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn format(&self, f: &str) -> String {
        tmux(&["display-message", "-p", "-t", &self.0, f])
            .trim()
            .to_string()
    }
}

fn wait_file(path: &Path) -> String {
    let end = Instant::now() + DEADLINE;
    loop {
        if let Ok(s) = std::fs::read_to_string(path)
            && s.ends_with('\n')
        {
            return s;
        }
        assert!(Instant::now() < end, "{} never written", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn tmux_missing() -> bool {
    let missing = Command::new("tmux").arg("-V").output().is_err();
    if missing {
        eprintln!("SKIPPED tui_tmux: tmux is not installed (CI installs it; apt-get install tmux)");
    }
    missing
}

/// Starts the binary in a new tmux session in a fresh directory; the exit status is written
/// to `<dir>/exit` when it ends.
fn start(name: &str) -> (Session, PathBuf) {
    let dir: PathBuf = std::env::temp_dir().join(format!("authlens-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bin = env!("CARGO_BIN_EXE_authlens");
    let cmd = format!(
        "cd {d} && XDG_DATA_HOME={d}/data {bin}; echo \"EXIT=$?\" > {d}/exit; sleep 60",
        d = dir.display()
    );
    let s = Session(format!("authlens-{name}-{}", std::process::id()));
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &s.0,
        "-x",
        "120",
        "-y",
        "40",
        &cmd,
    ]);
    (s, dir)
}

#[test]
fn sigterm_saves_and_restores_the_terminal() {
    if tmux_missing() {
        return;
    }
    let (s, dir) = start("sigterm");
    s.wait_for("the practice server", |t| {
        t.contains("practice server 127.0.0.1:")
    });
    let shell = s.format("#{pane_pid}");
    let out = Command::new("pgrep")
        .args(["-P", &shell])
        .output()
        .expect("pgrep runs");
    let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        !pid.is_empty() && !pid.contains('\n'),
        "one child of the pane's shell: {pid:?}"
    );
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert_eq!(wait_file(&dir.join("exit")).trim(), "EXIT=0");
    assert_eq!(s.format("#{alternate_on}"), "0", "back on the main screen");
    assert!(
        dir.join("data/authlens/session.json").is_file(),
        "drafts saved on SIGTERM"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn open_send_see_401_help_and_quit_restoring_the_terminal() {
    if tmux_missing() {
        return;
    }
    let (s, dir) = start("tmux");
    let exit = dir.join("exit");

    s.wait_for("the practice server", |t| {
        t.contains("practice server 127.0.0.1:")
    });
    assert_eq!(
        s.format("#{alternate_on}"),
        "1",
        "the TUI uses the alternate screen"
    );
    s.keys(&["C-s"]);
    let t = s.wait_for("the 401 and its diagnosis", |t| {
        t.contains("401 Unauthorized") && t.contains("diagnosis of the last send")
    });
    assert!(t.contains("authorization: bearer"), "{t}");
    assert!(
        t.contains("canonical case"),
        "the finding about `bearer`:\n{t}"
    );
    s.keys(&["?"]);
    s.wait_for("the help", |t| t.contains("Keys (Esc closes"));
    s.keys(&["Escape"]);
    s.wait_for("help to close", |t| !t.contains("Keys (Esc closes"));
    s.keys(&["c"]);
    let t = s.wait_for("the four slots compared", |t| t.contains("In one sentence"));
    for slot in [
        "Authorization: Bearer",
        "X-API-Key header",
        "Authorization: Basic",
        "?api_key= query",
    ] {
        assert!(t.contains(slot), "{slot}:\n{t}");
    }
    assert!(t.contains("✔ worked") && t.contains("✘ refused"), "{t}");
    s.keys(&["Escape"]);
    s.wait_for("compare to close", |t| !t.contains("In one sentence"));
    s.keys(&["q"]);
    assert_eq!(wait_file(&exit).trim(), "EXIT=0");
    assert_eq!(s.format("#{alternate_on}"), "0", "back on the main screen");
    assert_eq!(s.format("#{mouse_any_flag}"), "0", "mouse reporting off");
    assert_eq!(s.format("#{cursor_flag}"), "1", "cursor visible");
    assert!(
        dir.join("data/authlens/session.json").is_file(),
        "drafts saved on quit"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ctrl_n_starts_a_blank_request_whose_url_is_typed_and_kept() {
    if tmux_missing() {
        return;
    }
    let (s, dir) = start("new-request");
    s.wait_for("the footer to offer a new request", |t| {
        t.contains("practice server 127.0.0.1:") && t.contains("^N  new request")
    });
    s.keys(&["C-n"]);
    s.wait_for("the blank request", |t| {
        t.contains("new request: type its URL")
    });
    s.keys(&[
        "-l",
        "https://api.example.test/api/v1/vote-extraction/extract",
    ]);
    let t = s.wait_for("the URL typed and the list naming it", |t| {
        t.contains("https://api.example.test/api/v1/vote-extraction/extract")
            && t.contains("GET /api/v1/vote")
    });
    assert!(t.contains("▶✎ GET /api/v1/vote"), "selected, yours:\n{t}");
    s.keys(&["Escape"]);
    // Apart, or the terminal reads Escape then q as Alt+q.
    s.wait_for("typing to end", |t| t.contains("q  quit"));
    s.keys(&["q"]);
    assert_eq!(wait_file(&dir.join("exit")).trim(), "EXIT=0");
    let saved = std::fs::read_to_string(dir.join("data/authlens/session.json")).unwrap();
    assert!(
        saved.contains("https://api.example.test/api/v1/vote-extraction/extract"),
        "{saved}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A blank request typed, saved with `w` into a new `./requests.http` (the defaults offered),
/// and after a restart listed from that file, not from the session.
#[test]
fn a_new_request_saved_with_w_is_listed_from_its_file_after_a_restart() {
    if tmux_missing() {
        return;
    }
    let (s, dir) = start("save-http");
    s.wait_for("the footer", |t| t.contains("^N  new request"));
    s.keys(&["C-n"]);
    s.wait_for("the blank request", |t| t.contains("type its URL"));
    s.keys(&[
        "-l",
        "http://127.0.0.1:9/v1/items?api_key=FAKE-EXAMPLE-KEY-0001",
    ]);
    s.wait_for("the URL typed", |t| t.contains("GET /v1/items"));
    s.keys(&["Escape"]);
    s.wait_for("typing to end", |t| t.contains("q  quit"));
    s.keys(&["w"]);
    s.wait_for("the file asked", |t| {
        t.contains("save into file: ./requests.http")
    });
    s.keys(&["Enter"]);
    s.wait_for("the name asked", |t| {
        t.contains("save as name: GET /v1/items")
    });
    s.keys(&["Enter"]);
    s.wait_for("the save said", |t| t.contains("saved to ./requests.http"));
    s.keys(&["q"]);
    assert_eq!(wait_file(&dir.join("exit")).trim(), "EXIT=0");
    let written = std::fs::read_to_string(dir.join("requests.http")).unwrap();
    assert!(written.contains("### GET /v1/items\n"), "{written}");
    assert!(written.contains("api_key={{AUTHLENS_UNSAVED_"), "{written}");
    assert!(!written.contains("FAKE-EXAMPLE-KEY"), "{written}");
    let session = std::fs::read_to_string(dir.join("data/authlens/session.json")).unwrap();
    assert!(
        !session.contains("/v1/items"),
        "left to the file:\n{session}"
    );
    drop(s);
    let _ = std::fs::remove_file(dir.join("exit"));
    let (s, _) = start("save-http");
    let t = s.wait_for("the request listed from its file", |t| {
        t.contains("requests.http › GET")
    });
    assert!(t.contains("≡"), "marked as a file's request:\n{t}");
    s.keys(&["q"]);
    assert_eq!(wait_file(&dir.join("exit")).trim(), "EXIT=0");
    let _ = std::fs::remove_dir_all(&dir);
}
