//! One request through the proxy: find where it goes, stream it upstream, stream the response
//! back, and when the response has ended write the exchange down off the hot path.
//!
//! Faults never end the watch: an unreachable upstream, a TLS failure or a request the proxy
//! cannot place is answered with a plain-text 502 or 400 naming what failed, and reported as
//! the exchange's `fault`.

use super::capture::{BodyCopy, End, RequestSide, RequestSink, Sink, Tap};
use super::record::{self, Captured};
use super::upstream::{self, Origin, Upstream};
use super::{Event, Inflight, InflightGuard, Shared};
use crate::exchange::{Response as Recorded, Timing};
use crate::tee::{ConnBytes, Framing, lock};
use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

pub(crate) type ProxyBody = UnsyncBoxBody<Bytes, hyper::Error>;
type Outgoing = Tap<Incoming, RequestSink>;

/// One connection from the program, and the upstream connection it is paired with.
pub(crate) struct Conn {
    pub shared: Arc<Shared>,
    pub seen: Arc<Mutex<ConnBytes>>,
    upstream: tokio::sync::Mutex<Option<Upstream<Outgoing>>>,
    /// Inside a `--mitm` tunnel: the origin the program's `CONNECT` named, where every
    /// request on this connection goes (they carry only a path).
    tunnel: Option<Origin>,
}

impl Conn {
    pub fn new(shared: Arc<Shared>, seen: Arc<Mutex<ConnBytes>>) -> Conn {
        Conn {
            shared,
            seen,
            upstream: tokio::sync::Mutex::new(None),
            tunnel: None,
        }
    }

    /// The connection inside a terminated `CONNECT` to `origin`.
    pub fn in_tunnel(shared: Arc<Shared>, seen: Arc<Mutex<ConnBytes>>, origin: Origin) -> Conn {
        Conn {
            tunnel: Some(origin),
            ..Conn::new(shared, seen)
        }
    }
}

/// Where one request goes.
struct Target {
    origin: Origin,
    /// The request target sent upstream: path and query.
    path: String,
    url: String,
}

type Wire = (Arc<Mutex<ConnBytes>>, Arc<Mutex<ConnBytes>>);

/// Everything needed to write the exchange down once the response has ended.
struct Pending {
    captured: Captured,
    conn: Arc<Conn>,
    framing: Framing,
    side: Arc<Mutex<RequestSide>>,
    /// The upstream connection's buffers: what it sent back, what authlens wrote.
    wire: Option<Wire>,
    started: Instant,
    guard: InflightGuard,
}

pub(crate) async fn handle(
    req: Request<Incoming>,
    conn: Arc<Conn>,
) -> Result<Response<ProxyBody>, Infallible> {
    if req.method() == Method::CONNECT && conn.tunnel.is_none() {
        return Ok(super::tunnel::open(req, &conn).await);
    }
    let shared = conn.shared.clone();
    let pending = Pending {
        captured: Captured {
            id: shared.next_id(),
            at: Some(SystemTime::now()),
            method: req.method().to_string(),
            url: req.uri().to_string(),
            max_body: shared.max_body,
            as_client: shared.as_client.clone(),
            as_loader: shared.as_loader.clone(),
            program: shared.program.clone(),
            ..Captured::default()
        },
        conn: conn.clone(),
        framing: Framing::of(req.headers()),
        side: Arc::new(Mutex::new(RequestSide {
            copy: BodyCopy::new(shared.max_body),
            end: None,
        })),
        wire: None,
        started: Instant::now(),
        guard: Inflight::enter(&shared),
    };
    Ok(forward(req, pending).await)
}

