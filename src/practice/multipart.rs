//! A small `multipart/form-data` reader (RFC 7578 over RFC 2046 §5.1), enough for the upload
//! lesson to show what each part arrived as: field name, filename, content type and size.

/// One part of a multipart body, described rather than kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PartInfo {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: usize,
}

/// The boundary parameter of a `multipart/form-data` content type, or why there is none.
pub(crate) fn boundary(content_type: Option<&str>) -> Result<String, String> {
    let Some(ct) = content_type else {
        return Err("No Content-Type header: send the files as multipart/form-data (curl -F files=@image.jpg).".into());
    };
    let mut params = ct.split(';');
    let essence = params.next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return Err(format!(
            "Content-Type is {essence}, not multipart/form-data: send the files as form parts (curl -F files=@image.jpg)."
        ));
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty() && b.len() <= 70)
        .ok_or_else(|| "multipart/form-data without a valid boundary parameter.".to_string())
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Describes every part of `body`, delimited by `boundary`.
pub(crate) fn parse(body: &[u8], boundary: &str) -> Result<Vec<PartInfo>, String> {
    let dash = format!("--{boundary}").into_bytes();
    let delimiter = [b"\r\n".as_slice(), &dash].concat();
    // The first delimiter may open the body without a preceding CRLF.
    let mut at = if body.starts_with(&dash) {
        dash.len()
    } else {
        find(body, &delimiter, 0)
            .ok_or("The body does not contain the boundary from Content-Type.")?
            + delimiter.len()
    };
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(parts);
        }
        // Transport padding (RFC 2046 §5.1.1) then CRLF, then the part's header lines.
        let line_end = find(body, b"\r\n", at).ok_or("A boundary line is not followed by CRLF.")?;
        let start = line_end + 2;
        let end =
            find(body, &delimiter, start).ok_or("The body ends before the closing boundary.")?;
        parts.push(part_info(&body[start..end])?);
        at = end + delimiter.len();
    }
}

/// A part's headers and the size of its content.
fn part_info(part: &[u8]) -> Result<PartInfo, String> {
    let (head, content) = if part.starts_with(b"\r\n") {
        (&part[..0], &part[2..])
    } else {
        let split =
            find(part, b"\r\n\r\n", 0).ok_or("A part has no blank line after its headers.")?;
        (&part[..split], &part[split + 4..])
    };
    let mut info = PartInfo {
        name: None,
        filename: None,
        content_type: None,
        size: content.len(),
    };
    for line in String::from_utf8_lossy(head).split("\r\n") {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-disposition") {
            info.name = disposition_param(value, "name");
            info.filename = disposition_param(value, "filename");
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            info.content_type = Some(value.trim().to_string());
        }
    }
    Ok(info)
}

/// A parameter of `form-data; name="files"; filename="a.jpg"`, quoted (with `\"` escapes)
/// or bare. Scans rather than splitting on `;`, which may appear inside a quoted filename.
fn disposition_param(value: &str, wanted: &str) -> Option<String> {
    let mut rest = value.split_once(';')?.1;
    loop {
        let (key, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (val, next) = if let Some(quoted) = after.strip_prefix('"') {
            unquote(quoted)?
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_string(), &after[end..])
        };
        if key.trim().eq_ignore_ascii_case(wanted) {
            return Some(val);
        }
        rest = next.split_once(';').map_or("", |(_, r)| r);
        if rest.is_empty() {
            return None;
        }
    }
}

/// The text of a quoted-string whose opening quote is already consumed, and what follows it.
fn unquote(s: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?.1),
            '"' => return Some((out, &s[i + 1..])),
            _ => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = b"--XyZ\r\n\
Content-Disposition: form-data; name=\"files\"; filename=\"page 1; scan.jpg\"\r\n\
Content-Type: image/jpeg\r\n\r\n\
\xff\xd8\xff\xe0JPEG\r\n\
--XyZ\r\n\
content-disposition: form-data; name=files; filename=\"p\\\"2.png\"\r\n\r\n\
PNG!\r\n\
--XyZ\r\n\
Content-Disposition: form-data; name=\"note\"\r\n\r\n\
hello\r\n\
--XyZ--\r\n";

    #[test]
    fn reads_names_filenames_types_and_sizes() {
        let parts = parse(BODY, "XyZ").unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name.as_deref(), Some("files"));
        assert_eq!(parts[0].filename.as_deref(), Some("page 1; scan.jpg"));
        assert_eq!(parts[0].content_type.as_deref(), Some("image/jpeg"));
        assert_eq!(parts[0].size, 8);
        assert_eq!(parts[1].filename.as_deref(), Some("p\"2.png"));
        assert_eq!(parts[1].content_type, None);
        assert_eq!(
            parts[2],
            PartInfo {
                name: Some("note".into()),
                filename: None,
                content_type: None,
                size: 5
            }
        );
    }

    #[test]
    fn a_preamble_before_the_first_boundary_is_skipped() {
        let body = [b"preamble\r\n".as_slice(), BODY].concat();
        assert_eq!(parse(&body, "XyZ").unwrap().len(), 3);
    }

    #[test]
    fn boundary_comes_from_the_content_type() {
        assert_eq!(
            boundary(Some("multipart/form-data; boundary=\"a b\"")),
            Ok("a b".into())
        );
        assert_eq!(
            boundary(Some("Multipart/Form-Data;charset=x;BOUNDARY=q")),
            Ok("q".into())
        );
        assert!(
            boundary(Some("application/json"))
                .unwrap_err()
                .contains("not multipart/form-data")
        );
        assert!(boundary(Some("multipart/form-data")).is_err());
        assert!(boundary(None).is_err());
    }

    #[test]
    fn broken_bodies_are_errors_not_panics() {
        assert!(parse(b"no boundary here", "XyZ").is_err());
        assert!(
            parse(
                b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nunterminated",
                "XyZ"
            )
            .is_err()
        );
        assert!(parse(b"--XyZ", "XyZ").is_err());
        assert_eq!(parse(b"--XyZ--", "XyZ"), Ok(vec![]));
        for n in 0..BODY.len() {
            let _ = parse(&BODY[..n], "XyZ");
        }
    }
}
