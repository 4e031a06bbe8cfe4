//! The server's own words, as data: what providers and frameworks write in a 401/403/400 body
//! or challenge, and what each phrase proves (a fact, sometimes a cause). Beside the provider
//! table because the same phrase means different things at different APIs (GitLab's bare
//! "401 Unauthorized" answers a token it refused; elsewhere it proves nothing).
//!
//! Rows are matched once per response by one Aho-Corasick automaton over the lower-cased body
//! and challenge parameters, so the cost does not grow with the table (`benches/rules.rs`).
//! Sources: each provider's documented error bodies (OpenAI, Anthropic, Stripe, GitHub,
//! GitLab, Slack, Hugging Face, Google Cloud, AWS, Microsoft identity platform AADSTS codes,
//! Auth0, Okta), FastAPI, Django REST framework, Django, Express/passport, Spring Security.

use super::providers::ProviderId;
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// What a phrase in a response proves about the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// The server saw no credential (the authorization header or key is missing).
    Missing,
    /// The server saw a credential and says it is invalid, revoked or unknown.
    Invalid,
    /// Authenticated, but not allowed (authorization, policy, routing).
    Forbidden,
    /// The server read the scheme word and refused it (FastAPI HTTPBearer).
    WrongScheme,
    OrgMismatch,
    StripeMode,
    /// A publishable/public key where a secret key is needed.
    Publishable,
    InvalidGrant,
    /// A token's `nbf`/`iat` is in the server's future.
    ClockSkew,
    /// A token's `exp` has passed.
    Expired,
    Audience,
    NotJwtDecodable,
    VersionHeader,
    /// The key the server saw was `undefined`, `null` or empty: the program's variable was unset.
    KeyUndefined,
    /// The key is valid but restricted to other referrers, IPs, APIs or projects.
    KeyRestricted,
    /// A token of the wrong type for this API (a password, an ID token, an API key where OAuth
    /// is needed, a user token where an app token is needed).
    WrongTokenType,
    /// The request's own timestamp is too far from the server's clock (signed requests).
    RequestSkew,
    /// A signed request whose signature does not verify (secret, region, canonical request).
    Signature,
    /// The account or organization behind the key is refused (billing, membership, restriction).
    Account,
    /// The request reached the server over plain HTTP where only HTTPS is served (a proxy
    /// that forwarded an `https://` URL without a CONNECT tunnel): not about the credential.
    PlainHttp,
    /// The token is signed by a key the server does not know (another issuer, tenant or
    /// environment, or the server's key configuration): not a revoked token.
    UnknownSigningKey,
    /// The server received more than one authentication mechanism (AWS S3: a query-string
    /// signature and an `Authorization` header).
    MultipleAuth,
}

/// Who writes a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Any server (generic wording, frameworks, RFCs).
    Any,
    /// Only this provider's hosts.
    Provider(ProviderId),
}

/// A phrase in a response (body, `error_description`, or challenge) and what it means.
#[derive(Debug, Clone, Copy)]
pub struct Signal {
    /// Lower-case text to look for.
    pub needle: &'static str,
    pub meaning: Meaning,
    /// Who says it, for the explanation ("" when generic).
    pub source: &'static str,
    pub scope: Scope,
    /// A category code (`authentication_error`, `UNAUTHENTICATED`) rather than a message: it
    /// counts only when no message row matched, so a specific sentence wins over its category.
    pub weak: bool,
}

const fn sig(needle: &'static str, meaning: Meaning, source: &'static str) -> Signal {
    Signal {
        needle,
        meaning,
        source,
        scope: Scope::Any,
        weak: false,
    }
}

/// A provider's own phrase, only meaningful on its hosts.
const fn at(id: ProviderId, needle: &'static str, meaning: Meaning) -> Signal {
    Signal {
        scope: Scope::Provider(id),
        ..sig(needle, meaning, id.name())
    }
}

/// A category code: evidence only when nothing more specific was said.
const fn weak(needle: &'static str, meaning: Meaning, source: &'static str) -> Signal {
    Signal {
        weak: true,
        ..sig(needle, meaning, source)
    }
}

use Meaning::*;
use ProviderId as P;

