//! The layers of `docs/ARCHITECTURE.md`, enforced: a top-level module may import only modules
//! of its own layer and the layers below, except the pairs kept apart on purpose, and only the
//! TUI may use the terminal crates. A new top-level module fails this test until it is given a
//! layer here and in the document.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Lowest first. Each row is one layer.
const LAYERS: &[&[&str]] = &[
    &[
        "dates", "tls", "tee", "draft", "exchange", "url_text", "data_dir", "ca",
    ],
    &["vars", "secret", "masked", "cookies"],
    &["formats", "spec"],
    &["send", "rules"],
    &["practice", "live_context", "slots", "flags", "watch"],
    &["lessons"],
    &["tui"],
    &["cli"],
];

/// Same-layer pairs that must not import each other, in either direction.
const APART: &[(&str, &str)] = &[("send", "rules")];

/// External crates only these modules may name.
const TERMINAL_CRATES: &[&str] = &["ratatui", "crossterm"];
const TERMINAL_OWNERS: &[&str] = &["tui"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Whether `from` may import `to`, with the reason when it may not.
fn allowed(from: &str, to: &str) -> Result<(), String> {
    if from == to {
        return Ok(());
    }
    let (Some(a), Some(b)) = (layer_of(from), layer_of(to)) else {
        return Err(format!("`{from}` or `{to}` has no layer in the table"));
    };
    if b > a {
        return Err(format!(
            "`{from}` (layer {a}) imports `{to}` (layer {b}, above)"
        ));
    }
    if APART.contains(&(from, to)) || APART.contains(&(to, from)) {
        return Err(format!("`{from}` and `{to}` are kept apart"));
    }
    Ok(())
}

/// The module path of a file under `src/`: `rules/mod.rs` → `[rules]`, `rules/x.rs` →
/// `[rules, x]`, `compare.rs` → `[compare]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The top-level modules a line of code names: `crate::x`, `crate::{x, y}`, and `super::`
/// chains that climb to the crate root.
fn imports(code: &str, path: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let is_ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        if !code.is_char_boundary(i) || (i > 0 && (is_ident(b[i - 1]) || b[i - 1] == b':')) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let (climbed, after) = if let Some(r) = rest.strip_prefix("crate::") {
            (path.len(), r)
        } else if rest.starts_with("super::") {
            let mut r = rest;
            let mut n = 0;
            while let Some(next) = r.strip_prefix("super::") {
                r = next;
                n += 1;
            }
            (n, r)
        } else {
            i += 1;
            continue;
        };
        // A `super::` chain that stays inside the module is not a top-level import; a file's
        // own module is `path`, so `n` climbs reach the root when `n == path.len()`.
        if climbed >= path.len() {
            if let Some(group) = after.strip_prefix('{') {
                // Only the group's top level names modules: `{a::{b, c}, d}` is `a` and `d`.
                let (mut depth, mut top) = (0, String::new());
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        _ if depth == 0 => top.push(c),
                        _ => {}
                    }
                }
                for item in top.split(',') {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            } else {
                let name: String = after
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.push(name);
                }
            }
        }
        i += 1;
    }
    out
}

/// `mod tests {` → `tests`; `mod x;` and anything else → `None`.
fn inline_module(code: &str) -> Option<String> {
    let t = code.trim_start();
    let t = t.strip_prefix("pub ").unwrap_or(t);
    let rest = t.strip_prefix("mod ")?;
    let (name, tail) = rest.split_once(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    tail.trim_start().starts_with('{').then(|| name.to_string())
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

/// Every edge in the source that the table forbids, as `file:line: reason`.
fn offences(src: &Path) -> (Vec<String>, BTreeSet<String>) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut out = Vec::new();
    let mut modules = BTreeSet::new();
    for f in &files {
        let mut path = module_path(src, f);
        let Some(top) = path.first().cloned() else {
            continue;
        };
        if top == "lib" || top == "main" {
            continue;
        }
        modules.insert(top.clone());
        let text = std::fs::read_to_string(f).unwrap();
        code_lines(&text, &mut path, |n, code, path| {
            let at = format!("{}:{}", f.display(), n + 1);
            for to in imports(code, path) {
                if let Err(why) = allowed(&top, &to) {
                    out.push(format!("{at}: {why}"));
                }
            }
            if !TERMINAL_OWNERS.contains(&top.as_str()) {
                for c in TERMINAL_CRATES {
                    if code.contains(&format!("{c}::")) {
                        out.push(format!("{at}: `{top}` uses the terminal crate {c}"));
                    }
                }
            }
        });
    }
    (out, modules)
}

/// Calls `each` with every line of code (comments cut, a multi-line `use …::{…}` joined into
/// one) and the module path it is in: an inline module (in practice the trailing
/// `mod tests {`) is one level deeper for `super::` from there to the end of the file.
fn code_lines(text: &str, path: &mut Vec<String>, mut each: impl FnMut(usize, &str, &[String])) {
    let mut pending = String::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        // rustfmt writes a long `use crate::{…};` over several lines: read it as one.
        let joined;
        let code = if !pending.is_empty() || (code.contains("::{") && !code.contains('}')) {
            pending.push_str(code);
            if !code.contains('}') {
                continue;
            }
            joined = std::mem::take(&mut pending);
            joined.as_str()
        } else {
            code
        };
        if let Some(name) = inline_module(code) {
            path.push(name);
        }
        each(n, code, path);
    }
}

