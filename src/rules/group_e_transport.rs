//! Group E — transport: redirects that drop `Authorization` (per client), https→http
//! downgrades, custom key headers leaked to another host, proxies that strip or demand
//! credentials, and `.netrc` replacing the header (docs/catalogue.md §3 client behaviour).

use super::case::{Case, Place};
use super::cause_id::CauseId;
use super::context::{Client, Intermediary};
use super::finding::{Anchor, Edit, Finding, Fix};
use super::input::Redirect;
use super::providers::Meaning;
use super::response::is_auth_failure;
use crate::url_text::{Url, join};

/// Runs every group-E rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    redirect_auth_stripped_cross_origin(case, out);
    redirect_https_downgrade(case, out);
    custom_key_header_leaked_on_redirect(case, out);
    proxy_strips_authorization(case, out);
    proxy_auth_required_407(case, out);
    netrc_overrides_authorization(case, out);
}

fn hops<'a>(case: &Case<'a>) -> &'a [Redirect] {
    case.observed.map_or(&[], |o| o.redirects.as_slice())
}

fn is_subdomain_or_same(new: &str, old: &str) -> bool {
    new == old || new.strip_suffix(old).is_some_and(|p| p.ends_with('.'))
}

/// Does `client` drop `Authorization` on a hop from `from` to `to`? (docs/catalogue.md §3)
pub fn strips_authorization(client: &Client, args: &[String], from: &Url, to: &Url) -> bool {
    let host = from.host != to.host;
    let port = from.effective_port() != to.effective_port();
    let scheme = from.scheme != to.scheme;
    match client {
        // reqwest `remove_sensitive_headers`: host or port; since 0.13.4 also the scheme.
        Client::Reqwest(a, b, c) => host || port || (scheme && (*a, *b, *c) >= (0, 13, 4)),
        // requests `should_strip_auth` / httpx: keep only for http:80 → https:443 on one host.
        // requests 2.20.x compared the ports as written, so `:443` → no port stripped too.
        Client::PythonRequests(_) | Client::PythonHttpx(_) | Client::Httpie => {
            let upgrade = from.scheme == "http"
                && to.scheme == "https"
                && from.effective_port() == Some(80)
                && to.effective_port() == Some(443);
            let written_port =
                matches!(client, Client::PythonRequests(Some((2, 20)))) && from.port != to.port;
            host || written_port || ((port || scheme) && !upgrade)
        }
        Client::BrowserFetch | Client::NodeUndici | Client::PythonAiohttp => host || port || scheme,
        Client::NodeFetch(v) => match v {
            Some(v) if *v < (2, 6, 7) || ((3, 0, 0)..(3, 1, 1)).contains(v) => false,
            Some(v) if *v < (2, 6, 8) || ((3, 1, 1)..(3, 2, 9)).contains(v) => host,
            _ => !is_subdomain_or_same(&to.host, &from.host) || scheme,
        },
        // follow-redirects: another host (with its port) that is not a subdomain, or a
        // downgrade from https.
        Client::Axios => {
            (!is_subdomain_or_same(&to.host, &from.host) || port)
                || (scheme && to.scheme != "https")
        }
        // net/http `shouldCopyHeaderOnRedirect`: the same host or a subdomain keeps it; up to
        // Go 1.12 it compared `canonicalAddr` (host:port), so a port change stripped it too.
        Client::GoNetHttp(v) => {
            !is_subdomain_or_same(&to.host, &from.host) || (v.is_some_and(|v| v < (1, 13)) && port)
        }
        Client::Curl | Client::PhpCurl => {
            !args
                .iter()
                .any(|a| a == "--location-trusted" || a.contains("UNRESTRICTED_AUTH"))
                && (host || port || scheme)
        }
        Client::Guzzle | Client::JavaHttpClient => host || port || scheme,
        // Node's http/https do not follow; a hop seen here was followed by the program itself.
        Client::NodeHttps => false,
        Client::Other(_) => host || port || scheme,
    }
}

