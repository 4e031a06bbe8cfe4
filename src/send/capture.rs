//! Capturing the bytes reqwest writes to (and reads from) each connection.
//!
//! With `connection_verbose(true)` and a `log` logger at Trace, reqwest logs every socket read
//! and write — after TLS decryption, so https is plaintext too — under the target
//! `reqwest::connect::verbose`, as `{id:08x} write: b"…"`, `{id:08x} write (vectored): b"…"b"…"`
//! or `{id:08x} read: b"…"`, escaped like Rust byte strings. This module is that logger: it
//! decodes the records back into bytes, one buffer per connection.
//!
//! Two catches (docs/ARCHITECTURE.md §3). The logger is process-wide, and the connection id is random and not
//! tied to a request, so a finished hop *claims* the oldest unclaimed connection whose bytes
//! start with its request line and carry its headers; identical heads are byte-identical
//! anyway. And the format is reqwest-internal: the crate pins reqwest's version and
//! `tests/send_e2e.rs` fails if the format changes.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

const TARGET: &str = "reqwest::connect::verbose";

/// Request bytes kept per connection; beyond this an upload is marked as cut in the view.
const WRITE_CAP: usize = 8 * 1024 * 1024;

/// Unclaimed connections older than this (cancelled or failed sends) are dropped.
const STALE: Duration = Duration::from_secs(300);

/// What one connection carried, as far as the wire view needs it.
#[derive(Debug, Clone)]
pub struct ConnLog {
    /// When the first byte was written: the connection (and TLS) was up by then.
    pub first_write: Instant,
    pub written: Vec<u8>,
    /// True when `written` stopped at the cap.
    pub write_truncated: bool,
    /// Bytes read until the end of the first final (non-1xx) response head.
    pub read_head: Vec<u8>,
    head_done: bool,
}

impl ConnLog {
    fn new(now: Instant) -> Self {
        ConnLog {
            first_write: now,
            written: Vec::new(),
            write_truncated: false,
            read_head: Vec::new(),
            head_done: false,
        }
    }

    fn on_read(&mut self, bytes: &[u8]) {
        if self.head_done {
            return;
        }
        self.read_head.extend_from_slice(bytes);
        // Skip interim 1xx heads (100 Continue): the view wants the final response's head.
        while let Some(end) = head_end(&self.read_head) {
            let interim = self.read_head.get(9) == Some(&b'1');
            if interim {
                self.read_head.drain(..end);
            } else {
                self.read_head.truncate(end);
                self.head_done = true;
                break;
            }
        }
    }

    fn on_write(&mut self, bytes: &[u8]) {
        let room = WRITE_CAP.saturating_sub(self.written.len());
        self.written
            .extend_from_slice(&bytes[..bytes.len().min(room)]);
        self.write_truncated |= bytes.len() > room;
    }
}

struct Store {
    conns: Mutex<HashMap<u32, ConnLog>>,
}

static STORE: OnceLock<Option<&'static Store>> = OnceLock::new();

/// Installs the capturing logger once per process. Returns false when another logger owns
/// the process (then every view is labelled reconstructed).
pub fn install() -> bool {
    STORE
        .get_or_init(|| {
            let store: &'static Store = Box::leak(Box::new(Store {
                conns: Mutex::new(HashMap::new()),
            }));
            let ok = log::set_logger(store).is_ok();
            if ok {
                log::set_max_level(log::LevelFilter::Trace);
            }
            ok.then_some(store)
        })
        .is_some()
}

fn store() -> Option<&'static Store> {
    STORE.get().copied().flatten()
}

/// Takes the oldest unclaimed connection whose request starts with `request_line` and
/// contains every line of `header_lines` (each `name: value` as the client writes it).
pub fn claim(request_line: &[u8], header_lines: &[Vec<u8>]) -> Option<ConnLog> {
    let store = store()?;
    let mut conns = store.conns.lock().ok()?;
    let now = Instant::now();
    conns.retain(|_, c| now.duration_since(c.first_write) < STALE);
    let id = conns
        .iter()
        .filter(|(_, c)| c.written.starts_with(request_line))
        .filter(|(_, c)| {
            let head = head_of(&c.written);
            // Each head line once, so 10,000 headers are 10,000 lookups and not 10,000 scans
            // of the head; a line not found whole falls back to the search it always was.
            let lines: std::collections::HashSet<&[u8]> =
                head.split_inclusive(|&b| b == b'\n').collect();
            header_lines
                .iter()
                .all(|l| lines.contains(l.as_slice()) || find(head, l).is_some())
        })
        .min_by_key(|(_, c)| c.first_write)
        .map(|(id, _)| *id)?;
    conns.remove(&id)
}

