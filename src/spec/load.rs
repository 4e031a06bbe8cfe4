//! From a document's text to a [`Spec`]: JSON or YAML, OpenAPI 3.x or Swagger 2.0, each
//! scheme resolved and each operation's path split for matching. Errors name the input and,
//! for a syntax error, the line and column.

use super::raw::{RawDoc, RawFlow, RawParameter, RawRequirement, RawScheme, RawServer};
use super::scheme::{Flow, KeyIn, Scheme};
use super::{Operation, Requirement, Segment, Server, Spec};
use std::collections::BTreeMap;

/// A document that could not be read as an OpenAPI or Swagger document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct SpecError {
    /// The file or URL as the user gave it.
    pub source_name: String,
    /// What went wrong, with the line and column when the syntax is at fault.
    pub message: String,
}

impl SpecError {
    pub fn new(source_name: &str, message: impl Into<String>) -> SpecError {
        SpecError {
            source_name: source_name.to_string(),
            message: message.into(),
        }
    }
}

/// Reads a document. `source_name` names it in errors and evidence; `base` is the URL it
/// was fetched from, against which relative server URLs resolve.
pub fn parse(text: &str, source_name: &str, base: Option<&str>) -> Result<Spec, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw = read_raw(text, source_name)?;
    let version = match (&raw.openapi, &raw.swagger) {
        (Some(v), _) if v.0.starts_with("3.") => v.0.clone(),
        (Some(v), _) => {
            return Err(SpecError::new(
                source_name,
                format!(
                    "OpenAPI version {:?} is not supported (3.0 and 3.1 are, and Swagger 2.0)",
                    v.0
                ),
            ));
        }
        (None, Some(v)) if v.0.starts_with('2') => v.0.clone(),
        (None, Some(v)) => {
            return Err(SpecError::new(
                source_name,
                format!("Swagger version {:?} is not supported (2.0 is)", v.0),
            ));
        }
        (None, None) => {
            return Err(SpecError::new(
                source_name,
                "not an OpenAPI document: it has no `openapi` or `swagger` field at the top",
            ));
        }
    };
    let swagger2 = version.starts_with('2');
    let servers = if swagger2 {
        swagger_servers(&raw, base)
    } else {
        servers(raw.servers.as_deref(), base)
    };
    let defined = if swagger2 {
        raw.security_definitions.as_ref()
    } else {
        raw.components
            .as_ref()
            .and_then(|c| c.security_schemes.as_ref())
    };
    let schemes_at = if swagger2 {
        "/securityDefinitions"
    } else {
        "/components/securitySchemes"
    };
    let schemes = defined
        .map(|d| {
            d.iter()
                .map(|(name, s)| (name.clone(), scheme(s, d)))
                .collect()
        })
        .unwrap_or_default();
    let mut operations = Vec::new();
    for (path, item) in raw.paths.iter().flatten() {
        let item_servers = item.servers.as_deref().map(|s| servers_in(s, base));
        for (method, op) in item.operations() {
            operations.push(Operation {
                method,
                path: path.clone(),
                segments: segments(path),
                security: op.security.as_deref().map(requirements),
                servers: op
                    .servers
                    .as_deref()
                    .map(|s| servers_in(s, base))
                    .or_else(|| item_servers.clone()),
                operation_id: op.operation_id.clone(),
                summary: op.summary.clone(),
                params: params(&raw, item.parameters.iter().chain(&op.parameters).flatten()),
            });
        }
    }
    let mut index = super::index::Node::default();
    for (i, op) in operations.iter().enumerate() {
        index.insert(&op.segments, i);
    }
    let mut prefixes: Vec<Vec<String>> = Vec::new();
    let op_servers = operations
        .iter()
        .filter_map(|o| o.servers.as_deref())
        .flatten();
    for s in servers.iter().chain(op_servers) {
        if !prefixes.contains(&s.prefix) {
            prefixes.push(s.prefix.clone());
        }
    }
    Ok(Spec {
        index,
        prefixes,
        // The name goes into every finding's evidence: a key in a URL's query stays masked.
        source: if source_name.contains("://") {
            crate::secret::masked_url_text(source_name)
        } else {
            source_name.to_string()
        },
        version,
        title: raw.info.and_then(|i| i.title),
        servers,
        schemes,
        schemes_at,
        root_security: raw.security.as_deref().map(requirements),
        operations,
        fingerprint: fingerprint(text),
    })
}

