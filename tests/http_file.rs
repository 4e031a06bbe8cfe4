//! `.http` files as a collection: fixtures in JetBrains' and REST Client's documented syntax
//! come back byte for byte, an edit rewrites only its request's lines, requests become the
//! drafts authlens sends, credentials are saved only as references, and errors name the line.

use authlens::draft::{AuthHelper, Body, Draft, PartValue, Row};
use authlens::formats::http_file::{self, BodySpec, Environments, HttpFile, file_variables};
use authlens::vars::{Source, Vars};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/http")
}

fn fixture(name: &str) -> (String, HttpFile) {
    let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
    let file = http_file::parse(name, &text).unwrap();
    (text, file)
}

#[test]
fn untouched_files_are_written_back_byte_for_byte() {
    for name in ["jetbrains.http", "rest-client.http"] {
        let (text, file) = fixture(name);
        assert_eq!(file.write(), text, "{name}");
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(
            http_file::parse(name, &crlf).unwrap().write(),
            crlf,
            "{name} CRLF"
        );
        let cut = text.trim_end();
        assert_eq!(
            http_file::parse(name, cut).unwrap().write(),
            cut,
            "{name} no last newline"
        );
    }
    for odd in [
        "",
        "\n",
        "###",
        "# only a comment\n",
        "GET http://h",
        "###\n###\n\n",
    ] {
        assert_eq!(http_file::parse("odd.http", odd).unwrap().write(), odd);
    }
}

#[test]
fn jetbrains_requests_are_read_with_names_directives_handlers_and_bodies() {
    let (_, file) = fixture("jetbrains.http");
    assert_eq!(
        file.names(),
        [
            "Health check",
            "upload",
            "Create an item from a file",
            "GET https://example.com/plain",
            "Login with Basic"
        ]
    );
    let r = file.requests();
    assert_eq!(r[0].handlers, ["> {%"]);
    let upload = r[1];
    assert_eq!(
        (upload.method.as_str(), upload.url.as_str()),
        ("POST", "{{host}}/api/v1/vote-extraction/extract")
    );
    let settings = upload.settings();
    assert!(settings.no_redirect);
    assert_eq!(settings.timeout, Some(std::time::Duration::from_secs(5)));
    assert_eq!(
        upload.handlers,
        ["> ./check-upload.js", "<> ./previous/upload-200.json"]
    );
    let BodySpec::Multipart { boundary, parts } = &upload.body else {
        panic!("{:?}", upload.body)
    };
    assert_eq!(boundary, "WebAppBoundary");
    assert_eq!(parts.len(), 2);
    assert_eq!(r[2].url, "{{host}}/api/items?page=1&size=20");
    assert_eq!(
        r[2].body,
        BodySpec::File {
            path: "./item.json".into(),
            substitute: false
        }
    );
    assert_eq!(
        r[2].headers.len(),
        2,
        "the comment among headers is not a header"
    );
    assert_eq!(
        (r[3].method.as_str(), r[3].version.as_deref()),
        ("GET", Some("HTTP/1.1"))
    );
    assert_eq!(file.line_of(1), Some(14));
}

#[test]
fn rest_client_variables_and_system_variables_are_kept() {
    let (_, file) = fixture("rest-client.http");
    assert_eq!(file.names(), ["login", "getProfile", "listComments"]);
    let vars = file_variables(&file, &[]);
    let host = vars.iter().find(|(n, _, _)| n == "host").unwrap();
    assert_eq!(
        host.1, "api.example.com:8080",
        "a file variable uses others"
    );
    assert_eq!(
        host.2,
        Source::HttpFile {
            path: "rest-client.http".into(),
            line: 3
        }
    );
    let login = file.to_draft(0, &fixtures()).unwrap();
    let Body::Text { text, .. } = &login.body else {
        panic!()
    };
    assert!(
        text.contains("\"{{$guid}}\"") && text.ends_with('}'),
        "{text}"
    );
    let profile = file.to_draft(1, &fixtures()).unwrap();
    assert_eq!(profile.headers[1], Row::new("X-Request-Id", "{{$guid}}"));
    assert_eq!(
        file.requests()[2].url,
        "https://{{host}}/comments?page=2&pageSize=10"
    );
}

