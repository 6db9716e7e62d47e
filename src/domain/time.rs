//! Time, the one place for it: the database stores Unix seconds (UTC); pages show
//! dates and times; "daily" means a day in Asia/Jakarta (UTC+7 all year, no
//! daylight saving). Pure arithmetic (Howard Hinnant's civil-calendar
//! algorithms), so it compiles for the browser too.

/// Asia/Jakarta is UTC+7 all year.
pub const JAKARTA_OFFSET_SECS: i64 = 7 * 3600;
pub const DAY_SECS: i64 = 86_400;

/// The Jakarta day (days since 1970-01-01 in Jakarta) of a Unix time.
pub fn jakarta_day(unix: i64) -> i64 {
    (unix + JAKARTA_OFFSET_SECS).div_euclid(DAY_SECS)
}

/// The Unix time at which Jakarta day `day` starts (00:00 in Jakarta).
pub fn jakarta_day_start(day: i64) -> i64 {
    day * DAY_SECS - JAKARTA_OFFSET_SECS
}

/// The Jakarta day the Jakarta month of `day` starts on.
pub fn jakarta_month_start(day: i64) -> i64 {
    let (y, m, _) = civil_from_days(day);
    days_from_civil(y, m, 1)
}

/// A Jakarta day as "2026-11-22".
pub fn jakarta_day_label(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "2026-11-22T10:30", "2026-11-22 10:30:15" (UTC) -> Unix time.
pub fn parse_datetime(raw: &str) -> Option<i64> {
    let (date, clock) = raw.split_once(['T', ' '])?;
    let mut d = date.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    if d.next().is_some()
        || !(1970..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || day < 1
        || day > days_in_month(y, m)
    {
        return None;
    }
    let mut c = clock.trim_end_matches('Z').split(':');
    let hh: i64 = c.next()?.parse().ok()?;
    let mm: i64 = c.next()?.parse().ok()?;
    let ss: i64 = match c.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if c.next().is_some() || hh > 23 || mm > 59 || ss > 59 || hh < 0 || mm < 0 || ss < 0 {
        return None;
    }
    Some(days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Unix time -> "2026-11-22T10:30:15", the value a `datetime-local` control shows.
pub fn datetime_local(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// The months' names in English, January first.
pub const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Unix time -> "22 November 2026".
pub fn long_date(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    format!("{d} {} {y}", MONTHS_EN[(m - 1) as usize])
}

/// Unix time -> "2026-11-22".
pub fn iso_date(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days in month `m` (1–12) of year `y`.
pub fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
/// Days since 1970-01-01 of a date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar year in Asia/Jakarta at unix time `at`.
pub fn jakarta_year(at: i64) -> i64 {
    civil_from_days(jakarta_day(at)).0
}

/// The date (year, month, day) `days` after 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Unix time -> "2026-11-21 14:05 UTC".
pub fn format_time(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(DAY_SECS));
    let secs = unix.rem_euclid(DAY_SECS);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} UTC", secs / 3600, secs % 3600 / 60)
}

/// Unix time -> "2026-11-21 21:05 WIB" (Asia/Jakarta), for times a buyer in Indonesia acts on.
pub fn format_jakarta(unix: i64) -> String {
    format_time(unix + JAKARTA_OFFSET_SECS).replace(" UTC", " WIB")
}

/// "2026-11-21" -> the Unix time that day starts (UTC).
pub fn parse_date(raw: &str) -> Option<i64> {
    let mut d = raw.split('-');
    let (y, m, day): (i64, i64, i64) = (d.next()?.parse().ok()?, d.next()?.parse().ok()?, d.next()?.parse().ok()?);
    if d.next().is_some()
        || !(1970..=9999).contains(&y)
        || !(1..=12).contains(&m)
        || day < 1
        || day > days_in_month(y, m)
    {
        return None;
    }
    Some(days_from_civil(y, m, day) * DAY_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_every_format() {
        let t = parse_datetime("2026-11-22T10:30:15").unwrap();
        assert_eq!(datetime_local(t), "2026-11-22T10:30:15");
        assert_eq!(format_time(t), "2026-11-22 10:30 UTC");
        assert_eq!(iso_date(t), "2026-11-22");
        assert_eq!(long_date(t), "22 November 2026");
        assert_eq!(parse_date("2026-11-22"), Some(t - (10 * 3600 + 30 * 60 + 15)));
        assert_eq!(parse_date("2026-02-29"), None, "not a leap year");
        assert_eq!(parse_date("2028-02-29").map(iso_date).as_deref(), Some("2028-02-29"));
        assert_eq!(parse_datetime("2026-13-01T00:00"), None);
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_time(1_795_219_200), "2026-11-21 00:00 UTC");
    }

    #[test]
    fn times_round_trip_and_bad_dates_are_refused() {
        let t = parse_datetime("2026-11-22T10:30").unwrap();
        assert_eq!(datetime_local(t), "2026-11-22T10:30:00");
        assert_eq!(parse_datetime("2026-11-22 10:30:15"), Some(t + 15));
        assert_eq!(parse_datetime("1970-01-01T00:00"), Some(0));
        assert_eq!(long_date(t), "22 November 2026");
        assert_eq!(iso_date(t), "2026-11-22");
        for bad in ["2026-02-30T10:00", "2026-13-01T00:00", "2026-11-22", "tomorrow", "2026-11-22T24:00"] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_jakarta_day_starts_at_17_00_utc_the_day_before() {
        let t = parse_datetime("2026-11-22T16:59:59").unwrap();
        assert_eq!(jakarta_day(t) + 1, jakarta_day(t + 1));
        assert_eq!(format_time(jakarta_day_start(jakarta_day(t + 1))), "2026-11-22 17:00 UTC");
    }
}
