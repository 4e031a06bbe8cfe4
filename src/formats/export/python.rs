//! Python with requests or httpx. A lookup is `os.environ["NAME"]`, which fails loudly when the
//! variable is not set; a text body is sent as its UTF-8 bytes so nothing re-encodes it.

use super::model::{Body, Part, PartValue, Piece, Request, Text};
use super::{NOT_VERIFIED, Proxy, proxy, seconds};
use crate::draft::Settings;

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
    program(r, "requests", "data", requests_conn(&r.settings))
}

pub fn httpx(r: &Request) -> String {
    program(r, "httpx", "content", httpx_conn(&r.settings))
}

/// How the program connects: lines before the call, what is called (`module` or a client
/// made in `setup`), and the call's keyword arguments.
struct Conn {
    imports: &'static str,
    setup: String,
    caller: String,
    kwargs: Vec<String>,
}

/// The comment line above a skipped check, inside the call's or the setup's indentation.
fn loud(indent: &str) -> String {
    format!("# {NOT_VERIFIED}\n{indent}")
}

/// requests follows redirects and reads `*_PROXY` by default; a limit or `none` needs a
/// Session, the only place requests takes them.
fn requests_conn(s: &Settings) -> Conn {
    let mut setup = String::new();
    let mut kwargs = Vec::new();
    if let Some(ms) = s.timeout_ms {
        kwargs.push(format!("timeout={}", seconds(ms)));
    }
    match s.max_redirects {
        Some(0) => kwargs.push("allow_redirects=False".into()),
        Some(n) => setup.push_str(&format!("session.max_redirects = {n}\n")),
        None => {}
    }
    match (&s.ca_bundle, s.insecure) {
        (_, true) => kwargs.push(format!("{}verify=False", loud("    "))),
        (Some(ca), false) => kwargs.push(format!("verify={}", string(ca))),
        (None, false) => {}
    }
    match (&s.client_cert, &s.client_key) {
        (Some(c), Some(k)) => kwargs.push(format!("cert=({}, {})", string(c), string(k))),
        (Some(c), None) => kwargs.push(format!("cert={}", string(c))),
        _ => {}
    }
    match proxy(s) {
        Proxy::FromEnv => {}
        Proxy::Off => setup.push_str("session.trust_env = False  # no HTTPS_PROXY and friends\n"),
        Proxy::Url(u) => kwargs.push(format!(
            "proxies={{\"http\": {0}, \"https\": {0}}}",
            string(u)
        )),
    }
    let caller = match setup.is_empty() {
        true => "requests".to_string(),
        false => {
            setup.insert_str(0, "session = requests.Session()\n");
            setup.push('\n');
            "session".to_string()
        }
    };
    Conn {
        imports: "",
        setup,
        caller,
        kwargs,
    }
}

/// httpx does not follow redirects by default and authlens does; a CA file or a client
/// certificate goes in an `ssl.SSLContext` (httpx ≥ 0.28 deprecates `verify="path"` and
/// `cert=`); a redirect limit needs a Client, which then takes the connection's arguments.
fn httpx_conn(s: &Settings) -> Conn {
    let mut setup = String::new();
    let mut client = Vec::new();
    let mut call = Vec::new();
    if let Some(ms) = s.timeout_ms {
        call.push(format!("timeout={}", seconds(ms)));
    }
    if s.max_redirects != Some(0) {
        call.push("follow_redirects=True".into());
    }
    let context = s.client_cert.is_some() || (s.ca_bundle.is_some() && !s.insecure);
    if context {
        setup.push_str(&tls_context(s));
        client.push("verify=tls".to_string());
    } else if s.insecure {
        client.push(format!("{}verify=False", loud("    ")));
    }
    match proxy(s) {
        Proxy::FromEnv => {}
        Proxy::Off => client.push("trust_env=False".into()),
        Proxy::Url(u) => client.push(format!(
            "# httpx before 0.26 (Debian 12's 0.23) names it proxies=\n    proxy={}",
            string(u)
        )),
    }
    let mut caller = "httpx".to_string();
    match s.max_redirects {
        Some(n) if n > 0 => {
            client.push(format!("max_redirects={n}"));
            let args: String = client.iter().map(|a| format!("    {a},\n")).collect();
            setup.push_str(&format!("client = httpx.Client(\n{args})\n\n"));
            caller = "client".into();
        }
        _ => call.extend(client),
    }
    Conn {
        imports: if context { "import ssl\n" } else { "" },
        setup,
        caller,
        kwargs: call,
    }
}

/// `tls`, the `ssl.SSLContext` httpx takes as `verify=`: the system's roots plus the CA file
/// (as authlens adds `--cacert` to them), or no check at all, and the client certificate.
fn tls_context(s: &Settings) -> String {
    let mut out = String::from("tls = ssl.create_default_context()\n");
    if s.insecure {
        out.push_str(&loud(""));
        out.push_str("tls.check_hostname = False\ntls.verify_mode = ssl.CERT_NONE\n");
    } else if let Some(ca) = &s.ca_bundle {
        out.push_str(&format!("tls.load_verify_locations({})\n", string(ca)));
    }
    if let Some(c) = &s.client_cert {
        let key = s.client_key.as_deref().map(string);
        let args: Vec<String> = [Some(string(c)), key].into_iter().flatten().collect();
        out.push_str(&format!("tls.load_cert_chain({})\n", args.join(", ")));
    }
    out.push('\n');
    out
}

/// `module.request(…)` with the keyword arguments the request needs; `body_kw` is the
/// argument that takes raw bytes (`data` in requests, `content` in httpx).
fn program(r: &Request, module: &str, body_kw: &str, conn: Conn) -> String {
    let mut out = super::comments(r, "#");
    out.push_str(&format!(
        "import os\n{}\nimport {module}\n\n{}",
        conn.imports, conn.setup
    ));
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
    args.extend(conn.kwargs);
    out.push_str(&format!("response = {}.request(\n", conn.caller));
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
