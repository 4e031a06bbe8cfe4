//! How each `.env` loader really reads a file: dotenvy 0.15.7, python-dotenv 1.2.2,
//! `docker run --env-file`, and a shell's `set -a; source .env` (docs/catalogue.md §3).
//!
//! The same text loads differently in each — quotes kept or stripped, `$VAR` expanded or not,
//! a BOM that hides the first key, a bad line that stops everything or only itself — and
//! several causes are exactly that difference. These are pure ports: substitution reads the
//! process environment given to them, never the real one.

use std::collections::{BTreeMap, HashMap};

/// A `.env` loader, as named by `context.loader`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loader {
    /// `dotenvy::dotenv()` / `from_path()`: first occurrence wins, existing variables kept.
    Dotenvy,
    /// `dotenvy::dotenv_override()`: last occurrence wins and overrides the process env.
    DotenvyOverride,
    /// `load_dotenv()` (override=False): last occurrence wins in the file, process env kept.
    PythonDotenv,
    /// `load_dotenv(override=True)`: the file wins over the process env.
    PythonDotenvOverride,
    /// `docker run --env-file`: values taken literally, quotes and comments included.
    DockerEnvFile,
    /// `set -a; source .env` in a POSIX shell.
    ShellSource,
    /// Nothing loads the `.env`: its variables are missing in the program.
    None,
    /// motdotla/dotenv (`dotenv.config()`): no parent search, no `$` expansion, last wins.
    NodeDotenv,
    /// Docker Compose `environment:`: values literal but `$` interpolated by compose.
    DockerComposeEnvironment,
}

impl Loader {
    /// Names and aliases (docs/context.md): `python-dotenv*`, `dotenvy*`, `node-dotenv` or
    /// `dotenv`, `docker-env-file`, `docker-compose-environment`, `shell-source`, `none`.
    /// The vocabulary's table decides (`rules::vocabulary`); a name it does not know is
    /// guessed from its words, as files have always been read, and anything else is read as
    /// dotenvy, authlens's own loader.
    pub fn parse(name: &str) -> Loader {
        super::vocabulary::loader_named(name).unwrap_or_else(|| Loader::guess(name))
    }

    /// A loader from the words of a name the table does not know (`python-dotenv 1.0 (main)`).
    fn guess(name: &str) -> Loader {
        let n = name.trim().to_ascii_lowercase();
        if matches!(n.as_str(), "none" | "no-loader" | "nothing") {
            Loader::None
        } else if n.starts_with("node-dotenv") || n == "dotenv" || n.starts_with("dotenv-1") {
            Loader::NodeDotenv
        } else if n.contains("compose") {
            Loader::DockerComposeEnvironment
        } else if n.contains("python") && n.contains("override") {
            Loader::PythonDotenvOverride
        } else if n.contains("python") {
            Loader::PythonDotenv
        } else if n.contains("docker") {
            Loader::DockerEnvFile
        } else if n.contains("shell") || n.contains("source") {
            Loader::ShellSource
        } else if n.contains("override") {
            Loader::DotenvyOverride
        } else {
            Loader::Dotenvy
        }
    }

    /// Does a value from the file replace one already in the process environment?
    pub fn overrides_process_env(self) -> bool {
        matches!(
            self,
            Loader::DotenvyOverride
                | Loader::PythonDotenvOverride
                | Loader::DockerEnvFile
                | Loader::ShellSource
                | Loader::DockerComposeEnvironment
        )
    }

    /// Is the file named to it (`--env-file`, `source FILE`, compose's `env_file:`) rather
    /// than searched for? Such a loader always finds its file.
    pub fn reads_the_file_named(self) -> bool {
        matches!(
            self,
            Loader::DockerEnvFile | Loader::ShellSource | Loader::DockerComposeEnvironment
        )
    }

    /// Would this loader, searching from `start`, find the `.env` at `path`? Every searcher
    /// looks in `start`; all but node dotenv (and dotenvy 0.16's CLI: `only_start`) walk up
    /// through its parents too.
    pub fn search_finds(self, start: &str, path: &str, only_start: bool) -> bool {
        use super::from_file::{is_ancestor, parent, same_dir};
        let dir = parent(path);
        let walks_up = !only_start && self != Loader::NodeDotenv;
        same_dir(start, dir) || (walks_up && is_ancestor(dir, start))
    }

