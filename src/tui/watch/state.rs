//! What the watch screen knows, as plain data: the exchanges so far (the newest
//! [`MAX_ROWS`]), which is selected and whether the selection follows new ones, the proxy's
//! address and faults, the program's output, and how it ended.

use crate::tui::app::App;
use crate::watch::{Mode, Stream, Watched};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::SystemTime;

/// Exchanges kept: a program that runs for hours must not grow the screen's memory without
/// end. The oldest go first, and the header says how many went.
pub const MAX_ROWS: usize = 1000;
/// Lines of the program's output kept.
pub const MAX_OUTPUT: usize = 2000;
/// Proxy faults (`Event::Notice`) kept.
pub const MAX_NOTICES: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchPane {
    List,
    Exchange,
    Findings,
    Output,
}

impl WatchPane {
    /// The inspector's pane with the focus while this one of the watch has it: its exchange
    /// or findings pane draws as focused (and keeps revealed secrets) only then.
    pub fn inspector_pane(self) -> crate::tui::app::Pane {
        use crate::tui::app::Pane;
        match self {
            WatchPane::Exchange => Pane::Exchange,
            WatchPane::Findings => Pane::Findings,
            WatchPane::List | WatchPane::Output => Pane::List,
        }
    }
}

/// One line of the list.
#[derive(Debug, Clone)]
pub enum Row {
    Exchange(Arc<Watched>),
    /// A `CONNECT` passed through unread (forward mode): only its host and port are known.
    Tunnel {
        id: u64,
        at: SystemTime,
        host: String,
        port: u16,
    },
}

impl Row {
    pub fn id(&self) -> u64 {
        match self {
            Row::Exchange(w) => w.id,
            Row::Tunnel { id, .. } => *id,
        }
    }
}

/// Where the proxy listens, as `Event::Listening` said.
#[derive(Debug, Clone)]
pub struct Listening {
    pub addr: SocketAddr,
    pub mode: Mode,
    /// How to point the program at the proxy, and any warning about the address.
    pub setup: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct WatchState {
    /// The watch screen is drawn; false while a copied request is edited (`W` comes back).
    pub shown: bool,
    pub focus: WatchPane,
    pub rows: VecDeque<Row>,
    /// Exchanges dropped from the front to keep [`MAX_ROWS`].
    pub dropped: u64,
    pub selected: usize,
    /// The selection moves to each new exchange (`tail -f`): on at the start and whenever the
    /// user goes to the last row, off when they move up.
    pub follow: bool,
    pub listening: Option<Listening>,
    pub notices: VecDeque<String>,
    pub notices_total: u64,
    pub output: VecDeque<(Stream, String)>,
    pub output_dropped: u64,
    /// Lines scrolled up from the newest output line; 0 follows new lines.
    pub output_scroll: usize,
    /// The launched program's exit code, once it ended.
    pub exited: Option<i32>,
    /// The credentials the program sent, learned from each exchange: its own output is masked
    /// with them when drawn (a program that logs its headers prints its key).
    pub program_secrets: crate::secret::Redactor,
    /// The selected exchange as the send view shows a sent request: an `App` of its own
    /// holding it as its one entry, so the exchange and findings panes (and their keys) work
    /// on it unchanged. Rebuilt when the selection moves to another exchange (`inspect`).
    pub inspect: Option<Box<App>>,
    /// The id of the row `inspect` was built for.
    pub inspecting: Option<u64>,
}

impl Default for WatchState {
    fn default() -> Self {
        WatchState {
            shown: true,
            focus: WatchPane::List,
            rows: VecDeque::new(),
            dropped: 0,
            selected: 0,
            follow: true,
            listening: None,
            notices: VecDeque::new(),
            notices_total: 0,
            output: VecDeque::new(),
            output_dropped: 0,
            output_scroll: 0,
            exited: None,
            program_secrets: crate::secret::Redactor::new(),
            inspect: None,
            inspecting: None,
        }
    }
}

impl WatchState {
    pub fn selected_row(&self) -> Option<&Row> {
        self.rows.get(self.selected)
    }

