//! Reading and writing one field of a draft by its `Target`, and the row operations of the
//! editor's tables — the only code that knows how the editor's rows map onto a `Draft`.

use super::app::{Tab, Target};
use super::url_params;
use crate::draft::{
    AuthField, AuthHelper, Body, Draft, Part, PartField, PartValue, Place, Row, RowRef,
    SettingField, Side,
};

/// The text of the field `t` edits; `None` where the draft has no such field (a row since
/// deleted, a file name of a text part) and for the search box, which is no field of a draft.
pub fn text(d: &Draft, t: Target) -> Option<String> {
    let Target::Draft(place) = t else {
        return None;
    };
    let row = |rows: &[Row], at: RowRef, side: Side| {
        let r = rows.get(at.typed()?)?;
        Some(match side {
            Side::Name => r.name.clone(),
            Side::Value => r.value.clone(),
        })
    };
    match place {
        Place::Method => Some(d.method.clone()),
        Place::Url => Some(d.url.clone()),
        Place::Header(r, side) => row(&d.headers, r, side),
        Place::Query(r, side) => row(&d.query, r, side),
        Place::UrlParam(i, Side::Name) => url_params::name(&d.url, i).map(str::to_string),
        Place::UrlParam(i, Side::Value) => url_params::value(&d.url, i).map(str::to_string),
        Place::Body => match &d.body {
            Body::Text { text, .. } => Some(text.clone()),
            _ => None,
        },
        Place::BodyContentType => match &d.body {
            Body::Text { content_type, .. } => Some(content_type.clone().unwrap_or_default()),
            _ => None,
        },
        Place::Part(i, PartField::Name) => parts(d)?.get(i).map(|p| p.name.clone()),
        Place::Part(i, PartField::Value) => parts(d)?.get(i).map(|p| match &p.value {
            PartValue::Text { text } => text.clone(),
            PartValue::File { path, .. } => path.clone(),
        }),
        Place::Part(i, PartField::Filename) => {
            file_meta(d, i).map(|(f, _)| f.clone().unwrap_or_default())
        }
        Place::Part(i, PartField::ContentType) => {
            file_meta(d, i).map(|(_, t)| t.clone().unwrap_or_default())
        }
        Place::Auth(f) => auth_field(&d.auth, f).map(str::to_string),
        Place::Var(i, Side::Name) => d.vars.get(i).map(|v| v.0.clone()),
        Place::Var(i, Side::Value) => d.vars.get(i).map(|v| v.1.clone()),
        Place::Setting(f) => Some(d.settings.text(f)),
    }
}

pub fn set(d: &mut Draft, t: Target, value: &str) {
    let Target::Draft(place) = t else {
        return;
    };
    let v = value.to_string();
    let row = |rows: &mut [Row], at: RowRef, side: Side, v: String| {
        if let Some(r) = at.typed().and_then(|i| rows.get_mut(i)) {
            match side {
                Side::Name => r.name = v,
                Side::Value => r.value = v,
            }
        }
    };
    match place {
        Place::Method => d.method = v,
        Place::Url => d.url = v,
        Place::Header(r, side) => row(&mut d.headers, r, side, v),
        Place::Query(r, side) => row(&mut d.query, r, side, v),
        Place::UrlParam(i, Side::Name) => url_params::set_name(&mut d.url, i, &v),
        Place::UrlParam(i, Side::Value) => url_params::set_value(&mut d.url, i, &v),
        Place::Body => {
            if let Body::Text { text, .. } = &mut d.body {
                *text = v;
            }
        }
        Place::BodyContentType => {
            if let Body::Text { content_type, .. } = &mut d.body {
                *content_type = (!v.is_empty()).then_some(v);
            }
        }
        Place::Part(i, PartField::Name) => {
            if let Some(p) = parts_mut(d).and_then(|p| p.get_mut(i)) {
                p.name = v;
            }
        }
        Place::Part(i, PartField::Value) => match parts_mut(d)
            .and_then(|p| p.get_mut(i))
            .map(|p| &mut p.value)
        {
            Some(PartValue::Text { text }) => *text = v,
            Some(PartValue::File { path, .. }) => *path = v,
            None => {}
        },
        Place::Part(i, field @ (PartField::Filename | PartField::ContentType)) => {
            let (filename, content_type) = match parts_mut(d).and_then(|p| p.get_mut(i)) {
                Some(Part {
                    value:
                        PartValue::File {
                            filename,
                            content_type,
                            ..
                        },
                    ..
                }) => (filename, content_type),
                _ => return,
            };
            let slot = if field == PartField::Filename {
                filename
            } else {
                content_type
            };
            *slot = (!v.is_empty()).then_some(v);
        }
        Place::Auth(f) => set_auth_field(&mut d.auth, f, v),
        Place::Var(i, side) => {
            if let Some(r) = d.vars.get_mut(i) {
                match side {
                    Side::Name => r.0 = v,
                    Side::Value => r.1 = v,
                }
            }
        }
        // Typed text that does not parse yet ("2." on the way to "2.5") leaves the setting as
        // it was; Enter then says what the field takes (`setting_error`).
        Place::Setting(f) => {
            let _ = d.settings.set_text(f, &v);
        }
    }
}

