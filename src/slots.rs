//! One credential, every slot: the same key sent as `Authorization: Bearer`, as the API-key
//! header, as Basic and as a query parameter, side by side — the lesson that the server only
//! looks where it documents (docs/catalogue.md §4, points 1, 2 and 5).
//!
//! With the API's own OpenAPI document (`--spec`), the key header and query names are the
//! operation's own, and each slot is marked before sending with whether the spec accepts it.
//!
//! The slots are made with the draft's auth helper, so the wire view marks the credential as
//! the helper's and everything else the user typed stays as it was. Verdicts and the summary
//! come from each exchange and its findings, never from canned text.

use crate::draft::{AuthHelper, Draft};
use crate::exchange::{Exchange, Origin};
use crate::rules::{self, CauseId, Finding, Severity, providers};
use crate::send::{self, SendError};
use crate::spec::{KeyIn, Lookup, Scheme, Security, Spec};
use crate::vars::{Vars, resolve};
use base64::Engine;

/// Where the credential goes in one variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    Bearer,
    KeyHeader(String),
    Basic,
    Query(String),
}

impl Slot {
    pub fn label(&self) -> String {
        match self {
            Slot::Bearer => "Authorization: Bearer".into(),
            Slot::KeyHeader(name) => format!("{name} header"),
            Slot::Basic => "Authorization: Basic".into(),
            Slot::Query(name) => format!("?{name}= query"),
        }
    }
}

/// The credential to move around: typed text (it may hold `${VAR}`), and the header row it
/// was found in, which every variant leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub value: String,
    pub row: Option<usize>,
    /// The name of the key header the user typed it in, if that is where it was.
    pub header: Option<String>,
}

/// Finds the credential the user gave: the `Authorization` value after its scheme (a Basic
/// value decoded to `user:password`), else a key header, else the auth helper's.
pub fn find_credential(draft: &Draft, vars: &Vars) -> Option<Credential> {
    let resolved = resolve(draft, vars);
    for (row, r) in draft.enabled_headers() {
        if r.name.eq_ignore_ascii_case("authorization") {
            let typed = r.value.trim();
            let value = match typed.split_once(' ') {
                Some((scheme, _)) if scheme.eq_ignore_ascii_case("basic") => {
                    let sent = resolved
                        .headers
                        .iter()
                        .find(|h| h.origin == Origin::Typed { row })?;
                    let b64 = sent.value.text.trim().split_once(' ')?.1.trim();
                    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
                    String::from_utf8(bytes).ok()?
                }
                Some((_, rest)) => rest.trim().to_string(),
                None => typed.to_string(),
            };
            return Some(Credential {
                value,
                row: Some(row),
                header: None,
            });
        }
    }
    let key_row = draft.enabled_headers().find(|(_, r)| {
        crate::secret::is_credential_header(&r.name) && !r.name.eq_ignore_ascii_case("cookie")
    });
    if let Some((row, r)) = key_row {
        return Some(Credential {
            value: r.value.trim().to_string(),
            row: Some(row),
            header: Some(r.name.clone()),
        });
    }
    let value = match &draft.auth {
        AuthHelper::None => return None,
        AuthHelper::Bearer { token } => token.clone(),
        AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. } => key.clone(),
        AuthHelper::Basic { user, password } => format!("{user}:{password}"),
    };
    Some(Credential {
        value,
        row: None,
        header: None,
    })
}

/// The four slots for this URL: the key header and query name the provider table gives, else
/// the header the user typed the key in, else `X-API-Key` and `api_key`.
pub fn slots(url: &str, cred: &Credential) -> Vec<Slot> {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let provider = providers::by_host(&host);
    let header = provider
        .and_then(|p| p.key_header.map(str::to_string))
        .or_else(|| cred.header.clone())
        .unwrap_or_else(|| "X-API-Key".into());
    let query = match provider.map(|p| p.query) {
        Some(providers::QueryPolicy::Documented(name)) => name.to_string(),
        _ => "api_key".into(),
    };
    vec![
        Slot::Bearer,
        Slot::KeyHeader(header),
        Slot::Basic,
        Slot::Query(query),
    ]
}

