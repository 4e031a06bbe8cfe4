//! The adapter from a recorded exchange file (the scenario schema, `formats::ExchangeFile`)
//! to the engine's `Input`. It lives in the rules, not in `formats`, because reading a
//! scenario means applying the loader it names: its `env` is the process environment and its
//! `dotenv` the `.env` text, read with the semantics of `context.loader` — including whether
//! that loader would find the file at all.

use super::as_program::AsStack;
use super::context::{Client, Context, Intermediary};
use super::input::{
    CookieHop, Input, Observed, ObservedResponse, Redirect, cookie_names, observed_from_exchange,
};
use super::loaders::{self, Loaded, Loader};
use crate::dates::parse_iso8601;
use crate::draft::{Body, Draft, Row};
use crate::formats::ExchangeFile;
use crate::vars::dotenv::{DotenvEntry, DotenvError, DotenvFile};
use crate::vars::{Binding, DotenvReport, Source, Vars};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A scenario or a saved exchange, read as its `context` says its program would have.
pub fn from_file(file: &ExchangeFile) -> Input {
    from_file_as(file, &AsStack::default())
}

/// `from_file`, with the client or loader `stack` names in place of the file's own: a flag
/// overrides the file's `context`. The loader still honours the file's `loader_call`.
pub fn from_file_as(file: &ExchangeFile, stack: &AsStack) -> Input {
    if !file.masked.is_empty() {
        return from_file_as(&with_stand_ins(file), stack);
    }
    let mut context = context_of(file);
    if let Some(client) = &stack.client {
        context.client = client.clone();
    }
    if let Some(loader) = stack.loader {
        context.loader = with_call(loader, context.loader_call.as_deref());
    }
    let dotenv = file
        .dotenv
        .as_ref()
        .map(|text| load_dotenv(file, &context, text));
    let vars = vars_of(&file.env, dotenv.as_ref());
    context.dotenv = dotenv;
    let observed = match &file.exchange {
        Some(ex) if !ex.hops.is_empty() => observed_from_exchange(ex),
        _ => observed_of(file),
    };
    Input {
        draft: draft_of(file),
        vars,
        observed,
        context,
    }
}

/// The file with a stand-in of each masked secret's shape where its mask stands, and the list
/// of masks dropped (they are accounted for).
fn with_stand_ins(file: &ExchangeFile) -> ExchangeFile {
    let text = serde_json::to_string(file).unwrap_or_default();
    let text = crate::masked::unmask_shapes(&text, &file.masked);
    let mut out: ExchangeFile = serde_json::from_str(&text).unwrap_or_else(|_| file.clone());
    out.masked.clear();
    out
}

pub(crate) fn draft_of(file: &ExchangeFile) -> Draft {
    let r = &file.request;
    let mut d = Draft::new(&r.method, &r.url);
    d.headers = r.headers.iter().map(|(n, v)| Row::new(n, v)).collect();
    d.query = r
        .query
        .iter()
        .flatten()
        .map(|(n, v)| Row::new(n, v))
        .collect();
    if let Some(text) = &r.body {
        d.body = Body::Text {
            content_type: None,
            text: text.clone(),
        };
    }
    d
}

fn observed_of(file: &ExchangeFile) -> Observed {
    let mut o = Observed {
        redirects: file
            .redirects
            .iter()
            .flatten()
            .map(|r| Redirect {
                status: r.status,
                from: r.from.clone(),
                location: r.location.clone(),
                next_carried: None,
            })
            .collect(),
        response: file.response.as_ref().map(|r| ObservedResponse {
            status: r.status,
            headers: r.headers.clone(),
            body: r.body.clone().unwrap_or_default(),
        }),
        // A file without its exchange records no transport: TLS is taken as checked.
        tls_unverified: false,
        cookies: Vec::new(),
    };
    o.cookies = match &file.exchange {
        Some(ex) if !ex.hops.is_empty() => observed_from_exchange(ex).cookies,
        _ => file_cookie_hops(file, &o),
    };
    o
}

