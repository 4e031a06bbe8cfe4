//! Reading `.env` files the way dotenvy does, while remembering which file and line each value
//! came from — the answer to "my notebook did not load `.env`".
//!
//! Values come from dotenvy's own parser (`from_read_iter`), so quoting, escapes, comments and
//! `$VAR` substitution behave exactly as in a Rust program that calls `dotenvy::dotenv()`.
//! Nothing here sets process variables: authlens only reports what a loader would do.

use std::io;
use std::path::{Path, PathBuf};

/// Where authlens looked for `.env`, and what it found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DotenvReport {
    /// Every path checked, in order; the search stops at the first that exists.
    pub searched: Vec<PathBuf>,
    pub files: Vec<DotenvFile>,
    /// True when the files were named with `--env-file` rather than found by the search.
    pub explicit: bool,
}

impl DotenvReport {
    /// The first parse or read error in any file, which `send` refuses to go past.
    pub fn first_error(&self) -> Option<&DotenvError> {
        self.files.iter().find_map(|f| f.error.as_ref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvFile {
    pub path: PathBuf,
    /// Entries in file order, duplicates included (with dotenvy, the first one wins).
    pub entries: Vec<DotenvEntry>,
    /// The file began with a UTF-8 byte order mark (dotenvy ≥ 0.15.6 skips it).
    pub bom: bool,
    /// dotenvy stops at the first bad line: keys after it are never set.
    pub error: Option<DotenvError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvEntry {
    pub key: String,
    pub value: String,
    /// 1-based line where the key is written.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    pub path: PathBuf,
    /// 1-based line of the problem (0 when the file could not be read at all).
    pub line: usize,
    pub message: String,
}

/// `path:line: message`, or `path: message` when the file could not be read at all.
impl std::fmt::Display for DotenvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.path.display(), self.message),
            n => write!(f, "{}:{n}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for DotenvError {}

/// The largest `.env` read. Real ones are a few KiB; a file far larger is not a `.env` the
/// user meant, and reading it whole would hold it in memory several times over.
pub const MAX_DOTENV: u64 = 1024 * 1024;

/// dotenvy's default search: `.env` in `start`, then in each parent, stopping at the first.
pub fn search(start: &Path) -> DotenvReport {
    let mut report = DotenvReport::default();
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(".env");
        report.searched.push(candidate.clone());
        if candidate.is_file() {
            report.files.push(load_file(&candidate));
            break;
        }
        dir = d.parent();
    }
    report
}

/// `--env-file` paths, loaded in order; like calling `dotenvy::from_path` for each.
pub fn explicit(paths: &[PathBuf]) -> DotenvReport {
    let files = paths.iter().map(|p| load_file(p)).collect();
    DotenvReport {
        searched: paths.to_vec(),
        files,
        explicit: true,
    }
}

pub fn load_file(path: &Path) -> DotenvFile {
    match read_capped(path) {
        Ok(bytes) => parse_bytes(path, &bytes),
        Err(message) => DotenvFile {
            path: path.to_path_buf(),
            entries: Vec::new(),
            bom: false,
            error: Some(DotenvError {
                path: path.to_path_buf(),
                line: 0,
                message,
            }),
        },
    }
}

/// The file's bytes, or why they were not read: an I/O error, or more than [`MAX_DOTENV`].
fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| io_message(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_DOTENV + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_message(&e))?;
    if bytes.len() as u64 > MAX_DOTENV {
        return Err(format!(
            "is larger than {} KiB; authlens reads .env files up to that size",
            MAX_DOTENV / 1024
        ));
    }
    Ok(bytes)
}

fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Parses `.env` bytes with dotenvy, attributing each entry to its line.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> DotenvFile {
    let bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    let body = if bom { &bytes[3..] } else { bytes };
    let text = String::from_utf8_lossy(body);
    let mut file = DotenvFile {
        path: path.to_path_buf(),
        entries: Vec::new(),
        bom,
        error: None,
    };
    let mut from_line = 1;
    for item in dotenvy::from_read_iter(body) {
        match item {
            Ok((key, value)) => {
                let line = key_line(&text, &key, from_line).unwrap_or(from_line);
                from_line = line + 1;
                file.entries.push(DotenvEntry { key, value, line });
            }
            Err(e) => {
                file.error = Some(parse_error(path, &text, from_line, &e));
                break;
            }
        }
    }
    file
}

/// The first line at or after `from` that assigns `key` (`KEY=`, `export KEY =`).
fn key_line(text: &str, key: &str, from: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from - 1)
        .find_map(|(i, line)| {
            let l = line.trim_start();
            let l = l.strip_prefix("export ").map(str::trim_start).unwrap_or(l);
            let rest = l.strip_prefix(key)?;
            rest.trim_start().starts_with('=').then_some(i + 1)
        })
}

/// dotenvy reports the offending line's text and a column; turn that into a line number.
fn parse_error(path: &Path, text: &str, from_line: usize, e: &dotenvy::Error) -> DotenvError {
    let (line, message) = match e {
        dotenvy::Error::LineParse(bad, column) => {
            let line = text
                .lines()
                .enumerate()
                .skip(from_line - 1)
                .find(|(_, l)| bad.starts_with(l.trim_end()) && !l.trim().is_empty())
                .map_or(from_line, |(i, _)| i + 1);
            (
                line,
                format!(
                    "cannot parse this line (dotenvy stops here; later keys are not loaded), at column {}",
                    column + 1
                ),
            )
        }
        other => (from_line, other.to_string()),
    };
    DotenvError {
        path: path.to_path_buf(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> DotenvFile {
        parse_bytes(Path::new("/p/.env"), text.as_bytes())
    }

    #[test]
    fn entries_carry_their_line_and_dotenvy_values() {
        let f =
            parse("# comment\n\nAPI_KEY=EXAMPLE-one # note\nexport OTHER = 'x y'\nQ=\"a\\nb\"\n");
        let got: Vec<_> = f
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str(), e.line))
            .collect();
        assert_eq!(
            got,
            [
                ("API_KEY", "EXAMPLE-one", 3),
                ("OTHER", "x y", 4),
                ("Q", "a\nb", 5)
            ]
        );
        assert!(f.error.is_none());
    }

    #[test]
    fn a_bad_line_stops_loading_and_names_its_line() {
        let f = parse("A=1\nB=my uncool value\nC=3\n");
        assert_eq!(f.entries.len(), 1);
        let err = f.error.unwrap();
        assert_eq!(err.line, 2);
        assert_eq!(err.to_string().split(':').next(), Some("/p/.env"));
    }

    #[test]
    fn bom_is_skipped_and_remembered() {
        let f = parse_bytes(Path::new(".env"), b"\xEF\xBB\xBFAPI_KEY=EXAMPLE\n");
        assert!(f.bom);
        assert_eq!(f.entries[0].key, "API_KEY");
    }

    #[test]
    fn duplicate_keys_are_all_kept_in_order() {
        let f = parse("K=first\nK=second\n");
        assert_eq!(f.entries.iter().map(|e| e.line).collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn search_walks_up_and_records_each_candidate() {
        let root = std::env::temp_dir().join(format!("authlens-dotenv-{}", std::process::id()));
        let child = root.join("a/b");
        std::fs::create_dir_all(&child).unwrap();
        std::fs::write(root.join(".env"), "K=EXAMPLE\n").unwrap();
        let r = search(&child);
        assert_eq!(
            r.searched,
            [child.join(".env"), root.join("a/.env"), root.join(".env")]
        );
        assert_eq!(r.files[0].entries[0].value, "EXAMPLE");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn explicit_files_replace_the_search_and_a_missing_one_is_an_error() {
        let dir = std::env::temp_dir().join(format!("authlens-envfiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (a, b) = (dir.join("a.env"), dir.join("b.env"));
        std::fs::write(&a, "K=from-a\n").unwrap();
        std::fs::write(&b, "K=from-b\nONLY_B=1\n").unwrap();
        let r = explicit(&[a.clone(), b.clone()]);
        assert!(r.explicit && r.first_error().is_none());
        let vars = crate::vars::Vars::build(&[], [], r);
        assert_eq!(
            vars.value("K").as_deref(),
            Some("from-a"),
            "like two dotenvy::from_path calls: first wins"
        );
        assert_eq!(vars.value("ONLY_B").as_deref(), Some("1"));
        let missing = explicit(&[dir.join("nope.env")]);
        let e = missing.first_error().unwrap();
        assert_eq!(e.message, "no such file");
        assert_eq!(
            e.to_string(),
            format!("{}: no such file", dir.join("nope.env").display())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_larger_than_any_env_is_refused_by_name_not_read_whole() {
        let dir = std::env::temp_dir().join(format!("authlens-bigenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("huge.env");
        let line = "K=EXAMPLE-FAKE-VALUE-0000000000000000000000000000000000000000000000\n";
        std::fs::write(&big, line.repeat((MAX_DOTENV as usize / line.len()) + 2)).unwrap();
        let f = load_file(&big);
        let e = f.error.expect("refused");
        assert!(f.entries.is_empty());
        assert!(
            e.to_string()
                .starts_with(&format!("{}: is larger than 1024 KiB", big.display())),
            "{e}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
