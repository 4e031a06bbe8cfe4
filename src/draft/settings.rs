//! How one request is sent, beyond what it says: timeout, redirects, TLS trust, a client
//! certificate and the proxy. Every field is optional so the command line or the TUI's defaults
//! fill the rest, and an old session or history file without them still loads.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Milliseconds for the whole chain; `None` takes the default (30 s).
    pub timeout_ms: Option<u64>,
    /// Redirects followed at most; `Some(0)` follows none.
    pub max_redirects: Option<usize>,
    /// Skip the server certificate check (curl's `-k`); marked in every view.
    pub insecure: bool,
    /// A PEM file of CA certificates trusted besides the system's.
    pub ca_bundle: Option<String>,
    /// A PEM client certificate (mTLS), with its key in it or in `client_key`.
    pub client_cert: Option<String>,
    pub client_key: Option<String>,
    /// `http://host:port` to send through, or `none` to ignore `HTTPS_PROXY` and friends.
    pub proxy: Option<String>,
}

impl Settings {
    pub fn is_default(&self) -> bool {
        *self == Settings::default()
    }

    /// `other`'s fields where it sets one, these elsewhere: flags over a file's settings.
    pub fn over(&self, other: &Settings) -> Settings {
        Settings {
            timeout_ms: other.timeout_ms.or(self.timeout_ms),
            max_redirects: other.max_redirects.or(self.max_redirects),
            insecure: self.insecure || other.insecure,
            ca_bundle: other.ca_bundle.clone().or_else(|| self.ca_bundle.clone()),
            client_cert: other
                .client_cert
                .clone()
                .or_else(|| self.client_cert.clone()),
            client_key: other.client_key.clone().or_else(|| self.client_key.clone()),
            proxy: other.proxy.clone().or_else(|| self.proxy.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_a_file_and_an_old_file_without_settings_loads() {
        let file = Settings {
            timeout_ms: Some(5000),
            proxy: Some("http://proxy.example:3128".into()),
            ..Settings::default()
        };
        let flags = Settings {
            timeout_ms: Some(1000),
            ..Settings::default()
        };
        let both = file.over(&flags);
        assert_eq!(both.timeout_ms, Some(1000));
        assert_eq!(both.proxy.as_deref(), Some("http://proxy.example:3128"));
        let old: Settings = serde_json::from_str("{}").unwrap();
        assert!(old.is_default());
    }
}