/// What the API's own document says of one slot, before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecSays {
    /// An alternative of the operation's security is this slot alone.
    Accepts,
    /// The operation needs a credential, and no alternative is this slot alone.
    Rejects,
}

/// The spec's word on a slot, and the schemes that accept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub says: SpecSays,
    /// The accepting schemes' names (`APIKeyHeader`), joined; empty when it rejects.
    pub schemes: String,
}

/// The slots to send, with the spec's mark on each (`None`: it says nothing of that slot),
/// and one line on what the spec said of the request, when one was loaded.
#[derive(Debug, Clone)]
pub struct Plan {
    pub slots: Vec<Slot>,
    pub marks: Vec<Option<Mark>>,
    pub note: Option<String>,
}

/// The slots for the request: [`slots`], then, when the spec has the request's operation,
/// the key header's and query parameter's names from its `apiKey` schemes, and the marks.
pub fn plan(draft: &Draft, vars: &Vars, cred: &Credential, spec: Option<&Spec>) -> Plan {
    let mut slots = slots(&draft.url, cred);
    let unmarked = |slots: Vec<Slot>, note: Option<String>| Plan {
        marks: vec![None; slots.len()],
        slots,
        note,
    };
    let Some(spec) = spec else {
        return unmarked(slots, None);
    };
    let resolved = resolve(draft, vars);
    let (method, url) = (resolved.method.to_ascii_uppercase(), resolved.url.text);
    let found = match spec.find(&method, &url) {
        Lookup::Found(found) => found,
        Lookup::OtherMethods { path, methods } => {
            let note = format!(
                "{}: {path} is defined for {}, not {method}, so no slot is marked",
                spec.source,
                methods.join(", ")
            );
            return unmarked(slots, Some(note));
        }
        Lookup::NoPath => {
            let path = crate::url_text::Url::parse(&url).map_or(url.clone(), |u| u.path);
            let note = format!(
                "{}: no operation for {method} {path}, so no slot is marked",
                spec.source
            );
            return unmarked(slots, Some(note));
        }
    };
    let security = spec.security(found.operation);
    name_slots_from(&mut slots, &security);
    let marks = slots.iter().map(|s| mark(s, &security)).collect();
    let note = format!(
        "{}: {} accepts {}",
        spec.source,
        found.operation.label(),
        security.describe()
    );
    Plan {
        slots,
        marks,
        note: Some(note),
    }
}

/// The key header and query slots take the names of the first `apiKey` schemes that say
/// header and query: the spec knows this API better than the provider table.
fn name_slots_from(slots: &mut [Slot], security: &Security) {
    let schemes = security
        .alternatives
        .iter()
        .flat_map(|a| &a.parts)
        .filter_map(|p| p.scheme);
    let (mut header, mut query) = (None, None);
    for scheme in schemes {
        if let Scheme::ApiKey { location, name } = scheme {
            match location {
                KeyIn::Header => header = header.or(Some(name.clone())),
                KeyIn::Query => query = query.or(Some(name.clone())),
                KeyIn::Cookie => {}
            }
        }
    }
    for slot in slots {
        match slot {
            Slot::KeyHeader(n) => *n = header.clone().unwrap_or(n.clone()),
            Slot::Query(n) => *n = query.clone().unwrap_or(n.clone()),
            _ => {}
        }
    }
}

