//! Cost of the rules engine: `lint` runs on every keystroke in the TUI, `diagnose` when a
//! response lands. Target: under 100 µs each on a typical request.

use authlens::draft::Draft;
use authlens::rules::{self, Context, Observed, ObservedResponse, Redirect};
use authlens::vars::{DotenvReport, Vars};
use criterion::{Criterion, black_box, criterion_group, criterion_main};

const KEY: &str = "sk-proj-FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfake0000FAKEfakeFAKEfa";

fn typical() -> (Draft, Vars, Context) {
    let draft = Draft::new("POST", "https://api.openai.com/v1/chat/completions")
        .header("Authorization", "Bearer ${OPENAI_API_KEY}")
        .header("content-type", "application/json")
        .header("user-agent", "authlens/0.1");
    let env = [
        ("OPENAI_API_KEY".to_string(), KEY.to_string()),
        ("HOME".to_string(), "/home/dev".to_string()),
        ("PATH".to_string(), "/usr/bin:/bin".to_string()),
    ];
    let vars = Vars::build(&[], env, DotenvReport::default());
    let ctx = Context {
        now: Some(1_772_366_400),
        ..Context::default()
    };
    (draft, vars, ctx)
}

fn observed() -> Observed {
    let body = r#"{"error":{"message":"Incorrect API key provided: sk-proj-****FAKE. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#;
    Observed {
        redirects: vec![Redirect {
            status: 307,
            from: "https://api.openai.com/v1/chat/completions".into(),
            location: "/v1/chat/completions/".into(),
            next_carried: None,
        }],
        response: Some(ObservedResponse {
            status: 401,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                (
                    "www-authenticate".into(),
                    r#"Bearer realm="OpenAI", error="invalid_token""#.into(),
                ),
                ("date".into(), "Sun, 01 Mar 2026 12:00:00 GMT".into()),
            ],
            body: body.into(),
        }),
        tls_unverified: false,
        cookies: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let (draft, vars, ctx) = typical();
    let obs = observed();
    c.bench_function("lint typical draft", |b| {
        b.iter(|| rules::lint(black_box(&draft), black_box(&vars), black_box(&ctx)))
    });
    c.bench_function("diagnose typical exchange", |b| {
        b.iter(|| {
            rules::diagnose(
                black_box(&draft),
                black_box(&vars),
                black_box(&obs),
                black_box(&ctx),
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
