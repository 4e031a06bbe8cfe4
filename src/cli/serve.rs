//! `authlens serve`: the practice server on its own.

use super::ServeArgs;
use std::process::ExitCode;

pub fn run(_args: ServeArgs) -> ExitCode {
    eprintln!("authlens serve: not built yet");
    ExitCode::from(2)
}
