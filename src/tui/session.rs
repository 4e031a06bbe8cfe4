//! Drafts saved on quit and restored on start, so nothing typed is lost between runs.
//!
//! The file holds drafts as typed — `${NAME}` references, never resolved values — and drops
//! request variables whose names say they are credentials; samples get theirs back from the
//! built-in definitions. A secret typed literally is saved as `${AUTHLENS_UNSAVED_…}`, a name
//! nothing else sets: restored, it refuses to send and says to type the secret again, where a
//! plain `${API_KEY}` could have resolved to a *different* key from `.env`. Writes are atomic
//! and private (`data_dir`: `0600` in a `0700` directory); a file that does not parse is moved
//! aside with a message, never silently overwritten.

use super::app::{App, Entry, EntryKind};
use crate::draft::AuthHelper;
use crate::draft::Draft;
use crate::secret::{is_credential_header, is_credential_name};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionFile {
    pub version: u32,
    pub selected: usize,
    pub entries: Vec<SavedEntry>,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
pub struct SavedEntry {
    pub name: String,
    pub sample_id: Option<String>,
    pub draft: Draft,
}

/// `session.json` in authlens's data directory (`$XDG_DATA_HOME/authlens`, else
/// `~/.local/share/authlens`).
pub fn default_path() -> Option<PathBuf> {
    Some(crate::data_dir::dir()?.join("session.json"))
}

/// The start of every reference that stands for a secret typed literally and not saved.
pub const UNSAVED: &str = "AUTHLENS_UNSAVED_";

/// The session as JSON: samples and the user's drafts, not the history or a lesson's request.
pub fn to_json(app: &App) -> String {
    to_json_renaming(app, &[])
}

/// `to_json`, with references renamed in the saved drafts: `(entry, from, to)` makes entry's
/// `${from}` a `${to}` — a secret typed literally, written to `.env` at quit, saved as the
/// name it was written under rather than as `${AUTHLENS_UNSAVED_…}`.
pub fn to_json_renaming(app: &App, renames: &[(usize, String, String)]) -> String {
    let kept = |e: &Entry| matches!(e.kind, EntryKind::Sample | EntryKind::Yours);
    let entries: Vec<SavedEntry> = app
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| kept(e))
        .map(|(i, e)| {
            let mut draft = scrub(&e.draft);
            let map: Vec<(&str, &str)> = renames
                .iter()
                .filter(|(entry, _, _)| *entry == i)
                .map(|(_, from, to)| (from.as_str(), to.as_str()))
                .collect();
            if !map.is_empty() {
                rename_refs(&mut draft, &map);
            }
            // This run's practice port and scan file are refilled by the next run.
            if let super::app::Server::Ready { base, page, .. } = &app.server {
                for (name, value) in &mut draft.vars {
                    if super::samples::is_this_runs_practice_var(name, value, base, page) {
                        value.clear();
                    }
                }
            }
            SavedEntry {
                name: crate::secret::masked_url(&e.name),
                sample_id: e.sample_id.clone(),
                draft,
            }
        })
        .collect();
    // The selection among the saved entries: history before it is not saved.
    let selected = app.entries[..app.selected.min(app.entries.len())]
        .iter()
        .filter(|e| kept(e))
        .count()
        .min(entries.len().saturating_sub(1));
    let file = SessionFile {
        version: VERSION,
        selected,
        entries,
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

/// A secret the session file leaves out of a draft, and the name that stands in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Left {
    /// What the saved draft refers to instead: `AUTHLENS_UNSAVED_…` for a secret typed
    /// literally, or the name of a credential variable (the variable itself is dropped).
    pub reference: String,
    /// What `${reference}` stands for: the text as typed, byte for byte.
    pub value: String,
    /// Where it was typed: `header Authorization`, `variable API_KEY`…
    pub place: String,
    /// A dropped request variable, rather than a literal replaced by a reference.
    pub variable: bool,
}

/// The draft as it may be written to disk: credential variables dropped, and credentials typed
/// literally (a pasted `curl -H 'Authorization: Bearer …'`) replaced by a `${NAME}` reference,
/// so the file never holds a secret and the restored draft says plainly what is missing.
pub fn scrub(d: &Draft) -> Draft {
    scrub_noting(d).0
}

/// `scrub`, and what it left out. Each secret gets its own reference: two different keys
/// typed in two `Authorization` headers become `…AUTHORIZATION` and `…AUTHORIZATION_2`.
pub fn scrub_noting(d: &Draft) -> (Draft, Vec<Left>) {
    let mut d = d.clone();
    let mut s = Scrubber::default();
    d.vars.retain(|(name, value)| {
        if !is_credential_name(name) {
            return true;
        }
        // With a name given twice the first is the one that resolves (`Vars::build`).
        if !value.is_empty() && !s.left.iter().any(|l| l.variable && l.reference == *name) {
            s.left.push(Left {
                reference: name.clone(),
                value: value.clone(),
                place: format!("variable {name}"),
                variable: true,
            });
        }
        false
    });
    d.url = s.url(&d.url);
    for row in &mut d.headers {
        let place = format!("header {}", row.name);
        if row.name.eq_ignore_ascii_case("cookie") {
            row.value = s.cookie(&row.value, place);
        } else if is_credential_header(&row.name)
            || !crate::secret::header_secrets(&row.name, &row.value).is_empty()
        {
            // A credential header, or any header holding a scheme word and a credential.
            row.value = s.reference(&row.value, &row.name, place);
        }
    }
    for row in &mut d.query {
        if is_credential_name(&row.name) {
            row.value = s.reference(&row.value, &row.name, format!("query {}", row.name));
        }
    }
    s.body(&mut d.body);
    match &mut d.auth {
        AuthHelper::Bearer { token } => {
            *token = s.reference(token, "BEARER_TOKEN", "auth helper token".into())
        }
        AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. } => {
            *key = s.reference(key, "API_KEY", "auth helper key".into())
        }
        AuthHelper::Basic { password, .. } => {
            *password = s.reference(password, "BASIC_PASSWORD", "auth helper password".into())
        }
        AuthHelper::None => {}
    }
    (d, s.left)
}

