//! The API's own OpenAPI (3.0, 3.1) or Swagger (2.0) document, read for one thing: which
//! credential each operation accepts. The rules use it as evidence ("this operation wants
//! the `X-API-Key` header; you sent `Authorization: Bearer`"); it never fills the request list.
//!
//! Reading (`load`) keeps only servers, paths, methods, security requirements and schemes;
//! matching (`find`) takes a method and URL to the operation and its effective security.

mod find;
mod index;
mod load;
mod raw;
pub mod scheme;

pub use find::{Found, Lookup};
pub use load::{SpecError, parse};
pub use scheme::{Alternative, Declared, Flow, KeyIn, Part, Scheme, Security};

use std::collections::BTreeMap;
use std::path::Path;

/// The paths, as tried in order, where APIs usually publish their document: FastAPI,
/// Swagger 2.0 servers, Spring springdoc, and FastAPI under a docs prefix.
pub const DISCOVERY_PATHS: [&str; 5] = [
    "/openapi.json",
    "/openapi.yaml",
    "/swagger.json",
    "/v3/api-docs",
    "/docs/openapi.json",
];

/// The largest document read, from a file or a URL: far above real ones (the biggest public
/// specs are a few tens of MB), far below what would exhaust memory.
pub const MAX_BYTES: u64 = 128 * 1024 * 1024;

/// A loaded document: what it says about servers, operations and their security.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file or URL as the user gave it; every finding's evidence names it.
    pub source: String,
    /// `3.1.0`, `3.0.3`, `2.0`.
    pub version: String,
    pub title: Option<String>,
    servers: Vec<Server>,
    schemes: BTreeMap<String, Scheme>,
    /// `/components/securitySchemes` (3.x) or `/securityDefinitions` (2.0).
    schemes_at: &'static str,
    root_security: Option<Vec<Requirement>>,
    operations: Vec<Operation>,
    /// The operations' templates as a tree, for matching without a scan.
    index: index::Node,
    /// Every distinct server path prefix, document-wide and per operation.
    prefixes: Vec<Vec<String>>,
    fingerprint: u64,
}

/// Two loads of the same text from the same place are the same spec; comparing the
/// fingerprint keeps `rules::Context` cheap to compare.
impl PartialEq for Spec {
    fn eq(&self, other: &Spec) -> bool {
        self.fingerprint == other.fingerprint && self.source == other.source
    }
}
impl Eq for Spec {}

/// A server: the host it names (`None`: relative, or a host template) and its path prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Server {
    url: String,
    host: Option<String>,
    prefix: Vec<String>,
}

/// One security requirement object, as written: scheme name → scopes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement(Vec<(String, Vec<String>)>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{id}`, or `{id}.json` with the text around the template kept.
    Template {
        prefix: String,
        suffix: String,
    },
}

/// One operation: a method on a path template.
#[derive(Debug, Clone)]
pub struct Operation {
    pub method: &'static str,
    /// The path template as written (`/items/{item_id}`).
    pub path: String,
    segments: Vec<Segment>,
    security: Option<Vec<Requirement>>,
    /// The path item's or operation's own `servers`, which replace the document's.
    servers: Option<Vec<Server>>,
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    /// The parameters the operation documents, as (`in`, name): `header` names lower-cased.
    params: Vec<(String, String)>,
}

impl Operation {
    /// True when a documented parameter carries a credential by its name (`x-api-key`,
    /// `Authorization`, `api_key`, `token`): the operation reads one even if `security` is
    /// silent.
    pub fn documents_credential_param(&self) -> bool {
        self.params.iter().any(|(l, n)| match l.as_str() {
            "header" => crate::secret::is_credential_header(n),
            "query" | "formData" | "cookie" => crate::secret::is_credential_name(n),
            _ => false,
        })
    }

    /// True when the operation documents a parameter of this name in this place (`query`,
    /// `header`, `cookie`, `formData`; a form body field also matches a 3.x body it cannot
    /// see, so only 2.0's `formData` counts for forms).
    pub fn documents_param(&self, location: &str, name: &str) -> bool {
        self.params.iter().any(|(l, n)| {
            l == location
                && if location == "header" {
                    n.eq_ignore_ascii_case(name)
                } else {
                    n == name
                }
        })
    }

    /// JSON pointer to the operation: `/paths/~1items~1{item_id}/get`.
    pub fn pointer(&self) -> String {
        format!(
            "/paths/{}/{}",
            escape_pointer(&self.path),
            self.method.to_ascii_lowercase()
        )
    }

    /// "POST /api/v1/items (create_item)".
    pub fn label(&self) -> String {
        match &self.operation_id {
            Some(id) => format!("{} {} ({id})", self.method, self.path),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

impl Spec {
    /// Reads a document from a file (JSON or YAML, told apart by its first character).
    pub fn from_file(path: &Path) -> Result<Spec, SpecError> {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| SpecError::new(&name, e.to_string()))?;
        if meta.len() > MAX_BYTES {
            return Err(SpecError::new(
                &name,
                format!(
                    "{} bytes is larger than the {MAX_BYTES} bytes read",
                    meta.len()
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| SpecError::new(&name, e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            SpecError::new(
                &name,
                format!("byte {}: not UTF-8 text", e.utf8_error().valid_up_to()),
            )
        })?;
        parse(&text, &name, None)
    }

    /// How many operations the document defines.
    pub fn operation_count(&self) -> usize {
        self.operations.len()
    }

    /// The schemes the document defines, by name.
    pub fn schemes(&self) -> impl Iterator<Item = (&str, &Scheme)> {
        self.schemes.iter().map(|(n, s)| (n.as_str(), s))
    }

    /// The operation's effective security: its own `security` if it has one (an empty list
    /// means none), else the root's, else none.
    pub fn security<'s>(&'s self, op: &'s Operation) -> Security<'s> {
        let (declared, pointer, list) = match (&op.security, &self.root_security) {
            (Some(list), _) => (
                Declared::Operation,
                format!("{}/security", op.pointer()),
                list,
            ),
            (None, Some(list)) => (Declared::Root, "/security".to_string(), list),
            (None, None) => {
                return Security {
                    declared: Declared::Nowhere,
                    pointer: String::new(),
                    alternatives: Vec::new(),
                };
            }
        };
        let alternatives = list
            .iter()
            .map(|Requirement(parts)| Alternative {
                parts: parts
                    .iter()
                    .map(|(name, scopes)| Part {
                        name,
                        scopes,
                        scheme: self.schemes.get(name),
                        pointer: format!("{}/{}", self.schemes_at, escape_pointer(name)),
                    })
                    .collect(),
            })
            .collect();
        Security {
            declared,
            pointer,
            alternatives,
        }
    }
}

/// RFC 6901: `~` → `~0`, `/` → `~1`.
fn escape_pointer(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
