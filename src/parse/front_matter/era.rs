//! Eras of case studies: signed years (`{start: -550, end: -330}`, negative is BCE), checked for
//! the mistakes people make with ancient dates: a year 0, floats, an end before the start, and
//! years beyond [`EARLIEST_YEAR`]..=[`LATEST_YEAR`] (every later stage may then count in years:
//! the timeline once made one tick per year of `{start: -2147483647, end: 2147483647}`, 13 GB).

use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostics::closest;

use super::fields::Checker;
use super::split::Format;

/// The earliest year an era may give: 10,000 BCE, before any written history.
pub(super) const EARLIEST_YEAR: i32 = -10_000;
/// The latest year an era may give.
pub(super) const LATEST_YEAR: i32 = 10_000;

/// A span of years; negative years are BCE (`-550` is 550 BCE). There is no year 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Era {
    /// First year; negative is BCE; from -10000 to 10000.
    pub start: i32,
    /// Last year; negative is BCE; from -10000 to 10000.
    pub end: i32,
}

impl Checker<'_> {
    pub(super) fn era(&mut self, value: &Json) -> Option<Era> {
        let example = match self.block.format {
            Format::Yaml => "era: {start: -550, end: -330}",
            Format::Toml => "era = { start = -550, end = -330 }",
        };
        let hint = format!("write `{example}`; negative years are BCE");
        let map = match value {
            Json::Null => return None,
            Json::Object(map) => map,
            other => {
                let message = format!(
                    "`era` must have a `start` and an `end` year, not {}",
                    self.describe(other)
                );
                self.error_at_key("era", message, hint);
                return None;
            }
        };
        for name in map.keys() {
            if name != "start" && name != "end" {
                let hint = match closest(name, ["start", "end"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "`era` has only `start` and `end`".to_string(),
                };
                self.error_at_key("era", format!("unknown field `{name}` in `era`"), hint);
            }
        }
        let start = self.era_year(map, "start", &hint);
        let end = self.era_year(map, "end", &hint);
        let (start, end) = (start?, end?);
        if start > end {
            self.error_at_key(
                "era",
                format!("`era` ends before it starts: {start} is after {end}"),
                format!(
                    "`start` is the earlier year; BCE years are negative, e.g. `{example}` \
                     is 550 BCE to 330 BCE"
                ),
            );
            return None;
        }
        Some(Era { start, end })
    }

    fn era_year(
        &mut self,
        map: &serde_json::Map<String, Json>,
        name: &str,
        hint: &str,
    ) -> Option<i32> {
        let Some(value) = map.get(name) else {
            self.error_at_key(
                "era",
                format!("`era` has no `{name}` year"),
                hint.to_string(),
            );
            return None;
        };
        let Some(year) = value.as_i64() else {
            let message = format!(
                "`era.{name}` must be a whole number (a year), not {}",
                self.describe(value)
            );
            self.error_at_key("era", message, hint.to_string());
            return None;
        };
        match i32::try_from(year) {
            Ok(year) if !(EARLIEST_YEAR..=LATEST_YEAR).contains(&year) => {
                self.out_of_range(name, year.into());
                None
            }
            Ok(0) => {
                self.error_at_key(
                    "era",
                    format!("`era.{name}` is 0, but there is no year 0"),
                    "1 BCE is `-1` and 1 CE is `1`".to_string(),
                );
                None
            }
            Ok(year) => Some(year),
            Err(_) => {
                self.out_of_range(name, year);
                None
            }
        }
    }

    fn out_of_range(&mut self, name: &str, year: i64) {
        self.error_at_key(
            "era",
            format!("`era.{name}` is out of range: {year}"),
            format!(
                "eras are years from {} BCE to {LATEST_YEAR} CE (`{EARLIEST_YEAR}` to \
                 `{LATEST_YEAR}`)",
                -EARLIEST_YEAR
            ),
        );
    }
}
