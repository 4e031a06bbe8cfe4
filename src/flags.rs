//! curl-like flags → a `Draft`, for every command that takes a request and for the TUI
//! opened on one. Below both shells, so neither imports the other.
//!
//! Defaults follow curl: GET unless a body is given, then POST; `-d` sends
//! `application/x-www-form-urlencoded` and strips newlines from `@file` contents (`@-` is
//! stdin); `--json` sends the file as-is with JSON `Content-Type` and `Accept`; `-F` builds
//! multipart parts. Stdin, a FIFO or a device is read within a time limit (`--timeout`).

use crate::draft::{Body, Draft, Part, PartValue, Row};
use crate::send::InputError;
use crate::send::build::{MAX_BODY, file_error, shorten};
use clap::Args;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

/// curl-like request flags, shared by `send`, `compare` and the TUI.
#[derive(Debug, Clone, Args, Default)]
pub struct RequestArgs {
    /// The URL; `${NAME}` and `{{NAME}}` are replaced from the environment and `.env`.
    pub url: String,
    /// Method (default GET, or POST when a body is given).
    #[arg(short = 'X', long = "request", value_name = "METHOD")]
    pub method: Option<String>,
    /// A header, `Name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    pub headers: Vec<String>,
    /// A body; `@file` reads it from a file, `@-` from stdin (sets form content type unless a header says otherwise).
    #[arg(short = 'd', long = "data", value_name = "DATA")]
    pub data: Option<String>,
    /// A JSON body; `@file` reads it from a file, `@-` from stdin (sets Content-Type and Accept to JSON).
    #[arg(long = "json", value_name = "JSON", conflicts_with = "data")]
    pub json: Option<String>,
    /// A multipart part: `name=value`, or `name=@path[;type=…][;filename=…]` (repeatable).
    #[arg(short = 'F', long = "form", value_name = "PART", conflicts_with_all = ["data", "json"])]
    pub form: Vec<String>,
    /// Read variables from this .env file instead of searching (repeatable; first wins).
    #[arg(long = "env-file", value_name = "PATH")]
    pub env_files: Vec<PathBuf>,
    /// The API's OpenAPI (3.x) or Swagger (2.0) document, JSON or YAML, from a file or a URL:
    /// findings then say which credential slot the operation accepts, with the spec as evidence.
    #[arg(long = "spec", value_name = "FILE|URL")]
    pub spec: Option<String>,
}

/// How long reading a body from stdin, a pipe or a device may take when no `--timeout` says
/// otherwise (the TUI opened on flags): as long as `send`'s default.
pub const READ_LIMIT: Duration = Duration::from_secs(30);

pub fn draft_from_args(args: &RequestArgs) -> Result<Draft, InputError> {
    draft_from_args_within(args, READ_LIMIT)
}

/// The draft, with a body read from stdin (`@-`), a FIFO or a device given at most `limit`:
/// such a file can block forever when nothing writes to it, before any send timer starts.
pub fn draft_from_args_within(args: &RequestArgs, limit: Duration) -> Result<Draft, InputError> {
    let mut draft = Draft::new("GET", &args.url);
    for (i, h) in args.headers.iter().enumerate() {
        draft.headers.push(parse_header(i, h)?);
    }
    if let Some(data) = &args.data {
        let text = read_arg("-d", data, true, limit)?;
        draft.body = Body::Text {
            content_type: Some("application/x-www-form-urlencoded".into()),
            text,
        };
    } else if let Some(json) = &args.json {
        let text = read_arg("--json", json, false, limit)?;
        draft.body = Body::Text {
            content_type: Some("application/json".into()),
            text,
        };
        if !draft.has_header("accept") {
            draft.headers.push(Row::new("Accept", "application/json"));
        }
    } else if !args.form.is_empty() {
        let parts = args
            .form
            .iter()
            .enumerate()
            .map(|(i, f)| parse_part(i, f, limit))
            .collect::<Result<_, _>>()?;
        draft.body = Body::Multipart { parts };
    }
    draft.method = match &args.method {
        Some(m) => m.clone(),
        None if draft.body != Body::None => "POST".into(),
        None => "GET".into(),
    };
    Ok(draft)
}

/// `Name: value`; `Name;` is curl's spelling of a header with an empty value.
fn parse_header(i: usize, h: &str) -> Result<Row, InputError> {
    let input = || format!("-H argument {} {:?}", i + 1, quoted(h));
    if let Some(name) = h.strip_suffix(';').filter(|n| !n.contains(':')) {
        return Ok(Row::new(name.trim(), ""));
    }
    let (name, value) = h
        .split_once(':')
        .ok_or_else(|| InputError::new(input(), "expected `Name: value`"))?;
    if name.trim().is_empty() {
        return Err(InputError::new(input(), "the header name is empty"));
    }
    // Leading spaces after the colon separate; trailing ones are kept, as typed — a trailing
    // space in a key is one of the things authlens is here to point out.
    Ok(Row::new(name.trim(), value.trim_start_matches([' ', '\t'])))
}

/// An argument as an error message quotes it: its credential masked, and cut when long.
fn quoted(arg: &str) -> String {
    shorten(&crate::secret::masked_arg(arg))
}

/// A literal, or `@path` read from a file; `@-` reads stdin, as curl does.
fn read_arg(
    flag: &str,
    arg: &str,
    strip_newlines: bool,
    limit: Duration,
) -> Result<String, InputError> {
    let Some(path) = arg.strip_prefix('@') else {
        return Ok(arg.to_string());
    };
    let text = read_text(&format!("{flag} @{path}"), path, limit)?;
    Ok(if strip_newlines {
        text.replace(['\r', '\n'], "")
    } else {
        text
    })
}

