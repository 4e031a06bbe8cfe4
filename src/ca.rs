//! authlens's own certificate authorities: one that `watch --mitm` signs a leaf per host with,
//! so it can read the HTTPS a program sends, and one for the practice server's TLS port, kept
//! apart so trusting the practice server never means trusting the watch. Each is made on first
//! use in authlens's data directory (key `0600`, directory `0700`) and never leaves the machine.

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, SanType,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Which authority: the names of its files and the name a user sees in a trust store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `watch --mitm`: trusted only by programs the user points at it.
    Mitm,
    /// `serve --tls-port`: trusted only by clients given `--cacert`.
    Practice,
}

impl Kind {
    fn stem(self) -> &'static str {
        match self {
            Kind::Mitm => "mitm-ca",
            Kind::Practice => "practice-ca",
        }
    }

    /// The subject's common name: what a user finds in a trust store and recognises.
    pub fn common_name(self) -> &'static str {
        match self {
            Kind::Mitm => "authlens local CA (this machine only)",
            Kind::Practice => "authlens practice server CA (this machine only)",
        }
    }
}

/// How long a CA is valid: long enough that a trusted one keeps working, short of forever.
const CA_DAYS: u64 = 825;
/// How long a leaf is valid: a session's worth; leaves are never written to disk.
const LEAF_DAYS: u64 = 2;
/// How long a cached leaf is presented before a fresh one is made: half its life.
const LEAF_REUSE: Duration = Duration::from_secs(LEAF_DAYS * 86_400 / 2);
/// Clocks differ a little between machines and containers; a leaf starts a little earlier.
const SKEW: Duration = Duration::from_secs(3600);

/// A loaded authority and the leaves it signed in this process, by host.
pub struct Authority {
    kind: Kind,
    cert_path: PathBuf,
    cert_pem: String,
    cert_der: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
    leaves: Mutex<Leaves>,
}

/// The leaves made so far, by their names, with when each was made.
type Leaves = HashMap<String, (std::time::Instant, Arc<rustls::sign::CertifiedKey>)>;

impl std::fmt::Debug for Authority {
    /// The key is never shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authority")
            .field("kind", &self.kind)
            .field("cert_path", &self.cert_path)
            .finish_non_exhaustive()
    }
}

/// The authority of `kind` in authlens's data directory, made there on first use.
pub fn load_default(kind: Kind) -> Result<Authority, String> {
    let dir = crate::data_dir::dir()
        .ok_or("no data directory: set XDG_DATA_HOME or HOME so authlens can keep its CA")?;
    Authority::load_or_create(&dir, kind)
}

/// Where the CA certificate of `kind` is (or would be) kept, without making it.
pub fn cert_path(dir: &Path, kind: Kind) -> PathBuf {
    dir.join(format!("{}.pem", kind.stem()))
}

fn key_path(dir: &Path, kind: Kind) -> PathBuf {
    dir.join(format!("{}.key", kind.stem()))
}

