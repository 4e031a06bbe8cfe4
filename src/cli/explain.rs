//! `authlens explain [CAUSE]`: a cause of the catalogue in full, like `rustc --explain`; with
//! no cause, every id and its title, one per line.

use super::{CliError, ExplainArgs};
use crate::rules::CauseId;
use crate::rules::explain::{explanation, list, text};
use crate::send::InputError;
use std::process::ExitCode;

pub fn run(args: ExplainArgs) -> Result<ExitCode, CliError> {
    let Some(name) = args.cause else {
        print!("{}", list());
        return Ok(ExitCode::SUCCESS);
    };
    let unknown = || {
        let near = nearest(&name)
            .map(|id| format!("did you mean `{id}`? "))
            .unwrap_or_default();
        InputError::new(
            format!("cause {name:?}"),
            format!("is not in the catalogue; {near}`authlens explain` lists them all"),
        )
    };
    let id: CauseId = name.trim().parse().map_err(|_| unknown())?;
    let e = explanation(id).ok_or_else(unknown)?;
    print!("{}", text(&e));
    Ok(ExitCode::SUCCESS)
}

/// The id that shares the most words with what was typed (`jwt-expird` → `jwt-expired`).
fn nearest(typed: &str) -> Option<CauseId> {
    let words: Vec<&str> = typed
        .split(['-', '_', ' '])
        .filter(|w| w.len() > 2)
        .collect();
    let shared = |id: &CauseId| {
        id.as_str()
            .split('-')
            .filter(|w| {
                words
                    .iter()
                    .any(|t| w.starts_with(&t.chars().take(4).collect::<String>()))
            })
            .count()
    };
    CauseId::ALL
        .into_iter()
        .max_by_key(shared)
        .filter(|id| shared(id) > 0)
}
