//! The one table of keys: it decides what a key does, and it writes the footer and the `?`
//! help, so the help can never describe a key that does something else.

use super::app::{App, Overlay, Pane, Target};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies. Lookup tries the most specific context first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    /// Everywhere, even while typing in a field or with an overlay open.
    Always,
    /// Anywhere unless a field is being typed in or an overlay is open.
    Global,
    List,
    Editor,
    Exchange,
    Findings,
    /// Typing in a text field; other printable keys are inserted.
    Editing,
    /// Typing in the text body: Enter is a line break there, so Esc is how it ends.
    EditingBody,
    /// Typing a request's new name in the list: Esc keeps the old one.
    Renaming,
    /// Typing the file, then the name, a request is first saved under.
    SavingAs,
    Help,
    MethodPicker,
    /// The list of export targets (`x`).
    ExportPicker,
    ConfirmQuit,
    /// Quitting would drop secrets typed into drafts.
    UnsavedSecrets,
    /// The compare view is open.
    Compare,
    LessonList,
    Lesson,
    /// The watch screen (`authlens watch`), whichever of its panes has the focus.
    Watch,
    /// The watch screen's list of exchanges.
    WatchList,
    /// The watch screen's findings of the selected exchange.
    WatchFindings,
    /// The watch screen's pane of the launched program's output.
    WatchOutput,
    /// The editor while a watch runs behind it (a watched request copied to a draft).
    WatchAway,
    /// The selected request failed authentication and no API spec is loaded: discovery is
    /// on offer (`tui::spec::discover`).
    SpecOffer,
}

impl Ctx {
    pub fn title(self) -> &'static str {
        match self {
            Ctx::Always | Ctx::Global => "Anywhere",
            Ctx::List => "Request list",
            Ctx::Editor => "Request editor",
            Ctx::Exchange => "Exchange view",
            Ctx::Findings => "Findings",
            Ctx::Editing => "Typing in a field",
            Ctx::EditingBody => "Typing in the body",
            Ctx::Renaming => "Renaming a request",
            Ctx::SavingAs => "Saving a request into a .http file",
            Ctx::Help => "Help",
            Ctx::MethodPicker => "Method picker",
            Ctx::ExportPicker => "Export as code",
            Ctx::ConfirmQuit => "Quit?",
            Ctx::UnsavedSecrets => "Quit: secrets you typed are not saved",
            Ctx::Compare => "Compare view",
            Ctx::LessonList => "Lesson list",
            Ctx::Lesson => "Lesson",
            Ctx::Watch => "Watch screen",
            Ctx::WatchList => "Watch: the exchanges",
            Ctx::WatchFindings => "Watch: the findings",
            Ctx::WatchOutput => "Watch: your program's output",
            Ctx::WatchAway => "Editing a copy of a watched request",
            Ctx::SpecOffer => "After a 401, with no API spec loaded",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    CloseOverlay,
    NextPane,
    PrevPane,
    Send,
    Cancel,
    Up,
    Down,
    PrevTab,
    NextTab,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: send from the URL line, edit a row's value, open the picker…
    Activate,
    Edit,
    EditName,
    /// A file part's file name as sent.
    EditFilename,
    /// The text body's or a file part's content type.
    EditContentType,
    /// Tab while typing a file part's path.
    CompletePath,
    /// Re-indent a JSON text body.
    PrettyBody,
    AddRow,
    AddFilePart,
    DeleteRow,
    ToggleRow,
    MoveRowUp,
    MoveRowDown,
    PickMethod,
    CycleAuth,
    Reveal,
    CopyCurl,
    CopyBody,
    /// The list of targets the request can be written as code for.
    ExportAs,
    PrevHop,
    NextHop,
    Search,
    NextMatch,
    ApplyFix,
    UndoFix,
    Commit,
    CancelEdit,
    Undo,
    /// Enter in the body.
    NewLine,
    /// The cursor a line up or down in the body.
    LineUp,
    LineDown,
    ConfirmYes,
    /// At quit: write the typed secrets to `.env`, the saved drafts referring to them.
    KeepSecrets,
    /// At quit: drop the typed secrets.
    DropSecrets,
    Compare,
    Lessons,
    LoadFixed,
    LoadBroken,
    FindingLesson,
    /// A sample back to how it shipped.
    ResetSample,
    /// A blank request, selected, its URL being typed (`tui::list_actions`).
    NewRequest,
    /// The selected request's name, typed in the list.
    Rename,
    /// A copy of the selected request, right after it.
    Duplicate,
    /// Vars tab: the next client the user's own program might use.
    CycleClient,
    /// Vars tab: the next `.env` loader the user's own program might use.
    CycleLoader,
    /// Empty the session's cookie jar.
    ClearCookies,
    /// Watch: the selected request into a new draft, opened in the editor to fix and resend.
    WatchCopy,
    /// Watch: every watched exchange to a HAR file in the current directory.
    WatchExportHar,
    /// Watch: the selected exchange kept in the history (`tui::history_keep`).
    WatchKeep,
    /// Back from the editor to the watch screen.
    WatchShow,
    /// Look for the API's OpenAPI document on the origin that refused the request.
    DiscoverSpec,
    /// The selected request into a `.http` file (`tui::collection::save`).
    SaveToFile,
    /// The next environment: `.env` alone, then each of `http-client.env.json`.
    SwitchEnv,
}

/// A key: a code and the modifiers that must be held (Shift is ignored for characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key(pub KeyCode, pub KeyModifiers);

const fn ch(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::NONE)
}
const fn ctrl(c: char) -> Key {
    Key(KeyCode::Char(c), KeyModifiers::CONTROL)
}
const fn code(c: KeyCode) -> Key {
    Key(c, KeyModifiers::NONE)
}

