//! The 45 causes of `docs/catalogue.md` as data: stable id, group, catalogue severity and title.
//!
//! Rules refer to causes by id; titles and default severities live here once, so the JSON
//! output and the catalogue cannot drift apart rule by rule.

use super::finding::Severity::{self, Error, Info, Warning};

/// One row of the cause table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: &'static str,
    /// `A`–`G`, the catalogue group.
    pub group: char,
    pub severity: Severity,
    pub title: &'static str,
}

const fn c(id: &'static str, group: char, severity: Severity, title: &'static str) -> Cause {
    Cause {
        id,
        group,
        severity,
        title,
    }
}

pub const CAUSES: [Cause; 45] = [
    c(
        "env-var-missing",
        'A',
        Error,
        "Referenced variable is not set",
    ),
    c(
        "env-var-empty",
        'A',
        Error,
        "Variable is set but empty or whitespace-only",
    ),
    c(
        "credential-placeholder-value",
        'A',
        Error,
        "Credential is a placeholder or a template",
    ),
    c(
        "dotenv-not-found-from-cwd",
        'A',
        Warning,
        ".env exists, but the loader never sees it",
    ),
    c(
        "dotenv-shadowed-by-process-env",
        'A',
        Warning,
        "An existing (stale) process variable wins over .env",
    ),
    c(
        "dotenv-parse-error-ignored",
        'A',
        Error,
        "A .env line failed to parse, and the error was swallowed",
    ),
    c(
        "dotenv-quotes-preserved",
        'A',
        Error,
        "Quote characters ended up inside the value",
    ),
    c(
        "dotenv-inline-comment-in-value",
        'A',
        Warning,
        "An inline comment became part of the value",
    ),
    c(
        "dotenv-variable-expansion",
        'A',
        Warning,
        "`$` in the secret was expanded and truncated it",
    ),
    c(
        "dotenv-bom-first-key",
        'A',
        Warning,
        "UTF-8 BOM at the start of .env hides the first key",
    ),
    c(
        "credential-surrounding-whitespace",
        'B',
        Warning,
        "Leading or trailing space or tab in the secret",
    ),
    c(
        "credential-control-characters",
        'B',
        Error,
        "CR, LF, NUL or another control character in the secret",
    ),
    c(
        "credential-invisible-unicode",
        'B',
        Error,
        "Invisible or look-alike non-ASCII characters in the secret",
    ),
    c(
        "credential-encoding-mismatch",
        'B',
        Error,
        "Credential is in the wrong encoding for where it is placed",
    ),
    c(
        "credential-masked-or-truncated",
        'B',
        Error,
        "Credential is a masked display string or was cut short",
    ),
    c("auth-header-missing", 'C', Error, "No credential at all"),
    c(
        "bearer-scheme-missing",
        'C',
        Error,
        "Token sent without a scheme",
    ),
    c(
        "bearer-scheme-duplicated",
        'C',
        Error,
        "Scheme written twice (`Bearer Bearer …`)",
    ),
    c(
        "auth-scheme-case-nonstandard",
        'C',
        Warning,
        "Scheme not in canonical case (`bearer`, `BEARER`)",
    ),
    c(
        "auth-scheme-separator-invalid",
        'C',
        Error,
        "Wrong separator between scheme and credentials",
    ),
    c(
        "auth-scheme-wrong-for-api",
        'C',
        Error,
        "Right token, wrong scheme word",
    ),
    c(
        "basic-credentials-malformed",
        'C',
        Error,
        "Basic credentials are not base64(user:pass)",
    ),
    c(
        "credential-sent-multiple-ways",
        'C',
        Error,
        "Credential sent twice or in conflicting places",
    ),
    c(
        "api-key-sent-as-bearer",
        'D',
        Error,
        "API key sent as `Authorization: Bearer` to an API that reads a key header",
    ),
    c(
        "credential-in-wrong-header",
        'D',
        Error,
        "Credential placed in a header the API does not read",
    ),
    c(
        "header-name-underscore",
        'D',
        Warning,
        "Header name contains `_` and is dropped by a proxy",
    ),
    c(
        "key-provider-mismatch",
        'D',
        Error,
        "Key belongs to a different provider or service than the URL",
    ),
    c(
        "stripe-key-type-or-mode-mismatch",
        'D',
        Error,
        "Stripe publishable key used server-side, or test/live mode mismatch",
    ),
    c(
        "anthropic-version-missing",
        'D',
        Error,
        "Anthropic request without the `anthropic-version` header",
    ),
    c(
        "openai-organization-mismatch",
        'D',
        Error,
        "`OpenAI-Organization` header does not match the key",
    ),
    c(
        "token-in-query-string",
        'D',
        Warning,
        "Credential in the URL query string",
    ),
    c(
        "redirect-auth-stripped-cross-origin",
        'E',
        Error,
        "Client dropped `Authorization` while following a redirect",
    ),
    c(
        "redirect-https-downgrade",
        'E',
        Error,
        "Server redirected `https://` to `http://`",
    ),
    c(
        "custom-key-header-leaked-on-redirect",
        'E',
        Warning,
        "A custom key header is forwarded to a redirect target",
    ),
    c(
        "proxy-strips-authorization",
        'E',
        Error,
        "An intermediary removed `Authorization` before the origin",
    ),
    c(
        "proxy-auth-required-407",
        'E',
        Error,
        "Forward proxy wants credentials (not the API)",
    ),
    c(
        "netrc-overrides-authorization",
        'E',
        Warning,
        "`.netrc` replaced the explicit Authorization header",
    ),
    c("jwt-expired", 'F', Error, "Access token (JWT) has expired"),
    c(
        "jwt-not-yet-valid-clock-skew",
        'F',
        Error,
        "Token not valid yet because the clocks disagree",
    ),
    c(
        "jwt-audience-or-issuer-mismatch",
        'F',
        Error,
        "Token issued for another audience or by another issuer",
    ),
    c(
        "token-revoked-or-invalid",
        'F',
        Error,
        "Well-formed credential rejected by the server",
    ),
    c(
        "refresh-token-invalid-grant",
        'F',
        Error,
        "The refresh step itself failed",
    ),
    c(
        "server-expected-key-unset",
        'G',
        Error,
        "The server's own expected key is empty or unset, so every request fails",
    ),
    c(
        "auth-failure-non-401-status",
        'G',
        Warning,
        "Authentication failure reported with a non-401 status",
    ),
    c(
        "forbidden-authorization-not-authentication",
        'G',
        Info,
        "403 means \"authenticated but not allowed\", not \"bad credentials\"",
    ),
];

/// The catalogue row for an id. Panics on an unknown id: that is a typo in a rule, caught by tests.
pub fn cause(id: &str) -> &'static Cause {
    CAUSES
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("unknown cause id {id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_groups_known() {
        for (i, a) in CAUSES.iter().enumerate() {
            assert!(
                ("A"..="G").contains(&a.group.to_string().as_str()),
                "{}",
                a.id
            );
            for b in &CAUSES[i + 1..] {
                assert_ne!(a.id, b.id);
            }
        }
    }
}