impl Authority {
    /// Reads the authority from `dir`, or makes it. The key file holds the key and the
    /// certificate together, created in one step, so two processes starting at once agree on
    /// one CA; the `.pem` beside it is the certificate alone, for trust stores.
    pub fn load_or_create(dir: &Path, kind: Kind) -> Result<Authority, String> {
        let keyfile = key_path(dir, kind);
        let doing = |what: &str, p: &Path, e: &dyn std::fmt::Display| {
            format!("{what} {}: {e}", p.display())
        };
        let stored = match std::fs::read_to_string(&keyfile) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let made = generate(kind)?;
                crate::data_dir::create_private(&keyfile, made.as_bytes())
                    .map_err(|e| doing("write", &keyfile, &e))?;
                // Ours, or the one another process made first.
                std::fs::read_to_string(&keyfile).map_err(|e| doing("read", &keyfile, &e))?
            }
            Err(e) => return Err(doing("read", &keyfile, &e)),
        };
        let (key_pem, cert_pem) = split(&stored)
            .ok_or_else(|| format!("{} is not an authlens CA file", keyfile.display()))?;
        let key = KeyPair::from_pem(key_pem).map_err(|e| doing("read", &keyfile, &e))?;
        let cert_der = CertificateDer::from(pem_der(cert_pem)?);
        let cert_path = cert_path(dir, kind);
        if std::fs::read_to_string(&cert_path).ok().as_deref() != Some(cert_pem) {
            crate::data_dir::write_private(&cert_path, cert_pem.as_bytes())
                .map_err(|e| doing("write", &cert_path, &e))?;
        }
        Ok(Authority {
            kind,
            cert_path,
            cert_pem: cert_pem.to_string(),
            cert_der,
            issuer: Issuer::new(ca_params(kind), key),
            leaves: Mutex::new(HashMap::new()),
        })
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The CA certificate's PEM file: what a program is told to trust.
    pub fn cert_path(&self) -> &Path {
        &self.cert_path
    }

    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }

    /// A leaf for `names` (DNS names or IP addresses), signed by this CA, with the CA's
    /// certificate after it; made once per set of names in this process, and again after a
    /// day, so a watch left running never presents an expired one.
    pub fn leaf(&self, names: &[&str]) -> Result<Arc<rustls::sign::CertifiedKey>, String> {
        let id = names.join(",").to_ascii_lowercase();
        let mut leaves = crate::tee::lock(&self.leaves);
        if let Some((made, found)) = leaves.get(&id)
            && made.elapsed() < LEAF_REUSE
        {
            return Ok(found.clone());
        }
        let made = Arc::new(self.sign_leaf(names)?);
        leaves.insert(id, (std::time::Instant::now(), made.clone()));
        Ok(made)
    }

    fn sign_leaf(&self, names: &[&str]) -> Result<rustls::sign::CertifiedKey, String> {
        let failed = |e: rcgen::Error| format!("make a certificate for {}: {e}", names.join(", "));
        let mut params = CertificateParams::default();
        params.subject_alt_names = names
            .iter()
            .map(
                |n| match n.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
                    Ok(ip) => Ok(SanType::IpAddress(ip)),
                    Err(_) => Ok(SanType::DnsName((*n).try_into()?)),
                },
            )
            .collect::<Result<_, rcgen::Error>>()
            .map_err(failed)?;
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CommonName,
            names.first().copied().unwrap_or("authlens"),
        );
        params.distinguished_name = dn;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        // Key identifiers both ways and CA:false: what strict verifiers (Python ≥ 3.13's
        // VERIFY_X509_STRICT, OpenSSL 3) require of a leaf.
        params.is_ca = IsCa::ExplicitNoCa;
        params.use_authority_key_identifier_extension = true;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - SKEW;
        params.not_after = now + Duration::from_secs(LEAF_DAYS * 86_400);
        let key = KeyPair::generate().map_err(failed)?;
        let cert = params.signed_by(&key, &self.issuer).map_err(failed)?;
        let der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
        let signer = rustls::crypto::ring::sign::any_supported_type(&der)
            .map_err(|e| format!("use the certificate for {}: {e}", names.join(", ")))?;
        Ok(rustls::sign::CertifiedKey::new(
            vec![cert.der().clone(), self.cert_der.clone()],
            signer,
        ))
    }

    /// A TLS server configuration that presents the leaf for `names` (HTTP/1.1 only).
    pub fn server_config(&self, names: &[&str]) -> Result<Arc<rustls::ServerConfig>, String> {
        crate::tls::install_provider();
        let leaf = self.leaf(names)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(rustls::sign::SingleCertAndKey::from(
                (*leaf).clone(),
            )));
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// The CA's subject and what it may do; the same every time, so a CA read back from disk
/// signs leaves whose issuer is its subject.
fn ca_params(kind: Kind) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, kind.common_name());
    dn.push(DnType::OrganizationName, "authlens");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params
}

