//! Synthetic `authlens watch` events: what the proxy would report for a program's requests,
//! with real-looking wire data and obviously fake keys.

use authlens::exchange::{BodyPreview, Capture, Origin, Response, Timing, WireHeader, WireRequest};
use authlens::formats::ExchangeFile;
use authlens::formats::exchange_json::{FileRequest, FileResponse};
use authlens::tui::app::{App, EnvSnapshot, Server};
use authlens::tui::msg::Msg;
use authlens::watch::{Event, Mode, Stream, Watched};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const FAKE_KEY: &str = "sk-FAKEFAKEFAKEFAKEFAKEFAKE-EXAMPLE";
pub const PROXY: &str = "127.0.0.1:8080";
pub const UPSTREAM: &str = "https://api.example.com";

/// An empty app with the watch screen on top, 100×30, the clock fixed.
pub fn watch_app() -> App {
    let app = App::new(
        Vec::new(),
        EnvSnapshot::default(),
        Server::NotNeeded,
        Instant::now(),
    );
    let mut app = authlens::tui::watch::with_watch(app);
    app.unix_now = Some(1_772_362_800);
    super::update(&mut app, Msg::Resize(100, 30));
    app
}

pub fn listening() -> Event {
    Event::Listening {
        addr: PROXY.parse().unwrap(),
        mode: Mode::Reverse {
            upstream: UPSTREAM.into(),
        },
        setup: vec![
            format!("OPENAI_BASE_URL=http://{PROXY}/v1 python app.py"),
            format!("or: export HTTP_PROXY=http://{PROXY}"),
        ],
    }
}

/// A request as a client writes it: the head in wire order and case, then the body.
pub fn wire(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> WireRequest {
    let target = authlens::tui::watch::state::path_and_query(url);
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let head_len = head.len();
    let mut raw = head.into_bytes();
    raw.extend_from_slice(body.as_bytes());
    WireRequest {
        method: method.into(),
        url: url.into(),
        capture: Capture::Captured,
        headers: headers
            .iter()
            .map(|(n, v)| WireHeader {
                name: n.to_string(),
                value: v.to_string(),
                origin: Origin::Client,
            })
            .collect(),
        stripped: vec![],
        head_len,
        raw_cut: false,
        raw,
    }
}

pub fn response(status: u16, reason: &str, headers: &[(&str, &str)], body: &str) -> Response {
    Response {
        status,
        reason: reason.into(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: BodyPreview::from_bytes(body.as_bytes().to_vec()),
    }
}

/// One exchange as the proxy reports it: the program's request to the proxy, forwarded to
/// `upstream` with `Host` rewritten, its response, and the rules' findings on it.
pub fn watched(id: u64, sent: WireRequest, upstream: &str, response: Option<Response>) -> Watched {
    let path = authlens::tui::watch::state::path_and_query(&sent.url).to_string();
    let url = format!("{upstream}{path}");
    let host = upstream.split("//").nth(1).unwrap_or(upstream).to_string();
    let fw_headers: Vec<(String, String)> = sent
        .headers
        .iter()
        .map(|h| {
            let v = if h.name.eq_ignore_ascii_case("host") {
                host.clone()
            } else {
                h.value.clone()
            };
            (h.name.clone(), v)
        })
        .collect();
    let fw: Vec<(&str, &str)> = fw_headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let body = String::from_utf8_lossy(&sent.raw[sent.head_len..]).into_owned();
    let forwarded = wire(&sent.method, &url, &fw, &body);
    let file = ExchangeFile {
        request: FileRequest {
            method: sent.method.clone(),
            url: url.clone(),
            headers: fw_headers.clone(),
            query: None,
            body: (!body.is_empty()).then(|| body.clone()),
        },
        response: response.as_ref().map(|r| FileResponse {
            status: r.status,
            headers: r.headers.clone(),
            body: r.body.as_text().map(str::to_string),
        }),
        ..ExchangeFile::default()
    };
    let findings = authlens::rules::diagnose_file(&file);
    Watched {
        id,
        at: UNIX_EPOCH + Duration::from_secs(1_772_362_800 + id),
        sent,
        forwarded: Some(forwarded),
        response,
        fault: None,
        timing: Timing {
            connect: Some(Duration::from_millis(3)),
            head: Duration::from_millis(120 + id),
            total: Duration::from_millis(130 + id),
            ..Default::default()
        },
        client: Some("python-requests".into()),
        notes: vec![],
        file,
        findings,
    }
}

/// `authorization: bearer <FAKE_KEY>` to `/v1/models`, refused with a 401 challenge.
pub fn lowercase_bearer(id: u64) -> Watched {
    let auth = format!("bearer {FAKE_KEY}");
    let sent = wire(
        "GET",
        &format!("http://{PROXY}/v1/models"),
        &[
            ("Host", PROXY),
            ("User-Agent", "python-requests/2.32.3"),
            ("authorization", &auth),
            ("Accept", "*/*"),
        ],
        "",
    );
    let resp = response(
        401,
        "Unauthorized",
        &[
            ("Content-Type", "application/json"),
            (
                "WWW-Authenticate",
                r#"Bearer realm="api", error="invalid_token""#,
            ),
        ],
        r#"{"error":{"message":"Incorrect API key provided","code":"invalid_api_key"}}"#,
    );
    watched(id, sent, UPSTREAM, Some(resp))
}

/// A JSON POST with an `X-Api-Key`, answered 200.
pub fn ok_post(id: u64) -> Watched {
    let sent = wire(
        "POST",
        &format!("http://{PROXY}/v1/chat/completions"),
        &[
            ("Host", PROXY),
            ("X-Api-Key", FAKE_KEY),
            ("Content-Type", "application/json"),
            ("Content-Length", "16"),
        ],
        r#"{"model":"m-1"}"#,
    );
    let resp = response(
        200,
        "OK",
        &[("Content-Type", "application/json")],
        r#"{"id":"chatcmpl-1","choices":[]}"#,
    );
    watched(id, sent, UPSTREAM, Some(resp))
}

pub fn exchange(w: Watched) -> Msg {
    Msg::Watch(Event::Exchange(Box::new(w)))
}

/// A short watch: set-up, three exchanges, a tunnel, some output, and the program's end.
pub fn session() -> Vec<Msg> {
    vec![
        Msg::Watch(listening()),
        exchange(ok_post(1)),
        exchange(lowercase_bearer(2)),
        Msg::Watch(Event::Tunnel {
            id: 3,
            at: SystemTime::UNIX_EPOCH,
            host: "api.other.example".into(),
            port: 443,
        }),
        Msg::Watch(Event::Output {
            stream: Stream::Stdout,
            line: "calling the API…".into(),
        }),
        Msg::Watch(Event::Output {
            stream: Stream::Stderr,
            line: "openai.AuthenticationError: Error code: 401".into(),
        }),
        exchange(lowercase_bearer(4)),
        Msg::Watch(Event::Exited { code: 1 }),
    ]
}