/// Each parameter's place and name, a `$ref` followed into the document's shared parameters.
fn params<'a>(
    raw: &'a RawDoc,
    list: impl Iterator<Item = &'a RawParameter>,
) -> Vec<(String, String)> {
    let shared = |target: &str| {
        let name = target.rsplit('/').next()?;
        raw.components
            .as_ref()
            .and_then(|c| c.parameters.as_ref())
            .or(raw.parameters.as_ref())?
            .get(name)
    };
    list.filter_map(|p| {
        let p = match &p.reference {
            Some(target) => shared(target)?,
            None => p,
        };
        Some((p.location.clone()?, p.name.clone()?))
    })
    .collect()
}

/// JSON when it starts like JSON (serde_json is faster and its errors are exact), else YAML.
fn read_raw(text: &str, source_name: &str) -> Result<RawDoc, SpecError> {
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            SpecError::new(
                source_name,
                format!(
                    "line {}, column {}: not valid JSON for an OpenAPI document: {}",
                    e.line(),
                    e.column(),
                    plain(strip_position(&e.to_string()))
                ),
            )
        });
    }
    yaml_serde::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!("line {}, column {}: ", l.line(), l.column()))
            .unwrap_or_default();
        let first = e.to_string();
        let first = first.lines().next().unwrap_or("");
        let first = first
            .rfind(" at line ")
            .map_or(first, |i| &first[..i])
            .to_string();
        SpecError::new(
            source_name,
            format!(
                "{at}not valid YAML for an OpenAPI document: {}",
                plain(&first)
            ),
        )
    })
}