#[test]
fn requests_become_drafts_with_parts_files_and_the_basic_helper() {
    let (_, file) = fixture("jetbrains.http");
    let dir = fixtures();
    let upload = file.to_draft(1, &dir).unwrap();
    assert_eq!(upload.method, "POST");
    assert_eq!(
        upload.headers,
        [Row::new("X-API-Key", "{{API_KEY}}")],
        "the client writes the boundary"
    );
    let Body::Multipart { parts } = &upload.body else {
        panic!()
    };
    assert_eq!(parts[0].name, "files");
    assert_eq!(
        parts[0].value,
        PartValue::File {
            path: dir.join("page1.jpg").display().to_string(),
            filename: Some("page1.jpg".into()),
            content_type: Some("image/jpeg".into()),
        }
    );
    assert_eq!(
        parts[1].value,
        PartValue::Text {
            text: "first page".into()
        }
    );
    let item = file.to_draft(2, &dir).unwrap();
    assert_eq!(
        item.body,
        Body::Text {
            content_type: None,
            text: "{\"name\": \"EXAMPLE item\", \"size\": 3}\n".into()
        }
    );
    let basic = file.to_draft(4, &dir).unwrap();
    assert_eq!(
        basic.auth,
        AuthHelper::Basic {
            user: "{{user}}".into(),
            password: "{{password}}".into()
        }
    );
    assert!(basic.headers.is_empty());
}

/// Lines of `after` that differ from `before`, both cut at line ends, by position.
fn changed(before: &str, after: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (
        before.split_inclusive('\n').collect(),
        after.split_inclusive('\n').collect(),
    );
    assert_eq!(a.len(), b.len(), "same number of lines:\n{after}");
    a.iter()
        .zip(&b)
        .filter(|(x, y)| x != y)
        .map(|(_, y)| y.to_string())
        .collect()
}

#[test]
fn editing_one_request_rewrites_only_its_changed_lines() {
    for newline in ["\n", "\r\n"] {
        let (text, _) = fixture("jetbrains.http");
        let text = text.replace('\n', newline);
        let mut file = http_file::parse("jetbrains.http", &text).unwrap();
        let dir = fixtures();
        let mut d = file.to_draft(1, &dir).unwrap();
        file.replace(1, &d, &dir).unwrap();
        assert_eq!(file.write(), text, "an unchanged draft changes nothing");
        d.headers[0].value = "{{OTHER_KEY}}".into();
        file.replace(1, &d, &dir).unwrap();
        let after = file.write();
        let diff = changed(&text, &after);
        assert_eq!(diff, [format!("X-API-Key: {{{{OTHER_KEY}}}}{newline}")]);
        let mut item = file.to_draft(2, &dir).unwrap();
        item.method = "PUT".into();
        file.replace(2, &item, &dir).unwrap();
        let diff = changed(&after, &file.write());
        assert_eq!(diff, [format!("PUT {{{{host}}}}/api/items{newline}")]);
        assert_eq!(
            file.requests()[2].body,
            BodySpec::File {
                path: "./item.json".into(),
                substitute: false
            },
            "the body stays a file"
        );
    }
}

#[test]
fn a_changed_body_is_rewritten_and_read_back() {
    let (_, mut file) = fixture("rest-client.http");
    let mut d = file.to_draft(0, &fixtures()).unwrap();
    d.body = Body::Text {
        content_type: None,
        text: "{\"name\": \"other\"}".into(),
    };
    file.replace(0, &d, &fixtures()).unwrap();
    let out = file.write();
    assert!(
        out.contains("Content-Type: {{contentType}}\n\n{\"name\": \"other\"}\n\n###\n"),
        "{out}"
    );
    assert_eq!(file.to_draft(0, &fixtures()).unwrap().body, d.body);
    assert!(out.starts_with("@hostname = api.example.com\n"));
}

