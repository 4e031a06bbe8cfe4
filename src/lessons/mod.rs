//! Guided lessons on the practice server: each a short text, a broken request and a fixed one,
//! and a check that tells learners when *they* have fixed it.
//!
//! Lessons are data (`src/lessons/*.md`): an HTML comment holding JSON (what it teaches, the
//! two requests) above the Markdown text, so the files read well on their own. The check looks
//! at what happened — a 2xx and none of the taught causes left — never at the draft's text.

use crate::draft::{Body, Draft, Part, PartValue, Row};
use crate::exchange::Exchange;
use crate::practice::{self, PracticeServer, keys};
use crate::rules::{self, CauseId, Finding, Severity};
use crate::send::SendError;
use crate::spec::{self, Spec};
use crate::vars::{DotenvReport, Vars, dotenv};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

const FILES: [&str; 10] = [
    include_str!("01-bearer-vs-x-api-key.md"),
    include_str!("02-scheme-spelling.md"),
    include_str!("03-wrong-dotenv.md"),
    include_str!("04-invisible-characters.md"),
    include_str!("05-redirect-dropped-authorization.md"),
    include_str!("06-expired-jwt.md"),
    include_str!("07-401-versus-403.md"),
    include_str!("08-basic-by-hand.md"),
    include_str!("09-seed-notebook.md"),
    include_str!("10-read-the-spec.md"),
];

/// Files lessons upload, shipped inside the binary and written out by [`write_assets`].
const ASSETS: [(&str, &[u8]); 1] = [(
    "ballot-form-EXAMPLE.jpg",
    include_bytes!("ballot-form-EXAMPLE.jpg"),
)];

/// Writes the lesson files into `dir` (the caller picks it: a data directory, a temp dir), so
/// file parts can be read from disk like any upload.
pub fn write_assets(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (name, bytes) in ASSETS {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// The causes this lesson explains; a finding with one of them links here. An unknown
    /// name fails the parse.
    pub teaches: Vec<CauseId>,
    pub broken: LessonRequest,
    pub fixed: LessonRequest,
    /// The Markdown text after the metadata.
    #[serde(skip)]
    pub text: String,
}

/// A request and the world it is sent from. `@NAME@` in `vars` and `dotenv` stands for a
/// practice value (the server's keys and tokens exist only once it runs).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LessonRequest {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// Text parts of a multipart body.
    #[serde(default)]
    pub multipart: Vec<(String, String)>,
    /// File parts: the part name and a lesson asset's file name (see [`write_assets`]).
    #[serde(default)]
    pub files: Vec<(String, String)>,
    /// Variables set on the request.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// The process environment the learner's program would have.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The project's `.env`.
    #[serde(default)]
    pub dotenv: Option<String>,
    /// A path on the practice server whose OpenAPI document the rules read, as if the
    /// learner ran with `--spec ${BASE}/openapi.json` (see [`LessonRequest::context`]).
    #[serde(default)]
    pub spec: Option<String>,
}

/// Every lesson, in order, parsed once: the TUI asks on every frame. A file that does not
/// parse is left out (a test proves none does).
pub fn all() -> &'static [Lesson] {
    static LESSONS: std::sync::OnceLock<Vec<Lesson>> = std::sync::OnceLock::new();
    LESSONS.get_or_init(|| FILES.iter().filter_map(|f| parse(f).ok()).collect())
}

/// The lesson that explains a finding's cause, if one does.
pub fn for_finding(cause: CauseId) -> Option<&'static Lesson> {
    all().iter().find(|l| l.teaches.contains(&cause))
}

fn parse(file: &str) -> Result<Lesson, String> {
    let start = file.find("<!-- lesson").ok_or("no `<!-- lesson` block")? + "<!-- lesson".len();
    let end = file[start..]
        .find("-->")
        .ok_or("unterminated lesson block")?
        + start;
    let mut lesson: Lesson = serde_json::from_str(&file[start..end]).map_err(|e| e.to_string())?;
    lesson.text = file[end + 3..].trim().to_string();
    Ok(lesson)
}

