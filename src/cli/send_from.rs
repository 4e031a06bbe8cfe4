//! `authlens send --from FILE.http [--name NAME] [--env NAME]`: one request of a `.http`
//! file, with the file's `@name = value` variables and the chosen environment of
//! `http-client.env.json` / `http-client.private.env.json` above the process environment and
//! `.env`, and its `# @no-redirect` / `# @timeout` directives. `export --from` reads the same way.

use super::error::Position;
use super::{CliError, SendArgs};
use clap::Args;
use std::path::PathBuf;

/// `--from FILE.http [--name NAME] [--env NAME]`, shared by `send` and `export`.
#[derive(Debug, Clone, Args, Default)]
pub struct FromArgs {
    /// Take the request from this `.http` file (JetBrains HTTP Client / VS Code REST Client
    /// format) instead of a URL and flags; its `@name = value` variables apply.
    #[arg(long, value_name = "FILE.http", conflicts_with_all = ["url", "method", "headers", "data", "json", "form"])]
    pub from: Option<PathBuf>,
    /// Which request of the --from file: its `### name` or `# @name name` (not needed when
    /// the file holds one request).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The environment of http-client.env.json / http-client.private.env.json (next to the
    /// --from file) whose variables to use, e.g. `dev`.
    #[arg(long = "env", value_name = "NAME")]
    pub env: Option<String>,
}

impl FromArgs {
    /// The `--from` file, or `None` for a request given by `url` and flags; `--name` or
    /// `--env` without `--from`, and neither a URL nor `--from`, are one line each. `what`
    /// completes "--from FILE.http to … a request of a file".
    pub fn file(&self, url: &str, what: &str) -> Result<Option<&Path>, CliError> {
        match &self.from {
            Some(path) => Ok(Some(path)),
            None if self.name.is_some() || self.env.is_some() => Err(CliError::Missing(
                "--name and --env choose a request of a file: add --from FILE.http".into(),
            )),
            None if url.is_empty() => Err(CliError::Missing(format!(
                "give a URL, or --from FILE.http to {what} a request of a file"
            ))),
            None => Ok(None),
        }
    }
}
use crate::draft::Draft;
use crate::formats::http_file::{self, Environments, HttpFile, HttpFileError, Settings};
use crate::send::Options;
use crate::vars::{Source, Vars};
use std::path::Path;

/// The draft, its variables and the send options for `--from path`.
pub(super) fn setup(args: &SendArgs, path: &Path) -> Result<(Draft, Vars, Options), CliError> {
    let (draft, vars, settings) = load(
        "send",
        path,
        args.file.name.as_deref(),
        args.file.env.as_deref(),
        &args.request.env_files,
    )?;
    let _ = settings;
    let defaults = Options {
        timeout: super::timeout_arg(super::DEFAULT_TIMEOUT)?,
        ..Options::default()
    };
    // The request's directives, then `--timeout` over its `# @timeout`; the other flags are
    // laid over by `send` itself.
    let mut options = crate::send::settings::apply(
        &defaults,
        &draft.settings,
        Path::new(""),
        crate::send::settings::Origin::HttpFile,
    )?;
    if let Some(t) = args.timeout {
        options.timeout = super::timeout_arg(t)?;
        options.timeout_source = "--timeout";
    }
    Ok((draft, vars, options))
}

/// Request `name` of the file at `path` as a draft, with the file's variables and
/// environment `env` layered over the system's, and its directives; what `send --from` and
/// `export --from` both read. `command` prefixes a warning.
pub(super) fn load(
    command: &str,
    path: &Path,
    name: Option<&str>,
    env: Option<&str>,
    env_files: &[std::path::PathBuf],
) -> Result<(Draft, Vars, Settings), CliError> {
    let file = http_file::read(path).map_err(file_error)?;
    let index = pick(&file, name)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let draft = file.to_draft(index, dir).map_err(file_error)?;
    let env = environment(dir, path, env)?;
    let layers = http_file::file_variables(&file, &env);
    let vars = Vars::from_system_layered(&[], &layers, env_files);
    super::check_dotenv(command, &draft, &[], &vars)?;
    Ok((draft, vars, file.requests()[index].settings()))
}

/// The request `--name` names, or the file's only one; otherwise an error listing them.
fn pick(file: &HttpFile, name: Option<&str>) -> Result<usize, CliError> {
    let shown = file.path.display();
    let listed = || {
        file.names()
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (name, file.requests().len()) {
        (Some(name), _) => file.find(name).ok_or_else(|| {
            CliError::Missing(format!(
                "{shown} has no request named {name:?}; its requests: {}",
                listed()
            ))
        }),
        (None, 1) => Ok(0),
        (None, 0) => Err(CliError::Missing(format!("{shown} holds no request"))),
        (None, n) => Err(CliError::Missing(format!(
            "{shown} holds {n} requests; choose one with --name: {}",
            listed()
        ))),
    }
}

/// The variables of environment `name`, highest first; none without `--env`.
fn environment(
    dir: &Path,
    path: &Path,
    name: Option<&str>,
) -> Result<Vec<(String, String, Source)>, CliError> {
    let Some(name) = name else {
        return Ok(Vec::new());
    };
    let envs = Environments::load(dir).map_err(file_error)?;
    if envs.is_empty() {
        return Err(CliError::Missing(format!(
            "--env {name}: there is no {} or {} next to {}",
            http_file::env::PUBLIC,
            http_file::env::PRIVATE,
            path.display()
        )));
    }
    envs.variables(name)
        .map_err(|e| CliError::Missing(format!("--env {name}: {}", e.message)))
}

fn file_error(e: HttpFileError) -> CliError {
    CliError::File {
        path: e.path,
        at: e.line.map(|line| Position { line, column: None }),
        message: e.message,
    }
}
