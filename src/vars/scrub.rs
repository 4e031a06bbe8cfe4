//! Credentials out of a draft that is about to be written to disk: each literal secret replaced
//! by a reference, credential variables dropped, and what was left out noted.
//!
//! The trust rule: a secret typed literally becomes `${AUTHLENS_UNSAVED_…}`, a name nothing
//! else sets, so a draft read back can never resolve to a *different* secret (a plain
//! `${API_KEY}` could pick up another key from `.env`). The session file and `.http` files
//! both save through here, so the rule is written once.

use crate::draft::{AuthHelper, Draft};
use crate::secret::{is_credential_header, is_credential_name};

/// The start of every reference that stands for a secret typed literally and not saved.
pub const UNSAVED: &str = "AUTHLENS_UNSAVED_";

/// A secret left out of a saved draft, and the name that stands in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// What the saved draft refers to instead: `AUTHLENS_UNSAVED_…` for a secret typed
    /// literally, or the name of a credential variable (the variable itself is dropped).
    pub reference: String,
    /// What `${reference}` stands for: the text as typed, byte for byte.
    pub value: String,
    /// Where it was typed: `header Authorization`, `variable API_KEY`…
    pub place: String,
    /// A dropped request variable, rather than a literal replaced by a reference.
    pub variable: bool,
}

/// The draft as it may be written to disk: credential variables dropped, and credentials typed
/// literally (a pasted `curl -H 'Authorization: Bearer …'`) replaced by a `${NAME}` reference,
/// so the file never holds a secret and the restored draft says plainly what is missing.
pub fn scrub(d: &Draft) -> Draft {
    scrub_noting(d).0
}

/// `scrub`, and what it left out. Each secret gets its own reference: two different keys
/// typed in two `Authorization` headers become `…AUTHORIZATION` and `…AUTHORIZATION_2`.
pub fn scrub_noting(d: &Draft) -> (Draft, Vec<Left>) {
    let mut d = d.clone();
    let mut s = Scrubber::default();
    d.vars.retain(|(name, value)| {
        if !is_credential_name(name) {
            return true;
        }
        // With a name given twice the first is the one that resolves (`Vars::build`).
        if !value.is_empty() && !s.left.iter().any(|l| l.variable && l.reference == *name) {
            s.left.push(Left {
                reference: name.clone(),
                value: value.clone(),
                place: format!("variable {name}"),
                variable: true,
            });
        }
        false
    });
    d.url = s.url(&d.url);
    // Settings are not resolved from variables, so a proxy's password cannot become a
    // reference: it is dropped, and the proxy asks for it again (407).
    if let Some(p) = &d.settings.proxy {
        d.settings.proxy = Some(proxy_without_password(p));
    }
    for row in &mut d.headers {
        let place = format!("header {}", row.name);
        if row.name.eq_ignore_ascii_case("cookie") {
            row.value = s.cookie(&row.value, place);
        } else if is_credential_header(&row.name)
            || !crate::secret::header_secrets(&row.name, &row.value).is_empty()
        {
            // A credential header, or any header holding a scheme word and a credential.
            row.value = s.reference(&row.value, &row.name, place);
        }
    }
    for row in &mut d.query {
        if is_credential_name(&row.name) {
            row.value = s.reference(&row.value, &row.name, format!("query {}", row.name));
        }
    }
    s.body(&mut d.body);
    match &mut d.auth {
        AuthHelper::Bearer { token } => {
            *token = s.reference(token, "BEARER_TOKEN", "auth helper token".into())
        }
        AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. } => {
            *key = s.reference(key, "API_KEY", "auth helper key".into())
        }
        AuthHelper::Basic { password, .. } => {
            *password = s.reference(password, "BASIC_PASSWORD", "auth helper password".into())
        }
        AuthHelper::None => {}
    }
    (d, s.left)
}

/// Replaces secrets with references, noting each.
#[derive(Default)]
struct Scrubber {
    left: Vec<Left>,
}

