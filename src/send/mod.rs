//! Turning a draft into bytes on a socket, hop by hop, and recording exactly what went out.
//!
//! ```text
//!  Draft ─resolve─► Resolved ─prepare─► Prepared (validated; errors name input + column)
//!                                          │
//!              ┌───────────────────────────┘
//!              ▼
//!         the jar's Cookie header for this URL (none if the request has its own)
//!              ▼
//!         send one hop ── fresh HTTP/1.1 connection, verbose log captured ──► Hop
//!              │            (request bytes as written, response head as read,
//!              │             body streamed up to a cap, timings)
//!              ▼
//!         Set-Cookie stored in the jar against this hop's URL
//!              ▼
//!         3xx with Location? ─no─► Exchange { hops }
//!              │yes
//!              ▼
//!         redirect::next_hop ── method/body rules, credentials stripped across origins,
//!              │                 limit and loop checks (stop with a reason)
//!              └──────────────► send the next hop
//! ```
//!
//! Redirects are followed by hand (reqwest `Policy::none()`) so every hop is visible. The
//! client is built per send with `pool_max_idle_per_host(0)` and `http1_only()`: every hop gets
//! its own connection, so every byte on it belongs to that hop. Cancelling is dropping the
//! future; the deadline covers the whole chain.

pub(crate) mod build;
pub(crate) mod capture;
pub mod client;
pub mod document;
pub(crate) mod error;
pub(crate) mod phases;
pub(crate) mod redirect;
pub mod settings;
pub(crate) mod wire;

pub use client::{ClientIdentity, ProxySetting};
pub use error::{InputError, Phase, SendError, TransportError};

use crate::cookies::{self, Jar};
use crate::draft::Draft;
use crate::exchange::{
    BodyPreview, Capture, Exchange, Hop, HopCookies, Origin, Response, Stripped, Timing,
    WireRequest, WithheldCookie,
};
use crate::vars::{Vars, resolve};
use build::{Prepared, PreparedBody};
use redirect::Outgoing;
use std::collections::HashSet;
use std::time::Duration;
use tokio::time::Instant;

/// How a send behaves; the defaults are curl's where curl has one.
#[derive(Debug, Clone)]
pub struct Options {
    /// For the whole chain: connecting, waiting and reading every body.
    pub timeout: Duration,
    pub max_redirects: usize,
    /// Response body bytes held in memory per hop; the rest is counted, not kept.
    pub body_cap: usize,
    /// `--cacert`: more roots trusted besides the system's (a practice server's CA).
    pub extra_roots: Vec<rustls::pki_types::CertificateDer<'static>>,
    /// `-k`/`--insecure`: any server certificate is taken; every view says so.
    pub insecure: bool,
    /// `--cert`/`--key`: the certificate shown to a server that asks for one (mTLS).
    pub client_identity: Option<ClientIdentity>,
    pub proxy: ProxySetting,
    /// What a timeout message names: `--timeout` on the command line, the TUI's setting there.
    pub timeout_source: &'static str,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(30),
            max_redirects: 10,
            body_cap: 32 * 1024 * 1024,
            extra_roots: Vec::new(),
            insecure: false,
            client_identity: None,
            proxy: ProxySetting::FromEnv,
            timeout_source: "--timeout",
        }
    }
}

pub const USER_AGENT: &str = concat!("authlens/", env!("CARGO_PKG_VERSION"));

/// Sends the draft, following redirects, and returns every hop as it went over the wire. A
/// fresh cookie jar lives for this one chain: a cookie set on a hop goes back on the next, as
/// a browser's login redirect needs (`send`, `send --from` and `compare` send this way).
pub async fn run(draft: &Draft, vars: &Vars, options: &Options) -> Result<Exchange, SendError> {
    run_with_jar(draft, vars, options, &mut Jar::new()).await
}

