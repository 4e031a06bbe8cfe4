//! `authlens import`'s core: each format's fixture imported and written as a `.http` file reads
//! back through `formats::http_file` as the same drafts; credentials are never written as the
//! source held them; a HAR's requests keep their recorded exchange and its findings.

use authlens::draft::{AuthHelper, Body, Draft, PartValue};
use authlens::formats::http_file;
use authlens::formats::import::{self, Format, Imported};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new("tests/fixtures/import").join(name)).unwrap()
}

fn import(name: &str) -> Imported {
    import::read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// Writes `imported` as `dir/out.http`, reads it back and compares every request, by name
/// and draft, with what was written; returns the file's text.
fn round_trip(imported: &Imported, dir: &str) -> (String, Vec<Draft>) {
    let path: PathBuf = Path::new("/tmp").join(dir).join("out.http");
    let written = import::to_http(imported, &path, "source").unwrap();
    let file = http_file::parse(&path, &written.text).unwrap();
    assert_eq!(file.requests().len(), imported.requests.len());
    for (i, (r, wrote)) in imported.requests.iter().zip(&written.drafts).enumerate() {
        let mut back = file.to_draft(i, path.parent().unwrap()).unwrap();
        relative_parts(&mut back, path.parent().unwrap());
        assert_eq!(&back, wrote, "request {i} read back differs");
        let mut title = r.group.clone();
        title.push(r.name.clone());
        assert_eq!(
            file.requests()[i].name.as_deref(),
            Some(title.join(" / ").as_str())
        );
    }
    (written.text, written.drafts)
}

/// The reader gives a file part's path as read from the file's directory; the importer wrote
/// it relative, as in the source.
fn relative_parts(d: &mut Draft, dir: &Path) {
    if let Body::Multipart { parts } = &mut d.body {
        for p in parts {
            if let PartValue::File { path, .. } = &mut p.value
                && let Ok(rest) = Path::new(path.as_str()).strip_prefix(dir)
            {
                *path = format!("./{}", rest.display());
            }
        }
    }
}

#[test]
fn postman_collection_keeps_folders_auth_inheritance_and_bodies() {
    let imported = import("postman.json");
    assert_eq!(imported.format, Format::Postman);
    let names: Vec<String> = imported
        .requests
        .iter()
        .map(|r| [r.group.clone(), vec![r.name.clone()]].concat().join(" / "))
        .collect();
    assert_eq!(
        names,
        [
            "Keys / Whoami",
            "Keys / Nested / Create item",
            "Login form",
            "Upload",
            "Query key",
            "Raw file"
        ]
    );
    // What a request cannot carry is said, not dropped silently.
    assert_eq!(
        imported.notes,
        [
            "\"Raw file\": body mode file (a path on the exporter's disk) left out",
            "\"Raw file\": auth type oauth2 left out (bearer, apikey and basic are imported)"
        ]
    );
    let (text, drafts) = round_trip(&imported, "authlens-import-postman");
    // The collection's API key, inherited through two folders; a disabled header kept disabled.
    assert!(text.contains("X-API-Key: {{API_KEY}}"), "{text}");
    assert!(text.contains("# X-Debug: 1"), "{text}");
    // The request's own literal bearer token is not written; noauth stops the inheritance.
    assert!(!text.contains("sk-FAKEFAKE"), "{text}");
    assert!(!text.contains("EXAMPLEKEY0123456789"), "{text}");
    assert!(!text.contains("FAKE-TOKEN-EXAMPLE"), "{text}");
    assert!(drafts[2].headers.iter().all(|h| h.name != "X-API-Key"));
    assert_eq!(
        drafts[2].body,
        Body::Text {
            content_type: None,
            text: "user=alice".into()
        }
    );
    assert!(text.contains("Content-Type: application/x-www-form-urlencoded"));
    assert!(text.contains("Content-Type: application/json"));
    assert_eq!(
        drafts[3].auth,
        AuthHelper::Basic {
            user: "alice".into(),
            password: "{{PASSWORD}}".into()
        }
    );
    let Body::Multipart { parts } = &drafts[3].body else {
        panic!("{:?}", drafts[3].body)
    };
    assert!(
        matches!(&parts[1].value, PartValue::File { filename: Some(f), .. } if f == "form.jpg")
    );
    // A literal query key gets a name of its own, not the collection's `API_KEY`.
    assert!(
        drafts[4].url.ends_with("api_key={{API_KEY_2}}"),
        "{}",
        drafts[4].url
    );
}

#[test]
fn postman_environment_marks_secrets_and_drops_disabled_values() {
    let env = import::read_env(&fixture("postman_env.json")).unwrap();
    assert_eq!(env.name, "Local practice");
    let got: Vec<(&str, bool)> = env
        .values
        .iter()
        .map(|v| (v.name.as_str(), v.secret))
        .collect();
    assert_eq!(
        got,
        [("baseUrl", false), ("API_KEY", true), ("region", false)]
    );
}

#[test]
fn openapi_operations_get_scheme_references_parameters_and_body_skeletons() {
    let imported = import("openapi.json");
    assert_eq!(imported.format, Format::OpenApi);
    let (text, drafts) = round_trip(&imported, "authlens-import-openapi");
    assert!(text.contains("### items / GET /items/{item_id}"), "{text}");
    assert!(
        text.contains("GET https://api.example.com/v2/items/42?verbose=false"),
        "{text}"
    );
    assert!(text.contains("X-Tenant: acme"), "{text}");
    assert!(text.contains("X-API-Key: {{API_KEY_HEADER}}"), "{text}");
    assert!(
        text.contains("Authorization: Bearer {{BEARER_AUTH}}"),
        "{text}"
    );
    assert!(
        text.contains("DELETE https://api.example.com/v2/users/{{user}}"),
        "{text}"
    );
    // `security: [{}]` is anonymous: no credential slot.
    assert!(drafts[2].headers.is_empty(), "{:?}", drafts[2]);
    let Body::Text { text: body, .. } = &drafts[1].body else {
        panic!("{:?}", drafts[1].body)
    };
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"name": "EXAMPLE widget", "price": 0.0, "tags": ["string"],
                           "status": "new", "parent": null})
    );
    assert_eq!(
        drafts[3].auth,
        AuthHelper::Basic {
            user: "{{BASIC_AUTH_USER}}".into(),
            password: "{{BASIC_AUTH_PASSWORD}}".into()
        }
    );
}