pub struct Binding {
    pub keys: &'static [Key],
    pub ctx: Ctx,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the footer (the rest only in `?`).
    pub footer: bool,
}

const fn b(
    keys: &'static [Key],
    ctx: Ctx,
    action: Action,
    help: &'static str,
    footer: bool,
) -> Binding {
    Binding {
        keys,
        ctx,
        action,
        help,
        footer,
    }
}

use Action as A;
use KeyCode as K;

#[rustfmt::skip]
pub static BINDINGS: &[Binding] = &[
    b(&[ctrl('s')], Ctx::Always, A::Send, "send", true),
    b(&[ctrl('c')], Ctx::Always, A::Quit, "quit", false),
    b(&[ch('q')], Ctx::Global, A::Quit, "quit", true),
    b(&[ch('?')], Ctx::Global, A::Help, "help", true),
    b(&[ctrl('n')], Ctx::Global, A::NewRequest, "new request", true),
    b(&[code(K::Tab)], Ctx::Global, A::NextPane, "next pane", true),
    b(&[code(K::BackTab), Key(K::BackTab, KeyModifiers::SHIFT)], Ctx::Global, A::PrevPane, "previous pane", false),
    b(&[code(K::Esc)], Ctx::Global, A::Cancel, "cancel the request in flight", false),
    b(&[ch('c')], Ctx::Global, A::Compare, "compare slots", true),
    b(&[ch('L')], Ctx::Global, A::Lessons, "lessons", true),
    b(&[ch('F')], Ctx::Global, A::ApplyFix, "apply the selected finding's fix", true),
    b(&[ctrl('z')], Ctx::Global, A::UndoFix, "take back the last change (fix, deleted row or request…)", false),
    b(&[ch('x')], Ctx::Global, A::ExportAs, "export as code: curl, HTTPie, Python, JS, Rust, .http", false),
    b(&[ch('E')], Ctx::Global, A::SwitchEnv, "switch environment (.env, http-client.env.json)", false),
    b(&[ch('C')], Ctx::Global, A::ClearCookies, "empty the cookie jar (listed on the Vars tab)", false),
    b(&[ch('j'), code(K::Down)], Ctx::Findings, A::Down, "next finding", false),
    b(&[ch('k'), code(K::Up)], Ctx::Findings, A::Up, "previous finding", false),
    b(&[code(K::Enter)], Ctx::Findings, A::Activate, "go to the place it points at", true),
    b(&[ch('f')], Ctx::Findings, A::ApplyFix, "apply its fix", true),
    b(&[ch('L')], Ctx::Findings, A::FindingLesson, "open the lesson about it", true),
    b(&[ch('j'), code(K::Down)], Ctx::List, A::Down, "next request", false),
    b(&[ch('k'), code(K::Up)], Ctx::List, A::Up, "previous request", false),
    b(&[code(K::Enter), ch('l'), code(K::Right)], Ctx::List, A::Activate, "edit this request", true),
    b(&[ch('d')], Ctx::List, A::DeleteRow, "delete (history and yours; ^Z brings it back)", false),
    b(&[ch('R')], Ctx::List, A::ResetSample, "reset a sample to how it shipped", false),
    b(&[ch('/')], Ctx::List, A::Search, "find a request (method, URL, status, finding id)", true),
    b(&[ch('n')], Ctx::List, A::NewRequest, "new blank request (at the end)", false),
    b(&[ch('r'), code(K::F(2))], Ctx::List, A::Rename, "rename (yours)", true),
    b(&[ctrl('d')], Ctx::List, A::Duplicate, "duplicate: a copy of yours after it", true),
    b(&[ch('K')], Ctx::List, A::MoveRowUp, "move up (yours; samples and history stay)", false),
    b(&[ch('J')], Ctx::List, A::MoveRowDown, "move down (yours)", false),
    b(&[ch('w')], Ctx::List, A::SaveToFile, "save to a .http file", true),
    b(&[ch('j'), code(K::Down)], Ctx::Editor, A::Down, "next row", false),
    b(&[ch('k'), code(K::Up)], Ctx::Editor, A::Up, "previous row", false),
    b(&[ch('h'), code(K::Left)], Ctx::Editor, A::PrevTab, "previous tab", false),
    b(&[ch('l'), code(K::Right)], Ctx::Editor, A::NextTab, "next tab", true),
    b(&[code(K::Enter)], Ctx::Editor, A::Activate, "URL: send · row: edit value", true),
    b(&[ch('e'), ch('i')], Ctx::Editor, A::Edit, "edit URL / value", true),
    b(&[ch('n')], Ctx::Editor, A::EditName, "edit name", false),
    b(&[ch('N')], Ctx::Editor, A::EditFilename, "edit a file part's file name", false),
    b(&[ch('T')], Ctx::Editor, A::EditContentType, "edit the content type (body or file part)", false),
    b(&[ch('a')], Ctx::Editor, A::AddRow, "add row / part / variable", true),
    b(&[ch('f')], Ctx::Editor, A::AddFilePart, "add a file part (Body)", false),
    b(&[ch('d')], Ctx::Editor, A::DeleteRow, "delete row", false),
    b(&[ch(' ')], Ctx::Editor, A::ToggleRow, "enable/disable row", true),
    b(&[ch('K')], Ctx::Editor, A::MoveRowUp, "move row up", false),
    b(&[ch('J')], Ctx::Editor, A::MoveRowDown, "move row down", false),
    b(&[ch('m')], Ctx::Editor, A::PickMethod, "pick method", true),
    b(&[ch('w')], Ctx::Editor, A::SaveToFile, "save to a .http file", false),
    b(&[ch('t')], Ctx::Editor, A::CycleAuth, "next auth helper / body kind", false),
    b(&[ch('p')], Ctx::Editor, A::PrettyBody, "pretty-print the JSON body", false),
    b(&[ch('o')], Ctx::Editor, A::CycleClient, "Vars: your program's client (predicts what it would do)", false),
    b(&[ch('O')], Ctx::Editor, A::CycleLoader, "Vars: your program's .env loader", false),
    b(&[code(K::PageDown), ctrl('d')], Ctx::Editor, A::PageDown, "scroll down (also j past the last row)", false),
    b(&[code(K::PageUp), ctrl('u')], Ctx::Editor, A::PageUp, "scroll up", false),
    b(&[ch('j'), code(K::Down)], Ctx::Exchange, A::Down, "scroll down", false),
    b(&[ch('k'), code(K::Up)], Ctx::Exchange, A::Up, "scroll up", false),
    b(&[code(K::PageDown), ctrl('d')], Ctx::Exchange, A::PageDown, "page down", false),
    b(&[code(K::PageUp), ctrl('u')], Ctx::Exchange, A::PageUp, "page up", false),
    b(&[ch('g'), code(K::Home)], Ctx::Exchange, A::Top, "top", false),
    b(&[ch('G'), code(K::End)], Ctx::Exchange, A::Bottom, "bottom", false),
    b(&[ch('['), ch('h'), code(K::Left)], Ctx::Exchange, A::PrevHop, "previous hop", false),
    b(&[ch(']'), ch('l'), code(K::Right)], Ctx::Exchange, A::NextHop, "next hop", true),
    b(&[ch('r')], Ctx::Exchange, A::Reveal, "reveal secrets (until you leave)", true),
    b(&[ch('/')], Ctx::Exchange, A::Search, "search the body", true),
    b(&[ch('n')], Ctx::Exchange, A::NextMatch, "next match", false),
    b(&[ch('y')], Ctx::Exchange, A::CopyCurl, "copy as curl (x: other targets)", true),
    b(&[ch('Y')], Ctx::Exchange, A::CopyBody, "copy body", false),
    b(&[code(K::Enter)], Ctx::Editing, A::Commit, "done · name → value · URL: send · /: find", true),
    b(&[code(K::Esc)], Ctx::Editing, A::CancelEdit, "done", true),
    b(&[ctrl('z')], Ctx::Editing, A::Undo, "undo", true),
    b(&[code(K::Tab)], Ctx::Editing, A::CompletePath, "complete a file part's path", false),
    b(&[code(K::Enter)], Ctx::Renaming, A::Commit, "rename", true),
    b(&[code(K::Esc)], Ctx::Renaming, A::CancelEdit, "cancel: keep the old name", true),
    b(&[ctrl('z')], Ctx::Renaming, A::Undo, "undo", false),
    b(&[code(K::Enter)], Ctx::SavingAs, A::Commit, "next · save", true),
    b(&[code(K::Esc)], Ctx::SavingAs, A::CancelEdit, "cancel: nothing is written", true),
    b(&[ctrl('z')], Ctx::SavingAs, A::Undo, "undo", false),
    b(&[code(K::Enter)], Ctx::EditingBody, A::NewLine, "new line", true),
    b(&[code(K::Esc)], Ctx::EditingBody, A::CancelEdit, "done with the body", true),
    b(&[ctrl('z')], Ctx::EditingBody, A::Undo, "undo", true),
    b(&[code(K::Up)], Ctx::EditingBody, A::LineUp, "line up (same column)", false),
    b(&[code(K::Down)], Ctx::EditingBody, A::LineDown, "line down (same column)", false),
    b(&[code(K::Esc), ch('q'), ch('?')], Ctx::Help, A::CloseOverlay, "close help", true),
    b(&[ch('j'), code(K::Down)], Ctx::Help, A::Down, "scroll", false),
    b(&[ch('k'), code(K::Up)], Ctx::Help, A::Up, "scroll", false),
    b(&[ch('j'), code(K::Down)], Ctx::MethodPicker, A::Down, "next", false),
    b(&[ch('k'), code(K::Up)], Ctx::MethodPicker, A::Up, "previous", false),
    b(&[code(K::Enter)], Ctx::MethodPicker, A::Activate, "choose", true),
    b(&[code(K::Esc)], Ctx::MethodPicker, A::CloseOverlay, "close", true),
    b(&[ch('j'), code(K::Down)], Ctx::ExportPicker, A::Down, "next target", false),
    b(&[ch('k'), code(K::Up)], Ctx::ExportPicker, A::Up, "previous target", false),
    b(&[code(K::Enter), ch('y')], Ctx::ExportPicker, A::Activate, "copy the code", true),
    b(&[code(K::Esc), ch('q')], Ctx::ExportPicker, A::CloseOverlay, "close", true),
    b(&[code(K::Esc), ch('q')], Ctx::Compare, A::CloseOverlay, "close (cancels a running compare)", true),
    b(&[ch('j'), code(K::Down)], Ctx::Compare, A::Down, "scroll", true),
    b(&[ch('k'), code(K::Up)], Ctx::Compare, A::Up, "scroll", false),
    b(&[ch('j'), code(K::Down)], Ctx::LessonList, A::Down, "next lesson", false),
    b(&[ch('k'), code(K::Up)], Ctx::LessonList, A::Up, "previous lesson", false),
    b(&[code(K::Enter)], Ctx::LessonList, A::Activate, "open: its broken request is loaded", true),
    b(&[code(K::Esc), ch('q')], Ctx::LessonList, A::CloseOverlay, "close", true),
    b(&[code(K::Esc), ch('q')], Ctx::Lesson, A::CloseOverlay, "back to the request (^S sends)", true),
    b(&[ch('j'), code(K::Down)], Ctx::Lesson, A::Down, "scroll", false),
    b(&[ch('k'), code(K::Up)], Ctx::Lesson, A::Up, "scroll", false),
    b(&[ch('f')], Ctx::Lesson, A::LoadFixed, "load the fixed request", true),
    b(&[ch('b')], Ctx::Lesson, A::LoadBroken, "load the broken request", true),
    b(&[ch('y'), code(K::Enter)], Ctx::ConfirmQuit, A::ConfirmYes, "quit, dropping the request", true),
    b(&[ch('n'), code(K::Esc)], Ctx::ConfirmQuit, A::CloseOverlay, "stay", true),
    b(&[ch('w')], Ctx::UnsavedSecrets, A::KeepSecrets, "write them to .env, then quit", true),
    b(&[ch('d')], Ctx::UnsavedSecrets, A::DropSecrets, "drop them and quit", true),
    b(&[code(K::Esc)], Ctx::UnsavedSecrets, A::CloseOverlay, "stay", true),
    b(&[ch('e')], Ctx::Watch, A::WatchCopy, "edit a copy & resend", true),
    b(&[ch('H')], Ctx::Watch, A::WatchExportHar, "export HAR", true),
    b(&[ch('s')], Ctx::Watch, A::WatchKeep, "keep in history", true),
    b(&[ch('q'), ctrl('c')], Ctx::Watch, A::Quit, "quit", true),
    b(&[ch('?')], Ctx::Watch, A::Help, "help", true),
    b(&[code(K::Tab)], Ctx::Watch, A::NextPane, "next pane", true),
    b(&[code(K::BackTab), Key(K::BackTab, KeyModifiers::SHIFT)], Ctx::Watch, A::PrevPane, "previous pane", false),
    b(&[ch('j'), code(K::Down)], Ctx::WatchList, A::Down, "next exchange", false),
    b(&[ch('k'), code(K::Up)], Ctx::WatchList, A::Up, "previous exchange", false),
    b(&[code(K::PageDown), ctrl('d')], Ctx::WatchList, A::PageDown, "page down", false),
    b(&[code(K::PageUp), ctrl('u')], Ctx::WatchList, A::PageUp, "page up", false),
    b(&[ch('g'), code(K::Home)], Ctx::WatchList, A::Top, "first exchange", false),
    b(&[ch('G'), code(K::End)], Ctx::WatchList, A::Bottom, "follow the newest", true),
    b(&[code(K::Enter)], Ctx::WatchList, A::Activate, "read the exchange", false),
    b(&[ch('j'), code(K::Down)], Ctx::WatchFindings, A::Down, "next finding", false),
    b(&[ch('k'), code(K::Up)], Ctx::WatchFindings, A::Up, "previous finding", false),
    b(&[code(K::Enter)], Ctx::WatchFindings, A::Activate, "show the place of the response", true),
    b(&[ch('j'), code(K::Down)], Ctx::WatchOutput, A::Down, "scroll down", false),
    b(&[ch('k'), code(K::Up)], Ctx::WatchOutput, A::Up, "scroll up", false),
    b(&[ch('g'), code(K::Home)], Ctx::WatchOutput, A::Top, "oldest line", false),
    b(&[ch('G'), code(K::End)], Ctx::WatchOutput, A::Bottom, "newest line, and follow", true),
    b(&[ch('W')], Ctx::WatchAway, A::WatchShow, "back to the watch", true),
    b(&[ch('D')], Ctx::SpecOffer, A::DiscoverSpec, "find the API's spec (GETs, no credentials)", true),
];

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    let mods = ev.modifiers - KeyModifiers::SHIFT;
    let want = key.1 - KeyModifiers::SHIFT;
    let code_eq = match (key.0, ev.code) {
        (K::Char(a), K::Char(b)) => {
            a == b || (want.contains(KeyModifiers::CONTROL) && a.eq_ignore_ascii_case(&b))
        }
        (a, b) => a == b,
    };
    code_eq && mods == want
}

