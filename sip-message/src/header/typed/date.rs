//! `Date` (RFC 3261 §20.17): an RFC 1123 date, always in GMT.

use core::fmt;

use bytes::Bytes;

use crate::grammar::{Cursor, DIGIT};
use crate::header::typed::support::{expect_lws, parse_value};
use crate::{Error, HeaderName, Result, TypedHeader};

/// `Date: rfc1123-date` (§20.17), e.g. `Sat, 13 Nov 2010 23:29:00 GMT`, parsed into its
/// components. Conversion to and from Unix time is included; no clock is read.
///
/// The day, hour, minute and second are range-checked (day against the month, leap years
/// included); the weekday is kept as written (see [`Date::has_consistent_weekday`]).
///
/// ```
/// use sip_message::{header::{Date, Month, Weekday}, TypedHeader};
/// let d = Date::parse_str("Sat, 13 Nov 2010 23:29:00 GMT").unwrap();
/// assert_eq!((d.day, d.month, d.year), (13, Month::Nov, 2010));
/// assert_eq!(d.weekday, Weekday::Sat);
/// assert_eq!(d.unix_time(), 1_289_690_940);
/// assert_eq!(Date::from_unix_time(1_289_690_940), d);
/// assert_eq!(d.to_string(), "Sat, 13 Nov 2010 23:29:00 GMT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// Day of the week, as written.
    pub weekday: Weekday,
    /// Day of the month, 1–31.
    pub day: u8,
    /// Month.
    pub month: Month,
    /// Year, four digits.
    pub year: u16,
    /// Hour, 0–23.
    pub hour: u8,
    /// Minute, 0–59.
    pub minute: u8,
    /// Second, 0–59.
    pub second: u8,
}

/// `wkday` of an RFC 1123 date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// `month` of an RFC 1123 date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum Month {
    Jan,
    Feb,
    Mar,
    Apr,
    May,
    Jun,
    Jul,
    Aug,
    Sep,
    Oct,
    Nov,
    Dec,
}

const WEEKDAYS: [(Weekday, &str); 7] = [
    (Weekday::Mon, "Mon"),
    (Weekday::Tue, "Tue"),
    (Weekday::Wed, "Wed"),
    (Weekday::Thu, "Thu"),
    (Weekday::Fri, "Fri"),
    (Weekday::Sat, "Sat"),
    (Weekday::Sun, "Sun"),
];

const MONTHS: [(Month, &str); 12] = [
    (Month::Jan, "Jan"),
    (Month::Feb, "Feb"),
    (Month::Mar, "Mar"),
    (Month::Apr, "Apr"),
    (Month::May, "May"),
    (Month::Jun, "Jun"),
    (Month::Jul, "Jul"),
    (Month::Aug, "Aug"),
    (Month::Sep, "Sep"),
    (Month::Oct, "Oct"),
    (Month::Nov, "Nov"),
    (Month::Dec, "Dec"),
];

impl Weekday {
    /// The three-letter name.
    pub fn as_str(self) -> &'static str {
        WEEKDAYS
            .iter()
            .find(|(w, _)| *w == self)
            .map_or("", |(_, s)| s)
    }
}

