//! The command line: clap definitions and dispatch to the headless commands.
//!
//! Each command lives in its own file and returns `Result<ExitCode, CliError>`; `run` hands
//! the result to [`error::report`], which prints an error as one line on stderr naming the
//! input, never as a panic or a backtrace, and picks its exit code.

pub(crate) mod compare;
pub(crate) mod conn;
pub(crate) mod diagnose;
pub(crate) mod error;
pub(crate) mod explain;
pub(crate) mod export;
pub(crate) mod findings;
pub(crate) mod import;
pub(crate) mod open;
pub(crate) mod print;
pub(crate) mod send;
pub(crate) mod send_from;
pub(crate) mod serve;
pub(crate) mod spec_arg;
pub(crate) mod stack;
pub(crate) mod watch;

pub use crate::flags::RequestArgs;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
pub use error::CliError;
pub use stack::StackArgs;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "authlens",
    version,
    about = "Why did this request get 401 Unauthorized?",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command: open the TUI, with this request drafted when a URL is given.
    #[command(flatten)]
    pub open: Option<RequestArgs>,
    /// How the TUI's sends connect, unless a request's own settings say otherwise.
    #[command(flatten)]
    pub flags: open::OpenFlags,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one request and print what went over the wire, the response and the findings.
    Send(SendArgs),
    /// Diagnose a recorded exchange (exchange JSON or HAR) without sending anything.
    Diagnose(DiagnoseArgs),
    /// Run the practice server alone, for curl, notebooks and other clients.
    Serve(ServeArgs),
    /// Send one credential as Bearer, as the API-key header, as Basic and as a query parameter.
    Compare(CompareArgs),
    /// Open the TUI on the lessons: each loads a broken request to fix against the practice server.
    Learn,
    /// Explain a cause in full (what it is, how it is recognised, the fix, the sources); with
    /// no cause, list them all.
    Explain(ExplainArgs),
    /// Watch your own program's requests through a proxy and diagnose each as it runs
    /// (`--upstream URL` for a base URL, else a forward proxy; `-- COMMAND` starts the program).
    Watch(watch::WatchArgs),
    /// Write the request as code for another client (curl, httpie, python-requests,
    /// python-httpx, js-fetch, rust-reqwest, http); credentials become environment lookups.
    Export(export::ExportArgs),
    /// Turn a HAR, a Postman collection v2.1, an OpenAPI / Swagger document or a curl command
    /// into a `.http` file; credentials become `{{NAME}}` references to set.
    Import(import::ImportArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// A cause id, as findings name it (e.g. `auth-scheme-case-nonstandard`).
    pub cause: Option<String>,
}

impl Command {
    /// The name typed on the command line, which prefixes the command's error messages.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Send(_) => "send",
            Command::Diagnose(_) => "diagnose",
            Command::Serve(_) => "serve",
            Command::Compare(_) => "compare",
            Command::Learn => "learn",
            Command::Explain(_) => "explain",
            Command::Watch(_) => "watch",
            Command::Export(_) => "export",
            Command::Import(_) => "import",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// Give up after this many seconds (covers connecting, waiting and reading the body, and
    /// reading a body from stdin or a pipe before that; at most 86400) [default: 30, or the
    /// request's `# @timeout` with --from].
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Follow at most this many redirects (0 = do not follow) [default: 10, or the
    /// request's `# @max-redirects` / `# @no-redirect` with --from].
    #[arg(long = "max-redirects", value_name = "N", conflicts_with = "no_follow")]
    pub max_redirects: Option<usize>,
    /// Do not follow redirects: show the 3xx itself (same as --max-redirects 0).
    #[arg(long = "no-follow")]
    pub no_follow: bool,
    #[command(flatten)]
    pub file: send_from::FromArgs,
    /// Show credentials in full instead of masked.
    #[arg(long)]
    pub reveal: bool,
    #[command(flatten)]
    pub conn: conn::ConnArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub stack: StackArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub request: RequestArgs,
    /// The credential to compare (e.g. '${API_KEY}'); default: the one in Authorization or a key header.
    #[arg(long, value_name = "VALUE")]
    pub credential: Option<String>,
    /// Give up on each slot after this many seconds (at most 86400).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// Show credentials in full instead of masked.
    #[arg(long)]
    pub reveal: bool,
    #[command(flatten)]
    pub conn: conn::ConnArgs,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Clone, Args)]