/// Accepts when an alternative is this slot alone. Rejects only when the spec could judge
/// every alternative: none is anonymous, and every scheme is defined and checkable.
fn mark(slot: &Slot, security: &Security) -> Option<Mark> {
    let accepting: Vec<&str> = security
        .alternatives
        .iter()
        .filter_map(|a| match a.parts.as_slice() {
            [only] if only.scheme.is_some_and(|s| fits(slot, s)) => Some(only.name),
            _ => None,
        })
        .collect();
    if !accepting.is_empty() {
        return Some(Mark {
            says: SpecSays::Accepts,
            schemes: accepting.join(", "),
        });
    }
    let unjudged = security.anonymous_allowed()
        || security
            .alternatives
            .iter()
            .flat_map(|a| &a.parts)
            .any(|p| matches!(p.scheme, None | Some(Scheme::Unchecked { .. })));
    (!unjudged).then(|| Mark {
        says: SpecSays::Rejects,
        schemes: String::new(),
    })
}

/// Whether a scheme reads the credential where `slot` puts it.
fn fits(slot: &Slot, scheme: &Scheme) -> bool {
    let word = scheme.authorization_word();
    match (slot, scheme) {
        (Slot::Bearer, _) => word.as_deref() == Some("Bearer"),
        (Slot::Basic, _) => word.as_deref() == Some("Basic"),
        (
            Slot::KeyHeader(n),
            Scheme::ApiKey {
                location: KeyIn::Header,
                name,
            },
        ) => n.eq_ignore_ascii_case(name),
        (
            Slot::Query(n),
            Scheme::ApiKey {
                location: KeyIn::Query,
                name,
            },
        ) => n == name,
        _ => false,
    }
}

/// The draft with the credential moved into `slot` and nothing else changed.
pub fn variant(draft: &Draft, cred: &Credential, slot: &Slot) -> Draft {
    let mut d = draft.clone();
    if let Some(row) = cred.row {
        d.headers[row].enabled = false;
    }
    let key = cred.value.clone();
    d.auth = match slot {
        Slot::Bearer => AuthHelper::Bearer { token: key },
        Slot::KeyHeader(name) => AuthHelper::ApiKeyHeader {
            name: name.clone(),
            key,
        },
        // Stripe's convention for a lone key: the key is the user name, the password empty.
        Slot::Basic => match key.split_once(':') {
            Some((user, password)) => AuthHelper::Basic {
                user: user.into(),
                password: password.into(),
            },
            None => AuthHelper::Basic {
                user: key,
                password: String::new(),
            },
        },
        Slot::Query(name) => AuthHelper::ApiKeyQuery {
            name: name.clone(),
            key,
        },
    };
    d
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Worked,
    Rejected,
    /// The request never got a response (network failure or bad input).
    Failed,
}

/// One slot's outcome, with what a learner needs to see.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Outcome {
    pub slot: String,
    /// What the API's spec says of this slot, decided before sending (absent: nothing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<SpecSays>,
    /// The spec's schemes that accept this slot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_scheme: Option<String>,
    /// The wire line that carried the credential on the first hop (unmasked; mask to show).
    pub sent_as: String,
    pub status: Option<u16>,
    pub verdict: Verdict,
    pub challenge: Option<String>,
    /// The server's own words: `detail`, `error.message`, `message`, … or the first line.
    pub message: Option<String>,
    /// What happened to the credential on redirects: stripped, or carried to another origin.
    pub notes: Vec<String>,
    pub findings: Vec<Finding>,
    #[serde(skip)]
    pub exchange: Option<Exchange>,
}

impl Outcome {
    /// The spec's mark as the table and the TUI show it: `✓ spec (APIKeyHeader)`, `✗ spec`.
    pub fn spec_text(&self) -> Option<String> {
        match (self.spec?, &self.spec_scheme) {
            (SpecSays::Accepts, Some(schemes)) => Some(format!("✓ spec ({schemes})")),
            (SpecSays::Accepts, None) => Some("✓ spec".into()),
            (SpecSays::Rejects, _) => Some("✗ spec".into()),
        }
    }
}

