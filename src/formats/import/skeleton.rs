//! A JSON body skeleton from an OpenAPI schema: an `example`, `default` or first `enum` value
//! where the schema gives one, else a placeholder of its type; `$ref`s followed into the
//! document, at most [`MAX_DEPTH`] deep and never into a schema already being built (a tree
//! that refers to itself ends in `null`).

use serde_json::{Map, Value, json};

/// How deep nested objects are built before the skeleton stops with `null`.
pub const MAX_DEPTH: usize = 8;

/// The skeleton of `schema`, `$ref`s looked up in `doc`.
pub fn skeleton(doc: &Value, schema: &Value) -> Value {
    build(doc, schema, &mut Vec::new())
}

fn build(doc: &Value, schema: &Value, seen: &mut Vec<String>) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if seen.iter().any(|s| s == r) || seen.len() >= MAX_DEPTH {
            return Value::Null;
        }
        let Some(target) = r.strip_prefix('#').and_then(|p| doc.pointer(p)) else {
            return Value::Null;
        };
        seen.push(r.to_string());
        let out = build(doc, target, seen);
        seen.pop();
        return out;
    }
    for key in ["example", "default"] {
        if let Some(v) = schema.get(key) {
            return v.clone();
        }
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(first) = ["allOf", "oneOf", "anyOf"]
        .iter()
        .find_map(|k| schema.get(*k).and_then(Value::as_array))
    {
        return combine(doc, first, seen);
    }
    if seen.len() >= MAX_DEPTH {
        return Value::Null;
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => object(doc, schema, seen),
        None if schema.get("properties").is_some() => object(doc, schema, seen),
        Some("array") => {
            seen.push(String::new());
            let item = schema.get("items").map(|i| build(doc, i, seen));
            seen.pop();
            Value::Array(item.into_iter().collect())
        }
        Some("string") => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2024-01-01T00:00:00Z"),
            Some("date") => json!("2024-01-01"),
            Some("email") => json!("user@example.com"),
            Some("uuid") => json!("00000000-0000-0000-0000-000000000000"),
            _ => json!("string"),
        },
        Some("integer") => json!(0),
        Some("number") => json!(0.0),
        Some("boolean") => json!(false),
        _ => Value::Null,
    }
}

/// `allOf` merges its objects; `oneOf` / `anyOf` take the first alternative.
fn combine(doc: &Value, list: &[Value], seen: &mut Vec<String>) -> Value {
    let parts: Vec<Value> = list.iter().map(|s| build(doc, s, seen)).collect();
    if parts.iter().all(Value::is_object) && !parts.is_empty() {
        let mut merged = Map::new();
        for p in parts {
            if let Value::Object(m) = p {
                merged.extend(m);
            }
        }
        return Value::Object(merged);
    }
    parts.into_iter().next().unwrap_or(Value::Null)
}

fn object(doc: &Value, schema: &Value, seen: &mut Vec<String>) -> Value {
    let mut out = Map::new();
    seen.push(String::new());
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            out.insert(name.clone(), build(doc, prop, seen));
        }
    }
    seen.pop();
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_followed_and_cycles_end() {
        let doc = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {
                "name": {"type": "string", "example": "EXAMPLE"},
                "kind": {"enum": ["leaf", "branch"]},
                "child": {"$ref": "#/components/schemas/Node"}
            }}
        }}});
        let got = skeleton(&doc, &json!({"$ref": "#/components/schemas/Node"}));
        assert_eq!(
            got,
            json!({"child": null, "kind": "leaf", "name": "EXAMPLE"})
        );
    }
}
