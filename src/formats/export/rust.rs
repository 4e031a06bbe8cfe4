//! Rust with reqwest (async, on tokio). A lookup is `std::env::var("NAME")?`, so an unset
//! variable ends the program with an error instead of sending an empty credential.

use super::model::{Body, Part, PartValue, Piece, Request, Text};
use super::{NOT_VERIFIED, Proxy, proxy};
use crate::draft::Settings;

/// A Rust string literal: `{:?}` of a `str` is one.
fn string(s: &str) -> String {
    format!("{s:?}")
}

/// A text as a Rust expression of a type reqwest takes: a literal, one lookup, or both
/// joined with `concat()`.
fn expr(t: &Text) -> String {
    let piece = |p: &Piece| match p {
        Piece::Lit(s) => string(s),
        Piece::Env(n) => format!("std::env::var({})?", string(n)),
    };
    match &t.0[..] {
        [] => "\"\"".into(),
        [one] => piece(one),
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|p| match p {
                    Piece::Lit(s) => format!("{}.to_string()", string(s)),
                    env => piece(env),
                })
                .collect();
            format!("[{}].concat()", parts.join(", "))
        }
    }
}

pub fn reqwest(r: &Request) -> String {
    let mut out = super::comments(r, "//");
    out.push_str("// Cargo.toml: reqwest = { version = \"0.13\", features = [\"multipart\"] }, tokio = { version = \"1\", features = [\"full\"] }\n\n");
    out.push_str("#[tokio::main]\nasync fn main() -> Result<(), Box<dyn std::error::Error>> {\n");
    let mut chain = vec![
        client(&r.settings),
        format!(".request({}, {})", method(&r.method), expr(&r.url)),
    ];
    if !r.query.is_empty() {
        let pairs: Vec<String> = (r.query.iter())
            .map(|(n, v)| format!("({}, {})", string(n), as_string(v)))
            .collect();
        chain.push(format!(".query(&[{}])", pairs.join(", ")));
    }
    for (n, v) in &r.headers {
        chain.push(format!(".header({}, {})", string(n), expr(v)));
    }
    if let Some((user, password)) = &r.basic {
        chain.push(format!(
            ".basic_auth({}, Some({}))",
            expr(user),
            expr(password)
        ));
    }
    match &r.body {
        Body::None => {}
        Body::Text(text) => chain.push(format!(".body({})", as_string(text))),
        Body::Multipart(parts) => {
            out.push_str("    let form = reqwest::multipart::Form::new()");
            for p in parts {
                out.push_str(&format!("\n        {}", form_part(p)));
            }
            out.push_str(";\n");
            chain.push(".multipart(form)".into());
        }
    }
    chain.push(".send()".into());
    chain.push(".await?;".into());
    out.push_str(&format!(
        "    let response = {}\n",
        chain.join("\n        ")
    ));
    out.push_str("    println!(\"{}\", response.status());\n");
    out.push_str("    println!(\"{}\", response.text().await?);\n    Ok(())\n}\n");
    out
}

/// `Client::new()`, or a builder carrying the settings when there are any. reqwest follows
/// up to 10 redirects and reads `*_PROXY` by default, as authlens does.
fn client(s: &Settings) -> String {
    if s.is_default() {
        return "reqwest::Client::new()".into();
    }
    let read = |p: &str| format!("&std::fs::read({})?", string(p));
    let mut b = vec!["reqwest::Client::builder()".to_string()];
    if let Some(ms) = s.timeout_ms {
        b.push(format!(".timeout(std::time::Duration::from_millis({ms}))"));
    }
    match s.max_redirects {
        Some(0) => b.push(".redirect(reqwest::redirect::Policy::none())".into()),
        Some(n) => b.push(format!(
            ".redirect(reqwest::redirect::Policy::limited({n}))"
        )),
        None => {}
    }
    if s.insecure {
        b.push(format!("// {NOT_VERIFIED}"));
        b.push(".tls_danger_accept_invalid_certs(true)".into());
    }
    if let Some(ca) = &s.ca_bundle {
        b.push(format!(
            ".tls_certs_merge(reqwest::Certificate::from_pem_bundle({})?)",
            read(ca)
        ));
    }
    if let Some(c) = &s.client_cert {
        // Identity::from_pem reads the certificate and its key from one buffer.
        let pem = match &s.client_key {
            Some(k) => format!(
                "&[std::fs::read({})?, std::fs::read({})?].concat()",
                string(c),
                string(k)
            ),
            None => read(c),
        };
        b.push(format!(".identity(reqwest::Identity::from_pem({pem})?)"));
    }
    match proxy(s) {
        Proxy::FromEnv => {}
        Proxy::Off => b.push(".no_proxy()".into()),
        Proxy::Url(u) => b.push(format!(".proxy(reqwest::Proxy::all({})?)", string(u))),
    }
    b.push(".build()?".into());
    b.join("\n        ")
}

/// A method reqwest names, or one made from its bytes (a custom method).
fn method(m: &str) -> String {
    const NAMED: [&str; 9] = [
        "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "CONNECT", "PATCH", "TRACE",
    ];
    match NAMED.contains(&m) {
        true => format!("reqwest::Method::{m}"),
        false => format!("reqwest::Method::from_bytes({}.as_bytes())?", string(m)),
    }
}

/// The text as a `String`, where both forms must have one type (query pairs, the body).
fn as_string(t: &Text) -> String {
    match &t.0[..] {
        [Piece::Env(_)] => expr(t),
        [_, _, ..] => expr(t),
        _ => format!("{}.to_string()", expr(t)),
    }
}

fn form_part(p: &Part) -> String {
    match &p.value {
        PartValue::Text(text) => format!(".text({}, {})", string(&p.name), as_string(text)),
        PartValue::File {
            path,
            filename,
            content_type,
        } => format!(
            ".part({}, reqwest::multipart::Part::file({}).await?.file_name({}).mime_str({})?)",
            string(&p.name),
            string(path),
            string(filename),
            string(content_type)
        ),
    }
}