/// Sends the four variants concurrently and judges each; the slots and their marks come
/// from the spec in `ctx`, when one is loaded.
pub async fn run(
    draft: &Draft,
    vars: &Vars,
    cred: &Credential,
    options: &send::Options,
    ctx: &rules::Context,
) -> Vec<Outcome> {
    let plan = plan(draft, vars, cred, ctx.spec.as_deref());
    let drafts: Vec<Draft> = plan.slots.iter().map(|s| variant(draft, cred, s)).collect();
    let sends = drafts.iter().map(|d| send::run(d, vars, options));
    let results = futures_util::future::join_all(sends).await;
    let marks = plan.marks.into_iter();
    plan.slots
        .iter()
        .zip(&drafts)
        .zip(results)
        .zip(marks)
        .map(|(((slot, d), r), m)| {
            let mut o = outcome(slot, d, vars, r, ctx);
            o.spec = m.as_ref().map(|m| m.says);
            o.spec_scheme = m.map(|m| m.schemes).filter(|s| !s.is_empty());
            o
        })
        .collect()
}

fn outcome(
    slot: &Slot,
    draft: &Draft,
    vars: &Vars,
    result: Result<Exchange, SendError>,
    ctx: &rules::Context,
) -> Outcome {
    let mut o = Outcome {
        slot: slot.label(),
        spec: None,
        spec_scheme: None,
        sent_as: String::new(),
        status: None,
        verdict: Verdict::Failed,
        challenge: None,
        message: None,
        notes: Vec::new(),
        findings: Vec::new(),
        exchange: None,
    };
    let ex = match result {
        Ok(ex) => ex,
        Err(e) => {
            o.message = Some(e.to_string());
            o.findings = rules::lint(draft, vars, ctx);
            return o;
        }
    };
    o.sent_as = carried_line(&ex, slot);
    o.notes = redirect_notes(&ex, slot);
    if let Some(r) = ex.final_response() {
        o.status = Some(r.status);
        o.verdict = if (200..300).contains(&r.status) {
            Verdict::Worked
        } else {
            Verdict::Rejected
        };
        o.challenge = r.header("www-authenticate").map(str::to_string);
        o.message = server_message(r.body.as_text().unwrap_or(""));
    }
    o.findings = rules::diagnose_exchange(draft, vars, &ex, ctx);
    // The note that TLS checks were off is true of every slot alike: last, so what differs
    // between the slots is what a short list shows first.
    o.findings
        .sort_by_key(|f| f.id == CauseId::TlsVerificationOff);
    o.exchange = Some(ex);
    o
}

/// The first hop's line that held the credential: the helper's header, or the request line.
fn carried_line(ex: &Exchange, slot: &Slot) -> String {
    let Some(hop) = ex.hops.first() else {
        return String::new();
    };
    if let Slot::Query(_) = slot {
        let raw = String::from_utf8_lossy(
            &hop.request.raw[..hop.request.head_len.min(hop.request.raw.len())],
        )
        .into_owned();
        return raw.lines().next().unwrap_or("").to_string();
    }
    hop.request
        .headers
        .iter()
        .find(|h| h.origin == Origin::AuthHelper)
        .map(|h| format!("{}: {}", h.name, h.value))
        .unwrap_or_default()
}

/// Lesson point 5 in the wire: `Authorization` stripped on a hop, or a key carried to another
/// origin (where it works, and leaks).
fn redirect_notes(ex: &Exchange, slot: &Slot) -> Vec<String> {
    let mut notes = Vec::new();
    let origin = |u: &str| {
        reqwest::Url::parse(u)
            .ok()
            .map(|u| u.origin().ascii_serialization())
    };
    let first = ex.hops.first().and_then(|h| origin(&h.request.url));
    for (i, hop) in ex.hops.iter().enumerate().skip(1) {
        for s in &hop.request.stripped {
            notes.push(format!(
                "hop {}: {} was not sent — {}",
                i + 1,
                s.name,
                s.reason
            ));
        }
        let here = origin(&hop.request.url);
        let carried = match slot {
            Slot::Query(name) => hop.request.url.contains(&format!("{name}=")),
            _ => hop
                .request
                .headers
                .iter()
                .any(|h| h.origin == Origin::AuthHelper),
        };
        if carried && here != first {
            let to = here.unwrap_or_default();
            notes.push(format!(
                "hop {}: the credential went on to {to}, another origin — it leaked there",
                i + 1
            ));
        }
    }
    notes
}

