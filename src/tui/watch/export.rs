//! `H` on the watch screen: every watched exchange to a HAR 1.2 file in the current
//! directory, secrets masked (`formats::har_write`). The file is written off the event loop
//! (`Effect::ExportHar`); the status line says where it went.

use super::keys::shown;
use super::state::Row;
use crate::formats::{har_write, wire_secrets};
use crate::tui::app::{App, Level};
use crate::tui::msg::Effect;
use crate::watch::Watched;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The exchanges to write, with where each went.
#[derive(Debug, Clone)]
pub struct HarJob {
    /// `authlens-watch-YYYYMMDD-HHMMSS` (UTC), without `.har`: a file of that name already
    /// there gets a `-2`, `-3`… rather than being replaced.
    pub stem: String,
    pub exchanges: Vec<(Arc<Watched>, String)>,
    /// Tunnels are left out (nothing of them was read); said in the note.
    pub tunnels: usize,
    /// Exchanges the list had already dropped (`MAX_ROWS`), so not in the file; said too.
    pub dropped: u64,
}

impl PartialEq for HarJob {
    fn eq(&self, other: &Self) -> bool {
        self.stem == other.stem && self.exchanges.len() == other.exchanges.len()
    }
}

pub fn har(app: &mut App) -> Vec<Effect> {
    let Some(w) = shown(app) else {
        return Vec::new();
    };
    let mut exchanges = Vec::new();
    for r in &w.rows {
        if let Row::Exchange(x) = r {
            exchanges.push((x.clone(), w.upstream_url(x)));
        }
    }
    let (tunnels, dropped) = (w.rows.len() - exchanges.len(), w.dropped);
    if exchanges.is_empty() {
        app.status = Some((Level::Info, "no exchange to export yet".into()));
        return Vec::new();
    }
    let stem = format!("authlens-watch-{}", stamp(app.unix_now.unwrap_or(0)));
    app.status = Some((Level::Info, "writing the HAR…".into()));
    vec![Effect::ExportHar(HarJob {
        stem,
        exchanges,
        tunnels,
        dropped,
    })]
}

/// `20260301-110000` of Unix seconds, UTC.
fn stamp(secs: i64) -> String {
    let iso = crate::dates::format_iso8601(secs);
    iso.chars()
        .filter(|c| c.is_ascii_digit() || *c == 'T')
        .collect::<String>()
        .replace('T', "-")
}

impl HarJob {
    /// The HAR text: each exchange as the program sent it, masked.
    pub fn text(&self) -> String {
        let masks: Vec<_> = self
            .exchanges
            .iter()
            .map(|(x, _)| wire_secrets::redactor(&x.sent, x.response.as_ref()))
            .collect();
        let entries: Vec<har_write::HarEntry> = self
            .exchanges
            .iter()
            .zip(&masks)
            .map(|((x, url), redactor)| har_write::HarEntry {
                started: x.at,
                request: &x.sent,
                url,
                response: x.response.as_ref(),
                timing: &x.timing,
                comment: comment(x),
                redactor,
            })
            .collect();
        har_write::write(&entries)
    }

    /// Writes the file into `dir` (`0600`, never over another file) and says what it did,
    /// for the status line.
    pub fn write_in(&self, dir: &Path) -> Result<String, String> {
        let text = self.text();
        let path = create(dir, &self.stem, text.as_bytes())
            .map_err(|e| format!("the HAR was not written to {}: {e}", dir.display()))?;
        let n = self.exchanges.len();
        let mut note = format!(
            "HAR of {n} exchange{} written to {} (secrets masked)",
            if n == 1 { "" } else { "s" },
            path.display()
        );
        if self.tunnels > 0 {
            note.push_str(&format!(
                "; {} tunnel(s) left out, never read",
                self.tunnels
            ));
        }
        if self.dropped > 0 {
            note.push_str(&format!(
                "; the {} oldest were dropped before",
                self.dropped
            ));
        }
        Ok(note)
    }
}

fn comment(x: &Watched) -> Option<String> {
    let parts: Vec<&str> = x.fault.iter().chain(&x.notes).map(String::as_str).collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn create(dir: &Path, stem: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::io::Write;
    for n in 1.. {
        let name = match n {
            1 => format!("{stem}.har"),
            n => format!("{stem}-{n}.har"),
        };
        let path = dir.join(name);
        match crate::data_dir::create_new_private(&path) {
            Ok(mut f) => {
                f.write_all(bytes)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => {}
            Err(e) => return Err(e),
        }
    }
    unreachable!("the loop returns")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stamp_is_utc_digits() {
        assert_eq!(super::stamp(1_772_362_800), "20260301-110000");
    }
}
