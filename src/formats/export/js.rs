//! JavaScript for Node 20+ (an ES module: `node request.mjs`): `fetch`, `FormData` and
//! `fs.openAsBlob` are built in. A lookup is `process.env.NAME`.

use super::model::{Body, Part, PartValue, Piece, Request, Text};

/// A JavaScript string literal, escaped as JSON escapes it (valid JS since ES2019).
fn string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A text as a JavaScript expression: literals and lookups joined with `+`.
fn expr(t: &Text) -> String {
    t.joined(string, |n| match is_identifier(n) {
        true => format!("process.env.{n}"),
        false => format!("process.env[{}]", string(n)),
    })
}

fn is_identifier(n: &str) -> bool {
    n.chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn fetch(r: &Request) -> String {
    let mut out = super::comments(r, "//");
    let files = matches!(&r.body, Body::Multipart(p) if p.iter().any(|p| matches!(p.value, PartValue::File { .. })));
    if files {
        out.push_str("import { openAsBlob } from \"node:fs\";\n\n");
    }
    out.push_str(&format!("let url = {};\n", expr(&r.url)));
    if !r.query.is_empty() {
        // Appended to the URL as typed, encoded the way a form encodes (as authlens does).
        let pairs: Vec<String> = (r.query.iter())
            .map(|(n, v)| format!("  [{}, {}],\n", string(n), expr(v)))
            .collect();
        out.push_str(&format!(
            "url += (url.includes(\"?\") ? \"&\" : \"?\") + new URLSearchParams([\n{}]);\n",
            pairs.concat()
        ));
    }
    let mut headers: Vec<String> = (r.headers.iter())
        .map(|(n, v)| format!("    {}: {},\n", string(n), expr(v)))
        .collect();
    if let Some((user, password)) = &r.basic {
        headers.push(format!(
            "    Authorization: \"Basic \" + Buffer.from({} + \":\" + {}).toString(\"base64\"),\n",
            expr(user),
            expr(password)
        ));
    }
    let body = match &r.body {
        Body::None => None,
        Body::Text(text) => Some(expr(text)),
        Body::Multipart(parts) => {
            out.push_str("const form = new FormData();\n");
            for p in parts {
                out.push_str(&form_append(p));
            }
            Some("form".to_string())
        }
    };
    out.push_str(&format!(
        "const response = await fetch(url, {{\n  method: {},\n",
        string(&r.method)
    ));
    if !headers.is_empty() {
        out.push_str(&format!("  headers: {{\n{}  }},\n", headers.concat()));
    }
    if let Some(body) = body {
        out.push_str(&format!("  body: {body},\n"));
    }
    out.push_str("});\nconsole.log(response.status);\nconsole.log(await response.text());\n");
    out
}

fn form_append(p: &Part) -> String {
    match &p.value {
        PartValue::Text(text) => {
            let broken = text
                .0
                .iter()
                .any(|p| matches!(p, Piece::Lit(s) if s.contains(['\n', '\r'])));
            let note = match broken {
                // The HTML rule for form fields, which fetch follows; no option turns it off.
                true => {
                    "// FormData sends each line break of this field as CRLF; authlens sends it as typed.\n"
                }
                false => "",
            };
            format!("{note}form.append({}, {});\n", string(&p.name), expr(text))
        }
        PartValue::File {
            path,
            filename,
            content_type,
        } => format!(
            "form.append({}, await openAsBlob({}, {{ type: {} }}), {});\n",
            string(&p.name),
            string(path),
            string(content_type),
            string(filename)
        ),
    }
}