    /// With duplicate keys in one file, does the first one win?
    pub fn first_wins_in_file(self) -> bool {
        self == Loader::Dotenvy
    }

    pub fn name(self) -> &'static str {
        match self {
            Loader::Dotenvy => "dotenvy 0.15 (dotenv())",
            Loader::DotenvyOverride => "dotenvy 0.15 (dotenv_override())",
            Loader::PythonDotenv => "python-dotenv 1.2.2",
            Loader::PythonDotenvOverride => "python-dotenv 1.2.2 (override=True)",
            Loader::DockerEnvFile => "docker run --env-file",
            Loader::ShellSource => "shell `source`",
            Loader::None => "no loader (nothing reads .env)",
            Loader::NodeDotenv => "node dotenv (dotenv.config())",
            Loader::DockerComposeEnvironment => "docker compose `environment:`",
        }
    }
}

/// How the value was quoted in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    None,
    Single,
    Double,
}

/// One assignment the loader produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The value after loading.
    pub value: String,
    /// The text after `=` as written in the file (leading blanks skipped).
    pub raw: String,
    pub quote: Quote,
    /// 1-based line of the key.
    pub line: usize,
}

/// A line the loader rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

/// A `.env` file as one loader reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    pub path: String,
    pub loader: Loader,
    /// The bytes started with a UTF-8 byte order mark.
    pub bom: bool,
    /// Whether the loader finds this file at all from where the program runs.
    pub found: bool,
    pub entries: Vec<Entry>,
    pub errors: Vec<LineError>,
    /// Loading stopped at the first error, so keys after it were never set (dotenvy, docker).
    pub stopped: bool,
    /// The first key's real name when the BOM glued itself to it and hid it.
    pub bom_hidden_key: Option<String>,
    /// Every key written in the file, with its line, whether or not it loaded.
    pub written: Vec<(String, usize)>,
    /// The file's text as read, so it can be read again as another loader would (the user's
    /// own program, `rules::as_program`).
    pub text: String,
}

impl Loaded {
    /// The value this loader gives `key`, honouring first-or-last-wins within the file.
    pub fn value(&self, key: &str) -> Option<&Entry> {
        let mut matching = self.entries.iter().filter(|e| e.key == key);
        if self.loader.first_wins_in_file() {
            matching.next()
        } else {
            matching.next_back()
        }
    }

    /// The line where `key` is written, whether or not it loaded.
    pub fn written_line(&self, key: &str) -> Option<usize> {
        self.written.iter().find(|(k, _)| k == key).map(|(_, l)| *l)
    }
}

/// Reads `.env` text with `loader`'s rules. `process` is the environment substitution sees;
/// `strip_bom` is false only for dotenvy's `*_iter` functions, which keep the BOM.
pub fn load(
    path: &str,
    text: &str,
    loader: Loader,
    process: &BTreeMap<String, String>,
    strip_bom: bool,
) -> Loaded {
    let bom = text.starts_with('\u{feff}');
    let mut loaded = Loaded {
        path: path.to_string(),
        loader,
        bom,
        found: true,
        entries: Vec::new(),
        errors: Vec::new(),
        stopped: false,
        bom_hidden_key: None,
        written: written_keys(text.trim_start_matches('\u{feff}')),
        text: text.to_string(),
    };
    match loader {
        Loader::Dotenvy | Loader::DotenvyOverride => {
            let body = if bom && strip_bom { &text[3..] } else { text };
            dotenvy::load(body, process, &mut loaded);
        }
        Loader::PythonDotenv => python::load(text, process, false, &mut loaded),
        Loader::PythonDotenvOverride => python::load(text, process, true, &mut loaded),
        Loader::DockerEnvFile => docker_load(text, &mut loaded),
        Loader::ShellSource => shell::load(text, process, &mut loaded),
        Loader::None => {
            dotenvy::load(text.trim_start_matches('\u{feff}'), process, &mut loaded);
            loaded.found = false;
        }
        Loader::NodeDotenv => super::loader_node::load(text, &mut loaded),
        Loader::DockerComposeEnvironment => super::loader_compose::load(text, process, &mut loaded),
    }
    if let Some(first) = loaded
        .entries
        .first()
        .filter(|e| e.key.starts_with('\u{feff}'))
    {
        loaded.bom_hidden_key = Some(first.key.trim_start_matches('\u{feff}').to_string());
    } else if bom && loaded.loader == Loader::ShellSource {
        loaded.bom_hidden_key = loaded.written.first().map(|(k, _)| k.clone());
    }
    loaded
}

