//! Redirects in reverse mode: a `Location` that points at the upstream would take the
//! program's next request straight there, unwatched, so it is pointed back at the proxy; one
//! that leaves the upstream is said, since that hop will not be seen. In forward mode, a
//! redirect from `http://` to `https://` is said too: the next hop's credentials depend on it.

use super::Upstream;

/// What to do with a response's `Location`: the value to send the program instead, and the
/// note to attach to the exchange.
#[derive(Debug, PartialEq, Eq)]
pub struct Rewrite {
    pub location: Option<String>,
    pub note: String,
}

/// `location` as the upstream wrote it, for a request that went to `request_url`.
pub fn rewrite(
    location: &str,
    request_url: &str,
    up: &Upstream,
    base_url: &str,
) -> Option<Rewrite> {
    let shown = crate::secret::masked_url(location);
    let target = url::Url::parse(request_url).ok()?.join(location).ok()?;
    let same_origin = target.scheme() == if up.origin.tls { "https" } else { "http" }
        && target.host_str().map(|h| h.trim_matches(['[', ']'])) == Some(up.origin.host.as_str())
        && target.port_or_known_default() == Some(up.origin.port);
    if !same_origin {
        return Some(Rewrite {
            location: None,
            note: format!(
                "redirect to {shown} leaves the watch: the program's client will go there directly, unwatched"
            ),
        });
    }
    let under = target
        .path()
        .strip_prefix(up.prefix.as_str())
        .filter(|rest| rest.is_empty() || rest.starts_with('/'));
    let Some(rest) = under else {
        return Some(Rewrite {
            location: None,
            note: format!(
                "redirect to {shown} is outside the upstream's path {}: the program will ask the proxy for the wrong path",
                up.prefix
            ),
        });
    };
    let relative_and_unchanged = !location.contains("://") && up.prefix.is_empty();
    if relative_and_unchanged {
        return None;
    }
    let query = target.query().map(|q| format!("?{q}")).unwrap_or_default();
    let rest = if rest.is_empty() { "/" } else { rest };
    let new = format!("{base_url}{rest}{query}");
    Some(Rewrite {
        note: format!(
            "Location {shown} pointed at the upstream; rewritten to {} so the next hop is watched too",
            crate::secret::masked_url(&new)
        ),
        location: Some(new),
    })
}

/// Forward mode: an `http://` request the server sends to `https://` on the same host. The
/// program's next request will be a `CONNECT` (read only under `--mitm`), and clients that
/// strip credentials on a scheme change (curl, reqwest ≥ 0.13.4) send it without
/// `Authorization` — the usual end of "works with https, 401 with http".
pub fn upgrade_note(location: &str, request_url: &str, mitm: bool) -> Option<String> {
    let from = url::Url::parse(request_url).ok()?;
    let to = from.join(location).ok()?;
    if from.scheme() != "http" || to.scheme() != "https" || from.host() != to.host() {
        return None;
    }
    let seen = match mitm {
        true => "the next request goes through a CONNECT, recorded by --mitm",
        false => "the next request goes through a CONNECT, unread without --mitm",
    };
    Some(format!(
        "the server redirects http:// to {}: {seen}; curl and reqwest drop Authorization on the scheme change (python-requests keeps it only from port 80 to 443). Call the https:// URL directly",
        crate::secret::masked_url(to.as_str())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn up(text: &str) -> Upstream {
        Upstream::parse(text).unwrap()
    }

    #[test]
    fn a_location_on_the_upstream_comes_back_to_the_proxy() {
        let u = up("http://127.0.0.1:9000/api");
        let r = rewrite(
            "http://127.0.0.1:9000/api/v2/x?a=1",
            "http://127.0.0.1:9000/api/v1",
            &u,
            "http://127.0.0.1:8080",
        )
        .unwrap();
        assert_eq!(
            r.location.as_deref(),
            Some("http://127.0.0.1:8080/v2/x?a=1")
        );
        let r = rewrite("/api/v2", "http://127.0.0.1:9000/api/v1", &u, "http://p").unwrap();
        assert_eq!(r.location.as_deref(), Some("http://p/v2"));
    }

    #[test]
    fn a_relative_location_without_a_prefix_needs_nothing_and_another_host_is_said() {
        let u = up("http://127.0.0.1:9000");
        assert_eq!(
            rewrite("/v2", "http://127.0.0.1:9000/v1", &u, "http://p"),
            None
        );
        let r = rewrite(
            "http://127.0.0.1:9001/x",
            "http://127.0.0.1:9000/v1",
            &u,
            "http://p",
        )
        .unwrap();
        assert_eq!(r.location, None);
        assert!(r.note.contains("leaves the watch"), "{}", r.note);
    }

    #[test]
    fn only_an_http_request_sent_to_https_on_the_same_host_is_noted() {
        let note = upgrade_note(
            "https://api.example.com/v1",
            "http://api.example.com/v1",
            false,
        );
        let note = note.expect("http → https on the same host");
        assert!(note.contains("unread without --mitm") && note.contains("drop Authorization"));
        assert!(upgrade_note("https://other.example/", "http://api.example.com/", true).is_none());
        assert!(upgrade_note("/v1/", "http://api.example.com/v1", true).is_none());
        assert!(upgrade_note("https://a.example/", "https://a.example/x", true).is_none());
    }
}
