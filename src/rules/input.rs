//! What the engine reads: a draft, variables with provenance, what was observed (redirect
//! hops and the final response) and the context. A live `Exchange` becomes `Observed` here;
//! a recorded exchange file becomes a whole `Input` in `from_file.rs`.

use super::context::Context;
use crate::draft::Draft;
use crate::exchange::{Exchange, RefusedCookie, WithheldCookie};
use crate::vars::Vars;

/// What came back: the redirect hops in order, then the final response (if any yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    pub redirects: Vec<Redirect>,
    pub response: Option<ObservedResponse>,
    /// A hop went to an `https://` URL with the server's certificate unchecked (`-k`): who
    /// answered is not proven, which the rules say as a note (`tls-verification-off`).
    pub tls_unverified: bool,
    /// Every hop's cookies, redirects first and the final response last; empty when nothing
    /// was observed.
    pub cookies: Vec<CookieHop>,
}

/// What one hop shows of cookies: what the request carried, what the jar held back, what
/// the response set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieHop {
    pub url: String,
    pub status: u16,
    /// Names of the cookies the request carried; `None` when the wire is unknown (a file's
    /// redirect hops: the client's own jar decides).
    pub sent: Option<Vec<String>>,
    /// The `Set-Cookie` headers of the response.
    pub set_cookie: Vec<String>,
    /// Cookies of authlens's jar not sent with this request, and why.
    pub withheld: Vec<WithheldCookie>,
    /// `Set-Cookie` headers of this response the jar refused.
    pub refused: Vec<RefusedCookie>,
}

/// The names of the cookies in `Cookie` header values.
pub fn cookie_names<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.split_once('='))
        .map(|(n, _)| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
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
        cookies: cookie_hops(ex),
    }
}

fn cookie_hops(ex: &Exchange) -> Vec<CookieHop> {
    ex.hops
        .iter()
        .enumerate()
        .map(|(i, hop)| {
            let jar = ex.cookies_of(i);
            let sent = hop
                .request
                .headers
                .iter()
                .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
                .map(|h| h.value.as_str());
            CookieHop {
                url: hop.request.url.clone(),
                status: hop.response.status,
                sent: Some(cookie_names(sent)),
                set_cookie: hop
                    .response
                    .header_values("set-cookie")
                    .map(str::to_string)
                    .collect(),
                withheld: jar.map(|c| c.withheld.clone()).unwrap_or_default(),
                refused: jar.map(|c| c.refused.clone()).unwrap_or_default(),
            }
        })
        .collect()
}
