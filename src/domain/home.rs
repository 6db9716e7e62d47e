//! The home page as staff edit it (`/admin/home`): the hero (eyebrow, headline,
//! lede, two buttons, the side panel), the "What we offer" cards, which products are
//! featured, the call-to-action band, and which sections show in what order.
//! Stored with the settings; until staff save it, [`Home::default`] (the demo's own).

use super::ValidationError;
use serde::{Deserialize, Serialize};

/// A section of the home page, in the order staff give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Hero,
    Featured,
    Posts,
    Offers,
    Cta,
}

impl Section {
    pub const ALL: [Self; 5] = [Self::Hero, Self::Featured, Self::Posts, Self::Offers, Self::Cta];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hero => "hero",
            Self::Featured => "featured",
            Self::Posts => "posts",
            Self::Offers => "offers",
            Self::Cta => "cta",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Hero => "Hero",
            Self::Featured => "Featured products",
            Self::Posts => "From the blog",
            Self::Offers => "What we offer",
            Self::Cta => "Call to action",
        }
    }
}

/// Which products the home page features.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Featured {
    /// Those marked "featured" on their product page first, then by the catalog's order.
    #[default]
    Picked,
    /// The newest on sale.
    Newest,
}

/// A button or card's link: a label and where it goes (a page of the site, or https).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// A "What we offer" card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub title: String,
    pub text: String,
    pub href: String,
}

/// The home page's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Home {
    pub eyebrow: String,
    pub headline: String,
    pub lede: String,
    pub primary: Link,
    pub secondary: Link,
    /// The hero's side panel: a few short lines (none: no panel).
    pub panel: Vec<String>,
    pub offers_title: String,
    pub offers: Vec<Card>,
    pub featured: Featured,
    pub cta_heading: String,
    pub cta_text: String,
    pub cta: Link,
    /// The sections shown, in order.
    pub sections: Vec<Section>,
}

fn link(label: &str, href: &str) -> Link {
    Link { label: label.into(), href: href.into() }
}

fn card(title: &str, text: &str, href: &str) -> Card {
    Card { title: title.into(), text: text.into(), href: href.into() }
}

impl Default for Home {
    fn default() -> Self {
        Self {
            eyebrow: "Digital studio · Jakarta & remote".into(),
            headline: "Software made with care, delivered the moment you need it.".into(),
            lede: "We design and build digital products, starter kits and SaaS tools, and we partner with teams on \
                   the projects that matter to them."
                .into(),
            primary: link("Browse products", "/products"),
            secondary: link("See our work", "/portfolio"),
            panel: vec!["Order ATL-20261121-7F3K2Q paid".into(), "License key delivered".into(), "GitHub invite sent".into()],
            offers_title: "What we offer".into(),
            offers: vec![
                card(
                    "Digital products",
                    "Templates, UI kits and starter code, delivered instantly by download, license key or private repository.",
                    "/products",
                ),
                card("SaaS bundles", "Hosted tools with fair monthly and yearly plans, and quotas you can see in your dashboard.", "/saas"),
                card(
                    "Services",
                    "Design and engineering engagements with milestones, deliverables and invoices in one client portal.",
                    "/services",
                ),
            ],
            featured: Featured::Picked,
            cta_heading: "Have a project in mind?".into(),
            cta_text: "Tell us what you are building. We answer every message within two working days.".into(),
            cta: link("Start a conversation", "/contact"),
            sections: Section::ALL.to_vec(),
        }
    }
}

