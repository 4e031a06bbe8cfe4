//! The operations' path templates as a tree of segments, so a request is matched against the
//! few templates its segments allow instead of every operation: with thousands of operations
//! a lookup stays a few microseconds, and `lint` runs one on every keystroke.

use super::Segment;
use std::collections::HashMap;

/// One level of the tree: literal children by text, template children in order, and the
/// operations whose template ends here.
#[derive(Debug, Clone, Default)]
pub(super) struct Node {
    literal: HashMap<String, Node>,
    template: Vec<(String, String, Node)>,
    ends: Vec<usize>,
}

impl Node {
    /// Adds operation `op` under its template's segments.
    pub(super) fn insert(&mut self, segments: &[Segment], op: usize) {
        let Some((first, rest)) = segments.split_first() else {
            self.ends.push(op);
            return;
        };
        let child = match first {
            Segment::Literal(text) => self.literal.entry(text.clone()).or_default(),
            Segment::Template { prefix, suffix } => {
                let at = self
                    .template
                    .iter()
                    .position(|(p, s, _)| p == prefix && s == suffix);
                let at = at.unwrap_or_else(|| {
                    self.template
                        .push((prefix.clone(), suffix.clone(), Node::default()));
                    self.template.len() - 1
                });
                &mut self.template[at].2
            }
        };
        child.insert(rest, op);
    }

    /// Every operation whose template matches `request` segment by segment.
    pub(super) fn matches(&self, request: &[&str], out: &mut Vec<usize>) {
        let Some((first, rest)) = request.split_first() else {
            out.extend_from_slice(&self.ends);
            return;
        };
        if let Some(child) = self.literal.get(*first) {
            child.matches(rest, out);
        } else if let Some(child) = super::find::decoded(first).and_then(|d| self.literal.get(&d)) {
            child.matches(rest, out);
        }
        for (prefix, suffix, child) in &self.template {
            let fits = first.len() > prefix.len() + suffix.len()
                && first.starts_with(prefix.as_str())
                && first.ends_with(suffix.as_str());
            if fits {
                child.matches(rest, out);
            }
        }
    }
}
