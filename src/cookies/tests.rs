//! The jar against RFC 6265's storage and sending rules, with the clock passed in.

use super::*;
use crate::exchange::Withheld;
use url::Url;

const T0: i64 = 1_772_366_400; // 2026-03-01T12:00:00Z

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

fn jar_with(at: &str, headers: &[&str]) -> Jar {
    let mut jar = Jar::new();
    for h in headers {
        jar.store(&url(at), h, T0).unwrap();
    }
    jar
}

#[test]
fn a_stored_cookie_goes_back_to_its_host_and_path() {
    let jar = jar_with(
        "http://127.0.0.1:8080/cookie/login",
        &["session=FAKE-EXAMPLE-0000; Path=/cookie; HttpOnly"],
    );
    let r = jar.for_request(&url("http://127.0.0.1:8080/cookie/me"), false, T0);
    assert_eq!(r.header.as_deref(), Some("session=FAKE-EXAMPLE-0000"));
    assert!(r.withheld.is_empty());
    let r = jar.for_request(&url("http://127.0.0.1:8080/other"), false, T0);
    assert_eq!(r.header, None);
    assert!(matches!(r.withheld[0].why, Withheld::Path { .. }));
}

#[test]
fn without_a_path_the_default_path_is_the_request_directory() {
    let jar = jar_with("http://h.test/app/login", &["a=1"]);
    let c = jar.list()[0];
    assert_eq!((c.path.as_str(), c.host_only), ("/app", true));
    assert!(
        jar.for_request(&url("http://h.test/app/x"), false, T0)
            .header
            .is_some()
    );
    assert!(
        jar.for_request(&url("http://h.test/"), false, T0)
            .header
            .is_none()
    );
}

#[test]
fn longer_paths_go_first_then_older_cookies() {
    let jar = jar_with(
        "http://h.test/a/b/c",
        &["first=1; Path=/", "deep=2; Path=/a/b", "second=3; Path=/"],
    );
    let r = jar.for_request(&url("http://h.test/a/b/c"), false, T0);
    assert_eq!(r.header.as_deref(), Some("deep=2; first=1; second=3"));
}

#[test]
fn a_host_only_cookie_skips_subdomains_and_a_domain_cookie_reaches_them() {
    let jar = jar_with(
        "https://example.com/",
        &["host=1", "wide=2; Domain=example.com"],
    );
    let r = jar.for_request(&url("https://api.example.com/"), false, T0);
    assert_eq!(r.header.as_deref(), Some("wide=2"));
    assert!(matches!(
        &r.withheld[0].why,
        Withheld::Domain {
            host_only: true,
            ..
        }
    ));
}

#[test]
fn a_foreign_or_top_level_domain_is_refused() {
    let mut jar = Jar::new();
    let at = url("http://127.0.0.1:8080/");
    let e = jar.store(&at, "s=1; Domain=localhost", T0).unwrap_err();
    assert!(
        e.reason.contains("does not match host 127.0.0.1"),
        "{}",
        e.reason
    );
    let e = jar
        .store(&url("http://a.example.com/"), "s=1; Domain=com", T0)
        .unwrap_err();
    assert!(e.reason.contains("top-level"), "{}", e.reason);
    assert!(jar.is_empty());
}

#[test]
fn localhost_cookies_are_withheld_from_127_0_0_1_and_said_so() {
    let jar = jar_with("http://localhost:3000/", &["session=FAKE-EXAMPLE-0000"]);
    let r = jar.for_request(&url("http://127.0.0.1:3000/api"), false, T0);
    assert_eq!(r.header, None);
    assert_eq!(
        r.withheld[0].why.describe(),
        "it belongs to host localhost only (no Domain attribute), not 127.0.0.1"
    );
    // An unrelated site's cookie is not listed.
    let jar = jar_with("https://shop.example.org/", &["cart=1"]);
    assert!(
        jar.for_request(&url("http://127.0.0.1/"), false, T0)
            .withheld
            .is_empty()
    );
}

#[test]
fn a_secure_cookie_is_stored_from_http_but_only_sent_over_https() {
    let jar = jar_with("http://h.test/", &["s=FAKE-EXAMPLE-0000; Secure"]);
    let r = jar.for_request(&url("http://h.test/"), false, T0);
    assert_eq!(
        (r.header, r.withheld[0].why.clone()),
        (None, Withheld::SecureOverHttp)
    );
    // Loopback is the exception curl, browsers and HTTPie make: it goes there over http.
    for host in ["localhost", "127.0.0.1", "[::1]", "app.localhost"] {
        let jar = jar_with(&format!("http://{host}/"), &["s=FAKE-EXAMPLE-0000; Secure"]);
        let r = jar.for_request(&url(&format!("http://{host}/")), false, T0);
        assert!(r.header.is_some(), "{host}: {r:?}");
    }
    assert!(
        jar.for_request(&url("https://h.test/"), false, T0)
            .header
            .is_some()
    );
}

