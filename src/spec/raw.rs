//! The parts of an OpenAPI 3.0/3.1 or Swagger 2.0 document that say who may call what, as
//! serde reads them: everything else (schemas, examples, parameters) is skipped unread, which
//! is what keeps a 10 MB document quick to load.

use serde::Deserialize;
use serde::de::IgnoredAny;
use std::collections::BTreeMap;

/// A security requirement object: scheme name → scopes (or roles). One object is an AND of
/// its schemes; a list of them is an OR; `{}` allows anonymous calls.
pub type RawRequirement = BTreeMap<String, Vec<String>>;

#[derive(Debug, Default, Deserialize)]
pub struct RawDoc {
    pub openapi: Option<VersionText>,
    pub swagger: Option<VersionText>,
    pub info: Option<RawInfo>,
    pub servers: Option<Vec<RawServer>>,
    /// Swagger 2.0's origin: `host`, `basePath` and `schemes` instead of `servers`.
    pub host: Option<String>,
    #[serde(rename = "basePath")]
    pub base_path: Option<String>,
    pub schemes: Option<Vec<String>>,
    pub paths: Option<BTreeMap<String, RawPathItem>>,
    pub security: Option<Vec<RawRequirement>>,
    pub components: Option<RawComponents>,
    #[serde(rename = "securityDefinitions")]
    pub security_definitions: Option<BTreeMap<String, RawScheme>>,
    /// Swagger 2.0's shared parameters, which operations name by `$ref`.
    pub parameters: Option<BTreeMap<String, RawParameter>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawInfo {
    pub title: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawComponents {
    #[serde(rename = "securitySchemes")]
    pub security_schemes: Option<BTreeMap<String, RawScheme>>,
    pub parameters: Option<BTreeMap<String, RawParameter>>,
}

/// A parameter, for its name and place only: an API that documents its token as a
/// parameter (Slack's `token` form field) accepts it there, whatever `security` says.
#[derive(Debug, Default, Deserialize)]
pub struct RawParameter {
    pub name: Option<String>,
    #[serde(rename = "in")]
    pub location: Option<String>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawServer {
    pub url: String,
    pub variables: Option<BTreeMap<String, RawServerVariable>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawServerVariable {
    pub default: Option<VersionText>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawPathItem {
    pub get: Option<RawOperation>,
    pub put: Option<RawOperation>,
    pub post: Option<RawOperation>,
    pub delete: Option<RawOperation>,
    pub options: Option<RawOperation>,
    pub head: Option<RawOperation>,
    pub patch: Option<RawOperation>,
    pub trace: Option<RawOperation>,
    pub servers: Option<Vec<RawServer>>,
    pub parameters: Option<Vec<RawParameter>>,
}

impl RawPathItem {
    /// The operations in the order the specification lists the fields.
    pub fn operations(&self) -> impl Iterator<Item = (&'static str, &RawOperation)> {
        [
            ("GET", &self.get),
            ("PUT", &self.put),
            ("POST", &self.post),
            ("DELETE", &self.delete),
            ("OPTIONS", &self.options),
            ("HEAD", &self.head),
            ("PATCH", &self.patch),
            ("TRACE", &self.trace),
        ]
        .into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RawOperation {
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
    pub summary: Option<String>,
    pub security: Option<Vec<RawRequirement>>,
    pub servers: Option<Vec<RawServer>>,
    pub parameters: Option<Vec<RawParameter>>,
}

/// One security scheme, in either version's spelling.
#[derive(Debug, Default, Deserialize)]
pub struct RawScheme {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "in")]
    pub location: Option<String>,
    pub scheme: Option<String>,
    #[serde(rename = "bearerFormat")]
    pub bearer_format: Option<String>,
    pub flows: Option<BTreeMap<String, RawFlow>>,
    #[serde(rename = "openIdConnectUrl")]
    pub open_id_connect_url: Option<String>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Swagger 2.0's single flow: `flow`, `tokenUrl`, `authorizationUrl`, `scopes`.
    pub flow: Option<String>,
    #[serde(rename = "tokenUrl")]
    pub token_url: Option<String>,
    #[serde(rename = "authorizationUrl")]
    pub authorization_url: Option<String>,
    pub scopes: Option<BTreeMap<String, IgnoredAny>>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RawFlow {
    #[serde(rename = "tokenUrl")]
    pub token_url: Option<String>,
    #[serde(rename = "authorizationUrl")]
    pub authorization_url: Option<String>,
    pub scopes: Option<BTreeMap<String, IgnoredAny>>,
}

/// A version or default written as text or, unquoted in YAML, as a number (`swagger: 2.0`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionText(pub String);

impl<'de> Deserialize<'de> for VersionText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = VersionText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a version string")
            }
            fn visit_str<E>(self, v: &str) -> Result<VersionText, E> {
                Ok(VersionText(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<VersionText, E> {
                Ok(VersionText(format!("{v:?}")))
            }
            fn visit_u64<E>(self, v: u64) -> Result<VersionText, E> {
                Ok(VersionText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<VersionText, E> {
                Ok(VersionText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}
