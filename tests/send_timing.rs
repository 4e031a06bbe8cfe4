//! The timing breakdown of a hop, against the practice server on loopback (plain and TLS):
//! which phases are measured for which URL, and that they add up. Speed is never asserted.

use authlens::ca::{Authority, Kind};
use authlens::draft::Draft;
use authlens::exchange::{Exchange, Hop};
use authlens::practice::{Config, PracticeServer};
use authlens::send;
use authlens::vars::{DotenvReport, Vars};
use std::time::Duration;

fn no_vars() -> Vars {
    Vars::build(&[], std::iter::empty(), DotenvReport::default())
}

async fn get(url: &str, options: &send::Options) -> Exchange {
    send::run(&Draft::new("GET", url), &no_vars(), options)
        .await
        .expect("send succeeds")
}

/// The phases are spans one after another: each measured, and together within the total.
fn assert_adds_up(hop: &Hop) {
    let p = &hop.timing.phases;
    let (ttfb, download) = (p.ttfb.expect("ttfb"), p.download.expect("download"));
    let sum: Duration = [p.dns, p.connect, p.connect_tls]
        .into_iter()
        .flatten()
        .sum::<Duration>()
        + ttfb
        + download;
    assert!(
        sum <= hop.timing.total,
        "{p:?} adds up past {:?}",
        hop.timing.total
    );
    assert!(download <= hop.timing.total - hop.timing.head + Duration::from_micros(1));
}

#[tokio::test]
async fn an_ip_literal_has_no_lookup_and_plain_http_no_tls() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let ex = get(&s.url("/v1/models"), &send::Options::default()).await;
    let hop = &ex.hops[0];
    let p = &hop.timing.phases;
    assert_eq!(p.dns, None, "127.0.0.1 is not looked up");
    assert!(p.connect.is_some() && p.connect_tls.is_none(), "{p:?}");
    assert_adds_up(hop);
    let line = p.line(hop.timing.total);
    assert!(
        line.starts_with("connect ") && line.contains(" · ttfb "),
        "{line}"
    );
    assert!(!line.contains("dns") && !line.contains("tls"), "{line}");
}

#[tokio::test]
async fn a_host_name_is_looked_up_and_every_hop_of_a_redirect_is_timed() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let url = s.url("/v1/models").replace("127.0.0.1", "localhost");
    let ex = get(&url, &send::Options::default()).await;
    let p = &ex.hops[0].timing.phases;
    assert!(
        p.dns.is_some(),
        "localhost went through the resolver: {p:?}"
    );
    assert_adds_up(&ex.hops[0]);

    let ex = get(&s.url("/redirect/models"), &send::Options::default()).await;
    assert!(ex.hops.len() >= 2, "the redirect was followed");
    for hop in &ex.hops {
        assert!(
            hop.timing.phases.connect.is_some(),
            "each hop opens its own connection"
        );
        assert_adds_up(hop);
    }
}

#[tokio::test]
async fn https_shows_connect_and_tls_as_one_figure_and_the_wire_is_still_captured() {
    let dir = std::env::temp_dir().join(format!("authlens-timing-{}", std::process::id()));
    let ca = Authority::load_or_create(&dir, Kind::Practice).unwrap();
    let mut s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let port = s.listen_tls(0, &ca).await.unwrap().port();
    let options = send::Options {
        extra_roots: vec![ca.cert_der().clone()],
        ..send::Options::default()
    };
    let ex = get(&format!("https://127.0.0.1:{port}/v1/models"), &options).await;
    let hop = &ex.hops[0];
    let p = &hop.timing.phases;
    assert!(p.connect_tls.is_some() && p.connect.is_none(), "{p:?}");
    assert_adds_up(hop);
    assert!(p.line(hop.timing.total).contains("connect+tls "));
    assert_eq!(hop.request.capture, authlens::exchange::Capture::Captured);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_exchange_written_before_phases_were_measured_still_loads() {
    let old = r#"{"connect": 1.5, "head": 4.0, "total": 5.0}"#;
    let t: authlens::exchange::Timing = serde_json::from_str(old).unwrap();
    assert_eq!(t.phases, Default::default());
    assert_eq!(t.total, Duration::from_millis(5));
}
