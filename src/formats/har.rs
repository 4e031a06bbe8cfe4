//! HAR 1.2 (a browser's recorded traffic) as exchange files, so `authlens diagnose` can
//! explain a 401 captured in DevTools.
//!
//! Every entry becomes one exchange. When an entry is the end of a redirect chain recorded in
//! the same HAR (a 3xx whose `redirectURL` leads to it), the chain's first request is the
//! draft and each hop's recorded headers say what the browser really carried.

use super::exchange_json::{Context, ExchangeFile, FileRequest, FileResponse};
use crate::exchange::{
    BodyPreview, Capture, Exchange, Hop, Origin, Response, Timing, WireHeader, WireRequest,
};
use crate::url_text::join;
use base64::Engine;
use serde_json::{Value, json};

/// A HAR file is an object with `log.entries`.
pub fn is_har(v: &Value) -> bool {
    v.get("log")
        .and_then(|l| l.get("entries"))
        .is_some_and(Value::is_array)
}

/// One exchange per entry, labelled `entry N` with its method and URL.
pub fn exchanges(v: &Value) -> Result<Vec<(Value, ExchangeFile)>, String> {
    let entries = v["log"]["entries"]
        .as_array()
        .ok_or("log.entries is not an array")?;
    let parsed: Vec<Entry> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| entry(e).ok_or(format!("log.entries[{i}] has no request or response")))
        .collect::<Result<_, _>>()?;
    Ok((0..parsed.len())
        .map(|i| {
            let label = json!(format!(
                "entry {i}: {} {}",
                parsed[i].request.method, parsed[i].request.url
            ));
            (label, exchange_file(&parsed, i))
        })
        .collect())
}

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

fn entry(e: &Value) -> Option<Entry> {
    let req = e.get("request")?;
    let resp = e.get("response")?;
    let content = &resp["content"];
    let mut body = content["text"].as_str().map(str::to_string);
    if content["encoding"].as_str() == Some("base64") {
        body = body
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned());
    }
    Some(Entry {
        request: FileRequest {
            method: req.get("method")?.as_str()?.to_string(),
            url: req.get("url")?.as_str()?.to_string(),
            // HTTP/2 pseudo-headers (`:authority`) are not request headers a user writes.
            headers: pairs(&req["headers"])
                .into_iter()
                .filter(|(n, _)| !n.starts_with(':'))
                .collect(),
            query: None,
            body: req["postData"]["text"].as_str().map(str::to_string),
        },
        response: FileResponse {
            status: resp
                .get("status")?
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())?,
            headers: pairs(&resp["headers"]),
            body,
        },
        redirect_url: resp["redirectURL"].as_str().unwrap_or("").to_string(),
    })
}

/// The entries of the redirect chain that ends at `last`, first request first.
fn chain(entries: &[Entry], last: usize) -> Vec<usize> {
    let mut chain = vec![last];
    let mut current = last;
    while let Some(prev) = (0..current).rev().find(|&i| {
        let e = &entries[i];
        (300..400).contains(&e.response.status)
            && !e.redirect_url.is_empty()
            && join(&e.request.url, &e.redirect_url) == entries[current].request.url
    }) {
        chain.insert(0, prev);
        current = prev;
    }
    chain
}

fn exchange_file(entries: &[Entry], i: usize) -> ExchangeFile {
    let chain = chain(entries, i);
    let first = &entries[chain[0]];
    let hops = chain.iter().map(|&k| hop(&entries[k])).collect();
    ExchangeFile {
        request: first.request.clone(),
        response: Some(entries[i].response.clone()),
        context: Some(Context {
            client: Some("browser-fetch".into()),
            ..Context::default()
        }),
        exchange: (chain.len() > 1).then_some(Exchange {
            hops,
            stopped: None,
        }),
        ..ExchangeFile::default()
    }
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
}