#[test]
fn swagger_yaml_reads_host_base_path_query_key_and_body_parameter() {
    let imported = import("swagger.yaml");
    let (text, _) = round_trip(&imported, "authlens-import-swagger");
    assert!(
        text.contains("POST https://pets.example.com/v1/pets?api_key={{API_KEY}}"),
        "{text}"
    );
    assert!(text.contains("\"name\": \"Rex\""), "{text}");
}

#[test]
fn curl_command_imports_with_its_key_as_a_reference() {
    let imported = import("curl.txt");
    assert_eq!(imported.format, Format::Curl);
    let path = Path::new("/tmp/authlens-import-curl/out.http");
    let written = import::to_http(&imported, path, "curl.txt").unwrap();
    assert!(!written.text.contains("FAKE-EXAMPLE-0123456789abcdef"));
    assert!(written.text.contains("X-API-Key: {{X_API_KEY}}"));
    assert_eq!(
        written.to_set,
        [("X_API_KEY".to_string(), "header X-API-Key".to_string())]
    );
    round_trip(&imported, "authlens-import-curl");
}

#[test]
fn har_entries_keep_their_recorded_exchange_and_findings() {
    let imported = import("recorded.har");
    assert_eq!(imported.format, Format::Har);
    let (text, drafts) = round_trip(&imported, "authlens-import-har");
    assert!(
        !text.contains("FAKE-EXAMPLE-key-abcdef0123456789"),
        "{text}"
    );
    assert!(!text.contains("FAKEFAKEFAKEFAKE1234"), "{text}");
    assert!(
        text.contains("Cookie: session={{SESSION}}; theme=dark"),
        "{text}"
    );
    assert_eq!(drafts[0].headers[0].value, "Bearer {{AUTHORIZATION}}");
    let recorded = imported.requests[0].recorded.as_ref().expect("recorded");
    assert_eq!(recorded.response.as_ref().map(|r| r.status), Some(401));
    let ids: Vec<String> = authlens::rules::diagnose_file(recorded)
        .iter()
        .map(|f| f.id.to_string())
        .collect();
    // The server asked for X-API-Key; the browser sent the key as a Bearer token.
    assert_eq!(ids, ["api-key-sent-as-bearer"]);
}
