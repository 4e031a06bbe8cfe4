//! Quitting, and the questions asked first: a request still in flight (`ConfirmQuit`), then
//! secrets typed into drafts that the session file would leave out (`UnsavedSecrets`), with
//! `w` to write them to `.env`, `d` to drop them, `Esc` to stay. With nothing to lose, `q`
//! quits at once. Ctrl+C at the first question goes on as `y`; at the second it means it:
//! quit, dropping them (and saying so once the terminal is back).

use super::app::{App, Level, Overlay, UnsavedQuestion};
use super::keep::{self, GitState, Written};
use super::msg::Effect;
use std::path::PathBuf;

/// `q` and Ctrl+C.
pub fn quit(app: &mut App) -> Vec<Effect> {
    match &app.overlay {
        Some(Overlay::ConfirmQuit) => confirmed(app),
        Some(Overlay::UnsavedSecrets(_)) => drop_and_quit(app),
        _ if app.inflight.is_some() => {
            app.overlay = Some(Overlay::ConfirmQuit);
            Vec::new()
        }
        _ => confirmed(app),
    }
}

/// Quitting with no request in flight, or `y` to leaving one: asks about typed secrets if
/// any would be dropped, else quits.
pub fn confirmed(app: &mut App) -> Vec<Effect> {
    let lost = keep::find(app);
    // A watch saves no session (its drafts are copies of what the program sent), so there
    // is no `.env` question to ask about the secrets in them.
    if lost.is_empty() || app.watch.is_some() {
        return quit_now(app);
    }
    let path = keep::dotenv_path(&app.env);
    app.overlay = Some(Overlay::UnsavedSecrets(Box::new(UnsavedQuestion {
        lost,
        path: path.clone(),
        git: GitState::Unknown,
        writing: None,
    })));
    path.map(Effect::CheckEnvGit).into_iter().collect()
}

fn question(app: &mut App) -> Option<&mut UnsavedQuestion> {
    match &mut app.overlay {
        Some(Overlay::UnsavedSecrets(q)) => Some(q),
        _ => None,
    }
}

/// True while `w`'s write is under way: the question stays until it is done.
pub fn writing(app: &App) -> bool {
    matches!(&app.overlay, Some(Overlay::UnsavedSecrets(q)) if q.writing.is_some())
}

/// `w`: write the secrets to `.env` (off the event loop); quit when that is done.
pub fn keep(app: &mut App) -> Vec<Effect> {
    let Some(q) = question(app) else {
        return Vec::new();
    };
    if q.writing.is_some() {
        return Vec::new();
    }
    let Some(path) = q.path.clone() else {
        let text = "no working directory to write .env in · d drops them, Esc stays";
        app.status = Some((Level::Error, text.into()));
        return Vec::new();
    };
    let lost = q.lost.clone();
    let job = keep::job(app, &lost, path);
    if let Some(q) = question(app) {
        q.writing = Some(job.clone());
    }
    app.status = Some((Level::Info, format!("writing {}…", job.path.display())));
    vec![Effect::WriteEnv(job)]
}

/// The runtime wrote `.env` (or could not): save the drafts referring to the names written,
/// and quit; or say why not and ask again.
pub fn env_written(app: &mut App, result: Result<Written, String>) -> Vec<Effect> {
    let Some(q) = question(app) else {
        return Vec::new();
    };
    let Some(job) = q.writing.take() else {
        return Vec::new();
    };
    let (lost, git) = (q.lost.clone(), q.git);
    match result {
        Ok(written) => {
            let renames = keep::renames(&lost, &job, &written.names);
            let json = super::session::to_json_renaming(app, &renames);
            let effects = quit_saving(app, json);
            app.status = Some((Level::Info, written_note(&job.path, &written, git)));
            effects
        }
        Err(e) => {
            let text = format!("not written: {e} · d drops them, Esc stays");
            app.status = Some((Level::Error, text));
            Vec::new()
        }
    }
}

fn written_note(path: &std::path::Path, w: &Written, git: GitState) -> String {
    let mut names = w.names.clone();
    names.dedup();
    let what = match w.added {
        0 => format!("the secrets you typed were already in {}", path.display()),
        1 => format!("wrote 1 secret you typed to {}", path.display()),
        n => format!("wrote {n} secrets you typed to {}", path.display()),
    };
    let warn = match git {
        GitState::Tracked => " — it is tracked by git: keep it out of your commits",
        GitState::NotIgnored => " — git does not ignore it: add it to .gitignore",
        GitState::Safe | GitState::Unknown => "",
    };
    let them = if names.len() == 1 { "it" } else { "them" };
    format!(
        "{what} ({}); the saved drafts refer to {them}{warn}",
        names.join(", ")
    )
}

/// `d`, and Ctrl+C at the question: quit, the secrets dropped, and say so.
pub fn drop_and_quit(app: &mut App) -> Vec<Effect> {
    quit_now(app)
}

/// Whatever was asked, quit now, saving the drafts without their secrets (SIGTERM, SIGHUP and
/// the end of input come here too); what was dropped is said once the terminal is back.
pub fn quit_now(app: &mut App) -> Vec<Effect> {
    let dropped = keep::find(app).len();
    let effects = quit_saving(app, super::session::to_json(app));
    if dropped > 0 {
        let text = match dropped {
            1 => "1 secret you typed was not saved: type it again next time".to_string(),
            n => format!("{n} secrets you typed were not saved: type them again next time"),
        };
        app.status = Some((Level::Info, text));
    }
    effects
}

fn quit_saving(app: &mut App, json: String) -> Vec<Effect> {
    app.quit = true;
    app.overlay = None;
    // What is left in the status line after this is about quitting (a failed save, what
    // happened to typed secrets), and is printed after the terminal is restored; an older
    // message is not.
    app.status = None;
    let mut effects: Vec<Effect> = app
        .inflight
        .take()
        .map(|f| Effect::Cancel { id: f.id })
        .into_iter()
        .collect();
    effects.extend(super::history_keep::at_quit(app));
    effects.push(Effect::Save(json));
    effects
}

/// What git said about the `.env` the question names.
pub fn env_git(app: &mut App, path: PathBuf, state: GitState) {
    if let Some(q) = question(app)
        && q.path.as_ref() == Some(&path)
    {
        q.git = state;
    }
}
