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

    /// The other of the two.
    pub fn other(self) -> Self {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }

    /// The language a browser prefers of the two, from its `Accept-Language` header:
    /// the first (by weight, then order) that is one of them; none when it names neither.
    pub fn preferred(accept_language: &str) -> Option<Self> {
        let mut best: Option<(u16, Lang)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::from_tag) else { continue };
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, |q| (q.trim().parse::<f32>().unwrap_or(0.0).clamp(0.0, 1.0) * 1000.0) as u16);
            if weight > 0 && best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, lang));
            }
        }
        best.map(|(_, lang)| lang)
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

    /// How far `unix` is from `now`, in the largest whole unit: "just now", "5 minutes
    /// ago", "in 3 days"; "baru saja", "5 menit yang lalu", "3 hari lagi" (Indonesian
    /// nouns take no plural). Months are 30 days, years 365.
    pub fn relative(self, unix: i64, now: i64) -> String {
        let seconds = (unix - now).abs();
        if seconds < 60 {
            return match self {
                Lang::Id => "baru saja".to_owned(),
                Lang::En => "just now".to_owned(),
            };
        }
        let (n, unit) = [(365 * 86_400, 5), (30 * 86_400, 4), (86_400, 3), (3600, 2), (60, 1)]
            .into_iter()
            .find(|(size, _)| seconds >= *size)
            .map_or((0, 1), |(size, unit)| (seconds / size, unit));
        let (id, en) = match unit {
            5 => ("tahun", "year"),
            4 => ("bulan", "month"),
            3 => ("hari", "day"),
            2 => ("jam", "hour"),
            _ => ("menit", "minute"),
        };
        let plural = if n == 1 { "" } else { "s" };
        match (self, unix > now) {
            (Lang::Id, true) => format!("{n} {id} lagi"),
            (Lang::Id, false) => format!("{n} {id} yang lalu"),
            (Lang::En, true) => format!("in {n} {en}{plural}"),
            (Lang::En, false) => format!("{n} {en}{plural} ago"),
        }
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

/// The language a public page is in, and its address in the other: the studio's
/// language at today's addresses (`/products`), the other under its code
/// (`/en/products`, `/en` for the home page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteLanguages {
    /// The studio's language (`/admin/settings`).
    pub default: Lang,
}

/// The language of the public page being rendered, when it is not simply the
/// studio's: put on the request by the language middleware for a page under the other
/// language's prefix (and for the home page, with `offer`). Its path is then the
/// page's own (`/products`), the prefix taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLang {
    pub lang: Lang,
    pub site: SiteLanguages,
    /// The visitor arrived from elsewhere preferring the other language: the page
    /// offers its version in it (the home page only).
    pub offer: bool,
}

impl PageLang {
    /// What the page cache adds to a page's path for this version of it.
    pub fn cache_suffix(self) -> &'static str {
        match (self.lang == self.site.default, self.offer, self.lang) {
            (true, false, _) => "",
            (true, true, _) => " offer",
            (false, _, Lang::Id) => " in id",
            (false, _, Lang::En) => " in en",
        }
    }
}

/// How a request's path reads against the site's languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LangPath<'a> {
    /// No language prefix: the page in the studio's language.
    Default,
    /// The other language's prefix, and the page's own path under it (`/products`, `/`).
    Other(Lang, String),
    /// The studio's own language spelled out (`/id/products`): its address is the
    /// unprefixed one (one address per version of a page).
    Redundant(&'a str),
}

impl SiteLanguages {
    pub fn other(self) -> Lang {
        self.default.other()
    }

