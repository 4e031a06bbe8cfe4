//! HTTPS end to end on real loopback sockets: the local CAs' files and leaves, the practice
//! server's TLS port, `send --cacert`, the reverse proxy in front of an https upstream, and
//! `watch --mitm` seen by curl, Python requests and node. Every run uses a scratch data
//! directory (`XDG_DATA_HOME`), never the user's. No sleeps; a missing tool is said and skipped.

use authlens::ca::{Authority, Kind};
use authlens::practice::{Config, PracticeServer};
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{ServerName, UnixTime};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// An obviously fake key the practice server does not accept.
const FAKE_KEY: &str = "sk-EXAMPLE-FAKE-tls-key-0123456789abcdef";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("authlens-tls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with its data directory under `dir`, and no proxy or CA from the caller's shell.
fn authlens(args: &[&str], dir: &Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_authlens"));
    c.args(args)
        .current_dir(dir)
        .env("XDG_DATA_HOME", dir.join("data"));
    for var in [
        "API_KEY",
        "NO_PROXY",
        "no_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "SSL_CERT_FILE",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
        "NODE_EXTRA_CA_CERTS",
    ] {
        c.env_remove(var);
    }
    c.output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `tool` runs; says why the test is skipped when it does not.
fn have(tool: &str, check: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(check)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: `{tool} {}` does not run here", check.join(" "));
    }
    ok
}

/// The practice server with its TLS port, on the practice CA in `dir`'s data directory.
async fn practice_tls(dir: &Path) -> (PracticeServer, u16, PathBuf) {
    let ca = Authority::load_or_create(&dir.join("data/authlens"), Kind::Practice).unwrap();
    let mut s = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let addr = s.listen_tls(0, &ca).await.unwrap();
    (s, addr.port(), ca.cert_path().to_path_buf())
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
#[cfg(unix)]
fn the_ca_key_is_private_and_a_leaf_names_its_host_and_expires_within_days() {
    let dir = scratch("ca").join("data/authlens");
    let ca = Authority::load_or_create(&dir, Kind::Mitm).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("mitm-ca.key")), 0o600);
    assert!(ca.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    let key = std::fs::read_to_string(dir.join("mitm-ca.key")).unwrap();
    assert!(!ca.cert_pem().contains("PRIVATE KEY") && key.contains("PRIVATE KEY"));
    // Read back, it is the same CA.
    let again = Authority::load_or_create(&dir, Kind::Mitm).unwrap();
    assert_eq!(again.cert_der(), ca.cert_der());

    authlens::tls::install_provider();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.cert_der().clone()).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
    let check = |names: &[&str], host: &str, after: Duration| {
        let leaf = ca.leaf(names).unwrap();
        let at = UnixTime::since_unix_epoch(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                + after,
        );
        let name = ServerName::try_from(host.to_string()).unwrap();
        verifier.verify_server_cert(&leaf.cert[0], &leaf.cert[1..], &name, &[], at)
    };
    let now = Duration::ZERO;
    assert!(check(&["api.example.com"], "api.example.com", now).is_ok());
    assert!(check(&["127.0.0.1"], "127.0.0.1", now).is_ok(), "an IP SAN");
    assert!(check(&["api.example.com"], "other.example.com", now).is_err());
    let days = |n: u64| Duration::from_secs(n * 86_400);
    assert!(check(&["api.example.com"], "api.example.com", days(1)).is_ok());
    assert!(
        check(&["api.example.com"], "api.example.com", days(3)).is_err(),
        "a leaf lives two days"
    );
    // Cached per host for the session.
    let (a, b) = (
        ca.leaf(&["h.example"]).unwrap(),
        ca.leaf(&["h.example"]).unwrap(),
    );
    assert!(Arc::ptr_eq(&a, &b));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_and_compare_over_tls_need_the_practice_ca_and_cacert_gives_it() {
    let dir = scratch("send");
    let (_s, port, pem) = practice_tls(&dir).await;
    let url = format!("https://127.0.0.1:{port}/v1/models");
    let o = authlens(&["send", &url], &dir);
    assert!(
        text(&o.stderr).contains("UnknownIssuer"),
        "{}",
        text(&o.stderr)
    );
    let o = authlens(&["send", "--cacert", pem.to_str().unwrap(), &url], &dir);
    assert!(
        text(&o.stdout).contains("< 401 Unauthorized"),
        "{}",
        text(&o.stderr)
    );
    let bearer = format!("Authorization: Bearer {FAKE_KEY}");
    let o = authlens(&["compare", &url, "-H", &bearer], &dir);
    assert!(
        text(&o.stdout).contains("UnknownIssuer"),
        "{}",
        text(&o.stdout)
    );
    let pem = pem.to_str().unwrap();
    let o = authlens(&["compare", "--cacert", pem, &url, "-H", &bearer], &dir);
    let out = text(&o.stdout);
    assert!(
        out.contains("Authorization: Bearer    401") && !out.contains("UnknownIssuer"),
        "{out}"
    );
    // -k gets through without the CA, and says so first, in text and in JSON.
    let o = authlens(&["compare", "-k", &url, "-H", &bearer], &dir);
    let out = text(&o.stdout);
    assert!(out.starts_with("! TLS NOT VERIFIED"), "{out}");
    assert!(out.contains("Authorization: Bearer    401"), "{out}");
    let o = authlens(
        &["compare", "-k", "--format", "json", &url, "-H", &bearer],
        &dir,
    );
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["tls_unverified"], true, "{json}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reverse_proxy_reaches_an_https_upstream_it_is_given_the_ca_of() {
    if !have("curl", &["--version"]) {
        return;
    }
    let dir = scratch("reverse");
    let (_s, port, pem) = practice_tls(&dir).await;
    let up = format!("https://localhost:{port}");
    let script = "curl -sS \"$AUTHLENS_WATCH_URL/v1/models\" -o /dev/null -w 'got %{http_code}\\n'";
    let args = ["watch", "--no-tui", "--upstream", &up, "--cacert"];
    let o = authlens(
        &[
            &args[..],
            &[pem.to_str().unwrap(), "--", "sh", "-c", script],
        ]
        .concat(),
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("got 401"), "{out}\n{}", text(&o.stderr));
    assert!(out.contains(&format!("GET {up}/v1/models → 401")), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curl_through_watch_mitm_is_recorded_as_sent_and_an_untrusting_curl_is_told_why() {
    if !have("curl", &["--version"]) {
        return;
    }
    let dir = scratch("mitm-curl");
    let (s, port, practice_pem) = practice_tls(&dir).await;
    let ca_path = text(&authlens(&["watch", "--mitm", "--ca-path"], &dir).stdout);
    let ca_path = ca_path.trim();
    assert!(
        ca_path.ends_with("mitm-ca.pem") && Path::new(ca_path).exists(),
        "{ca_path}"
    );
    let url = format!("https://localhost:{port}/v1/models");
    let plain = s.url("/v1/models");
    let script = format!(
        "curl -sS --cacert {ca_path} -x \"$HTTPS_PROXY\" {url} -H 'Authorization: bearer {FAKE_KEY}' -o /dev/null -w 'trusted %{{http_code}}\\n'; \
         curl -sS --cacert {} -x \"$HTTPS_PROXY\" {url} -o /dev/null -w 'untrusted %{{http_code}}\\n'; \
         curl -sS -p -x \"$HTTP_PROXY\" {plain} -o /dev/null -w 'plain tunnel %{{http_code}}\\n'; true",
        practice_pem.display()
    );
    let pem = practice_pem.to_str().unwrap();
    let o = authlens(
        &[
            "watch", "--mitm", "--no-tui", "--cacert", pem, "--", "sh", "-c", &script,
        ],
        &dir,
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert!(out.contains("trusted 401"), "{out}\n{err}");
    assert!(out.contains(&format!("── #1 GET {url} → 401")), "{out}");
    // As the program sent it: its own Host, its own scheme word, masked.
    assert!(out.contains(&format!("Host: localhost:{port}")), "{out}");
    assert!(out.contains("Authorization: bearer "), "{out}");
    assert!(!out.contains(FAKE_KEY), "{out}");
    assert!(
        out.contains("auth-scheme-case-nonstandard"),
        "diagnosed: {out}"
    );
    assert!(
        err.contains(&format!(
            "localhost:{port}: the program does not trust authlens's CA"
        )),
        "{err}"
    );
    let both = format!("{out}{err}");
    assert!(
        both.contains("Its TLS trusts") && both.contains("mitm-ca-bundle.pem"),
        "{both}"
    );
    let raw = text(&s.records()[0].raw);
    assert!(
        raw.contains(&format!("Authorization: bearer {FAKE_KEY}")),
        "{raw}"
    );
    // A CONNECT to a plain-HTTP port carries HTTP: recorded as such, not taken for TLS.
    assert!(out.contains("plain tunnel 401"), "{out}\n{err}");
    assert!(out.contains(&format!("── #2 GET {plain} → 401")), "{out}");
    assert_eq!(s.records().len(), 2, "the refused handshake sent nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg(unix)]
async fn an_upstream_the_watch_cannot_verify_is_a_502_naming_the_tls_error() {
    if !have("curl", &["--version"]) {
        return;
    }
    let dir = scratch("mitm-unverified");
    let (s, port, _) = practice_tls(&dir).await;
    let url = format!("https://127.0.0.1:{port}/v1/models");
    // The program trusts the bundle the watch points it at; the watch does not know the
    // practice CA (no --cacert), so the real server is not verified.
    let script =
        format!("curl -sS -x \"$HTTPS_PROXY\" {url} -o /dev/null -w 'got %{{http_code}}\\n'");
    let o = authlens(
        &["watch", "--mitm", "--no-tui", "--", "sh", "-c", &script],
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("got 502"), "{out}\n{}", text(&o.stderr));
    assert!(out.contains("UnknownIssuer"), "{out}");
    assert!(s.records().is_empty());
    let bundle = dir.join("data/authlens/mitm-ca-bundle.pem");
    assert_eq!(mode(&bundle), 0o600);
    let ca = std::fs::read_to_string(dir.join("data/authlens/mitm-ca.pem")).unwrap();
    assert!(std::fs::read_to_string(&bundle).unwrap().contains(&ca));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn python_requests_through_watch_mitm_trusts_the_bundle_it_is_given() {
    if !have("python3", &["-c", "import requests"]) {
        return;
    }
    let dir = scratch("mitm-requests");
    let (_s, port, pem) = practice_tls(&dir).await;
    let script = format!(
        "import requests\n\
         r = requests.get('https://localhost:{port}/v1/models', headers={{'Authorization': 'Bearer {FAKE_KEY}'}})\n\
         print('status', r.status_code)\n"
    );
    std::fs::write(dir.join("r.py"), script).unwrap();
    let pem = pem.to_str().unwrap();
    let o = authlens(
        &[
            "watch", "--mitm", "--no-tui", "--cacert", pem, "--", "python3", "r.py",
        ],
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("status 401"), "{out}\n{}", text(&o.stderr));
    assert!(
        out.contains("→ 401 Unauthorized · python-requests-"),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_fetch_through_watch_mitm_where_node_honours_the_proxy() {
    let Some(v) = Command::new("node").arg("--version").output().ok() else {
        eprintln!("skipped: node does not run here");
        return;
    };
    let version = text(&v.stdout);
    let major: u32 = version
        .trim()
        .trim_start_matches('v')
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 24 {
        eprintln!(
            "skipped: node {} ignores HTTPS_PROXY for fetch (NODE_USE_ENV_PROXY needs node 24)",
            version.trim()
        );
        return;
    }
    let dir = scratch("mitm-node");
    let (_s, port, pem) = practice_tls(&dir).await;
    let script = format!(
        "fetch('https://localhost:{port}/v1/models', {{headers: {{Authorization: 'Bearer {FAKE_KEY}'}}}}).then(r => console.log('status', r.status))"
    );
    let pem = pem.to_str().unwrap();
    let o = authlens(
        &[
            "watch", "--mitm", "--no-tui", "--cacert", pem, "--", "node", "-e", &script,
        ],
        &dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("status 401"), "{out}\n{}", text(&o.stderr));
    assert!(
        out.contains(&format!("GET https://localhost:{port}/v1/models → 401")),
        "{out}"
    );
}

/// Node before 24 does not read HTTPS_PROXY for `fetch`, so this script opens the CONNECT
/// tunnel to the watch itself and speaks TLS through it: the trust comes only from the
/// `NODE_EXTRA_CA_CERTS` the watch gives the program (and node 20 runs it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn node_https_through_watch_mitm_trusts_node_extra_ca_certs() {
    if !have("node", &["--version"]) {
        return;
    }
    let dir = scratch("mitm-node-https");
    let (_s, port, pem) = practice_tls(&dir).await;
    let script = format!(
        r#"const http = require('http'), tls = require('tls');
const p = new URL(process.env.HTTPS_PROXY);
const tunnel = http.request({{host: p.hostname, port: p.port, method: 'CONNECT', path: 'localhost:{port}'}});
tunnel.on('connect', (res, socket) => {{
  const s = tls.connect({{socket, servername: 'localhost'}});
  let reply = '';
  s.on('secureConnect', () => s.write('GET /v1/models HTTP/1.1\r\nHost: localhost:{port}\r\n' +
    'Authorization: Bearer {FAKE_KEY}\r\nConnection: close\r\n\r\n'));
  s.on('data', d => reply += d);
  s.on('end', () => {{ console.log('status', reply.split(' ')[1]); process.exit(0); }});
  s.on('error', e => {{ console.error('tls error', e.code || e.message); process.exit(1); }});
}});
tunnel.on('error', e => {{ console.error('proxy error', e.message); process.exit(1); }});
tunnel.end();"#
    );
    let pem = pem.to_str().unwrap();
    let o = authlens(
        &[
            "watch", "--mitm", "--no-tui", "--cacert", pem, "--", "node", "-e", &script,
        ],
        &dir,
    );
    let (out, err) = (text(&o.stdout), text(&o.stderr));
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(out.contains("status 401"), "{out}\n{err}");
    assert!(
        out.contains(&format!("GET https://localhost:{port}/v1/models → 401")),
        "{out}"
    );
    // Seen as node sent it, and the key masked in what the watch printed.
    assert!(out.contains("Authorization: Bearer"), "{out}");
    assert!(!out.contains(FAKE_KEY), "{out}");
}

/// A server that answers every request with a redirect to `https://` on its own host.
async fn upgrading_server() -> std::net::SocketAddr {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut c, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = c.read(&mut buf).await;
            let head = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: https://127.0.0.1:{}/v1/models\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                addr.port()
            );
            let _ = c.write_all(head.as_bytes()).await;
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_request_redirected_to_https_is_noted_with_what_it_costs_the_credential() {
    use authlens::watch::{self, Event, Mode, Watch};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let up = upgrading_server().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let options = watch::Options {
        mode: Mode::Forward,
        listen: "127.0.0.1:0".parse().unwrap(),
        max_body: watch::DEFAULT_MAX_BODY,
        stack: Default::default(),
        as_client: None,
        as_loader: None,
        launch: None,
        tls: Default::default(),
        spec: None,
    };
    let w = Watch::start(options, tx).await.unwrap();
    let mut c = tokio::net::TcpStream::connect(w.addr()).await.unwrap();
    let req = format!(
        "GET http://{up}/v1/models HTTP/1.1\r\nHost: {up}\r\nAuthorization: Bearer {FAKE_KEY}\r\nConnection: close\r\n\r\n"
    );
    c.write_all(req.as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let _ = c.read_to_end(&mut got).await;
    assert!(text(&got).starts_with("HTTP/1.1 301"), "{}", text(&got));
    let watched = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(Event::Exchange(w)) = rx.recv().await {
                return w;
            }
        }
    })
    .await
    .expect("the exchange came within 10 s");
    let notes = format!("{:?}", watched.notes);
    assert!(
        notes.contains("redirects http:// to https://127.0.0.1")
            && notes.contains("drop Authorization"),
        "{notes}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn insecure_sends_without_the_ca_and_every_output_says_tls_not_verified() {
    let dir = scratch("insecure");
    let (server, port, _pem) = practice_tls(&dir).await;
    let url = format!("https://127.0.0.1:{port}/v1/models");
    let o = authlens(&["send", "-k", &url], &dir);
    let out = text(&o.stdout);
    assert!(out.contains("< 401 Unauthorized"), "{}", text(&o.stderr));
    assert!(out.contains("TLS NOT VERIFIED"), "{out}");
    let o = authlens(&["send", "-k", "--format", "json", &url], &dir);
    assert!(
        text(&o.stdout).contains("\"tls_unverified\": true"),
        "{}",
        text(&o.stdout)
    );
    // Redirects off: the 307 itself is the answer, not the route it points to.
    let redirect = format!("https://127.0.0.1:{port}/redirect/same-origin");
    let o = authlens(&["send", "-k", "--no-follow", &redirect], &dir);
    let out = text(&o.stdout);
    assert!(out.contains("< 307"), "{out}");
    assert!(!out.contains("/v1/models HTTP/1.1"), "{out}");
    // `-k` on plain http changes nothing, and nothing says TLS was skipped.
    let plain = server.url("/v1/models");
    let o = authlens(&["send", "-k", &plain], &dir);
    let out = text(&o.stdout);
    assert!(out.contains("< 401 Unauthorized"), "{out}");
    assert!(!out.contains("TLS NOT VERIFIED"), "{out}");
    assert!(!out.contains("tls-verification-off"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_http_file_request_carries_its_own_tls_and_redirect_settings() {
    let dir = scratch("http-settings");
    let (_s, port, _pem) = practice_tls(&dir).await;
    let file = dir.join("api.http");
    std::fs::write(
        &file,
        format!("# @insecure\n# @no-redirect\nGET https://127.0.0.1:{port}/redirect/same-origin\n"),
    )
    .unwrap();
    let o = authlens(&["send", "--from", file.to_str().unwrap()], &dir);
    let out = text(&o.stdout);
    assert!(
        out.contains("< 307") && out.contains("TLS NOT VERIFIED"),
        "{out}{}",
        text(&o.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_certificate_file_without_one_is_named_in_the_error() {
    let dir = scratch("cert-error");
    let bad = dir.join("client.pem");
    std::fs::write(&bad, "not a certificate\n").unwrap();
    let o = authlens(
        &[
            "send",
            "--cert",
            bad.to_str().unwrap(),
            "https://127.0.0.1:9/",
        ],
        &dir,
    );
    let err = text(&o.stderr);
    assert!(
        err.contains("--cert")
            && err.contains("client.pem")
            && err.contains("no certificate found"),
        "{err}"
    );
}
