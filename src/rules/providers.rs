//! Provider knowledge as data: where each API reads its credential, which schemes it accepts,
//! the shape of its keys, and the response shapes that mean "missing", "invalid" or "not
//! allowed" (their phrases are in `messages`). Adding a provider is adding a `ProviderId` and
//! its row. Rules read the row's
//! fields; the few that concern one provider only (Stripe's key modes, Slack's JSON-body
//! tokens) compare `ProviderId`s, never display names.
//!
//! Sources: the provider table of docs/catalogue.md §4 (provider docs), gitleaks' key regexes for the
//! shapes, and the documented error bodies.

/// Declares `ProviderId`, its `ALL` and its display names from one list.
macro_rules! provider_ids {
    ($($variant:ident = $name:literal,)*) => {
        /// A provider of the table, by identity; its display name is [`ProviderId::name`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ProviderId {
            $($variant,)*
        }

        impl ProviderId {
            /// Every provider, in table order.
            #[cfg(test)]
            pub const ALL: [ProviderId; [$($name),*].len()] = [$(ProviderId::$variant),*];

            /// The provider's name as messages show it ("OpenAI", "Google APIs").
            pub const fn name(self) -> &'static str {
                match self {
                    $(ProviderId::$variant => $name,)*
                }
            }
        }
    };
}

provider_ids! {
    OpenAi = "OpenAI",
    Anthropic = "Anthropic",
    AzureOpenAi = "Azure OpenAI",
    GitHub = "GitHub",
    GitLab = "GitLab",
    Stripe = "Stripe",
    Slack = "Slack",
    GoogleApis = "Google APIs",
    AwsApiGateway = "AWS API Gateway",
    HuggingFace = "Hugging Face",
    Cloudflare = "Cloudflare",
    AssemblyAi = "AssemblyAI",
    Linear = "Linear",
    OpenRouter = "OpenRouter",
    SendGrid = "SendGrid",
    Airtable = "Airtable",
    Discord = "Discord",
    TravisCi = "Travis CI",
    Okta = "Okta",
    Supabase = "Supabase",
    Groq = "Groq",
    Replicate = "Replicate",
    Perplexity = "Perplexity",
    XAi = "xAI",
    Artifactory = "JFrog Artifactory",
}

impl std::fmt::Display for ProviderId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// How a host name is matched.
#[derive(Debug, Clone, Copy)]
pub enum Host {
    Exact(&'static str),
    /// The name itself or any subdomain of it.
    Domain(&'static str),
    /// The first label, e.g. `gitlab` for a self-hosted `gitlab.example.com`.
    FirstLabel(&'static str),
    /// A label sequence inside the name, e.g. `.execute-api.` for AWS API Gateway.
    Contains(&'static str),
}

impl Host {
    fn matches(&self, host: &str) -> bool {
        match *self {
            Host::Exact(h) => host == h,
            Host::Domain(d) => host == d || host.strip_suffix(d).is_some_and(|p| p.ends_with('.')),
            Host::FirstLabel(l) => host.split('.').next() == Some(l) && host.contains('.'),
            Host::Contains(s) => host.contains(s),
        }
    }
}

/// Who may use `Authorization: Bearer` at a provider that also has a key header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BearerUse {
    /// Bearer is the documented place for the API key.
    Any,
    /// Bearer is reserved for OAuth or identity-platform tokens; API keys go in `key_header`.
    TokensOnly,
    /// The provider does not read Bearer at all.
    Never,
}

/// What a provider documents about credentials in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryPolicy {
    /// A documented, supported place (Google's `?key=`).
    Documented(&'static str),
    /// Deprecated or refused (GitHub `access_token`, Slack apps created after 2021-02-24).
    Refused,
    /// Not documented; works maybe, leaks surely.
    Discouraged,
}

/// One API or stack and its credential conventions.
#[derive(Debug, Clone, Copy)]
pub struct Provider {
    pub id: ProviderId,
    pub hosts: &'static [Host],
    /// Scheme words accepted in `Authorization`, in their documented spelling; empty: none.
    pub schemes: &'static [&'static str],
    /// The documented key header, if the provider has one.
    pub key_header: Option<&'static str>,
    pub bearer: BearerUse,
    /// The raw key goes in `Authorization` with no scheme word (AssemblyAI, Linear keys).
    pub bare_authorization: bool,
    /// A JWT must use Bearer here, whatever other schemes are accepted (GitHub Apps).
    pub jwt_requires_bearer: bool,
    /// Headers every request must carry, with the value to suggest.
    pub required_headers: &'static [(&'static str, &'static str)],
    pub query: QueryPolicy,
    /// Status codes this provider uses for authentication failures besides 401.
    pub failure_statuses: &'static [u16],
    /// Serves 404 (not 401) for unauthenticated access to private resources.
    pub not_found_when_unauthenticated: bool,
    /// How every credential this API issues begins, when all of them are prefixed; empty when
    /// some are not (GitLab's older tokens, GitHub's OAuth hex). A value that begins with none
    /// of them is not one of its keys at all (a URL, a password, a key id pasted instead).
    pub key_prefixes: &'static [&'static str],
    /// Path prefixes where only `Authorization: Bearer` is read, even though the provider has
    /// a key header elsewhere (GitLab's Terraform module registry).
    pub bearer_only_paths: &'static [&'static str],
}

