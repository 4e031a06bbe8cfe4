//! Timing the phases of one hop — DNS, connect (TCP, or TCP and TLS together), time to first
//! byte, download — with our own resolver and a layer around reqwest's connector, since
//! reqwest reports none of them.
//!
//! The client is built per send and every hop opens its own connection (no pooling), so the
//! probe's marks between two hops belong to the hop in between.
//!
//! Why TLS is not a figure of its own: reqwest's connector does TCP and the TLS handshake in
//! one step behind the layer we can wrap, and the wire capture sees bytes only after TLS. No
//! mark falls between the two, so an https hop shows `connect+tls` as one figure rather than a
//! split we would have to guess.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::exchange::Phases;

/// Marks of the hop in flight: when the lookup and the connector began and ended.
#[derive(Debug, Default, Clone, Copy)]
struct Marks {
    dns: Option<(Instant, Instant)>,
    connect: Option<(Instant, Instant)>,
}

/// Shared by the client's resolver and connector layer and read by the hop after it is sent.
#[derive(Debug, Clone, Default)]
pub struct Probe(Arc<Mutex<Marks>>);

impl Probe {
    /// Forgets the previous hop's marks; called before each hop is sent.
    pub fn reset(&self) {
        *self.lock() = Marks::default();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Marks> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn resolver(&self) -> Arc<TimedResolver> {
        Arc::new(TimedResolver(self.clone()))
    }

    pub fn layer(&self) -> TimedLayer {
        TimedLayer(self.clone())
    }

    /// The phases of the hop sent at `start`, whose head arrived at `head` and last body byte
    /// at `end`. Phases with no mark (an IP literal has no lookup) are `None`.
    pub fn phases(&self, start: Instant, head: Instant, end: Instant, tls: bool) -> Phases {
        let marks = *self.lock();
        let dns = marks.dns.map(|(a, b)| b.saturating_duration_since(a));
        let span = marks.connect.map(|(a, b)| {
            let lookup = marks
                .dns
                .filter(|(d, _)| *d >= a)
                .map_or(Duration::ZERO, |(d0, d1)| d1.saturating_duration_since(d0));
            b.saturating_duration_since(a).saturating_sub(lookup)
        });
        let ready = marks.connect.map_or(start, |(_, b)| b);
        Phases {
            dns,
            connect: span.filter(|_| !tls),
            connect_tls: span.filter(|_| tls),
            ttfb: Some(head.saturating_duration_since(ready)),
            download: Some(end.saturating_duration_since(head)),
        }
    }
}

/// The system resolver (tokio's `lookup_host`, as reqwest's default uses), timed.
#[derive(Debug)]
pub struct TimedResolver(Probe);

impl reqwest::dns::Resolve for TimedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let probe = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let began = Instant::now();
            let found = tokio::net::lookup_host((host.as_str(), 0)).await;
            probe.lock().dns = Some((began, Instant::now()));
            let addrs: Vec<SocketAddr> = found?.collect();
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Wraps reqwest's connector (lookup, TCP, TLS) to mark when a connection began and was up.
#[derive(Debug, Clone)]
pub struct TimedLayer(Probe);

impl<S> tower_layer::Layer<S> for TimedLayer {
    type Service = Timed<S>;
    fn layer(&self, inner: S) -> Timed<S> {
        Timed {
            inner,
            probe: self.0.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Timed<S> {
    inner: S,
    probe: Probe,
}

type Boxed<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

impl<S, R> tower_service::Service<R> for Timed<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Boxed<S::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let probe = self.probe.clone();
        let began = Instant::now();
        let connecting = self.inner.call(request);
        Box::pin(async move {
            let conn = connecting.await;
            probe.lock().connect = Some((began, Instant::now()));
            conn
        })
    }
}