async fn forward(req: Request<Incoming>, mut p: Pending) -> Response<ProxyBody> {
    let shared = p.conn.shared.clone();
    let target = match p.conn.tunnel.as_ref() {
        Some(origin) => Ok(in_tunnel(origin, &req)),
        None => target(&shared, &req),
    };
    let target = match target {
        Ok(t) => t,
        Err(fault) => return fail(p, StatusCode::BAD_REQUEST, fault),
    };
    p.captured.url = target.url.clone();
    let (mut parts, body) = req.into_parts();
    prepare_headers(&mut parts.headers, &target, shared.upstream.is_some());
    parts.uri = match target.path.parse() {
        Ok(uri) => uri,
        Err(e) => {
            return fail(
                p,
                StatusCode::BAD_REQUEST,
                format!("bad request target: {e}"),
            );
        }
    };
    parts.version = hyper::Version::HTTP_11;
    let out = Request::from_parts(parts, Tap::new(body, RequestSink(p.side.clone())));
    match send(out, &mut p, &target).await {
        Ok(resp) => {
            p.captured.timing.head = p.started.elapsed();
            pass_back(resp, p, &target)
        }
        Err(fault) => fail(p, StatusCode::BAD_GATEWAY, fault),
    }
}

/// Sends `out` on the program connection's upstream connection, opening one when there is
/// none for this origin. A kept-alive connection the upstream has closed in the meantime is
/// replaced once, when the request had not been written to it yet.
async fn send(
    out: Request<Outgoing>,
    p: &mut Pending,
    target: &Target,
) -> Result<Response<Incoming>, String> {
    let conn = p.conn.clone();
    let mut slot = conn.upstream.lock().await;
    let mut out = Some(out);
    for attempt in 0..2 {
        let reused = slot
            .as_ref()
            .is_some_and(|u| u.origin == target.origin && !u.sender.is_closed());
        if !reused {
            let (up, took) =
                upstream::connect(&target.origin, conn.shared.max_body, &conn.shared.tls).await?;
            p.captured.timing.connect = Some(took);
            *slot = Some(up);
        }
        let Some(up) = slot.as_mut() else { break };
        p.wire = Some((up.read.clone(), up.written.clone()));
        let Some(req) = out.take() else { break };
        if let Err(e) = up.sender.ready().await {
            *slot = None;
            out = Some(req);
            if reused && attempt == 0 {
                continue;
            }
            return Err(send_fault(&p.side, target, &e));
        }
        match up.sender.try_send_request(req).await {
            Ok(resp) => return Ok(resp),
            Err(mut e) => {
                *slot = None;
                out = e.take_message();
                if !(reused && attempt == 0 && out.is_some()) {
                    return Err(send_fault(&p.side, target, e.error()));
                }
            }
        }
    }
    Err(format!(
        "no connection to upstream {}",
        target.origin.authority()
    ))
}

/// Why a request got no response: the program broke off its body, or the upstream failed.
fn send_fault(side: &Mutex<RequestSide>, target: &Target, e: &hyper::Error) -> String {
    if let Some(End::Failed(why)) = &lock(side).end {
        return format!("the program disconnected mid-body ({why}); nothing came back");
    }
    format!(
        "upstream {} closed the connection without answering: {e}",
        target.origin.authority()
    )
}

/// The reverse target is the upstream with the request's path appended; the forward target
/// is the absolute URL the program asked for.
fn target(shared: &Shared, req: &Request<Incoming>) -> Result<Target, String> {
    let uri = req.uri();
    let path_query = uri.path_and_query().map_or("/", |p| p.as_str());
    if let Some(up) = &shared.upstream {
        let path = format!("{}{path_query}", up.prefix);
        let url = format!("{}{path}", up.origin.url_base());
        return Ok(Target {
            origin: up.origin.clone(),
            path,
            url,
        });
    }
    let (Some(scheme), Some(authority)) = (uri.scheme_str(), uri.authority()) else {
        return Err(format!(
            "{} {path_query} came without a host: this watch is a forward proxy (no --upstream), so set HTTP_PROXY={} in the program, or start the watch with --upstream URL to use it as a base URL",
            req.method(),
            shared.base_url
        ));
    };
    let tls = scheme.eq_ignore_ascii_case("https");
    let origin = Origin {
        tls,
        host: authority.host().trim_matches(['[', ']']).to_string(),
        port: authority.port_u16().unwrap_or(if tls { 443 } else { 80 }),
    };
    let is_self = origin.port == shared.addr.port()
        && (origin.host == "localhost"
            || origin.host.parse::<std::net::IpAddr>().is_ok_and(|ip| {
                ip == shared.addr.ip() || (ip.is_loopback() && shared.addr.ip().is_unspecified())
            }));
    if is_self {
        return Err("a request to the watch itself through the watch: not forwarded".into());
    }
    Ok(Target {
        url: format!("{}{path_query}", origin.url_base()),
        path: path_query.to_string(),
        origin,
    })
}