/// A new CA: its key and certificate, as the one PEM text the key file holds.
fn generate(kind: Kind) -> Result<String, String> {
    let failed = |e: rcgen::Error| format!("make the {}: {e}", kind.common_name());
    let key = KeyPair::generate().map_err(failed)?;
    let mut params = ca_params(kind);
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - SKEW;
    params.not_after = now + Duration::from_secs(CA_DAYS * 86_400);
    let cert = params.self_signed(&key).map_err(failed)?;
    Ok(format!("{}{}", key.serialize_pem(), cert.pem()))
}

/// The key's PEM block and the certificate's, from the key file.
fn split(stored: &str) -> Option<(&str, &str)> {
    let at = stored.find("-----BEGIN CERTIFICATE-----")?;
    let (key, cert) = stored.split_at(at);
    key.contains("PRIVATE KEY").then_some((key, cert))
}

fn pem_der(cert_pem: &str) -> Result<Vec<u8>, String> {
    use rustls::pki_types::pem::PemObject;
    CertificateDer::from_pem_slice(cert_pem.as_bytes())
        .map(|c| c.to_vec())
        .map_err(|e| format!("the CA certificate is not PEM: {e}"))
}

/// Every certificate in a PEM file (`--cacert`); the error names the file.
pub fn read_pem_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    use rustls::pki_types::pem::PemObject;
    let certs = CertificateDer::pem_file_iter(path)
        .and_then(|it| it.collect::<Result<Vec<_>, _>>())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if certs.is_empty() {
        return Err(format!("{}: no PEM certificate in it", path.display()));
    }
    Ok(certs)
}

/// Where a system keeps its bundle of trusted roots (Debian and Alpine, Fedora, macOS/BSD).
const SYSTEM_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];

impl Authority {
    /// Writes `mitm-bundle.pem` beside the CA (`0600`): the roots the program trusted already
    /// (its `SSL_CERT_FILE`, else the system's bundle) plus this CA, so a program pointed at it
    /// by `SSL_CERT_FILE` or `REQUESTS_CA_BUNDLE` still reaches every other server.
    pub fn write_bundle(&self, inherited: Option<&Path>) -> Result<PathBuf, String> {
        let system = inherited
            .into_iter()
            .chain(SYSTEM_BUNDLES.iter().map(Path::new))
            .find_map(|p| std::fs::read_to_string(p).ok())
            .unwrap_or_default();
        let path = self
            .cert_path
            .with_file_name(format!("{}-bundle.pem", self.kind.stem()));
        let mut text = system;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("# {}\n", self.kind.common_name()));
        text.push_str(&self.cert_pem);
        crate::data_dir::write_private(&path, text.as_bytes())
            .map_err(|e| format!("write {}: {e}", path.display()))?;
        Ok(path)
    }
}

/// What [`read_identity`] says of a file with no private key in it.
pub const NO_PRIVATE_KEY: &str = "no private key found";

/// A client certificate and its key as one PEM buffer (what reqwest's `Identity::from_pem`
/// reads): the key from `key`, or from the certificate file when it holds both. The error
/// says which file (`"cert"` or `"key"`) and what is wrong with it.
pub fn read_identity(cert: &Path, key: Option<&Path>) -> Result<Vec<u8>, (&'static str, String)> {
    use rustls::pki_types::PrivateKeyDer;
    use rustls::pki_types::pem::PemObject;
    let read = |p: &Path, which| std::fs::read(p).map_err(|e| (which, e.to_string()));
    let cert_pem = read(cert, "cert")?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&cert_pem)
        .filter_map(Result::ok)
        .collect();
    if certs.is_empty() {
        return Err(("cert", "no certificate found".into()));
    }
    let (key_pem, which) = match key {
        Some(k) => (read(k, "key")?, "key"),
        None => (cert_pem.clone(), "cert"),
    };
    if PrivateKeyDer::from_pem_slice(&key_pem).is_err() {
        // The caller names the key setting as the user spells it (`--key`, `# @key`).
        return Err((which, NO_PRIVATE_KEY.into()));
    }
    let mut pem = cert_pem;
    if key.is_some() {
        pem.push(b'\n');
        pem.extend_from_slice(&key_pem);
    }
    Ok(pem)
}