/// serde's messages name this reader's own types; a user knows the document's words.
fn plain(message: &str) -> String {
    [
        ("struct RawDoc", "an OpenAPI document (a map at the top)"),
        ("struct RawPathItem", "a path item (a map of methods)"),
        ("struct RawOperation", "an operation (a map)"),
        ("struct RawScheme", "a security scheme (a map)"),
        ("struct RawServer", "a server (a map with `url`)"),
        ("struct RawFlow", "an OAuth flow (a map)"),
    ]
    .iter()
    .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

/// serde_json ends its messages with " at line L column C", which the error says first.
fn strip_position(message: &str) -> &str {
    message
        .rfind(" at line ")
        .map_or(message, |i| &message[..i])
}

fn requirements(raw: &[RawRequirement]) -> Vec<Requirement> {
    raw.iter()
        .map(|r| Requirement(r.iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
        .collect()
}

/// A scheme, following one `$ref` to another scheme of the same document.
fn scheme(s: &RawScheme, all: &BTreeMap<String, RawScheme>) -> Scheme {
    if let Some(target) = &s.reference {
        let name = target.rsplit('/').next().unwrap_or("");
        return match all.get(name) {
            Some(t) if t.reference.is_none() => scheme(t, all),
            _ => Scheme::Unchecked {
                why: format!("a $ref to {target} that does not resolve here"),
            },
        };
    }
    let kind = s.kind.as_deref().unwrap_or("");
    match kind {
        "apiKey" => {
            let location = match s.location.as_deref() {
                Some("header") => KeyIn::Header,
                Some("query") => KeyIn::Query,
                Some("cookie") => KeyIn::Cookie,
                other => {
                    return Scheme::Unchecked {
                        why: format!("apiKey with `in: {}`", other.unwrap_or("(missing)")),
                    };
                }
            };
            match &s.name {
                Some(name) if !name.is_empty() => Scheme::ApiKey {
                    location,
                    name: name.clone(),
                },
                _ => Scheme::Unchecked {
                    why: "apiKey without a `name`".into(),
                },
            }
        }
        "http" => Scheme::Http {
            scheme: s
                .scheme
                .as_deref()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase(),
            bearer_format: s.bearer_format.clone(),
        },
        "basic" => Scheme::Http {
            scheme: "basic".into(),
            bearer_format: None,
        },
        "oauth2" => Scheme::OAuth2 { flows: flows(s) },
        "openIdConnect" => Scheme::OpenIdConnect {
            url: s.open_id_connect_url.clone(),
        },
        "mutualTLS" => Scheme::MutualTls,
        other => Scheme::Unchecked {
            why: format!("type `{other}`"),
        },
    }
}

fn flows(s: &RawScheme) -> Vec<Flow> {
    let scopes = |m: &Option<BTreeMap<String, serde::de::IgnoredAny>>| -> Vec<String> {
        m.iter().flat_map(|m| m.keys().cloned()).collect()
    };
    if let Some(flows) = &s.flows {
        return flows
            .iter()
            .map(|(kind, f): (&String, &RawFlow)| Flow {
                kind: kind.clone(),
                token_url: f.token_url.clone(),
                authorization_url: f.authorization_url.clone(),
                scopes: scopes(&f.scopes),
            })
            .collect();
    }
    // Swagger 2.0: one flow, named `application`/`accessCode` where 3.x says
    // `clientCredentials`/`authorizationCode`.
    let kind = match s.flow.as_deref().unwrap_or("") {
        "application" => "clientCredentials",
        "accessCode" => "authorizationCode",
        other => other,
    };
    vec![Flow {
        kind: kind.to_string(),
        token_url: s.token_url.clone(),
        authorization_url: s.authorization_url.clone(),
        scopes: scopes(&s.scopes),
    }]
}

/// 3.x `servers`; none (or an empty list) means `/`, as the specification says.
fn servers(raw: Option<&[RawServer]>, base: Option<&str>) -> Vec<Server> {
    match raw {
        Some(list) if !list.is_empty() => servers_in(list, base),
        _ => vec![server("/", base)],
    }
}

fn servers_in(list: &[RawServer], base: Option<&str>) -> Vec<Server> {
    list.iter()
        .map(|s| {
            let mut url = s.url.clone();
            for (name, v) in s.variables.iter().flatten() {
                if let Some(d) = &v.default {
                    url = url.replace(&format!("{{{name}}}"), &d.0);
                }
            }
            server(&url, base)
        })
        .collect()
}

/// Swagger 2.0: `host` (else the document's own host) and `basePath` (else `/`).
fn swagger_servers(raw: &RawDoc, base: Option<&str>) -> Vec<Server> {
    let path = raw.base_path.as_deref().unwrap_or("/");
    let url = match &raw.host {
        Some(host) => {
            let scheme = raw
                .schemes
                .as_ref()
                .and_then(|s| s.first())
                .map_or("https", String::as_str);
            format!("{scheme}://{host}{path}")
        }
        None => path.to_string(),
    };
    vec![server(&url, base)]
}

/// A server URL as a host to prefer and a path prefix to strip. A relative URL resolves
/// against the URL the document came from; a host still holding `{…}` matches any host.
fn server(url: &str, base: Option<&str>) -> Server {
    let absolute = crate::url_text::Url::parse(url).or_else(|| {
        let base = crate::url_text::Url::parse(base?)?;
        let port = base.port.map(|p| format!(":{p}")).unwrap_or_default();
        crate::url_text::Url::parse(&format!("{}://{}{port}{url}", base.scheme, base.host))
    });
    let (host, path) = match &absolute {
        Some(u) if !u.host.contains('{') => (Some(u.host.clone()), u.path.clone()),
        Some(u) => (None, u.path.clone()),
        None => (None, url.split(['?', '#']).next().unwrap_or("").to_string()),
    };
    Server {
        url: url.to_string(),
        host,
        prefix: path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// `/files/{id}.json` → [Literal("files"), Template { prefix: "", suffix: ".json" }].
fn segments(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| match (s.find('{'), s.rfind('}')) {
            (Some(open), Some(close)) if open < close => Segment::Template {
                prefix: s[..open].to_string(),
                suffix: s[close + 1..].to_string(),
            },
            _ => Segment::Literal(s.to_string()),
        })
        .collect()
}

/// FNV-1a over the text: two loads of the same document compare equal without comparing it.
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