impl Provider {
    /// The display name, "OpenAI".
    pub const fn name(&self) -> &'static str {
        self.id.name()
    }
}

const fn provider(id: ProviderId, hosts: &'static [Host]) -> Provider {
    Provider {
        id,
        hosts,
        schemes: &["Bearer"],
        key_header: None,
        bearer: BearerUse::Any,
        bare_authorization: false,
        jwt_requires_bearer: false,
        required_headers: &[],
        query: QueryPolicy::Discouraged,
        failure_statuses: &[],
        not_found_when_unauthenticated: false,
        key_prefixes: &[],
        bearer_only_paths: &[],
    }
}

/// The provider table (docs/catalogue.md §4).
pub static PROVIDERS: &[Provider] = &[
    Provider {
        // Basic with an empty user and the key as password also works ("password field").
        schemes: &["Bearer", "Basic"],
        key_prefixes: &["sk-"],
        ..provider(ProviderId::OpenAi, &[Host::Exact("api.openai.com")])
    },
    Provider {
        key_header: Some("x-api-key"),
        bearer: BearerUse::TokensOnly,
        required_headers: &[("anthropic-version", "2023-06-01")],
        key_prefixes: &["sk-ant-"],
        ..provider(ProviderId::Anthropic, &[Host::Exact("api.anthropic.com")])
    },
    Provider {
        key_header: Some("api-key"),
        bearer: BearerUse::TokensOnly,
        ..provider(
            ProviderId::AzureOpenAi,
            &[
                Host::Domain("openai.azure.com"),
                Host::Domain("cognitiveservices.azure.com"),
            ],
        )
    },
    Provider {
        // Basic with a username and a token as password also authenticates REST calls.
        schemes: &["Bearer", "token", "Basic"],
        jwt_requires_bearer: true,
        query: QueryPolicy::Refused,
        not_found_when_unauthenticated: true,
        ..provider(
            ProviderId::GitHub,
            &[
                Host::Exact("api.github.com"),
                Host::Exact("uploads.github.com"),
            ],
        )
    },
    Provider {
        key_header: Some("PRIVATE-TOKEN"),
        // The Terraform module registry authenticates like Terraform itself: Bearer only.
        bearer_only_paths: &["/api/v4/packages/terraform/modules/"],
        ..provider(
            ProviderId::GitLab,
            &[Host::Exact("gitlab.com"), Host::FirstLabel("gitlab")],
        )
    },
    Provider {
        schemes: &["Bearer", "Basic"],
        failure_statuses: &[403],
        key_prefixes: &["sk_", "rk_", "pk_"],
        ..provider(ProviderId::Stripe, &[Host::Exact("api.stripe.com")])
    },
    Provider {
        query: QueryPolicy::Refused,
        failure_statuses: &[200],
        ..provider(ProviderId::Slack, &[Host::Domain("slack.com")])
    },
    Provider {
        key_header: Some("x-goog-api-key"),
        bearer: BearerUse::TokensOnly,
        query: QueryPolicy::Documented("key"),
        failure_statuses: &[400],
        ..provider(ProviderId::GoogleApis, &[Host::Domain("googleapis.com")])
    },
    Provider {
        schemes: &["Bearer", "AWS4-HMAC-SHA256"],
        key_header: Some("x-api-key"),
        bearer: BearerUse::TokensOnly,
        failure_statuses: &[403],
        ..provider(
            ProviderId::AwsApiGateway,
            &[Host::Contains(".execute-api.")],
        )
    },
    provider(
        ProviderId::HuggingFace,
        &[Host::Domain("huggingface.co"), Host::Domain("hf.co")],
    ),
    Provider {
        // The legacy global key goes in X-Auth-Key (with X-Auth-Email); API tokens use Bearer.
        key_header: Some("X-Auth-Key"),
        failure_statuses: &[403],
        ..provider(ProviderId::Cloudflare, &[Host::Exact("api.cloudflare.com")])
    },
    Provider {
        schemes: &[],
        bearer: BearerUse::Never,
        bare_authorization: true,
        ..provider(ProviderId::AssemblyAi, &[Host::Domain("assemblyai.com")])
    },
    Provider {
        bare_authorization: true,
        ..provider(
            ProviderId::Linear,
            &[
                Host::Exact("api.linear.app"),
                Host::Exact("uploads.linear.app"),
            ],
        )
    },
    provider(ProviderId::OpenRouter, &[Host::Domain("openrouter.ai")]),
    Provider {
        key_prefixes: &["SG."],
        ..provider(ProviderId::SendGrid, &[Host::Exact("api.sendgrid.com")])
    },
    provider(ProviderId::Airtable, &[Host::Exact("api.airtable.com")]),
    Provider {
        // Bot tokens go as `Bot <token>`, OAuth2 user tokens as `Bearer <token>`; Discord
        // compares the scheme word exactly.
        schemes: &["Bot", "Bearer"],
        ..provider(
            ProviderId::Discord,
            &[Host::Domain("discord.com"), Host::Domain("discordapp.com")],
        )
    },
    Provider {
        // API v3 documents `Authorization: token <token>`, lower case.
        schemes: &["token"],
        ..provider(
            ProviderId::TravisCi,
            &[
                Host::Exact("api.travis-ci.com"),
                Host::Exact("api.travis-ci.org"),
            ],
        )
    },
    Provider {
        // Static API tokens go as `SSWS <token>`; OAuth 2.0 access tokens (JWTs) as Bearer
        // (okta/okta-sdk-nodejs#427: an access token sent as SSWS gets E0000011).
        schemes: &["SSWS", "Bearer"],
        jwt_requires_bearer: true,
        ..provider(
            ProviderId::Okta,
            &[
                Host::Domain("okta.com"),
                Host::Domain("oktapreview.com"),
                Host::Domain("okta-emea.com"),
            ],
        )
    },
    Provider {
        // The gateway wants the project key in `apikey` on every call; `Authorization: Bearer`
        // carries the user's JWT (or the same key) beside it (supabase/supabase-py#24).
        key_header: Some("apikey"),
        ..provider(ProviderId::Supabase, &[Host::Domain("supabase.co")])
    },
    Provider {
        key_prefixes: &["gsk_"],
        ..provider(ProviderId::Groq, &[Host::Exact("api.groq.com")])
    },
    Provider {
        key_prefixes: &["r8_"],
        ..provider(ProviderId::Replicate, &[Host::Exact("api.replicate.com")])
    },
    Provider {
        key_prefixes: &["pplx-"],
        ..provider(ProviderId::Perplexity, &[Host::Exact("api.perplexity.ai")])
    },
    Provider {
        key_prefixes: &["xai-"],
        ..provider(ProviderId::XAi, &[Host::Exact("api.x.ai")])
    },
    Provider {
        // API keys (`AKCp…`) go in `X-JFrog-Art-Api` (or as a Basic password); access and
        // reference tokens as Bearer (jfrog/jfrog-cli: an API key entered as an access token).
        key_header: Some("X-JFrog-Art-Api"),
        bearer: BearerUse::TokensOnly,
        schemes: &["Bearer", "Basic"],
        ..provider(
            ProviderId::Artifactory,
            &[Host::Domain("jfrog.io"), Host::FirstLabel("artifactory")],
        )
    },
];

