//! Just enough URL reading for the rules and the file formats: scheme, host, effective port,
//! path, and a `Location` made absolute. It reads URL *text* as typed or recorded; sending
//! parses with the `url` crate. The query typed in a URL is read by `draft::url_params`, with
//! offsets into the text as written.
//!
//! Deliberately lenient: a half-typed URL in the editor must not stop the other rules.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// Lower-cased.
    pub scheme: String,
    /// Lower-cased, without brackets, userinfo or port.
    pub host: String,
    pub port: Option<u16>,
    pub path: String,
}

impl Url {
    pub fn parse(text: &str) -> Option<Url> {
        let (scheme, rest) = text.split_once("://")?;
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        {
            return None;
        }
        let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..auth_end];
        let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let (host, port) = split_port(hostport);
        let tail = &rest[auth_end..];
        let tail = tail.split('#').next().unwrap_or("");
        let path = tail.split('?').next().unwrap_or("");
        Some(Url {
            scheme: scheme.to_ascii_lowercase(),
            host: host.trim_matches(['[', ']']).to_ascii_lowercase(),
            port,
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
        })
    }

    /// The port, or the scheme's default (reqwest's `port_or_known_default`).
    pub fn effective_port(&self) -> Option<u16> {
        self.port.or(match self.scheme.as_str() {
            "http" | "ws" => Some(80),
            "https" | "wss" => Some(443),
            _ => None,
        })
    }

    pub fn origin(&self) -> (String, String, Option<u16>) {
        (
            self.scheme.clone(),
            self.host.clone(),
            self.effective_port(),
        )
    }
}

fn split_port(hostport: &str) -> (&str, Option<u16>) {
    if hostport.starts_with('[') {
        return match hostport.split_once("]:") {
            Some((h, p)) => (h, p.parse().ok()),
            None => (hostport, None),
        };
    }
    match hostport.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
            (h, p.parse().ok())
        }
        _ => (hostport, None),
    }
}

/// Where `user:password` stands in `http://user:password@host/…`: the bytes between `://` and
/// the last `@` of the authority. `None` when the URL has no userinfo.
pub fn userinfo(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find("://")? + 3;
    let end = text[start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| start + i);
    let at = start + text[start..end].rfind('@')?;
    Some(start..at)
}

/// A `Location` value made absolute against the URL it answered.
pub fn join(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return location.to_string();
    };
    if let Some(net) = location.strip_prefix("//") {
        return format!("{scheme}://{net}");
    }
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..auth_end]);
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = rest[auth_end..].split(['?', '#']).next().unwrap_or("/");
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    format!("{origin}{dir}/{location}")
}

/// `%2B` → `+`; invalid escapes stay as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_scheme_host_port_and_path() {
        let text = "https://User@Geo.Example.com:8443/v2/lookup?api_key=ab+c&q=paris#frag";
        let u = Url::parse(text).unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("geo.example.com", Some(8443), "/v2/lookup")
        );
    }

    #[test]
    fn effective_ports_and_joins() {
        assert_eq!(Url::parse("http://h/").unwrap().effective_port(), Some(80));
        assert_eq!(join("https://a.com/x/y?q", "/z"), "https://a.com/z");
        assert_eq!(join("https://a.com/x/y", "z"), "https://a.com/x/z");
        assert_eq!(join("https://a.com/x", "http://b.com/"), "http://b.com/");
        assert!(Url::parse("not a url").is_none());
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Bb%3D%zz%"), "a+b=%zz%");
    }
}
