//! The TLS crypto provider, installed once: reqwest is built with `rustls-no-provider` so the
//! crate compiles `ring` only (reqwest's default stack adds over a minute of build for nothing
//! a user sees), and rustls needs to be told which provider to use before the first client.

/// Idempotent; a provider installed earlier by someone else is fine too.
pub fn install_provider() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