/// `KEY=` assignments as written, found by a loose scan that no loader's quirks affect.
fn written_keys(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_start();
        let l = l.strip_prefix("export ").map_or(l, str::trim_start);
        let end = l
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(l.len());
        if end > 0 && l[end..].trim_start().starts_with('=') && !l.starts_with('#') {
            out.push((l[..end].to_string(), i + 1));
        }
    }
    out
}

/// The text after the first `=` on `line`, leading blanks skipped.
fn raw_after_equals(line: &str) -> String {
    line.split_once('=').map_or(String::new(), |(_, v)| {
        v.trim_start_matches([' ', '\t']).to_string()
    })
}

fn quote_of(raw: &str) -> Quote {
    match raw.chars().next() {
        Some('\'') => Quote::Single,
        Some('"') => Quote::Double,
        _ => Quote::None,
    }
}

/// docker/cli `parseKeyValueFile`: literal values, a leading BOM trimmed, CR of CRLF dropped.
fn docker_load(text: &str, loaded: &mut Loaded) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, physical) in text.split('\n').enumerate() {
        let line = physical.strip_suffix('\r').unwrap_or(physical).trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (variable, value) = line.split_once('=').unwrap_or((line, ""));
        let variable = variable.trim_start_matches([' ', '\t']);
        if variable.is_empty() || variable.contains([' ', '\t', '\n', '\u{b}', '\u{c}', '\r']) {
            loaded.errors.push(LineError {
                line: i + 1,
                message: format!("docker: invalid variable name {variable:?}"),
            });
            loaded.stopped = true;
            return;
        }
        if !line.contains('=') {
            continue; // `NAME` alone copies the host variable; nothing from the file
        }
        loaded.entries.push(Entry {
            key: variable.to_string(),
            value: value.to_string(),
            raw: value.to_string(),
            quote: quote_of(value),
            line: i + 1,
        });
    }
}

/// A port of dotenvy 0.15.7 `iter.rs` (`QuotedLines`) and `parse.rs` (`LineParser`).
mod dotenvy {
    use super::*;

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum State {
        Complete,
        Escape,
        StrongOpen,
        StrongOpenEscape,
        WeakOpen,
        WeakOpenEscape,
        Comment,
        WhiteSpace,
    }

    fn end_state(mut state: State, buf: &str) -> (usize, State) {
        let mut cur = 0;
        for (pos, c) in buf.char_indices() {
            cur = pos;
            state = match state {
                State::WhiteSpace => match c {
                    '#' => return (cur, State::Comment),
                    '\\' => State::Escape,
                    '"' => State::WeakOpen,
                    '\'' => State::StrongOpen,
                    _ => State::Complete,
                },
                State::Escape => State::Complete,
                State::Complete => match c {
                    c if c.is_whitespace() && c != '\n' && c != '\r' => State::WhiteSpace,
                    '\\' => State::Escape,
                    '"' => State::WeakOpen,
                    '\'' => State::StrongOpen,
                    _ => State::Complete,
                },
                State::WeakOpen => match c {
                    '\\' => State::WeakOpenEscape,
                    '"' => State::Complete,
                    _ => State::WeakOpen,
                },
                State::WeakOpenEscape => State::WeakOpen,
                State::StrongOpen => match c {
                    '\\' => State::StrongOpenEscape,
                    '\'' => State::Complete,
                    _ => State::StrongOpen,
                },
                State::StrongOpenEscape => State::StrongOpen,
                State::Comment => return (cur, State::Comment),
            };
        }
        (cur, state)
    }

