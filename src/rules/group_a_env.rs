//! Group A — where the credential comes from: variables missing or empty, placeholders, and
//! the `.env` loader's quirks (not found, shadowed, parse errors, quotes, comments, `$`, BOM).

use super::case::Case;
use super::cause_id::CauseId;
use super::finding::{Anchor, Finding, Severity};
use super::loaders::{Loaded, Loader, Quote};
use super::text::{placeholder_reason, shown};
use crate::vars::Source;

/// Runs every group-A rule, appending its findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    env_var_missing(case, out);
    empty_slot_beside_an_unloaded_dotenv(case, out);
    env_var_empty(case, out);
    credential_placeholder_value(case, out);
    dotenv_not_found_from_cwd(case, out);
    dotenv_shadowed_by_process_env(case, out);
    dotenv_parse_error_ignored(case, out);
    dotenv_quotes_preserved(case, out);
    dotenv_inline_comment_in_value(case, out);
    dotenv_variable_expansion(case, out);
    dotenv_bom_first_key(case, out);
}

/// The `.env` the loader really read, if it found one.
fn found_dotenv<'a>(case: &Case<'a>) -> Option<&'a Loaded> {
    case.ctx.dotenv.as_ref().filter(|l| l.found)
}

/// Anchor on the `.env` line when the value came from there, else on the variable.
fn value_anchor(case: &Case, name: &str) -> Anchor {
    match case.vars.get(name).map(|b| &b.source) {
        Some(Source::Dotenv { path, line }) => Anchor::DotenvLine {
            path: path.display().to_string(),
            line: *line,
        },
        _ => Anchor::Variable {
            name: name.to_string(),
        },
    }
}

/// A credential header that went out empty (the program's own request, as `watch` sees it:
/// no `${…}` to follow) while `.env` defines a credential variable the process environment
/// did not have: the program read the variable before anything loaded `.env`, or never
/// loaded it — the seed notebook's `X-API-Key: ` with `API_KEY` only in `.env`.
fn empty_slot_beside_an_unloaded_dotenv(case: &Case, out: &mut Vec<Finding>) {
    let Some(slot) = case
        .creds
        .iter()
        .find(|c| c.is_header() && c.var.is_none() && c.value.trim().is_empty())
    else {
        return;
    };
    let from_dotenv: Vec<(&String, usize)> = case
        .vars
        .bindings
        .iter()
        .filter(|(name, b)| crate::secret::is_credential_name(name) && !b.value.trim().is_empty())
        .filter_map(|(name, b)| match b.source {
            Source::Dotenv { line, .. } => Some((name, line)),
            _ => None,
        })
        .collect();
    let squash = |s: &str| -> String {
        let s = s.to_ascii_uppercase();
        let s = s.strip_prefix("X-").unwrap_or(&s);
        s.chars().filter(char::is_ascii_alphanumeric).collect()
    };
    let header = squash(&slot.name);
    let named = from_dotenv
        .iter()
        .find(|(n, _)| squash(n).contains(&header) || header.contains(&squash(n)));
    let Some((name, line)) = named.or(match from_dotenv.as_slice() {
        [only] => Some(only),
        _ => None,
    }) else {
        return;
    };
    let path = case.ctx.dotenv.as_ref().map_or(".env", |l| l.path.as_str());
    out.push(case.finding(
        CauseId::EnvVarMissing,
        slot.anchor.clone(),
        format!("`{}` went out empty. {path} line {line} defines {name}, but the program's environment did not have it, so the program read it before anything loaded {path}, or never loaded it. Load it first (python: `load_dotenv()`; node: `require('dotenv').config()`), or export {name} before starting the program.", slot.label()),
        format!("{}: (empty); {name} only in {path}", slot.label()),
    ));
}

