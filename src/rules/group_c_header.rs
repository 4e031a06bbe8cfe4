//! Group C — the `Authorization` header's syntax: no credential at all, a missing, doubled,
//! odd-cased or wrongly separated scheme, the wrong scheme for the API, malformed Basic, and
//! credentials sent more than once (RFC 9110 §11.6.2, §5.3; RFC 6750 §2; RFC 7617 §2).

use super::case::{Case, Cred, Place};
use super::cause_id::CauseId;
use super::credentials::split_scheme;
use super::finding::{Anchor, Edit, Finding, Fix, RowRef, Severity};
use super::jwt::looks_like_jwt;
use super::providers::{Meaning, ProviderId, key_shape};
use super::response::is_auth_failure;
use super::text::{control_chars, known_scheme, looks_like_token, shown, strict_base64};

/// Runs every group-C rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    auth_header_missing(case, out);
    if let Some(auth) = case.authorization() {
        bearer_scheme_missing(case, auth, out);
        bearer_scheme_duplicated(case, auth, out);
        auth_scheme_case_nonstandard(case, auth, out);
        auth_scheme_separator_invalid(case, auth, out);
        auth_scheme_wrong_for_api(case, auth, out);
        basic_credentials_malformed(case, auth, out);
    } else if let Some(userinfo) = case.creds.iter().find(|c| c.place == Place::UrlUserinfo) {
        userinfo_scheme_wrong_for_api(case, userinfo, out);
    }
    credential_sent_multiple_ways(case, out);
}

/// `https://user:KEY@api…` to an API that wants Bearer or a key header: the client turned the
/// userinfo into `Authorization: Basic …`, a scheme the API does not read.
fn userinfo_scheme_wrong_for_api(case: &Case, cred: &Cred, out: &mut Vec<Finding>) {
    let Some((why, want)) = wrong_scheme_reason(case, "Basic", &cred.value) else {
        return;
    };
    out.push(case.finding(
        CauseId::AuthSchemeWrongForApi,
        cred.anchor.clone(),
        format!("The URL carries `user:password`, which the client sends as `Authorization: Basic …`, but {why}. Take the credential out of the URL and send it as `{want}` where the API documents it."),
        "userinfo in the URL, sent as scheme \"Basic\"".to_string(),
    ));
}

/// The typed value of a header row.
fn typed<'a>(case: &Case<'a>, row: RowRef) -> &'a str {
    case.header_row(row).map_or("", |r| r.value.as_str())
}

fn set_value(case: &Case, row: RowRef, value: String) -> Edit {
    let name = case
        .header_row(row)
        .map_or_else(String::new, |r| r.name.clone());
    Edit::SetHeader { row, name, value }
}

/// A token-endpoint form post carries its credential in the body (`grant_type=…`).
fn token_endpoint_post(case: &Case) -> bool {
    case.body
        .as_ref()
        .is_some_and(|b| super::credentials::form_pairs(&b.text).any(|(n, _)| n == "grant_type"))
}

/// Does a `Cookie` value hold a cookie named like a session or credential
/// (`laravel_session`, `sessionid`, `connect.sid`, `auth_token`)?
fn carries_session_cookie(value: &str) -> bool {
    value.split(';').any(|pair| {
        pair.split_once('=').is_some_and(|(name, v)| {
            let name = name.trim().to_ascii_lowercase();
            !v.trim().is_empty()
                && !name.contains("csrf")
                && !name.contains("xsrf")
                && crate::secret::is_credential_name(&name)
        })
    })
}