/// Replaces secrets with references, noting each.
#[derive(Default)]
struct Scrubber {
    left: Vec<Left>,
}

impl Scrubber {
    /// The reference `${AUTHLENS_UNSAVED_<NAME>}` stands for `secret`: the same one for the
    /// same secret, a numbered one for another.
    fn literal(&mut self, name: &str, secret: &str, place: String) -> String {
        let var: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        let base = format!("{UNSAVED}{var}");
        let mut reference = base.clone();
        for n in 2.. {
            match self.left.iter().find(|l| l.reference == reference) {
                Some(l) if l.value == secret => break,
                Some(_) => reference = format!("{base}_{n}"),
                None => {
                    self.left.push(Left {
                        reference: reference.clone(),
                        value: secret.to_string(),
                        place,
                        variable: false,
                    });
                    break;
                }
            }
        }
        reference
    }

    /// `Bearer sk-…` → `Bearer ${AUTHLENS_UNSAVED_AUTHORIZATION}`; a value that is already
    /// only references, or empty, is kept as typed.
    fn reference(&mut self, value: &str, name: &str, place: String) -> String {
        let refs = crate::vars::find_refs(value);
        let literal: String = {
            let mut rest = value.to_string();
            for r in refs.iter().rev() {
                rest.replace_range(r.span.clone(), "");
            }
            rest
        };
        let scheme = value
            .split_once(' ')
            .map(|(s, _)| s)
            .filter(|s| !s.is_empty() && !s.contains("${"));
        let secret_part = scheme
            .map_or(literal.as_str(), |s| literal.trim_start_matches(s))
            .trim();
        if secret_part.is_empty() {
            return value.to_string();
        }
        match scheme {
            // The value is `scheme`, one space, then what the reference stands for.
            Some(s) => {
                let r = self.literal(name, &value[s.len() + 1..], place);
                format!("{s} ${{{r}}}")
            }
            None => format!("${{{}}}", self.literal(name, value, place)),
        }
    }

    /// `session=EXAMPLE…; theme=dark` → `session=${AUTHLENS_UNSAVED_SESSION}; theme=dark`: each
    /// pair on its own, the values masking would hide (8 characters or more).
    fn cookie(&mut self, value: &str, place: String) -> String {
        let pairs: Vec<String> = value
            .split(';')
            .map(|pair| {
                let Some((name, v)) = pair.split_once('=') else {
                    return pair.to_string();
                };
                let secret = v.trim();
                if secret.chars().count() < 8 || !crate::vars::find_refs(secret).is_empty() {
                    return pair.to_string();
                }
                let r = self.literal(name.trim(), secret, place.clone());
                format!("{name}={}", v.replacen(secret, &format!("${{{r}}}"), 1))
            })
            .collect();
        pairs.join(";")
    }

