//! `WWW-Authenticate` / `Proxy-Authenticate` parsed by their grammar, because the challenge
//! says which slot the server expected and, with RFC 6750's `error=`, why it refused.
//!
//! RFC 9110 §11.6.1: `challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, several
//! challenges in one field (comma-separated) and across fields; `auth-param = token BWS "="
//! BWS ( token / quoted-string )`, quoted strings with `\`-escapes and commas inside.

/// One challenge: the scheme and its parameters (names lower-cased, values unquoted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Challenge {
    pub scheme: String,
    pub token68: Option<String>,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    /// A parameter's value; names compare case-insensitively (RFC 9110 §11.2).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// RFC 6750 §3.1: a challenge without `error=` means "you sent nothing usable".
    pub fn is_bare(&self) -> bool {
        self.param("error").is_none()
    }
}

/// All challenges in all given field values, in order.
pub fn parse_all<'a>(fields: impl IntoIterator<Item = &'a str>) -> Vec<Challenge> {
    fields.into_iter().flat_map(parse).collect()
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn is_token68_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~+/".contains(c)
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> &'a str {
        let start = self.i;
        let len = self
            .rest()
            .find(|c: char| !f(c))
            .unwrap_or(self.rest().len());
        self.i += len;
        &self.s[start..self.i]
    }
    fn skip_ows(&mut self) {
        self.take_while(|c| c == ' ' || c == '\t');
    }
    fn skip_char(&mut self) {
        self.i += self.peek().map_or(0, char::len_utf8);
    }
    /// `"…"` with `\`-escapes; an unterminated string runs to the end of the field.
    fn quoted(&mut self) -> String {
        self.skip_char();
        let mut out = String::new();
        while let Some(c) = self.peek() {
            self.skip_char();
            match c {
                '"' => break,
                '\\' => {
                    if let Some(n) = self.peek() {
                        out.push(n);
                        self.skip_char();
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }
}

/// The challenges in one field value. Never fails: junk is skipped, as lenient clients do.
pub fn parse(field: &str) -> Vec<Challenge> {
    let mut c = Cursor { s: field, i: 0 };
    let mut out: Vec<Challenge> = Vec::new();
    loop {
        c.take_while(|ch| ch == ' ' || ch == '\t' || ch == ',');
        if c.peek().is_none() {
            break;
        }
        // A token followed by `=` continues the current challenge's parameters.
        let save = c.i;
        let token = c.take_while(is_tchar);
        if token.is_empty() {
            c.skip_char();
            continue;
        }
        c.skip_ows();
        if c.peek() == Some('=') && !out.is_empty() && !looks_like_token68_end(&c) {
            c.i = save;
            let current = out.len() - 1;
            param(&mut c, &mut out[current]);
            continue;
        }
        let mut challenge = Challenge {
            scheme: token.to_string(),
            ..Challenge::default()
        };
        c.i = save + token.len();
        if c.peek() == Some(' ') {
            c.skip_ows();
            token68_or_param(&mut c, &mut challenge);
        }
        out.push(challenge);
    }
    out
}

/// After a scheme: either a token68 (`abc==` then end or comma) or the first auth-param.
fn token68_or_param(c: &mut Cursor, challenge: &mut Challenge) {
    let save = c.i;
    let body = c.take_while(is_token68_char);
    let pad = c.take_while(|ch| ch == '=');
    let end = c.i;
    c.skip_ows();
    if !body.is_empty() && matches!(c.peek(), None | Some(',')) {
        challenge.token68 = Some(format!("{body}{pad}"));
        c.i = end;
        return;
    }
    c.i = save;
    if c.peek().is_some_and(is_tchar) {
        param(c, challenge);
    }
}

/// At `=` after a token: true when this `=` is token68 padding rather than a parameter.
fn looks_like_token68_end(c: &Cursor) -> bool {
    let after = c.rest().trim_start_matches('=');
    after.trim_start().is_empty() || after.trim_start().starts_with(',')
}

/// `name BWS = BWS ( token / quoted-string )`.
fn param(c: &mut Cursor, challenge: &mut Challenge) {
    let name = c.take_while(is_tchar).to_ascii_lowercase();
    c.skip_ows();
    if c.peek() != Some('=') {
        return;
    }
    c.skip_char();
    c.skip_ows();
    let value = if c.peek() == Some('"') {
        c.quoted()
    } else {
        c.take_while(|ch| ch != ',' && ch != ' ' && ch != '\t')
            .to_string()
    };
    challenge.params.push((name, value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6750_challenge_with_params() {
        let cs = parse(
            r#"Bearer realm="api", error="invalid_token", error_description="The token expired at '03/01/2026 11:00:00'""#,
        );
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].scheme, "Bearer");
        assert_eq!(cs[0].param("ERROR"), Some("invalid_token"));
        assert!(!cs[0].is_bare());
    }

    #[test]
    fn several_challenges_in_one_field_and_across_fields() {
        let cs = parse_all([
            r#"Newauth realm="apps", type=1, title="Login to \"apps\", ok", Basic realm="simple""#,
            "Bearer",
        ]);
        let schemes: Vec<_> = cs.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Newauth", "Basic", "Bearer"]);
        assert_eq!(cs[0].param("title"), Some("Login to \"apps\", ok"));
        assert_eq!(cs[0].param("type"), Some("1"));
        assert!(cs[2].is_bare());
    }

    #[test]
    fn token68_and_bare_schemes() {
        let cs = parse("Negotiate abc+/de==, APIKey, Token");
        assert_eq!(cs[0].token68.as_deref(), Some("abc+/de=="));
        assert_eq!(cs[1].scheme, "APIKey");
        assert_eq!(cs[2].scheme, "Token");
    }

    #[test]
    fn junk_does_not_panic() {
        for s in [
            "",
            ",,,",
            "=",
            "\"",
            "Bearer =",
            "Bearer realm=\"unterminated",
            "é ü",
        ] {
            let _ = parse(s);
        }
    }
}