/// For each hop: was `Authorization` gone on the next request?
fn stripped_at(case: &Case) -> Option<usize> {
    hops(case).iter().position(|h| match &h.next_carried {
        Some(names) => !names
            .iter()
            .any(|n| n.eq_ignore_ascii_case("authorization")),
        None => {
            let to = join(&h.from, &h.location);
            match (Url::parse(&h.from), Url::parse(&to)) {
                (Some(a), Some(b)) => {
                    strips_authorization(&case.ctx.client, &case.ctx.client_args, &a, &b)
                }
                _ => false,
            }
        }
    })
}

fn client_name(c: &Client) -> String {
    match c {
        Client::Reqwest(a, b, p) => format!("reqwest {a}.{b}.{p}"),
        Client::Curl => "curl -L".into(),
        Client::PythonRequests(_) => "python-requests".into(),
        Client::Axios => "axios (follow-redirects)".into(),
        Client::NodeUndici => "Node's fetch (undici)".into(),
        Client::NodeHttps => "Node's https module".into(),
        Client::GoNetHttp(_) => "Go net/http".into(),
        Client::Guzzle => "Guzzle".into(),
        Client::PhpCurl => "PHP curl".into(),
        Client::Httpie => "HTTPie".into(),
        Client::PythonAiohttp => "aiohttp".into(),
        Client::JavaHttpClient => "Java HttpClient".into(),
        Client::PythonHttpx(_) => "httpx".into(),
        Client::BrowserFetch => "the browser (Fetch)".into(),
        Client::NodeFetch(_) => "node-fetch".into(),
        Client::Other(n) => n.clone(),
    }
}

/// The redirect dropped `Authorization`, and the final answer is an auth failure.
fn redirect_auth_stripped_cross_origin(case: &Case, out: &mut Vec<Finding>) {
    if case.authorization().is_none() || !is_auth_failure(case) {
        return;
    }
    let Some(index) = stripped_at(case) else {
        dropped_by_words(case, out);
        return;
    };
    let hop = &hops(case)[index];
    let to = join(&hop.from, &hop.location);
    let fix = (case.url.refs.is_empty()).then(|| {
        Fix::new(
            "Call the final URL directly",
            vec![Edit::SetUrl { url: to.clone() }],
        )
    });
    let f = case.finding(
        CauseId::RedirectAuthStrippedCrossOrigin,
        Anchor::RedirectHop { index },
        format!("The {} redirect from {} to {to} changes the origin, so {} drops Authorization on the next request and the server sees no credential. Call the final URL directly, or use a redirect policy that trusts that host (`curl --location-trusted`).", hop.status, hop.from, client_name(&case.ctx.client)),
        format!("hop {}: {} → {to}", index + 1, hop.status),
    );
    out.push(case.with_fix(f, fix));
}

/// A redirect the client's model would follow with Authorization kept, after which the server
/// says no credential arrived: the client dropped it anyway (.NET's HttpClient drops it on
/// every redirect; follow-redirects on a 303). The server's words are the evidence.
fn dropped_by_words(case: &Case, out: &mut Vec<Finding>) {
    let said = case
        .response
        .as_ref()
        .and_then(|r| r.signal(Meaning::Missing));
    let (Some(said), Some(index)) = (said, hops(case).len().checked_sub(1)) else {
        return;
    };
    let hop = &hops(case)[index];
    let to = join(&hop.from, &hop.location);
    let f = case.finding(
        CauseId::RedirectAuthStrippedCrossOrigin,
        Anchor::RedirectHop { index },
        format!("After the {} redirect to {to} the server says no credential arrived, although the request had Authorization: the client dropped it while following the redirect ({} keeps it by the usual rules, but some clients drop it on every redirect or on a 303). Call the final URL directly.", hop.status, client_name(&case.ctx.client)),
        format!("hop {}: {} → {to}; then the server: {}", index + 1, hop.status, super::response::describe(said)),
    );
    out.push(case.said_by(f, said));
}

/// `Location: http://…` answering an https request (often a trailing-slash 307 behind TLS).
fn redirect_https_downgrade(case: &Case, out: &mut Vec<Finding>) {
    for (index, hop) in hops(case).iter().enumerate() {
        let to = join(&hop.from, &hop.location);
        if !(hop.from.starts_with("https://") && to.to_ascii_lowercase().starts_with("http://")) {
            continue;
        }
        let f = case.finding(
            CauseId::RedirectHttpsDowngrade,
            Anchor::RedirectHop { index },
            format!("The server redirected the https request to {to} (plain http). Credentials are then dropped by the client or travel in clear text. Fix the server (`uvicorn --proxy-headers`, trust X-Forwarded-Proto, or `redirect_slashes=False`) and call the canonical path."),
            format!("hop {}: {} → {to}", index + 1, hop.status),
        );
        out.push(f);
        return;
    }
}

