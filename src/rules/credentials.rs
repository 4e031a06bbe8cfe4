//! Finding every credential in a request — `Authorization`, key headers, query parameters,
//! form and JSON bodies — with the variable that supplied it and a typed-text anchor.
//!
//! The `Authorization` value is split by the RFC 9110 §11.6.2 grammar (`auth-scheme 1*SP
//! credentials`), so the separator spaces are never part of the credential.

use super::case::{
    Case, Cred, Place, is_credential_header, is_credential_param, typed_range, var_covering,
};
use super::finding::{Anchor, RowRef};
use super::text::known_scheme;
use crate::url_text::percent_decode;
use crate::vars::Interpolated;
use base64::Engine;

pub fn find(case: &Case) -> Vec<Cred> {
    let mut out = Vec::new();
    for h in &case.headers {
        let name = h.name.trim();
        let key_header = case
            .provider
            .and_then(|p| p.key_header)
            .is_some_and(|k| k.eq_ignore_ascii_case(name));
        if name.eq_ignore_ascii_case("authorization") {
            out.push(authorization(h.row, name, &h.value));
        } else if key_header || is_credential_header(name) {
            out.push(whole_header(h.row, name, &h.value));
        }
    }
    url_query(case, &mut out);
    url_userinfo(case, &mut out);
    for q in &case.query {
        if is_credential_param(&q.name) {
            out.push(Cred {
                place: Place::QueryRow(q.row),
                name: q.name.clone(),
                scheme: None,
                value: q.value.text.clone(),
                var: var_covering(&q.value, &(0..q.value.text.len())),
                anchor: Anchor::query(q.row),
            });
        }
    }
    if let Some(body) = &case.body {
        body_params(case, body, &mut out);
    }
    out
}

/// `Bearer abc` → scheme `Bearer`, credential `abc`; a value without blanks has no scheme.
pub fn split_scheme(value: &str) -> (Option<&str>, usize) {
    let lead = value.len() - value.trim_start_matches([' ', '\t']).len();
    let v = &value[lead..];
    let token_end = v
        .find(|c: char| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)))
        .unwrap_or(v.len());
    let rest = &v[token_end..];
    if token_end > 0 && rest.starts_with([' ', '\t']) {
        let sep = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        (Some(&v[..token_end]), lead + token_end + sep)
    } else {
        (None, lead)
    }
}

fn authorization(row: RowRef, name: &str, value: &Interpolated) -> Cred {
    let text = &value.text;
    let (mut scheme, mut start) = split_scheme(text);
    // `Authorization: Bearer` alone is a scheme with no credential, not a bare token.
    let word = text.trim();
    if scheme.is_none() && known_scheme(word).is_some() {
        scheme = Some(word);
        start = text.len();
    }
    let end = start + text[start..].trim_end_matches([' ', '\t']).len();
    let range = start..end;
    Cred {
        place: Place::Authorization(row),
        name: name.to_string(),
        scheme: scheme.map(str::to_string),
        value: text[range.clone()].to_string(),
        var: var_covering(value, &range),
        anchor: Anchor::header_value(row, typed_range(value, range)),
    }
}

fn whole_header(row: RowRef, name: &str, value: &Interpolated) -> Cred {
    let range = 0..value.text.len();
    Cred {
        place: Place::Header(row),
        name: name.to_string(),
        scheme: None,
        value: value.text.clone(),
        var: var_covering(value, &range),
        anchor: Anchor::header_value(row, typed_range(value, range)),
    }
}

/// `?api_key=…` typed in the URL, read as typed (offsets into the URL as written, even when
/// it does not parse), with the same parser as the editor's Query tab.
fn url_query(case: &Case, out: &mut Vec<Cred>) {
    let text = &case.url.text;
    for p in crate::draft::url_params(text) {
        let name = &text[p.name.clone()];
        if !is_credential_param(name) {
            continue;
        }
        let range = p.value.unwrap_or(p.name.end..p.name.end);
        let typed = typed_range(&case.url, range.clone());
        out.push(Cred {
            place: Place::UrlQuery,
            name: name.to_string(),
            scheme: None,
            value: text[range.clone()].to_string(),
            var: var_covering(&case.url, &range),
            anchor: Anchor::url(typed),
        });
    }
}

/// `http://user:password@host/…`: curl, reqwest, requests and the others send the userinfo as
/// `Authorization: Basic base64(user:password)` (when no `Authorization` is typed), so it is
/// the request's credential — in the Basic scheme, whatever the API wants.
fn url_userinfo(case: &Case, out: &mut Vec<Cred>) {
    let text = &case.url.text;
    let Some(range) = crate::url_text::userinfo(text) else {
        return;
    };
    let (start, at) = (range.start, range.end);
    let userinfo = &text[range];
    let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
    if user.is_empty() && password.is_empty() {
        return;
    }
    let basic = format!("{}:{}", percent_decode(user), percent_decode(password));
    let typed = typed_range(&case.url, start..at);
    out.push(Cred {
        place: Place::UrlUserinfo,
        name: "userinfo".to_string(),
        scheme: Some("Basic".to_string()),
        value: base64::engine::general_purpose::STANDARD.encode(basic),
        var: var_covering(&case.url, &(start..at)),
        anchor: Anchor::url(typed),
    });
}

