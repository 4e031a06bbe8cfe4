//! `authlens diagnose FILE`: the rules engine on a recorded exchange, offline.
//!
//! Input: one exchange JSON object, an array of them, or a HAR 1.2 file (`log.entries`).
//! JSON output: `{"findings":[…]}` for one exchange; for an array or a HAR,
//! `{"exchanges":[{"id":…,"findings":[…]}]}` where `id` is the exchange's `id` (or its index)
//! and, for HAR, `"entry N"` plus the entry's method and URL (credentials masked). A bad file
//! is one line on stderr naming the path and the JSON line:column, and exit code 2; so is a
//! file with no exchanges (`[]`, a HAR with no entries). A UTF-8 byte order mark is skipped;
//! UTF-16 is named.

use super::error::Position;
use super::{CliError, DiagnoseArgs, Format};
use crate::draft::Draft;
use crate::formats::{ExchangeFile, har};
use crate::rules::{self, Finding, vocabulary};
use serde_json::{Value, json};
use std::process::ExitCode;

/// One diagnosed exchange: its label, the draft (to describe anchors) and the findings.
struct Diagnosed {
    id: Value,
    draft: Draft,
    findings: Vec<Finding>,
}

/// Output is written in pieces of about this size: a 30,000-entry HAR is diagnosed and printed
/// one exchange at a time, never held whole.
const FLUSH_AT: usize = 64 * 1024;

pub fn run(args: DiagnoseArgs) -> Result<ExitCode, CliError> {
    let stack = args.stack.stack("diagnose");
    let spec = match &args.spec {
        Some(_) => super::spec_arg::load(
            "diagnose",
            args.spec.as_deref(),
            None,
            &crate::send::Options::default(),
            &super::runtime()?,
        )?,
        None => None,
    };
    let bytes = std::fs::read(&args.file).map_err(|e| CliError::File {
        path: args.file.clone(),
        at: None,
        message: format!("cannot read: {e}"),
    })?;
    let text = utf8_text(&bytes).map_err(|message| CliError::File {
        path: args.file.clone(),
        at: None,
        message,
    })?;
    drop(bytes);
    let (single, exchanges) = load_each(&text).map_err(|(at, message)| CliError::File {
        path: args.file.clone(),
        at: Some(at),
        message,
    })?;
    // The exchanges own what they need: the file's text can go before the diagnosis starts.
    drop(text);
    let count = exchanges.len();
    if count == 0 {
        return Err(CliError::Missing(format!(
            "no exchanges in {}: an empty array or a HAR without entries has nothing to diagnose",
            args.file.display()
        )));
    }
    let mut noted = std::collections::BTreeSet::new();
    let diagnosed = exchanges.map(move |(id, file)| {
        note_unknown_names(&file, &mut noted);
        Diagnosed {
            id,
            draft: rules::from_file::from_file(&file).draft,
            findings: rules::diagnose_file_with(&file, &stack, spec.as_ref()),
        }
    });
    match args.format {
        Format::Json if single => {
            let findings: Vec<Finding> = diagnosed.flat_map(|d| d.findings).collect();
            super::print::json(&json!({ "findings": findings }).to_string());
        }
        // `{"exchanges":[…]}` written item by item, byte for byte what one `Value` would print.
        Format::Json => {
            let mut out = String::from("{\"exchanges\":[");
            for (i, d) in diagnosed.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&json!({ "id": d.id, "findings": d.findings }).to_string());
                if out.len() >= FLUSH_AT {
                    super::print::json_part(&std::mem::take(&mut out));
                }
            }
            out.push_str("]}");
            super::print::json(&out);
        }
        Format::Text => {
            let mut out = String::new();
            for d in diagnosed {
                text_of(&mut out, &d, count);
                if out.len() >= FLUSH_AT {
                    super::print::out(&std::mem::take(&mut out));
                }
            }
            super::print::out(&out);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// One stderr line, once per name, for a `context.client` or `context.loader` the vocabulary
/// does not know: the diagnosis goes on, but the user learns why no client- or loader-specific
/// finding appeared (docs/context.md lists the names).
fn note_unknown_names(file: &ExchangeFile, noted: &mut std::collections::BTreeSet<String>) {
    let Some(ctx) = &file.context else { return };
    let client = ctx
        .client
        .as_deref()
        .filter(|n| vocabulary::client_named(n).is_none());
    let loader = ctx
        .loader
        .as_deref()
        .filter(|n| vocabulary::loader_named(n).is_none());
    let notes = [
        client.map(|n| {
            (
                n,
                "client",
                "no client-specific conclusion is drawn".to_string(),
            )
        }),
        loader.map(|n| {
            let read_as = rules::Loader::parse(n).name();
            (n, "loader", format!("it is read as {read_as}"))
        }),
    ];
    for (name, key, meaning) in notes.into_iter().flatten() {
        if noted.insert(format!("{key}={name}")) {
            let name = crate::secret::escape_controls(name);
            super::print::errln(&format!(
                "authlens diagnose: note: context.{key} {name:?} is not in the vocabulary \
                 (docs/context.md), so {meaning}"
            ));
        }
    }
}

/// The file as text: a UTF-8 byte order mark is skipped (Windows editors write one); UTF-16,
/// what PowerShell's `>` writes, is named rather than parsed into `1:1: expected value`.
fn utf8_text(bytes: &[u8]) -> Result<String, String> {
    let utf16 = bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff])
        // `{` or `[` then a zero byte, or the other way round: UTF-16 without a mark.
        || matches!(bytes, [a, 0, ..] | [0, a, ..] if b"{[ \r\n\t".contains(a));
    if utf16 {
        return Err(
            "is UTF-16 (it starts with a UTF-16 byte order mark or zero bytes); save it as UTF-8"
                .into(),
        );
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    Ok(String::from_utf8_lossy(bytes).into_owned())
}

