//! Group B — what the credential value looks like: stray whitespace, control characters,
//! invisible Unicode, the wrong encoding for its place, and masked or truncated keys.

use super::case::{Case, Cred, Place};
use super::cause_id::CauseId;
use super::finding::{Edit, Finding, Fix};
use super::jwt::looks_like_jwt;
use super::providers::key_shape;
use super::text::{char_name, control_chars, non_ascii, placeholder_reason, shown, strict_base64};

/// Runs every group-B rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    credential_surrounding_whitespace(case, out);
    credential_control_characters(case, out);
    credential_invisible_unicode(case, out);
    credential_encoding_mismatch(case, out);
    credential_masked_or_truncated(case, out);
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn has_edge_blank(s: &str) -> bool {
    s.starts_with(is_blank) || s.ends_with(is_blank)
}

/// The value a variable supplied to this credential.
fn var_value(case: &Case, cred: &Cred) -> Option<String> {
    cred.var.as_deref().and_then(|v| case.vars.value(v))
}

/// Where the blank is, per RFC 9110 §5.5: OWS around a header value is stripped by parsers,
/// but not inside Basic user-pass, a query value, or a body.
fn blank_place(case: &Case, cred: &Cred) -> Option<String> {
    if let Some(v) = var_value(case, cred).filter(|v| has_edge_blank(v)) {
        let name = cred.var.clone().unwrap_or_default();
        return Some(format!(
            "the value of {name} ({} chars) starts or ends with a space or tab",
            v.chars().count()
        ));
    }
    let basic = cred
        .scheme
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("basic"));
    if basic {
        let decoded =
            strict_base64(&cred.value).map(|b| String::from_utf8_lossy(&b).into_owned())?;
        let (user, pass) = decoded.split_once(':')?;
        return (has_edge_blank(user) || has_edge_blank(pass)).then(|| {
            "the user-id or password inside the Basic credential starts or ends with a space"
                .to_string()
        });
    }
    (!matches!(cred.place, Place::Authorization(_)) && has_edge_blank(&cred.value)).then(|| {
        format!(
            "the value of {} starts or ends with a space or tab",
            cred.label()
        )
    })
}

/// A space or tab at either end of the secret (RFC 9110 §5.5 strips OWS only around a field value).
fn credential_surrounding_whitespace(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let Some(place) = blank_place(case, cred) else {
            continue;
        };
        let explanation = format!(
            "{place}. Servers strip blanks around a header value, but not inside Basic, a query parameter or a body, and some compare the raw header (Stripe: \"This key contains at least one space\"). .trim() the value where it is loaded."
        );
        let fix = literal_trim_fix(case, cred);
        out.push(case.with_fix(
            case.finding(
                CauseId::CredentialSurroundingWhitespace,
                cred.anchor.clone(),
                explanation,
                shown(&cred.value),
            ),
            fix,
        ));
        return;
    }
}

/// Trimming is a draft edit only when the blank was typed, not loaded from a variable.
fn literal_trim_fix(case: &Case, cred: &Cred) -> Option<Fix> {
    let row = cred.row()?;
    let header = case.header_row(row)?;
    let typed = &header.value;
    let trimmed = typed.trim_matches(is_blank);
    (cred.var.is_none() && trimmed != typed).then(|| {
        Fix::new(
            "Trim the header value",
            vec![Edit::SetHeader {
                row,
                name: header.name.clone(),
                value: trimmed.to_string(),
            }],
        )
    })
}

/// All the texts of a credential that reach the wire: the header value and the variable.
fn texts(case: &Case, cred: &Cred) -> Vec<String> {
    let mut t = vec![cred.value.clone()];
    if let Some(v) = var_value(case, cred) {
        t.push(v);
    }
    t
}

/// `http::HeaderValue` rejects bytes < 0x20 (except TAB) and 0x7F: the request is never sent.
fn credential_control_characters(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let Some(text) = texts(case, cred)
            .into_iter()
            .find(|t| !control_chars(t).is_empty())
        else {
            continue;
        };
        let (index, c) = control_chars(&text)[0];
        let explanation = format!(
            "The credential in {} contains {} at byte {index} of {} chars: {}. Typical source: `echo key | base64`, a CRLF .env read by `source`. Strip it at the source and .trim().",
            cred.label(),
            char_name(c),
            text.len(),
            case.ctx.client.on_newline_in_header()
        );
        out.push(case.finding(
            CauseId::CredentialControlCharacters,
            cred.anchor.clone(),
            explanation,
            format!("{}; {} at byte {index}", shown(&text), char_name(c)),
        ));
        return;
    }
}

/// Bytes ≥ 0x80 pass `HeaderValue` and reach the server, which compares unequal.
fn credential_invisible_unicode(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let Some(text) = texts(case, cred)
            .into_iter()
            .find(|t| !non_ascii(t).is_empty())
        else {
            continue;
        };
        let (index, c) = non_ascii(&text)[0];
        let explanation = format!(
            "The credential in {} contains {} at byte {index}. reqwest sends the UTF-8 bytes, so the server compares unequal (Python http.client refuses it outright). Re-copy the key with the provider's copy button.",
            cred.label(),
            char_name(c)
        );
        out.push(case.finding(
            CauseId::CredentialInvisibleUnicode,
            cred.anchor.clone(),
            explanation,
            format!("{} at byte {index}, {} bytes", char_name(c), text.len()),
        ));
        return;
    }
}