/// The practice values lessons refer to, by name.
pub fn practice_vars(server: &PracticeServer) -> Vec<(String, String)> {
    let other = format!("http://{}", server.other_addr());
    practice_vars_at(&server.url(""), &other)
}

/// The same, from the server's two base URLs: for the TUI, which hears of the server only
/// through a message.
pub fn practice_vars_at(base: &str, other: &str) -> Vec<(String, String)> {
    let basic = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", keys::BASIC_USER, keys::BASIC_PASSWORD),
    );
    [
        ("BASE", base.to_string()),
        ("OTHER", other.to_string()),
        ("PRACTICE_TOKEN", keys::BEARER_TOKEN.to_string()),
        ("PRACTICE_API_KEY", keys::API_KEY.to_string()),
        ("ADMIN_TOKEN", keys::ADMIN_TOKEN.to_string()),
        ("BASIC_USER", keys::BASIC_USER.to_string()),
        ("BASIC_PASSWORD", keys::BASIC_PASSWORD.to_string()),
        ("BASIC_B64", basic),
        ("JWT_FRESH", practice::valid_jwt()),
        ("JWT_EXPIRED", practice::expired_jwt()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn fill(text: &str, practice: &[(String, String)]) -> String {
    practice.iter().fold(text.to_string(), |t, (k, v)| {
        t.replace(&format!("@{k}@"), v)
    })
}

impl LessonRequest {
    /// The draft and its variables: lesson variables, then the practice values, then the
    /// lesson's process environment and `.env` — the precedence a real program would see.
    /// `assets` is where [`write_assets`] put the lesson files.
    pub fn build(&self, practice: &[(String, String)], assets: &Path) -> (Draft, Vars) {
        let mut draft = Draft::new(&self.method, &self.url);
        draft.headers = self.headers.iter().map(|(n, v)| Row::new(n, v)).collect();
        let text = self.multipart.iter().map(|(n, t)| Part {
            name: n.clone(),
            value: PartValue::Text { text: t.clone() },
        });
        let files = self.files.iter().map(|(n, file)| Part {
            name: n.clone(),
            value: PartValue::File {
                path: assets.join(file).display().to_string(),
                filename: None,
                content_type: None,
            },
        });
        let parts: Vec<Part> = text.chain(files).collect();
        if !parts.is_empty() {
            draft.body = Body::Multipart { parts };
        }
        let mut request: Vec<(String, String)> = self
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), fill(v, practice)))
            .collect();
        request.extend(practice.iter().cloned());
        let report = match &self.dotenv {
            Some(text) => {
                let file = dotenv::parse_bytes(Path::new(".env"), fill(text, practice).as_bytes());
                DotenvReport {
                    searched: vec![file.path.clone()],
                    files: vec![file],
                    explicit: false,
                }
            }
            None => DotenvReport::default(),
        };
        (draft, Vars::build(&request, self.env.clone(), report))
    }

    /// The rules' context for this request: the clock, the lesson's `.env` if it has one,
    /// and the practice server's OpenAPI document if the lesson reads one.
    pub fn context(&self, now: i64, practice: &[(String, String)]) -> rules::Context {
        let mut ctx = rules::Context::live(now);
        ctx.spec = self.spec_at(practice).map(Arc::new);
        match &self.dotenv {
            Some(text) => ctx.with_dotenv(".env", &fill(text, practice), &self.env),
            None => ctx,
        }
    }

    /// The document the practice server serves at `spec`, named by its URL as `--spec URL`
    /// names it. Built in-process rather than fetched: `update` never waits on the network,
    /// and it is the very text the route answers with (`practice::openapi_document`).
    fn spec_at(&self, practice: &[(String, String)]) -> Option<Spec> {
        let path = self.spec.as_deref()?;
        let base = practice.iter().find(|(k, _)| k == "BASE").map(|(_, v)| v)?;
        let url = format!("{base}{path}");
        let text = practice::openapi_document().to_string();
        spec::parse(&text, &url, Some(&url)).ok()
    }
}