/// Whether the file held one exchange object, and its exchanges, each made when it is taken.
type Loaded = (
    bool,
    Box<dyn ExactSizeIterator<Item = (Value, ExchangeFile)>>,
);

/// `load_each`, collected: what the tests look at.
#[cfg(test)]
type Collected = (bool, Vec<(Value, ExchangeFile)>);

#[cfg(test)]
fn load(text: &str) -> Result<Collected, (Position, String)> {
    load_each(text).map(|(single, x)| (single, x.collect()))
}

/// Parses the file; an error is serde_json's position and its message without the position.
/// A HAR is read entry by entry (`har::read`); anything else, or a HAR that does not parse
/// that way, is read as a JSON value.
fn load_each(text: &str) -> Result<Loaded, (Position, String)> {
    let start = Position {
        line: 1,
        column: Some(1),
    };
    if let Some(read) = har::read(text) {
        return match read {
            Ok(x) => Ok((false, Box::new(x))),
            Err(e) => Err((start, e)),
        };
    }
    let at = |e: serde_json::Error| {
        let message = e.to_string();
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_string();
        let at = Position {
            line: e.line(),
            column: Some(e.column()),
        };
        (at, message)
    };
    let value: Value = serde_json::from_str(text).map_err(at)?;
    if har::is_har(&value) {
        return har::exchanges(&value)
            .map(|x| (false, Box::new(x.into_iter()) as _))
            .map_err(|e| (start, e));
    }
    match value {
        Value::Array(items) => {
            let files: Vec<ExchangeFile> = match serde_json::from_str(text) {
                Ok(files) => files,
                Err(e) => items
                    .into_iter()
                    .map(crate::formats::exchange_json::from_untidy)
                    .collect::<Result<_, _>>()
                    .map_err(|_| at(e))?,
            };
            let labelled: Vec<(Value, ExchangeFile)> = files
                .into_iter()
                .enumerate()
                .map(|(i, f)| (f.id.clone().map_or(json!(i), Value::String), f))
                .collect();
            Ok((false, Box::new(labelled.into_iter())))
        }
        other => {
            let file: ExchangeFile = match serde_json::from_str(text) {
                Ok(file) => file,
                Err(e) => crate::formats::exchange_json::from_untidy(other).map_err(|_| at(e))?,
            };
            let id = file.id.clone().map_or(Value::Null, Value::String);
            Ok((true, Box::new(std::iter::once((id, file)))))
        }
    }
}

/// One exchange as text: its label when the file held more than one or named it, then its
/// findings.
fn text_of(out: &mut String, d: &Diagnosed, count: usize) {
    if count > 1 || !d.id.is_null() {
        out.push_str(&format!(
            "== {}\n",
            d.id.as_str()
                .map_or_else(|| d.id.to_string(), str::to_string)
        ));
    }
    if d.findings.is_empty() {
        out.push_str("no findings: nothing explains an authentication failure here\n");
    }
    out.push_str(&super::findings::text(&d.findings, &d.draft));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_json_names_line_and_column() {
        let (at, err) = load("{\n  \"request\": ,\n}").unwrap_err();
        assert_eq!((at.line, at.column.is_some()), (2, true), "{err}");
    }

    #[test]
    fn arrays_are_labelled_by_id_or_index() {
        let text = r#"[{"id":"a","request":{"method":"GET","url":"http://h/"}},
                       {"request":{"method":"GET","url":"http://h/"}}]"#;
        let (single, x) = load(text).unwrap();
        assert!(!single);
        assert_eq!(x[0].0, json!("a"));
        assert_eq!(x[1].0, json!(1));
    }

    #[test]
    fn a_utf8_bom_is_skipped_and_utf16_is_named() {
        assert_eq!(utf8_text(b"\xef\xbb\xbf{}").unwrap(), "{}");
        let le: Vec<u8> = "\u{feff}{}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let be: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [le, be] {
            let e = utf8_text(&bytes).unwrap_err();
            assert!(
                e.contains("UTF-16") && e.contains("save it as UTF-8"),
                "{e}"
            );
        }
    }

    #[test]
    fn a_missing_request_is_a_schema_error_not_a_panic() {
        assert!(load(r#"{"env":{}}"#).unwrap_err().1.contains("request"));
    }
}
