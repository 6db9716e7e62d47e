//! The studio's figures for `/admin/analytics`: every table once, for the page
//! (beside its chart) and for its CSV export, and the bar charts as SVG.

use super::text_enum::text_enum;
use super::time::civil_from_days;
use serde::{Deserialize, Serialize};

text_enum!(Bucket {
    Day = "day" / "Day",
    Week = "week" / "Week",
    Month = "month" / "Month",
});

impl Bucket {
    /// The first Jakarta day of the period `day` falls in.
    pub fn start(self, day: i64) -> i64 {
        match self {
            Bucket::Day => day,
            // Day 0 (1970-01-01) was a Thursday: weeks start on Monday.
            Bucket::Week => day - (day + 3).rem_euclid(7),
            Bucket::Month => {
                let (y, m, _) = civil_from_days(day);
                super::time::days_from_civil(y, m, 1)
            }
        }
    }

    /// "2026-11-23", "week of 2026-11-23", "2026-11".
    pub fn period_label(self, start: i64) -> String {
        let (y, m, d) = civil_from_days(start);
        match self {
            Bucket::Day => format!("{y:04}-{m:02}-{d:02}"),
            Bucket::Week => format!("week of {y:04}-{m:02}-{d:02}"),
            Bucket::Month => format!("{y:04}-{m:02}"),
        }
    }
}

/// Sums per-day `(day, value)` pairs into periods, every period of the range listed (zeros too).
pub fn bucketed(bucket: Bucket, from_day: i64, until_day: i64, per_day: &[(i64, i64)]) -> Vec<(String, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    let mut day = from_day;
    while day <= until_day {
        let start = bucket.start(day);
        if out.last().is_none_or(|(s, _)| *s != start) {
            out.push((start, 0));
        }
        day += 1;
    }
    for (day, value) in per_day {
        let start = bucket.start(*day);
        if let Some(slot) = out.iter_mut().find(|(s, _)| *s == start) {
            slot.1 += value;
        }
    }
    out.into_iter().map(|(s, v)| (bucket.period_label(s), v)).collect()
}

/// A table as the page and its CSV show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Its address in the export: `/admin/analytics/{name}.csv`.
    pub name: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Numbers to chart, when it has a chart: (label, value).
    pub chart: Option<Vec<(String, i64)>>,
    /// Whether it has rows beyond those here (the page shows [`SHOWN_ROWS`]; the CSV more).
    pub more: bool,
}

/// The most rows of one table the page shows.
pub const SHOWN_ROWS: usize = 50;

impl Table {
    /// Whether the first cell of each row is the table's own words (a period, a status,
    /// a step: written in the reader's language) rather than something named by people
    /// (a product, a page's path).
    pub fn first_column_is_words(&self) -> bool {
        !matches!(self.name.as_str(), "products" | "waitlists" | "paths" | "page_days")
    }

    pub fn new(name: &str, title: &str, columns: &[&str]) -> Self {
        Self {
            name: name.into(),
            title: title.into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows: Vec::new(),
            chart: None,
            more: false,
        }
    }
}

/// Everything the analytics page shows for a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analytics {
    pub from: String,
    pub until: String,
    pub by: Bucket,
    pub tables: Vec<Table>,
}

/// One CSV cell, quoted; one a spreadsheet would run as a formula is neutralised.
pub fn csv_cell(raw: &str) -> String {
    let safe = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{raw}") } else { raw.to_owned() };
    format!("\"{}\"", safe.replace('"', "\"\""))
}

/// A table as CSV.
pub fn csv(table: &Table) -> String {
    let mut out = table.columns.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in &table.rows {
        out.push_str(&row.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Whether a user agent is a crawler, a monitor or a script (not counted as a view).
pub fn is_bot(user_agent: Option<&str>) -> bool {
    let Some(ua) = user_agent.map(str::to_ascii_lowercase) else { return true };
    if !ua.starts_with("mozilla/") {
        return true;
    }
    ["bot", "crawl", "spider", "slurp", "preview", "monitor", "lighthouse", "headless", "python", "curl", "wget"]
        .iter()
        .any(|needle| ua.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_date;

    fn day(raw: &str) -> i64 {
        parse_date(raw).unwrap() / 86_400
    }

    #[test]
    fn periods_start_on_mondays_and_first_days_and_every_one_is_listed() {
        assert_eq!(Bucket::Week.period_label(Bucket::Week.start(day("2026-11-22"))), "week of 2026-11-16");
        assert_eq!(Bucket::Week.start(day("2026-11-23")), day("2026-11-23"), "a Monday starts its week");
        assert_eq!(Bucket::Month.period_label(Bucket::Month.start(day("2026-11-22"))), "2026-11");
        let per_day = [(day("2026-11-02"), 5), (day("2026-11-03"), 7), (day("2026-11-20"), 1)];
        let weeks = bucketed(Bucket::Week, day("2026-11-01"), day("2026-11-22"), &per_day);
        assert_eq!(
            weeks,
            vec![
                ("week of 2026-10-26".to_owned(), 0),
                ("week of 2026-11-02".to_owned(), 12),
                ("week of 2026-11-09".to_owned(), 0),
                ("week of 2026-11-16".to_owned(), 1),
            ]
        );
        assert_eq!(bucketed(Bucket::Day, day("2026-11-01"), day("2026-11-03"), &per_day).len(), 3);
    }

    #[test]
    fn bots_and_scripts_are_not_visitors() {
        let chrome =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert!(!is_bot(Some(chrome)));
        assert!(is_bot(Some("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")));
        assert!(is_bot(Some("curl/8.5.0")));
        assert!(is_bot(None));
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        let mut t = Table::new("paths", "Paths", &["path", "views"]);
        t.rows.push(vec!["=cmd()".into(), "3".into()]);
        assert_eq!(csv(&t), "\"path\",\"views\"\r\n\"'=cmd()\",\"3\"\r\n");
    }
}
