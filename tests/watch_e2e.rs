//! `authlens watch` end to end on real loopback sockets: real clients (curl, Python, node)
//! through the proxy to the practice server, the binary as a user runs it. No mocks, no
//! sleeps: waits poll with a deadline. A test whose tool is missing says so and passes.

use authlens::practice::{Config, PracticeServer, keys};
use authlens::watch::{self, Event, Mode, Watch};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// An obviously fake key the practice server does not accept.
const FAKE_KEY: &str = "sk-EXAMPLE-FAKE-watch-key-0123456789abcdef";

fn authlens(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(cwd)
        .env_remove("API_KEY")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .output()
        .expect("the binary runs")
}

/// `authlens watch --no-tui --upstream UP -- sh -c SCRIPT`, run in `dir`.
fn watch_sh(up: &str, script: &str, dir: &Path) -> Output {
    authlens(
        &[
            "watch",
            "--no-tui",
            "--upstream",
            up,
            "--",
            "sh",
            "-c",
            script,
        ],
        dir,
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-watch-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `tool` runs (`tool --version`); says why the test is skipped when it does not.
fn have(tool: &str, check: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(check)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: {tool} {} is not available here", check.join(" "));
    }
    ok
}

async fn practice() -> PracticeServer {
    PracticeServer::start(Config::practice_default())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reverse_curl_is_shown_masked_and_the_watch_exits_with_the_programs_code() {
    if !have("curl", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("reverse-curl");
    let script = format!(
        "curl -sS \"$AUTHLENS_WATCH_URL/v1/models\" -H 'Authorization: Bearer {FAKE_KEY}'; exit 7"
    );
    let up = s.url("");
    let o = watch_sh(&up, &script, &dir);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(7), "{out}\n{}", text(&o.stderr));
    assert!(out.contains("── #1 GET http://127.0.0.1:"), "{out}");
    assert!(
        out.contains("/v1/models → 401 Unauthorized · curl"),
        "{out}"
    );
    assert!(out.contains("Authorization: Bearer sk-EX"), "{out}");
    assert!(!out.contains(FAKE_KEY), "the key leaked: {out}");
    // The program's own output passes through, unprefixed.
    assert!(out.lines().any(|l| l.starts_with("{\"error\"")), "{out}");
    let recorded = s.records();
    assert_eq!(recorded.len(), 1);
    assert!(text(&recorded[0].raw).contains(FAKE_KEY), "forwarded whole");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forward_curl_through_x_is_recorded_and_connect_is_a_tunnel() {
    if !have("curl", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("forward-curl");
    let url = s.url("/v1/models");
    let script = format!(
        "curl -sS -x \"$HTTP_PROXY\" {url} -o /dev/null -w 'plain %{{http_code}}\\n'; \
         curl -sS -p -x \"$HTTP_PROXY\" {url} -o /dev/null -w 'tunnel %{{http_code}}\\n'"
    );
    let o = authlens(&["watch", "--no-tui", "--", "sh", "-c", &script], &dir);
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(
        out.contains("plain 401") && out.contains("tunnel 401"),
        "{out}"
    );
    assert!(out.contains(&format!("── #1 GET {url} → 401")), "{out}");
    let port = s.addr().port();
    assert!(
        err.contains(&format!(
            "tunnel to 127.0.0.1:{port}: HTTPS passed through unread"
        )) && err.contains("--upstream https://127.0.0.1"),
        "{err}"
    );
    // The tunnelled request is not an exchange.
    assert!(!out.contains("── #2"), "{out}");
    assert_eq!(s.records().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_urllib_through_the_forward_proxy_from_the_environment() {
    if !have("python3", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("urllib");
    let script = format!(
        "import urllib.request, urllib.error\n\
         try:\n    urllib.request.urlopen('{}')\n\
         except urllib.error.HTTPError as e:\n    print('status', e.code)\n",
        s.url("/api/v1/health?x=1")
    );
    std::fs::write(dir.join("u.py"), script).unwrap();
    let o = authlens(&["watch", "--no-tui", "--", "python3", "u.py"], &dir);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}\n{}", text(&o.stderr));
    assert!(
        out.contains("/api/v1/health?x=1 → 200 OK · client not recognised"),
        "{out}"
    );
    assert!(out.contains("User-Agent: Python-urllib/"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_requests_in_reverse_mode_is_named_by_its_user_agent() {
    if !have("python3", &["-c", "import requests"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("requests");
    let script = format!(
        "import os, requests\n\
         r = requests.get(os.environ['AUTHLENS_WATCH_URL'] + '/v1/models', headers={{'Authorization': 'Bearer {FAKE_KEY}'}})\n\
         print('status', r.status_code)\n"
    );
    std::fs::write(dir.join("r.py"), script).unwrap();
    let up = s.url("");
    let o = authlens(
        &[
            "watch",
            "--no-tui",
            "--upstream",
            &up,
            "--",
            "python3",
            "r.py",
        ],
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("status 401"), "{out}\n{}", text(&o.stderr));
    assert!(
        out.contains("→ 401 Unauthorized · python-requests-"),
        "{out}"
    );
    assert!(!out.contains(FAKE_KEY), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_fetch_in_reverse_mode() {
    if !have("node", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("node");
    let script = format!(
        "fetch(process.env.AUTHLENS_WATCH_URL + '/v1/models', {{headers: {{Authorization: 'Bearer {FAKE_KEY}'}}}})\
         .then(r => console.log('status', r.status))"
    );
    let up = s.url("");
    let o = authlens(
        &[
            "watch",
            "--no-tui",
            "--upstream",
            &up,
            "--",
            "node",
            "-e",
            &script,
        ],
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("status 401"), "{out}\n{}", text(&o.stderr));
    assert!(out.contains("→ 401 Unauthorized · node-undici"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_location_on_the_upstream_is_rewritten_so_the_next_hop_is_watched() {
    if !have("curl", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("location");
    let script = format!(
        "curl -sS -L \"$AUTHLENS_WATCH_URL/redirect/same-origin\" -H 'Authorization: Bearer {}' -o /dev/null -w '%{{http_code}}\\n'",
        keys::BEARER_TOKEN
    );
    let up = s.url("");
    let o = watch_sh(&up, &script, &dir);
    let out = text(&o.stdout);
    assert!(out.contains("rewritten to http://127.0.0.1:"), "{out}");
    assert!(out.contains("so the next hop is watched too"), "{out}");
    assert!(
        out.contains("── #2 GET"),
        "the second hop came through the watch: {out}"
    );
    assert!(out.contains("200"), "{out}");
    // Both hops reached the practice server through the proxy.
    assert_eq!(s.records().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_is_down_gets_502_and_the_watch_goes_on() {
    if !have("curl", &["--version"]) {
        return;
    }
    let free = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let dir = scratch("down");
    let script = "for p in a b; do curl -sS \"$AUTHLENS_WATCH_URL/$p\" -w ' %{http_code}\\n'; done";
    let up = format!("http://127.0.0.1:{port}");
    let o = authlens(
        &[
            "watch",
            "--no-tui",
            "--upstream",
            &up,
            "--",
            "sh",
            "-c",
            script,
        ],
        &dir,
    );
    let out = text(&o.stdout);
    let says = format!("upstream 127.0.0.1:{port} refused the connection");
    assert_eq!(out.lines().filter(|l| *l == " 502").count(), 2, "{out}");
    assert!(
        out.contains(&format!("authlens watch: {says}")),
        "the body says so: {out}"
    );
    assert!(
        out.contains(&format!("! fault: {says} (answered 502 to the program)")),
        "{out}"
    );
    assert!(out.contains("── #2 GET"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jsonl_line_is_masked_and_diagnose_reads_it_back() {
    if !have("curl", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("jsonl");
    // The key in the query, the header, a cookie and a JSON body field.
    let script = format!(
        "curl -sS \"$AUTHLENS_WATCH_URL/echo?api_key={FAKE_KEY}\" -H 'Authorization: bearer {FAKE_KEY}' \
         -H 'Cookie: session={FAKE_KEY}' -H 'Content-Type: application/json' -d '{{\"api_key\": \"{FAKE_KEY}\"}}'"
    );
    let up = s.url("");
    let o = authlens(
        &[
            "watch",
            "--format",
            "jsonl",
            "--upstream",
            &up,
            "--",
            "sh",
            "-c",
            &script,
        ],
        &dir,
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "stdout holds only exchanges: {out}\n{err}");
    assert!(!out.contains(FAKE_KEY), "a secret in jsonl: {out}");
    assert!(
        err.contains("authlens watch: http://127.0.0.1:"),
        "set-up on stderr: {err}"
    );
    assert!(
        err.contains("POST /echo?api_key="),
        "the program's output (the echo) on stderr: {err}"
    );
    let line: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    let watched = ids(&line);
    assert!(!watched.is_empty(), "{out}");
    assert_eq!(line["context"]["client"], "curl");
    assert!(
        line["exchange"]["hops"][0]["request"]["raw"]
            .as_str()
            .unwrap()
            .contains("sk-EX")
    );
    let file = dir.join("line.json");
    std::fs::write(&file, lines[0]).unwrap();
    let d = authlens(
        &["diagnose", file.to_str().unwrap(), "--format", "json"],
        &dir,
    );
    assert!(d.status.success(), "{}", text(&d.stderr));
    let back: serde_json::Value = serde_json::from_slice(&d.stdout).unwrap();
    assert_eq!(ids(&back), watched);
}

/// A server that sends one event, then waits for `go` before the second and the end.
async fn sse_upstream(go: tokio::sync::oneshot::Receiver<()>) -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        read_head(&mut s).await;
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        let chunk = |t: &str| format!("{:x}\r\n{t}\r\n", t.len());
        s.write_all(format!("{head}{}", chunk("data: one\n\n")).as_bytes())
            .await
            .unwrap();
        let _ = go.await;
        s.write_all(format!("{}0\r\n\r\n", chunk("data: two\n\n")).as_bytes())
            .await
            .unwrap();
    });
    addr
}

async fn read_head(s: &mut TcpStream) -> Vec<u8> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !got.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed before the head ended");
        got.extend_from_slice(&buf[..n]);
    }
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_reach_the_program_before_the_upstream_finishes() {
    let (go_tx, go_rx) = tokio::sync::oneshot::channel();
    let up = sse_upstream(go_rx).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let options = watch::Options {
        mode: Mode::Reverse {
            upstream: format!("http://{up}"),
        },
        listen: "127.0.0.1:0".parse().unwrap(),
        max_body: watch::DEFAULT_MAX_BODY,
        stack: Default::default(),
        as_client: None,
        as_loader: None,
        launch: None,
        tls: Default::default(),
        spec: None,
    };
    let w = Watch::start(options, tx).await.unwrap();
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(b"GET /stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        .await
        .unwrap();
    let deadline = Duration::from_secs(10);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let saw_first = tokio::time::timeout(deadline, async {
        while !text(&got).contains("data: one") {
            let n = c.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed early: {}", text(&got));
            got.extend_from_slice(&buf[..n]);
        }
    })
    .await;
    assert!(
        saw_first.is_ok(),
        "the first event was held back: {}",
        text(&got)
    );
    assert!(!text(&got).contains("data: two"));
    go_tx.send(()).unwrap();
    let exchange = tokio::time::timeout(deadline, async {
        loop {
            if let Some(Event::Exchange(w)) = rx.recv().await {
                return w;
            }
        }
    })
    .await
    .expect("the exchange is reported once the stream ends");
    let body = exchange
        .response
        .as_ref()
        .unwrap()
        .body
        .as_text()
        .unwrap()
        .to_string();
    assert_eq!(body, "data: one\n\ndata: two\n\n");
    assert_eq!(exchange.file.request.url, format!("http://{up}/stream"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_story_a_notebook_that_never_loaded_its_env_file() {
    if !have("python3", &["--version"]) {
        return;
    }
    let s = practice().await;
    let dir = scratch("seed");
    // The key is in .env, but nothing loads it: the header goes out empty.
    std::fs::write(dir.join(".env"), format!("API_KEY={}\n", keys::API_KEY)).unwrap();
    std::fs::write(
        dir.join("page1.png"),
        b"\x89PNG\r\n\x1a\nEXAMPLE-not-really-an-image",
    )
    .unwrap();
    let script = r#"
import os, sys, urllib.request, urllib.error, uuid
base = os.environ["AUTHLENS_WATCH_URL"]
boundary = uuid.uuid4().hex
image = open("page1.png", "rb").read()
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"page1.png\"\r\n"
        f"Content-Type: image/png\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
req = urllib.request.Request(base + "/api/v1/vote-extraction/extract", data=body, method="POST",
    headers={"X-API-Key": os.environ.get("API_KEY", ""),
             "Content-Type": f"multipart/form-data; boundary={boundary}"})
try:
    print(urllib.request.urlopen(req).read().decode())
except urllib.error.HTTPError as e:
    print("extraction failed:", e.code, e.read().decode(), file=sys.stderr)
    sys.exit(3)
"#;
    std::fs::write(dir.join("notebook.py"), script).unwrap();
    let up = s.url("");
    let o = authlens(
        &[
            "watch",
            "--no-tui",
            "--upstream",
            &up,
            "--",
            "python3",
            "notebook.py",
        ],
        &dir,
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(3), "{out}\n{err}");
    assert!(err.contains("extraction failed: 401"), "{err}");
    assert!(
        err.ends_with("authlens watch: the program exited with code 3; 1 exchange watched\n"),
        "{err}"
    );
    assert!(out.contains("POST http://127.0.0.1:"), "{out}");
    assert!(
        out.contains("/api/v1/vote-extraction/extract → 401 Unauthorized"),
        "{out}"
    );
    // The finding names the cause: the variable lives only in the .env nothing loaded.
    assert!(out.contains("error   env-var-missing"), "{out}");
    assert!(
        out.contains("`X-Api-Key` went out empty.") && out.contains("line 1 defines API_KEY"),
        "{out}"
    );
    assert!(!out.contains("auth-header-missing"), "{out}");
    assert!(
        !out.contains(keys::API_KEY) && !err.contains(keys::API_KEY),
        "{out}"
    );
    assert!(
        out.contains("Missing API key. Include X-API-Key header"),
        "{out}"
    );
    // The empty header was sent, and reached the server as the program wrote it.
    let raw = text(&s.records()[0].raw);
    let header = raw.lines().find(|l| l.starts_with("X-Api-Key:"));
    assert_eq!(header.map(|h| h.trim_end()), Some("X-Api-Key:"), "{raw}");
}

/// A watch in this process, with its events.
async fn watch_lib(
    mode: Mode,
    max_body: usize,
) -> (Watch, tokio::sync::mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let options = watch::Options {
        mode,
        listen: "127.0.0.1:0".parse().unwrap(),
        max_body,
        stack: Default::default(),
        as_client: None,
        as_loader: None,
        launch: None,
        tls: Default::default(),
        spec: None,
    };
    (Watch::start(options, tx).await.unwrap(), rx)
}

/// The next event that `pick` accepts, within a deadline.
async fn next<T>(
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Event>,
    pick: impl Fn(Event) -> Option<T>,
) -> T {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let e = rx.recv().await.expect("the watch is still running");
            if let Some(t) = pick(e) {
                return t;
            }
        }
    })
    .await
    .expect("the event came within 10 s")
}

fn exchange(e: Event) -> Option<Box<watch::Watched>> {
    match e {
        Event::Exchange(w) => Some(w),
        _ => None,
    }
}

async fn read_to_end(c: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut got)).await;
    text(&got)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_cap_is_forwarded_whole_and_recorded_in_part() {
    let s = practice().await;
    let upstream = s.url("");
    let (w, mut rx) = watch_lib(Mode::Reverse { upstream }, 1024).await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    // Past the recorded cap and the room kept for a head.
    let body = "E".repeat(100_000);
    let req = format!(
        "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 100000\r\n\r\n{body}"
    );
    c.write_all(req.as_bytes()).await.unwrap();
    let answer = read_to_end(&mut c).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let got = next(&mut rx, exchange).await;
    assert!(got.sent.raw_cut, "the record is cut");
    assert!(got.sent.raw.len() < 100_000);
    assert_eq!(got.sent.raw.len(), 1024 + 64 * 1024);
    assert!(
        got.notes
            .iter()
            .any(|n| n.contains("(100000 bytes) is over --max-body 1024: forwarded whole")),
        "{:?}",
        got.notes
    );
    let raw = text(&s.records()[0].raw);
    assert!(raw.ends_with(&body), "the upstream got it all");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_program_that_breaks_off_mid_body_is_a_fault_and_the_watch_goes_on() {
    let s = practice().await;
    let upstream = s.url("");
    let (w, mut rx) = watch_lib(Mode::Reverse { upstream }, 1024).await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten..")
        .await
        .unwrap();
    drop(c);
    let got = next(&mut rx, exchange).await;
    let fault = got.fault.clone().unwrap_or_default();
    assert!(
        fault.contains("the program disconnected mid-body"),
        "{fault}"
    );
    // The next request is served as usual.
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert!(read_to_end(&mut c).await.starts_with("HTTP/1.1 200"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn garbage_gets_400_and_a_notice_and_a_host_less_request_in_forward_mode_says_why() {
    let (w, mut rx) = watch_lib(Mode::Forward, 1024).await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(b"NOT HTTP AT ALL\r\n\r\n").await.unwrap();
    assert!(read_to_end(&mut c).await.starts_with("HTTP/1.1 400"));
    let notice = next(&mut rx, |e| match e {
        Event::Notice(n) => Some(n),
        _ => None,
    })
    .await;
    assert!(
        notice.contains("not HTTP/1.1 authlens can read"),
        "{notice}"
    );
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(b"GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_end(&mut c).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("this watch is a forward proxy"), "{answer}");
    let got = next(&mut rx, exchange).await;
    assert!(got.fault.unwrap().contains("came without a host"));
}

/// An upstream that answers one request per connection and then closes it, without saying
/// `Connection: close`: the next request must go on a new connection.
async fn one_shot_upstream() -> std::net::SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = l.accept().await {
            read_head(&mut s).await;
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                .await;
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_closed_a_kept_alive_connection_is_reconnected() {
    let up = one_shot_upstream().await;
    let (w, mut rx) = watch_lib(
        Mode::Reverse {
            upstream: format!("http://{up}"),
        },
        1024,
    )
    .await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    for path in ["/one", "/two"] {
        let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        c.write_all(req.as_bytes()).await.unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        tokio::time::timeout(Duration::from_secs(10), async {
            while !got.ends_with(b"ok") {
                let n = c.read(&mut buf).await.unwrap();
                assert!(n > 0, "closed: {}", text(&got));
                got.extend_from_slice(&buf[..n]);
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{path}: {}", text(&got)));
        assert!(got.starts_with(b"HTTP/1.1 200"), "{path}: {}", text(&got));
        let w = next(&mut rx, exchange).await;
        assert_eq!(w.fault, None, "{path}");
        assert_eq!(w.file.request.url, format!("http://{up}{path}"));
        let forwarded = text(&w.forwarded.as_ref().unwrap().raw);
        assert!(
            forwarded.starts_with(&format!("GET {path} HTTP/1.1\r\nHost: {up}\r\n")),
            "{forwarded}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tls_failure_upstream_is_a_502_naming_it() {
    // The practice server speaks plain HTTP: a TLS handshake with it fails.
    let s = practice().await;
    let upstream = format!("https://{}", s.addr());
    let (w, mut rx) = watch_lib(Mode::Reverse { upstream }, 1024).await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(b"GET /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_end(&mut c).await;
    assert!(answer.starts_with("HTTP/1.1 502"), "{answer}");
    let said = format!("TLS with upstream {} failed", s.addr());
    assert!(answer.contains(&said), "{answer}");
    let got = next(&mut rx, exchange).await;
    assert!(got.fault.unwrap().contains(&said));
    assert!(got.response.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gzip_response_passes_as_sent_and_is_recorded_decoded() {
    use std::io::Write;
    let words = br#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(words).unwrap();
    let gz = e.finish().unwrap();
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let up = l.local_addr().unwrap();
    let sent = gz.clone();
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.unwrap();
        read_head(&mut s).await;
        let head = format!(
            "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
            sent.len()
        );
        s.write_all(&[head.as_bytes(), &sent].concat())
            .await
            .unwrap();
    });
    let (w, mut rx) = watch_lib(
        Mode::Reverse {
            upstream: format!("http://{up}"),
        },
        1024,
    )
    .await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    c.write_all(
        b"GET /v1/models HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), c.read_to_end(&mut got)).await;
    assert!(got.ends_with(&gz), "the program gets the compressed bytes");
    let watched = next(&mut rx, exchange).await;
    let body = watched
        .response
        .as_ref()
        .unwrap()
        .body
        .as_text()
        .unwrap()
        .to_string();
    assert_eq!(body.as_bytes(), words);
    assert!(
        watched.notes.iter().any(|n| n.contains("gzip-compressed")),
        "{:?}",
        watched.notes
    );
    let file_body = watched
        .file
        .response
        .as_ref()
        .unwrap()
        .body
        .clone()
        .unwrap();
    assert!(
        file_body.contains("Incorrect API key provided"),
        "{file_body}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_502_before_the_body_was_read_closes_the_programs_connection() {
    let free = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = free.local_addr().unwrap().port();
    drop(free);
    let upstream = format!("http://127.0.0.1:{port}");
    let (w, mut rx) = watch_lib(Mode::Reverse { upstream }, 1024).await;
    let mut c = TcpStream::connect(w.addr()).await.unwrap();
    // Half the body: the rest would otherwise be read as the next request's start.
    c.write_all(b"POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf.")
        .await
        .unwrap();
    let answer = read_to_end(&mut c).await;
    assert!(answer.starts_with("HTTP/1.1 502"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    let got = next(&mut rx, exchange).await;
    assert!(got.sent.raw_cut);
}
