//! `send` through a real forward proxy on loopback: a small HTTP proxy made here reads the
//! absolute-form request line, records the head it got and relays to the practice server.
//! `--proxy`, `# @proxy`, the `HTTP_PROXY` variable (set on the child alone), `--noproxy`
//! and `# @no-proxy`, and a proxy password that is never printed.

mod conn_common;

use authlens::practice::{Config, PracticeServer, keys};
use base64::Engine;
use conn_common::{authlens, authlens_env, both, header, read_head, scratch, text};
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

/// A forward proxy on 127.0.0.1: the heads it received, in order, and its URL.
struct Proxy {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

async fn forward_proxy() -> Proxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(relay(client, record.clone()));
        }
    });
    Proxy { url, seen }
}

/// One proxied request: `GET http://host:port/path HTTP/1.1` → `GET /path` to host:port,
/// the hop-by-hop and proxy headers dropped, `Connection: close`, the answer relayed as is.
async fn relay(mut client: TcpStream, seen: Arc<Mutex<Vec<String>>>) {
    let Some((head, rest)) = read_head(&mut client).await else {
        return;
    };
    seen.lock().unwrap().push(head.clone());
    let mut lines = head.split("\r\n");
    let first: Vec<&str> = lines.next().unwrap_or("").split(' ').collect();
    let Some(target) = first
        .get(1)
        .and_then(|t| url::Url::parse(t).ok())
        .filter(|u| u.scheme() == "http")
    else {
        let _ = client
            .write_all(
                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
            )
            .await;
        return;
    };
    let path = &target[url::Position::BeforePath..url::Position::AfterQuery];
    let mut out = format!("{} {path} {}\r\n", first[0], first.get(2).unwrap_or(&""));
    for line in lines.filter(|l| !l.is_empty()) {
        let name = line
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "connection" | "proxy-connection" | "proxy-authorization" | "keep-alive"
        ) {
            out.push_str(line);
            out.push_str("\r\n");
        }
    }
    out.push_str("connection: close\r\n\r\n");
    let addr = format!(
        "{}:{}",
        target.host_str().unwrap_or(""),
        target.port_or_known_default().unwrap_or(80)
    );
    let Ok(mut upstream) = TcpStream::connect(addr).await else {
        return;
    };
    if upstream.write_all(out.as_bytes()).await.is_err() || upstream.write_all(&rest).await.is_err()
    {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
}

fn bearer() -> String {
    format!("Authorization: Bearer {}", keys::BEARER_TOKEN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_through_the_proxy_is_captured_and_the_proxy_saw_the_absolute_form() {
    let dir = scratch("proxy");
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let proxy = forward_proxy().await;
    let url = s.url("/v1/models");
    let o = authlens(
        &["send", "--proxy", &proxy.url, &url, "-H", &bearer()],
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("< 200 OK"), "{}", both(&o));
    assert!(out.contains(&format!("via proxy {}", proxy.url)), "{out}");
    assert!(out.contains(&format!("· captured · GET {url}")), "{out}");
    assert!(!out.contains("RECONSTRUCTED"), "{out}");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].starts_with(&format!("GET {url} HTTP/1.1\r\n")),
        "{}",
        seen[0]
    );
    assert_eq!(
        header(&seen[0], "authorization"),
        Some(format!("Bearer {}", keys::BEARER_TOKEN).as_str())
    );
    // The practice server's answer, recorded there.
    assert_eq!(s.records().len(), 1);
    // JSON says the same: through the proxy, the wire captured.
    let o = authlens(
        &[
            "send",
            "--format",
            "json",
            "--proxy",
            &proxy.url,
            &url,
            "-H",
            &bearer(),
        ],
        &dir,
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ex = &json["exchange"];
    assert!(
        ex["transport"]["proxy"]
            .as_str()
            .is_some_and(|p| p.starts_with(&proxy.url)),
        "{ex}"
    );
    assert_eq!(ex["hops"][0]["request"]["capture"], "captured", "{ex}");
    assert_eq!(ex["hops"][0]["response"]["status"], 200, "{ex}");
    assert_eq!(proxy.seen().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_proxy_from_the_environment_is_used_and_noproxy_bypasses_it() {
    let dir = scratch("proxy-env");
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let proxy = forward_proxy().await;
    let url = s.url("/v1/models");
    let env = [("HTTP_PROXY", proxy.url.as_str())];
    let o = authlens_env(&["send", &url], &dir, &env);
    assert!(text(&o.stdout).contains("< 401"), "{}", both(&o));
    assert!(text(&o.stdout).contains("via proxy"), "{}", both(&o));
    assert_eq!(proxy.seen().len(), 1, "HTTP_PROXY is read as curl reads it");
    let lower = [("http_proxy", proxy.url.as_str())];
    let _ = authlens_env(&["send", &url], &dir, &lower);
    assert_eq!(proxy.seen().len(), 2, "and its lower-case spelling");
    let o = authlens_env(&["send", "--noproxy", &url], &dir, &env);
    assert!(text(&o.stdout).contains("< 401"), "{}", both(&o));
    assert!(!text(&o.stdout).contains("via proxy"), "{}", both(&o));
    let file = format!("### direct\n# @no-proxy\nGET {url}\n");
    std::fs::write(dir.join("direct.http"), file).unwrap();
    let o = authlens_env(&["send", "--from", "direct.http"], &dir, &env);
    assert!(text(&o.stdout).contains("< 401"), "{}", both(&o));
    assert_eq!(
        proxy.seen().len(),
        2,
        "--noproxy and # @no-proxy went direct"
    );
    assert_eq!(s.records().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_password_reaches_the_proxy_and_is_never_printed() {
    let dir = scratch("proxy-pass");
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let proxy = forward_proxy().await;
    let url = s.url("/v1/models");
    let with_pass = proxy
        .url
        .replace("http://", "http://me:FAKE-proxy-pass-0000@");
    let basic = base64::engine::general_purpose::STANDARD.encode("me:FAKE-proxy-pass-0000");
    for format in ["text", "json"] {
        let o = authlens(
            &["send", "--format", format, "--proxy", &with_pass, &url],
            &dir,
        );
        let all = both(&o);
        assert!(o.status.code().is_some_and(|c| c != 2), "{all}");
        assert!(
            !all.contains("FAKE-proxy-pass") && !all.contains(&basic),
            "{all}"
        );
        assert!(all.contains(&proxy.url) && !all.contains("//me"), "{all}");
    }
    // The same proxy from a .http file.
    let file = format!("### via\n# @proxy {with_pass}\nGET {url}\n");
    std::fs::write(dir.join("via.http"), file).unwrap();
    let o = authlens(&["send", "--from", "via.http"], &dir);
    let all = both(&o);
    assert!(
        all.contains("< 401") && !all.contains("FAKE-proxy-pass"),
        "{all}"
    );
    let seen = proxy.seen();
    assert_eq!(seen.len(), 3, "{seen:?}");
    for head in &seen {
        assert_eq!(
            header(head, "proxy-authorization"),
            Some(format!("Basic {basic}").as_str()),
            "{head}"
        );
    }
}
