//! Two ways the credential is not the secret although the secret exists: the shell rewrote it
//! on the command line (`$…` expanded inside double quotes, `!` history, an unquoted `&`), or
//! the *name* of the variable went out instead of its value (`Bearer OPENAI_API_KEY`,
//! `process.env.TOKEN`, a literal `$API_KEY`, Postman's unresolved `{{token}}`).
//!
//! The shell rule compares the command line as typed (`context.client_args`) with what the
//! request carried, so it needs no guess about which shell ran: the difference is the proof.

use super::case::{Case, Cred};
use super::cause_id::CauseId;
use super::finding::{Anchor, EvidenceKind, Finding};
use super::text::shown;
use crate::url_text::Url;

/// Runs both rules, appending their findings.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    credential_mangled_by_shell(case, out);
    credential_is_variable_name(case, out);
}

/// What a POSIX shell leaves of `text` inside double quotes or unquoted: `$NAME`, `${…}` and
/// `$1` become empty (nothing in the user's shell sets them, or the report would not exist).
fn shell_expand(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let rest = &text[i + 1..];
        let skip = if rest.starts_with('{') {
            rest.find('}').map_or(0, |e| e + 1)
        } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
            1
        } else {
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len())
        };
        if skip == 0 {
            out.push(c);
        }
        for _ in 0..rest[..skip].chars().count() {
            chars.next();
        }
    }
    out
}

fn unquote(arg: &str) -> String {
    arg.replace(['"', '\''], "")
}

/// A typed credential from the command line: `-H 'Name: value'`, `-u user:pass`, a URL.
enum Typed {
    Header(String, String),
    UserPass(String),
    Url(String),
}

fn typed_credentials(args: &[String]) -> Vec<Typed> {
    let mut out = Vec::new();
    for (i, a) in args.iter().enumerate() {
        let prev = i.checked_sub(1).map_or("", |j| args[j].as_str());
        let (option, value) = match attached_value(a) {
            Some((option, value)) => (option, value),
            None => (prev, a.as_str()),
        };
        if matches!(option, "-H" | "--header") {
            if let Some((n, v)) = unquote(value).split_once(':')
                && super::case::is_credential_header(n.trim())
            {
                out.push(Typed::Header(n.trim().to_string(), v.trim().to_string()));
            }
        } else if matches!(option, "-u" | "--user") {
            out.push(Typed::UserPass(unquote(value)));
        } else if unquote(a).contains("://") {
            out.push(Typed::Url(unquote(a)));
        }
    }
    out
}

/// curl's attached forms, `-uuser:pass`, `-H'Name: v'`, `--user=…`, `--header=…`, split into
/// the option and its value (openstreetmap/openstreetmap-website#2172 typed `-uname:$ecret`).
fn attached_value(arg: &str) -> Option<(&'static str, &str)> {
    for option in ["--header", "--user"] {
        if let Some(v) = arg.strip_prefix(option).and_then(|r| r.strip_prefix('=')) {
            return Some((option, v));
        }
    }
    ["-H", "-u"]
        .into_iter()
        .find_map(|option| Some((option, arg.strip_prefix(option).filter(|v| !v.is_empty())?)))
}

/// Why the shell changed this typed credential into what was sent, if it did.
fn mangling(case: &Case, typed: &Typed) -> Option<(String, Anchor)> {
    match typed {
        Typed::Header(name, value) => {
            let sent = case.headers_named(name).next()?;
            let differs = sent.value.text.trim() != value;
            let anchor = Anchor::header_value(sent.row, 0..sent.value.text.len());
            special(value, &sent.value.text, differs).map(|why| (why, anchor))
        }
        Typed::UserPass(pair) => {
            let auth = case.authorization()?;
            let bytes = super::text::strict_base64(&auth.value)?;
            let sent = String::from_utf8_lossy(&bytes).into_owned();
            // `-u user` alone (the password given another way, `docker login -u … -p …`):
            // compare the user part only.
            let sent = match pair.contains(':') {
                true => sent,
                false => sent.split(':').next().unwrap_or("").to_string(),
            };
            special(pair, &sent, sent != *pair).map(|why| (why, auth.anchor.clone()))
        }
        Typed::Url(url) => {
            let u = Url::parse(url)?;
            let (_, query) = url.split_once('?')?;
            let lost = query.split('&').skip(1).find_map(|pair| {
                let name = pair.split('=').next().unwrap_or("");
                let kept = case.url.text.contains(&format!("{name}="))
                    || case.query.iter().any(|q| q.name == name);
                (super::case::is_credential_param(name) && !kept).then(|| name.to_string())
            })?;
            (u.host == case.host()).then(|| {
                (format!("the unquoted `&` ended the command before `{lost}=`, so the parameter never reached the client"), Anchor::url(0..case.draft.url.len()))
            })
        }
    }
}

