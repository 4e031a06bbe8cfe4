//! What quitting would drop, and keeping it: secrets typed into the user's drafts, which the
//! session file leaves out (`session::scrub`), written on request (`w` at quit) to the `.env`
//! the next run reads, under names the saved drafts then refer to.
//!
//! `find`, `job` and `renames` are pure (`update` calls them). `write_env` and `git_state` do
//! I/O and run on the runtime's blocking threads, answering `Msg::EnvWritten` and
//! `Msg::EnvGit`.

use super::app::{App, EntryKind, EnvSnapshot};
use super::session::{self, Left};
use crate::vars::dotenv;
use std::path::{Path, PathBuf};

/// A secret quitting would drop: where it was typed, and what stands in its place on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lost {
    pub entry: usize,
    pub entry_name: String,
    pub left: Left,
    /// Names its `.env` variable must not take: the restored draft's own request variables
    /// (a sample's get theirs back), which would shadow it.
    pub avoid: Vec<String>,
}

/// The secrets typed into the user's drafts (the samples and yours; the history and a
/// lesson's request are not saved at all) that the session file would leave out. A sample's
/// variable as it shipped is not lost: the next run has it again.
pub fn find(app: &App) -> Vec<Lost> {
    let mut lost = Vec::new();
    for (i, e) in app.entries.iter().enumerate() {
        let shipped = match e.kind {
            EntryKind::Yours => None,
            EntryKind::Sample => e
                .sample_id
                .as_deref()
                .and_then(|id| super::samples::pristine(id, &e.draft)),
            // A file's request edited and not saved is kept in the session, as yours are.
            EntryKind::File(r) if super::collection::edited(&app.collection, r, &e.draft) => None,
            // Otherwise it is the file's: not kept in the session.
            EntryKind::History | EntryKind::Lesson | EntryKind::Watched | EntryKind::File(_) => {
                continue;
            }
        };
        let (saved, left) = session::scrub_noting(&e.draft);
        let shipped_vars = shipped.map(|d| d.vars).unwrap_or_default();
        let mut avoid: Vec<String> = saved.vars.iter().map(|(n, _)| n.clone()).collect();
        avoid.extend(shipped_vars.iter().map(|(n, _)| n.clone()));
        for l in left {
            let as_shipped = l.variable
                && shipped_vars.iter().any(|(n, v)| {
                    *n == l.reference
                        && (*v == l.value || practice_token(v) && practice_token(&l.value))
                });
            if !as_shipped {
                lost.push(Lost {
                    entry: i,
                    entry_name: super::names::base(e),
                    left: l,
                    avoid: avoid.clone(),
                });
            }
        }
    }
    lost
}

/// A JWT the practice server signed: a sample's token, minted afresh (with this second's
/// times) by every run, so one minted earlier is still "as shipped".
fn practice_token(v: &str) -> bool {
    use crate::practice::jwt::{JwtError, now, verify};
    !matches!(
        verify(v, now()),
        Err(JwtError::Malformed(_) | JwtError::Algorithm(_) | JwtError::Signature)
    )
}

/// The `.env` `w` writes to: the one the next run started here reads — the first found from
/// the working directory up, else a new one in the working directory. (Creating one in the
/// working directory while a parent's is in use would hide the parent's from the next run.)
/// With `--env-file`, the working directory's.
pub fn dotenv_path(env: &EnvSnapshot) -> Option<PathBuf> {
    if !env.dotenv.explicit {
        if let Some(f) = env.dotenv.files.first() {
            return Some(f.path.clone());
        }
        if let Some(first) = env.dotenv.searched.first() {
            return Some(first.clone());
        }
    }
    env.rules.cwd.as_ref().map(|d| Path::new(d).join(".env"))
}

/// `w`'s work for the runtime: the secrets to write, one per name and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvWrite {
    pub path: PathBuf,
    pub wanted: Vec<Wanted>,
    /// The process variables the next run would see before `.env` under the names wanted
    /// (or their numbered variants): a name exported with another value is not taken.
    pub process: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    /// The name asked for: a credential variable's own, or the reference's without
    /// `AUTHLENS_UNSAVED_`.
    pub name: String,
    pub value: String,
    pub avoid: Vec<String>,
}