/// The editor's target for a field of the draft.
fn at(place: Place) -> Target {
    Target::Draft(place)
}

/// A typed row's field of the header table.
fn header(i: usize, side: Side) -> Target {
    at(Place::Header(RowRef::Typed(i), side))
}

/// A typed row's field of the query table.
fn query(i: usize, side: Side) -> Target {
    at(Place::Query(RowRef::Typed(i), side))
}

pub fn parts(d: &Draft) -> Option<&Vec<Part>> {
    match &d.body {
        Body::Multipart { parts } => Some(parts),
        _ => None,
    }
}

/// A file part's file name and content type as typed (`None`: the default applies).
fn file_meta(d: &Draft, i: usize) -> Option<(&Option<String>, &Option<String>)> {
    match &parts(d)?.get(i)?.value {
        PartValue::File {
            filename,
            content_type,
            ..
        } => Some((filename, content_type)),
        PartValue::Text { .. } => None,
    }
}

fn parts_mut(d: &mut Draft) -> Option<&mut Vec<Part>> {
    match &mut d.body {
        Body::Multipart { parts } => Some(parts),
        _ => None,
    }
}

/// The editable fields of an auth helper, in display order, with their labels.
pub fn auth_fields(a: &AuthHelper) -> &'static [(AuthField, &'static str)] {
    match a {
        AuthHelper::None => &[],
        AuthHelper::Bearer { .. } => &[(AuthField::Token, "token")],
        AuthHelper::ApiKeyHeader { .. } => &[(AuthField::Name, "header"), (AuthField::Key, "key")],
        AuthHelper::ApiKeyQuery { .. } => {
            &[(AuthField::Name, "parameter"), (AuthField::Key, "key")]
        }
        AuthHelper::Basic { .. } => &[(AuthField::User, "user"), (AuthField::Password, "password")],
    }
}

pub fn auth_field(a: &AuthHelper, f: AuthField) -> Option<&str> {
    match (a, f) {
        (AuthHelper::Bearer { token }, AuthField::Token) => Some(token),
        (
            AuthHelper::ApiKeyHeader { name, .. } | AuthHelper::ApiKeyQuery { name, .. },
            AuthField::Name,
        ) => Some(name),
        (
            AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. },
            AuthField::Key,
        ) => Some(key),
        (AuthHelper::Basic { user, .. }, AuthField::User) => Some(user),
        (AuthHelper::Basic { password, .. }, AuthField::Password) => Some(password),
        _ => None,
    }
}

fn set_auth_field(a: &mut AuthHelper, f: AuthField, v: String) {
    match (a, f) {
        (AuthHelper::Bearer { token }, AuthField::Token) => *token = v,
        (
            AuthHelper::ApiKeyHeader { name, .. } | AuthHelper::ApiKeyQuery { name, .. },
            AuthField::Name,
        ) => *name = v,
        (
            AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. },
            AuthField::Key,
        ) => *key = v,
        (AuthHelper::Basic { user, .. }, AuthField::User) => *user = v,
        (AuthHelper::Basic { password, .. }, AuthField::Password) => *password = v,
        _ => {}
    }
}

