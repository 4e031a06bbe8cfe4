//! Reading one `Set-Cookie` header the way RFC 6265 §5.2 says a user agent does: the first
//! `name=value` pair, then attributes whose unknown names and bad values are ignored, never
//! fatal. Only a header without a `=` in its first pair, or with an empty name, is dropped.

use super::date::parse_cookie_date;

/// One `Set-Cookie` as read, before the jar decides what it means for a request URL.
#[derive(Clone, PartialEq, Eq)]
pub struct SetCookie {
    pub name: String,
    pub value: String,
    /// `Domain`, lower-cased, its leading dot removed; `None` when absent or empty.
    pub domain: Option<String>,
    /// `Path` when it starts with `/`; otherwise the jar uses the default-path.
    pub path: Option<String>,
    pub secure: bool,
    pub http_only: bool,
    /// `Max-Age` in seconds (may be zero or negative: delete).
    pub max_age: Option<i64>,
    /// `Expires` as Unix seconds, when it parsed as a cookie-date.
    pub expires: Option<i64>,
    /// `SameSite` as written; kept for display, not enforced (no browsing context here).
    pub same_site: Option<String>,
}

impl std::fmt::Debug for SetCookie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetCookie")
            .field("name", &self.name)
            .field("value", &crate::secret::mask(&self.value))
            .field("domain", &self.domain)
            .field("path", &self.path)
            .field("secure", &self.secure)
            .field("http_only", &self.http_only)
            .field("max_age", &self.max_age)
            .field("expires", &self.expires)
            .finish()
    }
}

/// Why a `Set-Cookie` header was dropped while reading it.
pub const NO_PAIR: &str = "its first part has no name=value pair (RFC 6265 §5.2 step 2)";
pub const EMPTY_NAME: &str = "its cookie name is empty (RFC 6265 §5.2 step 5)";

/// `session=abc; Path=/; HttpOnly` → a [`SetCookie`], or the reason it is ignored.
pub fn parse_set_cookie(header: &str) -> Result<SetCookie, &'static str> {
    let (pair, attributes) = header.split_once(';').unwrap_or((header, ""));
    let (name, value) = pair.split_once('=').ok_or(NO_PAIR)?;
    let name = name.trim_matches([' ', '\t']);
    if name.is_empty() {
        return Err(EMPTY_NAME);
    }
    let mut c = SetCookie {
        name: name.to_string(),
        value: value.trim_matches([' ', '\t']).to_string(),
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        max_age: None,
        expires: None,
        same_site: None,
    };
    for av in attributes.split(';') {
        let (key, val) = av.split_once('=').unwrap_or((av, ""));
        let val = val.trim_matches([' ', '\t']);
        match key.trim_matches([' ', '\t']).to_ascii_lowercase().as_str() {
            "expires" => c.expires = parse_cookie_date(val).or(c.expires),
            "max-age" => c.max_age = max_age(val).or(c.max_age),
            // §5.2.3: an empty Domain is ignored, not a reset of an earlier one.
            "domain" => {
                let d = val.strip_prefix('.').unwrap_or(val).to_ascii_lowercase();
                if !d.is_empty() {
                    c.domain = Some(d);
                }
            }
            "path" => c.path = val.starts_with('/').then(|| val.to_string()),
            "secure" => c.secure = true,
            "httponly" => c.http_only = true,
            "samesite" => c.same_site = Some(val.to_string()),
            _ => {}
        }
    }
    Ok(c)
}

/// §5.2.2: an optional `-` and digits; anything else leaves the attribute ignored.
fn max_age(val: &str) -> Option<i64> {
    let digits = val.strip_prefix('-').unwrap_or(val);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // A huge number is "for ever", not an error.
    Some(val.parse().unwrap_or(if val.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_cookie_with_its_attributes() {
        let c = parse_set_cookie(
            "session=FAKE-EXAMPLE-0000; Path=/cookie; HttpOnly; Secure; Domain=.Example.COM; SameSite=Lax",
        )
        .unwrap();
        assert_eq!(
            (c.name.as_str(), c.value.as_str()),
            ("session", "FAKE-EXAMPLE-0000")
        );
        assert_eq!(c.path.as_deref(), Some("/cookie"));
        assert_eq!(c.domain.as_deref(), Some("example.com"));
        let empty_after = parse_set_cookie("s=FAKE-0000; Domain=example.com; Domain=").unwrap();
        assert_eq!(empty_after.domain.as_deref(), Some("example.com"));
        assert!(c.secure && c.http_only);
        assert_eq!(c.same_site.as_deref(), Some("Lax"));
    }

    #[test]
    fn bad_attribute_values_are_ignored_and_bad_pairs_drop_the_header() {
        let c =
            parse_set_cookie("a=1; Max-Age=soon; Path=relative; Expires=never; Domain=").unwrap();
        assert_eq!(
            (c.max_age, c.path, c.expires, c.domain),
            (None, None, None, None)
        );
        assert_eq!(
            parse_set_cookie("a=1; Max-Age=-5").unwrap().max_age,
            Some(-5)
        );
        assert_eq!(parse_set_cookie("novalue"), Err(NO_PAIR));
        assert_eq!(parse_set_cookie(" =x"), Err(EMPTY_NAME));
        // An empty value is a cookie (often the server clearing one).
        assert_eq!(parse_set_cookie("session=; Max-Age=0").unwrap().value, "");
    }

    #[test]
    fn debug_never_shows_the_value() {
        let c = parse_set_cookie("session=FAKE-EXAMPLE-SECRET-0000").unwrap();
        assert!(!format!("{c:?}").contains("SECRET"));
    }
}
