//! What a watch reports as it happens: the one contract between the proxy (`src/watch`) and
//! its views, the streamed CLI output (`cli::watch`) and the TUI watch screen.
//!
//! Everything is plain data sent over one channel, so a view never reaches into the proxy
//! and a test can feed a view the same events the proxy would.

use crate::exchange::{Response, Timing, WireRequest};
use crate::formats::exchange_json::ExchangeFile;
use crate::rules::Finding;
use std::net::SocketAddr;
use std::time::SystemTime;

/// How the proxy finds where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// `--upstream URL`: the program uses the proxy as its base URL; every request is
    /// forwarded to this origin (and path prefix).
    Reverse { upstream: String },
    /// No upstream: the program uses the proxy as its `HTTP_PROXY`; plain-HTTP requests come
    /// in absolute form, HTTPS as `CONNECT` tunnels that are passed through unread.
    Forward,
}

/// One request the program sent through the proxy, with what became of it.
#[derive(Debug, Clone)]
pub struct Watched {
    /// Numbered from 1 in arrival order, for the list and for HAR export.
    pub id: u64,
    /// When the request's first byte arrived.
    pub at: SystemTime,
    /// The request as the program sent it: the bytes read off its socket, header names in the
    /// case and order it wrote them. Holds secrets: views mask it as they do a sent request.
    pub sent: WireRequest,
    /// The request as authlens forwarded it; `None` when it was never forwarded (malformed,
    /// body over the cap, upstream unreachable before the first byte).
    pub forwarded: Option<WireRequest>,
    /// The response passed back to the program; its body is the bounded recorded copy.
    pub response: Option<Response>,
    /// Why there is no response or it is incomplete, as one line naming what failed:
    /// "upstream 127.0.0.1:9 refused the connection", "the program disconnected mid-body", …
    pub fault: Option<String>,
    pub timing: Timing,
    /// The program's client recognised from its `User-Agent`, in the `context` vocabulary
    /// (`python-requests`, `node-undici`, `curl`, …), or what `--as-client` named.
    pub client: Option<String>,
    /// What the proxy changed or noticed on the way: a `Location` rewritten back to the
    /// proxy, a redirect that would leave it.
    pub notes: Vec<String>,
    /// The exchange as `diagnose` reads it, secrets masked: what `--format jsonl` prints.
    pub file: ExchangeFile,
    /// The rules' findings on `file`, most serious first.
    pub findings: Vec<Finding>,
}

/// Which of the launched program's streams a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

#[derive(Debug, Clone)]
pub enum Event {
    /// The proxy is listening. `setup` holds the lines to show the user: how to point the
    /// common SDKs (or `HTTP_PROXY`) at it, and any warning about the address.
    Listening {
        addr: SocketAddr,
        mode: Mode,
        setup: Vec<String>,
    },
    /// A request finished (answered, or failed with `fault`).
    Exchange(Box<Watched>),
    /// A `CONNECT` tunnel in forward mode: passed through unread, so only host and port are
    /// known.
    Tunnel {
        id: u64,
        at: SystemTime,
        host: String,
        port: u16,
    },
    /// One line of the launched program's output (`watch -- COMMAND`).
    Output { stream: Stream, line: String },
    /// The launched program ended; the watch ends with this code.
    Exited { code: i32 },
    /// A fault not tied to one exchange (a connection that sent no parsable request, …);
    /// the watch goes on.
    Notice(String),
}
