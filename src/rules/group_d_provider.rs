//! Group D — header names and provider conventions: the key in the wrong slot, underscores
//! that proxies drop, a key from another provider, Stripe key types, Anthropic's version
//! header, OpenAI's organization header, and credentials in the query string.

use super::case::{Case, Cred, Place};
use super::cause_id::CauseId;
use super::credentials::split_scheme;
use super::finding::{Anchor, Edit, Finding, Fix, RowRef, Severity};
use super::jwt::looks_like_jwt;
use super::providers::{BearerUse, KeyKind, Meaning, ProviderId, QueryPolicy, key_shape};
use super::response::is_success;
use super::text::{known_scheme, shown};

/// Runs every group-D rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    api_key_sent_as_bearer(case, out);
    credential_in_wrong_header(case, out);
    scheme_prefix_in_key_header(case, out);
    header_name_underscore(case, out);
    key_provider_mismatch(case, out);
    stripe_key_type_or_mode_mismatch(case, out);
    anthropic_version_missing(case, out);
    openai_organization_mismatch(case, out);
    token_in_query_string(case, out);
}

/// An OAuth or identity token (not an API key): JWTs, Google `ya29.`, OAuth-kind prefixes.
fn is_token_not_key(value: &str) -> bool {
    looks_like_jwt(value)
        || value.starts_with("ya29.")
        || key_shape(value).is_some_and(|s| s.kind == KeyKind::OAuthToken)
}

/// A header name the response asks for: "Include X-API-Key header", "missing subscription key".
fn header_named_by_response(case: &Case) -> Option<String> {
    let r = case.response.as_ref()?;
    if r.says(Meaning::Missing) && r.text.contains("subscription key") {
        return Some("Ocp-Apim-Subscription-Key".into());
    }
    let words: Vec<&str> = r
        .body
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .collect();
    words
        .windows(2)
        .find(|w| {
            w[1].eq_ignore_ascii_case("header")
                && w[0].contains('-')
                && super::case::is_credential_header(w[0])
        })
        .map(|w| w[0].to_string())
        .or_else(|| {
            super::messages::required_header(&r.text)
                .filter(|h| super::case::is_credential_header(h))
        })
}

/// The key header the target reads, from the table, the gateway config or the response.
fn expected_key_header(case: &Case) -> Option<String> {
    let gateway = case
        .ctx
        .intermediaries
        .iter()
        .find_map(|i| i.setting("subscription_key_header").map(str::to_string));
    gateway
        .or_else(|| case.provider.and_then(|p| p.key_header).map(str::to_string))
        .or_else(|| header_named_by_response(case))
}

/// The typed credential part of an `Authorization` row (after the scheme).
fn typed_credential(case: &Case, row: RowRef) -> String {
    let t = case.header_row(row).map_or("", |r| r.value.as_str());
    let (_, start) = split_scheme(t);
    t[start..].to_string()
}

