//! One credential, every slot: the same key sent as `Authorization: Bearer`, as the API-key
//! header, as Basic and as a query parameter, side by side — the lesson that the server only
//! looks where it documents (docs/catalogue.md §4, points 1, 2 and 5).
//!
//! The slots are made with the draft's auth helper, so the wire view marks the credential as
//! the helper's and everything else the user typed stays as it was. Verdicts and the summary
//! come from each exchange and its findings, never from canned text.

use crate::draft::{AuthHelper, Draft};
use crate::exchange::{Exchange, Origin};
use crate::rules::{self, CauseId, Finding, Severity, providers};
use crate::send::{self, SendError};
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

/// Sends the four variants concurrently and judges each.
pub async fn run(
    draft: &Draft,
    vars: &Vars,
    cred: &Credential,
    options: &send::Options,
    ctx: &rules::Context,
) -> Vec<Outcome> {
    let slots = slots(&draft.url, cred);
    let drafts: Vec<Draft> = slots.iter().map(|s| variant(draft, cred, s)).collect();
    let sends = drafts.iter().map(|d| send::run(d, vars, options));
    let results = futures_util::future::join_all(sends).await;
    slots
        .iter()
        .zip(&drafts)
        .zip(results)
        .map(|((slot, d), r)| outcome(slot, d, vars, r, ctx))
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
    if reasons.is_empty() {
        format!("{head}.")
    } else {
        format!("{head}; {}.", reasons.join("; "))
    }
}

fn reason(o: &Outcome) -> String {
    let explaining = o
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .find(|f| f.id != CauseId::TokenRevokedOrInvalid)
        .or_else(|| o.findings.first());
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