/// The cookie trail a file without the wire shows: the request's own `Cookie` header on the
/// first hop, each redirect's `Set-Cookie`, and the final response's. What the client carried
/// after a redirect is unknown (`sent: None`): its own jar decided.
fn file_cookie_hops(file: &ExchangeFile, o: &Observed) -> Vec<CookieHop> {
    let Some(response) = &o.response else {
        return Vec::new();
    };
    let typed = file
        .request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
        .map(|(_, v)| v.as_str());
    let typed = Some(cookie_names(typed));
    let mut hops: Vec<CookieHop> = file
        .redirects
        .iter()
        .flatten()
        .map(|r| CookieHop {
            url: r.from.clone(),
            status: r.status,
            set_cookie: r.set_cookie.clone(),
            ..CookieHop::default()
        })
        .collect();
    let last_url = file
        .redirects
        .iter()
        .flatten()
        .last()
        .map_or(file.request.url.clone(), |r| {
            crate::url_text::join(&r.from, &r.location)
        });
    hops.push(CookieHop {
        url: last_url,
        status: response.status,
        set_cookie: response
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.clone())
            .collect(),
        ..CookieHop::default()
    });
    hops[0].sent = typed;
    hops
}

fn extra_str(extra: &BTreeMap<String, Value>, key: &str) -> Option<String> {
    extra.get(key).and_then(Value::as_str).map(str::to_string)
}

fn extra_list(extra: &BTreeMap<String, Value>, key: &str) -> Vec<String> {
    match extra.get(key) {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn context_of(file: &ExchangeFile) -> Context {
    let Some(c) = &file.context else {
        return Context::default();
    };
    let x = &c.extra;
    Context {
        now: c.now.as_deref().and_then(parse_iso8601),
        loader: loader_of(c.loader.as_deref(), extra_str(x, "loader_call").as_deref()),
        loader_call: extra_str(x, "loader_call"),
        client: client_of(
            c.client.as_deref(),
            extra_str(x, "client_version").as_deref(),
        ),
        client_named: c.client.is_some(),
        client_args: extra_list(x, "client_args"),
        cwd: c.cwd.clone(),
        dotenv_path: c.dotenv_path.clone(),
        dotenv: None,
        dotenv_example: extra_str(x, "dotenv_example").or_else(|| extra_str(x, "env_example")),
        server: c.server.clone(),
        server_env: c.server_env.clone(),
        server_key_vars: extra_list(x, "server_key_vars"),
        expected_audience: extra_list(x, "expected_audience").into_iter().next(),
        expected_issuer: extra_str(x, "expected_issuer"),
        intermediaries: intermediaries(x.get("intermediaries")),
        netrc: extra_str(x, "netrc"),
        jwt_leeway: x.get("jwt_leeway_seconds").and_then(Value::as_i64),
        program: Default::default(),
        spec: SPEC_KEYS
            .iter()
            .find_map(|k| x.get(*k))
            .and_then(inline_spec),
    }
}

/// The context keys a file may hold the API's document under; `openapi` is the documented one.
const SPEC_KEYS: [&str; 4] = ["openapi", "spec", "openapi_spec", "swagger"];

/// `context.openapi`: the API's document inline, as an object or as its JSON/YAML text. One
/// that does not read is left out, as other context the engine cannot use is.
fn inline_spec(v: &Value) -> Option<std::sync::Arc<crate::spec::Spec>> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Object(_) => v.to_string(),
        _ => return None,
    };
    crate::spec::parse(&text, "context.openapi", None)
        .ok()
        .map(std::sync::Arc::new)
}

/// The client, with `client_version` appended when the name carries none.
fn client_of(name: Option<&str>, version: Option<&str>) -> Client {
    match (name, version) {
        (None, _) => Client::CURRENT_REQWEST,
        (Some(n), Some(v)) if !n.chars().any(|c| c.is_ascii_digit()) => {
            Client::parse(&format!("{n}-{}", v.trim_start_matches('v')))
        }
        (Some(n), _) => Client::parse(n),
    }
}

/// The loader, with an override the call asks for (`dotenv_override()`, `override=True`).
fn loader_of(name: Option<&str>, call: Option<&str>) -> Loader {
    with_call(name.map_or(Loader::Dotenvy, Loader::parse), call)
}

