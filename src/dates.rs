//! Dates without a date crate: JWT claims, scenario clocks and HTTP `Date` headers are Unix
//! seconds, and people read them as ISO 8601. Used by the rules and the practice server alike.

/// `1772362800` → `2026-03-01T11:00:00Z`: Unix seconds as ISO 8601 UTC, for explanations.
pub fn format_iso8601(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `2026-03-01T12:00:00Z` (or with an offset or fraction) → Unix seconds.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let t = text.trim();
    let date = t.get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (
        parts.next()?.parse::<i64>().ok()?,
        parts.next()?.parse::<u32>().ok()?,
        parts.next()?.parse::<u32>().ok()?,
    );
    let rest = t.get(10..).unwrap_or("");
    let rest = rest.strip_prefix(['T', 't', ' ']).unwrap_or(rest);
    let (hms, zone) = rest.split_at(rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len()));
    let mut f = hms.split(':');
    let hh: i64 = f
        .next()
        .filter(|s| !s.is_empty())
        .map_or(Some(0), |s| s.parse().ok())?;
    let mm: i64 = f.next().map_or(Some(0), |s| s.parse().ok())?;
    let ss: f64 = f.next().map_or(Some(0.0), |s| s.parse().ok())?;
    let offset = match zone.as_bytes().first() {
        Some(b'+') | Some(b'-') => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let z = zone[1..].replace(':', "");
            let (h, m) = (
                z.get(..2)?.parse::<i64>().ok()?,
                z.get(2..4).unwrap_or("0").parse::<i64>().ok()?,
            );
            sign * (h * 3600 + m * 60)
        }
        _ => 0,
    };
    Some(days_from_civil(y, m, d)? * 86_400 + hh * 3600 + mm * 60 + ss as i64 - offset)
}

/// An HTTP `Date` (IMF-fixdate, `Sun, 01 Mar 2026 11:58:00 GMT`) → Unix seconds.
pub fn parse_http_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let t = t.split_once(',').map_or(t, |(_, r)| r.trim());
    let mut f = t.split_whitespace();
    let d: u32 = f.next()?.parse().ok()?;
    let month = f.next()?.to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let m = MONTHS.iter().position(|x| month.starts_with(x))? as u32 + 1;
    let y: i64 = f.next()?.parse().ok()?;
    let mut hms = f.next()?.split(':').map(|p| p.parse::<i64>().ok());
    let (hh, mm, ss) = (hms.next()??, hms.next()??, hms.next()??);
    Some(days_from_civil(y, m, d)? * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_round_trip() {
        assert_eq!(format_iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_iso8601(1_772_362_800), "2026-03-01T11:00:00Z");
        for t in [0, 951_782_400, 1_772_362_800, 4_102_444_799] {
            assert_eq!(parse_iso8601(&format_iso8601(t)), Some(t));
        }
    }

    #[test]
    fn parses_offsets_fractions_and_http_dates() {
        assert_eq!(
            parse_iso8601("2026-03-01T13:00:00+01:00"),
            Some(1_772_366_400)
        );
        assert_eq!(
            parse_iso8601("2026-03-01T12:00:00.250Z"),
            Some(1_772_366_400)
        );
        assert_eq!(
            parse_http_date("Sun, 01 Mar 2026 12:00:00 GMT"),
            Some(1_772_366_400)
        );
        assert_eq!(parse_iso8601("not a date"), None);
        assert_eq!(parse_http_date("Sun, 32 Mar 2026 12:00:00 GMT"), None);
    }
}
