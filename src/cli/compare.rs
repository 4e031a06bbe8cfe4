//! `authlens compare URL`: the same credential in every slot, as a table and one sentence.
//!
//! Exit code 0 when at least one slot got a 2xx, 4 when none did, 2 for bad input, 1 when no
//! slot got any response because the network failed.

use super::{CliError, CompareArgs, Format};
use crate::secret::Redactor;
use crate::send::InputError;
use crate::slots::{self, Credential, Outcome, Verdict};
use crate::vars::resolve;
use std::fmt::Write;
use std::process::ExitCode;

pub fn run(args: CompareArgs) -> Result<ExitCode, CliError> {
    let credential: Vec<&str> = args.credential.iter().map(String::as_str).collect();
    let (draft, vars, mut options) =
        super::request_setup("compare", &args.request, args.timeout, &credential)?;
    options.extra_roots = super::cacert_roots(args.cacert.as_deref())?;
    let cred = match &args.credential {
        Some(value) => Some(Credential {
            value: value.clone(),
            row: None,
            header: None,
        }),
        None => slots::find_credential(&draft, &vars),
    };
    let Some(cred) = cred else {
        return Err(CliError::Missing(
            "no credential to compare: give one in an Authorization or key header (-H), or with --credential".into(),
        ));
    };
    let redactor = if args.reveal {
        Redactor::new()
    } else {
        super::url_redactor(slots::redactor(&draft, &vars, &cred), &draft.url)
    };
    // What is wrong in a slot's own request is bad input, found before anything is sent; a
    // slot that builds and still gets no answer failed in the network.
    let input_errors: Vec<Option<InputError>> = slots::slots(&draft.url, &cred)
        .iter()
        .map(|slot| {
            let d = slots::variant(&draft, &cred, slot);
            crate::send::build::prepare(&d, &resolve(&d, &vars)).err()
        })
        .collect();
    if let Some(Some(first)) = input_errors.first()
        && input_errors.iter().all(Option::is_some)
    {
        return Err(CliError::Send {
            error: first.clone().into(),
            redactor,
        });
    }
    let runtime = super::runtime()?;
    let ctx = crate::live_context::rules_context(&vars);
    let outcomes = runtime.block_on(slots::run(&draft, &vars, &cred, &options, &ctx));
    let network: Vec<bool> = outcomes
        .iter()
        .zip(input_errors.iter().chain(std::iter::repeat(&None)))
        .map(|(o, input)| o.verdict == Verdict::Failed && input.is_none())
        .collect();
    // No slot answered and the network is why: no server said anything, so neither the
    // table's verdicts nor exit code 4 may suggest one refused.
    let network_failure = outcomes
        .iter()
        .all(|o| o.verdict == Verdict::Failed)
        .then(|| {
            outcomes
                .iter()
                .zip(&network)
                .find(|(_, n)| **n)
                .map(|(o, _)| o.message.clone().unwrap_or_default())
        })
        .flatten();
    let summary = match &network_failure {
        Some(why) => format!(
            "No slot got a response: the network failed ({why}), so nothing here says which slot the server reads."
        ),
        None => slots::summary(&outcomes),
    };
    let out = match args.format {
        Format::Text => table(&outcomes, &network, &summary),
        Format::Json => serde_json::to_string_pretty(
            &serde_json::json!({ "slots": outcomes, "summary": summary }),
        )
        .unwrap_or_default(),
    };
    match args.format {
        Format::Text => super::print::outln(&redactor.redact(&out)),
        Format::Json => super::print::json(&redactor.redact(&out)),
    }
    if let Some(why) = network_failure {
        return Err(CliError::Network(format!(
            "no slot got a response, the network failed: {}",
            redactor.redact(&crate::secret::masked_url_text(&why))
        )));
    }
    Ok(if outcomes.iter().any(|o| o.verdict == Verdict::Worked) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}

/// The table: one row per slot, what the server said under it — or, for a slot that got no
/// answer, what failed (`network:` or `input:`), never put in the server's mouth.
fn table(outcomes: &[Outcome], network: &[bool], summary: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<24} {:<6} {:<9} sent as",
        "slot", "status", "verdict"
    );
    for (i, o) in outcomes.iter().enumerate() {
        let status = o.status.map_or("-".to_string(), |s| s.to_string());
        let verdict = match o.verdict {
            Verdict::Worked => "✔ worked",
            Verdict::Rejected => "✘ refused",
            Verdict::Failed => "! failed",
        };
        let _ = writeln!(out, "{:<24} {status:<6} {verdict:<9} {}", o.slot, o.sent_as);
        if let Some(c) = &o.challenge {
            let _ = writeln!(out, "{:<24} challenge: {c}", "");
        }
        if let Some(m) = o.message.as_ref().filter(|_| o.verdict != Verdict::Worked) {
            let said = match o.verdict {
                Verdict::Failed if network.get(i) == Some(&true) => "network:",
                Verdict::Failed => "input:",
                _ => "server said:",
            };
            let _ = writeln!(out, "{:<24} {said} {m}", "");
        }
        for n in &o.notes {
            let _ = writeln!(out, "{:<24} {n}", "");
        }
        for f in o.findings.iter().take(3) {
            let _ = writeln!(out, "{:<24} {} {}: {}", "", f.severity, f.id, f.title);
        }
    }
    let _ = writeln!(out, "\n{summary}");
    out
}