fn has_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

/// A Bearer value that is base64 of a token (RFC 6750 §2.1: b64token is a charset, not an encoding).
fn base64_of_token(value: &str) -> bool {
    if key_shape(value).is_some() || looks_like_jwt(value) {
        return false;
    }
    let Some(bytes) = strict_base64(value) else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    // Only a JWT or a prefixed key inside is proof: fake opaque tokens are often base64 of text.
    text.chars().all(|c| c.is_ascii_graphic())
        && (looks_like_jwt(&text) || key_shape(&text).is_some())
}

/// Which encoding problem, if any, this credential has in its place.
fn encoding_problem(case: &Case, cred: &Cred) -> Option<String> {
    let bearer = cred
        .scheme
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("bearer"));
    // Cookie values are percent-encoded by convention (RFC 6265 leaves them opaque; frameworks
    // such as Laravel write `XSRF-TOKEN=…%3D` and decode it on reading).
    let cookie = cred.name.eq_ignore_ascii_case("cookie");
    match cred.place {
        Place::Authorization(_) | Place::Header(_)
            if !cookie && has_percent_escape(&cred.value) && !twitter_bearer(&cred.value) =>
        {
            Some(
            "contains %XX escapes: a URL-encoded token pasted into a header (token68 has no `%`)"
                .into(),
            )
        }
        Place::Authorization(_) if bearer && base64_of_token(&cred.value) => Some(
            "is the base64 encoding of a token; Bearer tokens are sent exactly as issued".into(),
        ),
        Place::UrlQuery => {
            let raw = var_value(case, cred).filter(|v| v.contains(['+', '/', '=', '&', '#', ' ']));
            let literal = cred.var.is_none() && cred.value.contains(['+', '=']);
            (raw.is_some() || literal).then(|| "is put into the raw query unencoded; `+` becomes a space and `& # =` split the query".into())
        }
        _ => None,
    }
}

/// X (Twitter) app-only bearer tokens are issued with `%2B`/`%3D` in them and must be sent
/// as issued: a run of about 21 `A`s, then `[A-Za-z0-9%]`, about 110 characters in all
/// (gitleaks `twitter-bearer-token`; X's own examples start `AAAAAAAAAAAAAAAAAAAAA`).
fn twitter_bearer(value: &str) -> bool {
    let v = value.trim();
    v.starts_with(&"A".repeat(20))
        && (100..=130).contains(&v.len())
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '%')
}

/// URL-encoded in a header, base64 of a token as Bearer, or unencoded in a raw query (RFC 6750 §2.1, §2.3).
fn credential_encoding_mismatch(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let Some(problem) = encoding_problem(case, cred) else {
            continue;
        };
        let explanation = format!(
            "The credential in {} {problem}. Send the token exactly as issued in headers, and percent-encode it only in query strings (let the client's query builder do it).",
            cred.label()
        );
        out.push(case.finding(
            CauseId::CredentialEncodingMismatch,
            cred.anchor.clone(),
            explanation,
            shown(&cred.value),
        ));
        return;
    }
}

/// `*`, `…` or `...` beside real key characters: a dashboard preview or a log line.
fn masked(value: &str) -> bool {
    let marker = value.contains('*') || value.contains('…') || value.contains("...");
    let body = key_shape(value).map_or(value, |s| &value[s.prefix.len()..]);
    marker && body.chars().filter(char::is_ascii_alphanumeric).count() >= 4
}

fn truncated(value: &str) -> Option<String> {
    let shape = key_shape(value)?;
    let n = value.chars().count();
    (shape.min_len > 0 && n < shape.min_len).then(|| {
        format!(
            "{} keys ({}…) are at least {} characters; this one has {n}",
            shape.provider, shape.prefix, shape.min_len
        )
    })
}

/// Masked previews, or shorter than the key shape its prefix names (gitleaks lengths).
fn credential_masked_or_truncated(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let v = cred.value.trim();
        let problem = if masked(v) {
            Some(
                "holds a masked display string (`*`, `…` or `...` beside key characters)"
                    .to_string(),
            )
        } else if placeholder_reason(v, None).is_none() {
            truncated(v).map(|t| format!("is cut short: {t}"))
        } else {
            None
        };
        let Some(problem) = problem else { continue };
        let explanation = format!(
            "The credential in {} {problem}. It came from a dashboard preview, a log line or a partial copy. Generate or reveal a new key; dashboards show live secrets only once.",
            cred.label()
        );
        out.push(case.finding(
            CauseId::CredentialMaskedOrTruncated,
            cred.anchor.clone(),
            explanation,
            shown(v),
        ));
        return;
    }
}
