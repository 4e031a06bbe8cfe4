//! The request as the rules see it, computed once per run: every `${VAR}` substituted (a
//! missing one as the empty string, as the wire would carry it), the URL parsed, the target
//! provider looked up, and every credential found with its place and the variable behind it.
//!
//! Rules read this instead of re-parsing the draft, which keeps each rule short and the whole
//! run cheap enough for every keystroke.

use super::cause_id::CauseId;
use super::context::Context;
use super::finding::{Anchor, Confidence, EvidenceKind, Finding, RowRef, Severity};
use super::input::Observed;
use super::providers::{self, Provider};
use super::response::Resp;
use super::{catalogue, finding::Fix};
use crate::draft::{Body, Draft};
use crate::url_text::Url;
use crate::vars::auth_helper::{self, HelperTarget};
use crate::vars::{Interpolated, Vars, interpolate_refs};
use std::borrow::Cow;
use std::ops::Range;

/// A header row after substitution.
#[derive(Debug, Clone)]
pub struct Header {
    pub row: RowRef,
    pub name: String,
    pub value: Interpolated,
}

/// How a credential travels. Not where in the draft it is — that is the `Cred`'s anchor, a
/// `draft::Place` — since one draft place carries several ways (a key in the URL's query and
/// one in its userinfo are both bytes of the URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// `Authorization` header row.
    Authorization(RowRef),
    /// Any other credential-bearing header row.
    Header(RowRef),
    /// A parameter of the raw query typed in the URL.
    UrlQuery,
    /// `http://user:password@host/`: clients send it as `Authorization: Basic`.
    UrlUserinfo,
    /// A row of the query table (the client encodes it).
    QueryRow(RowRef),
    /// A field of a form body (`a=1&b=2`).
    FormField,
    /// A top-level field of a JSON body object.
    JsonField,
}

/// One credential in the request.
#[derive(Debug, Clone)]
pub struct Cred {
    pub place: Place,
    /// Header, parameter or field name as typed (a JSON field's key, without decoration).
    pub name: String,
    /// The scheme word, for `Authorization` values that have one.
    pub scheme: Option<String>,
    /// The credential itself (after the scheme and its separator).
    pub value: String,
    /// The variable that supplied the credential, when one did.
    pub var: Option<String>,
    pub anchor: Anchor,
}

impl Cred {
    pub fn is_header(&self) -> bool {
        matches!(self.place, Place::Authorization(_) | Place::Header(_))
    }
    pub fn row(&self) -> Option<RowRef> {
        match self.place {
            Place::Authorization(r) | Place::Header(r) => Some(r),
            _ => None,
        }
    }

    /// True when the credential travels under this header, parameter or form-field name
    /// (compared as HTTP compares header names). A JSON field's key is no such name.
    pub fn goes_by(&self, name: &str) -> bool {
        self.place != Place::JsonField && self.name.eq_ignore_ascii_case(name)
    }

    /// The user and password of a `Basic` credential, when it decodes as UTF-8
    /// `user:password` (empty parts left out); nothing for any other scheme.
    pub fn basic_parts(&self) -> Vec<String> {
        let is_basic = self
            .scheme
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("basic"));
        let decoded = is_basic
            .then(|| super::text::strict_base64(self.value.trim()))
            .flatten()
            .and_then(|b| String::from_utf8(b).ok());
        let Some((user, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
            return Vec::new();
        };
        [user, password]
            .into_iter()
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The name as messages show it; a JSON field reads `json:<key>`, so it is not taken for a
    /// header or form field of the same name.
    pub fn label(&self) -> Cow<'_, str> {
        match self.place {
            Place::JsonField => Cow::Owned(format!("json:{}", self.name)),
            _ => Cow::Borrowed(&self.name),
        }
    }
}

/// Does this header carry a credential? One definition, shared with masking.
pub use crate::secret::carries_credential as is_credential_header;

/// Query parameter names that carry credentials (docs/catalogue.md §2, `token-in-query-string`).
pub fn is_credential_param(name: &str) -> bool {
    let n: String = name
        .to_ascii_lowercase()
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .collect();
    [
        "accesstoken",
        "token",
        "apikey",
        "key",
        "privatetoken",
        "auth",
        "authtoken",
        "clientsecret",
        "subscriptionkey",
    ]
    .contains(&n.as_str())
}

/// Everything the rules read, computed once.
pub struct Case<'a> {
    pub draft: &'a Draft,
    pub vars: &'a Vars,
    pub ctx: &'a Context,
    pub observed: Option<&'a Observed>,
    pub url: Interpolated,
    pub parsed_url: Option<Url>,
    pub provider: Option<&'static Provider>,
    pub headers: Vec<Header>,
    pub query: Vec<Header>,
    pub body: Option<Interpolated>,
    pub creds: Vec<Cred>,
    pub response: Option<Resp<'a>>,
}

