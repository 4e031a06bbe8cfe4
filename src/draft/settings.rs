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

/// One field of [`Settings`] as the editor's Settings tab shows and edits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingField {
    Timeout,
    Redirects,
    Insecure,
    CaBundle,
    ClientCert,
    ClientKey,
    Proxy,
}

impl SettingField {
    /// In the order the tab lists them.
    pub const ALL: [SettingField; 7] = [
        SettingField::Timeout,
        SettingField::Redirects,
        SettingField::Insecure,
        SettingField::CaBundle,
        SettingField::ClientCert,
        SettingField::ClientKey,
        SettingField::Proxy,
    ];

    /// The label, as errors name it too (`Settings › timeout`, see `send::settings::Origin`).
    pub fn label(self) -> &'static str {
        match self {
            SettingField::Timeout => "timeout",
            SettingField::Redirects => "redirects",
            SettingField::Insecure => "verify TLS",
            SettingField::CaBundle => "CA bundle",
            SettingField::ClientCert => "client cert",
            SettingField::ClientKey => "client key",
            SettingField::Proxy => "proxy",
        }
    }

    /// What an empty field means, shown in its place.
    pub fn default_text(self) -> &'static str {
        match self {
            SettingField::Timeout => "30 s (default)",
            SettingField::Redirects => "follow up to 10 (default)",
            SettingField::Insecure => "yes",
            SettingField::CaBundle => "system roots only",
            SettingField::ClientCert => "none",
            SettingField::ClientKey => "in the cert file, if any",
            SettingField::Proxy => "HTTPS_PROXY / HTTP_PROXY / NO_PROXY, if set",
        }
    }
}

/// The longest timeout a field takes, as `--timeout` does: a day.
const MAX_TIMEOUT_S: f64 = 86_400.0;

impl Settings {
    /// The field as typed text: seconds for the timeout, a count for redirects (`0` follows
    /// none), a path or URL; empty where the default applies.
    pub fn text(&self, f: SettingField) -> String {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        match f {
            SettingField::Timeout => self.timeout_ms.map(seconds_text).unwrap_or_default(),
            SettingField::Redirects => self
                .max_redirects
                .map(|n| n.to_string())
                .unwrap_or_default(),
            SettingField::Insecure => String::new(),
            SettingField::CaBundle => opt(&self.ca_bundle),
            SettingField::ClientCert => opt(&self.client_cert),
            SettingField::ClientKey => opt(&self.client_key),
            SettingField::Proxy => opt(&self.proxy),
        }
    }

    /// Sets the field from typed text; an empty text brings back the default. `Err` says what
    /// the text should be, and leaves the settings as they were.
    pub fn set_text(&mut self, f: SettingField, text: &str) -> Result<(), String> {
        let t = text.trim();
        let path = || (!t.is_empty()).then(|| t.to_string());
        match f {
            SettingField::Timeout => self.timeout_ms = parse_timeout(t)?,
            SettingField::Redirects => {
                self.max_redirects = match t {
                    "" => None,
                    _ => Some(t.parse().map_err(|_| {
                        format!("{t:?} is not a number of redirects (0 follows none)")
                    })?),
                }
            }
            SettingField::Insecure => {}
            SettingField::CaBundle => self.ca_bundle = path(),
            SettingField::ClientCert => self.client_cert = path(),
            SettingField::ClientKey => self.client_key = path(),
            SettingField::Proxy => {
                // Settings are saved with the request; a password would be saved with them.
                if url::Url::parse(t).is_ok_and(|u| u.password().is_some()) {
                    return Err("a proxy password would be saved with the request: put the proxy in HTTPS_PROXY / HTTP_PROXY, or give --proxy when starting authlens".into());
                }
                self.proxy = path();
            }
        }
        Ok(())
    }

    /// How many fields differ from the defaults, for the tab's title.
    pub fn count(&self) -> usize {
        let d = Settings::default();
        SettingField::ALL
            .iter()
            .filter(|f| match f {
                SettingField::Insecure => self.insecure,
                f => self.text(**f) != d.text(**f),
            })
            .count()
    }
}

/// `1.5` for 1500 ms, `30` for 30000: what a user would type.
fn seconds_text(ms: u64) -> String {
    let s = format!("{:.3}", ms as f64 / 1000.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn parse_timeout(t: &str) -> Result<Option<u64>, String> {
    if t.is_empty() {
        return Ok(None);
    }
    let number = t.strip_suffix('s').unwrap_or(t).trim();
    match number.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= MAX_TIMEOUT_S => Ok(Some((s * 1000.0).round().max(1.0) as u64)),
        _ => Err(format!(
            "{t:?} is not a timeout: seconds above 0, at most {MAX_TIMEOUT_S} (e.g. 5 or 2.5)"
        )),
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

    #[test]
    fn fields_read_and_write_as_typed_text() {
        let mut s = Settings::default();
        s.set_text(SettingField::Timeout, "2.5").unwrap();
        assert_eq!(s.timeout_ms, Some(2500));
        assert_eq!(s.text(SettingField::Timeout), "2.5");
        s.set_text(SettingField::Timeout, "5s").unwrap();
        assert_eq!(s.text(SettingField::Timeout), "5");
        s.set_text(SettingField::Redirects, "0").unwrap();
        assert_eq!(s.max_redirects, Some(0));
        s.set_text(SettingField::Proxy, " http://proxy.example:3128 ")
            .unwrap();
        assert_eq!(s.proxy.as_deref(), Some("http://proxy.example:3128"));
        assert_eq!(s.count(), 3);
        s.set_text(SettingField::Timeout, "").unwrap();
        assert_eq!(s.timeout_ms, None);
    }

    #[test]
    fn a_bad_field_says_what_it_takes_and_changes_nothing() {
        let mut s = Settings {
            timeout_ms: Some(1000),
            ..Settings::default()
        };
        for bad in ["abc", "0", "-1", "90000"] {
            let e = s.set_text(SettingField::Timeout, bad).unwrap_err();
            assert!(e.contains("seconds"), "{e}");
        }
        assert!(s.set_text(SettingField::Redirects, "many").is_err());
        let e = s
            .set_text(
                SettingField::Proxy,
                "http://me:FAKE-pass@proxy.example:3128",
            )
            .unwrap_err();
        assert!(e.contains("HTTPS_PROXY"), "{e}");
        assert_eq!(s.proxy, None);
        assert_eq!(s.timeout_ms, Some(1000));
        assert_eq!(s.max_redirects, None);
    }
}
