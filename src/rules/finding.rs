//! What the engine reports: a `Finding` with its severity, the exact place it points at, and
//! an optional `Fix` that edits the draft.
//!
//! Everything here is plain data with a stable JSON shape, because the TUI underlines anchors,
//! the CLI prints them, and the scorer reads `{"id","severity",…}`.

pub use super::anchor::Anchor;
use super::cause_id::CauseId;
pub use crate::draft::RowRef;
use crate::draft::{Draft, Place, Row, Side};
use serde::{Deserialize, Serialize};

/// Catalogue severities, most serious first (the derived order sorts errors to the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The request will fail, or has failed, because of this.
    Error,
    /// Likely or conditional failure, a security exposure, or a spec-legal form many servers reject.
    Warning,
    /// Explanatory: the request itself is not at fault.
    Info,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// One edit of the draft. Rows refer to the draft the finding was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Edit {
    SetHeader {
        row: RowRef,
        name: String,
        value: String,
    },
    AddHeader {
        name: String,
        value: String,
    },
    RemoveHeader {
        row: RowRef,
    },
    SetUrl {
        url: String,
    },
    RemoveQuery {
        row: RowRef,
    },
}

/// A one-key repair: a label for the user and the edits that perform it.
///
/// Edits work on the typed draft, so a fix keeps `${VAR}` references and never writes a
/// resolved secret into the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub label: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(label: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix {
            label: label.into(),
            edits,
        }
    }

    /// True when an edit targets what the auth helper writes, which no table edit reaches.
    pub fn touches_helper(&self) -> bool {
        self.edits.iter().any(|e| match e {
            Edit::SetHeader { row, .. }
            | Edit::RemoveHeader { row }
            | Edit::RemoveQuery { row } => *row == RowRef::AuthHelper,
            _ => false,
        })
    }

    /// Applies the edits; removals run last and from the bottom so row numbers stay valid.
    pub fn apply(&self, draft: &mut Draft) {
        let mut removals = Vec::new();
        for edit in &self.edits {
            match edit {
                Edit::SetHeader { row, name, value } => {
                    if let Some(r) = row.typed().and_then(|i| draft.headers.get_mut(i)) {
                        r.name = name.clone();
                        r.value = value.clone();
                    }
                }
                Edit::AddHeader { name, value } => draft.headers.push(Row::new(name, value)),
                Edit::SetUrl { url } => draft.url = url.clone(),
                Edit::RemoveHeader { row } => removals.extend(row.typed().map(|i| (true, i))),
                Edit::RemoveQuery { row } => removals.extend(row.typed().map(|i| (false, i))),
            }
        }
        removals.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (header, row) in removals {
            let rows = if header {
                &mut draft.headers
            } else {
                &mut draft.query
            };
            if row < rows.len() {
                rows.remove(row);
            }
        }
    }
}

/// How sure a finding is, by what decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// The server's own words (a row of the message table) name this cause or its fact.
    ServerSaid,
    /// Read from the request, its variables, the context or the response shape.
    Inferred,
    /// A condition that may explain the failure but was not seen to (warnings, the residual).
    Possible,
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Confidence::ServerSaid => "server said",
            Confidence::Inferred => "inferred",
            Confidence::Possible => "possible",
        })
    }
}

/// Of which kind the evidence is: what a reader should look at to check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// Bytes of the request: the credential value, the URL, the body.
    Bytes,
    /// A header of the request (its name or its presence).
    Header,
    /// The server's words: the response body or challenge, quoted in `server_words`.
    ServerWords,
    /// The response's status or headers.
    Response,
    /// The redirect chain.
    Redirect,
    /// A fact of the context: a variable, the `.env`, the loader, the client, the clock.
    Context,
}

impl EvidenceKind {
    /// What an anchor points at says what kind of evidence a rule saw.
    pub fn of(anchor: &Anchor) -> EvidenceKind {
        match anchor {
            Anchor::Draft {
                place: Place::Header(_, Side::Name),
                ..
            } => EvidenceKind::Header,
            Anchor::Draft { .. } | Anchor::Request => EvidenceKind::Bytes,
            Anchor::Variable { .. } | Anchor::DotenvLine { .. } => EvidenceKind::Context,
            Anchor::RedirectHop { .. } => EvidenceKind::Redirect,
            Anchor::ResponseStatus | Anchor::ResponseHeader { .. } => EvidenceKind::Response,
            Anchor::ResponseBody => EvidenceKind::ServerWords,
        }
    }
}