/// The error text a server put in its body, in the places common APIs put it.
fn server_message(body: &str) -> Option<String> {
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(body) {
        let paths: [&[&str]; 6] = [
            &["error", "message"],
            &["detail"],
            &["message"],
            &["error_description"],
            &["error"],
            &["errors", "0", "message"],
        ];
        for path in paths {
            let mut cur = &v;
            for key in path {
                cur = match key.parse::<usize>() {
                    Ok(i) => &cur[i],
                    Err(_) => &cur[*key],
                };
            }
            if let Some(s) = cur.as_str() {
                return Some(s.to_string());
            }
        }
    }
    body.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| l.chars().take(160).collect())
}

/// One sentence: which slot worked, and for each other slot the most serious finding that
/// explains it (else the server's message, else the challenge).
pub fn summary(outcomes: &[Outcome]) -> String {
    let worked: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.verdict == Verdict::Worked)
        .map(|o| o.slot.as_str())
        .collect();
    let reasons: Vec<String> = outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Worked)
        .map(|o| {
            let status = o
                .status
                .map_or("no response".to_string(), |s| s.to_string());
            format!("{} got {status} ({})", o.slot, reason(o))
        })
        .collect();
    let head = match worked.as_slice() {
        [] => "No slot worked".to_string(),
        slots => format!("Worked: {}", slots.join(", ")),
    };
    let said = if reasons.is_empty() {
        format!("{head}.")
    } else {
        format!("{head}; {}.", reasons.join("; "))
    };
    match against_spec(outcomes) {
        Some(note) => format!("{said} {note}"),
        None => said,
    }
}

/// When the server and the spec disagree, the sentence that says so: the spec's slot refused
/// (the slot is not the problem), or a slot the spec rejects working (an outdated spec).
fn against_spec(outcomes: &[Outcome]) -> Option<String> {
    let with = |says: SpecSays, v: Verdict| {
        outcomes
            .iter()
            .filter(|o| o.spec == Some(says) && o.verdict == v)
            .map(|o| o.slot.as_str())
            .collect::<Vec<_>>()
    };
    let (accepted_worked, accepted_refused) = (
        with(SpecSays::Accepts, Verdict::Worked),
        with(SpecSays::Accepts, Verdict::Rejected),
    );
    let rejected_worked = with(SpecSays::Rejects, Verdict::Worked);
    if !rejected_worked.is_empty() {
        return Some(format!(
            "The spec rejects {}, yet the server took it: the spec may be older than the server.",
            rejected_worked.join(", ")
        ));
    }
    (accepted_worked.is_empty() && !accepted_refused.is_empty()).then(|| format!(
        "{} is the slot the spec names and it was refused too: the slot is not the problem; look at the credential itself.",
        accepted_refused.join(", ")
    ))
}

fn reason(o: &Outcome) -> String {
    let explaining = o
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .find(|f| f.id != CauseId::TokenRevokedOrInvalid)
        .or_else(|| o.findings.first())
        // Not why a slot was refused: it is true of every slot, and said once above them.
        .filter(|f| f.id != CauseId::TlsVerificationOff);
    if let Some(f) = explaining {
        return format!("{}: {}", f.id, f.title);
    }
    o.message
        .clone()
        .or_else(|| o.challenge.clone())
        .unwrap_or_else(|| "no reason given".into())
}