/// The provider serving `host`, if it is in the table.
pub fn by_host(host: &str) -> Option<&'static Provider> {
    let host = host.to_ascii_lowercase();
    PROVIDERS
        .iter()
        .find(|p| p.hosts.iter().any(|h| h.matches(&host)))
}

/// The table row of a provider (every id has one; a test checks it).
#[cfg(test)]
pub fn by_id(id: ProviderId) -> &'static Provider {
    PROVIDERS
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("{id} has no row in PROVIDERS"))
}

/// What kind of secret a key prefix announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    ApiKey,
    /// An OAuth / bearer token: belongs in `Authorization: Bearer`, never in a key header.
    OAuthToken,
    /// A client-side key (Stripe `pk_`) that secret-key endpoints refuse.
    Publishable,
}

/// A key shape from gitleaks: prefix, owner, and the length a whole key has.
#[derive(Debug, Clone, Copy)]
pub struct KeyShape {
    pub prefix: &'static str,
    pub provider: ProviderId,
    pub kind: KeyKind,
    /// Shortest complete key, in characters (0: no length known).
    pub min_len: usize,
}

const fn shape(prefix: &'static str, provider: ProviderId, min_len: usize) -> KeyShape {
    KeyShape {
        prefix,
        provider,
        kind: KeyKind::ApiKey,
        min_len,
    }
}

