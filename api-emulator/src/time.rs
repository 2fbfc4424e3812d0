//! Times as the provider writes them: Beijing time (UTC+8, where the default data
//! centre is), `yyyy-MM-dd HH:mm:ss` in answers (`createTime`, `blockEndTime`,
//! chatroom `time`) and `yyyyMMddHH` for the hourly message history.
//!
//! Hand-written rather than taken from `chrono` or `time`: the emulator needs one
//! fixed offset and two fixed formats, which the 15-line civil-calendar conversion
//! below (Howard Hinnant's `days_from_civil` / `civil_from_days`) covers without a
//! time-zone database or another dependency.

/// UTC+8 in milliseconds.
const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;
/// One hour in milliseconds.
pub(crate) const HOUR_MS: u64 = 3_600_000;

/// A civil date and time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millis: u32,
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn beijing(millis: u64) -> Civil {
    let local = millis as i64 + BEIJING_OFFSET_MS;
    let (year, month, day) = civil_from_days(local.div_euclid(DAY_MS));
    let in_day = local.rem_euclid(DAY_MS);
    Civil {
        year,
        month,
        day,
        hour: (in_day / 3_600_000) as u32,
        minute: (in_day / 60_000 % 60) as u32,
        second: (in_day / 1000 % 60) as u32,
        millis: (in_day % 1000) as u32,
    }
}

/// `yyyy-MM-dd HH:mm:ss` in Beijing time, as in `/user/info.json`'s `createTime`.
pub(crate) fn datetime(millis: u64) -> String {
    let c = beijing(millis);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `yyyy-MM-dd HH:mm:ss.SSS` in Beijing time, for the history file.
pub(crate) fn datetime_millis(millis: u64) -> String {
    let c = beijing(millis);
    format!("{}.{:03}", datetime(millis), c.millis)
}

/// The hour `millis` falls in, as `yyyyMMddHH` in Beijing time.
#[cfg(test)]
pub(crate) fn hour_label(millis: u64) -> String {
    let c = beijing(millis);
    format!("{:04}{:02}{:02}{:02}", c.year, c.month, c.day, c.hour)
}

/// The start of the hour named by `yyyyMMddHH` (Beijing time), in milliseconds
/// since the epoch; `None` unless it is exactly ten digits naming a real hour.
pub(crate) fn parse_hour_label(label: &str) -> Option<u64> {
    if label.len() != 10 || !label.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = label[0..4].parse().ok()?;
    let month: u32 = label[4..6].parse().ok()?;
    let day: u32 = label[6..8].parse().ok()?;
    let hour: u32 = label[8..10].parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || hour > 23 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    // Reject 2026-02-30 and the like: the day must survive the round trip.
    if civil_from_days(days) != (year, month, day) {
        return None;
    }
    let local = days * DAY_MS + i64::from(hour) * 3_600_000;
    u64::try_from(local - BEIJING_OFFSET_MS).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_beijing_time() {
        // 2016-05-24 02:38:19 UTC is 10:38:19 in Beijing (the page's example value).
        let millis = 1_464_057_499_000;
        assert_eq!(datetime(millis), "2016-05-24 10:38:19");
        assert_eq!(datetime_millis(millis + 7), "2016-05-24 10:38:19.007");
        assert_eq!(hour_label(millis), "2016052410");
        // 16:30 UTC on Dec 31 is already the next year in Beijing.
        assert_eq!(hour_label(1_767_198_600_000), "2026010100");
    }

    #[test]
    fn parses_hour_labels() {
        let start = parse_hour_label("2016052410").unwrap();
        assert_eq!(datetime(start), "2016-05-24 10:00:00");
        assert_eq!(hour_label(start + HOUR_MS - 1), "2016052410");
        for bad in [
            "201605241",
            "20160524100",
            "2016-05-241",
            "2016130100",
            "2026023010",
            "2016052424",
        ] {
            assert_eq!(parse_hour_label(bad), None, "{bad}");
        }
        assert!(parse_hour_label("2024022910").is_some());
    }
}
