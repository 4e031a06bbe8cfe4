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
}

impl TextInput {
    pub fn new(text: &str, multiline: bool) -> Self {
        TextInput {
            text: text.to_string(),
            cursor: text.len(),
            multiline,
            undo: Vec::new(),
        }
    }

    fn snapshot(&mut self) {
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
        if let Some(c) = self.text[..self.cursor].chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    pub fn right(&mut self) {
        if let Some(c) = self.text[self.cursor..].chars().next() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn home(&mut self) {
        self.cursor = self.text[..self.cursor].rfind('\n').map_or(0, |i| i + 1);
    }

    pub fn end(&mut self) {
        self.cursor += self.text[self.cursor..]
            .find('\n')
            .unwrap_or(self.text.len() - self.cursor);
    }

    /// Returns false when there was nothing to undo.
    pub fn undo(&mut self) -> bool {
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
}
