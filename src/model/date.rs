//! Calendar dates as `YYYY-MM-DD` text, the form the browser's date inputs
//! use. Text of that form sorts in date order, so comparisons are plain string
//! comparisons once a value has been checked with [`parse`].

use super::num::Digits;

/// A day count since 1970-01-01 (negative before).
pub type Days = i64;

/// Reads `YYYY-MM-DD`, checking that the day exists.
pub fn parse(text: &str) -> Option<Days> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let (y, m, d) = (num(&text[..4])?, num(&text[5..7])?, num(&text[8..])?);
    if !(1..=12).contains(&m) || d == 0 || d > month_len(y as i64, m) {
        return None;
    }
    Some(from_civil(y as i64, m, d))
}

/// Whether `year` is a leap year.
pub fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Days in month `m` of `year`.
pub fn month_len(year: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day count of a civil date (proleptic Gregorian).
pub fn from_civil(y: i64, m: u32, d: u32) -> Days {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count.
pub fn to_civil(days: Days) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

/// `YYYY-MM-DD` for a day count.
pub fn format(days: Days) -> String {
    let (y, m, d) = to_civil(days);
    let mut s = String::with_capacity(10);
    push_padded(&mut s, y as u32, 4);
    s.push('-');
    push_padded(&mut s, m, 2);
    s.push('-');
    push_padded(&mut s, d, 2);
    s
}

/// Appends `n` in decimal, with leading zeros up to `width` digits.
pub fn push_padded(s: &mut String, n: u32, width: usize) {
    let digits = n.digits();
    for _ in digits.len()..width {
        s.push('0');
    }
    s.push_str(&digits);
}

/// The same day `months` later; the 31st becomes the month's last day when
/// the month is shorter (31 January + 1 month = 28 or 29 February).
pub fn add_months(days: Days, months: u32) -> Days {
    let (y, m, d) = to_civil(days);
    let index = y * 12 + (m as i64 - 1) + months as i64;
    let (y, m) = (index.div_euclid(12), index.rem_euclid(12) as u32 + 1);
    from_civil(y, m, d.min(month_len(y, m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("2024-02-29").map(format).as_deref(), Some("2024-02-29"));
        for bad in ["2023-02-29", "2026-13-01", "2026-04-31", "26-01-01", "2026-1-01", "", "2026-01-0x"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn round_trips_across_centuries() {
        for days in [-700_000, -1, 0, 59, 11_016, 20_000, 2_932_896] {
            assert_eq!(parse(&format(days)), Some(days));
        }
    }

    #[test]
    fn adds_months_clamping_to_month_end() {
        let d = |s| parse(s).unwrap();
        assert_eq!(format(add_months(d("2026-01-31"), 1)), "2026-02-28");
        assert_eq!(format(add_months(d("2028-01-31"), 1)), "2028-02-29");
        assert_eq!(format(add_months(d("2026-11-15"), 6)), "2027-05-15");
        assert_eq!(format(add_months(d("2026-08-31"), 12)), "2027-08-31");
    }
}
