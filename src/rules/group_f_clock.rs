//! Group F — the request's own time against the server's clock: AWS `RequestTimeTooSkewed`,
//! HMAC and timestamp windows, or a signed request whose time is far from the response `Date`.
//! Also the leeway the JWT checks allow, which the server's words or the context may state.

use super::case::Case;
use super::cause_id::CauseId;
use super::finding::{Anchor, Finding};
use super::jwt::LEEWAY_SECONDS;
use super::messages::{Meaning, stated_leeway};
use crate::dates::parse_http_date;

/// Runs the rule, appending its finding.
pub fn run(case: &Case, out: &mut Vec<Finding>) {
    request_clock_skew(case, out);
}

/// The clock leeway for token times: the context's `jwt_leeway_seconds`, else one the server's
/// words state ("Allowed clock skew: 0 milliseconds"), else jsonwebtoken's 60 s.
pub fn leeway(case: &Case) -> i64 {
    case.ctx
        .jwt_leeway
        .or_else(|| case.response.as_ref().and_then(|r| stated_leeway(&r.text)))
        .unwrap_or(LEEWAY_SECONDS)
}

/// The window a signing scheme allows: AWS SigV4 15 min, others 5 min.
const SIGV4_WINDOW: i64 = 15 * 60;

/// `X-Amz-Date: 20150604T232559Z` → Unix seconds.
fn amz_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        t.get(0..4)?,
        t.get(4..6)?,
        t.get(6..8)?,
        t.get(9..11)?,
        t.get(11..13)?,
        t.get(13..15)?
    );
    crate::dates::parse_iso8601(&iso)
}

/// The request's signed time, if it carries one.
fn signed_time(case: &Case) -> Option<i64> {
    let h = case.headers_named("x-amz-date").next()?;
    amz_date(&h.value.text)
}

fn ago(s: i64) -> String {
    match s.abs() {
        s if s >= 7200 => format!("{} h", s / 3600),
        s if s >= 120 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

fn request_clock_skew(case: &Case, out: &mut Vec<Finding>) {
    let Some(r) = &case.response else { return };
    let said = r.signal(Meaning::RequestSkew);
    let server = r.header("date").and_then(parse_http_date);
    let sent = signed_time(case).or(case.ctx.now.filter(|_| signed_time(case).is_some()));
    let measured = match (sent, server) {
        (Some(a), Some(b)) if (a - b).abs() > SIGV4_WINDOW => Some(a - b),
        _ => None,
    };
    if said.is_none() && measured.is_none() {
        return;
    }
    let how = measured.map_or(String::new(), |d| {
        format!(
            " The request was signed at a time {} {} the server's Date.",
            ago(d),
            if d > 0 { "ahead of" } else { "behind" }
        )
    });
    let f = case.finding(
        CauseId::RequestClockSkew,
        Anchor::ResponseBody,
        format!("The server refuses the request's time, not its key{}.{how} Sync the clock (NTP; VMs and WSL drift after sleep) and sign with the current time; the credentials are fine.", said.map_or(String::new(), |s| format!(": {}", super::response::describe(s)))),
        measured.map_or_else(|| "the server's words".to_string(), |d| format!("request time − server Date = {d} s")),
    );
    out.push(match said {
        Some(s) => case.said_by(f, s),
        None => f,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_parse() {
        assert_eq!(amz_date("19700101T000100Z"), Some(60));
        assert_eq!(amz_date("junk"), None);
    }
}