pub fn job(app: &App, lost: &[Lost], path: PathBuf) -> EnvWrite {
    let mut wanted: Vec<Wanted> = Vec::new();
    for l in lost {
        let name = env_name(&l.left.reference);
        match wanted
            .iter_mut()
            .find(|w| w.name == name && w.value == l.left.value)
        {
            Some(w) => w.avoid.extend(l.avoid.iter().cloned()),
            None => wanted.push(Wanted {
                name,
                value: l.left.value.clone(),
                avoid: l.avoid.clone(),
            }),
        }
    }
    let process = app
        .env
        .process
        .iter()
        .filter(|(n, _)| wanted.iter().any(|w| n.starts_with(&w.name)))
        .cloned()
        .collect();
    EnvWrite {
        path,
        wanted,
        process,
    }
}

/// A name both `.env` (dotenvy) and a `${NAME}` reference read: `[A-Za-z_][A-Za-z0-9_]*`.
fn env_name(reference: &str) -> String {
    let bare = reference
        .strip_prefix(session::UNSAVED)
        .unwrap_or(reference);
    let mut name: String = bare
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        name.insert(0, '_');
    }
    name
}

/// Each wanted secret's name, and whether its line must be added: the name asked for, else
/// `NAME_2`, `NAME_3`… — never one that `.env` (first line wins), the process environment or
/// the restored draft's own variables would give another value.
fn choose(
    wanted: &[Wanted],
    in_file: &[(String, String)],
    process: &[(String, String)],
) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut taken: Vec<(String, &str)> = Vec::new();
    for w in wanted {
        for n in 1.. {
            let name = match n {
                1 => w.name.clone(),
                n => format!("{}_{n}", w.name),
            };
            let other = |(k, v): &(String, String)| *k == name && *v != w.value;
            if w.avoid.contains(&name)
                || taken.iter().any(|(k, v)| *k == name && *v != w.value)
                || process.iter().any(other)
            {
                continue;
            }
            let there = in_file.iter().find(|(k, _)| *k == name);
            if there.is_some_and(|(_, v)| *v != w.value) {
                continue;
            }
            let add = there.is_none() && !taken.iter().any(|(k, _)| *k == name);
            taken.push((name.clone(), &w.value));
            out.push((name, add));
            break;
        }
    }
    out
}

