//! Where authlens keeps its own files, and how: a directory only the user can enter (`0700`)
//! and files only the user can read (`0600`), written atomically. Everything authlens saves
//! may hold something sensitive — a draft, a request name, the key behind fingerprints — so
//! there is no other way to write one. The one file of the user's it writes (a `.env`, when
//! asked to at quit) goes through `write_user_file`: `0600` if new, its mode kept if not.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `$XDG_DATA_HOME/authlens`, else `~/.local/share/authlens`; `None` with neither set.
pub fn dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("authlens"))
}

/// Creates `dir` (and its parents) if needed and makes it `0700`.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Creates `path` with `bytes`, `0600`, only if it does not exist yet: `Ok(false)` when another
/// process made it first (then read theirs). The file appears whole or not at all.
pub fn create_private(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_dir(parent)?;
    }
    let tmp = path.with_extension(format!("new-{}", std::process::id()));
    let mut file = open_private(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    // A hard link fails when the name exists: of two racing processes, one wins.
    let made = match std::fs::hard_link(&tmp, path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_file(&tmp);
    made
}

/// Writes `bytes` to a `0600` temp file beside `path`, then renames it over `path`, in a
/// directory made `0700`: a reader sees the old file or the new one, never half of one, and
/// no other user sees either.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        private_dir(parent)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = open_private(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, path)
}

/// Writes `bytes` to `path`, a file of the user's outside authlens's directory (a project's
/// `.env`), atomically through a temp file beside it: a new file is `0600`, an existing one
/// keeps its mode, and a link is followed, so the file it points at is the one replaced. The
/// directory is the user's and is left as it is.
pub fn write_user_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = match std::fs::canonicalize(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let mode = match std::fs::metadata(&target) {
        Ok(m) => mode_of(&m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0o600,
        Err(e) => return Err(e),
    };
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let tmp = target.with_file_name(format!(".{name}.authlens-{}", std::process::id()));
    let written = (|| {
        let mut file = open_private(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        set_mode(&tmp, mode)?;
        std::fs::rename(&tmp, &target)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(unix)]
fn mode_of(m: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> u32 {
    0o600
}

/// A new `0600` file at a temp path. Whatever a crashed run (or anyone else) left there is
/// removed first — a link is removed, not followed — and the file is created exclusively.
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    let _ = std::fs::remove_file(path);
    create_new_private(path)
}

/// A new `0600` file, created exclusively: `AlreadyExists` when anything (a file, a link
/// someone left) has the name, so nothing is overwritten or followed. The caller picks
/// another name; the directory's own mode is left alone.
#[cfg(unix)]
pub fn create_new_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
pub fn create_new_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_files_and_their_directory_are_for_the_user_only() {
        let base = std::env::temp_dir().join(format!("authlens-private-{}", std::process::id()));
        let path = base.join("inner").join("file.json");
        std::fs::create_dir_all(base.join("inner")).unwrap();
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_private(&path, b"{\"EXAMPLE\":1}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"EXAMPLE\":1}");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&base.join("inner")), 0o700);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_users_file_is_0600_when_new_and_keeps_its_mode_and_its_link_otherwise() {
        let base = std::env::temp_dir().join(format!("authlens-user-file-{}", std::process::id()));
        std::fs::create_dir_all(&base).unwrap();
        std::fs::set_permissions(&base, std::fs::Permissions::from_mode(0o755)).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let env = base.join(".env");
        write_user_file(&env, b"A='EXAMPLE'\n").unwrap();
        assert_eq!(std::fs::read(&env).unwrap(), b"A='EXAMPLE'\n");
        assert_eq!(
            (mode(&env), mode(&base)),
            (0o600, 0o755),
            "the directory is left alone"
        );
        std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_user_file(&env, b"A='FAKE'\n").unwrap();
        assert_eq!(mode(&env), 0o640);
        // A linked .env: the file it points at is written, the link stays a link.
        let link = base.join("linked.env");
        std::os::unix::fs::symlink(&env, &link).unwrap();
        write_user_file(&link, b"B='EXAMPLE'\n").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&env).unwrap(), b"B='EXAMPLE'\n");
        let left: Vec<_> = std::fs::read_dir(&base).unwrap().collect();
        assert_eq!(left.len(), 2, "no temp file left: {left:?}");
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn a_private_file_is_created_once_and_a_second_maker_reads_the_first() {
        let base = std::env::temp_dir().join(format!("authlens-create-{}", std::process::id()));
        let path = base.join("key");
        assert!(create_private(&path, b"first-EXAMPLE").unwrap());
        assert!(!create_private(&path, b"second-EXAMPLE").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"first-EXAMPLE");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // A link left at the temp path is replaced, not followed.
        let victim = base.join("victim");
        std::fs::write(&victim, "EXAMPLE untouched").unwrap();
        std::os::unix::fs::symlink(
            &victim,
            path.with_extension(format!("tmp-{}", std::process::id())),
        )
        .unwrap();
        write_private(&path, b"third-EXAMPLE").unwrap();
        assert_eq!(
            std::fs::read_to_string(&victim).unwrap(),
            "EXAMPLE untouched"
        );
        std::fs::remove_dir_all(&base).unwrap();
    }
}
