//! curl commands in and out: import what a browser's "Copy as cURL" or a README gives you,
//! export a request so it can be replayed outside authlens.
//!
//! Import understands the shell quoting those commands use (`'…'`, `"…"`, bash's `$'…'`,
//! backslash-newline continuations) and the flags that shape a request; options that only
//! change curl's own behaviour (`-L`, `-s`, `--compressed`…) are accepted and ignored.

use crate::draft::{AuthHelper, Body, Draft, Part, PartValue, Row};
use crate::vars::Resolved;
use crate::vars::resolve::{ResolvedBody, ResolvedPartValue};

/// Flags without an argument that do not change the request.
const IGNORED: [&str; 22] = [
    "-L",
    "--location",
    "-k",
    "--insecure",
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-i",
    "--include",
    "-v",
    "--verbose",
    "--compressed",
    "-f",
    "--fail",
    "-N",
    "--no-buffer",
    "--http1.1",
    "--http2",
    "-#",
    "--fail-with-body",
    "--globoff",
];
/// Flags whose argument does not change the request.
const IGNORED_WITH_ARG: [&str; 10] = [
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-w",
    "--write-out",
    "--retry",
    "-x",
    "--proxy",
];

/// Parses `curl …` into a draft, or says which word it could not understand.
pub fn parse(command: &str) -> Result<Draft, String> {
    let words = split(command)?;
    let mut it = words.into_iter();
    match it.next().as_deref() {
        Some("curl") => {}
        _ => return Err("does not start with `curl`".into()),
    }
    let mut p = Parsed::default();
    while let Some(w) = it.next() {
        p.word(&w, &mut it)?;
    }
    p.into_draft()
}

#[derive(Default)]
struct Parsed {
    url: Option<String>,
    method: Option<String>,
    headers: Vec<Row>,
    data: Vec<String>,
    json: Option<String>,
    form: Vec<Part>,
    user: Option<String>,
    get: bool,
    head: bool,
}

impl Parsed {
    fn word(&mut self, w: &str, rest: &mut impl Iterator<Item = String>) -> Result<(), String> {
        let mut arg = |flag: &str| rest.next().ok_or_else(|| format!("{flag} needs a value"));
        if !w.starts_with('-') || w == "-" {
            self.url = Some(w.to_string());
            return Ok(());
        }
        if IGNORED.contains(&w) || is_ignored_cluster(w) {
            return Ok(());
        }
        if IGNORED_WITH_ARG.contains(&w) {
            arg(w)?;
            return Ok(());
        }
        // `-XPOST`, `-HAccept: x`: a short flag with its value attached.
        // A non-ASCII character right after `-` is no flag of curl's; it must not be cut.
        let short = w.len() > 2 && !w.starts_with("--") && w.is_char_boundary(2);
        let (flag, value) = match short.then(|| w.split_at(2)) {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (w.to_string(), None),
        };
        let mut value = |flag: &str| value.clone().map_or_else(|| arg(flag), Ok);
        match flag.as_str() {
            "-X" | "--request" => self.method = Some(value(&flag)?),
            "-H" | "--header" => self.headers.push(header(&value(&flag)?)?),
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii"
            | "--data-urlencode" => self.data.push(value(&flag)?),
            "--json" => self.json = Some(value(&flag)?),
            "-F" | "--form" => {
                let spec = value(&flag)?;
                self.form
                    .push(form_part(&spec).map_err(|m| format!("form part {spec:?}: {m}"))?)
            }
            "-u" | "--user" => self.user = Some(value(&flag)?),
            "-b" | "--cookie" => self.headers.push(Row::new("Cookie", value(&flag)?)),
            "-A" | "--user-agent" => self.headers.push(Row::new("User-Agent", value(&flag)?)),
            "-e" | "--referer" => self.headers.push(Row::new("Referer", value(&flag)?)),
            "--url" => self.url = Some(value(&flag)?),
            "-G" | "--get" => self.get = true,
            "-I" | "--head" => self.head = true,
            _ => return Err(format!("unknown option {w}")),
        }
        Ok(())
    }

