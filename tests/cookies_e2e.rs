//! The cookie jar end to end against the real practice server: a login's `Set-Cookie` goes
//! back on the redirect's next hop (captured, marked as the jar's), a session jar carries it
//! across sends, a cookie kept off a hop (a Path too narrow) with the reason recorded, a Secure
//! one sent to loopback over http as curl does, a typed
//! `Cookie` header wins over the jar — and the cookie's value never shows in `send` output.

use authlens::cookies::Jar;
use authlens::draft::{Body, Draft};
use authlens::exchange::{Capture, Exchange, Origin, Withheld};
use authlens::practice::{Config, PracticeServer, keys};
use authlens::send;
use authlens::vars::{DotenvReport, Vars};
use std::process::Command;
use std::time::Duration;

fn no_vars() -> Vars {
    Vars::build(&[], std::iter::empty(), DotenvReport::default())
}

async fn server() -> PracticeServer {
    PracticeServer::start(Config::practice_default())
        .await
        .expect("practice server starts")
}

/// `POST /cookie/login{query}` with the practice user in a form body.
fn login(s: &PracticeServer, query: &str) -> Draft {
    let mut d = Draft::new("POST", &s.url(&format!("/cookie/login{query}")));
    d.body = Body::Text {
        content_type: Some("application/x-www-form-urlencoded".into()),
        text: format!(
            "username={}&password={}",
            keys::BASIC_USER,
            keys::BASIC_PASSWORD
        ),
    };
    d
}

async fn send_in(jar: &mut Jar, draft: &Draft) -> Exchange {
    send::run_with_jar(draft, &no_vars(), &send::Options::default(), jar)
        .await
        .expect("send succeeds")
}

