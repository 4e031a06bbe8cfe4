//! motdotla/dotenv (`require('dotenv').config()`, v16) as it reads a `.env`: one regular
//! expression per line, no `$` expansion (that is dotenv-expand), `#` starts a comment even
//! without a space before it in an unquoted value, quotes (`'`, `"`, `` ` ``) stripped, `\n`
//! expanded inside double quotes, the last occurrence wins, the process environment wins.

use super::loaders::{Entry, Loaded, Quote};

/// Reads `text` into `loaded`, as dotenv v16's `parse`.
pub fn load(text: &str, loaded: &mut Loaded) {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let mut lines = text.split('\n').enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let l = line.trim_start();
        let l = l.strip_prefix("export ").map_or(l, str::trim_start);
        let Some(eq) = l.find(['=', ':']) else {
            continue;
        };
        let key = l[..eq].trim();
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            continue;
        }
        let mut raw = l[eq + 1..].trim_start().to_string();
        let quote = raw.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'));
        // A quoted value may continue on the following lines until its closing quote.
        if let Some(q) = quote {
            while raw[1..].find(q).is_none() {
                let Some((_, next)) = lines.next() else { break };
                raw.push('\n');
                raw.push_str(next);
            }
        }
        let value = match quote {
            Some(q) => {
                let inner = raw[1..].split(q).next().unwrap_or("");
                if q == '"' {
                    inner.replace("\\n", "\n").replace("\\r", "\r")
                } else {
                    inner.to_string()
                }
            }
            None => raw.split('#').next().unwrap_or("").trim().to_string(),
        };
        loaded.entries.push(Entry {
            key: key.to_string(),
            value,
            quote: match quote {
                Some('\'') => Quote::Single,
                Some(_) => Quote::Double,
                None => Quote::None,
            },
            raw,
            line: i + 1,
        });
    }
}