/// Why `name` did not load, told from the loader report (catalogue A: the wire value is empty).
fn missing_reason(case: &Case, name: &str) -> String {
    let Some(l) = &case.ctx.dotenv else {
        return "It is not in the process environment, and no .env file is known.".into();
    };
    if l.loader == Loader::None {
        return format!(
            "{} defines it, but nothing in the program loads .env (or it is read before the loader runs), so it is missing in the process.",
            l.path
        );
    }
    if !l.found {
        return format!(
            "It is not in the process environment, and {} does not find {} from where the program runs.",
            l.loader.name(),
            l.path
        );
    }
    if l.bom_hidden_key.as_deref() == Some(name) {
        return format!(
            "{} defines it on line 1, but a UTF-8 BOM glued itself to the name, so the key loaded is \"\\u{{feff}}{name}\".",
            l.path
        );
    }
    match (l.written_line(name), l.errors.first()) {
        (Some(line), Some(err)) if l.stopped && err.line <= line => format!(
            "{} defines it on line {line}, but {} stopped at the bad line {}.",
            l.path,
            l.loader.name(),
            err.line
        ),
        (Some(line), Some(err)) if err.line == line => {
            format!("{} line {line} defines it but does not parse.", l.path)
        }
        _ => format!(
            "It is neither in the process environment nor in {}.",
            l.path
        ),
    }
}

/// A `${VAR}` with no value: the wire carries an empty credential (`Bearer `).
fn env_var_missing(case: &Case, out: &mut Vec<Finding>) {
    for (name, anchor) in case.referenced_vars() {
        if case.vars.get(&name).is_some() {
            continue;
        }
        let explanation = format!(
            "The request uses ${{{name}}}, which has no value. A shell or a template sends it as an empty string (`Bearer ` and nothing after it); authlens stops before sending instead. {} Export it, or put it in the .env the loader actually reads.",
            missing_reason(case, &name)
        );
        out.push(case.finding(
            CauseId::EnvVarMissing,
            anchor,
            explanation,
            format!("${{{name}}}: not set"),
        ));
    }
}

/// Set but empty or blank (dotenvy and python-dotenv both load `KEY=` as "").
fn env_var_empty(case: &Case, out: &mut Vec<Finding>) {
    for (name, _) in case.referenced_vars() {
        let Some(b) = case.vars.get(&name) else {
            continue;
        };
        let comment_only = b.value.starts_with('#')
            && matches!(b.source, Source::Dotenv { .. })
            && matches!(
                case.ctx.loader,
                Loader::PythonDotenv | Loader::PythonDotenvOverride
            );
        if !b.value.trim().is_empty() && !comment_only {
            continue;
        }
        let explanation = format!(
            "{name} is set ({}) but {}, so the credential sent is empty. Fill in the value; an empty value exported in the shell also stops a non-override loader from filling it from .env.",
            b.source,
            if comment_only {
                "holds only a comment (python-dotenv reads `KEY=   # note` as \"# note\")"
            } else {
                "empty or blank"
            }
        );
        out.push(case.finding(
            CauseId::EnvVarEmpty,
            value_anchor(case, &name),
            explanation,
            format!("{name} = {:?}", shown(&b.value)),
        ));
    }
}

/// The value from `.env.example` for `name`, if an example file was given.
fn example_value(case: &Case, name: &str) -> Option<String> {
    let text = case.ctx.dotenv_example.as_deref()?;
    text.lines().find_map(|l| {
        let (k, v) = l
            .trim()
            .strip_prefix("export ")
            .unwrap_or(l.trim())
            .split_once('=')?;
        (k.trim() == name).then(|| v.trim().trim_matches(['"', '\'']).to_string())
    })
}

/// `sk-your-api-key-here`, `<token>`, `xxxx`…: a template value that was never replaced.
fn credential_placeholder_value(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let example = cred.var.as_deref().and_then(|v| example_value(case, v));
        let Some(reason) = placeholder_reason(&cred.value, example.as_deref()) else {
            continue;
        };
        let from = cred
            .var
            .as_deref()
            .map_or(String::new(), |v| format!(" (from {v})"));
        let explanation = format!(
            "The credential in {}{from} is a placeholder: {reason}. Replace it with the real key from the provider's dashboard.",
            cred.label()
        );
        out.push(case.finding(
            CauseId::CredentialPlaceholderValue,
            cred.anchor.clone(),
            explanation,
            shown(&cred.value),
        ));
        return;
    }
}

