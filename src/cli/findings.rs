//! Findings as text for the terminal: severity label, id, where it points, why, and the fix.
//!
//! Severity is spelled out (`error`, `warning`, `info`), never carried by colour alone.

use crate::draft::Draft;
use crate::rules::Finding;
use std::fmt::Write;

pub fn text(findings: &[Finding], draft: &Draft) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(
            out,
            "{:<7} {}  ({})",
            f.severity,
            f.id,
            f.describe_anchor(draft)
        );
        let _ = writeln!(out, "        {}", f.title);
        let _ = writeln!(out, "        {}", f.explanation);
        if !f.evidence.is_empty() {
            let _ = writeln!(out, "        seen ({}): {}", f.confidence, f.evidence);
        }
        if let Some(words) = &f.server_words {
            let _ = writeln!(out, "        the server said: \"{words}\"");
        }
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "        fix: {}", fix.label);
        }
    }
    out
}
