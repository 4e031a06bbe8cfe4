//! Cause ids: one variant per cause of `docs/catalogue.md`, each with its stable kebab-case name.
//!
//! The names are the public contract — the JSON output, the scorer, the lessons and people's
//! scripts read them — so a variant is renamed freely in Rust while its string never changes.
//! `as_str`, `Display`, `FromStr` and serde all go through the one table below.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Declares the enum, `ALL` (every variant, in declaration order) and `as_str` from one list,
/// so a variant cannot exist without its name or be missing from `ALL`.
macro_rules! cause_ids {
    ($($variant:ident = $name:literal,)*) => {
        /// A cause of the catalogue. The order is the catalogue's (A–H), which is also the
        /// order findings of the same severity and place are listed in.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum CauseId {
            $($variant,)*
        }

        impl CauseId {
            /// Every cause id, in catalogue order.
            pub const ALL: [CauseId; [$($name),*].len()] = [$(CauseId::$variant),*];

            /// The stable kebab-case name, as in `docs/catalogue.md` and the JSON output.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(CauseId::$variant => $name,)*
                }
            }
        }
    };
}

cause_ids! {
    EnvVarMissing = "env-var-missing",
    EnvVarEmpty = "env-var-empty",
    CredentialPlaceholderValue = "credential-placeholder-value",
    CredentialIsVariableName = "credential-is-variable-name",
    DotenvNotFoundFromCwd = "dotenv-not-found-from-cwd",
    DotenvShadowedByProcessEnv = "dotenv-shadowed-by-process-env",
    DotenvParseErrorIgnored = "dotenv-parse-error-ignored",
    DotenvQuotesPreserved = "dotenv-quotes-preserved",
    DotenvInlineCommentInValue = "dotenv-inline-comment-in-value",
    DotenvVariableExpansion = "dotenv-variable-expansion",
    DotenvBomFirstKey = "dotenv-bom-first-key",
    CredentialSurroundingWhitespace = "credential-surrounding-whitespace",
    CredentialControlCharacters = "credential-control-characters",
    CredentialInvisibleUnicode = "credential-invisible-unicode",
    CredentialEncodingMismatch = "credential-encoding-mismatch",
    CredentialMaskedOrTruncated = "credential-masked-or-truncated",
    CredentialMangledByShell = "credential-mangled-by-shell",
    AuthHeaderMissing = "auth-header-missing",
    BearerSchemeMissing = "bearer-scheme-missing",
    BearerSchemeDuplicated = "bearer-scheme-duplicated",
    AuthSchemeCaseNonstandard = "auth-scheme-case-nonstandard",
    AuthSchemeSeparatorInvalid = "auth-scheme-separator-invalid",
    AuthSchemeWrongForApi = "auth-scheme-wrong-for-api",
    BasicCredentialsMalformed = "basic-credentials-malformed",
    CredentialSentMultipleWays = "credential-sent-multiple-ways",
    ApiKeySentAsBearer = "api-key-sent-as-bearer",
    CredentialInWrongHeader = "credential-in-wrong-header",
    SchemePrefixInKeyHeader = "scheme-prefix-in-key-header",
    HeaderNameUnderscore = "header-name-underscore",
    KeyProviderMismatch = "key-provider-mismatch",
    StripeKeyTypeOrModeMismatch = "stripe-key-type-or-mode-mismatch",
    TokenTypeWrongForApi = "token-type-wrong-for-api",
    KeyRestrictedByPolicy = "key-restricted-by-policy",
    AnthropicVersionMissing = "anthropic-version-missing",
    OpenAiOrganizationMismatch = "openai-organization-mismatch",
    TokenInQueryString = "token-in-query-string",
    RedirectAuthStrippedCrossOrigin = "redirect-auth-stripped-cross-origin",
    RedirectHttpsDowngrade = "redirect-https-downgrade",
    CustomKeyHeaderLeakedOnRedirect = "custom-key-header-leaked-on-redirect",
    ProxyStripsAuthorization = "proxy-strips-authorization",
    ProxyAuthRequired407 = "proxy-auth-required-407",
    CorsPreflightUnauthenticated = "cors-preflight-unauthenticated",
    NetrcOverridesAuthorization = "netrc-overrides-authorization",
    TlsVerificationOff = "tls-verification-off",
    JwtExpired = "jwt-expired",
    JwtNotYetValidClockSkew = "jwt-not-yet-valid-clock-skew",
    RequestClockSkew = "request-clock-skew",
    JwtAudienceOrIssuerMismatch = "jwt-audience-or-issuer-mismatch",
    TokenRevokedOrInvalid = "token-revoked-or-invalid",
    RefreshTokenInvalidGrant = "refresh-token-invalid-grant",
    SessionCookieMissing = "session-cookie-missing",
    SessionCookieExpired = "session-cookie-expired",
    ServerExpectedKeyUnset = "server-expected-key-unset",
    AuthFailureNon401Status = "auth-failure-non-401-status",
    ForbiddenAuthorizationNotAuthentication = "forbidden-authorization-not-authentication",
    SpecCredentialInWrongSlot = "spec-credential-in-wrong-slot",
    SpecCredentialMissing = "spec-credential-missing",
    SpecRequiredSchemeMissing = "spec-required-scheme-missing",
    SpecScopeMissing = "spec-scope-missing",
    SpecOperationNeedsNoAuth = "spec-operation-needs-no-auth",
    SpecOperationNotFound = "spec-operation-not-found",
    NoSpecificCause = "no-specific-cause",
}

impl CauseId {
    /// The position in [`CauseId::ALL`] (and in the catalogue, which is kept in the same order).
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A name that is no cause id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown cause id {0:?}")]
pub struct UnknownCauseId(pub String);

impl FromStr for CauseId {
    type Err = UnknownCauseId;

    fn from_str(s: &str) -> Result<CauseId, UnknownCauseId> {
        CauseId::ALL
            .into_iter()
            .find(|id| id.as_str() == s)
            .ok_or_else(|| UnknownCauseId(s.to_string()))
    }
}

impl Serialize for CauseId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CauseId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CauseId, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

/// Compares with a name, so `finding.id == "jwt-expired"` reads as it always has.
impl PartialEq<str> for CauseId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CauseId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<CauseId> for &str {
    fn eq(&self, other: &CauseId) -> bool {
        *self == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips_through_its_name_and_json() {
        for id in CauseId::ALL {
            let name = id.as_str();
            assert_eq!(name.parse::<CauseId>(), Ok(id));
            assert_eq!(id.to_string(), name);
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<CauseId>(&json).unwrap(), id);
        }
    }

    #[test]
    fn names_are_kebab_case_and_unique() {
        for (i, id) in CauseId::ALL.iter().enumerate() {
            let name = id.as_str();
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--"),
                "{name}"
            );
            assert_eq!(id.index(), i);
            assert!(CauseId::ALL[i + 1..].iter().all(|b| b.as_str() != name));
        }
    }

    #[test]
    fn unknown_names_are_refused() {
        assert_eq!(
            "jwt-expird".parse::<CauseId>(),
            Err(UnknownCauseId("jwt-expird".into()))
        );
        assert!(serde_json::from_str::<CauseId>("\"JwtExpired\"").is_err());
    }
}
