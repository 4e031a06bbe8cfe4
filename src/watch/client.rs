//! Which HTTP client the program used, read from its `User-Agent`, in the rules' `context`
//! vocabulary (docs/context.md): the rules judge a redirect or a header the way that client
//! treats it, so "your program's requests dropped Authorization" is said of the right client.

/// Product tokens of well-known clients and the vocabulary name each one is. `true` when the
/// version after the slash is the client's own (not the HTTP version, as in `Go-http-client/1.1`)
/// and may follow the name.
const TABLE: &[(&str, &str, bool)] = &[
    ("python-requests", "python-requests", true),
    ("python-httpx", "python-httpx", true),
    ("aiohttp", "python-aiohttp", false),
    ("axios", "axios", false),
    ("node-fetch", "node-fetch", false),
    ("undici", "node-undici", false),
    ("node", "node-undici", false),
    ("curl", "curl", false),
    ("go-http-client", "go-net-http", false),
    ("guzzlehttp", "guzzle", false),
    ("java-http-client", "java-httpclient", false),
    ("httpie", "httpie", false),
    ("authlens", "reqwest", false),
];

/// The vocabulary name of the client that wrote `user_agent`, or `None` when it is not one
/// the rules model (Python's `urllib`, a browser, an SDK of its own): no client-specific
/// conclusion is better than a wrong one.
///
/// Every product token is looked at, not just the first: aiohttp writes `Python/3.12
/// aiohttp/3.9.5`, and SDKs often put their own name before the HTTP library's.
pub fn recognise(user_agent: &str) -> Option<String> {
    user_agent.split_whitespace().find_map(|token| {
        let (product, version) = token.split_once('/').unwrap_or((token, ""));
        let product = product.to_ascii_lowercase();
        let (_, name, versioned) = TABLE.iter().find(|(p, _, _)| *p == product)?;
        let version = version.trim_end_matches(|c: char| !c.is_ascii_digit());
        let numeric =
            !version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.');
        Some(match versioned & numeric {
            true => format!("{name}-{version}"),
            false => name.to_string(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::recognise;

    #[test]
    fn the_common_clients_are_named_as_the_rules_name_them() {
        let cases = [
            ("python-requests/2.32.3", Some("python-requests-2.32.3")),
            ("python-httpx/0.27.0", Some("python-httpx-0.27.0")),
            ("Python/3.12 aiohttp/3.9.5", Some("python-aiohttp")),
            ("node", Some("node-undici")),
            ("undici", Some("node-undici")),
            ("axios/1.7.2", Some("axios")),
            (
                "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
                Some("node-fetch"),
            ),
            ("curl/8.5.0", Some("curl")),
            ("Go-http-client/1.1", Some("go-net-http")),
            ("GuzzleHttp/7", Some("guzzle")),
            ("Java-http-client/21.0.2", Some("java-httpclient")),
            ("OpenAI/Python 1.30.1", None),
            ("Python-urllib/3.12", None),
            ("Mozilla/5.0 (X11; Linux x86_64)", None),
        ];
        for (ua, want) in cases {
            assert_eq!(recognise(ua).as_deref(), want, "{ua}");
            if let Some(name) = want {
                assert!(
                    crate::rules::vocabulary::client_named(name).is_some(),
                    "{name}"
                );
            }
        }
    }
}
