//! `authlens send`: send once and print the wire, the response and the findings.

use super::SendArgs;
use std::process::ExitCode;

pub fn run(_args: SendArgs) -> ExitCode {
    eprintln!("authlens send: not built yet");
    ExitCode::from(2)
}
