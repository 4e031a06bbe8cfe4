//! Pretty-printing a JSON request body the user typed, without changing a single value.
//!
//! Parsing into `serde_json::Value` and printing it back would rewrite numbers (`1e3` becomes
//! `1000.0`) and silently drop a duplicate key — a body that then differs from what the user
//! meant to send. So the text is only checked by serde_json (for a clear error with its line
//! and column) and re-indented token by token.

/// `text` indented by two spaces per level, or serde_json's reason it is not JSON.
pub fn pretty(text: &str) -> Result<String, String> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| e.to_string())?;
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => copy_string(&mut out, &mut chars),
            '{' | '[' => {
                out.push(c);
                skip_ws(&mut chars);
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Copies a string literal whose opening quote was just read, escapes untouched.
fn copy_string(out: &mut String, chars: &mut impl Iterator<Item = char>) {
    out.push('"');
    let mut escaped = false;
    for c in chars.by_ref() {
        out.push(c);
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return,
            _ => escaped = false,
        }
    }
}

fn skip_ws(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| c.is_whitespace()).is_some() {}
}

#[cfg(test)]
mod tests {
    use super::pretty;

    #[test]
    fn indents_and_keeps_every_value_as_written() {
        let body =
            r#"{"n":1e3,"dup":1,"dup":2,"s":"a, b: {\"c\"} [\\]","e":{},"l":[ ],"x":[true,null]}"#;
        let want = r#"{
  "n": 1e3,
  "dup": 1,
  "dup": 2,
  "s": "a, b: {\"c\"} [\\]",
  "e": {},
  "l": [],
  "x": [
    true,
    null
  ]
}"#;
        assert_eq!(pretty(body).unwrap(), want);
        // Pretty text stays the same when pretty-printed again.
        assert_eq!(pretty(want).unwrap(), want);
    }

    #[test]
    fn not_json_says_where() {
        let e = pretty("{\"a\": 1,\n \"b\" 2}").unwrap_err();
        assert!(e.contains("line 2 column 6"), "{e}");
        assert!(pretty("{\"key\": ${TOKEN}}").is_err());
    }
}