/// Response phrases, most specific first: the first match per meaning is reported.
pub static SIGNALS: &[Signal] = &[
    // ── specific provider messages ──────────────────────────────────────────────────────
    sig("mismatched_organization", OrgMismatch, "OpenAI"),
    sig(
        "openai-organization header should match",
        OrgMismatch,
        "OpenAI",
    ),
    sig("must be a member of an organization", Account, "OpenAI"),
    sig("no_organization", Account, "OpenAI"),
    sig("account is not active", Account, ""),
    sig("account is restricted", Account, ""),
    sig("billing", Account, ""),
    sig(
        "incorrect api key provided: undefined",
        KeyUndefined,
        "OpenAI",
    ),
    sig("incorrect api key provided: null", KeyUndefined, "OpenAI"),
    sig("api key provided: undefined", KeyUndefined, ""),
    sig("bearer undefined", KeyUndefined, ""),
    sig("bearer null", KeyUndefined, ""),
    sig("a similar object exists in live mode", StripeMode, "Stripe"),
    sig("a similar object exists in test mode", StripeMode, "Stripe"),
    sig(
        "cannot be made with a publishable api key",
        Publishable,
        "Stripe",
    ),
    sig("publishable key", Publishable, ""),
    sig("\"invalid_grant\"", InvalidGrant, "OAuth token endpoint"),
    sig("anthropic-version", VersionHeader, "Anthropic"),
    sig(
        "oauth authentication is currently not supported",
        Account,
        "Anthropic",
    ),
    sig(
        "support for password authentication was removed",
        WrongTokenType,
        "GitHub",
    ),
    sig(
        "password authentication is not supported",
        WrongTokenType,
        "GitHub",
    ),
    sig(
        "api keys are not supported by this api",
        WrongTokenType,
        "Google",
    ),
    sig("expected oauth 2 access token", WrongTokenType, "Google"),
    sig(
        "invalid compact jws",
        WrongTokenType,
        "express-oauth2-jwt-bearer",
    ),
    sig("not_allowed_token_type", WrongTokenType, "Slack"),
    sig(
        "basic authentication with passwords is deprecated",
        WrongTokenType,
        "Atlassian Cloud",
    ),
    sig(
        "stopped supporting account passwords",
        WrongTokenType,
        "Bitbucket Cloud",
    ),
    sig("test account credentials", WrongTokenType, "Twilio"),
    sig(
        "unauthorized_invalid_jwt_format",
        WrongTokenType,
        "Supabase Edge Functions (a JWT is needed)",
    ),
    sig(
        "fine grained access do not support the graphql api",
        WrongTokenType,
        "GitHub",
    ),
    sig(
        "passwordloginforbidden",
        WrongTokenType,
        "Nextcloud (app password needed)",
    ),
    sig(
        "password login forbidden",
        WrongTokenType,
        "Nextcloud (app password needed)",
    ),
    sig("expired_access_token", Invalid, "Dropbox"),
    sig(
        "username/password authentication is no longer supported",
        WrongTokenType,
        "PyPI (use `__token__` as the username)",
    ),
    sig(
        "please use personal access token to login",
        WrongTokenType,
        "Docker Hub",
    ),
    sig(
        "oauth 2.0 application-only is forbidden",
        WrongTokenType,
        "X (Twitter) API",
    ),
    sig("aadsts7000215", Invalid, "Microsoft identity"),
    sig("aadsts700024", RequestSkew, "Microsoft identity"),
    sig("aadsts700016", Invalid, "Microsoft identity"),
    sig("aadsts90002", Invalid, "Microsoft identity"),
    sig("aadsts50126", Invalid, "Microsoft identity"),
    sig("aadsts500011", Audience, "Microsoft identity"),
    sig("aadsts700082", InvalidGrant, "Microsoft identity"),
    sig("aadsts50173", InvalidGrant, "Microsoft identity"),
    sig("aadsts65001", Forbidden, "Microsoft identity"),
    sig("idx10223", Expired, "Microsoft identity"),
    sig("can only be accessed over https", PlainHttp, "OpenAI"),
    sig("https is required", PlainHttp, ""),
    sig("ssl is required", PlainHttp, ""),
    sig(
        "the signature key was not found",
        UnknownSigningKey,
        "ASP.NET Core JwtBearer",
    ),
    sig("idx10501", UnknownSigningKey, "Microsoft identity"),
    sig(
        "unable to find a signing key that matches",
        UnknownSigningKey,
        "jwks-rsa",
    ),
    sig("requesttimetooskewed", RequestSkew, "AWS"),
    sig("only one auth mechanism allowed", MultipleAuth, "AWS S3"),
    sig(
        "multiple auth mechanisms are not allowed",
        MultipleAuth,
        "AWS S3",
    ),
    // API Gateway / AWS parsing a non-SigV4 value as a SigV4 header: the endpoint wants SigV4.
    sig(
        "authorization header requires 'credential' parameter",
        WrongTokenType,
        "AWS (SigV4 required)",
    ),
    sig("signature expired", RequestSkew, "AWS"),
    sig("request has expired", RequestSkew, "AWS"),
    sig("timestamp is too old", RequestSkew, ""),
    sig("request timestamp", RequestSkew, ""),
    sig("clock skew", RequestSkew, ""),
    sig("signaturedoesnotmatch", Signature, "AWS"),
    sig(
        "the request signature we calculated does not match",
        Signature,
        "AWS",
    ),
    sig("invalidaccesskeyid", Invalid, "AWS"),
    sig(
        "the security token included in the request is invalid",
        Invalid,
        "AWS",
    ),
    sig("unrecognizedclientexception", Invalid, "AWS"),
    sig(
        "the security token included in the request is expired",
        Expired,
        "AWS",
    ),
    sig("expiredtoken", Expired, "AWS"),
    sig("'issued at' claim", ClockSkew, "GitHub"),
    sig("not yet valid", ClockSkew, ""),
    sig("used before", ClockSkew, ""),
    sig("immature", ClockSkew, ""),
    sig("token is not active", ClockSkew, "Keycloak"),
    sig(
        "a json web token could not be decoded",
        NotJwtDecodable,
        "GitHub",
    ),
    sig(
        "jwt strings must contain exactly 2 period",
        NotJwtDecodable,
        "PostgREST",
    ),
    sig("idx10214", Audience, "Microsoft identity"),
    sig("idx10205", Audience, "Microsoft identity"),
    sig("audience", Audience, ""),
    sig("invalid issuer", Audience, ""),
    sig("issuer is invalid", Audience, ""),
    sig("token expired", Expired, ""),
    sig("token has expired", Expired, ""),
    sig("token is expired", Expired, ""),
    sig("jwt expired", Expired, ""),
    sig("expired_token", Expired, ""),
    sig("signature has expired", Expired, "PyJWT"),
    sig("api_key_service_blocked", KeyRestricted, "Google"),
    sig("api_key_http_referrer_blocked", KeyRestricted, "Google"),
    sig("api_key_ip_address_blocked", KeyRestricted, "Google"),
    sig("api_key_android_app_blocked", KeyRestricted, "Google"),
    sig("api_key_ios_app_blocked", KeyRestricted, "Google"),
    sig("requests from referer", KeyRestricted, "Google"),
    sig("referer <empty> are blocked", KeyRestricted, "Google"),
    // Older Google wordings (API v3 error reasons) and other providers' allowed-domain lists.
    sig("iprefererblocked", KeyRestricted, "Google"),
    sig("did not specify any referer", KeyRestricted, "Google"),
    sig("remove the referer restrictions", KeyRestricted, "Google"),
    sig(
        "referer restrictions cannot be used with this api",
        KeyRestricted,
        "Google Maps",
    ),
    sig(
        "referer in the request header is not allowed",
        KeyRestricted,
        "",
    ),
    at(P::GoogleApis, "are blocked", KeyRestricted),
    sig("ip address restriction", KeyRestricted, ""),
    sig(
        "is not authorized to use this api key",
        KeyRestricted,
        "Google",
    ),
    sig(
        "this ip, site or mobile application is not authorized",
        KeyRestricted,
        "Google",
    ),
    sig("not allowed from this ip", KeyRestricted, ""),
    sig("insufficient_scope", Forbidden, "RFC 6750"),
    sig("resource not accessible by", Forbidden, "GitHub"),
    sig("permission_error", Forbidden, "Anthropic"),
    sig("unsupported_country_region_territory", Forbidden, "OpenAI"),
    sig("sorry, you have been blocked", Forbidden, "Cloudflare"),
    sig("attention required! | cloudflare", Forbidden, "Cloudflare"),
    sig("missing authentication token", Forbidden, "AWS API Gateway"),
    sig("is not authorized to perform", Forbidden, "AWS"),
    sig(
        "you do not have permission to perform this action",
        Forbidden,
        "Django REST framework",
    ),
    sig(
        "\"invalid authentication credentials\"",
        WrongScheme,
        "FastAPI HTTPBearer",
    ),
    // ── missing ─────────────────────────────────────────────────────────────────────────
    sig("you didn't provide an api key", Missing, "OpenAI"),
    sig("you did not provide an api key", Missing, "Stripe"),
    sig("x-api-key header is required", Missing, "Anthropic"),
    sig(
        "authentication credentials were not provided",
        Missing,
        "Django REST framework",
    ),
    sig("\"not authenticated\"", Missing, "FastAPI"),
    sig("\"not_authed\"", Missing, "Slack"),
    sig("must specify access token", Missing, "GitHub"),
    sig("requires authentication", Missing, "GitHub"),
    sig("missing subscription key", Missing, "Azure API Management"),
    sig("api_key_missing", Missing, "api.data.gov"),
    sig("no api_key was supplied", Missing, "api.data.gov"),
    sig("invalid or missing", Invalid, ""),
    sig("wrong username or password", Invalid, ""),
    sig("missing api key", Missing, ""),
    sig("no api key", Missing, ""),
    sig("api key is required", Missing, ""),
    sig("api key required", Missing, ""),
    sig("missing bearer token", Missing, ""),
    sig("missing token", Missing, ""),
    sig("token required", Missing, ""),
    sig("token is required", Missing, ""),
    sig("no token provided", Missing, ""),
    sig("missing authorization", Missing, ""),
    sig("authorization header was not present", Missing, ""),
    sig("authorization header not found", Missing, ""),
    sig("authorization header is missing", Missing, ""),
    sig("authorization header is required", Missing, ""),
    sig("no authorization header", Missing, ""),
    sig("no auth token", Missing, ""),
    sig("missing credentials", Missing, ""),
    sig("no credentials", Missing, ""),
    sig(
        "full authentication is required",
        Missing,
        "Spring Security",
    ),
    sig("authentication required", Missing, ""),
    sig("unregistered callers", Missing, "Google"),
    sig("authentication is required", Missing, ""),
    sig("no authorization token was found", Missing, "express-jwt"),
    sig("no authorization provided", Missing, "auth0-fastapi-api"),
    at(P::HuggingFace, "invalid username or password", Invalid),
    at(
        P::HuggingFace,
        "invalid credentials in authorization header",
        Invalid,
    ),
    // ── invalid, revoked, unknown ───────────────────────────────────────────────────────
    sig("invalid_api_key", Invalid, "OpenAI"),
    sig("incorrect api key provided", Invalid, "OpenAI"),
    sig("invalid x-api-key", Invalid, "Anthropic"),
    sig("invalid bearer token", Invalid, "Anthropic"),
    sig("bad credentials", Invalid, "GitHub"),
    sig("invalid api key provided", Invalid, "Stripe"),
    sig("expired api key provided", Invalid, "Stripe"),
    sig("api_key_invalid", Invalid, "Google"),
    sig("api key not valid", Invalid, "Google"),
    sig("api key expired", Invalid, "Google"),
    sig(
        "request had invalid authentication credentials",
        Invalid,
        "Google",
    ),
    sig("invalid subscription key", Invalid, "Azure"),
    sig("\"invalid_auth\"", Invalid, "Slack"),
    sig("\"token_revoked\"", Invalid, "Slack"),
    sig("\"account_inactive\"", Invalid, "Slack"),
    sig("\"token_expired\"", Invalid, "Slack"),
    sig("could not validate credentials", Invalid, "FastAPI"),
    sig("invalid token.", Invalid, "Django REST framework"),
    sig(
        "given token not valid",
        Invalid,
        "djangorestframework-simplejwt",
    ),
    sig(
        "token is invalid or expired",
        Invalid,
        "djangorestframework-simplejwt",
    ),
    sig(
        "authorization grant is invalid, expired, or revoked",
        Invalid,
        "SendGrid",
    ),
    sig("access token is invalid", Invalid, ""),
    sig("invalid_token", Invalid, "RFC 6750"),
    sig("invalid token", Invalid, ""),
    sig("invalid api key", Invalid, ""),
    sig("invalid api-key", Invalid, ""),
    sig("invalid access token", Invalid, ""),
    sig("invalid credentials", Invalid, ""),
    sig("invalid signature", Invalid, ""),
    sig("token revoked", Invalid, ""),
    sig("has been revoked", Invalid, ""),
    sig("unknown api key", Invalid, ""),
    sig("api key is invalid", Invalid, ""),
    sig("api key not found", Invalid, ""),
    sig("key not found", Invalid, ""),
    sig("authentication failed", Invalid, ""),
    sig("unrecognized login or wrong password", Invalid, "Shopify"),
    at(P::GitLab, "\"401 unauthorized\"", Invalid),
    at(P::Cloudflare, "authentication error", Invalid),
    at(P::Cloudflare, "invalid request headers", Invalid),
    at(P::HuggingFace, "invalid user token", Invalid),
    // ── category codes: evidence only when no message matched ─────────────────────────────
    weak("authentication_error", Invalid, "Anthropic"),
    // Google's status code; elsewhere (Laravel "Unauthenticated.") it only means "not logged in".
    Signal {
        weak: true,
        ..at(P::GoogleApis, "unauthenticated", Invalid)
    },
];

