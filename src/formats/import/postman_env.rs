//! A Postman environment file: its `values`, each marked secret when Postman says so
//! (`type: secret`) or when its name or value looks like a credential, so the writer keeps
//! secrets out of the files it writes.

use super::ImportError;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostmanEnv {
    pub name: String,
    pub values: Vec<EnvValue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvValue {
    pub name: String,
    pub value: String,
    pub secret: bool,
}

/// Reads an environment file's text; disabled values are left out, as Postman ignores them.
pub fn read_env(text: &str) -> Result<PostmanEnv, ImportError> {
    let v: Value = serde_json::from_str(text).map_err(|e| ImportError::json(&e))?;
    let values = v
        .get("values")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::new("is not a Postman environment: it has no `values` list"))?;
    let name = v
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("imported")
        .to_string();
    let values = values
        .iter()
        .filter(|e| e.get("enabled").and_then(Value::as_bool) != Some(false))
        .filter_map(|e| {
            let name = e.get("key")?.as_str()?.to_string();
            let value = text_of(e.get("value"));
            let secret = e.get("type").and_then(Value::as_str) == Some("secret")
                || crate::secret::is_credential_name(&name)
                || !crate::secret::shaped_words(&value).is_empty();
            Some(EnvValue {
                name,
                value,
                secret,
            })
        })
        .collect();
    Ok(PostmanEnv { name, values })
}

/// A JSON value as the text Postman substitutes: strings as they are, others as JSON.
pub(super) fn text_of(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}
