//! A text field being edited: the text, a cursor, and an undo history for the last edits.
//!
//! It knows nothing about which part of the draft it edits; `update` copies the text back into
//! the draft after every change, so lint, render and send always see what was typed.

/// How many earlier states of a field Ctrl+Z can go back to.
const UNDO_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextInput {
    pub text: String,
    /// Byte offset, always on a char boundary.
    pub cursor: usize,
    /// Enter inserts a newline instead of finishing (the body).
    pub multiline: bool,
    undo: Vec<(String, usize)>,
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
            undo: Vec::new(),
            goal: None,
        }
    }

    fn snapshot(&mut self) {
        self.goal = None;
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push((self.text.clone(), self.cursor));
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
        self.snapshot();
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    pub fn backspace(&mut self) {
        if let Some(prev) = self.text[..self.cursor].chars().next_back() {
            self.snapshot();
            self.cursor -= prev.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.len() {
            self.snapshot();
            self.text.remove(self.cursor);
        }
    }

    /// Ctrl+U: everything before the cursor, as in a shell.
    pub fn clear_to_start(&mut self) {
        if self.cursor > 0 {
            self.snapshot();
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
        match self.undo.pop() {
            Some((text, cursor)) => {
                self.text = text;
                self.cursor = cursor;
                true
            }
            None => false,
        }
    }

    /// Line and column (in chars) of the cursor, for drawing it.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
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