fn session() -> String {
    format!("session={}", keys::SESSION_COOKIE)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_redirect_carries_the_cookie_on_hop_two_and_the_wire_says_the_jar_added_it() {
    let s = server().await;
    let ex = send::run(&login(&s, ""), &no_vars(), &send::Options::default())
        .await
        .unwrap();
    assert_eq!(ex.hops.len(), 2);
    assert_eq!(ex.hops[1].response.status, 200, "{:?}", ex.hops[1].response);
    let hop2 = &ex.hops[1].request;
    assert_eq!(hop2.capture, Capture::Captured);
    let cookie = hop2
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("cookie"))
        .expect("hop 2 carries a Cookie header");
    assert_eq!(
        (cookie.value.clone(), cookie.origin),
        (session(), Origin::CookieJar)
    );
    // The first hop had nothing to send: the jar was empty.
    assert!(
        !ex.hops[0]
            .request
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("cookie"))
    );
    // What the server read is what the wire view shows.
    let records = s.wait_for_records(2, Duration::from_secs(10)).await;
    let me = records.iter().find(|r| r.path == "/cookie/me").unwrap();
    let raw = String::from_utf8_lossy(&me.raw).to_ascii_lowercase();
    assert!(
        raw.contains(&format!("cookie: {}", session().to_ascii_lowercase())),
        "{raw}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_jar_keeps_the_cookie_across_sends_until_logout_clears_it() {
    let s = server().await;
    let mut jar = Jar::new();
    send_in(&mut jar, &login(&s, "")).await;
    assert_eq!(jar.len(), 1);
    let me = Draft::new("GET", &s.url("/cookie/me"));
    assert_eq!(send_in(&mut jar, &me).await.hops[0].response.status, 200);
    // Another path is outside the cookie's Path=/cookie: not sent, and not noise either.
    let other = send_in(&mut jar, &Draft::new("GET", &s.url("/v1/models"))).await;
    assert!(
        !other.hops[0]
            .request
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("cookie"))
    );
    let out = send_in(&mut jar, &Draft::new("POST", &s.url("/cookie/logout"))).await;
    assert!(jar.is_empty(), "Max-Age=0 deletes the cookie");
    assert_eq!(out.hops.last().unwrap().response.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_kept_back_from_a_hop_is_recorded_with_why_and_loopback_takes_secure() {
    let s = server().await;
    // A Path too narrow for /cookie/me: hop 2 goes without it, and says why.
    let mut jar = Jar::new();
    let ex = send_in(&mut jar, &login(&s, "?path=/cookie/admin")).await;
    assert_eq!(ex.hops[1].response.status, 401);
    let c = ex.cookies_of(1).expect("hop 2 records the jar's decision");
    assert_eq!(c.withheld[0].name, "session");
    assert!(
        matches!(&c.withheld[0].why, Withheld::Path { path, .. } if path == "/cookie/admin"),
        "{:?}",
        c.withheld
    );
    // A Secure cookie goes to 127.0.0.1 over plain http, as curl and browsers send it.
    let mut jar = Jar::new();
    let ex = send_in(&mut jar, &login(&s, "?secure=1")).await;
    assert_eq!(ex.hops[1].response.status, 200);
    assert!(jar.list()[0].secure);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_cookie_header_is_sent_as_typed_and_a_401_that_clears_it_empties_the_jar() {
    let s = server().await;
    let mut jar = Jar::new();
    send_in(&mut jar, &login(&s, "")).await;
    let stale =
        Draft::new("GET", &s.url("/cookie/me")).header("Cookie", "session=EXAMPLE-stale-0000");
    let ex = send_in(&mut jar, &stale).await;
    let hop = &ex.hops[0];
    assert_eq!(hop.response.status, 401);
    let cookies: Vec<_> = hop
        .request
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("cookie"))
        .collect();
    assert_eq!(cookies.len(), 1);
    assert_eq!(cookies[0].origin, Origin::Typed { row: 0 });
    assert_eq!(
        ex.cookies_of(0).unwrap().withheld[0].why,
        Withheld::TypedCookieHeader
    );
    assert!(
        jar.is_empty(),
        "the server's Max-Age=0 removed the jar's cookie too"
    );
}

fn form() -> String {
    format!(
        "username={}&password={}",
        keys::BASIC_USER,
        keys::BASIC_PASSWORD
    )
}

fn authlens(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .current_dir(std::env::temp_dir())
        .output()
        .expect("the binary runs");
    let all = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (all, out.status.code().unwrap_or(-1))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_output_says_the_jar_added_the_cookie_and_masks_its_value_in_text_and_json() {
    let s = server().await;
    let url = s.url("/cookie/login");
    let form = form();
    let (text, code) = authlens(&["send", "-d", &form, &url]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("[cookie jar]"), "{text}");
    assert!(text.contains("< 200"), "{text}");
    assert!(!text.contains(keys::SESSION_COOKIE), "{text}");
    let (json, code) = authlens(&["send", "-d", &form, &url, "--format", "json"]);
    assert_eq!(code, 0, "{json}");
    assert!(json.contains("\"cookie_jar\""), "{json}");
    assert!(!json.contains(keys::SESSION_COOKIE), "{json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_text_names_the_withheld_cookie_and_why() {
    let s = server().await;
    let url = s.url("/cookie/login?path=/cookie/admin");
    let form = form();
    let (text, code) = authlens(&["send", "-d", &form, &url]);
    assert_eq!(code, 4, "{text}");
    assert!(
        text.contains(
            "cookie session from the jar was not sent: its Path /cookie/admin does not cover /cookie/me"
        ),
        "{text}"
    );
    assert!(!text.contains(keys::SESSION_COOKIE), "{text}");
}

/// A cookie from an earlier send of the session is in this exchange's `Cookie` header only
/// (no `Set-Cookie` here to learn it from): the exchange JSON of history and `send --format
/// json`, and a HAR written from the same request, must still mask it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jar_cookie_from_an_earlier_send_is_masked_in_exchange_json_and_har() {
    use authlens::formats::{export_mask, har_write, wire_secrets};
    let s = server().await;
    let mut jar = Jar::new();
    send_in(&mut jar, &login(&s, "")).await;
    let ex = send_in(&mut jar, &Draft::new("GET", &s.url("/cookie/me"))).await;
    assert!(ex.hops[0].response.header("set-cookie").is_none());
    let mut redactor = authlens::secret::Redactor::new();
    redactor.learn_response(&ex);
    let json = serde_json::to_string(&export_mask::redact_exchange(&ex, &redactor)).unwrap();
    assert!(!json.contains(keys::SESSION_COOKIE), "{json}");
    assert!(json.contains("cookie_jar"), "{json}");
    let hop = &ex.hops[0];
    let har_redactor = wire_secrets::redactor(&hop.request, Some(&hop.response));
    let har = har_write::write(&[har_write::HarEntry {
        started: std::time::SystemTime::now(),
        request: &hop.request,
        url: &hop.request.url,
        response: Some(&hop.response),
        timing: &hop.timing,
        comment: None,
        redactor: &har_redactor,
    }]);
    assert!(!har.contains(keys::SESSION_COOKIE), "{har}");
}

fn ids(draft: &Draft, ex: &Exchange) -> Vec<String> {
    let ctx = authlens::rules::Context::default();
    authlens::rules::diagnose_exchange(draft, &no_vars(), ex, &ctx)
        .iter()
        .map(|f| f.id.as_str().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rules_name_the_withheld_or_cleared_session_cookie_and_nothing_else() {
    let s = server().await;
    // A Path too narrow: the jar held the session back from hop 2.
    let draft = login(&s, "?path=/cookie/admin");
    let ex = send_in(&mut Jar::new(), &draft).await;
    let found = authlens::rules::diagnose_exchange(
        &draft,
        &no_vars(),
        &ex,
        &authlens::rules::Context::default(),
    );
    let f = found
        .iter()
        .find(|f| f.id.as_str() == "session-cookie-missing")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(f.evidence.contains("Path /cookie/admin"), "{}", f.evidence);
    assert!(f.evidence.contains("hop 1 (303) set it"), "{}", f.evidence);
    assert!(!f.evidence.contains(keys::SESSION_COOKIE));
    // A stale typed cookie that the 401 clears.
    let stale =
        Draft::new("GET", &s.url("/cookie/me")).header("Cookie", "session=EXAMPLE-stale-0000");
    let ex = send_in(&mut Jar::new(), &stale).await;
    let got = ids(&stale, &ex);
    assert!(
        got.contains(&"session-cookie-expired".to_string()),
        "{got:?}"
    );
    assert!(
        !got.contains(&"session-cookie-missing".to_string()),
        "{got:?}"
    );
    // A login that works, and a Bearer API's 401 with no cookie in sight: no cookie finding.
    let ok = login(&s, "");
    let got = ids(&ok, &send_in(&mut Jar::new(), &ok).await);
    assert!(
        !got.iter().any(|id| id.starts_with("session-cookie")),
        "{got:?}"
    );
    let bearer = Draft::new("GET", &s.url("/v1/models"))
        .header("Authorization", "Bearer sk-EXAMPLE-wrong-0000000000");
    let got = ids(&bearer, &send_in(&mut Jar::new(), &bearer).await);
    assert!(
        !got.iter().any(|id| id.starts_with("session-cookie")),
        "{got:?}"
    );
}

/// A cookie stored an hour ago with a one-minute lifetime: no waiting, the clock of the store
/// is simply in the past. The send holds it back, the server answers 401, and the rules say
/// the session cookie expired (and when).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_jar_cookie_is_held_back_and_the_rules_say_it_expired() {
    let s = server().await;
    let mut jar = Jar::new();
    let me = Draft::new("GET", &s.url("/cookie/me"));
    let url = url::Url::parse(&s.url("/cookie/login")).unwrap();
    let an_hour_ago = authlens::cookies::now() - 3600;
    let set = format!("{}; Path=/cookie; Max-Age=60", session());
    jar.store(&url, &set, an_hour_ago).unwrap();
    let ex = send_in(&mut jar, &me).await;
    assert_eq!(ex.hops[0].response.status, 401);
    let held = &ex.cookies_of(0).unwrap().withheld[0];
    assert_eq!(
        held.why,
        Withheld::Expired {
            at: an_hour_ago + 60
        }
    );
    let found = authlens::rules::diagnose_exchange(
        &me,
        &no_vars(),
        &ex,
        &authlens::rules::Context::default(),
    );
    let f = found
        .iter()
        .find(|f| f.id.as_str() == "session-cookie-expired")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert!(f.evidence.contains("expired at"), "{}", f.evidence);
}

/// A session's jar holds the cookies of every login so far: a Bearer 401 on another path of
/// the same host went without the `/cookie` login's cookie, and that is no cause of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_jar_cookie_kept_from_another_path_is_no_cause_of_a_bearer_401() {
    let s = server().await;
    let mut jar = Jar::new();
    send_in(&mut jar, &login(&s, "")).await;
    let bearer = Draft::new("GET", &s.url("/strict/v1/models"))
        .header("Authorization", "bearer FAKE-EXAMPLE-0000000000000000");
    let ex = send_in(&mut jar, &bearer).await;
    assert_eq!(ex.hops[0].response.status, 401);
    assert!(
        ex.cookies_of(0).is_some_and(|c| !c.withheld.is_empty()),
        "the jar did keep the cookie back: {:?}",
        ex.cookies
    );
    let got = ids(&bearer, &ex);
    assert!(
        !got.iter().any(|id| id.starts_with("session-cookie")),
        "{got:?}"
    );
}