impl Home {
    /// The page a new studio's home shows until staff edit it, in `lang`: the same
    /// page, written in each language (an edited page is the studio's own words).
    pub fn default_in(lang: super::Lang) -> Self {
        match lang {
            super::Lang::En => Self::default(),
            super::Lang::Id => Self {
                eyebrow: "Studio digital · Jakarta & jarak jauh".into(),
                headline: "Perangkat lunak yang dibuat dengan teliti, siap saat Anda membutuhkannya.".into(),
                lede: "Kami merancang dan membangun produk digital, starter kit, dan alat SaaS, serta bermitra dengan \
                       tim untuk proyek yang penting bagi mereka."
                    .into(),
                primary: link("Lihat produk", "/products"),
                secondary: link("Lihat karya kami", "/portfolio"),
                panel: vec![
                    "Pesanan ATL-20261121-7F3K2Q dibayar".into(),
                    "Kunci lisensi terkirim".into(),
                    "Undangan GitHub terkirim".into(),
                ],
                offers_title: "Yang kami tawarkan".into(),
                offers: vec![
                    card(
                        "Produk digital",
                        "Templat, UI kit, dan kode awal, dikirim seketika lewat unduhan, kunci lisensi, atau repositori privat.",
                        "/products",
                    ),
                    card(
                        "Paket SaaS",
                        "Alat yang kami kelola dengan paket bulanan dan tahunan yang wajar, dan kuota yang terlihat di dasbor Anda.",
                        "/saas",
                    ),
                    card(
                        "Layanan",
                        "Pekerjaan desain dan rekayasa dengan tahapan, hasil kerja, dan faktur dalam satu portal klien.",
                        "/services",
                    ),
                ],
                cta_heading: "Punya proyek yang sedang direncanakan?".into(),
                cta_text: "Ceritakan apa yang sedang Anda bangun. Kami membalas setiap pesan dalam dua hari kerja.".into(),
                cta: link("Mulai percakapan", "/contact"),
                ..Self::default()
            },
        }
    }
}

/// Cards the editor offers.
pub const CARDS: usize = 3;

/// What the home page shows: its text as staff edited it and what it lists.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HomeContent {
    /// The page as staff edited it (`/admin/home`).
    pub home: Home,
    pub featured: Vec<super::products::Product>,
    pub posts: Vec<super::content::Entry>,
    /// The settings' home page description and share image (empty: the built-in ones).
    pub description: String,
    pub share_image: String,
}

/// Where staff see the home page with their unsaved changes (`/admin/home`'s "Preview").
pub const PREVIEW_PATH: &str = "/?preview=home";
/// Lines of the side panel kept.
pub const PANEL_LINES: usize = 4;

/// The home page form as typed: one field per line of the page; each section's place
/// ("1", "2", … or empty to hide it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HomeForm {
    pub eyebrow: String,
    pub headline: String,
    pub lede: String,
    pub primary_label: String,
    pub primary_href: String,
    pub secondary_label: String,
    pub secondary_href: String,
    /// One line each.
    pub panel: String,
    pub offers_title: String,
    pub card1_title: String,
    pub card1_text: String,
    pub card1_href: String,
    pub card2_title: String,
    pub card2_text: String,
    pub card2_href: String,
    pub card3_title: String,
    pub card3_text: String,
    pub card3_href: String,
    /// "picked" or "newest".
    pub featured: String,
    pub cta_heading: String,
    pub cta_text: String,
    pub cta_label: String,
    pub cta_href: String,
    pub order_hero: String,
    pub order_featured: String,
    pub order_posts: String,
    pub order_offers: String,
    pub order_cta: String,
}