fn head_of(bytes: &[u8]) -> &[u8] {
    find(bytes, b"\r\n\r\n").map_or(bytes, |end| &bytes[..end + 4])
}

pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// The length of an HTTP/1.1 head, blank line included. Lines may end in a bare LF, as hyper
/// (httparse) accepts from servers, so a head is not only what ends in CRLF CRLF.
pub(crate) fn head_end(bytes: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for i in memchr::memchr_iter(b'\n', bytes) {
        let line = &bytes[line_start..i];
        if line_start > 0 && (line.is_empty() || line == b"\r") {
            return Some(i + 1);
        }
        line_start = i + 1;
    }
    None
}

impl Store {
    /// Whether a record is worth formatting. A 20 MiB response is logged as thousands of
    /// escaped read records; once the head is in, they are dropped after formatting only
    /// their first few bytes (the connection id and the direction).
    fn wants(&self, args: &std::fmt::Arguments) -> bool {
        let mut probe = Probe(String::new());
        let _ = std::fmt::write(&mut probe, *args);
        let Some((id, rest)) = probe.0.split_once(' ') else {
            return false;
        };
        let Ok(id) = u32::from_str_radix(id, 16) else {
            return false;
        };
        let Ok(conns) = self.conns.lock() else {
            return false;
        };
        match conns.get(&id) {
            None => true,
            Some(c) if rest.starts_with("read") => !c.head_done,
            Some(c) => c.written.len() < WRITE_CAP,
        }
    }
}

/// Keeps the first bytes written to it, then refuses more, which stops the formatting.
struct Probe(String);

impl std::fmt::Write for Probe {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        const KEEP: usize = 24;
        let room = KEEP.saturating_sub(self.0.len());
        // reqwest escapes every byte, so records are ASCII; `get` guards the odd one that isn't.
        let take = s.get(..room.min(s.len())).unwrap_or("");
        self.0.push_str(take);
        if take.len() < s.len() {
            Err(std::fmt::Error)
        } else {
            Ok(())
        }
    }
}

impl log::Log for Store {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.target() == TARGET
    }

    fn log(&self, record: &log::Record) {
        if record.target() != TARGET || !self.wants(record.args()) {
            return;
        }
        let text = record.args().to_string();
        let Some(event) = parse_record(&text) else {
            return;
        };
        let Ok(mut conns) = self.conns.lock() else {
            return;
        };
        let conn = conns
            .entry(event.id)
            .or_insert_with(|| ConnLog::new(Instant::now()));
        match event.kind {
            Kind::Write => conn.on_write(&event.bytes),
            Kind::Read => conn.on_read(&event.bytes),
        }
    }

    fn flush(&self) {}
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Write,
    Read,
}

#[derive(Debug, PartialEq, Eq)]
struct Event {
    id: u32,
    kind: Kind,
    bytes: Vec<u8>,
}

/// Decodes one verbose record: `0000abcd write: b"…"`, `… write (vectored): b"…"b"…"`, `… read: b"…"`.
fn parse_record(text: &str) -> Option<Event> {
    let (id, rest) = text.split_once(' ')?;
    let id = u32::from_str_radix(id, 16).ok()?;
    let (kind, literals) = if let Some(r) = rest.strip_prefix("write (vectored): ") {
        (Kind::Write, r)
    } else if let Some(r) = rest.strip_prefix("write: ") {
        (Kind::Write, r)
    } else {
        (Kind::Read, rest.strip_prefix("read: ")?)
    };
    Some(Event {
        id,
        kind,
        bytes: unescape_literals(literals)?,
    })
}

