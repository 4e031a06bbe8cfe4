//! Resolving a draft: every `${NAME}` substituted, the auth helper's output added and marked,
//! and every reference that could not be resolved listed with the place it is used.
//!
//! Nothing is validated or sent here; `send` refuses a resolution with unresolved names.

use super::auth_helper::{self, HelperTarget};
use super::{Interpolated, Vars, interpolate};
use crate::draft::{AuthHelper, Body, Draft, PartField, PartValue, Place, RowRef, Side};
use crate::exchange::Origin;
use crate::secret::{Redactor, body_secrets, header_secrets, is_credential_name};
use base64::Engine;

/// A draft with its variables substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub method: String,
    pub url: Interpolated,
    pub headers: Vec<ResolvedHeader>,
    /// Query pairs to append to the URL: enabled rows, then the auth helper's parameter.
    pub query: Vec<ResolvedQuery>,
    pub body: ResolvedBody,
    /// Every unresolved reference, with where it is used.
    pub unresolved: Vec<(String, Place)>,
    /// Credential values to mask in everything shown.
    pub redactor: Redactor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedHeader {
    pub name: Interpolated,
    pub value: Interpolated,
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedQuery {
    pub name: Interpolated,
    pub value: Interpolated,
    /// The query row it came from; `None` for the auth helper's parameter.
    pub row: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedBody {
    None,
    Text {
        content_type: Option<String>,
        text: Interpolated,
    },
    Multipart(Vec<ResolvedPart>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPart {
    pub name: String,
    pub value: ResolvedPartValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedPartValue {
    Text(String),
    File {
        path: String,
        filename: Option<String>,
        content_type: Option<String>,
    },
}

pub fn resolve(draft: &Draft, vars: &Vars) -> Resolved {
    let mut r = Resolver {
        vars,
        unresolved: Vec::new(),
        redactor: Redactor::new(),
    };
    let url = r.sub(&draft.url, Place::Url);
    let mut headers: Vec<ResolvedHeader> = draft
        .enabled_headers()
        .map(|(i, row)| ResolvedHeader {
            name: r.sub(&row.name, Place::Header(RowRef::Typed(i), Side::Name)),
            value: r.sub(&row.value, Place::Header(RowRef::Typed(i), Side::Value)),
            origin: Origin::Typed { row: i },
        })
        .collect();
    let mut query: Vec<ResolvedQuery> = draft
        .query
        .iter()
        .enumerate()
        .filter(|(_, q)| q.enabled)
        .map(|(i, q)| ResolvedQuery {
            name: r.sub(&q.name, Place::Query(RowRef::Typed(i), Side::Name)),
            value: r.sub(&q.value, Place::Query(RowRef::Typed(i), Side::Value)),
            row: Some(i),
        })
        .collect();
    r.auth_helper(&draft.auth, &mut headers, &mut query);
    let body = r.body(&draft.body);
    // A value still holding an unresolved `${NAME}` is not a secret: it is never sent.
    for h in headers
        .iter()
        .filter(|h| h.value.unresolved().next().is_none())
    {
        for secret in header_secrets(&h.name.text, &h.value.text) {
            r.redactor.add(secret);
        }
    }
    for q in &query {
        if is_credential_name(&q.name.text) {
            r.redactor.add(&q.value.text);
        }
    }
    r.body_secrets(&body);
    r.userinfo_secrets(&url.text);
    // `?api_key=…` typed in the URL is as secret as the same key in the query table.
    for p in crate::draft::url_params(&url.text) {
        if let Some(v) = p.value
            && is_credential_name(&url.text[p.name])
        {
            r.redactor.add(&url.text[v]);
        }
    }
    Resolved {
        method: draft.method.clone(),
        url,
        headers,
        query,
        body,
        unresolved: r.unresolved,
        redactor: r.redactor,
    }
}

struct Resolver<'a> {
    vars: &'a Vars,
    unresolved: Vec<(String, Place)>,
    redactor: Redactor,
}

impl Resolver<'_> {
    fn sub(&mut self, text: &str, place: Place) -> Interpolated {
        let out = interpolate(text, |n| self.vars.value(n));
        for s in &out.refs {
            match &s.value {
                None => self.unresolved.push((s.name.clone(), place)),
                // A credential-named variable is a secret wherever it ends up (URL, body, header).
                Some(range) if is_credential_name(&s.name) => {
                    self.redactor.add(&out.text[range.clone()])
                }
                Some(_) => {}
            }
        }
        out
    }

    /// Credential fields of the body: JSON keys and form fields named like credentials, and
    /// multipart text parts named so.
    fn body_secrets(&mut self, body: &ResolvedBody) {
        match body {
            ResolvedBody::None => {}
            ResolvedBody::Text { text, .. } => {
                for s in body_secrets(&text.text) {
                    self.redactor.add(&s);
                }
            }
            ResolvedBody::Multipart(parts) => {
                for p in parts {
                    if let ResolvedPartValue::Text(text) = &p.value {
                        if is_credential_name(&p.name) {
                            self.redactor.add(text);
                        }
                        for s in body_secrets(text) {
                            self.redactor.add(&s);
                        }
                    }
                }
            }
        }
    }

    /// `http://user:password@host/`: the password — and the user name, which is often the key
    /// itself (`http://KEY@host/`) — and the `Basic` header a client derives from them.
    fn userinfo_secrets(&mut self, url: &str) {
        let Ok(u) = url::Url::parse(url.trim()) else {
            return;
        };
        let password = u.password().unwrap_or("");
        if u.username().is_empty() && password.is_empty() {
            return;
        }
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
                .next()
                .map_or_else(|| s.to_string(), |(_, v)| v.into_owned())
        };
        let (user, pass) = (decode(u.username()), decode(password));
        // `http://KEY@host/`: a key as the user name is sent as Basic just the same.
        for secret in [password, &pass, u.username(), &user] {
            self.redactor.add(secret);
        }
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        self.redactor.add(&basic);
    }

    fn auth_helper(
        &mut self,
        auth: &AuthHelper,
        headers: &mut Vec<ResolvedHeader>,
        query: &mut Vec<ResolvedQuery>,
    ) {
        let Some(out) = auth_helper::expand(auth, |field, text| self.sub(text, Place::Auth(field)))
        else {
            return;
        };
        for secret in &out.secrets {
            self.redactor.add(secret);
        }
        let name = Interpolated {
            text: out.name,
            refs: Vec::new(),
        };
        match out.target {
            HelperTarget::Header => headers.push(ResolvedHeader {
                name,
                value: out.value,
                origin: Origin::AuthHelper,
            }),
            HelperTarget::Query => query.push(ResolvedQuery {
                name,
                value: out.value,
                row: None,
            }),
        }
    }

    fn body(&mut self, body: &Body) -> ResolvedBody {
        match body {
            Body::None => ResolvedBody::None,
            Body::Text { content_type, text } => ResolvedBody::Text {
                content_type: content_type.clone(),
                text: self.sub(text, Place::Body),
            },
            Body::Multipart { parts } => ResolvedBody::Multipart(
                parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ResolvedPart {
                        name: self.sub(&p.name, Place::Part(i, PartField::Name)).text,
                        value: match &p.value {
                            PartValue::Text { text } => ResolvedPartValue::Text(
                                self.sub(text, Place::Part(i, PartField::Value)).text,
                            ),
                            PartValue::File {
                                path,
                                filename,
                                content_type,
                            } => ResolvedPartValue::File {
                                path: self.sub(path, Place::Part(i, PartField::Value)).text,
                                filename: filename.clone(),
                                content_type: content_type.clone(),
                            },
                        },
                    })
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::{AuthField, Part, Row};
    use crate::vars::DotenvReport;

    fn vars(pairs: &[(&str, &str)]) -> Vars {
        let process = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()));
        Vars::build(&[], process, DotenvReport::default())
    }

    #[test]
    fn typed_headers_keep_order_case_and_duplicates() {
        let d = Draft::new("GET", "http://h/")
            .header("X-API-Key", "${KEY}")
            .header("accept", "a")
            .header("X-API-Key", "second");
        let r = resolve(&d, &vars(&[("KEY", "EXAMPLE-key-0000")]));
        let names: Vec<_> = r.headers.iter().map(|h| h.name.text.as_str()).collect();
        assert_eq!(names, ["X-API-Key", "accept", "X-API-Key"]);
        assert_eq!(r.headers[0].value.text, "EXAMPLE-key-0000");
        assert_eq!(r.headers[2].origin, Origin::Typed { row: 2 });
    }

    #[test]
    fn disabled_rows_are_not_resolved_or_sent() {
        let mut d = Draft::new("GET", "http://h/").header("Authorization", "${GONE}");
        d.headers[0].enabled = false;
        let r = resolve(&d, &vars(&[]));
        assert!(r.headers.is_empty());
        assert!(r.unresolved.is_empty());
    }

    #[test]
    fn unresolved_references_name_their_place() {
        let mut d = Draft::new("GET", "http://${HOST}/").header("Authorization", "Bearer ${TOKEN}");
        d.query.push(Row::new("k", "{{Q}}"));
        let r = resolve(&d, &vars(&[]));
        let got: Vec<_> = r.unresolved.iter().map(|(n, p)| (n.as_str(), *p)).collect();
        assert_eq!(
            got,
            [
                ("HOST", Place::Url),
                ("TOKEN", Place::Header(RowRef::Typed(0), Side::Value)),
                ("Q", Place::Query(RowRef::Typed(0), Side::Value))
            ]
        );
        assert_eq!(
            Place::Header(RowRef::Typed(0), Side::Value).describe(&d),
            "header 1 \"Authorization\""
        );
    }

    #[test]
    fn an_unresolved_helper_field_is_named_by_its_field() {
        let mut d = Draft::new("GET", "http://h/");
        d.auth = AuthHelper::Basic {
            user: "EXAMPLE-user".into(),
            password: "${PASS}".into(),
        };
        let r = resolve(&d, &vars(&[]));
        assert_eq!(
            r.unresolved,
            [("PASS".to_string(), Place::Auth(AuthField::Password))]
        );
    }

    #[test]
    fn auth_helpers_add_marked_credentials() {
        let v = vars(&[("T", "EXAMPLE-token-000")]);
        let mut d = Draft::new("GET", "http://h/");
        d.auth = AuthHelper::Bearer {
            token: "${T}".into(),
        };
        let r = resolve(&d, &v);
        assert_eq!(r.headers[0].value.text, "Bearer EXAMPLE-token-000");
        assert_eq!(r.headers[0].origin, Origin::AuthHelper);
        assert_eq!(r.headers[0].value.refs[0].value, Some(7..24));

        d.auth = AuthHelper::Basic {
            user: "EXAMPLE-user".into(),
            password: "FAKE-pass".into(),
        };
        let r = resolve(&d, &v);
        assert_eq!(
            r.headers[0].value.text,
            "Basic RVhBTVBMRS11c2VyOkZBS0UtcGFzcw=="
        );

        d.auth = AuthHelper::ApiKeyQuery {
            name: "api_key".into(),
            key: "${T}".into(),
        };
        let r = resolve(&d, &v);
        assert_eq!(
            (r.query[0].value.text.as_str(), r.query[0].row),
            ("EXAMPLE-token-000", None)
        );
    }

    #[test]
    fn credentials_are_registered_for_masking() {
        let v = vars(&[
            ("OPENAI_API_KEY", "sk-EXAMPLE-FAKE-0000000000"),
            ("HOST", "example.test"),
        ]);
        let d = Draft::new("GET", "https://${HOST}/")
            .header("Authorization", "Bearer ${OPENAI_API_KEY}");
        let r = resolve(&d, &v);
        let shown = r
            .redactor
            .redact("authorization: Bearer sk-EXAMPLE-FAKE-0000000000 host: example.test");
        assert!(!shown.contains("FAKE-0000000000"), "{shown}");
        assert!(shown.contains("example.test"));
    }

    #[test]
    fn multipart_file_paths_are_resolved() {
        let mut d = Draft::new("POST", "http://h/");
        d.body = Body::Multipart {
            parts: vec![Part {
                name: "file".into(),
                value: PartValue::File {
                    path: "${DIR}/a.jpg".into(),
                    filename: None,
                    content_type: None,
                },
            }],
        };
        let r = resolve(&d, &vars(&[("DIR", "/tmp")]));
        let ResolvedBody::Multipart(parts) = &r.body else {
            panic!("not multipart")
        };
        assert!(
            matches!(&parts[0].value, ResolvedPartValue::File { path, .. } if path == "/tmp/a.jpg")
        );
    }
}
