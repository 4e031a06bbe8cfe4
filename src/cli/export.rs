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
    /// The timeout the code sets, in seconds (at most 86400) [default: none, or the request's
    /// `# @timeout` with --from].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// The code follows at most this many redirects (0 = does not follow) [default: follows,
    /// or the request's `# @max-redirects` / `# @no-redirect` with --from].
    #[arg(long = "max-redirects", value_name = "N", conflicts_with = "no_follow")]
    pub max_redirects: Option<usize>,
    /// The code does not follow redirects (same as --max-redirects 0).
    #[arg(long = "no-follow")]
    pub no_follow: bool,
    #[command(flatten)]
    pub conn: super::conn::ConnArgs,
}

impl ExportArgs {
    /// The connection flags as settings, to lay over a `--from` request's own (flags win),
    /// as `send` does.
    fn settings(&self) -> Result<crate::draft::Settings, CliError> {
        Ok(self
            .conn
            .with_limits(self.timeout, self.max_redirects, self.no_follow)?)
    }
}

pub fn run(args: ExportArgs) -> Result<ExitCode, CliError> {
    let target = Target::from_name(&args.target).ok_or_else(|| {
        CliError::Missing(format!(
            "--as {:?} is not a target; the targets: {}",
            args.target,
            Target::names()
        ))
    })?;
    let flags = args.settings()?;
    let (mut draft, vars) = match args.file.file(&args.request.url, "export")? {
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
            let within = args.timeout.unwrap_or(super::DEFAULT_TIMEOUT);
            let (d, v, _) = super::request_setup("export", &args.request, within, &[])?;
            (d, v)
        }
    };
    draft.settings = draft.settings.over(&flags);
    let code = export::export(target, &draft, &vars)
        .map_err(|m| CliError::Missing(format!("--as {}: {m}", target.name())))?;
    super::print::out(&code);
    Ok(ExitCode::SUCCESS)
}
