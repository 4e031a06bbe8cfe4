//! A column of lines taller than its area: lines cut into rows before drawing (so the rows a
//! line takes are known), a window of whole lines from an offset, the offset of the last page,
//! and the dim markers that say how much is cut.
//!
//! Everything here works from an offset and stops when the area is full, so a column of
//! 400,000 body lines costs the lines on screen.

use super::theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A line cut into rows of at most `width` cells: after the last space that fits, or inside a
/// word longer than a row — what ratatui's `Wrap { trim: false }` does, done here so that the
/// rows a line takes can be counted before it is drawn.
pub fn wrap(line: &Line<'_>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    if line.width() <= width {
        let spans = line
            .spans
            .iter()
            .map(|s| Span::styled(s.content.to_string(), line.style.patch(s.style)))
            .collect::<Vec<_>>();
        return vec![Line::from(spans)];
    }
    let cells: Vec<(&str, Style, usize)> = line
        .styled_graphemes(Style::new())
        .map(|g| (g.symbol, g.style, Span::raw(g.symbol).width()))
        .collect();
    let mut rows = Vec::new();
    let (mut start, mut col) = (0, 0);
    // Index just after the last space of the current row: where it is cut.
    let mut after_space: Option<usize> = None;
    for (i, &(symbol, _, w)) in cells.iter().enumerate() {
        while col + w > width && i > start {
            let cut = after_space.filter(|&s| s > start && s < i).unwrap_or(i);
            rows.push(row(&cells[start..cut]));
            start = cut;
            col = cells[start..i].iter().map(|c| c.2).sum();
            after_space = None;
        }
        col += w;
        if symbol == " " {
            after_space = Some(i + 1);
        }
    }
    rows.push(row(&cells[start..]));
    rows
}

/// Rows `line` takes at this width.
pub fn rows(line: &Line<'_>, width: usize) -> usize {
    if line.width() <= width.max(1) {
        1
    } else {
        wrap(line, width).len()
    }
}

/// Joins cells of the same style back into spans.
fn row(cells: &[(&str, Style, usize)]) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    for &(symbol, style, _) in cells {
        match spans.last_mut() {
            Some(s) if s.style == style => s.content.to_mut().push_str(symbol),
            _ => spans.push(Span::styled(symbol.to_string(), style)),
        }
    }
    Line::from(spans)
}

/// `… 12 more lines (j/↓ to scroll)`: drawn in the last row of a window that could not show
/// everything.
pub fn more_below(n: usize) -> Line<'static> {
    let s = if n == 1 { "" } else { "s" };
    Line::styled(format!("… {n} more line{s} (j/↓ to scroll)"), theme::dim())
}

/// `… 3 lines above (k/↑ to scroll)`: the first row of a window scrolled past the top.
pub fn more_above(n: usize) -> Line<'static> {
    let s = if n == 1 { "" } else { "s" };
    Line::styled(format!("… {n} line{s} above (k/↑ to scroll)"), theme::dim())
}

/// The lines a window shows, from line `from` of `len`, each cut into rows for `width`.
pub struct Filled {
    /// Shown lines in order: the line's index and its rows.
    pub lines: Vec<(usize, Vec<Line<'static>>)>,
    /// One past the last line shown; `len` when nothing is left below.
    pub next: usize,
}

/// Fills `room` rows with whole lines from `from`, keeping the last row for [`more_below`]
/// while lines remain. `extra(i)` is the rows drawn just before line `i` besides its own (a
/// header). A first line taller than the window is cut rather than skipped, so every line
/// shows at least its start.
pub fn fill(
    from: usize,
    len: usize,
    room: usize,
    width: usize,
    mut line: impl FnMut(usize) -> Line<'static>,
    extra: impl Fn(usize) -> usize,
) -> Filled {
    let mut out = Filled {
        lines: Vec::new(),
        next: from.min(len),
    };
    let mut used = 0;
    for i in from..len {
        let mut rows = wrap(&line(i), width);
        let marker = usize::from(i + 1 < len);
        let need = extra(i) + rows.len() + marker;
        if used + need > room {
            if i > from {
                break;
            }
            let fit = room.saturating_sub(used + extra(i) + marker).max(1);
            rows.truncate(fit);
        }
        used += extra(i) + rows.len();
        out.lines.push((i, rows));
        out.next = i + 1;
    }
    out
}

/// The offset of the last page: the smallest `o` from which lines `o..len` all fit in
/// `height` rows with nothing cut, `chrome(o)` being the rows a window starting at `o` adds
/// (markers, a header). Walks back from the end, so it costs about a page of lines.
pub fn last_page(
    len: usize,
    height: usize,
    rows: impl Fn(usize) -> usize,
    chrome: impl Fn(usize) -> usize,
) -> usize {
    if len == 0 {
        return 0;
    }
    let mut o = len - 1;
    let mut sum = rows(o);
    while o > 0 {
        let r = rows(o - 1);
        if sum + r + chrome(o - 1) > height {
            break;
        }
        sum += r;
        o -= 1;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[Line]) -> Vec<String> {
        rows.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn lines_are_cut_after_spaces_and_inside_long_words() {
        let l = Line::raw("wants Bearer realm=abc");
        assert_eq!(text(&wrap(&l, 12)), ["wants ", "Bearer ", "realm=abc"]);
        assert_eq!(text(&wrap(&l, 40)), ["wants Bearer realm=abc"]);
        let long = Line::raw("abcdefghij");
        assert_eq!(text(&wrap(&long, 4)), ["abcd", "efgh", "ij"]);
        assert_eq!(rows(&long, 4), 3);
    }

    #[test]
    fn cut_rows_keep_their_styles() {
        let l = Line::from(vec![
            Span::styled("aaaa ", theme::dim()),
            Span::styled("bbbb", theme::warn()),
        ]);
        let rows = wrap(&l, 6);
        assert_eq!(text(&rows), ["aaaa ", "bbbb"]);
        assert_eq!(rows[1].spans[0].style, theme::warn());
    }

    #[test]
    fn a_window_keeps_a_row_for_the_marker_and_the_last_page_needs_none() {
        let lines: Vec<Line> = (0..10).map(|i| Line::raw(format!("line {i}"))).collect();
        let f = fill(0, 10, 4, 20, |i| lines[i].clone(), |_| 0);
        assert_eq!(f.lines.len(), 3, "three lines and the marker");
        assert_eq!(f.next, 3);
        let bottom = last_page(10, 4, |_| 1, |_| 0);
        assert_eq!(bottom, 6);
        let f = fill(bottom, 10, 4, 20, |i| lines[i].clone(), |_| 0);
        assert_eq!(
            (f.lines.len(), f.next),
            (4, 10),
            "the last page has no marker"
        );
    }
}
