//! Checking a resolved draft and turning it into what reqwest needs, with errors that point
//! at the exact input and column.
//!
//! Validation happens here, before any socket opens, with the rules the client would apply
//! (`http::HeaderValue`: bytes below 0x20 except TAB, and 0x7F, are refused) so the user sees
//! *which* header and *which* character, instead of reqwest's bare "invalid header value".

use super::error::InputError;
use super::redirect::Outgoing;
use crate::draft::{Draft, Place, RowRef, Side};
use crate::exchange::Origin;
use crate::vars::resolve::{ResolvedBody, ResolvedPart, ResolvedPartValue};
use crate::vars::{Interpolated, Resolved};
use reqwest::Url;

/// Bodies and files larger than this are refused rather than read into memory.
pub const MAX_BODY: u64 = 256 * 1024 * 1024;

/// A resolved, validated draft: the first hop's request.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub method: String,
    pub url: Url,
    pub headers: Vec<Outgoing>,
    pub body: PreparedBody,
}

#[derive(Debug, Clone)]
pub enum PreparedBody {
    None,
    Bytes(Vec<u8>),
    /// Parts are read from disk on every hop, so a 307/308 re-send carries the file again.
    Multipart(Vec<ResolvedPart>),
}

pub fn prepare(draft: &Draft, resolved: &Resolved) -> Result<Prepared, InputError> {
    if let Some((name, place)) = resolved.unresolved.first() {
        let msg = format!(
            "variable {name} is not set (not in the request, the process environment or a loaded .env file); \
             authlens never sends ${{{name}}} as literal text"
        );
        return Err(InputError::new(place.describe(draft), msg));
    }
    check_method(&resolved.method)?;
    let url = final_url(resolved)?;
    let mut headers = Vec::new();
    for h in &resolved.headers {
        let row = match h.origin {
            Origin::Typed { row } => RowRef::Typed(row),
            _ => RowRef::AuthHelper,
        };
        let place = Place::Header(row, Side::Value).describe(draft);
        check_header_name(&place, &h.name.text)?;
        check_header_value(&place, &h.value)?;
        headers.push(Outgoing {
            name: h.name.text.clone(),
            value: h.value.text.clone(),
            origin: h.origin,
        });
    }
    let body = match &resolved.body {
        ResolvedBody::None => PreparedBody::None,
        ResolvedBody::Text { content_type, text } => {
            if let Some(ct) = content_type
                .as_ref()
                .filter(|_| !has(&headers, "content-type"))
            {
                headers.push(Outgoing {
                    name: "content-type".into(),
                    value: ct.clone(),
                    origin: Origin::Client,
                });
            }
            PreparedBody::Bytes(text.text.clone().into_bytes())
        }
        ResolvedBody::Multipart(parts) => {
            check_files(parts)?;
            PreparedBody::Multipart(parts.clone())
        }
    };
    check_content_length(draft, &headers, &body)?;
    Ok(Prepared {
        method: resolved.method.clone(),
        url,
        headers,
        body,
    })
}

/// A typed `Content-Length` that disagrees with the body: the client would send the header's
/// count of bytes, so the server reads a cut body or waits for bytes that never come.
fn check_content_length(
    draft: &Draft,
    headers: &[Outgoing],
    body: &PreparedBody,
) -> Result<(), InputError> {
    let actual = match body {
        PreparedBody::None => 0,
        PreparedBody::Bytes(b) => b.len(),
        // The multipart length depends on the boundary the client picks.
        PreparedBody::Multipart(_) => return Ok(()),
    };
    for h in headers {
        let Origin::Typed { row } = h.origin else {
            continue;
        };
        if !h.name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        let said = h.value.trim();
        // Digits only: `+5` parses as 5 but no server reads it so.
        if !said.is_empty()
            && said.bytes().all(|b| b.is_ascii_digit())
            && said.parse() == Ok(actual)
        {
            continue;
        }
        return Err(InputError::new(
            Place::Header(RowRef::Typed(row), Side::Value).describe(draft),
            format!(
                "says {said:?} but the body is {actual} bytes; remove the header and let the client count"
            ),
        ));
    }
    Ok(())
}

