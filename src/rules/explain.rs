//! `authlens explain CAUSE`: a cause in full — what it is, how it is recognised, the fix and
//! the sources — read from `docs/catalogue.md`, the catalogue the rules implement.
//!
//! The document is compiled in, so the text a user reads is the text reviewers edit; a test
//! checks that every [`CauseId`] has its row there with the title and severity the rules use.

use super::catalogue::cause;
use super::cause_id::CauseId;

const CATALOGUE: &str = include_str!("../../docs/catalogue.md");

/// One row of the catalogue's cause table, with its sources resolved from §5.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub id: CauseId,
    pub group: char,
    pub title: String,
    pub detect: String,
    pub severity: String,
    pub fix: String,
    /// Each source as cited in the row, and its entry in the catalogue's sources when it has one.
    pub sources: Vec<(String, Option<String>)>,
}

/// The catalogue's row for `id`.
pub fn explanation(id: CauseId) -> Option<Explanation> {
    let mut group = '?';
    for line in CATALOGUE.lines() {
        if let Some(g) = line.strip_prefix("### ").and_then(|h| h.chars().next()) {
            group = g;
        }
        let Some(cells) = row(line) else { continue };
        if cells.len() == 6 && cells[0].trim_matches('`') == id.as_str() {
            return Some(Explanation {
                id,
                group,
                title: cells[1].clone(),
                detect: cells[2].clone(),
                severity: cells[3].clone(),
                fix: cells[4].clone(),
                sources: sources(&cells[5]),
            });
        }
    }
    None
}

/// The cells of a table row, `|`-separated (a `\|` inside a cell is not a separator).
fn row(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    let mut cells = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cells.last_mut()?.push('|');
                chars.next();
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut()?.push(c),
        }
    }
    Some(cells.into_iter().map(|c| c.trim().to_string()).collect())
}

/// `[FastAPI-sec] (…), n8n-io/n8n#37930` → each citation, with `[KEY]`'s line from §5.
fn sources(cell: &str) -> Vec<(String, Option<String>)> {
    split_top_level(cell)
        .into_iter()
        .map(|cited| {
            let key = cited
                .strip_prefix('[')
                .and_then(|r| r.split_once(']'))
                .map(|(k, _)| k.split(" §").next().unwrap_or(k).to_string());
            let entry = key.and_then(|k| source_entry(&k));
            (cited, entry)
        })
        .collect()
}

/// Splits at commas and semicolons that are not inside brackets or parentheses.
fn split_top_level(cell: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in cell.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if (c == ',' || c == ';') && depth <= 0 {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The line of §5 that defines `[key]` (or `[key]` among `[a] / [b]`), without the bullet.
fn source_entry(key: &str) -> Option<String> {
    let sources = CATALOGUE.split("## 5. Sources").nth(1)?;
    sources
        .lines()
        .filter_map(|l| l.strip_prefix("* "))
        .find(|l| l.contains(&format!("[{key}]")))
        .map(str::to_string)
}

/// `authlens explain ID`: the cause in full, wrapped for a terminal.
pub fn text(e: &Explanation) -> String {
    let mut out = format!(
        "{} — {}\ngroup {} · {}\n",
        e.id, e.title, e.group, e.severity
    );
    for (heading, body) in [("How authlens recognises it", &e.detect), ("Fix", &e.fix)] {
        out.push_str(&format!("\n{heading}:\n{}", wrap(body, 2, 96)));
    }
    out.push_str("\nSources:\n");
    for (cited, entry) in &e.sources {
        out.push_str(&wrap(cited, 2, 96));
        if let Some(entry) = entry {
            out.push_str(&wrap(entry, 6, 96));
        }
    }
    out.push_str("\nThe full catalogue: docs/catalogue.md\n");
    out
}

/// `authlens explain`: one cause per line, its id first.
pub fn list() -> String {
    CauseId::ALL
        .iter()
        .map(|&id| format!("{:<42} {}\n", id.as_str(), cause(id).title))
        .collect()
}

/// Words of `text` in lines of at most `width`, each indented by `indent`.
fn wrap(text: &str, indent: usize, width: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.len() + 1 + word.len() > width {
            out.push_str(&format!("{pad}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(&format!("{pad}{line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_has_its_catalogue_row_with_the_rules_title_and_severity() {
        for id in CauseId::ALL {
            let e =
                explanation(id).unwrap_or_else(|| panic!("{id} has no row in docs/catalogue.md"));
            let c = cause(id);
            assert_eq!(
                e.title, c.title,
                "{id}: title differs from rules/catalogue.rs"
            );
            // `error / warning`, `warning (error if nginx is in the path)`: the rules' default
            // is the first one the catalogue names.
            let rules = c.severity.to_string();
            assert!(
                e.severity.starts_with(&rules),
                "{id}: {rules} but the catalogue says {:?}",
                e.severity
            );
            assert_eq!(e.group, c.group, "{id}: group differs");
            assert!(
                !e.fix.is_empty() && !e.sources.is_empty(),
                "{id}: no fix or source"
            );
        }
    }

    #[test]
    fn an_explanation_resolves_its_bracketed_sources() {
        let e = explanation(CauseId::EnvVarMissing).unwrap();
        let (cited, entry) = &e.sources[0];
        assert!(cited.starts_with("[FastAPI-sec]"), "{cited}");
        assert!(
            entry
                .as_deref()
                .unwrap()
                .contains("fastapi/security/api_key.py")
        );
        let t = text(&e);
        assert!(t.starts_with("env-var-missing — Referenced variable is not set\ngroup A · error"));
        assert!(t.contains("\nFix:\n  Export X"));
        assert!(t.lines().all(|l| l.chars().count() <= 96), "{t}");
    }

    #[test]
    fn the_list_has_one_cause_per_line_id_first() {
        let l = list();
        assert_eq!(l.lines().count(), CauseId::ALL.len());
        for (line, id) in l.lines().zip(CauseId::ALL) {
            assert_eq!(line.split_whitespace().next(), Some(id.as_str()));
        }
    }
}
