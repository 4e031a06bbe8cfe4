//! Python with requests or httpx. A lookup is `os.environ["NAME"]`, which fails loudly when the
//! variable is not set; a text body is sent as its UTF-8 bytes so nothing re-encodes it.

use super::model::{Body, Part, PartValue, Piece, Request, Text};

/// A Python string literal: double-quoted, escapes for what would end or bend it.
fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\U{:08x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A text as a Python expression: literals and lookups joined with `+`.
fn expr(t: &Text) -> String {
    t.joined(string, |n| format!("os.environ[{}]", string(n)))
}

/// Whether the URL as typed already carries a query string.
fn url_has_query(url: &Text) -> bool {
    url.0
        .iter()
        .any(|p| matches!(p, Piece::Lit(s) if s.contains('?')))
}

pub fn requests(r: &Request) -> String {
    program(r, "requests", "data")
}

pub fn httpx(r: &Request) -> String {
    program(r, "httpx", "content")
}

/// `module.request(…)` with the keyword arguments the request needs; `body_kw` is the
/// argument that takes raw bytes (`data` in requests, `content` in httpx).
fn program(r: &Request, module: &str, body_kw: &str) -> String {
    let mut out = super::comments(r, "#");
    out.push_str(&format!("import os\n\nimport {module}\n\n"));
    let mut files = Vec::new();
    if let Body::Multipart(parts) = &r.body {
        files = parts.iter().map(file_entry).collect();
    }
    let mut args = vec![string(&r.method), expr(&r.url)];
    if !r.query.is_empty() {
        // A list of pairs keeps order and repeated names.
        let pairs: Vec<String> = (r.query.iter())
            .map(|(n, v)| format!("({}, {})", string(n), expr(v)))
            .collect();
        if module == "httpx" && url_has_query(&r.url) {
            // httpx's `params=` replaces a query already in the URL; requests' appends.
            args[1] = format!(
                "{} + \"&\" + str(httpx.QueryParams([{}]))",
                expr(&r.url),
                pairs.join(", ")
            );
        } else {
            args.push(format!("params=[{}]", pairs.join(", ")));
        }
    }
    if !r.headers.is_empty() {
        let items: Vec<String> = (r.headers.iter())
            .map(|(n, v)| format!("        {}: {},\n", string(n), expr(v)))
            .collect();
        args.push(format!("headers={{\n{}    }}", items.concat()));
    }
    if let Some((user, password)) = &r.basic {
        args.push(format!("auth=({}, {})", expr(user), expr(password)));
    }
    if let Body::Text(text) = &r.body {
        args.push(format!("{body_kw}=({}).encode()", expr(text)));
    }
    if !files.is_empty() {
        args.push(format!("files=[\n{}    ]", files.concat()));
    }
    out.push_str(&format!("response = {module}.request(\n"));
    for a in args {
        out.push_str(&format!("    {a},\n"));
    }
    out.push_str(")\nprint(response.status_code)\nprint(response.text)\n");
    out
}

/// One `files=` entry: a file as (file name, open file, type); a text part with no file name,
/// which both libraries send as a plain field, in its place among the parts.
fn file_entry(p: &Part) -> String {
    let value = match &p.value {
        PartValue::Text(text) => format!("(None, {})", expr(text)),
        PartValue::File {
            path,
            filename,
            content_type,
        } => format!(
            "({}, open({}, \"rb\"), {})",
            string(filename),
            string(path),
            string(content_type)
        ),
    };
    format!("        ({}, {value}),\n", string(&p.name))
}