/// Where a learner stands after a send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Fixed,
    NotYet(String),
}

/// Fixed when the server answered 2xx and no finding of error or warning severity about a
/// cause this lesson teaches is left.
pub fn check(
    lesson: &Lesson,
    result: &Result<Exchange, SendError>,
    findings: &[Finding],
) -> Progress {
    let ex = match result {
        Ok(ex) => ex,
        Err(e) => return Progress::NotYet(format!("the request was not sent: {e}")),
    };
    let status = ex.final_response().map_or(0, |r| r.status);
    if !(200..300).contains(&status) {
        return Progress::NotYet(format!("the server still answers {status}"));
    }
    let left = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .find(|f| lesson.teaches.contains(&f.id));
    match left {
        Some(f) => Progress::NotYet(format!(
            "it worked, but {} is still there: {}",
            f.id, f.title
        )),
        None => Progress::Fixed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_file_parses_with_text_and_taught_ids() {
        for f in FILES {
            let l = parse(f).unwrap_or_else(|e| panic!("{e}:\n{f}"));
            assert!(!l.text.is_empty() && !l.teaches.is_empty(), "{}", l.id);
            assert!(
                l.text.starts_with('#'),
                "{}: the text starts with a heading",
                l.id
            );
        }
        assert_eq!(all().len(), FILES.len());
    }

    #[test]
    fn taught_ids_are_catalogue_ids() {
        for l in all() {
            for t in &l.teaches {
                let known = rules::catalogue::CAUSES.iter().any(|c| c.id == *t);
                assert!(known, "{}: unknown rule id {t}", l.id);
            }
        }
    }

    #[test]
    fn findings_link_to_the_lesson_that_explains_them() {
        assert_eq!(
            for_finding(CauseId::JwtExpired).map(|l| l.id.as_str()),
            Some("expired-jwt")
        );
        assert!(for_finding(CauseId::StripeKeyTypeOrModeMismatch).is_none());
    }

    #[test]
    fn every_file_a_lesson_uploads_is_shipped() {
        for l in all() {
            for (_, file) in l.broken.files.iter().chain(&l.fixed.files) {
                assert!(
                    ASSETS.iter().any(|(name, _)| name == file),
                    "{}: {file} is not an asset",
                    l.id
                );
            }
        }
    }

    #[test]
    fn a_lesson_that_reads_the_spec_gets_the_practice_document_at_its_url() {
        let lesson = all().iter().find(|l| l.id == "read-the-spec").unwrap();
        let practice = practice_vars_at("http://127.0.0.1:9", "http://127.0.0.1:10");
        let ctx = lesson.broken.context(0, &practice);
        let spec = ctx.spec.expect("the lesson's context carries the spec");
        assert_eq!(spec.source, "http://127.0.0.1:9/openapi.json");
        let url = "http://127.0.0.1:9/api/v1/vote-extraction/extract";
        let spec::Lookup::Found(found) = spec.find("POST", url) else {
            panic!("the upload is not in the practice document");
        };
        assert!(
            spec.security(found.operation)
                .describe()
                .contains("X-API-Key")
        );
        let plain = all()
            .iter()
            .find(|l| l.id == "bearer-vs-x-api-key")
            .unwrap();
        assert!(plain.broken.context(0, &practice).spec.is_none());
    }

    #[test]
    fn practice_tokens_fill_placeholders() {
        let practice = vec![("PRACTICE_TOKEN".to_string(), "EXAMPLE-tok".to_string())];
        assert_eq!(fill("K=@PRACTICE_TOKEN@\n", &practice), "K=EXAMPLE-tok\n");
    }
}
