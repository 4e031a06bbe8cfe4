//! Tab completion of a multipart file part's path, the way a shell completes it.
//!
//! `candidates` reads one directory (the runtime calls it off the event loop); `apply` is the
//! pure part: what the field becomes and what the status line says.

use std::path::Path;

/// At most this many names are listed in the status line after an ambiguous Tab.
const LISTED: usize = 6;

/// `typed` split into the directory part (kept as typed, `""` for the current directory) and
/// the start of the name being completed.
fn split(typed: &str) -> (&str, &str) {
    match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    }
}

/// Every path in `typed`'s directory that starts with it, sorted; directories end in `/`.
/// Hidden names are offered only once a `.` is typed. Reads the disk: not for `update`.
pub fn candidates(typed: &str) -> Vec<String> {
    let (dir, stem) = split(typed);
    let Ok(entries) = std::fs::read_dir(if dir.is_empty() { "." } else { dir }) else {
        return Vec::new();
    };
    let mut found: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let hidden_ok = !name.starts_with('.') || stem.starts_with('.');
            (name.starts_with(stem) && hidden_ok).then(|| {
                // Follows symlinks, so a link to a directory completes like one.
                let slash = if Path::new(dir).join(&name).is_dir() {
                    "/"
                } else {
                    ""
                };
                format!("{dir}{name}{slash}")
            })
        })
        .collect();
    found.sort();
    found
}

/// What Tab does with the candidates found for `typed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Text to add at the end of the field (empty when nothing more is certain).
    pub append: String,
    /// For the status line: no match, or the names to choose between.
    pub note: Option<String>,
}

pub fn apply(typed: &str, found: &[String]) -> Completion {
    let common = found
        .iter()
        .skip(1)
        .fold(found.first().map(String::as_str), |acc, f| {
            acc.map(|a| common_prefix(a, f))
        })
        .unwrap_or(typed);
    let append = common.strip_prefix(typed).unwrap_or("").to_string();
    let note = match found {
        [] => Some(format!("no file or directory starts with {typed:?}")),
        [_] => None,
        many => {
            let (dir, _) = split(typed);
            let names: Vec<&str> = many
                .iter()
                .take(LISTED)
                .map(|f| f.strip_prefix(dir).unwrap_or(f))
                .collect();
            let more = many.len().saturating_sub(LISTED);
            let tail = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            Some(format!(
                "{} matches: {}{tail}",
                many.len(),
                names.join("  ")
            ))
        }
    };
    Completion { append, note }
}

/// The longest common prefix of two strings, cut on a char boundary.
fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let len = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    &a[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_match_completes_whole_and_many_complete_their_common_start() {
        let one = apply("pics/ca", &strings(&["pics/cat.jpg"]));
        assert_eq!(one.append, "t.jpg");
        assert_eq!(one.note, None);
        let two = apply("pics/c", &strings(&["pics/cat-1.jpg", "pics/cat-2.jpg"]));
        assert_eq!(two.append, "at-");
        assert_eq!(two.note.as_deref(), Some("2 matches: cat-1.jpg  cat-2.jpg"));
    }

    #[test]
    fn no_match_says_so_and_changes_nothing() {
        let none = apply("nope", &[]);
        assert_eq!(none.append, "");
        assert!(none.note.unwrap().contains("\"nope\""));
    }

    #[test]
    fn common_prefix_stops_before_a_differing_multibyte_char() {
        assert_eq!(common_prefix("café", "cafè"), "caf");
        assert_eq!(common_prefix("ab", "abc"), "ab");
    }

    #[test]
    fn candidates_list_the_directory_with_slashes_on_directories() {
        let dir = std::env::temp_dir().join(format!("authlens-complete-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("photos")).unwrap();
        std::fs::write(dir.join("photo-EXAMPLE.jpg"), b"x").unwrap();
        std::fs::write(dir.join(".photo-hidden"), b"x").unwrap();
        let base = format!("{}/", dir.display());
        let found = candidates(&format!("{base}pho"));
        assert_eq!(
            found,
            [format!("{base}photo-EXAMPLE.jpg"), format!("{base}photos/")]
        );
        assert_eq!(
            candidates(&format!("{base}.pho")),
            [format!("{base}.photo-hidden")]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
