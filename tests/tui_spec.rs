//! The API's spec in the TUI, through `update` alone: `--spec` loaded once the loop runs, a
//! failure said in one line, discovery offered after a 401 and only then, and every diagnosis
//! redone with the document.

mod tui_common;

use authlens::draft::Draft;
use authlens::send::document::{Discovery, Tried};
use authlens::spec::{self, Spec};
use authlens::tui::app::{App, Entry, Outcome, Tab};
use authlens::tui::keymap::{self, Ctx};
use authlens::tui::msg::{Effect, Msg};
use authlens::tui::spec::rediagnose;
use tui_common::*;

const FIXTURE: &str = "tests/fixtures/openapi/fastapi-seed.json";
const UPLOAD: &str = "http://127.0.0.1:43210/api/v1/vote-extraction/extract";

fn seed(source: &str) -> Spec {
    let text = std::fs::read_to_string(FIXTURE).unwrap();
    spec::parse(&text, source, None).unwrap()
}

/// The samples, with a draft of the seed notebook's upload selected.
fn upload_app() -> App {
    let mut app = app();
    let draft = Draft::new("POST", UPLOAD).header("Authorization", "Bearer EXAMPLE-FAKE-0000");
    app.entries.push(Entry::yours("upload".into(), draft));
    let last = app.entries.len() - 1;
    authlens::tui::update::select(&mut app, last);
    update(&mut app, Msg::Tick);
    app
}