pub fn auth_kind(a: &AuthHelper) -> &'static str {
    match a {
        AuthHelper::None => "none",
        AuthHelper::Bearer { .. } => "Bearer token",
        AuthHelper::ApiKeyHeader { .. } => "API key in a header",
        AuthHelper::ApiKeyQuery { .. } => "API key in the query",
        AuthHelper::Basic { .. } => "Basic (user:password)",
    }
}

/// The next helper kind, carrying the credential over so switching does not lose it.
pub fn next_auth(a: &AuthHelper) -> AuthHelper {
    let secret = match a {
        AuthHelper::Bearer { token } => token.clone(),
        AuthHelper::ApiKeyHeader { key, .. } | AuthHelper::ApiKeyQuery { key, .. } => key.clone(),
        AuthHelper::Basic { password, .. } => password.clone(),
        AuthHelper::None => String::new(),
    };
    match a {
        AuthHelper::None => AuthHelper::Bearer { token: secret },
        AuthHelper::Bearer { .. } => AuthHelper::ApiKeyHeader {
            name: "X-API-Key".into(),
            key: secret,
        },
        AuthHelper::ApiKeyHeader { .. } => AuthHelper::ApiKeyQuery {
            name: "api_key".into(),
            key: secret,
        },
        AuthHelper::ApiKeyQuery { .. } => AuthHelper::Basic {
            user: String::new(),
            password: secret,
        },
        AuthHelper::Basic { .. } => AuthHelper::None,
    }
}

/// None → text → multipart → none.
pub fn next_body(b: &Body) -> Body {
    match b {
        Body::None => Body::Text {
            content_type: Some("application/json".into()),
            text: String::new(),
        },
        Body::Text { .. } => Body::Multipart { parts: Vec::new() },
        Body::Multipart { .. } => Body::None,
    }
}

/// How many selectable rows the tab has (below the URL line).
pub fn row_count(d: &Draft, tab: Tab) -> usize {
    match tab {
        Tab::Headers => d.headers.len(),
        Tab::Query => url_rows(d) + d.query.len(),
        Tab::Body => match &d.body {
            Body::Multipart { parts } => parts.len().max(1),
            Body::Text { .. } => 2,
            Body::None => 1,
        },
        Tab::Auth => 1 + auth_fields(&d.auth).len(),
        Tab::Vars => d.vars.len(),
        Tab::Settings => SettingField::ALL.len(),
    }
}

/// How many rows of the Query tab come from the URL itself; the table's rows follow them.
pub fn url_rows(d: &Draft) -> usize {
    url_params::params(&d.url).len()
}

/// Row `i` of the Query tab: a parameter typed in the URL, or a row of the table.
enum QueryRow {
    Url(usize),
    Table(usize),
}

fn query_row(d: &Draft, i: usize) -> QueryRow {
    let u = url_rows(d);
    if i < u {
        QueryRow::Url(i)
    } else {
        QueryRow::Table(i - u)
    }
}

/// The value field of row `i` of a tab (what Enter edits), if it has one.
pub fn value_target(d: &Draft, tab: Tab, i: usize) -> Option<Target> {
    match tab {
        Tab::Headers if i < d.headers.len() => Some(header(i, Side::Value)),
        Tab::Query => match query_row(d, i) {
            QueryRow::Url(j) => Some(at(Place::UrlParam(j, Side::Value))),
            QueryRow::Table(j) => (j < d.query.len()).then_some(query(j, Side::Value)),
        },
        Tab::Body => match &d.body {
            Body::Text { .. } if i == 0 => Some(at(Place::BodyContentType)),
            Body::Text { .. } => Some(at(Place::Body)),
            Body::Multipart { parts } if i < parts.len() => {
                Some(at(Place::Part(i, PartField::Value)))
            }
            _ => None,
        },
        Tab::Auth if i > 0 => auth_fields(&d.auth)
            .get(i - 1)
            .map(|(f, _)| at(Place::Auth(*f))),
        Tab::Vars if i < d.vars.len() => Some(at(Place::Var(i, Side::Value))),
        // The TLS check is a switch (Enter flips it), not a field.
        Tab::Settings => SettingField::ALL
            .get(i)
            .filter(|f| **f != SettingField::Insecure)
            .map(|f| at(Place::Setting(*f))),
        _ => None,
    }
}

