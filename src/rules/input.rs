//! What the engine reads: a draft, variables with provenance, what was observed (redirect
//! hops and the final response) and the context. A live `Exchange` becomes `Observed` here;
//! a recorded exchange file becomes a whole `Input` in `from_file.rs`.

use super::context::Context;
use crate::draft::Draft;
use crate::exchange::Exchange;
use crate::vars::Vars;

/// What came back: the redirect hops in order, then the final response (if any yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    pub redirects: Vec<Redirect>,
    pub response: Option<ObservedResponse>,
    /// A hop went to an `https://` URL with the server's certificate unchecked (`-k`): who
    /// answered is not proven, which the rules say as a note (`tls-verification-off`).
    pub tls_unverified: bool,
}

/// One 3xx hop before the final response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub status: u16,
    pub from: String,
    pub location: String,
    /// Header names the request after this hop really carried, when the wire was captured;
    /// `None` means "apply the client's documented redirect rules".
    pub next_carried: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservedResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Everything `diagnose` needs, built from one exchange file.
#[derive(Debug, Clone)]
pub struct Input {
    pub draft: Draft,
    pub vars: Vars,
    pub observed: Observed,
    pub context: Context,
}

/// How much of a response body the rules read. Authentication errors are short; a 20 MiB
/// success body must not be copied, lower-cased and parsed as JSON on every diagnosis.
pub const BODY_SEEN: usize = 64 * 1024;

/// A live send: each hop's wire headers say what really went out after a redirect.
pub fn observed_from_exchange(ex: &Exchange) -> Observed {
    let mut redirects = Vec::new();
    for pair in ex.hops.windows(2) {
        let (hop, next) = (&pair[0], &pair[1]);
        redirects.push(Redirect {
            status: hop.response.status,
            from: hop.request.url.clone(),
            location: hop.response.header("location").unwrap_or("").to_string(),
            next_carried: Some(
                next.request
                    .headers
                    .iter()
                    .map(|h| h.name.clone())
                    .collect(),
            ),
        });
    }
    let response = ex.final_response().map(|r| ObservedResponse {
        status: r.status,
        headers: r.headers.clone(),
        body: {
            let head = &r.body.bytes[..r.body.bytes.len().min(BODY_SEEN)];
            String::from_utf8_lossy(head).into_owned()
        },
    });
    let tls_unverified = ex.transport.tls_unverified
        && ex.hops.iter().any(|h| {
            h.request
                .url
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        });
    Observed {
        redirects,
        response,
        tls_unverified,
    }
}
