//! HAR 1.2 (a browser's recorded traffic) as exchange files, so `authlens diagnose` can
//! explain a 401 captured in DevTools.
//!
//! Every entry becomes one exchange. When an entry is the end of a redirect chain recorded in
//! the same HAR (a 3xx whose `redirectURL` leads to it), the chain's first request is the
//! draft and each hop's recorded headers say what the browser really carried. A chain is at
//! most 20 redirects long, as in a browser; the redirects are indexed by target once, and the
//! exchanges are made one at a time (`read`, `Exchanges`), so a large HAR costs time and
//! memory in proportion to its size.

use super::exchange_json::{Context, ExchangeFile, FileRequest, FileResponse};
use crate::exchange::{
    BodyPreview, Capture, Exchange, Hop, Origin, Response, Timing, WireHeader, WireRequest,
};
use crate::url_text::join;
use base64::Engine;
use serde_json::{Value, json};
use std::collections::HashMap;

/// A HAR file is an object with `log.entries`.
pub fn is_har(v: &Value) -> bool {
    v.get("log")
        .and_then(|l| l.get("entries"))
        .is_some_and(Value::is_array)
}

/// A browser follows at most 20 redirects (Chrome and Firefox both stop there): a recorded
/// chain longer than that is a loop, and is cut to its last 20 redirects.
pub const MAX_REDIRECTS: usize = 20;

/// One exchange per entry, labelled `entry N` with its method and URL — the URL with its
/// credentials masked (`secret::masked_url_text`): a label is printed, a `?token=` is not.
pub fn exchanges(v: &Value) -> Result<Vec<(Value, ExchangeFile)>, String> {
    let entries = v["log"]["entries"]
        .as_array()
        .ok_or("log.entries is not an array")?;
    let parsed: Vec<Entry> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| entry(e).map_err(|why| format!("log.entries[{i}] {why}")))
        .collect::<Result<_, _>>()?;
    Ok(Exchanges::new(parsed).collect())
}

/// Reads a HAR from its text entry by entry, never holding the whole document as a `Value`
/// (a 64 MB HAR is several times that as one), and gives its exchanges one at a time.
/// `None` when the text is not a HAR this way (not an object with a `log.entries` array, or
/// not JSON at all): the caller reads it as something else, or reports where it is broken.
pub fn read(text: &str) -> Option<Result<Exchanges, String>> {
    let har: HarText = serde_json::from_str(text).ok()?;
    Some(har.log.entries.map(Exchanges::new))
}

#[derive(serde::Deserialize)]
struct HarText {
    log: HarLog,
}

#[derive(serde::Deserialize)]
struct HarLog {
    #[serde(deserialize_with = "entries_one_by_one")]
    entries: Result<Vec<Entry>, String>,
}

/// `log.entries`, each element read as a `Value` and turned into an [`Entry`] at once, so one
/// entry's `Value` is held at a time; the first bad entry is the error.
fn entries_one_by_one<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Result<Vec<Entry>, String>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Result<Vec<Entry>, String>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of HAR entries")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            let mut error = None;
            let mut i = 0;
            while let Some(v) = seq.next_element::<Value>()? {
                if error.is_none() {
                    match entry(&v) {
                        Ok(e) => out.push(e),
                        Err(why) => error = Some(format!("log.entries[{i}] {why}")),
                    }
                }
                i += 1;
            }
            Ok(error.map_or(Ok(out), Err))
        }
    }
    d.deserialize_seq(Entries)
}

/// The exchanges of a HAR, made one at a time as they are taken. The entries are held once,
/// with an index from each URL to the redirects that lead to it, so finding an entry's chain
/// costs its length and not a search of every entry before it.
pub struct Exchanges {
    entries: Vec<Entry>,
    /// A URL → the 3xx entries whose `redirectURL` leads there, in file order.
    redirects_to: HashMap<String, Vec<usize>>,
    next: usize,
}

impl Exchanges {
    fn new(entries: Vec<Entry>) -> Self {
        let mut redirects_to: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            if (300..400).contains(&e.response.status) && !e.redirect_url.is_empty() {
                redirects_to
                    .entry(join(&e.request.url, &e.redirect_url))
                    .or_default()
                    .push(i);
            }
        }
        Exchanges {
            entries,
            redirects_to,
            next: 0,
        }
    }

    /// The entries of the redirect chain that ends at `last`, first request first: each step
    /// back is the nearest earlier redirect to the current URL, at most [`MAX_REDIRECTS`].
    fn chain(&self, last: usize) -> Vec<usize> {
        let mut chain = vec![last];
        let mut current = last;
        while chain.len() <= MAX_REDIRECTS {
            let Some(prev) = self
                .redirects_to
                .get(&self.entries[current].request.url)
                .and_then(|from| {
                    let before = from.partition_point(|&i| i < current);
                    before.checked_sub(1).map(|k| from[k])
                })
            else {
                break;
            };
            chain.push(prev);
            current = prev;
        }
        chain.reverse();
        chain
    }

    fn exchange_file(&self, i: usize) -> ExchangeFile {
        let chain = self.chain(i);
        let first = &self.entries[chain[0]];
        let hops = chain.iter().map(|&k| hop(&self.entries[k])).collect();
        ExchangeFile {
            request: first.request.clone(),
            response: Some(self.entries[i].response.clone()),
            context: Some(Context {
                client: Some("browser-fetch".into()),
                ..Context::default()
            }),
            exchange: (chain.len() > 1).then_some(Exchange {
                hops,
                stopped: None,
                ..Default::default()
            }),
            ..ExchangeFile::default()
        }
    }
}

