//! curl and HTTPie commands for a POSIX shell. A lookup is `"${NAME:?}"`, so an unset variable
//! stops the command instead of sending an empty credential.

use super::model::{Body, Part, PartValue, Piece, Request, Text};
use super::{NOT_VERIFIED, Proxy, proxy, seconds};
use crate::draft::Settings;
use crate::formats::curl::quote;

/// A text as one shell word: literal pieces single-quoted, lookups double-quoted.
fn word(t: &Text) -> String {
    let w: String =
        t.0.iter()
            .map(|p| match p {
                Piece::Lit(s) => quote(s),
                Piece::Env(n) => format!("\"${{{n}:?}}\""),
            })
            .collect();
    if w.is_empty() { "''".into() } else { w }
}

/// `prefix` then the text, as one word.
fn joined(prefix: &str, t: &Text) -> String {
    let mut all = vec![Piece::Lit(prefix.to_string())];
    all.extend(t.0.iter().cloned());
    word(&Text(all))
}

/// One argument per line, continued with `\`.
fn lines(comments: String, args: Vec<String>) -> String {
    format!("{comments}{}\n", args.join(" \\\n  "))
}

/// A query pair as the URL carries it, encoded as authlens's client encodes query rows.
fn encoded(name: &str, value: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!("{}={}", enc(name), enc(value))
}

pub fn curl(r: &Request) -> String {
    let follows = r.settings.max_redirects != Some(0);
    let mut args = vec![match r.method.as_str() {
        // `-X HEAD` would wait for a body that never comes.
        "HEAD" => "curl --head".to_string(),
        // A body makes it a POST; `-X POST` would also keep POST after a 301, 302 or 303,
        // which authlens (like browsers) follows with a GET.
        "POST" if follows && !matches!(r.body, Body::None) => "curl".to_string(),
        m => format!("curl -X {}", quote(m)),
    }];
    // curl reads `[1-3]` and `{a,b}` in a URL as a range to fetch.
    if (r.url.0.iter()).any(|p| matches!(p, Piece::Lit(s) if s.contains(['[', ']', '{', '}']))) {
        args.push("--globoff".into());
    }
    args.extend(curl_url(r));
    args.extend(curl_settings(&r.settings));
    for (name, value) in &r.headers {
        // `-H 'Name:'` would remove the header; `Name;` sends it empty.
        args.push(match value.0.is_empty() {
            true => format!("-H {}", quote(&format!("{name};"))),
            false => format!("-H {}", joined(&format!("{name}: "), value)),
        });
    }
    if let Some((user, password)) = &r.basic {
        let mut both = user.clone();
        both.0.push(Piece::Lit(":".into()));
        both.0.extend(password.0.iter().cloned());
        args.push(format!("-u {}", word(&both)));
    }
    match &r.body {
        Body::None => {}
        Body::Text(text) => {
            if !has_header(r, "content-type") {
                // curl would add a form content type authlens does not send.
                args.push("-H 'Content-Type:'".into());
            }
            args.push(format!("--data-raw {}", word(text)));
        }
        Body::Multipart(parts) => args.extend(parts.iter().map(curl_part)),
    }
    lines(shell_comments(r), args)
}

/// The notes, then the loud line when the certificate is not checked.
fn shell_comments(r: &Request) -> String {
    let mut out = super::comments(r, "#");
    if r.settings.insecure {
        out.push_str(&format!("# {NOT_VERIFIED}\n"));
    }
    out
}

/// curl's flags for the settings. authlens follows redirects unless told not to, and curl
/// only with `-L`, so every command but a no-follow one has it.
fn curl_settings(s: &Settings) -> Vec<String> {
    let mut args = Vec::new();
    match s.max_redirects {
        Some(0) => {}
        Some(n) => args.push(format!("-L --max-redirs {n}")),
        None => args.push("-L".into()),
    }
    if let Some(ms) = s.timeout_ms {
        args.push(format!("--max-time {}", seconds(ms)));
    }
    if s.insecure {
        args.push("-k".into());
    }
    let files = [
        ("--cacert", &s.ca_bundle),
        ("--cert", &s.client_cert),
        ("--key", &s.client_key),
    ];
    for (flag, path) in files {
        if let Some(p) = path {
            args.push(format!("{flag} {}", quote(p)));
        }
    }
    match proxy(s) {
        Proxy::FromEnv => {}
        Proxy::Off => args.push("--noproxy '*'".into()),
        Proxy::Url(u) => args.push(format!("--proxy {}", quote(u))),
    }
    args
}

/// The URL with the query rows in it, or, when a row's value is a lookup, the URL and one
/// `--url-query` per row (curl ≥ 7.87 encodes the value; `+` passes a literal row as is).
fn curl_url(r: &Request) -> Vec<String> {
    let literal: Option<Vec<String>> = r
        .query
        .iter()
        .map(|(n, v)| v.literal().map(|v| encoded(n, &v)))
        .collect();
    match literal {
        Some(pairs) => {
            let mut url = r.url.clone();
            let mut has_query = url.literal().unwrap_or_default().contains('?');
            for p in pairs {
                let sep = if has_query { "&" } else { "?" };
                url.0.push(Piece::Lit(format!("{sep}{p}")));
                has_query = true;
            }
            vec![word(&url)]
        }
        None => std::iter::once(word(&r.url))
            .chain(r.query.iter().map(|(n, v)| match v.literal() {
                Some(v) => format!("--url-query {}", quote(&format!("+{}", encoded(n, &v)))),
                None => format!("--url-query {}", joined(&format!("{n}="), v)),
            }))
            .collect(),
    }
}

