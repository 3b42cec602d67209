//! Eras for readers: a case study's signed years as text (`550–330 BCE`, `27 BCE–14 CE`), and
//! every case study placed on one axis for the timeline page.
//!
//! Years are signed and there is no year 0: `-1` is 1 BCE and `1` is 1 CE. On the axis a year
//! occupies one unit starting at its astronomical number (1 BCE is 0), so a span crossing the era
//! boundary has the right length. Positions are percentages of the axis, so a theme can lay the
//! timeline out in plain HTML and CSS that reflows from phones to wide screens, with no script.

use serde::Serialize;

use crate::resolve::{Era, Page, PageKind, Site};

/// An era as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct EraView {
    /// First year; negative is BCE.
    pub start: i32,
    /// Last year; negative is BCE.
    pub end: i32,
    /// The span as readers write it: `550–330 BCE`, `27 BCE–14 CE`, `1206–1368 CE`, `753 BCE`.
    pub label: String,
}

impl From<Era> for EraView {
    fn from(era: Era) -> EraView {
        EraView {
            start: era.start,
            end: era.end,
            label: era_label(era),
        }
    }
}

/// `550–330 BCE`, `27 BCE–14 CE`, `1206–1368 CE`; a single year is `753 BCE` or `1066 CE`.
pub(crate) fn era_label(era: Era) -> String {
    let suffix = |year: i32| if year < 0 { "BCE" } else { "CE" };
    let (start, end) = (era.start.unsigned_abs(), era.end.unsigned_abs());
    if era.start == era.end {
        format!("{start} {}", suffix(era.start))
    } else if (era.start < 0) == (era.end < 0) {
        format!("{start}–{end} {}", suffix(era.end))
    } else {
        format!("{start} {}–{end} {}", suffix(era.start), suffix(era.end))
    }
}

/// `timeline` on the timeline page.
#[derive(Debug, Serialize)]
pub(crate) struct TimelineView<'a> {
    /// Case studies, earliest first: `[{title, path, description, region, era: {start, end, label}, offset, width}]`.
    pub entries: Vec<TimelineEntry<'a>>,
    /// Labelled years along the axis, earliest first: `[{year, label, offset}]`.
    pub ticks: Vec<Tick>,
    /// The years the axis covers, `{start, end, label}`.
    pub span: EraView,
}

/// One case study on the timeline.
#[derive(Debug, Serialize)]
pub(crate) struct TimelineEntry<'a> {
    /// Page title.
    pub title: &'a str,
    /// Root-relative URL of the case study.
    pub path: &'a str,
    /// Front matter `description`, or none.
    pub description: Option<&'a str>,
    /// Front matter `region`, or none.
    pub region: Option<&'a str>,
    /// `{start, end, label}`.
    pub era: EraView,
    /// Where the era starts, in percent of the axis from its left end.
    pub offset: f64,
    /// How long the era is, in percent of the axis (at least 0.5, so a single year shows).
    pub width: f64,
}

/// A labelled year on the axis.
#[derive(Debug, Serialize, PartialEq)]
pub(crate) struct Tick {
    /// The year; negative is BCE.
    pub year: i32,
    /// `500 BCE`, `1 CE`, `1000 CE`.
    pub label: String,
    /// Position in percent of the axis.
    pub offset: f64,
}

/// Tick spacings, in years, from which the axis takes the smallest giving at most 8 intervals.
const STEPS: &[i64] = &[
    1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 100_000, 1_000_000,
];

/// Round years every `step` from the last one at or before `first` to the first one at or after
/// the end of `last`; the year 0 does not exist, so 1 CE stands in for it. `None` when that
/// takes more than `most` ticks: the work is bounded by `most`, whatever the range of years.
fn tick_years(first: i32, last: i32, step: i64, most: usize) -> Option<Vec<i64>> {
    let end = position(i64::from(last)) + 1;
    let mut years = Vec::new();
    let mut year = i64::from(first).div_euclid(step) * step;
    loop {
        if years.len() == most {
            return None;
        }
        let tick = if year == 0 { 1 } else { year };
        years.push(tick);
        if position(tick) >= end {
            return Some(years);
        }
        year += step;
    }
}

/// Where year `year` begins on a line without a year 0 (1 BCE is 0, 1 CE is 1).
fn position(year: i64) -> i64 {
    if year < 0 { year + 1 } else { year }
}

fn year(year: i64) -> i32 {
    i32::try_from(year).unwrap_or(if year < 0 { i32::MIN } else { i32::MAX })
}

/// Percent with two decimals, so the HTML stays short and stable.
fn percent(part: i64, whole: i64) -> f64 {
    (part as f64 * 10_000.0 / whole as f64).round() / 100.0
}

