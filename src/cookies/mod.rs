//! A cookie jar per session, as curl and browsers keep one: `Set-Cookie` stored (RFC 6265
//! §5.2–5.3), the `Cookie` header for each request (§5.4), and — what authlens adds — the
//! reason every cookie that did not go was held back. Pure: no I/O, the clock a parameter.

mod date;
mod jar;
mod matching;
mod parse;

pub use date::parse_cookie_date;
pub use jar::{Cookie, CookieKey, ForRequest, Jar, Stored};
pub use matching::{default_path, domain_match, path_match};
pub use parse::{SetCookie, parse_set_cookie};

/// Unix seconds now, for callers outside tests (the jar itself never reads the clock).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests;