/// Nothing that could authenticate: no Authorization, key header, query key, cookie or form token.
fn auth_header_missing(case: &Case, out: &mut Vec<Finding>) {
    let slack = case.provider.is_some_and(|p| p.id == ProviderId::Slack);
    // An empty literal value is no credential; an empty variable is `env-var-*`'s finding.
    // Cookies are not in the catalogue's list: an API that answers 401 wants its own slot.
    // A session cookie to a host outside the provider table is the credential of a
    // cookie-authenticated app (a SPA on its own backend), so something was sent.
    let counted = case
        .creds
        .iter()
        .filter(|c| !(slack && c.place == Place::JsonField))
        .filter(|c| {
            !c.name.eq_ignore_ascii_case("cookie")
                || (case.provider.is_none() && carries_session_cookie(&c.value))
        })
        .filter(|c| !c.value.trim().is_empty() || c.var.is_some())
        .count();
    // Subsonic's credentials travel as `?u=…&p=…` (or `t`/`s`), names too short to count as
    // credentials anywhere else; its "wrong username or password" proves some were sent.
    let said_wrong = case
        .response
        .as_ref()
        .is_some_and(|r| super::response::subsonic_auth_error(r).is_some());
    if counted > 0 || token_endpoint_post(case) || said_wrong {
        return;
    }
    let severity = match &case.response {
        Some(_) if is_auth_failure(case) => Severity::Error,
        Some(_) => return,
        None if case.provider.is_some() => Severity::Error,
        None => Severity::Info,
    };
    let expected = case
        .response
        .as_ref()
        .and_then(|r| r.challenges.first())
        .map_or(String::new(), |c| {
            format!(" The server's challenge names the {:?} scheme.", c.scheme)
        });
    let place = case.provider.map_or(String::new(), |p| match p.key_header {
        Some(h) => format!(" {} reads it from `{h}`.", p.name()),
        None => format!(" {} reads it from `Authorization: Bearer`.", p.name()),
    });
    let mut f = case.finding(
        CauseId::AuthHeaderMissing,
        Anchor::Request,
        format!("The request carries no credential at all: no Authorization, no key header, no credential query parameter or form field.{expected}{place} Add the credential in the place the API documents."),
        "no credential-bearing header, parameter or body field",
    );
    f.severity = severity;
    out.push(f);
}

/// `Authorization: <token>` with no scheme word (FastAPI then sees the token as the scheme).
fn bearer_scheme_missing(case: &Case, auth: &Cred, out: &mut Vec<Finding>) {
    let bare_ok = case.provider.is_some_and(|p| p.bare_authorization);
    if auth.scheme.is_some()
        || bare_ok
        || glued_scheme(&auth.value).is_some()
        || !looks_like_token(&auth.value)
    {
        return;
    }
    let scheme = case
        .provider
        .and_then(|p| p.schemes.first())
        .copied()
        .unwrap_or("Bearer");
    let row = auth.row().unwrap_or(RowRef::Typed(0));
    let fix = Fix::new(
        format!("Prefix the value with `{scheme} `"),
        vec![set_value(
            case,
            row,
            format!("{scheme} {}", typed(case, row).trim_start()),
        )],
    );
    let f = case.finding(
        CauseId::BearerSchemeMissing,
        Anchor::header_value(row, 0..0),
        format!("Authorization holds a bare token with no scheme word. The grammar is `<scheme> <credentials>` (RFC 9110 §11.6.2), so servers read the token as the scheme and find no credentials. Prefix it with `{scheme} `."),
        shown(&auth.value),
    );
    out.push(case.with_fix(f, Some(fix)));
}

/// `BearereyJ…`, `Bearer:tok`: a scheme word glued to the credential; returns the scheme.
fn glued_scheme(value: &str) -> Option<&'static str> {
    ["Bearer", "Basic", "Token", "Digest"]
        .into_iter()
        .find(|s| {
            let Some(head) = value.get(..s.len()) else {
                return false;
            };
            let rest = &value[s.len()..];
            head.eq_ignore_ascii_case(s)
                && (rest.starts_with([':', '=', ','])
                    || (rest.len() >= 16 && looks_like_token(rest)))
        })
}

/// `Bearer Bearer …`: the variable already held the scheme and the code added another.
fn bearer_scheme_duplicated(case: &Case, auth: &Cred, out: &mut Vec<Finding>) {
    let words = ["bearer", "token", "basic"];
    let first = auth.scheme.as_deref().map(str::to_ascii_lowercase);
    let (second, _) = split_scheme(&auth.value);
    let dup = first.is_some_and(|f| words.contains(&f.as_str()))
        && second.is_some_and(|s| words.contains(&s.to_ascii_lowercase().as_str()));
    if !dup {
        return;
    }
    let row = auth.row().unwrap_or(RowRef::Typed(0));
    let t = typed(case, row);
    let fix = split_scheme(t).0.and_then(|_| {
        let (_, start) = split_scheme(t);
        let (inner, _) = split_scheme(&t[start..]);
        inner.map(|_| {
            Fix::new(
                "Remove the repeated scheme word",
                vec![set_value(case, row, t[start..].to_string())],
            )
        })
    });
    let from = auth.var.as_deref().map_or(String::new(), |v| {
        format!(" {v} already holds a scheme word.")
    });
    let f = case.finding(
        CauseId::BearerSchemeDuplicated,
        auth.anchor.clone(),
        format!("The scheme is written twice.{from} Store only the raw token in the variable and add the scheme in exactly one place."),
        format!("{} {} …", auth.scheme.as_deref().unwrap_or(""), second.unwrap_or("")),
    );
    out.push(case.with_fix(f, fix));
}

