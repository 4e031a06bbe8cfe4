//! Property tests: whatever bytes arrive — header values, challenges, JWT-ish strings, .env
//! texts — the engine returns findings and never panics.

use authlens::draft::Draft;
use authlens::formats::ExchangeFile;
use authlens::rules::{
    self, Context, CookieHop, Loader, Observed, ObservedResponse, Redirect, jwt, loaders,
    www_authenticate,
};
use authlens::vars::{DotenvReport, Vars};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn vars(pairs: &[(String, String)]) -> Vars {
    Vars::build(&[], pairs.iter().cloned(), DotenvReport::default())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<Vec<u8>>().prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "[ -~\\t\\r\\n\u{a0}\u{200b}\u{feff}“”$#'\"=:,]{0,80}",
        "(Bearer|Basic|Token|bearer)[ \t:]{0,3}[A-Za-z0-9+/=._~%-]{0,60}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn header_values_never_panic(name in any_text(), value in any_text(), url in any_text(), var in any_text()) {
        let draft = Draft::new("GET", &url)
            .header(&name, &value)
            .header("Authorization", &format!("{value} ${{V}}"));
        let v = vars(&[("V".to_string(), var)]);
        let _ = rules::lint(&draft, &v, &Context::default());
    }

    #[test]
    fn responses_and_challenges_never_panic(challenge in any_text(), body in any_text(), status in 100u16..600, location in any_text()) {
        let draft = Draft::new("GET", "https://api.example.org/v1").header("Authorization", "Bearer FAKE0000000000000000");
        let observed = Observed {
            redirects: vec![Redirect { status: 302, from: "https://api.example.org/v1".into(), location, next_carried: None }],
            response: Some(ObservedResponse {
                status,
                headers: vec![("WWW-Authenticate".into(), challenge.clone()), ("Date".into(), challenge.clone())],
                body,
            }),
            tls_unverified: false,
            cookies: vec![CookieHop {
                url: "https://api.example.org/v1".into(),
                status,
                sent: Some(Vec::new()),
                set_cookie: vec![challenge.clone()],
                ..CookieHop::default()
            }],
        };
        let _ = www_authenticate::parse(&challenge);
        let _ = rules::diagnose(&draft, &vars(&[]), &observed, &Context::default());
    }

    #[test]
    fn jwt_like_strings_never_panic(a in any_text(), b in any_text(), c in "[A-Za-z0-9_-]{0,40}") {
        let token = format!("eyJ{a}.{b}.{c}");
        let _ = jwt::decode(&token);
        let draft = Draft::new("GET", "https://api.example.org/v1").header("Authorization", &format!("Bearer {token}"));
        let ctx = Context { now: Some(1_767_000_000), ..Context::default() };
        let _ = rules::lint(&draft, &vars(&[]), &ctx);
    }

    /// A whole exchange file of odd values — the `diagnose` path from a file — never panics.
    #[test]
    fn exchange_files_never_panic(
        url in any_text(), header in any_text(), env_value in any_text(), dotenv in any_text(),
        status in 0u16..1000, challenge in any_text(), body in any_text(),
        loader in "(dotenvy-0.15|python-dotenv-1.2.2|none|docker-env-file|shell-source|[a-z-]{0,12})",
        client in "(curl|python-requests|browser-fetch|reqwest-0.13.4|[a-z-]{0,12})",
    ) {
        let file = serde_json::json!({
            "env": { "API_KEY": env_value },
            "dotenv": dotenv,
            "request": { "method": "GET", "url": url, "headers": [["Authorization", header]] },
            "response": { "status": status, "headers": [["WWW-Authenticate", challenge]], "body": body },
            "context": { "loader": loader, "client": client },
        });
        let file: ExchangeFile = serde_json::from_value(file).unwrap();
        let _ = rules::diagnose_file(&file);
    }

    #[test]
    fn dotenv_texts_never_panic(text in any_text()) {
        let env = BTreeMap::new();
        for loader in [Loader::Dotenvy, Loader::DotenvyOverride, Loader::PythonDotenv, Loader::DockerEnvFile, Loader::ShellSource] {
            let _ = loaders::load("/p/.env", &text, loader, &env, true);
        }
    }

    /// The dotenvy port agrees with the real crate wherever no substitution is involved.
    #[test]
    fn dotenvy_port_matches_dotenvy(text in "[A-Z_]{1,4}=[ -~&&[^$]]{0,12}( #[a-z ]{0,5})?(\n[A-Z_]{1,4}=[a-z'\" ]{0,8}){0,3}\n?") {
        let ours = loaders::load("/p/.env", &text, Loader::Dotenvy, &BTreeMap::new(), true);
        let mut theirs = Vec::new();
        let mut failed = false;
        for item in dotenvy::from_read_iter(text.as_bytes()) {
            match item {
                Ok(kv) => theirs.push(kv),
                Err(_) => { failed = true; break; }
            }
        }
        let got: Vec<(String, String)> = ours.entries.iter().map(|e| (e.key.clone(), e.value.clone())).collect();
        prop_assert_eq!(got, theirs);
        prop_assert_eq!(ours.stopped, failed);
    }
}