/// dotenvy walks up from cwd (never down); python-dotenv starts at the calling script.
fn dotenv_not_found_from_cwd(case: &Case, out: &mut Vec<Finding>) {
    let Some(l) = case
        .ctx
        .dotenv
        .as_ref()
        .filter(|l| !l.found && l.loader != Loader::None)
    else {
        return;
    };
    let relevant = case
        .referenced_vars()
        .into_iter()
        .filter(|(n, _)| case.vars.get(n).is_none_or(|b| b.value.is_empty()))
        .find_map(|(n, _)| l.written_line(&n).map(|line| (n, line)));
    let Some((name, line)) = relevant else { return };
    let cwd = case.ctx.cwd.as_deref().unwrap_or("(unknown)");
    let how = match l.loader {
        Loader::PythonDotenv | Loader::PythonDotenvOverride => {
            "load_dotenv() searches from the calling script's directory upwards"
        }
        Loader::NodeDotenv => {
            "node dotenv (dotenv.config()) reads .env from the current directory only, never its parents"
        }
        _ => {
            "dotenvy::dotenv() searches the current directory and its parents, never subdirectories"
        }
    };
    let explanation = format!(
        "{} defines {name}, but {how}, and the program runs in {cwd}. Pass the path explicitly (dotenvy::from_path, load_dotenv(find_dotenv(usecwd=True))) or run from the directory that holds .env.",
        l.path
    );
    let anchor = Anchor::DotenvLine {
        path: l.path.clone(),
        line,
    };
    out.push(case.finding(
        CauseId::DotenvNotFoundFromCwd,
        anchor,
        explanation,
        format!("cwd {cwd}; .env at {}", l.path),
    ));
}

/// A stale exported variable beats the fresh `.env` under a non-override loader.
fn dotenv_shadowed_by_process_env(case: &Case, out: &mut Vec<Finding>) {
    if case.ctx.loader.overrides_process_env() {
        return;
    }
    for (name, _) in case.referenced_vars() {
        let Some(b) = case.vars.get(&name) else {
            continue;
        };
        let loser = b
            .shadowed
            .iter()
            .find(|(v, s)| matches!(s, Source::Dotenv { .. }) && *v != b.value);
        let (Source::Process, Some((file_value, file_source))) = (&b.source, loser) else {
            continue;
        };
        let explanation = format!(
            "{name} is already set in the process environment, so {} keeps that value and ignores {file_source}. The request carries the shell's value. Unset the shell variable, or load with override deliberately.",
            case.ctx.loader.name()
        );
        let evidence = format!("process {}; .env {}", shown(&b.value), shown(file_value));
        out.push(case.finding(
            CauseId::DotenvShadowedByProcessEnv,
            Anchor::Variable { name: name.clone() },
            explanation,
            evidence,
        ));
    }
}

/// A bad `.env` line, its error discarded (`dotenvy::dotenv().ok()`): later keys never load.
fn dotenv_parse_error_ignored(case: &Case, out: &mut Vec<Finding>) {
    let Some(l) = found_dotenv(case) else { return };
    let Some(err) = l.errors.first() else { return };
    let call = case.ctx.loader_call.as_deref().unwrap_or("");
    if call.contains('?') || call.contains("unwrap") || call.contains("expect") {
        return; // the program would stop with the error instead of sending
    }
    let lost: Vec<String> = case
        .referenced_vars()
        .into_iter()
        .map(|(n, _)| n)
        .filter(|n| {
            case.vars
                .get(n)
                .is_none_or(|b| !matches!(b.source, Source::Process | Source::Request))
        })
        .filter(|n| {
            l.written_line(n)
                .is_some_and(|line| line == err.line || (l.stopped && line > err.line))
        })
        .collect();
    let mut f = case.finding(
        CauseId::DotenvParseErrorIgnored,
        Anchor::DotenvLine { path: l.path.clone(), line: err.line },
        format!(
            "{} line {}: {}. {} Quote the value or fix the line, and do not discard the loader's Result.",
            l.path,
            err.line,
            err.message,
            if lost.is_empty() { "No variable this request uses is affected.".to_string() } else { format!("So {} never loaded.", lost.join(", ")) }
        ),
        format!("line {}", err.line),
    );
    if lost.is_empty() {
        f.severity = Severity::Warning;
    }
    out.push(f);
}

