//! Group H: what the API's own OpenAPI document says about the slot (docs/catalogue.md §2 H).
//! The spec is the API's word, so these findings carry it as evidence — the document, the
//! operation's and the scheme's JSON pointers — and `finish` folds the provider tables' slot
//! findings into them.

use super::case::{Case, Cred, Place};
use super::cause_id::CauseId;
use super::finding::{Anchor, Confidence, Edit, EvidenceKind, Finding, Fix};
use super::response;
use super::text::shown;
use crate::spec::{Alternative, Found, KeyIn, Lookup, Part, Scheme, Security, Spec};

/// The provider-table findings about which slot the credential belongs in: with a spec
/// loaded and its operation found, the spec decides the slot instead.
pub(super) const SLOT_CAUSES: [CauseId; 5] = [
    CauseId::ApiKeySentAsBearer,
    CauseId::CredentialInWrongHeader,
    CauseId::AuthSchemeWrongForApi,
    CauseId::AuthHeaderMissing,
    CauseId::BearerSchemeMissing,
];

/// The spec's findings about the slot, into which `SLOT_CAUSES` findings fold.
pub(super) const SPEC_SLOT_CAUSES: [CauseId; 3] = [
    CauseId::SpecCredentialInWrongSlot,
    CauseId::SpecCredentialMissing,
    CauseId::SpecRequiredSchemeMissing,
];

pub fn run(case: &Case, out: &mut Vec<Finding>) {
    let Some(spec) = case.ctx.spec.as_deref() else {
        return;
    };
    match spec.find(case.draft.method.trim(), case.url.text.trim()) {
        Lookup::Found(found) => judge(case, spec, &found, out),
        lookup => not_found(case, spec, &lookup, out),
    }
}

/// When the loaded spec names this request's operation and it needs a credential, the slot
/// is the spec's to judge: the names of the key headers its alternatives accept.
fn decides_slot(case: &Case) -> Option<Vec<String>> {
    let spec = case.ctx.spec.as_deref()?;
    let Lookup::Found(f) = spec.find(case.draft.method.trim(), case.url.text.trim()) else {
        return None;
    };
    let security = spec.security(f.operation);
    if security.anonymous_allowed() {
        return None;
    }
    let key_headers = security
        .alternatives
        .iter()
        .flat_map(|a| &a.parts)
        .filter_map(|p| match p.scheme {
            Some(Scheme::ApiKey {
                location: KeyIn::Header,
                name,
            }) => Some(name.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    Some(key_headers)
}

fn judge(case: &Case, spec: &Spec, found: &Found, out: &mut Vec<Finding>) {
    let security = spec.security(found.operation);
    if security.anonymous_allowed() {
        needs_no_auth(case, spec, found, &security, out);
        return;
    }
    let verdicts: Vec<Vec<Met>> = security
        .alternatives
        .iter()
        .map(|a| a.parts.iter().map(|p| met(case, p)).collect())
        .collect();
    let satisfied = |v: &Vec<Met>| v.iter().all(|m| *m != Met::No);
    if let Some(i) = verdicts.iter().position(satisfied) {
        scopes(case, spec, found, &security.alternatives[i], out);
        return;
    }
    let at = Evidence::new(spec, found, &security);
    // The alternative met the furthest: some of its schemes present, others not (AND).
    let partial = verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| v.contains(&Met::Yes))
        .max_by_key(|(_, v)| v.iter().filter(|m| **m == Met::Yes).count());
    if let Some((i, v)) = partial {
        let alt = &security.alternatives[i];
        let missing: Vec<&Part> = alt
            .parts
            .iter()
            .zip(v)
            .filter(|(_, m)| **m == Met::No)
            .map(|(p, _)| p)
            .collect();
        out.push(scheme_missing(case, &at, alt, &missing));
        return;
    }
    // A credential where the operation documents a parameter of that name is where the API
    // said to put it (Slack's `token` parameter beside its OAuth security): not judged.
    let sent: Vec<&Cred> = case
        .creds
        .iter()
        .filter(|c| !c.value.trim().is_empty() && !documented(found.operation, c))
        .collect();
    match sent.first() {
        Some(cred) => out.push(wrong_slot(case, &at, &security, cred)),
        None if case.creds.is_empty() => out.push(missing(case, &at, &security)),
        // A slot went out empty (its variable unset): the A rules say why; the spec adds nothing.
        None => {}
    }
}

fn documented(op: &crate::spec::Operation, cred: &Cred) -> bool {
    let location = match cred.place {
        Place::Authorization(_) | Place::Header(_) => "header",
        Place::UrlQuery | Place::QueryRow(_) => "query",
        Place::FormField => "formData",
        Place::UrlUserinfo | Place::JsonField => return false,
    };
    op.documents_param(location, &cred.name)
}

/// Whether the request carries what one scheme asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Met {
    Yes,
    No,
    /// The scheme cannot be seen in a request (mutual TLS) or could not be read: never judged.
    Unknown,
}

fn met(case: &Case, part: &Part) -> Met {
    let Some(scheme) = part.scheme else {
        return Met::Unknown;
    };
    let yes = |b: bool| if b { Met::Yes } else { Met::No };
    match scheme {
        Scheme::ApiKey { location, name } => yes(match location {
            KeyIn::Header => case.headers_named(name).next().is_some(),
            KeyIn::Query => query_names(case).any(|q| q == *name),
            KeyIn::Cookie => cookie_names(case).any(|c| c == *name),
        }),
        Scheme::Http { scheme, .. } => yes(authorization_scheme(case)
            .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
            || (scheme == "basic" && case.creds.iter().any(|c| c.place == Place::UrlUserinfo))),
        Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. } => {
            yes(authorization_scheme(case).is_some_and(|s| s.eq_ignore_ascii_case("bearer")))
        }
        Scheme::MutualTls | Scheme::Unchecked { .. } => Met::Unknown,
    }
}

