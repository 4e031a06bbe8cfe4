//! `compare` against the real practice server: for each route, which of the four slots works,
//! and what the others show (issue 6's table, checked slot by slot).

use authlens::draft::{Body, Draft, Part, PartValue};
use authlens::practice::{Config, PracticeServer, keys};
use authlens::rules::Context;
use authlens::send;
use authlens::slots::{self, Outcome, Verdict};
use authlens::vars::{DotenvReport, Vars};

async fn compare_on(draft: &Draft) -> Vec<Outcome> {
    let vars = Vars::build(&[], [], DotenvReport::default());
    let cred = slots::find_credential(draft, &vars).expect("a credential in the draft");
    slots::run(
        draft,
        &vars,
        &cred,
        &send::Options::default(),
        &Context::live(0),
    )
    .await
}

/// (status, verdict) per slot, in slot order: Bearer, key header, Basic, query.
fn table(outcomes: &[Outcome]) -> Vec<(Option<u16>, Verdict)> {
    outcomes.iter().map(|o| (o.status, o.verdict)).collect()
}

const REFUSED: Verdict = Verdict::Rejected;
const WORKED: Verdict = Verdict::Worked;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_x_api_key_route_only_the_key_header_works() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let image = std::env::temp_dir().join(format!("authlens-compare-{}.jpg", std::process::id()));
    std::fs::write(&image, b"\xff\xd8\xff\xe0EXAMPLE").unwrap();
    let mut draft = Draft::new("POST", &s.url("/api/v1/vote-extraction/extract"))
        .header("X-API-Key", keys::API_KEY);
    draft.body = Body::Multipart {
        parts: vec![Part {
            name: "files".into(),
            value: PartValue::File {
                path: image.display().to_string(),
                filename: None,
                content_type: None,
            },
        }],
    };
    let o = compare_on(&draft).await;
    assert_eq!(
        table(&o),
        [
            (Some(401), REFUSED),
            (Some(200), WORKED),
            (Some(401), REFUSED),
            (Some(401), REFUSED)
        ]
    );
    assert!(
        o[0].findings
            .iter()
            .any(|f| f.id == "api-key-sent-as-bearer"),
        "the Bearer row says why"
    );
    assert!(
        slots::summary(&o).starts_with("Worked: X-API-Key header"),
        "{}",
        slots::summary(&o)
    );
    std::fs::remove_file(&image).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_bearer_route_only_bearer_works() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let draft = Draft::new("GET", &s.url("/v1/models"))
        .header("Authorization", &format!("Bearer {}", keys::BEARER_TOKEN));
    let o = compare_on(&draft).await;
    assert_eq!(
        table(&o),
        [
            (Some(200), WORKED),
            (Some(401), REFUSED),
            (Some(401), REFUSED),
            (Some(401), REFUSED)
        ]
    );
    assert!(
        o[0].sent_as.starts_with("authorization: Bearer "),
        "{}",
        o[0].sent_as
    );
    assert!(
        o[3].sent_as.contains("api_key="),
        "the query row shows the request line: {}",
        o[3].sent_as
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_basic_route_only_basic_works() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let creds = format!("{}:{}", keys::BASIC_USER, keys::BASIC_PASSWORD);
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, creds);
    let draft = Draft::new("GET", &s.url("/basic/profile"))
        .header("Authorization", &format!("Basic {b64}"));
    let o = compare_on(&draft).await;
    assert_eq!(
        table(&o),
        [
            (Some(401), REFUSED),
            (Some(401), REFUSED),
            (Some(200), WORKED),
            (Some(401), REFUSED)
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_the_redirect_route_authorization_is_stripped_and_the_key_header_leaks() {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let draft = Draft::new("GET", &s.url("/redirect/models"))
        .header("Authorization", &format!("Bearer {}", keys::BEARER_TOKEN));
    let o = compare_on(&draft).await;
    assert!(o.iter().all(|x| x.status == Some(401)), "{:?}", table(&o));
    assert!(
        o[0].notes
            .iter()
            .any(|n| n.contains("Authorization was not sent")),
        "{:?}",
        o[0].notes
    );
    assert!(
        o[0].findings
            .iter()
            .any(|f| f.id == "redirect-auth-stripped-cross-origin")
    );
    assert!(
        o[1].notes.iter().any(|n| n.contains("leaked")),
        "{:?}",
        o[1].notes
    );
    assert!(
        o[1].findings
            .iter()
            .any(|f| f.id == "custom-key-header-leaked-on-redirect"),
        "{:?}",
        o[1].findings
    );
    let other = s.other_addr();
    let leaked = s
        .records()
        .iter()
        .any(|r| r.origin == other && String::from_utf8_lossy(&r.raw).contains(keys::BEARER_TOKEN));
    assert!(leaked, "the other origin really received the key");
}

#[test]
fn without_a_credential_the_binary_exits_2_and_says_so() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(["compare", "http://127.0.0.1:9/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no credential to compare"));
}