/// Anthropic, Azure OpenAI, API Gateway, FastAPI `APIKeyHeader` read a key header; Bearer is
/// for OAuth tokens there (Anthropic answers "Invalid bearer token").
fn api_key_sent_as_bearer(case: &Case, out: &mut Vec<Finding>) {
    let Some(auth) = case.authorization() else {
        return;
    };
    // "No API key found" while a Bearer credential was sent: the server looked for its key
    // elsewhere, even when the Bearer value is a JWT (Supabase's anon key is one).
    let key_said_missing = says_api_key_missing(case);
    if !auth
        .scheme
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
        || (is_token_not_key(&auth.value) && !key_said_missing)
        || auth.value.is_empty()
    {
        return;
    }
    let table = case
        .provider
        .filter(|p| p.bearer != BearerUse::Any || key_said_missing)
        .and_then(|p| p.key_header);
    let fastapi_key = case.response.as_ref().is_some_and(|r| {
        r.challenges
            .iter()
            .any(|c| c.scheme.eq_ignore_ascii_case("apikey"))
    });
    // Which header the target reads: the provider table, else a FastAPI `APIKey` challenge,
    // else the server's own words naming a key header ("x-api-key header is required").
    let (header, from_words) = match (table, fastapi_key, header_named_by_response(case)) {
        (Some(h), _, _) => (h.to_string(), false),
        (None, true, named) => (named.unwrap_or_else(|| "X-API-Key".into()), false),
        (None, false, Some(named)) => (named, true),
        _ => return,
    };
    if case.creds.iter().any(|c| c.goes_by(&header)) {
        return;
    }
    let row = auth.row().unwrap_or(RowRef::Typed(0));
    let who = case.provider.map_or("This API", |p| p.name());
    let fix = Fix::new(
        format!("Move the key to `{header}`"),
        vec![Edit::SetHeader {
            row,
            name: header.clone(),
            value: typed_credential(case, row),
        }],
    );
    let f = case.finding(
        CauseId::ApiKeySentAsBearer,
        Anchor::header_name(row),
        format!("{who} reads API keys from the `{header}` header; `Authorization: Bearer` is reserved for OAuth/identity tokens there, so the key is refused. Move it to `{header}` and drop Authorization."),
        format!("Bearer {}", shown(&auth.value)),
    );
    let f = if from_words || key_said_missing {
        quoting_body(case, f)
    } else {
        f
    };
    out.push(case.with_fix(f, Some(fix)));
}

/// The server's words say it found no API key (not "no credential"): a message-table row
/// meaning Missing whose phrase names an API key.
fn says_api_key_missing(case: &Case) -> bool {
    case.response.as_ref().is_some_and(|r| {
        r.said.iter().any(|s| {
            s.meaning == Meaning::Missing
                && ["api key", "api_key", "apikey"]
                    .iter()
                    .any(|k| s.needle.contains(k))
        })
    })
}

/// A finding decided by the response body's own words (no table row matched them): the
/// body's opening, keys masked, is quoted as the evidence.
fn quoting_body(case: &Case, mut f: Finding) -> Finding {
    if let Some(r) = &case.response {
        let opening: String = r.body.trim().chars().take(160).collect();
        f.server_words = Some(crate::secret::mask_shaped(&opening));
        f.evidence_kind = super::finding::EvidenceKind::ServerWords;
        f.confidence = super::finding::Confidence::ServerSaid;
    }
    f
}

/// Headers documented to carry a scheme-prefixed value although not named Authorization.
const DOCUMENTED_AUTH_LIKE: [&str; 2] = ["proxy-authorization", "x-serverless-authorization"];

/// Why the header holding this credential is not one the target reads, if it is not.
fn wrong_header_reason(case: &Case, cred: &Cred) -> Option<(String, String)> {
    let name = cred.name.as_str();
    // Cloudflare's `X-Auth-Key` takes only the 37-character hex Global API Key; an API token
    // goes as Bearer ("Invalid format for X-Auth-Key header", NewFuture/DDNS).
    let cloudflare = case
        .provider
        .is_some_and(|p| p.id == ProviderId::Cloudflare);
    let global_key = |v: &str| v.len() == 37 && v.chars().all(|c| c.is_ascii_hexdigit());
    if cloudflare && name.eq_ignore_ascii_case("x-auth-key") && !global_key(cred.value.trim()) {
        return Some((
            "Cloudflare reads API tokens from `Authorization: Bearer`; `X-Auth-Key` takes only the 37-character Global API Key".into(),
            "Authorization".into(),
        ));
    }
    let has_auth = case.authorization().is_some();
    let path = case.parsed_url.as_ref().map_or("", |u| u.path.as_str());
    if let Some(prefix) = case.provider.and_then(|p| {
        p.bearer_only_paths
            .iter()
            .find(|pre| path.starts_with(**pre))
    }) && !has_auth
    {
        return Some((
            format!(
                "{} reads the credential only from `Authorization: Bearer` under `{prefix}`",
                case.provider.map_or("the API", |p| p.name())
            ),
            "Authorization".into(),
        ));
    }
    if let Some(p) = case.provider
        && p.key_header.is_none()
        && !has_auth
        && !p.bare_authorization
    {
        return Some((
            format!(
                "{} reads the credential only from `Authorization: Bearer`",
                p.name()
            ),
            "Authorization".into(),
        ));
    }
    if is_token_not_key(&cred.value) && !has_auth {
        return Some((
            "an OAuth/bearer token belongs in `Authorization: Bearer`, not in a key header".into(),
            "Authorization".into(),
        ));
    }
    if let Some(expected) = expected_key_header(case) {
        let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        if !case.creds.iter().any(|c| c.goes_by(&expected)) && !same(name, &expected) {
            return Some((
                format!("the target reads the key from `{expected}`"),
                expected,
            ));
        }
    }
    let (scheme, _) = split_scheme(&cred.value);
    let documented = DOCUMENTED_AUTH_LIKE.contains(&name.to_ascii_lowercase().as_str())
        || case.host().contains("thingsboard")
        || expected_key_header(case).is_some_and(|k| k.eq_ignore_ascii_case(name));
    // A key-named header (`api-key: Bearer …`) is the right slot with a stray scheme word:
    // `scheme-prefix-in-key-header`'s case, not this one.
    let lower = name.to_ascii_lowercase();
    let (_, start) = split_scheme(&cred.value);
    let challenged = case
        .response
        .as_ref()
        .is_some_and(|r| !r.challenges.is_empty());
    let key_named =
        lower.contains("key") && !is_token_not_key(cred.value[start..].trim()) && !challenged;
    if scheme.and_then(known_scheme).is_some() && !documented && !has_auth && !key_named {
        return Some((
            format!(
                "`{name}` carries a `{}` value, which only `Authorization` is read for",
                scheme.unwrap_or("")
            ),
            "Authorization".into(),
        ));
    }
    None
}