/// Servers known to compare the scheme case-sensitively.
const STRICT_SERVERS: [&str; 1] = ["fastsitephp"];

/// `bearer`, `BEARER`: legal (RFC 9110 §11.1) but `startsWith("Bearer ")` servers refuse it.
fn auth_scheme_case_nonstandard(case: &Case, auth: &Cred, out: &mut Vec<Finding>) {
    // With no credential after it, the scheme's spelling is not what fails.
    let Some(sent) = auth
        .scheme
        .as_deref()
        .filter(|_| !auth.value.trim().is_empty())
    else {
        return;
    };
    let Some(canonical) = known_scheme(sent) else {
        return;
    };
    let documented = case.provider.map_or(&[][..], |p| p.schemes);
    if documented.contains(&sent) || sent == canonical {
        return;
    }
    // `token` has no one spelling: GitHub and Travis CI document `token`, Django REST
    // framework `Token` (and compares it case-insensitively). Only a provider row that
    // documents another spelling makes the case a finding.
    if canonical == "Token" && !documented.iter().any(|d| d.eq_ignore_ascii_case(sent)) {
        return;
    }
    let canonical = documented
        .iter()
        .find(|d| d.eq_ignore_ascii_case(sent))
        .copied()
        .unwrap_or(canonical);
    let strict = STRICT_SERVERS.iter().any(|s| case.ctx.server_is(s));
    let refused = case.response.as_ref().is_some_and(|r| {
        r.status == 401 && (strict || r.bare_challenge().is_some() || r.says(Meaning::Missing))
    });
    let row = auth.row().unwrap_or(RowRef::Typed(0));
    let t = typed(case, row);
    let fix = t.trim_start().strip_prefix(sent).map(|rest| {
        Fix::new(
            format!("Write `{canonical}`"),
            vec![set_value(case, row, format!("{canonical}{rest}"))],
        )
    });
    let mut f = case.finding(
        CauseId::AuthSchemeCaseNonstandard,
        Anchor::header_value(row, 0..sent.len()),
        format!("The scheme is written `{sent}`. Schemes are case-insensitive (RFC 9110 §11.1), but much server code compares `Bearer ` exactly{}. Write `{canonical}`.", if refused { ", and this server answered as if no credential was sent" } else { "" }),
        format!("scheme {sent:?}"),
    );
    if refused {
        f.severity = Severity::Error;
    }
    out.push(case.with_fix(f, fix));
}

/// `Bearer{token}` (error) or two spaces / a TAB (warning: legal `1*SP`, but naive splits fail).
fn auth_scheme_separator_invalid(case: &Case, auth: &Cred, out: &mut Vec<Finding>) {
    let row = auth.row().unwrap_or(RowRef::Typed(0));
    let full = case
        .headers
        .iter()
        .find(|h| h.row == row)
        .map_or("", |h| h.value.text.as_str())
        .trim_start();
    let t = typed(case, row);
    if auth.scheme.is_none() {
        let Some(scheme) = glued_scheme(full) else {
            return;
        };
        let rest = full[scheme.len()..].trim_start_matches([':', '=', ',']);
        let fix = t.trim_start().get(..scheme.len()).map(|typed_scheme| {
            let typed_rest = t.trim_start()[scheme.len()..].trim_start_matches([':', '=', ',']);
            Fix::new(
                format!("Use `{scheme} <token>`"),
                vec![set_value(case, row, format!("{typed_scheme} {typed_rest}"))],
            )
        });
        let f = case.finding(
            CauseId::AuthSchemeSeparatorInvalid,
            Anchor::header_value(row, scheme.len()..scheme.len() + 1),
            format!("There is no space between `{scheme}` and the credential, so the header does not parse as `<scheme> <credentials>` (RFC 9110 §11.6.2). Use exactly one space."),
            format!("{scheme} followed by {:?}, then {}", full[scheme.len()..].chars().next().unwrap_or(' '), shown(rest)),
        );
        out.push(case.with_fix(f, fix));
        return;
    }
    let scheme = auth.scheme.as_deref().unwrap_or("");
    let sep = &full
        [scheme.len()..full.len() - full[scheme.len()..].trim_start_matches([' ', '\t']).len()];
    if sep == " " {
        return;
    }
    let (s, rest) = split_scheme(t);
    let fix = s.map(|s| {
        Fix::new(
            "Use a single space",
            vec![set_value(case, row, format!("{s} {}", &t[rest..]))],
        )
    });
    let mut f = case.finding(
        CauseId::AuthSchemeSeparatorInvalid,
        Anchor::header_value(row, scheme.len()..scheme.len() + sep.len()),
        format!("The scheme is followed by {} instead of one space. That is legal (`1*SP`), but naive parsers such as `split(\" \")[1]` then read an empty credential. Use exactly one space.", if sep.contains('\t') { "a TAB".to_string() } else { format!("{} spaces", sep.len()) }),
        format!("separator {sep:?}"),
    );
    f.severity = Severity::Warning;
    out.push(case.with_fix(f, fix));
}