/// Inside a `--mitm` tunnel the request names only its path; the tunnel names the origin.
fn in_tunnel(origin: &Origin, req: &Request<Incoming>) -> Target {
    let path_query = req.uri().path_and_query().map_or("/", |p| p.as_str());
    Target {
        url: format!("{}{path_query}", origin.url_base()),
        path: path_query.to_string(),
        origin: origin.clone(),
    }
}

/// Headers that belong to one connection or to the proxy, not to the request (RFC 9110
/// §7.6.1); `Expect: 100-continue` was already answered by the proxy's own server.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "proxy-connection",
    "keep-alive",
    "proxy-authorization",
    "te",
    "trailer",
    "upgrade",
    "expect",
];

fn prepare_headers(headers: &mut HeaderMap, target: &Target, reverse: bool) {
    let listed: Vec<String> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    for name in HOP_BY_HOP
        .iter()
        .copied()
        .chain(listed.iter().map(String::as_str))
    {
        headers.remove(name);
    }
    if (reverse || !headers.contains_key(header::HOST))
        && let Ok(v) = HeaderValue::from_str(&target.origin.authority())
    {
        headers.insert(header::HOST, v);
    }
}

/// Streams the upstream's response back, `Location` pointed at the proxy in reverse mode,
/// with a tap that writes the exchange down when the last byte has gone through.
fn pass_back(resp: Response<Incoming>, mut p: Pending, target: &Target) -> Response<ProxyBody> {
    let (mut parts, body) = resp.into_parts();
    let recorded = Recorded {
        status: parts.status.as_u16(),
        reason: parts.status.canonical_reason().unwrap_or("").to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: Default::default(),
    };
    let shared = p.conn.shared.clone();
    close_unless_read(&mut parts.headers, &p.side);
    if let (Some(up), Some(loc)) = (&shared.upstream, parts.headers.get(header::LOCATION)) {
        let loc = String::from_utf8_lossy(loc.as_bytes()).into_owned();
        if let Some(r) = super::location::rewrite(&loc, &target.url, up, &shared.base_url) {
            if let Some(new) = r.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
                parts.headers.insert(header::LOCATION, new);
            }
            p.captured.notes.push(r.note);
        }
    }
    if let (None, Some(loc)) = (&shared.upstream, parts.headers.get(header::LOCATION)) {
        let loc = String::from_utf8_lossy(loc.as_bytes());
        let mitm = shared.mitm.is_some();
        if let Some(note) = super::location::upgrade_note(&loc, &target.url, mitm) {
            p.captured.notes.push(note);
        }
    }
    let sink = ResponseSink {
        copy: BodyCopy::new(shared.max_body),
        recorded: Some(recorded),
        pending: Some(p),
    };
    Response::from_parts(parts, Tap::new(body, sink).boxed_unsync())
}

/// The tap on the response: when the body has ended (or the program let go of it), the
/// exchange is written down.
struct ResponseSink {
    copy: BodyCopy,
    recorded: Option<Recorded>,
    pending: Option<Pending>,
}

impl Sink for ResponseSink {
    fn data(&mut self, data: &[u8]) {
        self.copy.push(data);
    }