#[test]
fn max_age_wins_over_expires_and_expiry_is_judged_at_now() {
    let jar = jar_with(
        "http://h.test/",
        &["s=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT; Max-Age=60"],
    );
    let at = url("http://h.test/");
    assert!(jar.for_request(&at, false, T0 + 59).header.is_some());
    let r = jar.for_request(&at, false, T0 + 60);
    assert_eq!(r.header, None);
    assert_eq!(r.withheld[0].why, Withheld::Expired { at: T0 + 60 });
    assert_eq!(
        jar.why_not("s", &at, T0 + 61)[0].why,
        Withheld::Expired { at: T0 + 60 }
    );
    assert!(jar.why_not("s", &at, T0).is_empty());
    let mut jar = jar;
    assert_eq!(jar.remove_expired(T0 + 60), 1);
}

#[test]
fn max_age_zero_or_a_past_expires_deletes() {
    let mut jar = jar_with("http://h.test/", &["s=1", "t=2"]);
    let at = url("http://h.test/");
    let d = jar.store(&at, "s=; Max-Age=0", T0).unwrap();
    assert!(matches!(d, Stored::Deleted { existed: true, .. }));
    jar.store(&at, "t=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", T0)
        .unwrap();
    assert!(jar.is_empty());
}

#[test]
fn a_replaced_cookie_keeps_its_creation_order() {
    let mut jar = jar_with("http://h.test/", &["a=1", "b=2"]);
    jar.store(&url("http://h.test/"), "a=3", T0 + 5).unwrap();
    let r = jar.for_request(&url("http://h.test/"), false, T0);
    assert_eq!(r.header.as_deref(), Some("a=3; b=2"));
    assert_eq!(jar.list()[0].created, T0);
}

#[test]
fn a_typed_cookie_header_wins_and_the_jar_says_what_it_held_back() {
    let jar = jar_with("http://h.test/", &["a=1"]);
    let r = jar.for_request(&url("http://h.test/"), true, T0);
    assert_eq!(r.header, None);
    assert_eq!(r.withheld[0].why, Withheld::TypedCookieHeader);
}

#[test]
fn the_vars_tab_edits_removes_and_clears() {
    let mut jar = jar_with("http://h.test/", &["a=1", "b=2"]);
    let key = jar.list()[0].key();
    jar.set_value(&key, "FAKE-edited").unwrap();
    assert_eq!(jar.get(&key).unwrap().value.expose(), "FAKE-edited");
    assert_eq!(
        jar.set_value(&key, "ab;c").unwrap_err(),
        "cookie a value, column 3: `;` cannot go in a Cookie header"
    );
    assert!(jar.remove(&key));
    assert!(!jar.remove(&key));
    jar.clear();
    assert!(jar.is_empty());
}

#[test]
fn debug_of_a_jar_masks_every_value() {
    let jar = jar_with("http://h.test/", &["session=FAKE-EXAMPLE-SECRET-0000"]);
    assert!(!format!("{jar:?}").contains("SECRET"));
}

#[test]
fn the_jar_can_move_into_a_send_task() {
    fn is_clone_send<T: Clone + Send + 'static>() {}
    is_clone_send::<Jar>();
}

#[test]
fn a_flood_of_cookies_keeps_the_jar_within_its_limits() {
    let mut jar = Jar::new();
    let at = url("http://h.test/");
    for i in 0..200 {
        jar.store(&at, &format!("c{i}=1"), T0).unwrap();
    }
    assert_eq!(jar.len(), 180);
    // The oldest went first.
    assert!(jar.why_not("c0", &at, T0).is_empty() && jar.list().iter().all(|c| c.name != "c0"));
    assert!(jar.list().iter().any(|c| c.name == "c199"));
}

#[test]
fn a_cookie_describes_its_attributes_without_its_value() {
    let jar = jar_with(
        "http://127.0.0.1:8080/cookie/login",
        &["session=FAKE-EXAMPLE-SECRET-0000; Path=/cookie; HttpOnly; Secure; Max-Age=60"],
    );
    let c = jar.list()[0];
    assert_eq!(
        c.attributes(T0),
        "domain 127.0.0.1 (host only) · path /cookie · Secure · HttpOnly · until 2026-03-01T12:01:00Z"
    );
    assert!(
        c.attributes(T0 + 60)
            .ends_with("EXPIRED at 2026-03-01T12:01:00Z")
    );
    assert_eq!(c.value.to_string(), "FAKE-…0000 (24 chars)");
}
