//! `w`: the selected request saved into a `.http` file, on request only. A request of a file
//! is written back over itself (`HttpFile::replace`: comments, order and unknown lines
//! elsewhere stay); any other asks, the first time, for the file (`./requests.http` unless
//! one was saved to already) and a name, then is that file's request from then on.
//!
//! `update` only asks (`Effect::SaveHttp`); the runtime reads the file as it is on disk,
//! writes the draft through the trust rule (`http_file::save_request`: credentials only as
//! `{{NAME}}`) and answers with `Msg::HttpSaved`.

use super::{FileRef, OpenFile};
use crate::draft::Draft;
use crate::formats::http_file::{self, Environments};
use crate::tui::app::{App, Editing, EntryKind, Level, Target};
use crate::tui::input::TextInput;
use crate::tui::msg::Effect;
use crate::tui::names;
use crate::vars::scrub::{Left, UNSAVED};
use std::path::{Component, Path, PathBuf};

/// Where a file is created when none was saved to yet.
pub const DEFAULT_FILE: &str = "./requests.http";

/// A first save being asked: the entry, and the file once typed (then the name is asked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asking {
    pub entry: usize,
    pub file: Option<PathBuf>,
}

/// A save to perform off the event loop.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveJob {
    pub entry: usize,
    pub path: PathBuf,
    /// The request to write over; `None` appends a new one named `name`.
    pub index: Option<usize>,
    pub name: Option<String>,
    pub draft: Draft,
}

/// What a save did: the file as written and the secrets left out of it.
#[derive(Debug, Clone)]
pub struct Saved {
    pub job: SaveJob,
    pub index: usize,
    pub file: OpenFile,
    pub left: Vec<Left>,
}

/// `w` on the selected request.
pub fn save(app: &mut App) -> Vec<Effect> {
    app.editing = None;
    let Some(e) = app.entry() else {
        return Vec::new();
    };
    let why = match e.kind {
        EntryKind::History => "history stays as it was sent; ^D copies it into a request to save",
        EntryKind::Lesson | EntryKind::Watched => "a lesson's request stays in its lesson",
        EntryKind::File(r) => return save_in_place(app, r),
        EntryKind::Sample | EntryKind::Yours => return ask_file(app),
    };
    app.status = Some((Level::Info, format!("not saved: {why}")));
    Vec::new()
}

fn save_in_place(app: &mut App, r: FileRef) -> Vec<Effect> {
    let (Some(file), Some(draft)) = (app.collection.files.get(r.file), app.draft()) else {
        return Vec::new();
    };
    let job = SaveJob {
        entry: app.selected,
        path: file.path.clone(),
        index: Some(r.index),
        name: None,
        draft: draft.clone(),
    };
    vec![Effect::SaveHttp(Box::new(job))]
}

/// The first question: which file (the last one saved to, else `./requests.http`).
fn ask_file(app: &mut App) -> Vec<Effect> {
    let default = app.collection.files.last().map_or_else(
        || DEFAULT_FILE.to_string(),
        |f| f.path.display().to_string(),
    );
    app.collection.saving = Some(Asking {
        entry: app.selected,
        file: None,
    });
    prompt(
        app,
        &default,
        "save into which .http file? (created if missing) · Enter · Esc cancels",
    );
    Vec::new()
}

fn prompt(app: &mut App, text: &str, hint: &str) {
    app.editing = Some(Editing {
        target: Target::SaveAs,
        input: TextInput::new(text, false),
        was: text.to_string(),
        entry: app.selected,
        before: None,
    });
    app.status = Some((Level::Info, hint.into()));
}

/// Enter in the prompt: the file, then the name; the name asks for the write.
pub fn answer(app: &mut App, e: Editing) -> Vec<Effect> {
    let typed = e.input.text.trim().to_string();
    let Some(asking) = app.collection.saving.clone() else {
        return Vec::new();
    };
    if typed.is_empty() {
        app.status = Some((Level::Error, "type a name, or Esc cancels the save".into()));
        app.editing = Some(e);
        return Vec::new();
    }
    let Some(file) = asking.file else {
        let path = if typed.ends_with(".http") {
            typed
        } else {
            format!("{typed}.http")
        };
        app.collection.saving = Some(Asking {
            entry: asking.entry,
            file: Some(PathBuf::from(path)),
        });
        let name = app
            .entries
            .get(asking.entry)
            .map(default_name)
            .unwrap_or_default();
        prompt(
            app,
            &name,
            "name it in the file (### name) · Enter saves · Esc cancels",
        );
        return Vec::new();
    };
    app.collection.saving = None;
    let Some(entry) = app.entries.get(asking.entry) else {
        return Vec::new();
    };
    let job = SaveJob {
        entry: asking.entry,
        path: file,
        index: None,
        name: Some(typed),
        draft: entry.draft.clone(),
    };
    vec![Effect::SaveHttp(Box::new(job))]
}

/// The name offered: a sample's without its ✓/✗, else the one the list shows.
fn default_name(e: &crate::tui::app::Entry) -> String {
    match e.kind {
        EntryKind::Sample => names::unmarked(e),
        _ => names::base(e),
    }
}

/// Esc in the prompt: nothing is written.
pub fn cancel(app: &mut App) {
    app.collection.saving = None;
    app.status = Some((Level::Info, "not saved".into()));
}