/// The shell feature that turns `typed` into `sent`, if one does.
fn special(typed: &str, sent: &str, differs: bool) -> Option<String> {
    if !differs {
        return None;
    }
    let sent = sent.trim();
    if typed.contains('$')
        && (shell_expand(typed).trim().ends_with(sent) || sent.len() < typed.len())
    {
        let at = typed.find('$').unwrap_or(0);
        return Some(format!(
            "`$` at character {at} of the typed value starts a parameter expansion inside double quotes (or none), so the shell replaced it with an empty string"
        ));
    }
    if typed.contains('!') {
        return Some("`!` triggers bash history expansion inside double quotes".into());
    }
    None
}

/// `curl -H "Authorization: Bearer ab$cd"`: the shell expanded `$cd` before curl ran.
fn credential_mangled_by_shell(case: &Case, out: &mut Vec<Finding>) {
    for typed in typed_credentials(&case.ctx.client_args) {
        let Some((why, anchor)) = mangling(case, &typed) else {
            continue;
        };
        let mut f = case.finding(
            CauseId::CredentialMangledByShell,
            anchor,
            format!("The command line and the request disagree: {why}. The client received a different credential from the one typed. Single-quote the argument (or escape `$`, `!`, `&`), or pass the key through a variable or a file."),
            why.clone(),
        );
        f.evidence_kind = EvidenceKind::Context;
        out.push(f);
        return;
    }
}

/// Code that reads a variable, sent as text: the expression was quoted instead of evaluated.
const EXPRESSIONS: [&str; 8] = [
    "process.env.",
    "os.environ",
    "os.getenv(",
    "getenv(",
    "env(",
    "env[",
    "import.meta.env.",
    "secrets.",
];

/// Why this credential is a variable's name or an unexpanded reference, if it is.
fn name_not_value(case: &Case, cred: &Cred) -> Option<String> {
    let v = cred.value.trim();
    let lower = v.to_ascii_lowercase();
    if let Some(e) = EXPRESSIONS.iter().find(|e| lower.starts_with(*e)) {
        return Some(format!(
            "the code expression `{e}…` was sent as text instead of being evaluated"
        ));
    }
    let bare = v
        .trim_start_matches('$')
        .trim_start_matches("{{")
        .trim_start_matches('{');
    let bare = bare.trim_end_matches("}}").trim_end_matches('}').trim();
    let ident = !bare.is_empty()
        && bare.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if !ident {
        return None;
    }
    if v.starts_with('$') {
        return Some(format!(
            "`{v}` is a shell reference that nothing expanded (single quotes, a YAML or Docker `environment:` value, a .env read without expansion)"
        ));
    }
    if v.starts_with("{{") {
        return Some(format!(
            "`{v}` is a template variable the tool did not resolve (not defined in the active environment), sent as typed"
        ));
    }
    let upper = bare
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let known = case.vars.get(bare).is_some()
        || ["_KEY", "_TOKEN", "_SECRET", "_PASSWORD"]
            .iter()
            .any(|s| bare.ends_with(s));
    (upper && bare.contains('_') && known)
        .then(|| format!("`{bare}` is the name of a variable, sent instead of its value"))
}

/// `Bearer OPENAI_API_KEY`, `Bearer process.env.TOKEN`, `Bearer $API_KEY`, `{{token}}`.
fn credential_is_variable_name(case: &Case, out: &mut Vec<Finding>) {
    for cred in &case.creds {
        let Some(why) = name_not_value(case, cred) else {
            continue;
        };
        out.push(case.finding(
            CauseId::CredentialIsVariableName,
            cred.anchor.clone(),
            format!("The credential in {} is not a secret: {why}. Send the value: expand the variable (double quotes in a shell, `${{{{ secrets.X }}}}` in CI, define it in the active environment of the tool), or read it with the right call.", cred.label()),
            shown(&cred.value),
        ));
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_drops_what_it_expands() {
        assert_eq!(shell_expand("abc$DEF"), "abc");
        assert_eq!(shell_expand("ab$2Bcd"), "abBcd");
        assert_eq!(shell_expand("a${X}b"), "ab");
        assert_eq!(shell_expand("a$"), "a$");
    }

    #[test]
    fn a_shortened_value_with_a_dollar_is_mangled() {
        assert!(special("EXAMPLEtok_V=W$tEXAMPLE", "EXAMPLEtok_V=W", true).is_some());
        assert!(special("same", "same", false).is_none());
        assert!(special("plainFAKE", "other", true).is_none());
    }
}
