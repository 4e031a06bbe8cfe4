//! Deciding the next hop of a redirect, the way real clients do, so each hop can be shown.
//!
//! authlens follows redirects by hand (reqwest `Policy::none()`) to record every hop. The
//! rules here are the ones people's own clients apply, so what authlens shows is what their
//! program would have sent:
//! - 303 turns any method but HEAD into GET; 301 and 302 turn POST into GET (browsers and curl
//!   both do); 307 and 308 keep the method and the body. A dropped body takes its
//!   `Content-Type`/`Content-Length`-style headers with it (Fetch's "request-body-header").
//! - `Authorization`, `Cookie`, `Cookie2` and `Proxy-Authorization` are removed when the scheme,
//!   host or port changes: reqwest ≥ 0.13.4 `remove_sensitive_headers`, and curl's
//!   "another host" test since CVE-2022-27776. A custom `X-API-Key` is *not* removed — it
//!   travels to the new origin, which is itself a lesson.

use crate::exchange::{Origin, Stripped};
use reqwest::Url;

/// A header on its way out, remembering who asked for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// What the client sends next after a redirect response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextHop {
    pub method: String,
    pub url: Url,
    pub keep_body: bool,
    pub headers: Vec<Outgoing>,
    pub stripped: Vec<Stripped>,
}

const SENSITIVE: [&str; 4] = ["authorization", "cookie", "cookie2", "proxy-authorization"];
const BODY_HEADERS: [&str; 5] = [
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "content-location",
];

/// Is this status a redirect a client follows?
pub fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The next hop after `status` with `location`, or an error naming what is wrong with it.
pub fn next_hop(
    status: u16,
    method: &str,
    from: &Url,
    location: &str,
    headers: &[Outgoing],
) -> Result<NextHop, String> {
    let url = from.join(location.trim()).map_err(|e| {
        format!("the {status} redirect's Location {location:?} is not a valid URL ({e})")
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "the {status} redirect points to a {}: URL, which is not followed",
            url.scheme()
        ));
    }
    let to_get = match status {
        303 => method != "HEAD",
        301 | 302 => method == "POST",
        _ => false,
    };
    let next_method = if to_get {
        "GET".to_string()
    } else {
        method.to_string()
    };
    let cross = cross_origin(from, &url);
    let mut kept = Vec::new();
    let mut stripped = Vec::new();
    for h in headers {
        let lower = h.name.to_ascii_lowercase();
        let reason = if cross.is_some() && SENSITIVE.contains(&lower.as_str()) {
            cross.clone()
        } else if to_get && BODY_HEADERS.contains(&lower.as_str()) {
            Some(format!(
                "the {status} turned {method} into GET, so the body and its headers were dropped"
            ))
        } else {
            None
        };
        match reason {
            Some(reason) => stripped.push(Stripped {
                name: h.name.clone(),
                reason,
            }),
            None => kept.push(h.clone()),
        }
    }
    Ok(NextHop {
        method: next_method,
        url,
        keep_body: !to_get,
        headers: kept,
        stripped,
    })
}

/// Why the new URL counts as another origin for credentials, if it does.
fn cross_origin(from: &Url, to: &Url) -> Option<String> {
    let what = if from.scheme() != to.scheme() {
        format!("scheme {} → {}", from.scheme(), to.scheme())
    } else if from.host_str() != to.host_str() {
        format!(
            "host {} → {}",
            from.host_str().unwrap_or(""),
            to.host_str().unwrap_or("")
        )
    } else if from.port_or_known_default() != to.port_or_known_default() {
        let port = |u: &Url| {
            u.port_or_known_default()
                .map_or("?".into(), |p| p.to_string())
        };
        format!("port {} → {}", port(from), port(to))
    } else {
        return None;
    };
    Some(format!(
        "the redirect changed origin ({what}); clients drop credentials there"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(name: &str) -> Outgoing {
        Outgoing {
            name: name.into(),
            value: "v".into(),
            origin: Origin::Typed { row: 0 },
        }
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn names(hs: &[Outgoing]) -> Vec<&str> {
        hs.iter().map(|h| h.name.as_str()).collect()
    }

    #[test]
    fn cross_port_redirect_strips_credentials_but_forwards_custom_key_headers() {
        let hs = [h("Authorization"), h("X-API-Key"), h("Cookie"), h("Accept")];
        let n = next_hop(
            307,
            "GET",
            &url("http://127.0.0.1:8000/a"),
            "http://127.0.0.1:9000/b",
            &hs,
        )
        .unwrap();
        assert_eq!(names(&n.headers), ["X-API-Key", "Accept"]);
        assert_eq!(
            n.stripped
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["Authorization", "Cookie"]
        );
        assert!(
            n.stripped[0].reason.contains("port 8000 → 9000"),
            "{}",
            n.stripped[0].reason
        );
    }

    #[test]
    fn same_origin_redirect_keeps_authorization() {
        let n = next_hop(
            302,
            "GET",
            &url("https://api.test/v1"),
            "/v1/",
            &[h("Authorization")],
        )
        .unwrap();
        assert_eq!(n.url.as_str(), "https://api.test/v1/");
        assert!(n.stripped.is_empty());
    }

    #[test]
    fn scheme_change_on_default_ports_strips_as_reqwest_0_13_4_does() {
        let n = next_hop(
            301,
            "GET",
            &url("https://api.test/x"),
            "http://api.test/x",
            &[h("authorization")],
        )
        .unwrap();
        assert!(n.stripped[0].reason.contains("scheme https → http"));
    }

    #[test]
    fn see_other_turns_post_into_get_and_drops_the_body_headers() {
        let hs = [h("Content-Type"), h("X-API-Key")];
        let n = next_hop(303, "POST", &url("http://h/a"), "/b", &hs).unwrap();
        assert_eq!((n.method.as_str(), n.keep_body), ("GET", false));
        assert_eq!(names(&n.headers), ["X-API-Key"]);
    }

    #[test]
    fn temporary_and_permanent_redirects_keep_method_and_body() {
        for status in [307, 308] {
            let n = next_hop(
                status,
                "POST",
                &url("http://h/a"),
                "/b",
                &[h("Content-Type")],
            )
            .unwrap();
            assert_eq!((n.method.as_str(), n.keep_body), ("POST", true));
        }
        let n = next_hop(302, "PUT", &url("http://h/a"), "/b", &[]).unwrap();
        assert_eq!(n.method, "PUT");
        let n = next_hop(303, "HEAD", &url("http://h/a"), "/b", &[]).unwrap();
        assert_eq!(n.method, "HEAD");
    }

    #[test]
    fn bad_locations_are_reported() {
        assert!(
            next_hop(302, "GET", &url("http://h/"), "http://[::1", &[])
                .unwrap_err()
                .contains("not a valid URL")
        );
        assert!(
            next_hop(302, "GET", &url("http://h/"), "ftp://h/x", &[])
                .unwrap_err()
                .contains("ftp")
        );
    }
}