impl Month {
    /// The three-letter name.
    pub fn as_str(self) -> &'static str {
        MONTHS
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("", |(_, s)| s)
    }

    /// The month number, 1–12.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The month numbered `n` (1–12).
    pub fn from_number(n: u8) -> Option<Self> {
        MONTHS.get(usize::from(n).checked_sub(1)?).map(|(m, _)| *m)
    }

    /// Days in this month of `year` (Gregorian leap years).
    pub fn days(self, year: u16) -> u8 {
        match self {
            Self::Feb if is_leap(year) => 29,
            Self::Feb => 28,
            Self::Apr | Self::Jun | Self::Sep | Self::Nov => 30,
            _ => 31,
        }
    }
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Date {
    /// The date of `secs` seconds after 1970-01-01 00:00:00 UTC (years past 9999 are
    /// clamped to 9999-12-31 23:59:59).
    pub fn from_unix_time(secs: u64) -> Self {
        const MAX: u64 = 253_402_300_799; // 9999-12-31 23:59:59
        let secs = secs.min(MAX);
        let days = secs / 86_400;
        let rem = secs % 86_400;
        // 1970-01-01 was a Thursday.
        let weekday = WEEKDAYS
            .get(((days + 3) % 7) as usize)
            .map_or(Weekday::Thu, |(w, _)| *w);
        let (year, month, day) = civil_from_days(days);
        Self {
            weekday,
            day,
            month,
            year,
            hour: (rem / 3600) as u8,
            minute: (rem % 3600 / 60) as u8,
            second: (rem % 60) as u8,
        }
    }

    /// Seconds since 1970-01-01 00:00:00 UTC (negative before 1970).
    pub fn unix_time(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month.number(), self.day);
        days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// Whether the weekday matches the date.
    pub fn has_consistent_weekday(&self) -> bool {
        let days = days_from_civil(i64::from(self.year), self.month.number(), self.day);
        WEEKDAYS
            .get((days + 3).rem_euclid(7) as usize)
            .is_some_and(|(w, _)| *w == self.weekday)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let m = i64::from(month);
    let y = if m <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` days after 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(days: u64) -> (u16, Month, u8) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + u64::from(month <= 2);
    (
        year.min(9999) as u16,
        Month::from_number(month).unwrap_or(Month::Jan),
        day,
    )
}

/// Exactly `n` digits as a number.
fn digits(cur: &mut Cursor<'_>, n: usize, expected: &'static str) -> Result<u16> {
    let at = cur.offset();
    let (s, e) = cur.take_class(DIGIT);
    if e - s != n {
        return Err(Error::Syntax {
            offset: at,
            expected,
        });
    }
    Ok(cur
        .bytes(s, e)
        .iter()
        .fold(0u16, |v, &d| v * 10 + u16::from(d - b'0')))
}

/// One of three-letter `names`, any case.
fn name<T: Copy>(cur: &mut Cursor<'_>, names: &[(T, &str)], expected: &'static str) -> Result<T> {
    for (v, n) in names {
        if cur.eat_ignore_case(n.as_bytes()) {
            return Ok(*v);
        }
    }
    Err(cur.error(expected))
}

fn in_range(v: u16, max: u16, at: usize, expected: &'static str) -> Result<u8> {
    match u8::try_from(v) {
        Ok(b) if v <= max => Ok(b),
        _ => Err(Error::Syntax {
            offset: at,
            expected,
        }),
    }
}

impl TypedHeader for Date {
    const NAME: HeaderName = HeaderName::Date;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Date", |cur| {
            let weekday = name(cur, &WEEKDAYS, "weekday (Mon to Sun)")?;
            cur.expect(b',', "`,` after the weekday")?;
            expect_lws(cur, "space after `,`")?;
            let day_at = cur.offset();
            let day = digits(cur, 2, "two-digit day")?;
            expect_lws(cur, "space after the day")?;
            let month = name(cur, &MONTHS, "month (Jan to Dec)")?;
            expect_lws(cur, "space after the month")?;
            let year = digits(cur, 4, "four-digit year")?;
            if day == 0 || day > u16::from(month.days(year)) {
                return Err(Error::Syntax {
                    offset: day_at,
                    expected: "day that exists in the month",
                });
            }
            expect_lws(cur, "space after the year")?;
            let at = cur.offset();
            let hour = in_range(digits(cur, 2, "two-digit hour")?, 23, at, "hour 00 to 23")?;
            cur.expect(b':', "`:` after the hour")?;
            let at = cur.offset();
            let minute = in_range(
                digits(cur, 2, "two-digit minute")?,
                59,
                at,
                "minute 00 to 59",
            )?;
            cur.expect(b':', "`:` after the minute")?;
            let at = cur.offset();
            let second = in_range(
                digits(cur, 2, "two-digit second")?,
                59,
                at,
                "second 00 to 59",
            )?;
            expect_lws(cur, "space before GMT")?;
            if !cur.eat_ignore_case(b"GMT") {
                return Err(cur.error("GMT"));
            }
            Ok(Self {
                weekday,
                day: day as u8,
                month,
                year,
                hour,
                minute,
                second,
            })
        })
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
            self.weekday, self.day, self.month, self.year, self.hour, self.minute, self.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_convert() {
        let d = Date::parse_str(" tue,\r\n 29 feb 2000 00:00:59 gmt ").unwrap();
        assert_eq!(d.month, Month::Feb);
        assert_eq!(d.day, 29);
        assert!(d.has_consistent_weekday());
        assert_eq!(d.to_string(), "Tue, 29 Feb 2000 00:00:59 GMT");
        assert_eq!(
            Date::from_unix_time(0).to_string(),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(
            Date::from_unix_time(u64::MAX).to_string(),
            "Fri, 31 Dec 9999 23:59:59 GMT"
        );
        let old = Date::parse_str("Tue, 01 Jan 1952 00:00:00 GMT").unwrap();
        assert!(old.unix_time() < 0);
        assert!(old.has_consistent_weekday());
        let wrong = Date::parse_str("Mon, 01 Jan 1970 00:00:00 GMT").unwrap();
        assert!(!wrong.has_consistent_weekday());
        for secs in [0u64, 86_399, 951_782_400, 4_102_444_800, 253_402_300_799] {
            let d = Date::from_unix_time(secs);
            assert_eq!(d.unix_time(), secs as i64, "{d}");
            assert!(d.has_consistent_weekday());
        }
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("Sun 13 Nov 2010 23:29:00 GMT", 3),
            ("Xyz, 13 Nov 2010 23:29:00 GMT", 0),
            ("Sat, 3 Nov 2010 23:29:00 GMT", 5),
            ("Sat, 13 November 2010 23:29:00 GMT", 11),
            ("Sat, 13 Nov 10 23:29:00 GMT", 12),
            ("Sat, 29 Feb 1900 00:00:00 GMT", 5),
            ("Sat, 31 Apr 2010 00:00:00 GMT", 5),
            ("Sat, 00 Apr 2010 00:00:00 GMT", 5),
            ("Sat, 13 Nov 2010 24:00:00 GMT", 17),
            ("Sat, 13 Nov 2010 23:60:00 GMT", 20),
            ("Sat, 13 Nov 2010 23:29:60 GMT", 23),
            ("Sat, 13 Nov 2010 23:29 GMT", 22),
            ("Sat, 13 Nov 2010 23:29:00 UTC", 26),
            ("Sat, 13 Nov 2010 23:29:00 GMT x", 30),
            ("Sat, 13 Nov 2010 23:29:00", 25),
        ] {
            match Date::parse_str(bad) {
                Err(Error::Header {
                    name: "Date",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