/// The credential is in a header the API never reads (OpenAI key in `X-API-Key`, an OAuth
/// token in `x-api-key`, `X-Api-Token` for `x-api-key`). Never reported after a success.
fn credential_in_wrong_header(case: &Case, out: &mut Vec<Finding>) {
    if is_success(case) {
        return;
    }
    for cred in case
        .creds
        .iter()
        .filter(|c| matches!(c.place, Place::Header(_)))
    {
        if cred.name.eq_ignore_ascii_case("cookie") || cred.value.trim().is_empty() {
            continue;
        }
        let Some((why, want)) = wrong_header_reason(case, cred) else {
            continue;
        };
        let row = cred.row().unwrap_or(RowRef::Typed(0));
        let typed = case
            .header_row(row)
            .map_or(String::new(), |r| r.value.clone());
        let value = if want == "Authorization" && split_scheme(&typed).0.is_none() {
            format!("Bearer {typed}")
        } else {
            typed
        };
        let fix = Fix::new(
            format!("Send it as `{want}`"),
            vec![Edit::SetHeader {
                row,
                name: want.clone(),
                value,
            }],
        );
        let f = case.finding(
            CauseId::CredentialInWrongHeader,
            Anchor::header_name(row),
            format!("The credential is sent in `{}`, but {why}. To the server this is the same as sending nothing. Use the exact header the API documents.", cred.name),
            format!("{}: {}", cred.name, shown(&cred.value)),
        );
        out.push(case.with_fix(f, Some(fix)));
        return;
    }
}