fn has(headers: &[Outgoing], name: &str) -> bool {
    headers.iter().any(|h| h.name.eq_ignore_ascii_case(name))
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c)
}

fn check_method(method: &str) -> Result<(), InputError> {
    if method.is_empty() {
        return Err(InputError::new("the method", "is empty"));
    }
    match method_problem(method) {
        Some(why) => Err(InputError::new(
            format!(
                "the method {:?}",
                shorten(&crate::secret::masked_arg(method))
            ),
            why,
        )),
        None => Ok(()),
    }
}

/// Why `method` cannot be sent, or `None`: what the send checks, for the editor to show while
/// the method is typed rather than after Ctrl+S.
pub fn method_problem(method: &str) -> Option<String> {
    token_problem(
        method,
        "the method",
        "in a method (letters, digits and !#$%&'*+-.^_`|~ only)",
    )
}

/// Methods and header names are both RFC 9110 tokens: not empty, `tchar`s only.
fn token_problem(text: &str, what: &str, where_: &str) -> Option<String> {
    if text.is_empty() {
        return Some(format!("{what} is empty"));
    }
    let (i, c) = text.chars().enumerate().find(|(_, c)| !is_tchar(*c))?;
    Some(format!(
        "{} at column {} is not allowed {where_}",
        describe_char(c),
        i + 1
    ))
}

/// The URL as it will be sent: parsed, `http://` added when no scheme is given (as curl and
/// HTTPie assume), and the table's query rows appended, encoded by the client.
pub fn final_url(resolved: &Resolved) -> Result<Url, InputError> {
    let text = resolved.url.text.trim();
    let shown = shorten(&crate::secret::masked_url_text(
        &resolved.redactor.redact(text),
    ));
    if text.is_empty() {
        return Err(InputError::new("the URL", "is empty"));
    }
    // The url crate silently deletes tabs and newlines; a copied value with a newline
    // deserves to be named, not fixed behind the user's back.
    if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| c.is_control()) {
        return Err(InputError::new(
            "the URL",
            format!(
                "{} at column {} (a pasted value with a line break?)",
                describe_char(c),
                i + 1
            ),
        ));
    }
    if let Some(scheme) = scheme_without_slashes(text) {
        return Err(InputError::new(
            format!("the URL {shown:?}"),
            format!(
                "starts with {scheme:?} but not {:?}; write `http://…` or `https://…`",
                format!("{scheme}//")
            ),
        ));
    }
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let mut url = Url::parse(&with_scheme)
        .map_err(|e| InputError::new(format!("the URL {shown:?}"), format!("{e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(InputError::new(
            format!("the URL {shown:?}"),
            format!(
                "scheme {:?} is not supported (use http or https)",
                url.scheme()
            ),
        ));
    }
    if !resolved.query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for q in &resolved.query {
            pairs.append_pair(&q.name.text, &q.value.text);
        }
    }
    if url.as_str().len() > MAX_URL {
        return Err(InputError::new(
            format!("the URL {shown:?}"),
            format!(
                "is {} bytes long; HTTP clients refuse URLs over 64 KiB (move data to the body)",
                url.as_str().len()
            ),
        ));
    }
    Ok(url)
}

/// The longest URL hyper's `Uri` takes; reqwest fails later, as a network error, past it.
const MAX_URL: usize = 65_534;

/// `htp:/host/path`, `https:/host`: a scheme and a colon, then one slash. Without this
/// check `http://` is put in front and `htp` becomes the host.
fn scheme_without_slashes(text: &str) -> Option<&str> {
    let (scheme, rest) = text.split_once(':')?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    (is_scheme && rest.starts_with('/') && !rest.starts_with("//"))
        .then_some(&text[..scheme.len() + 1])
}

/// A long input shortened for an error line: its start, then how long it was.
pub fn shorten(text: &str) -> String {
    const SHOWN: usize = 120;
    if text.chars().count() <= SHOWN {
        return text.to_string();
    }
    let head: String = text.chars().take(SHOWN).collect();
    format!("{head}… ({} bytes in all)", text.len())
}

