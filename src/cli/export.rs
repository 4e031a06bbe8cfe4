//! `authlens export --as TARGET`: the request — from flags or a `.http` file — written as code
//! for another client. Only the code goes to stdout and nothing to stderr when it works, so
//! `authlens export … > request.py` is the whole story.

use super::{CliError, RequestArgs};
use crate::formats::export::{self, Target};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// What to write: curl, httpie, python-requests, python-httpx, js-fetch, rust-reqwest or
    /// http (a `.http` block).
    #[arg(long = "as", value_name = "TARGET")]
    pub target: String,
    #[command(flatten)]
    pub request: RequestArgs,
    /// Export a request of this `.http` file instead of one given by a URL and flags.
    #[arg(long, value_name = "FILE.http", conflicts_with_all = ["url", "method", "headers", "data", "json", "form"])]
    pub from: Option<PathBuf>,
    /// Which request of the --from file: its `### name` or `# @name name`.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The environment of http-client.env.json (next to the --from file) to use.
    #[arg(long = "env", value_name = "NAME")]
    pub env: Option<String>,
}

pub fn run(args: ExportArgs) -> Result<ExitCode, CliError> {
    let target = Target::from_name(&args.target).ok_or_else(|| {
        CliError::Missing(format!(
            "--as {:?} is not a target; the targets: {}",
            args.target,
            Target::names()
        ))
    })?;
    let (draft, vars) = match &args.from {
        Some(path) => {
            let (d, v, _) = super::send_from::load(
                "export",
                path,
                args.name.as_deref(),
                args.env.as_deref(),
                &args.request.env_files,
            )?;
            (d, v)
        }
        None if args.name.is_some() || args.env.is_some() => {
            return Err(CliError::Missing(
                "--name and --env choose a request of a file: add --from FILE.http".into(),
            ));
        }
        None if args.request.url.is_empty() => {
            return Err(CliError::Missing(
                "give a URL, or --from FILE.http to export a request of a file".into(),
            ));
        }
        None => {
            let (d, v, _) =
                super::request_setup("export", &args.request, super::DEFAULT_TIMEOUT, &[])?;
            (d, v)
        }
    };
    let code = export::export(target, &draft, &vars)
        .map_err(|m| CliError::Missing(format!("--as {}: {m}", target.name())))?;
    super::print::out(&code);
    Ok(ExitCode::SUCCESS)
}
