//! Reading OpenAPI documents as real generators write them (FastAPI, Spring springdoc, a
//! Swagger 2.0 petstore, hand-written YAML with AND entries and overrides) and matching
//! requests to their operations and effective security.

use authlens::spec::{Declared, KeyIn, Lookup, Scheme, Spec};
use std::path::Path;

fn fixture(name: &str) -> Spec {
    Spec::from_file(&Path::new("tests/fixtures/openapi").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The operation `method url` matches: its path template and what its security describes.
fn matched(spec: &Spec, method: &str, url: &str) -> (String, String) {
    match spec.find(method, url) {
        Lookup::Found(f) => (
            f.operation.path.clone(),
            spec.security(f.operation).describe(),
        ),
        other => panic!("{method} {url}: {other:?}"),
    }
}

#[test]
fn fastapi_publishes_the_key_header_on_each_operation() {
    let spec = fixture("fastapi-seed.json");
    assert_eq!(spec.version, "3.1.0");
    assert_eq!(spec.title.as_deref(), Some("Vote Extraction API"));
    assert_eq!(spec.operation_count(), 3);
    let url = "http://127.0.0.1:8000/api/v1/vote-extraction/extract";
    let Lookup::Found(f) = spec.find("POST", url) else {
        panic!("no operation")
    };
    let sec = spec.security(f.operation);
    assert_eq!(sec.declared, Declared::Operation);
    assert_eq!(
        f.operation.pointer(),
        "/paths/~1api~1v1~1vote-extraction~1extract/post"
    );
    let part = &sec.alternatives[0].parts[0];
    assert_eq!(part.name, "APIKeyHeader");
    assert_eq!(part.pointer, "/components/securitySchemes/APIKeyHeader");
    assert_eq!(
        part.scheme,
        Some(&Scheme::ApiKey {
            location: KeyIn::Header,
            name: "X-API-Key".into()
        })
    );
    // The health check declares nothing: anyone may call it.
    let Lookup::Found(h) = spec.find("GET", "http://127.0.0.1:8000/api/v1/health") else {
        panic!("no health")
    };
    assert!(spec.security(h.operation).anonymous_allowed());
    // A templated segment takes any value; the wrong method names the defined ones.
    assert_eq!(
        matched(&spec, "GET", "http://h/api/v1/ballots/42").0,
        "/api/v1/ballots/{ballot_id}"
    );
    match spec.find("GET", "http://h/api/v1/vote-extraction/extract") {
        Lookup::OtherMethods { methods, .. } => assert_eq!(methods, ["POST"]),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        spec.find("GET", "http://h/nothing/here"),
        Lookup::NoPath
    ));
}

#[test]
fn springdoc_root_security_is_inherited_and_overridden_by_an_empty_list() {
    let spec = fixture("springdoc.json");
    let (path, wants) = matched(&spec, "GET", "http://localhost:8080/api/users/7");
    assert_eq!(path, "/api/users/{id}");
    assert_eq!(wants, "`Authorization: Bearer` with a JWT (bearerAuth)");
    // A concrete path wins over the template that also matches it.
    assert_eq!(
        matched(&spec, "GET", "http://localhost:8080/api/users/me").0,
        "/api/users/me"
    );
    let Lookup::Found(f) = spec.find("GET", "http://localhost:8080/api/public/info") else {
        panic!()
    };
    let sec = spec.security(f.operation);
    assert_eq!(sec.declared, Declared::Operation);
    assert!(sec.alternatives.is_empty() && sec.anonymous_allowed());
    let Lookup::Found(r) = spec.find("POST", "http://localhost:8080/api/reports") else {
        panic!()
    };
    let sec = spec.security(r.operation);
    assert_eq!(sec.alternatives[0].parts[0].scopes, ["reports:write"]);
    assert_eq!(
        sec.alternatives[0].parts[0]
            .scheme
            .and_then(Scheme::token_url),
        Some("http://localhost:9000/oauth2/token")
    );
    // Another host still matches by path, and says so.
    let Lookup::Found(o) = spec.find("GET", "https://staging.example.com/api/users/7") else {
        panic!()
    };
    assert!(!o.host_matched);
}

#[test]
fn swagger2_host_base_path_and_security_definitions() {
    let spec = fixture("swagger2-petstore.yaml");
    assert_eq!(spec.version, "2.0");
    let (path, wants) = matched(&spec, "GET", "https://petstore.swagger.io/v2/pet/12");
    assert_eq!(path, "/pet/{petId}");
    assert_eq!(wants, "the `api_key` header (api_key)");
    // Without the base path the operation is not there.
    assert!(matches!(
        spec.find("GET", "https://petstore.swagger.io/pet/12"),
        Lookup::NoPath
    ));
    let Lookup::Found(f) = spec.find("POST", "https://petstore.swagger.io/v2/pet") else {
        panic!()
    };
    let sec = spec.security(f.operation);
    let part = &sec.alternatives[0].parts[0];
    assert_eq!(part.pointer, "/securityDefinitions/petstore_auth");
    assert_eq!(part.scopes, ["write:pets", "read:pets"]);
    match part.scheme {
        Some(Scheme::OAuth2 { flows }) => assert_eq!(flows[0].kind, "implicit"),
        other => panic!("{other:?}"),
    }
    assert!(spec.names_other_host("api.github.com"));
    assert!(!spec.names_other_host("petstore.swagger.io"));
}

#[test]
fn and_entries_or_alternatives_query_cookie_and_mutual_tls() {
    let spec = fixture("and-entry.yaml");
    let base = "https://eu.reports.example.com/v2";
    let Lookup::Found(f) = spec.find("GET", &format!("{base}/reports")) else {
        panic!()
    };
    assert!(
        f.host_matched,
        "the server variable's default names the host"
    );
    let sec = spec.security(f.operation);
    assert_eq!(sec.declared, Declared::Root);
    assert_eq!(sec.alternatives.len(), 2);
    assert_eq!(sec.alternatives[0].parts.len(), 2);
    assert_eq!(
        sec.describe(),
        "the `X-API-Key` header (ApiKey) and the `X-App-Id` header (AppId), or `Authorization: Bearer` with an OAuth access token (OAuth)"
    );
    for (path, slot) in [
        ("/legacy/export", "the `api_key` query parameter (QueryKey)"),
        ("/dashboard", "the `session_id` cookie (Session)"),
        (
            "/mtls/ping",
            "a client certificate for mutual TLS (ClientCert)",
        ),
    ] {
        assert_eq!(matched(&spec, "GET", &format!("{base}{path}")).1, slot);
    }
}

#[test]
fn operation_overrides_templates_with_suffixes_and_relative_servers() {
    let spec = fixture("overrides.yaml");
    let at = |m: &str, p: &str| matched(&spec, m, &format!("http://localhost:3000/api{p}"));
    assert_eq!(at("GET", "/status").1, "no credential");
    assert_eq!(
        at("GET", "/items").1,
        "`Authorization: Bearer` (BearerAuth)"
    );
    assert_eq!(at("POST", "/items").1, "`Authorization: Basic` (BasicAuth)");
    assert_eq!(at("GET", "/items/featured").0, "/items/featured");
    assert_eq!(at("GET", "/items/9").0, "/items/{id}");
    assert_eq!(at("GET", "/files/report.json").0, "/files/{name}.json");
    assert_eq!(at("GET", "/files/report.csv").0, "/files/{name}");
    // `{}` among the alternatives: anonymous calls are allowed.
    let Lookup::Found(f) = spec.find("GET", "http://localhost:3000/api/items/9") else {
        panic!()
    };
    assert!(spec.security(f.operation).anonymous_allowed());
    // HEAD is answered by GET; a trailing slash is the same path.
    assert_eq!(at("HEAD", "/items").0, "/items");
    assert_eq!(at("GET", "/items/").0, "/items");
    // The server's `/api` prefix is part of the path.
    assert!(matches!(
        spec.find("GET", "http://localhost:3000/items"),
        Lookup::NoPath
    ));
}

#[test]
fn a_relative_server_resolves_against_the_url_the_document_came_from() {
    let text = std::fs::read_to_string("tests/fixtures/openapi/overrides.yaml").unwrap();
    let spec = authlens::spec::parse(&text, "u", Some("http://inv.example.net:3000/openapi.yaml"))
        .unwrap();
    assert!(spec.names_other_host("other.example.net"));
    assert!(!spec.names_other_host("inv.example.net"));
}

#[test]
fn bad_documents_are_named_with_their_position() {
    let parse = |t: &str| {
        authlens::spec::parse(t, "api.json", None)
            .unwrap_err()
            .to_string()
    };
    let e = parse("{\"openapi\": \"3.1.0\",\n \"paths\": {]}");
    assert!(
        e.starts_with("api.json: line 2, column 12: not valid JSON"),
        "{e}"
    );
    let e = parse("openapi: 3.1.0\npaths:\n  /x: [unclosed\n");
    assert!(e.starts_with("api.json: line "), "{e}");
    assert!(e.contains("not valid YAML"), "{e}");
    let e = parse("{\"info\": {\"title\": \"x\"}}");
    assert_eq!(
        e,
        "api.json: not an OpenAPI document: it has no `openapi` or `swagger` field at the top"
    );
    assert!(parse("openapi: 4.0.0\n").contains("not supported"));
    // Unquoted in YAML, `swagger: 2.0` is a number, and still Swagger 2.0.
    let spec = authlens::spec::parse("swagger: 2.0\npaths: {}\n", "s", None).unwrap();
    assert_eq!(spec.version, "2.0");
    let missing = Path::new("tests/fixtures/openapi/nope.json");
    let e = Spec::from_file(missing).unwrap_err().to_string();
    assert!(e.starts_with("tests/fixtures/openapi/nope.json: "), "{e}");
}