fn curl_part(p: &Part) -> String {
    match &p.value {
        PartValue::Text(text) => format!("--form-string {}", joined(&format!("{}=", p.name), text)),
        PartValue::File {
            path,
            filename,
            content_type,
        } => {
            let spec = format!(
                "{}=@{};filename={};type={content_type}",
                p.name,
                form_quoted(path),
                form_quoted(filename)
            );
            format!("-F {}", quote(&spec))
        }
    }
}

/// A path or file name inside curl's `-F` value: double-quoted when it holds what `-F` reads
/// as a separator.
fn form_quoted(s: &str) -> String {
    if s.contains([';', ',', '"', '\\']) || s.contains(char::is_whitespace) {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

fn has_header(r: &Request, name: &str) -> bool {
    r.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
}

pub fn httpie(r: &Request) -> String {
    let mut notes = shell_comments(r);
    // HTTPie reads `http [OPTIONS] [METHOD] URL [ITEM…]`: every option before the method.
    let mut args = vec!["http --ignore-stdin".to_string()];
    if proxy(&r.settings) == Proxy::Off {
        // HTTPie has no flag for it; requests, under it, skips every proxy for `*`.
        args[0].insert_str(0, "no_proxy='*' ");
    }
    if let Body::Multipart(_) = &r.body {
        args[0].push_str(" --multipart");
    }
    args.extend(httpie_settings(&r.settings));
    if let Some(n) = r.settings.max_redirects.filter(|n| *n > 0) {
        notes.push_str(&format!(
            "# HTTPie's --max-redirects counts the last response too: {} follows {n}, as authlens does.\n",
            n + 1
        ));
    }
    if let Some((user, password)) = &r.basic {
        let mut both = user.clone();
        both.0.push(Piece::Lit(":".into()));
        both.0.extend(password.0.iter().cloned());
        args.push(format!("--auth {}", word(&both)));
    }
    if let Body::Text(text) = &r.body {
        args.push(format!("--raw {}", word(text)));
    }
    args.push(format!("{} {}", quote(&r.method), word(&r.url)));
    for (name, value) in &r.query {
        args.push(joined(&format!("{}==", item_key(name)), value));
    }
    for (name, value) in &r.headers {
        args.push(match value.0.is_empty() {
            true => quote(&format!("{};", item_key(name))),
            false => joined(&format!("{}:", item_key(name)), value),
        });
    }
    if matches!(r.body, Body::Text(_)) && !has_header(r, "content-type") {
        // HTTPie would call the body JSON; `Name:` removes the header.
        args.push("'Content-Type:'".into());
    }
    if let Body::Multipart(parts) = &r.body {
        for p in parts {
            args.push(httpie_part(p, &mut notes));
        }
    }
    lines(notes, args)
}

/// HTTPie's options for the settings; like curl it follows redirects only when told to.
fn httpie_settings(s: &Settings) -> Vec<String> {
    let mut args = Vec::new();
    match s.max_redirects {
        Some(0) => {}
        Some(n) => args.push(format!("--follow --max-redirects {}", n + 1)),
        None => args.push("--follow".into()),
    }
    if let Some(ms) = s.timeout_ms {
        args.push(format!("--timeout {}", seconds(ms)));
    }
    match (&s.ca_bundle, s.insecure) {
        (_, true) => args.push("--verify=no".into()),
        (Some(ca), false) => args.push(format!("--verify={}", quote(ca))),
        (None, false) => {}
    }
    if let Some(c) = &s.client_cert {
        args.push(format!("--cert {}", quote(c)));
    }
    if let Some(k) = &s.client_key {
        args.push(format!("--cert-key {}", quote(k)));
    }
    if let Proxy::Url(u) = proxy(s) {
        args.push(format!(
            "--proxy={} --proxy={}",
            quote(&format!("http:{u}")),
            quote(&format!("https:{u}"))
        ));
    }
    args
}

fn httpie_part(p: &Part, notes: &mut String) -> String {
    let key = item_key(&p.name);
    match &p.value {
        PartValue::Text(text) => joined(&format!("{key}="), text),
        PartValue::File {
            path,
            filename,
            content_type,
        } => {
            if *filename != crate::draft::file_name(path) {
                notes.push_str(&format!(
                    "# HTTPie sends the file name {:?}; authlens sends {filename:?}.\n",
                    crate::draft::file_name(path)
                ));
            }
            quote(&format!("{key}@{path};type={content_type}"))
        }
    }
}

/// A request item's key, with the characters HTTPie reads as separators escaped.
fn item_key(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if ":=@\\;".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
