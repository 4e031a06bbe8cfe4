//! Ctrl+Z outside a text field: each step keeps what one change replaced, not the whole draft.
//!
//! A step holds the old value of each part of the draft the change touched (the method, the
//! header rows, the auth helper…) and, for a text body whose text changed, only the span that
//! differs. A header edited 50 times beside a 1 MiB body holds 50 header tables, not 50 MiB;
//! the steps together hold at most `MAX_BYTES` of old text (the newest step is always kept).
//! A request deleted from the list is a step too: the whole entry, put back where it was.

use super::app::Entry;
use crate::draft::{AuthHelper, Body, Draft, PartValue, Row, Settings};
use std::hash::{DefaultHasher, Hash, Hasher};

/// Steps kept, as before: the oldest goes first.
const DEPTH: usize = 50;
/// Bytes of replaced text the steps may hold together.
const MAX_BYTES: usize = 16 << 20;

/// What one change replaced, enough to put the draft back as it was before it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Change {
    method: Option<String>,
    url: Option<String>,
    headers: Option<Vec<Row>>,
    query: Option<Vec<Row>>,
    body: Option<BodyChange>,
    auth: Option<AuthHelper>,
    vars: Option<Vec<(String, String)>>,
    settings: Option<Settings>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum BodyChange {
    Whole(Body),
    /// The text of a text body, content type unchanged: bytes `at..at + new_len` of the text
    /// after the change were `old` before it; `new_hash` tells they are still what it wrote.
    Span {
        at: usize,
        old: String,
        new_len: usize,
        new_hash: u64,
    },
}

fn hash(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

fn old<T: PartialEq + Clone>(before: &T, after: &T) -> Option<T> {
    (before != after).then(|| before.clone())
}

/// The span where two texts differ: the common start and end left out, on char boundaries.
fn span(before: &str, after: &str) -> BodyChange {
    let (a, b) = (before.as_bytes(), after.as_bytes());
    let mut at = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !(before.is_char_boundary(at) && after.is_char_boundary(at)) {
        at -= 1;
    }
    let room = (a.len() - at).min(b.len() - at);
    let same = |(x, y): &(&u8, &u8)| x == y;
    let mut tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(same)
        .count();
    while !(before.is_char_boundary(a.len() - tail) && after.is_char_boundary(b.len() - tail)) {
        tail -= 1;
    }
    let new = &after[at..b.len() - tail];
    BodyChange::Span {
        at,
        old: before[at..a.len() - tail].to_string(),
        new_len: new.len(),
        new_hash: hash(new),
    }
}

impl Change {
    /// What changed from `before` to `after`, kept as `before`'s side.
    pub fn between(before: &Draft, after: &Draft) -> Change {
        let body = match (&before.body, &after.body) {
            (x, y) if x == y => None,
            (
                Body::Text {
                    content_type: ct_a,
                    text: a,
                },
                Body::Text {
                    content_type: ct_b,
                    text: b,
                },
            ) if ct_a == ct_b => Some(span(a, b)),
            (x, _) => Some(BodyChange::Whole(x.clone())),
        };
        Change {
            method: old(&before.method, &after.method),
            url: old(&before.url, &after.url),
            headers: old(&before.headers, &after.headers),
            query: old(&before.query, &after.query),
            body,
            auth: old(&before.auth, &after.auth),
            vars: old(&before.vars, &after.vars),
            settings: old(&before.settings, &after.settings),
        }
    }

    /// Puts `draft` (the draft as the change left it) back as it was before. False, with the
    /// draft untouched, when its body text is no longer what the change wrote.
    pub fn revert(&self, draft: &mut Draft) -> bool {
        if let Some(BodyChange::Span {
            at,
            old,
            new_len,
            new_hash,
        }) = &self.body
        {
            let Body::Text { text, .. } = &mut draft.body else {
                return false;
            };
            let now = text.get(*at..at + new_len);
            if now.is_none_or(|now| hash(now) != *new_hash) {
                return false;
            }
            text.replace_range(*at..at + new_len, old);
        }
        if let Some(BodyChange::Whole(b)) = &self.body {
            draft.body = b.clone();
        }
        let put = |to: &mut String, from: &Option<String>| {
            if let Some(v) = from {
                to.clone_from(v);
            }
        };
        put(&mut draft.method, &self.method);
        put(&mut draft.url, &self.url);
        if let Some(h) = &self.headers {
            draft.headers = h.clone();
        }
        if let Some(q) = &self.query {
            draft.query = q.clone();
        }
        if let Some(a) = &self.auth {
            draft.auth = a.clone();
        }
        if let Some(s) = &self.settings {
            draft.settings = s.clone();
        }
        if let Some(v) = &self.vars {
            draft.vars = v.clone();
        }
        true
    }

    /// Bytes of old text the step holds (strings only: the rest is small and bounded).
    pub fn bytes(&self) -> usize {
        let rows = |r: &Option<Vec<Row>>| {
            r.iter()
                .flatten()
                .map(|r| r.name.len() + r.value.len())
                .sum::<usize>()
        };
        let body = match &self.body {
            None => 0,
            Some(BodyChange::Span { old, .. }) => old.len(),
            Some(BodyChange::Whole(Body::Text { text, .. })) => text.len(),
            Some(BodyChange::Whole(Body::Multipart { parts })) => parts
                .iter()
                .map(|p| {
                    p.name.len()
                        + match &p.value {
                            PartValue::Text { text } => text.len(),
                            PartValue::File { path, .. } => path.len(),
                        }
                })
                .sum(),
            Some(BodyChange::Whole(Body::None)) => 0,
        };
        let vars: usize = self
            .vars
            .iter()
            .flatten()
            .map(|(k, v)| k.len() + v.len())
            .sum();
        self.method.as_ref().map_or(0, String::len)
            + self.url.as_ref().map_or(0, String::len)
            + rows(&self.headers)
            + rows(&self.query)
            + body
            + vars
    }
}

/// One step of the Ctrl+Z stack, with the index of the entry it belongs to.
// A deleted entry holds a whole draft; steps are few (the stack is capped), so boxing it
// buys nothing a user would notice.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Step {
    /// What one change to the entry's draft replaced.
    Edit(Change),
    /// A request deleted from the list, to be put back at its index.
    Deleted(Deleted),
}

