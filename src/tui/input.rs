//! A text field being edited: the text, a cursor, and an undo history for the last edits.
//!
//! It knows nothing about which part of the draft it edits; `update` copies the text back into
//! the draft after every change, so lint, render and send always see what was typed.

use std::collections::VecDeque;

/// How many earlier states of a field Ctrl+Z can go back to.
const UNDO_DEPTH: usize = 64;

/// One change to the text, kept to take it back: the `inserted` bytes it put at `at` are
/// swapped back for the text it `removed`, and the cursor goes back to where it was. A key
/// typed in a 1 MiB body keeps a few bytes here, not a copy of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    at: usize,
    removed: String,
    inserted: usize,
    cursor: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextInput {
    pub text: String,
    /// Byte offset, always on a char boundary.
    pub cursor: usize,
    /// Enter inserts a newline instead of finishing (the body).
    pub multiline: bool,
    undo: VecDeque<Edit>,
    /// The column Up/Down aim for: kept across a run of vertical moves, so passing a short
    /// line does not drag the cursor to the left for good.
    goal: Option<usize>,
}

impl TextInput {
    pub fn new(text: &str, multiline: bool) -> Self {
        TextInput {
            text: text.to_string(),
            cursor: text.len(),
            multiline,
            undo: VecDeque::new(),
            goal: None,
        }
    }

    /// Records the change about to replace `removed` bytes at `at` with `inserted` bytes.
    fn record(&mut self, at: usize, removed: usize, inserted: usize) {
        self.goal = None;
        if self.undo.len() == UNDO_DEPTH {
            self.undo.pop_front();
        }
        self.undo.push_back(Edit {
            at,
            removed: self.text[at..at + removed].to_string(),
            inserted,
            cursor: self.cursor,
        });
    }

    /// Bytes the undo history holds, for the tests that keep it small.
    pub fn undo_bytes(&self) -> usize {
        let each = std::mem::size_of::<Edit>();
        self.undo.iter().map(|e| each + e.removed.capacity()).sum()
    }

