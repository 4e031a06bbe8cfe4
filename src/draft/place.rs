//! A place in a draft: which field of the request as typed. One answer to that question for
//! everyone who asks it — the resolver (where an unset variable is used), the rules (where a
//! finding points), the TUI (which field a keystroke edits, which text a finding underlines),
//! and `send` (which input an error names).

use super::{Draft, Row, url_params};
use serde::{Deserialize, Serialize};

/// A field of the draft, the unit that is typed in, resolved and pointed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    Method,
    /// The URL as typed, its own query included.
    Url,
    /// A parameter typed inside the URL, by its index among `draft::url_params`; it is
    /// edited where it sits.
    UrlParam(usize, Side),
    Header(RowRef, Side),
    /// A row of the query table (logical pairs the client encodes).
    Query(RowRef, Side),
    /// A text body.
    Body,
    /// The text body's content type (empty: none, the typed header decides).
    BodyContentType,
    /// A field of a multipart part, by the part's index.
    Part(usize, PartField),
    Auth(AuthField),
    /// A variable set on the request, by its index in the draft's list.
    Var(usize, Side),
    /// A field of the request's settings (timeout, TLS, proxy…).
    Setting(super::SettingField),
}

/// The name or the value of a name/value pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Name,
    Value,
}

/// A field of a multipart part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PartField {
    Name,
    /// A text part's text, or a file part's path.
    Value,
    /// A file part's file name as sent (empty: the path's last component).
    Filename,
    /// A file part's content type (empty: guessed from the extension, as curl does).
    ContentType,
}

impl Place {
    /// "header 2 \"Authorization\"", "the name of query parameter 1 \"key\"": where this is,
    /// for people — 1-based, as people count rows. What the auth helper writes is named as
    /// the helper's, since no row of a table holds it.
    pub fn describe(&self, draft: &Draft) -> String {
        match *self {
            Place::Method => "the method".into(),
            Place::Url => "the URL".into(),
            Place::UrlParam(i, side) => {
                let name = url_params(&draft.url)
                    .get(i)
                    .map(|p| draft.url[p.name.clone()].to_string());
                side.of(labelled("URL parameter", i, name.as_deref()))
            }
            Place::Header(RowRef::AuthHelper, _) | Place::Auth(_) => "the auth helper".into(),
            Place::Query(RowRef::AuthHelper, _) => "the auth helper's query parameter".into(),
            Place::Header(RowRef::Typed(i), side) => {
                side.of(row_label("header", i, &draft.headers))
            }
            Place::Query(RowRef::Typed(i), side) => {
                side.of(row_label("query parameter", i, &draft.query))
            }
            Place::Body => "the body".into(),
            Place::BodyContentType => "the body's content type".into(),
            Place::Part(i, PartField::Name | PartField::Value) => {
                format!("multipart part {}", i + 1)
            }
            Place::Part(i, PartField::Filename) => {
                format!("the file name of multipart part {}", i + 1)
            }
            Place::Part(i, PartField::ContentType) => {
                format!("the content type of multipart part {}", i + 1)
            }
            Place::Var(i, side) => {
                let name = draft.vars.get(i).map(|(n, _)| n.as_str());
                side.of(labelled("variable", i, name))
            }
            Place::Setting(f) => format!("Settings › {}", f.label()),
        }
    }
}

impl Side {
    /// "the name of header 2" for a name; the row itself stands for its value.
    fn of(self, label: String) -> String {
        match self {
            Side::Name => format!("the name of {label}"),
            Side::Value => label,
        }
    }
}

fn row_label(what: &str, i: usize, rows: &[Row]) -> String {
    labelled(what, i, rows.get(i).map(|r| r.name.as_str()))
}

/// "header 2 \"Authorization\"", or "header 2" for a row that is not there.
fn labelled(what: &str, i: usize, name: Option<&str>) -> String {
    match name {
        Some(name) => format!("{what} {} {name:?}", i + 1),
        None => format!("{what} {}", i + 1),
    }
}

/// A row of the draft's header or query table that a finding or an edit refers to — or the
/// header or query parameter the auth helper writes, which has no row of its own.
///
/// Typed rows sort first, in table order, then the helper's. In JSON a typed row is its
/// 0-based index; the helper's is the string `"auth_helper"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RowRef {
    /// A 0-based index into the draft's table.
    Typed(usize),
    /// What the auth helper writes; no table edit reaches it.
    AuthHelper,
}

impl RowRef {
    /// The table index, for a typed row.
    pub fn typed(self) -> Option<usize> {
        match self {
            RowRef::Typed(i) => Some(i),
            RowRef::AuthHelper => None,
        }
    }
}

impl Serialize for RowRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RowRef::Typed(i) => serializer.serialize_u64(*i as u64),
            RowRef::AuthHelper => serializer.serialize_str("auth_helper"),
        }
    }
}

/// The shape `Serialize` writes: an index, or `"auth_helper"`.
impl<'de> Deserialize<'de> for RowRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RowRef, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Typed(usize),
            Named(String),
        }
        match Shape::deserialize(d)? {
            Shape::Typed(i) => Ok(RowRef::Typed(i)),
            Shape::Named(s) if s == "auth_helper" => Ok(RowRef::AuthHelper),
            Shape::Named(s) => Err(serde::de::Error::custom(format!("not a row: {s:?}"))),
        }
    }
}

/// A field of the auth helper (`AuthHelper`); each kind of helper has some of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthField {
    Token,
    /// The header or query parameter name of an API-key helper.
    Name,
    Key,
    User,
    Password,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_described_as_people_count_rows() {
        let mut d = Draft::new("GET", "http://h/?api_key=x").header("Authorization", "B");
        d.query.push(Row::new("k", "v"));
        d.vars.push(("KEY".into(), "v".into()));
        let said = |p: Place| p.describe(&d);
        let header = |side| Place::Header(RowRef::Typed(0), side);
        assert_eq!(said(header(Side::Value)), "header 1 \"Authorization\"");
        assert_eq!(
            said(header(Side::Name)),
            "the name of header 1 \"Authorization\""
        );
        assert_eq!(
            said(Place::Header(RowRef::Typed(4), Side::Value)),
            "header 5"
        );
        assert_eq!(
            said(Place::Query(RowRef::Typed(0), Side::Name)),
            "the name of query parameter 1 \"k\""
        );
        assert_eq!(
            said(Place::UrlParam(0, Side::Value)),
            "URL parameter 1 \"api_key\""
        );
        assert_eq!(said(Place::Var(0, Side::Value)), "variable 1 \"KEY\"");
        assert_eq!(said(Place::Part(1, PartField::Value)), "multipart part 2");
        // What the helper writes is the helper's, whichever field or line.
        assert_eq!(said(Place::Auth(AuthField::Token)), "the auth helper");
        assert_eq!(
            said(Place::Header(RowRef::AuthHelper, Side::Value)),
            "the auth helper"
        );
        assert_eq!(
            said(Place::Query(RowRef::AuthHelper, Side::Value)),
            "the auth helper's query parameter"
        );
    }
}
