//! `history.json` itself: read at start (a file that does not parse is moved aside), the
//! records kept in memory as the text they are written as, capped, and written atomically.

use super::record::{self, Record};
use super::{Keep, MAX_BYTES, MAX_ENTRIES, Restored};
use crate::tui::app::Loaded;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Weak};

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct HistoryFile {
    version: u32,
    entries: Vec<Record>,
}

/// One record as written, and the exchange it is the record of in this run's list: which
/// record a history entry is, without an id in the entry (`Op::Retain`).
struct Kept {
    text: String,
    from: Weak<Loaded>,
}

/// The records of the file, oldest first, with their total size.
pub struct Store {
    path: PathBuf,
    kept: VecDeque<Kept>,
    bytes: usize,
    /// A file that did not load and could not be moved aside is never written over.
    frozen: bool,
}

impl Store {
    /// Reads the file at `path`: the store, and the entries to put back in the list. A missing
    /// file is an empty history; one that does not parse is moved aside and said.
    pub fn open(path: &Path) -> (Store, Restored) {
        let mut store = Store {
            path: path.to_path_buf(),
            kept: VecDeque::new(),
            bytes: 0,
            frozen: false,
        };
        let mut restored = Restored::default();
        match read(path) {
            Ok(records) => {
                for r in records {
                    let text = serde_json::to_string(&r).unwrap_or_default();
                    let (entry, loaded) = record::entry_of(r);
                    store.push(text, Arc::downgrade(&loaded));
                    restored.entries.push(entry);
                }
                let dropped = store.cap();
                restored.entries.drain(..dropped);
            }
            Err((note, moved)) => {
                store.frozen = !moved;
                restored.note = Some(note);
            }
        }
        (store, restored)
    }

    /// Adds the record of `keep`, oldest dropped past the caps.
    pub fn keep(&mut self, keep: &Keep) {
        let text = record::text_of(keep);
        self.push(text, Arc::downgrade(&keep.loaded));
        self.cap();
    }

    /// Forgets the records of exchanges deleted from the list: those still alive (a deleted
    /// entry waits on the undo stack) but not among `listed`. A record whose exchange is gone
    /// altogether is kept: its entry was given a new diagnosis (a spec loaded later), or was
    /// deleted so long ago that not even Ctrl+Z has it — the first is the common case.
    pub fn retain(&mut self, listed: &[Arc<Loaded>]) -> bool {
        let before = self.kept.len();
        self.kept.retain(|k| {
            k.from.strong_count() == 0
                || listed
                    .iter()
                    .any(|l| std::ptr::eq(k.from.as_ptr(), Arc::as_ptr(l)))
        });
        self.bytes = self.kept.iter().map(|k| k.text.len()).sum();
        self.kept.len() != before
    }

    pub fn len(&self) -> usize {
        self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty()
    }

    /// The bytes of the records' text (the file adds a few for its frame).
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Writes the file: `0600`, atomically, in the `0700` data directory.
    pub fn write(&self) -> std::io::Result<()> {
        if self.frozen {
            return Ok(());
        }
        crate::data_dir::write_private(&self.path, self.text().as_bytes())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text: the records' own text, one a line, in the file's frame.
    fn text(&self) -> String {
        let mut out = String::with_capacity(self.bytes + self.kept.len() * 2 + 40);
        out.push_str(&format!("{{\"version\":{VERSION},\"entries\":[\n"));
        for (i, k) in self.kept.iter().enumerate() {
            if i > 0 {
                out.push_str(",\n");
            }
            out.push_str(&k.text);
        }
        out.push_str("\n]}\n");
        out
    }

    fn push(&mut self, text: String, from: Weak<Loaded>) {
        self.bytes += text.len();
        self.kept.push_back(Kept { text, from });
    }

    /// Drops the oldest records past `MAX_ENTRIES` or `MAX_BYTES`; returns how many went.
    fn cap(&mut self) -> usize {
        let mut dropped = 0;
        while self.kept.len() > MAX_ENTRIES || (self.bytes > MAX_BYTES && self.kept.len() > 1) {
            if let Some(k) = self.kept.pop_front() {
                self.bytes -= k.text.len();
                dropped += 1;
            }
        }
        dropped
    }
}

/// The records of the file; an empty list when there is none. Anything else that is there
/// and does not read is moved aside, never overwritten, and the message says where.
/// The error says whether the file was moved aside.
fn read(path: &Path) -> Result<Vec<Record>, (String, bool)> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(aside(path, e.to_string())),
    };
    match serde_json::from_slice::<HistoryFile>(&bytes) {
        Ok(f) if f.version == VERSION => Ok(f.entries),
        Ok(f) => Err(aside(
            path,
            format!("version {} is not {VERSION}", f.version),
        )),
        Err(e) => Err(aside(path, e.to_string())),
    }
}

fn aside(path: &Path, error: String) -> (String, bool) {
    let moved_to = path.with_extension(format!("corrupt-{}.json", std::process::id()));
    match std::fs::rename(path, &moved_to) {
        Ok(()) => {
            let text = format!(
                "the history did not load ({error}); it was moved to {}",
                moved_to.display()
            );
            (text, true)
        }
        Err(e) => {
            let text = format!(
                "the history did not load ({error}) and could not be moved aside ({e}): \
                 nothing will be written to it this run"
            );
            (text, false)
        }
    }
}