/// `NAME='value'`, or `NAME="…"` with `\`, `"`, `$` and line breaks escaped when the value
/// holds a `'` or a line break: what dotenvy reads back as exactly `value`. A value with
/// another control character (a carriage return) has no such spelling and is refused.
pub fn dotenv_line(name: &str, value: &str) -> Result<String, String> {
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(format!(
            "{name}'s value holds a control character that a .env line cannot carry"
        ));
    }
    if !value.contains(['\'', '\n']) {
        return Ok(format!("{name}='{value}'"));
    }
    let mut out = format!("{name}=\"");
    for c in value.chars() {
        match c {
            '\\' | '"' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// What `w` did: the name each wanted secret is under (in order), and how many lines it added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub names: Vec<String>,
    pub added: usize,
}

/// Adds the wanted secrets to the `.env` at `job.path` (created `0600`, or appended to with
/// its mode kept), never changing a line already there, and checks that dotenvy reads each
/// back as typed before writing. Runs off the event loop.
pub fn write_env(job: &EnvWrite) -> Result<Written, String> {
    let path = &job.path;
    let shown = path.display();
    let old = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(format!("{shown}: {e}")),
        Ok(m) if m.len() > dotenv::MAX_DOTENV => {
            return Err(format!("{shown} is larger than authlens reads"));
        }
        Ok(_) => std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?,
    };
    let file = dotenv::parse_bytes(path, &old);
    if let Some(e) = &file.error {
        return Err(format!(
            "{e} — dotenvy stops there, so a key added after it would not load"
        ));
    }
    let in_file: Vec<(String, String)> = file
        .entries
        .iter()
        .map(|e| (e.key.clone(), e.value.clone()))
        .collect();
    let chosen = choose(&job.wanted, &in_file, &job.process);
    let mut lines = String::new();
    for (w, (name, add)) in job.wanted.iter().zip(&chosen) {
        if *add {
            lines.push_str(&dotenv_line(name, &w.value)?);
            lines.push('\n');
        }
    }
    let names: Vec<String> = chosen.iter().map(|(n, _)| n.clone()).collect();
    let added = chosen.iter().filter(|(_, add)| *add).count();
    if added == 0 {
        return Ok(Written { names, added });
    }
    let mut new = old.clone();
    if !new.is_empty() && !new.ends_with(b"\n") {
        new.push(b'\n');
    }
    new.extend_from_slice(b"# typed in authlens, written at quit\n");
    new.extend_from_slice(lines.as_bytes());
    // Read back as the next run will: each name's first line must give the value typed.
    let reread = dotenv::parse_bytes(path, &new);
    let reads_back = reread.error.is_none()
        && job.wanted.iter().zip(&names).all(|(w, name)| {
            reread
                .entries
                .iter()
                .find(|e| e.key == *name)
                .is_some_and(|e| e.value == w.value)
        });
    if !reads_back {
        return Err(format!("{shown} would not read back as typed; not written"));
    }
    crate::data_dir::write_user_file(path, &new).map_err(|e| format!("{shown}: {e}"))?;
    Ok(Written { names, added })
}

/// For each lost secret, the reference in its saved draft and the name it was written under.
pub fn renames(lost: &[Lost], job: &EnvWrite, names: &[String]) -> Vec<(usize, String, String)> {
    lost.iter()
        .filter_map(|l| {
            let name = env_name(&l.left.reference);
            let i = job
                .wanted
                .iter()
                .position(|w| w.name == name && w.value == l.left.value)?;
            let to = names.get(i)?;
            Some((l.entry, l.left.reference.clone(), to.clone()))
        })
        .collect()
}

/// What git would do with the `.env`: commit it (tracked, or not ignored), or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitState {
    /// Not asked yet, or git is missing or could not say.
    Unknown,
    /// Ignored, or not in a git work tree.
    Safe,
    /// Tracked: the secrets would be in the next commit of it.
    Tracked,
    /// In a work tree and not ignored: `git add .` would commit it.
    NotIgnored,
}

