//! Property tests: whatever text a user pastes or a file holds, the readers return a value or
//! an error and never panic.

use super::exchange_json::{ExchangeFile, from_untidy};
use super::{curl, har};
use proptest::prelude::*;
use serde_json::{Value, json};

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(curl|-H|-X|-d|--data-raw|-F|-u|--json|\\$'|'|\"|\\\\|\\r|\\n| |\\^|[a-z:/=@;])*",
    ]
}

/// JSON values of any shape, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|n| json!(n)),
        any_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("log".to_string()),
                    Just("entries".to_string()),
                    Just("request".to_string()),
                    Just("response".to_string()),
                    Just("headers".to_string()),
                    Just("status".to_string()),
                    Just("url".to_string()),
                    Just("method".to_string()),
                    Just("redirectURL".to_string()),
                    Just("context".to_string()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn pasted_curl_commands_never_panic(text in any_text()) {
        let _ = curl::parse(&text);
        let _ = curl::parse(&format!("curl {text}"));
        let _ = curl::split(&text);
        let _ = curl::form_part(&text);
    }

    #[test]
    fn any_json_as_har_or_exchange_never_panics(v in any_json()) {
        let _ = har::exchanges(&json!({ "log": { "entries": [v.clone()] } }));
        if har::is_har(&v) {
            let _ = har::exchanges(&v);
        }
        let _ = serde_json::from_value::<ExchangeFile>(v.clone());
        let _ = from_untidy(v);
    }

    #[test]
    fn any_bytes_as_exchange_json_never_panic(bytes in any::<Vec<u8>>()) {
        let _ = serde_json::from_slice::<ExchangeFile>(&bytes);
        let _ = serde_json::from_slice::<Value>(&bytes).map(from_untidy);
    }
}
