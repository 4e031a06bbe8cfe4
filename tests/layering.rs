//! The core must never know about the terminal or the shells around it (DESIGN §2): this
//! fails the build's tests if a core module imports ratatui, crossterm, the TUI or the CLI.

use std::path::Path;

const CORE: [&str; 12] = [
    "draft.rs",
    "compare.rs",
    "dates.rs",
    "lessons",
    "machine.rs",
    "vars",
    "send",
    "rules",
    "formats",
    "practice",
    "secret.rs",
    "tls.rs",
];
const FORBIDDEN: [&str; 6] = [
    "ratatui",
    "crossterm",
    "crate::tui",
    "super::tui",
    "crate::cli",
    "super::cli",
];

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn core_modules_do_not_import_terminal_code() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for m in CORE {
        rust_files(&src.join(m), &mut files);
    }
    assert!(
        files.len() >= 10,
        "the core modules were not found under {}",
        src.display()
    );
    let mut offenders = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if FORBIDDEN.iter().any(|w| code.contains(w)) {
                offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "core modules import terminal code:\n{}",
        offenders.join("\n")
    );
}