/// The Settings tab's file paths are relative to where authlens runs, a `.http` file's to
/// the file: made absolute here, they are written relative to the file (`./certs/c.pem`) and
/// read back as the same file.
fn settings_paths_from_here(d: &crate::draft::Draft) -> crate::draft::Draft {
    let mut d = d.clone();
    let Ok(here) = std::env::current_dir() else {
        return d;
    };
    let s = &mut d.settings;
    for p in [&mut s.ca_bundle, &mut s.client_cert, &mut s.client_key]
        .into_iter()
        .flatten()
    {
        if Path::new(p.as_str()).is_relative() && !p.starts_with(['{', '$']) {
            *p = here.join(p.as_str()).display().to_string();
        }
    }
    d
}

impl SaveJob {
    /// Reads the file as it is now (a missing one is new), writes the draft into it under
    /// the trust rule and the file back, atomically. Runs off the event loop.
    pub fn run(self) -> Result<Saved, String> {
        let mut doc = match std::fs::metadata(&self.path) {
            Ok(_) => http_file::read(&self.path).map_err(|e| e.to_string())?,
            Err(_) => http_file::parse(&self.path, "").map_err(|e| e.to_string())?,
        };
        let dir = self.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let name = self.name.as_deref();
        let draft = settings_paths_from_here(&self.draft);
        let (index, left) = http_file::save_request(&mut doc, self.index, name, &draft, &dir)
            .map_err(|e| e.to_string())?;
        let text = doc.write();
        crate::data_dir::write_user_file(&self.path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", self.path.display()))?;
        let doc = http_file::parse(&self.path, &text).map_err(|e| e.to_string())?;
        let envs = Environments::load(&dir).unwrap_or_default();
        let file = OpenFile {
            path: self.path.clone(),
            doc,
            envs,
        };
        Ok(Saved {
            job: self,
            index,
            file,
            left,
        })
    }
}

/// The runtime's answer: the entry is now the file's request, and the status line says what
/// was left out of the file and where to set it.
pub fn saved(app: &mut App, result: Result<Saved, String>) -> Vec<Effect> {
    let s = match result {
        Ok(s) => s,
        Err(why) => {
            app.status = Some((Level::Error, format!("not saved: {why}")));
            return Vec::new();
        }
    };
    let n = match app
        .collection
        .files
        .iter()
        .position(|f| same_path(&f.path, &s.file.path))
    {
        Some(n) => {
            app.collection.files[n] = s.file;
            n
        }
        None => {
            app.collection.files.push(s.file);
            app.collection.files.len() - 1
        }
    };
    let file = &app.collection.files[n];
    let shown = file.path.display().to_string();
    let label = format!(
        "{} › {}",
        file.short_name(),
        s.job.name.clone().unwrap_or_default()
    );
    // The entry the save was asked for: at its index unless the list moved meanwhile.
    let at = Some(s.job.entry)
        .filter(|&i| app.entries.get(i).is_some_and(|e| e.draft == s.job.draft))
        .or_else(|| app.entries.iter().position(|e| e.draft == s.job.draft));
    if let Some(e) = at.and_then(|i| app.entries.get_mut(i)) {
        if s.job.index.is_none() {
            e.name = label;
            e.sample_id = None;
            e.lesson = None;
        }
        let r = FileRef {
            file: n,
            index: s.index,
        };
        e.kind = EntryKind::File(r);
        app.collection.clean.insert(r, s.job.draft.clone());
    }
    app.layers_changed();
    app.status = Some((Level::Info, note(&shown, &s.left)));
    Vec::new()
}

/// `saved to ./requests.http`, and what the trust rule left out of it.
fn note(path: &str, left: &[Left]) -> String {
    let typed: Vec<&Left> = left
        .iter()
        .filter(|l| l.reference.starts_with(UNSAVED))
        .collect();
    let dropped: Vec<&Left> = left
        .iter()
        .filter(|l| !l.reference.starts_with(UNSAVED))
        .collect();
    let mut text = format!("saved to {path}");
    if let [one] = typed[..] {
        text.push_str(&format!(
            "; the literal key in {} was written as {{{{{}}}}}: set it in .env or http-client.private.env.json",
            one.place, one.reference
        ));
    } else if !typed.is_empty() {
        text.push_str(&format!(
            "; {} literal secrets were written as {{{{{UNSAVED}…}}}}: set them in .env or http-client.private.env.json",
            typed.len()
        ));
    }
    if !dropped.is_empty() {
        let names: Vec<&str> = dropped.iter().map(|l| l.reference.as_str()).collect();
        text.push_str(&format!(
            "; credential variables not written: {} (set them in .env or http-client.private.env.json)",
            names.join(", ")
        ));
    }
    text
}

/// The same file however it was spelled: `./a.http` and `a.http`.
fn same_path(a: &Path, b: &Path) -> bool {
    let plain =
        |p: &Path| -> PathBuf { p.components().filter(|c| *c != Component::CurDir).collect() };
    plain(a) == plain(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_paths_are_made_absolute_from_where_authlens_runs_before_a_file_gets_them() {
        let mut d = crate::draft::Draft::new("GET", "https://h.example/");
        d.settings.client_cert = Some("certs/client.pem".into());
        d.settings.client_key = Some("/abs/client.key".into());
        d.settings.ca_bundle = Some("${CA_BUNDLE}".into());
        let out = settings_paths_from_here(&d).settings;
        let here = std::env::current_dir().unwrap();
        let cert = here.join("certs/client.pem").display().to_string();
        assert_eq!(out.client_cert, Some(cert));
        assert_eq!(out.client_key.as_deref(), Some("/abs/client.key"));
        assert_eq!(out.ca_bundle.as_deref(), Some("${CA_BUNDLE}"));
    }
}
