//! `authlens compare URL`: the same credential in every slot, as a table and one sentence.
//!
//! Exit code 0 when at least one slot got a 2xx, 4 when none did, 2 for bad input (a
//! `--spec` that does not load is one: nothing is sent), 1 when no slot got any response
//! because the network failed.

use super::{CliError, CompareArgs, Format};
use crate::secret::Redactor;
use crate::send::InputError;
use crate::slots::{self, Credential, Outcome, Plan, Verdict};
use crate::spec::Spec;
use crate::vars::resolve;
use std::fmt::Write;
use std::process::ExitCode;

pub fn run(args: CompareArgs) -> Result<ExitCode, CliError> {
    let credential: Vec<&str> = args.credential.iter().map(String::as_str).collect();
    let (draft, vars, options) =
        super::request_setup("compare", &args.request, args.timeout, &credential)?;
    let options = crate::send::settings::apply(
        &options,
        &args.conn.settings(),
        std::path::Path::new(""),
        crate::send::settings::Origin::Flags,
    )?;
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
    let runtime = super::runtime()?;
    let spec = super::spec_arg::load(
        "compare",
        args.request.spec.as_deref(),
        Some(&resolve(&draft, &vars).url.text),
        &options,
        &runtime,
    )?;
    let plan = slots::plan(&draft, &vars, &cred, spec.as_deref());
    // What is wrong in a slot's own request is bad input, found before anything is sent; a
    // slot that builds and still gets no answer failed in the network.
    let input_errors: Vec<Option<InputError>> = plan
        .slots
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
    let mut ctx = crate::live_context::rules_context(&vars);
    ctx.spec = spec.clone();
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
    let out = output(
        &args.format,
        &outcomes,
        &network,
        &summary,
        spec.as_deref(),
        &plan,
    );
    let out = if options.insecure {
        mark_unverified(&args.format, out)
    } else {
        out
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

/// The table (with the spec's line above it) or the JSON, before masking.
fn output(
    format: &Format,
    outcomes: &[Outcome],
    network: &[bool],
    summary: &str,
    spec: Option<&Spec>,
    plan: &Plan,
) -> String {
    match format {
        Format::Text => format!(
            "{}{}",
            spec_line(spec, plan),
            table(outcomes, network, summary, spec.is_some())
        ),
        Format::Json => {
            let mut json = serde_json::json!({ "slots": outcomes, "summary": summary });
            if let Some(spec) = spec {
                json["spec"] = serde_json::json!({ "source": spec.source, "note": plan.note });
            }
            serde_json::to_string_pretty(&json).unwrap_or_default()
        }
    }
}

/// The line above the table: which operation the spec matched and what it accepts, or why
/// no slot is marked.
fn spec_line(spec: Option<&Spec>, plan: &Plan) -> String {
    match (spec, &plan.note) {
        (Some(_), Some(note)) => format!("spec {note}\n\n"),
        _ => String::new(),
    }
}

/// The table: one row per slot, what the server said under it — or, for a slot that got no
/// answer, what failed (`network:` or `input:`), never put in the server's mouth. With a
/// spec, a column says what it said of each slot before anything was sent.
fn table(outcomes: &[Outcome], network: &[bool], summary: &str, with_spec: bool) -> String {
    let mut out = String::new();
    let spec_col = |text: &str| {
        if with_spec {
            format!("{text:<8} ")
        } else {
            String::new()
        }
    };
    let _ = writeln!(
        out,
        "{:<24} {:<6} {:<9} {}sent as",
        "slot",
        "status",
        "verdict",
        spec_col("spec")
    );
    for (i, o) in outcomes.iter().enumerate() {
        let status = o.status.map_or("-".to_string(), |s| s.to_string());
        let verdict = match o.verdict {
            Verdict::Worked => "✔ worked",
            Verdict::Rejected => "✘ refused",
            Verdict::Failed => "! failed",
        };
        let mark = o.spec.map_or("", |says| match says {
            slots::SpecSays::Accepts => "✓ spec",
            slots::SpecSays::Rejects => "✗ spec",
        });
        let _ = writeln!(
            out,
            "{:<24} {status:<6} {verdict:<9} {}{}",
            o.slot,
            spec_col(mark),
            o.sent_as
        );
        if let Some(schemes) = &o.spec_scheme {
            let _ = writeln!(out, "{:<24} spec: accepted by {schemes}", "");
        }
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

/// `-k`: every slot went without a certificate check, so the output says it first (text) or
/// carries `"tls_unverified": true` (JSON), as `send`'s does.
fn mark_unverified(format: &Format, out: String) -> String {
    match format {
        Format::Text => format!(
            "! {}: the server's certificate was not checked (-k/--insecure)\n\n{out}",
            crate::exchange::TLS_NOT_VERIFIED
        ),
        Format::Json => match serde_json::from_str::<serde_json::Value>(&out) {
            Ok(serde_json::Value::Object(mut map)) => {
                map.insert("tls_unverified".into(), serde_json::Value::Bool(true));
                serde_json::to_string_pretty(&map).unwrap_or(out)
            }
            _ => out,
        },
    }
}