/// `--spec F`: the effect that reads it, once the loop has started.
fn started_load(app: &mut App, source: &str) -> u64 {
    authlens::tui::spec::want(app, source.into());
    match &update(app, Msg::Started)[..] {
        [Effect::LoadSpec { id, source: s }] if s == source => *id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_spec_given_on_the_command_line_is_read_once_the_loop_runs_and_the_rules_see_it() {
    let mut app = upload_app();
    let id = started_load(&mut app, FIXTURE);
    assert!(update(&mut app, Msg::Started).is_empty(), "asked once");
    assert!(screen(&app, 160, 48).contains(&format!("spec reading {FIXTURE}…")));
    let before = app.derivations().findings;
    let result = Ok(Box::new(seed(FIXTURE)));
    update(&mut app, Msg::SpecLoaded { id, result });
    assert_eq!(app.own_rules_context().spec.unwrap().source, FIXTURE);
    assert_eq!(
        app.rules_context().spec,
        app.spec.loaded.as_deref().cloned().map(Into::into)
    );
    assert!(app.derivations().findings > before, "the lint is redone");
    let (_, status) = app.status.clone().unwrap();
    assert!(
        status.contains("spec loaded: tests/fixtures/openapi/fastapi-seed.json (Vote Extraction API, 3 operations)"),
        "{status}"
    );
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("spec POST /api/v1/vote-extraction/extract wants the"),
        "{s}"
    );
    assert!(s.contains("`X-API-Key` header (APIKeyHeader)"), "{s}");
}

#[test]
fn the_vars_tab_says_which_spec_and_what_it_wants_of_this_request() {
    let mut app = upload_app();
    let id = started_load(&mut app, FIXTURE);
    let result = Ok(Box::new(seed(FIXTURE)));
    update(&mut app, Msg::SpecLoaded { id, result });
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    let s = screen(&app, 160, 48);
    assert!(s.contains("the API's spec (OpenAPI)"), "{s}");
    assert!(s.contains(&format!("✓ {FIXTURE}")), "{s}");
    assert!(
        s.contains("Vote Extraction API · version 3.1.0 · 3 operations"),
        "{s}"
    );
    assert!(
        s.contains("this request: POST /api/v1/vote-extraction/extract wants"),
        "{s}"
    );
}

#[test]
fn a_spec_that_does_not_parse_is_one_line_naming_the_file_and_where_and_the_draft_stays() {
    let mut app = upload_app();
    let draft = app.draft().cloned();
    let id = started_load(&mut app, "broken.json");
    let err = spec::parse(
        "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}",
        "broken.json",
        None,
    )
    .unwrap_err();
    update(
        &mut app,
        Msg::SpecLoaded {
            id,
            result: Err(err),
        },
    );
    let (_, status) = app.status.clone().unwrap();
    assert!(
        status.starts_with("spec not loaded: broken.json: "),
        "{status}"
    );
    assert!(status.contains("line 3"), "{status}");
    assert!(!status.contains('\n'));
    assert!(app.spec.loaded.is_none() && app.spec.job.is_none());
    assert_eq!(app.draft().cloned(), draft);
}

#[test]
fn a_spec_url_with_a_key_in_its_query_is_shown_masked() {
    let mut app = upload_app();
    let url = "https://api.example.test/openapi.json?api_key=EXAMPLE-FAKE-KEY-123456789";
    let id = started_load(&mut app, url);
    let s = screen(&app, 160, 48);
    assert!(!s.contains("EXAMPLE-FAKE-KEY-123456789"), "{s}");
    assert!(
        s.contains("reading the spec https://api.example.test/openapi.json?api_key=EXAMP…6789"),
        "{s}"
    );
    let err = spec::SpecError::new(url, format!("the server answered 404 at {url}"));
    update(
        &mut app,
        Msg::SpecLoaded {
            id,
            result: Err(err),
        },
    );
    let (_, status) = app.status.clone().unwrap();
    assert!(!status.contains("EXAMPLE-FAKE-KEY-123456789"), "{status}");
    let id = started_load(&mut app, url);
    update(
        &mut app,
        Msg::SpecLoaded {
            id,
            result: Ok(Box::new(seed(url))),
        },
    );
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    let s = screen(&app, 160, 48) + &app.status.clone().unwrap().1;
    assert!(!s.contains("EXAMPLE-FAKE-KEY-123456789"), "{s}");
}

fn offered(app: &App) -> bool {
    keymap::contexts(app).contains(&Ctx::SpecOffer)
}

#[test]
fn discovery_is_offered_only_after_an_authentication_failure_with_no_spec() {
    let mut app = app();
    assert!(!offered(&app));
    assert!(
        update(&mut app, ch('D')).is_empty(),
        "no request failed yet"
    );
    deliver(&mut app, strict_401("sk-authlens-EXAMPLE-0000"));
    assert!(offered(&app));
    let footer = keymap::footer(&keymap::contexts(&app));
    assert!(
        footer
            .iter()
            .any(|(k, h)| k == "D" && h.starts_with("find the API's spec"))
    );
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("spec none loaded · D looks for the API's OpenAPI document on"),
        "{s}"
    );
    assert!(
        s.contains(" D  find the API's spec"),
        "the footer offers it:\n{s}"
    );
    let help = authlens::tui::ui::overlay::help_lines();
    let help: String = help.iter().map(|l| l.to_string() + "\n").collect();
    assert!(
        help.contains("After a 401, with no API spec loaded"),
        "{help}"
    );

    let effects = update(&mut app, ch('D'));
    assert_eq!(
        effects,
        vec![Effect::DiscoverSpec {
            id: match &effects[0] {
                Effect::DiscoverSpec { id, .. } => *id,
                _ => 0,
            },
            origin: "http://127.0.0.1:43210".into()
        }]
    );
    assert!(!offered(&app), "not twice while it runs");
    assert!(update(&mut app, ch('D')).is_empty());
}

