//! Docker Compose `environment:` entries as the container receives them. Compose interpolates
//! `$NAME` and `${NAME}` (also `${NAME:-default}`) from the shell and the project's `.env`,
//! whatever the YAML quoting — an unset name becomes empty with a warning — and `$$` is a
//! literal `$`. In the list form (`- KEY="v"`) quotes are part of the value; in the map form
//! (`KEY: "v"`) YAML removes them. A ` #` starts a YAML comment. (`env_file:` is read literally,
//! as `docker-env-file`.)

use super::loaders::{Entry, Loaded, Quote};
use std::collections::BTreeMap;

/// Reads `environment:` lines (`KEY=v`, `- KEY=v` or `KEY: v`) into `loaded`.
pub fn load(text: &str, process: &BTreeMap<String, String>, loaded: &mut Loaded) {
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l == "environment:" {
            continue;
        }
        let (list, l) = match l.strip_prefix("- ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, l),
        };
        let split = if list {
            l.split_once('=')
        } else {
            l.split_once(['=', ':'])
        };
        let Some((key, raw)) = split else { continue };
        let raw = raw.trim().to_string();
        let text = raw.split(" #").next().unwrap_or("").trim_end();
        let quote = match text.chars().next() {
            Some('\'') => Quote::Single,
            Some('"') => Quote::Double,
            _ => Quote::None,
        };
        let unquoted = if !list && quote != Quote::None && text.len() >= 2 {
            &text[1..text.len() - 1]
        } else {
            text
        };
        loaded.entries.push(Entry {
            key: key.trim().trim_matches('"').to_string(),
            value: interpolate(unquoted, process),
            quote,
            raw: raw.clone(),
            line: i + 1,
        });
    }
}

/// Compose's interpolation: `$$` → `$`, `${A:-d}` → A or d, `$A`/`${A}` → A or "".
pub fn interpolate(value: &str, process: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('{').and_then(|a| a.split_once('}')) {
            let (body, tail) = inner;
            let (name, default) = body.split_once(":-").map_or((body, ""), |(n, d)| (n, d));
            out.push_str(process.get(name).map_or(default, String::as_str));
            rest = tail;
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                out.push('$');
            } else {
                out.push_str(process.get(&after[..end]).map_or("", String::as_str));
            }
            rest = &after[end..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_interpolates_unless_doubled() {
        let env = BTreeMap::from([("A".to_string(), "x".to_string())]);
        assert_eq!(interpolate("sSe$Q8YaZX", &env), "sSe");
        assert_eq!(interpolate("p$$w", &env), "p$w");
        assert_eq!(interpolate("${A}-${B:-d}-$A", &env), "x-d-x");
    }
}