    /// Logical lines (a quoted value may span lines), each with its first physical line number.
    fn logical_lines(text: &str) -> Vec<(usize, Result<String, ()>)> {
        let mut out = Vec::new();
        let mut physical = text.split_inclusive('\n').enumerate().peekable();
        while let Some((first, line)) = physical.next() {
            let mut buf = String::new();
            let mut state = State::Complete;
            let mut next = Some(line);
            loop {
                let Some(piece) = next else {
                    if state != State::Complete {
                        out.push((first + 1, Err(())));
                    }
                    break;
                };
                let start = buf.len();
                buf.push_str(piece);
                if buf.trim_start().starts_with('#') {
                    out.push((first + 1, Ok(String::new())));
                    break;
                }
                let (pos, s) = end_state(state, &buf[start..]);
                state = s;
                match state {
                    State::Complete => {
                        if buf.ends_with('\n') {
                            buf.pop();
                            if buf.ends_with('\r') {
                                buf.pop();
                            }
                        }
                        out.push((first + 1, Ok(buf)));
                        break;
                    }
                    State::Comment => {
                        buf.truncate(start + pos);
                        out.push((first + 1, Ok(buf)));
                        break;
                    }
                    _ => next = physical.next().map(|(_, l)| l),
                }
            }
        }
        out
    }

    pub(super) fn load(text: &str, process: &BTreeMap<String, String>, loaded: &mut Loaded) {
        let mut subst: HashMap<String, Option<String>> = HashMap::new();
        for (line_no, line) in logical_lines(text) {
            let parsed = match line {
                Ok(l) => parse_line(&l, process, &mut subst).map(|kv| kv.map(|kv| (kv, l))),
                Err(()) => Err(()),
            };
            match parsed {
                Ok(None) => {}
                Ok(Some(((key, value), l))) => {
                    let raw = raw_after_equals(&l).trim_end().to_string();
                    loaded.entries.push(Entry {
                        key,
                        value,
                        quote: quote_of(&raw),
                        raw,
                        line: line_no,
                    });
                }
                Err(()) => {
                    loaded.errors.push(LineError {
                        line: line_no,
                        message: "dotenvy cannot parse this line; loading stops here".into(),
                    });
                    loaded.stopped = true;
                    return;
                }
            }
        }
    }

    type Parsed = Result<Option<(String, String)>, ()>;

    fn parse_line(
        line: &str,
        process: &BTreeMap<String, String>,
        subst: &mut HashMap<String, Option<String>>,
    ) -> Parsed {
        let mut rest = line.trim_end();
        skip_ws(&mut rest);
        if rest.is_empty() || rest.starts_with('#') {
            return Ok(None);
        }
        let mut key = parse_key(&mut rest)?;
        skip_ws(&mut rest);
        if key == "export" {
            if !expect_equal(&mut rest) {
                key = parse_key(&mut rest)?;
                skip_ws(&mut rest);
                if !expect_equal(&mut rest) {
                    return Err(());
                }
            }
        } else if !expect_equal(&mut rest) {
            return Err(());
        }
        skip_ws(&mut rest);
        if rest.is_empty() || rest.starts_with('#') {
            subst.insert(key.clone(), None);
            return Ok(Some((key, String::new())));
        }
        let value = parse_value(rest, process, subst)?;
        subst.insert(key.clone(), Some(value.clone()));
        Ok(Some((key, value)))
    }

    fn skip_ws(rest: &mut &str) {
        *rest = rest.trim_start();
    }

