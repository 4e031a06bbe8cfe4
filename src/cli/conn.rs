//! The flags that change how a request connects, shared by `send`, `compare` and the TUI:
//! TLS trust (`-k`, `--cacert`), a client certificate (`--cert`, `--key`) and the proxy.

use crate::draft::Settings;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Clone, Args, Default)]
pub struct ConnArgs {
    /// Do not check the server's certificate (curl's -k); every result is marked
    /// TLS NOT VERIFIED.
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Also trust this CA (PEM) besides the system's roots, as curl's --cacert adds to them.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Show this client certificate (PEM) to a server that asks for one (mTLS); the key may
    /// be in the same file.
    #[arg(long, value_name = "FILE")]
    pub cert: Option<PathBuf>,
    /// The private key (PEM) of --cert, when it is in a file of its own.
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Send through this proxy (http://host:port); HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and
    /// NO_PROXY are used when neither --proxy nor --noproxy is given.
    #[arg(long, value_name = "URL", conflicts_with = "noproxy")]
    pub proxy: Option<String>,
    /// Connect directly, whatever the *_PROXY variables say.
    #[arg(long)]
    pub noproxy: bool,
}

impl ConnArgs {
    /// The flags as settings, to lay over a request's own (flags win).
    pub fn settings(&self) -> Settings {
        let shown = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
        Settings {
            insecure: self.insecure,
            ca_bundle: shown(&self.cacert),
            client_cert: shown(&self.cert),
            client_key: shown(&self.key),
            proxy: if self.noproxy {
                Some("none".into())
            } else {
                self.proxy.clone()
            },
            ..Settings::default()
        }
    }

    /// [`settings`](Self::settings) with the redirect and timeout flags, which `send`, `export`
    /// and the TUI spell alike (`--no-follow` is `--max-redirects 0`); a bad `--timeout` is an
    /// error naming it.
    pub fn with_limits(
        &self,
        timeout: Option<f64>,
        max_redirects: Option<usize>,
        no_follow: bool,
    ) -> Result<Settings, crate::send::InputError> {
        let mut s = self.settings();
        s.max_redirects = if no_follow { Some(0) } else { max_redirects };
        if let Some(t) = timeout {
            s.timeout_ms = Some(super::timeout_arg(t)?.as_millis().max(1) as u64);
        }
        Ok(s)
    }
}
