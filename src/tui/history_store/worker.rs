//! The history thread: it reads the file once the loop starts, answers with the entries to
//! put back, then takes `Op`s in order and writes after each batch — so a send that lands
//! while the file is written never waits, and `update` never touches the disk.

use super::Op;
use super::file::Store;
use crate::tui::msg::Msg;
use std::path::PathBuf;
use tokio::sync::mpsc::UnboundedSender;

/// The running thread: ops go in, and `finish` waits for the last write.
pub struct Worker {
    ops: std::sync::mpsc::Sender<Op>,
    thread: std::thread::JoinHandle<()>,
}

impl Worker {
    /// Starts the thread on `path`; its first message is `Msg::HistoryLoaded`.
    pub fn start(path: PathBuf, out: UnboundedSender<Msg>) -> Worker {
        let (ops, rx) = std::sync::mpsc::channel::<Op>();
        let thread = std::thread::spawn(move || {
            let (mut store, restored) = Store::open(&path);
            let _ = out.send(Msg::HistoryLoaded(Box::new(restored)));
            while let Ok(op) = rx.recv() {
                // Whatever queued meanwhile is applied before one write.
                let mut changed = apply(&mut store, op);
                while let Ok(more) = rx.try_recv() {
                    changed |= apply(&mut store, more);
                }
                if changed && let Err(e) = store.write() {
                    let text = format!("history not saved to {}: {e}", store.path().display());
                    let _ = out.send(Msg::Note { error: true, text });
                }
            }
        });
        Worker { ops, thread }
    }

    pub fn send(&self, op: Op) {
        let _ = self.ops.send(op);
    }

    /// No more ops: waits until the thread has written what it was given.
    pub fn finish(self) {
        drop(self.ops);
        let _ = self.thread.join();
    }
}

/// Applies one op; says whether the file must be written.
fn apply(store: &mut Store, op: Op) -> bool {
    match op {
        Op::Keep(keep) => {
            store.keep(&keep);
            true
        }
        Op::Retain(live) => store.retain(&live),
    }
}