impl Scrubber {
    /// The reference `${AUTHLENS_UNSAVED_<NAME>}` stands for `secret`: the same one for the
    /// same secret, a numbered one for another.
    fn literal(&mut self, name: &str, secret: &str, place: String) -> String {
        let var: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        let base = format!("{UNSAVED}{var}");
        let mut reference = base.clone();
        for n in 2.. {
            match self.left.iter().find(|l| l.reference == reference) {
                Some(l) if l.value == secret => break,
                Some(_) => reference = format!("{base}_{n}"),
                None => {
                    self.left.push(Left {
                        reference: reference.clone(),
                        value: secret.to_string(),
                        place,
                        variable: false,
                    });
                    break;
                }
            }
        }
        reference
    }

    /// `Bearer sk-…` → `Bearer ${AUTHLENS_UNSAVED_AUTHORIZATION}`; a value that is already
    /// only references, or empty, is kept as typed.
    fn reference(&mut self, value: &str, name: &str, place: String) -> String {
        let refs = crate::vars::find_refs(value);
        let literal: String = {
            let mut rest = value.to_string();
            for r in refs.iter().rev() {
                rest.replace_range(r.span.clone(), "");
            }
            rest
        };
        let scheme = value
            .split_once(' ')
            .map(|(s, _)| s)
            .filter(|s| !s.is_empty() && !s.contains("${"));
        let secret_part = scheme
            .map_or(literal.as_str(), |s| literal.trim_start_matches(s))
            .trim();
        if secret_part.is_empty() {
            return value.to_string();
        }
        match scheme {
            // The value is `scheme`, one space, then what the reference stands for.
            Some(s) => {
                let r = self.literal(name, &value[s.len() + 1..], place);
                format!("{s} ${{{r}}}")
            }
            None => format!("${{{}}}", self.literal(name, value, place)),
        }
    }

    /// `session=EXAMPLE…; theme=dark` → `session=${AUTHLENS_UNSAVED_SESSION}; theme=dark`: each
    /// pair on its own, the values masking would hide (8 characters or more).
    fn cookie(&mut self, value: &str, place: String) -> String {
        let pairs: Vec<String> = value
            .split(';')
            .map(|pair| {
                let Some((name, v)) = pair.split_once('=') else {
                    return pair.to_string();
                };
                let secret = v.trim();
                if secret.chars().count() < 8 || !crate::vars::find_refs(secret).is_empty() {
                    return pair.to_string();
                }
                let r = self.literal(name.trim(), secret, place.clone());
                format!("{name}={}", v.replacen(secret, &format!("${{{r}}}"), 1))
            })
            .collect();
        pairs.join(";")
    }

    /// `?api_key=EXAMPLE…&q=1#top` → `?api_key=${AUTHLENS_UNSAVED_API_KEY}&q=1#top`:
    /// credential-named parameters only, read with the same query parser as the Query tab;
    /// and `https://user:KEY@host` (or `https://KEY@host`), which clients send as Basic.
    fn url(&mut self, url: &str) -> String {
        let url = &self.userinfo(url);
        let mut out = url.to_string();
        for p in crate::draft::url_params(url).into_iter().rev() {
            let name = &url[p.name.clone()];
            if let Some(v) = p.value
                && is_credential_name(name)
            {
                let place = format!("URL parameter {name}");
                out.replace_range(v.clone(), &self.reference(&url[v], name, place));
            }
        }
        out
    }

    /// The password of the URL's userinfo, or its user name when there is no password.
    fn userinfo(&mut self, url: &str) -> String {
        let Some(range) = crate::url_text::userinfo(url) else {
            return url.to_string();
        };
        let (start, at) = (range.start, range.end);
        let secret = match url[range].split_once(':') {
            Some((_, pass)) => at - pass.len()..at,
            None => start..at,
        };
        let text = &url[secret.clone()];
        if text.is_empty() || !crate::vars::find_refs(text).is_empty() {
            return url.to_string();
        }
        let r = self.literal("URL_USERINFO", text, "URL userinfo".into());
        let mut out = url.to_string();
        out.replace_range(secret, &format!("${{{r}}}"));
        out
    }