    /// `?api_key=EXAMPLE…&q=1#top` → `?api_key=${AUTHLENS_UNSAVED_API_KEY}&q=1#top`:
    /// credential-named parameters only, read with the same query parser as the Query tab;
    /// and `https://user:KEY@host` (or `https://KEY@host`), which clients send as Basic.
    fn url(&mut self, url: &str) -> String {
        let url = &self.userinfo(url);
        let mut out = url.to_string();
        for p in crate::draft::url_params(url).into_iter().rev() {
            let name = &url[p.name.clone()];
            if let Some(v) = p.value
                && is_credential_name(name)
            {
                let place = format!("URL parameter {name}");
                out.replace_range(v.clone(), &self.reference(&url[v], name, place));
            }
        }
        out
    }

    /// The password of the URL's userinfo, or its user name when there is no password.
    fn userinfo(&mut self, url: &str) -> String {
        let Some(range) = crate::url_text::userinfo(url) else {
            return url.to_string();
        };
        let (start, at) = (range.start, range.end);
        let secret = match url[range].split_once(':') {
            Some((_, pass)) => at - pass.len()..at,
            None => start..at,
        };
        let text = &url[secret.clone()];
        if text.is_empty() || !crate::vars::find_refs(text).is_empty() {
            return url.to_string();
        }
        let r = self.literal("URL_USERINFO", text, "URL userinfo".into());
        let mut out = url.to_string();
        out.replace_range(secret, &format!("${{{r}}}"));
        out
    }

    /// Credential fields of a text body (JSON keys, form fields) and credential-named
    /// multipart text parts become references, numbered in the order they appear.
    fn body(&mut self, body: &mut crate::draft::Body) {
        use crate::draft::{Body, PartValue};
        match body {
            Body::Text { text, .. } => {
                let mut n = 0;
                for secret in crate::secret::body_secrets(text) {
                    if secret.is_empty() || !crate::vars::find_refs(&secret).is_empty() {
                        continue;
                    }
                    // Only where it stands as a value — `"…"` in JSON, `=…` in a form — so
                    // `{"password":"pass"}` does not lose the `pass` of its key.
                    let mut reference: Option<String> = None;
                    for (open, close) in [("\"", "\""), ("=", "&"), ("=", "")] {
                        let found = format!("{open}{secret}{close}");
                        let at_end = close.is_empty();
                        if (at_end && !text.ends_with(&found))
                            || (!at_end && !text.contains(&found))
                        {
                            continue;
                        }
                        let r = match &reference {
                            Some(r) => r.clone(),
                            None => {
                                n += 1;
                                let name = format!("BODY_SECRET_{n}");
                                let r = self.literal(&name, &secret, "body".into());
                                reference = Some(r.clone());
                                r
                            }
                        };
                        let with = format!("{open}${{{r}}}{close}");
                        if at_end {
                            let cut = text.len() - found.len();
                            text.replace_range(cut.., &with);
                        } else {
                            *text = text.replace(&found, &with);
                        }
                    }
                }
            }
            Body::Multipart { parts } => {
                for p in parts.iter_mut() {
                    if let PartValue::Text { text } = &mut p.value
                        && is_credential_name(&p.name)
                    {
                        *text = self.reference(text, &p.name, format!("part {}", p.name));
                    }
                }
            }
            Body::None => {}
        }
    }
}

/// Renames references everywhere in a draft at once: `${from}` (or `{{from}}`) becomes
/// `${to}` (`{{to}}`) for each pair, so a name given as both a `from` and a `to` is safe.
pub fn rename_refs(d: &mut Draft, map: &[(&str, &str)]) {
    use crate::draft::{Body, PartValue};
    let rename = |text: &mut String| {
        let refs = crate::vars::find_refs(text);
        for r in refs.iter().rev() {
            if let Some((_, to)) = map.iter().find(|(from, _)| *from == r.name) {
                let new = if r.mustache {
                    format!("{{{{{to}}}}}")
                } else {
                    format!("${{{to}}}")
                };
                text.replace_range(r.span.clone(), &new);
            }
        }
    };
    rename(&mut d.url);
    for row in d.headers.iter_mut().chain(d.query.iter_mut()) {
        rename(&mut row.name);
        rename(&mut row.value);
    }
    match &mut d.body {
        Body::Text { text, .. } => rename(text),
        Body::Multipart { parts } => {
            for p in parts {
                rename(&mut p.name);
                match &mut p.value {
                    PartValue::Text { text } => rename(text),
                    PartValue::File { path, .. } => rename(path),
                }
            }
        }
        Body::None => {}
    }
    match &mut d.auth {
        AuthHelper::Bearer { token } => rename(token),
        AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. } => rename(key),
        AuthHelper::Basic { user, password } => {
            rename(user);
            rename(password);
        }
        AuthHelper::None => {}
    }
    for (_, value) in &mut d.vars {
        rename(value);
    }
}

