//! The sample requests `authlens` opens with: each practice route, broken and fixed.
//!
//! Samples refer to `${BASE}` (the practice server's origin, known only once it is bound) and
//! keep their fake keys in request variables, so the lesson is visible in the editor: the
//! header says `Bearer ${OPENAI_API_KEY}`, the Vars tab says where that value came from.

use super::app::{Entry, EntryKind};
use crate::draft::{AuthHelper, Body, Draft, Part, PartValue};
use crate::practice::{self, keys};

/// Variables every sample gets once the practice server is up.
pub const BASE: &str = "BASE";
pub const PAGE: &str = "PAGE";

fn lesson(path: &str) -> String {
    practice::routes()
        .iter()
        .find(|r| r.path == path)
        .map_or_else(String::new, |r| r.lesson.to_string())
}

fn var(d: &mut Draft, name: &str, value: &str) {
    d.vars.push((name.to_string(), value.to_string()));
}

fn sample(id: &str, name: &str, path: &str, draft: Draft) -> Entry {
    Entry {
        name: name.to_string(),
        lesson: Some(lesson(path)),
        kind: EntryKind::Sample,
        sample_id: Some(id.to_string()),
        draft,
        outcome: None,
    }
}

fn get(path: &str) -> Draft {
    let mut d = Draft::new("GET", &format!("${{{BASE}}}{path}"));
    var(&mut d, BASE, "");
    d
}

fn bearer(path: &str, var_name: &str, scheme: &str, value: &str) -> Draft {
    let mut d = get(path).header("Authorization", &format!("{scheme} ${{{var_name}}}"));
    var(&mut d, var_name, value);
    d
}

fn upload(path: &str) -> Draft {
    let mut d = get(path);
    d.method = "POST".into();
    var(&mut d, PAGE, "");
    d.body = Body::Multipart {
        parts: vec![Part {
            name: "files".into(),
            value: PartValue::File {
                path: format!("${{{PAGE}}}"),
                filename: Some("page1.jpg".into()),
                content_type: Some("image/jpeg".into()),
            },
        }],
    };
    d
}

/// Every sample, broken before fixed, in the order of the lessons. One line per sample so
/// the list reads as a table: id, name, the route whose lesson it shows, the draft.
#[rustfmt::skip]
pub fn samples() -> Vec<Entry> {
    let (strict, extract, key) = ("/strict/v1/models", "/api/v1/vote-extraction/extract", "OPENAI_API_KEY");
    vec![
        sample("strict-lower", "✗ bearer (lower case)", strict, bearer(strict, key, "bearer", keys::BEARER_TOKEN)),
        sample("strict-fixed", "✓ Bearer (exact)", strict, bearer(strict, key, "Bearer", keys::BEARER_TOKEN)),
        sample("extract-missing", "✗ upload without X-API-Key", extract, upload(extract)),
        sample("extract-wrong-slot", "✗ API key sent as Bearer", extract, upload_with(extract, "Authorization", "Bearer ${API_KEY}")),
        sample("extract-fixed", "✓ upload with X-API-Key", extract, upload_with(extract, "X-API-Key", "${API_KEY}")),
        sample("redirect-cross", "✗ Bearer via cross-origin redirect", "/redirect/models", bearer("/redirect/models", key, "Bearer", keys::BEARER_TOKEN)),
        sample("redirect-direct", "✓ Bearer to the final URL", "/v1/models", bearer("/v1/models", key, "Bearer", keys::BEARER_TOKEN)),
        sample("jwt-expired", "✗ expired JWT", "/jwt/profile", bearer("/jwt/profile", "JWT", "Bearer", &practice::expired_jwt())),
        sample("jwt-valid", "✓ fresh JWT", "/jwt/profile", bearer("/jwt/profile", "JWT", "Bearer", &practice::valid_jwt())),
        sample("scope-403", "✗ 403: token lacks admin scope", "/admin/users", bearer("/admin/users", "TOKEN", "Bearer", keys::BEARER_TOKEN)),
        sample("scope-admin", "✓ admin token", "/admin/users", bearer("/admin/users", "TOKEN", "Bearer", keys::ADMIN_TOKEN)),
        sample("basic-helper", "✓ Basic via auth helper", "/basic/profile", basic_helper()),
        sample("cookie-me", "✗ no session cookie", "/cookie/me", get("/cookie/me")),
        sample("cookie-login", "✓ log in: sets cookie", "/cookie/login", cookie_login()),
        sample("echo", "echo: see your bytes", "/echo", get("/echo/hello")),
    ]
}

/// The upload with one header carrying `${API_KEY}`, and the key as a request variable.
fn upload_with(path: &str, name: &str, value: &str) -> Draft {
    let mut d = upload(path).header(name, value);
    var(&mut d, "API_KEY", keys::API_KEY);
    d
}

/// Basic credentials written by the auth helper, the password from a request variable.
fn basic_helper() -> Draft {
    let mut d = get("/basic/profile");
    d.auth = AuthHelper::Basic {
        user: keys::BASIC_USER.into(),
        password: "${BASIC_PASSWORD}".into(),
    };
    var(&mut d, "BASIC_PASSWORD", keys::BASIC_PASSWORD);
    d
}

/// The cookie lesson's login: Basic by the helper, answered by a 303 that sets the cookie.
fn cookie_login() -> Draft {
    let mut d = basic_helper();
    d.method = "POST".into();
    d.url = format!("${{{BASE}}}/cookie/login");
    d
}

