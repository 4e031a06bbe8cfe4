//! Where a finding points: a place in the draft — with the bytes of its typed text when the
//! finding is about some of them — or something outside the draft: a variable wherever it is
//! used, a `.env` line, a redirect hop, a part of the response.
//!
//! The draft side is a `draft::Place`, the same coordinates the resolver and the editor use,
//! so the TUI underlines a finding by comparing places. The JSON shape and the order findings
//! are listed in predate that and are kept as they were: `{"kind": "header_value", "row",
//! "start", "end"}` and the like, headers' values before their names, then the URL, the query,
//! the body.

use crate::draft::{Draft, PartField, Place, RowRef, Side};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use std::cmp::Ordering;
use std::ops::Range;

/// Where a finding points, precise enough for the TUI to underline it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// A field of the draft. `bytes` are inside its *typed* text (a `${VAR}` reference is
    /// covered whole when the problem is in its value); `None` is the field as a whole.
    Draft {
        place: Place,
        bytes: Option<Range<usize>>,
    },
    /// A variable, wherever it is used — by name, since it may come from the process or a
    /// `.env` file rather than from a row of the draft.
    Variable {
        name: String,
    },
    /// A line of a `.env` file.
    DotenvLine {
        path: String,
        line: usize,
    },
    /// The request as a whole (something that is absent has no better place).
    Request,
    /// A hop of the redirect chain (0 = the first redirect response).
    RedirectHop {
        index: usize,
    },
    ResponseStatus,
    ResponseHeader {
        name: String,
    },
    ResponseBody,
}

impl Anchor {
    /// Bytes inside the value of a header row.
    pub fn header_value(row: RowRef, range: Range<usize>) -> Anchor {
        Anchor::Draft {
            place: Place::Header(row, Side::Value),
            bytes: Some(range),
        }
    }

    /// The name of a header row.
    pub fn header_name(row: RowRef) -> Anchor {
        Anchor::whole(Place::Header(row, Side::Name))
    }

    /// Bytes inside the URL as typed.
    pub fn url(range: Range<usize>) -> Anchor {
        Anchor::Draft {
            place: Place::Url,
            bytes: Some(range),
        }
    }

    /// A row of the query table.
    pub fn query(row: RowRef) -> Anchor {
        Anchor::whole(Place::Query(row, Side::Value))
    }

    pub fn body() -> Anchor {
        Anchor::whole(Place::Body)
    }

    /// A field of the draft as a whole.
    pub fn whole(place: Place) -> Anchor {
        Anchor::Draft { place, bytes: None }
    }

    /// "header 2 \"Authorization\", byte 7" — 1-based rows, as people count them.
    pub fn describe(&self, draft: &Draft) -> String {
        match self {
            Anchor::Draft { place, bytes } => {
                let at = place.describe(draft);
                match (place, bytes) {
                    // What the helper writes has no bytes the user typed as such.
                    (Place::Header(RowRef::AuthHelper, _), _) | (_, None) => at,
                    (Place::Url, Some(b)) => format!("{at}, bytes {}..{}", b.start, b.end),
                    (_, Some(b)) if b.len() > 1 => format!("{at}, bytes {}..{}", b.start, b.end),
                    (_, Some(b)) => format!("{at}, byte {}", b.start),
                }
            }
            Anchor::Variable { name } => format!("variable {name}"),
            Anchor::DotenvLine { path, line } => format!("{path}:{line}"),
            Anchor::Request => "the request".into(),
            Anchor::RedirectHop { index } => format!("redirect hop {}", index + 1),
            Anchor::ResponseStatus => "the response status".into(),
            Anchor::ResponseHeader { name } => format!("response header {name:?}"),
            Anchor::ResponseBody => "the response body".into(),
        }
    }

    /// Findings of one severity are listed by this, then within it by place and bytes: a
    /// header's value, a header's name, the URL, the query, the body and the rest of the
    /// draft, then what lies outside it.
    fn rank(&self) -> u8 {
        match self {
            Anchor::Draft { place, .. } => match place {
                Place::Header(_, Side::Value) => 0,
                Place::Header(_, Side::Name) => 1,
                Place::Url => 2,
                Place::Query(..) => 3,
                _ => 4,
            },
            Anchor::Variable { .. } => 5,
            Anchor::DotenvLine { .. } => 6,
            Anchor::Request => 7,
            Anchor::RedirectHop { .. } => 8,
            Anchor::ResponseStatus => 9,
            Anchor::ResponseHeader { .. } => 10,
            Anchor::ResponseBody => 11,
        }
    }
}

