//! Dates in front matter (`date`, `updated`): the forms accepted, and the point in time each
//! stands for. Everything is kept as a UTC timestamp so pages sort the same on every machine.
//!
//! Accepted: a date (`2024-05-01`), a date and time with or without an offset, with `T` or a
//! space between them and with or without seconds (`2024-05-01 14:30`, as Obsidian writes it),
//! and milliseconds since 1970 (`1714573800000`), as note tools export it. A number is read as
//! milliseconds only from 12 digits on (after March 1973), so a year such as `2024` is an error
//! rather than a moment of 1970.

use serde::Serialize;
use serde_json::Value as Json;

use super::fields::Checker;

const DATE_HINT: &str = "write dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+01:00";

/// The smallest number read as milliseconds since 1970: 1973-03-03.
const MIN_EPOCH_MILLISECONDS: i64 = 100_000_000_000;

/// A point in time from front matter. A date without a time is midnight UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub timestamp: jiff::Timestamp,
    /// False for a bare `2024-05-01`: templates then show the date only.
    pub has_time: bool,
}

impl Serialize for Date {
    /// Templates see RFC 3339 text: `2024-05-01T00:00:00Z`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.timestamp)
    }
}

impl Checker<'_> {
    pub(super) fn date(&mut self, key: &str, value: &Json) -> Option<Date> {
        let shown = match value {
            Json::Null => return None,
            Json::String(s) => match parse_date(s) {
                Some(date) => return Some(date),
                None => format!("`{s}`"),
            },
            Json::Number(n) => match n.as_i64().and_then(from_epoch_milliseconds) {
                Some(date) => return Some(date),
                None => {
                    self.error_at_value(
                        key,
                        format!("`{key}` is not a date: `{n}`"),
                        format!(
                            "{DATE_HINT}; a number is read as milliseconds since 1970, e.g. \
                             `1714573800000`"
                        ),
                    );
                    return None;
                }
            },
            Json::Bool(b) => format!("`{b}`"),
            other => self.describe(other),
        };
        self.error_at_value(
            key,
            format!("`{key}` is not a date: {shown}"),
            DATE_HINT.to_string(),
        );
        None
    }
}

/// Parses the accepted date forms; a date without a time, or a time without an offset, is UTC.
pub(super) fn parse_date(text: &str) -> Option<Date> {
    use jiff::tz::TimeZone;
    let text = text.trim();
    if text.len() == 10 {
        let date: jiff::civil::Date = text.parse().ok()?;
        let timestamp = date.to_zoned(TimeZone::UTC).ok()?.timestamp();
        return Some(Date {
            timestamp,
            has_time: false,
        });
    }
    let timestamp = match text.parse::<jiff::Timestamp>() {
        Ok(timestamp) => timestamp,
        Err(_) => {
            let datetime: jiff::civil::DateTime = text.parse().ok()?;
            datetime.to_zoned(TimeZone::UTC).ok()?.timestamp()
        }
    };
    Some(Date {
        timestamp,
        has_time: true,
    })
}

/// A moment given as milliseconds since 1970 (UTC), if the number is large enough to be one.
fn from_epoch_milliseconds(milliseconds: i64) -> Option<Date> {
    if milliseconds < MIN_EPOCH_MILLISECONDS {
        return None;
    }
    let timestamp = jiff::Timestamp::from_millisecond(milliseconds).ok()?;
    Some(Date {
        timestamp,
        has_time: true,
    })
}