impl<'a> Case<'a> {
    pub fn new(
        draft: &'a Draft,
        vars: &'a Vars,
        ctx: &'a Context,
        observed: Option<&'a Observed>,
    ) -> Case<'a> {
        // An unset `${NAME}` goes out empty (as a shell or dotenv-driven program sends it); an
        // unresolved `{{NAME}}` goes out as typed, as Postman and REST Client send it.
        let sub = |text: &str| {
            interpolate_refs(text, |r| {
                vars.value(&r.name)
                    .or_else(|| (!r.mustache).then(String::new))
            })
        };
        let url = sub(&draft.url);
        let parsed_url = Url::parse(url.text.trim());
        let provider = parsed_url
            .as_ref()
            .and_then(|u| providers::by_host(&u.host));
        let mut headers: Vec<Header> = draft
            .enabled_headers()
            .map(|(row, r)| Header {
                row: RowRef::Typed(row),
                name: sub(&r.name).text,
                value: sub(&r.value),
            })
            .collect();
        let mut query: Vec<Header> = draft
            .query
            .iter()
            .enumerate()
            .filter(|(_, q)| q.enabled)
            .map(|(row, q)| Header {
                row: RowRef::Typed(row),
                name: sub(&q.name).text,
                value: sub(&q.value),
            })
            .collect();
        // What the auth helper writes, expanded as `resolve` expands it for sending.
        if let Some(out) = auth_helper::expand(&draft.auth, |_, text| sub(text)) {
            let row = Header {
                row: RowRef::AuthHelper,
                name: out.name,
                value: out.value,
            };
            match out.target {
                HelperTarget::Header => headers.push(row),
                HelperTarget::Query => query.push(row),
            }
        }
        let body = match &draft.body {
            Body::Text { text, .. } => Some(sub(text)),
            _ => None,
        };
        let response = observed
            .and_then(|o| o.response.as_ref())
            .map(|r| Resp::new(r, provider.map(|p| p.id)));
        let mut case = Case {
            draft,
            vars,
            ctx,
            observed,
            url,
            parsed_url,
            provider,
            headers,
            query,
            body,
            creds: Vec::new(),
            response,
        };
        case.creds = super::credentials::find(&case);
        case
    }

    /// A finding for `id` with the catalogue's title and severity.
    pub fn finding(
        &self,
        id: CauseId,
        anchor: Anchor,
        explanation: impl Into<String>,
        evidence: impl Into<String>,
    ) -> Finding {
        let cause = catalogue::cause(id);
        let confidence = match cause.severity {
            Severity::Warning => Confidence::Possible,
            _ => Confidence::Inferred,
        };
        Finding {
            id: cause.id,
            severity: cause.severity,
            title: cause.title.to_string(),
            evidence_kind: EvidenceKind::of(&anchor),
            anchor,
            explanation: explanation.into(),
            evidence: evidence.into(),
            confidence,
            server_words: None,
            fix: None,
        }
    }

    /// The typed header row `row` refers to; none for the auth helper's.
    pub fn header_row(&self, row: RowRef) -> Option<&'a crate::draft::Row> {
        row.typed().and_then(|i| self.draft.headers.get(i))
    }

    pub fn host(&self) -> &str {
        self.parsed_url.as_ref().map_or("", |u| u.host.as_str())
    }

    /// The enabled header rows with this name (case-insensitive).
    pub fn headers_named<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s Header> + 's {
        self.headers
            .iter()
            .filter(move |h| h.name.trim().eq_ignore_ascii_case(name))
    }

    /// At least one credential with a value went out (an empty `Bearer ` is none).
    pub fn sent_credential(&self) -> bool {
        self.creds.iter().any(|c| !c.value.trim().is_empty())
    }

    pub fn authorization(&self) -> Option<&Cred> {
        self.creds
            .iter()
            .find(|c| matches!(c.place, Place::Authorization(_)))
    }

    /// Variables the request references, with the first place each is used.
    pub fn referenced_vars(&self) -> Vec<(String, Anchor)> {
        let mut out: Vec<(String, Anchor)> = Vec::new();
        let mut add = |name: &str, anchor: Anchor| {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.to_string(), anchor));
            }
        };
        for h in &self.headers {
            for r in &h.value.refs {
                add(&r.name, Anchor::header_value(h.row, r.typed.clone()));
            }
        }
        for r in &self.url.refs {
            add(&r.name, Anchor::url(r.typed.clone()));
        }
        for q in &self.query {
            for r in &q.value.refs {
                add(&r.name, Anchor::query(q.row));
            }
        }
        if let Some(b) = &self.body {
            for r in &b.refs {
                add(&r.name, Anchor::body());
            }
        }
        out
    }

    /// The finding, decided by the server's words: `said` is quoted (masked) as its evidence.
    pub fn said_by(&self, mut f: Finding, said: &super::messages::Signal) -> Finding {
        if let Some(r) = &self.response {
            f.server_words = Some(r.quote(said));
            f.evidence_kind = EvidenceKind::ServerWords;
            f.confidence = Confidence::ServerSaid;
        }
        f
    }

    pub fn with_fix(&self, mut f: Finding, fix: Option<Fix>) -> Finding {
        f.fix = fix;
        f
    }
}