impl Ord for Anchor {
    fn cmp(&self, other: &Self) -> Ordering {
        let bytes = |b: &Option<Range<usize>>| b.as_ref().map(|b| (b.start, b.end));
        self.rank()
            .cmp(&other.rank())
            .then_with(|| match (self, other) {
                (
                    Anchor::Draft { place, bytes: b },
                    Anchor::Draft {
                        place: other,
                        bytes: c,
                    },
                ) => place.cmp(other).then_with(|| bytes(b).cmp(&bytes(c))),
                (Anchor::Variable { name: a }, Anchor::Variable { name: b })
                | (Anchor::ResponseHeader { name: a }, Anchor::ResponseHeader { name: b }) => {
                    a.cmp(b)
                }
                (Anchor::DotenvLine { path, line }, Anchor::DotenvLine { path: p, line: l }) => {
                    (path, line).cmp(&(p, l))
                }
                (Anchor::RedirectHop { index: a }, Anchor::RedirectHop { index: b }) => a.cmp(b),
                // Same rank, no fields: the same anchor.
                _ => Ordering::Equal,
            })
    }
}

impl PartialOrd for Anchor {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `{"kind": …}` and the anchor's fields. A draft place's kind names the field (`header_value`,
/// `header_name`, `url`, `query` for a query row's value, `body`, …), followed by the row
/// (`row`, as `RowRef` writes it) or index (`index`) it is in, the helper's field (`field`),
/// and `start`/`end` when it has bytes.
impl Serialize for Anchor {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        match self {
            Anchor::Draft { place, bytes } => {
                m.serialize_entry("kind", kind(place))?;
                match place {
                    Place::Header(row, _) | Place::Query(row, _) => {
                        m.serialize_entry("row", row)?
                    }
                    Place::UrlParam(i, _) | Place::Part(i, _) | Place::Var(i, _) => {
                        m.serialize_entry("index", i)?
                    }
                    Place::Auth(field) => m.serialize_entry("field", field)?,
                    Place::Setting(field) => m.serialize_entry("field", field)?,
                    Place::Method | Place::Url | Place::Body | Place::BodyContentType => {}
                }
                if let Some(b) = bytes {
                    m.serialize_entry("start", &b.start)?;
                    m.serialize_entry("end", &b.end)?;
                }
            }
            Anchor::Variable { name } => {
                m.serialize_entry("kind", "variable")?;
                m.serialize_entry("name", name)?;
            }
            Anchor::DotenvLine { path, line } => {
                m.serialize_entry("kind", "dotenv_line")?;
                m.serialize_entry("path", path)?;
                m.serialize_entry("line", line)?;
            }
            Anchor::Request => m.serialize_entry("kind", "request")?,
            Anchor::RedirectHop { index } => {
                m.serialize_entry("kind", "redirect_hop")?;
                m.serialize_entry("index", index)?;
            }
            Anchor::ResponseStatus => m.serialize_entry("kind", "response_status")?,
            Anchor::ResponseHeader { name } => {
                m.serialize_entry("kind", "response_header")?;
                m.serialize_entry("name", name)?;
            }
            Anchor::ResponseBody => m.serialize_entry("kind", "response_body")?,
        }
        m.end()
    }
}

/// The JSON `kind` of a draft place; a query row's value is `query`, as it always was.
fn kind(place: &Place) -> &'static str {
    let side = |s: &Side, name: &'static str, value: &'static str| match s {
        Side::Name => name,
        Side::Value => value,
    };
    match place {
        Place::Method => "method",
        Place::Url => "url",
        Place::UrlParam(_, s) => side(s, "url_param_name", "url_param_value"),
        Place::Header(_, s) => side(s, "header_name", "header_value"),
        Place::Query(_, s) => side(s, "query_name", "query"),
        Place::Body => "body",
        Place::BodyContentType => "body_content_type",
        Place::Part(_, PartField::Name) => "part_name",
        Place::Part(_, PartField::Value) => "part_value",
        Place::Part(_, PartField::Filename) => "part_filename",
        Place::Part(_, PartField::ContentType) => "part_content_type",
        Place::Auth(_) => "auth",
        Place::Var(_, s) => side(s, "var_name", "var_value"),
        Place::Setting(_) => "setting",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The shapes `diagnose --format json` has always printed, one per kind a rule uses.
    #[test]
    fn anchors_serialize_in_the_shape_they_always_had() {
        let cases = [
            (
                Anchor::header_value(RowRef::Typed(1), 7..9),
                json!({"kind": "header_value", "row": 1, "start": 7, "end": 9}),
            ),
            (
                Anchor::header_value(RowRef::AuthHelper, 0..0),
                json!({"kind": "header_value", "row": "auth_helper", "start": 0, "end": 0}),
            ),
            (
                Anchor::header_name(RowRef::Typed(0)),
                json!({"kind": "header_name", "row": 0}),
            ),
            (
                Anchor::url(3..5),
                json!({"kind": "url", "start": 3, "end": 5}),
            ),
            (
                Anchor::query(RowRef::Typed(2)),
                json!({"kind": "query", "row": 2}),
            ),
            (Anchor::body(), json!({"kind": "body"})),
            (
                Anchor::Variable { name: "K".into() },
                json!({"kind": "variable", "name": "K"}),
            ),
            (
                Anchor::DotenvLine {
                    path: ".env".into(),
                    line: 3,
                },
                json!({"kind": "dotenv_line", "path": ".env", "line": 3}),
            ),
            (Anchor::Request, json!({"kind": "request"})),
            (
                Anchor::RedirectHop { index: 1 },
                json!({"kind": "redirect_hop", "index": 1}),
            ),
            (Anchor::ResponseStatus, json!({"kind": "response_status"})),
            (
                Anchor::ResponseHeader {
                    name: "www-authenticate".into(),
                },
                json!({"kind": "response_header", "name": "www-authenticate"}),
            ),
            (Anchor::ResponseBody, json!({"kind": "response_body"})),
        ];
        for (anchor, want) in cases {
            // Compared as text, so the order of the keys is pinned too.
            let got = serde_json::to_string(&anchor).unwrap();
            assert_eq!(got, want.to_string(), "{anchor:?}");
        }
    }

    #[test]
    fn findings_are_ordered_values_names_url_query_body_then_the_rest() {
        let mut anchors = vec![
            Anchor::ResponseBody,
            Anchor::Request,
            Anchor::body(),
            Anchor::query(RowRef::Typed(0)),
            Anchor::url(0..4),
            Anchor::header_name(RowRef::Typed(0)),
            Anchor::header_value(RowRef::AuthHelper, 0..1),
            Anchor::header_value(RowRef::Typed(1), 0..1),
            Anchor::header_value(RowRef::Typed(0), 2..3),
            Anchor::header_value(RowRef::Typed(0), 0..9),
            Anchor::Variable { name: "K".into() },
        ];
        anchors.sort();
        let want = [
            Anchor::header_value(RowRef::Typed(0), 0..9),
            Anchor::header_value(RowRef::Typed(0), 2..3),
            Anchor::header_value(RowRef::Typed(1), 0..1),
            Anchor::header_value(RowRef::AuthHelper, 0..1),
            Anchor::header_name(RowRef::Typed(0)),
            Anchor::url(0..4),
            Anchor::query(RowRef::Typed(0)),
            Anchor::body(),
            Anchor::Variable { name: "K".into() },
            Anchor::Request,
            Anchor::ResponseBody,
        ];
        assert_eq!(anchors, want);
    }

    #[test]
    fn draft_anchors_describe_their_place_and_bytes() {
        let d = Draft::new("GET", "http://h/").header("Authorization", "Bearer x");
        assert_eq!(
            Anchor::header_value(RowRef::Typed(0), 7..12).describe(&d),
            "header 1 \"Authorization\", bytes 7..12"
        );
        assert_eq!(
            Anchor::header_name(RowRef::Typed(0)).describe(&d),
            "the name of header 1 \"Authorization\""
        );
        assert_eq!(Anchor::url(7..8).describe(&d), "the URL, bytes 7..8");
        assert_eq!(Anchor::body().describe(&d), "the body");
    }
}