/// The scheme word of the request's `Authorization` header, as typed.
fn authorization_scheme<'c>(case: &'c Case) -> Option<&'c str> {
    case.authorization().and_then(|a| a.scheme.as_deref())
}

/// Parameter names in the URL's query and the query table.
fn query_names<'c>(case: &'c Case) -> impl Iterator<Item = String> + 'c {
    let raw = case
        .url
        .text
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""));
    let in_url = raw
        .into_iter()
        .flat_map(|q| q.split('&'))
        .map(|p| p.split('=').next().unwrap_or("").to_string());
    in_url.chain(case.query.iter().map(|q| q.name.trim().to_string()))
}

/// Cookie names sent in `Cookie` headers.
fn cookie_names<'c>(case: &'c Case) -> impl Iterator<Item = String> + 'c {
    case.headers_named("cookie").flat_map(|h| {
        h.value
            .text
            .split(';')
            .map(|c| c.split('=').next().unwrap_or("").trim().to_string())
            .collect::<Vec<_>>()
    })
}

/// The spec's evidence: which document, which operation, which `security` list.
struct Evidence {
    label: String,
    text: String,
}

impl Evidence {
    fn new(spec: &Spec, found: &Found, security: &Security) -> Evidence {
        let op = found.operation;
        let declared = match security.declared {
            crate::spec::Declared::Operation => "its own `security`",
            crate::spec::Declared::Root => "the document's root `security`",
            crate::spec::Declared::Nowhere => "no `security` declared",
        };
        let host = if found.host_matched {
            String::new()
        } else {
            format!(" (matched by path; the spec's server is {})", found.server)
        };
        Evidence {
            label: op.label(),
            text: format!(
                "spec {}: operation {} ({declared}){host}",
                spec.source,
                op.pointer()
            ),
        }
    }

    fn with(&self, more: &str) -> String {
        format!("{}; {more}", self.text)
    }
}

