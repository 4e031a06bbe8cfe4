//! Text → blocks: split at `###` lines, then each block's head (comments, `@` directives,
//! file variables), request line, headers and body. Lenient where JetBrains and REST Client
//! are: a bare URL is a GET, comments may sit among headers, a `< file` body may follow the
//! headers without a blank line; a header line without a colon is an error with its line.

use super::multipart;
use super::{Block, BodySpec, HttpFile, HttpFileError, Request, Spans};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub(super) fn file(path: PathBuf, text: &str) -> Result<HttpFile, HttpFileError> {
    let newline = match text.find('\n') {
        Some(i) if text[..i].ends_with('\r') => "\r\n",
        _ => "\n",
    };
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut first = 1;
    for line in text.split_inclusive('\n') {
        if is_separator(content(line)) && !current.is_empty() {
            let lines = std::mem::take(&mut current);
            let n = lines.len();
            blocks.push(block(&path, lines, first)?);
            first += n;
        }
        current.push(line.to_string());
    }
    if !current.is_empty() {
        blocks.push(block(&path, current, first)?);
    }
    Ok(HttpFile {
        path,
        blocks,
        newline,
    })
}

/// A line without its ending.
pub(super) fn content(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

pub(super) fn is_separator(line: &str) -> bool {
    line.starts_with("###")
}

/// The text of a `#` or `//` comment line, without the marker.
pub(super) fn comment(line: &str) -> Option<&str> {
    let t = line.trim_start();
    t.strip_prefix("//").or_else(|| t.strip_prefix('#'))
}

/// `@name = value`: a file variable (REST Client; JetBrains since 2023.3).
pub(super) fn file_var(line: &str) -> Option<(String, String)> {
    let rest = line.trim().strip_prefix('@')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    valid.then(|| (name.to_string(), value.trim().to_string()))
}

/// A line after the body that belongs to the response: a handler script or file, or the
/// `<>` reference to a previous response.
pub(super) fn is_handler(line: &str) -> bool {
    line.starts_with("> ") || line.starts_with(">{%") || line.starts_with("<>")
}

/// `< ./path` or `<@ ./path`: a body or part read from a file.
pub(super) fn file_ref(line: &str) -> Option<(String, bool)> {
    let t = line.trim();
    let (rest, substitute) = match t.strip_prefix("<@") {
        Some(r) => (r, true),
        None => (t.strip_prefix('<').filter(|r| !r.starts_with('>'))?, false),
    };
    let path = rest.trim();
    (!path.is_empty() && rest.starts_with([' ', '\t'])).then(|| (path.to_string(), substitute))
}

fn block(path: &Path, lines: Vec<String>, first: usize) -> Result<Block, HttpFileError> {
    let text: Vec<&str> = lines.iter().map(|l| content(l)).collect();
    let mut head = Head::default();
    let mut i = 0;
    if text.first().is_some_and(|l| is_separator(l)) {
        let title = text[0].trim_start_matches('#').trim();
        head.name = (!title.is_empty()).then(|| title.to_string());
        i = 1;
    }
    while i < text.len() && head.line(i, text[i]) {
        i += 1;
    }
    if i < text.len() {
        let vars = std::mem::take(&mut head.vars);
        return Ok(Block {
            request: Some(request(path, &lines, i, first, head)?),
            lines,
            vars,
        });
    }
    Ok(Block {
        lines,
        vars: head.vars,
        request: None,
    })
}

/// What the lines before a request line say.
#[derive(Default)]
struct Head {
    name: Option<String>,
    directives: Vec<(String, String)>,
    vars: Vec<(usize, String, String)>,
}

impl Head {
    /// Takes line `i` if it belongs to the head: blank, a comment, a variable.
    fn line(&mut self, i: usize, line: &str) -> bool {
        if line.trim().is_empty() {
            return true;
        }
        if let Some(c) = comment(line) {
            if let Some((word, rest)) = directive(c) {
                match word.as_str() {
                    "name" => self.name = Some(rest),
                    _ => self.directives.push((word, rest)),
                }
            }
            return true;
        }
        match file_var(line) {
            Some((name, value)) => {
                self.vars.push((i, name, value));
                true
            }
            None => false,
        }
    }
}

/// `@name value`, `@name = value`, `@no-redirect` in a comment.
pub(super) fn directive(comment: &str) -> Option<(String, String)> {
    let rest = comment.trim().strip_prefix('@')?;
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '=')
        .unwrap_or(rest.len());
    let word = &rest[..end];
    let value = rest[end..].trim_start().trim_start_matches('=').trim();
    (!word.is_empty()).then(|| (word.to_string(), value.to_string()))
}

fn request(
    path: &Path,
    raw: &[String],
    start: usize,
    first: usize,
    head: Head,
) -> Result<Request, HttpFileError> {
    let text: Vec<&str> = raw.iter().map(|l| content(l)).collect();
    let (method, mut url, version) = request_line(text[start]);
    let mut i = start + 1;
    while i < text.len() && text[i].trim_start().starts_with(['?', '&']) {
        url.push_str(text[i].trim());
        i += 1;
    }
    let line = start..i;
    let (headers, last, header_end) = headers(path, &text, i, first)?;
    let mut body_end = header_end;
    while body_end < text.len() && !is_handler(text[body_end]) {
        body_end += 1;
    }
    let handlers: Vec<String> = text[body_end..]
        .iter()
        .filter(|l| is_handler(l))
        .map(|l| l.to_string())
        .collect();
    while body_end > header_end && text[body_end - 1].trim().is_empty() {
        body_end -= 1;
    }
    let body = body(path, raw, &headers, header_end..body_end, first)?;
    // The blank line between headers and body belongs to the body: without a body it is
    // layout, kept with what follows.
    let body_span = if body == BodySpec::None {
        last..last
    } else {
        last..body_end
    };
    Ok(Request {
        name: head.name,
        method,
        url,
        version,
        headers,
        body,
        directives: head.directives,
        handlers,
        spans: Spans {
            line,
            headers: i..last,
            body: body_span,
        },
    })
}