/// Decodes a run of `b"…"` literals with reqwest's escapes (`\r \n \t \0 \\ \" \xNN`).
fn unescape_literals(mut s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    while !s.is_empty() {
        s = s.strip_prefix("b\"")?;
        let mut chars = s.char_indices();
        let end = loop {
            let (i, c) = chars.next()?;
            match c {
                '"' => break i,
                '\\' => {
                    let (_, e) = chars.next()?;
                    match e {
                        'n' => out.push(b'\n'),
                        'r' => out.push(b'\r'),
                        't' => out.push(b'\t'),
                        '0' => out.push(0),
                        '\\' => out.push(b'\\'),
                        '"' => out.push(b'"'),
                        'x' => {
                            let hi = chars.next()?.1.to_digit(16)?;
                            let lo = chars.next()?.1.to_digit(16)?;
                            out.push((hi * 16 + lo) as u8);
                        }
                        _ => return None,
                    }
                }
                c if c.is_ascii() => out.push(c as u8),
                _ => return None,
            }
        };
        s = &s[end + 1..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What reqwest's verbose log writes for `bytes`: printable ASCII as is, the usual
    /// escapes, `\xNN` for the rest.
    fn escaped(bytes: &[u8]) -> String {
        let mut out = String::from("b\"");
        for &b in bytes {
            match b {
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                b'\\' => out.push_str("\\\\"),
                b'"' => out.push_str("\\\""),
                0 => out.push_str("\\0"),
                0x20..=0x7e => out.push(b as char),
                _ => out.push_str(&format!("\\x{b:02x}")),
            }
        }
        out.push('"');
        out
    }

    proptest! {
        #[test]
        fn any_record_text_is_decoded_or_refused_without_panic(text in any::<String>()) {
            let _ = parse_record(&text);
            let _ = parse_record(&format!("0000abcd read: {text}"));
            let _ = head_end(text.as_bytes());
        }

        #[test]
        fn escaped_bytes_decode_to_themselves(a in any::<Vec<u8>>(), b in any::<Vec<u8>>()) {
            let line = format!("0000abcd write (vectored): {}{}", escaped(&a), escaped(&b));
            let e = parse_record(&line).unwrap();
            prop_assert_eq!(e.bytes, [a, b].concat());
        }
    }

    #[test]
    fn decodes_a_plain_write() {
        let e = parse_record(r#"0a1b2c3d write: b"GET / HTTP/1.1\r\nhost: h\r\n\r\n""#).unwrap();
        assert_eq!(e.id, 0x0a1b2c3d);
        assert_eq!(e.kind, Kind::Write);
        assert_eq!(e.bytes, b"GET / HTTP/1.1\r\nhost: h\r\n\r\n");
    }

    #[test]
    fn decodes_vectored_writes_and_every_escape() {
        let e = parse_record(r#"00000001 write (vectored): b"a\"\\\t\0"b"\xff\x7f""#).unwrap();
        assert_eq!(e.bytes, b"a\"\\\t\0\xff\x7f");
    }

    #[test]
    fn decodes_reads() {
        let e = parse_record(r#"00000002 read: b"HTTP/1.1 200 OK\r\n""#).unwrap();
        assert_eq!(
            (e.kind, e.bytes),
            (Kind::Read, b"HTTP/1.1 200 OK\r\n".to_vec())
        );
    }

    #[test]
    fn rejects_records_of_another_shape() {
        assert!(parse_record("starting new connection").is_none());
        assert!(parse_record(r#"zzzz write: b"x""#).is_none());
        assert!(parse_record(r#"00000001 write: b"unterminated"#).is_none());
    }

    #[test]
    fn read_head_skips_interim_responses_and_stops_at_the_final_head() {
        let mut c = ConnLog::new(Instant::now());
        c.on_read(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nA: b\r\n");
        c.on_read(b"\r\nbody bytes");
        c.on_read(b"more body");
        assert_eq!(c.read_head, b"HTTP/1.1 401 Unauthorized\r\nA: b\r\n\r\n");
    }

    #[test]
    fn reads_after_the_head_are_not_formatted() {
        let store = Store {
            conns: Mutex::new(HashMap::new()),
        };
        let mut c = ConnLog::new(Instant::now());
        c.on_read(b"HTTP/1.1 200 OK\r\n\r\n");
        store.conns.lock().unwrap().insert(7, c);
        assert!(!store.wants(&format_args!("{:08x} read: {:?}", 7, "body")));
        assert!(store.wants(&format_args!("{:08x} write: {:?}", 7, "more")));
        assert!(store.wants(&format_args!("{:08x} read: {:?}", 8, "new conn")));
    }

    #[test]
    fn writes_stop_at_the_cap_and_say_so() {
        let mut c = ConnLog::new(Instant::now());
        c.on_write(&vec![b'x'; WRITE_CAP - 1]);
        c.on_write(b"yz");
        assert_eq!(c.written.len(), WRITE_CAP);
        assert!(c.write_truncated);
    }
}