/// "`X-API-Key` (/components/securitySchemes/APIKeyHeader)".
fn scheme_refs(alt: &Alternative) -> String {
    alt.parts
        .iter()
        .map(|p| format!("{} {}", p.name, p.pointer))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Where the credential went, in the request's words, masked.
fn sent_as(cred: &Cred) -> String {
    match (&cred.place, &cred.scheme) {
        (Place::Authorization(_), Some(s)) => {
            format!("`Authorization: {s} {}`", shown(&cred.value))
        }
        (Place::Authorization(_), None) => {
            format!("`Authorization: {}` (no scheme word)", shown(&cred.value))
        }
        (Place::Header(_), _) => format!("the `{}` header", cred.name),
        (Place::UrlQuery | Place::QueryRow(_), _) => format!("the `{}` query parameter", cred.name),
        (Place::UrlUserinfo, _) => "the URL's user:password (sent as Basic)".into(),
        (Place::FormField, _) => format!("the form field `{}`", cred.name),
        (Place::JsonField, _) => format!("the JSON field `{}`", cred.name),
    }
}

fn wrong_slot(case: &Case, at: &Evidence, security: &Security, cred: &Cred) -> Finding {
    let wants = security.describe();
    let explanation = format!(
        "The API's spec says {} accepts {wants}. This request sends the credential as {}, where the operation does not look, so the server sees no credential it reads. Move it; nothing about the key itself is judged here.",
        at.label,
        sent_as(cred)
    );
    let anchor = match cred.row() {
        Some(row) => Anchor::header_name(row),
        None => cred.anchor.clone(),
    };
    let target = security
        .alternatives
        .iter()
        .find(|a| a.parts.len() == 1)
        .and_then(|a| a.parts[0].scheme);
    let refs = security
        .alternatives
        .first()
        .map(scheme_refs)
        .unwrap_or_default();
    let mut f = case.finding(
        CauseId::SpecCredentialInWrongSlot,
        anchor,
        explanation,
        at.with(&format!("accepts {refs}; sent {}", sent_as(cred))),
    );
    f.evidence_kind = EvidenceKind::Context;
    f.confidence = Confidence::Inferred;
    f.fix = target.and_then(|t| move_fix(case, cred, t));
    f
}

/// One key: the header row renamed or rewritten into the slot, keeping `${VAR}` references.
fn move_fix(case: &Case, cred: &Cred, target: &Scheme) -> Option<Fix> {
    let row = cred.row()?;
    let typed = case.header_row(row).map(|r| r.value.as_str())?;
    let raw = match cred.place {
        Place::Authorization(_) => {
            let (_, start) = super::credentials::split_scheme(typed);
            &typed[start..]
        }
        _ => typed.trim(),
    };
    let (label, name, value) = match target {
        Scheme::ApiKey {
            location: KeyIn::Header,
            name,
        } => (
            format!("Move the credential to the `{name}` header"),
            name.clone(),
            raw.to_string(),
        ),
        Scheme::Http { scheme, .. } if scheme == "bearer" => (
            "Send it as `Authorization: Bearer`".into(),
            "Authorization".into(),
            format!("Bearer {raw}"),
        ),
        Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. } => (
            "Send it as `Authorization: Bearer`".into(),
            "Authorization".into(),
            format!("Bearer {raw}"),
        ),
        _ => return None,
    };
    Some(Fix::new(label, vec![Edit::SetHeader { row, name, value }]))
}

fn missing(case: &Case, at: &Evidence, security: &Security) -> Finding {
    let explanation = format!(
        "The API's spec says {} accepts {}, and this request carries no credential at all.",
        at.label,
        security.describe()
    );
    let refs = security
        .alternatives
        .iter()
        .map(scheme_refs)
        .collect::<Vec<_>>()
        .join(" | ");
    let mut f = case.finding(
        CauseId::SpecCredentialMissing,
        Anchor::Request,
        explanation,
        at.with(&format!("accepts {refs}")),
    );
    f.evidence_kind = EvidenceKind::Context;
    f
}