/// Puts saved drafts over the fresh samples, in the saved order: a sample keeps its edits but
/// gets back the credential variables that were not saved; the user's drafts stand where they
/// were put (`J`/`K` moves them among the samples too). A file written before requests could
/// move lists the samples first, so it comes back as it always did. A sample the file does
/// not mention (new in this version) goes after the sample shipped before it; one the file
/// names that no longer exists is dropped.
pub fn restore(samples: Vec<Entry>, saved: SessionFile) -> (Vec<Entry>, usize) {
    let order: Vec<Option<String>> = samples.iter().map(|e| e.sample_id.clone()).collect();
    let mut fresh: Vec<Option<Entry>> = samples.into_iter().map(Some).collect();
    let mut entries = Vec::new();
    for s in saved.entries {
        let Some(id) = s.sample_id else {
            entries.push(Entry::yours(s.name, s.draft));
            continue;
        };
        let slot = fresh.iter_mut().find(|e| {
            e.as_ref()
                .is_some_and(|e| e.sample_id.as_ref() == Some(&id))
        });
        if let Some(mut e) = slot.and_then(Option::take) {
            over_sample(&mut e, s.draft);
            entries.push(e);
        }
    }
    for (k, e) in fresh.into_iter().enumerate() {
        let Some(e) = e else { continue };
        let before = k.checked_sub(1).and_then(|p| order[p].as_ref());
        let at = entries
            .iter()
            .position(|x| before.is_some() && x.sample_id.as_ref() == before)
            .map_or(0, |p| p + 1);
        entries.insert(at, e);
    }
    let selected = saved.selected.min(entries.len().saturating_sub(1));
    (entries, selected)
}

/// A sample's saved draft over the fresh one, the credential variables it left out put back.
fn over_sample(e: &mut Entry, saved: Draft) {
    let defaults = std::mem::replace(&mut e.draft, saved).vars;
    for (name, value) in defaults {
        if !e.draft.vars.iter().any(|(n, _)| *n == name) {
            e.draft.vars.push((name, value));
        }
    }
}

pub enum Loaded {
    Fresh,
    Saved(SessionFile),
    /// The file did not parse; it was moved to `moved_to`.
    Corrupt {
        moved_to: PathBuf,
        error: String,
    },
}

pub fn load(path: &Path) -> Loaded {
    // Only a missing file is a fresh start; anything else there is kept, moved aside.
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Fresh,
        Err(e) => return aside(path, e.to_string()),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return aside(path, "it is not UTF-8 text".into());
    };
    match serde_json::from_str::<SessionFile>(&text) {
        Ok(f) if f.version == VERSION => Loaded::Saved(f),
        Ok(f) => aside(path, format!("version {} is not {VERSION}", f.version)),
        Err(e) => aside(path, e.to_string()),
    }
}

fn aside(path: &Path, error: String) -> Loaded {
    let moved_to = path.with_extension(format!("corrupt-{}.json", std::process::id()));
    match std::fs::rename(path, &moved_to) {
        Ok(()) => Loaded::Corrupt { moved_to, error },
        Err(e) => Loaded::Corrupt {
            moved_to: path.to_path_buf(),
            error: format!("{error}; could not move it aside: {e}"),
        },
    }
}

