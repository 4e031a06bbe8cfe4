//! A request's [`Settings`] laid over the send options: files read relative to where the
//! request came from, and every error naming the setting as the user wrote it (`--cert`,
//! `# @cert`, the TUI's field).

use super::{ClientIdentity, InputError, Options, ProxySetting};
use crate::draft::Settings;
use std::path::Path;
use std::time::Duration;

/// Where settings were written, for the names errors and the timeout message use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flags,
    HttpFile,
    Tui,
}

impl Origin {
    /// The setting `field` as its origin spells it.
    pub fn name(self, field: &str) -> String {
        let (flag, directive, tui) = match field {
            "timeout" => ("--timeout", "# @timeout", "Settings › timeout"),
            "redirects" => (
                "--max-redirects",
                "# @max-redirects",
                "Settings › redirects",
            ),
            "cacert" => ("--cacert", "# @cacert", "Settings › CA bundle"),
            "cert" => ("--cert", "# @cert", "Settings › client cert"),
            "key" => ("--key", "# @key", "Settings › client key"),
            "proxy" => ("--proxy", "# @proxy", "Settings › proxy"),
            _ => (field, field, field),
        };
        match self {
            Origin::Flags => flag,
            Origin::HttpFile => directive,
            Origin::Tui => tui,
        }
        .to_string()
    }

    /// What the timeout message names.
    fn timeout_name(self) -> &'static str {
        match self {
            Origin::Flags => "--timeout",
            Origin::HttpFile => "# @timeout",
            Origin::Tui => "Settings › timeout",
        }
    }
}

/// `options` with what `s` sets; paths relative to `base`. Reads the certificate files now,
/// so a missing or wrong one is an error before anything is sent.
pub fn apply(
    options: &Options,
    s: &Settings,
    base: &Path,
    origin: Origin,
) -> Result<Options, InputError> {
    let mut out = options.clone();
    if let Some(ms) = s.timeout_ms {
        out.timeout = Duration::from_millis(ms.max(1));
        out.timeout_source = origin.timeout_name();
    }
    if let Some(n) = s.max_redirects {
        out.max_redirects = n;
    }
    out.insecure |= s.insecure;
    let path = |p: &str| base.join(p);
    if let Some(ca) = &s.ca_bundle {
        out.extra_roots = crate::ca::read_pem_certs(&path(ca))
            .map_err(|e| InputError::new(format!("{} {ca}", origin.name("cacert")), e))?;
    }
    match (&s.client_cert, &s.client_key) {
        (Some(cert), key) => {
            let key_path = key.as_deref().map(path);
            let pem = crate::ca::read_identity(&path(cert), key_path.as_deref()).map_err(
                |(which, e)| {
                    let shown = if which == "key" {
                        key.as_deref().unwrap_or(cert)
                    } else {
                        cert
                    };
                    let e = match (key, e == crate::ca::NO_PRIVATE_KEY) {
                        (None, true) => {
                            format!("{e} in it: give the key file with {}", origin.name("key"))
                        }
                        _ => e,
                    };
                    InputError::new(format!("{} {shown}", origin.name(which)), e)
                },
            )?;
            out.client_identity = Some(ClientIdentity { pem });
        }
        (None, Some(key)) => {
            return Err(InputError::new(
                format!("{} {key}", origin.name("key")),
                format!("a key needs its certificate: add {}", origin.name("cert")),
            ));
        }
        (None, None) => {}
    }
    if let Some(p) = &s.proxy {
        let shown = crate::vars::scrub::proxy_without_password(p);
        out.proxy = proxy_setting(p)
            .map_err(|e| InputError::new(format!("{} {shown}", origin.name("proxy")), e))?;
    }
    Ok(out)
}

/// `none`/empty → no proxy; otherwise a URL with a scheme reqwest can proxy through.
fn proxy_setting(p: &str) -> Result<ProxySetting, String> {
    let p = p.trim();
    if p.is_empty() || p.eq_ignore_ascii_case("none") {
        return Ok(ProxySetting::Off);
    }
    let url = reqwest::Url::parse(p).map_err(|e| format!("not a proxy URL: {e}"))?;
    match url.scheme() {
        "http" | "https" | "socks5" | "socks5h" if url.host().is_some() => {
            Ok(ProxySetting::Url(p.to_string()))
        }
        s => Err(format!(
            "{s}:// is not a proxy scheme authlens speaks (http://, https://)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_setting_as_its_origin_spells_it() {
        let s = Settings {
            client_cert: Some("no-such-client.pem".into()),
            ..Settings::default()
        };
        let e = apply(
            &Options::default(),
            &s,
            Path::new("/nonexistent"),
            Origin::HttpFile,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("# @cert no-such-client.pem"), "{e}");
        let e = proxy_setting("ftp://proxy.example").unwrap_err();
        assert!(e.contains("ftp://"), "{e}");
        assert_eq!(proxy_setting("none"), Ok(ProxySetting::Off));
    }

    #[test]
    fn a_tui_timeout_names_the_tui_setting() {
        let s = Settings {
            timeout_ms: Some(250),
            ..Settings::default()
        };
        let o = apply(&Options::default(), &s, Path::new("."), Origin::Tui).unwrap();
        assert_eq!(o.timeout, Duration::from_millis(250));
        assert_eq!(o.timeout_source, "Settings › timeout");
    }
}