/// Schemes the response's challenges ask for, ignoring FastAPI's pseudo-scheme `APIKey`.
fn challenged_schemes(case: &Case) -> Vec<String> {
    case.response.as_ref().map_or_else(Vec::new, |r| {
        r.challenges
            .iter()
            .filter(|c| known_scheme(&c.scheme).is_some_and(|k| k != "ApiKey"))
            .map(|c| c.scheme.clone())
            .collect()
    })
}

/// A known scheme the target does not accept: by the table, the challenge, or the response.
/// A lone `Basic` challenge is many servers' default whatever they accept: it proves the
/// scheme wrong only when nothing else explains the refusal — not when the server's words say
/// it saw no credential or a bad one, nor when the credential also went in a key header.
fn default_basic_challenge(case: &Case, asked: &[String]) -> bool {
    let basic_only = asked.iter().all(|a| a.eq_ignore_ascii_case("basic"));
    // "No credentials were provided" after a well-formed credential under another scheme is
    // the server not reading that scheme — unless something on the way may have dropped it.
    let dropped_on_the_way = !case.ctx.intermediaries.is_empty();
    let worded = case.response.as_ref().is_some_and(|r| {
        (r.says(Meaning::Missing) && dropped_on_the_way) || r.says(Meaning::Invalid)
    });
    let key_header = case
        .creds
        .iter()
        .any(|c| matches!(c.place, super::case::Place::Header(_)));
    basic_only && (worded || key_header)
}

fn wrong_scheme_reason(case: &Case, sent: &str, value: &str) -> Option<(String, String)> {
    // SonarQube took user tokens as Bearer only from 10.0; before, as the Basic user name
    // with an empty password (kosli-dev/cli#924 against 9.6).
    let old_sonar = case
        .ctx
        .server_version("sonarqube")
        .is_some_and(|v| v < (10, 0));
    if old_sonar && sent.eq_ignore_ascii_case("bearer") {
        return Some((
            "SonarQube before 10.0 takes a user token only as the Basic user name with an empty password".into(),
            "Basic".into(),
        ));
    }
    if let Some(p) = case.provider {
        let accepted = p.schemes.iter().any(|s| s.eq_ignore_ascii_case(sent));
        if !accepted {
            let want = p
                .schemes
                .first()
                .copied()
                .unwrap_or("(no scheme: the raw key)");
            return Some((
                format!(
                    "{} accepts {}",
                    p.name(),
                    if p.schemes.is_empty() {
                        "the raw key with no scheme word".to_string()
                    } else {
                        p.schemes.join(" or ")
                    }
                ),
                want.to_string(),
            ));
        }
        // Linear: OAuth tokens as Bearer, but its own `lin_api_` keys bare (no scheme word).
        let own_key = key_shape(value).is_some_and(|k| k.provider == p.id);
        if p.bare_authorization && own_key && sent.eq_ignore_ascii_case("bearer") {
            return Some((
                format!(
                    "{} takes its own API keys in Authorization without a scheme word",
                    p.name()
                ),
                String::new(),
            ));
        }
        if p.jwt_requires_bearer && !sent.eq_ignore_ascii_case("bearer") && looks_like_jwt(value) {
            return Some((
                format!("{} requires `Bearer` for a JSON web token", p.name()),
                "Bearer".into(),
            ));
        }
    }
    let asked = challenged_schemes(case);
    if !asked.is_empty()
        && !asked.iter().any(|a| a.eq_ignore_ascii_case(sent))
        && !default_basic_challenge(case, &asked)
    {
        return Some((
            format!(
                "the server's WWW-Authenticate challenge asks for {}",
                asked.join(" or ")
            ),
            asked[0].clone(),
        ));
    }
    // FastAPI's HTTPBearer says this when the scheme is not Bearer; after Bearer it means a bad token.
    let wrong = case
        .response
        .as_ref()
        .filter(|_| !sent.eq_ignore_ascii_case("bearer"))
        .and_then(|r| r.signal(Meaning::WrongScheme))?;
    Some((
        format!(
            "{} (FastAPI < 0.122 sends this when the scheme is not Bearer)",
            super::response::describe(wrong)
        ),
        "Bearer".into(),
    ))
}

