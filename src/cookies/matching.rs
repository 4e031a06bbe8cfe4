//! RFC 6265's matching rules (§5.1.3 domain-match, §5.1.4 default-path and path-match), kept
//! apart from the jar so each is tested on its own against the RFC's wording.

/// §5.1.3: `host` equals `domain`, or ends with `.domain` and is a name, not an IP address.
pub fn domain_match(host: &str, domain: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let domain = domain.to_ascii_lowercase();
    host == domain
        || (host.ends_with(&domain)
            && host[..host.len() - domain.len()].ends_with('.')
            && !is_ip(&host))
}

/// An IPv4 or IPv6 literal (as `url` writes hosts: `[::1]` for v6).
pub fn is_ip(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>().is_ok()
}

/// A loopback host — `localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]` — which curl (since
/// 7.79), browsers (a "potentially trustworthy" origin) and HTTPie treat as secure, so a
/// `Secure` cookie still goes to it over plain http.
pub fn is_loopback(host: &str) -> bool {
    let h = host.to_ascii_lowercase();
    if h == "localhost" || h.ends_with(".localhost") {
        return true;
    }
    let bare = h.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

/// §5.1.4: the directory of the request path: `/cookie/login` → `/cookie`, `/login` → `/`.
pub fn default_path(request_path: &str) -> String {
    if !request_path.starts_with('/') {
        return "/".into();
    }
    match request_path.rfind('/') {
        Some(0) | None => "/".into(),
        Some(i) => request_path[..i].to_string(),
    }
}

/// §5.1.4: the request path is the cookie path, or lies under it at a `/` boundary.
pub fn path_match(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path[cookie_path.len()..].starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_match_follows_the_rfc() {
        assert!(domain_match("api.example.com", "example.com"));
        assert!(domain_match("Example.com", "example.com"));
        assert!(!domain_match("badexample.com", "example.com"));
        assert!(!domain_match("example.com", "api.example.com"));
        assert!(domain_match("127.0.0.1", "127.0.0.1"));
        assert!(!domain_match("127.0.0.1", "0.0.1"));
        assert!(!domain_match("127.0.0.1", "localhost"));
    }

    #[test]
    fn default_path_is_the_directory() {
        assert_eq!(default_path("/cookie/login"), "/cookie");
        assert_eq!(default_path("/login"), "/");
        assert_eq!(default_path(""), "/");
        assert_eq!(default_path("/a/b/"), "/a/b");
    }

    #[test]
    fn path_match_stops_at_segment_boundaries() {
        assert!(path_match("/cookie", "/cookie"));
        assert!(path_match("/cookie/me", "/cookie"));
        assert!(path_match("/cookie/me", "/cookie/"));
        assert!(path_match("/anything", "/"));
        assert!(!path_match("/cookies", "/cookie"));
        assert!(!path_match("/", "/cookie"));
    }
}
