//! The exchange JSON: one recorded (or predicted) request, its environment and its response.
//!
//! This is the schema of the scenario corpus (docs/ARCHITECTURE.md §4), so a scenario, a saved `send`, and a
//! converted HAR entry are all diagnosed the same way. Fields the engine does not model are
//! kept in `extra` so a round trip loses nothing.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExchangeFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The effective process environment (before `.env` is applied).
    #[serde(default, deserialize_with = "null_as_default")]
    pub env: BTreeMap<String, String>,
    /// The text of the project's `.env`, read by `context.loader`.
    #[serde(default)]
    pub dotenv: Option<String>,
    pub request: FileRequest,
    /// `None` means "not sent yet": the engine predicts from the draft alone.
    #[serde(default)]
    pub response: Option<FileResponse>,
    /// Hops before the final response, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirects: Option<Vec<FileRedirect>>,
    /// Read leniently: context the engine does not model must not stop a diagnosis, so a
    /// `context` that is not an object, or a key of the wrong type, is ignored.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::context"
    )]
    pub context: Option<Context>,
    /// Test metadata: ids a good engine must report / must not report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expected: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_not: Vec<String>,
    /// authlens extension: the captured wire of every hop, when the exchange was really sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange: Option<crate::exchange::Exchange>,
    /// authlens extension: the masks this file holds in place of secrets, with what is safe
    /// to know of each (`masked.rs`), so a diagnosis judges shapes, not mask strings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub masked: Vec<crate::masked::MaskedValue>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileRequest {
    pub method: String,
    pub url: String,
    /// `[name, value]` pairs in send order; values may hold `${NAME}` references.
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Logical (unencoded) pairs the client encodes and appends to the URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Vec<(String, String)>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileResponse {
    pub status: u16,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileRedirect {
    pub status: u16,
    pub from: String,
    pub location: String,
    /// The redirect response's `Set-Cookie` headers: a login's session cookie is set on the
    /// 302/303 before the page that needs it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_cookie: Vec<String>,
}

/// What the tool knew about the world around the request (docs/catalogue.md §4, "context").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// `dotenvy-0.15`, `dotenvy-0.15-override`, `python-dotenv-1.2.2`, `docker-env-file`, `shell-source`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub loader: Option<String>,
    /// `reqwest-0.13.4`, `curl`, `python-requests`, `browser-fetch`, `node-fetch`, …
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub client: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub cwd: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub dotenv_path: Option<String>,
    /// ISO-8601 UTC clock for JWT checks.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub now: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::string"
    )]
    pub server: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::map"
    )]
    pub server_env: Option<BTreeMap<String, String>>,
    /// Every other key (`netrc`, `intermediaries`, `expected_audience`, …), kept verbatim.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// Deserializers that take what they can from a value of an unexpected type.
mod lenient {
    use super::Context;
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;
    use std::collections::BTreeMap;

    fn text(v: Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(text(Value::deserialize(d)?))
    }

    /// `null` values count as empty strings: an unset server variable reads as "".
    pub fn map<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<BTreeMap<String, String>>, D::Error> {
        match Value::deserialize(d)? {
            Value::Object(m) => Ok(Some(
                m.into_iter()
                    .map(|(k, v)| (k, text(v).unwrap_or_default()))
                    .collect(),
            )),
            _ => Ok(None),
        }
    }

    pub fn context<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Context>, D::Error> {
        match Value::deserialize(d)? {
            v @ Value::Object(_) => Ok(serde_json::from_value(v).ok()),
            _ => Ok(None),
        }
    }
}

fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Reads an exchange written a little differently from the schema — a JSON body as an
/// object, headers as a map, numbers where strings are expected, `now` as Unix seconds —
/// by normalising it first. Used only after the strict reading failed.
pub fn from_untidy(mut v: Value) -> Result<ExchangeFile, serde_json::Error> {
    for part in ["request", "response"] {
        if let Some(obj) = v.get_mut(part).and_then(Value::as_object_mut) {
            for key in ["headers", "query"] {
                if let Some(h) = obj.get_mut(key) {
                    *h = pairs(h.take());
                }
            }
            if let Some(b) = obj
                .get_mut("body")
                .filter(|b| !b.is_string() && !b.is_null())
            {
                *b = Value::String(b.to_string());
            }
            if let Some(s) = obj.get_mut("status").filter(|s| s.is_string()) {
                *s = s
                    .as_str()
                    .and_then(|t| t.trim().parse::<u16>().ok())
                    .map_or(Value::Null, Value::from);
            }
        }
    }
    if let Some(m) = v.get_mut("env") {
        *m = string_map(m.take());
    }
    if let Some(ctx) = v.get_mut("context").and_then(Value::as_object_mut) {
        if let Some(m) = ctx.get_mut("server_env") {
            *m = string_map(m.take());
        }
        if let Some(n) = ctx.get_mut("now").filter(|n| n.is_number()) {
            *n = Value::String(crate::dates::format_iso8601(
                n.as_f64().unwrap_or(0.0) as i64
            ));
        }
    }
    serde_json::from_value(v)
}

fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// `{"name": "value"}` or `[["name", value]]` → `[["name", "value"]]`.
fn pairs(v: Value) -> Value {
    let list: Vec<(String, String)> = match v {
        Value::Object(m) => m.into_iter().map(|(k, v)| (k, text_of(v))).collect(),
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::Array(mut kv) if kv.len() == 2 => {
                    let v = kv.pop().map(text_of)?;
                    Some((kv.pop().map(text_of)?, v))
                }
                Value::Object(o) => Some((
                    text_of(o.get("name")?.clone()),
                    text_of(o.get("value")?.clone()),
                )),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    serde_json::to_value(list).unwrap_or(Value::Null)
}

fn string_map(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| (k, Value::String(text_of(v))))
                .collect(),
        ),
        _ => Value::Object(Default::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_scenario_with_nulls_and_unknown_context_keys() {
        let text = r#"{"id":"x","env":{},"dotenv":null,
            "request":{"method":"GET","url":"http://h/","headers":[["A","b"]]},
            "response":null,"redirects":null,
            "context":{"client":"curl","netrc":"machine h","intermediaries":[{"kind":"nginx"}]}}"#;
        let f: ExchangeFile = serde_json::from_str(text).unwrap();
        assert_eq!(f.request.headers, vec![("A".to_string(), "b".to_string())]);
        assert!(f.response.is_none());
        let ctx = f.context.unwrap();
        assert_eq!(ctx.client.as_deref(), Some("curl"));
        assert_eq!(ctx.extra["netrc"], "machine h");
    }

    #[test]
    fn mistyped_context_is_ignored_not_fatal() {
        let base = r#"{"request":{"method":"GET","url":"http://h/"},"context":CTX}"#;
        let f: ExchangeFile = serde_json::from_str(&base.replace("CTX", "[]")).unwrap();
        assert!(f.context.is_none());
        let f: ExchangeFile = serde_json::from_str(&base.replace(
            "CTX",
            r#"{"cwd":5,"server":0.122,"server_env":{"API_KEY":null}}"#,
        ))
        .unwrap();
        let ctx = f.context.unwrap();
        assert_eq!(ctx.cwd.as_deref(), Some("5"));
        assert_eq!(ctx.server.as_deref(), Some("0.122"));
        assert_eq!(ctx.server_env.unwrap()["API_KEY"], "");
    }

    #[test]
    fn lenient_reading_normalises_near_misses() {
        let v: Value = serde_json::from_str(
            r#"{"env":{"N":5},"request":{"method":"GET","url":"http://h/","headers":{"X-API-Key":"k"},"body":{"a":1}},
                "response":{"status":"401","headers":[{"name":"A","value":"b"}],"body":{"detail":"x"}},
                "context":{"now":1772366400}}"#,
        )
        .unwrap();
        let f = from_untidy(v).unwrap();
        assert_eq!(
            f.request.headers,
            [("X-API-Key".to_string(), "k".to_string())]
        );
        assert_eq!(f.request.body.as_deref(), Some("{\"a\":1}"));
        assert_eq!(f.response.as_ref().unwrap().status, 401);
        assert_eq!(f.env["N"], "5");
        assert_eq!(
            f.context.unwrap().now.as_deref(),
            Some("2026-03-01T12:00:00Z")
        );
    }
}
