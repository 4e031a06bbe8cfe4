//! What the watch knows of a program it launched: the `.env` of the directory it runs in, and
//! which of that file's names the program's environment already had. With it the rules can
//! tell "the key header went out empty because its variable is only in a `.env` nothing
//! loaded" — the seed notebook's story — instead of "no credential at all".

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The most of a `.env` read: a real one is a few hundred bytes.
const MAX_DOTENV: u64 = 256 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgramEnv {
    /// The `.env` text as found (secrets still in it: mask before it leaves the watch).
    pub dotenv: String,
    /// Each name the `.env` defines that the program's environment also has, with that value.
    pub env: BTreeMap<String, String>,
}

impl ProgramEnv {
    /// `dir/.env` and the launched program's environment (`lookup`), or `None` when there is
    /// no readable `.env` there.
    pub fn read(dir: &Path, lookup: impl Fn(&str) -> Option<String>) -> Option<ProgramEnv> {
        let mut text = String::new();
        std::fs::File::open(dir.join(".env"))
            .ok()?
            .take(MAX_DOTENV)
            .read_to_string(&mut text)
            .ok()?;
        let env = names(&text)
            .filter_map(|name| lookup(name).map(|v| (name.to_string(), v)))
            .collect();
        Some(ProgramEnv { dotenv: text, env })
    }

    /// Every value the `.env` or the environment holds for a credential-named variable: what
    /// the watch's redactor must learn before anything of this leaves it.
    pub fn secrets(&self) -> Vec<&str> {
        let from_file = self.dotenv.lines().filter_map(|line| {
            let (name, value) = assignment(line)?;
            crate::secret::is_credential_name(name).then_some(value.trim_matches(['"', '\'']))
        });
        let from_env = self
            .env
            .iter()
            .filter(|(n, _)| crate::secret::is_credential_name(n))
            .map(|(_, v)| v.as_str());
        from_file
            .chain(from_env)
            .filter(|v| !v.trim().is_empty())
            .collect()
    }
}

/// `NAME=value` or `export NAME=value`, comments and blank lines skipped.
fn assignment(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_start();
    let line = line.strip_prefix("export ").unwrap_or(line);
    let (name, value) = line.split_once('=')?;
    let name = name.trim();
    let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (valid && !line.starts_with('#')).then_some((name, value.trim()))
}

fn names(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|l| assignment(l).map(|(n, _)| n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_program_has_and_the_secrets_to_mask() {
        let dir = std::env::temp_dir().join(format!("authlens-progenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(".env"),
            "# keys\nAPI_KEY=EXAMPLE-FAKE-0000\nexport REGION=eu\nTOKEN='FAKEtok0000'\n",
        )
        .unwrap();
        let env = ProgramEnv::read(&dir, |n| (n == "REGION").then(|| "us".to_string())).unwrap();
        assert_eq!(env.env.len(), 1);
        assert_eq!(env.env["REGION"], "us");
        assert_eq!(env.secrets(), vec!["EXAMPLE-FAKE-0000", "FAKEtok0000"]);
        assert!(ProgramEnv::read(&dir.join("nowhere"), |_| None).is_none());
    }
}
