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
use crate::draft::Draft;
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

/// The trust rule's pieces, shared with `.http` files (`vars::scrub`).
pub use crate::vars::scrub::{Left, UNSAVED, rename_refs, scrub, scrub_noting};

/// The session as JSON: samples and the user's drafts, not the history or a lesson's request.
pub fn to_json(app: &App) -> String {
    to_json_renaming(app, &[])
}

/// `to_json`, with references renamed in the saved drafts: `(entry, from, to)` makes entry's
/// `${from}` a `${to}` — a secret typed literally, written to `.env` at quit, saved as the
/// name it was written under rather than as `${AUTHLENS_UNSAVED_…}`.
pub fn to_json_renaming(app: &App, renames: &[(usize, String, String)]) -> String {
    // A `.http` file's request comes back from its file, unless it was edited and not saved:
    // then it is kept as the user's own draft, so quitting loses nothing.
    let kept = |e: &Entry| match e.kind {
        EntryKind::Sample | EntryKind::Yours => true,
        EntryKind::File(r) => super::collection::edited(&app.collection, r, &e.draft),
        _ => false,
    };
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
            let name = match e.kind {
                EntryKind::File(_) => format!("{} (unsaved edit)", e.name),
                _ => e.name.clone(),
            };
            SavedEntry {
                name: crate::secret::masked_url(&name),
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
