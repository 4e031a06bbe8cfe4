//! The rules' view of this machine, read once per send: the clock, the current directory and
//! the `.env` that was loaded. The rules themselves never read the world (see
//! `rules::context`); the CLI and the TUI both get it from here.

use crate::rules::Context;
use crate::vars::Vars;

/// A live context for a send from here, with the text of the `.env` that `vars` loaded, so
/// the `.env` rules (parse errors, BOM, `$` expansion) see the file and not only its values.
pub fn rules_context(vars: &Vars) -> Context {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let mut ctx = Context::live(now);
    ctx.cwd = std::env::current_dir()
        .ok()
        .map(|p| p.display().to_string());
    if let Some(file) = vars.dotenv.files.first() {
        let path = file.path.display().to_string();
        if let Ok(text) = std::fs::read_to_string(&file.path) {
            let process = std::env::vars().collect();
            ctx = ctx.with_dotenv(&path, &text, &process);
        }
        ctx.dotenv_path = Some(path);
    }
    ctx
}
