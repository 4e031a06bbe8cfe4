//! Bodies passed through while a bounded copy is kept: the program's request body on its way
//! upstream, the response on its way back. Nothing waits for a body to end before passing
//! it on, so a server-sent event reaches the program when the upstream writes it.

use bytes::Bytes;
use hyper::body::{Body, Frame, SizeHint};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use crate::exchange::BodyPreview;
use crate::tee::lock;

/// The first `cap` bytes of a body, and how many went by in all.
#[derive(Debug, Clone, Default)]
pub struct BodyCopy {
    bytes: Vec<u8>,
    total: u64,
    cap: usize,
}

impl BodyCopy {
    pub fn new(cap: usize) -> BodyCopy {
        BodyCopy {
            bytes: Vec::new(),
            total: 0,
            cap,
        }
    }

    pub fn push(&mut self, data: &[u8]) {
        self.total += data.len() as u64;
        let room = self.cap.saturating_sub(self.bytes.len());
        self.bytes.extend_from_slice(&data[..data.len().min(room)]);
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn preview(&self) -> BodyPreview {
        BodyPreview {
            bytes: self.bytes.clone(),
            total: self.total,
            truncated: self.total > self.bytes.len() as u64,
        }
    }
}

/// How a body stopped being passed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// The last byte went through.
    Complete,
    /// The side it was read from failed: the program or the upstream broke off.
    Failed(String),
    /// Whoever was passing it on let go before the end: the reader went away.
    Abandoned,
}

/// Told of every chunk of a body and, once, of how it ended.
pub trait Sink: Send + 'static {
    fn data(&mut self, data: &[u8]);
    fn end(&mut self, how: End);
}

/// A body that passes `inner` through unchanged and tells `sink` what went by.
pub struct Tap<B: Body, S: Sink> {
    inner: B,
    sink: S,
    ended: bool,
}

impl<B: Body, S: Sink> Tap<B, S> {
    pub fn new(inner: B, sink: S) -> Self {
        Tap {
            inner,
            sink,
            ended: false,
        }
    }

    fn finish(&mut self, how: End) {
        if !std::mem::replace(&mut self.ended, true) {
            self.sink.end(how);
        }
    }
}

impl<B, S> Body for Tap<B, S>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: std::fmt::Display,
    S: Sink + Unpin,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    self.sink.data(data);
                }
                if self.inner.is_end_stream() {
                    self.finish(End::Complete);
                }
            }
            Poll::Ready(Some(Err(e))) => {
                let why = e.to_string();
                self.finish(End::Failed(why));
            }
            Poll::Ready(None) => self.finish(End::Complete),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl<B: Body, S: Sink> Drop for Tap<B, S> {
    fn drop(&mut self) {
        // An empty body is never polled: hyper sees `is_end_stream` and lets it go.
        let how = match self.inner.is_end_stream() {
            true => End::Complete,
            false => End::Abandoned,
        };
        self.finish(how);
    }
}

/// The program's request body as far as it went: shared, because the exchange is written
/// down when the response ends, whether or not the upstream read the whole request.
#[derive(Debug, Default)]
pub struct RequestSide {
    pub copy: BodyCopy,
    pub end: Option<End>,
}

/// The sink of a request body: the copy lives in the exchange's [`RequestSide`].
pub struct RequestSink(pub Arc<Mutex<RequestSide>>);

impl Sink for RequestSink {
    fn data(&mut self, data: &[u8]) {
        lock(&self.0).copy.push(data);
    }

    fn end(&mut self, how: End) {
        lock(&self.0).end = Some(how);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_keeps_its_cap_and_counts_everything() {
        let mut c = BodyCopy::new(4);
        c.push(b"abc");
        c.push(b"defg");
        let p = c.preview();
        assert_eq!(p.bytes, b"abcd");
        assert_eq!(p.total, 7);
        assert!(p.truncated);
    }
}
