//! What the draft's auth helper writes — one header or one query parameter — worked out in
//! one place for everyone who needs it: `resolve` (what is sent) and the rules (what is judged).
//!
//! Substitution stays the caller's: `resolve` keeps an unresolved `${NAME}` (and refuses to
//! send it), the rules read it as the empty value the wire would carry. Everything else — the
//! header name, `Bearer ` before the token, `Basic ` before base64(user:password) the way
//! reqwest's helpers write it — is decided here.

use super::Interpolated;
use crate::draft::{AuthField, AuthHelper};
use base64::Engine;

/// Where the helper's credential goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelperTarget {
    Header,
    Query,
}

/// The header or query parameter the auth helper writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperOutput {
    pub target: HelperTarget,
    /// The name as typed in the helper (not substituted).
    pub name: String,
    /// The value, with the references of the field it came from. A Bearer token's value
    /// ranges are shifted past `Bearer `; its typed ranges stay those of the token field.
    pub value: Interpolated,
    /// The secret texts in the value, for masking: the token or key; for Basic the password
    /// and the base64 encoding.
    pub secrets: Vec<String>,
}

/// Expands the helper, substituting each field it reads with `sub`, told which field it is
/// (user before password). `None` when there is no helper.
pub fn expand(
    auth: &AuthHelper,
    mut sub: impl FnMut(AuthField, &str) -> Interpolated,
) -> Option<HelperOutput> {
    let out = |target, name: &str, value: Interpolated, secrets| HelperOutput {
        target,
        name: name.to_string(),
        value,
        secrets,
    };
    match auth {
        AuthHelper::None => None,
        AuthHelper::Bearer { token } => {
            let token = sub(AuthField::Token, token);
            let secrets = vec![token.text.clone()];
            let value = prefixed("Bearer ", token);
            Some(out(HelperTarget::Header, "Authorization", value, secrets))
        }
        AuthHelper::ApiKeyHeader { name, key } => {
            let key = sub(AuthField::Key, key);
            let secrets = vec![key.text.clone()];
            Some(out(HelperTarget::Header, name, key, secrets))
        }
        AuthHelper::ApiKeyQuery { name, key } => {
            let key = sub(AuthField::Key, key);
            let secrets = vec![key.text.clone()];
            Some(out(HelperTarget::Query, name, key, secrets))
        }
        AuthHelper::Basic { user, password } => {
            let user = sub(AuthField::User, user);
            let password = sub(AuthField::Password, password);
            let encoded = base64::engine::general_purpose::STANDARD
                .encode(format!("{}:{}", user.text, password.text));
            let value = Interpolated {
                text: format!("Basic {encoded}"),
                refs: Vec::new(),
            };
            let secrets = vec![password.text, encoded];
            Some(out(HelperTarget::Header, "Authorization", value, secrets))
        }
    }
}

/// `prefix` + the text, with the text's value ranges shifted past the prefix.
fn prefixed(prefix: &str, mut inner: Interpolated) -> Interpolated {
    let shift = prefix.len();
    for r in &mut inner.refs {
        r.value = r.value.take().map(|v| v.start + shift..v.end + shift);
    }
    inner.text.insert_str(0, prefix);
    inner
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vars::interpolate;

    fn sub(_: AuthField, text: &str) -> Interpolated {
        interpolate(text, |n| (n == "T").then(|| "EXAMPLE-tok".to_string()))
    }

    #[test]
    fn bearer_puts_the_scheme_before_the_token_and_shifts_its_value() {
        let auth = AuthHelper::Bearer {
            token: "${T}".into(),
        };
        let o = expand(&auth, sub).unwrap();
        assert_eq!(o.target, HelperTarget::Header);
        assert_eq!(o.name, "Authorization");
        assert_eq!(o.value.text, "Bearer EXAMPLE-tok");
        assert_eq!(o.value.refs[0].typed, 0..4);
        assert_eq!(o.value.refs[0].value, Some(7..18));
        assert_eq!(o.secrets, ["EXAMPLE-tok"]);
    }

    #[test]
    fn basic_encodes_user_colon_password() {
        let auth = AuthHelper::Basic {
            user: "EXAMPLE-user".into(),
            password: "FAKE-pass".into(),
        };
        let o = expand(&auth, sub).unwrap();
        assert_eq!(o.value.text, "Basic RVhBTVBMRS11c2VyOkZBS0UtcGFzcw==");
        assert_eq!(o.secrets, ["FAKE-pass", "RVhBTVBMRS11c2VyOkZBS0UtcGFzcw=="]);
    }

    #[test]
    fn api_keys_go_where_the_helper_says() {
        let header = AuthHelper::ApiKeyHeader {
            name: "X-API-Key".into(),
            key: "${T}".into(),
        };
        let o = expand(&header, sub).unwrap();
        assert_eq!(
            (o.target, o.name.as_str()),
            (HelperTarget::Header, "X-API-Key")
        );
        let query = AuthHelper::ApiKeyQuery {
            name: "api_key".into(),
            key: "${T}".into(),
        };
        let o = expand(&query, sub).unwrap();
        assert_eq!(
            (o.target, o.value.text.as_str()),
            (HelperTarget::Query, "EXAMPLE-tok")
        );
        assert!(expand(&AuthHelper::None, sub).is_none());
    }
}