    /// Credential fields of a text body (JSON keys, form fields) and credential-named
    /// multipart text parts become references, numbered in the order they appear.
    fn body(&mut self, body: &mut crate::draft::Body) {
        use crate::draft::{Body, PartValue};
        match body {
            Body::Text { text, .. } => {
                let mut n = 0;
                for secret in crate::secret::body_secrets(text) {
                    if secret.is_empty() || !crate::vars::find_refs(&secret).is_empty() {
                        continue;
                    }
                    // Only where it stands as a value — `"…"` in JSON, `=…` in a form — so
                    // `{"password":"pass"}` does not lose the `pass` of its key.
                    let mut reference: Option<String> = None;
                    for (open, close) in [("\"", "\""), ("=", "&"), ("=", "")] {
                        let found = format!("{open}{secret}{close}");
                        let at_end = close.is_empty();
                        if (at_end && !text.ends_with(&found))
                            || (!at_end && !text.contains(&found))
                        {
                            continue;
                        }
                        let r = match &reference {
                            Some(r) => r.clone(),
                            None => {
                                n += 1;
                                let name = format!("BODY_SECRET_{n}");
                                let r = self.literal(&name, &secret, "body".into());
                                reference = Some(r.clone());
                                r
                            }
                        };
                        let with = format!("{open}${{{r}}}{close}");
                        if at_end {
                            let cut = text.len() - found.len();
                            text.replace_range(cut.., &with);
                        } else {
                            *text = text.replace(&found, &with);
                        }
                    }
                }
            }
            Body::Multipart { parts } => {
                for p in parts.iter_mut() {
                    if let PartValue::Text { text } = &mut p.value
                        && is_credential_name(&p.name)
                    {
                        *text = self.reference(text, &p.name, format!("part {}", p.name));
                    }
                }
            }
            Body::None => {}
        }
    }
}

/// Renames references everywhere in a draft at once: `${from}` (or `{{from}}`) becomes
/// `${to}` (`{{to}}`) for each pair, so a name given as both a `from` and a `to` is safe.
pub fn rename_refs(d: &mut Draft, map: &[(&str, &str)]) {
    rewrite_refs(d, |r| {
        let (_, to) = map.iter().find(|(from, _)| *from == r.name)?;
        Some(if r.mustache {
            format!("{{{{{to}}}}}")
        } else {
            format!("${{{to}}}")
        })
    });
}

/// Every `${NAME}` of the draft written `{{NAME}}`, the one spelling `.http` tools read.
pub fn to_mustache(d: &mut Draft) {
    rewrite_refs(d, |r| Some(format!("{{{{{}}}}}", r.name)));
}

/// Each reference in every text of the draft replaced by what `with` gives for it (`None`
/// keeps it as typed).
fn rewrite_refs(d: &mut Draft, with: impl Fn(&crate::vars::Ref) -> Option<String>) {
    let rewrite = |text: &mut String| {
        let refs = crate::vars::find_refs(text);
        for r in refs.iter().rev() {
            if let Some(new) = with(r) {
                text.replace_range(r.span.clone(), &new);
            }
        }
    };
    for_each_text(d, rewrite);
}

/// Calls `f` on every text of the draft that may hold a reference.
fn for_each_text(d: &mut Draft, mut f: impl FnMut(&mut String)) {
    use crate::draft::{Body, PartValue};
    f(&mut d.url);
    for row in d.headers.iter_mut().chain(d.query.iter_mut()) {
        f(&mut row.name);
        f(&mut row.value);
    }
    match &mut d.body {
        Body::Text { text, .. } => f(text),
        Body::Multipart { parts } => {
            for p in parts {
                f(&mut p.name);
                match &mut p.value {
                    PartValue::Text { text } => f(text),
                    PartValue::File { path, .. } => f(path),
                }
            }
        }
        Body::None => {}
    }
    match &mut d.auth {
        AuthHelper::Bearer { token } => f(token),
        AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. } => f(key),
        AuthHelper::Basic { user, password } => {
            f(user);
            f(password);
        }
        AuthHelper::None => {}
    }
    for (_, value) in &mut d.vars {
        f(value);
    }
}

