//! What an exported exchange keeps of a secret it masks, so `diagnose` can still judge the
//! secret's shape without ever seeing it.
//!
//! A mask like `sk-ab…9f3c (51 chars)` read back as if it were the key makes the rules see an
//! ellipsis (an "invisible character") and a display string (a "masked key"). So an export
//! lists each mask it wrote with the facts that are safe to keep — length, the characters the
//! mask shows, whitespace or control characters at the ends, unusual characters inside by
//! code point, and a fingerprint — and the reader puts a *stand-in* of the same shape where
//! the mask stands: same length, same ends, same unusual characters, key-like filler.
//!
//! The fingerprint is an HMAC-SHA256 of the secret under a random key made once per install
//! and kept `0600` in authlens's data directory — never a bare hash, which anyone could test
//! guesses against. Equal secrets from this machine get equal fingerprints and so equal
//! stand-ins, so "the key sent is the key in `.env`" survives the masking.

use crate::secret::{mask, shown_ends};
use serde::{Deserialize, Serialize};

/// The longest secret a stand-in is made for; a longer `length` in a file is ignored.
pub const MAX_SECRET: usize = 64 * 1024;

/// One mask in an export and the safe facts about the secret behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaskedValue {
    /// The mask as it stands in the export.
    pub shown: String,
    /// Characters in the secret.
    pub length: usize,
    /// The characters the mask shows at each end, as they are (a newline stays `\n`).
    pub prefix: String,
    pub suffix: String,
    /// Whitespace and control characters at each end (empty when there are none).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub leading: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub trailing: String,
    /// Non-ASCII and control characters inside, as `U+200B`, in order of first appearance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unusual: Vec<String>,
    /// `hmac-sha256:` and 16 hex digits, or none where no install key could be kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

impl MaskedValue {
    /// The facts about `secret`, fingerprinted with `key` when there is one.
    pub fn of(secret: &str, key: Option<&[u8]>) -> MaskedValue {
        let chars: Vec<char> = secret.chars().collect();
        let (head, tail) = shown_ends(chars.len());
        let is_edge = |c: &char| c.is_whitespace() || c.is_control();
        let leading: String = chars.iter().take_while(|c| is_edge(c)).collect();
        let trailing: String = {
            let rest = &chars[leading.chars().count()..];
            let n = rest.iter().rev().take_while(|c| is_edge(c)).count();
            rest[rest.len() - n..].iter().collect()
        };
        let mut unusual = Vec::new();
        let inner = &chars[leading.chars().count()..chars.len() - trailing.chars().count()];
        for c in inner.iter().filter(|c| !c.is_ascii() || c.is_control()) {
            let code = format!("U+{:04X}", *c as u32);
            if !unusual.contains(&code) {
                unusual.push(code);
            }
        }
        MaskedValue {
            shown: mask(secret),
            length: chars.len(),
            prefix: chars[..head].iter().collect(),
            suffix: chars[chars.len() - tail..].iter().collect(),
            leading,
            trailing,
            unusual,
            fingerprint: key.map(|k| fingerprint(k, secret)),
        }
    }

    /// A value of the secret's shape: its ends as shown, its unusual characters, key-like
    /// filler in between, and its length. Equal fingerprints give equal stand-ins.
    pub fn stand_in(&self) -> String {
        let (start, end) = if self.prefix.is_empty() {
            (self.leading.clone(), self.trailing.clone())
        } else {
            (self.prefix.clone(), self.suffix.clone())
        };
        let unusual: String = self
            .unusual
            .iter()
            .filter_map(|u| u32::from_str_radix(u.trim_start_matches("U+"), 16).ok())
            .filter_map(char::from_u32)
            .collect();
        let fixed = start.chars().count() + end.chars().count() + unusual.chars().count();
        let fill = self.length.saturating_sub(fixed);
        let seed = self.fingerprint.as_deref().unwrap_or(&self.shown);
        let mut filler = filler(seed, fill);
        filler.insert_str(filler.len() / 2, &unusual);
        format!("{start}{filler}{end}")
    }
}

/// `n` letters and digits, the same for the same seed.
fn filler(seed: &str, n: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    // FNV-1a to seed, then xorshift: spread, repeatable, and nothing secret goes in.
    let mut state = seed.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }) | 1;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            CHARS[(state % CHARS.len() as u64) as usize] as char
        })
        .collect()
}

/// `hmac-sha256:` and the first 8 bytes of HMAC-SHA256(key, secret), in hex.
pub fn fingerprint(key: &[u8], secret: &str) -> String {
    let tag = ring::hmac::sign(
        &ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key),
        secret.as_bytes(),
    );
    let hex: String = tag.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("hmac-sha256:{hex}")
}

