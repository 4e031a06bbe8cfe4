//! Reading an anchor back from the JSON shape `Anchor`'s `Serialize` writes, so a diagnosis
//! saved to disk (the TUI's history) comes back pointing where it pointed.

use super::anchor::Anchor;
use crate::draft::{AuthField, PartField, Place, RowRef, Side};
use serde::de::Error;
use serde::{Deserialize, Deserializer};

/// The fields any anchor kind may carry; which ones are read depends on `kind`.
#[derive(Deserialize)]
struct Shape {
    kind: String,
    row: Option<RowRef>,
    index: Option<usize>,
    field: Option<AuthField>,
    start: Option<usize>,
    end: Option<usize>,
    name: Option<String>,
    path: Option<String>,
    line: Option<usize>,
}

impl<'de> Deserialize<'de> for Anchor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Anchor, D::Error> {
        let s = Shape::deserialize(d)?;
        let missing = |what: &str| D::Error::custom(format!("anchor {}: no {what}", s.kind));
        let named = || s.name.clone().ok_or_else(|| missing("name"));
        let anchor = match s.kind.as_str() {
            "variable" => Anchor::Variable { name: named()? },
            "dotenv_line" => Anchor::DotenvLine {
                path: s.path.clone().ok_or_else(|| missing("path"))?,
                line: s.line.ok_or_else(|| missing("line"))?,
            },
            "request" => Anchor::Request,
            "redirect_hop" => Anchor::RedirectHop {
                index: s.index.ok_or_else(|| missing("index"))?,
            },
            "response_status" => Anchor::ResponseStatus,
            "response_header" => Anchor::ResponseHeader { name: named()? },
            "response_body" => Anchor::ResponseBody,
            kind => {
                let place = place(kind, &s).ok_or_else(|| missing("place"))?;
                let bytes = s.start.zip(s.end).map(|(a, b)| a..b);
                Anchor::Draft { place, bytes }
            }
        };
        Ok(anchor)
    }
}

/// A draft place from its JSON `kind` (the inverse of `anchor::kind`) and its row or index.
fn place(kind: &str, s: &Shape) -> Option<Place> {
    let (row, index) = (s.row, s.index);
    Some(match kind {
        "method" => Place::Method,
        "url" => Place::Url,
        "url_param_name" => Place::UrlParam(index?, Side::Name),
        "url_param_value" => Place::UrlParam(index?, Side::Value),
        "header_name" => Place::Header(row?, Side::Name),
        "header_value" => Place::Header(row?, Side::Value),
        "query_name" => Place::Query(row?, Side::Name),
        "query" => Place::Query(row?, Side::Value),
        "body" => Place::Body,
        "body_content_type" => Place::BodyContentType,
        "part_name" => Place::Part(index?, PartField::Name),
        "part_value" => Place::Part(index?, PartField::Value),
        "part_filename" => Place::Part(index?, PartField::Filename),
        "part_content_type" => Place::Part(index?, PartField::ContentType),
        "auth" => Place::Auth(s.field?),
        "var_name" => Place::Var(index?, Side::Name),
        "var_value" => Place::Var(index?, Side::Value),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_anchor_reads_back_as_it_was_written() {
        let places = [
            Place::Method,
            Place::Url,
            Place::UrlParam(2, Side::Name),
            Place::UrlParam(0, Side::Value),
            Place::Header(RowRef::Typed(1), Side::Name),
            Place::Header(RowRef::AuthHelper, Side::Value),
            Place::Query(RowRef::Typed(3), Side::Name),
            Place::Query(RowRef::AuthHelper, Side::Value),
            Place::Body,
            Place::BodyContentType,
            Place::Part(1, PartField::Name),
            Place::Part(1, PartField::Value),
            Place::Part(0, PartField::Filename),
            Place::Part(0, PartField::ContentType),
            Place::Auth(AuthField::Password),
            Place::Var(4, Side::Name),
            Place::Var(4, Side::Value),
        ];
        let mut anchors: Vec<Anchor> = places.iter().map(|p| Anchor::whole(*p)).collect();
        anchors.extend(places.iter().map(|p| Anchor::Draft {
            place: *p,
            bytes: Some(3..9),
        }));
        anchors.extend([
            Anchor::Variable {
                name: "API_KEY".into(),
            },
            Anchor::DotenvLine {
                path: ".env".into(),
                line: 3,
            },
            Anchor::Request,
            Anchor::RedirectHop { index: 1 },
            Anchor::ResponseStatus,
            Anchor::ResponseHeader {
                name: "WWW-Authenticate".into(),
            },
            Anchor::ResponseBody,
        ]);
        for a in anchors {
            let json = serde_json::to_string(&a).unwrap();
            let back: Anchor = serde_json::from_str(&json).unwrap();
            assert_eq!(back, a, "{json}");
        }
        assert!(serde_json::from_str::<Anchor>(r#"{"kind":"header_value"}"#).is_err());
    }
}
