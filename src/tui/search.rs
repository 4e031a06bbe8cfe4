//! The body search's one matcher: case-insensitive, and every match it reports is a range of
//! the text it was given, on that text's char boundaries.
//!
//! Lower-casing a whole line and searching the copy gives offsets into the copy, and those are
//! not offsets into the original: `İ` lower-cases to two chars (3 bytes for 2), `ẞ` to `ß` (2
//! for 3), so `İẞ` and its lower-case copy are both 5 bytes long while `ß` sits at different
//! offsets in each. Here each char of the text is compared with a char of the query, both
//! folded one char to one char, walking the text's own char boundaries; the highlighter
//! (`ui::exchange`) and `/` and `n` (`view`) share it, so what is highlighted is what is found.

use super::app::{BodyIndex, Loaded};
use std::ops::Range;
use std::sync::Arc;

/// Bodies (as shown) up to this size are searched on the event loop, at a millisecond or so;
/// larger ones by `Effect::Search` on a blocking thread, so `/` in a 20 MiB body never holds
/// up keys or frames.
pub const INLINE_MAX: usize = 256 << 10;

/// Lines between two looks at whether a newer search has superseded this one.
const CHECK_EVERY: usize = 4096;

/// A newer search came while this one ran: it stopped, and has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Superseded;