impl Iterator for Exchanges {
    type Item = (Value, ExchangeFile);

    fn next(&mut self) -> Option<Self::Item> {
        let i = self.next;
        let e = self.entries.get(i)?;
        self.next += 1;
        let label = json!(format!(
            "entry {i}: {} {}",
            e.request.method,
            crate::secret::masked_url_text(&e.request.url)
        ));
        Some((label, self.exchange_file(i)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.entries.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for Exchanges {}

struct Entry {
    request: FileRequest,
    response: FileResponse,
    redirect_url: String,
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| {
            Some((
                h.get("name")?.as_str()?.to_string(),
                h.get("value")?.as_str().unwrap_or("").to_string(),
            ))
        })
        .collect()
}

/// The highest status a HAR entry may hold: HTTP's three digits. Browsers write 0 for a
/// request that got no response.
const MAX_STATUS: u64 = 999;

/// One entry, or what is wrong with it (after `log.entries[N] `).
fn entry(e: &Value) -> Result<Entry, String> {
    let req = e.get("request").ok_or("has no request")?;
    let resp = e.get("response").ok_or("has no response")?;
    let text = |v: &Value, key: &str, what: &str| -> Result<String, String> {
        match v.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(format!("{what} is not a string")),
            None => Err(format!("has no {what}")),
        }
    };
    let status = match resp.get("status") {
        None => return Err("has no response.status".into()),
        Some(s) => match s.as_u64() {
            Some(n) if n <= MAX_STATUS => n as u16,
            Some(n) => {
                return Err(format!(
                    "response.status {n} is out of range: an HTTP status has three digits (0 means no response)"
                ));
            }
            None => {
                return Err(format!(
                    "response.status {s} is not a status: expected a whole number from 0 to {MAX_STATUS}"
                ));
            }
        },
    };
    let content = &resp["content"];
    let mut body = content["text"].as_str().map(str::to_string);
    if content["encoding"].as_str() == Some("base64") {
        body = body
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned());
    }
    Ok(Entry {
        request: FileRequest {
            method: text(req, "method", "request.method")?,
            url: text(req, "url", "request.url")?,
            // HTTP/2 pseudo-headers (`:authority`) are not request headers a user writes.
            headers: pairs(&req["headers"])
                .into_iter()
                .filter(|(n, _)| !n.starts_with(':'))
                .collect(),
            query: None,
            body: req["postData"]["text"].as_str().map(str::to_string),
        },
        response: FileResponse {
            status,
            headers: pairs(&resp["headers"]),
            body,
        },
        redirect_url: resp["redirectURL"].as_str().unwrap_or("").to_string(),
    })
}

/// The recorded exchange of an exchange file read from a HAR: its own hops when it was a
/// redirect chain, else the one request and response (reconstructed, as a HAR holds them).
pub fn recorded_exchange(file: &ExchangeFile) -> Option<Exchange> {
    if let Some(ex) = &file.exchange {
        return Some(ex.clone());
    }
    let entry = Entry {
        request: file.request.clone(),
        response: file.response.clone()?,
        redirect_url: String::new(),
    };
    Some(Exchange {
        hops: vec![hop(&entry)],
        ..Exchange::default()
    })
}

fn hop(e: &Entry) -> Hop {
    Hop {
        request: WireRequest {
            method: e.request.method.clone(),
            url: e.request.url.clone(),
            capture: Capture::Reconstructed,
            headers: e
                .request
                .headers
                .iter()
                .enumerate()
                .map(|(row, (name, value))| WireHeader {
                    name: name.clone(),
                    value: value.clone(),
                    origin: Origin::Typed { row },
                })
                .collect(),
            stripped: Vec::new(),
            raw: Vec::new(),
            head_len: 0,
            raw_cut: false,
        },
        response: Response {
            status: e.response.status,
            reason: String::new(),
            headers: e.response.headers.clone(),
            body: BodyPreview::from_bytes(e.response.body.clone().unwrap_or_default().into_bytes()),
        },
        timing: Timing::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn har() -> Value {
        json!({"log": {"version": "1.2", "entries": [
            {"request": {"method": "GET", "url": "https://api.example.com/v1/files/1",
                         "headers": [{"name": "Authorization", "value": "Bearer EXAMPLE-token-0000000000"}]},
             "response": {"status": 302, "headers": [{"name": "Location", "value": "https://files.example.net/1"}],
                          "content": {"text": ""}, "redirectURL": "https://files.example.net/1"}},
            {"request": {"method": "GET", "url": "https://files.example.net/1", "headers": []},
             "response": {"status": 401, "headers": [{"name": "WWW-Authenticate", "value": "Bearer realm=\"files\""}],
                          "content": {"text": "e30=", "encoding": "base64"}}}
        ]}})
    }

    #[test]
    fn entries_become_exchanges_and_chains_are_joined() {
        let v = har();
        assert!(is_har(&v));
        let x = exchanges(&v).unwrap();
        assert_eq!(x.len(), 2);
        let last = &x[1].1;
        assert_eq!(last.request.url, "https://api.example.com/v1/files/1");
        assert_eq!(last.exchange.as_ref().unwrap().hops.len(), 2);
        assert_eq!(last.response.as_ref().unwrap().body.as_deref(), Some("{}"));
    }

    #[test]
    fn malformed_entries_are_errors() {
        assert!(exchanges(&json!({"log": {"entries": [{"request": {}}]}})).is_err());
    }

    #[test]
    fn each_malformed_entry_says_what_is_wrong() {
        let one = |e: Value| {
            exchanges(&json!({"log": {"entries": [e]}}))
                .err()
                .unwrap_or_default()
        };
        let req = json!({"method": "GET", "url": "http://h/"});
        assert_eq!(
            one(json!({"request": req})),
            "log.entries[0] has no response"
        );
        let e = one(json!({"request": req, "response": {"status": 99999}}));
        assert!(
            e.starts_with("log.entries[0] response.status 99999 is out of range"),
            "{e}"
        );
        let e = one(json!({"request": {"url": "http://h/"}, "response": {"status": 200}}));
        assert_eq!(e, "log.entries[0] has no request.method");
        let ok = json!({"request": req, "response": {"status": 0}});
        assert!(exchanges(&json!({"log": {"entries": [ok]}})).is_ok());
    }

    /// `n` entries of one redirect chain: `/hop0` → `/hop1` → … → a 401.
    fn long_chain(n: usize) -> Value {
        let entries: Vec<Value> = (0..n)
            .map(|k| {
                let url = format!("https://h.example.test/hop{k}");
                if k + 1 < n {
                    json!({"request": {"method": "GET", "url": url},
                           "response": {"status": 302, "redirectURL": format!("/hop{}", k + 1)}})
                } else {
                    json!({"request": {"method": "GET", "url": url}, "response": {"status": 401}})
                }
            })
            .collect();
        json!({"log": {"entries": entries}})
    }

    #[test]
    fn a_chain_is_cut_at_twenty_redirects() {
        let x = exchanges(&long_chain(50)).unwrap();
        let last = &x[49].1;
        assert_eq!(
            last.exchange.as_ref().unwrap().hops.len(),
            MAX_REDIRECTS + 1
        );
        assert_eq!(last.request.url, "https://h.example.test/hop29");
        let short = &x[3].1;
        assert_eq!(short.exchange.as_ref().unwrap().hops.len(), 4);
        assert_eq!(short.request.url, "https://h.example.test/hop0");
    }

    #[test]
    fn reading_the_text_gives_what_the_value_gives() {
        for v in [har(), long_chain(30)] {
            let from_text: Vec<_> = read(&v.to_string()).unwrap().unwrap().collect();
            assert_eq!(from_text, exchanges(&v).unwrap());
        }
        assert!(read(r#"{"request": {"method": "GET", "url": "http://h/"}}"#).is_none());
        assert!(read("[]").is_none());
        assert!(read("{\"log\": {\"entries\": [").is_none());
        let bad = json!({"log": {"entries": [{"request": {}}]}}).to_string();
        assert!(read(&bad).unwrap().is_err());
    }

    #[test]
    fn labels_mask_credentials_in_the_url() {
        let url = "https://h/v1?token=EXAMPLE-FAKE-token-0000&page=2";
        let v = json!({"log": {"entries": [{"request": {"method": "GET", "url": url},
                                            "response": {"status": 401}}]}});
        let label = exchanges(&v).unwrap()[0].0.to_string();
        assert!(!label.contains("EXAMPLE-FAKE-token-0000"), "{label}");
        assert!(label.contains("page=2"), "{label}");
    }
}