#[test]
fn a_new_request_is_appended_and_reads_back_as_its_draft() {
    let (text, mut file) = fixture("jetbrains.http");
    let dir = fixtures();
    let mut d = Draft::new("POST", "{{host}}/api/v1/vote-extraction/extract")
        .header("X-API-Key", "{{API_KEY}}");
    d.query.push(Row::new("lang", "en gb"));
    d.body = Body::Multipart {
        parts: vec![authlens::draft::Part {
            name: "files".into(),
            value: PartValue::File {
                path: dir.join("page1.jpg").display().to_string(),
                filename: None,
                content_type: None,
            },
        }],
    };
    let i = file.append(Some("seed upload"), &d, &dir).unwrap();
    let out = file.write();
    assert!(out.starts_with(&text));
    assert!(
        out.contains(
            "### seed upload\nPOST {{host}}/api/v1/vote-extraction/extract?lang=en%20gb\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "name=\"files\"; filename=\"page1.jpg\"\n\n< ./page1.jpg\n--authlens-boundary--\n"
        ),
        "{out}"
    );
    assert_eq!(file.find("seed upload"), Some(i));
    let back = file.to_draft(i, &dir).unwrap();
    assert_eq!(
        back.url,
        "{{host}}/api/v1/vote-extraction/extract?lang=en%20gb"
    );
    assert_eq!(back.headers, d.headers);
}

#[test]
fn credentials_are_saved_only_as_references_under_the_trust_rule() {
    let mut file = http_file::parse("api.http", "").unwrap();
    let mut d = Draft::new("GET", "${BASE}/v1?api_key=EXAMPLE-FAKE-url-key-0000")
        .header("X-API-Key", "EXAMPLE-FAKE-literal-key-0000")
        .header("Authorization", "Bearer ${TOKEN}");
    d.vars
        .push(("API_TOKEN".into(), "EXAMPLE-FAKE-var-0000".into()));
    d.vars.push(("REGION".into(), "eu".into()));
    let (i, left) = http_file::save_request(&mut file, None, Some("x"), &d, Path::new("")).unwrap();
    let out = file.write();
    assert!(!out.contains("EXAMPLE-FAKE"), "{out}");
    assert!(
        out.contains("X-API-Key: {{AUTHLENS_UNSAVED_X_API_KEY}}\n"),
        "{out}"
    );
    assert!(out.contains("Authorization: Bearer {{TOKEN}}\n"), "{out}");
    assert!(
        out.contains("GET {{BASE}}/v1?api_key={{AUTHLENS_UNSAVED_API_KEY}}\n"),
        "{out}"
    );
    assert!(
        out.contains("@REGION = eu\n") && !out.contains("API_TOKEN"),
        "{out}"
    );
    assert_eq!(left.len(), 3);
    assert_eq!(file.find("x"), Some(i));
}

#[test]
fn errors_name_the_file_and_line_and_never_panic() {
    let text = "GET http://h/\nAccept: */*\n\n###\nPOST http://h/\nBad Header\n";
    let e = http_file::parse("api.http", text).unwrap_err();
    assert_eq!(
        e.to_string(),
        "api.http:6: header \"Bad Header\" has no colon"
    );
    let mp = "POST http://h/\nContent-Type: multipart/form-data; boundary=B\n\n--B\nContent-Type: text/plain\n\nx\n--B--\n";
    let e = http_file::parse("up.http", mp).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("up.http:4: multipart part has no name"),
        "{e}"
    );
    let (_, file) = fixture("jetbrains.http");
    let e = file
        .to_draft(2, Path::new("/nonexistent-authlens"))
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("jetbrains.http:40: body file ./item.json:"),
        "{e}"
    );
    let e = Environments::from_texts(
        Some((Path::new("http-client.env.json"), "{\n \"dev\": {,\n}")),
        None,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("http-client.env.json:2: not JSON"),
        "{e}"
    );
    for junk in [
        "\u{0}\u{1}###\n\n:",
        "GET\n:\n",
        "POST h\nContent-Type: multipart/form-data; boundary=\n\n--\n--\n",
        "<>\n> {%\n",
    ] {
        let _ = http_file::parse("junk.http", junk);
    }
}

