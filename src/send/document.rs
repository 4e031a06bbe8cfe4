//! Fetching an API's own OpenAPI document: `--spec URL`, and discovery on the same origin
//! after a 401 (`DISCOVERY_PATHS`, tried only when the user asks, since it sends requests).
//!
//! A plain GET with no credential: the document is public on every generator's default, and
//! sending the user's key to a path they never typed would be the leak authlens warns about.

use super::Options;
use crate::spec::{self, Spec, SpecError};

/// Where a spec comes from: a URL (`http://`, `https://`) or a file.
pub fn is_url(source: &str) -> bool {
    let lower = source.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `--spec FILE|URL`: reads the file, or fetches the URL, and parses the document.
pub async fn load_spec(source: &str, options: &Options) -> Result<Spec, SpecError> {
    if !is_url(source) {
        let path = std::path::PathBuf::from(source);
        return tokio::task::spawn_blocking(move || Spec::from_file(&path))
            .await
            .map_err(|e| SpecError::new(source, e.to_string()))?;
    }
    let text = fetch(source, options).await?;
    spec::parse(&text, source, Some(source))
}

/// One try of discovery: the URL and what came of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub url: String,
    pub outcome: String,
}

/// What discovery found: the first document that parsed, and every URL tried before it.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub found: Option<(String, Spec)>,
    pub tried: Vec<Tried>,
}

/// Tries each of `spec::DISCOVERY_PATHS` on the origin of `url`, in order, and stops at the
/// first that is a document.
pub async fn discover(url: &str, options: &Options) -> Discovery {
    let mut tried = Vec::new();
    let Some(origin) = origin(url) else {
        tried.push(Tried {
            url: url.to_string(),
            outcome: "not an http(s) URL, so it has no origin to look on".into(),
        });
        return Discovery { found: None, tried };
    };
    for path in spec::DISCOVERY_PATHS {
        let candidate = format!("{origin}{path}");
        let outcome = match fetch(&candidate, options).await {
            Ok(text) => match spec::parse(&text, &candidate, Some(&candidate)) {
                Ok(found) => {
                    return Discovery {
                        found: Some((candidate, found)),
                        tried,
                    };
                }
                Err(e) => e.message,
            },
            Err(e) => e.message,
        };
        tried.push(Tried {
            url: candidate,
            outcome,
        });
    }
    Discovery { found: None, tried }
}

/// `https://api.example.com:8443/v1/x?y` → `https://api.example.com:8443`.
pub fn origin(url: &str) -> Option<String> {
    let u = reqwest::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    Some(u.origin().ascii_serialization())
}

/// GETs a document: at most five redirects, `spec::MAX_BYTES`, the send's timeout and
/// trusted roots. An error says what failed in the words a user can act on.
async fn fetch(url: &str, options: &Options) -> Result<String, SpecError> {
    let fail = |m: String| SpecError::new(url, m);
    let roots =
        super::client::extra_roots(options).map_err(|e| fail(format!("reading --cacert: {e}")))?;
    let client = reqwest::Client::builder()
        .tls_certs_merge(roots)
        .tls_danger_accept_invalid_certs(options.insecure)
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(super::USER_AGENT)
        .timeout(options.timeout)
        .build()
        .map_err(|e| fail(format!("building the HTTP client: {e}")))?;
    let mut response = client
        .get(url)
        .header(
            "accept",
            "application/json, application/yaml;q=0.9, text/yaml;q=0.9, */*;q=0.5",
        )
        .send()
        .await
        .map_err(|e| {
            let t = super::TransportError::from_reqwest(&e, url, "fetching the document");
            fail(format!("{}: {}", t.phase, t.detail))
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(fail(format!(
            "the server answered {status}, not a document"
        )));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| fail(format!("reading the body: {e}")))?
    {
        body.extend_from_slice(&chunk);
        if body.len() as u64 > spec::MAX_BYTES {
            return Err(fail(format!(
                "the body is larger than the {} bytes read",
                spec::MAX_BYTES
            )));
        }
    }
    String::from_utf8(body).map_err(|e| {
        fail(format!(
            "byte {}: not UTF-8 text",
            e.utf8_error().valid_up_to()
        ))
    })
}
