//! `authlens FILE.har` (or a Postman collection, an OpenAPI document) opens the TUI with the
//! file's requests in the list: a HAR's with the exchange it recorded and its findings shown
//! as after a send; a broken file is one line naming it.

use authlens::tui::imported::{add, entries, import_arg};
use std::path::Path;

#[test]
fn a_hars_requests_carry_the_recorded_exchange_and_findings() {
    let list = entries(Path::new("tests/fixtures/import/recorded.har")).unwrap();
    let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        ["POST /api/v1/vote-extraction/extract", "GET /api/v1/health"]
    );
    let loaded = list[0]
        .outcome
        .as_ref()
        .and_then(|o| o.loaded())
        .expect("recorded");
    assert_eq!(loaded.exchange.hops.last().unwrap().response.status, 401);
    let ids: Vec<String> = loaded.findings.iter().map(|f| f.id.to_string()).collect();
    assert_eq!(ids, ["api-key-sent-as-bearer"]);
    // The recorded key is masked wherever the exchange is drawn.
    let shown = loaded
        .redactor
        .redact_bytes(b"Bearer FAKE-EXAMPLE-key-abcdef0123456789");
    assert!(!String::from_utf8_lossy(&shown).contains("abcdef0123456789"));
}

#[test]
fn collections_and_documents_open_as_drafts_and_urls_stay_urls() {
    let list = entries(Path::new("tests/fixtures/import/postman.json")).unwrap();
    assert_eq!(list[0].name, "Keys / Whoami");
    assert!(list.iter().all(|e| e.outcome.is_none()));
    assert!(import_arg("tests/fixtures/import/openapi.json").is_some());
    assert!(import_arg("https://example.com/openapi.json").is_none());
    assert!(import_arg("missing.json").is_none());
    let err = entries(Path::new("tests/fixtures/import/postman_v20.json")).unwrap_err();
    assert!(
        err.starts_with("tests/fixtures/import/postman_v20.json: is a Postman collection v2.0"),
        "{err}"
    );
}

#[test]
fn opening_the_same_file_again_does_not_list_its_requests_twice() {
    let path = Path::new("tests/fixtures/import/recorded.har");
    let mut list = entries(path).unwrap();
    let before = list.len();
    assert_eq!(add(&mut list, entries(path).unwrap()), Some(0));
    assert_eq!(list.len(), before);
}
