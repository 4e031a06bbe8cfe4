//! The jar: cookies stored from `Set-Cookie` as RFC 6265 §5.3 says, and the `Cookie` header
//! for a request URL as §5.4 says — with the reason for every cookie it holds back, which is
//! what a person debugging "I logged in and still get 401" needs to see.
//!
//! Time is a parameter (`now`, Unix seconds) everywhere, so expiry is tested without waiting.
//! Expired cookies stay listed (marked) until removed, so the jar can say *when* one expired;
//! they are never sent.

use super::matching::{default_path, domain_match, is_ip, is_loopback, path_match};
use super::parse::{SetCookie, parse_set_cookie};
use crate::exchange::{RefusedCookie, Withheld, WithheldCookie};
use crate::secret::Secret;
use url::Url;

/// Chrome's limits: 180 cookies per domain, 3000 in all.
const MAX_PER_DOMAIN: usize = 180;
const MAX_COOKIES: usize = 3000;

/// A cookie's identity in the jar (§5.3 step 11): a `Set-Cookie` with the same three replaces it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CookieKey {
    pub name: String,
    pub domain: String,
    pub path: String,
}

/// One stored cookie. The value is a [`Secret`]: its `Debug` and `Display` are masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    pub name: String,
    pub value: Secret,
    /// The host it came from (`host_only`) or its `Domain` attribute, lower-case.
    pub domain: String,
    /// No `Domain` attribute: sent back to exactly this host, not its subdomains.
    pub host_only: bool,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    /// Unix seconds; `None` is a session cookie, kept until the jar is cleared.
    pub expires: Option<i64>,
    pub same_site: Option<String>,
    /// Unix seconds when first stored (kept when a later `Set-Cookie` replaces the value).
    pub created: i64,
    /// Creation order, the tie-break of §5.4 step 2 when two paths are as long.
    order: u64,
}

impl Cookie {
    pub fn key(&self) -> CookieKey {
        CookieKey {
            name: self.name.clone(),
            domain: self.domain.clone(),
            path: self.path.clone(),
        }
    }

    /// Everything but the value, for a list a person reads: `domain 127.0.0.1 (host only) ·
    /// path /cookie · Secure · HttpOnly · until 2026-12-05T19:00:00Z` (or `session`, or
    /// `EXPIRED at …`).
    pub fn attributes(&self, now: i64) -> String {
        let mut parts = vec![
            match self.host_only {
                true => format!("domain {} (host only)", self.domain),
                false => format!("domain {} and subdomains", self.domain),
            },
            format!("path {}", self.path),
        ];
        parts.extend(self.secure.then(|| "Secure".to_string()));
        parts.extend(self.http_only.then(|| "HttpOnly".to_string()));
        parts.push(match self.expires {
            None => "session (no expiry)".into(),
            Some(at) if at <= now => format!("EXPIRED at {}", crate::dates::format_iso8601(at)),
            Some(at) => format!("until {}", crate::dates::format_iso8601(at)),
        });
        parts.join(" · ")
    }

    pub fn is_expired(&self, now: i64) -> bool {
        self.expires.is_some_and(|at| at <= now)
    }

    /// Why this cookie would not go with a request to `url` at `now`; `None` when it would.
    /// Checked in the order a person reads it: is it for this host, this path, this scheme,
    /// and still alive.
    pub fn withheld_from(&self, url: &Url, now: i64) -> Option<Withheld> {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let host_ok = match self.host_only {
            true => host == self.domain,
            false => domain_match(&host, &self.domain),
        };
        if !host_ok {
            return Some(Withheld::Domain {
                domain: self.domain.clone(),
                host_only: self.host_only,
                host,
            });
        }
        if !path_match(url.path(), &self.path) {
            return Some(Withheld::Path {
                path: self.path.clone(),
                request_path: url.path().to_string(),
            });
        }
        // Over plain http only to loopback, as curl and browsers do (`is_loopback`).
        if self.secure && url.scheme() != "https" && !is_loopback(&host) {
            return Some(Withheld::SecureOverHttp);
        }
        match self.expires {
            Some(at) if at <= now => Some(Withheld::Expired { at }),
            _ => None,
        }
    }
}

/// What storing one `Set-Cookie` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    New(CookieKey),
    /// A cookie with the same name, domain and path had its value and attributes replaced.
    Replaced(CookieKey),
    /// An expiry in the past or `Max-Age<=0`: the server cleared the cookie. `existed` says
    /// whether the jar held it.
    Deleted {
        key: CookieKey,
        existed: bool,
    },
}

