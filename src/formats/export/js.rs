//! JavaScript for Node 20+ (an ES module: `node request.mjs`): `fetch`, `FormData` and
//! `fs.openAsBlob` are built in. A lookup is `process.env.NAME`.

use super::model::{Body, Part, PartValue, Piece, Request, Text};
use super::{NOT_VERIFIED, Proxy, proxy};
use crate::draft::Settings;

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
    out.push_str(&unsayable(&r.settings));
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
    if r.settings.max_redirects == Some(0) {
        // Node's fetch hands back the 3xx itself.
        out.push_str("  redirect: \"manual\",\n");
    }
    if let Some(ms) = r.settings.timeout_ms {
        out.push_str(&format!("  signal: AbortSignal.timeout({ms}),\n"));
    }
    out.push_str("});\nconsole.log(response.status);\nconsole.log(await response.text());\n");
    out
}

/// A comment line for each setting Node's fetch cannot take per request, saying what to do
/// instead: a setting is never dropped silently.
fn unsayable(s: &Settings) -> String {
    let mut lines = Vec::new();
    if let Some(n) = s.max_redirects.filter(|n| *n > 0) {
        lines.push(format!(
            "authlens follows at most {n} redirects; fetch takes no limit (it follows up to 20)."
        ));
    }
    if s.insecure {
        lines.push(NOT_VERIFIED.to_string());
        lines.push("fetch cannot skip the check per request: run with NODE_TLS_REJECT_UNAUTHORIZED=0, which turns it off for every connection of the process (dangerous).".into());
    } else if let Some(ca) = &s.ca_bundle {
        lines.push(format!(
            "To trust the CA bundle authlens trusted, run with NODE_EXTRA_CA_CERTS={ca}."
        ));
    }
    if let Some(c) = &s.client_cert {
        let key = s.client_key.as_deref().unwrap_or("in the same file");
        lines.push(format!("authlens showed the client certificate {c} (key: {key}); fetch cannot: pass `dispatcher: new Agent({{ connect: {{ cert, key }} }})` from the undici package."));
    }
    match proxy(s) {
        Proxy::FromEnv => {}
        Proxy::Off => lines.push(
            "authlens ignored HTTPS_PROXY and friends; Node's fetch ignores them too unless NODE_USE_ENV_PROXY is set.".into(),
        ),
        Proxy::Url(u) => lines.push(format!("authlens sent this through the proxy {u}; fetch cannot: pass `dispatcher: new ProxyAgent({})` from the undici package.", string(u))),
    }
    // A path or URL typed with a line break must not end the comment and start code.
    let one_line = |l: &String| l.replace(|c: char| c.is_control(), " ");
    lines
        .iter()
        .map(|l| format!("// {}\n", one_line(l)))
        .collect()
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