    fn into_draft(self) -> Result<Draft, String> {
        let mut url = self.url.ok_or("no URL")?;
        let mut d = Draft::new("GET", "");
        d.headers = self.headers;
        let has_ct = d.has_header("content-type");
        if self.get && !self.data.is_empty() {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&self.data.join("&"));
        } else if !self.data.is_empty() {
            let content_type = (!has_ct).then(|| "application/x-www-form-urlencoded".to_string());
            d.body = Body::Text {
                content_type,
                text: self.data.join("&"),
            };
        } else if let Some(json) = self.json {
            d.body = Body::Text {
                content_type: (!has_ct).then(|| "application/json".into()),
                text: json,
            };
        } else if !self.form.is_empty() {
            d.body = Body::Multipart { parts: self.form };
        }
        if let Some(user) = self.user {
            let (user, password) = user.split_once(':').unwrap_or((&user, ""));
            d.auth = AuthHelper::Basic {
                user: user.into(),
                password: password.into(),
            };
        }
        d.url = url;
        d.method = match (self.method, self.head) {
            (Some(m), _) => m,
            (None, true) => "HEAD".into(),
            (None, false) if d.body != Body::None => "POST".into(),
            _ => "GET".into(),
        };
        Ok(d)
    }
}

/// `-sSL`: a cluster of short flags that are all ignorable.
fn is_ignored_cluster(w: &str) -> bool {
    w.len() > 2 && !w.starts_with("--") && w[1..].chars().all(|c| "sSLkivfN#".contains(c))
}

fn header(h: &str) -> Result<Row, String> {
    if let Some(name) = h.strip_suffix(';').filter(|n| !n.contains(':')) {
        return Ok(Row::new(name.trim(), ""));
    }
    let (name, value) = h
        .split_once(':')
        .ok_or_else(|| format!("header {h:?} has no colon"))?;
    Ok(Row::new(name.trim(), value.trim_start()))
}

/// One `-F` value as curl reads it: `name=value`, or `name=@path[;type=…][;filename=…]`.
/// Shared by the CLI's `-F` and the curl importer, so both accept and refuse the same input.
pub fn form_part(f: &str) -> Result<Part, String> {
    let (name, value) = f
        .split_once('=')
        .ok_or_else(|| "expected `name=value` or `name=@path`".to_string())?;
    let Some(spec) = value.strip_prefix('@') else {
        let text = value.to_string();
        return Ok(Part {
            name: name.to_string(),
            value: PartValue::Text { text },
        });
    };
    let mut fields = spec.split(';');
    let path = fields.next().unwrap_or("").to_string();
    if path.is_empty() {
        return Err("no file path after @".into());
    }
    let (mut filename, mut content_type) = (None, None);
    for field in fields {
        match field.split_once('=') {
            Some(("type", t)) => content_type = Some(t.to_string()),
            Some(("filename", n)) => filename = Some(n.trim_matches('"').to_string()),
            _ => {
                return Err(format!(
                    "unknown part option {field:?} (use type= or filename=)"
                ));
            }
        }
    }
    Ok(Part {
        name: name.to_string(),
        value: PartValue::File {
            path,
            filename,
            content_type,
        },
    })
}

/// Splits a command line into words the way a POSIX shell (plus bash's `$'…'`) would.
pub fn split(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut chars = command.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            // A line continuation ends in LF, CRLF, or a bare CR (what a terminal pastes).
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') => {
                    chars.next_if_eq(&'\n');
                }
                Some(n) => cur.get_or_insert_default().push(n),
                None => {}
            },
            c if c.is_whitespace() => words.extend(cur.take()),
            '\'' => {
                let w = cur.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => w.push(ch),
                        None => return Err("unterminated '…' quote".into()),
                    }
                }
            }
            '"' => double_quoted(&mut chars, cur.get_or_insert_default())?,
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                ansi_c(&mut chars, cur.get_or_insert_default())?;
            }
            c => cur.get_or_insert_default().push(c),
        }
    }
    words.extend(cur);
    Ok(words)
}

fn double_quoted(chars: &mut impl Iterator<Item = char>, w: &mut String) -> Result<(), String> {
    loop {
        match chars.next() {
            Some('"') => return Ok(()),
            Some('\\') => match chars.next() {
                Some(n @ ('"' | '\\' | '$' | '`')) => w.push(n),
                Some('\n') => {}
                Some(n) => {
                    w.push('\\');
                    w.push(n);
                }
                None => return Err("unterminated \"…\" quote".into()),
            },
            Some(ch) => w.push(ch),
            None => return Err("unterminated \"…\" quote".into()),
        }
    }
}