/// The first line of a body containing the query, from line `from` to the end and then from
/// the top (as `/` and `n` go on). `Err(Superseded)` when `superseded` said so partway.
pub fn find_line(
    idx: &BodyIndex,
    shown: &[u8],
    needle: &Needle,
    from: usize,
    superseded: impl Fn() -> bool,
) -> Result<Option<usize>, Superseded> {
    let n = idx.lines();
    let order = (from..n).chain(0..from.min(n));
    for (k, i) in order.enumerate() {
        if k % CHECK_EVERY == CHECK_EVERY - 1 && superseded() {
            return Err(Superseded);
        }
        if needle
            .find(&String::from_utf8_lossy(idx.line(shown, i)))
            .is_some()
        {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

/// A search of one hop's body, to run off the event loop (`Effect::Search`); the runtime
/// answers with `Msg::SearchDone`.
#[derive(Debug, Clone)]
pub struct SearchJob {
    pub id: u64,
    pub loaded: Arc<Loaded>,
    pub hop: usize,
    pub query: String,
    /// The body line to search from (`find_line`).
    pub from: usize,
}

impl PartialEq for SearchJob {
    fn eq(&self, other: &Self) -> bool {
        (self.id, self.hop, &self.query, self.from)
            == (other.id, other.hop, &other.query, other.from)
            && Arc::ptr_eq(&self.loaded, &other.loaded)
    }
}

impl SearchJob {
    /// The line found, if any; `Err(Superseded)` when a newer search came first.
    pub fn run(&self, superseded: impl Fn() -> bool) -> Result<Option<usize>, Superseded> {
        let (Some(idx), Some(hop)) = (
            self.loaded.bodies.get(self.hop),
            self.loaded.exchange.hops.get(self.hop),
        ) else {
            return Ok(None);
        };
        let shown = idx.shown(&hop.response.body.bytes);
        find_line(idx, shown, &Needle::new(&self.query), self.from, superseded)
    }
}

/// One char as compared: its simple case fold, one char to one char.
///
/// The lower case of the upper case where that is a single char (so `ς` and `σ`, `ſ` and `s`
/// compare equal, as Unicode case folding has it), else the first char of the lower case (so
/// `ẞ` is `ß`, and `İ`, whose lower case is `i` and a combining dot, is `i`). `ß` stays `ß`:
/// its upper case is two chars, and one char never matches two.
pub fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == 'ı' {
        return c; // dotless: its upper case is `I`, but case folding keeps it apart from `i`
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => lower(u),
        _ => lower(c),
    }
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// Non-ASCII chars whose fold is an ASCII letter (`tests::the_ascii_folds_are_all_listed`
/// checks every char): a query starting with that letter must stop at them too.
const FOLDS_TO_ASCII: [(char, char); 3] = [('\u{130}', 'i'), ('\u{17F}', 's'), ('\u{212A}', 'k')];

/// A query, folded once; `find` and `find_iter` look for it in any number of texts.
#[derive(Debug, Clone)]
pub struct Needle {
    folded: Vec<char>,
    /// Bytes where a match can start when the query starts with an ASCII char: that char in
    /// either case, and the first byte of the one non-ASCII char that folds to it, if any.
    starts: Option<[u8; 3]>,
}

impl Needle {
    pub fn new(query: &str) -> Needle {
        let folded: Vec<char> = query.chars().map(fold).collect();
        let starts = folded.first().filter(|c| c.is_ascii()).map(|&c| {
            let other = FOLDS_TO_ASCII
                .iter()
                .find(|(_, a)| *a == c)
                .map_or(c as u8, |(wide, _)| {
                    wide.encode_utf8(&mut [0; 4]).as_bytes()[0]
                });
            [c as u8, c.to_ascii_uppercase() as u8, other]
        });
        Needle { folded, starts }
    }

    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// The first match in `text`, as a byte range of `text`.
    pub fn find(&self, text: &str) -> Option<Range<usize>> {
        self.find_from(text, 0)
    }

    /// Every match, left to right, not overlapping.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Range<usize>> + 'a {
        let mut at = 0;
        std::iter::from_fn(move || {
            let r = self.find_from(text, at)?;
            at = r.end;
            Some(r)
        })
    }

    /// The first match starting at or after byte `from` (a char boundary of `text`).
    fn find_from(&self, text: &str, mut from: usize) -> Option<Range<usize>> {
        if self.folded.is_empty() {
            return None;
        }
        let bytes = text.as_bytes();
        while from < text.len() {
            let start = match self.starts {
                Some([a, b, c]) => from + memchr::memchr3(a, b, c, &bytes[from..])?,
                None => from,
            };
            // Every byte memchr3 looks for starts a char (ASCII, or a lead byte), so `start`
            // is a char boundary; the next try is at the next char.
            if let Some(end) = self.match_at(text, start) {
                return Some(start..end);
            }
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
        None
    }

    /// Where a match starting at `start` ends, if one does.
    fn match_at(&self, text: &str, start: usize) -> Option<usize> {
        let mut chars = text[start..].char_indices();
        for &want in &self.folded {
            let (_, c) = chars.next()?;
            if fold(c) != want {
                return None;
            }
        }
        Some(chars.next().map_or(text.len(), |(i, _)| start + i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The matches as (start, end) byte offsets.
    fn ranges(text: &str, query: &str) -> Vec<(usize, usize)> {
        Needle::new(query)
            .find_iter(text)
            .map(|r| (r.start, r.end))
            .collect()
    }

    #[test]
    fn a_query_is_found_in_any_case_at_offsets_of_the_text_as_given() {
        // The lower-case copy of `İẞ` has the same length, with `ß` at byte 3: inside `ẞ` here.
        assert_eq!("İẞ".len(), "İẞ".to_lowercase().len());
        assert_eq!(ranges("İẞ", "ß"), [(2, 5)]);
        assert_eq!(ranges("İẞ", "ẞ"), [(2, 5)]);
        assert_eq!(ranges("xİẞy", "İẞ"), [(1, 6)]);
        assert_eq!(ranges("Bearer TOKEN token", "token"), [(7, 12), (13, 18)]);
        assert_eq!(ranges("ΣΑΣ σας", "σας"), [(0, 6), (7, 13)]);
        // One char is never two: `ß` is not `ss`.
        assert!(ranges("STRASSE", "straße").is_empty());
        assert!(ranges("abc", "").is_empty());
    }

    #[test]
    fn a_query_starting_with_k_i_or_s_stops_at_the_wide_chars_that_fold_to_them() {
        assert_eq!(ranges("5 \u{212A}elvin", "kelvin"), [(2, 10)]);
        assert_eq!(ranges("\u{130}stanbul", "istanbul"), [(0, 9)]);
        assert_eq!(ranges("mi\u{17F}t", "st"), [(2, 5)]);
        // A query starting with the wide char finds it by its first byte too.
        assert_eq!(ranges("\u{212A}\u{212A}", "\u{212A}"), [(0, 3), (3, 6)]);
    }

    #[test]
    fn the_ascii_folds_are_all_listed() {
        let wide: Vec<(char, char)> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .map(|c| (c, fold(c)))
            .filter(|(_, f)| f.is_ascii())
            .collect();
        assert_eq!(wide, FOLDS_TO_ASCII);
    }

    /// Text and queries from letters whose case changes their length in UTF-8, and others.
    fn tricky(len: Range<usize>) -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'İ', 'ı', 'i', 'I', 'ẞ', 'ß', 's', 'S', 'ſ', 'K', 'k', '\u{212A}', 'Σ', 'σ', 'ς', 'Å',
            'å', '\u{212B}', 'ǅ', 'ǆ', 'Ǆ', 'ŉ', 'ﬀ', 'Ω', '\u{2126}', 'a', ' ', '\u{307}', '😀',
        ]);
        prop::collection::vec(chars, len).prop_map(|v| v.into_iter().collect())
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![tricky(0..12), any::<String>(), "\\PC{0,40}"]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn every_match_is_on_char_boundaries_and_matches_in_any_case(
            hay in text(),
            query in prop_oneof![tricky(1..4), "\\PC{1,3}"],
        ) {
            let want: Vec<char> = query.chars().map(fold).collect();
            let mut last = 0;
            for r in Needle::new(&query).find_iter(&hay) {
                prop_assert!(hay.is_char_boundary(r.start) && hay.is_char_boundary(r.end));
                prop_assert!(last <= r.start && r.start < r.end, "{r:?} after {last}");
                let got: Vec<char> = hay[r.clone()].chars().map(fold).collect();
                prop_assert_eq!(&got, &want, "{:?} in {:?}", &hay[r.clone()], hay);
                last = r.end;
            }
        }

        #[test]
        fn a_query_written_in_another_case_is_found(
            before in text(),
            query in prop_oneof![tricky(1..6), "\\PC{1,6}"],
            after in text(),
            upper in any::<bool>(),
        ) {
            // The query as the text has it: each char in the other case where that is one
            // char that folds the same.
            let other = |c: char| {
                let mut v: Vec<char> =
                    if upper { c.to_uppercase().collect() } else { c.to_lowercase().collect() };
                match (v.pop(), v.is_empty()) {
                    (Some(o), true) if fold(o) == fold(c) => o,
                    _ => c,
                }
            };
            let written: String = query.chars().map(other).collect();
            let hay = format!("{before}{written}{after}");
            let found = Needle::new(&query).find(&hay);
            prop_assert!(
                found.as_ref().is_some_and(|r| r.start <= before.len()),
                "{query:?} as {written:?} in {hay:?}: {found:?}"
            );
        }
    }
}
