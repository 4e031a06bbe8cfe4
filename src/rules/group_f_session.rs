//! Group F — session cookies: a login set a cookie and the request that needed it went
//! without it (the client keeps no jar, or the jar held it back: Secure over http, another
//! host name, another path), or the cookie it carried is dead (expired, or cleared by the
//! 401 itself). Reported only on cookie evidence — a `Set-Cookie` seen, a cookie held back, a
//! cookie challenge or the server's words about its session — never on a bare 401.

use super::case::Case;
use super::cause_id::CauseId;
use super::context::Client;
use super::finding::{Anchor, Finding};
use super::input::CookieHop;
use super::response::is_auth_failure;
use crate::cookies::{Jar, parse_set_cookie};
use crate::exchange::Withheld;

pub fn run(case: &Case, out: &mut Vec<Finding>) {
    let Some(hops) = case.observed.map(|o| &o.cookies) else {
        return;
    };
    let Some((last, earlier)) = hops.split_last() else {
        return;
    };
    if !is_auth_failure(case) {
        return;
    }
    if let Some(f) = expired(case, last, earlier) {
        out.push(f);
    } else if let Some(f) = missing(case, last, earlier) {
        out.push(f);
    }
}

/// A cookie name that says it holds a session or a credential (`session`, `sessionid`,
/// `connect.sid`, `JSESSIONID`, `laravel_session`, `auth_token`) — not a CSRF token or a
/// CDN's bot cookie — or the one the server's cookie challenge names.
fn sessionish(case: &Case, name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    if n.contains("csrf") || n.contains("xsrf") || analytics(&n) {
        return false;
    }
    let challenged = case.response.as_ref().is_some_and(|r| {
        r.challenges.iter().any(|c| {
            c.scheme.eq_ignore_ascii_case("cookie")
                && c.param("cookie-name").is_some_and(|c| c == name)
        })
    });
    challenged || n.contains("sess") || n.ends_with("sid") || crate::secret::is_credential_name(&n)
}

