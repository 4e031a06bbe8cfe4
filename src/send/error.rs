//! What can go wrong before and during a send, said in one line that names the input or phase.
//!
//! Two kinds, because they mean different things to the user: an `InputError` is something in
//! the draft to fix (exit code 2); a `TransportError` is the network or the server failing
//! (exit code 1), named by the phase it failed in so "is it DNS or TLS?" needs no guessing.

use std::error::Error as _;
use std::fmt;

/// A problem with what the user typed, with the place it is in.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input}: {message}")]
pub struct InputError {
    /// e.g. `header 2 "Authorization"`, `the URL`, `multipart part 1 (file "a.jpg")`.
    pub input: String,
    pub message: String,
}

impl InputError {
    pub fn new(input: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            input: input.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Dns,
    Connect,
    Tls,
    Timeout,
    /// The connection closed or was reset before the response was complete.
    Reset,
    Other,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Dns => "DNS lookup failed",
            Phase::Connect => "could not connect",
            Phase::Tls => "TLS handshake failed",
            Phase::Timeout => "timed out",
            Phase::Reset => "connection reset",
            Phase::Other => "request failed",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{phase} for {url}: {detail}")]
pub struct TransportError {
    pub phase: Phase,
    pub url: String,
    pub detail: String,
}

impl TransportError {
    /// Names the phase from reqwest's error and the chain of causes under it.
    pub fn from_reqwest(e: &reqwest::Error, url: &str, while_doing: &str) -> Self {
        let chain = causes(e);
        let lower = self::chain(e)
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(": ")
            .to_ascii_lowercase();
        let phase = if e.is_timeout() {
            Phase::Timeout
        } else if lower.contains("dns error") || lower.contains("failed to lookup address") {
            Phase::Dns
        } else if has_cause::<rustls::Error>(e)
            || lower.contains("certificate")
            || lower.contains("tls")
        {
            Phase::Tls
        } else if e.is_connect() {
            Phase::Connect
        } else if is_reset(e, &lower) {
            Phase::Reset
        } else {
            Phase::Other
        };
        let mut detail = if chain.is_empty() {
            while_doing.to_string()
        } else {
            format!("{while_doing}: {chain}")
        };
        if let Some(hint) = client_cert_hint(e) {
            detail = format!("{detail}: {hint}");
        }
        TransportError {
            phase,
            url: url.to_string(),
            detail,
        }
    }
}

/// Where a client certificate is given, in every place a user may be sending from.
const WHERE_CERT: &str = "--cert FILE (and --key FILE), # @cert / # @key in a .http file, or Settings › client cert in the TUI";

/// What the server's TLS alert says about the client certificate (mTLS). The server only ever
/// checks the client's certificate, so a certificate alert *received* is about ours; the
/// server's own certificate failing our check is a local error, not an alert.
fn client_cert_hint(e: &reqwest::Error) -> Option<String> {
    use rustls::AlertDescription as A;
    chain(e)
        .iter()
        .find_map(|c| match c.downcast_ref::<rustls::Error>()? {
            rustls::Error::AlertReceived(A::CertificateRequired) => Some(format!(
                "the server asked for a client certificate (mTLS) and none was sent: give it with {WHERE_CERT}"
            )),
            rustls::Error::AlertReceived(
                A::BadCertificate
                | A::UnknownCA
                | A::CertificateUnknown
                | A::CertificateExpired
                | A::CertificateRevoked
                | A::UnsupportedCertificate,
            ) => Some(format!(
                "the server refused the client certificate sent: check it is current and issued by a CA the server trusts ({WHERE_CERT})"
            )),
            _ => None,
        })
}

/// Every error under `e`, outermost first. An `io::Error` wrapping another error reports
/// the wrapped one's *source* as its own, skipping it, so it is stepped into by hand.
fn chain(e: &reqwest::Error) -> Vec<&(dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut cur = e.source();
    while let Some(c) = cur {
        out.push(c);
        cur = match c
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => c.source(),
        };
    }
    out
}

/// The deepest cause: "Connection refused", not reqwest's "client error (Connect)" wrapper.
fn causes(e: &reqwest::Error) -> String {
    chain(e).last().map(|c| c.to_string()).unwrap_or_default()
}

fn has_cause<T: std::error::Error + 'static>(e: &reqwest::Error) -> bool {
    chain(e).iter().any(|c| c.is::<T>())
}

fn is_reset(e: &reqwest::Error, lower: &str) -> bool {
    let mut cur = e.source();
    while let Some(c) = cur {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            if matches!(
                io.kind(),
                ConnectionReset | ConnectionAborted | UnexpectedEof | BrokenPipe
            ) {
                return true;
            }
        }
        if let Some(h) = c.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_closed() || h.is_canceled())
        {
            return true;
        }
        cur = c.source();
    }
    lower.contains("connection reset")
        || lower.contains("connection closed")
        || lower.contains("end of file")
}

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error(transparent)]
    Input(#[from] InputError),
    /// The network failed; `partial` holds the hops completed before it (redirects).
    #[error("{error}")]
    Transport {
        error: TransportError,
        partial: Box<super::Exchange>,
    },
}

impl SendError {
    /// curl-like exit codes: 2 for bad input, 1 for a transport failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            SendError::Input(_) => 2,
            SendError::Transport { .. } => 1,
        }
    }
}