fn discover_id(effects: &[Effect]) -> u64 {
    match effects {
        [Effect::DiscoverSpec { id, .. }] => *id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_spec_found_is_loaded_and_the_last_exchange_is_diagnosed_again_with_it() {
    let mut app = app();
    deliver(&mut app, strict_401("sk-authlens-EXAMPLE-0000"));
    let old = app
        .entry()
        .unwrap()
        .outcome
        .as_ref()
        .unwrap()
        .shared()
        .unwrap()
        .clone();
    assert!(old.spec.is_none());
    let id = discover_id(&update(&mut app, ch('D')));
    let url = "http://127.0.0.1:43210/v3/api-docs";
    let tried = ["/openapi.json", "/openapi.yaml", "/swagger.json"].map(|p| Tried {
        url: format!("http://127.0.0.1:43210{p}"),
        outcome: "the server answered 401 Unauthorized, not a document".into(),
    });
    let discovery = Box::new(Discovery {
        found: Some((url.into(), seed(url))),
        tried: tried.to_vec(),
    });
    let effects = update(&mut app, Msg::SpecDiscovered { id, discovery });
    let (_, status) = app.status.clone().unwrap();
    assert!(status.contains(&format!("spec found at {url}")), "{status}");
    assert!(
        status.contains(&format!("next time: --spec {url}")),
        "{status}"
    );
    let [Effect::Rediagnose(jobs)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        jobs.len(),
        1,
        "the send and its history entry share one exchange"
    );
    let done: Vec<rediagnose::Done> = jobs.iter().cloned().map(|j| j.run()).collect();
    update(&mut app, Msg::Rediagnosed(done));
    for e in app.entries.iter().filter(|e| e.outcome.is_some()) {
        let l = e.outcome.as_ref().unwrap().shared().unwrap();
        assert_eq!(l.spec.as_ref().unwrap().source, url, "{}", e.name);
        assert_eq!(l.exchange, old.exchange, "the exchange itself is kept");
    }
    assert!(!offered(&app), "a spec is loaded");
    app.editor.tab_index = Tab::ALL.iter().position(|t| *t == Tab::Vars).unwrap();
    let s = screen(&app, 160, 48);
    assert!(
        s.contains("looked on http://127.0.0.1:43210 (GETs without"),
        "{s}"
    );
    assert!(
        s.contains("✗ http://127.0.0.1:43210/swagger.json  the server answered"),
        "{s}"
    );
    assert!(s.contains(&format!("✓ {url}  found · next time:")), "{s}");
}

#[test]
fn nothing_found_says_so_and_the_offer_for_that_origin_ends() {
    let mut app = app();
    deliver(&mut app, strict_401("sk-authlens-EXAMPLE-0000"));
    let id = discover_id(&update(&mut app, ch('D')));
    let tried = spec::DISCOVERY_PATHS.map(|p| Tried {
        url: format!("http://127.0.0.1:43210{p}"),
        outcome: "the server answered 404 Not Found, not a document".into(),
    });
    let discovery = Box::new(Discovery {
        found: None,
        tried: tried.to_vec(),
    });
    assert!(update(&mut app, Msg::SpecDiscovered { id, discovery }).is_empty());
    let (_, status) = app.status.clone().unwrap();
    assert!(
        status.contains("no spec found on http://127.0.0.1:43210: 5 paths tried"),
        "{status}"
    );
    assert!(app.spec.loaded.is_none());
    assert!(!offered(&app));
}

#[test]
fn an_answer_for_another_job_is_ignored() {
    let mut app = upload_app();
    let id = started_load(&mut app, FIXTURE);
    update(
        &mut app,
        Msg::SpecLoaded {
            id: id + 7,
            result: Ok(Box::new(seed(FIXTURE))),
        },
    );
    assert!(app.spec.loaded.is_none());
}

#[test]
fn a_send_in_flight_while_the_spec_loads_is_diagnosed_again_when_it_lands() {
    let mut app = app();
    let effects = update(&mut app, ctrl('s'));
    let [
        Effect::Send {
            id,
            draft,
            vars,
            rules,
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert!(rules.spec.is_none());
    let load = started_load(&mut app, FIXTURE);
    update(
        &mut app,
        Msg::SpecLoaded {
            id: load,
            result: Ok(Box::new(seed(FIXTURE))),
        },
    );
    let result = authlens::tui::runtime::load_result(
        Ok(strict_401("sk-authlens-EXAMPLE-0000")),
        draft,
        vars,
        rules,
    );
    let mut effects = update(&mut app, Msg::SendDone { id: *id, result });
    // The send is kept in the history too (`Effect::History`); not this test's business.
    effects.retain(|e| !matches!(e, Effect::History(_)));
    assert!(
        matches!(&effects[..], [Effect::Rediagnose(j)] if j.len() == 1),
        "{effects:?}"
    );
    assert!(matches!(
        app.entry().unwrap().outcome,
        Some(Outcome::Done(_))
    ));
    // A send made with the spec loaded needs nothing redone.
    let effects = update(&mut app, ctrl('s'));
    let [Effect::Send { rules, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(rules.spec.as_ref().unwrap().source, FIXTURE);
}