/// `Token …` to a Bearer API, `Bearer …` to DRF's `Token`, `token <JWT>` to GitHub.
fn auth_scheme_wrong_for_api(case: &Case, auth: &Cred, out: &mut Vec<Finding>) {
    let Some(sent) = auth.scheme.as_deref() else {
        return;
    };
    if known_scheme(sent).is_none() {
        return;
    }
    let Some((why, want)) = wrong_scheme_reason(case, sent, &auth.value) else {
        return;
    };
    let row = auth.row().unwrap_or(RowRef::Typed(0));
    let t = typed(case, row);
    let (_, start) = split_scheme(t);
    // An empty `want` means "no scheme word": the raw credential alone.
    let fix = match want.as_str() {
        "" => Some(Fix::new(
            "Drop the scheme word",
            vec![set_value(case, row, t[start..].to_string())],
        )),
        w if w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') => Some(Fix::new(
            format!("Use the `{want}` scheme"),
            vec![set_value(case, row, format!("{want} {}", &t[start..]))],
        )),
        _ => None,
    };
    let f = case.finding(
        CauseId::AuthSchemeWrongForApi,
        Anchor::header_value(row, 0..sent.len()),
        format!("The credential is sent with the `{sent}` scheme, but {why}. Use the scheme named in the API docs or the challenge."),
        format!("scheme {sent:?}"),
    );
    out.push(case.with_fix(f, fix));
}

/// `Basic` needs base64(user-id ":" password) (RFC 7617 §2), decoded strictly.
fn basic_credentials_malformed(case: &Case, auth: &Cred, out: &mut Vec<Finding>) {
    if !auth
        .scheme
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("basic"))
    {
        return;
    }
    let problem = match strict_base64(&auth.value) {
        None => "is not strict base64 (length a multiple of 4, `=` only as padding); a raw key pasted after `Basic ` looks like this".to_string(),
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            if !control_chars(&text).is_empty() {
                "decodes to bytes with control characters".to_string()
            } else if !text.contains(':') {
                format!("decodes to {} characters without the `:` that separates user-id and password", text.chars().count())
            } else {
                return;
            }
        }
    };
    let f = case.finding(
        CauseId::BasicCredentialsMalformed,
        auth.anchor.clone(),
        format!("The Basic credential {problem}. Use the client's basic-auth helper (`.basic_auth(key, None::<&str>)`, `curl -u key:`); for Stripe the key is the username and the password is empty."),
        shown(&auth.value),
    );
    out.push(f);
}

/// Pre-signed URL parameters: the URL already carries its own authentication.
fn presigned(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    l.contains("x-amz-signature=")
        || l.contains("x-goog-signature=")
        || (l.contains("sig=") && l.contains("sv="))
}

/// Two Authorization lines, comma-joined credentials, header plus `access_token`, or a
/// header on a pre-signed URL (RFC 9110 §5.3; RFC 6750 §2 "MUST NOT use more than one method").
fn credential_sent_multiple_ways(case: &Case, out: &mut Vec<Finding>) {
    let Some((anchor, why)) = multiple_ways(case) else {
        return;
    };
    let fix = match anchor {
        Anchor::Draft {
            place: crate::draft::Place::Header(row, crate::draft::Side::Value),
            ..
        } if why.starts_with("two") => Some(Fix::new(
            "Remove the duplicate header",
            vec![Edit::RemoveHeader { row }],
        )),
        _ => None,
    };
    let f = case.finding(
        CauseId::CredentialSentMultipleWays,
        anchor,
        format!("{why}. Send exactly one credential in one place, with set/replace semantics rather than append."),
        why.clone(),
    );
    out.push(case.with_fix(f, fix));
}

