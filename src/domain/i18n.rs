//! The two languages Atelier speaks, Bahasa Indonesia and English, and the one place
//! per language for how dates and times read. The words themselves are in the message
//! catalogs (`src/locales/{id,en}/*.ftl`, read on the server by `server::i18n`).

use super::text_enum::text_enum;
use super::time::{civil_from_days, jakarta_day, DAY_SECS, JAKARTA_OFFSET_SECS, MONTHS_EN};
use serde::{Deserialize, Serialize};

text_enum!(
    /// A language of the interface and the mail, by its ISO 639-1 code. Its label is its
    /// own name for itself, as a language switcher shows it.
    Lang {
        Id = "id" / "Bahasa Indonesia",
        En = "en" / "English",
    }
);

impl Default for Lang {
    /// An account made before languages were kept, or by a page without one, reads English.
    fn default() -> Self {
        Lang::En
    }
}

impl Lang {
    /// A language from what a form or a header says: `id`, `EN`, `id-ID`, `en_US`; none other.
    pub fn from_tag(raw: &str) -> Option<Self> {
        let primary = raw.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Self::parse(&primary)
    }

    const MONTHS_ID: [&'static str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];

    /// A Unix time's Jakarta date: "6 Desember 2026", "6 December 2026".
    pub fn date(self, unix: i64) -> String {
        let (y, m, d) = civil_from_days(jakarta_day(unix));
        let months = match self {
            Lang::Id => &Self::MONTHS_ID,
            Lang::En => &MONTHS_EN,
        };
        format!("{d} {} {y}", months[(m - 1) as usize])
    }

    /// A Unix time in Jakarta with its date: "6 Desember 2026 pukul 14.05 WIB",
    /// "6 December 2026 at 14:05 WIB" (Indonesian writes the time with a dot).
    pub fn date_time(self, unix: i64) -> String {
        let seconds = (unix + JAKARTA_OFFSET_SECS).rem_euclid(DAY_SECS);
        let (h, min) = (seconds / 3600, seconds % 3600 / 60);
        match self {
            Lang::Id => format!("{} pukul {h:02}.{min:02} WIB", self.date(unix)),
            Lang::En => format!("{} at {h:02}:{min:02} WIB", self.date(unix)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn a_language_is_read_from_its_code_in_any_case_with_or_without_a_region() {
        for (raw, lang) in
            [("id", Lang::Id), ("ID", Lang::Id), ("id-ID", Lang::Id), ("en_US", Lang::En), (" en ", Lang::En)]
        {
            assert_eq!(Lang::from_tag(raw), Some(lang), "{raw}");
        }
        for raw in ["", "fr", "ind", "english", "-"] {
            assert_eq!(Lang::from_tag(raw), None, "{raw}");
        }
        assert_eq!((Lang::Id.as_str(), Lang::En.label()), ("id", "English"));
    }

    #[test]
    fn dates_read_as_each_language_writes_them_in_jakarta_time() {
        // 2026-12-06 07:05 UTC is 14:05 in Jakarta.
        let t = 1_796_540_700;
        assert_eq!(Lang::Id.date(t), "6 Desember 2026");
        assert_eq!(Lang::En.date(t), "6 December 2026");
        assert_eq!(Lang::Id.date_time(t), "6 Desember 2026 pukul 14.05 WIB");
        assert_eq!(Lang::En.date_time(t), "6 December 2026 at 14:05 WIB");
        // 18:30 UTC on 31 May is already 1 June in Jakarta.
        let late = 1_780_252_200;
        assert_eq!(Lang::Id.date(late), "1 Juni 2026");
    }
}
