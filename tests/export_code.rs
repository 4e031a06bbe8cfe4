//! Export as code, read: a literal secret is never written by any target, the Rust snippet
//! parses as Rust, and `authlens export` prints only the code (or one line naming the targets).

use authlens::draft::{AuthHelper, Body, Draft, Part, PartValue, Row, Settings};
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
    // A proxy's password is no part of the code: HTTPS_PROXY carries it.
    let mut proxied = everything();
    proxied.settings.proxy = Some("http://me:EXAMPLE-FAKE-proxy-pass@proxy.example:3128".into());
    for target in Target::ALL {
        let code = export(target, &proxied, &no_vars()).unwrap();
        assert!(
            !code.contains("EXAMPLE-FAKE-proxy-pass"),
            "{}:\n{code}",
            target.name()
        );
        assert!(
            code.contains("me@proxy.example:3128"),
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

/// A GET with every setting, paths relative as a user types them.
fn with_settings(settings: Settings) -> Draft {
    let mut d = Draft::new("GET", "https://h/v1/me").header("Authorization", "Bearer ${API_KEY}");
    d.settings = settings;
    d
}

fn every_setting() -> Settings {
    Settings {
        timeout_ms: Some(2500),
        max_redirects: Some(3),
        insecure: true,
        ca_bundle: Some("certs/ca.pem".into()),
        client_cert: Some("certs/client.pem".into()),
        client_key: Some("certs/client.key".into()),
        proxy: Some("http://proxy.example:3128".into()),
    }
}

/// The other way of each setting: no redirects, no proxy at all, a CA checked, a client
/// certificate holding its key.
fn other_settings() -> Settings {
    Settings {
        max_redirects: Some(0),
        ca_bundle: Some("certs/ca.pem".into()),
        client_cert: Some("certs/client.pem".into()),
        proxy: Some("none".into()),
        ..Settings::default()
    }
}

fn assert_has(target: Target, code: &str, wanted: &[&str]) {
    for w in wanted {
        assert!(code.contains(w), "{}: {w:?} not in\n{code}", target.name());
    }
}

fn assert_lacks(target: Target, code: &str, unwanted: &[&str]) {
    for w in unwanted {
        assert!(!code.contains(w), "{}: {w:?} in\n{code}", target.name());
    }
}

#[test]
fn every_target_carries_every_setting() {
    let d = with_settings(every_setting());
    let proxy = "http://proxy.example:3128";
    for (target, wanted) in [
        (
            Target::Curl,
            vec![
                "-L --max-redirs 3",
                "--max-time 2.5",
                "\n  -k \\",
                "--cacert certs/ca.pem",
                "--cert certs/client.pem",
                "--key certs/client.key",
                "--proxy http://proxy.example:3128",
            ],
        ),
        (
            Target::Httpie,
            vec![
                "--follow --max-redirects 4",
                "4 follows 3",
                "--timeout 2.5",
                "--verify=no",
                "--cert certs/client.pem",
                "--cert-key certs/client.key",
                "--proxy=http:http://proxy.example:3128 --proxy=https:http://proxy.example:3128",
            ],
        ),
        (
            Target::PythonRequests,
            vec![
                "session = requests.Session()",
                "session.max_redirects = 3",
                "response = session.request(",
                "timeout=2.5,",
                "verify=False,",
                r#"cert=("certs/client.pem", "certs/client.key"),"#,
                r#"proxies={"http": "http://proxy.example:3128", "https": "http://proxy.example:3128"}"#,
            ],
        ),
        (
            Target::PythonHttpx,
            vec![
                "import ssl",
                "tls.verify_mode = ssl.CERT_NONE",
                r#"tls.load_cert_chain("certs/client.pem", "certs/client.key")"#,
                "client = httpx.Client(",
                "verify=tls,",
                r#"proxy="http://proxy.example:3128","#,
                "max_redirects=3,",
                "response = client.request(",
                "timeout=2.5,",
                "follow_redirects=True,",
            ],
        ),
        (
            Target::JsFetch,
            vec![
                "at most 3 redirects",
                "signal: AbortSignal.timeout(2500),",
                "NODE_TLS_REJECT_UNAUTHORIZED=0",
                "certs/client.pem (key: certs/client.key)",
                r#"new ProxyAgent("http://proxy.example:3128")"#,
            ],
        ),
        (
            Target::RustReqwest,
            vec![
                "reqwest::Client::builder()",
                ".timeout(std::time::Duration::from_millis(2500))",
                ".redirect(reqwest::redirect::Policy::limited(3))",
                ".tls_danger_accept_invalid_certs(true)",
                r#"from_pem_bundle(&std::fs::read("certs/ca.pem")?)?"#,
                r#"std::fs::read("certs/client.pem")?, std::fs::read("certs/client.key")?"#,
                r#".proxy(reqwest::Proxy::all("http://proxy.example:3128")?)"#,
                ".build()?",
            ],
        ),
        (
            Target::Http,
            vec![
                "# @max-redirects 3\n",
                "# @timeout 2500 ms\n",
                "# @insecure\n",
                "# @cacert ./certs/ca.pem\n",
                "# @cert ./certs/client.pem\n",
                "# @key ./certs/client.key\n",
                "# @proxy http://proxy.example:3128\n",
            ],
        ),
    ] {
        let code = export(target, &d, &no_vars()).unwrap();
        assert_has(target, &code, &wanted);
        assert!(code.contains(proxy), "{}", target.name());
        assert_loud(target, &code);
    }
}

/// The skipped check is said in a comment line above the code that skips it.
fn assert_loud(target: Target, code: &str) {
    let skip = match target {
        Target::Curl => "\n  -k \\",
        Target::Httpie => "--verify=no",
        Target::PythonRequests => "verify=False",
        Target::PythonHttpx => "ssl.CERT_NONE",
        Target::JsFetch => "NODE_TLS_REJECT_UNAUTHORIZED=0",
        Target::RustReqwest => ".tls_danger_accept_invalid_certs(true)",
        Target::Http => "# @insecure",
    };
    let comment = match target {
        Target::JsFetch | Target::RustReqwest => {
            "// TLS NOT VERIFIED: the server's certificate is not checked"
        }
        _ => "# TLS NOT VERIFIED: the server's certificate is not checked",
    };
    let (at, skip_at) = (code.find(comment), code.find(skip));
    assert!(
        at.is_some() && at < skip_at,
        "{}: no loud line above {skip:?}:\n{code}",
        target.name()
    );
    let line_start = code[..at.unwrap()].rfind('\n').map_or(0, |n| n + 1);
    assert!(
        code[line_start..at.unwrap()].trim().is_empty(),
        "{}: the loud line is not a line of its own:\n{code}",
        target.name()
    );
}

#[test]
fn every_target_carries_the_other_way_of_each_setting() {
    let d = with_settings(other_settings());
    for (target, wanted, unwanted) in [
        (
            Target::Curl,
            vec![
                "--noproxy '*'",
                "--cacert certs/ca.pem",
                "--cert certs/client.pem",
            ],
            vec!["-L", "-k", "--key"],
        ),
        (
            Target::Httpie,
            vec![
                "no_proxy='*' http --ignore-stdin",
                "--verify=certs/ca.pem",
                "--cert certs/client.pem",
            ],
            vec!["--follow", "--cert-key"],
        ),
        (
            Target::PythonRequests,
            vec![
                "session.trust_env = False",
                "allow_redirects=False,",
                r#"verify="certs/ca.pem","#,
                r#"cert="certs/client.pem","#,
            ],
            vec!["max_redirects", "proxies="],
        ),
        (
            Target::PythonHttpx,
            vec![
                r#"tls.load_verify_locations("certs/ca.pem")"#,
                r#"tls.load_cert_chain("certs/client.pem")"#,
                "verify=tls,",
                "trust_env=False,",
                "response = httpx.request(",
            ],
            vec!["follow_redirects", "CERT_NONE", "httpx.Client"],
        ),
        (
            Target::JsFetch,
            vec![
                "redirect: \"manual\",",
                "NODE_EXTRA_CA_CERTS=certs/ca.pem",
                "certs/client.pem (key: in the same file)",
                "ignores them too",
            ],
            vec!["AbortSignal", "NODE_TLS_REJECT_UNAUTHORIZED"],
        ),
        (
            Target::RustReqwest,
            vec![
                ".redirect(reqwest::redirect::Policy::none())",
                ".no_proxy()",
                r#".identity(reqwest::Identity::from_pem(&std::fs::read("certs/client.pem")?)?)"#,
            ],
            vec![".timeout(", "danger"],
        ),
        (
            Target::Http,
            vec![
                "# @no-redirect\n",
                "# @no-proxy\n",
                "# @cacert ./certs/ca.pem\n",
            ],
            vec!["# @insecure", "# @key"],
        ),
    ] {
        let code = export(target, &d, &no_vars()).unwrap();
        assert_has(target, &code, &wanted);
        assert_lacks(target, &code, &unwanted);
        assert_lacks(target, &code, &["TLS NOT VERIFIED"]);
    }
    // Without settings, only following redirects is written (authlens follows; curl does not).
    let plain = with_settings(Settings::default());
    let curl = export(Target::Curl, &plain, &no_vars()).unwrap();
    assert_has(Target::Curl, &curl, &["\n  -L \\"]);
    let rust = export(Target::RustReqwest, &plain, &no_vars()).unwrap();
    assert_has(Target::RustReqwest, &rust, &["reqwest::Client::new()"]);
}

#[test]
fn the_http_block_reads_back_to_the_same_settings() {
    for settings in [every_setting(), other_settings()] {
        let code = export(Target::Http, &with_settings(settings.clone()), &no_vars()).unwrap();
        let file = authlens::formats::http_file::parse("back.http", &code).unwrap();
        let back = file.to_draft(0, std::path::Path::new("")).unwrap();
        assert_eq!(back.settings, settings, "{code}");
    }
}

#[test]
fn the_snippets_with_settings_parse_in_their_languages() {
    let dir = std::env::temp_dir().join(format!("authlens-export-parse-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for settings in [every_setting(), other_settings()] {
        let d = with_settings(settings);
        let code = export(Target::RustReqwest, &d, &no_vars()).unwrap();
        if let Err(e) = syn::parse_file(&code) {
            panic!("{e}:\n{code}");
        }
        for (target, file, check) in [
            (
                Target::PythonRequests,
                "r.py",
                ["python3", "-m", "py_compile"],
            ),
            (Target::PythonHttpx, "x.py", ["python3", "-m", "py_compile"]),
            (Target::JsFetch, "f.mjs", ["node", "--check", ""]),
        ] {
            let path = dir.join(file);
            std::fs::write(&path, export(target, &d, &no_vars()).unwrap()).unwrap();
            let args: Vec<&str> = check[1..]
                .iter()
                .copied()
                .filter(|a| !a.is_empty())
                .collect();
            match Command::new(check[0]).args(&args).arg(&path).output() {
                Ok(o) => assert!(
                    o.status.success(),
                    "{}: {}\n{}",
                    target.name(),
                    String::from_utf8_lossy(&o.stderr),
                    std::fs::read_to_string(&path).unwrap()
                ),
                Err(e) => eprintln!(
                    "skipped parsing {}: {} does not run: {e}",
                    target.name(),
                    check[0]
                ),
            }
        }
    }
}

#[test]
fn export_flags_lay_over_the_files_settings() {
    let dir = std::env::temp_dir().join(format!("authlens-export-flags-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("api.http");
    std::fs::write(
        &file,
        "# @timeout 5\n# @cacert ./ca.pem\n# @proxy http://proxy.example:3128\nGET https://h/v1/me\n",
    )
    .unwrap();
    let path = file.display().to_string();
    let o = authlens(&[
        "export",
        "--as",
        "curl",
        "--from",
        &path,
        "--timeout",
        "1",
        "--no-follow",
        "--noproxy",
        "-k",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let ca = format!("--cacert {}", dir.join("ca.pem").display());
    assert_has(
        Target::Curl,
        &out,
        &["--max-time 1 ", "\n  -k \\", &ca, "--noproxy '*'"],
    );
    assert_lacks(Target::Curl, &out, &["-L", "--max-time 5", "proxy.example"]);
    // Flags alone, without a file.
    let o = authlens(&[
        "export",
        "--as",
        "python-httpx",
        "https://h/",
        "--max-redirects",
        "2",
        "--cert",
        "c.pem",
        "--key",
        "c.key",
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_has(
        Target::PythonHttpx,
        &out,
        &[
            "max_redirects=2,",
            r#"tls.load_cert_chain("c.pem", "c.key")"#,
        ],
    );
    let o = authlens(&["export", "--as", "curl", "https://h/", "--timeout", "0"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--timeout 0"), "{err}");
}

/// With `-L`, `-X POST` would keep POST after a 303 where authlens sends a GET: a POST with
/// a body leaves the method to curl, unless the command does not follow.
#[test]
fn a_following_curl_post_leaves_the_method_to_its_body() {
    let mut d = Draft::new("POST", "http://h/v1");
    d.body = Body::Text {
        content_type: Some("application/json".into()),
        text: "{}".into(),
    };
    let code = export(Target::Curl, &d, &no_vars()).unwrap();
    assert!(
        code.starts_with("curl \\\n  http://h/v1 \\\n  -L \\\n"),
        "{code}"
    );
    d.settings.max_redirects = Some(0);
    let code = export(Target::Curl, &d, &no_vars()).unwrap();
    assert!(code.starts_with("curl -X POST \\\n"), "{code}");
}

/// fetch's comment lines name paths and URLs; a line break typed in one stays in the comment.
#[test]
fn a_line_break_in_a_path_does_not_leave_the_js_comment() {
    let d = with_settings(Settings {
        ca_bundle: Some("ca.pem\nprocess.exit(3)".into()),
        ..Settings::default()
    });
    let code = export(Target::JsFetch, &d, &no_vars()).unwrap();
    assert!(
        !code.lines().any(|l| l.starts_with("process.exit")),
        "{code}"
    );
    assert!(
        code.contains("NODE_EXTRA_CA_CERTS=ca.pem process.exit(3)"),
        "{code}"
    );
}
