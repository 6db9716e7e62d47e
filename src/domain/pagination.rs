//! Keyset ("cursor") pagination for every list a person pages through: 50 rows a page,
//! newest first, "Newer" and "Older" links that name the row they continue from (its
//! time and id), so rows inserted between two pages never shift one onto the other,
//! and a page never costs more than reading its own rows through an index.

use super::ValidationError;
use serde::{Deserialize, Serialize};

/// Rows a page shows.
pub const PAGE_SIZE: usize = 50;

/// A row's place in a list ordered newest first: its time (unix seconds) and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    pub at: i64,
    pub id: i64,
}

impl Cursor {
    /// `"1795453199-42"` as links carry it; anything else is `None`.
    pub fn parse(raw: &str) -> Option<Self> {
        let (at, id) = raw.trim().split_once('-')?;
        let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<i64>().ok()).flatten();
        Some(Self { at: number(at)?, id: number(id)? })
    }

    pub fn encode(&self) -> String {
        format!("{}-{}", self.at, self.id)
    }
}

/// Which page of a list is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAt {
    /// The newest rows.
    First,
    /// The rows older than this one.
    Before(Cursor),
    /// The rows newer than this one.
    After(Cursor),
}

impl PageAt {
    /// From a link's `before=` / `after=` (at most one; empty for the first page).
    pub fn parse(before: &str, after: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::new("That page link is not valid: start again from the first page.");
        match (before.trim(), after.trim()) {
            ("", "") => Ok(Self::First),
            (before, "") => Cursor::parse(before).map(Self::Before).ok_or_else(bad),
            ("", after) => Cursor::parse(after).map(Self::After).ok_or_else(bad),
            _ => Err(bad()),
        }
    }

    /// Whether the rows are read oldest first (then reversed): the page after a cursor.
    pub fn ascending(self) -> bool {
        matches!(self, Self::After(_))
    }
}

/// One page of a list, newest first, with the links to its neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// `after=` for the newer page, if there is one.
    pub newer: Option<String>,
    /// `before=` for the older page, if there is one.
    pub older: Option<String>,
}

impl<T> Page<T> {
    /// The page from rows read in the query's order (newest first, or oldest first for
    /// [`PageAt::After`]) with a limit of one more than [`PAGE_SIZE`]: that one tells
    /// whether there is a further page.
    pub fn from_rows(mut rows: Vec<T>, at: PageAt, cursor: impl Fn(&T) -> Cursor) -> Self {
        let more = rows.len() > PAGE_SIZE;
        rows.truncate(PAGE_SIZE);
        if at.ascending() {
            rows.reverse();
        }
        let (first, last) = (rows.first().map(&cursor), rows.last().map(&cursor));
        let (newer, older) = match at {
            PageAt::First => (None, last.filter(|_| more)),
            // Past the end (nothing older): the way back is newer than the cursor itself.
            PageAt::Before(c) => (first.or(Some(c)), last.filter(|_| more)),
            PageAt::After(c) => (first.filter(|_| more), last.or(Some(c))),
        };
        Self { rows, newer: newer.map(|c| c.encode()), older: older.map(|c| c.encode()) }
    }

    pub fn empty() -> Self {
        Self { rows: Vec::new(), newer: None, older: None }
    }
}

/// A search box's text as a `LIKE` pattern matching it anywhere (`%` and `_` typed are
/// matched literally, with `\` as the escape), or `None` when it is empty.
pub fn like_pattern(q: &str) -> Option<String> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    let escaped: String =
        q.chars().take(100).flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    Some(format!("%{escaped}%"))
}

/// A search box's text as an FTS5 trigram phrase (matched anywhere, any case), when it
/// is long enough for the trigram index (3 characters); shorter text is for [`like_pattern`].
pub fn trigram_phrase(q: &str) -> Option<String> {
    let q: String = q.trim().chars().take(100).collect();
    (q.chars().count() >= 3).then(|| format!("\"{}\"", q.replace('"', "\"\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rows: std::ops::RangeInclusive<i64>, at: PageAt) -> Page<i64> {
        let rows: Vec<i64> = if at.ascending() { rows.collect() } else { rows.rev().collect() };
        Page::from_rows(rows, at, |id| Cursor { at: *id * 10, id: *id })
    }

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        let c = Cursor { at: 1_795_453_199, id: 42 };
        assert_eq!(Cursor::parse(&c.encode()), Some(c));
        for bad in ["", "1", "-1-2", "1-x", "1--2", "1-2-3", "+1-2"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
        assert_eq!(PageAt::parse("", ""), Ok(PageAt::First));
        assert!(PageAt::parse("1-2", "3-4").is_err());
        assert!(PageAt::parse("junk", "").is_err());
    }

    #[test]
    fn pages_link_to_their_neighbours_and_past_the_end_is_empty() {
        // 51 rows read: a full page and more after it.
        let first = page(50..=100, PageAt::First);
        assert_eq!(first.rows.first(), Some(&100));
        assert_eq!(first.rows.len(), PAGE_SIZE);
        assert_eq!((first.newer.as_deref(), first.older.as_deref()), (None, Some("510-51")));
        // The last page: fewer rows, no older link.
        let last = page(1..=50, PageAt::Before(Cursor { at: 510, id: 51 }));
        assert_eq!((last.newer.as_deref(), last.older.as_deref()), (Some("500-50"), None));
        // Going back up from it.
        let back = page(51..=101, PageAt::After(Cursor { at: 500, id: 50 }));
        assert_eq!(back.rows.first(), Some(&100));
        assert_eq!(back.rows.last(), Some(&51));
        assert_eq!((back.newer.as_deref(), back.older.as_deref()), (Some("1000-100"), Some("510-51")));
        // Beyond the last: an empty page that links back.
        let beyond = Page::from_rows(Vec::<i64>::new(), PageAt::Before(Cursor { at: 10, id: 1 }), |id| Cursor {
            at: *id,
            id: *id,
        });
        assert!(beyond.rows.is_empty());
        assert_eq!((beyond.newer.as_deref(), beyond.older.as_deref()), (Some("10-1"), None));
    }

    #[test]
    fn a_trigram_phrase_quotes_what_was_typed() {
        assert_eq!(trigram_phrase("ab"), None);
        assert_eq!(trigram_phrase(" ana@ "), Some("\"ana@\"".into()));
        assert_eq!(trigram_phrase("say \"hi\""), Some("\"say \"\"hi\"\"\"".into()));
    }

    #[test]
    fn a_search_matches_what_was_typed_literally() {
        assert_eq!(like_pattern("  "), None);
        assert_eq!(like_pattern("ana@"), Some("%ana@%".into()));
        assert_eq!(like_pattern("50%_off\\"), Some("%50\\%\\_off\\\\%".into()));
    }
}