/// The jar's answer for one request: the `Cookie` header value (if any cookie goes) and the
/// cookies it held back, each with its reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForRequest {
    pub header: Option<String>,
    pub sent: Vec<CookieKey>,
    pub withheld: Vec<WithheldCookie>,
}

/// Cookies of one session. `Clone + Send`: the TUI moves it into a send task and back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jar {
    cookies: Vec<Cookie>,
    next_order: u64,
}

impl Jar {
    pub fn new() -> Self {
        Jar::default()
    }

    pub fn len(&self) -> usize {
        self.cookies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }

    /// Every cookie, for display: by domain, then path, then name.
    pub fn list(&self) -> Vec<&Cookie> {
        let mut all: Vec<&Cookie> = self.cookies.iter().collect();
        all.sort_by(|a, b| (&a.domain, &a.path, &a.name).cmp(&(&b.domain, &b.path, &b.name)));
        all
    }

    pub fn get(&self, key: &CookieKey) -> Option<&Cookie> {
        self.cookies.iter().find(|c| c.key() == *key)
    }

    /// Replaces a cookie's value (the Vars tab's edit). Refused, with the position, when the
    /// value holds what no `Cookie` header can carry: `;` (it would start another cookie) or a
    /// control character; and when the jar has no such cookie.
    pub fn set_value(&mut self, key: &CookieKey, value: &str) -> Result<(), String> {
        if let Some((i, c)) = value
            .chars()
            .enumerate()
            .find(|(_, c)| *c == ';' || c.is_control())
        {
            let what = if c == ';' {
                "`;`".to_string()
            } else {
                format!("control character U+{:04X}", c as u32)
            };
            return Err(format!(
                "cookie {} value, column {}: {what} cannot go in a Cookie header",
                key.name,
                i + 1
            ));
        }
        let c = self
            .cookies
            .iter_mut()
            .find(|c| c.key() == *key)
            .ok_or_else(|| {
                format!(
                    "no cookie {} for {}{} in the jar",
                    key.name, key.domain, key.path
                )
            })?;
        c.value = Secret::new(value);
        Ok(())
    }

    pub fn remove(&mut self, key: &CookieKey) -> bool {
        let before = self.cookies.len();
        self.cookies.retain(|c| c.key() != *key);
        self.cookies.len() != before
    }

    pub fn clear(&mut self) {
        self.cookies.clear();
    }

    /// Drops cookies whose expiry has passed (§5.3's eviction); returns how many.
    pub fn remove_expired(&mut self, now: i64) -> usize {
        let before = self.cookies.len();
        self.cookies.retain(|c| !c.is_expired(now));
        before - self.cookies.len()
    }

    /// Stores one `Set-Cookie` received in the response to `url` (§5.3), or says why not.
    /// A person adding a cookie by hand passes `name=value` and the URL it is for.
    pub fn store(&mut self, url: &Url, header: &str, now: i64) -> Result<Stored, RefusedCookie> {
        let parsed = parse_set_cookie(header).map_err(|reason| RefusedCookie {
            name: String::new(),
            reason: reason.into(),
        })?;
        let refuse = |reason: String| RefusedCookie {
            name: parsed.name.clone(),
            reason,
        };
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let (domain, host_only) = match &parsed.domain {
            None => (host.clone(), true),
            Some(d) if !domain_match(&host, d) => {
                return Err(refuse(format!("its Domain {d} does not match host {host}")));
            }
            // Without a public-suffix list, curl refuses a dotless Domain other than the host.
            Some(d) if !d.contains('.') && *d != host => {
                return Err(refuse(format!("its Domain {d} is a top-level name")));
            }
            Some(d) if is_ip(&host) && *d != host => {
                return Err(refuse(format!("its Domain {d} is not the address {host}")));
            }
            Some(d) => (d.clone(), false),
        };
        let path = parsed
            .path
            .clone()
            .unwrap_or_else(|| default_path(url.path()));
        let key = CookieKey {
            name: parsed.name.clone(),
            domain: domain.clone(),
            path: path.clone(),
        };
        let old = self.cookies.iter().position(|c| c.key() == key);
        let expires = expiry(&parsed, now);
        if expires.is_some_and(|at| at <= now) {
            if let Some(i) = old {
                self.cookies.remove(i);
            }
            return Ok(Stored::Deleted {
                key,
                existed: old.is_some(),
            });
        }
        let (created, order) = match old {
            Some(i) => (self.cookies[i].created, self.cookies[i].order),
            None => {
                self.next_order += 1;
                (now, self.next_order)
            }
        };
        let cookie = Cookie {
            name: parsed.name,
            value: Secret::new(parsed.value),
            domain,
            host_only,
            path,
            secure: parsed.secure,
            http_only: parsed.http_only,
            expires,
            same_site: parsed.same_site,
            created,
            order,
        };
        Ok(match old {
            Some(i) => {
                self.cookies[i] = cookie;
                Stored::Replaced(key)
            }
            None => {
                self.cookies.push(cookie);
                self.evict(&key.domain, now);
                Stored::New(key)
            }
        })
    }