/// [`run`] with the session's cookie jar: its cookies go out on every hop they match, and
/// every `Set-Cookie` that comes back is stored in it.
pub async fn run_with_jar(
    draft: &Draft,
    vars: &Vars,
    options: &Options,
    jar: &mut Jar,
) -> Result<Exchange, SendError> {
    let resolved = resolve(draft, vars);
    let prepared = build::prepare(draft, &resolved)?;
    send_prepared(&prepared, options, jar).await
}

/// The hop being sent: its request line and the headers we ask the client to write.
#[derive(Clone)]
struct Plan {
    method: String,
    url: reqwest::Url,
    headers: Vec<Outgoing>,
    keep_body: bool,
    stripped: Vec<Stripped>,
}

/// Sends a prepared request hop by hop. Per hop, the jar's cookies for that URL go in a
/// `Cookie` header marked as the jar's on the wire — unless the request has its own `Cookie`
/// header, which is sent as typed while the jar adds nothing (python-requests' rule); afterwards the
/// hop's `Set-Cookie` headers are stored against its URL. What the jar held back or refused
/// is recorded in `Exchange::cookies`.
pub async fn send_prepared(
    prepared: &Prepared,
    options: &Options,
    jar: &mut Jar,
) -> Result<Exchange, SendError> {
    let captured = capture::install();
    let transport = |error, partial: &Exchange| SendError::Transport {
        error,
        partial: Box::new(partial.clone()),
    };
    let mut exchange = Exchange {
        transport: crate::exchange::Transport {
            // Said only of a chain that met TLS: `-k` changes nothing on plain http.
            tls_unverified: options.insecure && prepared.url.scheme() == "https",
            proxy: client::proxy_for(&options.proxy, &prepared.url),
        },
        ..Exchange::default()
    };
    let probe = phases::Probe::default();
    let client = client::build(options, &probe).map_err(|e| transport(e, &exchange))?;
    // A timeout past what the clock holds means "no deadline", not a panic.
    let deadline = Instant::now()
        .checked_add(options.timeout)
        .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400 * 365 * 30));
    let mut plan = Plan {
        method: prepared.method.clone(),
        url: prepared.url.clone(),
        headers: prepared.headers.clone(),
        keep_body: true,
        stripped: Vec::new(),
    };
    let mut visited = HashSet::new();
    loop {
        visited.insert((plan.method.clone(), plan.url.to_string()));
        let (hop_plan, withheld) = with_jar_cookies(&plan, jar);
        let hop = match tokio::time::timeout_at(
            deadline,
            send_hop(
                &client,
                &probe,
                &hop_plan,
                &prepared.body,
                captured,
                options,
            ),
        )
        .await
        {
            Ok(Ok(hop)) => hop,
            Ok(Err(HopError::Input(e))) => return Err(SendError::Input(e)),
            Ok(Err(HopError::Transport(e))) => return Err(transport(e, &exchange)),
            Err(_) => {
                let detail = format!(
                    "no complete response within {:.1} s ({})",
                    options.timeout.as_secs_f64(),
                    options.timeout_source
                );
                return Err(transport(
                    TransportError {
                        phase: Phase::Timeout,
                        url: plan.url.to_string(),
                        detail,
                    },
                    &exchange,
                ));
            }
        };
        let status = hop.response.status;
        let location = hop.response.header("location").map(str::to_string);
        let refused = jar.store_response(&plan.url, &hop.response.headers, cookies::now());
        if !withheld.is_empty() || !refused.is_empty() {
            exchange.cookies.push(HopCookies {
                hop: exchange.hops.len(),
                withheld,
                refused,
            });
        }
        exchange.transport.tls_unverified |= options.insecure && plan.url.scheme() == "https";
        exchange.hops.push(hop);
        let Some(location) = location.filter(|_| redirect::is_redirect(status)) else {
            break;
        };
        if exchange.hops.len() > options.max_redirects {
            exchange.stopped = Some(match options.max_redirects {
                0 => format!("the {status} redirect was not followed: following redirects is off"),
                1 => format!("the {status} redirect was not followed: limit of 1 redirect reached"),
                n => format!(
                    "the {status} redirect was not followed: limit of {n} redirects reached"
                ),
            });
            break;
        }
        match redirect::next_hop(status, &plan.method, &plan.url, &location, &plan.headers) {
            Ok(next) if visited.contains(&(next.method.clone(), next.url.to_string())) => {
                exchange.stopped = Some(format!(
                    "redirect loop: {} {} was already requested in this chain",
                    next.method, next.url
                ));
                break;
            }
            Ok(next) => {
                plan = Plan {
                    method: next.method,
                    url: next.url,
                    headers: next.headers,
                    keep_body: plan.keep_body && next.keep_body,
                    stripped: next.stripped,
                };
            }
            Err(reason) => {
                exchange.stopped = Some(reason);
                break;
            }
        }
    }
    Ok(exchange)
}