#[test]
fn environments_layer_private_over_public_over_shared_with_their_files() {
    let envs = Environments::load(&fixtures()).unwrap();
    assert_eq!(envs.names(), ["dev", "prod"]);
    let dev = envs.variables("dev").unwrap();
    let private = fixtures().join("http-client.private.env.json");
    let public = fixtures().join("http-client.env.json");
    assert_eq!(
        dev[0],
        (
            "API_KEY".into(),
            "EXAMPLE-FAKE-private-dev-key-0000".into(),
            Source::HttpEnv {
                path: private,
                env: "dev".into()
            }
        )
    );
    let (_, file) = fixture("jetbrains.http");
    let vars = Vars::build_layered(
        &[],
        &file_variables(&file, &dev),
        [("API_KEY".to_string(), "EXAMPLE-process".to_string())],
        Default::default(),
    );
    let key = vars.get("API_KEY").unwrap();
    assert_eq!(key.value, "EXAMPLE-FAKE-private-dev-key-0000");
    assert_eq!(
        key.shadowed.len(),
        2,
        "public and process values are shadowed"
    );
    assert_eq!(
        vars.get("user").unwrap().source,
        Source::HttpEnv {
            path: public.clone(),
            env: "$shared".into()
        }
    );
    assert_eq!(
        vars.get("user").unwrap().source.to_string(),
        format!("{} ($shared)", public.display())
    );
    assert!(
        envs.variables("prod")
            .unwrap()
            .iter()
            .all(|(n, _, _)| n != "SSLConfiguration")
    );
    let e = envs.variables("stage").unwrap_err().to_string();
    assert!(
        e.ends_with("no environment \"stage\"; the environments are: dev, prod"),
        "{e}"
    );
    assert!(
        Environments::load(Path::new("/nonexistent-authlens"))
            .unwrap()
            .is_empty()
    );
}

/// Files stitched from the pieces real files are made of, in thousands of orders: reading
/// never panics, and whatever reads is written back byte for byte, CRLF or not.
#[test]
fn any_mix_of_lines_reads_without_panic_and_round_trips() {
    const PIECES: &[&str] = &[
        "###",
        "### name",
        "# @name x",
        "// @name y",
        "# @no-redirect",
        "# @timeout 2 s",
        "@v = {{w}}",
        "@w=1",
        "GET http://h/",
        "POST {{host}}/x HTTP/1.1",
        "http://bare",
        "    ?a=1",
        "    &b=2",
        "Accept: */*",
        "Content-Type: multipart/form-data; boundary=B",
        "--B",
        "--B--",
        "Content-Disposition: form-data; name=\"f\"; filename=\"a\"",
        "< ./a.jpg",
        "<@ ./b.json",
        "> {%",
        "%}",
        "> ./h.js",
        "<> ./r.json",
        "",
        "",
        "{\"k\": 1}",
        "# comment",
        "Bad Header",
        ":",
        "é ü ✓",
        "\t",
        "<",
        "<>",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut read, mut refused) = (0, 0);
    for _ in 0..3000 {
        let n = (next() % 14) as usize;
        let nl = if next() % 3 == 0 { "\r\n" } else { "\n" };
        let mut text: String = (0..n)
            .map(|_| format!("{}{nl}", PIECES[(next() % PIECES.len() as u64) as usize]))
            .collect();
        if next() % 4 == 0 {
            text.truncate(text.trim_end().len());
        }
        match http_file::parse("mix.http", &text) {
            Ok(file) => {
                read += 1;
                assert_eq!(file.write(), text);
                for i in 0..file.requests().len() {
                    if let Ok(d) = file.to_draft(i, Path::new("/nonexistent-authlens")) {
                        let mut edited = file.clone();
                        if edited
                            .replace(i, &d, Path::new("/nonexistent-authlens"))
                            .is_ok()
                        {
                            assert_eq!(edited.write(), text, "an unchanged draft changes nothing");
                        }
                        let mut d = d.clone();
                        d.url = "http://edited/".into();
                        d.headers.push(Row::new("X-Edited", "1"));
                        let dir = Path::new("/nonexistent-authlens");
                        if edited.replace(i, &d, dir).is_ok() {
                            assert_eq!(edited.requests().len(), file.requests().len(), "{text}");
                            let back = edited.to_draft(i, dir).unwrap();
                            assert_eq!((back.url, back.headers), (d.url, d.headers), "{text}");
                        }
                    }
                }
            }
            Err(e) => {
                refused += 1;
                assert!(e.to_string().starts_with("mix.http:"), "{e}");
            }
        }
    }
    assert!(
        read > 1000 && refused > 100,
        "{read} read, {refused} refused"
    );
}