/// `loader`, or its override variant when the call asks for one.
fn with_call(loader: Loader, call: Option<&str>) -> Loader {
    let call = call.unwrap_or("").replace(' ', "");
    let overriding = call.contains("override=True") || call.contains("_override(");
    match loader {
        Loader::Dotenvy if overriding => Loader::DotenvyOverride,
        Loader::PythonDotenv if overriding => Loader::PythonDotenvOverride,
        other => other,
    }
}

fn intermediaries(v: Option<&Value>) -> Vec<Intermediary> {
    let Some(Value::Array(items)) = v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_object)
        .map(|o| Intermediary {
            kind: o
                .get("kind")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            settings: o
                .iter()
                .filter(|(k, _)| *k != "kind")
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                })
                .collect(),
        })
        .collect()
}

fn load_dotenv(file: &ExchangeFile, ctx: &Context, text: &str) -> Loaded {
    let path = ctx.dotenv_path.clone().unwrap_or_else(|| match &ctx.cwd {
        Some(cwd) => format!("{}/.env", cwd.trim_end_matches('/')),
        None => ".env".to_string(),
    });
    let call = ctx.loader_call.as_deref().unwrap_or("");
    let strip_bom = !call.contains("_iter");
    let mut loaded = loaders::load(&path, text, ctx.loader, &file.env, strip_bom);
    loaded.found = loader_finds(ctx, &path, file);
    loaded
}

/// Would the loader find `path` from where the program runs? (catalogue A, `dotenv-not-found-from-cwd`)
fn loader_finds(ctx: &Context, path: &str, file: &ExchangeFile) -> bool {
    let call = ctx.loader_call.as_deref().unwrap_or("");
    let explicit = [
        "from_path",
        "from_filename",
        "dotenv_path",
        ".env\"",
        ".env'",
    ]
    .iter()
    .any(|m| call.contains(m));
    if ctx.loader == Loader::None {
        return false;
    }
    if explicit || ctx.loader.reads_the_file_named() {
        return true;
    }
    let x = file.context.as_ref().map(|c| &c.extra);
    let script_dir = x.and_then(script_dir);
    let python = matches!(
        ctx.loader,
        Loader::PythonDotenv | Loader::PythonDotenvOverride
    );
    let start = match script_dir {
        Some(dir) if python && !call.contains("usecwd=True") => dir,
        _ => match &ctx.cwd {
            Some(cwd) => cwd.clone(),
            None => return true,
        },
    };
    // dotenvy 0.16's CLI reads ./.env only, without walking up.
    let name = file
        .context
        .as_ref()
        .and_then(|c| c.loader.as_deref())
        .unwrap_or("");
    let only_cwd = [call, name]
        .iter()
        .any(|s| s.contains("0.16") || s.contains("cli"));
    ctx.loader.search_finds(&start, path, only_cwd)
}

/// Where python-dotenv's search starts: a context key naming the calling script (`script`,
/// `script_path`, `calling_file`, `entrypoint`…) or its directory (`script_dir`).
fn script_dir(extra: &BTreeMap<String, Value>) -> Option<String> {
    let named = |k: &str| {
        ["script", "caller", "calling", "entry"]
            .iter()
            .any(|w| k.contains(w))
    };
    extra.iter().find_map(|(k, v)| {
        let path = v.as_str().filter(|p| p.contains('/'))?;
        if !named(k) {
            return None;
        }
        let is_dir = k.ends_with("dir") || k.ends_with("directory") || path.ends_with('/');
        Some(if is_dir {
            path.trim_end_matches('/').to_string()
        } else {
            parent(path).to_string()
        })
    })
}

pub(super) fn parent(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit_once('/')
        .map_or(".", |(d, _)| if d.is_empty() { "/" } else { d })
}

