//! `authlens send`: send once and print the wire, the response and the findings.
//!
//! Exit codes: 0 below 400, 4 for 4xx, 5 for 5xx or a status outside 100–599 (the `Ok` of
//! `run`); its errors are bad input (2) or a transport failure (1), as `SendError::exit_code`
//! says. With `--format json` a transport failure still prints one document: the hops that
//! completed and an `error` object.

use super::{CliError, Format, SendArgs, findings, print};
use crate::draft::Draft;
use crate::exchange::Exchange;
use crate::formats::exchange_json::{
    Context, ExchangeFile, FileRedirect, FileRequest, FileResponse,
};
use crate::formats::export_mask;
use crate::rules::{self, Finding};
use crate::secret::{Redactor, mask};
use crate::send::{self, SendError};
use crate::vars::{Vars, resolve};
use std::process::ExitCode;

pub fn run(args: SendArgs) -> Result<ExitCode, CliError> {
    let (draft, vars, options) = match args.file.file(&args.request.url, "send")? {
        Some(path) => super::send_from::setup(&args, path)?,
        None => super::request_setup(
            "send",
            &args.request,
            args.timeout.unwrap_or(super::DEFAULT_TIMEOUT),
            &[],
        )?,
    };
    // The timeout is already in `options` (`request_setup`, or over a file's `# @timeout`).
    let flags = args
        .conn
        .with_limits(None, args.max_redirects, args.no_follow)?;
    let options = send::settings::apply(
        &options,
        &flags,
        std::path::Path::new(""),
        send::settings::Origin::Flags,
    )?;
    let redactor = if args.reveal {
        Redactor::new()
    } else {
        super::url_redactor(resolve(&draft, &vars).redactor, &draft.url)
    };
    let runtime = super::runtime()?;
    let mut ctx = crate::live_context::rules_context(&vars);
    ctx.program = args.stack.stack("send");
    let spec_url = resolve(&draft, &vars).url.text;
    ctx.spec = super::spec_arg::load(
        "send",
        args.request.spec.as_deref(),
        Some(&spec_url),
        &options,
        &runtime,
    )?;
    let lint = rules::lint(&draft, &vars, &ctx);
    if args.format == Format::Text && !lint.is_empty() {
        print::outln(&format!(
            "Before sending:\n{}",
            redactor.redact(&findings::text(&lint, &draft))
        ));
    }
    match runtime.block_on(send::run(&draft, &vars, &options)) {
        Ok(ex) => {
            let found = rules::diagnose_exchange(&draft, &vars, &ex, &ctx);
            let mut redactor = redactor;
            if !args.reveal {
                redactor.learn_response(&ex);
            }
            emit(&args, &draft, &vars, &ex, &redactor, &lint, &found);
            if args.request.spec.is_none() && auth_failed(&ex) {
                super::spec_arg::hint("send", &spec_url);
            }
            Ok(ExitCode::from(status_code(&ex)))
        }
        Err(error) => {
            // The redirects that came back before the network failed are part of the answer.
            if let SendError::Transport { partial, error: t } = &error {
                match args.format {
                    Format::Text if !partial.hops.is_empty() => {
                        print::out(&print::exchange(partial, &redactor));
                    }
                    Format::Text => {}
                    // A JSON reader gets one document either way: the hops, and what failed.
                    Format::Json => {
                        let shown = CliError::Send {
                            error: SendError::Transport {
                                error: t.clone(),
                                partial: Box::default(),
                            },
                            redactor: redactor.clone(),
                        }
                        .to_string();
                        let failure = serde_json::json!({
                            "kind": "network",
                            "phase": t.phase,
                            "message": shown,
                        });
                        // Every completed hop was a redirect that was followed; no final
                        // response came.
                        let mut file =
                            exchange_file(&draft, &vars, partial, &redactor, args.reveal);
                        file.response = None;
                        file.redirects =
                            (!partial.hops.is_empty()).then(|| file_redirects(&partial.hops));
                        print_json(file, "error", failure, &redactor);
                    }
                }
            }
            Err(CliError::Send { error, redactor })
        }
    }
}

fn emit(
    args: &SendArgs,
    draft: &Draft,
    vars: &Vars,
    ex: &Exchange,
    redactor: &Redactor,
    lint: &[Finding],
    found: &[Finding],
) {
    match args.format {
        Format::Text => {
            print::out(&print::exchange(ex, redactor));
            if let Some(note) = odd_status_note(ex) {
                print::outln(&format!("\n{note}"));
            }
            // The lint findings were printed before sending; say only what the response added.
            let new: Vec<Finding> = found
                .iter()
                .filter(|f| !lint.contains(f))
                .cloned()
                .collect();
            if found.is_empty() {
                print::outln("\nNo findings: nothing here explains an authentication failure.");
            } else if new.is_empty() {
                print::outln("\nAfter the response: nothing new beyond the findings above.");
            } else {
                print::outln(&format!(
                    "\nAfter the response:\n{}",
                    redactor.redact(&findings::text(&new, draft))
                ));
            }
        }
        Format::Json => {
            let mut file = exchange_file(draft, vars, ex, redactor, args.reveal);
            if !args.reveal {
                file.masked = export_mask::masks_of(&file, vars, redactor);
            }
            let found = serde_json::to_value(found).unwrap_or_default();
            print_json(file, "findings", found, redactor);
        }
    }
}

/// The exchange JSON with one more key (`findings`, or `error` when the network failed).
fn print_json(file: ExchangeFile, key: &str, extra: serde_json::Value, redactor: &Redactor) {
    let mut value = serde_json::to_value(&file).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(key.into(), extra);
    }
    match serde_json::to_string_pretty(&value) {
        Ok(text) => print::json(&redactor.redact(&text)),
        Err(e) => print::errln(&format!("authlens: cannot write JSON: {e}")),
    }
}