/// Longer prefixes first, so `sk-ant-api03-` wins over anything shorter. Minimum lengths
/// keep a little slack below the real shape: "truncated" must mean clearly cut short.
pub static KEY_SHAPES: &[KeyShape] = &[
    shape("sk-ant-admin01-", ProviderId::Anthropic, 102),
    shape("sk-ant-api03-", ProviderId::Anthropic, 100),
    KeyShape {
        kind: KeyKind::OAuthToken,
        ..shape("sk-ant-oat", ProviderId::Anthropic, 0)
    },
    // Shortest form (58 + 58) without counting the 8-character marker, which fakes omit.
    shape("sk-svcacct-", ProviderId::OpenAi, 127),
    shape("sk-admin-", ProviderId::OpenAi, 125),
    shape("sk-proj-", ProviderId::OpenAi, 124),
    shape("sk-or-v1-", ProviderId::OpenRouter, 73),
    shape("github_pat_", ProviderId::GitHub, 85),
    shape("ghp_", ProviderId::GitHub, 40),
    KeyShape {
        kind: KeyKind::OAuthToken,
        ..shape("gho_", ProviderId::GitHub, 40)
    },
    shape("ghu_", ProviderId::GitHub, 40),
    shape("ghs_", ProviderId::GitHub, 40),
    KeyShape {
        kind: KeyKind::OAuthToken,
        ..shape("ghr_", ProviderId::GitHub, 40)
    },
    shape("glpat-", ProviderId::GitLab, 26),
    shape("xoxb-", ProviderId::Slack, 24),
    shape("xoxp-", ProviderId::Slack, 24),
    shape("xoxe-", ProviderId::Slack, 24),
    shape("xoxa-", ProviderId::Slack, 24),
    shape("xapp-", ProviderId::Slack, 24),
    shape("hf_", ProviderId::HuggingFace, 37),
    shape("sk_test_", ProviderId::Stripe, 18),
    shape("sk_live_", ProviderId::Stripe, 18),
    shape("rk_test_", ProviderId::Stripe, 18),
    shape("rk_live_", ProviderId::Stripe, 18),
    KeyShape {
        kind: KeyKind::Publishable,
        ..shape("pk_test_", ProviderId::Stripe, 18)
    },
    KeyShape {
        kind: KeyKind::Publishable,
        ..shape("pk_live_", ProviderId::Stripe, 18)
    },
    shape("AIza", ProviderId::GoogleApis, 39),
    shape("SG.", ProviderId::SendGrid, 69),
    shape("cfut_", ProviderId::Cloudflare, 45),
    shape("cfat_", ProviderId::Cloudflare, 45),
    shape("cfk_", ProviderId::Cloudflare, 44),
    shape("lin_api_", ProviderId::Linear, 48),
    // No length: these providers do not document one, so "truncated" is never said of them.
    shape("gsk_", ProviderId::Groq, 0),
    shape("r8_", ProviderId::Replicate, 0),
    shape("pplx-", ProviderId::Perplexity, 0),
    shape("xai-", ProviderId::XAi, 0),
    // 73 characters in all, but fakes in reports are shorter: no "truncated" claim.
    shape("AKCp", ProviderId::Artifactory, 0),
    KeyShape {
        kind: KeyKind::Publishable,
        ..shape("sb_publishable_", ProviderId::Supabase, 0)
    },
    shape("sb_secret_", ProviderId::Supabase, 0),
    KeyShape {
        // A reference token: base64 of `reftkn:…`.
        kind: KeyKind::OAuthToken,
        ..shape("cmVmdGtu", ProviderId::Artifactory, 0)
    },
];