fn scheme_missing(case: &Case, at: &Evidence, alt: &Alternative, missing: &[&Part]) -> Finding {
    let names: Vec<String> = missing
        .iter()
        .map(|p| match p.scheme {
            Some(s) => format!("{} ({})", s.slot(), p.name),
            None => p.name.to_string(),
        })
        .collect();
    let explanation = format!(
        "The API's spec says {} needs {} together, all of them on the same request; {} is missing.",
        at.label,
        alt,
        names.join(" and ")
    );
    let mut f = case.finding(
        CauseId::SpecRequiredSchemeMissing,
        Anchor::Request,
        explanation,
        at.with(&format!("requires {}", scheme_refs(alt))),
    );
    f.evidence_kind = EvidenceKind::Context;
    f
}

/// The met alternative's OAuth scopes against the Bearer JWT's `scope`/`scp`, when it has one.
fn scopes(case: &Case, spec: &Spec, found: &Found, alt: &Alternative, out: &mut Vec<Finding>) {
    let wanted: Vec<&str> = alt
        .parts
        .iter()
        .filter(|p| {
            matches!(
                p.scheme,
                Some(Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. })
            )
        })
        .flat_map(|p| p.scopes.iter().map(String::as_str))
        .collect();
    let Some(auth) = case.authorization().filter(|_| !wanted.is_empty()) else {
        return;
    };
    let Some(jwt) = super::jwt::decode(auth.value.trim()) else {
        return;
    };
    if !jwt.payload.contains_key("scope") && !jwt.payload.contains_key("scp") {
        return;
    }
    let has = jwt.scopes();
    let lacking: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|w| !has.contains(w))
        .collect();
    if lacking.is_empty() {
        return;
    }
    let security = spec.security(found.operation);
    let at = Evidence::new(spec, found, &security);
    let token_url = alt
        .parts
        .iter()
        .find_map(|p| p.scheme.and_then(Scheme::token_url));
    let from = token_url.map(|u| format!(" from {u}")).unwrap_or_default();
    let status = case.response.as_ref().map(|r| r.status);
    let answer = match status {
        Some(403) => {
            "The 403 is the right answer for that: the token is valid, its permissions are not enough."
        }
        Some(401) => {
            "A server following RFC 6750 answers that with 403 `insufficient_scope`; this one says 401, so the token itself may be fine."
        }
        _ => "The server should refuse it with 403 `insufficient_scope`.",
    };
    let explanation = format!(
        "The API's spec says {} needs the scope {}; the token's scopes are [{}]. {answer} Request a token with the scope{from}.",
        at.label,
        lacking
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", "),
        has.join(" ")
    );
    let mut f = case.finding(
        CauseId::SpecScopeMissing,
        auth.anchor.clone(),
        explanation,
        at.with(&format!("requires {}", scheme_refs(alt))),
    );
    f.evidence_kind = EvidenceKind::Context;
    out.push(f);
}

fn needs_no_auth(
    case: &Case,
    spec: &Spec,
    found: &Found,
    security: &Security,
    out: &mut Vec<Finding>,
) {
    // FastAPI's `x_api_key: str = Header(...)` documents the key as a parameter, not as
    // security: the operation does read a credential, so the spec's silence proves nothing.
    if !response::is_auth_failure(case) || found.operation.documents_credential_param() {
        return;
    }
    let at = Evidence::new(spec, found, security);
    let why = match security.declared {
        crate::spec::Declared::Nowhere => "declares no security for it",
        _ if security.alternatives.is_empty() => "sets `security: []` on it",
        _ => "allows it without a credential (`{}`)",
    };
    let explanation = format!(
        "The API's spec {why} ({}), yet the server refused the request. The credential is not what was judged: check that the URL reaches the API the spec describes (server and base path), whether a gateway or proxy in front asks for its own credential, and whether the spec is older than the deployment.",
        at.label
    );
    let mut f = case.finding(
        CauseId::SpecOperationNeedsNoAuth,
        Anchor::ResponseStatus,
        explanation,
        at.text.clone(),
    );
    f.evidence_kind = EvidenceKind::Context;
    out.push(f);
}