pub fn name_target(d: &Draft, tab: Tab, i: usize) -> Option<Target> {
    match tab {
        Tab::Headers if i < d.headers.len() => Some(header(i, Side::Name)),
        Tab::Query => match query_row(d, i) {
            QueryRow::Url(j) => Some(at(Place::UrlParam(j, Side::Name))),
            QueryRow::Table(j) => (j < d.query.len()).then_some(query(j, Side::Name)),
        },
        Tab::Body if parts(d).is_some_and(|p| i < p.len()) => {
            Some(at(Place::Part(i, PartField::Name)))
        }
        Tab::Vars if i < d.vars.len() => Some(at(Place::Var(i, Side::Name))),
        _ => None,
    }
}

/// The value field that goes with a name field (Enter after a name moves on to it); a file
/// part's name has none here, its path is typed first.
pub fn value_of_name(d: &Draft, t: Target) -> Option<Target> {
    let Target::Draft(place) = t else {
        return None;
    };
    let value = match place {
        Place::Header(r, Side::Name) => Place::Header(r, Side::Value),
        Place::Query(r, Side::Name) => Place::Query(r, Side::Value),
        Place::UrlParam(i, Side::Name) => Place::UrlParam(i, Side::Value),
        Place::Var(i, Side::Name) => Place::Var(i, Side::Value),
        Place::Part(i, PartField::Name) => match &parts(d)?.get(i)?.value {
            PartValue::Text { .. } => Place::Part(i, PartField::Value),
            PartValue::File { .. } => return None,
        },
        _ => return None,
    };
    text(d, at(value)).is_some().then_some(at(value))
}

/// The field `N` edits: a file part's file name.
pub fn filename_target(d: &Draft, tab: Tab, i: usize) -> Option<Target> {
    (tab == Tab::Body && file_meta(d, i).is_some())
        .then_some(at(Place::Part(i, PartField::Filename)))
}

/// The field `T` edits: the text body's content type (from any row of the Body tab), or the
/// selected file part's.
pub fn content_type_target(d: &Draft, tab: Tab, item: Option<usize>) -> Option<Target> {
    match &d.body {
        _ if tab != Tab::Body => None,
        Body::Text { .. } => Some(at(Place::BodyContentType)),
        Body::Multipart { .. } => {
            let i = item?;
            file_meta(d, i).map(|_| at(Place::Part(i, PartField::ContentType)))
        }
        Body::None => None,
    }
}

/// The tab and row of the editor that show `place` (row 0 is the method and URL line).
/// Whatever the auth helper writes is shown by the helper, on the Auth tab.
pub fn editor_row(d: &Draft, place: Place) -> (Tab, usize) {
    match place {
        Place::Method | Place::Url => (Tab::Headers, 0),
        Place::Header(RowRef::Typed(r), _) => (Tab::Headers, r + 1),
        Place::UrlParam(j, _) => (Tab::Query, j + 1),
        Place::Query(RowRef::Typed(r), _) => (Tab::Query, url_rows(d) + r + 1),
        Place::Header(RowRef::AuthHelper, _) | Place::Query(RowRef::AuthHelper, _) => {
            (Tab::Auth, 1)
        }
        Place::Auth(f) => {
            let field = auth_fields(&d.auth).iter().position(|(g, _)| *g == f);
            (Tab::Auth, field.map_or(1, |i| i + 2))
        }
        Place::Body | Place::BodyContentType => (Tab::Body, 1),
        Place::Part(i, _) => (Tab::Body, i + 1),
        Place::Var(i, _) => (Tab::Vars, i + 1),
        Place::Setting(f) => (Tab::Settings, setting_row(f)),
    }
}

