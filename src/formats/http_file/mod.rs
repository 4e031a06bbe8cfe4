//! `.http` files — the JetBrains HTTP Client / VS Code REST Client format — kept as documents,
//! so a collection someone commits to git survives authlens.
//!
//! A file is read into blocks (one per `###` separator, the lines before the first one being
//! block 0), each holding its lines exactly as written, line endings included, and what they
//! mean: the request's name, `@name = value` file variables, `# @directive`s, the request
//! line, headers and body. Writing concatenates the lines, so an untouched file comes back
//! byte for byte; replacing one request's draft rewrites only the lines of that request that
//! changed (request line, headers, body), keeping comments, order, response handlers
//! (`> {% … %}`, `<> ./previous.json`) and lines authlens does not know.

pub mod env;
mod error;
mod multipart;
mod parse;
mod save;
mod settings;
mod to_draft;
mod variables;
mod write;

pub use env::Environments;
pub use error::HttpFileError;
pub use save::{safe_draft, save_request};
pub use variables::{FileVar, file_variables};

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A parsed `.http` file: its blocks, in order, and the line ending it writes new lines with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpFile {
    /// The file as named in errors (`api.http`, or the path it was read from).
    pub path: PathBuf,
    blocks: Vec<Block>,
    /// `"\r\n"` when the file's first line ends so, else `"\n"`.
    newline: &'static str,
}

/// The lines from one `###` separator to the next, and what they hold.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Block {
    /// Each line with its ending; the last line of the file may have none.
    lines: Vec<String>,
    /// `@name = value` lines of the block, by index in `lines`.
    vars: Vec<(usize, String, String)>,
    request: Option<Request>,
}

/// One request of the file, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `# @name x` (or `// @name x`), else the title of its `### x` separator.
    pub name: Option<String>,
    /// `GET` when the request line is a bare URL.
    pub method: String,
    /// With its `?`/`&` continuation lines joined, variables as typed.
    pub url: String,
    /// `HTTP/1.1`, `HTTP/2` when the request line names one.
    pub version: Option<String>,
    /// Header lines in order, name and value trimmed.
    pub headers: Vec<(String, String)>,
    pub body: BodySpec,
    /// `# @no-redirect`, `# @timeout 5`…: every `@` comment but `@name`, as (word, rest).
    pub directives: Vec<(String, String)>,
    /// Response handler and reference lines after the body (`> {%`, `> ./x.js`, `<> ./y`),
    /// kept as written.
    pub handlers: Vec<String>,
    /// Where the request's parts sit in its block's lines: the request line and its
    /// continuations, the headers (and the blank line after them), the body.
    spans: Spans,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Spans {
    line: Range<usize>,
    headers: Range<usize>,
    body: Range<usize>,
}

/// A request's body as the file writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodySpec {
    None,
    /// Inline text, line endings as in the file, without the last line's ending.
    Text(String),
    /// `< ./path` (`substitute: false`) or `<@ ./path` (variables substituted).
    File {
        path: String,
        substitute: bool,
    },
    Multipart {
        boundary: String,
        parts: Vec<PartSpec>,
    },
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSpec {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub content: PartContent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartContent {
    Text(String),
    /// `< ./path` inside the part.
    File(String),
}

/// What a request's directives ask of the client, where authlens has a setting for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settings {
    /// `# @no-redirect`: do not follow redirects.
    pub no_redirect: bool,
    /// `# @timeout 5` (seconds; `ms`, `s` and `m` units accepted).
    pub timeout: Option<Duration>,
}

/// Reads `text` as a `.http` file; `path` names it in errors.
pub fn parse(path: impl Into<PathBuf>, text: &str) -> Result<HttpFile, HttpFileError> {
    parse::file(path.into(), text)
}

/// Reads the file at `path`.
pub fn read(path: &Path) -> Result<HttpFile, HttpFileError> {
    let bytes = std::fs::read(path).map_err(|e| HttpFileError::file(path, e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|e| HttpFileError::file(path, format!("is not UTF-8 text: {e}")))?;
    parse(path, &text)
}

impl HttpFile {
    /// The file as text: for an untouched file, exactly what was read.
    pub fn write(&self) -> String {
        self.blocks
            .iter()
            .flat_map(|b| &b.lines)
            .map(String::as_str)
            .collect()
    }

    /// The requests, in file order; indices into this list name a request everywhere else.
    pub fn requests(&self) -> Vec<&Request> {
        self.blocks
            .iter()
            .filter_map(|b| b.request.as_ref())
            .collect()
    }

    /// The index of the request named `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.requests()
            .iter()
            .position(|r| r.name.as_deref() == Some(name))
    }

    /// Every request's name, or `METHOD URL` for one without, for lists and errors.
    pub fn names(&self) -> Vec<String> {
        self.requests().iter().map(|r| r.label()).collect()
    }

    /// The 1-based line of request `index`'s request line.
    pub fn line_of(&self, index: usize) -> Option<usize> {
        let (b, r) = self.locate(index)?;
        Some(self.first_line(b) + r.spans.line.start)
    }

    /// The block holding request `index`, and the request.
    fn locate(&self, index: usize) -> Option<(usize, &Request)> {
        self.blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| b.request.as_ref().map(|r| (i, r)))
            .nth(index)
    }

    /// The 1-based line number of block `b`'s first line.
    fn first_line(&self, b: usize) -> usize {
        1 + self.blocks[..b]
            .iter()
            .map(|b| b.lines.len())
            .sum::<usize>()
    }
}

impl Request {
    /// The name, or `METHOD URL` when it has none.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method, self.url))
    }

    /// The directives authlens acts on.
    pub fn settings(&self) -> Settings {
        let mut s = Settings::default();
        for (word, rest) in &self.directives {
            match word.as_str() {
                "no-redirect" => s.no_redirect = true,
                "timeout" => s.timeout = parse::duration(rest),
                _ => {}
            }
        }
        s
    }
}