/// Inside the TUI only these may name its view, `tui::ui`: the view itself and the runtime
/// that draws frames. Controllers page, scroll and hit-test with what the last frame
/// measured (`App::drawn`), never by asking the view.
const VIEW_USERS: &[&str] = &["ui", "runtime"];

/// Every file under `src/tui/` outside `VIEW_USERS` (and `tui/mod.rs`, which declares the
/// modules) that names `ui`, as `file:line`.
fn view_offences(src: &Path) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&src.join("tui"), &mut files);
    let mut out = Vec::new();
    for f in &files {
        let path = module_path(src, f);
        if path.len() < 2 || VIEW_USERS.contains(&path[1].as_str()) {
            continue;
        }
        // Inside the TUI, `tui` plays the crate root: `crate::tui::ui` is `ui` from there.
        let mut inner: Vec<String> = path[1..].to_vec();
        let text = std::fs::read_to_string(f)
            .unwrap()
            .replace("crate::tui::", "crate::");
        code_lines(&text, &mut inner, |n, code, p| {
            if imports(code, p).iter().any(|m| m == "ui") {
                out.push(format!(
                    "{}:{}: a controller names the view",
                    f.display(),
                    n + 1
                ));
            }
        });
    }
    out
}

#[test]
fn tui_controllers_read_measurements_not_the_view() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let offences = view_offences(&src);
    assert!(offences.is_empty(), "{}", offences.join("\n"));
    // The reading sees every spelling a controller could use.
    let at = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        imports("super::ui::layout::areas(app)", &at(&["update"])),
        ["ui"]
    );
    assert_eq!(
        imports("use super::super::ui;", &at(&["app", "drawn"])),
        ["ui"]
    );
    assert_eq!(
        imports("use crate::{app::App, ui};", &at(&["findings"])),
        ["app", "ui"]
    );
}

#[test]
fn every_import_follows_the_layer_table() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (offences, modules) = offences(&src);
    assert!(
        modules.len() >= 15,
        "the modules were not found under {}",
        src.display()
    );
    let unplaced: Vec<_> = modules.iter().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "modules with no layer in the table: {unplaced:?}"
    );
    assert!(
        offences.is_empty(),
        "imports outside the layer table:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_table_forbids_what_it_should() {
    assert!(allowed("rules", "draft").is_ok());
    assert!(allowed("cli", "tui").is_ok());
    assert!(allowed("rules", "send").is_err());
    assert!(allowed("send", "rules").is_err());
    assert!(allowed("tui", "cli").is_err());
    assert!(allowed("formats", "rules").is_err());
    assert!(allowed("draft", "vars").is_err());
    assert!(allowed("rules", "nowhere").is_err());
}

#[test]
fn imports_are_read_in_every_spelling() {
    let at = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        imports("use crate::send::Exchange;", &at(&["rules"])),
        ["send"]
    );
    assert_eq!(
        imports("use crate::{send::x, vars};", &at(&["rules", "case"])),
        ["send", "vars"]
    );
    assert_eq!(
        imports("use crate::{a::{b, c}, d};", &at(&["rules"])),
        ["a", "d"]
    );
    // From `rules/case.rs`, one `super::` is `rules`, two reach the root.
    assert!(imports("use super::finding::Finding;", &at(&["rules", "case"])).is_empty());
    assert_eq!(
        imports("use super::super::tui::App;", &at(&["rules", "case"])),
        ["tui"]
    );
    // From `compare.rs`, `super::` is the root already.
    assert_eq!(imports("super::cli::run()", &at(&["compare"])), ["cli"]);
    assert!(imports("let x = my_crate::y;", &at(&["rules"])).is_empty());
}