/// The hop's plan with the jar's `Cookie` header added (none when the request has its own),
/// and the jar's cookies held back from it. The header is added per hop, never carried to the
/// next: the jar decides again for each URL, as a browser does.
fn with_jar_cookies(plan: &Plan, jar: &Jar) -> (Plan, Vec<WithheldCookie>) {
    let typed = plan
        .headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("cookie"));
    let from_jar = jar.for_request(&plan.url, typed, cookies::now());
    let mut hop_plan = plan.clone();
    if let Some(value) = from_jar.header {
        hop_plan.headers.push(Outgoing {
            name: "Cookie".into(),
            value,
            origin: Origin::CookieJar,
        });
    }
    (hop_plan, from_jar.withheld)
}

enum HopError {
    Input(InputError),
    Transport(TransportError),
}

async fn send_hop(
    client: &reqwest::Client,
    probe: &phases::Probe,
    plan: &Plan,
    body: &PreparedBody,
    captured: bool,
    options: &Options,
) -> Result<Hop, HopError> {
    let url_text = plan.url.to_string();
    let net = |e: reqwest::Error, doing: &str| {
        HopError::Transport(TransportError::from_reqwest(&e, &url_text, doing))
    };
    let request = build_request(client, plan, body)
        .await
        .map_err(HopError::Input)?;
    // Only a reconstruction needs our own copy of the body; a capture has the real bytes.
    let sent_body = (!captured)
        .then(|| request.try_clone())
        .flatten()
        .and_then(|r| r.build().ok())
        .and_then(|r| r.body().and_then(|b| b.as_bytes()).map(<[u8]>::to_vec));
    probe.reset();
    let start = Instant::now();
    let mut response = request
        .send()
        .await
        .map_err(|e| net(e, "sending the request"))?;
    let head_at = Instant::now();
    let head = head_at - start;
    let mut preview = BodyPreview::default();
    // Reserve what the server announced (up to the cap): a 20 MiB body then lands in one
    // allocation instead of doubling its way there through copies.
    let announced = response
        .content_length()
        .unwrap_or(0)
        .min(options.body_cap as u64);
    preview.bytes.reserve_exact(announced as usize);
    while let Some(chunk) = response.chunk().await.map_err(|e| {
        net(
            e,
            &format!("reading the body after {} bytes", preview.total),
        )
    })? {
        preview.total += chunk.len() as u64;
        let room = options.body_cap.saturating_sub(preview.bytes.len());
        preview
            .bytes
            .extend_from_slice(&chunk[..chunk.len().min(room)]);
        preview.truncated |= chunk.len() > room;
    }
    let end = Instant::now();
    let total = end - start;
    let tls = plan.url.scheme() == "https";
    let phases = probe.phases(start.into_std(), head_at.into_std(), end.into_std(), tls);
    let conn = if captured { claim(plan) } else { None };
    let connect = conn
        .as_ref()
        .map(|c| c.first_write.saturating_duration_since(start.into_std()));
    let request = wire_request(
        plan,
        conn.as_ref(),
        sent_body.as_deref().unwrap_or_default(),
    );
    let (status, reason, headers) = match conn
        .as_ref()
        .and_then(|c| wire::parse_status_line(&c.read_head).map(|s| (s, c)))
    {
        Some(((status, reason), c)) => (status, reason, wire::parse_head(&c.read_head).1),
        None => reconstructed_response_head(&response),
    };
    Ok(Hop {
        request,
        response: Response {
            status,
            reason,
            headers,
            body: preview,
        },
        timing: Timing {
            connect,
            head,
            total,
            phases,
        },
    })
}

