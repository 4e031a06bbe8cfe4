//! The query typed inside the URL, as rows of the Query tab: read from the URL text and written
//! back into it, so the URL line and the table never disagree.
//!
//! These parameters stay raw — sent byte for byte as typed, `+` and all — because the rules
//! judge the raw query (an unencoded `+` in a key is a cause of 401s) and the wire view must
//! match it. Only what would break the row apart (`&`, `#`, and `=` in a name) is encoded
//! when typed into a row.

pub use crate::draft::{UrlParam, url_params as params};

pub fn name(url: &str, i: usize) -> Option<&str> {
    params(url).get(i).map(|p| &url[p.name.clone()])
}

pub fn value(url: &str, i: usize) -> Option<&str> {
    let p = params(url).into_iter().nth(i)?;
    Some(p.value.map_or("", |v| &url[v]))
}

/// Percent-encodes only what would end the piece early (and `=` in a name), and `%` never:
/// a typed `%20` is meant as is.
fn escape(text: &str, is_name: bool) -> String {
    text.replace('&', "%26")
        .replace('#', "%23")
        .replace('=', if is_name { "%3D" } else { "=" })
}

pub fn set_name(url: &mut String, i: usize, text: &str) {
    if let Some(p) = params(url).get(i) {
        // A bare `flag` emptied would leave an empty piece, which is no row at all: the next
        // keystroke would land on the row after it. `=` keeps the piece while it is retyped.
        let keep = if text.is_empty() && p.value.is_none() {
            "="
        } else {
            ""
        };
        url.replace_range(p.name.clone(), &(escape(text, true) + keep));
    }
}

pub fn set_value(url: &mut String, i: usize, text: &str) {
    let Some(p) = params(url).into_iter().nth(i) else {
        return;
    };
    match p.value {
        Some(v) => url.replace_range(v, &escape(text, false)),
        None => url.insert_str(p.name.end, &format!("={}", escape(text, false))),
    }
}

/// Removes piece `i` with one of its `&`; the `?` goes when the query is left empty.
pub fn remove(url: &mut String, i: usize) -> bool {
    let all = params(url);
    let Some(p) = all.get(i) else {
        return false;
    };
    let cut = if url[p.piece.end..].starts_with('&') {
        p.piece.start..p.piece.end + 1
    } else if url[..p.piece.start].ends_with('&') {
        p.piece.start - 1..p.piece.end
    } else {
        p.piece.clone()
    };
    url.replace_range(cut, "");
    if params(url).is_empty()
        && let Some(q) = url.find('?')
    {
        let end = url[q..].find('#').map_or(url.len(), |h| q + h);
        url.replace_range(q..end, "");
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "${BASE}/v1?api_key=${KEY}&flag&q=a+b#frag";

    #[test]
    fn edits_rewrite_only_their_piece_and_keep_the_raw_bytes() {
        let mut url = URL.to_string();
        set_value(&mut url, 2, "c+d%20e");
        assert_eq!(url, "${BASE}/v1?api_key=${KEY}&flag&q=c+d%20e#frag");
        set_value(&mut url, 1, "on");
        set_name(&mut url, 0, "key");
        assert_eq!(url, "${BASE}/v1?key=${KEY}&flag=on&q=c+d%20e#frag");
        // `&` would split the piece in two: it is encoded instead.
        set_value(&mut url, 1, "a&b");
        assert_eq!(value(&url, 1), Some("a%26b"));
        assert_eq!(params(&url).len(), 3);
    }

    #[test]
    fn retyping_a_bare_name_from_empty_stays_on_its_row() {
        let mut url = "http://h/?flag&q=1".to_string();
        set_name(&mut url, 0, "");
        assert_eq!(params(&url).len(), 2);
        set_name(&mut url, 0, "x");
        assert_eq!(url, "http://h/?x=&q=1");
    }

    #[test]
    fn removing_the_last_piece_removes_the_question_mark() {
        let mut url = URL.to_string();
        assert!(remove(&mut url, 1));
        assert_eq!(url, "${BASE}/v1?api_key=${KEY}&q=a+b#frag");
        assert!(remove(&mut url, 1));
        assert!(remove(&mut url, 0));
        assert_eq!(url, "${BASE}/v1#frag");
        assert!(!remove(&mut url, 0));
    }
}
