//! The cookie-date of RFC 6265 §5.1.1: the lenient reading browsers and curl give `Expires`,
//! which servers write as `Wed, 21 Oct 2015 07:28:00 GMT`, `Wed, 21-Oct-15 07:28:00 GMT` or
//! with the fields in another order. A date that does not parse leaves the attribute ignored.

/// `Expires` text → Unix seconds, or `None` when RFC 6265's algorithm rejects it.
pub fn parse_cookie_date(text: &str) -> Option<i64> {
    let mut time = None;
    let mut day = None;
    let mut month = None;
    let mut year = None;
    for token in text.split(is_delimiter).filter(|t| !t.is_empty()) {
        if time.is_none()
            && let Some(t) = hms(token)
        {
            time = Some(t);
        } else if day.is_none()
            && let Some(d) = leading_digits(token, 1, 2)
        {
            day = Some(d);
        } else if month.is_none()
            && let Some(m) = month_of(token)
        {
            month = Some(m);
        } else if year.is_none()
            && let Some(y) = leading_digits(token, 2, 4)
        {
            year = Some(y);
        }
    }
    let (hh, mm, ss) = time?;
    let (day, month, mut year) = (day?, month?, year?);
    // §5.1.1 step 3 and 4: two-digit years.
    if (70..=99).contains(&year) {
        year += 1900;
    } else if year <= 69 {
        year += 2000;
    }
    if !(1..=31).contains(&day) || year < 1601 || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}T{hh:02}:{mm:02}:{ss:02}Z");
    crate::dates::parse_iso8601(&date)
}

/// §5.1.1's delimiter: %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E.
fn is_delimiter(c: char) -> bool {
    matches!(c, '\t' | ' '..='/' | ';'..='@' | '['..='`' | '{'..='~')
}

/// 1–`max` digits at the start of `token`, then anything but a digit.
fn leading_digits(token: &str, min: usize, max: usize) -> Option<u32> {
    let n = token.bytes().take_while(u8::is_ascii_digit).count();
    (min..=max).contains(&n).then(|| token[..n].parse().ok())?
}

/// `hh:mm:ss`, each one or two digits (a trailing non-digit is allowed after the seconds).
fn hms(token: &str) -> Option<(u32, u32, u32)> {
    let mut parts = token.splitn(3, ':');
    let h = parts.next()?;
    let m = parts.next()?;
    let s = parts.next()?;
    let whole = |p: &str| {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())?
    };
    Some((whole(h)?, whole(m)?, leading_digits(s, 1, 2)?))
}

fn month_of(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head = token.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == head).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spellings_servers_use_all_parse() {
        let want = Some(1_445_412_480);
        assert_eq!(parse_cookie_date("Wed, 21 Oct 2015 07:28:00 GMT"), want);
        assert_eq!(parse_cookie_date("Wed, 21-Oct-2015 07:28:00 GMT"), want);
        assert_eq!(parse_cookie_date("Wednesday, 21-Oct-15 07:28:00 GMT"), want);
        assert_eq!(parse_cookie_date("Wed Oct 21 07:28:00 2015"), want);
    }

    #[test]
    fn nonsense_is_rejected_not_guessed() {
        assert_eq!(parse_cookie_date(""), None);
        assert_eq!(parse_cookie_date("tomorrow"), None);
        assert_eq!(parse_cookie_date("Wed, 32 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_cookie_date("Wed, 21 Oct 2015 25:28:00 GMT"), None);
        assert_eq!(parse_cookie_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
    }
}