pub struct DiagnoseArgs {
    /// An exchange JSON file (one object or an array) or a HAR 1.2 file.
    pub file: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    #[command(flatten)]
    pub stack: StackArgs,
    /// Judge against the API's OpenAPI (3.x) or Swagger (2.0) document, JSON or YAML, from a
    /// file or a URL, instead of any the file carries (`context.openapi`).
    #[arg(long = "spec", value_name = "FILE|URL")]
    pub spec: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Port for the main origin (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// The key the X-API-Key routes expect (default: $API_KEY, else the printed practice key).
    #[arg(long = "api-key", value_name = "KEY")]
    pub api_key: Option<String>,
    /// Require a key even when none is configured (as API_KEY_REQUIRED=true does).
    #[arg(long = "api-key-required")]
    pub api_key_required: bool,
    /// Also serve the routes over TLS on this port (0 picks one), on a certificate from
    /// authlens's practice CA; its PEM path is printed for clients' --cacert.
    #[arg(long = "tls-port", value_name = "N")]
    pub tls_port: Option<u16>,
}

/// Parses the arguments, runs the command and reports its error; `main` only forwards the
/// exit code.
pub fn run() -> ExitCode {
    // The TUI opens without a URL; `send` still requires one (its own `url` is untouched).
    // `send --from FILE.http` takes its URL from the file.
    let matches = match Cli::command()
        .mut_arg("url", |a| a.required(false))
        .mut_subcommand("send", from_or_url)
        .mut_subcommand("export", from_or_url)
        .try_get_matches()
    {
        Ok(matches) => matches,
        Err(e) => clap_exit(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        // `authlens --env-file F` or `--spec S`: the TUI on the samples, with variables
        // from F, checked against S.
        Err(_) if matches.subcommand().is_none() && matches.get_one::<String>("url").is_none() => {
            let env_files = matches
                .get_many::<PathBuf>("env_files")
                .map(|v| v.cloned().collect())
                .unwrap_or_default();
            let flags = match open::OpenFlags::from_arg_matches(&matches) {
                Ok(flags) => flags,
                Err(e) => clap_exit(e),
            };
            Cli {
                command: None,
                flags,
                open: Some(RequestArgs {
                    env_files,
                    spec: matches.get_one::<String>("spec").cloned(),
                    ..RequestArgs::default()
                }),
            }
        }
        Err(e) => clap_exit(e),
    };
    let name = cli.command.as_ref().map(Command::name);
    let result = match cli.command {
        Some(Command::Send(args)) => send::run(args),
        Some(Command::Diagnose(args)) => diagnose::run(args),
        Some(Command::Serve(args)) => serve::run(args),
        Some(Command::Compare(args)) => compare::run(args),
        // The TUI still reports its own start-up errors.
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::Watch(args)) => watch::run(args),
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Import(args)) => import::run(args),
        Some(Command::Learn) => Ok(crate::tui::learn()),
        None => match cli.flags.settings() {
            Ok(flags) => Ok(crate::tui::run(cli.open, flags)),
            Err(e) => Err(e.into()),
        },
    };
    error::report(name, result)
}

/// A command's URL is needed unless `--from FILE.http` gives the request.
fn from_or_url(s: clap::Command) -> clap::Command {
    s.mut_arg("url", |a| {
        a.required(false)
            .required_unless_present("from")
            .default_value("")
    })
}

/// Exits with clap's message for a bad command line. That message quotes what was typed
/// (`unexpected argument 'Authorization: Bearer sk-…' found` when `-H` was forgotten), so each
/// quoted argument is masked as [`crate::secret::masked_arg`] masks it and control characters
/// are escaped; help and version, and a message with nothing to change, go out as clap
/// writes them.
fn clap_exit(e: clap::Error) -> ! {
    if e.use_stderr() {
        let text = e.render().to_string();
        let masked = mask_quoted(&text);
        let shown = crate::secret::escape_controls(&masked);
        if shown != text {
            eprint!("{shown}");
            std::process::exit(e.exit_code());
        }
    }
    e.exit()
}

/// Every `'…'` segment of clap's message masked as an argument, and any credential-shaped word
/// outside them too.
fn mask_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('\'') {
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('\'') else {
            rest = after;
            break;
        };
        let quoted = &after[..close];
        // clap's tip quotes the argument again as `'-- ARG'`.
        match quoted.strip_prefix("-- ") {
            Some(arg) => out.push_str(&format!("-- {}", crate::secret::masked_arg(arg))),
            None => out.push_str(&crate::secret::masked_arg(quoted)),
        }
        out.push('\'');
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    crate::secret::mask_shaped(&out)
}

/// Flags → the draft, its variables and send options, as `send` and `compare` both need them;
/// every `Err` is bad input: a flag, or the `.env` file. `command` prefixes a warning; `extra`
/// is text the command will interpolate besides the draft (`compare --credential`).
fn request_setup(
    command: &str,
    request: &RequestArgs,
    timeout: f64,
    extra: &[&str],
) -> Result<(crate::draft::Draft, crate::vars::Vars, crate::send::Options), CliError> {
    let timeout = timeout_arg(timeout)?;
    // A body from stdin or a pipe is read under the same limit as the send.
    let draft = crate::flags::draft_from_args_within(request, timeout)?;
    let vars = crate::vars::Vars::from_system(&[], &request.env_files);
    check_dotenv(command, &draft, extra, &vars)?;
    let options = crate::send::Options {
        timeout,
        ..crate::send::Options::default()
    };
    Ok((draft, vars, options))
}

