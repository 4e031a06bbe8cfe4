//! What the export tests compare: a request read back from the practice server's raw record,
//! reduced to what a client must reproduce — method, path, query pairs (decoded: each client
//! encodes in its own way), credential headers, content type and body or multipart parts.
//! Client-added headers and the multipart boundary are left out on purpose.

#![allow(dead_code)]

/// One request, as far as "the same request" goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// `authorization`, `x-api-key`, `cookie`: lowercased name, value.
    pub credentials: Vec<(String, String)>,
    /// Without its parameters (a multipart boundary differs per client).
    pub content_type: Option<String>,
    pub body: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    Bytes(Vec<u8>),
    Parts(Vec<PartSeen>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSeen {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

const CREDENTIAL_HEADERS: [&str; 3] = ["authorization", "x-api-key", "cookie"];

/// Reads a raw HTTP/1.1 request (chunked bodies decoded).
pub fn seen(raw: &[u8]) -> Seen {
    let end = find(raw, b"\r\n\r\n").expect("a request head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let line: Vec<&str> = lines.next().unwrap().split(' ').collect();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let header = |n: &str| headers.iter().find(|(h, _)| h == n).map(|(_, v)| v.clone());
    let mut body = raw[end + 4..].to_vec();
    if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        body = dechunk(&body);
    }
    let (path, query) = line[1].split_once('?').unwrap_or((line[1], ""));
    let query = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let ct = header("content-type");
    let content = match ct.as_deref().and_then(boundary) {
        Some(b) => Content::Parts(parts(&body, &b)),
        None => Content::Bytes(body),
    };
    Seen {
        method: line[0].to_string(),
        path: path.to_string(),
        query,
        credentials: headers
            .iter()
            .filter(|(n, _)| CREDENTIAL_HEADERS.contains(&n.as_str()))
            .cloned()
            .collect(),
        content_type: ct.map(|c| c.split(';').next().unwrap().trim().to_string()),
        body: content,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = find(b, b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

fn boundary(ct: &str) -> Option<String> {
    if !ct.to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    ct.split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
        .next()
}

/// The parts of a multipart body: each one's disposition name and file name, its type, and
/// its bytes.
fn parts(body: &[u8], boundary: &str) -> Vec<PartSeen> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    let mut rest = body;
    let Some(first) = find(rest, delimiter.as_bytes()) else {
        return out;
    };
    rest = &rest[first + delimiter.len()..];
    let next = format!("\r\n--{boundary}");
    while !rest.starts_with(b"--") {
        rest = &rest[2..]; // the CRLF after the delimiter
        let end = find(rest, next.as_bytes()).expect("a closing delimiter");
        let part = &rest[..end];
        let head_end = find(part, b"\r\n\r\n").expect("part headers");
        let head = String::from_utf8_lossy(&part[..head_end]).into_owned();
        let field = |key: &str| {
            head.lines()
                .find(|l| l.to_ascii_lowercase().starts_with("content-disposition"))
                .and_then(|l| {
                    l.split(';')
                        .filter_map(|p| p.trim().strip_prefix(&format!("{key}=")))
                        .map(|v| v.trim_matches('"').to_string())
                        .next()
                })
        };
        let content_type = head
            .lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            })
            .map(|(_, v)| v.trim().to_string());
        out.push(PartSeen {
            name: field("name"),
            filename: field("filename"),
            content_type,
            bytes: part[head_end + 4..].to_vec(),
        });
        rest = &rest[end + next.len()..];
    }
    out
}
