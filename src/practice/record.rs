//! The exact bytes each request arrived as, so tests and lessons can compare them with what a
//! client claims to have sent.
//!
//! hyper parses requests and throws the original bytes away (header case, order, spacing), so
//! every accepted socket is wrapped in a [`crate::tee::TeeStream`], which copies each byte
//! read into a per-connection buffer; when a request's body has been read to the end, its
//! bytes are cut off the front of that buffer.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::Notify;

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The listener that received it: the main origin or the redirect target.
    pub origin: SocketAddr,
    /// The exact request bytes, head and body, as read from the socket.
    pub raw: Vec<u8>,
    pub method: String,
    /// The path of the request target, without the query string (which is in `raw`).
    pub path: String,
}

/// Locks that survive a panic elsewhere: a poisoned record list is still a correct list.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// How much of the past the server keeps: the newest requests, by count and by bytes, so a
/// long `authlens serve` session stays small whatever is uploaded to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Requests kept at most.
    pub records: usize,
    /// Raw bytes (heads and bodies) kept at most, over all kept requests.
    pub bytes: usize,
    /// How long a request body may take to arrive; a trickling body gets 408 after this.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            records: 1000,
            bytes: 64 * 1024 * 1024,
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// The newest requests received by both listeners, in arrival order, with a wake-up for
/// waiters. Older ones are dropped once the count or byte limit is passed.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    kept: Mutex<Kept>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct Kept {
    records: VecDeque<Recorded>,
    bytes: usize,
    /// Every request ever pushed, dropped or not: what waiters count.
    total: usize,
    limits: Limits,
}

impl Recorder {
    pub(crate) fn new(limits: Limits) -> Recorder {
        Recorder {
            kept: Mutex::new(Kept {
                limits,
                ..Kept::default()
            }),
            changed: Notify::new(),
        }
    }

    pub(crate) fn push(&self, rec: Recorded) {
        {
            let mut k = lock(&self.kept);
            k.bytes += rec.raw.len();
            k.total += 1;
            k.records.push_back(rec);
            while k.records.len() > k.limits.records.max(1)
                || (k.bytes > k.limits.bytes && k.records.len() > 1)
            {
                let old = k.records.pop_front().map_or(0, |r| r.raw.len());
                k.bytes -= old;
            }
        }
        self.changed.notify_waiters();
    }

    pub(crate) fn snapshot(&self) -> Vec<Recorded> {
        lock(&self.kept).records.iter().cloned().collect()
    }

    /// Waits until `n` requests have been received in all (kept or since dropped) or the
    /// deadline passes, and returns the ones kept.
    ///
    /// The waiter registers with the `Notify` before looking at the count, so a push that
    /// lands between the look and the wait still wakes it.
    pub(crate) async fn wait_for(&self, n: usize, deadline: Duration) -> Vec<Recorded> {
        let until = tokio::time::Instant::now() + deadline;
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if lock(&self.kept).total >= n {
                return self.snapshot();
            }
            if tokio::time::timeout_at(until, notified).await.is_err() {
                return self.snapshot();
            }
        }
    }
}

/// The most unclaimed bytes one connection holds: the largest body read, plus room for a head.
/// A body larger than the server reads (413) is kept only up to this: the record shows its
/// start, not all of what a client pushed before the connection closed.
pub(crate) const CONN_CAP: usize = super::MAX_BODY + 256 * 1024;
