//! What the list calls each request: the name it was given, else one made from its method and
//! path, and a suffix that tells apart two entries that would otherwise read the same.

use super::app::{Entry, EntryKind};
use super::samples;
use crate::draft::Draft;
use std::collections::HashMap;

/// `POST /api/v1/vote-extraction/extract`: the method and the path, which is what tells one
/// request to an API from another. Not the whole URL: a list 23 columns wide would show the
/// scheme and host of every entry and cut the path, and a masked query
/// (`?api_key=sk-ab…9f3c`) is noise in a name. A leading `${BASE}` is dropped like a host.
pub fn from_draft(d: &Draft) -> String {
    let path = path_of(&d.url);
    if path.is_empty() {
        return "new request".into();
    }
    format!("{} {}", d.method, crate::secret::mask_shaped(&path))
}

/// The URL's path as typed, without scheme, host, query or fragment.
fn path_of(url: &str) -> String {
    let url = url.trim();
    let rest = match url.strip_prefix("${").and_then(|r| r.split_once('}')) {
        Some((_, rest)) => rest,
        None => match url.split_once("://") {
            // `https://h.test` asks for `/`.
            Some((_, rest)) => match rest.find(['/', '?', '#']) {
                Some(i) if rest[i..].starts_with('/') => &rest[i..],
                _ => "/",
            },
            None => url,
        },
    };
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// Where the request goes, to tell apart two with the same method and path: the host (with
/// its port), or the variable the URL starts with.
fn host_of(d: &Draft) -> String {
    let url = d.url.trim();
    if let Some((var, _)) = url.strip_prefix("${").and_then(|r| r.split_once('}')) {
        return format!("${{{var}}}");
    }
    match crate::url_text::Url::parse(url) {
        Some(u) => match u.port {
            Some(p) => format!("{}:{p}", u.host),
            None => u.host,
        },
        None => String::new(),
    }
}

/// The entry's own name as the list shows it: a sample edited since it shipped loses its
/// ✓/✗ (they described the sample as shipped), a request of yours with no name is named by
/// `from_draft`, so it follows what is typed.
pub fn base(e: &Entry) -> String {
    if e.kind == EntryKind::Sample && samples::is_edited(e) {
        return unmarked(e);
    }
    if e.name.trim().is_empty() {
        return from_draft(&e.draft);
    }
    e.name.clone()
}

/// A sample's name without the ✓/✗ that says how its lesson's request fares: for the sample
/// once edited, and for a copy of it, which the lesson is not about.
pub fn unmarked(e: &Entry) -> String {
    e.name
        .trim_start_matches(['✓', '✗'])
        .trim_start()
        .to_string()
}

/// Every entry's name and the suffix that makes it unlike the others: `· host` when entries
/// of the same name go to different hosts, `#2`, `#3`… for the second and later of the same
/// name and host. The list clips the name, never the suffix (`ui::list`).
pub fn shown(entries: &[Entry]) -> Vec<(String, String)> {
    let bases: Vec<String> = entries.iter().map(base).collect();
    let hosts: Vec<String> = entries.iter().map(|e| host_of(&e.draft)).collect();
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, b) in bases.iter().enumerate() {
        groups.entry(b.as_str()).or_default().push(i);
    }
    let mut suffixes = vec![String::new(); entries.len()];
    for same in groups.values().filter(|g| g.len() > 1) {
        let hosts_differ = same.iter().any(|&j| hosts[j] != hosts[same[0]]);
        let short = shortest_apart(same, &hosts);
        for (k, &i) in same.iter().enumerate() {
            if hosts_differ && !hosts[i].is_empty() {
                suffixes[i] = format!(" · {}", short(i));
            }
            let n = same[..k].iter().filter(|&&j| hosts[j] == hosts[i]).count();
            if n > 0 {
                suffixes[i].push_str(&format!(" #{}", n + 1));
            }
        }
    }
    bases.into_iter().zip(suffixes).collect()
}

/// The hosts of a group as short as they stay apart: the first label (`staging`, `prod`) when
/// those differ wherever the hosts do, since a list 23 columns wide cuts a whole host; else
/// the whole host.
fn shortest_apart<'a>(group: &[usize], hosts: &'a [String]) -> impl Fn(usize) -> &'a str {
    let label = |i: usize| hosts[i].split('.').next().unwrap_or("");
    let apart = group.iter().all(|&a| {
        group
            .iter()
            .all(|&b| (hosts[a] == hosts[b]) == (label(a) == label(b)))
    });
    move |i| if apart { label(i) } else { hosts[i].as_str() }
}

/// A name for a copy of `name` that no entry has yet: `… (copy)`, then `… (copy 2)`.
pub fn copy_name(entries: &[Entry], name: &str) -> String {
    let taken = |n: &str| entries.iter().any(|e| base(e) == n);
    let first = format!("{name} (copy)");
    if !taken(&first) {
        return first;
    }
    (2..)
        .map(|k| format!("{name} (copy {k})"))
        .find(|n| !taken(n))
        .unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yours(name: &str, method: &str, url: &str) -> Entry {
        Entry::yours(name.into(), Draft::new(method, url))
    }

    #[test]
    fn a_name_from_a_draft_is_its_method_and_path() {
        let d = |m: &str, u: &str| from_draft(&Draft::new(m, u));
        assert_eq!(
            d(
                "POST",
                "https://api.example.test/api/v1/vote-extraction/extract?api_key=sk-x"
            ),
            "POST /api/v1/vote-extraction/extract"
        );
        assert_eq!(d("GET", "${BASE}/v1/models#top"), "GET /v1/models");
        assert_eq!(d("GET", "https://h.test"), "GET /");
        assert_eq!(d("GET", ""), "new request");
        assert_eq!(d("GET", "/relative"), "GET /relative");
    }

    #[test]
    fn the_same_name_gets_the_host_then_a_counter() {
        let entries = [
            yours("", "GET", "https://a.test/v1/me"),
            yours("", "GET", "https://b.test:8443/v1/me"),
            yours("", "GET", "https://a.test/v1/me?x=1"),
            yours("other", "GET", "https://a.test/v1/me"),
        ];
        let shown = shown(&entries);
        assert_eq!(shown[0], ("GET /v1/me".into(), " · a".into()));
        assert_eq!(shown[1], ("GET /v1/me".into(), " · b".into()));
        assert_eq!(shown[2], ("GET /v1/me".into(), " · a #2".into()));
        assert_eq!(shown[3], ("other".into(), String::new()));
        // First labels that do not tell the hosts apart: the whole host.
        let local = [
            yours("", "GET", "http://127.0.0.1:8080/x"),
            yours("", "GET", "http://127.0.0.2:8080/x"),
        ];
        assert_eq!(super::shown(&local)[1].1, " · 127.0.0.2:8080");
    }

    #[test]
    fn copies_are_numbered_once_the_first_name_is_taken() {
        let mut entries = vec![yours("x", "GET", "")];
        assert_eq!(copy_name(&entries, "x"), "x (copy)");
        entries.push(yours("x (copy)", "GET", ""));
        assert_eq!(copy_name(&entries, "x"), "x (copy 2)");
    }
}