/// reqwest's sensitive list covers Authorization and cookies only: `X-API-Key` goes along.
fn custom_key_header_leaked_on_redirect(case: &Case, out: &mut Vec<Finding>) {
    let Some(cred) = case
        .creds
        .iter()
        .find(|c| matches!(c.place, Place::Header(_)) && !c.name.eq_ignore_ascii_case("cookie"))
    else {
        return;
    };
    for (index, hop) in hops(case).iter().enumerate() {
        let to = join(&hop.from, &hop.location);
        let (Some(a), Some(b)) = (Url::parse(&hop.from), Url::parse(&to)) else {
            continue;
        };
        let carried = hop
            .next_carried
            .as_ref()
            .is_none_or(|n| n.iter().any(|n| n.eq_ignore_ascii_case(&cred.name)));
        // Another port is another service as much as another host is (reqwest's own
        // cross-origin test counts it); a scheme change alone keeps the same party.
        let same_party = a.host == b.host && a.effective_port() == b.effective_port();
        if same_party || !carried {
            continue;
        }
        let f = case.finding(
            CauseId::CustomKeyHeaderLeakedOnRedirect,
            Anchor::RedirectHop { index },
            format!("The redirect to {} is followed with `{}` still attached: clients strip only Authorization and cookies, so the key was disclosed to another origin. Disable redirects for API calls, or strip custom key headers in a redirect policy.", origin_text(&b), cred.name),
            format!("hop {}: {} → {}", index + 1, origin_text(&a), origin_text(&b)),
        );
        out.push(f);
        return;
    }
}

/// What an intermediary's configuration says about `Authorization`: `Some(false)` when a
/// setting naming it is off (`authorization_in_cache_policy: false`, `WSGIPassAuthorization: Off`).
fn forwards_authorization(i: &Intermediary) -> Option<(bool, String)> {
    i.settings
        .iter()
        .find(|(k, _)| k.to_ascii_lowercase().contains("authorization"))
        .map(|(k, v)| {
            let on = matches!(v.to_ascii_lowercase().as_str(), "true" | "on" | "1" | "yes");
            (on, format!("{k}={v}"))
        })
}

/// Intermediaries that remove Authorization: configured so, or by default (CloudFront unless
/// the cache policy includes it; mod_wsgi with `WSGIPassAuthorization Off`). The flag is true
/// when the configuration says so explicitly.
fn stripping_intermediary(case: &Case) -> Option<(String, bool)> {
    for i in &case.ctx.intermediaries {
        if let Some((false, setting)) = forwards_authorization(i) {
            return Some((
                format!(
                    "{} is configured not to forward Authorization ({setting})",
                    i.kind
                ),
                true,
            ));
        }
    }
    let r = case.response.as_ref()?;
    let header = |n: &str| r.header(n).unwrap_or("").to_ascii_lowercase();
    let configured_on = |kind: &str| {
        case.ctx
            .intermediary(kind)
            .and_then(forwards_authorization)
            .is_some_and(|(on, _)| on)
    };
    let cloudfront = header("via").contains("cloudfront")
        || header("x-cache").contains("cloudfront")
        || r.header("x-amz-cf-pop").is_some()
        || case.ctx.intermediary("cloudfront").is_some();
    if cloudfront && !configured_on("cloudfront") {
        let why =
            "CloudFront removes Authorization unless the cache/origin-request policy forwards it";
        return Some((why.into(), false));
    }
    let wsgi = header("server").contains("mod_wsgi") || case.ctx.intermediary("wsgi").is_some();
    if wsgi && !configured_on("wsgi") {
        let why = "Apache mod_wsgi does not pass Authorization to the app (WSGIPassAuthorization Off by default)";
        return Some((why.into(), false));
    }
    // Apache in front of PHP through CGI/FastCGI (php-fpm, mod_fcgid) or a rewrite: the header
    // does not reach `$_SERVER` without `CGIPassAuth On` or a rule copying HTTP_AUTHORIZATION.
    let php = header("x-powered-by").contains("php") || case.ctx.intermediary("php-fpm").is_some();
    let apache = header("server").contains("apache") || case.ctx.intermediary("apache").is_some();
    (apache && (php || case.ctx.intermediary("apache").is_some()) && !configured_on("apache")).then(|| {
        let why = "Apache does not hand Authorization to a PHP app behind CGI/FastCGI or mod_rewrite without `CGIPassAuth On` (or a RewriteRule setting HTTP_AUTHORIZATION)";
        (why.into(), false)
    })
}

