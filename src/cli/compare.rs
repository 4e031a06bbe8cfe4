//! `authlens compare URL`: the same credential in every slot, as a table and one sentence.
//!
//! Exit code 0 when at least one slot got a 2xx, 4 when none did, 2 for bad input.

use super::{CliError, CompareArgs, Format};
use crate::secret::Redactor;
use crate::slots::{self, Credential, Outcome, Verdict};
use std::fmt::Write;
use std::process::ExitCode;

pub fn run(args: CompareArgs) -> Result<ExitCode, CliError> {
    let (draft, vars, options) = super::request_setup(&args.request, args.timeout)?;
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
        slots::redactor(&draft, &vars, &cred)
    };
    let runtime = super::runtime()?;
    let ctx = crate::live_context::rules_context(&vars);
    let outcomes = runtime.block_on(slots::run(&draft, &vars, &cred, &options, &ctx));
    let summary = slots::summary(&outcomes);
    let out = match args.format {
        Format::Text => table(&outcomes, &summary),
        Format::Json => serde_json::to_string_pretty(
            &serde_json::json!({ "slots": outcomes, "summary": summary }),
        )
        .unwrap_or_default(),
    };
    println!("{}", redactor.redact(&out));
    Ok(if outcomes.iter().any(|o| o.verdict == Verdict::Worked) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    })
}

fn table(outcomes: &[Outcome], summary: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<24} {:<6} {:<9} sent as",
        "slot", "status", "verdict"
    );
    for o in outcomes {
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
            let _ = writeln!(out, "{:<24} server said: {m}", "");
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
