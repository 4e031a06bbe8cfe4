//! A Postman collection v2.1: folders become groups (nested), each request a draft with its
//! headers (disabled ones kept disabled), body and auth — its own, else the nearest folder's,
//! else the collection's; `noauth` stops the inheritance. `{{var}}` references stay
//! references, which `.http` files read the same way.

use super::postman_env::text_of;
use super::{Format, ImportError, Imported, ImportedRequest};
use crate::draft::{AuthHelper, Body, Draft, Part, PartValue, Row};
use serde_json::Value;

pub fn read(v: &Value, schema: &str) -> Result<Imported, ImportError> {
    if !schema.contains("v2.1") {
        let version = ["v2.0", "v1"]
            .into_iter()
            .find(|s| schema.contains(s))
            .unwrap_or("this version");
        return Err(ImportError::new(format!(
            "is a Postman collection {version}: only v2.1 is supported \
             (in Postman, export the collection as Collection v2.1)"
        )));
    }
    let mut requests = Vec::new();
    let mut notes = Vec::new();
    let auth = v.get("auth");
    walk(v.get("item"), &[], auth, &mut requests, &mut notes);
    let vars = v
        .get("variable")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|e| e.get("disabled").and_then(Value::as_bool) != Some(true))
        .filter_map(|e| Some((e.get("key")?.as_str()?.to_string(), text_of(e.get("value")))))
        .collect();
    Ok(Imported {
        format: Format::Postman,
        requests,
        vars,
        notes,
    })
}

fn walk(
    items: Option<&Value>,
    group: &[String],
    auth: Option<&Value>,
    out: &mut Vec<ImportedRequest>,
    notes: &mut Vec<String>,
) {
    for item in items.and_then(Value::as_array).into_iter().flatten() {
        let name = item
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("unnamed")
            .to_string();
        let own_auth = item.get("auth").filter(|a| !a.is_null()).or(auth);
        if let Some(children) = item.get("item") {
            let mut inner = group.to_vec();
            inner.push(name);
            walk(Some(children), &inner, own_auth, out, notes);
            continue;
        }
        let Some(req) = item.get("request") else {
            continue;
        };
        let req_auth = req.get("auth").filter(|a| !a.is_null()).or(own_auth);
        let mut left_out = Vec::new();
        let draft = draft_of(req, req_auth, &mut left_out);
        notes.extend(left_out.into_iter().map(|n| format!("{name:?}: {n}")));
        out.push(ImportedRequest {
            group: group.to_vec(),
            name,
            draft,
            recorded: None,
        });
    }
}

fn draft_of(req: &Value, auth: Option<&Value>, notes: &mut Vec<String>) -> Draft {
    // A request may be a bare URL string.
    if let Some(url) = req.as_str() {
        return Draft::new("GET", url);
    }
    let method = req.get("method").and_then(Value::as_str).unwrap_or("GET");
    let mut d = Draft::new(&method.to_uppercase(), &url_of(req.get("url")));
    for h in req
        .get("header")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(name) = h.get("key").and_then(Value::as_str) else {
            continue;
        };
        let mut row = Row::new(name, text_of(h.get("value")));
        row.enabled = h.get("disabled").and_then(Value::as_bool) != Some(true);
        d.headers.push(row);
    }
    if let Some(body) = req.get("body") {
        if body.get("mode").and_then(Value::as_str) == Some("file") {
            notes.push("body mode file (a path on the exporter's disk) left out".into());
        }
        d.body = body_of(body);
    }
    apply_auth(&mut d, auth, notes);
    d
}