/// Maps a byte range of substituted text back to the typed text: a range that touches a
/// `${VAR}`'s value widens to the whole reference.
pub fn typed_range(interp: &Interpolated, range: Range<usize>) -> Range<usize> {
    let map = |pos: usize, is_end: bool| {
        let mut delta: isize = 0;
        for r in &interp.refs {
            let Some(v) = &r.value else { continue };
            if pos < v.start || (pos == v.start && is_end && v.start != v.end) {
                break;
            }
            if pos < v.end || (pos == v.end && is_end) || v.start == v.end && pos == v.start {
                return if is_end { r.typed.end } else { r.typed.start };
            }
            delta = r.typed.end as isize - v.end as isize;
        }
        (pos as isize + delta).max(0) as usize
    };
    let start = map(range.start, false);
    let end = map(range.end, true).max(start);
    start..end
}

/// The variable whose value covers `range` of the substituted text, if exactly one does.
pub fn var_covering(interp: &Interpolated, range: &Range<usize>) -> Option<String> {
    interp
        .refs
        .iter()
        .find(|r| {
            r.value.as_ref().is_some_and(|v| {
                v.start <= range.start && range.end <= v.end && v.start < v.end
                    || (v.start == v.end && v.start == range.start && range.is_empty())
            })
        })
        .map(|r| r.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::AuthHelper;
    use crate::vars::{DotenvReport, interpolate, resolve};

    /// The header (or query parameter) the helper adds, as the rules read it and as `resolve`
    /// sends it: one expansion, so they must agree to the byte and the reference span.
    #[test]
    fn the_rules_and_the_sender_expand_the_auth_helper_alike() {
        let process = [("T", "EXAMPLE-token-000"), ("U", "EXAMPLE-user")]
            .map(|(k, v)| (k.to_string(), v.to_string()));
        let vars = Vars::build(&[], process, DotenvReport::default());
        let ctx = Context::default();
        let helpers = [
            AuthHelper::Bearer {
                token: "${T}".into(),
            },
            AuthHelper::Bearer {
                token: "pre-${T}-post".into(),
            },
            AuthHelper::Basic {
                user: "${U}".into(),
                password: "FAKE-${T}".into(),
            },
            AuthHelper::ApiKeyHeader {
                name: "X-API-Key".into(),
                key: "${T}".into(),
            },
            AuthHelper::ApiKeyQuery {
                name: "api_key".into(),
                key: "${T}".into(),
            },
        ];
        for auth in helpers {
            let mut d = Draft::new("GET", "https://svc.example.org/x").header("Accept", "a");
            d.auth = auth.clone();
            let case = Case::new(&d, &vars, &ctx, None);
            let sent = resolve(&d, &vars);
            let (judged, sent) = if matches!(auth, AuthHelper::ApiKeyQuery { .. }) {
                let q = sent.query.last().unwrap();
                (case.query.last().unwrap(), (&q.name.text, &q.value))
            } else {
                let h = sent.headers.last().unwrap();
                (case.headers.last().unwrap(), (&h.name.text, &h.value))
            };
            assert_eq!(judged.row, RowRef::AuthHelper, "{auth:?}");
            assert_eq!((&judged.name, &judged.value), sent, "{auth:?}");
        }
    }

    #[test]
    fn typed_ranges_widen_to_references() {
        let lookup = |n: &str| {
            Some(if n == "T" {
                "abcdef".to_string()
            } else {
                String::new()
            })
        };
        let i = interpolate("Bearer ${T} x", lookup);
        assert_eq!(i.text, "Bearer abcdef x");
        assert_eq!(typed_range(&i, 7..13), 7..11);
        assert_eq!(typed_range(&i, 14..15), 12..13);
        assert_eq!(typed_range(&i, 0..6), 0..6);
        assert_eq!(var_covering(&i, &(7..13)).as_deref(), Some("T"));
        let e = interpolate("Bearer ${E}", lookup);
        assert_eq!(typed_range(&e, 7..7), 7..11);
        assert_eq!(var_covering(&e, &(7..7)).as_deref(), Some("E"));
    }

    #[test]
    fn credential_header_names() {
        assert!(is_credential_header("X-API-Key"));
        assert!(is_credential_header("PRIVATE-TOKEN"));
        assert!(is_credential_header("Cookie"));
        assert!(!is_credential_header("Idempotency-Key"));
        assert!(!is_credential_header("anthropic-version"));
        assert!(is_credential_param("api_key") && is_credential_param("apiKey"));
        assert!(!is_credential_param("api-version"));
    }
}