/// Asks git about `path` (`ls-files --error-unmatch`, then `check-ignore`). Runs off the event
/// loop; `Unknown` when git is missing.
pub fn git_state(path: &Path) -> GitState {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return GitState::Unknown;
    };
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "core.fsmonitor=false"])
            .args(args)
            .arg("--")
            .arg(name)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()
            .and_then(|s| s.code())
    };
    match git(&["ls-files", "--error-unmatch"]) {
        None => GitState::Unknown,
        Some(0) => GitState::Tracked,
        Some(1) => match git(&["check-ignore", "-q"]) {
            Some(0) => GitState::Safe,
            Some(1) => GitState::NotIgnored,
            _ => GitState::Unknown,
        },
        // 128: not a git work tree.
        Some(_) => GitState::Safe,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(name: &str, value: &str) -> Wanted {
        Wanted {
            name: name.into(),
            value: value.into(),
            avoid: Vec::new(),
        }
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_name_that_would_give_another_value_is_not_taken() {
        let mut avoided = wanted("OPENAI_API_KEY", "EXAMPLE-mine");
        avoided.avoid = vec!["OPENAI_API_KEY".into()];
        let chosen = choose(
            &[
                wanted("API_KEY", "EXAMPLE-one"),
                wanted("TOKEN", "EXAMPLE-two"),
                wanted("SAME", "EXAMPLE-three"),
                wanted("TOKEN", "EXAMPLE-four"),
                avoided,
            ],
            &pairs(&[("API_KEY", "EXAMPLE-other"), ("SAME", "EXAMPLE-three")]),
            &pairs(&[("TOKEN", "EXAMPLE-exported")]),
        );
        let chosen: Vec<(&str, bool)> = chosen.iter().map(|(n, a)| (n.as_str(), *a)).collect();
        assert_eq!(
            chosen,
            [
                ("API_KEY_2", true),
                ("TOKEN_2", true),
                ("SAME", false),
                ("TOKEN_3", true),
                ("OPENAI_API_KEY_2", true),
            ]
        );
    }

    #[test]
    fn dotenv_lines_read_back_as_typed() {
        let values = [
            "sk-EXAMPLE-FAKE-0000",
            " spaced EXAMPLE ",
            "it's $HOME and ${USER} \\ \"q\" #not-a-comment",
            "two\nlines",
            "tab\there",
        ];
        let mut text = String::from("# a comment\nOTHER=1");
        for (i, v) in values.iter().enumerate() {
            text.push('\n');
            text.push_str(&dotenv_line(&format!("K{i}"), v).unwrap());
        }
        let file = dotenv::parse_bytes(Path::new(".env"), text.as_bytes());
        assert_eq!(file.error, None, "{text}");
        for (i, v) in values.iter().enumerate() {
            let e = file
                .entries
                .iter()
                .find(|e| e.key == format!("K{i}"))
                .unwrap();
            assert_eq!(e.value, *v, "{text}");
        }
        assert!(dotenv_line("K", "carriage\rreturn").is_err());
    }

    #[test]
    fn names_are_what_dotenv_and_a_reference_both_read() {
        assert_eq!(env_name("AUTHLENS_UNSAVED_X_API_KEY"), "X_API_KEY");
        assert_eq!(env_name("my-token.v2"), "my_token_v2");
        assert_eq!(env_name("2FA_CODE"), "_2FA_CODE");
    }

    #[test]
    fn git_says_whether_the_env_would_be_committed() {
        let dir = std::env::temp_dir().join(format!("authlens-keep-git-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let env = dir.join(".env");
        let git = |args: &[&str]| {
            std::process::Command::new("git")
                .arg("-C")
                .arg(&dir)
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if !git(&["init", "-q"]) {
            // No git here: nothing to ask, and the question says nothing about it.
            assert_eq!(git_state(&env), GitState::Unknown);
            return;
        }
        // `!.env` outranks a global excludes file that might ignore it on this machine.
        std::fs::write(dir.join(".gitignore"), "!.env\n").unwrap();
        assert_eq!(
            git_state(&env),
            GitState::NotIgnored,
            "a new .env, not ignored"
        );
        std::fs::write(dir.join(".gitignore"), ".env\n").unwrap();
        assert_eq!(git_state(&env), GitState::Safe);
        std::fs::write(&env, "A='EXAMPLE'\n").unwrap();
        assert!(git(&["add", "-f", ".env"]));
        assert_eq!(git_state(&env), GitState::Tracked);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_env_is_appended_to_never_changed_and_keeps_its_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("authlens-keep-env-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(".env");
        let old = "OTHER=1\nAUTHORIZATION='EXAMPLE-old'";
        std::fs::write(&path, old).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        let job = EnvWrite {
            path: path.clone(),
            wanted: vec![wanted("AUTHORIZATION", "EXAMPLE-new"), wanted("OTHER", "1")],
            process: Vec::new(),
        };
        let written = write_env(&job).unwrap();
        assert_eq!(written.names, ["AUTHORIZATION_2", "OTHER"]);
        assert_eq!(written.added, 1);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            format!("{old}\n# typed in authlens, written at quit\nAUTHORIZATION_2='EXAMPLE-new'\n")
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A line dotenvy cannot read stops it there: nothing is added after one.
        std::fs::write(&path, "GOOD=1\nnot a line\n").unwrap();
        let e = write_env(&job).unwrap_err();
        assert!(e.contains("dotenvy stops there"), "{e}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "GOOD=1\nnot a line\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