    pub fn insert(&mut self, s: &str) {
        let s: String = if self.multiline {
            s.replace("\r\n", "\n")
        } else {
            // A single-line field takes a pasted line break as the end of what was meant.
            s.replace(['\r', '\n'], "")
        };
        if s.is_empty() {
            return;
        }
        self.record(self.cursor, 0, s.len());
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    pub fn backspace(&mut self) {
        if let Some(prev) = self.text[..self.cursor].chars().next_back() {
            let at = self.cursor - prev.len_utf8();
            self.record(at, prev.len_utf8(), 0);
            self.cursor = at;
            self.text.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if let Some(next) = self.text[self.cursor..].chars().next() {
            self.record(self.cursor, next.len_utf8(), 0);
            self.text.remove(self.cursor);
        }
    }

    /// Ctrl+U: everything before the cursor, as in a shell.
    pub fn clear_to_start(&mut self) {
        if self.cursor > 0 {
            self.record(0, self.cursor, 0);
            self.text.drain(..self.cursor);
            self.cursor = 0;
        }
    }

    pub fn left(&mut self) {
        self.goal = None;
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    pub fn right(&mut self) {
        self.goal = None;
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn home(&mut self) {
        self.goal = None;
        self.cursor = self.line_start(self.cursor);
    }

    pub fn end(&mut self) {
        self.goal = None;
        self.cursor += self.text[self.cursor..]
            .find('\n')
            .unwrap_or(self.text.len() - self.cursor);
    }

    /// Up a line, to the same column where that line is long enough, else its end; from the
    /// first line, to the start of the text (as a browser's text area does).
    pub fn up(&mut self) {
        let start = self.line_start(self.cursor);
        if start == 0 {
            self.cursor = 0;
            self.goal = None;
            return;
        }
        let goal = self.goal_col();
        let prev = self.line_start(start - 1);
        self.cursor = self.at_col(prev, goal);
        self.goal = Some(goal);
    }

    /// Down a line, keeping the column like `up`; from the last line, to the end of the text.
    pub fn down(&mut self) {
        let Some(nl) = self.text[self.cursor..].find('\n') else {
            self.cursor = self.text.len();
            self.goal = None;
            return;
        };
        let goal = self.goal_col();
        self.cursor = self.at_col(self.cursor + nl + 1, goal);
        self.goal = Some(goal);
    }

    fn goal_col(&self) -> usize {
        self.goal.unwrap_or_else(|| self.cursor_line_col().1)
    }

    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The byte offset of column `col` (in chars) of the line starting at `start`, or of the
    /// line's end if it is shorter.
    fn at_col(&self, start: usize, col: usize) -> usize {
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        start + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    /// Returns false when there was nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.goal = None;
        let Some(e) = self.undo.pop_back() else {
            return false;
        };
        let end = e.at + e.inserted;
        let fits = |t: &str| end <= t.len() && t.is_char_boundary(e.at) && t.is_char_boundary(end);
        if !fits(&self.text) {
            // `text` was replaced from outside (it is public): the history is of another text.
            self.undo.clear();
            return false;
        }
        self.text.replace_range(e.at..end, &e.removed);
        self.cursor = e.cursor;
        true
    }

    /// Line and column (in chars) of the cursor, for drawing it.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        // memchr counts the lines before the cursor of a 1 MiB body in microseconds.
        let line = memchr::memchr_iter(b'\n', before.as_bytes()).count();
        let col = before.rsplit('\n').next().unwrap_or("").chars().count();
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_move_the_cursor_and_undo_restores() {
        let mut t = TextInput::new("ab", false);
        t.left();
        t.insert("é");
        assert_eq!((t.text.as_str(), t.cursor), ("aéb", 3));
        t.backspace();
        assert_eq!(t.text, "ab");
        assert!(t.undo());
        assert_eq!(t.text, "aéb");
        assert!(t.undo());
        assert_eq!(t.text, "ab");
        assert!(!t.undo());
    }

    #[test]
    fn every_kind_of_edit_is_taken_back_in_order() {
        let mut t = TextInput::new("héllo wörld", false);
        // The text and cursor just before each edit: what its undo goes back to.
        let mut states = Vec::new();
        let mut edit = |t: &mut TextInput, f: &dyn Fn(&mut TextInput)| {
            states.push((t.text.clone(), t.cursor));
            f(t);
        };
        edit(&mut t, &|t| t.insert("!"));
        t.home();
        t.right();
        edit(&mut t, &|t| t.delete());
        edit(&mut t, &|t| t.insert("ÉÉ"));
        edit(&mut t, &|t| t.backspace());
        t.right();
        t.right();
        edit(&mut t, &|t| t.clear_to_start());
        edit(&mut t, &|t| t.insert("pasted\r\ntext"));
        while let Some(want) = states.pop() {
            assert!(t.undo());
            assert_eq!((t.text.clone(), t.cursor), want);
        }
        assert_eq!(t.text, "héllo wörld");
        assert!(!t.undo());
    }

    #[test]
    fn keys_typed_in_a_1_mib_body_keep_a_small_history() {
        let body = "{\"EXAMPLE\": \"FAKE value\"},\n".repeat((1 << 20) / 28);
        let mut t = TextInput::new(&body, true);
        t.up();
        let at = t.cursor;
        // One edit more than the history holds.
        for _ in 0..=super::UNDO_DEPTH {
            t.insert("x");
        }
        assert!(t.undo_bytes() < 16 << 10, "{} bytes", t.undo_bytes());
        while t.undo() {}
        let mut first_kept = body.clone();
        first_kept.insert(at, 'x');
        assert_eq!(
            t.text, first_kept,
            "the oldest edit fell off, the rest undone"
        );
        // A text replaced from outside is not undone into: the history is dropped.
        let mut t = TextInput::new("abc", false);
        t.insert("d");
        t.text = String::new();
        assert!(!t.undo());
        assert_eq!(t.text, "");
    }

    #[test]
    fn single_line_fields_drop_pasted_newlines() {
        let mut t = TextInput::new("", false);
        t.insert("a\r\nb\n");
        assert_eq!(t.text, "ab");
        let mut m = TextInput::new("", true);
        m.insert("a\r\nb");
        assert_eq!(m.text, "a\nb");
        assert_eq!(m.cursor_line_col(), (1, 1));
    }

    #[test]
    fn up_and_down_keep_the_column_across_a_short_line() {
        let mut t = TextInput::new("first line\nab\nthird line", true);
        // End of the text: line 2, column 10.
        assert_eq!(t.cursor_line_col(), (2, 10));
        t.up();
        assert_eq!(t.cursor_line_col(), (1, 2), "a short line: its end");
        t.up();
        assert_eq!(t.cursor_line_col(), (0, 10), "the column comes back");
        t.up();
        assert_eq!(t.cursor, 0, "up from the first line: the start");
        t.right();
        t.right();
        t.right();
        t.down();
        assert_eq!(t.cursor_line_col(), (1, 2));
        // A move along the line forgets the old column.
        t.left();
        t.down();
        assert_eq!(t.cursor_line_col(), (2, 1));
        t.down();
        assert_eq!(t.cursor, t.text.len(), "down from the last line: the end");
        t.insert("!");
        assert_eq!(t.text, "first line\nab\nthird line!");
    }

    #[test]
    fn up_and_down_count_columns_in_characters() {
        let mut t = TextInput::new("éé\nxyz", true);
        t.home();
        t.right();
        t.right();
        t.up();
        assert_eq!((t.cursor, t.cursor_line_col()), (4, (0, 2)));
        t.left();
        t.down();
        assert_eq!(t.cursor_line_col(), (1, 1));
    }
}