/// One automaton over every needle, built on first use.
fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::new(SIGNALS.iter().map(|s| s.needle)).expect("needles build an automaton")
    })
}

/// Every row whose needle is in `text` (lower-case) and whose scope fits `provider`, in table
/// order, without duplicates.
pub fn matching(text: &str, provider: Option<ProviderId>) -> Vec<&'static Signal> {
    let mut ids: Vec<usize> = automaton()
        .find_overlapping_iter(text)
        .map(|m| m.pattern().as_usize())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|i| &SIGNALS[i])
        .filter(|s| match s.scope {
            Scope::Any => true,
            Scope::Provider(p) => provider == Some(p),
        })
        .collect()
}

/// The words around `needle` in `body`, one sentence or at most 160 characters, with anything
/// shaped like a key masked: the server's words quoted as evidence.
pub fn quote(body: &str, needle: &str) -> Option<String> {
    let lower = body.to_lowercase();
    if lower.len() != body.len() {
        return Some(mask_tokens(needle));
    }
    let at = lower.find(needle)?;
    let start = body[..at]
        .rfind(['"', '\n', '>'])
        .map_or(0, |i| i + 1)
        .max(at.saturating_sub(80));
    let end = body[at..]
        .find(['"', '\n', '<'])
        .map_or(body.len(), |i| at + i)
        .min(at + needle.len() + 100)
        .max(at + needle.len());
    let (start, end) = (floor(body, start), floor(body, end));
    Some(mask_tokens(body[start..end].trim()))
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i.min(s.len())
}