/// This install's fingerprint key: 32 random bytes in `fingerprint.key` in the data directory,
/// made on first use, `0600`, never replaced. `None` where there is no data directory or it
/// cannot be written: the export then carries no fingerprints rather than a weaker one.
pub fn install_key() -> Option<Vec<u8>> {
    let path = crate::data_dir::dir()?.join("fingerprint.key");
    let read = || std::fs::read(&path).ok().filter(|k| k.len() == 32);
    if let Some(key) = read() {
        return Some(key);
    }
    let mut key = vec![0u8; 32];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut key).ok()?;
    // Two first exports at once: the one that loses uses the key that won, so every
    // fingerprint on this machine is under the key that stays.
    match crate::data_dir::create_private(&path, &key).ok()? {
        true => Some(key),
        false => read(),
    }
}

/// Puts a stand-in wherever a listed mask stands in `json` (the text of an exchange file), so
/// the rules read values of the secrets' shape instead of mask strings.
pub fn unmask_shapes(json: &str, masked: &[MaskedValue]) -> String {
    let quoted = |s: &str| {
        let q = serde_json::Value::String(s.to_string()).to_string();
        q[1..q.len() - 1].to_string()
    };
    let mut out = json.to_string();
    // A file is outside input: an empty mask would match between every character, and a
    // length no secret has would ask for gigabytes.
    for m in masked
        .iter()
        .filter(|m| !m.shown.is_empty() && m.length <= MAX_SECRET)
    {
        out = out.replace(&quoted(&m.shown), &quoted(&m.stand_in()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"EXAMPLE-install-key-000000000000";

    #[test]
    fn a_stand_in_keeps_length_ends_and_unusual_characters_but_not_the_secret() {
        let secret = "sk-proj-FAKE0123\u{200b}456789abcdefABCDEF0123456789\n";
        let m = MaskedValue::of(secret, Some(KEY));
        assert_eq!(m.length, secret.chars().count());
        assert_eq!((m.prefix.as_str(), m.suffix.as_str()), ("sk-pr", "789\n"));
        assert_eq!((m.leading.as_str(), m.trailing.as_str()), ("", "\n"));
        assert_eq!(m.unusual, ["U+200B"]);
        let s = m.stand_in();
        assert_eq!(s.chars().count(), secret.chars().count());
        assert!(s.starts_with("sk-pr") && s.ends_with("789\n") && s.contains('\u{200b}'));
        assert_ne!(s, secret);
        assert!(!s.contains("FAKE0123"));
    }

    #[test]
    fn equal_secrets_get_equal_stand_ins_and_others_differ() {
        let a = MaskedValue::of("EXAMPLE-secret-value-000000000000", Some(KEY));
        let b = MaskedValue::of("EXAMPLE-secret-value-000000000000", Some(KEY));
        let c = MaskedValue::of("EXAMPLE-secret-value-111111110000", Some(KEY));
        assert_eq!(a.fingerprint, b.fingerprint);
        assert_eq!(a.stand_in(), b.stand_in());
        assert_ne!(a.fingerprint, c.fingerprint);
        assert_ne!(a.stand_in(), c.stand_in());
        // Keyed: another install's fingerprint of the same secret is another value.
        let other = MaskedValue::of("EXAMPLE-secret-value-000000000000", Some(b"another-key"));
        assert_ne!(a.fingerprint, other.fingerprint);
    }

    #[test]
    fn a_short_secret_keeps_its_whitespace_ends() {
        let m = MaskedValue::of(" hunter2 ", None);
        assert!(m.prefix.is_empty());
        let s = m.stand_in();
        assert_eq!(s.chars().count(), 9);
        assert!(s.starts_with(' ') && s.ends_with(' '));
    }

    #[test]
    fn a_hostile_mask_list_changes_nothing() {
        let mut huge = MaskedValue::of("EXAMPLE-secret-value-000000000000", None);
        huge.length = usize::MAX / 2;
        let mut empty = huge.clone();
        empty.shown.clear();
        let json = r#"{"env":{"K":"EXAMP…0000 (33 chars)"}}"#;
        assert_eq!(unmask_shapes(json, &[huge, empty]), json);
    }

    #[test]
    fn masks_in_a_json_text_become_stand_ins() {
        let m = MaskedValue::of("EXAMPLE\"quoted-secret-0000000000", Some(KEY));
        let json = serde_json::json!({ "env": { "K": m.shown.clone() } }).to_string();
        let out = unmask_shapes(&json, std::slice::from_ref(&m));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["env"]["K"], m.stand_in());
    }
}
