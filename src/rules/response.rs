//! Reading the response: its challenges, the phrases that say "missing", "invalid" or "not
//! allowed", and the verdict — success, authentication failure (whatever the status), or an
//! authorization refusal that is not about the credential at all.
//!
//! RFC 9110 §15.5.2 (a 401 carries a challenge), §15.5.4 (403 is "not allowed"), RFC 6750
//! §3.1 (error codes); provider shapes come from the phrase table in `providers`.

use super::case::Case;
use super::input::ObservedResponse;
use super::messages::{self, Meaning, Signal};
use super::providers::ProviderId;
use super::www_authenticate::{self, Challenge};
use serde_json::Value;

/// The final response, parsed once.
pub struct Resp<'a> {
    pub status: u16,
    pub headers: &'a [(String, String)],
    pub body: &'a str,
    /// Lower-cased body plus challenge texts: where the signal phrases are looked for.
    pub text: String,
    pub challenges: Vec<Challenge>,
    pub proxy_challenges: Vec<Challenge>,
    pub json: Option<Value>,
    /// Rows of the message table found in `text`, in table order (`messages::matching`).
    pub said: Vec<&'static Signal>,
}

impl<'a> Resp<'a> {
    pub fn new(r: &'a ObservedResponse, provider: Option<ProviderId>) -> Resp<'a> {
        let values = |name: &'static str| {
            r.headers
                .iter()
                .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let challenges = www_authenticate::parse_all(values("www-authenticate"));
        let proxy_challenges = www_authenticate::parse_all(values("proxy-authenticate"));
        let body = super::text::prefix(&r.body, super::input::BODY_SEEN);
        let mut text = body.to_lowercase();
        for c in &challenges {
            for (_, v) in &c.params {
                text.push(' ');
                text.push_str(&v.to_lowercase());
            }
        }
        let json = if body.trim_start().starts_with(['{', '[']) {
            serde_json::from_str(body).ok()
        } else {
            None
        };
        let said = messages::matching(&text, provider);
        Resp {
            said,
            status: r.status,
            headers: &r.headers,
            body: &r.body,
            text,
            challenges,
            proxy_challenges,
            json,
        }
    }

    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first phrase in the response with this meaning. A category code (`weak`) counts
    /// only when no message row matched at all: the sentence decides, not its category.
    pub fn signal(&self, meaning: Meaning) -> Option<&'static Signal> {
        let strong = self.said.iter().any(|s| !s.weak);
        self.said
            .iter()
            .find(|s| s.meaning == meaning && !(s.weak && strong))
            .copied()
    }

    /// The server's words around a phrase, quoted and masked, for evidence.
    pub fn quote(&self, s: &Signal) -> String {
        messages::quote(self.body, s.needle).unwrap_or_else(|| s.needle.to_string())
    }

