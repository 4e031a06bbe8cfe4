//! Security schemes and requirements as the rules need them: where a credential goes (a
//! header by name, a query parameter, a cookie, `Authorization` with a scheme word) and what
//! an OAuth token must carry (scopes).

use std::fmt;

/// Where an `apiKey` scheme's key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// One OAuth 2 flow, with what a user needs to get a token from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// `clientCredentials`, `authorizationCode`, `password`, `implicit` (2.0 names mapped).
    pub kind: String,
    pub token_url: Option<String>,
    pub authorization_url: Option<String>,
    pub scopes: Vec<String>,
}

/// A security scheme, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    ApiKey {
        location: KeyIn,
        name: String,
    },
    /// `http` with its scheme word lower-cased (`basic`, `bearer`, `digest`, …); Swagger 2.0's
    /// `basic` type is `Http { scheme: "basic" }`.
    Http {
        scheme: String,
        bearer_format: Option<String>,
    },
    OAuth2 {
        flows: Vec<Flow>,
    },
    OpenIdConnect {
        url: Option<String>,
    },
    MutualTls,
    /// A type this reader does not know, or a scheme too incomplete to check (an `apiKey`
    /// without `name`): named in the evidence, never judged.
    Unchecked {
        why: String,
    },
}

impl Scheme {
    /// The slot in a user's words: "the `X-API-Key` header", "`Authorization: Bearer`".
    pub fn slot(&self) -> String {
        match self {
            Scheme::ApiKey {
                location: KeyIn::Header,
                name,
            } => format!("the `{name}` header"),
            Scheme::ApiKey {
                location: KeyIn::Query,
                name,
            } => format!("the `{name}` query parameter"),
            Scheme::ApiKey {
                location: KeyIn::Cookie,
                name,
            } => format!("the `{name}` cookie"),
            Scheme::Http {
                scheme,
                bearer_format: Some(format),
            } if scheme == "bearer" => format!("`Authorization: Bearer` with a {format}"),
            Scheme::Http { scheme, .. } => format!("`Authorization: {}`", scheme_word(scheme)),
            Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. } => {
                "`Authorization: Bearer` with an OAuth access token".into()
            }
            Scheme::MutualTls => "a client certificate for mutual TLS".into(),
            Scheme::Unchecked { why } => format!("a scheme authlens cannot check ({why})"),
        }
    }

    /// The `Authorization` scheme word this scheme expects, when it expects one.
    pub fn authorization_word(&self) -> Option<String> {
        match self {
            Scheme::Http { scheme, .. } => Some(scheme_word(scheme)),
            Scheme::OAuth2 { .. } | Scheme::OpenIdConnect { .. } => Some("Bearer".into()),
            _ => None,
        }
    }

    /// Where an OAuth scheme's tokens come from: the first flow that names a token URL.
    pub fn token_url(&self) -> Option<&str> {
        match self {
            Scheme::OAuth2 { flows } => flows.iter().find_map(|f| f.token_url.as_deref()),
            _ => None,
        }
    }
}

/// `bearer` → `Bearer`, as the registry spells the words people type.
fn scheme_word(scheme: &str) -> String {
    match scheme {
        "basic" => "Basic".into(),
        "bearer" => "Bearer".into(),
        "digest" => "Digest".into(),
        other => {
            let mut c = other.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        }
    }
}

/// One scheme of a requirement: its name, the scopes asked, and the scheme itself (`None`
/// when the name is defined nowhere in the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'s> {
    pub name: &'s str,
    pub scopes: &'s [String],
    pub scheme: Option<&'s Scheme>,
    /// JSON pointer to the scheme's definition.
    pub pointer: String,
}

/// One security requirement object: all its parts together (AND). No parts: anonymous.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative<'s> {
    pub parts: Vec<Part<'s>>,
}

impl fmt::Display for Alternative<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.parts.is_empty() {
            return f.write_str("no credential (anonymous)");
        }
        let shown: Vec<String> = self
            .parts
            .iter()
            .map(|p| match p.scheme {
                Some(s) => format!("{} ({})", s.slot(), p.name),
                None => format!("`{}` (not defined in the document)", p.name),
            })
            .collect();
        f.write_str(&shown.join(" and "))
    }
}

/// Where an operation's requirements came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    /// The operation's own `security`.
    Operation,
    /// The document's root `security`, which the operation inherits.
    Root,
    /// Neither says anything: the operation needs no credential.
    Nowhere,
}

/// An operation's effective security: any one alternative (OR) will do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security<'s> {
    pub declared: Declared,
    /// JSON pointer to the `security` list that decided (empty when `Nowhere`).
    pub pointer: String,
    pub alternatives: Vec<Alternative<'s>>,
}

impl Security<'_> {
    /// True when the operation can be called with no credential at all: no requirement, an
    /// empty list (`security: []`), or an empty object among the alternatives (`{}`).
    pub fn anonymous_allowed(&self) -> bool {
        self.alternatives.is_empty() || self.alternatives.iter().any(|a| a.parts.is_empty())
    }

    /// "the `X-API-Key` header (APIKeyHeader), or `Authorization: Bearer` (HTTPBearer)".
    pub fn describe(&self) -> String {
        let alts: Vec<String> = self.alternatives.iter().map(|a| a.to_string()).collect();
        if alts.is_empty() {
            return "no credential".into();
        }
        alts.join(", or ")
    }
}