/// `METHOD URL [HTTP/x]`, or a bare URL (a GET).
fn request_line(line: &str) -> (String, String, Option<String>) {
    let t = line.trim();
    let (method, rest) = match t.split_once(char::is_whitespace) {
        Some((m, rest)) if !m.is_empty() && m.chars().all(|c| c.is_ascii_uppercase()) => {
            (m.to_string(), rest.trim())
        }
        _ => ("GET".to_string(), t),
    };
    match rest.rsplit_once(char::is_whitespace) {
        Some((url, v)) if v.starts_with("HTTP/") => {
            (method, url.trim().to_string(), Some(v.to_string()))
        }
        _ => (method, rest.to_string(), None),
    }
}

/// Header rows, the index after the last header line, the index where the body may start.
type HeaderLines = (Vec<(String, String)>, usize, usize);

/// Header lines from `i`: the rows, the index after the last header (or comment) line, and
/// the index where the body may start (after the blank line that ends them).
fn headers(
    path: &Path,
    text: &[&str],
    mut i: usize,
    first: usize,
) -> Result<HeaderLines, HttpFileError> {
    let mut out = Vec::new();
    while i < text.len() {
        let line = text[i];
        if line.trim().is_empty() {
            return Ok((out, i, i + 1));
        }
        if is_handler(line) || file_ref(line).is_some() {
            break;
        }
        if comment(line).is_none() {
            let Some((name, value)) = line.split_once(':') else {
                let shown = line.trim();
                return Err(HttpFileError::at(
                    path,
                    first + i,
                    format!("header {shown:?} has no colon"),
                ));
            };
            if name.trim().is_empty() {
                return Err(HttpFileError::at(path, first + i, "a header has no name"));
            }
            out.push((name.trim().to_string(), value.trim().to_string()));
        }
        i += 1;
    }
    Ok((out, i, i))
}

fn body(
    path: &Path,
    raw: &[String],
    headers: &[(String, String)],
    span: std::ops::Range<usize>,
    first: usize,
) -> Result<BodySpec, HttpFileError> {
    let lines: Vec<&str> = raw[span.clone()].iter().map(|l| content(l)).collect();
    if lines.is_empty() {
        return Ok(BodySpec::None);
    }
    if let Some(boundary) = multipart::boundary(headers)
        && let Some(parts) =
            multipart::parse(path, &raw[span.clone()], &boundary, first + span.start)?
    {
        return Ok(BodySpec::Multipart { boundary, parts });
    }
    if let [only] = lines[..]
        && let Some((path, substitute)) = file_ref(only)
    {
        return Ok(BodySpec::File { path, substitute });
    }
    Ok(BodySpec::Text(joined(&raw[span])))
}

/// Lines as one text, the endings between them as in the file, the last one's dropped.
pub(super) fn joined(raw: &[String]) -> String {
    let text: String = raw.concat();
    content(&text).to_string()
}

/// `5`, `5 s`, `500ms`, `2m`: a directive's duration (seconds without a unit).
pub(super) fn duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let digits = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let n: f64 = t[..digits].parse().ok()?;
    let secs = match t[digits..].trim() {
        "" | "s" => n,
        "ms" => n / 1000.0,
        "m" => n * 60.0,
        _ => return None,
    };
    Duration::try_from_secs_f64(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines_with_and_without_method_and_version() {
        let cases = [
            (
                "GET http://h/ HTTP/1.1",
                ("GET", "http://h/", Some("HTTP/1.1")),
            ),
            ("http://h/x", ("GET", "http://h/x", None)),
            ("  PROPFIND {{base}}/d  ", ("PROPFIND", "{{base}}/d", None)),
            (
                "POST http://h/ HTTP/2",
                ("POST", "http://h/", Some("HTTP/2")),
            ),
        ];
        for (line, (m, u, v)) in cases {
            let (method, url, version) = request_line(line);
            assert_eq!(
                (method.as_str(), url.as_str(), version.as_deref()),
                (m, u, v)
            );
        }
    }

    #[test]
    fn directives_variables_and_durations() {
        assert_eq!(
            directive(" @name = login"),
            Some(("name".into(), "login".into()))
        );
        assert_eq!(
            directive("@no-redirect"),
            Some(("no-redirect".into(), String::new()))
        );
        assert_eq!(directive(" just a comment"), None);
        assert_eq!(
            file_var("@host = {{h}}:8080 "),
            Some(("host".into(), "{{h}}:8080".into()))
        );
        assert_eq!(file_var("@bad name = x"), None);
        assert_eq!(duration("5"), Some(Duration::from_secs(5)));
        assert_eq!(duration("500 ms"), Some(Duration::from_millis(500)));
        assert_eq!(duration("2m"), Some(Duration::from_secs(120)));
        assert_eq!(duration("soon"), None);
        assert_eq!(file_ref("<@ ./b.json"), Some(("./b.json".into(), true)));
        assert_eq!(file_ref("<> ./r.json"), None);
        assert_eq!(file_ref("<tag>"), None);
    }
}
