//! Where authlens keeps its own files, and how: a directory only the user can enter (`0700`)
//! and files only the user can read (`0600`), written atomically. Everything authlens saves
//! may hold something sensitive — a draft, a request name, the key behind fingerprints — so
//! there is no other way to write one.

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

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // A file left by an earlier run keeps its old mode through `open`; set it again.
    set_mode(path, 0o600)?;
    Ok(file)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::create(path)
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
}