/// Masks the credential in every form the four slots send it: raw, in Basic, in a query
/// (the redactor adds the URL-encoded forms itself). The CLI table and the TUI view use it.
pub fn redactor(draft: &Draft, vars: &Vars, cred: &Credential) -> crate::secret::Redactor {
    let mut r = resolve(draft, vars).redactor;
    let value = crate::vars::interpolate(&cred.value, |n| vars.value(n)).text;
    r.add(&value);
    let basic = resolve(&variant(draft, cred, &Slot::Basic), vars);
    if let Some(h) = basic
        .headers
        .iter()
        .find(|h| h.origin == Origin::AuthHelper)
    {
        r.add(h.value.text.trim_start_matches("Basic "));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vars::DotenvReport;

    fn vars() -> Vars {
        Vars::build(
            &[],
            [("K".to_string(), "EXAMPLE-key-0000".to_string())],
            DotenvReport::default(),
        )
    }

    #[test]
    fn the_credential_is_taken_from_authorization_after_its_scheme() {
        let d = Draft::new("GET", "http://h/")
            .header("Accept", "x")
            .header("Authorization", "bearer ${K}");
        let c = find_credential(&d, &vars()).unwrap();
        assert_eq!((c.value.as_str(), c.row), ("${K}", Some(1)));
    }

    #[test]
    fn a_basic_credential_is_decoded_to_user_and_password() {
        let d = Draft::new("GET", "http://h/")
            .header("Authorization", "Basic bGVhcm5lcjpFWEFNUExFLXBhc3M=");
        assert_eq!(
            find_credential(&d, &vars()).unwrap().value,
            "learner:EXAMPLE-pass"
        );
    }

    #[test]
    fn a_key_header_is_used_when_there_is_no_authorization() {
        let d = Draft::new("GET", "http://h/").header("X-Api-Token", "${K}");
        let c = find_credential(&d, &vars()).unwrap();
        assert_eq!(c.header.as_deref(), Some("X-Api-Token"));
        assert_eq!(
            slots("http://h/", &c)[1],
            Slot::KeyHeader("X-Api-Token".into())
        );
    }

    #[test]
    fn the_provider_table_names_the_key_header_and_query_parameter() {
        let c = Credential {
            value: "x".into(),
            row: None,
            header: None,
        };
        let s = slots("https://generativelanguage.googleapis.com/v1/models", &c);
        assert_eq!(s[1], Slot::KeyHeader("x-goog-api-key".into()));
        assert_eq!(s[3], Slot::Query("key".into()));
        assert_eq!(
            slots("http://127.0.0.1:8000/", &c)[1],
            Slot::KeyHeader("X-API-Key".into())
        );
    }

    #[test]
    fn variants_move_the_credential_and_keep_everything_else() {
        let d = Draft::new("GET", "http://h/")
            .header("Authorization", "Bearer ${K}")
            .header("Accept", "x");
        let c = find_credential(&d, &vars()).unwrap();
        let v = variant(&d, &c, &Slot::Basic);
        assert!(!v.headers[0].enabled && v.headers[1].enabled);
        assert_eq!(
            v.auth,
            AuthHelper::Basic {
                user: "${K}".into(),
                password: String::new()
            }
        );
        let v = variant(&d, &c, &Slot::Query("api_key".into()));
        assert_eq!(
            v.auth,
            AuthHelper::ApiKeyQuery {
                name: "api_key".into(),
                key: "${K}".into()
            }
        );
    }

    fn spec(security: &str) -> Spec {
        let doc = format!(
            r#"{{"openapi": "3.1.0", "paths": {{"/items": {{"get": {{"security": {security}}}}}}},
              "components": {{"securitySchemes": {{
                "Key": {{"type": "apiKey", "in": "header", "name": "X-Goog-Api-Key"}},
                "Q": {{"type": "apiKey", "in": "query", "name": "key"}},
                "Bearer": {{"type": "http", "scheme": "bearer"}}}}}}}}"#
        );
        crate::spec::parse(&doc, "api.json", None).unwrap()
    }

    fn plan_for(security: &str, url: &str) -> Plan {
        let d = Draft::new("GET", url).header("Authorization", "Bearer ${K}");
        let c = find_credential(&d, &vars()).unwrap();
        plan(&d, &vars(), &c, Some(&spec(security)))
    }

    fn says(p: &Plan) -> Vec<Option<SpecSays>> {
        p.marks.iter().map(|m| m.as_ref().map(|m| m.says)).collect()
    }

    #[test]
    fn the_spec_names_the_key_slots_and_marks_each_before_sending() {
        let p = plan_for(r#"[{"Key": []}, {"Q": []}]"#, "http://h/items");
        assert_eq!(p.slots[1], Slot::KeyHeader("X-Goog-Api-Key".into()));
        assert_eq!(p.slots[3], Slot::Query("key".into()));
        let (a, r) = (Some(SpecSays::Accepts), Some(SpecSays::Rejects));
        assert_eq!(says(&p), [r, a, r, a]);
        assert_eq!(p.marks[1].as_ref().unwrap().schemes, "Key");
        assert!(p.note.unwrap().contains("GET /items"));
    }

    #[test]
    fn two_schemes_together_are_no_single_slot() {
        let p = plan_for(r#"[{"Key": [], "Bearer": []}]"#, "http://h/items");
        assert!(says(&p).iter().all(|s| *s == Some(SpecSays::Rejects)));
    }

    #[test]
    fn the_spec_says_nothing_where_it_cannot_judge() {
        for security in [
            r#"[]"#,
            r#"[{"Bearer": []}, {}]"#,
            r#"[{"Bearer": []}, {"Nowhere": []}]"#,
        ] {
            let p = plan_for(security, "http://h/items");
            assert_eq!(p.marks[1], None, "{security}");
        }
        let p = plan_for(r#"[{"Bearer": []}]"#, "http://h/other");
        assert!(p.marks.iter().all(Option::is_none));
        assert!(p.note.unwrap().contains("no operation for GET /other"));
        assert_eq!(p.slots[1], Slot::KeyHeader("X-API-Key".into()));
    }

    #[test]
    fn server_messages_are_read_where_apis_put_them() {
        assert_eq!(
            server_message(r#"{"detail":"Missing API key."}"#).as_deref(),
            Some("Missing API key.")
        );
        assert_eq!(
            server_message(r#"{"error":{"message":"Bad key"}}"#).as_deref(),
            Some("Bad key")
        );
        assert_eq!(
            server_message("\n plain text\nmore").as_deref(),
            Some("plain text")
        );
    }
}

#[cfg(test)]
mod summary_tests {
    use super::*;

    fn row(slot: &str, spec: Option<SpecSays>, verdict: Verdict) -> Outcome {
        Outcome {
            slot: slot.into(),
            spec,
            spec_scheme: None,
            sent_as: String::new(),
            status: Some(if verdict == Verdict::Worked { 200 } else { 401 }),
            verdict,
            challenge: None,
            message: None,
            notes: Vec::new(),
            findings: Vec::new(),
            exchange: None,
        }
    }

    #[test]
    fn the_summary_says_when_the_server_and_the_spec_disagree() {
        use SpecSays::{Accepts, Rejects};
        use Verdict::{Rejected, Worked};
        let agree = [
            row("X-API-Key header", Some(Accepts), Worked),
            row("Authorization: Bearer", Some(Rejects), Rejected),
        ];
        assert!(!summary(&agree).contains("spec"), "{}", summary(&agree));
        let outdated = [
            row("X-API-Key header", Some(Accepts), Rejected),
            row("Authorization: Bearer", Some(Rejects), Worked),
        ];
        assert!(summary(&outdated).ends_with("The spec rejects Authorization: Bearer, yet the server took it: the spec may be older than the server."));
        let key_bad = [
            row("X-API-Key header", Some(Accepts), Rejected),
            row("Authorization: Bearer", Some(Rejects), Rejected),
        ];
        assert!(
            summary(&key_bad)
                .contains("X-API-Key header is the slot the spec names and it was refused too")
        );
        let no_spec = [row("X-API-Key header", None, Rejected)];
        assert!(!summary(&no_spec).contains("spec"));
    }
}