/// A deleted request: the entry as it was (its draft, its last exchange) and the steps that
/// took back its own earlier changes, oldest first, so they work again once it is back.
#[derive(Debug, Clone)]
pub struct Deleted {
    pub entry: Entry,
    pub edits: Vec<Change>,
}

impl Step {
    /// Bytes of text the step holds: what it replaced, or the deleted draft and its steps.
    pub fn bytes(&self) -> usize {
        match self {
            Step::Edit(c) => c.bytes(),
            Step::Deleted(d) => {
                let whole = Change::between(&d.entry.draft, &Draft::new("", ""));
                whole.bytes() + d.edits.iter().map(Change::bytes).sum::<usize>()
            }
        }
    }
}

/// Adds a step for `entry`, dropping the oldest beyond `DEPTH` steps or `MAX_BYTES`.
pub fn push(stack: &mut Vec<(usize, Step)>, entry: usize, step: Step) {
    stack.push((entry, step));
    if stack.len() > DEPTH {
        stack.remove(0);
    }
    let mut held: usize = stack.iter().map(|(_, c)| c.bytes()).sum();
    while stack.len() > 1 && held > MAX_BYTES {
        held -= stack.remove(0).1.bytes();
    }
}

/// Bytes the whole stack holds, for the tests that keep it small.
pub fn held_bytes(stack: &[(usize, Step)]) -> usize {
    stack.iter().map(|(_, c)| c.bytes()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(d: &Draft) -> &str {
        match &d.body {
            Body::Text { text, .. } => text,
            _ => "",
        }
    }

    fn with_body(text: &str) -> Draft {
        let mut d = Draft::new("POST", "https://api.example.test/v1").header("X-Trace", "1");
        d.body = Body::Text {
            content_type: Some("application/json".into()),
            text: text.into(),
        };
        d
    }

    #[test]
    fn a_change_is_taken_back_exactly_and_keeps_only_what_it_replaced() {
        let big = "{\"EXAMPLE\": \"FAKE value ü\"},\n".repeat(40_000);
        let before = with_body(&big);
        let mut after = before.clone();
        after.headers[0].value = "2".into();
        after.method = "PUT".into();
        if let Body::Text { text, .. } = &mut after.body {
            text.insert_str(big.len() / 2, "ÿ inserted ÿ");
            text.replace_range(..3, "[ü");
        }
        let c = Change::between(&before, &after);
        assert!(c.bytes() < big.len() / 2 + 64, "{} bytes", c.bytes());
        let mut back = after.clone();
        assert!(c.revert(&mut back));
        assert_eq!(back, before);
        // A header edited beside a 1 MiB body keeps the header rows only.
        let mut renamed = before.clone();
        renamed.headers[0].name = "X-Request-Id".into();
        let c = Change::between(&before, &renamed);
        assert!(c.bytes() < 64, "{} bytes", c.bytes());
        assert!(c.revert(&mut renamed));
        assert_eq!(renamed, before);
    }

    #[test]
    fn a_body_changed_since_is_not_reverted_into() {
        let before = with_body("abc");
        let after = with_body("abXc");
        let c = Change::between(&before, &after);
        let mut other = with_body("abYc");
        assert!(!c.revert(&mut other));
        assert_eq!(body(&other), "abYc");
        let mut none = after.clone();
        none.body = Body::None;
        assert!(!c.revert(&mut none));
    }

    #[test]
    fn fifty_header_edits_beside_a_1_mib_body_hold_kilobytes() {
        let mut d = with_body(&"x".repeat(1 << 20));
        let mut stack = Vec::new();
        for i in 0..60 {
            let before = d.clone();
            d.headers[0].value = format!("EXAMPLE-{i}");
            push(&mut stack, 0, Step::Edit(Change::between(&before, &d)));
        }
        assert_eq!(stack.len(), DEPTH);
        assert!(held_bytes(&stack) < 4 << 10, "{}", held_bytes(&stack));
        // Body rewrites hold the old bodies, up to the cap.
        for i in 0..40u8 {
            let before = d.clone();
            d.body = Body::Text {
                content_type: None,
                text: char::from(b'a' + i % 26).to_string().repeat(1 << 20),
            };
            push(&mut stack, 0, Step::Edit(Change::between(&before, &d)));
        }
        assert!(held_bytes(&stack) <= MAX_BYTES, "{}", held_bytes(&stack));
    }

    #[test]
    fn spans_stay_on_char_boundaries() {
        for (a, b) in [
            ("é", "è"),
            ("aé", "aè"),
            ("éa", "èa"),
            ("ü", "üü"),
            ("", "ÿ"),
        ] {
            let (da, db) = (with_body(a), with_body(b));
            let mut back = db.clone();
            assert!(Change::between(&da, &db).revert(&mut back), "{a:?} → {b:?}");
            assert_eq!(back, da);
        }
    }
}