    /// The phrase that decides what the server said about the credential, if any: the first
    /// strong row, else a category code.
    pub fn deciding(&self) -> Option<&'static Signal> {
        let strong = self.said.iter().find(|s| !s.weak);
        strong.or_else(|| self.said.first()).copied()
    }

    pub fn says(&self, meaning: Meaning) -> bool {
        self.signal(meaning).is_some()
    }

    /// Slack's `{"ok": false, "error": "…"}` (HTTP 200).
    pub fn slack_error(&self) -> Option<&str> {
        let obj = self.json.as_ref()?.as_object()?;
        (obj.get("ok")? == &Value::Bool(false)).then(|| obj.get("error")?.as_str())?
    }

    /// A challenge that says "you sent nothing usable" (RFC 6750 §3.1: no `error=`).
    pub fn bare_challenge(&self) -> Option<&Challenge> {
        self.challenges.iter().find(|c| c.is_bare())
    }

    pub fn is_2xx(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Slack `error` codes that mean the token is missing or bad (catalogue G).
const SLACK_AUTH_ERRORS: [&str; 6] = [
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "account_inactive",
    "token_expired",
    "not_allowed_token_type",
];

/// 403 shapes that mean "authenticated but not allowed", or a routing or policy block.
pub fn forbidden_shape(case: &Case) -> Option<String> {
    let r = case.response.as_ref()?;
    if r.status != 403 {
        return None;
    }
    if let Some(s) = r.signal(Meaning::Forbidden) {
        let aws_iam = s.needle == "missing authentication token" && !case.sent_credential();
        if !aws_iam {
            return Some(describe(s));
        }
    }
    None
}

/// A failure that is about the credential although the status is not 401.
pub fn non_401_auth_shape(case: &Case) -> Option<String> {
    let r = case.response.as_ref()?;
    if r.status == 401 || r.status == 407 || r.status == 429 || r.status >= 500 {
        return None;
    }
    if forbidden_shape(case).is_some() {
        return None;
    }
    if let Some(e) = r.slack_error().filter(|e| SLACK_AUTH_ERRORS.contains(e)) {
        return Some(format!(
            "Slack answered HTTP {} with ok:false, error {e:?}",
            r.status
        ));
    }
    // Google Maps web services answer a refused key with HTTP 200 and `"status":
    // "REQUEST_DENIED"` (the words in `error_message`).
    let denied = r
        .json
        .as_ref()
        .and_then(|j| j.get("status"))
        .is_some_and(|s| s == "REQUEST_DENIED");
    if denied {
        return Some(format!(
            "HTTP {} with \"status\": \"REQUEST_DENIED\" (Google Maps web services)",
            r.status
        ));
    }
    if let Some(message) = subsonic_auth_error(r) {
        return Some(format!(
            "the Subsonic API answered HTTP {} with status \"failed\": {message:?}",
            r.status
        ));
    }
    if r.is_2xx() {
        return None;
    }
    if r.status == 404 {
        let documented = case
            .provider
            .is_some_and(|p| p.not_found_when_unauthenticated);
        return (documented && !case.sent_credential()).then(|| {
            format!(
                "{} answers 404 to unauthenticated requests",
                provider_name(case)
            )
        });
    }
    if r.says(Meaning::InvalidGrant) || (r.status == 400 && r.says(Meaning::VersionHeader)) {
        return None;
    }
    for m in [
        Meaning::Missing,
        Meaning::Invalid,
        Meaning::WrongScheme,
        Meaning::Publishable,
        Meaning::WrongTokenType,
    ] {
        if let Some(s) = r.signal(m) {
            return Some(format!("HTTP {}: {}", r.status, describe(s)));
        }
    }
    if r.status == 400 && bearer_challenge_about_token(r) {
        return Some("HTTP 400 with a Bearer challenge about the token".into());
    }
    if let Some(phrase) = credential_complaint(&r.text).filter(|_| r.status != 422) {
        return Some(format!("HTTP {}: the response says {phrase:?}", r.status));
    }
    let gateway_forbidden = r.status == 403
        && case
            .provider
            .is_some_and(|p| p.failure_statuses.contains(&403))
        && r.text.contains("\"forbidden\"");
    if gateway_forbidden {
        return Some(format!(
            "{} answers 403 {{\"message\":\"Forbidden\"}} for a missing or invalid key",
            provider_name(case)
        ));
    }
    if r.status == 403 && r.signal(Meaning::Forbidden).is_some() && !case.sent_credential() {
        return Some(
            "AWS API Gateway 'Missing Authentication Token' without SigV4 credentials".into(),
        );
    }
    None
}

/// The Subsonic API (Navidrome, Airsonic, Gonic) reports every error inside HTTP 200:
/// `{"subsonic-response":{"status":"failed","error":{"code":40,…}}}`; codes 40–44 are
/// authentication (wrong credentials, token or API-key auth not supported, invalid key).
pub fn subsonic_auth_error(r: &Resp) -> Option<String> {
    let reply = r.json.as_ref()?.get("subsonic-response")?;
    let failed = reply.get("status").is_some_and(|s| s == "failed");
    let error = reply.get("error").filter(|_| failed)?;
    let code = error.get("code")?.as_u64()?;
    (40..=44).contains(&code).then(|| {
        let message = error.get("message").and_then(|m| m.as_str()).unwrap_or("");
        format!("error {code} {message}")
    })
}

/// Beyond the phrase table: a complaint word within four words of a credential word
/// ("the supplied API key is not valid", "token expired"). Whole words only, so a field
/// such as `token_count` is not a credential.
fn credential_complaint(text: &str) -> Option<String> {
    const SUBJECTS: [&str; 8] = [
        "key",
        "api-key",
        "apikey",
        "api_key",
        "token",
        "credential",
        "credentials",
        "authentication",
    ];
    const COMPLAINTS: [&str; 9] = [
        "invalid",
        "missing",
        "expired",
        "revoked",
        "incorrect",
        "wrong",
        "malformed",
        "valid",
        "provided",
    ];
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, w) in words.iter().enumerate() {
        if !SUBJECTS.contains(w) || (*w == "key" && (i == 0 || words[i - 1] != "api")) {
            continue;
        }
        // A CSRF token is a form's anti-forgery value, not a credential (Spring Security's
        // 403 "Invalid CSRF Token 'null'").
        if *w == "token" && i > 0 && matches!(words[i - 1], "csrf" | "xsrf" | "_csrf") {
            continue;
        }
        let window = &words[i.saturating_sub(4)..(i + 5).min(words.len())];
        let negated = |c: &&str| matches!(*c, "valid" | "provided");
        let found = window.iter().enumerate().find(|(k, c)| {
            COMPLAINTS.contains(c) && (!negated(c) || (*k > 0 && window[*k - 1] == "not"))
        });
        if let Some((_, c)) = found {
            return Some(format!("{c} … {w}"));
        }
    }
    None
}