/// Adds an empty row to the tab; returns its index and the field to type in first.
pub fn add_row(d: &mut Draft, tab: Tab, file: bool) -> Option<(usize, Target)> {
    match tab {
        Tab::Headers => {
            d.headers.push(Row::new("", ""));
            Some((d.headers.len() - 1, header(d.headers.len() - 1, Side::Name)))
        }
        Tab::Query => {
            d.query.push(Row::new("", ""));
            let j = d.query.len() - 1;
            Some((url_rows(d) + j, query(j, Side::Name)))
        }
        Tab::Body => {
            if !matches!(d.body, Body::Multipart { .. }) {
                d.body = Body::Multipart { parts: Vec::new() };
            }
            let value = if file {
                PartValue::File {
                    path: String::new(),
                    filename: None,
                    content_type: None,
                }
            } else {
                PartValue::Text {
                    text: String::new(),
                }
            };
            let parts = parts_mut(d)?;
            parts.push(Part {
                name: if file { "files".into() } else { String::new() },
                value,
            });
            let i = parts.len() - 1;
            Some((
                i,
                if file {
                    at(Place::Part(i, PartField::Value))
                } else {
                    at(Place::Part(i, PartField::Name))
                },
            ))
        }
        Tab::Vars => {
            d.vars.push((String::new(), String::new()));
            Some((
                d.vars.len() - 1,
                at(Place::Var(d.vars.len() - 1, Side::Name)),
            ))
        }
        Tab::Auth | Tab::Settings => None,
    }
}

pub fn delete_row(d: &mut Draft, tab: Tab, i: usize) -> bool {
    fn rm<T>(v: &mut Vec<T>, i: usize) -> bool {
        (i < v.len()).then(|| v.remove(i)).is_some()
    }
    match tab {
        Tab::Headers => rm(&mut d.headers, i),
        Tab::Query => match query_row(d, i) {
            QueryRow::Url(j) => url_params::remove(&mut d.url, j),
            QueryRow::Table(j) => rm(&mut d.query, j),
        },
        Tab::Body => parts_mut(d).is_some_and(|p| rm(p, i)),
        Tab::Vars => rm(&mut d.vars, i),
        Tab::Auth => false,
        // `d` on a setting brings back its default.
        Tab::Settings => reset_setting(d, i),
    }
}

/// Enables or disables a table row; false where a row cannot be disabled (a URL parameter,
/// a body part, an auth field).
pub fn toggle_row(d: &mut Draft, tab: Tab, i: usize) -> bool {
    let (rows, i) = match (tab, query_row(d, i)) {
        (Tab::Headers, _) => (&mut d.headers, i),
        (Tab::Query, QueryRow::Table(j)) => (&mut d.query, j),
        _ => return false,
    };
    rows.get_mut(i).map(|r| r.enabled = !r.enabled).is_some()
}

/// Swaps row `i` with `i + 1` (down) or `i - 1` (up); returns the row's new index.
pub fn move_row(d: &mut Draft, tab: Tab, i: usize, down: bool) -> Option<usize> {
    fn swap<T>(v: &mut [T], i: usize, down: bool) -> Option<usize> {
        let j = if down {
            i.checked_add(1)?
        } else {
            i.checked_sub(1)?
        };
        (i < v.len() && j < v.len())
            .then(|| v.swap(i, j))
            .map(|_| j)
    }
    match tab {
        Tab::Headers => swap(&mut d.headers, i, down),
        // URL parameters keep their place in the URL; table rows move among themselves.
        Tab::Query => match query_row(d, i) {
            QueryRow::Url(_) => None,
            QueryRow::Table(j) => swap(&mut d.query, j, down).map(|k| url_rows(d) + k),
        },
        Tab::Body => swap(parts_mut(d)?, i, down),
        Tab::Vars => swap(&mut d.vars, i, down),
        Tab::Auth | Tab::Settings => None,
    }
}