const QUOTES: [char; 6] = ['"', '\'', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'];

/// `docker run --env-file` keeps quotes; typographic quotes are never stripped.
fn dotenv_quotes_preserved(case: &Case, out: &mut Vec<Finding>) {
    for (name, _) in case.referenced_vars() {
        let Some(b) = case.vars.get(&name) else {
            continue;
        };
        if !(b.value.starts_with(QUOTES) || b.value.ends_with(QUOTES)) {
            continue;
        }
        let explanation = format!(
            "{name} loaded with quote characters inside the value ({}), so they are sent as part of the credential. Remove the quotes for --env-file, load with a dotenv-aware tool, and replace typographic quotes with ASCII.",
            case.ctx.loader.name()
        );
        let evidence = format!(
            "starts with {:?}, ends with {:?}, {} chars",
            b.value.chars().next().unwrap_or(' '),
            b.value.chars().last().unwrap_or(' '),
            b.value.chars().count()
        );
        out.push(case.finding(
            CauseId::DotenvQuotesPreserved,
            value_anchor(case, &name),
            explanation,
            evidence,
        ));
    }
    if !out.iter().any(|f| f.id == CauseId::DotenvQuotesPreserved) {
        quoted_literal_credential(case, out);
    }
}

/// A credential (or a Basic user or password) wrapped in quote characters that no variable
/// of the draft supplied: a config that keeps quotes built it — Compose's list-form
/// `environment:`, `--env-file`, a YAML or INI value (bakito/adguardhome-sync#13).
fn quoted_literal_credential(case: &Case, out: &mut Vec<Finding>) {
    let wrapped = |v: &str| {
        let mut chars = v.chars();
        let (Some(first), Some(last)) = (chars.next(), chars.next_back()) else {
            return false;
        };
        v.chars().count() >= 3 && QUOTES.contains(&first) && QUOTES.contains(&last)
    };
    for cred in case.creds.iter().filter(|c| c.var.is_none()) {
        let basic = cred.basic_parts();
        let (parts, part) = if basic.is_empty() {
            (vec![cred.value.trim().to_string()], "the credential")
        } else {
            (basic, "the Basic user or password")
        };
        let Some(quoted) = parts.iter().find(|p| wrapped(p)) else {
            continue;
        };
        out.push(case.finding(
            CauseId::DotenvQuotesPreserved,
            cred.anchor.clone(),
            format!("In {}, {part} is wrapped in quote characters, so they are sent as part of it: whatever built it kept the quotes of its config (Compose's list-form `environment:`, `docker --env-file`, a YAML value quoted twice). Remove the quotes where the value is defined.", cred.label()),
            format!(
                "starts with {:?}, ends with {:?}, {} chars",
                quoted.chars().next().unwrap_or(' '),
                quoted.chars().last().unwrap_or(' '),
                quoted.chars().count()
            ),
        ));
        return;
    }
}

/// ` # comment` kept in the value (docker, or python-dotenv's comment-only value).
fn dotenv_inline_comment_in_value(case: &Case, out: &mut Vec<Finding>) {
    for (name, _) in case.referenced_vars() {
        let Some(b) = case.vars.get(&name) else {
            continue;
        };
        let from_file = matches!(b.source, Source::Dotenv { .. });
        let inline = b
            .value
            .char_indices()
            .any(|(i, c)| c == '#' && b.value[..i].ends_with([' ', '\t']));
        if !(inline || (from_file && b.value.trim_start().starts_with('#'))) {
            continue;
        }
        let explanation = format!(
            "{name}'s value contains a `#` comment ({}), so the comment text is sent with the credential. Put comments on their own line.",
            case.ctx.loader.name()
        );
        out.push(case.finding(
            CauseId::DotenvInlineCommentInValue,
            value_anchor(case, &name),
            explanation,
            format!("{} chars, contains \" #\"", b.value.chars().count()),
        ));
    }
}

/// Does this loader expand `$` in a value written with this quoting?
fn expands(loader: Loader, quote: Quote, raw: &str) -> bool {
    match loader {
        Loader::Dotenvy | Loader::DotenvyOverride | Loader::ShellSource => quote != Quote::Single,
        // python-dotenv expands `${NAME}` whatever the quoting (checked against 1.2.2).
        Loader::PythonDotenv | Loader::PythonDotenvOverride => raw.contains("${"),
        Loader::DockerEnvFile | Loader::None | Loader::NodeDotenv => false,
        // Compose interpolates whatever the YAML quoting; `$$` is the escape.
        Loader::DockerComposeEnvironment => raw.replace("$$", "").contains('$'),
    }
}

/// `KEY=ab$cd`: the loader substituted `$cd` (unknown → "") and shortened the secret.
fn dotenv_variable_expansion(case: &Case, out: &mut Vec<Finding>) {
    let Some(l) = found_dotenv(case) else { return };
    for (name, _) in case.referenced_vars() {
        let Some(b) = case.vars.get(&name) else {
            continue;
        };
        let Source::Dotenv { line, .. } = b.source else {
            continue;
        };
        let Some(e) = l.entries.iter().find(|e| e.key == name && e.line == line) else {
            continue;
        };
        if !e.raw.contains('$') || !expands(l.loader, e.quote, &e.raw) {
            continue;
        }
        let literal = e.raw.trim_matches(['"', '\'']);
        let literal = literal.split(" #").next().unwrap_or(literal);
        if e.value == literal {
            continue;
        }
        let explanation = format!(
            "{} line {line}: {} treats `$` in {name}'s value as a variable reference and substitutes it, so the loaded value differs from the file text. Single-quote the value or escape the `$`.",
            l.path,
            l.loader.name()
        );
        let evidence = format!(
            "file text {} chars, loaded {} chars",
            literal.chars().count(),
            e.value.chars().count()
        );
        out.push(case.finding(
            CauseId::DotenvVariableExpansion,
            value_anchor(case, &name),
            explanation,
            evidence,
        ));
    }
}

/// A UTF-8 BOM glued to the first key (python-dotenv ≤ 1.2.2, a shell, dotenvy's `*_iter`).
fn dotenv_bom_first_key(case: &Case, out: &mut Vec<Finding>) {
    let Some(l) = found_dotenv(case) else { return };
    let iter_failed = l.bom
        && l.errors.first().is_some_and(|e| e.line == 1)
        && matches!(l.loader, Loader::Dotenvy | Loader::DotenvyOverride);
    if !(l.bom && (l.bom_hidden_key.is_some() || iter_failed)) {
        return;
    }
    let key = l
        .bom_hidden_key
        .clone()
        .or_else(|| l.written.first().map(|(k, _)| k.clone()))
        .unwrap_or_default();
    let explanation = format!(
        "{} starts with a UTF-8 byte order mark; {} reads the first key as \"\\u{{feff}}{key}\", so {key} is not set. Re-save .env as UTF-8 without BOM, or upgrade the loader.",
        l.path,
        l.loader.name()
    );
    let anchor = Anchor::DotenvLine {
        path: l.path.clone(),
        line: 1,
    };
    out.push(case.finding(
        CauseId::DotenvBomFirstKey,
        anchor,
        explanation,
        "bytes EF BB BF at offset 0",
    ));
}