    fn parse_key(rest: &mut &str) -> Result<String, ()> {
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Err(());
        }
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        let key = rest[..end].to_string();
        *rest = &rest[end..];
        Ok(key)
    }

    fn expect_equal(rest: &mut &str) -> bool {
        match rest.strip_prefix('=') {
            Some(r) => {
                *rest = r;
                true
            }
            None => false,
        }
    }

    #[derive(PartialEq)]
    enum Subst {
        None,
        Block,
        EscapedBlock,
    }

    fn parse_value(
        input: &str,
        process: &BTreeMap<String, String>,
        data: &mut HashMap<String, Option<String>>,
    ) -> Result<String, ()> {
        let (mut strong, mut weak, mut escaped, mut expecting_end) = (false, false, false, false);
        let mut out = String::new();
        let mut mode = Subst::None;
        let mut name = String::new();
        let apply = |name: &mut String, out: &mut String| {
            let n = std::mem::take(name);
            match process.get(&n) {
                Some(v) => out.push_str(v),
                None => out.push_str(data.get(&n).cloned().flatten().as_deref().unwrap_or("")),
            }
        };
        for c in input.chars() {
            if expecting_end {
                match c {
                    ' ' | '\t' => continue,
                    '#' => break,
                    _ => return Err(()),
                }
            } else if escaped {
                match c {
                    '\\' | '\'' | '"' | '$' | ' ' => out.push(c),
                    'n' => out.push('\n'),
                    _ => return Err(()),
                }
                escaped = false;
            } else if strong {
                if c == '\'' {
                    strong = false;
                } else {
                    out.push(c);
                }
            } else if mode != Subst::None {
                if c.is_alphanumeric() {
                    name.push(c);
                } else if mode == Subst::Block {
                    if c == '{' && name.is_empty() {
                        mode = Subst::EscapedBlock;
                    } else {
                        apply(&mut name, &mut out);
                        if c == '$' {
                            mode = Subst::Block;
                        } else {
                            mode = Subst::None;
                            out.push(c);
                        }
                    }
                } else if c == '}' {
                    mode = Subst::None;
                    apply(&mut name, &mut out);
                } else {
                    name.push(c);
                }
            } else if c == '$' {
                mode = Subst::Block;
            } else if weak {
                match c {
                    '"' => weak = false,
                    '\\' => escaped = true,
                    _ => out.push(c),
                }
            } else if c == '\'' {
                strong = true;
            } else if c == '"' {
                weak = true;
            } else if c == '\\' {
                escaped = true;
            } else if c == ' ' || c == '\t' {
                expecting_end = true;
            } else {
                out.push(c);
            }
        }
        if mode == Subst::EscapedBlock || strong || weak {
            return Err(());
        }
        apply(&mut name, &mut out);
        Ok(out)
    }
}

/// A port of python-dotenv 1.2.2 `parser.py` (regex grammar) and `variables.py` (`${NAME}`).
mod python {
    use super::*;

    /// Python's `str.isspace`, which `\s` in a str pattern follows.
    fn is_space(c: char) -> bool {
        c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
    }

    fn is_inline_space(c: char) -> bool {
        is_space(c) && c != '\r' && c != '\n'
    }

