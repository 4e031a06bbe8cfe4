//! The practice server: a real HTTP server on loopback whose routes each teach one reason for
//! a 401, and which records the exact bytes of every request it receives.
//!
//! It runs in-process (the TUI's offline default, `authlens serve`, and the end-to-end tests)
//! on two loopback listeners: the main origin, and a second origin on another port that the
//! redirect lessons point at, because a port change is what makes clients drop `Authorization`.
//! Nothing here knows about terminals.

pub mod jwt;

pub use jwt::{admin_jwt, expired_jwt, mint_jwt, not_yet_valid_jwt, valid_jwt, wrong_audience_jwt};

/// The fake credentials the routes accept.
///
/// They are obviously fake (`EXAMPLE`, repeated digits) so that they can be printed, committed
/// and shown in screenshots, and never look like a leaked provider key to a secret scanner.
pub mod keys {
    /// `Authorization: Bearer …` for the OpenAI-style API, the strict server and (as a
    /// non-admin credential) the scoped route.
    pub const BEARER_TOKEN: &str = "sk-authlens-EXAMPLE-bearer-0000000000000000";
    /// `X-API-Key: …` for the FastAPI-style API in the default configuration.
    pub const API_KEY: &str = "authlens-EXAMPLE-api-key-1111111111111111";
    pub const BASIC_USER: &str = "learner";
    pub const BASIC_PASSWORD: &str = "EXAMPLE-password-2222";
    /// A Bearer token that carries the `admin` scope.
    pub const ADMIN_TOKEN: &str = "sk-authlens-EXAMPLE-admin-3333333333333333";
    /// Client credentials for `POST /jwt/token`.
    pub const CLIENT_ID: &str = "authlens-practice-client";
    pub const CLIENT_SECRET: &str = "EXAMPLE-client-secret-4444444444444444";
    /// The HS256 key the practice JWTs are signed with.
    pub const JWT_SECRET: &str = "authlens-EXAMPLE-jwt-secret-5555555555555555";
    /// The `aud` the JWT routes require, and the `iss` they check when present.
    pub const JWT_AUDIENCE: &str = "authlens-practice-api";
    pub const JWT_ISSUER: &str = "authlens-practice-issuer";
    /// The realm named in every challenge, so a learner can tell which server answered.
    pub const REALM: &str = "authlens-practice";
}
