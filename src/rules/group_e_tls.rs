//! Group E — a note, not a cause: the exchange was sent with the server's certificate
//! unchecked (`-k`), so nothing proves the 401 came from the API. A TLS-intercepting proxy or
//! another host on that address answers the same way, and the user would not know.

use super::case::Case;
use super::cause_id::CauseId;
use super::finding::{Anchor, EvidenceKind, Finding};

/// Runs the rule, appending its note.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    tls_verification_off(case, out);
}

fn tls_verification_off(case: &Case, out: &mut Vec<Finding>) {
    if !case.observed.is_some_and(|o| o.tls_unverified) {
        return;
    }
    let host = case
        .parsed_url
        .as_ref()
        .map(|u| u.host.clone())
        .unwrap_or_else(|| "the server".into());
    let mut f = case.finding(
        CauseId::TlsVerificationOff,
        Anchor::Request,
        format!(
            "This was sent with TLS checks off (-k, # @insecure or Settings › insecure): the certificate was not checked, so nothing proves the answer came from {host}. A TLS-intercepting proxy, a captive portal or another host on that address can give this answer itself, a 401 included, and nothing here tells it from the API's. This diagnosis reads the answer as the API's; send again with verification on (--cacert FILE for a private or corporate CA) to be sure."
        ),
        format!("{}: certificate of {host} not checked", crate::exchange::TLS_NOT_VERIFIED),
    );
    f.evidence_kind = EvidenceKind::Context;
    out.push(f);
}

#[cfg(test)]
mod tests {
    use crate::draft::Draft;
    use crate::rules::{Context, Observed, ObservedResponse, Severity, diagnose, lint};
    use crate::vars::Vars;

    fn ids(tls_unverified: bool, status: u16) -> Vec<(String, Severity)> {
        let draft = Draft::new("GET", "https://api.example.org/v1/models")
            .header("Authorization", "Bearer FAKE-EXAMPLE-0000000000000000");
        let observed = Observed {
            redirects: Vec::new(),
            response: Some(ObservedResponse {
                status,
                headers: Vec::new(),
                body: String::new(),
            }),
            tls_unverified,
            cookies: Vec::new(),
        };
        diagnose(&draft, &Vars::default(), &observed, &Context::default())
            .into_iter()
            .map(|f| (f.id.to_string(), f.severity))
            .collect()
    }

    #[test]
    fn a_note_beside_the_residual_when_checks_were_off_and_nothing_when_on() {
        let off = ids(true, 401);
        assert!(
            off.contains(&("tls-verification-off".into(), Severity::Info)),
            "{off:?}"
        );
        assert!(
            off.iter().any(|(id, _)| id == "no-specific-cause"),
            "{off:?}"
        );
        let on = ids(false, 401);
        assert!(!on.iter().any(|(id, _)| id == "tls-verification-off"));
        assert_eq!(on.len() + 1, off.len(), "{on:?} {off:?}");
        // A success sent unverified is still unproven; a draft not sent has no exchange.
        assert!(
            ids(true, 200)
                .iter()
                .any(|(id, _)| id == "tls-verification-off")
        );
        let draft = Draft::new("GET", "https://api.example.org/");
        let linted = lint(&draft, &Vars::default(), &Context::default());
        assert!(!linted.iter().any(|f| f.id == "tls-verification-off"));
    }
}
