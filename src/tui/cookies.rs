//! The session's cookie jar in the TUI: listed on the Vars tab under the request's own
//! variables, a value edited (taken on Enter, Esc keeps it), one deleted, all emptied with `C`.
//! Jar rows follow the variable rows, so row `d.vars.len() + j` is cookie `j` of `Jar::list`.

use super::app::{App, Editing, Level, Target};
use super::input::TextInput;

/// While a send is in flight the jar is with it (`Effect::Send` took a copy, `JarAfterSend`
/// brings it back): a change made now would be lost when it lands, so none is taken.
fn in_flight(app: &mut App) -> bool {
    if app.inflight.is_some() {
        let text = "a send is in flight and the jar is with it: change it once it lands (Esc cancels the send)";
        app.status = Some((Level::Info, text.into()));
    }
    app.inflight.is_some()
}

/// Cookie `j` of the list: its value in a text field, taken only on Enter.
pub fn edit(app: &mut App, j: usize) {
    if in_flight(app) {
        return;
    }
    let Some(value) = app.jar.list().get(j).map(|c| c.value.expose().to_string()) else {
        return;
    };
    app.editor.scroll = 0;
    app.editing = Some(Editing {
        target: Target::Cookie(j),
        input: TextInput::new(&value, false),
        was: value,
        entry: app.selected,
        before: None,
    });
}

/// Enter in a cookie's field: the jar keeps the new value for the rest of the session.
pub fn commit(app: &mut App, e: Editing) {
    let Target::Cookie(j) = e.target else { return };
    let Some(key) = app.jar.list().get(j).map(|c| c.key()) else {
        app.status = Some((Level::Error, "that cookie is no longer in the jar".into()));
        return;
    };
    match app.jar.set_value(&key, &e.input.text) {
        Ok(()) => {
            let text = format!(
                "cookie {} changed; the next matching send carries it",
                key.name
            );
            app.status = Some((Level::Info, text));
        }
        // What a `Cookie` header cannot carry (`;`, a control character): said with its
        // column, and the field stays open with what was typed.
        Err(problem) => {
            app.status = Some((Level::Error, problem));
            app.editing = Some(e);
        }
    }
}

pub fn delete(app: &mut App, j: usize) {
    if in_flight(app) {
        return;
    }
    let Some(key) = app.jar.list().get(j).map(|c| c.key()) else {
        return;
    };
    app.jar.remove(&key);
    let text = format!("cookie {} removed from the jar", key.name);
    app.status = Some((Level::Info, text));
}

pub fn clear(app: &mut App) {
    if in_flight(app) {
        return;
    }
    let n = app.jar.len();
    app.jar.clear();
    let text = match n {
        0 => "the cookie jar is already empty".to_string(),
        1 => "the cookie jar is empty now (1 cookie dropped)".to_string(),
        n => format!("the cookie jar is empty now ({n} cookies dropped)"),
    };
    app.status = Some((Level::Info, text));
}
