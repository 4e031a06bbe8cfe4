//! From a request's method and URL to the operation the document defines for it: a server's
//! path prefix stripped, the rest matched segment by segment against the path templates.
//! When several match, the one with the most literal segments wins (`/users/me` over
//! `/users/{id}`), as OpenAPI says concrete paths match before templated ones.

use super::{Operation, Segment, Server, Spec};

/// What the document says about a request's method and path.
#[derive(Debug, Clone)]
pub enum Lookup<'s> {
    Found(Found<'s>),
    /// The path is defined, but not for this method.
    OtherMethods {
        path: &'s str,
        methods: Vec<&'static str>,
    },
    /// No path of the document matches under any of its servers.
    NoPath,
}

/// The operation a request matched.
#[derive(Debug, Clone)]
pub struct Found<'s> {
    pub operation: &'s Operation,
    /// The server URL whose prefix matched.
    pub server: &'s str,
    /// False when the path matched under a server that names another host: the document may
    /// describe production while the request goes to staging, so this is said, not judged.
    pub host_matched: bool,
}

impl Spec {
    /// The operation for `method` on `url` (text as typed; lenient about what it cannot parse).
    pub fn find(&self, method: &str, url: &str) -> Lookup<'_> {
        let (host, path) = match crate::url_text::Url::parse(url) {
            Some(u) => (Some(u.host), u.path),
            None => (None, url.to_string()),
        };
        let segments: Vec<&str> = path
            .split(['?', '#'])
            .next()
            .unwrap_or("")
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let mut best: Option<(Rank, Found)> = None;
        let mut other_methods: Vec<&'static str> = Vec::new();
        let mut other_path: Option<&str> = None;
        // The tree gives the operations whose template fits under some server prefix; each
        // is then checked against its own servers, which may differ from the document's.
        let mut candidates = Vec::new();
        for prefix in &self.prefixes {
            if let Some(rest) = strip_prefix(&segments, prefix) {
                self.index.matches(rest, &mut candidates);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for op in candidates.into_iter().map(|i| &self.operations[i]) {
            let servers = op.servers.as_deref().unwrap_or(&self.servers);
            let Some((server, host_matched)) = servers
                .iter()
                .filter(|s| path_matches(s, &op.segments, &segments))
                .map(|s| (s, host_matches(s, host.as_deref())))
                .max_by_key(|(s, h)| (*h, s.prefix.len()))
            else {
                continue;
            };
            if !op.method.eq_ignore_ascii_case(method) {
                // HEAD is answered by a GET where no HEAD is defined.
                let head_by_get = method.eq_ignore_ascii_case("HEAD") && op.method == "GET";
                if !head_by_get {
                    other_methods.push(op.method);
                    other_path.get_or_insert(&op.path);
                    continue;
                }
            }
            let rank = Rank {
                host_matched,
                exact_method: op.method.eq_ignore_ascii_case(method),
                literals: literal_count(&op.segments),
                fixed_text: fixed_text(&op.segments),
                prefix: server.prefix.len(),
            };
            if best.as_ref().is_none_or(|(r, _)| rank > *r) {
                let found = Found {
                    operation: op,
                    server: &server.url,
                    host_matched,
                };
                best = Some((rank, found));
            }
        }
        match (best, other_path) {
            (Some((_, found)), _) => Lookup::Found(found),
            (None, Some(path)) => {
                other_methods.dedup();
                Lookup::OtherMethods {
                    path,
                    methods: other_methods,
                }
            }
            (None, None) => Lookup::NoPath,
        }
    }
}

impl Spec {
    /// True when every server the document names (its own and its operations') is on
    /// another host than `host`: the request goes to some other API, so the spec has no say.
    pub fn names_other_host(&self, host: &str) -> bool {
        let op_servers = self.operations.iter().filter_map(|o| o.servers.as_deref());
        let mut all = self.servers.iter().chain(op_servers.flatten());
        !host.is_empty()
            && all.all(|s| {
                s.host
                    .as_deref()
                    .is_some_and(|h| !h.eq_ignore_ascii_case(host))
            })
    }
}

/// Higher is a better match; fields compare in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    host_matched: bool,
    exact_method: bool,
    literals: usize,
    /// Literal text beside templates: `{name}.json` is more specific than `{name}`.
    fixed_text: usize,
    prefix: usize,
}

fn literal_count(segments: &[Segment]) -> usize {
    segments
        .iter()
        .filter(|s| matches!(s, Segment::Literal(_)))
        .count()
}

fn fixed_text(segments: &[Segment]) -> usize {
    segments
        .iter()
        .map(|s| match s {
            Segment::Template { prefix, suffix } => prefix.len() + suffix.len(),
            Segment::Literal(_) => 0,
        })
        .sum()
}

fn host_matches(server: &Server, host: Option<&str>) -> bool {
    match (&server.host, host) {
        (None, _) => true,
        (Some(s), Some(h)) => s.eq_ignore_ascii_case(h),
        (Some(_), None) => false,
    }
}

/// The server's prefix, then each template segment against each request segment.
fn path_matches(server: &Server, template: &[Segment], request: &[&str]) -> bool {
    let Some(rest) = strip_prefix(request, &server.prefix) else {
        return false;
    };
    rest.len() == template.len()
        && template
            .iter()
            .zip(rest)
            .all(|(t, r)| segment_matches(t, r))
}

fn strip_prefix<'a, 'b>(request: &'a [&'b str], prefix: &[String]) -> Option<&'a [&'b str]> {
    if request.len() < prefix.len() {
        return None;
    }
    let (head, rest) = request.split_at(prefix.len());
    head.iter()
        .zip(prefix)
        .all(|(r, p)| *r == p.as_str())
        .then_some(rest)
}

fn segment_matches(template: &Segment, segment: &str) -> bool {
    match template {
        Segment::Literal(l) => l == segment || decoded(segment).is_some_and(|d| &d == l),
        Segment::Template { prefix, suffix } => {
            segment.len() > prefix.len() + suffix.len()
                && segment.starts_with(prefix.as_str())
                && segment.ends_with(suffix.as_str())
        }
    }
}

/// A percent-encoded segment decoded, when it has any escape (`+` stays `+` in a path).
pub(super) fn decoded(segment: &str) -> Option<String> {
    if !segment.contains('%') {
        return None;
    }
    let b = segment.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).copied().and_then(hex),
            b.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
