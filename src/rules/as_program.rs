//! Reasoning as the user's own program. When authlens sends, authlens is the client and the
//! loader — but the program that got the 401 may be Python with requests and python-dotenv.
//! `--as-client`/`--as-loader` and the TUI's Vars setting name that stack; the engine then
//! runs again as if it had read the `.env` and sent the request, and adds what *that* run
//! finds beyond authlens's own as predictions, labelled with the stack's name.

use super::case::Case;
use super::cause_id::CauseId;
use super::context::{Client, Context};
use super::finding::Finding;
use super::input::Observed;
use super::loaders::{self, Loader};
use crate::draft::Draft;
use crate::vars::{Binding, Source, Vars};
use std::collections::BTreeMap;

/// The user's program's client and loader; `None` is authlens's own (nothing predicted).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AsStack {
    pub client: Option<Client>,
    pub loader: Option<Loader>,
}

impl AsStack {
    /// Nothing named: the program is authlens itself.
    pub fn is_itself(&self) -> bool {
        self.client.is_none() && self.loader.is_none()
    }

    /// `python-requests + python-dotenv 1.2.2`: how a prediction names the stack.
    pub fn label(&self) -> String {
        let client = self.client.as_ref().map(client_label);
        let loader = self.loader.map(|l| l.name().to_string());
        [client, loader]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// The vocabulary's name of a client (its version dropped), or the unknown name as given.
pub fn client_label(c: &Client) -> String {
    if let Client::Other(name) = c {
        return name.clone();
    }
    let kind = std::mem::discriminant(c);
    super::vocabulary::CLIENTS
        .iter()
        .find(|e| std::mem::discriminant(&e.client(&[])) == kind)
        .map_or_else(|| format!("{c:?}"), |e| e.name.to_string())
}

/// Causes that are about the response as a whole, not about a stack: never predicted.
const NOT_PREDICTED: [CauseId; 2] = [CauseId::NoSpecificCause, CauseId::TokenRevokedOrInvalid];

/// The findings the user's program would meet and authlens's own run (`live`) did not,
/// each saying it is a prediction for that stack. Lint always; with `observed`, the redirect
/// chain too, judged by the stack's redirect rules rather than by what reqwest carried.
pub(super) fn predict(
    draft: &Draft,
    vars: &Vars,
    observed: Option<&Observed>,
    ctx: &Context,
    live: &[Finding],
) -> Vec<Finding> {
    let stack = &ctx.program;
    if stack.is_itself() {
        return Vec::new();
    }
    let (pvars, pctx) = as_program(vars, ctx);
    let mut out = super::run(&Case::new(draft, &pvars, &pctx, None));
    if let Some(o) = observed {
        let modelled = modelled_redirects(o);
        out.extend(super::run(&Case::new(
            draft,
            &pvars,
            &pctx,
            Some(&modelled),
        )));
    }
    let mut kept: Vec<Finding> = Vec::new();
    for f in out {
        let seen = |g: &Finding| g.id == f.id && g.anchor == f.anchor;
        let same_words = live
            .iter()
            .any(|g| seen(g) && g.explanation == f.explanation);
        if NOT_PREDICTED.contains(&f.id) || same_words || kept.iter().any(seen) {
            continue;
        }
        kept.push(labelled(f, stack));
    }
    kept
}

/// The redirect hops without what reqwest was seen to carry, so the stack's own redirect
/// rules decide what it would have stripped.
fn modelled_redirects(o: &Observed) -> Observed {
    let mut o = o.clone();
    for r in &mut o.redirects {
        r.next_carried = None;
    }
    o
}

/// A prediction says so, and for which stack, in its explanation and its evidence.
fn labelled(mut f: Finding, stack: &AsStack) -> Finding {
    let label = stack.label();
    f.explanation = format!(
        "Prediction for your program ({label}), not what authlens did: {}",
        f.explanation
    );
    f.evidence = format!("predicted for {label}: {}", f.evidence);
    f
}

/// The variables and context the user's program would have had: its client, and the `.env`
/// authlens read, read again with its loader (found or not from the same directory).
fn as_program(vars: &Vars, ctx: &Context) -> (Vars, Context) {
    let mut pctx = ctx.clone();
    pctx.program = AsStack::default();
    if let Some(c) = &ctx.program.client {
        pctx.client = c.clone();
    }
    let (Some(loader), Some(live)) = (ctx.program.loader, &ctx.dotenv) else {
        return (vars.clone(), pctx);
    };
    pctx.loader = loader;
    let process = process_env(vars);
    let mut loaded = loaders::load(&live.path, &live.text, loader, &process, true);
    loaded.found = finds(loader, ctx.cwd.as_deref(), &live.path, vars.dotenv.explicit);
    let pvars = with_request_vars(super::from_file::vars_of(&process, Some(&loaded)), vars);
    pctx.dotenv = Some(loaded);
    (pvars, pctx)
}

/// Would `loader` find the `.env` at `path` from `cwd`? A path given explicitly
/// (`--env-file`) is assumed given to the program too.
fn finds(loader: Loader, cwd: Option<&str>, path: &str, explicit: bool) -> bool {
    let Some(cwd) = cwd else {
        return loader != Loader::None;
    };
    match loader {
        Loader::None => false,
        _ if explicit || loader.reads_the_file_named() => true,
        // python-dotenv starts at the calling script, which authlens does not know: from cwd.
        _ => loader.search_finds(cwd, path, false),
    }
}

/// The process environment as the variables recorded it: the value that won, or the one a
/// request variable shadowed.
fn process_env(vars: &Vars) -> BTreeMap<String, String> {
    let from_process = |b: &Binding| match b.source {
        Source::Process => Some(b.value.clone()),
        _ => b
            .shadowed
            .iter()
            .find(|(_, s)| *s == Source::Process)
            .map(|(v, _)| v.clone()),
    };
    vars.bindings
        .iter()
        .filter_map(|(k, b)| from_process(b).map(|v| (k.clone(), v)))
        .collect()
}

/// Request variables win over whatever the loader produced, as they do for authlens.
fn with_request_vars(mut pvars: Vars, vars: &Vars) -> Vars {
    for (name, b) in &vars.bindings {
        if b.source != Source::Request {
            continue;
        }
        let mut top = Binding {
            value: b.value.clone(),
            source: Source::Request,
            shadowed: Vec::new(),
        };
        if let Some(old) = pvars.bindings.remove(name) {
            top.shadowed.push((old.value, old.source));
            top.shadowed.extend(old.shadowed);
        }
        pvars.bindings.insert(name.clone(), top);
    }
    pvars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_dotenv_does_not_search_parents_and_dotenvy_does() {
        let cwd = Some("/p/app");
        assert!(!finds(Loader::NodeDotenv, cwd, "/p/.env", false));
        assert!(finds(Loader::Dotenvy, cwd, "/p/.env", false));
        assert!(finds(Loader::NodeDotenv, cwd, "/p/app/.env", false));
        assert!(!finds(Loader::None, cwd, "/p/app/.env", true));
    }

    #[test]
    fn a_stack_is_labelled_by_the_vocabulary() {
        let stack = AsStack {
            client: Some(Client::PythonRequests(Some((2, 31)))),
            loader: Some(Loader::PythonDotenv),
        };
        assert_eq!(stack.label(), "python-requests + python-dotenv 1.2.2");
        assert!(AsStack::default().is_itself());
    }
}
