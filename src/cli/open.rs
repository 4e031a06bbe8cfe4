//! The connection flags of `authlens [flags] [URL]` (the TUI): the same `-k`, `--cacert`,
//! `--cert`, `--key`, `--proxy`, `--noproxy`, `--timeout` and redirect flags `send` takes,
//! as settings every request sent from the TUI starts from.

use super::conn::ConnArgs;
use crate::draft::Settings;
use crate::send::InputError;
use clap::Args;

#[derive(Debug, Clone, Args, Default)]
pub struct OpenFlags {
    #[command(flatten)]
    pub conn: ConnArgs,
    /// Give up on each send after this many seconds (at most 86400) [default: 30]; a
    /// request's Settings tab can say otherwise.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Follow at most this many redirects (0 = do not follow) [default: 10].
    #[arg(long = "max-redirects", value_name = "N", conflicts_with = "no_follow")]
    pub max_redirects: Option<usize>,
    /// Do not follow redirects: show the 3xx itself.
    #[arg(long = "no-follow")]
    pub no_follow: bool,
}

impl OpenFlags {
    /// The flags as settings; a bad `--timeout` is an error naming it.
    pub fn settings(&self) -> Result<Settings, InputError> {
        self.conn
            .with_limits(self.timeout, self.max_redirects, self.no_follow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_become_the_settings_every_send_starts_from() {
        let f = OpenFlags {
            conn: ConnArgs {
                insecure: true,
                ..ConnArgs::default()
            },
            timeout: Some(2.5),
            no_follow: true,
            ..OpenFlags::default()
        };
        let s = f.settings().unwrap();
        assert!(s.insecure);
        assert_eq!(s.timeout_ms, Some(2500));
        assert_eq!(s.max_redirects, Some(0));
        let bad = OpenFlags {
            timeout: Some(-1.0),
            ..OpenFlags::default()
        };
        assert!(
            bad.settings()
                .unwrap_err()
                .to_string()
                .contains("--timeout")
        );
    }
}