/// Words of 20 or more key characters with a digit among them become `abcd…wxyz (N chars)`.
fn mask_tokens(text: &str) -> String {
    crate::secret::mask_words(
        text,
        |c| c.is_ascii_alphanumeric() || "-_.+/=".contains(c),
        |w| w.chars().count() >= 20 && w.chars().any(|c| c.is_ascii_digit()),
    )
}

/// The header a response says is required: "X-Api-Key header is required", "missing header
/// X-Token", "header 'x-auth' is required".
pub fn required_header(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let header_like = |w: &str| w.contains('-') && w.len() > 3 && !w.starts_with('-');
    let asks = |ws: &[&str]| {
        ws.iter()
            .any(|w| matches!(*w, "required" | "missing" | "expected" | "provide"))
    };
    for (i, w) in words.iter().enumerate() {
        if *w != "header" {
            continue;
        }
        let around = &words[i.saturating_sub(3)..(i + 4).min(words.len())];
        if !asks(around) {
            continue;
        }
        let before = i
            .checked_sub(1)
            .map(|j| words[j])
            .filter(|w| header_like(w));
        let after = words.get(i + 1).copied().filter(|w| header_like(w));
        if let Some(name) = before.or(after) {
            return Some(name.to_string());
        }
    }
    None
}

/// A leeway the server states for its clock checks ("with a leeway of 30 seconds", "clock
/// skew of 5 minutes"), in seconds.
pub fn stated_leeway(text: &str) -> Option<i64> {
    let at = ["leeway", "clock skew", "clockskew", "tolerance"]
        .iter()
        .find_map(|w| text.find(w).map(|i| i + w.len()))?;
    let rest = &text[at..(at + 40).min(text.len())];
    let digits: String = rest
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    let n: i64 = digits.parse().ok()?;
    let unit = rest.split(&digits).nth(1).unwrap_or("").trim_start();
    Some(if unit.starts_with("millis") || unit.starts_with("ms") {
        n / 1000
    } else if unit.starts_with("min") || unit.starts_with('m') {
        n * 60
    } else {
        n
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meanings(text: &str, p: Option<ProviderId>) -> Vec<Meaning> {
        matching(&text.to_lowercase(), p)
            .into_iter()
            .map(|s| s.meaning)
            .collect()
    }

    #[test]
    fn provider_bodies_prove_what_their_docs_say() {
        let openai = r#"{"error":{"message":"Incorrect API key provided: undefined. You can find your API key at https://platform.openai.com/account/api-keys.","code":"invalid_api_key"}}"#;
        assert_eq!(meanings(openai, Some(P::OpenAi))[0], KeyUndefined);
        let aws = "<Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message>";
        assert_eq!(meanings(aws, None), vec![RequestSkew]);
        let google = r#"{"error":{"status":"PERMISSION_DENIED","details":[{"reason":"API_KEY_HTTP_REFERRER_BLOCKED"}],"message":"Requests from referer <empty> are blocked."}}"#;
        assert!(meanings(google, None).iter().all(|m| *m == KeyRestricted));
        let drf = r#"{"detail":"Authentication credentials were not provided."}"#;
        assert_eq!(meanings(drf, None), vec![Missing]);
        let gh = "remote: Support for password authentication was removed on August 13, 2021.";
        assert_eq!(meanings(gh, None), vec![WrongTokenType]);
    }

    #[test]
    fn provider_rows_stay_at_their_provider() {
        let body = r#"{"message":"401 Unauthorized"}"#;
        assert_eq!(meanings(body, Some(P::GitLab)), vec![Invalid]);
        assert!(meanings(body, None).is_empty());
    }

    #[test]
    fn category_codes_are_weak_and_messages_are_not() {
        let body = r#"{"type":"error","error":{"type":"authentication_error","message":"OAuth authentication is currently not supported."}}"#;
        let rows = matching(&body.to_lowercase(), Some(P::Anthropic));
        assert!(rows.iter().any(|s| s.meaning == Account && !s.weak));
        assert!(rows.iter().any(|s| s.meaning == Invalid && s.weak));
    }

    #[test]
    fn quotes_are_short_and_masked() {
        let body = r#"{"message":"Incorrect API key provided: sk-proj-FAKE0000FAKE0000FAKE0000FAKE. See docs."}"#;
        let q = quote(body, "incorrect api key provided").unwrap();
        assert!(q.starts_with("Incorrect API key provided: "), "{q}");
        assert!(!q.contains("FAKE0000FAKE0000FAKE0000"), "{q}");
    }

    #[test]
    fn required_headers_and_leeways_are_read_from_the_words() {
        assert_eq!(
            required_header("the x-tenant-key header is required").as_deref(),
            Some("x-tenant-key")
        );
        assert_eq!(
            required_header("missing header x-auth-token").as_deref(),
            Some("x-auth-token")
        );
        assert_eq!(required_header("the header was fine"), None);
        assert_eq!(stated_leeway("jwt expired (leeway 30 s)"), Some(30));
        assert_eq!(stated_leeway("allowed clock skew: 5 minutes"), Some(300));
        assert_eq!(stated_leeway("token expired"), None);
        assert_eq!(
            stated_leeway("allowed clock skew: 0 milliseconds."),
            Some(0)
        );
    }

    #[test]
    fn every_needle_is_lower_case() {
        for s in SIGNALS {
            assert_eq!(s.needle, s.needle.to_lowercase(), "{}", s.needle);
        }
    }
}
