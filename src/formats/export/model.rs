//! The request every target writes, worked out once: texts made of literal pieces and
//! environment lookups, the auth helper folded in, each file part's name and type decided.

use crate::draft::{self, AuthHelper, Draft, Settings};
use crate::secret::is_credential_name;
use crate::vars::Vars;
use crate::vars::scrub::{Left, scrub_noting};

/// A piece of a text: written as typed, or read from the environment when the code runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Lit(String),
    Env(String),
}

/// A text of the request, in pieces, so each language can write a lookup its own way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text(pub Vec<Piece>);

impl Text {
    pub fn lit(s: &str) -> Text {
        Text(vec![Piece::Lit(s.to_string())])
    }

    /// An expression of a language that concatenates strings with `+` (Python, JS): each
    /// literal through `lit`, each lookup through `env`; `""` when empty.
    pub fn joined(&self, lit: impl Fn(&str) -> String, env: impl Fn(&str) -> String) -> String {
        if self.0.is_empty() {
            return "\"\"".into();
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => lit(s),
                Piece::Env(n) => env(n),
            })
            .collect();
        parts.join(" + ")
    }

    /// The text when it holds no lookup.
    pub fn literal(&self) -> Option<String> {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Lit(s) => Some(s.as_str()),
                Piece::Env(_) => None,
            })
            .collect()
    }

    /// `prefix` + this text.
    fn prefixed(mut self, prefix: &str) -> Text {
        self.0.insert(0, Piece::Lit(prefix.to_string()));
        self
    }
}

/// The request as code sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The URL with its own query as typed; `query` is appended by the client.
    pub url: Text,
    pub query: Vec<(String, Text)>,
    /// Typed headers, the helper's header, then the body's content type when none was typed.
    pub headers: Vec<(String, Text)>,
    /// The Basic helper: clients have their own way to write it.
    pub basic: Option<(Text, Text)>,
    pub body: Body,
    /// Lines the code carries as a comment: which variables stand for secrets left out.
    pub notes: Vec<String>,
    /// How it connects (timeout, redirects, TLS, proxy); paths as the draft holds them.
    pub settings: Settings,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    Text(Text),
    Multipart(Vec<Part>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub value: PartValue,
}

/// A file part names its file name and type outright, so every client sends what authlens
/// would have, not what its own guess gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartValue {
    Text(Text),
    File {
        path: String,
        filename: String,
        content_type: String,
    },
}

/// The draft with every secret out: `scrub` first (a secret typed literally becomes
/// `${AUTHLENS_UNSAVED_…}`, which nothing sets, so the code cannot pick up another key), then
/// each reference becomes a lookup, or its value when the variable holds no secret.
pub fn build(draft: &Draft, vars: &Vars) -> Request {
    let (safe, left) = scrub_noting(draft);
    let secrets = crate::vars::resolve(draft, vars).redactor;
    let text = |s: &str| pieces(s, vars, &secrets);
    let mut headers: Vec<(String, Text)> = safe
        .enabled_headers()
        .map(|(_, r)| (flat(&text(&r.name)), text(&r.value)))
        .collect();
    let mut query: Vec<(String, Text)> = safe
        .query
        .iter()
        .filter(|q| q.enabled)
        .map(|q| (flat(&text(&q.name)), text(&q.value)))
        .collect();
    let mut basic = None;
    match &safe.auth {
        AuthHelper::None => {}
        AuthHelper::Bearer { token } => {
            headers.push(("Authorization".into(), text(token).prefixed("Bearer ")))
        }
        AuthHelper::ApiKeyHeader { name, key } => headers.push((name.clone(), text(key))),
        AuthHelper::ApiKeyQuery { name, key } => query.push((name.clone(), text(key))),
        AuthHelper::Basic { user, password } => basic = Some((text(user), text(password))),
    }
    let body = match &safe.body {
        draft::Body::None => Body::None,
        draft::Body::Text {
            content_type,
            text: t,
        } => {
            if let Some(ct) = content_type
                .as_ref()
                .filter(|_| !safe.has_header("content-type"))
            {
                headers.push(("Content-Type".into(), Text::lit(ct)));
            }
            Body::Text(text(t))
        }
        draft::Body::Multipart { parts } => {
            Body::Multipart(parts.iter().map(|p| part(p, &text)).collect())
        }
    };
    Request {
        method: safe.method.clone(),
        url: text(&safe.url),
        query,
        headers,
        basic,
        body,
        notes: left.iter().map(note).collect(),
        settings: without_proxy_password(&draft.settings),
    }
}

fn part(p: &draft::Part, text: &impl Fn(&str) -> Text) -> Part {
    let value = match &p.value {
        draft::PartValue::Text { text: t } => PartValue::Text(text(t)),
        draft::PartValue::File {
            path,
            filename,
            content_type,
        } => {
            let path = flat(&text(path));
            PartValue::File {
                filename: filename.clone().unwrap_or_else(|| draft::file_name(&path)),
                content_type: content_type
                    .clone()
                    .unwrap_or_else(|| draft::guess_type(&path).to_string()),
                path,
            }
        }
    };
    Part {
        name: flat(&text(&p.name)),
        value,
    }
}

/// What a comment says of a secret left out.
fn note(l: &Left) -> String {
    if l.variable {
        format!(
            "{} was set on the request in authlens and is not written here: set it in the environment.",
            l.reference
        )
    } else {
        format!(
            "{} stands for the secret typed in {}, which is not written here: set it in the environment.",
            l.reference, l.place
        )
    }
}

/// A text with no room for a lookup (a header name, a file path): lookups written back as
/// `${NAME}`.
fn flat(t: &Text) -> String {
    t.0.iter()
        .map(|p| match p {
            Piece::Lit(s) => s.clone(),
            Piece::Env(n) => format!("${{{n}}}"),
        })
        .collect()
}

/// `text` in pieces. A reference is a lookup when it names a credential, is not set, or its
/// value is a secret the request carries; otherwise (`${BASE}`) its value is written.
fn pieces(text: &str, vars: &Vars, secrets: &crate::secret::Redactor) -> Text {
    let mut out = Vec::new();
    let mut last = 0;
    let lit = |s: &str, out: &mut Vec<Piece>| match out.last_mut() {
        Some(Piece::Lit(prev)) => prev.push_str(s),
        _ if s.is_empty() => {}
        _ => out.push(Piece::Lit(s.to_string())),
    };
    for r in crate::vars::find_refs(text) {
        lit(&text[last..r.span.start], &mut out);
        last = r.span.end;
        match vars.value(&r.name) {
            Some(v) if !is_credential_name(&r.name) && secrets.redact(&v) == v => lit(&v, &mut out),
            _ => out.push(Piece::Env(r.name)),
        }
    }
    lit(&text[last..], &mut out);
    Text(out)
}

/// Code is pasted and shared: a proxy's password is left out of it (the user sets it in
/// `HTTPS_PROXY`, which every target's client also reads), as the session leaves it out.
fn without_proxy_password(s: &Settings) -> Settings {
    let mut s = s.clone();
    s.proxy = s
        .proxy
        .as_deref()
        .map(crate::vars::scrub::proxy_without_password);
    s
}
