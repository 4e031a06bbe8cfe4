//! Every lesson against the real practice server: the broken request shows a cause the lesson
//! teaches and does not pass the check; the fixed one passes it.

use authlens::lessons::{self, Lesson, LessonRequest, Progress};
use authlens::practice::{Config, PracticeServer};
use authlens::rules::{self, Finding};
use authlens::send;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Sends the request as the TUI would and returns the learner's progress and the findings.
async fn attempt(
    lesson: &Lesson,
    req: &LessonRequest,
    practice: &[(String, String)],
) -> (Progress, Vec<Finding>) {
    let assets = std::env::temp_dir().join(format!("authlens-lessons-{}", std::process::id()));
    lessons::write_assets(&assets).unwrap();
    let (draft, vars) = req.build(practice, &assets);
    let ctx = req.context(now(), practice);
    let result = send::run(&draft, &vars, &send::Options::default()).await;
    let findings = match &result {
        Ok(ex) => rules::diagnose_exchange(&draft, &vars, ex, &ctx),
        Err(_) => rules::lint(&draft, &vars, &ctx),
    };
    (lessons::check(lesson, &result, &findings), findings)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_lesson_breaks_as_taught_and_its_fix_passes_the_check() {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let practice = lessons::practice_vars(&server);
    let all = lessons::all();
    assert!(all.len() >= 10);
    let mut problems = Vec::new();
    for lesson in all {
        let (progress, findings) = attempt(lesson, &lesson.broken, &practice).await;
        let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
        if !lesson.teaches.iter().any(|t| ids.contains(&t.as_str())) {
            problems.push(format!(
                "{}: broken request shows none of {:?}; found {ids:?}",
                lesson.id, lesson.teaches
            ));
        }
        if progress == Progress::Fixed {
            problems.push(format!(
                "{}: the broken request passes the check",
                lesson.id
            ));
        }
        let (progress, findings) = attempt(lesson, &lesson.fixed, &practice).await;
        if progress != Progress::Fixed {
            let ids: Vec<&str> = findings.iter().map(|f| f.id.as_str()).collect();
            problems.push(format!(
                "{}: the fixed request does not pass: {progress:?}; found {ids:?}",
                lesson.id
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lesson_that_reads_the_spec_reads_what_the_server_serves() {
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let practice = lessons::practice_vars(&server);
    let lesson = lessons::all()
        .iter()
        .find(|l| l.id == "read-the-spec")
        .expect("the read-the-spec lesson");
    assert!(
        lesson
            .teaches
            .iter()
            .any(|t| t.as_str() == "spec-credential-in-wrong-slot")
    );
    let url = server.url("/openapi.json");
    let served = send::document::load_spec(&url, &send::Options::default())
        .await
        .unwrap();
    let ctx = lesson.broken.context(now(), &practice);
    assert_eq!(
        ctx.spec.as_deref(),
        Some(&served),
        "the same text from the same URL"
    );
}