/// Writes `text` atomically, readable by the user only (`data_dir::write_private`).
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    crate::data_dir::write_private(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::samples::samples;

    #[test]
    fn credential_variables_are_not_written_and_come_back_from_the_sample() {
        let mut app = App::new(
            samples(),
            Default::default(),
            super::super::app::Server::Starting,
            std::time::Instant::now(),
        );
        app.entries[0].draft.url.push_str("?edited=1");
        let json = to_json(&app);
        assert!(
            !json.contains(crate::practice::keys::BEARER_TOKEN),
            "{json}"
        );
        assert!(json.contains("${OPENAI_API_KEY}"));
        let saved: SessionFile = serde_json::from_str(&json).unwrap();
        let (entries, _) = restore(samples(), saved);
        assert!(entries[0].draft.url.ends_with("?edited=1"));
        assert!(
            entries[0]
                .draft
                .vars
                .iter()
                .any(|(n, v)| n == "OPENAI_API_KEY" && v == crate::practice::keys::BEARER_TOKEN)
        );
    }

    #[test]
    fn literal_credentials_become_references_on_disk() {
        let mut d = Draft::new("GET", "http://h/?api_key=EXAMPLE-literal-key-0000&q=1#top")
            .header("Authorization", "Bearer sk-EXAMPLE-FAKE-literal-0000000000")
            .header("X-API-Key", "${API_KEY}")
            .header("Accept", "application/json");
        d.query
            .push(crate::draft::Row::new("token", "EXAMPLE-query-token-0000"));
        d.auth = AuthHelper::Basic {
            user: "learner".into(),
            password: "EXAMPLE-password".into(),
        };
        let s = scrub(&d);
        // Names nothing else sets: a restored draft never sends another key from `.env`.
        assert_eq!(
            s.url,
            "http://h/?api_key=${AUTHLENS_UNSAVED_API_KEY}&q=1#top"
        );
        assert_eq!(
            s.headers[0].value,
            "Bearer ${AUTHLENS_UNSAVED_AUTHORIZATION}"
        );
        assert_eq!(s.headers[1].value, "${API_KEY}");
        assert_eq!(s.headers[2].value, "application/json");
        assert_eq!(s.query[0].value, "${AUTHLENS_UNSAVED_TOKEN}");
        assert_eq!(
            s.auth,
            AuthHelper::Basic {
                user: "learner".into(),
                password: "${AUTHLENS_UNSAVED_BASIC_PASSWORD}".into()
            }
        );
    }

    /// What `scrub` leaves out is noted exactly: setting each reference to its noted value
    /// gives back the draft as typed, byte for byte (a double space, a trailing space).
    #[test]
    fn what_is_left_out_is_noted_so_it_can_be_put_back_exactly() {
        let mut d = Draft::new("POST", "http://h/?api_key=EXAMPLE-url-key-0000")
            .header("Authorization", "Bearer  EXAMPLE-FAKE-one-0000 ")
            .header("Authorization", "Bearer EXAMPLE-FAKE-two-0000")
            .header("X-API-Key", "${API_KEY}");
        d.vars.push(("MY_TOKEN".into(), "EXAMPLE-var-token".into()));
        d.vars.push(("EMPTY_TOKEN".into(), String::new()));
        d.vars.push(("REGION".into(), "eu".into()));
        d.body = crate::draft::Body::Text {
            content_type: None,
            text: r#"{"password": "EXAMPLE-hunter2-0000"}"#.into(),
        };
        let (saved, left) = scrub_noting(&d);
        let refs: Vec<&str> = left.iter().map(|l| l.reference.as_str()).collect();
        assert_eq!(
            refs,
            [
                "MY_TOKEN",
                "AUTHLENS_UNSAVED_API_KEY",
                "AUTHLENS_UNSAVED_AUTHORIZATION",
                "AUTHLENS_UNSAVED_AUTHORIZATION_2",
                "AUTHLENS_UNSAVED_BODY_SECRET_1",
            ]
        );
        assert_eq!(left[2].value, " EXAMPLE-FAKE-one-0000 ");
        assert_eq!(left[2].place, "header Authorization");
        assert!(left[0].variable && !left[1].variable);
        assert_eq!(saved.vars, [("REGION".to_string(), "eu".to_string())]);
        let vars = crate::vars::Vars::build(
            &left
                .iter()
                .map(|l| (l.reference.clone(), l.value.clone()))
                .chain([
                    ("API_KEY".into(), "K".into()),
                    ("REGION".into(), "eu".into()),
                ])
                .collect::<Vec<_>>(),
            [],
            Default::default(),
        );
        let mut typed_vars = d.vars.clone();
        typed_vars.push(("API_KEY".into(), "K".into()));
        let typed = crate::vars::Vars::build(&typed_vars, [], Default::default());
        let (a, b) = (
            crate::vars::resolve(&saved, &vars),
            crate::vars::resolve(&d, &typed),
        );
        let text = |r: &crate::vars::Resolved| {
            let headers: Vec<String> = r.headers.iter().map(|h| h.value.text.clone()).collect();
            let body = match &r.body {
                crate::vars::resolve::ResolvedBody::Text { text, .. } => text.text.clone(),
                _ => String::new(),
            };
            (r.url.text.clone(), headers, body)
        };
        assert_eq!(text(&a), text(&b));
        assert_eq!(text(&b).1[0], "Bearer  EXAMPLE-FAKE-one-0000 ");
    }

    #[test]
    fn references_are_renamed_all_at_once() {
        let mut d = Draft::new("GET", "http://h/?k=${AUTHLENS_UNSAVED_K}")
            .header("Authorization", "Bearer {{ TOKEN }}")
            .header("X-Other", "${TOKEN_2}");
        rename_refs(
            &mut d,
            &[
                ("AUTHLENS_UNSAVED_K", "K"),
                ("TOKEN", "TOKEN_2"),
                ("TOKEN_2", "TOKEN_3"),
            ],
        );
        assert_eq!(d.url, "http://h/?k=${K}");
        assert_eq!(d.headers[0].value, "Bearer {{TOKEN_2}}");
        assert_eq!(d.headers[1].value, "${TOKEN_3}");
    }

    #[test]
    fn credential_fields_of_a_body_are_not_saved() {
        let mut d = Draft::new("POST", "http://h/token");
        d.body = crate::draft::Body::Text {
            content_type: None,
            text: "user=bob&password=EXAMPLE-hunter2-0000&client_secret=${SECRET}".into(),
        };
        let crate::draft::Body::Text { text, .. } = scrub(&d).body else {
            panic!()
        };
        assert_eq!(
            text,
            "user=bob&password=${AUTHLENS_UNSAVED_BODY_SECRET_1}&client_secret=${SECRET}"
        );
        let mut d = Draft::new("POST", "http://h/");
        d.body = crate::draft::Body::Multipart {
            parts: vec![crate::draft::Part {
                name: "api_key".into(),
                value: crate::draft::PartValue::Text {
                    text: "EXAMPLE-FAKE-part-0000".into(),
                },
            }],
        };
        let json = serde_json::to_string(&scrub(&d)).unwrap();
        assert!(!json.contains("EXAMPLE-FAKE-part"), "{json}");
    }

    #[test]
    fn cookies_custom_scheme_headers_userinfo_and_json_values_are_scrubbed_in_place() {
        let mut d = Draft::new("GET", "https://user:EXAMPLE-FAKE-pass-0000@h/v1")
            .header("Cookie", "session=EXAMPLE-FAKE-session-0000; theme=dark")
            .header("X-Custom", "Bearer EXAMPLE-FAKE-custom-0000");
        d.body = crate::draft::Body::Text {
            content_type: None,
            text: r#"{"user":"bob","password":"pass"}"#.into(),
        };
        let s = scrub(&d);
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("EXAMPLE-FAKE"), "{json}");
        assert_eq!(s.url, "https://user:${AUTHLENS_UNSAVED_URL_USERINFO}@h/v1");
        assert_eq!(
            s.headers[0].value,
            "session=${AUTHLENS_UNSAVED_SESSION}; theme=dark"
        );
        assert_eq!(s.headers[1].value, "Bearer ${AUTHLENS_UNSAVED_X_CUSTOM}");
        let crate::draft::Body::Text { text, .. } = &s.body else {
            panic!()
        };
        assert_eq!(
            text,
            r#"{"user":"bob","password":"${AUTHLENS_UNSAVED_BODY_SECRET_1}"}"#
        );
        let key_as_user = scrub(&Draft::new("GET", "https://EXAMPLE-FAKE-key-0000@h/"));
        assert_eq!(
            key_as_user.url,
            "https://${AUTHLENS_UNSAVED_URL_USERINFO}@h/"
        );
    }

    #[cfg(unix)]
    #[test]
    fn the_session_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir =
            std::env::temp_dir().join(format!("authlens-private-session-{}", std::process::id()));
        let path = dir.join("authlens").join("session.json");
        write_atomic(&path, "{}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&path), mode(path.parent().unwrap())), (0o600, 0o700));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_binary_garbage_too() {
        let dir = std::env::temp_dir().join(format!("authlens-session-{}", std::process::id()));
        let path = dir.join("session.json");
        for garbage in [&b"{ not json"[..], b"{\"version\":1,\"entries\":[\x00\xff"] {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, garbage).unwrap();
            match load(&path) {
                Loaded::Corrupt { moved_to, .. } => {
                    assert!(moved_to.exists() && !path.exists());
                    assert_eq!(std::fs::read(&moved_to).unwrap(), garbage);
                }
                _ => panic!("expected corrupt for {garbage:?}"),
            }
            std::fs::remove_dir_all(&dir).unwrap();
        }
        assert!(matches!(load(&path), Loaded::Fresh));
    }
}