    struct Reader<'a> {
        text: &'a str,
        pos: usize,
    }

    impl Reader<'_> {
        fn rest(&self) -> &str {
            &self.text[self.pos..]
        }
        fn peek(&self) -> Option<char> {
            self.rest().chars().next()
        }
        fn skip_while(&mut self, f: impl Fn(char) -> bool) -> &str {
            let start = self.pos;
            let len = self
                .rest()
                .find(|c: char| !f(c))
                .unwrap_or(self.rest().len());
            self.pos += len;
            &self.text[start..self.pos]
        }
        fn line(&self) -> usize {
            self.text[..self.pos].matches('\n').count() + 1
        }
        fn end_of_line(&mut self) -> bool {
            self.skip_while(is_inline_space);
            for nl in ["\r\n", "\n", "\r"] {
                if self.rest().starts_with(nl) {
                    self.pos += nl.len();
                    return true;
                }
            }
            self.rest().is_empty()
        }
        /// `[^\r\n]*(?:\r|\n|\r\n)?` after a bad statement.
        fn skip_rest_of_line(&mut self) {
            self.skip_while(|c| c != '\r' && c != '\n');
            if self.rest().starts_with(['\r', '\n']) {
                self.pos += 1;
            }
        }
    }

    pub(super) fn load(
        text: &str,
        process: &BTreeMap<String, String>,
        override_env: bool,
        loaded: &mut Loaded,
    ) {
        let mut r = Reader { text, pos: 0 };
        let mut earlier: Vec<(String, String)> = Vec::new();
        loop {
            r.skip_while(is_space);
            if r.rest().is_empty() {
                break;
            }
            let line = r.line();
            match binding(&mut r) {
                Ok(Some((key, raw, value))) => {
                    let value = interpolate(&value, process, &earlier, override_env);
                    earlier.push((key.clone(), value.clone()));
                    loaded.entries.push(Entry {
                        key,
                        value,
                        quote: quote_of(&raw),
                        raw,
                        line,
                    });
                }
                Ok(None) => {}
                Err(()) => {
                    r.skip_rest_of_line();
                    loaded.errors.push(LineError {
                        line,
                        message: format!(
                            "python-dotenv could not parse statement starting at line {line} (skipped)"
                        ),
                    });
                }
            }
        }
    }

    type Binding = Option<(String, String, String)>;

    fn binding(r: &mut Reader) -> Result<Binding, ()> {
        if let Some(after) = r.rest().strip_prefix("export")
            && after.starts_with(is_inline_space)
        {
            r.pos += "export".len();
            r.skip_while(is_inline_space);
        }
        let key = match r.peek() {
            Some('#') => None,
            Some('\'') => {
                let close = r.rest()[1..].find('\'').filter(|&i| i > 0).ok_or(())?;
                let k = r.rest()[1..1 + close].to_string();
                r.pos += close + 2;
                Some(k)
            }
            _ => {
                let k = r.skip_while(|c| c != '=' && c != '#' && !is_space(c));
                if k.is_empty() {
                    return Err(());
                }
                Some(k.to_string())
            }
        };
        r.skip_while(is_inline_space);
        let mut value = None;
        if r.peek() == Some('=') {
            r.pos += 1;
            r.skip_while(is_inline_space);
            let start = r.pos;
            let v = parse_value(r)?;
            value = Some((r.text[start..r.pos].to_string(), v));
        }
        // `(?:[^\S\r\n]*#[^\r\n]*)?` then the end of the line.
        let save = r.pos;
        r.skip_while(is_inline_space);
        if r.peek() == Some('#') {
            r.skip_while(|c| c != '\r' && c != '\n');
        } else {
            r.pos = save;
        }
        if !r.end_of_line() {
            return Err(());
        }
        Ok(match (key, value) {
            (Some(k), Some((raw, v))) => Some((k, raw.trim_end().to_string(), v)),
            _ => None,
        })
    }

    fn parse_value(r: &mut Reader) -> Result<String, ()> {
        match r.peek() {
            Some(q @ ('\'' | '"')) => {
                let body = &r.rest()[1..];
                let mut chars = body.char_indices();
                let close = loop {
                    match chars.next() {
                        // `\\<q>` belongs to the value; anything else after `\` is plain.
                        Some((_, '\\')) => {
                            if chars.clone().next().is_some_and(|(_, c)| c == q) {
                                chars.next();
                            }
                        }
                        Some((i, c)) if c == q => break i,
                        Some(_) => {}
                        None => return Err(()),
                    }
                };
                let inner = body[..close].to_string();
                r.pos += close + 2;
                Ok(decode_escapes(&inner, q))
            }
            None | Some('\n') | Some('\r') => Ok(String::new()),
            Some(_) => {
                let part = r.skip_while(|c| c != '\r' && c != '\n');
                Ok(strip_comment(part).trim_end_matches(is_space).to_string())
            }
        }
    }

    /// `re.sub(r"\s+#.*", "", part)`: a `#` counts only after whitespace.
    fn strip_comment(part: &str) -> &str {
        let mut ws_start = None;
        for (i, c) in part.char_indices() {
            if is_space(c) {
                ws_start.get_or_insert(i);
            } else if c == '#' && ws_start.is_some() {
                return &part[..ws_start.unwrap_or(i)];
            } else {
                ws_start = None;
            }
        }
        part
    }

    /// Single quotes decode `\\` and `\'`; double quotes also `\"` and `\a\b\f\n\r\t\v`.
    fn decode_escapes(inner: &str, quote: char) -> String {
        let mut out = String::new();
        let mut chars = inner.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            let next = chars.peek().copied();
            let decoded = match (quote, next) {
                (_, Some('\\')) => Some('\\'),
                (_, Some('\'')) => Some('\''),
                ('"', Some('"')) => Some('"'),
                ('"', Some('a')) => Some('\u{7}'),
                ('"', Some('b')) => Some('\u{8}'),
                ('"', Some('f')) => Some('\u{c}'),
                ('"', Some('n')) => Some('\n'),
                ('"', Some('r')) => Some('\r'),
                ('"', Some('t')) => Some('\t'),
                ('"', Some('v')) => Some('\u{b}'),
                _ => None,
            };
            match decoded {
                Some(d) => {
                    out.push(d);
                    chars.next();
                }
                None => out.push('\\'),
            }
        }
        out
    }

    /// `${NAME}` and `${NAME:-default}`; with override=False the process env wins, with
    /// override=True earlier lines of the file win (`resolve_variables`).
    fn interpolate(
        value: &str,
        process: &BTreeMap<String, String>,
        earlier: &[(String, String)],
        override_env: bool,
    ) -> String {
        let mut out = String::new();
        let mut rest = value;
        while let Some(start) = rest.find("${") {
            let Some(len) = rest[start + 2..].find('}') else {
                break;
            };
            let inner = &rest[start + 2..start + 2 + len];
            let (name, default) = match inner.split_once(":-") {
                Some((n, d)) => (n, Some(d)),
                None => (inner, None),
            };
            if name.contains(':') {
                out.push_str(&rest[..start + 3 + len]);
                rest = &rest[start + 3 + len..];
                continue;
            }
            out.push_str(&rest[..start]);
            let from_file = || {
                earlier
                    .iter()
                    .rev()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            };
            let found = if override_env {
                from_file().or_else(|| process.get(name).cloned())
            } else {
                process.get(name).cloned().or_else(from_file)
            };
            out.push_str(&found.unwrap_or_else(|| default.unwrap_or("").to_string()));
            rest = &rest[start + 3 + len..];
        }
        out.push_str(rest);
        out
    }
}

