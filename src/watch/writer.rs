//! The one thread that writes exchanges down and diagnoses them, in the order their responses
//! ended: off the proxy's path, so the program never waits for the rules, and never more than
//! one thread however fast requests come (the blocking pool would grow to hundreds). Its queue
//! is bounded: a program that sends faster than exchanges can be diagnosed is never slowed
//! down; the exchanges over the backlog pass through unrecorded, and a notice says how many.

use super::record::{self, Captured};
use super::{Event, InflightGuard};
use std::sync::mpsc;
use tokio::sync::mpsc::UnboundedSender;

/// One exchange to write down; the guard counts it in flight until its event is out.
pub(crate) struct Job {
    pub captured: Captured,
    pub guard: InflightGuard,
}

/// Exchanges waiting to be written down at most. Each holds at most a few `--max-body`
/// copies, so this bounds the watch's memory whatever the program does.
pub(crate) const BACKLOG: usize = 256;

/// Starts the writer. It ends when every sender is gone and the queue is empty.
pub(crate) fn start(
    events: UnboundedSender<Event>,
    judging: record::Judging,
) -> std::io::Result<mpsc::SyncSender<Job>> {
    let (tx, rx) = mpsc::sync_channel::<Job>(BACKLOG);
    std::thread::Builder::new()
        .name("authlens-watch-writer".into())
        .spawn(move || {
            for job in rx {
                let watched = record::assemble(job.captured, &judging);
                let _ = events.send(Event::Exchange(Box::new(watched)));
                drop(job.guard);
            }
        })?;
    Ok(tx)
}