/// The text of `path` (`-` is stdin). A regular file is read at once; stdin, a FIFO or a
/// device is read on a thread given `limit`, so one nothing writes to ends in an error that
/// names it instead of a hang.
fn read_text(input: &str, path: &str, limit: Duration) -> Result<String, InputError> {
    let bytes = if path == "-" {
        read_within(input, limit, || Ok(std::io::stdin()))?
    } else {
        let meta = std::fs::metadata(path).map_err(|e| InputError::new(input, file_error(&e)))?;
        if meta.is_dir() {
            return Err(InputError::new(input, "is a directory"));
        }
        if meta.is_file() {
            if meta.len() > MAX_BODY {
                return Err(too_big(input, meta.len()));
            }
            std::fs::read(path).map_err(|e| InputError::new(input, file_error(&e)))?
        } else {
            // Opening a FIFO blocks until a writer comes: that is inside the limit too.
            let owned = path.to_string();
            read_within(input, limit, move || std::fs::File::open(owned))?
        }
    };
    String::from_utf8(bytes).map_err(|e| {
        InputError::new(
            input,
            format!(
                "is not UTF-8 text (byte {}); send binary files with -F name=@path",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

fn too_big(input: &str, len: u64) -> InputError {
    InputError::new(
        input,
        format!(
            "is {len} bytes, more than the {} MiB authlens holds",
            MAX_BODY >> 20
        ),
    )
}

/// Reads what `open` gives, to its end, on its own thread, waiting at most `limit`. On time
/// out the thread is left blocked on its read; the command ends with the error anyway.
fn read_within<R: Read + 'static>(
    input: &str,
    limit: Duration,
    open: impl FnOnce() -> std::io::Result<R> + Send + 'static,
) -> Result<Vec<u8>, InputError> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let read = open().and_then(|r| {
            let mut bytes = Vec::new();
            r.take(MAX_BODY + 1).read_to_end(&mut bytes).map(|_| bytes)
        });
        let _ = tx.send(read);
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(bytes)) if bytes.len() as u64 > MAX_BODY => Err(too_big(input, bytes.len() as u64)),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(InputError::new(input, file_error(&e))),
        Err(_) => Err(InputError::new(
            input,
            format!(
                "still not read to its end after {} s (--timeout); is anything writing to it and closing it?",
                limit.as_secs_f64()
            ),
        )),
    }
}

/// `name=<path` (text read from a file) here; `name=value` and `name=@path[;type=…]` as the
/// curl importer reads them.
fn parse_part(i: usize, f: &str, limit: Duration) -> Result<Part, InputError> {
    let input = format!("-F argument {} {:?}", i + 1, quoted(f));
    if let Some((name, path)) = f
        .split_once('=')
        .and_then(|(n, v)| Some((n, v.strip_prefix('<')?)))
    {
        let text = read_text(&input, path, limit)?;
        return Ok(Part {
            name: name.to_string(),
            value: PartValue::Text { text },
        });
    }
    crate::formats::curl::form_part(f).map_err(|m| InputError::new(input, m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: &str) -> RequestArgs {
        RequestArgs {
            url: url.into(),
            ..RequestArgs::default()
        }
    }

    #[test]
    fn headers_keep_typed_case_and_trailing_space() {
        let mut a = args("http://h/");
        a.headers = vec!["authorization: bearer EXAMPLE ".into(), "X-Empty;".into()];
        let d = draft_from_args(&a).unwrap();
        assert_eq!(d.headers[0], Row::new("authorization", "bearer EXAMPLE "));
        assert_eq!(d.headers[1], Row::new("X-Empty", ""));
        assert_eq!(d.method, "GET");
    }

    #[test]
    fn a_header_without_colon_is_an_input_error() {
        let mut a = args("http://h/");
        a.headers = vec!["X-API-Key EXAMPLE".into()];
        let e = draft_from_args(&a).unwrap_err();
        // Named by position, with the key header's value masked (issue 11: it used to be
        // quoted whole, key and all).
        assert_eq!(e.input, "-H argument 1 \"X-API-Key •••• (7 chars)\"");
    }

    #[test]
    fn bodies_set_method_and_content_type_like_curl() {
        let mut a = args("http://h/");
        a.json = Some("{\"a\":1}".into());
        let d = draft_from_args(&a).unwrap();
        assert_eq!(d.method, "POST");
        assert_eq!(
            d.body,
            Body::Text {
                content_type: Some("application/json".into()),
                text: "{\"a\":1}".into()
            }
        );
        assert!(d.has_header("Accept"));
    }

    #[test]
    fn form_parts_with_options() {
        let mut a = args("http://h/");
        a.form = vec![
            "note=hi".into(),
            "files=@/tmp/a.jpg;type=image/jpeg;filename=\"b.jpg\"".into(),
        ];
        let d = draft_from_args(&a).unwrap();
        let Body::Multipart { parts } = d.body else {
            panic!()
        };
        assert_eq!(parts[0].value, PartValue::Text { text: "hi".into() });
        assert_eq!(
            parts[1].value,
            PartValue::File {
                path: "/tmp/a.jpg".into(),
                filename: Some("b.jpg".into()),
                content_type: Some("image/jpeg".into())
            }
        );
        a.form = vec!["files=@x;size=3".into()];
        assert!(draft_from_args(&a).unwrap_err().message.contains("size=3"));
    }

    #[test]
    fn data_from_a_missing_file_names_the_file() {
        let mut a = args("http://h/");
        a.data = Some("@/nonexistent/EXAMPLE.txt".into());
        assert_eq!(
            draft_from_args(&a).unwrap_err().to_string(),
            "-d @/nonexistent/EXAMPLE.txt: no such file"
        );
    }
}