/// `X-API-Key: Bearer <key>`: a header compared with the key as a whole carries a scheme word.
fn scheme_prefix_in_key_header(case: &Case, out: &mut Vec<Finding>) {
    if is_success(case) || has(out, CauseId::CredentialInWrongHeader) {
        return;
    }
    for cred in case
        .creds
        .iter()
        .filter(|c| matches!(c.place, Place::Header(_)))
    {
        let name = cred.name.to_ascii_lowercase();
        let documented_key_header = case
            .provider
            .and_then(|p| p.key_header)
            .is_some_and(|k| k.eq_ignore_ascii_case(&name));
        let key_like = documented_key_header || name.contains("key") || name.contains("token");
        if !key_like
            || name.contains("authorization")
            || DOCUMENTED_AUTH_LIKE.contains(&name.as_str())
            || NOT_CREDENTIAL_HEADERS.contains(&name.as_str())
        {
            continue;
        }
        let (scheme, start) = split_scheme(&cred.value);
        let Some(word) = scheme.and_then(known_scheme) else {
            continue;
        };
        let rest = cred.value[start..].trim();
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            continue;
        }
        let row = cred.row().unwrap_or(RowRef::Typed(0));
        let typed = case
            .header_row(row)
            .map_or(String::new(), |r| r.value.clone());
        let (typed_scheme, typed_start) = split_scheme(&typed);
        let fix = typed_scheme.map(|_| {
            Fix::new(
                format!("Send the bare key in `{}`", cred.name),
                vec![Edit::SetHeader {
                    row,
                    name: cred.name.clone(),
                    value: typed[typed_start..].to_string(),
                }],
            )
        });
        let f = case.finding(
            CauseId::SchemePrefixInKeyHeader,
            Anchor::header_value(row, 0..word.len()),
            format!("`{}` carries `{word} <key>`, but a key header is compared with the key as a whole, so the server sees `{word} …` as the key and a valid key fails. Send the bare key in `{}`; a scheme word belongs only in `Authorization`.", cred.name, cred.name),
            format!("{}: {word} {}", cred.name, shown(rest)),
        );
        out.push(case.with_fix(f, fix));
        return;
    }
}

/// Credential-looking names that carry no credential (catalogue `auth-header-missing`).
const NOT_CREDENTIAL_HEADERS: [&str; 4] = [
    "idempotency-key",
    "sec-websocket-key",
    "x-csrf-token",
    "x-xsrf-token",
];

fn has(out: &[Finding], id: CauseId) -> bool {
    out.iter().any(|f| f.id == id)
}

/// Is nginx (default `underscores_in_headers off`) in the path?
fn nginx_drops_underscores(case: &Case) -> bool {
    let configured = case
        .ctx
        .intermediary("nginx")
        .map(|n| n.setting("underscores_in_headers") != Some("true"));
    let seen = case
        .response
        .as_ref()
        .and_then(|r| r.header("server"))
        .is_some_and(|s| s.to_ascii_lowercase().contains("nginx"));
    configured.unwrap_or(seen)
}

/// `X_API_KEY`: nginx drops it by default; FastAPI's `x_api_key` parameter means `x-api-key`.
fn header_name_underscore(case: &Case, out: &mut Vec<Finding>) {
    let Some(cred) = case
        .creds
        .iter()
        .find(|c| matches!(c.place, Place::Header(_)) && c.name.contains('_'))
    else {
        return;
    };
    let row = cred.row().unwrap_or(RowRef::Typed(0));
    let hyphenated = cred.name.replace('_', "-");
    let nginx = nginx_drops_underscores(case);
    let mut f = case.finding(
        CauseId::HeaderNameUnderscore,
        Anchor::header_name(row),
        format!("The header name `{}` contains `_`. nginx ignores such headers by default (underscores_in_headers off){}, and frameworks map `x_api_key` to `x-api-key`, so the server may see no key. Use `{hyphenated}`.", cred.name, if nginx { ", and nginx is in this path" } else { "" }),
        format!("header name {:?}", cred.name),
    );
    if nginx {
        f.severity = Severity::Error;
    }
    let value = case
        .header_row(row)
        .map_or(String::new(), |r| r.value.clone());
    let fix = Fix::new(
        format!("Rename to `{hyphenated}`"),
        vec![Edit::SetHeader {
            row,
            name: hyphenated.clone(),
            value,
        }],
    );
    out.push(case.with_fix(f, Some(fix)));
}

/// Prefixes too short to name their owner everywhere (`sk-` is also DeepSeek's and many
/// OpenAI-compatible servers'), but decisive at one host: an OpenAI key at Azure OpenAI, whose
/// keys are hex, is answered "invalid subscription key or wrong API endpoint"
/// (Azure/aistudio-copilot-sample#75).
const LOOKALIKES: [(ProviderId, &str, ProviderId); 1] =
    [(ProviderId::AzureOpenAi, "sk-", ProviderId::OpenAi)];

