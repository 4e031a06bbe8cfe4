//! Export as code, read: a literal secret is never written by any target, the Rust snippet
//! parses as Rust, and `authlens export` prints only the code (or one line naming the targets).

use authlens::draft::{AuthHelper, Body, Draft, Part, PartValue, Row};
use authlens::formats::export::{Target, export};
use authlens::vars::{DotenvReport, Vars};
use std::process::Command;

const LITERAL: &str = "sk-EXAMPLE-FAKE-literal-9999999999";

fn no_vars() -> Vars {
    Vars::build(&[], [], DotenvReport::default())
}

/// Every kind of body and credential slot in one draft, with a secret typed literally.
fn everything() -> Draft {
    let mut d = Draft::new(
        "PATCH",
        "http://h/v1/it's?typed=\"1\"&api_key=EXAMPLE-FAKE-url-7777",
    )
    .header("Authorization", &format!("Bearer {LITERAL}"))
    .header("X-Note", "a $b `c` \\ é\t✓");
    d.query.push(Row::new("q", "x'y\"z\\"));
    d.auth = AuthHelper::Basic {
        user: "learner".into(),
        password: "EXAMPLE-FAKE-password-55".into(),
    };
    d.body = Body::Multipart {
        parts: vec![
            Part {
                name: "files".into(),
                value: PartValue::File {
                    path: "./page 1;x.jpg".into(),
                    filename: None,
                    content_type: None,
                },
            },
            Part {
                name: "note".into(),
                value: PartValue::Text {
                    text: "line\n\"2\" $HOME".into(),
                },
            },
        ],
    };
    d
}

#[test]
fn no_target_writes_a_secret_typed_literally() {
    for target in Target::ALL {
        let code = export(target, &everything(), &no_vars()).unwrap();
        for secret in [LITERAL, "EXAMPLE-FAKE-url-7777", "EXAMPLE-FAKE-password-55"] {
            assert!(!code.contains(secret), "{}:\n{code}", target.name());
        }
        assert!(
            code.contains("AUTHLENS_UNSAVED_AUTHORIZATION"),
            "{}:\n{code}",
            target.name()
        );
    }
    let py = export(Target::PythonRequests, &everything(), &no_vars()).unwrap();
    assert!(
        py.contains(
            "\n# AUTHLENS_UNSAVED_AUTHORIZATION stands for the secret typed in header Authorization"
        ),
        "{py}"
    );
    assert!(
        py.contains(r#""Bearer " + os.environ["AUTHLENS_UNSAVED_AUTHORIZATION"]"#),
        "{py}"
    );
}

#[test]
fn a_reference_is_a_lookup_in_each_language() {
    let d = Draft::new("GET", "http://h/").header("X-API-Key", "${API_KEY}");
    let with_key = Vars::build(
        &[("API_KEY".into(), LITERAL.into())],
        [],
        DotenvReport::default(),
    );
    for (target, lookup) in [
        (Target::Curl, r#""${API_KEY:?}""#),
        (Target::Httpie, r#""${API_KEY:?}""#),
        (Target::PythonRequests, r#"os.environ["API_KEY"]"#),
        (Target::PythonHttpx, r#"os.environ["API_KEY"]"#),
        (Target::JsFetch, "process.env.API_KEY"),
        (Target::RustReqwest, r#"std::env::var("API_KEY")?"#),
        (Target::Http, "{{API_KEY}}"),
    ] {
        let code = export(target, &d, &with_key).unwrap();
        assert!(code.contains(lookup), "{}:\n{code}", target.name());
        assert!(!code.contains(LITERAL), "{}:\n{code}", target.name());
    }
}

#[test]
fn the_rust_snippet_parses_as_rust() {
    let mut json = Draft::new("POST", "http://h/v1").header("X-API-Key", "${API_KEY}");
    json.body = Body::Text {
        content_type: Some("application/json".into()),
        text: "{\"a\": \"it's \\\"q\\\" \\\\ é\\n\"}\n".into(),
    };
    let mut custom = everything();
    custom.method = "PURGE".into();
    for d in [everything(), json, custom] {
        let code = export(Target::RustReqwest, &d, &no_vars()).unwrap();
        if let Err(e) = syn::parse_file(&code) {
            panic!("{e}:\n{code}");
        }
    }
}

#[test]
fn a_shell_command_keeps_every_byte() {
    // printf in curl's place: the shell hands curl the arguments the snippet means.
    let code = export(Target::Curl, &everything(), &no_vars()).unwrap();
    let printing = code.replacen("curl", "printf '[%s]\\n'", 1);
    let out = Command::new("sh")
        .args(["-c", &printing])
        .env("AUTHLENS_UNSAVED_AUTHORIZATION", "FAKE-A")
        .env("AUTHLENS_UNSAVED_API_KEY", "FAKE-B")
        .env("AUTHLENS_UNSAVED_BASIC_PASSWORD", "FAKE-C")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    for arg in [
        "[X-Note: a $b `c` \\ é\t✓]",
        "[Authorization: Bearer FAKE-A]",
        "[learner:FAKE-C]",
        "[note=line\n\"2\" $HOME]",
        "[files=@\"./page 1;x.jpg\";filename=\"page 1;x.jpg\";type=image/jpeg]",
    ] {
        assert!(out.contains(arg), "{arg} not in\n{out}\nfrom\n{code}");
    }
}

fn authlens(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_authlens"))
        .args(args)
        .env("API_KEY", LITERAL)
        .output()
        .unwrap()
}

#[test]
fn the_command_prints_only_the_code() {
    let o = authlens(&[
        "export",
        "--as",
        "python-requests",
        "http://h/v1",
        "-H",
        "X-API-Key: ${API_KEY}",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains(r#""X-API-Key": os.environ["API_KEY"]"#),
        "{out}"
    );
    assert!(!out.contains(LITERAL), "{out}");
}

#[test]
fn an_unknown_target_is_one_line_listing_the_targets() {
    let o = authlens(&["export", "--as", "cobol", "http://h/v1"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty());
    assert_eq!(
        err.trim_end(),
        "authlens export: --as \"cobol\" is not a target; the targets: curl, httpie, python-requests, python-httpx, js-fetch, rust-reqwest, http"
    );
}

#[test]
fn a_request_of_a_http_file_is_exported() {
    let dir = std::env::temp_dir().join(format!("authlens-export-from-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("api.http");
    std::fs::write(
        &file,
        "@host = http://127.0.0.1:9\n### whoami\nGET {{host}}/v1/me\nAuthorization: Bearer {{API_KEY}}\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let o = authlens(&[
        "export", "--as", "js-fetch", "--from", &path, "--name", "whoami",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("let url = \"http://127.0.0.1:9/v1/me\";"),
        "{out}"
    );
    assert!(out.contains("\"Bearer \" + process.env.API_KEY"), "{out}");
    assert!(!out.contains(LITERAL), "{out}");
}