/// A broken `.env` stops the command when it was named (`--env-file`) or the request needs
/// it; one the search found that the request does not use is only a warning.
fn check_dotenv(
    command: &str,
    draft: &crate::draft::Draft,
    extra: &[&str],
    vars: &crate::vars::Vars,
) -> Result<(), CliError> {
    if let Some(e) = vars.dotenv.first_error() {
        if vars.dotenv.explicit || uses_file(draft, extra, vars, &e.path) {
            return Err(e.into());
        }
        print::errln(&format!(
            "authlens {command}: warning: {}; it was found by the .env search and this request uses none of its variables, so it goes on",
            CliError::from(e)
        ));
    }
    Ok(())
}

/// Whether the request needs `file` (a broken `.env` the search found): a `${NAME}` it
/// references is not set anywhere — the file might define it past its broken line — or its
/// value comes from that file.
fn uses_file(
    draft: &crate::draft::Draft,
    extra: &[&str],
    vars: &crate::vars::Vars,
    file: &std::path::Path,
) -> bool {
    // Resolved against nothing, every reference of the draft is listed, wherever it stands.
    let in_draft = crate::vars::resolve(draft, &crate::vars::Vars::default()).unresolved;
    let names = in_draft.into_iter().map(|(name, _)| name).chain(
        extra
            .iter()
            .flat_map(|t| crate::vars::find_refs(t))
            .map(|r| r.name),
    );
    names.into_iter().any(|name| match vars.get(&name) {
        None => true,
        Some(b) => matches!(&b.source, crate::vars::Source::Dotenv { path, .. } if path == file),
    })
}

/// `send --timeout` when none is given (nor a `.http` request's `# @timeout`).
const DEFAULT_TIMEOUT: f64 = 30.0;

/// The longest `--timeout` taken: a day. Far past any request worth waiting for, and far below
/// what a deadline can hold (`1e19` seconds overflows the clock and panicked).
const MAX_TIMEOUT_SECS: f64 = 24.0 * 3600.0;

/// `--timeout SECONDS` as a duration: positive, finite and at most [`MAX_TIMEOUT_SECS`].
fn timeout_arg(timeout: f64) -> Result<std::time::Duration, crate::send::InputError> {
    // `1e19`, not twenty digits: a huge value is shown the way it was probably typed.
    let shown = if timeout.abs() >= 1e9 {
        format!("--timeout {timeout:e}")
    } else {
        format!("--timeout {timeout}")
    };
    if !(timeout > 0.0 && timeout.is_finite()) {
        return Err(crate::send::InputError::new(
            shown,
            "must be a positive number of seconds",
        ));
    }
    if timeout > MAX_TIMEOUT_SECS {
        return Err(crate::send::InputError::new(
            shown,
            format!("must be at most {MAX_TIMEOUT_SECS} seconds (24 h)"),
        ));
    }
    Ok(std::time::Duration::from_secs_f64(timeout))
}

/// `redactor`, also masking every credential-shaped word of the URL as typed (a key pasted
/// into the path), so the wire view, the JSON and the errors all hide it alike.
fn url_redactor(mut redactor: crate::secret::Redactor, url: &str) -> crate::secret::Redactor {
    for word in crate::secret::shaped_words(url) {
        redactor.add(word);
    }
    redactor
}

/// One thread is plenty for a headless command: it waits on sockets, not on CPU.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::local("start the async runtime", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_messages_quote_arguments_masked() {
        let text = "error: unexpected argument 'Authorization: Bearer hunter22' found\n\n  \
                    tip: to pass 'Authorization: Bearer hunter22' as a value, use '-- Authorization: Bearer hunter22'\n";
        let shown = mask_quoted(text);
        assert!(!shown.contains("hunter22"), "{shown}");
        assert!(
            shown.contains("'-- Authorization: Bearer •••• (8 chars)'"),
            "{shown}"
        );
        let plain = "error: unexpected argument '--heade' found\n";
        assert_eq!(mask_quoted(plain), plain);
    }

    #[test]
    fn a_timeout_is_positive_and_at_most_a_day() {
        assert_eq!(timeout_arg(2.5).unwrap().as_millis(), 2500);
        assert!(timeout_arg(86_400.0).is_ok());
        for (t, says) in [
            (0.0, "--timeout 0: must be a positive"),
            (f64::NAN, "--timeout NaN: must be a positive"),
            (86_401.0, "--timeout 86401: must be at most 86400 seconds"),
            (1e19, "--timeout 1e19: must be at most"),
            (1e20, "--timeout 1e20: must be at most"),
        ] {
            let e = timeout_arg(t).unwrap_err().to_string();
            assert!(e.starts_with(says), "{t}: {e}");
        }
    }
}