/// The provider a credential's prefix names, when that is not the host's provider.
fn foreign_owner(host: ProviderId, value: &str) -> Option<(&'static str, ProviderId)> {
    if let Some(shape) = key_shape(value) {
        return (shape.provider != host).then_some((shape.prefix, shape.provider));
    }
    LOOKALIKES
        .iter()
        .find(|(at, prefix, _)| *at == host && value.starts_with(prefix))
        .map(|(_, prefix, owner)| (*prefix, *owner))
}

/// The key's prefix names another provider than the host (gitleaks prefixes).
fn key_provider_mismatch(case: &Case, out: &mut Vec<Finding>) {
    // DeepL: "Wrong endpoint. Use https://api-free.deepl.com" — a Free key (`…:fx`) at the
    // Pro host or the reverse; the server's words name the endpoint the key belongs to.
    if case
        .response
        .as_ref()
        .is_some_and(|r| r.text.contains("wrong endpoint") && r.text.contains("use https://"))
    {
        let f = case.finding(
            CauseId::KeyProviderMismatch,
            Anchor::url(0..case.draft.url.len()),
            "The server says the key belongs to another endpoint of the service. Send it to the endpoint its words name (DeepL Free keys, ending `:fx`, work only on api-free.deepl.com), or use a key issued for this one.",
            "the response says \"wrong endpoint\"",
        );
        out.push(quoting_body(case, f));
        return;
    }
    let Some(p) = case.provider else { return };
    for cred in &case.creds {
        let Some((prefix, owner)) = foreign_owner(p.id, cred.value.trim()) else {
            continue;
        };
        let f = case.finding(
            CauseId::KeyProviderMismatch,
            cred.anchor.clone(),
            format!("The key starts with `{prefix}`, which is a {owner} key, but the request goes to {} ({}). Use the key issued by the service you are calling, and check the base URL.", case.host(), p.name()),
            format!("prefix {prefix} ({owner}) → {}", p.name()),
        );
        out.push(f);
        return;
    }
}

/// Stripe `pk_` on a secret-key endpoint, or a test key used on live objects (or the reverse).
fn stripe_key_type_or_mode_mismatch(case: &Case, out: &mut Vec<Finding>) {
    let stripe = case.provider.is_some_and(|p| p.id == ProviderId::Stripe);
    let publishable = case
        .creds
        .iter()
        .find(|c| key_shape(c.value.trim()).is_some_and(|s| s.kind == KeyKind::Publishable));
    let mode = case.response.as_ref().and_then(|r| {
        r.signal(Meaning::StripeMode)
            .or_else(|| r.signal(Meaning::Publishable))
    });
    let (anchor, why) = match (publishable, mode) {
        (Some(c), _) if stripe && !publishable_endpoint(case) => (
            c.anchor.clone(),
            "a publishable `pk_` key is used on a secret-key endpoint".to_string(),
        ),
        (_, Some(s)) if s.meaning == Meaning::Publishable => (
            Anchor::ResponseBody,
            "Stripe refuses the publishable key".to_string(),
        ),
        (_, Some(_)) => (
            Anchor::ResponseBody,
            "the key's mode (test/live) does not match the object's mode; the key itself is valid"
                .to_string(),
        ),
        _ => return,
    };
    out.push(case.finding(
        CauseId::StripeKeyTypeOrModeMismatch,
        anchor,
        format!("Stripe: {why}. Use `sk_`/`rk_` keys on the server, and keys and objects from the same mode."),
        why.clone(),
    ));
}

