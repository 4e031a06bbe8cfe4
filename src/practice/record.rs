//! The exact bytes each request arrived as, so tests and lessons can compare them with what a
//! client claims to have sent.
//!
//! hyper parses requests and throws the original bytes away (header case, order, spacing), so
//! every accepted socket is wrapped in [`TeeStream`], which copies each byte read into a
//! per-connection buffer. When a request's body has been read to the end, [`ConnBytes`] cuts
//! that request's bytes off the front of the buffer; anything after them belongs to the next
//! request on the same keep-alive connection.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::HeaderMap;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
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

/// A TCP stream that copies every byte it reads into a shared per-connection buffer.
pub(crate) struct TeeStream {
    inner: TcpStream,
    seen: Arc<Mutex<ConnBytes>>,
}

impl TeeStream {
    pub(crate) fn new(inner: TcpStream, seen: Arc<Mutex<ConnBytes>>) -> Self {
        TeeStream { inner, seen }
    }
}

impl AsyncRead for TeeStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = polled {
            lock(&self.seen).keep(&buf.filled()[before..]);
        }
        polled
    }
}

impl AsyncWrite for TeeStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// How the body of a parsed request is delimited on the wire (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    None,
    Length(u64),
    Chunked,
}

impl Framing {
    /// Read from the headers hyper accepted; chunked wins over a length, as it does in hyper.
    pub(crate) fn of(headers: &HeaderMap) -> Framing {
        let chunked = headers
            .get_all(hyper::header::TRANSFER_ENCODING)
            .iter()
            .any(|v| {
                let v = String::from_utf8_lossy(v.as_bytes()).to_ascii_lowercase();
                v.rsplit(',')
                    .next()
                    .is_some_and(|last| last.trim() == "chunked")
            });
        if chunked {
            return Framing::Chunked;
        }
        // hyper accepts repeated or comma-listed lengths when they agree; the first will do.
        headers
            .get_all(hyper::header::CONTENT_LENGTH)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .find_map(|v| v.trim().parse().ok())
            .map_or(Framing::None, Framing::Length)
    }
}

/// Bytes read on one connection that no request has claimed yet. A body larger than the
/// server reads (413) is kept only up to [`CONN_CAP`]: the record shows its start, not all of
/// what a client pushed before the connection closed.
#[derive(Debug, Default)]
pub(crate) struct ConnBytes {
    unattributed: Vec<u8>,
}

/// The most unclaimed bytes one connection holds: the largest body read, plus room for a head.
pub(crate) const CONN_CAP: usize = super::MAX_BODY + 256 * 1024;

impl ConnBytes {
    /// Appends what was read, up to [`CONN_CAP`] unclaimed bytes.
    fn keep(&mut self, read: &[u8]) {
        let room = CONN_CAP.saturating_sub(self.unattributed.len());
        self.unattributed
            .extend_from_slice(&read[..read.len().min(room)]);
    }

    /// Cuts the next request's bytes off the front, using the framing hyper parsed.
    ///
    /// hyper may already have read part of a pipelined next request, so the length is worked
    /// out from the head and the body framing rather than taking everything. If the bytes do
    /// not add up (a body cut short by a 413), everything read so far is this request's.
    pub(crate) fn take_request(&mut self, framing: Framing) -> Vec<u8> {
        let len = request_len(&self.unattributed, framing).unwrap_or(self.unattributed.len());
        self.unattributed.drain(..len).collect()
    }
}

/// Length of the first complete request in `buf`, or `None` when it is not all there.
fn request_len(buf: &[u8], framing: Framing) -> Option<usize> {
    let head = head_len(buf)?;
    let body = match framing {
        Framing::None => 0,
        Framing::Length(n) => usize::try_from(n).ok()?,
        Framing::Chunked => chunked_len(&buf[head..])?,
    };
    let total = head.checked_add(body)?;
    (total <= buf.len()).then_some(total)
}

/// The line starting at `at`, ended by LF (with or without CR): (content end, next line start).
fn line_at(buf: &[u8], at: usize) -> Option<(usize, usize)> {
    let lf = at + buf.get(at..)?.iter().position(|&b| b == b'\n')?;
    let end = if lf > at && buf[lf - 1] == b'\r' {
        lf - 1
    } else {
        lf
    };
    Some((end, lf + 1))
}

/// Length of the head up to and including the empty line, counting the empty lines a parser
/// skips before the request line (RFC 9112 §2.2).
fn head_len(buf: &[u8]) -> Option<usize> {
    let mut at = 0;
    let mut seen_request_line = false;
    loop {
        let (end, next) = line_at(buf, at)?;
        if end == at && seen_request_line {
            return Some(next);
        }
        seen_request_line |= end > at;
        at = next;
    }
}

/// Length of a chunked body: chunks, the last chunk, trailer fields and the final empty line.
fn chunked_len(buf: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let (end, next) = line_at(buf, at)?;
        let size_text = std::str::from_utf8(&buf[at..end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        at = next;
        if size == 0 {
            return trailers_end(buf, at);
        }
        let (end, next) = line_at(buf, at.checked_add(size)?)?;
        if end != at + size {
            return None;
        }
        at = next;
    }
}

fn trailers_end(buf: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let (end, next) = line_at(buf, at)?;
        if end == at {
            return Some(next);
        }
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(buf: &[u8], framing: Framing) -> (Vec<u8>, Vec<u8>) {
        let mut c = ConnBytes {
            unattributed: buf.to_vec(),
        };
        let first = c.take_request(framing);
        (first, c.unattributed)
    }

    #[test]
    fn a_connection_keeps_no_more_than_its_cap_of_a_body_it_refused() {
        let mut c = ConnBytes::default();
        let chunk = vec![b'E'; 1 << 20];
        for _ in 0..7 {
            c.keep(&chunk);
        }
        assert_eq!(c.unattributed.len(), CONN_CAP);
        assert_eq!(c.take_request(Framing::Chunked).len(), CONN_CAP);
    }

    #[test]
    fn a_pipelined_second_request_stays_for_the_next_handler() {
        let a = b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
        let b = b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
        let (first, rest) = take(&[&a[..], &b[..]].concat(), Framing::Length(3));
        assert_eq!(first, a);
        assert_eq!(rest, b);
    }

    #[test]
    fn chunked_bodies_end_after_the_trailers() {
        let a = b"POST /a HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-T: 1\r\n\r\n";
        let (first, rest) = take(
            &[&a[..], b"GET / HTTP/1.1\r\n\r\n"].concat(),
            Framing::Chunked,
        );
        assert_eq!(first, a);
        assert_eq!(rest, b"GET / HTTP/1.1\r\n\r\n");
    }

    #[test]
    fn leading_empty_lines_and_bare_lf_belong_to_the_request() {
        let a = b"\r\nGET / HTTP/1.1\nHost: x\n\n";
        let (first, rest) = take(a, Framing::None);
        assert_eq!(first, a);
        assert!(rest.is_empty());
    }

    #[test]
    fn a_short_body_takes_everything_read_so_far() {
        let a = b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc";
        let (first, rest) = take(a, Framing::Length(100));
        assert_eq!(first, a);
        assert!(rest.is_empty());
    }

    #[test]
    fn framing_prefers_chunked_and_reads_the_length() {
        let mut h = HeaderMap::new();
        h.insert("content-length", "12, 12".parse().unwrap());
        assert_eq!(Framing::of(&h), Framing::Length(12));
        h.insert("transfer-encoding", "gzip, chunked".parse().unwrap());
        assert_eq!(Framing::of(&h), Framing::Chunked);
        assert_eq!(Framing::of(&HeaderMap::new()), Framing::None);
    }
}