/// Fills `${BASE}` and `${PAGE}` in every sample once the server is bound.
/// Fills `BASE` and `PAGE` in the samples, and in your own requests where they were left
/// empty: a copy of a sample is saved with them emptied (see `session::to_json`), since the
/// port and the file belong to one run of the practice server.
pub fn set_practice_vars(entries: &mut [Entry], base: &str, page: &str) {
    for e in entries.iter_mut() {
        let all = match e.kind {
            EntryKind::Sample => true,
            EntryKind::Yours => false,
            _ => continue,
        };
        for (name, value) in &mut e.draft.vars {
            if !all && !value.is_empty() {
                continue;
            }
            match name.as_str() {
                BASE => *value = base.to_string(),
                PAGE => *value = page.to_string(),
                _ => {}
            }
        }
    }
}

/// `BASE`/`PAGE` as this run's practice server set them: what a saved session must not keep.
pub fn is_this_runs_practice_var(name: &str, value: &str, base: &str, page: &str) -> bool {
    (name == BASE && value == base) || (name == PAGE && value == page)
}

/// The sample `id` as it shipped, keeping the practice variables (`BASE`, `PAGE`) of `now`,
/// which belong to this run of the server rather than to the sample.
pub fn pristine(id: &str, now: &Draft) -> Option<Draft> {
    let mut d = samples()
        .into_iter()
        .find(|e| e.sample_id.as_deref() == Some(id))?
        .draft;
    for (name, value) in &mut d.vars {
        if (name == BASE || name == PAGE)
            && let Some((_, v)) = now.vars.iter().find(|(n, _)| n == name)
        {
            *value = v.clone();
        }
    }
    Some(d)
}

/// Whether a sample's draft is no longer the one it shipped with: its ✓/✗ and its lesson were
/// written about that one, so the list and the editor stop claiming them (`ui::list`,
/// `ui::editor`). Anything else is never "edited": it has no shipped form.
pub fn is_edited(e: &Entry) -> bool {
    let Some(id) = e
        .sample_id
        .as_deref()
        .filter(|_| e.kind == EntryKind::Sample)
    else {
        return false;
    };
    shipped()
        .iter()
        .find(|(i, _)| i == id)
        .is_some_and(|(_, d)| differs(d, &e.draft))
}

/// Every sample's draft as built once, for `is_edited`: drawn on every frame, it must not mint
/// tokens or build the samples again each time.
fn shipped() -> &'static [(String, Draft)] {
    static SHIPPED: std::sync::OnceLock<Vec<(String, Draft)>> = std::sync::OnceLock::new();
    SHIPPED.get_or_init(|| {
        samples()
            .into_iter()
            .filter_map(|e| Some((e.sample_id?, e.draft)))
            .collect()
    })
}

/// `now` differs from the sample as `shipped` in what the user changed: not in this run's
/// practice variables (`BASE`, `PAGE`), not in a token minted at another second, not in the
/// order of the variables (a restored session puts the credentials it left out back last).
pub fn differs(shipped: &Draft, now: &Draft) -> bool {
    let mut was = shipped.clone();
    for (name, value) in &mut was.vars {
        let Some((_, v)) = now.vars.iter().find(|(n, _)| n == name) else {
            continue;
        };
        if name == BASE || name == PAGE || practice::same_but_minted_later(value, v) {
            *value = v.clone();
        }
    }
    let mut now = now.clone();
    was.vars.sort();
    now.vars.sort();
    was != now
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_names_a_practice_route_with_a_lesson() {
        for s in samples() {
            assert!(!s.lesson.as_deref().unwrap_or("").is_empty(), "{}", s.name);
            assert!(s.draft.url.starts_with("${BASE}/"), "{}", s.name);
        }
    }

    #[test]
    fn a_sample_is_edited_by_a_change_not_by_its_practice_vars_or_a_new_mint() {
        let mut all = samples();
        set_practice_vars(&mut all, "http://127.0.0.1:1", "/tmp/p.jpg");
        assert!(all.iter().all(|e| !is_edited(e)));
        let jwt = all
            .iter_mut()
            .find(|e| e.sample_id.as_deref() == Some("jwt-valid"))
            .unwrap();
        let fresh = pristine("jwt-valid", &jwt.draft).unwrap();
        assert!(!differs(&fresh, &jwt.draft), "a token minted later");
        jwt.draft.vars.retain(|(n, _)| n != "JWT");
        jwt.draft
            .vars
            .push(("JWT".into(), "eyJ-my-own-token".into()));
        assert!(is_edited(jwt));
        all[0].draft.headers[0].value = "Bearer ${OPENAI_API_KEY}".into();
        assert!(is_edited(&all[0]));
    }

    #[test]
    fn practice_vars_are_filled_in_samples_only() {
        let mut all = samples();
        set_practice_vars(&mut all, "http://127.0.0.1:1", "/tmp/p.jpg");
        let upload = all
            .iter()
            .find(|e| e.sample_id.as_deref() == Some("extract-fixed"))
            .unwrap();
        assert!(
            upload
                .draft
                .vars
                .contains(&("BASE".into(), "http://127.0.0.1:1".into()))
        );
        assert!(
            upload
                .draft
                .vars
                .contains(&("PAGE".into(), "/tmp/p.jpg".into()))
        );
    }
}
