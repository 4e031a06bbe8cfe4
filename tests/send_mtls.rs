//! mTLS and unchecked TLS end to end on loopback: a TLS front that *requires* a client
//! certificate (issued by a client CA made here) before it hands the connection to the real
//! practice server, reached by `send --cert/--key` and by a `.http` file's `# @cert`/`# @key`;
//! and the `tls-verification-off` note a `send -k` carries and a verified send does not.

mod conn_common;

use authlens::ca::{Authority, Kind};
use authlens::practice::{Config, PracticeServer, keys};
use conn_common::{authlens, both, scratch, text, write_private};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair,
};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};

/// A client certificate and its key, PEM, and the CA that issued it (DER).
struct ClientId {
    ca_der: rustls::pki_types::CertificateDer<'static>,
    cert_pem: String,
    key_pem: String,
}

/// A CA for clients named `ca_name` and one client certificate it signs
/// (`CN=authlens-test-client`).
fn client_identity(ca_name: &str) -> ClientId {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, ca_name);
    ca.distinguished_name = dn;
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut leaf = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, "authlens-test-client");
    leaf.distinguished_name = dn;
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
    let cert = leaf.signed_by(&key, &issuer).unwrap();
    ClientId {
        ca_der: ca_cert.der().clone(),
        cert_pem: cert.pem(),
        key_pem: key.serialize_pem(),
    }
}

/// A TLS front on 127.0.0.1 with the practice CA's leaf that refuses a handshake without a
/// client certificate from `client_ca`, then relays the connection to the practice server.
/// Returns its port and the subjects of the client certificates it accepted.
async fn mtls_front(
    ca: &Authority,
    client_ca: rustls::pki_types::CertificateDer<'static>,
    practice: std::net::SocketAddr,
) -> (u16, Arc<Mutex<Vec<usize>>>) {
    authlens::tls::install_provider();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(client_ca).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let leaf = ca.leaf(&["127.0.0.1", "localhost"]).unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(
            (*leaf).clone(),
        )));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let seen = accepted.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, seen) = (acceptor.clone(), seen.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let chain = tls.get_ref().1.peer_certificates().map_or(0, |c| c.len());
                seen.lock().unwrap().push(chain);
                let mut inner = TcpStream::connect(practice).await.unwrap();
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut inner).await;
            });
        }
    });
    (port, accepted)
}

struct Setup {
    dir: PathBuf,
    _server: PracticeServer,
    port: u16,
    ca_pem: String,
    accepted: Arc<Mutex<Vec<usize>>>,
}

async fn setup(name: &str) -> Setup {
    let dir = scratch(name);
    let ca = Authority::load_or_create(&dir.join("data/authlens"), Kind::Practice).unwrap();
    let server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let id = client_identity("authlens test client CA (FAKE)");
    let (port, accepted) = mtls_front(&ca, id.ca_der.clone(), server.addr()).await;
    std::fs::write(dir.join("client.pem"), &id.cert_pem).unwrap();
    write_private(&dir.join("client.key"), &id.key_pem);
    write_private(
        &dir.join("client-both.pem"),
        &format!("{}{}", id.cert_pem, id.key_pem),
    );
    Setup {
        dir,
        _server: server,
        port,
        ca_pem: ca.cert_path().display().to_string(),
        accepted,
    }
}