/// CloudFront / mod_wsgi drop Authorization although RFC 9110 §11.6.2 says proxies must not touch it.
fn proxy_strips_authorization(case: &Case, out: &mut Vec<Finding>) {
    let Some(auth) = case.authorization() else {
        return;
    };
    let Some(r) = &case.response else { return };
    // OAuth servers (league/oauth2-server behind Laravel Passport) answer a missing token with
    // 400 `invalid_request` "missing a required parameter … Check the access token parameter".
    let token_param_missing = r.status == 400
        && r.text.contains("missing a required parameter")
        && r.text.contains("access token");
    let as_if_none =
        r.says(Meaning::Missing) || r.bare_challenge().is_some() || token_param_missing;
    if auth.value.is_empty() || !(matches!(r.status, 401 | 403) || token_param_missing) {
        return;
    }
    let Some((why, explicit)) = stripping_intermediary(case) else {
        return;
    };
    if !(as_if_none || explicit) {
        return;
    }
    let f = case.finding(
        CauseId::ProxyStripsAuthorization,
        Anchor::ResponseStatus,
        format!("The request had an Authorization header, but the origin answered as if none was sent: {why}. Configure the intermediary to forward it."),
        why.clone(),
    );
    out.push(f);
}

/// 407: the forward proxy wants its own credentials; the API was never reached.
fn proxy_auth_required_407(case: &Case, out: &mut Vec<Finding>) {
    let Some(r) = case.response.as_ref().filter(|r| r.status == 407) else {
        return;
    };
    let challenge = r
        .proxy_challenges
        .first()
        .map_or("no Proxy-Authenticate".to_string(), |c| {
            format!(
                "Proxy-Authenticate: {} realm={:?}",
                c.scheme,
                c.param("realm").unwrap_or("")
            )
        });
    let proxy_env =
        case.vars.bindings.keys().find(|k| {
            k.eq_ignore_ascii_case("https_proxy") || k.eq_ignore_ascii_case("http_proxy")
        });
    let f = case.finding(
        CauseId::ProxyAuthRequired407,
        Anchor::ResponseStatus,
        format!("407 comes from a forward proxy{}, not from the API: the API key was never checked. Give the proxy its credentials (https://user:pass@proxy:port) or set NO_PROXY for the API host. Do not rotate the API key.", proxy_env.map_or(String::new(), |k| format!(" (the client picked up {k})"))),
        challenge,
    );
    out.push(f);
}

/// Does the `.netrc` text have a `machine` entry for `host` (or a `default`)?
fn netrc_has(netrc: &str, host: &str) -> bool {
    let tokens: Vec<&str> = netrc.split_whitespace().collect();
    tokens.iter().enumerate().any(|(i, t)| {
        *t == "default"
            || (*t == "machine"
                && tokens
                    .get(i + 1)
                    .is_some_and(|h| h.eq_ignore_ascii_case(host)))
    })
}

