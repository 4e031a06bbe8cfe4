//! The entry points the lead calls after a live send: `diagnose_exchange` reads each hop's
//! wire headers, `lint` sees what the auth helper writes, `Context::live` sets the clock.

use authlens::draft::{AuthHelper, Draft};
use authlens::exchange::{
    BodyPreview, Capture, Exchange, Hop, Origin, Response, Timing, WireHeader, WireRequest,
};
use authlens::rules::{self, Context};
use authlens::vars::{DotenvReport, Vars};
use std::collections::BTreeMap;

fn hop(url: &str, headers: &[(&str, &str)], status: u16, response_headers: &[(&str, &str)]) -> Hop {
    Hop {
        request: WireRequest {
            method: "GET".into(),
            url: url.into(),
            capture: Capture::Captured,
            headers: headers
                .iter()
                .map(|(n, v)| WireHeader {
                    name: n.to_string(),
                    value: v.to_string(),
                    origin: Origin::Client,
                })
                .collect(),
            stripped: Vec::new(),
            raw: Vec::new(),
            head_len: 0,
            raw_cut: false,
        },
        response: Response {
            status,
            reason: String::new(),
            headers: response_headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: BodyPreview::from_bytes(b"{}".to_vec()),
        },
        timing: Timing::default(),
    }
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    Vars::build(
        &[],
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())),
        DotenvReport::default(),
    )
}

#[test]
fn wire_headers_of_each_hop_decide_the_redirect_finding() {
    let draft =
        Draft::new("GET", "https://api.example.org/v1/f").header("Authorization", "Bearer ${T}");
    let v = vars(&[("T", "FAKEtoken0000000000000000")]);
    let first = hop(
        "https://api.example.org/v1/f",
        &[("authorization", "Bearer x")],
        302,
        &[("location", "https://cdn.example.net/f")],
    );
    let dropped = hop(
        "https://cdn.example.net/f",
        &[("host", "cdn.example.net")],
        401,
        &[("www-authenticate", "Bearer")],
    );
    let ex = Exchange {
        hops: vec![first.clone(), dropped],
        stopped: None,
        ..Default::default()
    };
    let ids: Vec<_> = rules::diagnose_exchange(&draft, &v, &ex, &Context::live(1_772_366_400))
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert!(
        ids.contains(&"redirect-auth-stripped-cross-origin"),
        "{ids:?}"
    );

    let kept = hop(
        "https://cdn.example.net/f",
        &[("authorization", "Bearer x")],
        401,
        &[("www-authenticate", "Bearer error=\"invalid_token\"")],
    );
    let ex = Exchange {
        hops: vec![first, kept],
        stopped: None,
        ..Default::default()
    };
    let ids: Vec<_> = rules::diagnose_exchange(&draft, &v, &ex, &Context::live(1_772_366_400))
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert!(
        !ids.contains(&"redirect-auth-stripped-cross-origin"),
        "{ids:?}"
    );
}

#[test]
fn the_auth_helper_is_judged_like_a_typed_header() {
    let mut draft = Draft::new("GET", "https://api.openai.com/v1/models");
    draft.auth = AuthHelper::Bearer {
        token: "${OPENAI_API_KEY}".into(),
    };
    let found = rules::lint(&draft, &vars(&[]), &Context::default());
    assert!(found.iter().any(|f| f.id == "env-var-missing"));
    assert_eq!(found[0].describe_anchor(&draft), "the auth helper");

    draft.auth = AuthHelper::ApiKeyHeader {
        name: "X-API-Key".into(),
        key: "FAKE-key-0000".into(),
    };
    let found = rules::lint(&draft, &vars(&[]), &Context::default());
    let wrong = found
        .iter()
        .find(|f| f.id == "credential-in-wrong-header")
        .expect("wrong header");
    assert!(
        wrong.fix.is_none(),
        "the helper has no row a fix could edit"
    );
}

#[test]
fn a_live_context_can_carry_the_dotenv_text() {
    let draft = Draft::new("GET", "https://api.example.org/v1").header("X-API-Key", "${KEY}");
    let ctx = Context::live(1_772_366_400).with_dotenv(
        "/p/.env",
        "TITLE=a b\nKEY=FAKE\n",
        &BTreeMap::new(),
    );
    let found = rules::lint(&draft, &vars(&[]), &ctx);
    assert!(
        found.iter().any(|f| f.id == "dotenv-parse-error-ignored"),
        "{found:?}"
    );
}
