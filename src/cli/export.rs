//! `authlens export --as TARGET`: the request — from flags or a `.http` file — written as code
//! for another client. Only the code goes to stdout and nothing to stderr when it works, so
//! `authlens export … > request.py` is the whole story.

use super::{CliError, RequestArgs};
use crate::formats::export::{self, Target};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// What to write: curl, httpie, python-requests, python-httpx, js-fetch, rust-reqwest or
    /// http (a `.http` block).
    #[arg(long = "as", value_name = "TARGET")]
    pub target: String,
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub file: super::send_from::FromArgs,
}

pub fn run(args: ExportArgs) -> Result<ExitCode, CliError> {
    let target = Target::from_name(&args.target).ok_or_else(|| {
        CliError::Missing(format!(
            "--as {:?} is not a target; the targets: {}",
            args.target,
            Target::names()
        ))
    })?;
    let (draft, vars) = match args.file.file(&args.request.url, "export")? {
        Some(path) => {
            let (d, v, _) = super::send_from::load(
                "export",
                path,
                args.file.name.as_deref(),
                args.file.env.as_deref(),
                &args.request.env_files,
            )?;
            (d, v)
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