/// Analytics and vendor widgets name their cookies after *their* sessions (`_hjSession_…`,
/// `__stripe_sid`, `intercom-session-…`, `_dd_s`): none is the API's login.
fn analytics(lower: &str) -> bool {
    const PREFIXES: [&str; 9] = [
        "_hj",
        "__stripe",
        "intercom-",
        "_ga",
        "ajs_",
        "amp_",
        "mp_",
        "_dd_s",
        "__cf",
    ];
    PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// The server's words say its session is missing (or its challenge is a cookie challenge).
fn says_session_missing(case: &Case) -> Option<String> {
    let r = case.response.as_ref()?;
    if let Some(c) = r
        .challenges
        .iter()
        .find(|c| c.scheme.eq_ignore_ascii_case("cookie"))
    {
        let name = c.param("cookie-name").unwrap_or("a session cookie");
        return Some(format!("the 401's challenge asks for the cookie {name}"));
    }
    const WORDS: [&str; 8] = [
        "session cookie is missing",
        "missing session",
        "no session",
        "session is missing",
        "session required",
        "cookie is missing",
        "missing cookie",
        "no cookie",
    ];
    WORDS
        .iter()
        .find(|w| r.text.contains(*w))
        .map(|w| format!("the server says \"{w}\""))
}

/// The server's words say the session it was given is dead.
fn says_session_expired(case: &Case) -> Option<String> {
    let r = case.response.as_ref()?;
    const WORDS: [&str; 6] = [
        "session expired",
        "session has expired",
        "session is expired",
        "expired session",
        "session timed out",
        "session cookie is expired",
    ];
    WORDS
        .iter()
        .find(|w| r.text.contains(*w))
        .map(|w| format!("the server says \"{w}\""))
}

/// Where cookie `name` was set earlier in the chain: `hop 1 (303): Set-Cookie session=…; Path=/cookie; Secure`.
fn set_on(earlier: &[CookieHop], name: &str) -> Option<String> {
    earlier.iter().enumerate().find_map(|(i, h)| {
        h.set_cookie.iter().find_map(|sc| {
            parse_set_cookie(sc).ok().filter(|c| c.name == name)?;
            let attrs = sc.split_once(';').map_or("", |(_, a)| a.trim());
            Some(format!(
                "hop {} ({}) set it: Set-Cookie {name}=…{}{attrs}",
                i + 1,
                h.status,
                if attrs.is_empty() { "" } else { "; " }
            ))
        })
    })
}

fn expired(case: &Case, last: &CookieHop, earlier: &[CookieHop]) -> Option<Finding> {
    let sent = last.sent.clone().unwrap_or_default();
    // 1. The jar held back a session cookie because its time had passed.
    let held = last.withheld.iter().find(|w| {
        matches!(w.why, Withheld::Expired { .. })
            && !sent.contains(&w.name)
            && (sessionish(case, &w.name) || says_session_missing(case).is_some())
            && jar_cookie_counts(case, earlier, &w.name)
    });
    let evidence = if let Some(w) = held {
        let set = set_on(earlier, &w.name).map_or(String::new(), |s| format!("; {s}"));
        format!("cookie {} was not sent: {}{set}", w.name, w.why.describe())
    } else if let Some((name, how)) = cleared_by_response(case, last, &sent).filter(|_| {
        cookie_is_the_credential(case)
            || says_session_expired(case).is_some()
            || says_session_missing(case).is_some()
    }) {
        // 2. The 401 itself clears the cookie the request carried.
        format!(
            "the {} clears cookie {name} that the request sent ({how})",
            last.status
        )
    } else {
        // 3. The server's words, when a cookie went out.
        let words = says_session_expired(case)?;
        let session_sent = sent.iter().any(|n| sessionish(case, n));
        (session_sent && cookie_is_the_credential(case)).then_some(())?;
        format!("{words}; the request sent cookie(s) {}", sent.join(", "))
    };
    Some(case.finding(
        CauseId::SessionCookieExpired,
        cookie_anchor(case),
        format!("The session cookie is no longer good: {evidence}. Log in again for a fresh cookie (and keep the new one: a cookie jar or session object stores what the login sets)."),
        evidence.clone(),
    ))
}

/// A `Set-Cookie` of the final response that deletes a session cookie the request sent
/// (RFC 6265 §5.3 step 3: `Max-Age` ≤ 0, or an `Expires` in the past).
fn cleared_by_response(case: &Case, last: &CookieHop, sent: &[String]) -> Option<(String, String)> {
    let date = case
        .response
        .as_ref()
        .and_then(|r| r.header("date"))
        .and_then(crate::dates::parse_http_date);
    let now = case.ctx.now.or(date);
    last.set_cookie.iter().find_map(|sc| {
        let c = parse_set_cookie(sc).ok()?;
        if !sent.contains(&c.name) || !sessionish(case, &c.name) {
            return None;
        }
        let how = match (c.max_age, c.expires) {
            (Some(age), _) if age <= 0 => format!("Max-Age={age}"),
            (None, Some(at)) if now.is_some_and(|n| at <= n) || at < 946_684_800 => {
                format!("Expires {}", crate::dates::format_iso8601(at))
            }
            _ => return None,
        };
        Some((c.name, how))
    })
}

fn missing(case: &Case, last: &CookieHop, earlier: &[CookieHop]) -> Option<Finding> {
    let evidence = withheld_session(case, last, earlier)
        .or_else(|| refused_session(case, last, earlier))
        .or_else(|| not_carried(case, last, earlier))
        .or_else(|| {
            let nothing_sent = last.sent.as_ref().is_some_and(Vec::is_empty)
                || (last.sent.is_none() && earlier.is_empty());
            says_session_missing(case).filter(|_| nothing_sent && cookie_is_the_credential(case))
        })?;
    Some(case.finding(
        CauseId::SessionCookieMissing,
        Anchor::Request,
        format!("The request went without the session cookie: {evidence}. Keep the cookies a login sets (a cookie jar: requests.Session, httpx.Client, reqwest's cookie_store, curl -b/-c) and send the request where the cookie applies: the same host name, a path under its Path, and https for a Secure cookie."),
        evidence.clone(),
    ))
}

/// The jar had the session cookie and held it back from the final request.
fn withheld_session(case: &Case, last: &CookieHop, earlier: &[CookieHop]) -> Option<String> {
    let sent = last.sent.clone().unwrap_or_default();
    let w = last.withheld.iter().find(|w| {
        !matches!(w.why, Withheld::Expired { .. })
            && !sent.contains(&w.name)
            && sessionish(case, &w.name)
            && jar_cookie_counts(case, earlier, &w.name)
    })?;
    let set = set_on(earlier, &w.name).map_or(String::new(), |s| format!("; {s}"));
    Some(format!(
        "cookie {} was held back from {}: {}{set}",
        w.name,
        last.url,
        w.why.describe()
    ))
}

/// Whether a cookie the jar kept back can explain this 401. A session's jar holds the cookies
/// of every login so far, beside requests that need something else: a Bearer 401 on
/// `/v1/models` is not about the `/cookie` login's cookie. It counts when this chain set it,
/// when the server speaks of its session or asks for a cookie, or when the request carried no
/// other credential and the server's challenge asks for no other scheme.
fn jar_cookie_counts(case: &Case, earlier: &[CookieHop], name: &str) -> bool {
    if set_on(earlier, name).is_some()
        || says_session_missing(case).is_some()
        || says_session_expired(case).is_some()
    {
        return true;
    }
    cookie_is_the_credential(case)
}

/// Nothing points away from a cookie: the request carried no other credential (header,
/// query key, body field) and no challenge of the 401 names another scheme. A Bearer 401
/// whose body says "session expired" is about the token, whatever cookies rode along.
fn cookie_is_the_credential(case: &Case) -> bool {
    let other_credential = case
        .creds
        .iter()
        .any(|c| !c.name.eq_ignore_ascii_case("cookie"));
    let other_scheme = case.response.as_ref().is_some_and(|r| {
        r.challenges
            .iter()
            .any(|c| !c.scheme.eq_ignore_ascii_case("cookie"))
    });
    !other_credential && !other_scheme
}

/// A session cookie set earlier in the chain that the jar refused to store.
fn refused_session(case: &Case, last: &CookieHop, earlier: &[CookieHop]) -> Option<String> {
    let sent = last.sent.clone().unwrap_or_default();
    earlier.iter().enumerate().find_map(|(i, h)| {
        let r = h
            .refused
            .iter()
            .find(|r| !sent.contains(&r.name) && sessionish(case, &r.name))?;
        Some(format!(
            "hop {}'s Set-Cookie {} was not stored: {}",
            i + 1,
            r.name,
            r.reason
        ))
    })
}

/// A file without the wire: a redirect set a session cookie and the client either keeps no
/// cookies (reqwest without `cookie_store`, curl without `-b`/`-c`, node-fetch, Go's default
/// client) or RFC 6265 keeps it off the final URL. An unknown client proves nothing.
fn not_carried(case: &Case, last: &CookieHop, earlier: &[CookieHop]) -> Option<String> {
    if last.sent.is_some() || earlier.is_empty() {
        return None;
    }
    let now = case.ctx.now.unwrap_or(0);
    let mut jar = Jar::new();
    let mut set_name = None;
    for h in earlier {
        let Ok(url) = url::Url::parse(&h.url) else {
            continue;
        };
        for sc in &h.set_cookie {
            if let Ok(crate::cookies::Stored::New(k)) = jar.store(&url, sc, now)
                && sessionish(case, &k.name)
            {
                set_name.get_or_insert(k.name);
            }
        }
    }
    let name = set_name?;
    let set = set_on(earlier, &name).unwrap_or_default();
    let target = url::Url::parse(&last.url).ok()?;
    // The jar's own rule sends a Secure cookie to http://localhost, as curl and browsers do.
    match jar.why_not(&name, &target, now).first().map(|w| &w.why) {
        Some(
            why @ (Withheld::SecureOverHttp | Withheld::Domain { .. } | Withheld::Path { .. }),
        ) => Some(format!(
            "{set}; no client sends it to {}: {}",
            last.url,
            why.describe()
        )),
        Some(_) => None,
        None => no_jar(case)
            .or_else(|| python_keeps_secure_off_localhost(case, &jar, &name, &target))
            .map(|who| format!("{set}; {who}, so the next hop went without it")),
    }
}

/// requests and httpx keep cookies in Python's `http.cookiejar`, whose policy sends a Secure
/// cookie over https/wss only — with no exception for `http://localhost`, which curl, browsers
/// and HTTPie make (and authlens's own jar, so it says nothing there by itself).
fn python_keeps_secure_off_localhost(
    case: &Case,
    jar: &Jar,
    name: &str,
    target: &url::Url,
) -> Option<String> {
    let python = match &case.ctx.client {
        Client::PythonRequests(_) => "requests",
        Client::PythonHttpx(_) => "httpx",
        _ => return None,
    };
    let secure = jar.list().iter().any(|c| c.name == name && c.secure);
    (secure && target.scheme() == "http").then(|| {
        format!(
            "the cookie jar of {python} (http.cookiejar) sends a Secure cookie over https only, even to {} — curl and browsers make an exception for localhost, Python does not",
            target.host_str().unwrap_or("this host")
        )
    })
}

/// Which clients keep no cookies between hops unless told to.
fn no_jar(case: &Case) -> Option<String> {
    // Unnamed, `client` is authlens's own: nothing says what the user's kept.
    if !case.ctx.client_named {
        return None;
    }
    let cookie_flags = ["-b", "--cookie", "-c", "--cookie-jar"];
    match &case.ctx.client {
        Client::Reqwest(..) => Some("reqwest keeps no cookies without `cookie_store(true)`".into()),
        Client::Curl
            if !case
                .ctx
                .client_args
                .iter()
                .any(|a| cookie_flags.contains(&a.as_str())) =>
        {
            Some("curl keeps no cookies without `-b`/`-c` (its cookie engine is off)".into())
        }
        Client::NodeFetch(_) | Client::NodeUndici | Client::Axios => {
            Some("Node's fetch and axios keep no cookies between requests".into())
        }
        Client::GoNetHttp(_) => Some("Go's http.Client keeps no cookies without a Jar".into()),
        _ => None,
    }
}

/// The typed `Cookie` header when there is one; else the request.
fn cookie_anchor(case: &Case) -> Anchor {
    case.creds
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case("cookie"))
        .map_or(Anchor::Request, |c| c.anchor.clone())
}