    fn end(&mut self, how: End) {
        let Some(mut p) = self.pending.take() else {
            return;
        };
        match how {
            End::Complete => {}
            End::Failed(why) => {
                p.captured.fault = Some(format!("the upstream broke off the response: {why}"))
            }
            End::Abandoned => {
                p.captured.fault =
                    Some("the program closed the connection before the response ended".into())
            }
        }
        let mut recorded = self.recorded.take().unwrap_or_default();
        recorded.body = self.copy.preview();
        finish(p, Some(recorded));
    }
}

/// Answers the program with `status` and a plain-text body saying what failed, and reports
/// the exchange with that fault.
fn fail(mut p: Pending, status: StatusCode, fault: String) -> Response<ProxyBody> {
    let text = format!("authlens watch: {fault}\n");
    let verb = match status {
        StatusCode::BAD_GATEWAY => "answered 502 to the program",
        _ => "answered 400 to the program",
    };
    p.captured.fault = Some(format!("{fault} ({verb})"));
    let side = p.side.clone();
    finish(p, None);
    let body = Full::new(Bytes::from(text))
        .map_err(|never| match never {})
        .boxed_unsync();
    let mut resp = Response::new(body);
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    close_unless_read(resp.headers_mut(), &side);
    resp
}

/// Ends the program's connection after this response when its request body was not read to
/// the end: what is left of it must not be taken for the start of the next request.
fn close_unless_read(headers: &mut HeaderMap, side: &Mutex<RequestSide>) {
    if lock(side).end != Some(End::Complete) {
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// Cuts this exchange's bytes off the connections' buffers now (before the next request on
/// them starts), then hands it to the writer thread to be written down and diagnosed.
fn finish(mut p: Pending, response: Option<Recorded>) {
    let c = &mut p.captured;
    c.sent = lock(&p.conn.seen).take_request_or_part(p.framing);
    {
        let side = lock(&p.side);
        c.sent_body = side.copy.preview();
        let max = p.conn.shared.max_body as u64;
        if side.copy.total() > max {
            c.notes.push(format!(
                "the request body ({} bytes) is over --max-body {max}: forwarded whole, recorded only its start",
                side.copy.total()
            ));
        }
        if let (Some(End::Failed(why)), None) = (&side.end, &c.fault) {
            c.fault = Some(format!("the program disconnected mid-body: {why}"));
        }
    }
    if let Some((read, written)) = &p.wire {
        let forwarded = lock(written).take_all();
        let head = lock(read).take_all().0;
        c.forwarded = Some(forwarded);
        c.response = response.map(|r| (r, head));
    }
    if let Some((r, _)) = &c.response
        && r.body.truncated
    {
        c.notes.push(format!(
                "the response body ({} bytes) is over --max-body: passed back whole, recorded only its start",
                r.body.total
            ));
    }
    c.timing = Timing {
        total: p.started.elapsed(),
        ..c.timing
    };
    let shared = p.conn.shared.clone();
    let job = super::writer::Job {
        captured: p.captured,
        guard: p.guard,
    };
    match shared.writer.try_send(job) {
        Ok(()) => {}
        // The program sends faster than exchanges are diagnosed: it passed through, unrecorded.
        Err(std::sync::mpsc::TrySendError::Full(_)) => {
            let n = shared
                .unrecorded
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                + 1;
            if n == 1 || n.is_multiple_of(1000) {
                shared.emit(Event::Notice(format!(
                    "the watch fell behind: {n} exchange(s) passed through but were not recorded ({} waiting to be diagnosed at most)",
                    super::writer::BACKLOG
                )));
            }
        }
        // The writer is gone only when the watch is ending: write it down here.
        Err(std::sync::mpsc::TrySendError::Disconnected(job)) => {
            let watched = record::assemble(job.captured, &shared.judging);
            shared.emit(Event::Exchange(Box::new(watched)));
        }
    }
}