/// The shape a credential's prefix announces (case-sensitive, as the prefixes are).
pub fn key_shape(value: &str) -> Option<&'static KeyShape> {
    KEY_SHAPES.iter().find(|s| value.starts_with(s.prefix))
}

pub use super::messages::Meaning;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_by_rule() {
        assert_eq!(by_host("api.openai.com").unwrap().name(), "OpenAI");
        assert_eq!(
            by_host("contoso.openai.azure.com").unwrap().name(),
            "Azure OpenAI"
        );
        assert_eq!(by_host("gitlab.example.com").unwrap().name(), "GitLab");
        assert_eq!(
            by_host("abc.execute-api.us-east-1.amazonaws.com")
                .unwrap()
                .name(),
            "AWS API Gateway"
        );
        assert!(by_host("api.example.com").is_none());
        assert!(by_host("notopenai.azure.com.evil").is_none());
    }

    #[test]
    fn key_shapes_prefer_the_longest_prefix() {
        assert_eq!(
            key_shape("sk-ant-api03-x").unwrap().provider.name(),
            "Anthropic"
        );
        assert_eq!(key_shape("sk-proj-x").unwrap().provider.name(), "OpenAI");
        assert_eq!(key_shape("pk_test_x").unwrap().kind, KeyKind::Publishable);
        assert!(key_shape("sk-legacy").is_none());
    }

    #[test]
    fn every_shape_names_a_provider_in_the_table() {
        for s in KEY_SHAPES {
            assert_eq!(by_id(s.provider).id, s.provider);
        }
        for (i, a) in KEY_SHAPES.iter().enumerate() {
            for b in &KEY_SHAPES[i + 1..] {
                assert!(
                    !b.prefix.starts_with(a.prefix),
                    "{} shadows {}",
                    a.prefix,
                    b.prefix
                );
            }
        }
    }

    #[test]
    fn every_provider_id_has_exactly_one_row_and_a_unique_name() {
        for id in ProviderId::ALL {
            let rows = PROVIDERS.iter().filter(|p| p.id == id).count();
            assert_eq!(rows, 1, "{id}: {rows} rows in PROVIDERS");
            assert_eq!(by_id(id).name(), id.name());
        }
        assert_eq!(PROVIDERS.len(), ProviderId::ALL.len());
        for (i, a) in ProviderId::ALL.iter().enumerate() {
            assert!(
                ProviderId::ALL[i + 1..]
                    .iter()
                    .all(|b| b.name() != a.name())
            );
        }
    }
}
