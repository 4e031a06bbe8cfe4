//! `.http` files as the list's collection: the files opened (`authlens FILE.http`) or found
//! in the current directory, their requests as list entries that know their file and index,
//! and the variables each file gives its requests (its `@name = value` lines and the active
//! environment of `http-client.env.json`, `tui::collection::envs`).
//!
//! The files are the truth: their requests are never written to the session, and come back
//! from the files on the next start. Saving into a file is `save`.

pub mod envs;
pub mod save;

use super::app::{App, Entry, EntryKind};
use crate::formats::http_file::{self, Environments, HttpFile, HttpFileError};
use crate::vars::Source;
use std::path::{Path, PathBuf};

/// Where a list entry's request lives: file `file` of `Collection::files`, request `index`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileRef {
    pub file: usize,
    pub index: usize,
}

/// One `.http` file, as last read or written, with the environments beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenFile {
    pub path: PathBuf,
    pub doc: HttpFile,
    pub envs: Environments,
}

impl OpenFile {
    /// The directory its relative paths and environments are read from.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// `api.http`: how the list names the file its requests come from.
    pub fn short_name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

/// The `.http` side of the app: the files, the environment in force, a save being asked.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub files: Vec<OpenFile>,
    /// The `http-client.env.json` environment in force; `None`: only `.env` and the process
    /// environment, as without `.http` files.
    pub env: Option<String>,
    /// The file and name being asked for a first save (`save`).
    pub saving: Option<save::Asking>,
    /// Each file request's draft as it was read or last saved: a draft that differs is an
    /// edit not saved yet, which the session keeps at quit.
    pub clean: std::collections::HashMap<FileRef, crate::draft::Draft>,
}

/// The command line's `url` names a `.http` file: ends with `.http` and is no URL.
pub fn file_arg(url: &str) -> Option<&Path> {
    (url.ends_with(".http") && !url.contains("://")).then(|| Path::new(url))
}

/// The `*.http` files of `dir`, sorted by name, so the list is the same every start.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = read
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "http") && p.is_file())
        .map(|p| match p.strip_prefix(dir) {
            Ok(rest) if dir == Path::new(".") => Path::new(".").join(rest),
            _ => p,
        })
        .collect();
    found.sort();
    found
}

/// Reads a file and its environments, and makes its requests drafts: any error names the
/// file and line.
pub fn open(path: &Path) -> Result<(OpenFile, Vec<Entry>), HttpFileError> {
    let doc = http_file::read(path)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let envs = Environments::load(dir)?;
    let file = OpenFile {
        path: path.to_path_buf(),
        doc,
        envs,
    };
    let entries = entries_of(&file, usize::MAX)?;
    Ok((file, entries))
}

/// True when `draft` differs from request `r` as it was read or last saved: an edit not
/// saved. (Not compared with the file itself: a saved literal key is a `{{…}}` reference
/// there, while the draft in hand still holds it.)
pub fn edited(collection: &Collection, r: FileRef, draft: &crate::draft::Draft) -> bool {
    collection.clean.get(&r) != Some(draft)
}

/// The file's requests as entries of file number `n`, named `api.http › upload`.
pub fn entries_of(file: &OpenFile, n: usize) -> Result<Vec<Entry>, HttpFileError> {
    let mut out = Vec::new();
    for (index, req) in file.doc.requests().iter().enumerate() {
        let draft = file.doc.to_draft(index, file.dir())?;
        let own = req
            .name
            .clone()
            .unwrap_or_else(|| super::names::from_draft(&draft));
        let mut e = Entry::yours(format!("{} › {own}", file.short_name()), draft);
        e.kind = EntryKind::File(FileRef { file: n, index });
        out.push(e);
    }
    Ok(out)
}

/// Adds opened files to the app's collection, their entries numbered for it, at the end of
/// `entries`. Returns the index of the first entry added.
pub fn add(
    collection: &mut Collection,
    entries: &mut Vec<Entry>,
    opened: Vec<(OpenFile, Vec<Entry>)>,
) -> usize {
    let first = entries.len();
    for (file, mut list) in opened {
        let n = collection.files.len();
        for e in &mut list {
            if let EntryKind::File(r) = &mut e.kind {
                r.file = n;
                collection.clean.insert(*r, e.draft.clone());
            }
        }
        collection.files.push(file);
        entries.extend(list);
    }
    first
}

/// Opens `paths` where each may fail: the ones that read, and a note naming the first that
/// did not (the current directory's files: one broken file does not stop the others).
pub fn open_all(paths: &[PathBuf]) -> (Vec<(OpenFile, Vec<Entry>)>, Option<String>) {
    let mut opened = Vec::new();
    let mut note = None;
    for p in paths {
        match open(p) {
            Ok(o) => opened.push(o),
            Err(e) => {
                note.get_or_insert_with(|| format!("not listed: {e}"));
            }
        }
    }
    (opened, note)
}

impl App {
    /// The file entry `i`'s request comes from, if any.
    pub fn file_of(&self, i: usize) -> Option<(FileRef, &OpenFile)> {
        match self.entries.get(i)?.kind {
            EntryKind::File(r) => Some((r, self.collection.files.get(r.file)?)),
            _ => None,
        }
    }

    /// What entry `i`'s file gives its requests, highest first: the file's variables, then
    /// the active environment (when that file's directory has it). None for other entries.
    pub fn file_layers(&self, i: usize) -> Vec<(String, String, Source)> {
        let Some((_, file)) = self.file_of(i) else {
            return Vec::new();
        };
        let env = self
            .collection
            .env
            .as_deref()
            .and_then(|name| file.envs.variables(name).ok())
            .unwrap_or_default();
        http_file::file_variables(&file.doc, &env)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_ending_in_http_is_a_file_and_a_url_is_not() {
        assert!(file_arg("api.http").is_some());
        assert!(file_arg("./dir/api.http").is_some());
        assert!(file_arg("https://h.test/x.http").is_none());
        assert!(file_arg("https://h.test/").is_none());
    }
}