impl HomeForm {
    pub fn from_home(h: &Home) -> Self {
        let card = |i: usize| h.offers.get(i).cloned().unwrap_or_default();
        let place =
            |s: Section| h.sections.iter().position(|x| *x == s).map(|i| (i + 1).to_string()).unwrap_or_default();
        let (c1, c2, c3) = (card(0), card(1), card(2));
        Self {
            eyebrow: h.eyebrow.clone(),
            headline: h.headline.clone(),
            lede: h.lede.clone(),
            primary_label: h.primary.label.clone(),
            primary_href: h.primary.href.clone(),
            secondary_label: h.secondary.label.clone(),
            secondary_href: h.secondary.href.clone(),
            panel: h.panel.join("\n"),
            offers_title: h.offers_title.clone(),
            card1_title: c1.title,
            card1_text: c1.text,
            card1_href: c1.href,
            card2_title: c2.title,
            card2_text: c2.text,
            card2_href: c2.href,
            card3_title: c3.title,
            card3_text: c3.text,
            card3_href: c3.href,
            featured: if h.featured == Featured::Newest { "newest" } else { "picked" }.into(),
            cta_heading: h.cta_heading.clone(),
            cta_text: h.cta_text.clone(),
            cta_label: h.cta.label.clone(),
            cta_href: h.cta.href.clone(),
            order_hero: place(Section::Hero),
            order_featured: place(Section::Featured),
            order_posts: place(Section::Posts),
            order_offers: place(Section::Offers),
            order_cta: place(Section::Cta),
        }
    }

    fn place(&self, s: Section) -> &str {
        match s {
            Section::Hero => &self.order_hero,
            Section::Featured => &self.order_featured,
            Section::Posts => &self.order_posts,
            Section::Offers => &self.order_offers,
            Section::Cta => &self.order_cta,
        }
    }
}

fn text(raw: &str, max: usize, what: &str) -> Result<String, ValidationError> {
    let value = super::contact::one_line(raw);
    if value.chars().count() > max {
        return Err(ValidationError::new(format!("Keep the {what} to {max} characters.")));
    }
    Ok(value)
}

/// Where a link may go: a path of this site (`/products`, `/blog/launch`) or an https
/// address. Whether the path is a page that exists is checked where pages are known.
pub fn check_href(raw: &str, what: &str) -> Result<String, ValidationError> {
    let href = raw.trim();
    let internal = href.starts_with('/')
        && !href.starts_with("//")
        && href.len() <= 200
        && href.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.".contains(&b));
    let external = href.starts_with("https://")
        && href.len() <= 300
        && !href.contains(|c: char| c.is_whitespace() || "\"<>'`".contains(c));
    if internal || external {
        Ok(href.to_owned())
    } else {
        Err(ValidationError::new(format!(
            "Give the {what} a page of the site (like /products) or an https address, not {href:?}."
        )))
    }
}

impl Home {
    /// Checks a submitted form (the links' form only: that their pages exist is the server's check).
    pub fn parse(form: &HomeForm) -> Result<Self, ValidationError> {
        let headline = text(&form.headline, 120, "headline")?;
        if headline.is_empty() {
            return Err(ValidationError::new("Write the headline: it is the page's main heading."));
        }
        let action = |label: &str, href: &str, what: &str| -> Result<Link, ValidationError> {
            let label = text(label, 40, &format!("{what}'s label"))?;
            if label.is_empty() {
                return Err(ValidationError::new(format!("Give the {what} a label.")));
            }
            Ok(Link { label, href: check_href(href, what)? })
        };
        let panel: Vec<String> = form.panel.lines().map(super::contact::one_line).filter(|l| !l.is_empty()).collect();
        if panel.len() > PANEL_LINES || panel.iter().any(|l| l.chars().count() > 60) {
            return Err(ValidationError::new(format!(
                "Keep the side panel to {PANEL_LINES} lines of up to 60 characters."
            )));
        }
        let mut offers = Vec::new();
        for (i, (title, body, href)) in [
            (&form.card1_title, &form.card1_text, &form.card1_href),
            (&form.card2_title, &form.card2_text, &form.card2_href),
            (&form.card3_title, &form.card3_text, &form.card3_href),
        ]
        .into_iter()
        .enumerate()
        {
            let what = format!("card {}", i + 1);
            let title = text(title, 60, &format!("{what}'s title"))?;
            if title.is_empty() {
                continue;
            }
            offers.push(Card {
                title,
                text: text(body, 200, &format!("{what}'s text"))?,
                href: check_href(href, &what)?,
            });
        }
        let mut placed = Vec::new();
        for s in Section::ALL {
            match form.place(s).trim() {
                "" => {}
                raw => {
                    let at = raw.parse::<u8>().ok().filter(|n| (1..=9).contains(n)).ok_or_else(|| {
                        ValidationError::new(format!(
                            "Give “{}” a place from 1 to 9, or leave it empty to hide it.",
                            s.label()
                        ))
                    })?;
                    placed.push((at, s));
                }
            }
        }
        if placed.is_empty() {
            return Err(ValidationError::new("Show at least one section."));
        }
        placed.sort_by_key(|(at, s)| (*at, Section::ALL.iter().position(|x| x == s)));
        Ok(Self {
            eyebrow: text(&form.eyebrow, 80, "eyebrow")?,
            headline,
            lede: text(&form.lede, 300, "lede")?,
            primary: action(&form.primary_label, &form.primary_href, "first button")?,
            secondary: action(&form.secondary_label, &form.secondary_href, "second button")?,
            panel,
            offers_title: text(&form.offers_title, 60, "offers' heading")?,
            offers,
            featured: if form.featured == "newest" { Featured::Newest } else { Featured::Picked },
            cta_heading: text(&form.cta_heading, 80, "call to action's heading")?,
            cta_text: text(&form.cta_text, 200, "call to action's text")?,
            cta: action(&form.cta_label, &form.cta_href, "call to action's button")?,
            sections: placed.into_iter().map(|(_, s)| s).collect(),
        })
    }