    /// Learns the credentials a watched request carried, for masking the program's output.
    pub fn learn_secrets(&mut self, sent: &crate::exchange::WireRequest) {
        for h in &sent.headers {
            for s in crate::secret::header_secrets(&h.name, &h.value) {
                self.program_secrets.add(s);
            }
        }
    }

    /// Appends a row, dropping the oldest past [`MAX_ROWS`]; the selection stays on the
    /// exchange it was on, unless it follows (then it goes to the new one).
    pub fn push(&mut self, row: Row) {
        self.rows.push_back(row);
        if self.rows.len() > MAX_ROWS {
            self.rows.pop_front();
            self.dropped += 1;
            self.selected = self.selected.saturating_sub(1);
        }
        if self.follow && !self.reading() {
            self.selected = self.rows.len() - 1;
        }
    }

    /// The exchange or its findings have the focus: the user is reading the selected one,
    /// and following waits (a new request must not swap it away mid-line) until the focus
    /// goes back to the list.
    pub fn reading(&self) -> bool {
        matches!(self.focus, WatchPane::Exchange | WatchPane::Findings)
    }

    /// Moves the selection by `by` rows, clamped; following resumes on the last row.
    pub fn select_by(&mut self, by: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(by).min(last);
        self.follow = self.selected == last;
    }

    pub fn push_output(&mut self, stream: Stream, line: String) {
        self.output.push_back((stream, line));
        if self.output.len() > MAX_OUTPUT {
            self.output.pop_front();
            self.output_dropped += 1;
        }
        // Scrolled up, the lines read stay put while new ones arrive below.
        if self.output_scroll > 0 {
            self.output_scroll = (self.output_scroll + 1).min(self.output.len());
        }
    }

    pub fn push_notice(&mut self, text: String) {
        self.notices.push_back(text);
        self.notices_total += 1;
        if self.notices.len() > MAX_NOTICES {
            self.notices.pop_front();
        }
    }

    /// The URL a watched request went (or would go) to: what authlens forwarded it to, else
    /// the reverse proxy's upstream joined with the path the program asked for, else the URL
    /// the program used (forward mode: already absolute).
    pub fn upstream_url(&self, w: &Watched) -> String {
        if let Some(f) = &w.forwarded {
            return f.url.clone();
        }
        match self.listening.as_ref().map(|l| &l.mode) {
            Some(Mode::Reverse { upstream }) => {
                let target = path_and_query(&w.sent.url);
                format!("{}{}", upstream.trim_end_matches('/'), target)
            }
            _ => w.sent.url.clone(),
        }
    }
}

/// `/v1/x?y` of `http://host/v1/x?y` (or of `/v1/x?y` itself).
pub fn path_and_query(url: &str) -> &str {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"));
    match rest {
        Some(r) => r.find('/').map_or("/", |i| &r[i..]),
        None => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tunnel(id: u64) -> Row {
        Row::Tunnel {
            id,
            at: SystemTime::UNIX_EPOCH,
            host: "h".into(),
            port: 443,
        }
    }

    #[test]
    fn the_oldest_go_past_the_bound_and_the_selection_stays_on_its_row() {
        let mut w = WatchState::default();
        for id in 1..=5 {
            w.push(tunnel(id));
        }
        w.select_by(-2);
        assert!(!w.follow);
        assert_eq!(w.selected_row().unwrap().id(), 3);
        for id in 6..=(MAX_ROWS as u64 + 2) {
            w.push(tunnel(id));
        }
        assert_eq!(w.rows.len(), MAX_ROWS);
        assert_eq!(w.dropped, 2);
        assert_eq!(w.selected_row().unwrap().id(), 3);
    }

    #[test]
    fn a_path_is_taken_from_an_absolute_url_or_kept() {
        assert_eq!(
            path_and_query("http://127.0.0.1:8080/v1/x?a=1"),
            "/v1/x?a=1"
        );
        assert_eq!(path_and_query("https://h"), "/");
        assert_eq!(path_and_query("/v1/x"), "/v1/x");
    }
}