/// Every case study with an era, on one axis; `None` when the site has none.
pub(crate) fn timeline(site: &Site) -> Option<TimelineView<'_>> {
    let mut pages: Vec<(&Page, Era)> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::CaseStudy)
        .filter_map(|p| p.era.map(|era| (p, era)))
        .collect();
    pages.sort_by(|(a, x), (b, y)| {
        (x.start, x.end)
            .cmp(&(y.start, y.end))
            .then_with(|| a.title.cmp(&b.title))
    });
    let first = pages.iter().map(|(_, e)| e.start).min()?;
    let last = pages.iter().map(|(_, e)| e.end).max()?;
    let years = STEPS
        .iter()
        .find_map(|&step| tick_years(first, last, step, 9))
        .unwrap_or_else(|| vec![i64::from(first), i64::from(last)]);
    let from = position(years[0]);
    let length = (position(years[years.len() - 1]) - from).max(1);
    let entries = pages
        .into_iter()
        .map(|(page, era)| {
            let start = position(era.start.into());
            let long = position(era.end.into()) + 1 - start;
            TimelineEntry {
                title: &page.title,
                path: &page.url.path,
                description: page.doc.front.description.as_deref(),
                region: page.doc.front.region.as_deref(),
                era: era.into(),
                offset: percent(start - from, length),
                width: percent(long, length).max(0.5),
            }
        })
        .collect();
    let ticks = years
        .iter()
        .map(|&y| Tick {
            year: year(y),
            label: era_label(Era {
                start: year(y),
                end: year(y),
            }),
            offset: percent(position(y) - from, length),
        })
        .collect();
    let span = Era {
        start: year(years[0]),
        end: year(years[years.len() - 1]),
    };
    Some(TimelineView {
        entries,
        ticks,
        span: span.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(start: i32, end: i32) -> String {
        era_label(Era { start, end })
    }

    #[test]
    fn eras_read_as_historians_write_them() {
        assert_eq!(label(-550, -330), "550–330 BCE");
        assert_eq!(label(1602, 1799), "1602–1799 CE");
        assert_eq!(label(-27, 14), "27 BCE–14 CE");
        assert_eq!(label(-753, -753), "753 BCE");
        assert_eq!(label(1066, 1066), "1066 CE");
        assert_eq!(label(-1, 1), "1 BCE–1 CE");
    }

    fn case_study(name: &str, start: i32, end: i32) -> (String, String) {
        (
            format!("cases/{name}.md"),
            format!(
                "---\ntitle: {name}\nkind: case-study\nregion: Somewhere\nera: {{start: {start}, end: {end}}}\n---\nText.\n"
            ),
        )
    }

    fn site(cases: &[(&str, i32, i32)]) -> Site {
        let files: Vec<(String, String)> = cases
            .iter()
            .map(|&(n, s, e)| case_study(n, s, e))
            .chain([("notes/n.md".to_string(), "---\ntitle: N\n---\n".to_string())])
            .collect();
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        crate::resolve::test_site(&borrowed)
    }

    #[test]
    fn case_studies_sit_on_one_axis_earliest_first() {
        let site = site(&[
            ("late", 1200, 1400),
            ("early", -550, -330),
            ("cross", -27, 14),
        ]);
        let timeline = timeline(&site).unwrap();
        let titles: Vec<&str> = timeline.entries.iter().map(|e| e.title).collect();
        assert_eq!(titles, ["early", "cross", "late"]);
        // 550 BCE to 1400 CE at 500-year steps: the axis runs from 1000 BCE to 1500 CE.
        assert_eq!(timeline.span.label, "1000 BCE–1500 CE");
        let ticks: Vec<(&str, f64)> = timeline
            .ticks
            .iter()
            .map(|t| (t.label.as_str(), t.offset))
            .collect();
        // Ticks sit where their year begins: 1000 BCE to 500 BCE is 500 years, 500 BCE to 1 CE
        // is 500 (no year 0), 1 CE to 500 CE is 499.
        assert_eq!(
            ticks,
            [
                ("1000 BCE", 0.0),
                ("500 BCE", 20.01),
                ("1 CE", 40.02),
                ("500 CE", 59.98),
                ("1000 CE", 79.99),
                ("1500 CE", 100.0)
            ]
        );
        let early = &timeline.entries[0];
        assert_eq!(early.era.label, "550–330 BCE");
        assert_eq!(early.region, Some("Somewhere"));
        // 550 BCE begins 450 years after 1000 BCE; 550–330 BCE is 221 years, of 2499.
        assert_eq!((early.offset, early.width), (18.01, 8.84));
        let cross = &timeline.entries[1];
        // 27 BCE to 14 CE is 41 years: there is no year 0.
        assert_eq!((cross.offset, cross.width), (38.94, 1.64));
        assert_eq!(cross.path, "/cases/cross/");
    }

    /// The widest era front matter accepts makes a few ticks, and so would any range of years:
    /// one tick per year of ±2^31 was four billion ticks (13 GB).
    #[test]
    fn ticks_are_bounded_whatever_the_range() {
        let site = site(&[("deep", -10_000, 10_000)]);
        let timeline = timeline(&site).unwrap();
        assert!(timeline.ticks.len() <= 9, "{}", timeline.ticks.len());
        assert_eq!(timeline.entries.len(), 1);
        assert_eq!(tick_years(i32::MIN + 1, i32::MAX, 1, 9), None);
        for &step in STEPS {
            let years = tick_years(i32::MIN + 1, i32::MAX, step, 9);
            assert!(years.is_none_or(|years| years.len() <= 9), "{step}");
        }
    }

    #[test]
    fn a_single_year_still_shows_and_no_case_studies_means_no_timeline() {
        let site1 = site(&[("one", 1066, 1066)]);
        let timeline1 = timeline(&site1).unwrap();
        assert_eq!(timeline1.span.label, "1066–1067 CE");
        assert_eq!(timeline1.entries[0].width, 100.0);
        assert!(timeline(&self::site(&[])).is_none());
    }
}
