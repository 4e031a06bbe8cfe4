//! The Settings tab: how this request connects — timeout, redirects, TLS trust, a client
//! certificate, the proxy — with what the command line or the defaults give where it sets
//! nothing, and TLS checks switched off said loudly.

use super::editor::Doc;
use super::theme;
use crate::draft::{Draft, Place, SettingField, Settings};
use crate::tui::app::{App, EntryKind, Target};
use crate::tui::fields::setting_row;
use ratatui::text::{Line, Span};

pub fn render(app: &App, d: &Draft, doc: &mut Doc) {
    doc.push(Line::styled(
        " Enter edits · d resets to the default",
        theme::dim(),
    ));
    for f in SettingField::ALL {
        let label = format!(" {:<13}", format!("{}:", f.label()));
        let prefix = vec![Span::styled(label, theme::header_name())];
        let target = (f != SettingField::Insecure).then_some(Target::Draft(Place::Setting(f)));
        doc.row(app, setting_row(f), prefix, value(d, &app.flags, f), target);
    }
    doc.push(Line::raw(""));
    doc.push(Line::styled(kept_where(app), theme::dim()));
}

/// The field's value as it applies to a send: the request's own, else the command line's,
/// else the default (dim).
fn value(d: &Draft, flags: &Settings, f: SettingField) -> Vec<Span<'static>> {
    if f == SettingField::Insecure {
        return verify(d.settings.insecure, flags.insecure);
    }
    let own = d.settings.text(f);
    let from_flags = flags.text(f);
    match (own.is_empty(), from_flags.is_empty()) {
        (false, _) => vec![Span::raw(shown(f, &own))],
        (true, false) => vec![
            Span::raw(shown(f, &from_flags)),
            Span::styled("  (command line)", theme::dim()),
        ],
        (true, true) => vec![Span::styled(f.default_text(), theme::dim())],
    }
}

fn verify(own: bool, flag: bool) -> Vec<Span<'static>> {
    match (own, flag) {
        (false, false) => vec![Span::raw("yes")],
        (true, _) => vec![Span::styled("NO — TLS NOT VERIFIED", theme::error())],
        (false, true) => vec![
            Span::styled("NO — TLS NOT VERIFIED", theme::error()),
            Span::styled("  (command line)", theme::dim()),
        ],
    }
}

/// Units on numbers, and a proxy's password masked.
fn shown(f: SettingField, text: &str) -> String {
    match f {
        SettingField::Timeout => format!("{text} s"),
        SettingField::Redirects if text == "0" => "do not follow (0)".into(),
        SettingField::Redirects => format!("follow up to {text}"),
        SettingField::Proxy => password_masked(text),
        _ => text.to_string(),
    }
}

/// `http://user:••••@proxy:3128`: the proxy's password is a credential like any other.
fn password_masked(proxy: &str) -> String {
    match url::Url::parse(proxy) {
        Ok(u) if u.password().is_some() => format!(
            "{}://{}:••••@{}",
            u.scheme(),
            u.username(),
            &u[url::Position::BeforeHost..]
        ),
        _ => proxy.to_string(),
    }
}

fn kept_where(app: &App) -> String {
    match app.entry().map(|e| &e.kind) {
        Some(EntryKind::File(_)) => {
            " kept in the .http file as # @timeout, # @insecure… lines when written (w)".into()
        }
        _ => " kept with this request in the session".into(),
    }
}