/// The key contexts in force, most specific first.
pub fn contexts(app: &App) -> Vec<Ctx> {
    match (&app.overlay, &app.editing) {
        (Some(Overlay::Help { .. }), _) => vec![Ctx::Help, Ctx::Always],
        (Some(Overlay::Lessons { .. }), _) => vec![Ctx::LessonList, Ctx::Always],
        (Some(Overlay::Lesson { .. }), _) => vec![Ctx::Lesson, Ctx::Always],
        (Some(Overlay::MethodPicker { .. }), _) => vec![Ctx::MethodPicker, Ctx::Always],
        (Some(Overlay::Export(_)), _) => vec![Ctx::ExportPicker, Ctx::Always],
        (Some(Overlay::ConfirmQuit), _) => vec![Ctx::ConfirmQuit, Ctx::Always],
        (Some(Overlay::UnsavedSecrets(_)), _) => vec![Ctx::UnsavedSecrets, Ctx::Always],
        (None, Some(e)) if e.target == Target::EntryName => vec![Ctx::Renaming, Ctx::Always],
        (None, Some(e)) if e.target == Target::SaveAs => vec![Ctx::SavingAs, Ctx::Always],
        (None, Some(e)) if e.input.multiline => vec![Ctx::EditingBody, Ctx::Always],
        (None, Some(_)) => vec![Ctx::Editing, Ctx::Always],
        (None, _) if app.watch.as_ref().is_some_and(|w| w.shown) => {
            super::watch::keys::contexts(app)
        }
        (None, None) if app.compare.is_some() => vec![Ctx::Compare, Ctx::Always],
        (None, None) => {
            let mut ctxs = vec![pane_ctx(app.focus)];
            if app.watch.is_some() {
                ctxs.push(Ctx::WatchAway);
            }
            if super::spec::discover::offer(app).is_some() {
                ctxs.push(Ctx::SpecOffer);
            }
            ctxs.extend([Ctx::Global, Ctx::Always]);
            ctxs
        }
    }
}