/// The first sign of a credential sent more than once, with where it points.
fn multiple_ways(case: &Case) -> Option<(Anchor, String)> {
    let header_creds: Vec<&Cred> = case.creds.iter().filter(|c| c.is_header()).collect();
    for (i, a) in header_creds.iter().enumerate() {
        if let Some(b) = header_creds[i + 1..]
            .iter()
            .find(|b| b.name.eq_ignore_ascii_case(&a.name))
        {
            let row = b.row().unwrap_or(RowRef::Typed(0));
            return Some((
                Anchor::header_value(row, 0..0),
                format!(
                    "two `{}` header lines are sent; the server sees them joined as one comma-separated value",
                    a.name
                ),
            ));
        }
    }
    let auth = case.authorization()?;
    let comma_joined = auth.value.split(',').skip(1).any(|p| {
        split_scheme(p.trim_start())
            .0
            .and_then(known_scheme)
            .is_some()
    });
    if comma_joined {
        return Some((
            auth.anchor.clone(),
            "one Authorization value holds several comma-joined credentials".into(),
        ));
    }
    if let Some(q) = case.creds.iter().find(|c| {
        matches!(
            c.place,
            Place::UrlQuery | Place::QueryRow(_) | Place::FormField
        ) && c.name.eq_ignore_ascii_case("access_token")
    }) {
        return Some((
            q.anchor.clone(),
            "the token is sent both in Authorization and as `access_token`".into(),
        ));
    }
    if presigned(&case.url.text) {
        return Some((auth.anchor.clone(), "an Authorization header is sent to a pre-signed URL that already carries its signature".into()));
    }
    // The same key in Authorization and in a key header (a router setting both): the server
    // reads Authorization as a token and refuses it (musistudio/claude-code-router#93).
    // Anthropic's Messages API (and the compatible ones) takes `x-api-key` or a Bearer token,
    // not both: the SDK adds Bearer from ANTHROPIC_AUTH_TOKEN beside an explicit key, and the
    // server checks the one it prefers (the Claude Code "auth conflict").
    let anthropic_format = case.headers_named("anthropic-version").next().is_some();
    let key = header_creds
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case("x-api-key") && !c.value.trim().is_empty());
    if let Some(key) = key.filter(|k| anthropic_format && k.value.trim() != auth.value.trim()) {
        return Some((
            auth.anchor.clone(),
            format!(
                "two different credentials are sent, `{}` and Authorization: Bearer; an Anthropic-format API checks one of them (ANTHROPIC_AUTH_TOKEN beside an API key does this)",
                key.name
            ),
        ));
    }
    // Only where Bearer is for tokens alone (Google): Supabase wants its key in both.
    let bearer_for_tokens = case
        .provider
        .is_some_and(|p| p.bearer == super::providers::BearerUse::TokensOnly);
    if let Some(other) = header_creds.iter().filter(|_| bearer_for_tokens).find(|c| {
        !c.name.eq_ignore_ascii_case("authorization")
            && !c.value.trim().is_empty()
            && c.value.trim() == auth.value.trim()
    }) {
        return Some((
            auth.anchor.clone(),
            format!(
                "the same key is sent both in Authorization and in `{}`; the server takes the Authorization one as a token",
                other.name
            ),
        ));
    }
    // The server's own words: the client forwarded Authorization to a redirect target that
    // authenticates by its query signature (S3 "Only one auth mechanism allowed").
    if let Some(s) = case
        .response
        .as_ref()
        .and_then(|r| r.signal(Meaning::MultipleAuth))
    {
        let hop = case
            .observed
            .and_then(|o| o.redirects.last())
            .filter(|h| presigned(&h.location))
            .map_or(String::new(), |_| {
                " (the client forwarded it to the pre-signed redirect target)".into()
            });
        return Some((
            auth.anchor.clone(),
            format!(
                "{}: the request carried both a signature and an Authorization header{hop}",
                super::response::describe(s)
            ),
        ));
    }
    None
}

/// Whether a finding id belongs to this group (used when `.netrc` replaced the header).
pub fn about_authorization_syntax(id: CauseId) -> bool {
    matches!(
        id,
        CauseId::BearerSchemeMissing
            | CauseId::BearerSchemeDuplicated
            | CauseId::AuthSchemeCaseNonstandard
            | CauseId::AuthSchemeSeparatorInvalid
            | CauseId::AuthSchemeWrongForApi
            | CauseId::BasicCredentialsMalformed
    )
}