fn bearer() -> String {
    format!("Authorization: Bearer {}", keys::BEARER_TOKEN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_requires_a_client_certificate_gets_it_from_cert_and_key() {
    let s = setup("flags").await;
    let url = format!("https://127.0.0.1:{}/v1/models", s.port);
    let (ca, b) = (s.ca_pem.as_str(), bearer());
    let o = authlens(
        &[
            "send",
            "--cacert",
            ca,
            "--cert",
            "client.pem",
            "--key",
            "client.key",
            &url,
            "-H",
            &b,
        ],
        &s.dir,
    );
    let out = text(&o.stdout);
    assert!(out.contains("< 200 OK"), "{}", both(&o));
    assert!(!out.contains(keys::BEARER_TOKEN), "masked: {out}");
    assert_eq!(
        s.accepted.lock().unwrap().as_slice(),
        &[1],
        "one client chain"
    );
    // The key in the certificate's file works too.
    let o = authlens(
        &[
            "send",
            "--cacert",
            ca,
            "--cert",
            "client-both.pem",
            &url,
            "-H",
            &b,
        ],
        &s.dir,
    );
    assert!(text(&o.stdout).contains("< 200 OK"), "{}", both(&o));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_client_certificate_the_error_names_the_url_and_the_setting() {
    let s = setup("nocert").await;
    let url = format!("https://127.0.0.1:{}/v1/models", s.port);
    let o = authlens(
        &["send", "--cacert", &s.ca_pem, &url, "-H", &bearer()],
        &s.dir,
    );
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let err = text(&o.stderr);
    let line = err
        .lines()
        .find(|l| l.contains(&url))
        .unwrap_or_else(|| panic!("no line names the URL: {err}"));
    assert!(line.contains("asked for a client certificate"), "{line}");
    assert!(
        line.contains("--cert") && line.contains("# @cert"),
        "{line}"
    );
    // A certificate from a CA the server does not trust is refused, and said so.
    let other = client_identity("another client CA the server does not know (FAKE)");
    std::fs::write(s.dir.join("other.pem"), &other.cert_pem).unwrap();
    write_private(&s.dir.join("other.key"), &other.key_pem);
    let args = ["--cert", "other.pem", "--key", "other.key"];
    let o = authlens(
        &[&["send", "--cacert", &s.ca_pem][..], &args, &[&url]].concat(),
        &s.dir,
    );
    let err = text(&o.stderr);
    assert!(
        err.contains(&url) && err.contains("the server refused the client certificate"),
        "{err}"
    );
    assert!(s.accepted.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_http_file_gives_the_client_certificate_with_cert_and_key_directives() {
    let s = setup("httpfile").await;
    let file = format!(
        "### models\n# @cacert {}\n# @cert client.pem\n# @key client.key\nGET https://127.0.0.1:{}/v1/models\nAuthorization: Bearer {}\n",
        s.ca_pem,
        s.port,
        keys::BEARER_TOKEN
    );
    std::fs::write(s.dir.join("api.http"), file).unwrap();
    let o = authlens(&["send", "--from", "api.http", "--name", "models"], &s.dir);
    assert!(text(&o.stdout).contains("< 200 OK"), "{}", both(&o));
    assert_eq!(s.accepted.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_file_without_its_key_names_the_key_setting_as_written() {
    let s = setup("nokey").await;
    let url = format!("https://127.0.0.1:{}/v1/models", s.port);
    let o = authlens(&["send", "--cert", "client.pem", &url], &s.dir);
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    let err = text(&o.stderr);
    assert!(
        err.contains("--cert client.pem: no private key found") && err.contains("--key"),
        "{err}"
    );
    let file = format!("# @cert client.pem\nGET {url}\n");
    std::fs::write(s.dir.join("nokey.http"), file).unwrap();
    let o = authlens(&["send", "--from", "nokey.http"], &s.dir);
    let err = text(&o.stderr);
    assert!(
        err.contains("# @cert") && err.contains("give the key file with # @key"),
        "{err}"
    );
    assert!(s.accepted.lock().unwrap().is_empty(), "nothing was sent");
}

/// `-k` against the practice TLS port: the findings carry the note; the same send with the
/// CA trusted does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unverified_send_says_the_diagnosis_was_made_with_tls_checks_off() {
    let dir = scratch("note");
    let ca = Authority::load_or_create(&dir.join("data/authlens"), Kind::Practice).unwrap();
    let mut server = PracticeServer::start(Config::practice_default())
        .await
        .unwrap();
    let port = server.listen_tls(0, &ca).await.unwrap().port();
    let url = format!("https://127.0.0.1:{port}/v1/models");
    let pem = ca.cert_path().to_str().unwrap();
    let o = authlens(&["send", "-k", &url], &dir);
    let out = text(&o.stdout);
    assert!(out.contains("< 401"), "{}", both(&o));
    assert!(out.contains("tls-verification-off"), "{out}");
    let o = authlens(&["send", "-k", "--format", "json", &url], &dir);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let note = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "tls-verification-off")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(note["severity"], "info");
    // The saved exchange keeps it: `diagnose` of the JSON says so too.
    std::fs::write(dir.join("sent.json"), &o.stdout).unwrap();
    let o = authlens(&["diagnose", "sent.json"], &dir);
    assert!(
        text(&o.stdout).contains("tls-verification-off"),
        "{}",
        both(&o)
    );
    let o = authlens(&["send", "--cacert", pem, &url], &dir);
    let out = text(&o.stdout);
    assert!(
        out.contains("< 401") && !out.contains("tls-verification-off"),
        "{out}"
    );
    // `compare -k`: the note is on each slot, last, and never a refused slot's reason.
    let b = format!("Authorization: Bearer {}", keys::BEARER_TOKEN);
    let o = authlens(&["compare", "-k", &url, "-H", &b], &dir);
    let out = text(&o.stdout);
    assert!(out.contains("info tls-verification-off"), "{out}");
    let summary = out.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
    assert!(
        summary.contains("got 401") && !summary.contains("tls-verification-off"),
        "{out}"
    );
}
