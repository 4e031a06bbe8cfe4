//! The command line's one error path: every command returns `Result<ExitCode, CliError>`, and
//! [`report`] is the only place an error is printed (one line on stderr) and given its exit code.
//!
//! Exit codes, as the README lists them: 2 for bad input — a flag, a header, a variable, a file
//! named for the command — and 1 when the network or this machine failed. The codes of a run that
//! finished (4 for a 4xx, 5 for a 5xx) are a command's `Ok`, not errors.

use crate::secret::{Redactor, masked_url_text};
use crate::send::{InputError, SendError, TransportError};
use std::fmt;
use std::path::PathBuf;
use std::process::ExitCode;

/// Why a command stopped, by kind; each kind carries what its message names.
#[derive(Debug)]
pub enum CliError {
    /// A flag or argument is wrong: `-H argument 2 "…"`, `--timeout -1`, the URL. Exit 2.
    Input(InputError),
    /// Something the command needs was not given at all (no credential to compare). Exit 2.
    Missing(String),
    /// A file named for the command (a `.env`, the file to diagnose) could not be read or
    /// parsed: its path, and the line (and column) when the problem has one. Exit 2.
    File {
        path: PathBuf,
        at: Option<Position>,
        message: String,
    },
    /// The send failed: on bad input found while building the request (exit 2) or in the
    /// network (exit 1), as [`SendError::exit_code`] says. Shown through `redactor`, so a key
    /// the message quotes stays masked.
    Send {
        error: SendError,
        redactor: Redactor,
    },
    /// Every request of the command failed in the network, so no server said anything
    /// (`compare` with no slot answered). Exit 1. The message is already masked.
    Network(String),
    /// This machine refused what the command needs: the async runtime, a port to listen on.
    /// Exit 1, like a network failure: nothing the user typed is wrong.
    Local {
        /// What could not be done, after "cannot": `start the async runtime`.
        doing: String,
        error: std::io::Error,
        /// What to try, in parentheses after the error.
        hint: Option<&'static str>,
    },
}

/// A place in a file: a 1-based line, and a 1-based column when the parser gives one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: Option<usize>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(column) => write!(f, "{}:{column}", self.line),
            None => write!(f, "{}", self.line),
        }
    }
}

impl CliError {
    /// A failure of this machine, not of the input: `cannot {doing}: {error}`.
    pub fn local(doing: impl Into<String>, error: std::io::Error) -> Self {
        CliError::Local {
            doing: doing.into(),
            error,
            hint: None,
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) | CliError::Missing(_) | CliError::File { .. } => 2,
            CliError::Send { error, .. } => error.exit_code(),
            CliError::Network(_) | CliError::Local { .. } => 1,
        }
    }
}

impl From<InputError> for CliError {
    fn from(e: InputError) -> Self {
        CliError::Input(e)
    }
}

/// A `.env` that could not be read (`path: message`) or parsed (`path:line: message`).
impl From<&crate::vars::DotenvError> for CliError {
    fn from(e: &crate::vars::DotenvError) -> Self {
        CliError::File {
            path: e.path.clone(),
            // Line 0 means the file could not be read at all: there is no line to name.
            at: (e.line > 0).then_some(Position {
                line: e.line,
                column: None,
            }),
            message: e.message.clone(),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(e) => write!(f, "{e}"),
            CliError::Missing(what) | CliError::Network(what) => f.write_str(what),
            CliError::File { path, at, message } => match at {
                Some(at) => write!(f, "{}:{at}: {message}", path.display()),
                None => write!(f, "{}: {message}", path.display()),
            },
            CliError::Send { error, redactor } => {
                let text = match error {
                    // The URL may carry a key the redactor never saw: in its path, its userinfo.
                    SendError::Transport { error: t, .. } => TransportError {
                        url: masked_url_text(&redactor.redact(&t.url)),
                        ..t.clone()
                    }
                    .to_string(),
                    other => other.to_string(),
                };
                f.write_str(&redactor.redact(&text))
            }
            CliError::Local { doing, error, hint } => {
                write!(f, "cannot {doing}: {error}")?;
                match hint {
                    Some(hint) => write!(f, " ({hint})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for CliError {}

/// The reporter: a command's `Ok` code passes through; an error becomes one line on stderr,
/// `authlens <command>: <message>`, and the exit code of its kind.
pub fn report(command: Option<&str>, result: Result<ExitCode, CliError>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            super::print::errln(&format!("{}: {e}", prefix(command)));
            ExitCode::from(e.exit_code())
        }
    }
}

fn prefix(command: Option<&str>) -> String {
    match command {
        Some(name) => format!("authlens {name}"),
        None => "authlens".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::Exchange;
    use crate::send::{Phase, TransportError};

    fn transport() -> SendError {
        SendError::Transport {
            error: TransportError {
                phase: Phase::Connect,
                url: "http://127.0.0.1:9/?key=EXAMPLE-FAKE-0000".into(),
                detail: "Connection refused".into(),
            },
            partial: Box::new(Exchange::default()),
        }
    }

    #[test]
    fn each_kind_has_the_readme_exit_code() {
        let io = || std::io::Error::other("EXAMPLE");
        let cases: Vec<(CliError, u8)> = vec![
            (InputError::new("-H argument 1", "EXAMPLE").into(), 2),
            (CliError::Missing("no credential".into()), 2),
            (
                CliError::File {
                    path: "x.json".into(),
                    at: None,
                    message: "cannot read".into(),
                },
                2,
            ),
            (
                CliError::Send {
                    error: InputError::new("the URL", "EXAMPLE").into(),
                    redactor: Redactor::new(),
                },
                2,
            ),
            (
                CliError::Send {
                    error: transport(),
                    redactor: Redactor::new(),
                },
                1,
            ),
            (CliError::local("start the async runtime", io()), 1),
            (CliError::Network("the network failed".into()), 1),
        ];
        for (e, code) in cases {
            assert_eq!(e.exit_code(), code, "{e}");
        }
    }

    #[test]
    fn a_file_is_named_with_the_position_it_has() {
        let file = |at| CliError::File {
            path: "dir/one.json".into(),
            at,
            message: "EOF while parsing".into(),
        };
        assert_eq!(
            file(Some(Position {
                line: 3,
                column: Some(7)
            }))
            .to_string(),
            "dir/one.json:3:7: EOF while parsing"
        );
        assert_eq!(
            file(Some(Position {
                line: 3,
                column: None
            }))
            .to_string(),
            "dir/one.json:3: EOF while parsing"
        );
        assert_eq!(file(None).to_string(), "dir/one.json: EOF while parsing");
    }

    #[test]
    fn an_unreadable_dotenv_names_no_line_zero() {
        let e = crate::vars::DotenvError {
            path: "nope.env".into(),
            line: 0,
            message: "no such file".into(),
        };
        assert_eq!(CliError::from(&e).to_string(), "nope.env: no such file");
    }

    #[test]
    fn a_failed_send_is_shown_masked() {
        let mut redactor = Redactor::new();
        redactor.add("EXAMPLE-FAKE-0000");
        let shown = CliError::Send {
            error: transport(),
            redactor,
        }
        .to_string();
        assert!(shown.starts_with("could not connect for"), "{shown}");
        assert!(!shown.contains("EXAMPLE-FAKE-0000"), "{shown}");
    }
}