fn check_header_name(place: &str, name: &str) -> Result<(), InputError> {
    match header_name_problem(name) {
        Some(why) => Err(InputError::new(place, why)),
        None => Ok(()),
    }
}

/// Why `name` cannot be a header name, or `None`: what the send checks, for the editor to
/// show while the name is typed.
pub fn header_name_problem(name: &str) -> Option<String> {
    token_problem(name, "the header name", "in a header name")
}

/// The byte rule of `http::HeaderValue`, reported by character column, saying when the bad
/// character came from a variable (the usual way a newline gets into a key).
fn check_header_value(place: &str, value: &Interpolated) -> Result<(), InputError> {
    let bad = value
        .text
        .char_indices()
        .enumerate()
        .find(|(_, (_, c))| (*c < ' ' && *c != '\t') || *c == '\u{7f}');
    let Some((column, (byte, c))) = bad else {
        return Ok(());
    };
    let from = value
        .refs
        .iter()
        .find(|r| r.value.as_ref().is_some_and(|v| v.contains(&byte)))
        .map(|r| format!(", which comes from ${{{}}}", r.name))
        .unwrap_or_default();
    Err(InputError::new(
        place,
        format!(
            "{} at column {} of the value{from}; HTTP clients refuse to send it",
            describe_char(c),
            column + 1
        ),
    ))
}