fn bearer_challenge_about_token(r: &Resp) -> bool {
    // RFC 6750 puts `error` in the challenge; Spring's resource server also writes it as the
    // JSON body beside a bare `Bearer realm=…` challenge.
    let body = |k: &str| {
        r.json
            .as_ref()
            .and_then(|j| j.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or("")
    };
    r.challenges.iter().any(|c| {
        let error = c.param("error").unwrap_or_else(|| body("error"));
        let desc = c
            .param("error_description")
            .unwrap_or_else(|| body("error_description"))
            .to_lowercase();
        c.scheme.eq_ignore_ascii_case("bearer")
            && (error == "invalid_token"
                || (error == "invalid_request"
                    && (desc.contains("token") || desc.contains("credential"))))
    })
}

/// 401, 407, or a non-401 authentication shape.
pub fn is_auth_failure(case: &Case) -> bool {
    case.response
        .as_ref()
        .is_some_and(|r| r.status == 401 || r.status == 407 || non_401_auth_shape(case).is_some())
}

/// A 2xx that is not a provider's disguised failure: the credential worked.
pub fn is_success(case: &Case) -> bool {
    case.response
        .as_ref()
        .is_some_and(|r| r.is_2xx() && non_401_auth_shape(case).is_none())
}

fn provider_name(case: &Case) -> &'static str {
    case.provider.map_or("the server", |p| p.name())
}

pub fn describe(s: &Signal) -> String {
    if s.source.is_empty() {
        format!("the response says {:?}", s.needle.trim_matches('"'))
    } else {
        format!("{} says {:?}", s.source, s.needle.trim_matches('"'))
    }
}

#[cfg(test)]
mod tests {
    use super::credential_complaint;

    #[test]
    fn complaints_need_a_credential_word_nearby() {
        assert!(credential_complaint("the supplied api key is not valid").is_some());
        assert!(credential_complaint("access token expired").is_some());
        assert!(credential_complaint("missing field token_count").is_none());
        assert!(credential_complaint("the key is missing from the map").is_none());
        assert!(credential_complaint("token is valid but quota exceeded").is_none());
    }
}