/// python-requests (and httpx < 0.24) fill auth from `.netrc` over an explicit header.
fn netrc_overrides_authorization(case: &Case, out: &mut Vec<Finding>) {
    let auth = case.authorization();
    // With no Authorization at all, the client adds one from .netrc only when the request
    // carries no other credential either (a public client's form post, say).
    if auth.is_none() && !case.creds.is_empty() {
        return;
    }
    let Some(netrc) = case.ctx.netrc.as_deref() else {
        return;
    };
    let args = case.ctx.client_args.join(" ");
    let applies = match case.ctx.client {
        Client::PythonRequests(_) | Client::Httpie => {
            !args.contains("trust_env=False") && !args.contains("auth=")
        }
        Client::PythonHttpx(v) => v.is_some_and(|v| v < (0, 24)) || args.contains("NetRCAuth"),
        _ => false,
    };
    // A client the vocabulary does not know may read ~/.netrc too (ansible's `open_url` does,
    // ansible-middleware/keycloak#403): after a refusal, say it as a possibility.
    let unknown_client = matches!(case.ctx.client, Client::Other(_)) && is_auth_failure(case);
    if !(applies || unknown_client) || !netrc_has(netrc, case.host()) {
        return;
    }
    if unknown_client {
        let mut f = case.finding(
            CauseId::NetrcOverridesAuthorization,
            auth.map_or(Anchor::Request, |a| a.anchor.clone()),
            format!("~/.netrc has an entry for {}. Clients that read it (python requests, HTTPie, ansible's open_url, older httpx) send its Basic credentials in place of the Authorization header given to them; if yours is one, the server never saw your token. Check with the entry removed, or turn netrc off in the client (trust_env=False, use_netrc=False, NETRC=\"\").", case.host()),
            format!("netrc machine {}; client {} (not modelled)", case.host(), client_name(&case.ctx.client)),
        );
        f.severity = super::finding::Severity::Warning;
        f.confidence = super::finding::Confidence::Possible;
        out.push(f);
        return;
    }
    let (anchor, what) = match auth {
        Some(a) => (a.anchor.clone(), "replacing this Authorization header with"),
        None => (
            Anchor::Request,
            "adding an Authorization header the request never asked for, with",
        ),
    };
    let f = case.finding(
        CauseId::NetrcOverridesAuthorization,
        anchor,
        format!("~/.netrc has an entry for {}, and {} applies it when no auth= is passed, {what} Basic credentials from .netrc. Pass auth through auth= (a custom AuthBase), or set trust_env=False / NETRC=\"\".", case.host(), client_name(&case.ctx.client)),
        format!("netrc machine {}", case.host()),
    );
    out.push(f);
}

/// `host:port` when the port is explicit, else the host.
fn origin_text(u: &Url) -> String {
    match u.port {
        Some(p) => format!("{}:{p}", u.host),
        None => u.host.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn clients_strip_by_their_own_rules() {
        let (http, https) = (
            u("http://api.example.com/a"),
            u("https://api.example.com/a"),
        );
        assert!(
            strips_authorization(&Client::Reqwest(0, 12, 0), &[], &http, &https),
            "port 80→443"
        );
        assert!(!strips_authorization(
            &Client::PythonRequests(None),
            &[],
            &http,
            &https
        ));
        // Go ≤ 1.12 compared host:port (golang/go#35104); later releases compare the host.
        assert!(strips_authorization(
            &Client::GoNetHttp(Some((1, 12))),
            &[],
            &http,
            &https
        ));
        assert!(!strips_authorization(
            &Client::GoNetHttp(None),
            &[],
            &http,
            &https
        ));
        let other = u("https://files.example.com/a");
        assert!(strips_authorization(&Client::Curl, &[], &https, &other));
        assert!(!strips_authorization(
            &Client::Curl,
            &["--location-trusted".into()],
            &https,
            &other
        ));
        let sub = u("https://eu.api.example.com/a");
        assert!(!strips_authorization(
            &Client::NodeFetch(None),
            &[],
            &https,
            &sub
        ));
        let down = u("http://api.example.com/a");
        assert!(strips_authorization(
            &Client::NodeFetch(None),
            &[],
            &https,
            &down
        ));
        assert!(!strips_authorization(
            &Client::NodeFetch(Some((2, 6, 7))),
            &[],
            &https,
            &down
        ));
        assert!(!strips_authorization(
            &Client::NodeFetch(Some((2, 6, 0))),
            &[],
            &https,
            &other
        ));
        let same_port_other_scheme = u("http://api.example.com:443/a");
        assert!(!strips_authorization(
            &Client::Reqwest(0, 12, 0),
            &[],
            &https,
            &same_port_other_scheme
        ));
        assert!(strips_authorization(
            &Client::Reqwest(0, 13, 4),
            &[],
            &https,
            &same_port_other_scheme
        ));
    }

    #[test]
    fn netrc_entries() {
        assert!(netrc_has(
            "machine api.github.com login u password p",
            "api.github.com"
        ));
        assert!(!netrc_has("machine other.com login u", "api.github.com"));
    }
}