fn pane_ctx(pane: Pane) -> Ctx {
    match pane {
        Pane::List => Ctx::List,
        Pane::Editor => Ctx::Editor,
        Pane::Findings => Ctx::Findings,
        Pane::Exchange => Ctx::Exchange,
    }
}

/// What `ev` does in the given contexts, most specific first.
pub fn lookup(contexts: &[Ctx], ev: &KeyEvent) -> Option<Action> {
    lookup_in(contexts, ev).map(|(_, a)| a)
}

/// `lookup`, with the context the binding belongs to: the watch screen hands the keys of the
/// exchange pane to the exchange view it shows (`tui::watch::keys`).
pub fn lookup_in(contexts: &[Ctx], ev: &KeyEvent) -> Option<(Ctx, Action)> {
    contexts.iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .filter(|b| b.ctx == *ctx)
            .find(|b| b.keys.iter().any(|k| matches(k, ev)))
            .map(|b| (*ctx, b.action))
    })
}

pub fn key_label(k: &Key) -> String {
    let base = match k.0 {
        K::Char(' ') => "Space".to_string(),
        K::Char(c) => c.to_string(),
        K::Enter => "Enter".into(),
        K::Esc => "Esc".into(),
        K::Tab => "Tab".into(),
        K::BackTab => "Shift+Tab".into(),
        K::Up => "↑".into(),
        K::Down => "↓".into(),
        K::Left => "←".into(),
        K::Right => "→".into(),
        K::PageUp => "PgUp".into(),
        K::PageDown => "PgDn".into(),
        K::Home => "Home".into(),
        K::End => "End".into(),
        K::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if k.1.contains(KeyModifiers::CONTROL) {
        format!("^{}", base.to_uppercase())
    } else {
        base
    }
}

/// `j/↓`: every key of a binding, deduplicated (Shift+Tab is listed once).
pub fn keys_label(b: &Binding) -> String {
    let mut labels: Vec<String> = Vec::new();
    for k in b.keys {
        let l = key_label(k);
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    labels.join("/")
}

/// The footer for these contexts: bindings marked for it, most specific context first.
pub fn footer(contexts: &[Ctx]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    // Send, quit and help first, so even a narrow footer shows how to learn the rest.
    // The way back to a watch is as needed as quit: it comes first too, and so does the
    // offer to find the API's spec, which is there only while it applies.
    let rank = |c: &Ctx| match c {
        Ctx::Always | Ctx::WatchAway | Ctx::SpecOffer => 0,
        Ctx::Global => 1,
        _ => 2,
    };
    let mut ordered: Vec<&Ctx> = contexts.iter().collect();
    ordered.sort_by_key(|c| rank(c));
    for ctx in ordered {
        for b in BINDINGS.iter().filter(|b| b.ctx == *ctx && b.footer) {
            if !out.iter().any(|(_, h)| *h == b.help) {
                out.push((key_label(&b.keys[0]), b.help));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn specific_context_wins_and_always_applies_while_typing() {
        let j = ev(K::Char('j'), KeyModifiers::NONE);
        assert_eq!(lookup(&[Ctx::List, Ctx::Global], &j), Some(A::Down));
        assert_eq!(lookup(&[Ctx::Editing, Ctx::Always], &j), None);
        let s = ev(K::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&[Ctx::Editing, Ctx::Always], &s), Some(A::Send));
        let shift_j = ev(K::Char('J'), KeyModifiers::SHIFT);
        assert_eq!(
            lookup(&[Ctx::Editor, Ctx::Global], &shift_j),
            Some(A::MoveRowDown)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let clash = a.ctx == b.ctx && a.keys.iter().any(|k| b.keys.contains(k));
                assert!(!clash, "{:?} bound twice in {:?}", a.keys, a.ctx);
            }
        }
    }

    #[test]
    fn footer_lists_send_and_help() {
        let f = footer(&[Ctx::Editor, Ctx::Global, Ctx::Always]);
        assert!(f.iter().any(|(k, h)| k == "^S" && *h == "send"));
        assert!(f.iter().any(|(k, _)| k == "?"));
    }
}
