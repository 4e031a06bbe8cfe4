//! The HTTP client one send uses, built from the options that change how it connects: extra
//! CA roots, skipped certificate checks, a client certificate (mTLS) and the outbound proxy.

use super::{Options, TransportError, USER_AGENT};

/// Where requests go out through; the default is what reqwest reads from `HTTPS_PROXY`,
/// `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, as curl does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ProxySetting {
    #[default]
    FromEnv,
    /// `--noproxy`: straight to the server whatever the environment says.
    Off,
    /// `--proxy URL`: every request through this proxy, `NO_PROXY` ignored.
    Url(String),
}

/// A client certificate chain and its private key, PEM, for servers that ask for one.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    /// The certificate(s) then the key, as reqwest's `Identity::from_pem` reads them.
    pub pem: Vec<u8>,
}

impl std::fmt::Debug for ClientIdentity {
    /// The key never reaches a log or a panic message.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientIdentity(<PEM hidden>)")
    }
}

/// `--cacert`'s certificates as reqwest takes them, with the TLS provider installed first.
pub(super) fn extra_roots(options: &Options) -> Result<Vec<reqwest::Certificate>, reqwest::Error> {
    crate::tls::install_provider();
    options
        .extra_roots
        .iter()
        .map(|der| reqwest::Certificate::from_der(der))
        .collect()
}

/// One client per send: HTTP/1.1 only, no pooling, no automatic redirects.
pub(super) fn build(
    options: &Options,
    probe: &super::phases::Probe,
) -> Result<reqwest::Client, TransportError> {
    let roots = extra_roots(options)
        .map_err(|e| TransportError::from_reqwest(&e, "", "reading --cacert"))?;
    let mut builder = reqwest::Client::builder()
        .tls_certs_merge(roots)
        .tls_danger_accept_invalid_certs(options.insecure)
        .http1_only()
        .pool_max_idle_per_host(0)
        .connection_verbose(true)
        .dns_resolver(probe.resolver())
        .connector_layer(probe.layer())
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .connect_timeout(options.timeout);
    if let Some(id) = &options.client_identity {
        let identity = reqwest::Identity::from_pem(&id.pem)
            .map_err(|e| TransportError::from_reqwest(&e, "", "reading --cert/--key"))?;
        builder = builder.identity(identity);
    }
    builder = match &options.proxy {
        ProxySetting::FromEnv => builder,
        ProxySetting::Off => builder.no_proxy(),
        ProxySetting::Url(url) => builder.proxy(
            reqwest::Proxy::all(url.as_str())
                .map_err(|e| TransportError::from_reqwest(&e, url, "reading --proxy"))?,
        ),
    };
    builder
        .build()
        .map_err(|e| TransportError::from_reqwest(&e, "", "building the HTTP client"))
}

/// The proxy a request to `url` goes through, userinfo removed, for the views: the explicit
/// one, or what the environment chooses for this URL (the rules reqwest applies on Unix).
pub fn proxy_for(setting: &ProxySetting, url: &reqwest::Url) -> Option<String> {
    match setting {
        ProxySetting::Off => None,
        ProxySetting::Url(p) => Some(without_userinfo(p)),
        ProxySetting::FromEnv => {
            let uri: hyper::Uri = url.as_str().parse().ok()?;
            let matcher = hyper_util::client::proxy::matcher::Matcher::from_env();
            matcher
                .intercept(&uri)
                .map(|i| without_userinfo(&i.uri().to_string()))
        }
    }
}

/// `http://user:secret@proxy:3128` → `http://proxy:3128`: a proxy password is a credential.
fn without_userinfo(proxy: &str) -> String {
    match reqwest::Url::parse(proxy) {
        Ok(mut u) if !u.username().is_empty() || u.password().is_some() => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        _ => proxy.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_proxy_has_no_password_and_off_is_none() {
        let url = reqwest::Url::parse("http://127.0.0.1:1/x").unwrap();
        let p = ProxySetting::Url("http://me:FAKE-pass@proxy.example:3128".into());
        assert_eq!(
            proxy_for(&p, &url).as_deref(),
            Some("http://proxy.example:3128/")
        );
        assert_eq!(proxy_for(&ProxySetting::Off, &url), None);
    }

    #[test]
    fn the_client_identity_debug_hides_the_key() {
        let id = ClientIdentity {
            pem: b"-----BEGIN PRIVATE KEY-----FAKE".to_vec(),
        };
        assert!(!format!("{id:?}").contains("PRIVATE"));
    }
}