/// Endpoints that client-side code calls with a publishable key (tokenization, Elements).
fn publishable_endpoint(case: &Case) -> bool {
    let path = case.parsed_url.as_ref().map_or("", |u| u.path.as_str());
    [
        "/v1/tokens",
        "/v1/payment_methods",
        "/v1/sources",
        "/v1/confirmation_tokens",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

/// Anthropic requires `anthropic-version` (400 "anthropic-version: header is required").
fn anthropic_version_missing(case: &Case, out: &mut Vec<Finding>) {
    let Some(p) = case.provider else { return };
    for (name, suggested) in p.required_headers {
        let present = case.headers_named(name).next();
        let refused = case
            .response
            .as_ref()
            .is_some_and(|r| r.status == 400 && r.says(Meaning::VersionHeader));
        let malformed = present.is_some_and(|h| !is_date(h.value.text.trim()));
        if present.is_some() && !refused && !malformed {
            continue;
        }
        let anchor = present.map_or(Anchor::Request, |h| {
            Anchor::header_value(h.row, 0..h.value.text.len())
        });
        let fix = present.is_none().then(|| {
            Fix::new(
                format!("Add `{name}: {suggested}`"),
                vec![Edit::AddHeader {
                    name: name.to_string(),
                    value: suggested.to_string(),
                }],
            )
        });
        let f = case.finding(
            CauseId::AnthropicVersionMissing,
            anchor,
            format!("{} requires the `{name}` header on every request (400 \"{name}: header is required\"); a made-up version is refused too. Add `{name}: {suggested}`.", p.name()),
            present.map_or("header absent".to_string(), |h| format!("{name}: {}", h.value.text)),
        );
        out.push(case.with_fix(f, fix));
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars().filter(char::is_ascii_digit).count() == 8
}

/// OpenAI 401 `mismatched_organization`: a stale `OpenAI-Organization`.
fn openai_organization_mismatch(case: &Case, out: &mut Vec<Finding>) {
    if !case
        .response
        .as_ref()
        .is_some_and(|r| r.says(Meaning::OrgMismatch))
    {
        return;
    }
    let header = case.headers_named("openai-organization").next();
    let anchor = header.map_or(Anchor::ResponseBody, |h| Anchor::header_name(h.row));
    let fix = header.map(|h| {
        Fix::new(
            "Remove the OpenAI-Organization header",
            vec![Edit::RemoveHeader { row: h.row }],
        )
    });
    let f = case.finding(
        CauseId::OpenAiOrganizationMismatch,
        anchor,
        "OpenAI says the OpenAI-Organization header does not match the key's organization (often a stale OPENAI_ORG_ID). Remove the header — project keys do not need it — or set the org that owns the key.",
        "code mismatched_organization",
    );
    out.push(case.with_fix(f, fix));
}

/// Query credentials leak into logs and Referer (RFC 6750 §2.3); GitHub and new Slack apps refuse them.
fn token_in_query_string(case: &Case, out: &mut Vec<Finding>) {
    let Some(cred) = case
        .creds
        .iter()
        .find(|c| matches!(c.place, Place::UrlQuery | Place::QueryRow(_)))
    else {
        return;
    };
    let policy = case.provider.map_or(QueryPolicy::Discouraged, |p| p.query);
    let who = case.provider.map_or("the server", |p| p.name());
    let (severity, note) = match policy {
        QueryPolicy::Documented(n) if n.eq_ignore_ascii_case(&cred.name) => (
            Severity::Info,
            format!("{who} documents `?{n}=`, but the header is safer"),
        ),
        QueryPolicy::Refused => (
            Severity::Error,
            format!("{who} refuses credentials in the query string"),
        ),
        _ => (
            Severity::Warning,
            "it ends up in server logs, browser history and Referer headers".to_string(),
        ),
    };
    let mut f = case.finding(
        CauseId::TokenInQueryString,
        cred.anchor.clone(),
        format!("The credential is sent as the query parameter `{}`: {note}. Move it to the Authorization header or the documented key header.", cred.name),
        format!("{}={}", cred.name, shown(&cred.value)),
    );
    f.severity = severity;
    if let Place::QueryRow(row) = cred.place {
        let value = row
            .typed()
            .and_then(|i| case.draft.query.get(i))
            .map_or(String::new(), |q| q.value.clone());
        let header = case.provider.and_then(|p| p.key_header);
        let add = match header {
            Some(h) => Edit::AddHeader {
                name: h.to_string(),
                value,
            },
            None => Edit::AddHeader {
                name: "Authorization".into(),
                value: format!("Bearer {value}"),
            },
        };
        f.fix = Some(Fix::new(
            "Move it to a header",
            vec![add, Edit::RemoveQuery { row }],
        ));
    }
    out.push(f);
}