/// The final answer refused the credential (401) or the request (403): the spec could say
/// which slot the API reads.
fn auth_failed(ex: &Exchange) -> bool {
    ex.hops
        .last()
        .is_some_and(|h| matches!(h.response.status, 401 | 403))
}

/// The README's exit codes: 0 for 100–399, 4 for a 4xx, 5 for a 5xx — and 5 for a status
/// outside HTTP's 100–599 that the client still took (`999`): no success, and the server's
/// fault.
fn status_code(ex: &Exchange) -> u8 {
    match ex.final_response().map_or(0, |r| r.status) {
        100..=399 => 0,
        400..=499 => 4,
        _ => 5,
    }
}

/// A line under a status that is no HTTP status, so exit code 5 is not a mystery.
fn odd_status_note(ex: &Exchange) -> Option<String> {
    let status = ex.final_response()?.status;
    (!(100..=599).contains(&status)).then(|| {
        format!("! status {status} is outside HTTP's 100–599: counted as a server error (exit 5)")
    })
}

/// The exchange JSON of docs/ARCHITECTURE.md §4: the request as typed, the variables it used
/// (masked unless revealed), the final response, the redirect chain, the context, and every
/// captured hop.
pub fn exchange_file(
    draft: &Draft,
    vars: &Vars,
    ex: &Exchange,
    redactor: &Redactor,
    reveal: bool,
) -> ExchangeFile {
    let used: std::collections::BTreeMap<String, String> = resolved_names(draft)
        .into_iter()
        .filter_map(|n| {
            vars.get(&n).map(|b| {
                let value = if reveal {
                    b.value.clone()
                } else {
                    mask_if_secret(&n, &b.value, redactor)
                };
                (n, value)
            })
        })
        .collect();
    let hops = &ex.hops;
    let redirects = file_redirects(&hops[..hops.len().saturating_sub(1)]);
    let response = ex.final_response().map(|r| FileResponse {
        status: r.status,
        headers: r.headers.clone(),
        body: r.body.as_text().map(|t| redactor.redact(t)),
    });
    ExchangeFile {
        env: used,
        request: FileRequest {
            method: draft.method.clone(),
            url: draft.url.clone(),
            headers: draft
                .enabled_headers()
                .map(|(_, r)| (r.name.clone(), r.value.clone()))
                .collect(),
            query: (!draft.query.is_empty()).then(|| {
                draft
                    .query
                    .iter()
                    .filter(|q| q.enabled)
                    .map(|q| (q.name.clone(), q.value.clone()))
                    .collect()
            }),
            body: match &draft.body {
                crate::draft::Body::Text { text, .. } => Some(text.clone()),
                _ => None,
            },
        },
        response,
        redirects: (!redirects.is_empty()).then_some(redirects),
        context: Some(Context {
            client: Some(format!("reqwest-{}", REQWEST_VERSION)),
            loader: Some("dotenvy-0.15".into()),
            cwd: std::env::current_dir()
                .ok()
                .map(|p| p.display().to_string()),
            dotenv_path: vars
                .dotenv
                .files
                .first()
                .map(|f| f.path.display().to_string()),
            ..Context::default()
        }),
        exchange: Some(export_mask::redact_exchange(ex, redactor)),
        ..ExchangeFile::default()
    }
}

/// Hops that were followed, as the exchange JSON's `redirects`.
fn file_redirects(hops: &[crate::exchange::Hop]) -> Vec<FileRedirect> {
    hops.iter()
        .map(|h| FileRedirect {
            status: h.response.status,
            from: h.request.url.clone(),
            location: h.response.header("location").unwrap_or("").to_string(),
            set_cookie: h
                .response
                .header_values("set-cookie")
                .map(str::to_string)
                .collect(),
        })
        .collect()
}

/// The pinned reqwest version (Cargo.toml `=0.13.5`); its redirect rules decide what was stripped.
const REQWEST_VERSION: &str = "0.13.5";

fn resolved_names(draft: &Draft) -> Vec<String> {
    let mut texts: Vec<&str> = vec![&draft.url];
    for r in draft
        .enabled_headers()
        .map(|(_, r)| r)
        .chain(draft.query.iter().filter(|q| q.enabled))
    {
        texts.push(&r.name);
        texts.push(&r.value);
    }
    if let crate::draft::Body::Text { text, .. } = &draft.body {
        texts.push(text);
    }
    let mut names: Vec<String> = texts
        .iter()
        .flat_map(|t| crate::vars::find_refs(t))
        .map(|r| r.name)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// A variable's value for `--format json`: masked when it is a secret the redactor knows or
/// its name says it is one.
fn mask_if_secret(name: &str, value: &str, redactor: &Redactor) -> String {
    if redactor.redact(value) != value || crate::secret::is_credential_name(name) {
        mask(value)
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_masked_by_its_name_or_as_a_known_secret_not_by_its_words() {
        let mut r = Redactor::new();
        r.add("EXAMPLE-FAKE-known-0000");
        assert_eq!(
            mask_if_secret("MODE", "token-endpoint", &r),
            "token-endpoint"
        );
        assert_ne!(
            mask_if_secret("API_TOKEN", "EXAMPLE-plain", &r),
            "EXAMPLE-plain"
        );
        let known = mask_if_secret("NOTE", "EXAMPLE-FAKE-known-0000", &r);
        assert!(!known.contains("known"), "{known}");
    }
}
