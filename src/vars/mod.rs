//! Variables with provenance: for every name, the value that won, where it came from and what
//! it shadowed.
//!
//! Precedence follows what a program using dotenvy sees: variables set on the request win,
//! then the process environment, then `.env` files — dotenvy never overrides a variable that
//! is already set, which is how a stale `export API_KEY=…` in a shell beats the fresh key in
//! `.env`. The losers are kept as `shadowed`, so that can be shown rather than guessed.

pub mod auth_helper;
pub mod dotenv;
pub(crate) mod refs;
pub(crate) mod resolve;
pub mod scrub;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use dotenv::{DotenvError, DotenvReport};
pub use refs::{Interpolated, Ref, Substituted, find_refs, interpolate, interpolate_refs};
pub use resolve::{Resolved, ResolvedHeader, resolve};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Set on the request itself (the TUI's variables tab, a `.http` `@name = value`).
    Request,
    Process,
    Dotenv {
        path: PathBuf,
        line: usize,
    },
    /// An `@name = value` line of a `.http` file.
    HttpFile {
        path: PathBuf,
        line: usize,
    },
    /// An environment of `http-client.env.json` or `http-client.private.env.json` (`env` is
    /// its name, or `$shared`).
    HttpEnv {
        path: PathBuf,
        env: String,
    },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Request => f.write_str("request variable"),
            Source::Process => f.write_str("process environment"),
            Source::Dotenv { path, line } | Source::HttpFile { path, line } => {
                write!(f, "{}:{line}", path.display())
            }
            Source::HttpEnv { path, env } => write!(f, "{} ({env})", path.display()),
        }
    }
}

/// The value a name resolves to, and every other value it would have had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub value: String,
    pub source: Source,
    /// Lower-precedence definitions of the same name, highest first.
    pub shadowed: Vec<(String, Source)>,
}

/// All variables visible to a request, with the `.env` search that produced some of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    pub bindings: BTreeMap<String, Binding>,
    pub dotenv: DotenvReport,
}

impl Vars {
    /// Layers the sources by precedence: request, then process, then each `.env` file in
    /// order (within a file the first occurrence wins, as with dotenvy's non-override load).
    pub fn build(
        request: &[(String, String)],
        process: impl IntoIterator<Item = (String, String)>,
        dotenv: DotenvReport,
    ) -> Vars {
        Vars::build_layered(request, &[], process, dotenv)
    }

    /// `build` with `files` — a `.http` file's variables and its chosen environment, highest
    /// first — between the request's variables and the process environment: the user picked
    /// that environment for this request, as JetBrains and REST Client do.
    pub fn build_layered(
        request: &[(String, String)],
        files: &[(String, String, Source)],
        process: impl IntoIterator<Item = (String, String)>,
        dotenv: DotenvReport,
    ) -> Vars {
        let mut vars = Vars {
            bindings: BTreeMap::new(),
            dotenv: DotenvReport::default(),
        };
        for (k, v) in request {
            vars.offer(k, v, Source::Request);
        }
        for (k, v, source) in files {
            vars.offer(k, v, source.clone());
        }
        for (k, v) in process {
            vars.offer(&k, &v, Source::Process);
        }
        for file in &dotenv.files {
            for e in &file.entries {
                vars.offer(
                    &e.key,
                    &e.value,
                    Source::Dotenv {
                        path: file.path.clone(),
                        line: e.line,
                    },
                );
            }
        }
        vars.dotenv = dotenv;
        vars
    }

    /// The usual case: the real process environment and dotenvy's search from `cwd`, or the
    /// `--env-file` paths when any are given.
    pub fn from_system(request: &[(String, String)], env_files: &[PathBuf]) -> Vars {
        Vars::from_system_layered(request, &[], env_files)
    }

    /// `from_system` with a `.http` file's layers (`build_layered`).
    pub fn from_system_layered(
        request: &[(String, String)],
        files: &[(String, String, Source)],
        env_files: &[PathBuf],
    ) -> Vars {
        let report = if env_files.is_empty() {
            std::env::current_dir()
                .map(|d| dotenv::search(&d))
                .unwrap_or_default()
        } else {
            dotenv::explicit(env_files)
        };
        Vars::build_layered(request, files, std::env::vars(), report)
    }

    fn offer(&mut self, name: &str, value: &str, source: Source) {
        match self.bindings.get_mut(name) {
            Some(b) => b.shadowed.push((value.to_string(), source)),
            None => {
                let b = Binding {
                    value: value.to_string(),
                    source,
                    shadowed: Vec::new(),
                };
                self.bindings.insert(name.to_string(), b);
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.bindings.get(name)
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.bindings.get(name).map(|b| b.value.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn report(text: &str) -> DotenvReport {
        let file = dotenv::parse_bytes(Path::new("/proj/.env"), text.as_bytes());
        DotenvReport {
            searched: vec![file.path.clone()],
            files: vec![file],
            explicit: false,
        }
    }

    #[test]
    fn process_environment_shadows_dotenv_like_dotenvy() {
        let process = [("API_KEY".to_string(), "EXAMPLE-stale".to_string())];
        let vars = Vars::build(&[], process, report("API_KEY=EXAMPLE-fresh\n"));
        let b = vars.get("API_KEY").unwrap();
        assert_eq!(b.value, "EXAMPLE-stale");
        assert_eq!(b.source, Source::Process);
        let dotenv_source = Source::Dotenv {
            path: "/proj/.env".into(),
            line: 1,
        };
        assert_eq!(b.shadowed, [("EXAMPLE-fresh".to_string(), dotenv_source)]);
    }

    #[test]
    fn request_variables_win_over_everything() {
        let request = [("K".to_string(), "req".to_string())];
        let vars = Vars::build(
            &request,
            [("K".to_string(), "proc".to_string())],
            report("K=file\n"),
        );
        let b = vars.get("K").unwrap();
        assert_eq!((b.value.as_str(), &b.source), ("req", &Source::Request));
        assert_eq!(b.shadowed.len(), 2);
    }

    #[test]
    fn first_occurrence_in_a_file_wins_and_later_ones_are_shadowed() {
        let vars = Vars::build(&[], [], report("K=first\nK=second\n"));
        let b = vars.get("K").unwrap();
        assert_eq!(b.value, "first");
        assert_eq!(
            b.shadowed[0].1,
            Source::Dotenv {
                path: "/proj/.env".into(),
                line: 2
            }
        );
    }

    #[test]
    fn source_names_file_and_line() {
        let s = Source::Dotenv {
            path: "/proj/.env".into(),
            line: 3,
        };
        assert_eq!(s.to_string(), "/proj/.env:3");
    }
}
