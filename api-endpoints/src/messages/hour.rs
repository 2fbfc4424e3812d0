//! [`HistoryHour`]: the `date` of the hourly message log, `yyyyMMddHH`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use api_core::encode::form::{FormEncoder, FormName, FormValue};
use api_core::validate::{CharSet, rules};
use api_core::{Actual, Report, Rule, ValidationError};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Beijing time, the zone of the China data center's log hours.
const BEIJING_OFFSET_SECONDS: i64 = 8 * 3600;
/// The earliest year a log hour can have: the Unix epoch.
const MIN_YEAR: u16 = 1970;

/// One hour of the message log, sent as exactly 10 digits `yyyyMMddHH`
/// (`2026120314` is 14:00 to 15:00 on 3 December 2026).
///
/// The hour is in the data center's zone: Beijing time on the China data
/// center, UTC on the global ones (D:message/get-message-history-log).
/// A value is a real calendar hour by construction: [`HistoryHour::parse`]
/// and [`HistoryHour::new`] refuse anything else with a
/// [`ValidationError`] at `date`, before any request exists.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use api_endpoints::HistoryHour;
///
/// let hour: HistoryHour = "2026120314".parse().unwrap();
/// assert_eq!(hour.to_string(), "2026120314");
/// assert_eq!(hour.previous().to_string(), "2026120313");
///
/// // 2016-05-24 02:38:19 UTC is 10:38 in Beijing.
/// let at = UNIX_EPOCH + Duration::from_secs(1_464_057_499);
/// assert_eq!(HistoryHour::beijing(at).to_string(), "2016052410");
/// assert_eq!(HistoryHour::utc(at).to_string(), "2016052402");
///
/// let error = "2026-12-03".parse::<HistoryHour>().unwrap_err();
/// assert_eq!(error.violations()[0].path(), "date");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HistoryHour {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
}

impl HistoryHour {
    /// The hour `hour` (0 to 23) of the day `year`-`month`-`day`; refused
    /// unless it is a real hour from 1970 to 9999.
    pub fn new(year: u16, month: u8, day: u8, hour: u8) -> Result<Self, ValidationError> {
        let valid = (MIN_YEAR..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month)
            && hour <= 23;
        if valid {
            Ok(Self {
                year,
                month,
                day,
                hour,
            })
        } else {
            let shown = format!("{year:04}{month:02}{day:02}{hour:02}");
            Err(not_an_hour(&shown))
        }
    }

    /// Reads `yyyyMMddHH`: exactly 10 ASCII digits naming a real hour.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let mut report = Report::new();
        report.field("date", |report| {
            rules::len(report, text, 10);
            rules::chars(report, text, &CharSet::DIGITS);
        });
        report.finish()?;
        let number = |range: std::ops::Range<usize>| text[range].parse::<u16>().unwrap_or(0);
        Self::new(
            number(0..4),
            number(4..6) as u8,
            number(6..8) as u8,
            number(8..10) as u8,
        )
        .map_err(|_| not_an_hour(text))
    }

    /// The UTC hour `time` falls in (the global data centers' zone).
    pub fn utc(time: SystemTime) -> Self {
        Self::at_offset(time, 0)
    }

    /// The Beijing-time hour `time` falls in (the China data center's zone).
    pub fn beijing(time: SystemTime) -> Self {
        Self::at_offset(time, BEIJING_OFFSET_SECONDS)
    }

    /// The hour `time` falls in, in a zone `offset_seconds` ahead of UTC.
    /// Times before 1970 (in that zone) give the first hour of 1970.
    pub fn at_offset(time: SystemTime, offset_seconds: i64) -> Self {
        let seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
            Err(_) => 0,
        };
        let hours = seconds.saturating_add(offset_seconds).max(0) / 3600;
        Self::from_hours_since_epoch(hours)
    }

    /// The hour before this one (the provider makes an hour's file about
    /// an hour after it ends, so `HistoryHour::beijing(now).previous()
    /// .previous()` is usually the newest ready). The first hour of 1970
    /// stays itself.
    pub fn previous(self) -> Self {
        Self::from_hours_since_epoch((self.hours_since_epoch() - 1).max(0))
    }

    /// The hour after this one (the last hour of 9999 stays itself).
    pub fn next(self) -> Self {
        let next = Self::from_hours_since_epoch(self.hours_since_epoch() + 1);
        if next.year > 9999 { self } else { next }
    }

    /// When the hour starts, reading it in a zone `offset_seconds` ahead of
    /// UTC.
    pub fn start_at_offset(self, offset_seconds: i64) -> SystemTime {
        let seconds = self.hours_since_epoch() * 3600 - offset_seconds;
        if seconds >= 0 {
            UNIX_EPOCH + Duration::from_secs(seconds as u64)
        } else {
            UNIX_EPOCH - Duration::from_secs(seconds.unsigned_abs())
        }
    }

    /// The year.
    pub fn year(self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u8 {
        self.day
    }

    /// The hour of the day, 0 to 23.
    pub fn hour(self) -> u8 {
        self.hour
    }

    fn hours_since_epoch(self) -> i64 {
        days_from_civil(
            i64::from(self.year),
            u32::from(self.month),
            u32::from(self.day),
        ) * 24
            + i64::from(self.hour)
    }

    fn from_hours_since_epoch(hours: i64) -> Self {
        let (year, month, day) = civil_from_days(hours.div_euclid(24));
        Self {
            year: year.clamp(0, i64::from(u16::MAX)) as u16,
            month: month as u8,
            day: day as u8,
            hour: hours.rem_euclid(24) as u8,
        }
    }
}