/// `http://user:secret@proxy:3128` → `http://user@proxy:3128`, by the text alone so that a
/// proxy URL too broken to parse (the one an error message quotes) loses its password too.
pub fn proxy_without_password(proxy: &str) -> String {
    let start = proxy.find("://").map_or(0, |i| i + 3);
    let rest = &proxy[start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return proxy.to_string();
    };
    match rest[..at].find(':') {
        Some(colon) => format!("{}{}{}", &proxy[..start], &rest[..colon], &rest[at..]),
        None => proxy.to_string(),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_proxy_loses_its_password_even_when_it_does_not_parse() {
        for (given, kept) in [
            ("http://me:FAKE-pass@proxy:3128", "http://me@proxy:3128"),
            ("http://me:FAKE-pass@proxy:99999/", "http://me@proxy:99999/"),
            ("http://proxy:3128", "http://proxy:3128"),
            ("me:FAKE-pass@proxy", "me@proxy"),
        ] {
            assert_eq!(proxy_without_password(given), kept);
        }
        let mut d = Draft::new("GET", "http://h/");
        d.settings.proxy = Some("http://me:FAKE-pass@proxy:3128".into());
        assert_eq!(
            scrub(&d).settings.proxy.as_deref(),
            Some("http://me@proxy:3128")
        );
    }
    use super::*;

    #[test]
    fn literal_credentials_become_references_on_disk() {
        let mut d = Draft::new("GET", "http://h/?api_key=EXAMPLE-literal-key-0000&q=1#top")
            .header("Authorization", "Bearer sk-EXAMPLE-FAKE-literal-0000000000")
            .header("X-API-Key", "${API_KEY}")
            .header("Accept", "application/json");
        d.query
            .push(crate::draft::Row::new("token", "EXAMPLE-query-token-0000"));
        d.auth = AuthHelper::Basic {
            user: "learner".into(),
            password: "EXAMPLE-password".into(),
        };
        let s = scrub(&d);
        // Names nothing else sets: a restored draft never sends another key from `.env`.
        assert_eq!(
            s.url,
            "http://h/?api_key=${AUTHLENS_UNSAVED_API_KEY}&q=1#top"
        );
        assert_eq!(
            s.headers[0].value,
            "Bearer ${AUTHLENS_UNSAVED_AUTHORIZATION}"
        );
        assert_eq!(s.headers[1].value, "${API_KEY}");
        assert_eq!(s.headers[2].value, "application/json");
        assert_eq!(s.query[0].value, "${AUTHLENS_UNSAVED_TOKEN}");
        assert_eq!(
            s.auth,
            AuthHelper::Basic {
                user: "learner".into(),
                password: "${AUTHLENS_UNSAVED_BASIC_PASSWORD}".into()
            }
        );
    }

    /// What `scrub` leaves out is noted exactly: setting each reference to its noted value
    /// gives back the draft as typed, byte for byte (a double space, a trailing space).
    #[test]
    fn what_is_left_out_is_noted_so_it_can_be_put_back_exactly() {
        let mut d = Draft::new("POST", "http://h/?api_key=EXAMPLE-url-key-0000")
            .header("Authorization", "Bearer  EXAMPLE-FAKE-one-0000 ")
            .header("Authorization", "Bearer EXAMPLE-FAKE-two-0000")
            .header("X-API-Key", "${API_KEY}");
        d.vars.push(("MY_TOKEN".into(), "EXAMPLE-var-token".into()));
        d.vars.push(("EMPTY_TOKEN".into(), String::new()));
        d.vars.push(("REGION".into(), "eu".into()));
        d.body = crate::draft::Body::Text {
            content_type: None,
            text: r#"{"password": "EXAMPLE-hunter2-0000"}"#.into(),
        };
        let (saved, left) = scrub_noting(&d);
        let refs: Vec<&str> = left.iter().map(|l| l.reference.as_str()).collect();
        assert_eq!(
            refs,
            [
                "MY_TOKEN",
                "AUTHLENS_UNSAVED_API_KEY",
                "AUTHLENS_UNSAVED_AUTHORIZATION",
                "AUTHLENS_UNSAVED_AUTHORIZATION_2",
                "AUTHLENS_UNSAVED_BODY_SECRET_1",
            ]
        );
        assert_eq!(left[2].value, " EXAMPLE-FAKE-one-0000 ");
        assert_eq!(left[2].place, "header Authorization");
        assert!(left[0].variable && !left[1].variable);
        assert_eq!(saved.vars, [("REGION".to_string(), "eu".to_string())]);
        let vars = crate::vars::Vars::build(
            &left
                .iter()
                .map(|l| (l.reference.clone(), l.value.clone()))
                .chain([
                    ("API_KEY".into(), "K".into()),
                    ("REGION".into(), "eu".into()),
                ])
                .collect::<Vec<_>>(),
            [],
            Default::default(),
        );
        let mut typed_vars = d.vars.clone();
        typed_vars.push(("API_KEY".into(), "K".into()));
        let typed = crate::vars::Vars::build(&typed_vars, [], Default::default());
        let (a, b) = (
            crate::vars::resolve(&saved, &vars),
            crate::vars::resolve(&d, &typed),
        );
        let text = |r: &crate::vars::Resolved| {
            let headers: Vec<String> = r.headers.iter().map(|h| h.value.text.clone()).collect();
            let body = match &r.body {
                crate::vars::resolve::ResolvedBody::Text { text, .. } => text.text.clone(),
                _ => String::new(),
            };
            (r.url.text.clone(), headers, body)
        };
        assert_eq!(text(&a), text(&b));
        assert_eq!(text(&b).1[0], "Bearer  EXAMPLE-FAKE-one-0000 ");
    }

    #[test]
    fn references_are_renamed_all_at_once() {
        let mut d = Draft::new("GET", "http://h/?k=${AUTHLENS_UNSAVED_K}")
            .header("Authorization", "Bearer {{ TOKEN }}")
            .header("X-Other", "${TOKEN_2}");
        rename_refs(
            &mut d,
            &[
                ("AUTHLENS_UNSAVED_K", "K"),
                ("TOKEN", "TOKEN_2"),
                ("TOKEN_2", "TOKEN_3"),
            ],
        );
        assert_eq!(d.url, "http://h/?k=${K}");
        assert_eq!(d.headers[0].value, "Bearer {{TOKEN_2}}");
        assert_eq!(d.headers[1].value, "${TOKEN_3}");
    }

    #[test]
    fn credential_fields_of_a_body_are_not_saved() {
        let mut d = Draft::new("POST", "http://h/token");
        d.body = crate::draft::Body::Text {
            content_type: None,
            text: "user=bob&password=EXAMPLE-hunter2-0000&client_secret=${SECRET}".into(),
        };
        let crate::draft::Body::Text { text, .. } = scrub(&d).body else {
            panic!()
        };
        assert_eq!(
            text,
            "user=bob&password=${AUTHLENS_UNSAVED_BODY_SECRET_1}&client_secret=${SECRET}"
        );
        let mut d = Draft::new("POST", "http://h/");
        d.body = crate::draft::Body::Multipart {
            parts: vec![crate::draft::Part {
                name: "api_key".into(),
                value: crate::draft::PartValue::Text {
                    text: "EXAMPLE-FAKE-part-0000".into(),
                },
            }],
        };
        let json = serde_json::to_string(&scrub(&d)).unwrap();
        assert!(!json.contains("EXAMPLE-FAKE-part"), "{json}");
    }

    #[test]
    fn cookies_custom_scheme_headers_userinfo_and_json_values_are_scrubbed_in_place() {
        let mut d = Draft::new("GET", "https://user:EXAMPLE-FAKE-pass-0000@h/v1")
            .header("Cookie", "session=EXAMPLE-FAKE-session-0000; theme=dark")
            .header("X-Custom", "Bearer EXAMPLE-FAKE-custom-0000");
        d.body = crate::draft::Body::Text {
            content_type: None,
            text: r#"{"user":"bob","password":"pass"}"#.into(),
        };
        let s = scrub(&d);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("EXAMPLE-FAKE"), "{json}");
        assert_eq!(s.url, "https://user:${AUTHLENS_UNSAVED_URL_USERINFO}@h/v1");
        assert_eq!(
            s.headers[0].value,
            "session=${AUTHLENS_UNSAVED_SESSION}; theme=dark"
        );
        assert_eq!(s.headers[1].value, "Bearer ${AUTHLENS_UNSAVED_X_CUSTOM}");
        let crate::draft::Body::Text { text, .. } = &s.body else {
            panic!()
        };
        assert_eq!(
            text,
            r#"{"user":"bob","password":"${AUTHLENS_UNSAVED_BODY_SECRET_1}"}"#
        );
        let key_as_user = scrub(&Draft::new("GET", "https://EXAMPLE-FAKE-key-0000@h/"));
        assert_eq!(
            key_as_user.url,
            "https://${AUTHLENS_UNSAVED_URL_USERINFO}@h/"
        );
    }
}
