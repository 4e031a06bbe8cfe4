//! One test per catalogue cause: the rule fires on its cause and stays quiet on the nearest
//! correct request. Cases are built fresh here (other hosts, keys and wordings than the
//! public corpus), so they check the cause, not a memorised scenario.

use authlens::formats::ExchangeFile;
use authlens::rules::{self, Severity};
use serde_json::{Value, json};

const OPENAI_KEY: &str = "sk-proj-FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfa";
const ANTHROPIC_KEY: &str = "sk-ant-api03-FAKE-key-0000000_FAKE-key-0000000_FAKE-key-0000000_FAKE-key-0000000_FAKE-key-0000000_FAKEAA";
const JWT_HEADER: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9";

/// Runs one exchange described as JSON; returns (id, severity) pairs.
fn run(v: Value) -> Vec<(&'static str, Severity)> {
    let file: ExchangeFile = serde_json::from_value(v).expect("test exchange parses");
    rules::diagnose_file(&file)
        .into_iter()
        .map(|f| (f.id.as_str(), f.severity))
        .collect()
}

fn has(v: Value, id: &str) -> bool {
    run(v).iter().any(|(i, _)| *i == id)
}

fn exchange(url: &str, headers: Value, env: Value, status: Option<(u16, Value, &str)>) -> Value {
    let response = status.map_or(
        Value::Null,
        |(s, h, b)| json!({"status": s, "headers": h, "body": b}),
    );
    json!({"env": env, "request": {"method": "GET", "url": url, "headers": headers}, "response": response})
}

fn ok() -> Option<(u16, Value, &'static str)> {
    Some((200, json!([]), "{}"))
}

fn unauthorized(body: &'static str) -> Option<(u16, Value, &'static str)> {
    Some((401, json!([["content-type", "application/json"]]), body))
}

fn jwt(payload: &str) -> String {
    use base64::Engine;
    let p = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(payload);
    format!("{JWT_HEADER}.{p}.RkFLRS1TSUdOQVRVUkU")
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

// ── A. environment and .env ─────────────────────────────────────────────────────────────

#[test]
fn env_var_missing() {
    let h = json!([["Authorization", "Bearer ${SERVICE_TOKEN}"]]);
    assert!(has(
        exchange(
            "https://svc.example.org/x",
            h.clone(),
            json!({}),
            unauthorized("{}")
        ),
        "env-var-missing"
    ));
    assert!(!has(
        exchange(
            "https://svc.example.org/x",
            h,
            json!({"SERVICE_TOKEN": "FAKEtoken0000000000000000"}),
            ok()
        ),
        "env-var-missing"
    ));
}

#[test]
fn env_var_empty() {
    let h = json!([["X-Api-Key", "${K}"]]);
    assert!(has(
        exchange(
            "https://svc.example.org/x",
            h.clone(),
            json!({"K": "  "}),
            unauthorized("{}")
        ),
        "env-var-empty"
    ));
    let unused = exchange(
        "https://svc.example.org/x",
        h,
        json!({"K": "FAKEkey0000", "OTHER": ""}),
        unauthorized("{}"),
    );
    assert!(
        !has(unused, "env-var-empty"),
        "an unused empty variable is not reported"
    );
}

#[test]
fn credential_placeholder_value() {
    let h = json!([["Authorization", "Bearer ${HF_TOKEN}"]]);
    let e = |v: &str| {
        exchange(
            "https://huggingface.co/api/whoami-v2",
            h.clone(),
            json!({"HF_TOKEN": v}),
            unauthorized("{}"),
        )
    };
    assert!(has(e("<your-hf-token>"), "credential-placeholder-value"));
    assert!(has(e("hf_xxxxxxxxxxxx"), "credential-placeholder-value"));
    assert!(!has(
        e("hf_FAKEfakeFAKEfakeFAKEfakeFAKEfakeFA"),
        "credential-placeholder-value"
    ));
}

#[test]
fn dotenv_not_found_from_cwd() {
    let base = exchange(
        "https://api.github.com/user",
        json!([["Authorization", "Bearer ${GH}"]]),
        json!({}),
        None,
    );
    let base = with(
        base,
        "dotenv",
        json!("GH=ghp_FAKE00000000000000000000000000000000\n"),
    );
    let below = with(
        base.clone(),
        "context",
        json!({"cwd": "/srv/app", "dotenv_path": "/srv/app/tools/cli/.env"}),
    );
    assert!(has(below, "dotenv-not-found-from-cwd"));
    let above = with(
        base,
        "context",
        json!({"cwd": "/srv/app/tools/cli", "dotenv_path": "/srv/app/.env"}),
    );
    assert!(
        !has(above, "dotenv-not-found-from-cwd"),
        "dotenvy walks up to parents"
    );
}

#[test]
fn dotenv_shadowed_by_process_env() {
    let base = exchange(
        "https://api.example.org/v1",
        json!([["X-API-Key", "${KEY}"]]),
        json!({"KEY": "FAKE-stale-000000"}),
        unauthorized("{}"),
    );
    let base = with(base, "dotenv", json!("KEY=FAKE-fresh-000000\n"));
    assert!(has(base.clone(), "dotenv-shadowed-by-process-env"));
    let overriding = with(base, "context", json!({"loader": "dotenvy-0.15-override"}));
    assert!(!has(overriding, "dotenv-shadowed-by-process-env"));
}

#[test]
fn dotenv_parse_error_ignored() {
    let base = exchange(
        "https://api.example.org/v1",
        json!([["X-API-Key", "${KEY}"]]),
        json!({}),
        unauthorized("{}"),
    );
    let broken = with(
        base.clone(),
        "dotenv",
        json!("TITLE=two words\nKEY=FAKE-key-00000000\n"),
    );
    assert!(has(broken.clone(), "dotenv-parse-error-ignored"));
    assert!(has(broken, "env-var-missing"));
    let python = with(
        with(
            base.clone(),
            "dotenv",
            json!("TITLE=two words\nKEY=FAKE-key-00000000\n"),
        ),
        "context",
        json!({"loader": "python-dotenv-1.2.2"}),
    );
    assert!(
        !has(python, "dotenv-parse-error-ignored"),
        "python-dotenv parses unquoted spaces"
    );
    let quoted = with(
        base,
        "dotenv",
        json!("TITLE=\"two words\"\nKEY=FAKE-key-00000000\n"),
    );
    assert!(!has(quoted, "dotenv-parse-error-ignored"));
}

#[test]
fn dotenv_quotes_preserved() {
    let base = exchange(
        "https://api.example.org/v1",
        json!([["Authorization", "Bearer ${TOKEN}"]]),
        json!({}),
        unauthorized("{}"),
    );
    let text = json!("TOKEN='FAKEtoken00000000000000'\n");
    let docker = with(
        with(base.clone(), "dotenv", text.clone()),
        "context",
        json!({"loader": "docker-env-file"}),
    );
    assert!(has(docker, "dotenv-quotes-preserved"));
    let python = with(
        with(base, "dotenv", text),
        "context",
        json!({"loader": "python-dotenv-1.2.2"}),
    );
    assert!(!has(python, "dotenv-quotes-preserved"));
}

/// Quotes inside a typed Basic pair: no variable supplied it, so a config that keeps quotes
/// did (Compose's list form); the same pair without quotes is fine.
#[test]
fn quotes_inside_a_literal_basic_pair() {
    use base64::Engine;
    let basic = |pair: &str| {
        let b = base64::engine::general_purpose::STANDARD.encode(pair);
        exchange(
            "http://10.0.0.3:3000/control/status",
            json!([["Authorization", format!("Basic {b}")]]),
            json!({}),
            unauthorized("{}"),
        )
    };
    assert!(has(
        basic("\"admin\":\"FAKEpass0000\""),
        "dotenv-quotes-preserved"
    ));
    assert!(!has(basic("admin:FAKEpass0000"), "dotenv-quotes-preserved"));
    assert!(!has(
        basic("admin:FAKE\"pass\"0000"),
        "dotenv-quotes-preserved"
    ));
}

#[test]
fn dotenv_inline_comment_in_value() {
    let base = exchange(
        "https://api.example.org/v1",
        json!([["X-API-Key", "${KEY}"]]),
        json!({}),
        unauthorized("{}"),
    );
    let text = json!("KEY=FAKE-key-00000000   # rotated monthly\n");
    let docker = with(
        with(base.clone(), "dotenv", text.clone()),
        "context",
        json!({"loader": "docker-env-file"}),
    );
    assert!(has(docker, "dotenv-inline-comment-in-value"));
    assert!(
        !has(with(base, "dotenv", text), "dotenv-inline-comment-in-value"),
        "dotenvy strips ` #…`"
    );
}

#[test]
fn dotenv_variable_expansion() {
    let base = exchange(
        "https://api.example.org/v1",
        json!([["X-API-Key", "${KEY}"]]),
        json!({}),
        unauthorized("{}"),
    );
    assert!(has(
        with(base.clone(), "dotenv", json!("KEY=\"FAKE$abc123\"x\n")),
        "dotenv-parse-error-ignored"
    ));
    assert!(has(
        with(base.clone(), "dotenv", json!("KEY=FAKE$abc123x\n")),
        "dotenv-variable-expansion"
    ));
    assert!(!has(
        with(base, "dotenv", json!("KEY='FAKE$abc123x'\n")),
        "dotenv-variable-expansion"
    ));
}

#[test]
fn dotenv_bom_first_key() {
    let base = exchange(
        "https://gitlab.com/api/v4/user",
        json!([["PRIVATE-TOKEN", "${GL}"]]),
        json!({}),
        unauthorized("{\"message\":\"401 Unauthorized\"}"),
    );
    let bom = with(
        base,
        "dotenv",
        json!("\u{feff}GL=glpat-FAKE0000000000000000\n"),
    );
    let python = with(
        bom.clone(),
        "context",
        json!({"loader": "python-dotenv-1.2.2"}),
    );
    assert!(has(python, "dotenv-bom-first-key"));
    assert!(
        !has(bom, "dotenv-bom-first-key"),
        "dotenvy ≥ 0.15.6 skips the BOM"
    );
}

// ── B. the credential value ─────────────────────────────────────────────────────────────

#[test]
fn credential_surrounding_whitespace() {
    let h = json!([["X-API-Key", "${K}"]]);
    assert!(has(
        exchange(
            "https://api.example.org/v1",
            h.clone(),
            json!({"K": "FAKE-key-0000 "}),
            unauthorized("{}")
        ),
        "credential-surrounding-whitespace"
    ));
    assert!(!has(
        exchange(
            "https://api.example.org/v1",
            h,
            json!({"K": "FAKE-key-0000"}),
            unauthorized("{}")
        ),
        "credential-surrounding-whitespace"
    ));
}

#[test]
fn credential_control_characters() {
    let h = json!([["Authorization", "Bearer ${T}"]]);
    assert!(has(
        exchange(
            "https://api.example.org/v1",
            h.clone(),
            json!({"T": "FAKEtoken000000000000\n"}),
            None
        ),
        "credential-control-characters"
    ));
    assert!(!has(
        exchange(
            "https://api.example.org/v1",
            h,
            json!({"T": "FAKEtoken000000000000"}),
            None
        ),
        "credential-control-characters"
    ));
}

#[test]
fn credential_invisible_unicode() {
    let h = json!([["x-goog-api-key", "${G}"]]);
    let url = "https://generativelanguage.googleapis.com/v1beta/models";
    assert!(has(
        exchange(
            url,
            h.clone(),
            json!({"G": "AIzaFAKE00000000000000\u{a0}0000000000000"}),
            None
        ),
        "credential-invisible-unicode"
    ));
    assert!(!has(
        exchange(
            url,
            h,
            json!({"G": "AIzaFAKE000000000000000000000000000000"}),
            None
        ),
        "credential-invisible-unicode"
    ));
}

#[test]
fn credential_encoding_mismatch() {
    use base64::Engine;
    let h = json!([["Authorization", "Bearer ${T}"]]);
    let encoded = base64::engine::general_purpose::STANDARD.encode(jwt(r#"{"sub":"u"}"#));
    assert!(has(
        exchange(
            "https://api.example.org/v1",
            h.clone(),
            json!({"T": encoded}),
            unauthorized("{}")
        ),
        "credential-encoding-mismatch"
    ));
    assert!(!has(
        exchange(
            "https://api.example.org/v1",
            h,
            json!({"T": "FAKEtoken_0000000000000000"}),
            unauthorized("{}")
        ),
        "credential-encoding-mismatch"
    ));
}

#[test]
fn credential_masked_or_truncated() {
    let h = json!([["Authorization", "Bearer ${GH}"]]);
    let e = |v: &str| {
        exchange(
            "https://api.github.com/user",
            h.clone(),
            json!({"GH": v}),
            unauthorized("{\"message\":\"Bad credentials\"}"),
        )
    };
    assert!(has(e("ghp_FAKE…0000"), "credential-masked-or-truncated"));
    assert!(has(
        e("ghp_FAKE0000000000"),
        "credential-masked-or-truncated"
    ));
    assert!(!has(
        e("ghp_FAKE00000000000000000000000000000000"),
        "credential-masked-or-truncated"
    ));
}

// ── C. Authorization syntax ─────────────────────────────────────────────────────────────

#[test]
fn auth_header_missing() {
    let fail = Some((
        401,
        json!([["www-authenticate", "Bearer realm=\"x\""]]),
        "{}",
    ));
    assert!(has(
        exchange(
            "https://api.example.org/v1",
            json!([["Accept", "*/*"]]),
            json!({}),
            fail
        ),
        "auth-header-missing"
    ));
    assert!(
        !has(
            exchange(
                "https://api.example.org/v1",
                json!([["Accept", "*/*"]]),
                json!({}),
                ok()
            ),
            "auth-header-missing"
        ),
        "an open endpoint"
    );
    let before = run(exchange(
        "https://api.example.org/v1",
        json!([]),
        json!({}),
        None,
    ));
    assert!(
        before.contains(&("auth-header-missing", Severity::Info)),
        "unknown host before sending: info"
    );
}

#[test]
fn bearer_scheme_missing() {
    let t = jwt(r#"{"sub":"u"}"#);
    assert!(has(
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", t.clone()]]),
            json!({}),
            unauthorized("{}")
        ),
        "bearer-scheme-missing"
    ));
    assert!(!has(
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", format!("Bearer {t}")]]),
            json!({}),
            unauthorized("{}")
        ),
        "bearer-scheme-missing"
    ));
    let assembly = exchange(
        "https://api.assemblyai.com/v2/transcript",
        json!([["Authorization", "deadbeefdeadbeefdeadbeefdeadbeef"]]),
        json!({}),
        ok(),
    );
    assert!(
        !has(assembly, "bearer-scheme-missing"),
        "AssemblyAI documents the bare key"
    );
}

#[test]
fn bearer_scheme_duplicated() {
    let h = json!([["Authorization", "Token ${T}"]]);
    assert!(has(
        exchange(
            "https://api.example.org/v1",
            h.clone(),
            json!({"T": "Token FAKE0000000000000000"}),
            unauthorized("{}")
        ),
        "bearer-scheme-duplicated"
    ));
    assert!(!has(
        exchange(
            "https://api.example.org/v1",
            h,
            json!({"T": "FAKE0000000000000000"}),
            unauthorized("{}")
        ),
        "bearer-scheme-duplicated"
    ));
}

#[test]
fn auth_scheme_case_nonstandard() {
    let e = |scheme: &str| {
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", format!("{scheme} FAKE000000000000000000")]]),
            json!({}),
            ok(),
        )
    };
    assert!(run(e("BEARER")).contains(&("auth-scheme-case-nonstandard", Severity::Warning)));
    assert!(!has(e("Bearer"), "auth-scheme-case-nonstandard"));
    // `token` has no one spelling (GitHub/Travis `token`, DRF `Token`): not a finding alone.
    assert!(!has(e("token"), "auth-scheme-case-nonstandard"));
    let at = |url: &str, scheme: &str| {
        exchange(
            url,
            json!([["Authorization", format!("{scheme} FAKE000000000000000000")]]),
            json!({}),
            unauthorized("{\"message\": \"401: Unauthorized\", \"code\": 0}"),
        )
    };
    // Discord documents `Bot`; Travis CI documents lower-case `token`.
    assert!(has(
        at("https://discord.com/api/v10/users/@me", "bot"),
        "auth-scheme-case-nonstandard"
    ));
    assert!(!has(
        at("https://discord.com/api/v10/users/@me", "Bot"),
        "auth-scheme-case-nonstandard"
    ));
    assert!(!has(
        at("https://api.travis-ci.com/repos", "token"),
        "auth-scheme-case-nonstandard"
    ));
    assert!(has(
        at("https://api.travis-ci.com/repos", "TOKEN"),
        "auth-scheme-case-nonstandard"
    ));
}

#[test]
fn auth_scheme_separator_invalid() {
    let e = |v: &str| {
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", v]]),
            json!({}),
            unauthorized("{}"),
        )
    };
    assert!(
        run(e("Bearer:FAKE0000000000000000"))
            .contains(&("auth-scheme-separator-invalid", Severity::Error))
    );
    assert!(
        run(e("Bearer\tFAKE0000000000000000"))
            .contains(&("auth-scheme-separator-invalid", Severity::Warning))
    );
    assert!(!has(
        e("Bearer FAKE0000000000000000"),
        "auth-scheme-separator-invalid"
    ));
}

