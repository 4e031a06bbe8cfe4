//! The redirect limit end to end: a small redirector here answers 302 to the practice
//! server's `/redirect/same-origin`, which answers 307 to `/v1/models`, so a chain of two
//! redirects meets `--max-redirects`, `--no-follow` and a `.http` file's `# @max-redirects`.

mod conn_common;

use authlens::practice::{Config, PracticeServer};
use conn_common::{authlens, both, read_head, scratch, text};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

/// A server on 127.0.0.1 that answers every request with `302 Found` to `location`; its URL.
async fn redirector(location: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/start", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let location = location.clone();
            tokio::spawn(async move {
                if read_head(&mut s).await.is_some() {
                    let reply = format!(
                        "HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                    );
                    let _ = s.write_all(reply.as_bytes()).await;
                }
            });
        }
    });
    url
}

/// The practice server, and the start of a two-redirect chain that ends on it.
async fn chain() -> (PracticeServer, String) {
    let s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let start = redirector(s.url("/redirect/same-origin")).await;
    (s, start)
}

/// The `> request i of n` lines of a text exchange.
fn hop_lines(out: &str) -> Vec<&str> {
    out.lines()
        .filter(|l| l.starts_with("> request "))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_redirects_stops_the_chain_and_shows_the_hops_made() {
    let dir = scratch("redirect-limit");
    let (s, start) = chain().await;
    let o = authlens(&["send", "--max-redirects", "1", &start], &dir);
    let out = text(&o.stdout);
    let hops = hop_lines(&out);
    assert_eq!(hops.len(), 2, "{}", both(&o));
    assert!(hops[0].ends_with(&format!("GET {start}")), "{out}");
    let second = s.url("/redirect/same-origin");
    assert!(hops[1].ends_with(&format!("GET {second}")), "{out}");
    assert!(
        out.contains("< 302 Found") && out.contains("< 307"),
        "{out}"
    );
    // "1 redirect" or "1 redirects": the number is what the user set.
    assert!(
        out.contains("! stopped: the 307 redirect was not followed: limit of 1 redirect reached"),
        "{out}"
    );
    let paths: Vec<String> = s.records().iter().map(|r| text(&r.raw)).collect();
    assert_eq!(paths.len(), 1, "/v1/models was never asked for: {paths:?}");
    // Without a limit the chain ends on the practice server's answer.
    let o = authlens(&["send", &start], &dir);
    let out = text(&o.stdout);
    assert_eq!(hop_lines(&out).len(), 3, "{out}");
    assert!(!out.contains("! stopped"), "{out}");
    assert!(
        out.contains(&format!("GET {}", s.url("/v1/models"))),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_follow_shows_the_single_redirect() {
    let dir = scratch("redirect-none");
    let (s, start) = chain().await;
    for args in [&["--no-follow"][..], &["--max-redirects", "0"]] {
        let o = authlens(&[&["send"][..], args, &[&start]].concat(), &dir);
        let out = text(&o.stdout);
        assert_eq!(hop_lines(&out).len(), 1, "{}", both(&o));
        assert!(out.contains("< 302 Found"), "{out}");
        assert!(
            out.contains(&format!("location: {}", s.url("/redirect/same-origin"))),
            "{out}"
        );
    }
    let o = authlens(&["send", "--format", "json", "--no-follow", &start], &dir);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["exchange"]["hops"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["exchange"]["hops"][0]["response"]["status"], 302);
    assert!(
        s.records().is_empty(),
        "nothing reached the practice server"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_http_file_sets_the_limit_with_max_redirects_and_no_redirect() {
    let dir = scratch("redirect-file");
    let (_s, start) = chain().await;
    let file = format!(
        "### one\n# @max-redirects 1\nGET {start}\n\n### none\n# @no-redirect\nGET {start}\n"
    );
    std::fs::write(dir.join("chain.http"), file).unwrap();
    let o = authlens(&["send", "--from", "chain.http", "--name", "one"], &dir);
    let out = text(&o.stdout);
    assert_eq!(hop_lines(&out).len(), 2, "{}", both(&o));
    assert!(out.contains("limit of 1 redirect reached"), "{out}");
    let o = authlens(&["send", "--from", "chain.http", "--name", "none"], &dir);
    assert_eq!(hop_lines(&text(&o.stdout)).len(), 1, "{}", both(&o));
    // The flag wins over the file.
    let o = authlens(
        &[
            "send",
            "--from",
            "chain.http",
            "--name",
            "none",
            "--max-redirects",
            "5",
        ],
        &dir,
    );
    assert_eq!(hop_lines(&text(&o.stdout)).len(), 3, "{}", both(&o));
}