/// `set -a; source .env`: each line a shell command; CR of CRLF files stays in the value.
mod shell {
    use super::*;

    pub(super) fn load(text: &str, process: &BTreeMap<String, String>, loaded: &mut Loaded) {
        let mut set: Vec<(String, String)> = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            let l = line.trim_start_matches([' ', '\t']);
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let l = l
                .strip_prefix("export")
                .filter(|r| r.starts_with([' ', '\t']))
                .map_or(l, |r| r.trim_start_matches([' ', '\t']));
            match assignment(l, process, &set) {
                Some((key, raw, value)) => {
                    set.push((key.clone(), value.clone()));
                    loaded.entries.push(Entry {
                        key,
                        value,
                        quote: quote_of(&raw),
                        raw,
                        line: i + 1,
                    });
                }
                None => loaded.errors.push(LineError {
                    line: i + 1,
                    message: "the shell runs this line as a command, so nothing is assigned".into(),
                }),
            }
        }
    }

    /// `NAME=word` alone on the line (a comment may follow); `None` when it is anything else.
    fn assignment(
        line: &str,
        process: &BTreeMap<String, String>,
        set: &[(String, String)],
    ) -> Option<(String, String, String)> {
        let eq = line.find('=')?;
        let name = &line[..eq];
        let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return None;
        }
        let raw = &line[eq + 1..];
        let (value, used) = word(raw, process, set)?;
        let after = &raw[used..];
        let after_trim = after.trim_start_matches([' ', '\t']);
        if !(after_trim.is_empty() || after_trim.starts_with('#')) {
            return None; // `K=v cmd`: K is set only for that command
        }
        Some((name.to_string(), raw[..used].to_string(), value))
    }

    /// One shell word: quotes removed, `$NAME`/`${NAME}` expanded; returns it and bytes used.
    fn word(
        raw: &str,
        process: &BTreeMap<String, String>,
        set: &[(String, String)],
    ) -> Option<(String, usize)> {
        let lookup = |n: &str| {
            set.iter()
                .rev()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.clone())
                .or_else(|| process.get(n).cloned())
                .unwrap_or_default()
        };
        let mut out = String::new();
        let mut chars = raw.char_indices().peekable();
        let mut in_double = false;
        while let Some((i, c)) = chars.next() {
            match c {
                ' ' | '\t' if !in_double => return Some((out, i)),
                '\'' if !in_double => {
                    let mut closed = false;
                    for (_, c) in chars.by_ref() {
                        if c == '\'' {
                            closed = true;
                            break;
                        }
                        out.push(c);
                    }
                    if !closed {
                        return None;
                    }
                }
                '"' => in_double = !in_double,
                '\\' => match chars.next() {
                    Some((_, n)) if !in_double || matches!(n, '$' | '`' | '"' | '\\') => {
                        out.push(n)
                    }
                    Some((_, n)) => {
                        out.push('\\');
                        out.push(n);
                    }
                    None => {}
                },
                '$' => {
                    let rest = &raw[i + 1..];
                    let (name, len) = if let Some(r) = rest.strip_prefix('{') {
                        let end = r.find('}')?;
                        (&r[..end], end + 2)
                    } else {
                        let end = rest
                            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                            .unwrap_or(rest.len());
                        (&rest[..end], end)
                    };
                    if len == 0 {
                        out.push('$');
                        continue;
                    }
                    out.push_str(&lookup(name));
                    for _ in 0..name.chars().count() + (len - name.len()) {
                        chars.next();
                    }
                }
                _ => out.push(c),
            }
        }
        (!in_double).then_some((out, raw.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(loader: Loader, text: &str) -> Loaded {
        load("/p/.env", text, loader, &BTreeMap::new(), true)
    }

    fn values(l: &Loaded) -> Vec<(&str, &str)> {
        l.entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect()
    }

    #[test]
    fn dotenvy_quotes_comments_export_and_errors() {
        let l = run(
            Loader::Dotenvy,
            "export A=\"x y\"  # c\nB=v#c\nC=v #c\nD=\nE='l$X'\nF=my uncool value\nG=never\n",
        );
        assert_eq!(
            values(&l),
            [
                ("A", "x y"),
                ("B", "v#c"),
                ("C", "v"),
                ("D", ""),
                ("E", "l$X")
            ]
        );
        assert_eq!(l.errors[0].line, 6);
        assert!(l.stopped);
    }

    #[test]
    fn dotenvy_substitutes_from_given_env_only() {
        let mut env = BTreeMap::new();
        env.insert("HOME_X".to_string(), "h".to_string());
        let l = load(
            "/p/.env",
            "A=k$9fQ\nB=${HOME_X}/p\nC=\"a$Z\"\n",
            Loader::Dotenvy,
            &env,
            true,
        );
        assert_eq!(values(&l), [("A", "k"), ("B", "h/p")]);
        assert_eq!(
            l.errors.len(),
            1,
            "a $NAME right before the closing quote is LineParse"
        );
    }

    #[test]
    fn dotenvy_crlf_and_bom() {
        let l = run(Loader::Dotenvy, "\u{feff}A=1\r\nB=2\r\n");
        assert_eq!(values(&l), [("A", "1"), ("B", "2")]);
        assert!(l.bom && l.bom_hidden_key.is_none());
        let l = load(
            "/p/.env",
            "\u{feff}A=1\n",
            Loader::Dotenvy,
            &BTreeMap::new(),
            false,
        );
        assert!(l.stopped);
    }

    #[test]
    fn python_dotenv_quirks() {
        let l = run(
            Loader::PythonDotenv,
            "\u{feff}K=v\nA=   # note\nB=x\u{a0}\nC=a b #c\nD='q${B}'\nE=\"abc\"xyz\nF=last\nF=final\n",
        );
        assert_eq!(
            values(&l),
            [
                ("\u{feff}K", "v"),
                ("A", "# note"),
                ("B", "x"),
                ("C", "a b"),
                ("D", "qx"),
                ("F", "last"),
                ("F", "final")
            ]
        );
        assert_eq!(l.errors[0].line, 6);
        assert_eq!(l.bom_hidden_key.as_deref(), Some("K"));
        assert_eq!(l.value("F").unwrap().value, "final");
    }

    #[test]
    fn docker_keeps_everything_literally() {
        let l = run(Loader::DockerEnvFile, "A=\"q\"\nB=v # c\r\n# x\n");
        assert_eq!(values(&l), [("A", "\"q\""), ("B", "v # c")]);
    }

    #[test]
    fn shell_keeps_cr_and_skips_commands() {
        let l = run(
            Loader::ShellSource,
            "A=v\r\nAPP=Request Inspector\nB=\"x\" # c\nC=$A-y\n",
        );
        assert_eq!(values(&l), [("A", "v\r"), ("B", "x"), ("C", "v\r-y")]);
        assert_eq!(l.errors[0].line, 2);
    }

    #[test]
    fn written_keys_are_found_even_after_a_stop() {
        let l = run(Loader::Dotenvy, "A=a b\nOPENAI_API_KEY=x\n");
        assert_eq!(l.written_line("OPENAI_API_KEY"), Some(2));
        assert!(l.value("OPENAI_API_KEY").is_none());
    }
}