/// `url` as a string, or an object: its `raw`, else put together from its parts.
fn url_of(url: Option<&Value>) -> String {
    match url {
        Some(Value::String(s)) => s.clone(),
        Some(obj @ Value::Object(_)) => {
            if let Some(raw) = obj.get("raw").and_then(Value::as_str) {
                return raw.to_string();
            }
            let join = |key: &str, sep: &str| match obj.get(key) {
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|p| text_of(Some(p.get("value").unwrap_or(p))))
                    .collect::<Vec<_>>()
                    .join(sep),
                other => text_of(other),
            };
            let protocol = obj
                .get("protocol")
                .and_then(Value::as_str)
                .unwrap_or("https");
            let mut url = format!("{protocol}://{}", join("host", "."));
            if let Some(port) = obj.get("port").and_then(Value::as_str) {
                url.push_str(&format!(":{port}"));
            }
            let path = join("path", "/");
            if !path.is_empty() {
                url.push('/');
                url.push_str(&path);
            }
            let query: Vec<String> = obj
                .get("query")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|q| q.get("disabled").and_then(Value::as_bool) != Some(true))
                .map(|q| format!("{}={}", text_of(q.get("key")), text_of(q.get("value"))))
                .collect();
            if !query.is_empty() {
                url.push('?');
                url.push_str(&query.join("&"));
            }
            url
        }
        _ => String::new(),
    }
}

/// The body by its mode; `file` (a path on the exporter's disk) has no text to carry.
fn body_of(body: &Value) -> Body {
    let mode = body.get("mode").and_then(Value::as_str).unwrap_or("");
    match mode {
        "raw" => {
            let text = text_of(body.get("raw"));
            let language = body
                .pointer("/options/raw/language")
                .and_then(Value::as_str);
            let content_type = match language {
                Some("json") => Some("application/json"),
                Some("xml") => Some("application/xml"),
                Some("html") => Some("text/html"),
                Some("javascript") => Some("application/javascript"),
                Some("text") => Some("text/plain"),
                _ => None,
            };
            Body::Text {
                content_type: content_type.map(str::to_string),
                text,
            }
        }
        "urlencoded" => {
            let pairs: Vec<String> = enabled(body.get("urlencoded"))
                .map(|p| format!("{}={}", text_of(p.get("key")), text_of(p.get("value"))))
                .collect();
            Body::Text {
                content_type: Some("application/x-www-form-urlencoded".into()),
                text: pairs.join("&"),
            }
        }
        "formdata" => Body::Multipart {
            parts: enabled(body.get("formdata")).map(part_of).collect(),
        },
        _ => Body::None,
    }
}

fn enabled(list: Option<&Value>) -> impl Iterator<Item = &Value> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("disabled").and_then(Value::as_bool) != Some(true))
}

fn part_of(p: &Value) -> Part {
    let name = text_of(p.get("key"));
    let value = if p.get("type").and_then(Value::as_str) == Some("file") {
        let path = match p.get("src") {
            Some(Value::Array(a)) => text_of(a.first()),
            other => text_of(other),
        };
        PartValue::File {
            filename: Some(crate::draft::file_name(&path)),
            content_type: p
                .get("contentType")
                .and_then(Value::as_str)
                .map(str::to_string),
            path,
        }
    } else {
        PartValue::Text {
            text: text_of(p.get("value")),
        }
    };
    Part { name, value }
}

/// The auth in force as a helper (Basic, whose `.http` spelling the file reads back as the
/// helper) or typed rows (Bearer and API keys, written as the header or parameter they send).
fn apply_auth(d: &mut Draft, auth: Option<&Value>, notes: &mut Vec<String>) {
    let Some(auth) = auth else { return };
    let kind = auth.get("type").and_then(Value::as_str).unwrap_or("noauth");
    let field = |name: &str| -> String {
        auth.get(kind)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|f| f.get("key").and_then(Value::as_str) == Some(name))
            .map(|f| text_of(f.get("value")))
            .unwrap_or_default()
    };
    match kind {
        "noauth" => {}
        "bearer" => d.headers.push(Row::new(
            "Authorization",
            format!("Bearer {}", field("token")),
        )),
        "basic" => {
            d.auth = AuthHelper::Basic {
                user: field("username"),
                password: field("password"),
            }
        }
        "apikey" => {
            let name = match field("key") {
                k if k.is_empty() => "X-API-Key".to_string(),
                k => k,
            };
            let row = Row::new(name, field("value"));
            match field("in").as_str() {
                "query" => d.query.push(row),
                _ => d.headers.push(row),
            }
        }
        // OAuth flows, AWS signatures and the like need a client to run them: left out.
        other => notes.push(format!(
            "auth type {other} left out (bearer, apikey and basic are imported)"
        )),
    }
}
