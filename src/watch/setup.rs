//! What the user needs to point a program at the watch: the lines printed when it starts, and
//! the environment `watch -- COMMAND` gives the program it launches.
//!
//! SDKs read their base URL from variables of their own; for the hosts below authlens knows
//! the variable and the SDK's default path, so the program needs no change at all.

use super::{Mode, TlsOptions};
use std::net::SocketAddr;

/// A well-known API host, the variable its SDKs read their base URL from, and the path their
/// default base URL has on that host (OpenAI's SDKs call `https://api.openai.com/v1`).
struct Sdk {
    host: &'static str,
    var: &'static str,
    path: &'static str,
    who: &'static str,
}

const SDKS: &[Sdk] = &[
    Sdk {
        host: "api.openai.com",
        var: "OPENAI_BASE_URL",
        path: "/v1",
        who: "the openai SDKs (Python, Node)",
    },
    Sdk {
        host: "api.anthropic.com",
        var: "ANTHROPIC_BASE_URL",
        path: "",
        who: "the anthropic SDKs (Python, Node)",
    },
    Sdk {
        host: "api.groq.com",
        var: "GROQ_BASE_URL",
        path: "",
        who: "the groq SDKs",
    },
    Sdk {
        host: "huggingface.co",
        var: "HF_ENDPOINT",
        path: "",
        who: "huggingface_hub",
    },
];

/// The proxy's own base URL: what the program calls instead of the upstream. A wildcard
/// listen address is reached on loopback.
pub fn base_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => "127.0.0.1".to_string(),
        ip if ip.is_unspecified() => "[::1]".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    format!("http://{ip}:{}", addr.port())
}

/// The upstream's host and path prefix (no trailing slash), when it is a URL.
fn host_and_prefix(upstream: &str) -> Option<(String, String)> {
    let u = url::Url::parse(upstream).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some((host, u.path().trim_end_matches('/').to_string()))
}

/// The proxy URL an SDK whose default base URL ends in `sdk_path` should be given, when the
/// upstream's prefix is a start of that path (`/v1` under an upstream of `/` or `/v1`).
fn sdk_url(base: &str, prefix: &str, sdk_path: &str) -> Option<String> {
    sdk_path
        .strip_prefix(prefix)
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .map(|rest| format!("{base}{rest}"))
}

/// The lines shown when the watch starts: where it listens, how to point a program at it,
/// and a warning when it listens beyond this machine.
/// `given` is what a launched program gets ([`child_env`]); `None` when the user starts it.
pub fn lines(
    addr: SocketAddr,
    mode: &Mode,
    tls: &TlsOptions,
    given: Option<&[(String, String)]>,
) -> Vec<String> {
    let base = base_url(addr);
    let mut out = Vec::new();
    if !addr.ip().is_loopback() {
        out.push(format!(
            "warning: listening on {addr}, beyond this machine: anyone who can reach it can send requests through it with the program's upstream"
        ));
    }
    match mode {
        Mode::Reverse { upstream } => reverse_lines(&mut out, &base, upstream, given.is_some()),
        Mode::Forward => forward_lines(&mut out, &base, tls, given.is_some()),
    }
    if let Some(env) = given {
        let names: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
        out.push(format!("The program is started with {}.", names.join(", ")));
        if let (Some(bundle), Some(ca)) = (&tls.bundle, &tls.mitm) {
            out.push(format!(
                "Its TLS trusts {}: the system's roots plus authlens's CA (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE), and node adds {} (NODE_EXTRA_CA_CERTS).",
                bundle.display(),
                ca.cert_path().display()
            ));
        }
    }
    out
}

fn reverse_lines(out: &mut Vec<String>, base: &str, upstream: &str, launching: bool) {
    out.push(format!(
        "authlens watch: {base} → {upstream} (each request's path is appended to the upstream's)"
    ));
    if launching {
        return;
    }
    out.push("Point your program at it (its base URL), one of:".into());
    let (_, prefix) = host_and_prefix(upstream).unwrap_or_default();
    out.push(format!(
        "  BASE_URL={base}   any client that takes a base URL"
    ));
    for sdk in SDKS.iter().filter(|s| s.var != "HF_ENDPOINT") {
        if let Some(url) = sdk_url(base, &prefix, sdk.path) {
            out.push(format!("  {}={url}   {}", sdk.var, sdk.who));
        }
    }
    out.push(format!("  curl {base}/PATH"));
}

