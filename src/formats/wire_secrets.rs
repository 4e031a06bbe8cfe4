//! What of a recorded request is secret: the masking of a request read off the wire (a
//! program's, under `authlens watch`) is the masking of the same request typed as a draft
//! and sent, so the watch screen and its HAR export hide exactly what the send view hides.

use crate::draft::Draft;
use crate::exchange::{Exchange, Hop, Response, WireRequest};
use crate::secret::{Redactor, header_secrets};
use crate::vars::{Vars, resolve};

/// The redactor for `req` and what came back: the credentials of the request as a draft
/// resolves them (credential headers, `?api_key=`, user-info, credential fields of the body),
/// every header's credential parts (a `Proxy-Authorization` the draft leaves out too), and
/// what the response handed out (`Redactor::learn_response`).
pub fn redactor(req: &WireRequest, response: Option<&Response>) -> Redactor {
    let (draft, _) = Draft::from_wire(req, &req.url);
    let mut r = resolve(&draft, &Vars::default()).redactor;
    for h in &req.headers {
        for s in header_secrets(&h.name, &h.value) {
            r.add(s);
        }
    }
    if let Some(resp) = response {
        r.learn_response(&Exchange {
            hops: vec![Hop {
                request: req.clone(),
                response: resp.clone(),
                timing: Default::default(),
            }],
            stopped: None,
            ..Default::default()
        });
    }
    r
}