async fn build_request(
    client: &reqwest::Client,
    plan: &Plan,
    body: &PreparedBody,
) -> Result<reqwest::RequestBuilder, InputError> {
    let method = reqwest::Method::from_bytes(plan.method.as_bytes())
        .map_err(|_| InputError::new("the method", "is not a valid HTTP method"))?;
    let mut headers = reqwest::header::HeaderMap::new();
    for h in &plan.headers {
        let name = reqwest::header::HeaderName::from_bytes(h.name.as_bytes())
            .map_err(|_| InputError::new(format!("header {:?}", h.name), "invalid name"))?;
        let value = reqwest::header::HeaderValue::from_bytes(h.value.as_bytes())
            .map_err(|_| InputError::new(format!("header {:?}", h.name), "invalid value"))?;
        headers.append(name, value);
    }
    let request = client.request(method, plan.url.clone()).headers(headers);
    Ok(match body {
        _ if !plan.keep_body => request,
        PreparedBody::None => request,
        PreparedBody::Bytes(bytes) => request.body(bytes.clone()),
        PreparedBody::Multipart(parts) => request.multipart(build::multipart_form(parts).await?),
    })
}

/// Finds this hop's connection in the capture: its request line and our header lines.
fn claim(plan: &Plan) -> Option<capture::ConnLog> {
    let target = &plan.url[url::Position::BeforePath..url::Position::AfterQuery];
    let line = format!("{} {target} HTTP/1.1\r\n", plan.method);
    // Through a plain-HTTP proxy the request line names the whole URL (absolute form).
    let mut absolute = plan.url.clone();
    absolute.set_fragment(None);
    let absolute_line = format!("{} {absolute} HTTP/1.1\r\n", plan.method);
    let headers: Vec<Vec<u8>> = plan
        .headers
        .iter()
        .map(|h| {
            format!(
                "{}: {}\r\n",
                h.name.to_ascii_lowercase(),
                h.value.trim_matches([' ', '\t'])
            )
            .into_bytes()
        })
        .collect();
    capture::claim(line.as_bytes(), &headers)
        .or_else(|| capture::claim(absolute_line.as_bytes(), &headers))
}

fn wire_request(plan: &Plan, conn: Option<&capture::ConnLog>, body: &[u8]) -> WireRequest {
    let (capture, raw, raw_cut) = match conn {
        Some(c) => (Capture::Captured, c.written.clone(), c.write_truncated),
        None => (
            Capture::Reconstructed,
            wire::reconstruct(&plan.method, &plan.url, &plan.headers, body),
            false,
        ),
    };
    let (head_len, lines) = wire::parse_head(&raw);
    WireRequest {
        method: plan.method.clone(),
        url: plan.url.to_string(),
        capture,
        headers: wire::mark_origins(lines, &plan.headers),
        stripped: plan.stripped.clone(),
        raw,
        head_len,
        raw_cut,
    }
}

/// Without a capture, the head comes from reqwest's header map: lower-case names, grouped.
fn reconstructed_response_head(r: &reqwest::Response) -> (u16, String, Vec<(String, String)>) {
    let status = r.status();
    let headers = r
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    (
        status.as_u16(),
        status.canonical_reason().unwrap_or("").to_string(),
        headers,
    )
}