    /// Keeps the jar within browsers' limits (per domain and in all), dropping expired
    /// cookies first, then the oldest: a server setting thousands cannot grow a session's
    /// memory without bound.
    fn evict(&mut self, domain: &str, now: i64) {
        let over_domain =
            self.cookies.iter().filter(|c| c.domain == domain).count() > MAX_PER_DOMAIN;
        if !over_domain && self.cookies.len() <= MAX_COOKIES {
            return;
        }
        let victim = self
            .cookies
            .iter()
            .enumerate()
            .filter(|(_, c)| !over_domain || c.domain == domain)
            .min_by_key(|(_, c)| (!c.is_expired(now), c.order))
            .map(|(i, _)| i);
        if let Some(i) = victim {
            self.cookies.remove(i);
        }
    }

    /// Stores every `Set-Cookie` of a response to `url`; returns those refused.
    pub fn store_response(
        &mut self,
        url: &Url,
        headers: &[(String, String)],
        now: i64,
    ) -> Vec<RefusedCookie> {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| self.store(url, v, now).err())
            .collect()
    }

    /// The `Cookie` header for a request to `url` (§5.4: longer paths first, then older
    /// cookies), and the cookies held back with their reasons. With `typed_cookie` the
    /// request already has its own `Cookie` header: python-requests sends that as typed and
    /// adds none from its session, and so does authlens (curl would add its jar's too), so
    /// every cookie that would have gone is withheld.
    ///
    /// A cookie for an unrelated host is not listed as withheld (a jar holding ten sites'
    /// cookies would bury the one that matters); one for a related host is — the same
    /// registrable-looking name, or loopback under another name (`localhost` vs `127.0.0.1`).
    pub fn for_request(&self, url: &Url, typed_cookie: bool, now: i64) -> ForRequest {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let mut going: Vec<&Cookie> = Vec::new();
        let mut out = ForRequest::default();
        for c in &self.cookies {
            match c.withheld_from(url, now) {
                None if typed_cookie => out.withheld.push(WithheldCookie {
                    name: c.name.clone(),
                    why: Withheld::TypedCookieHeader,
                }),
                None => going.push(c),
                Some(Withheld::Domain { .. }) if !related_hosts(&host, &c.domain) => {}
                Some(why) => out.withheld.push(WithheldCookie {
                    name: c.name.clone(),
                    why,
                }),
            }
        }
        going.sort_by(|a, b| b.path.len().cmp(&a.path.len()).then(a.order.cmp(&b.order)));
        out.sent = going.iter().map(|c| c.key()).collect();
        out.header = (!going.is_empty()).then(|| {
            going
                .iter()
                .map(|c| format!("{}={}", c.name, c.value.expose()))
                .collect::<Vec<_>>()
                .join("; ")
        });
        out
    }

    /// Why the cookies named `name` were not sent to `url` at `now` — one entry per cookie of
    /// that name held back, none when each would be sent (or the jar has none).
    pub fn why_not(&self, name: &str, url: &Url, now: i64) -> Vec<WithheldCookie> {
        self.cookies
            .iter()
            .filter(|c| c.name == name)
            .filter_map(|c| {
                c.withheld_from(url, now).map(|why| WithheldCookie {
                    name: c.name.clone(),
                    why,
                })
            })
            .collect()
    }
}

/// §5.3 steps 3: `Max-Age` wins over `Expires`; `Max-Age<=0` is "the earliest time".
fn expiry(c: &SetCookie, now: i64) -> Option<i64> {
    match c.max_age {
        Some(secs) if secs <= 0 => Some(i64::MIN),
        Some(secs) => Some(now.saturating_add(secs)),
        None => c.expires,
    }
}

/// Hosts a person could mistake for each other: both loopback, or sharing their last two
/// labels (`api.example.com` and `example.com`).
fn related_hosts(a: &str, b: &str) -> bool {
    let loopback = |h: &str| {
        h == "localhost"
            || h.ends_with(".localhost")
            || h.starts_with("127.")
            || h == "[::1]"
            || h == "::1"
    };
    if loopback(a) && loopback(b) {
        return true;
    }
    let tail = |h: &str| {
        let labels: Vec<&str> = h.rsplit('.').take(2).collect();
        (labels.len() == 2 && !is_ip(h)).then(|| labels.join("."))
    };
    tail(a).is_some() && tail(a) == tail(b)
}