fn forward_lines(out: &mut Vec<String>, base: &str, tls: &TlsOptions, launching: bool) {
    match &tls.mitm {
        Some(ca) => out.push(format!(
            "authlens watch --mitm: forward proxy on {base}: plain HTTP and HTTPS are recorded; HTTPS is answered with certificates from authlens's CA, {} — the program must trust it (curl --cacert, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS)",
            ca.cert_path().display()
        )),
        None => out.push(format!(
            "authlens watch: forward proxy on {base}: plain-HTTP requests are recorded; HTTPS goes through a CONNECT tunnel, unread"
        )),
    }
    if !launching {
        out.push("Route your program through it:".into());
        out.push(format!(
            "  HTTP_PROXY={base} HTTPS_PROXY={base} http_proxy={base} https_proxy={base}"
        ));
        out.push(format!("  curl -x {base} http://HOST/PATH"));
    }
    out.push(
        "  node: NODE_USE_ENV_PROXY=1 makes fetch honour the proxy variables, in recent node only (v24 and some v22 releases); older node ignores them"
            .into(),
    );
    if tls.mitm.is_none() {
        out.push(
            "To see an HTTPS API's requests: --mitm, or reverse mode: --upstream https://HOST"
                .into(),
        );
    }
    if ["NO_PROXY", "no_proxy"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|s| !s.is_empty()))
    {
        out.push(
            "note: NO_PROXY is set: requests to the hosts it lists bypass the proxy, unwatched"
                .into(),
        );
    }
}

/// The variables `watch -- COMMAND` sets for the program, in order, on top of the inherited
/// environment. `base_url_env` names more variables to set to the proxy's base URL.
pub fn child_env(
    addr: SocketAddr,
    mode: &Mode,
    tls: &TlsOptions,
    base_url_env: &[String],
) -> Vec<(String, String)> {
    let base = base_url(addr);
    let mut env = Vec::new();
    match mode {
        Mode::Forward => {
            for var in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"] {
                env.push((var.to_string(), base.clone()));
            }
            env.push(("NODE_USE_ENV_PROXY".into(), "1".into()));
            if let (Some(bundle), Some(ca)) = (&tls.bundle, &tls.mitm) {
                let bundle = bundle.display().to_string();
                for var in ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"] {
                    env.push((var.to_string(), bundle.clone()));
                }
                let ca = ca.cert_path().display().to_string();
                env.push(("NODE_EXTRA_CA_CERTS".into(), ca));
            }
        }
        Mode::Reverse { upstream } => {
            env.push(("AUTHLENS_WATCH_URL".into(), base.clone()));
            if let Some((host, prefix)) = host_and_prefix(upstream) {
                for sdk in SDKS.iter().filter(|s| s.host == host) {
                    if let Some(url) = sdk_url(&base, &prefix, sdk.path) {
                        env.push((sdk.var.to_string(), url));
                    }
                }
            }
            // A proxy inherited from the user's shell must not take the program's calls to
            // the watch somewhere else.
            for var in ["NO_PROXY", "no_proxy"] {
                env.push((var.to_string(), no_proxy(std::env::var(var).ok(), addr)));
            }
        }
    }
    for name in base_url_env {
        env.push((name.clone(), base.clone()));
    }
    env
}

/// `existing` with loopback (and the listen address) appended.
fn no_proxy(existing: Option<String>, addr: SocketAddr) -> String {
    let mut hosts: Vec<String> = existing
        .iter()
        .flat_map(|v| v.split(','))
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .collect();
    for h in ["127.0.0.1", "localhost", &addr.ip().to_string()] {
        if !hosts.iter().any(|x| x == h) {
            hosts.push(h.to_string());
        }
    }
    hosts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr() -> SocketAddr {
        "127.0.0.1:8080".parse().unwrap()
    }

    #[test]
    fn openai_gets_v1_unless_the_upstream_already_ends_in_it() {
        let m = |u: &str| Mode::Reverse {
            upstream: u.to_string(),
        };
        let env = child_env(
            addr(),
            &m("https://api.openai.com"),
            &TlsOptions::default(),
            &[],
        );
        assert!(env.contains(&("OPENAI_BASE_URL".into(), "http://127.0.0.1:8080/v1".into())));
        let env = child_env(
            addr(),
            &m("https://api.openai.com/v1/"),
            &TlsOptions::default(),
            &["MY_URL".into()],
        );
        assert!(env.contains(&("OPENAI_BASE_URL".into(), "http://127.0.0.1:8080".into())));
        assert!(env.contains(&("MY_URL".into(), "http://127.0.0.1:8080".into())));
        let env = child_env(
            addr(),
            &m("https://api.anthropic.com"),
            &TlsOptions::default(),
            &[],
        );
        assert!(env.contains(&("ANTHROPIC_BASE_URL".into(), "http://127.0.0.1:8080".into())));
        assert!(!env.iter().any(|(k, _)| k == "OPENAI_BASE_URL"));
    }

    #[test]
    fn loopback_is_added_to_no_proxy_once() {
        assert_eq!(
            no_proxy(Some("corp.example, localhost".into()), addr()),
            "corp.example,localhost,127.0.0.1"
        );
        assert_eq!(no_proxy(None, addr()), "127.0.0.1,localhost");
    }

    #[test]
    fn a_wide_listen_address_is_warned_about_and_reached_on_loopback() {
        let wide: SocketAddr = "0.0.0.0:9000".parse().unwrap();
        assert_eq!(base_url(wide), "http://127.0.0.1:9000");
        assert!(
            lines(wide, &Mode::Forward, &TlsOptions::default(), None)[0].starts_with("warning")
        );
        assert!(
            !lines(addr(), &Mode::Forward, &TlsOptions::default(), None)[0].starts_with("warning")
        );
    }
}
