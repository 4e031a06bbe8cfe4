//! `http-client.env.json` and `http-client.private.env.json` next to a `.http` file: named
//! environments (`dev`, `prod`…) of variables, the private file (kept out of git) overriding
//! the public one, and a `$shared` environment (REST Client's convention) under every other.

use super::HttpFileError;
use crate::vars::Source;
use std::path::{Path, PathBuf};

pub const PUBLIC: &str = "http-client.env.json";
pub const PRIVATE: &str = "http-client.private.env.json";
const SHARED: &str = "$shared";

/// The environment files found next to a `.http` file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environments {
    /// Public first, then private.
    files: Vec<EnvFile>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct EnvFile {
    path: PathBuf,
    /// Each environment's variables, in file order.
    envs: Vec<(String, Vec<(String, String)>)>,
}

impl Environments {
    /// Reads the files in `dir`; a missing file is no error, a broken one names its line.
    pub fn load(dir: &Path) -> Result<Environments, HttpFileError> {
        let mut files = Vec::new();
        for name in [PUBLIC, PRIVATE] {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push(parse(path, &text)?),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(HttpFileError::file(path, e.to_string())),
            }
        }
        Ok(Environments { files })
    }

    /// Parses the two files' texts (tests, and callers that hold them already).
    pub fn from_texts(
        public: Option<(&Path, &str)>,
        private: Option<(&Path, &str)>,
    ) -> Result<Environments, HttpFileError> {
        let mut files = Vec::new();
        for (path, text) in public.into_iter().chain(private) {
            files.push(parse(path.to_path_buf(), text)?);
        }
        Ok(Environments { files })
    }

    /// No environment file was found.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files read, public first.
    pub fn paths(&self) -> Vec<&Path> {
        self.files.iter().map(|f| f.path.as_path()).collect()
    }

    /// The environments' names in the order they first appear, `$shared` left out.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for (name, _) in self.files.iter().flat_map(|f| &f.envs) {
            if name != SHARED && !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }

    /// Environment `env`'s variables, highest precedence first: private, public, then each
    /// file's `$shared`. An unknown name is an error listing the known ones.
    pub fn variables(&self, env: &str) -> Result<Vec<(String, String, Source)>, HttpFileError> {
        if env == SHARED || !self.names().iter().any(|n| n == env) {
            let path = self
                .files
                .first()
                .map_or_else(|| PathBuf::from(PUBLIC), |f| f.path.clone());
            let message = format!(
                "no environment {env:?}; the environments are: {}",
                self.names().join(", ")
            );
            return Err(HttpFileError::file(path, message));
        }
        let mut out = Vec::new();
        for wanted in [env, SHARED] {
            for f in self.files.iter().rev() {
                for (name, vars) in f.envs.iter().filter(|(n, _)| n == wanted) {
                    let source = Source::HttpEnv {
                        path: f.path.clone(),
                        env: name.clone(),
                    };
                    out.extend(
                        vars.iter()
                            .map(|(k, v)| (k.clone(), v.clone(), source.clone())),
                    );
                }
            }
        }
        Ok(out)
    }
}

fn parse(path: PathBuf, text: &str) -> Result<EnvFile, HttpFileError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| HttpFileError::at(&path, e.line(), format!("not JSON: {e}")))?;
    let Some(top) = value.as_object() else {
        return Err(HttpFileError::file(
            &path,
            "is not a JSON object of environments",
        ));
    };
    let mut envs = Vec::new();
    for (name, vars) in top {
        let Some(vars) = vars.as_object() else {
            let message = format!("environment {name:?} is not an object of variables");
            return Err(HttpFileError::file(&path, message));
        };
        // Objects and arrays are client settings (`SSLConfiguration`…), not variables.
        let vars = vars
            .iter()
            .filter_map(|(k, v)| {
                let value = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Bool(b) => b.to_string(),
                    _ => return None,
                };
                Some((k.clone(), value))
            })
            .collect();
        envs.push((name.clone(), vars));
    }
    Ok(EnvFile { path, envs })
}