/// One cause found: what, how serious, where, why, what was seen (masked), and a repair.
/// Read back too (`Deserialize`): the TUI's history keeps a diagnosis as it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The cause, from `docs/catalogue.md`; serialised as its stable kebab-case name.
    pub id: CauseId,
    pub severity: Severity,
    pub title: String,
    pub anchor: Anchor,
    pub explanation: String,
    /// What the rule saw, with secrets masked (length, prefix, the odd character and its index).
    pub evidence: String,
    /// What kind of thing `evidence` is.
    pub evidence_kind: EvidenceKind,
    pub confidence: Confidence,
    /// The server's words that decided, quoted with keys masked, when they did.
    pub server_words: Option<String>,
    pub fix: Option<Fix>,
}

impl Finding {
    /// "header 2 \"Authorization\", byte 7": where it points, for people.
    pub fn describe_anchor(&self, draft: &Draft) -> String {
        self.anchor.describe(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fix_applies_sets_then_removals_from_the_bottom() {
        let mut d = Draft::new("GET", "http://h/")
            .header("A", "1")
            .header("B", "2")
            .header("C", "3");
        let fix = Fix::new(
            "x",
            vec![
                Edit::RemoveHeader {
                    row: RowRef::Typed(0),
                },
                Edit::SetHeader {
                    row: RowRef::Typed(2),
                    name: "C".into(),
                    value: "three".into(),
                },
                Edit::RemoveHeader {
                    row: RowRef::Typed(1),
                },
            ],
        );
        fix.apply(&mut d);
        assert_eq!(d.headers.len(), 1);
        assert_eq!(d.headers[0].value, "three");
    }

    #[test]
    fn anchors_describe_rows_one_based() {
        let d = Draft::new("GET", "http://h/")
            .header("Accept", "x")
            .header("Authorization", "Bearer x");
        let a = Anchor::header_value(RowRef::Typed(1), 7..8);
        assert_eq!(a.describe(&d), "header 2 \"Authorization\", byte 7");
    }

    #[test]
    fn typed_rows_serialize_as_their_index_and_sort_before_the_helper() {
        let a = Anchor::header_value(RowRef::Typed(3), 0..1);
        let v = serde_json::to_value(&a).unwrap();
        assert_eq!(v["row"], 3);
        let e = serde_json::to_value(Edit::RemoveQuery {
            row: RowRef::AuthHelper,
        })
        .unwrap();
        assert_eq!(e["row"], "auth_helper");
        assert!(RowRef::Typed(usize::MAX - 1) < RowRef::AuthHelper);
        let d = Draft::new("GET", "http://h/").header("A", "x");
        let helper = Anchor::header_value(RowRef::AuthHelper, 0..1);
        assert_eq!(helper.describe(&d), "the auth helper");
        assert_eq!(
            Anchor::query(RowRef::AuthHelper).describe(&d),
            "the auth helper's query parameter"
        );
    }

    #[test]
    fn edits_of_the_helper_touch_no_table_row() {
        let mut d = Draft::new("GET", "http://h/").header("A", "x");
        let before = d.clone();
        let fix = Fix::new(
            "x",
            vec![
                Edit::SetHeader {
                    row: RowRef::AuthHelper,
                    name: "B".into(),
                    value: "y".into(),
                },
                Edit::RemoveHeader {
                    row: RowRef::AuthHelper,
                },
            ],
        );
        assert!(fix.touches_helper());
        fix.apply(&mut d);
        assert_eq!(d, before);
    }

    #[test]
    fn serializes_with_lowercase_severity() {
        let f = Finding {
            id: CauseId::EnvVarMissing,
            severity: Severity::Error,
            title: "t".into(),
            anchor: Anchor::Request,
            explanation: "e".into(),
            evidence: String::new(),
            evidence_kind: EvidenceKind::Bytes,
            confidence: Confidence::ServerSaid,
            server_words: Some("Bad credentials".into()),
            fix: None,
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["severity"], "error");
        assert_eq!(v["anchor"]["kind"], "request");
        assert!(v["fix"].is_null());
        assert_eq!(v["confidence"], "server-said");
        assert_eq!(v["evidence_kind"], "bytes");
        assert_eq!(v["server_words"], "Bad credentials");
    }
}