/// bash's `$'…'` as Chrome writes it: `\n`, `\t`, `\r`, `\\`, `\'`, `\"`, `\xHH`, `\uHHHH`.
fn ansi_c(chars: &mut std::iter::Peekable<std::str::Chars>, w: &mut String) -> Result<(), String> {
    let hex = |chars: &mut std::iter::Peekable<std::str::Chars>, max: usize| {
        let mut s = String::new();
        while s.len() < max && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            s.extend(chars.next());
        }
        u32::from_str_radix(&s, 16).ok().and_then(char::from_u32)
    };
    loop {
        match chars.next() {
            Some('\'') => return Ok(()),
            Some('\\') => match chars.next() {
                Some('n') => w.push('\n'),
                Some('t') => w.push('\t'),
                Some('r') => w.push('\r'),
                Some('x') => w.extend(hex(chars, 2)),
                Some('u') => w.extend(hex(chars, 4)),
                Some(n) => w.push(n),
                None => return Err("unterminated $'…' quote".into()),
            },
            Some(ch) => w.push(ch),
            None => return Err("unterminated $'…' quote".into()),
        }
    }
}

/// Quotes a word for a POSIX shell.
pub fn quote(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=".contains(c))
    {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A curl command that can be shared and still run: each credential variable is left as a
/// shell reference (`"${OPENAI_API_KEY}"`) instead of its value, and any other secret (a key
/// typed literally, a Basic header computed from a secret) is masked. Also returns the names
/// of the variables the command expects to be set.
pub fn export_with_references(draft: &Draft, vars: &crate::vars::Vars) -> (String, Vec<String>) {
    // Stand-ins that quote() always single-quotes and no one types.
    let stand_in = |name: &str| format!("\u{1}{name}\u{1}");
    let mut hidden = vars.clone();
    for (name, b) in hidden.bindings.iter_mut() {
        if crate::secret::is_credential_name(name) {
            b.value = stand_in(name);
        }
    }
    let mut text = export(&crate::vars::resolve(draft, &hidden));
    let mut used = Vec::new();
    for name in hidden.bindings.keys() {
        let raw = stand_in(name);
        let encoded = format!("%01{name}%01");
        if text.contains(&raw) || text.contains(&encoded) {
            // Inside '…': close it, expand the variable in "…", reopen.
            let shell = format!("'\"${{{name}}}\"'");
            text = text.replace(&raw, &shell).replace(&encoded, &shell);
            used.push(name.clone());
        }
    }
    let real = crate::vars::resolve(draft, vars);
    (real.redactor.redact(&text), used)
}

/// A curl command for a resolved request (values as they would be sent; mask before showing).
pub fn export(r: &Resolved) -> String {
    let mut url = r.url.text.clone();
    for q in &r.query {
        url.push(if url.contains('?') { '&' } else { '?' });
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        url.push_str(&format!("{}={}", enc(&q.name.text), enc(&q.value.text)));
    }
    let mut out = format!("curl -X {} {}", quote(&r.method), quote(&url));
    for h in &r.headers {
        out.push_str(&format!(
            " \\\n  -H {}",
            quote(&format!("{}: {}", h.name.text, h.value.text))
        ));
    }
    match &r.body {
        ResolvedBody::None => {}
        ResolvedBody::Text { text, .. } => {
            out.push_str(&format!(" \\\n  --data-raw {}", quote(&text.text)))
        }
        ResolvedBody::Multipart(parts) => {
            for p in parts {
                let v = match &p.value {
                    ResolvedPartValue::Text(t) => format!("{}={t}", p.name),
                    ResolvedPartValue::File { path, .. } => format!("{}=@{path}", p.name),
                };
                out.push_str(&format!(" \\\n  -F {}", quote(&v)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_copy_as_curl_with_continuations_and_ansi_c_quoting() {
        let cmd = "curl 'https://api.example.test/v1/x' \\\n  -H 'accept: */*' \\\n  -H $'x-note: it\\'s\\tfine' \\\n  --data-raw $'{\"a\":\"b\\u00e9\"}' \\\n  --compressed";
        let d = parse(cmd).unwrap();
        assert_eq!(d.url, "https://api.example.test/v1/x");
        assert_eq!(d.method, "POST");
        assert_eq!(d.headers[1], Row::new("x-note", "it's\tfine"));
        assert!(matches!(&d.body, Body::Text { text, .. } if text == "{\"a\":\"bé\"}"));
    }

    #[test]
    fn continuations_ending_in_crlf_or_a_bare_cr_join_lines_too() {
        for eol in ["\r\n", "\r"] {
            let cmd =
                format!("curl 'http://h/v1' \\{eol}  -H 'x-api-key: EXAMPLE' \\{eol}  -X POST");
            let d = parse(&cmd).unwrap();
            assert_eq!(
                (d.method.as_str(), d.url.as_str()),
                ("POST", "http://h/v1"),
                "{eol:?}"
            );
            assert_eq!(d.headers, vec![Row::new("x-api-key", "EXAMPLE")]);
        }
    }

    #[test]
    fn flags_with_attached_values_users_and_forms() {
        let d = parse(r#"curl -sSL -XPUT "http://h/\$x" -u learner:EXAMPLE -F 'files=@/tmp/a.jpg;type=image/jpeg'"#).unwrap();
        assert_eq!((d.method.as_str(), d.url.as_str()), ("PUT", "http://h/$x"));
        assert_eq!(
            d.auth,
            AuthHelper::Basic {
                user: "learner".into(),
                password: "EXAMPLE".into()
            }
        );
        assert!(matches!(&d.body, Body::Multipart { parts } if parts.len() == 1));
    }

    #[test]
    fn errors_name_the_problem() {
        assert_eq!(
            parse("wget http://h/").unwrap_err(),
            "does not start with `curl`"
        );
        assert_eq!(
            parse("curl 'http://h/").unwrap_err(),
            "unterminated '…' quote"
        );
        assert_eq!(
            parse("curl --frobnicate http://h/").unwrap_err(),
            "unknown option --frobnicate"
        );
        assert_eq!(parse("curl -H").unwrap_err(), "-H needs a value");
        // Found by the property test: a pasted `-` and a multi-byte character panicked.
        let odd = parse("curl -\u{de6} http://h/").unwrap_err();
        assert!(odd.contains("-\u{de6}"), "{odd}");
    }

    #[test]
    fn a_shared_command_refers_to_the_secret_and_runs_in_a_shell() {
        let d = Draft::new("GET", "http://h/v1")
            .header("Authorization", "Bearer ${OPENAI_API_KEY}")
            .header("X-Trace", "${TRACE}");
        let vars = crate::vars::Vars::build(
            &[
                ("OPENAI_API_KEY".into(), "sk-EXAMPLE-FAKE-0000000000".into()),
                ("TRACE".into(), "t-1".into()),
            ],
            std::iter::empty(),
            Default::default(),
        );
        let (cmd, used) = export_with_references(&d, &vars);
        assert_eq!(used, ["OPENAI_API_KEY"]);
        assert!(!cmd.contains("sk-EXAMPLE-FAKE"), "{cmd}");
        assert!(
            cmd.contains(r#"-H 'Authorization: Bearer '"${OPENAI_API_KEY}"''"#),
            "{cmd}"
        );
        assert!(cmd.contains("-H 'X-Trace: t-1'"), "{cmd}");
        // A real shell expands it: the command with printf in curl's place prints the header.
        let printing = cmd.replacen("curl", "printf '%s\\n'", 1);
        let out = std::process::Command::new("sh")
            .args(["-c", &printing])
            .env("OPENAI_API_KEY", "sk-EXAMPLE-FROM-THE-SHELL")
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.lines()
                .any(|l| l == "Authorization: Bearer sk-EXAMPLE-FROM-THE-SHELL"),
            "{out}"
        );
    }

    #[test]
    fn export_round_trips_through_import() {
        let d = Draft::new("POST", "http://h/a?b=1").header("Authorization", "Bearer EXAMPLE it's");
        let r = crate::vars::resolve(&d, &crate::vars::Vars::default());
        let back = parse(&export(&r)).unwrap();
        assert_eq!(back.headers, d.headers);
        assert_eq!(back.url, d.url);
    }
}
