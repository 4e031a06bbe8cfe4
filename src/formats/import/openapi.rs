//! An OpenAPI 3.x / Swagger 2.0 document's operations as requests, grouped by their first tag.
//! Each one gets its auth slot filled with a `${VAR}` reference named after the scheme in
//! upper snake case (`APIKeyHeader` → `X-API-Key: ${API_KEY_HEADER}`, `bearerAuth` →
//! `Authorization: Bearer ${BEARER_AUTH}`; Basic as the helper with `${NAME_USER}` and
//! `${NAME_PASSWORD}`), path parameters filled with their example or default (else a
//! `{{name}}` reference), required query and header parameters as rows, and a JSON body
//! skeleton from the request body's schema.

use super::skeleton::skeleton;
use super::{Format, ImportError, Imported, ImportedRequest, upper_snake};
use crate::draft::{AuthHelper, Body, Draft, Row};
use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn read(doc: &Value) -> Result<Imported, ImportError> {
    let paths = doc
        .get("paths")
        .and_then(Value::as_object)
        .ok_or_else(|| ImportError::new("is an OpenAPI document without `paths`"))?;
    let base = base_url(doc);
    let mut requests = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let shared = item.get("parameters");
            requests.push(operation(doc, &base, path, method, op, shared));
        }
    }
    Ok(Imported {
        format: Format::OpenApi,
        requests,
        vars: Vec::new(),
        notes: Vec::new(),
    })
}

/// The first server's URL when absolute; else `{{baseUrl}}` (followed by a relative server
/// path), which the user sets once: a document served without `servers` (FastAPI's) is
/// about whichever host served it.
fn base_url(doc: &Value) -> String {
    if let Some(url) = doc.pointer("/servers/0/url").and_then(Value::as_str) {
        let url = url.trim_end_matches('/');
        return match url.contains("://") {
            true => url.to_string(),
            false => format!("{{{{baseUrl}}}}{url}"),
        };
    }
    if let Some(host) = doc.get("host").and_then(Value::as_str) {
        let scheme = doc
            .pointer("/schemes/0")
            .and_then(Value::as_str)
            .unwrap_or("https");
        let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
        return format!("{scheme}://{host}{}", base.trim_end_matches('/'));
    }
    let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
    format!("{{{{baseUrl}}}}{}", base.trim_end_matches('/'))
}

fn operation(
    doc: &Value,
    base: &str,
    path: &str,
    method: &str,
    op: &Value,
    shared: Option<&Value>,
) -> ImportedRequest {
    let mut url_path = path.to_string();
    let mut d = Draft::new(&method.to_uppercase(), "");
    let params = shared
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .chain(
            op.get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .map(|p| resolve(doc, p));
    for p in params {
        let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
        let required = p.get("required").and_then(Value::as_bool) == Some(true);
        let value = sample(p).unwrap_or_else(|| format!("{{{{{name}}}}}"));
        match p.get("in").and_then(Value::as_str) {
            Some("path") => url_path = url_path.replace(&format!("{{{name}}}"), &value),
            Some("query") if required => d.query.push(Row::new(name, value)),
            Some("header") if required => d.headers.push(Row::new(name, value)),
            Some("body") => d.body = json_body(doc, p.get("schema")),
            _ => {}
        }
    }
    d.url = format!("{base}{url_path}");
    if let Some(content) =
        resolve(doc, op.get("requestBody").unwrap_or(&Value::Null)).get("content")
    {
        d.body = request_body(doc, content);
    }
    let security = op.get("security").or_else(|| doc.get("security"));
    auth(doc, security, &mut d);
    let name = format!("{} {path}", d.method);
    let group = op
        .pointer("/tags/0")
        .and_then(Value::as_str)
        .map(|t| vec![t.to_string()])
        .unwrap_or_default();
    ImportedRequest {
        group,
        name,
        draft: d,
        recorded: None,
    }
}

/// A `$ref`'d parameter or request body, looked up in the document.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| doc.pointer(p))
        .unwrap_or(v)
}

/// A parameter's example or default (3.x puts them on its schema, 2.0 on itself).
fn sample(p: &Value) -> Option<String> {
    let schema = p.get("schema").unwrap_or(p);
    [
        p.get("example"),
        schema.get("example"),
        schema.get("default"),
        p.get("default"),
    ]
    .into_iter()
    .flatten()
    .next()
    .or_else(|| schema.get("enum").and_then(|e| e.get(0)))
    .map(|v| super::postman_env::text_of(Some(v)))
}

/// The request body's JSON skeleton; a form or multipart body gets its fields as text.
fn request_body(doc: &Value, content: &Value) -> Body {
    let Some(map) = content.as_object() else {
        return Body::None;
    };
    let json = map.keys().find(|k| k.contains("json"));
    let (media, entry) = match json.or_else(|| map.keys().next()) {
        Some(k) => (k.as_str(), &map[k]),
        None => return Body::None,
    };
    let schema = entry.get("schema");
    if media.contains("json") {
        let body = entry.get("example").cloned();
        return match body {
            Some(example) => text(media, &example),
            None => json_body(doc, schema),
        };
    }
    if media == "multipart/form-data" || media == "application/x-www-form-urlencoded" {
        let fields = schema.map(|s| skeleton(doc, s)).unwrap_or(Value::Null);
        let pairs: Vec<String> = fields
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={}", super::postman_env::text_of(Some(v))))
            .collect();
        return Body::Text {
            content_type: Some("application/x-www-form-urlencoded".into()),
            text: pairs.join("&"),
        };
    }
    Body::None
}

fn json_body(doc: &Value, schema: Option<&Value>) -> Body {
    let value = schema.map(|s| skeleton(doc, s)).unwrap_or(Value::Null);
    text("application/json", &value)
}

fn text(content_type: &str, value: &Value) -> Body {
    Body::Text {
        content_type: Some(content_type.to_string()),
        text: serde_json::to_string_pretty(value).unwrap_or_default(),
    }
}

/// The first alternative of the security requirement, each of its schemes in its slot.
fn auth(doc: &Value, security: Option<&Value>, d: &mut Draft) {
    let Some(alternative) = security
        .and_then(Value::as_array)
        .and_then(|alts| {
            alts.iter()
                .find(|a| a.as_object().is_some_and(|o| !o.is_empty()))
        })
        .and_then(Value::as_object)
    else {
        return;
    };
    for name in alternative.keys() {
        let Some(scheme) = doc
            .pointer(&format!("/components/securitySchemes/{name}"))
            .or_else(|| doc.pointer(&format!("/securityDefinitions/{name}")))
        else {
            continue;
        };
        let var = upper_snake(name);
        let reference = format!("${{{var}}}");
        let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        let http = scheme.get("scheme").and_then(Value::as_str).unwrap_or("");
        match (kind, http.to_ascii_lowercase().as_str()) {
            ("apiKey", _) => {
                let key = scheme
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("X-API-Key");
                match scheme.get("in").and_then(Value::as_str) {
                    Some("query") => d.query.push(Row::new(key, reference)),
                    Some("cookie") => d
                        .headers
                        .push(Row::new("Cookie", format!("{key}={reference}"))),
                    _ => d.headers.push(Row::new(key, reference)),
                }
            }
            ("http", "basic") | ("basic", _) => {
                d.auth = AuthHelper::Basic {
                    user: format!("${{{var}_USER}}"),
                    password: format!("${{{var}_PASSWORD}}"),
                }
            }
            ("http", _) | ("oauth2", _) | ("openIdConnect", _) => d
                .headers
                .push(Row::new("Authorization", format!("Bearer {reference}"))),
            _ => {}
        }
    }
}