pub(super) fn same_dir(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

pub(super) fn is_ancestor(dir: &str, of: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    dir.is_empty() || of.starts_with(&format!("{dir}/"))
}

/// Process env and the loaded `.env` layered by the loader's precedence, losers kept.
pub(super) fn vars_of(process: &BTreeMap<String, String>, dotenv: Option<&Loaded>) -> Vars {
    let mut bindings: BTreeMap<String, Binding> = process
        .iter()
        .map(|(k, v)| {
            let b = Binding {
                value: v.clone(),
                source: Source::Process,
                shadowed: Vec::new(),
            };
            (k.clone(), b)
        })
        .collect();
    let mut report = DotenvReport::default();
    if let Some(l) = dotenv.filter(|l| l.found) {
        let path = PathBuf::from(&l.path);
        for e in &l.entries {
            let winner = l.value(&e.key).is_some_and(|w| std::ptr::eq(w, e));
            let source = Source::Dotenv {
                path: path.clone(),
                line: e.line,
            };
            offer(
                &mut bindings,
                e,
                source,
                winner,
                l.loader.overrides_process_env(),
            );
        }
        report = report_of(l);
    }
    Vars {
        bindings,
        dotenv: report,
    }
}

/// Within the file the loader's winner replaces earlier lines; over the process env only
/// when the loader overrides.
fn offer(
    bindings: &mut BTreeMap<String, Binding>,
    e: &loaders::Entry,
    source: Source,
    winner: bool,
    overrides: bool,
) {
    match bindings.get_mut(&e.key) {
        Some(b) if winner && (overrides || b.source != Source::Process) => {
            let old = std::mem::replace(&mut b.value, e.value.clone());
            let old_source = std::mem::replace(&mut b.source, source);
            b.shadowed.insert(0, (old, old_source));
        }
        Some(b) => b.shadowed.push((e.value.clone(), source)),
        None => {
            let b = Binding {
                value: e.value.clone(),
                source,
                shadowed: Vec::new(),
            };
            bindings.insert(e.key.clone(), b);
        }
    }
}

fn report_of(l: &Loaded) -> DotenvReport {
    let path = PathBuf::from(&l.path);
    let file = DotenvFile {
        path: path.clone(),
        entries: l
            .entries
            .iter()
            .map(|e| DotenvEntry {
                key: e.key.clone(),
                value: e.value.clone(),
                line: e.line,
            })
            .collect(),
        bom: l.bom,
        error: l.errors.first().map(|e| DotenvError {
            path: path.clone(),
            line: e.line,
            message: e.message.clone(),
        }),
    };
    DotenvReport {
        searched: vec![path],
        files: vec![file],
        explicit: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(json: &str) -> ExchangeFile {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn dotenvy_keeps_process_values_and_records_the_loser() {
        let f = file(
            r#"{"env":{"K":"old"},"dotenv":"K=new\nJ=j\n","request":{"method":"GET","url":"http://h/"}}"#,
        );
        let input = from_file(&f);
        let k = input.vars.get("K").unwrap();
        assert_eq!((k.value.as_str(), &k.source), ("old", &Source::Process));
        assert_eq!(k.shadowed[0].0, "new");
        assert_eq!(input.vars.value("J").as_deref(), Some("j"));
    }

    #[test]
    fn override_loaders_let_the_file_win() {
        let f = file(
            r#"{"env":{"K":"old"},"dotenv":"K=new\n","request":{"method":"GET","url":"http://h/"},
                "context":{"loader":"dotenvy-0.15-override"}}"#,
        );
        let input = from_file(&f);
        assert_eq!(input.vars.value("K").as_deref(), Some("new"));
        assert_eq!(input.vars.get("K").unwrap().shadowed[0].0, "old");
    }

    #[test]
    fn python_dotenv_searches_from_the_calling_script() {
        let f = file(
            r#"{"env":{},"dotenv":"K=v\n","request":{"method":"GET","url":"http://h/"},
                "context":{"loader":"python-dotenv-1.2.2","cwd":"/p/notebooks","dotenv_path":"/p/notebooks/.env",
                           "calling_script":"/p/src/app/main.py"}}"#,
        );
        assert!(!from_file(&f).context.dotenv.unwrap().found);
    }

    #[test]
    fn a_dotenv_below_cwd_is_not_found_by_dotenvy() {
        let f = file(
            r#"{"env":{},"dotenv":"K=v\n","request":{"method":"GET","url":"http://h/"},
                "context":{"cwd":"/ws","dotenv_path":"/ws/crates/a/.env"}}"#,
        );
        let input = from_file(&f);
        assert!(!input.context.dotenv.as_ref().unwrap().found);
        assert!(input.vars.get("K").is_none());
        assert!(is_ancestor("/ws", "/ws/crates/a"));
        assert!(!is_ancestor("/ws/crates/a", "/ws"));
    }
}
