//! History on disk: every send, and each watched exchange the user keeps (`s` on the watch
//! screen), written to `history.json` in authlens's data directory and back in the list on
//! the next start, each reopening its exchange and its findings as they were.
//!
//! What is written is masked as everywhere else: the exchange goes through the send's own
//! redactor (`formats::export_mask`, as `send --format json` writes it), the draft is scrubbed
//! as the session scrubs drafts (`session::scrub`: credentials as `${…}` references), and
//! the record's text passes the redactor once more. The file is capped by count and bytes,
//! oldest first, each body cut at `BODY_MAX` with the views' own "only the first … held"
//! marks; it is `0600` in the `0700` data directory, written atomically, and a file that does
//! not parse is moved aside with a message. All of it runs on the runtime's history thread
//! (`worker`), never in `update`.

pub mod file;
pub mod record;
pub mod worker;

use super::app::Loaded;
use crate::draft::Draft;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Records kept at most; the oldest goes first.
pub const MAX_ENTRIES: usize = 500;
/// Bytes the file holds at most (its records' text); the oldest goes first.
pub const MAX_BYTES: usize = 32 << 20;
/// Bytes kept of each body (a response's, a request's past its head): a 401 is read in its
/// first lines, and 500 entries of 20 MiB bodies would be 10 GB.
pub const BODY_MAX: usize = 256 << 10;

/// `history.json` beside the session, in authlens's data directory.
pub fn default_path() -> Option<PathBuf> {
    Some(crate::data_dir::dir()?.join("history.json"))
}

/// Where a kept exchange came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Send,
    Watch,
}

/// An exchange to keep, as `update` hands it over: shared, not copied — masking, cutting and
/// writing happen on the history thread.
#[derive(Debug, Clone)]
pub struct Keep {
    pub name: String,
    pub source: Source,
    /// Unix seconds of the diagnosis (the runtime's clock as of the message).
    pub at: i64,
    /// The draft as sent; scrubbed before it is written.
    pub draft: Draft,
    pub loaded: Arc<Loaded>,
    /// Why the send ended without a final response, when it did (a transport failure after
    /// some hops).
    pub error: Option<String>,
}

/// What the history thread is asked to do.
#[derive(Debug, Clone)]
pub enum Op {
    /// Add one record and write the file.
    Keep(Box<Keep>),
    /// At quit: the history entries still in the list, so one deleted with `d` stays deleted
    /// (`file::Store::retain`).
    Retain(Vec<Arc<Loaded>>),
}

/// Ops are the same when they name the same exchanges (the `Arc`s, not their contents).
impl PartialEq for Op {
    fn eq(&self, other: &Op) -> bool {
        match (self, other) {
            (Op::Keep(a), Op::Keep(b)) => {
                Arc::ptr_eq(&a.loaded, &b.loaded) && (a.at, &a.name) == (b.at, &b.name)
            }
            (Op::Retain(a), Op::Retain(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
            }
            _ => false,
        }
    }
}

/// The file read at start: the entries to put back in the list, and what to say if it did
/// not load.
#[derive(Debug, Default)]
pub struct Restored {
    pub entries: Vec<super::app::Entry>,
    pub note: Option<String>,
}