#[test]
fn an_okta_access_token_sent_as_ssws() {
    let token = jwt(r#"{"iss":"https://fake.okta.com","scp":["okta.users.read"]}"#);
    let okta = |scheme: &str| {
        exchange(
            "https://fake.okta.com/api/v1/users",
            json!([["Authorization", format!("{scheme} {token}")]]),
            json!({}),
            unauthorized(r#"{"errorCode":"E0000011","errorSummary":"Invalid token provided"}"#),
        )
    };
    let found = run(okta("SSWS"));
    assert!(
        found.iter().any(|(i, _)| *i == "auth-scheme-wrong-for-api"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(i, _)| *i == "token-revoked-or-invalid"),
        "{found:?}"
    );
    assert!(!has(okta("Bearer"), "auth-scheme-wrong-for-api"));
}

#[test]
fn auth_scheme_wrong_for_api() {
    let e = |v: &str| {
        exchange(
            "https://gitlab.com/api/v4/user",
            json!([["Authorization", v]]),
            json!({}),
            unauthorized("{\"message\":\"401 Unauthorized\"}"),
        )
    };
    assert!(has(
        e("Token glpat-FAKE0000000000000000"),
        "auth-scheme-wrong-for-api"
    ));
    assert!(!has(
        e("Bearer glpat-FAKE0000000000000000"),
        "auth-scheme-wrong-for-api"
    ));
    let basic_wanted = Some((
        401,
        json!([["WWW-Authenticate", "Basic realm=\"admin\""]]),
        "",
    ));
    assert!(has(
        exchange(
            "https://intranet.example.org/",
            json!([["Authorization", "Bearer FAKE0000000000000000"]]),
            json!({}),
            basic_wanted
        ),
        "auth-scheme-wrong-for-api"
    ));
}

#[test]
fn basic_credentials_malformed() {
    let e = |v: &str| {
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", v]]),
            json!({}),
            unauthorized("{}"),
        )
    };
    assert!(has(
        e("Basic sk_test_FAKE000000000000000000"),
        "basic-credentials-malformed"
    ));
    assert!(
        has(e("Basic dXNlcg=="), "basic-credentials-malformed"),
        "no colon"
    );
    assert!(!has(e("Basic dXNlcjpwYXNz"), "basic-credentials-malformed"));
}

#[test]
fn credential_sent_multiple_ways() {
    let e = |h: Value| {
        exchange(
            "https://api.example.org/v1",
            h,
            json!({}),
            unauthorized("{}"),
        )
    };
    assert!(has(
        e(json!([
            ["Authorization", "Bearer FAKE-a-000000000000"],
            ["authorization", "Bearer FAKE-b-000000000000"]
        ])),
        "credential-sent-multiple-ways"
    ));
    assert!(has(
        e(json!([[
            "Authorization",
            "Bearer FAKE-a-000000000000, Basic dXNlcjpwYXNz"
        ]])),
        "credential-sent-multiple-ways"
    ));
    // The server says it got two mechanisms (S3 after a redirect to a pre-signed URL).
    let s3 = |body: &str| {
        json!({"env": {}, "request": {"method": "GET", "url": "https://api.example.org/files/a.zip",
            "headers": [["Authorization", "Bearer FAKE-a-000000000000"]]},
          "redirects": [{"status": 302, "from": "https://api.example.org/files/a.zip",
            "location": "https://bucket.s3.amazonaws.com/a.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00"}],
          "response": {"status": 400, "headers": [["content-type", "application/xml"]], "body": body}})
    };
    assert!(has(
        s3(
            "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified</Message></Error>"
        ),
        "credential-sent-multiple-ways"
    ));
    assert!(!has(
        s3("<Error><Code>InvalidArgument</Code><Message>Invalid argument.</Message></Error>"),
        "credential-sent-multiple-ways"
    ));
    let gateway = json!([
        ["Authorization", "Bearer FAKE-a-000000000000"],
        ["Ocp-Apim-Subscription-Key", "FAKEsub0000"]
    ]);
    assert!(
        !has(e(gateway), "credential-sent-multiple-ways"),
        "a gateway key beside Bearer is another layer"
    );
}

// ── D. provider conventions ─────────────────────────────────────────────────────────────

#[test]
fn api_key_sent_as_bearer() {
    let url = "https://contoso-fake.openai.azure.com/openai/deployments/d/chat/completions";
    assert!(has(
        exchange(
            url,
            json!([["Authorization", "Bearer deadbeefdeadbeefdeadbeefdeadbeef"]]),
            json!({}),
            unauthorized("{}")
        ),
        "api-key-sent-as-bearer"
    ));
    let entra = jwt(r#"{"aud":"https://cognitiveservices.azure.com"}"#);
    assert!(
        !has(
            exchange(
                url,
                json!([["Authorization", format!("Bearer {entra}")]]),
                json!({}),
                ok()
            ),
            "api-key-sent-as-bearer"
        ),
        "Entra tokens use Bearer"
    );
    // An API off the provider table that names its key header in the 401's words.
    let unknown = "https://api.example.com/v1/items";
    let bearer = json!([["Authorization", "Bearer FAKEkey0000000000000000"]]);
    let says =
        |body: &'static str| exchange(unknown, bearer.clone(), json!({}), unauthorized(body));
    assert!(has(
        says(r#"{"error":"x-api-key header is required"}"#),
        "api-key-sent-as-bearer"
    ));
    assert!(
        !has(
            says(r#"{"error":"invalid api key"}"#),
            "api-key-sent-as-bearer"
        ),
        "without words naming a key header, nothing says where the API reads keys"
    );
    // Supabase reads its project key from `apikey`; "No API key found" beside a Bearer anon
    // key (a JWT) says the key header is missing (supabase/supabase-py#24).
    let anon = jwt(r#"{"iss":"supabase","role":"anon"}"#);
    let supabase = |body: &'static str| {
        exchange(
            "https://fakeprojectref.supabase.co/rest/v1/rpc/f",
            json!([["Authorization", format!("Bearer {anon}")]]),
            json!({}),
            unauthorized(body),
        )
    };
    assert!(has(
        supabase(r#"{"message":"No API key found in request"}"#),
        "api-key-sent-as-bearer"
    ));
    assert!(
        !has(
            supabase(r#"{"message":"JWT expired"}"#),
            "api-key-sent-as-bearer"
        ),
        "a user JWT as Bearer is right at Supabase"
    );
}

#[test]
fn credential_in_wrong_header() {
    let hf = "https://huggingface.co/api/whoami-v2";
    assert!(has(
        exchange(
            hf,
            json!([["X-API-Key", "hf_FAKEfakeFAKEfakeFAKEfakeFAKEfakeFA"]]),
            json!({}),
            unauthorized("{}")
        ),
        "credential-in-wrong-header"
    ));
    assert!(!has(
        exchange(
            hf,
            json!([[
                "Authorization",
                "Bearer hf_FAKEfakeFAKEfakeFAKEfakeFAKEfakeFA"
            ]]),
            json!({}),
            unauthorized("{}")
        ),
        "credential-in-wrong-header"
    ));
    let gl = "https://gitlab.example.org/api/v4/projects";
    assert!(has(
        exchange(
            gl,
            json!([["X-Api-Token", "glpat-FAKE0000000000000000"]]),
            json!({}),
            unauthorized("{}")
        ),
        "credential-in-wrong-header"
    ));
}

#[test]
fn header_name_underscore() {
    let e = |name: &str| {
        exchange(
            "https://api.example.org/v1",
            json!([[name, "FAKE-key-0000"]]),
            json!({}),
            unauthorized("{}"),
        )
    };
    assert!(has(e("api_key"), "header-name-underscore"));
    assert!(!has(e("api-key"), "header-name-underscore"));
}

#[test]
fn key_provider_mismatch() {
    let e = |url: &str| {
        exchange(
            url,
            json!([["Authorization", "Bearer ${K}"]]),
            json!({"K": OPENAI_KEY}),
            unauthorized("{}"),
        )
    };
    assert!(has(
        e("https://router.huggingface.co/v1/chat/completions"),
        "key-provider-mismatch"
    ));
    assert!(!has(
        e("https://api.openai.com/v1/models"),
        "key-provider-mismatch"
    ));
    assert!(
        !has(
            e("https://llm-proxy.example.org/v1/models"),
            "key-provider-mismatch"
        ),
        "unknown hosts are not judged"
    );
    // A Groq key sent to OpenAI (run-llama/LlamaIndexTS#943).
    let groq = exchange(
        "https://api.openai.com/v1/embeddings",
        json!([[
            "Authorization",
            "Bearer gsk_FAKEgroqFAKE0000FAKEgroqFAKE0000FAKEgroqFAKE0000FAKE"
        ]]),
        json!({}),
        unauthorized("{}"),
    );
    assert!(has(groq, "key-provider-mismatch"));
    // `sk-` alone names OpenAI only at Azure OpenAI, whose keys are hex.
    let sk = |url: &str| {
        exchange(
            url,
            json!([[
                "api-key",
                "sk-FAKEfake0FAKEfake0FAKEfake0FAKEfake0FAKEfake0000"
            ]]),
            json!({}),
            unauthorized("{}"),
        )
    };
    assert!(has(
        sk("https://contoso.openai.azure.com/openai/deployments/d/chat/completions"),
        "key-provider-mismatch"
    ));
    assert!(!has(
        sk("https://api.deepseek.com/chat/completions"),
        "key-provider-mismatch"
    ));
    assert!(!has(
        sk("https://api.groq.com/openai/v1/models"),
        "key-provider-mismatch"
    ));
}

#[test]
fn stripe_key_type_or_mode_mismatch() {
    let e = |k: &str| {
        exchange(
            "https://api.stripe.com/v1/charges",
            json!([["Authorization", format!("Bearer {k}")]]),
            json!({}),
            None,
        )
    };
    assert!(has(
        e("pk_live_FAKE00000000000000000"),
        "stripe-key-type-or-mode-mismatch"
    ));
    assert!(!has(
        e("sk_live_FAKE00000000000000000"),
        "stripe-key-type-or-mode-mismatch"
    ));
}

#[test]
fn anthropic_version_missing() {
    let url = "https://api.anthropic.com/v1/models";
    assert!(has(
        exchange(url, json!([["x-api-key", ANTHROPIC_KEY]]), json!({}), None),
        "anthropic-version-missing"
    ));
    assert!(!has(
        exchange(
            url,
            json!([
                ["x-api-key", ANTHROPIC_KEY],
                ["anthropic-version", "2023-06-01"]
            ]),
            json!({}),
            None
        ),
        "anthropic-version-missing"
    ));
}

#[test]
fn openai_organization_mismatch() {
    let h = json!([
        ["Authorization", format!("Bearer {OPENAI_KEY}")],
        ["OpenAI-Organization", "org-FAKE0000"]
    ]);
    let body = "{\"error\":{\"code\":\"mismatched_organization\"}}";
    assert!(has(
        exchange(
            "https://api.openai.com/v1/models",
            h.clone(),
            json!({}),
            unauthorized(body)
        ),
        "openai-organization-mismatch"
    ));
    assert!(!has(
        exchange("https://api.openai.com/v1/models", h, json!({}), ok()),
        "openai-organization-mismatch"
    ));
}

#[test]
fn token_in_query_string() {
    let e = |url: &str| exchange(url, json!([]), json!({}), None);
    assert!(
        run(e(
            "https://api.github.com/user?access_token=ghp_FAKE00000000000000000000000000000000"
        ))
        .contains(&("token-in-query-string", Severity::Error))
    );
    assert!(
        run(e("https://api.example.org/v1?apikey=FAKE000000"))
            .contains(&("token-in-query-string", Severity::Warning))
    );
    assert!(run(e("https://generativelanguage.googleapis.com/v1beta/models?key=AIzaFAKE000000000000000000000000000000")).contains(&("token-in-query-string", Severity::Info)));
    assert!(!has(
        e("https://api.example.org/v1?page=2"),
        "token-in-query-string"
    ));
}

// ── E. transport ────────────────────────────────────────────────────────────────────────

fn redirected(client: &str, from: &str, to: &str, status: u16) -> Value {
    let base = exchange(
        from,
        json!([["Authorization", "Bearer FAKE0000000000000000"]]),
        json!({}),
        Some((status, json!([["www-authenticate", "Bearer"]]), "{}")),
    );
    let base = with(
        base,
        "redirects",
        json!([{"status": 302, "from": from, "location": to}]),
    );
    with(base, "context", json!({"client": client}))
}

#[test]
fn redirect_auth_stripped_cross_origin() {
    assert!(has(
        redirected(
            "browser-fetch",
            "https://a.example.org/x",
            "https://b.example.org/x",
            401
        ),
        "redirect-auth-stripped-cross-origin"
    ));
    assert!(
        !has(
            redirected(
                "node-fetch",
                "https://example.org/x",
                "https://eu.example.org/x",
                401
            ),
            "redirect-auth-stripped-cross-origin"
        ),
        "node-fetch keeps it for subdomains"
    );
    assert!(!has(
        redirected(
            "curl",
            "https://a.example.org/x",
            "https://a.example.org/y",
            401
        ),
        "redirect-auth-stripped-cross-origin"
    ));
}

#[test]
fn redirect_https_downgrade() {
    assert!(has(
        redirected(
            "curl",
            "https://a.example.org/x",
            "http://a.example.org/x/",
            401
        ),
        "redirect-https-downgrade"
    ));
    assert!(!has(
        redirected(
            "curl",
            "http://a.example.org/x",
            "https://a.example.org/x",
            401
        ),
        "redirect-https-downgrade"
    ));
}

#[test]
fn custom_key_header_leaked_on_redirect() {
    let e = |to: &str| {
        let base = exchange(
            "https://api.example.org/f",
            json!([["api-key", "FAKE-key-000000"]]),
            json!({}),
            ok(),
        );
        with(
            base,
            "redirects",
            json!([{"status": 307, "from": "https://api.example.org/f", "location": to}]),
        )
    };
    assert!(has(
        e("https://cdn.other-example.net/f"),
        "custom-key-header-leaked-on-redirect"
    ));
    assert!(!has(e("/f2"), "custom-key-header-leaked-on-redirect"));
}

#[test]
fn proxy_strips_authorization() {
    let e = |server: &str| {
        let resp = Some((
            401,
            json!([["server", server], ["www-authenticate", "Token"]]),
            "{\"detail\":\"Authentication credentials were not provided.\"}",
        ));
        exchange(
            "https://api.example.org/v1",
            json!([[
                "Authorization",
                "Token deadbeefdeadbeefdeadbeefdeadbeefdeadbeef"
            ]]),
            json!({}),
            resp,
        )
    };
    assert!(has(
        e("Apache/2.4.62 (Debian) mod_wsgi/5.0.0 Python/3.12"),
        "proxy-strips-authorization"
    ));
    assert!(!has(e("gunicorn"), "proxy-strips-authorization"));
}

#[test]
fn proxy_auth_required_407() {
    let resp = Some((407, json!([["proxy-authenticate", "Negotiate"]]), ""));
    let found = run(exchange(
        "https://api.example.org/v1",
        json!([]),
        json!({}),
        resp,
    ));
    assert!(found.iter().any(|(i, _)| *i == "proxy-auth-required-407"));
    // The API never saw the request: "no credential" is not known to be its problem.
    assert!(
        !found.iter().any(|(i, _)| *i == "auth-header-missing"),
        "{found:?}"
    );
    assert!(!has(
        exchange(
            "https://api.example.org/v1",
            json!([]),
            json!({}),
            unauthorized("{}")
        ),
        "proxy-auth-required-407"
    ));
}

#[test]
fn netrc_overrides_authorization() {
    let base = exchange(
        "https://gitlab.example.org/api/v4/user",
        json!([["Authorization", "Bearer glpat-FAKE0000000000000000"]]),
        json!({}),
        unauthorized("{}"),
    );
    let netrc = "machine gitlab.example.org login ci password FAKE\n";
    assert!(has(
        with(
            base.clone(),
            "context",
            json!({"client": "python-requests", "netrc": netrc})
        ),
        "netrc-overrides-authorization"
    ));
    assert!(!has(
        with(
            base,
            "context",
            json!({"client": "reqwest-0.12", "netrc": netrc})
        ),
        "netrc-overrides-authorization"
    ));
    // No Authorization at all (a public client's form post): requests adds one from .netrc.
    let public = |headers: Value| {
        let mut x = exchange(
            "https://gitlab.example.org/oauth/device",
            headers,
            json!({}),
            unauthorized(r#"{"error":"invalid_client"}"#),
        );
        x["context"] = json!({"client": "python-requests", "netrc": "default\n"});
        x
    };
    let found = run(public(json!([])));
    assert!(
        found
            .iter()
            .any(|(i, _)| *i == "netrc-overrides-authorization")
    );
    assert!(!found.iter().any(|(i, _)| *i == "auth-header-missing"));
    assert!(!has(
        public(json!([["X-API-Key", "FAKE-key-000000000000"]])),
        "netrc-overrides-authorization"
    ));
    // A client the vocabulary lacks may read .netrc too: a warning after a refusal, never an
    // error, and nothing for a client known not to read it.
    let other = |client: &str| {
        run(with(
            exchange(
                "https://sso.example.org/admin/realms/master/clients",
                json!([["Authorization", "Bearer FAKEtoken0000000000000000"]]),
                json!({}),
                unauthorized(""),
            ),
            "context",
            json!({"client": client, "netrc": "machine sso.example.org login admin password FAKE"}),
        ))
    };
    assert!(
        other("ansible-open-url").contains(&("netrc-overrides-authorization", Severity::Warning))
    );
    assert!(
        !other("axios")
            .iter()
            .any(|(i, _)| *i == "netrc-overrides-authorization")
    );
}

// ── F. token lifecycle ──────────────────────────────────────────────────────────────────

fn with_jwt(payload: &str, ctx: Value, resp: Option<(u16, Value, &'static str)>) -> Value {
    let e = exchange(
        "https://api.example.org/v1",
        json!([["Authorization", format!("Bearer {}", jwt(payload))]]),
        json!({}),
        resp,
    );
    with(e, "context", ctx)
}

#[test]
fn jwt_expired() {
    let now = json!({"now": "2026-01-10T00:00:00Z"});
    assert!(has(
        with_jwt(r#"{"exp":1767900000}"#, now.clone(), unauthorized("")),
        "jwt-expired"
    ));
    assert!(
        !has(
            with_jwt(r#"{"exp":1768003230}"#, now, unauthorized("")),
            "jwt-expired"
        ),
        "within 60 s leeway"
    );
}

#[test]
fn jwt_not_yet_valid_clock_skew() {
    let now = json!({"now": "2026-01-10T00:00:00Z"});
    assert!(has(
        with_jwt(
            r#"{"nbf":1768003500,"exp":1768010000}"#,
            now.clone(),
            unauthorized("")
        ),
        "jwt-not-yet-valid-clock-skew"
    ));
    assert!(!has(
        with_jwt(
            r#"{"nbf":1768003000,"exp":1768010000}"#,
            now,
            unauthorized("")
        ),
        "jwt-not-yet-valid-clock-skew"
    ));
}

#[test]
fn jwt_audience_or_issuer_mismatch() {
    let ctx =
        json!({"now": "2026-01-10T00:00:00Z", "expected_issuer": "https://login.example.org/"});
    assert!(has(
        with_jwt(
            r#"{"iss":"https://staging-login.example.org/"}"#,
            ctx.clone(),
            unauthorized("")
        ),
        "jwt-audience-or-issuer-mismatch"
    ));
    assert!(
        !has(
            with_jwt(
                r#"{"iss":"https://login.example.org/","aud":"api.example.org"}"#,
                ctx,
                unauthorized("")
            ),
            "jwt-audience-or-issuer-mismatch"
        ),
        "aud is never compared with the host"
    );
}

#[test]
fn token_revoked_or_invalid() {
    let bad = Some((
        401,
        json!([["www-authenticate", "Bearer error=\"invalid_token\""]]),
        "",
    ));
    let e = |h: Value, r| exchange("https://api.example.org/v1", h, json!({}), r);
    assert!(has(
        e(
            json!([["Authorization", "Bearer FAKE0000000000000000"]]),
            bad.clone()
        ),
        "token-revoked-or-invalid"
    ));
    assert!(
        !has(
            e(
                json!([
                    ["Authorization", "bearer FAKE0000000000000000"],
                    ["Authorization", "Bearer x"]
                ]),
                bad
            ),
            "token-revoked-or-invalid"
        ),
        "residual only"
    );
    let query_key = exchange(
        "https://api.example.org/v1?api_key=FAKE-key-0000",
        json!([]),
        json!({}),
        unauthorized("{\"error\":\"invalid api key\"}"),
    );
    let found = run(query_key);
    assert!(found.contains(&("token-in-query-string", Severity::Warning)));
    assert!(
        found
            .iter()
            .any(|(id, _)| *id == "token-revoked-or-invalid"),
        "a leak warning does not explain a refusal"
    );
}

#[test]
fn refresh_token_invalid_grant() {
    let mut e = exchange(
        "https://login.example.org/oauth2/token",
        json!([["content-type", "application/x-www-form-urlencoded"]]),
        json!({}),
        Some((400, json!([]), "{\"error\":\"invalid_grant\"}")),
    );
    e["request"]["method"] = json!("POST");
    e["request"]["body"] = json!("grant_type=refresh_token&refresh_token=FAKE-rt-0000");
    assert!(has(e.clone(), "refresh-token-invalid-grant"));
    e["response"]["body"] = json!("{\"access_token\":\"FAKE\"}");
    e["response"]["status"] = json!(200);
    assert!(!has(e, "refresh-token-invalid-grant"));
}

// ── G. server side and response reading ─────────────────────────────────────────────────

#[test]
fn server_expected_key_unset() {
    let e = |server_env: Value| {
        let base = exchange(
            "http://127.0.0.1:9000/predict",
            json!([["X-API-Key", "FAKE-key-0000"]]),
            json!({}),
            unauthorized("{\"detail\":\"Forbidden\"}"),
        );
        with(
            base,
            "context",
            json!({"server_env": server_env, "server_key_vars": ["SERVICE_KEY"]}),
        )
    };
    assert!(has(
        e(json!({"SERVICE_KEY": ""})),
        "server-expected-key-unset"
    ));
    assert!(!has(
        e(json!({"SERVICE_KEY": "FAKE-key-0000"})),
        "server-expected-key-unset"
    ));
}

#[test]
fn auth_failure_non_401_status_from_a_dead_token_or_a_bearer_body() {
    // An empty 403 after a JWT the clock shows expired is that token's refusal.
    let token = jwt(r#"{"sub":"u","iat":1600000000,"exp":1600003600}"#);
    let expired = |status: u16, body: &'static str| {
        let mut x = exchange(
            "https://api.example.org/v1",
            json!([["Authorization", format!("Bearer {token}")]]),
            json!({}),
            Some((status, json!([]), body)),
        );
        x["context"] = json!({"now": "2020-09-14T00:00:00Z"});
        x
    };
    assert!(has(expired(403, ""), "auth-failure-non-401-status"));
    assert!(!has(
        expired(403, r#"{"error":"insufficient_scope"}"#),
        "auth-failure-non-401-status"
    ));
    // Spring: 400 with a bare Bearer challenge and the OAuth error in the JSON body.
    let spring = |body: &'static str| {
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", "Bearer FAKE-opaque-0000-0000-0000"]]),
            json!({}),
            Some((
                400,
                json!([["www-authenticate", "Bearer realm=\"oauth2-resource\""]]),
                body,
            )),
        )
    };
    assert!(has(
        spring(
            r#"{"error":"invalid_request","error_description":"Retrieving information to 'accessToken' failed."}"#
        ),
        "auth-failure-non-401-status"
    ));
    assert!(!has(
        spring(r#"{"error":"invalid_request","error_description":"Missing field 'name'."}"#),
        "auth-failure-non-401-status"
    ));
    // "Authentication Error" alone (koa-jwt's word for any failure) does not prove the
    // credential invalid.
    let koa = exchange(
        "https://api.example.org/v1",
        json!([["Authorization", "Bearer FAKE-opaque-0000-0000-0000"]]),
        json!({}),
        Some((401, json!([]), "Authentication Error")),
    );
    assert!(!has(koa, "token-revoked-or-invalid"));
}

#[test]
fn auth_failure_non_401_status() {
    let e = |status: u16, body: &'static str| {
        exchange(
            "https://api.example.org/v1",
            json!([["X-API-Key", "FAKE-key-0000"]]),
            json!({}),
            Some((status, json!([]), body)),
        )
    };
    assert!(has(
        e(400, "{\"error\":\"Invalid API key\"}"),
        "auth-failure-non-401-status"
    ));
    assert!(
        !has(
            e(503, "{\"error\":\"Invalid API key\"}"),
            "auth-failure-non-401-status"
        ),
        "never for 5xx"
    );
    assert!(!has(
        e(400, "{\"error\":\"missing field 'name'\"}"),
        "auth-failure-non-401-status"
    ));
}

#[test]
fn forbidden_authorization_not_authentication() {
    let e = |body: &'static str| {
        exchange(
            "https://api.example.org/v1",
            json!([["Authorization", "Bearer FAKE0000000000000000"]]),
            json!({}),
            Some((403, json!([]), body)),
        )
    };
    let found = run(e("{\"error\":\"insufficient_scope\"}"));
    assert!(found.contains(&("forbidden-authorization-not-authentication", Severity::Info)));
    assert!(!found.iter().any(|(_, s)| *s == Severity::Error));
    // The server's own words explain the 403: no "nothing specific found" beside them.
    assert!(
        !found.iter().any(|(id, _)| *id == "no-specific-cause"),
        "{found:?}"
    );
    assert!(!has(
        e("{\"detail\":\"Not authenticated\"}"),
        "forbidden-authorization-not-authentication"
    ));
    // "Can only be accessed over HTTPS": a transport problem (an HTTP proxy without CONNECT),
    // so "the credential itself is fine, grant the permission" would mislead.
    let plain = exchange(
        "https://api.openai.com/v1/completions",
        json!([["Authorization", format!("Bearer {OPENAI_KEY}")]]),
        json!({}),
        Some((
            403,
            json!([]),
            r#"{"error":{"message":"The OpenAI API can only be accessed over HTTPS."}}"#,
        )),
    );
    assert!(!has(plain, "forbidden-authorization-not-authentication"));
}

/// The underline of a key in the URL lands on the key as typed, even when the URL has
/// leading blanks or does not parse as a URL yet.
#[test]
fn a_query_key_is_anchored_on_its_bytes_as_typed() {
    use authlens::draft::{Draft, Place};
    use authlens::rules::Anchor;
    for url in [
        "  https://api.example.test/v1?api_key=EXAMPLE-FAKE-0000&q=1",
        "api.example.test/v1?api_key=EXAMPLE-FAKE-0000",
    ] {
        let d = Draft::new("GET", url);
        let found = rules::lint(&d, &Default::default(), &rules::Context::default());
        let f = found
            .iter()
            .find(|f| f.id == "token-in-query-string")
            .unwrap_or_else(|| {
                panic!(
                    "{url}: {:?}",
                    found.iter().map(|f| f.id).collect::<Vec<_>>()
                )
            });
        let Anchor::Draft {
            place: Place::Url,
            bytes: Some(bytes),
        } = f.anchor.clone()
        else {
            panic!("{:?}", f.anchor)
        };
        assert_eq!(&url[bytes], "EXAMPLE-FAKE-0000", "{url}");
    }
}

/// A key in the URL's userinfo is a credential — sent as `Basic` — not "no credential at all";
/// to a Bearer API that is the wrong scheme, and with a Basic challenge it is no finding.
#[test]
fn url_userinfo_is_a_basic_credential() {
    let bearer_401 = Some((
        401,
        json!([["WWW-Authenticate", "Bearer realm=\"api\""]]),
        "{\"error\":\"missing token\"}",
    ));
    let url = "https://user:FAKE-userinfo-key-0000000000@svc.example.org/v1/items";
    let found = run(exchange(url, json!([]), json!({}), bearer_401));
    let ids: Vec<&str> = found.iter().map(|(i, _)| *i).collect();
    assert!(ids.contains(&"auth-scheme-wrong-for-api"), "{ids:?}");
    assert!(!ids.contains(&"auth-header-missing"), "{ids:?}");
    let basic_401 = Some((
        401,
        json!([["WWW-Authenticate", "Basic realm=\"api\""]]),
        "",
    ));
    let found = run(exchange(url, json!([]), json!({}), basic_401));
    assert!(
        !found.iter().any(|(i, _)| *i == "auth-scheme-wrong-for-api"),
        "{found:?}"
    );
}

// ── the server's words, the residual and the causes added with them ──────────────────────

/// The findings with their confidence and the server's words, as the JSON shows them.
fn run_json(v: Value) -> Vec<Value> {
    let file: ExchangeFile = serde_json::from_value(v).expect("test exchange parses");
    rules::diagnose_file(&file)
        .iter()
        .map(|f| serde_json::to_value(f).unwrap())
        .collect()
}

#[test]
fn rotate_your_key_only_on_the_servers_word() {
    let h = json!([["Authorization", "Bearer FAKEopaqueToken000000000000"]]);
    let said = run_json(exchange(
        "https://svc.example.org/x",
        h.clone(),
        json!({}),
        unauthorized(r#"{"error":"invalid_token","message":"Invalid token"}"#),
    ));
    let revoked = said
        .iter()
        .find(|f| f["id"] == "token-revoked-or-invalid")
        .unwrap();
    assert_eq!(revoked["confidence"], "server-said");
    assert!(
        revoked["server_words"]
            .as_str()
            .unwrap()
            .contains("invalid")
    );
    let bare = run(exchange(
        "https://svc.example.org/x",
        h,
        json!({}),
        unauthorized(""),
    ));
    assert!(!bare.iter().any(|(i, _)| *i == "token-revoked-or-invalid"));
    assert!(bare.contains(&("no-specific-cause", Severity::Info)));
}

#[test]
fn no_specific_cause_says_what_was_checked_and_quotes_the_server() {
    let found = run_json(exchange(
        "https://api.openai.com/v1/models",
        json!([["Authorization", format!("Bearer {OPENAI_KEY}")]]),
        json!({}),
        unauthorized(
            r#"{"error":{"message":"You must be a member of an organization to use the API.","code":"no_organization"}}"#,
        ),
    ));
    let f = found
        .iter()
        .find(|f| f["id"] == "no-specific-cause")
        .unwrap();
    let text = f["explanation"].as_str().unwrap();
    assert!(text.contains("Checked and ruled out"), "{text}");
    assert!(text.contains("organization"), "{text}");
    assert!(found.iter().all(|f| f["severity"] != "error"));
}

#[test]
fn a_value_that_is_no_key_of_the_provider_is_not_revoked() {
    let found = run(exchange(
        "https://api.openai.com/v1/models",
        json!([["Authorization", "Bearer https://proxy.example.net/v1/FAKE"]]),
        json!({}),
        unauthorized(
            r#"{"error":{"message":"Incorrect API key provided: https://****FAKE.","code":"invalid_api_key"}}"#,
        ),
    ));
    assert!(!found.iter().any(|(i, _)| *i == "token-revoked-or-invalid"));
    // A URL in the key's place is the catalogue's placeholder case (continuedev/continue#10250).
    assert!(found.contains(&("credential-placeholder-value", Severity::Error)));
}

#[test]
fn credential_is_variable_name() {
    let body = r#"{"error":{"message":"Incorrect API key provided"}}"#;
    for v in [
        "Bearer OPENAI_API_KEY",
        "Bearer process.env.OPENAI_API_KEY",
        "Bearer $OPENAI_API_KEY",
    ] {
        let x = exchange(
            "https://api.openai.com/v1/models",
            json!([["Authorization", v]]),
            json!({}),
            unauthorized(body),
        );
        assert!(has(x, "credential-is-variable-name"), "{v}");
    }
    let ok = exchange(
        "https://api.openai.com/v1/models",
        json!([["Authorization", format!("Bearer {OPENAI_KEY}")]]),
        json!({}),
        unauthorized(body),
    );
    assert!(!has(ok, "credential-is-variable-name"));
}

#[test]
fn credential_mangled_by_shell() {
    let mangled = with(
        exchange(
            "https://svc.example.org/x",
            json!([["X-Api-Key", "FAKE0000ab"]]),
            json!({}),
            unauthorized("{}"),
        ),
        "context",
        json!({"client": "curl", "client_args": ["-H", "X-Api-Key: FAKE0000ab$cdFAKE", "https://svc.example.org/x"]}),
    );
    assert!(has(mangled, "credential-mangled-by-shell"));
    let same = with(
        exchange(
            "https://svc.example.org/x",
            json!([["X-Api-Key", "FAKE0000ab$cdFAKE"]]),
            json!({}),
            unauthorized("{}"),
        ),
        "context",
        json!({"client": "curl", "client_args": ["-H", "X-Api-Key: FAKE0000ab$cdFAKE"]}),
    );
    assert!(!has(same, "credential-mangled-by-shell"));
    // curl's attached form `-uuser:pass`: `$ecret` expanded to nothing, `$$` to the PID.
    use base64::Engine;
    let sent = base64::engine::general_purpose::STANDARD.encode("fakeuser:12345word");
    let attached = |arg: &str| {
        with(
            exchange(
                "https://osm.example.org/api/0.6/changeset/create",
                json!([["Authorization", format!("Basic {sent}")]]),
                json!({}),
                unauthorized(""),
            ),
            "context",
            json!({"client": "curl", "client_args": [arg, "https://osm.example.org/api/0.6/changeset/create"]}),
        )
    };
    assert!(has(
        attached("-ufakeuser:$ecretpa$$word"),
        "credential-mangled-by-shell"
    ));
    assert!(!has(
        attached("-ufakeuser:12345word"),
        "credential-mangled-by-shell"
    ));
}

#[test]
fn token_type_wrong_for_api() {
    // Words of the message table: Atlassian's password notice, Twilio's test credentials
    // (a 403 whose "the credential itself is fine" would be wrong).
    let atlassian = exchange(
        "https://fake.atlassian.net/rest/api/2/myself",
        json!([[
            "Authorization",
            "Basic ZmFrZUBleGFtcGxlLm9yZzpGQUtFcGFzc3dvcmQ="
        ]]),
        json!({}),
        Some((
            401,
            json!([]),
            "Basic authentication with passwords is deprecated.",
        )),
    );
    assert!(has(atlassian, "token-type-wrong-for-api"));
    let twilio = run(exchange(
        "https://fax.twilio.com/v1/Faxes",
        json!([["Authorization", "Basic QUNGQUtFMDAwMDpGQUtFdG9rZW4wMDAw"]]),
        json!({}),
        Some((
            403,
            json!([]),
            r#"{"message":"Resource not accessible with Test Account Credentials","status":403}"#,
        )),
    ));
    assert!(
        twilio.iter().any(|(i, _)| *i == "token-type-wrong-for-api"),
        "{twilio:?}"
    );
    assert!(
        !twilio
            .iter()
            .any(|(i, _)| *i == "forbidden-authorization-not-authentication"),
        "{twilio:?}"
    );
    let body = r#"{"error":{"message":"Invalid API Key provided: pm_1E****0000"}}"#;
    let pm = exchange(
        "https://api.stripe.com/v1/charges",
        json!([["Authorization", "Bearer pm_1EXAMPLE0000000000000000"]]),
        json!({}),
        unauthorized(body),
    );
    assert!(has(pm.clone(), "token-type-wrong-for-api"));
    assert!(!has(pm, "token-revoked-or-invalid"));
    let sk = exchange(
        "https://api.stripe.com/v1/charges",
        json!([["Authorization", "Bearer sk_test_FAKE0000000000000000"]]),
        json!({}),
        unauthorized(body),
    );
    assert!(!has(sk, "token-type-wrong-for-api"));
    // Basic auth carries the key as the user part: decode before the prefix check.
    let basic = |b64: &str| {
        exchange(
            "https://api.stripe.com/v1/customers/cus_FAKE",
            json!([["Authorization", format!("Basic {b64}")]]),
            json!({}),
            unauthorized(body),
        )
    };
    assert!(has(
        basic("dG9rXzFGQUtFMDAwMDAwMDAwMDAwRkFLRTo="),
        "token-type-wrong-for-api"
    ));
    assert!(!has(
        basic("c2tfdGVzdF9GQUtFMDAwMDAwMDAwMDAwMDAwMDo="),
        "token-type-wrong-for-api"
    ));
}

#[test]
fn key_restricted_by_policy() {
    let blocked = Some((
        403,
        json!([]),
        r#"{"error":{"status":"PERMISSION_DENIED","details":[{"reason":"API_KEY_SERVICE_BLOCKED"}]}}"#,
    ));
    let x = exchange(
        "https://generativelanguage.googleapis.com/v1/models",
        json!([["x-goog-api-key", "AIzaFAKEfakeFAKEfakeFAKEfakeFAKEfake000"]]),
        json!({}),
        blocked,
    );
    let found = run(x);
    assert!(found.contains(&("key-restricted-by-policy", Severity::Error)));
    assert!(
        !found
            .iter()
            .any(|(i, _)| *i == "forbidden-authorization-not-authentication")
    );
    let ok = exchange(
        "https://generativelanguage.googleapis.com/v1/models",
        json!([["x-goog-api-key", "AIzaFAKEfakeFAKEfakeFAKEfakeFAKEfake000"]]),
        json!({}),
        ok(),
    );
    assert!(!has(ok, "key-restricted-by-policy"));
    // Older wordings: API v3's `ipRefererBlocked`, an allowed-domains list refusing the Referer.
    for body in [
        r#"{"error":{"errors":[{"reason":"ipRefererBlocked","message":"The request did not specify any referer."}],"code":403}}"#,
        "The referer in the request header is not allowed. Please check the associated domain(s) for this API key",
    ] {
        let x = exchange(
            "https://api.example.org/v1/quote?token=FAKEfake0000000000",
            json!([]),
            json!({}),
            Some((403, json!([]), body)),
        );
        assert!(has(x, "key-restricted-by-policy"), "{body}");
    }
}

#[test]
fn scheme_prefix_in_key_header() {
    // Beside an Authorization header (which the API ignores), so the key header is the one read.
    let e = |name: &str, value: &str, status: Option<(u16, Value, &'static str)>| {
        exchange(
            "https://shop.example.org/admin/api/graphql.json",
            json!([["Authorization", value], [name, value]]),
            json!({}),
            status,
        )
    };
    let bad = e(
        "X-Shop-Access-Token",
        "Bearer shpat_FAKE0000000000000000",
        unauthorized(r#"{"errors":"Invalid API key or access token"}"#),
    );
    let found = run(bad);
    assert!(found.contains(&("scheme-prefix-in-key-header", Severity::Warning)));
    assert!(!found.iter().any(|(i, _)| *i == "token-revoked-or-invalid"));
    assert!(!has(
        e(
            "X-Shop-Access-Token",
            "shpat_FAKE0000000000000000",
            unauthorized("{}")
        ),
        "scheme-prefix-in-key-header"
    ));
    assert!(!has(
        e(
            "X-Authorization",
            "Bearer FAKE0000000000000000",
            unauthorized("{}")
        ),
        "scheme-prefix-in-key-header"
    ));
    assert!(!has(
        e("X-API-Key", "Bearer FAKE0000000000000000", ok()),
        "scheme-prefix-in-key-header"
    ));
}

#[test]
fn a_session_cookie_is_a_credential_and_its_encoding_is_its_own() {
    let spa = |cookie: &str| {
        exchange(
            "http://spa.example.test:8080/api/user",
            json!([
                ["X-XSRF-TOKEN", "eyJpdiI6IkZBS0UifQ%3D%3D"],
                ["Cookie", cookie]
            ]),
            json!({}),
            unauthorized(r#"{"message":"Unauthenticated."}"#),
        )
    };
    let found = run(spa(
        "XSRF-TOKEN=eyJpdiI6IkZBS0UifQ%3D%3D; app_session=eyJpdiI6IkZBS0UyIn0%3D",
    ));
    assert!(
        !found.iter().any(|(i, _)| *i == "auth-header-missing"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(i, _)| *i == "credential-encoding-mismatch"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(i, _)| *i == "token-revoked-or-invalid"),
        "{found:?}"
    );
    // Only a CSRF cookie: nothing that authenticates was sent.
    assert!(has(
        spa("XSRF-TOKEN=eyJpdiI6IkZBS0UifQ%3D%3D"),
        "auth-header-missing"
    ));
}

#[test]
fn basic_challenge_and_no_credential_seen_after_another_scheme_is_the_scheme() {
    let drf = |body: &'static str| {
        exchange(
            "http://localhost:8000/api/entries/",
            json!([[
                "Authorization",
                "Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"
            ]]),
            json!({}),
            Some((
                401,
                json!([["www-authenticate", "Basic realm=\"api\""]]),
                body,
            )),
        )
    };
    assert!(has(
        drf(r#"{"detail":"Authentication credentials were not provided."}"#),
        "auth-scheme-wrong-for-api"
    ));
    // A bad credential under a default Basic challenge proves nothing about the scheme.
    assert!(!has(
        drf(r#"{"detail":"Invalid token."}"#),
        "auth-scheme-wrong-for-api"
    ));
}

#[test]
fn audience_words_contradicted_by_the_token_prove_nothing() {
    let token = jwt(
        r#"{"iss":"https://idp.example.org/","aud":["https://api.example.org/v1/","https://idp.example.org/userinfo"],"iat":1600000000,"exp":1600003600}"#,
    );
    let x = |body: &'static str| {
        exchange(
            "https://api.example.org/v1/events",
            json!([["Authorization", format!("Bearer {token}")]]),
            json!({}),
            unauthorized(body),
        )
    };
    // The audience the server says it expects is in the token: the verifier is at fault.
    assert!(!has(
        x(r#"{"message":"jwt audience invalid. expected: https://api.example.org/v1/"}"#),
        "jwt-audience-or-issuer-mismatch"
    ));
    assert!(has(
        x(r#"{"message":"jwt audience invalid. expected: https://other.example.org/"}"#),
        "jwt-audience-or-issuer-mismatch"
    ));
}

#[test]
fn gitlab_terraform_registry_reads_only_bearer() {
    let x = |path: &str, headers: Value| {
        exchange(
            &format!("https://gitlab.com{path}"),
            headers,
            json!({}),
            unauthorized(r#"{"message":"401 Unauthorized"}"#),
        )
    };
    let registry = "/api/v4/packages/terraform/modules/v1/grp/mod/aws";
    let found = run(x(
        registry,
        json!([["PRIVATE-TOKEN", "glpat-FAKE00000000000000"]]),
    ));
    assert!(
        found
            .iter()
            .any(|(i, _)| *i == "credential-in-wrong-header")
    );
    assert!(!found.iter().any(|(i, _)| *i == "token-revoked-or-invalid"));
    assert!(!has(
        x(
            registry,
            json!([["Authorization", "Bearer glpat-FAKE00000000000000"]])
        ),
        "credential-in-wrong-header"
    ));
    assert!(!has(
        x(
            "/api/v4/user",
            json!([["PRIVATE-TOKEN", "glpat-FAKE00000000000000"]])
        ),
        "credential-in-wrong-header"
    ));
}

#[test]
fn a_token_parsed_as_sigv4_is_the_wrong_type() {
    let token = jwt(r#"{"sub":"u","token_use":"id","iat":1600000000,"exp":1600003600}"#);
    let x = |body: &'static str| {
        exchange(
            "https://abc0fake.execute-api.eu-west-1.amazonaws.com/prod/items",
            json!([["Authorization", token.clone()]]),
            json!({}),
            Some((
                403,
                json!([["x-amzn-errortype", "IncompleteSignatureException"]]),
                body,
            )),
        )
    };
    let found = run(x(
        r#"{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter."}"#,
    ));
    for id in ["token-type-wrong-for-api", "auth-failure-non-401-status"] {
        assert!(found.iter().any(|(i, _)| *i == id), "{id}: {found:?}");
    }
    assert!(!found.iter().any(|(i, _)| *i == "bearer-scheme-missing"));
    assert!(!has(
        x(r#"{"message":"Forbidden"}"#),
        "token-type-wrong-for-api"
    ));
}

#[test]
fn client_assertion_in_a_form_body_is_a_credential() {
    use base64::Engine;
    let p = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"iss":"svc","sub":"svc","nbf":1638266402,"iat":1638266402,"exp":1638266462}"#);
    let x = json!({"env": {}, "request": {"method": "POST",
        "url": "https://sso.example.org/realms/r/protocol/openid-connect/token",
        "headers": [["content-type", "application/x-www-form-urlencoded"]],
        "body": format!("grant_type=client_credentials&client_id=svc&client_assertion={JWT_HEADER}.{p}.RkFLRQ")},
      "response": {"status": 401, "headers": [["date", "Tue, 30 Nov 2021 10:00:00 GMT"]],
        "body": "{\"error\":\"unauthorized_client\",\"error_description\":\"Client authentication with signed JWT failed: Token is not active\"}"},
      "context": {"now": "2021-11-30T10:00:02Z", "jwt_leeway_seconds": 0}});
    let found = run(x);
    assert!(
        found
            .iter()
            .any(|(i, _)| *i == "jwt-not-yet-valid-clock-skew")
    );
    assert!(!found.iter().any(|(i, _)| *i == "auth-header-missing"));
}

#[test]
fn cors_preflight_unauthenticated() {
    let mut x = exchange(
        "https://api.example.org/me",
        json!([
            ["Origin", "https://app.example.org"],
            ["Access-Control-Request-Method", "GET"]
        ]),
        json!({}),
        unauthorized(""),
    );
    x["request"]["method"] = json!("OPTIONS");
    let found = run(x.clone());
    assert!(
        found
            .iter()
            .any(|(i, _)| *i == "cors-preflight-unauthenticated")
    );
    assert!(!found.iter().any(|(i, _)| *i == "auth-header-missing"));
    x["request"]["method"] = json!("GET");
    assert!(!has(x, "cors-preflight-unauthenticated"));
}

#[test]
fn request_clock_skew_from_words_and_from_the_date() {
    let h = json!([
        [
            "Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLEEXAMPLE00/20240101/us-east-1/s3/aws4_request, Signature=00"
        ],
        ["x-amz-date", "20240101T130000Z"]
    ]);
    let words = Some((
        403,
        json!([]),
        "<Error><Code>RequestTimeTooSkewed</Code></Error>",
    ));
    assert!(has(
        exchange("https://s3.amazonaws.com/b/k", h.clone(), json!({}), words),
        "request-clock-skew"
    ));
    let dated = Some((
        403,
        json!([["date", "Mon, 01 Jan 2024 12:00:00 GMT"]]),
        "<Error><Code>AccessDenied</Code></Error>",
    ));
    assert!(has(
        exchange("https://s3.amazonaws.com/b/k", h.clone(), json!({}), dated),
        "request-clock-skew"
    ));
    let in_time = Some((
        403,
        json!([["date", "Mon, 01 Jan 2024 13:00:05 GMT"]]),
        "<Error><Code>AccessDenied</Code></Error>",
    ));
    assert!(!has(
        exchange("https://s3.amazonaws.com/b/k", h, json!({}), in_time),
        "request-clock-skew"
    ));
}

#[test]
fn a_stated_leeway_replaces_sixty_seconds() {
    let token = jwt(r#"{"sub":"u","exp":1700000000}"#);
    let x = |leeway: Option<i64>| {
        let mut ctx = json!({"now": "2023-11-14T22:13:40Z"});
        if let Some(l) = leeway {
            ctx["jwt_leeway_seconds"] = json!(l);
        }
        with(
            exchange(
                "https://svc.example.org/x",
                json!([["Authorization", format!("Bearer {token}")]]),
                json!({}),
                unauthorized(""),
            ),
            "context",
            ctx,
        )
    };
    // now = exp + 20 s: inside the default 60 s, outside a stated 0 s.
    assert!(!has(x(None), "jwt-expired"));
    assert!(has(x(Some(0)), "jwt-expired"));
}

#[test]
fn loaders_none_and_node_dotenv() {
    let base = exchange(
        "https://svc.example.org/x",
        json!([["Authorization", "Bearer ${TOKEN}"]]),
        json!({}),
        None,
    );
    let none = with(
        with(base.clone(), "dotenv", json!("TOKEN=FAKEtoken0000000000\n")),
        "context",
        json!({"loader": "none"}),
    );
    assert!(has(none, "env-var-missing"));
    // node dotenv: `#` ends an unquoted value even without a space, and `$` is not expanded.
    let node = with(
        with(base, "dotenv", json!("TOKEN=FAKEtok$en00#tail\n")),
        "context",
        json!({"loader": "node-dotenv"}),
    );
    assert!(!has(node.clone(), "env-var-missing"));
    assert!(!has(node, "dotenv-variable-expansion"));
}

/// Recognitions grounded in the fourth blind round, each beside the nearest case it must not
/// touch.
#[test]
fn self_hosted_and_smaller_api_shapes() {
    // Apache in front of PHP: the app says no token came although one was sent.
    let apache = |powered: &str| {
        exchange(
            "http://app.example.org/api/post",
            json!([["Authorization", "Bearer FAKEtoken0000000000000000"]]),
            json!({}),
            Some((
                401,
                json!([["Server", "Apache/2.4"], ["X-Powered-By", powered]]),
                r#"{"error":"missing token"}"#,
            )),
        )
    };
    let found = run(apache("PHP/8.2"));
    assert!(
        found
            .iter()
            .any(|(i, _)| *i == "proxy-strips-authorization"),
        "{found:?}"
    );
    assert!(!has(apache("Express"), "proxy-strips-authorization"));
    // "The signature key was not found" is no revoked token.
    let kid = |description: &str| {
        exchange(
            "https://api.example.org/todo",
            json!([[
                "Authorization",
                format!(
                    "Bearer {}",
                    jwt(r#"{"iss":"https://login.example.org/t1"}"#)
                )
            ]]),
            json!({}),
            Some((
                401,
                json!([[
                    "WWW-Authenticate",
                    format!("Bearer error=\"invalid_token\", error_description=\"{description}\"")
                ]]),
                "",
            )),
        )
    };
    assert!(!has(
        kid("The signature key was not found"),
        "token-revoked-or-invalid"
    ));
    assert!(has(kid("The token is revoked"), "token-revoked-or-invalid"));
    // A CSRF token's complaint is not an authentication failure.
    let csrf = |body: &'static str| {
        exchange(
            "http://localhost:8080/v1/account",
            json!([["Authorization", "Basic ZmFrZTpGQUtFcGFzcw=="]]),
            json!({}),
            Some((403, json!([]), body)),
        )
    };
    assert!(!has(
        csrf("Invalid CSRF Token 'null' was found"),
        "auth-failure-non-401-status"
    ));
    assert!(has(csrf("Invalid API key"), "auth-failure-non-401-status"));
    // Artifactory API keys belong in X-JFrog-Art-Api; access tokens stay Bearer.
    let art = |value: &str| {
        exchange(
            "https://artifactory.example.org/artifactory/api/storage/libs",
            json!([["Authorization", format!("Bearer {value}")]]),
            json!({}),
            unauthorized(r#"{"errors":[{"status":401,"message":"Bad credentials"}]}"#),
        )
    };
    assert!(has(
        art("AKCpFAKEfakeFAKEfake0000FAKEfakeFAKEfake0000"),
        "api-key-sent-as-bearer"
    ));
    assert!(!has(
        art(&jwt(r#"{"sub":"jfrt@fake"}"#)),
        "api-key-sent-as-bearer"
    ));
    // X app-only bearer tokens carry %2B as issued.
    let x_token = format!(
        "{}FAKE0000000000%2BFAKEfakeFAKE0%3DFAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKEfakeFAKE0000",
        "A".repeat(21)
    );
    let x = exchange(
        "https://api.twitter.com/2/tweets",
        json!([["Authorization", format!("Bearer {x_token}")]]),
        json!({}),
        Some((403, json!([]), "{}")),
    );
    assert!(!has(x, "credential-encoding-mismatch"));
}

/// A session JWT in a cookie is judged for time like one in a header.
#[test]
fn a_session_jwt_in_a_cookie_is_checked_for_time() {
    let cookie = |nbf: i64| {
        with(
            exchange(
                "http://localhost:3000/",
                json!([[
                    "Cookie",
                    format!(
                        "__client_uat=1; __session={}",
                        jwt(&format!(r#"{{"nbf":{nbf},"exp":{}}}"#, nbf + 60))
                    )
                ]]),
                json!({}),
                None,
            ),
            "context",
            json!({"now": "2023-09-28T06:35:04Z"}),
        )
    };
    // 06:35:04Z is 1695882904; the default leeway is 60 s.
    assert!(has(cookie(1_695_883_100), "jwt-not-yet-valid-clock-skew"));
    assert!(!has(cookie(1_695_882_900), "jwt-not-yet-valid-clock-skew"));
}

/// A key header sent empty beside a `.env` that defines its variable, which the process
/// environment lacks: the variable was never loaded (what `watch` sees of the seed notebook).
#[test]
fn an_empty_key_header_beside_an_unloaded_dotenv() {
    let seed = |env: Value| {
        with(
            exchange(
                "http://127.0.0.1:8000/api/v1/extract",
                json!([["X-Api-Key", ""]]),
                env,
                unauthorized(r#"{"detail":"Missing API key."}"#),
            ),
            "dotenv",
            json!("API_KEY=FAKE-key-0000\nREGION=eu\n"),
        )
    };
    let found = run(seed(json!({})));
    assert!(
        found.contains(&("env-var-missing", Severity::Error)),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(i, _)| *i == "auth-header-missing"),
        "{found:?}"
    );
    // The program had the variable: the empty header is something else.
    assert!(!has(
        seed(json!({"API_KEY": "FAKE-key-0000"})),
        "env-var-missing"
    ));
}

/// The fifth and sixth blind rounds' recognitions, each beside the nearest case it must not
/// touch.
#[test]
fn smaller_api_conventions() {
    let e = |url: &str, headers: Value, env: Value, status: u16, body: &'static str| {
        exchange(
            url,
            headers,
            env,
            Some((status, json!([["content-type", "application/json"]]), body)),
        )
    };
    // Linear's own keys go bare; its OAuth tokens as Bearer.
    let linear = |v: &str| {
        e(
            "https://api.linear.app/graphql",
            json!([["Authorization", v]]),
            json!({}),
            401,
            "",
        )
    };
    assert!(has(
        linear("Bearer lin_api_FAKE0000000000000000000000000000000000000000"),
        "auth-scheme-wrong-for-api"
    ));
    assert!(!has(
        linear("lin_api_FAKE0000000000000000000000000000000000000000"),
        "auth-scheme-wrong-for-api"
    ));
    // A header whose name asks for another set variable than the one sent.
    let postmark = |var: &str| {
        e(
            "https://api.postmarkapp.com/webhooks",
            json!([["X-Postmark-Server-Token", format!("${{{var}}}")]]),
            json!({"POSTMARK_ACCOUNT_TOKEN": "FAKE-account-0000", "POSTMARK_SERVER_TOKEN": "FAKE-server-0000"}),
            401,
            r#"{"ErrorCode":10,"Message":"Request does not contain a valid Server token."}"#,
        )
    };
    assert!(has(
        postmark("POSTMARK_ACCOUNT_TOKEN"),
        "token-type-wrong-for-api"
    ));
    assert!(!has(
        postmark("POSTMARK_SERVER_TOKEN"),
        "token-type-wrong-for-api"
    ));
    // The job token outside JOB-TOKEN.
    let job = |name: &str| {
        e(
            "https://gitlab.example.org/api/v4/projects/1/merge_requests/2/discussions",
            json!([[name, "${CI_JOB_TOKEN}"]]),
            json!({"CI_JOB_TOKEN": "FAKEjobTOKEN0000"}),
            401,
            r#"{"message":"401 Unauthorized"}"#,
        )
    };
    assert!(has(job("PRIVATE-TOKEN"), "token-type-wrong-for-api"));
    assert!(!has(job("JOB-TOKEN"), "token-type-wrong-for-api"));
    // Cloudflare: X-Auth-Key takes the 37-hex global key only.
    let cf = |key: &str| {
        e(
            "https://api.cloudflare.com/client/v4/zones",
            json!([["X-Auth-Email", "someone@example.org"], ["X-Auth-Key", key]]),
            json!({}),
            400,
            r#"{"errors":[{"code":6103,"message":"Invalid format for X-Auth-Key header"}]}"#,
        )
    };
    assert!(has(
        cf("FAKE_cf-token0123456789FAKE_abcdef0000"),
        "credential-in-wrong-header"
    ));
    assert!(!has(cf(&"f".repeat(37)), "credential-in-wrong-header"));
    // DeepL names the endpoint the key belongs to; a bare "Wrong endpoint" is not enough.
    let deepl = |body: &'static str| {
        e(
            "https://api.deepl.com/v2/translate",
            json!([[
                "Authorization",
                "DeepL-Auth-Key 00000000-FAKE-0000-0000-000000000000:fx"
            ]]),
            json!({}),
            403,
            body,
        )
    };
    assert!(has(
        deepl(r#"{"message":"Wrong endpoint. Use https://api-free.deepl.com"}"#),
        "key-provider-mismatch"
    ));
    assert!(!has(
        deepl(r#"{"message":"Wrong endpoint"}"#),
        "key-provider-mismatch"
    ));
    // The same key as Bearer and in Google's key header; Supabase wants both.
    let key = "AIzaFAKEfakeFAKEfakeFAKEfakeFAKEfake000";
    let google = e(
        "https://generativelanguage.googleapis.com/v1beta/models",
        json!([
            ["x-goog-api-key", key],
            ["Authorization", format!("Bearer {key}")]
        ]),
        json!({}),
        401,
        r#"{"error":{"message":"Expected OAuth 2 access token, login cookie or other valid authentication credential."}}"#,
    );
    assert!(has(google, "credential-sent-multiple-ways"));
    let anon = jwt(r#"{"role":"anon"}"#);
    let supabase = e(
        "https://fakeref.supabase.co/rest/v1/items",
        json!([
            ["apikey", anon.clone()],
            ["Authorization", format!("Bearer {anon}")]
        ]),
        json!({}),
        401,
        r#"{"message":"JWT expired"}"#,
    );
    assert!(!has(supabase, "credential-sent-multiple-ways"));
    // A stray scheme word in a key-named header.
    let qdrant = e(
        "https://fake.cloud.qdrant.io:6333/collections",
        json!([["api-key", "Bearer FAKEqdrantKEY0000000000"]]),
        json!({}),
        401,
        "Invalid API key or JWT",
    );
    assert!(has(qdrant.clone(), "scheme-prefix-in-key-header"));
    assert!(!has(qdrant, "credential-in-wrong-header"));
}

/// Authorization dropped on a same-origin redirect, proven by the server's words after it.
#[test]
fn a_redirect_the_client_should_have_kept_authorization_on() {
    let chain = |body: &'static str| {
        with(
            exchange(
                "https://api.example.org/v1/router?x=1",
                json!([["Authorization", "Bearer FAKEtoken0000000000000000"]]),
                json!({}),
                unauthorized(body),
            ),
            "redirects",
            json!([{"status": 307, "from": "https://api.example.org/v1/router?x=1", "location": "https://api.example.org/v1/router/?x=1"}]),
        )
    };
    assert!(has(
        chain(r#"{"Description":"Authorization header was not present or 'Bearer' was missing."}"#),
        "redirect-auth-stripped-cross-origin"
    ));
    assert!(!has(
        chain(r#"{"error":"invalid_token"}"#),
        "redirect-auth-stripped-cross-origin"
    ));
}

/// The seventh and eighth rounds: failures reported in a 200, a server version that decides
/// the scheme, and two credentials in an Anthropic-format request.
#[test]
fn failures_in_a_200_and_version_and_dual_credentials() {
    // Subsonic's failed envelope; its `?u=&p=` credentials are not "none".
    let subsonic = |code: u64| {
        exchange(
            "http://music.example.org/rest/ping.view?u=fake&p=FAKEpass0000&v=1.16.1&c=t&f=json",
            json!([]),
            json!({}),
            Some((200, json!([]), Box::leak(format!(r#"{{"subsonic-response":{{"status":"failed","error":{{"code":{code},"message":"Wrong username or password"}}}}}}"#).into_boxed_str()))),
        )
    };
    let found = run(subsonic(40));
    assert!(
        found
            .iter()
            .any(|(i, _)| *i == "auth-failure-non-401-status"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(i, _)| *i == "auth-header-missing"),
        "{found:?}"
    );
    assert!(
        !has(subsonic(70), "auth-failure-non-401-status"),
        "70 is 'not found'"
    );
    // Google Maps' REQUEST_DENIED in a 200.
    let maps = |status: &'static str| {
        exchange(
            "https://maps.googleapis.com/maps/api/geocode/json?address=x&key=AIzaFAKEfakeFAKEfakeFAKEfakeFAKEfake000",
            json!([]),
            json!({}),
            Some((200, json!([]), Box::leak(format!(r#"{{"error_message":"API keys with referer restrictions cannot be used with this API.","results":[],"status":"{status}"}}"#).into_boxed_str()))),
        )
    };
    assert!(has(maps("REQUEST_DENIED"), "key-restricted-by-policy"));
    assert!(!has(maps("OK"), "key-restricted-by-policy"));
    // SonarQube before 10.0 takes a token as Basic only.
    let sonar = |server: &str| {
        with(
            exchange(
                "https://sonar.example.org/api/ce/task?id=1",
                json!([[
                    "Authorization",
                    "Bearer squ_FAKE0000000000000000000000000000000000"
                ]]),
                json!({}),
                Some((401, json!([]), "")),
            ),
            "context",
            json!({ "server": server }),
        )
    };
    assert!(has(sonar("sonarqube-9.6"), "auth-scheme-wrong-for-api"));
    assert!(!has(sonar("sonarqube-10.2"), "auth-scheme-wrong-for-api"));
    // x-api-key beside a different Bearer in an Anthropic-format request.
    let dual = |bearer: &str| {
        exchange(
            "https://llm.example.org/anthropic/v1/messages",
            json!([
                ["x-api-key", "sk-FAKEkeyFAKEkey0000"],
                ["Authorization", format!("Bearer {bearer}")],
                ["anthropic-version", "2023-06-01"]
            ]),
            json!({}),
            unauthorized("Invalid API Key"),
        )
    };
    assert!(has(
        dual("sk-FAKEotherFAKE0000"),
        "credential-sent-multiple-ways"
    ));
    assert!(!has(
        dual("sk-FAKEkeyFAKEkey0000"),
        "credential-sent-multiple-ways"
    ));
}