fn not_an_hour(shown: &str) -> ValidationError {
    let mut report = Report::new();
    report.field("date", |report| {
        report.violation(
            Rule::Other(Cow::Borrowed(
                "a real hour yyyyMMddHH (year 1970-9999, month 01-12, a day of that month, hour 00-23)",
            )),
            Actual::text(shown),
        )
    });
    match report.finish() {
        Err(error) => error,
        Ok(()) => unreachable!("a violation was reported"),
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl fmt::Display for HistoryHour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour
        )
    }
}

impl FromStr for HistoryHour {
    type Err = ValidationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text)
    }
}

impl FormValue for HistoryHour {
    fn append_to(&self, name: FormName<'_>, form: &mut FormEncoder) {
        form.pair(name, &self.to_string())
    }
}

impl Serialize for HistoryHour {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for HistoryHour {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_hours() {
        for bad in [
            "2026020100x",
            "202602010",
            "２０２６０２０１００",
            "2026023000",
            "2026022900",
            "2026130100",
            "2026010124",
            "1969123123",
            "2026000100",
        ] {
            let error = HistoryHour::parse(bad).unwrap_err();
            assert_eq!(error.violations()[0].path(), "date", "{bad}");
        }
        assert_eq!(
            HistoryHour::parse("20260301").unwrap_err().violations()[0].rule(),
            &Rule::Length(10)
        );
        assert_eq!(
            HistoryHour::parse("2026-03-01").unwrap_err().violations()[0].rule(),
            &Rule::Charset("digits (0-9)")
        );
        assert!(HistoryHour::parse("2024022923").is_ok());
        assert!(HistoryHour::parse("2000022900").is_ok());
        assert!(HistoryHour::parse("1900022900").is_err());
        assert!(HistoryHour::new(2100, 2, 29, 0).is_err());
    }

    #[test]
    fn hours_step_across_days_months_and_years() {
        let hour = HistoryHour::new(2027, 1, 1, 0).unwrap();
        assert_eq!(hour.previous().to_string(), "2026123123");
        assert_eq!(hour.previous().next(), hour);
        let leap = HistoryHour::new(2028, 2, 28, 23).unwrap();
        assert_eq!(leap.next().to_string(), "2028022900");
        let first = HistoryHour::new(1970, 1, 1, 0).unwrap();
        assert_eq!(first.previous(), first);
        assert_eq!(first.start_at_offset(0), UNIX_EPOCH);
    }

    #[test]
    fn zones_and_round_trips() {
        // 2026-12-31 20:30 UTC is 2027-01-01 04:30 in Beijing.
        let days = days_from_civil(2026, 12, 31);
        let at = UNIX_EPOCH + Duration::from_secs((days * 86_400 + 20 * 3600 + 1800) as u64);
        let beijing = HistoryHour::beijing(at);
        assert_eq!(beijing.to_string(), "2027010104");
        assert_eq!(HistoryHour::utc(at).to_string(), "2026123120");
        assert_eq!(
            beijing.start_at_offset(BEIJING_OFFSET_SECONDS),
            UNIX_EPOCH + Duration::from_secs((days * 86_400 + 20 * 3600) as u64)
        );
        for days in [0, 59, 365, 10_956, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let json = serde_json::to_string(&beijing).unwrap();
        assert_eq!(json, "\"2027010104\"");
        assert_eq!(serde_json::from_str::<HistoryHour>(&json).unwrap(), beijing);
        assert!(serde_json::from_str::<HistoryHour>("\"2027013204\"").is_err());
    }
}