fn check_files(parts: &[ResolvedPart]) -> Result<(), InputError> {
    for (i, p) in parts.iter().enumerate() {
        let named = format!("multipart part {} {:?}", i + 1, p.name);
        check_part_header_text(&named, "name", &p.name)?;
        if let ResolvedPartValue::File {
            path,
            filename,
            content_type,
        } = &p.value
        {
            for (what, text) in [("file name", filename), ("content type", content_type)] {
                if let Some(t) = text {
                    check_part_header_text(&named, what, t)?;
                }
            }
            let place = format!("{named} (@{path})");
            let meta =
                std::fs::metadata(path).map_err(|e| InputError::new(&place, file_error(&e)))?;
            if !meta.is_file() {
                return Err(InputError::new(place, "is not a regular file"));
            }
            if meta.len() > MAX_BODY {
                return Err(InputError::new(
                    place,
                    format!(
                        "is {} bytes, more than the {} MiB authlens holds",
                        meta.len(),
                        MAX_BODY >> 20
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// A part's name, file name and type go into its header lines: a line break there would end
/// the header early (clients escape or drop it, never sending what was typed).
fn check_part_header_text(place: &str, what: &str, text: &str) -> Result<(), InputError> {
    match text.chars().enumerate().find(|(_, c)| c.is_control()) {
        Some((i, c)) => Err(InputError::new(
            place,
            format!(
                "{} at column {} of its {what}; it cannot go into a part header",
                describe_char(c),
                i + 1
            ),
        )),
        None => Ok(()),
    }
}

pub fn file_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// `U+000A (line feed)`: a character named so it can be found, even when it is invisible.
pub fn describe_char(c: char) -> String {
    let name = match c {
        '\n' => " (line feed)",
        '\r' => " (carriage return)",
        '\t' => " (tab)",
        '\0' => " (NUL)",
        '\u{7f}' => " (DEL)",
        ' ' => " (space)",
        '\u{a0}' => " (no-break space)",
        '\u{200b}' => " (zero-width space)",
        '\u{feff}' => " (byte order mark)",
        c if c.is_control() => " (control character)",
        c => return format!("{c:?}"),
    };
    format!("U+{:04X}{name}", c as u32)
}

/// A multipart form for one hop, reading each file now.
pub async fn multipart_form(
    parts: &[ResolvedPart],
) -> Result<reqwest::multipart::Form, InputError> {
    let mut form = reqwest::multipart::Form::new();
    for (i, p) in parts.iter().enumerate() {
        form = match &p.value {
            ResolvedPartValue::Text(text) => form.text(p.name.clone(), text.clone()),
            ResolvedPartValue::File {
                path,
                filename,
                content_type,
            } => {
                let place = format!("multipart part {} {:?} (@{path})", i + 1, p.name);
                let data = tokio::fs::read(path)
                    .await
                    .map_err(|e| InputError::new(&place, file_error(&e)))?;
                let name = filename.clone().unwrap_or_else(|| file_name(path));
                let mime = content_type
                    .clone()
                    .unwrap_or_else(|| guess_type(path).to_string());
                let part = reqwest::multipart::Part::bytes(data)
                    .file_name(name)
                    .mime_str(&mime)
                    .map_err(|_| {
                        InputError::new(
                            &place,
                            format!("content type {mime:?} is not a valid MIME type"),
                        )
                    })?;
                form.part(p.name.clone(), part)
            }
        };
    }
    Ok(form)
}

/// Whether reqwest accepts `ct` as a part's content type (`type/subtype[; params]`), so an
/// editor can mark a bad one before the send refuses it.
pub fn valid_mime(ct: &str) -> bool {
    reqwest::multipart::Part::bytes(Vec::new())
        .mime_str(ct)
        .is_ok()
}

/// Where a file part's defaults are decided; kept reachable here for the editor.
pub use crate::draft::{file_name, guess_type};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::{Body, Part, PartValue};
    use crate::vars::{DotenvReport, Vars, resolve};

    fn prep(draft: &Draft, env: &[(&str, &str)]) -> Result<Prepared, InputError> {
        let vars = Vars::build(
            &[],
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())),
            DotenvReport::default(),
        );
        prepare(draft, &resolve(draft, &vars))
    }

    #[test]
    fn newline_in_a_variable_is_named_with_its_column_and_source() {
        let d = Draft::new("GET", "http://h/")
            .header("Accept", "x")
            .header("X-API-Key", "${KEY}");
        let e = prep(&d, &[("KEY", "EXAMPLE-key\n")]).unwrap_err();
        assert_eq!(e.input, "header 2 \"X-API-Key\"");
        assert!(
            e.message.contains("U+000A (line feed) at column 12"),
            "{}",
            e.message
        );
        assert!(e.message.contains("${KEY}"), "{}", e.message);
        assert!(
            !e.to_string().contains("EXAMPLE-key"),
            "the value must not be printed"
        );
    }

    #[test]
    fn invalid_header_name_and_method_name_the_character() {
        let e = prep(
            &Draft::new("GET", "http://h/").header("X API Key", "v"),
            &[],
        )
        .unwrap_err();
        assert!(
            e.message.contains("U+0020 (space) at column 2"),
            "{}",
            e.message
        );
        let e = prep(&Draft::new("GE T", "http://h/"), &[]).unwrap_err();
        assert!(e.message.contains("column 3"), "{}", e.message);
        assert!(
            prep(&Draft::new("PURGE", "http://h/"), &[]).is_ok(),
            "custom methods are tokens too"
        );
    }

    #[test]
    fn the_validators_the_editor_uses_say_what_the_send_would() {
        assert_eq!(
            header_name_problem("X Bad:Hdr").as_deref(),
            Some("U+0020 (space) at column 2 is not allowed in a header name")
        );
        assert_eq!(header_name_problem("X-Trace_ID"), None);
        let why = method_problem("PROP FIND").unwrap();
        assert!(why.starts_with("U+0020 (space) at column 5 "), "{why}");
        assert_eq!(method_problem("PROPFIND"), None);
    }

    #[test]
    fn urls_get_a_default_scheme_and_bad_ones_are_named() {
        assert_eq!(
            prep(&Draft::new("GET", "localhost:8000/x"), &[])
                .unwrap()
                .url
                .as_str(),
            "http://localhost:8000/x"
        );
        let e = prep(&Draft::new("GET", "http://exa mple.com/"), &[]).unwrap_err();
        assert!(e.input.starts_with("the URL"), "{e}");
        let e = prep(&Draft::new("GET", "ftp://h/"), &[]).unwrap_err();
        assert!(e.message.contains("ftp"), "{e}");
        let e = prep(&Draft::new("GET", "http://h/?k=${K}&x=1"), &[("K", "v\n")]).unwrap_err();
        assert!(e.message.contains("line feed"), "{e}");
    }

    #[test]
    fn a_scheme_with_one_slash_is_named_not_taken_for_a_host() {
        let e = prep(&Draft::new("GET", "htp:/bad url"), &[]).unwrap_err();
        assert_eq!(e.input, "the URL \"htp:/bad url\"");
        assert!(e.message.contains("\"htp:\" but not \"htp://\""), "{e}");
        assert!(prep(&Draft::new("GET", "https:/h/x"), &[]).is_err());
        assert!(prep(&Draft::new("GET", "localhost:8000/x"), &[]).is_ok());
    }

    #[test]
    fn a_url_over_64_kib_is_bad_input_and_shown_short() {
        let long = format!("http://h/?q={}", "E".repeat(70_000));
        let e = prep(&Draft::new("GET", &long), &[]).unwrap_err();
        assert!(e.message.contains("over 64 KiB"), "{e}");
        assert!(
            e.to_string().len() < 400,
            "{} bytes of error",
            e.to_string().len()
        );
    }

    #[test]
    fn a_typed_content_length_must_match_the_body() {
        let mut d = Draft::new("POST", "http://h/").header("Content-Length", "5");
        d.body = Body::Text {
            content_type: None,
            text: "abcdefghij".into(),
        };
        let e = prep(&d, &[]).unwrap_err();
        assert!(
            e.message.contains("says \"5\" but the body is 10 bytes"),
            "{e}"
        );
        d.headers[0].value = "+10".into();
        assert!(prep(&d, &[]).is_err(), "a sign is not a length");
        d.headers[0].value = "10".into();
        assert!(prep(&d, &[]).is_ok());
        let twice = d.clone().header("Content-Length", "5");
        assert!(
            prep(&twice, &[]).is_err(),
            "every Content-Length row is checked"
        );
    }

    #[test]
    fn a_line_break_in_a_part_file_name_is_refused() {
        let mut d = Draft::new("POST", "http://h/");
        d.body = Body::Multipart {
            parts: vec![Part {
                name: "files".into(),
                value: PartValue::File {
                    path: "/etc/hostname".into(),
                    filename: Some("a\r\nX-Injected: 1".into()),
                    content_type: None,
                },
            }],
        };
        let e = prep(&d, &[]).unwrap_err();
        assert!(
            e.message.contains("carriage return") && e.message.contains("file name"),
            "{e}"
        );
    }

    #[test]
    fn unresolved_variables_refuse_to_send() {
        let e = prep(
            &Draft::new("GET", "http://h/").header("Authorization", "Bearer ${NOPE_TOKEN}"),
            &[],
        )
        .unwrap_err();
        assert_eq!(e.input, "header 1 \"Authorization\"");
        assert!(e.message.contains("variable NOPE_TOKEN is not set"), "{e}");
    }

    #[test]
    fn query_rows_are_encoded_after_the_raw_query() {
        let mut d = Draft::new("GET", "http://h/p?raw=a+b");
        d.query.push(crate::draft::Row::new("q", "x y&z"));
        assert_eq!(
            prep(&d, &[]).unwrap().url.as_str(),
            "http://h/p?raw=a+b&q=x+y%26z"
        );
    }

    #[test]
    fn missing_multipart_file_is_named() {
        let mut d = Draft::new("POST", "http://h/");
        d.body = crate::draft::Body::Multipart {
            parts: vec![crate::draft::Part {
                name: "file".into(),
                value: crate::draft::PartValue::File {
                    path: "/nonexistent/EXAMPLE.jpg".into(),
                    filename: None,
                    content_type: None,
                },
            }],
        };
        let e = prep(&d, &[]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "multipart part 1 \"file\" (@/nonexistent/EXAMPLE.jpg): no such file"
        );
    }
}
