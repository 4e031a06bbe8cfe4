//! The causes of `docs/catalogue.md` as data keyed by [`CauseId`]: group, catalogue
//! severity and title.
//!
//! Rules refer to causes by id; titles and default severities live here once, so the JSON
//! output and the catalogue cannot drift apart rule by rule. The table is in `CauseId` order,
//! one row per id (checked when compiling and by the tests), so a lookup is an index.

use super::cause_id::CauseId::{self, *};
use super::finding::Severity::{self, Error, Info, Warning};

/// One row of the cause table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: CauseId,
    /// `A`–`G`, the catalogue group.
    pub group: char,
    pub severity: Severity,
    pub title: &'static str,
}

const fn c(id: CauseId, group: char, severity: Severity, title: &'static str) -> Cause {
    Cause {
        id,
        group,
        severity,
        title,
    }
}

pub const CAUSES: [Cause; CauseId::ALL.len()] = [
    c(EnvVarMissing, 'A', Error, "Referenced variable is not set"),
    c(
        EnvVarEmpty,
        'A',
        Error,
        "Variable is set but empty or whitespace-only",
    ),
    c(
        CredentialPlaceholderValue,
        'A',
        Error,
        "Credential is a placeholder or a template",
    ),
    c(
        CredentialIsVariableName,
        'A',
        Error,
        "The variable's name, not its value, was sent as the credential",
    ),
    c(
        DotenvNotFoundFromCwd,
        'A',
        Warning,
        ".env exists, but the loader never sees it",
    ),
    c(
        DotenvShadowedByProcessEnv,
        'A',
        Warning,
        "An existing (stale) process variable wins over .env",
    ),
    c(
        DotenvParseErrorIgnored,
        'A',
        Error,
        "A .env line failed to parse, and the error was swallowed",
    ),
    c(
        DotenvQuotesPreserved,
        'A',
        Error,
        "Quote characters ended up inside the value",
    ),
    c(
        DotenvInlineCommentInValue,
        'A',
        Warning,
        "An inline comment became part of the value",
    ),
    c(
        DotenvVariableExpansion,
        'A',
        Warning,
        "`$` in the secret was expanded and truncated it",
    ),
    c(
        DotenvBomFirstKey,
        'A',
        Warning,
        "UTF-8 BOM at the start of .env hides the first key",
    ),
    c(
        CredentialSurroundingWhitespace,
        'B',
        Warning,
        "Leading or trailing space or tab in the secret",
    ),
    c(
        CredentialControlCharacters,
        'B',
        Error,
        "CR, LF, NUL or another control character in the secret",
    ),
    c(
        CredentialInvisibleUnicode,
        'B',
        Error,
        "Invisible or look-alike non-ASCII characters in the secret",
    ),
    c(
        CredentialEncodingMismatch,
        'B',
        Error,
        "Credential is in the wrong encoding for where it is placed",
    ),
    c(
        CredentialMaskedOrTruncated,
        'B',
        Error,
        "Credential is a masked display string or was cut short",
    ),
    c(
        CredentialMangledByShell,
        'B',
        Error,
        "The shell changed the credential before the client saw it",
    ),
    c(AuthHeaderMissing, 'C', Error, "No credential at all"),
    c(
        BearerSchemeMissing,
        'C',
        Error,
        "Token sent without a scheme",
    ),
    c(
        BearerSchemeDuplicated,
        'C',
        Error,
        "Scheme written twice (`Bearer Bearer …`)",
    ),
    c(
        AuthSchemeCaseNonstandard,
        'C',
        Warning,
        "Scheme not in canonical case (`bearer`, `BEARER`)",
    ),
    c(
        AuthSchemeSeparatorInvalid,
        'C',
        Error,
        "Wrong separator between scheme and credentials",
    ),
    c(
        AuthSchemeWrongForApi,
        'C',
        Error,
        "Right token, wrong scheme word",
    ),
    c(
        BasicCredentialsMalformed,
        'C',
        Error,
        "Basic credentials are not base64(user:pass)",
    ),
    c(
        CredentialSentMultipleWays,
        'C',
        Error,
        "Credential sent twice or in conflicting places",
    ),
    c(
        ApiKeySentAsBearer,
        'D',
        Error,
        "API key sent as `Authorization: Bearer` to an API that reads a key header",
    ),
    c(
        CredentialInWrongHeader,
        'D',
        Error,
        "Credential placed in a header the API does not read",
    ),
    c(
        SchemePrefixInKeyHeader,
        'D',
        Warning,
        "A scheme word (`Bearer `) inside a header that takes the bare key",
    ),
    c(
        HeaderNameUnderscore,
        'D',
        Warning,
        "Header name contains `_` and is dropped by a proxy",
    ),
    c(
        KeyProviderMismatch,
        'D',
        Error,
        "Key belongs to a different provider or service than the URL",
    ),
    c(
        StripeKeyTypeOrModeMismatch,
        'D',
        Error,
        "Stripe publishable key used server-side, or test/live mode mismatch",
    ),
    c(
        TokenTypeWrongForApi,
        'D',
        Error,
        "A credential of the wrong type for this API",
    ),
    c(
        KeyRestrictedByPolicy,
        'D',
        Error,
        "Valid key, restricted to other referrers, IPs, APIs or projects",
    ),
    c(
        AnthropicVersionMissing,
        'D',
        Error,
        "Anthropic request without the `anthropic-version` header",
    ),
    c(
        OpenAiOrganizationMismatch,
        'D',
        Error,
        "`OpenAI-Organization` header does not match the key",
    ),
    c(
        TokenInQueryString,
        'D',
        Warning,
        "Credential in the URL query string",
    ),
    c(
        RedirectAuthStrippedCrossOrigin,
        'E',
        Error,
        "Client dropped `Authorization` while following a redirect",
    ),
    c(
        RedirectHttpsDowngrade,
        'E',
        Error,
        "Server redirected `https://` to `http://`",
    ),
    c(
        CustomKeyHeaderLeakedOnRedirect,
        'E',
        Warning,
        "A custom key header is forwarded to a redirect target",
    ),
    c(
        ProxyStripsAuthorization,
        'E',
        Error,
        "An intermediary removed `Authorization` before the origin",
    ),
    c(
        ProxyAuthRequired407,
        'E',
        Error,
        "Forward proxy wants credentials (not the API)",
    ),
    c(
        CorsPreflightUnauthenticated,
        'E',
        Error,
        "CORS preflight (`OPTIONS`) answered 401/403",
    ),
    c(
        NetrcOverridesAuthorization,
        'E',
        Warning,
        "`.netrc` replaced the explicit Authorization header",
    ),
    c(
        TlsVerificationOff,
        'E',
        Info,
        "The diagnosis was made with TLS checks off",
    ),
    c(JwtExpired, 'F', Error, "Access token (JWT) has expired"),
    c(
        JwtNotYetValidClockSkew,
        'F',
        Error,
        "Token not valid yet because the clocks disagree",
    ),
    c(
        RequestClockSkew,
        'F',
        Error,
        "Request time too far from the server's clock",
    ),
    c(
        JwtAudienceOrIssuerMismatch,
        'F',
        Error,
        "Token issued for another audience or by another issuer",
    ),
    c(
        TokenRevokedOrInvalid,
        'F',
        Error,
        "Well-formed credential rejected by the server",
    ),
    c(
        RefreshTokenInvalidGrant,
        'F',
        Error,
        "The refresh step itself failed",
    ),
    c(
        SessionCookieMissing,
        'F',
        Error,
        "The session cookie was not sent",
    ),
    c(
        SessionCookieExpired,
        'F',
        Error,
        "The session cookie has expired or was cleared",
    ),
    c(
        ServerExpectedKeyUnset,
        'G',
        Error,
        "The server's own expected key is empty or unset, so every request fails",
    ),
    c(
        AuthFailureNon401Status,
        'G',
        Warning,
        "Authentication failure reported with a non-401 status",
    ),
    c(
        ForbiddenAuthorizationNotAuthentication,
        'G',
        Info,
        "403 means \"authenticated but not allowed\", not \"bad credentials\"",
    ),
    c(
        SpecCredentialInWrongSlot,
        'H',
        Error,
        "The API's spec accepts the credential in another slot",
    ),
    c(
        SpecCredentialMissing,
        'H',
        Error,
        "The API's spec requires a credential the request does not carry",
    ),
    c(
        SpecRequiredSchemeMissing,
        'H',
        Error,
        "The spec requires several credentials together, and one is missing",
    ),
    c(
        SpecScopeMissing,
        'H',
        Error,
        "The token lacks a scope the spec requires for this operation",
    ),
    c(
        SpecOperationNeedsNoAuth,
        'H',
        Warning,
        "The spec says this operation needs no credential, so the 401 means something else",
    ),
    c(
        SpecOperationNotFound,
        'H',
        Warning,
        "The spec has no operation for this method and path",
    ),
    c(
        NoSpecificCause,
        'G',
        Info,
        "Nothing specific found: what was checked, and what to check next",
    ),
];

// Row `i` is the cause `CauseId::ALL[i]`: a row out of place fails the build.
const _: () = {
    let mut i = 0;
    while i < CAUSES.len() {
        assert!(
            CAUSES[i].id.index() == i,
            "CAUSES must list the causes in CauseId order"
        );
        i += 1;
    }
};

/// The catalogue row for an id.
pub fn cause(id: CauseId) -> &'static Cause {
    &CAUSES[id.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_exactly_one_entry_and_every_entry_an_id() {
        for id in CauseId::ALL {
            let rows: Vec<&Cause> = CAUSES.iter().filter(|c| c.id == id).collect();
            assert_eq!(rows.len(), 1, "{id}: {} catalogue rows", rows.len());
            assert_eq!(cause(id).id, id);
        }
        for c in &CAUSES {
            assert!(CauseId::ALL.contains(&c.id), "{} is not a CauseId", c.id);
        }
        assert_eq!(CAUSES.len(), CauseId::ALL.len());
    }

    #[test]
    fn groups_known_and_titles_present() {
        for a in &CAUSES {
            assert!(('A'..='H').contains(&a.group), "{}", a.id);
            assert!(!a.title.is_empty(), "{}", a.id);
        }
    }
}
