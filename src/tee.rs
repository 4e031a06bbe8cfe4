//! Sockets that copy the bytes they carry, so authlens can show a request exactly as it was
//! written — header case, order, spacing — after hyper has parsed it and thrown that away.
//!
//! The practice server wraps each accepted socket in a [`TeeStream`] to record what a client
//! sent; `authlens watch` does the same on the program's side and also records both
//! directions of the connection it opens upstream. [`ConnBytes`] cuts one request's bytes
//! off the front of a connection's buffer; anything after them belongs to the next request
//! on the same keep-alive connection.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use hyper::HeaderMap;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Locks that survive a panic elsewhere: a poisoned buffer is still a correct buffer.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A stream that copies every byte it reads (and, when asked, every byte it writes) into
/// shared per-connection buffers.
pub struct TeeStream<S> {
    inner: S,
    seen: Arc<Mutex<ConnBytes>>,
    written: Option<Arc<Mutex<ConnBytes>>>,
}

impl<S> TeeStream<S> {
    /// Copies what is read into `seen`.
    pub fn new(inner: S, seen: Arc<Mutex<ConnBytes>>) -> Self {
        TeeStream {
            inner,
            seen,
            written: None,
        }
    }

    /// Copies what is read into `seen` and what is written into `written`: both directions
    /// of a connection authlens itself opened.
    pub fn both(inner: S, seen: Arc<Mutex<ConnBytes>>, written: Arc<Mutex<ConnBytes>>) -> Self {
        TeeStream {
            inner,
            seen,
            written: Some(written),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for TeeStream<S> {
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

impl<S: AsyncWrite + Unpin> AsyncWrite for TeeStream<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, data);
        if let (Poll::Ready(Ok(n)), Some(w)) = (&polled, &self.written) {
            lock(w).keep(&data[..*n]);
        }
        polled
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
        if self.written.is_some() {
            // Recorded writes go one buffer at a time, so each byte written is known.
            let first = bufs
                .iter()
                .find(|b| !b.is_empty())
                .map_or(&[][..], |b| &**b);
            return self.poll_write(cx, first);
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.written.is_none() && self.inner.is_write_vectored()
    }
}

/// How the body of a parsed request is delimited on the wire (RFC 9112 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    None,
    Length(u64),
    Chunked,
}

impl Framing {
    /// Read from the headers hyper accepted; chunked wins over a length, as it does in hyper.
    pub fn of(headers: &HeaderMap) -> Framing {
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

/// Bytes seen on one connection that no request has claimed yet, at most `cap` of them: past
/// it a record shows the start of what was sent, and `cut` says so.
#[derive(Debug)]
pub struct ConnBytes {
    unattributed: Vec<u8>,
    cap: usize,
    /// Bytes that did not fit since the last take.
    cut: bool,
    /// Off once the connection became a tunnel whose bytes are nobody's business.
    keeping: bool,
}

impl ConnBytes {
    /// An empty buffer that keeps at most `cap` unclaimed bytes.
    pub fn new(cap: usize) -> ConnBytes {
        ConnBytes {
            unattributed: Vec::new(),
            cap,
            cut: false,
            keeping: true,
        }
    }

    /// Appends what was seen, up to the cap.
    fn keep(&mut self, read: &[u8]) {
        if !self.keeping {
            return;
        }
        let room = self.cap.saturating_sub(self.unattributed.len());
        self.cut |= read.len() > room;
        self.unattributed
            .extend_from_slice(&read[..read.len().min(room)]);
    }

    /// Stops keeping anything: the connection is now a tunnel, passed through unread.
    pub fn stop(&mut self) {
        self.keeping = false;
        self.unattributed = Vec::new();
    }

    /// Everything kept so far, and whether bytes were dropped at the cap since the last take.
    pub fn take_all(&mut self) -> (Vec<u8>, bool) {
        let cut = std::mem::take(&mut self.cut);
        (std::mem::take(&mut self.unattributed), cut)
    }

    /// Cuts the next request's bytes off the front, using the framing hyper parsed.
    ///
    /// hyper may already have read part of a pipelined next request, so the length is worked
    /// out from the head and the body framing rather than taking everything. If the bytes do
    /// not add up (a body cut short by a 413), everything read so far is this request's.
    pub fn take_request(&mut self, framing: Framing) -> Vec<u8> {
        self.take_request_or_part(framing).0
    }

    /// [`take_request`](Self::take_request), and whether what it took is only the start of
    /// the request: the rest was past the cap, or had not arrived.
    pub fn take_request_or_part(&mut self, framing: Framing) -> (Vec<u8>, bool) {
        let whole = request_len(&self.unattributed, framing);
        let len = whole.unwrap_or(self.unattributed.len());
        (self.unattributed.drain(..len).collect(), whole.is_none())
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
        let mut c = ConnBytes::new(1 << 20);
        c.keep(buf);
        let first = c.take_request(framing);
        (first, c.unattributed)
    }

    #[test]
    fn a_connection_keeps_no_more_than_its_cap_of_a_body_it_refused() {
        let cap = 5 << 20;
        let mut c = ConnBytes::new(cap);
        let chunk = vec![b'E'; 1 << 20];
        for _ in 0..7 {
            c.keep(&chunk);
        }
        assert_eq!(c.unattributed.len(), cap);
        assert_eq!(c.take_request(Framing::Chunked).len(), cap);
    }

    #[test]
    fn a_tunnel_keeps_nothing_and_a_take_says_when_bytes_were_cut() {
        let mut c = ConnBytes::new(4);
        c.keep(b"abcdef");
        assert_eq!(c.take_all(), (b"abcd".to_vec(), true));
        c.stop();
        c.keep(b"xyz");
        assert_eq!(c.take_all(), (Vec::new(), false));
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
