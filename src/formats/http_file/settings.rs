//! A request's `# @` directives ↔ its [`Settings`]. `@no-redirect` and `@timeout` are the
//! JetBrains client's; `@max-redirects`, `@insecure`, `@cacert`, `@cert`, `@key`, `@proxy` and
//! `@no-proxy` are authlens's own, which other tools skip as unknown comments.

use super::parse;
use super::to_draft::{in_dir, relative};
use crate::draft::Settings;
use std::path::Path;

/// The directive words these settings own; a rewrite replaces exactly these lines.
pub(super) const WORDS: &[&str] = &[
    "no-redirect",
    "max-redirects",
    "timeout",
    "insecure",
    "cacert",
    "cert",
    "key",
    "proxy",
    "no-proxy",
];

const DAY_MS: u64 = 86_400_000;

/// The settings `directives` ask for; paths relative to `dir`. Unknown words and values that
/// do not parse are left for the tools that own them.
pub(super) fn read(directives: &[(String, String)], dir: &Path) -> Settings {
    let mut s = Settings::default();
    let path = |p: &str| (!p.is_empty()).then(|| in_dir(dir, p));
    for (word, rest) in directives {
        match word.as_str() {
            "no-redirect" => s.max_redirects = Some(0),
            "max-redirects" => s.max_redirects = rest.trim().parse().ok().or(s.max_redirects),
            "timeout" => {
                // Held to a day, as `--timeout` and the Settings tab are.
                // Zero is no timeout a client takes (`--timeout 0` is refused): left unset.
                s.timeout_ms = parse::duration(rest)
                    .map(|d| (d.as_millis() as u64).min(DAY_MS))
                    .filter(|ms| *ms > 0);
            }
            "insecure" => s.insecure = true,
            "cacert" => s.ca_bundle = path(rest),
            "cert" => s.client_cert = path(rest),
            "key" => s.client_key = path(rest),
            "proxy" if !rest.is_empty() => s.proxy = Some(rest.to_string()),
            "no-proxy" => s.proxy = Some("none".into()),
            _ => {}
        }
    }
    s
}

/// The directive lines (`# @timeout 5`, no line ending) that say `s`.
pub(super) fn write(s: &Settings, dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    match s.max_redirects {
        Some(0) => out.push("# @no-redirect".to_string()),
        Some(n) => out.push(format!("# @max-redirects {n}")),
        None => {}
    }
    if let Some(ms) = s.timeout_ms {
        out.push(match ms % 1000 {
            0 => format!("# @timeout {}", ms / 1000),
            _ => format!("# @timeout {ms} ms"),
        });
    }
    if s.insecure {
        out.push("# @insecure".into());
    }
    let paths = [
        ("cacert", &s.ca_bundle),
        ("cert", &s.client_cert),
        ("key", &s.client_key),
    ];
    for (word, p) in paths {
        if let Some(p) = p {
            out.push(format!("# @{word} {}", relative(dir, p)));
        }
    }
    match s.proxy.as_deref() {
        Some(p) if p.eq_ignore_ascii_case("none") || p.is_empty() => {
            out.push("# @no-proxy".into());
        }
        Some(p) => out.push(format!("# @proxy {p}")),
        None => {}
    }
    out
}

/// Whether `line` is one of the directives these settings own.
pub(super) fn is_setting_line(line: &str) -> bool {
    parse::comment(line)
        .and_then(parse::directive)
        .is_some_and(|(w, _)| WORDS.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_setting_reads_back_as_written() {
        let dir = Path::new("/p");
        let s = Settings {
            timeout_ms: Some(2500),
            max_redirects: Some(3),
            insecure: true,
            ca_bundle: Some("/p/ca.pem".into()),
            client_cert: Some("/p/client.pem".into()),
            client_key: Some("/p/client.key".into()),
            proxy: Some("http://127.0.0.1:3128".into()),
        };
        let lines = write(&s, dir);
        assert!(
            lines.contains(&"# @cert ./client.pem".to_string()),
            "{lines:?}"
        );
        let directives: Vec<(String, String)> = lines
            .iter()
            .filter_map(|l| parse::comment(l).and_then(parse::directive))
            .collect();
        assert_eq!(read(&directives, dir), s);
        assert!(is_setting_line("# @insecure\n"));
        assert!(!is_setting_line("# @name login\n"));
    }

    #[test]
    fn a_timeout_past_a_day_is_held_to_a_day() {
        let d = vec![("timeout".to_string(), "100000000".to_string())];
        assert_eq!(read(&d, Path::new("/p")).timeout_ms, Some(DAY_MS));
        let zero = vec![("timeout".to_string(), "0".to_string())];
        assert_eq!(read(&zero, Path::new("/p")).timeout_ms, None);
    }
}