    /// Every link of the page that points into the site.
    pub fn internal_links(&self) -> Vec<&str> {
        [&self.primary.href, &self.secondary.href, &self.cta.href]
            .into_iter()
            .chain(self.offers.iter().map(|c| &c.href))
            .map(String::as_str)
            .filter(|h| h.starts_with('/'))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_home_reads_back_through_its_form() {
        let home = Home::default();
        assert_eq!(Home::parse(&HomeForm::from_home(&home)).unwrap(), home);
    }

    #[test]
    fn sections_show_in_the_order_given_and_empty_ones_hide() {
        let mut form = HomeForm::from_home(&Home::default());
        (form.order_cta, form.order_hero, form.order_posts, form.order_featured) =
            ("1".into(), "2".into(), "".into(), "2".into());
        let home = Home::parse(&form).unwrap();
        assert_eq!(home.sections, [Section::Cta, Section::Hero, Section::Featured, Section::Offers]);
    }

    #[test]
    fn mistakes_are_named() {
        for (change, expected) in [
            (&(|f: &mut HomeForm| f.headline = " ".into()) as &dyn Fn(&mut HomeForm), "Write the headline"),
            (&|f| f.primary_href = "javascript:alert(1)".into(), "first button a page of the site"),
            (&|f| f.card2_href = "//evil.example/x".into(), "card 2 a page of the site"),
            (&|f| f.cta_label = "".into(), "Give the call to action's button a label"),
            (&|f| f.order_posts = "ten".into(), "“From the blog” a place from 1 to 9"),
            (&|f| f.panel = "a\nb\nc\nd\ne".into(), "side panel"),
        ] {
            let mut form = HomeForm::from_home(&Home::default());
            change(&mut form);
            let err = Home::parse(&form).unwrap_err().0;
            assert!(err.contains(expected), "{expected}: {err}");
        }
        let mut hidden = HomeForm::from_home(&Home::default());
        for s in Section::ALL {
            *match s {
                Section::Hero => &mut hidden.order_hero,
                Section::Featured => &mut hidden.order_featured,
                Section::Posts => &mut hidden.order_posts,
                Section::Offers => &mut hidden.order_offers,
                Section::Cta => &mut hidden.order_cta,
            } = String::new();
        }
        assert_eq!(Home::parse(&hidden).unwrap_err().0, "Show at least one section.");
    }
}