    /// What `path` says of its language (a prefix is a whole first segment: `/en`,
    /// `/en/blog`; `/english` is no prefix; `/en/` is the home page).
    pub fn read(self, path: &str) -> LangPath<'_> {
        for lang in [Lang::Id, Lang::En] {
            let Some(rest) = path.strip_prefix('/').and_then(|p| p.strip_prefix(lang.as_str())) else { continue };
            if !(rest.is_empty() || rest.starts_with('/')) {
                continue;
            }
            let inner = if rest.is_empty() || rest == "/" { "/".to_owned() } else { rest.to_owned() };
            return if lang == self.default { LangPath::Redundant(rest) } else { LangPath::Other(lang, inner) };
        }
        LangPath::Default
    }

    /// The language of the page a form was sent from, by its address (a `Referer`,
    /// absolute or a path): the other language's version names itself by its prefix;
    /// any other page, or none, is in the studio's language.
    pub fn of_referer(self, referer: Option<&str>) -> Lang {
        let Some(referer) = referer else { return self.default };
        let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
        let path = if referer.starts_with('/') {
            referer
        } else {
            after_scheme.find('/').map_or("/", |at| &after_scheme[at..])
        };
        match self.read(path) {
            LangPath::Other(lang, _) => lang,
            _ => self.default,
        }
    }

    /// The address of the page at `path` (its own, unprefixed path; a query or fragment
    /// may follow) in `lang`.
    pub fn address(self, lang: Lang, path: &str) -> String {
        if lang == self.default {
            return path.to_owned();
        }
        match path {
            "/" => format!("/{}", lang.as_str()),
            _ if path.starts_with("/?") || path.starts_with("/#") => format!("/{}{}", lang.as_str(), &path[1..]),
            _ => format!("/{}{path}", lang.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn dates_times_and_distances_read_as_each_language_writes_them() {
        // 6 December 2026, 07:05 UTC: 14:05 in Jakarta.
        let at = 1_796_540_700;
        assert_eq!(Lang::Id.date(at), "6 Desember 2026");
        assert_eq!(Lang::En.date(at), "6 December 2026");
        assert_eq!(Lang::Id.date_time(at), "6 Desember 2026 pukul 14.05 WIB");
        assert_eq!(Lang::En.date_time(at), "6 December 2026 at 14:05 WIB");
        assert_eq!(Lang::En.relative(at, at + 30), "just now");
        assert_eq!(Lang::Id.relative(at, at + 30), "baru saja");
        assert_eq!(Lang::En.relative(at, at + 60), "1 minute ago");
        assert_eq!(Lang::En.relative(at, at + 5 * 3600 + 59), "5 hours ago");
        assert_eq!(Lang::Id.relative(at, at + 5 * 3600), "5 jam yang lalu");
        assert_eq!(Lang::En.relative(at + 3 * 86_400, at), "in 3 days");
        assert_eq!(Lang::Id.relative(at + 86_400, at), "1 hari lagi");
        assert_eq!(Lang::En.relative(at, at + 400 * 86_400), "1 year ago");
        assert_eq!(Lang::Id.relative(at, at + 61 * 86_400), "2 bulan yang lalu");
    }
    use super::{LangPath, SiteLanguages};

    #[test]
    fn a_path_names_the_other_language_by_its_first_segment_only() {
        let id = SiteLanguages { default: Lang::Id };
        assert_eq!(id.read("/products"), LangPath::Default);
        assert_eq!(id.read("/"), LangPath::Default);
        assert_eq!(id.read("/en"), LangPath::Other(Lang::En, "/".into()));
        assert_eq!(id.read("/en/"), LangPath::Other(Lang::En, "/".into()));
        assert_eq!(id.read("/en/blog/shipping"), LangPath::Other(Lang::En, "/blog/shipping".into()));
        assert_eq!(id.read("/english"), LangPath::Default);
        assert_eq!(id.read("/id/products"), LangPath::Redundant("/products"));
        assert_eq!(id.read("/id"), LangPath::Redundant(""));
        let en = SiteLanguages { default: Lang::En };
        assert_eq!(en.read("/id/products"), LangPath::Other(Lang::Id, "/products".into()));
        assert_eq!(en.read("/en/products"), LangPath::Redundant("/products"));
        assert_eq!(id.address(Lang::En, "/"), "/en");
        assert_eq!(id.address(Lang::En, "/?page=2"), "/en?page=2");
        assert_eq!(id.address(Lang::En, "/blog?tag=rust"), "/en/blog?tag=rust");
        assert_eq!(id.address(Lang::Id, "/blog"), "/blog");
        assert_eq!(en.address(Lang::Id, "/login?next=/x"), "/id/login?next=/x");
        assert_eq!(id.of_referer(Some("https://studio.example/en/contact?x=1")), Lang::En);
        assert_eq!(id.of_referer(Some("https://studio.example/contact")), Lang::Id);
        assert_eq!(id.of_referer(Some("https://studio.example")), Lang::Id);
        assert_eq!(id.of_referer(Some("/en/tools/slugs")), Lang::En);
        assert_eq!(id.of_referer(None), Lang::Id);
    }

    #[test]
    fn the_preferred_language_is_the_weightiest_of_the_two_named() {
        assert_eq!(Lang::preferred("en-US,en;q=0.9,id;q=0.8"), Some(Lang::En));
        assert_eq!(Lang::preferred("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7"), Some(Lang::Id));
        assert_eq!(Lang::preferred("fr-FR,fr;q=0.9,en;q=0.5,id;q=0.6"), Some(Lang::Id));
        assert_eq!(Lang::preferred("en;q=0.2, id;q=0.8"), Some(Lang::Id));
        assert_eq!(Lang::preferred("fr, de"), None);
        assert_eq!(Lang::preferred("en;q=0"), None);
        assert_eq!(Lang::preferred(""), None);
    }

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