/// Names that carry a credential in a form body; `code` only in a token-endpoint post.
const BODY_CREDENTIALS: [&str; 8] = [
    "token",
    // RFC 7523 §2.2: a signed JWT that authenticates the client at a token endpoint.
    "client_assertion",
    "access_token",
    "refresh_token",
    "client_secret",
    "api_key",
    "apikey",
    "password",
];

fn body_params(case: &Case, body: &Interpolated, out: &mut Vec<Cred>) {
    let text = body.text.trim();
    if text.starts_with('{') {
        json_params(body, out);
        return;
    }
    let form = case
        .headers_named("content-type")
        .any(|h| h.value.text.contains("x-www-form-urlencoded"))
        || (text.contains('=') && !text.contains(['\n', ' ']));
    if !form {
        return;
    }
    let token_endpoint = form_pairs(&body.text).any(|(n, _)| n == "grant_type");
    for (name, range) in form_pairs(&body.text) {
        if BODY_CREDENTIALS.contains(&name) || (token_endpoint && name == "code") {
            out.push(Cred {
                place: Place::FormField,
                name: name.to_string(),
                scheme: None,
                value: percent_decode(&body.text[range.clone()]),
                var: var_covering(body, &range),
                anchor: Anchor::body(),
            });
        }
    }
}

/// `a=1&b=2` → (name, value range).
pub fn form_pairs(text: &str) -> impl Iterator<Item = (&str, std::ops::Range<usize>)> {
    let mut offset = 0;
    text.split('&').map(move |piece| {
        let start = offset;
        offset += piece.len() + 1;
        match piece.split_once('=') {
            Some((n, v)) => (n, start + n.len() + 1..start + n.len() + 1 + v.len()),
            None => (piece, start + piece.len()..start + piece.len()),
        }
    })
}

fn json_params(body: &Interpolated, out: &mut Vec<Cred>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&body.text) else {
        return;
    };
    for (k, v) in map {
        let lower = k.to_ascii_lowercase();
        if let (true, Some(s)) = (
            ["token", "access_token", "api_key", "apikey"].contains(&lower.as_str()),
            v.as_str(),
        ) {
            let var = body
                .text
                .find(s)
                .and_then(|i| var_covering(body, &(i..i + s.len())));
            out.push(Cred {
                place: Place::JsonField,
                name: k,
                scheme: None,
                value: s.to_string(),
                var,
                anchor: Anchor::body(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_split_follows_the_grammar() {
        assert_eq!(split_scheme("Bearer  tok"), (Some("Bearer"), 8));
        assert_eq!(split_scheme("tok"), (None, 0));
        assert_eq!(split_scheme("Bearer:tok"), (None, 0));
        assert_eq!(split_scheme("\tBasic x"), (Some("Basic"), 7));
    }

    #[test]
    fn body_fields_are_placed_by_kind_not_by_a_name_prefix() {
        use super::super::context::Context;
        use crate::draft::{Body, Draft};
        use crate::vars::Vars;
        let (vars, ctx) = (Vars::default(), Context::default());
        let mut d = Draft::new("POST", "https://svc.example.org/x");
        d.body = Body::Text {
            content_type: Some("application/json".into()),
            text: r#"{"api_key": "FAKE-key-0000"}"#.into(),
        };
        let case = Case::new(&d, &vars, &ctx, None);
        let c = &case.creds[0];
        assert_eq!((c.place, c.name.as_str()), (Place::JsonField, "api_key"));
        assert_eq!(c.label(), "json:api_key");
        assert!(
            !c.goes_by("api_key"),
            "a JSON key is no header or form name"
        );

        d.body = Body::Text {
            content_type: None,
            text: "api_key=FAKE-key-0000".into(),
        };
        let case = Case::new(&d, &vars, &ctx, None);
        let c = &case.creds[0];
        assert_eq!((c.place, c.name.as_str()), (Place::FormField, "api_key"));
        assert_eq!(c.label(), "api_key");
        assert!(c.goes_by("API_KEY"));
    }

    #[test]
    fn form_pairs_have_value_ranges() {
        let t = "grant_type=refresh_token&refresh_token=abc";
        let pairs: Vec<_> = form_pairs(t).map(|(n, r)| (n, &t[r])).collect();
        assert_eq!(
            pairs,
            [("grant_type", "refresh_token"), ("refresh_token", "abc")]
        );
    }
}