/// The setting on row `i` back to its default; false when it already was.
fn reset_setting(d: &mut Draft, i: usize) -> bool {
    let Some(f) = SettingField::ALL.get(i) else {
        return false;
    };
    let was = d.settings.clone();
    match f {
        SettingField::Insecure => d.settings.insecure = false,
        f => {
            let _ = d.settings.set_text(*f, "");
        }
    }
    d.settings != was
}

/// The Settings tab's row of a field (row 0 is the URL line).
pub fn setting_row(f: SettingField) -> usize {
    SettingField::ALL.iter().position(|g| *g == f).unwrap_or(0) + 1
}

/// What is wrong with the text typed in a settings field, said when Enter would take it.
pub fn setting_error(t: Target, typed: &str) -> Option<String> {
    let Target::Draft(Place::Setting(f)) = t else {
        return None;
    };
    let mut probe = crate::draft::Settings::default();
    probe
        .set_text(f, typed)
        .err()
        .map(|e| format!("Settings › {}: {e}", f.label()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_round_trips() {
        let mut d = Draft::new("GET", "http://h/").header("A", "1");
        d.query.push(Row::new("q", "2"));
        d.vars.push(("V".into(), "3".into()));
        d.auth = AuthHelper::Basic {
            user: "u".into(),
            password: "p".into(),
        };
        for t in [
            at(Place::Method),
            at(Place::Url),
            header(0, Side::Name),
            header(0, Side::Value),
            query(0, Side::Name),
            query(0, Side::Value),
            at(Place::Var(0, Side::Name)),
            at(Place::Var(0, Side::Value)),
            at(Place::Auth(AuthField::User)),
            at(Place::Auth(AuthField::Password)),
        ] {
            set(&mut d, t, "EXAMPLE");
            assert_eq!(text(&d, t).as_deref(), Some("EXAMPLE"), "{t:?}");
        }
    }

    #[test]
    fn a_file_part_has_a_file_name_and_type_and_empty_means_default() {
        let mut d = Draft::new("POST", "http://h/");
        add_row(&mut d, Tab::Body, true);
        set(&mut d, at(Place::Part(0, PartField::Value)), "./cat.jpg");
        set(
            &mut d,
            at(Place::Part(0, PartField::Filename)),
            "EXAMPLE.jpg",
        );
        set(
            &mut d,
            at(Place::Part(0, PartField::ContentType)),
            "image/png",
        );
        let Body::Multipart { parts } = &d.body else {
            panic!("not multipart")
        };
        let want = PartValue::File {
            path: "./cat.jpg".into(),
            filename: Some("EXAMPLE.jpg".into()),
            content_type: Some("image/png".into()),
        };
        assert_eq!(parts[0].value, want);
        set(&mut d, at(Place::Part(0, PartField::Filename)), "");
        assert_eq!(
            text(&d, at(Place::Part(0, PartField::Filename))).as_deref(),
            Some("")
        );
        assert!(matches!(
            &parts_mut(&mut d).unwrap()[0].value,
            PartValue::File { filename: None, .. }
        ));
        // A text part has neither.
        add_row(&mut d, Tab::Body, false);
        assert_eq!(filename_target(&d, Tab::Body, 1), None);
        assert_eq!(content_type_target(&d, Tab::Body, Some(1)), None);
        assert_eq!(content_type_target(&d, Tab::Body, None), None);
        assert_eq!(text(&d, at(Place::Part(1, PartField::ContentType))), None);
    }

    #[test]
    fn rows_move_and_stay_in_bounds() {
        let mut d = Draft::new("GET", "u").header("A", "1").header("B", "2");
        assert_eq!(move_row(&mut d, Tab::Headers, 0, true), Some(1));
        assert_eq!(d.headers[1].name, "A");
        assert_eq!(move_row(&mut d, Tab::Headers, 1, true), None);
        assert_eq!(move_row(&mut d, Tab::Headers, 0, false), None);
    }
}
