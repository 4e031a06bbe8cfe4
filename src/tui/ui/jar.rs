//! The cookie jar on the Vars tab: each cookie the session's responses set, its value masked
//! like any credential, where it goes (domain, path, Secure) and until when — an expired one
//! marked, since it is no longer sent.

use super::editor::Doc;
use super::theme;
use crate::cookies::Cookie;
use crate::secret::mask;
use crate::tui::app::{App, Target};
use ratatui::text::{Line, Span};

/// The jar's rows, numbered after the request's `vars` variable rows; nothing while the jar
/// is empty (most APIs set no cookie, and the tab is about variables first).
pub fn render(app: &App, vars: usize, doc: &mut Doc) {
    if app.jar.is_empty() {
        return;
    }
    doc.push(Line::styled(
        format!(
            " cookie jar · {} · Enter value · d delete · C empties it",
            count(app.jar.len())
        ),
        theme::dim(),
    ));
    for (j, c) in app.jar.list().into_iter().enumerate() {
        let prefix = vec![Span::styled(
            format!(" {} = ", c.name),
            theme::header_name(),
        )];
        let mut value = vec![Span::styled(mask(c.value.expose()), theme::masked())];
        value.extend(attributes(c, app.unix_now));
        doc.row(app, vars + j + 1, prefix, value, Some(Target::Cookie(j)));
    }
}

fn count(n: usize) -> String {
    match n {
        1 => "1 cookie".into(),
        n => format!("{n} cookies"),
    }
}

/// Where it goes and until when, as the jar describes it (`Cookie::attributes`); an expired
/// one in red, since it is no longer sent.
fn attributes(c: &Cookie, now: Option<i64>) -> Vec<Span<'static>> {
    let now = now.unwrap_or(i64::MIN);
    let text = format!("  {}", c.attributes(now));
    if c.is_expired(now) {
        vec![Span::styled(format!("{text} — not sent"), theme::error())]
    } else {
        vec![Span::styled(text, theme::dim())]
    }
}