/// No operation: said only where the request plausibly goes to the spec's API (its host, or
/// a spec whose servers name none), before sending or after an authentication failure.
fn not_found(case: &Case, spec: &Spec, lookup: &Lookup, out: &mut Vec<Finding>) {
    if spec.names_other_host(case.host())
        || (case.response.is_some() && !response::is_auth_failure(case))
    {
        return;
    }
    let method = case.draft.method.trim().to_ascii_uppercase();
    let path = case.parsed_url.as_ref().map_or("", |u| u.path.as_str());
    let (explanation, evidence) = match lookup {
        Lookup::OtherMethods { path: p, methods } => (
            format!(
                "The API's spec defines {p} only for {}, not {method}. A server often answers an undefined method with 401 or 405 before it looks at the credential.",
                methods.join(", ")
            ),
            format!(
                "spec {}: /paths/{} has {}",
                spec.source,
                p.replace('~', "~0").replace('/', "~1"),
                methods.join(", ")
            ),
        ),
        _ => (
            format!(
                "The API's spec has no operation for {method} {path} under any of its servers. A 401 from a path the API does not define often comes from a gateway or a catch-all, not from the operation meant: check the path (a missing version prefix, a base path) against the spec."
            ),
            format!(
                "spec {}: no path matches {path} ({} operations)",
                spec.source,
                spec.operation_count()
            ),
        ),
    };
    let mut f = case.finding(
        CauseId::SpecOperationNotFound,
        Anchor::whole(crate::draft::Place::Url),
        explanation,
        evidence,
    );
    f.evidence_kind = EvidenceKind::Context;
    out.push(f);
}

/// With the operation found in the spec, the provider tables' slot findings give way: one
/// that says what the spec finding says is folded into its evidence, one that disagrees is
/// named there as overruled, and with the spec satisfied they are dropped.
///
/// One table finding stays beside a satisfied spec: a key sent as Bearer where the spec also
/// names the key header the table asks for. The spec's Bearer slot is for tokens (Azure
/// OpenAI's Entra ID beside its `api-key`); the table knows this credential is a key.
pub(super) fn fold(case: &Case, out: &mut Vec<Finding>) {
    let Some(key_headers) = decides_slot(case) else {
        return;
    };
    let spec_finding = out.iter().any(|f| SPEC_SLOT_CAUSES.contains(&f.id));
    let spec_names_it = |f: &Finding| {
        f.id == CauseId::ApiKeySentAsBearer
            && fix_header(f).is_some_and(|h| key_headers.contains(&h))
            && !spec_finding
    };
    let (table, kept): (Vec<Finding>, Vec<Finding>) = out
        .drain(..)
        .partition(|f| SLOT_CAUSES.contains(&f.id) && !spec_names_it(f));
    *out = kept;
    let Some(spec) = out.iter_mut().find(|f| SPEC_SLOT_CAUSES.contains(&f.id)) else {
        return;
    };
    for t in table {
        let verdict = if agrees(spec, &t) {
            "says the same"
        } else {
            "said otherwise and gives way to the spec"
        };
        spec.evidence
            .push_str(&format!("; the provider table (`{}`) {verdict}", t.id));
    }
}

/// Two findings agree on the slot when both fixes write the same header, or both say that
/// nothing was sent.
fn agrees(spec: &Finding, table: &Finding) -> bool {
    match (spec.id, table.id) {
        (CauseId::SpecCredentialMissing, CauseId::AuthHeaderMissing) => true,
        _ => fix_header(spec).is_some() && fix_header(spec) == fix_header(table),
    }
}

/// The header a finding's fix writes, lower-cased.
fn fix_header(f: &Finding) -> Option<String> {
    f.fix.as_ref()?.edits.iter().find_map(|e| match e {
        Edit::SetHeader { name, .. } | Edit::AddHeader { name, .. } => {
            Some(name.to_ascii_lowercase())
        }
        _ => None,
    })
}
