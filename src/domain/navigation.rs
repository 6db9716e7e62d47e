//! The site's navigation as staff edit it (`/admin/navigation`): the header's links
//! and the footer's, each a label and an address, in order, shown or hidden. Written
//! one link a line (`Products | /products`; a line starting with `#` is kept hidden).

use super::home::check_href;
use super::ValidationError;
use serde::{Deserialize, Serialize};

/// A link of a menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenuLink {
    pub label: String,
    pub href: String,
    pub shown: bool,
}

/// Both menus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Navigation {
    pub header: Vec<MenuLink>,
    pub footer: Vec<MenuLink>,
}

/// Links a menu holds at most.
pub const HEADER_MAX: usize = 10;
pub const FOOTER_MAX: usize = 16;

fn shown(label: &str, href: &str) -> MenuLink {
    MenuLink { label: label.into(), href: href.into(), shown: true }
}

/// The links a new studio's menus start with: (label, address, the catalog message
/// of the label). A link that still reads as it started is shown in each page's
/// language ([`default_label_key`]); one staff renamed reads as they wrote it.
const HEADER_DEFAULT: &[(&str, &str, &str)] = &[
    ("Home", "/", "nav-home"),
    ("Products", "/products", "nav-products"),
    ("SaaS", "/saas", "nav-saas"),
    ("Services", "/services", "nav-services"),
    ("Work", "/portfolio", "nav-work"),
    ("Blog", "/blog", "nav-blog"),
    ("About", "/about", "nav-about"),
    ("Contact", "/contact", "nav-contact"),
];
const FOOTER_DEFAULT: &[(&str, &str, &str)] = &[
    ("Tools", "/tools", "nav-tools"),
    ("Demos", "/demos", "nav-demos"),
    ("Resources", "/resources", "nav-resources"),
    ("Waitlist", "/waitlist", "nav-waitlist"),
    ("Developers", "/developers", "nav-developers"),
    ("RSS feed", "/blog/feed.xml", "nav-rss"),
    ("Privacy policy", "/privacy-policy", "nav-privacy"),
    ("Terms", "/terms", "nav-terms"),
    ("Disclaimer", "/disclaimer", "nav-disclaimer"),
];

/// The catalog message of a menu link's label while it reads as a new studio's menus
/// have it ("Products" to `/products`), so it is shown in the page's language.
pub fn default_label_key(label: &str, href: &str) -> Option<&'static str> {
    HEADER_DEFAULT.iter().chain(FOOTER_DEFAULT).find(|(l, h, _)| *l == label && *h == href).map(|(_, _, key)| *key)
}

impl Default for Navigation {
    fn default() -> Self {
        let links = |defaults: &[(&str, &str, &str)]| defaults.iter().map(|(l, h, _)| shown(l, h)).collect();
        Self { header: links(HEADER_DEFAULT), footer: links(FOOTER_DEFAULT) }
    }
}

/// The navigation form: each menu one link a line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NavigationForm {
    pub header: String,
    pub footer: String,
}

fn lines(links: &[MenuLink]) -> String {
    links
        .iter()
        .map(|l| format!("{}{} | {}", if l.shown { "" } else { "# " }, l.label, l.href))
        .collect::<Vec<_>>()
        .join("\n")
}

impl NavigationForm {
    pub fn from_navigation(n: &Navigation) -> Self {
        Self { header: lines(&n.header), footer: lines(&n.footer) }
    }
}

fn parse_menu(raw: &str, menu: &str, max: usize) -> Result<Vec<MenuLink>, ValidationError> {
    let mut links = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (hidden, rest) = match line.strip_prefix('#') {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let Some((label, href)) = rest.rsplit_once('|') else {
            return Err(ValidationError::new(format!(
                "Write each link of the {menu} as a label and an address, like “Products | /products” (not {line:?})."
            )));
        };
        let label = super::contact::one_line(label);
        if label.is_empty() || label.chars().count() > 30 {
            return Err(ValidationError::new(format!(
                "Give each link of the {menu} a label of up to 30 characters (not {line:?})."
            )));
        }
        let href = check_href(href, &format!("{menu}'s “{label}” link"))?;
        links.push(MenuLink { label, href, shown: !hidden });
    }
    if links.len() > max {
        return Err(ValidationError::new(format!("Keep the {menu} to {max} links.")));
    }
    Ok(links)
}

impl Navigation {
    /// Checks the form (that each page exists is checked where pages are known).
    pub fn parse(form: &NavigationForm) -> Result<Self, ValidationError> {
        Ok(Self {
            header: parse_menu(&form.header, "header", HEADER_MAX)?,
            footer: parse_menu(&form.footer, "footer", FOOTER_MAX)?,
        })
    }

    /// Every address of the site the menus link to, shown or not.
    pub fn internal_links(&self) -> impl Iterator<Item = &str> {
        self.header.iter().chain(&self.footer).map(|l| l.href.as_str()).filter(|h| h.starts_with('/'))
    }

    /// The shown links of a menu: (label, address).
    pub fn shown(links: &[MenuLink]) -> Vec<(String, String)> {
        links.iter().filter(|l| l.shown).map(|l| (l.label.clone(), l.href.clone())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menus_read_back_through_their_form_in_order_with_hidden_links_kept() {
        let nav = Navigation::default();
        assert_eq!(Navigation::parse(&NavigationForm::from_navigation(&nav)).unwrap(), nav);
        let form = NavigationForm {
            header: "Shop | /products\n# Blog | /blog\n\nStudio | https://studio.example/about".into(),
            footer: String::new(),
        };
        let parsed = Navigation::parse(&form).unwrap();
        assert_eq!(
            Navigation::shown(&parsed.header),
            [
                ("Shop".to_owned(), "/products".to_owned()),
                ("Studio".to_owned(), "https://studio.example/about".to_owned())
            ]
        );
        assert_eq!(parsed.header.len(), 3, "the hidden link is kept");
        assert_eq!(parsed.internal_links().collect::<Vec<_>>(), ["/products", "/blog"]);
    }

    #[test]
    fn mistakes_are_named() {
        for (header, expected) in [
            ("Products /products", "a label and an address"),
            (" | /products", "a label of up to 30"),
            ("Evil | javascript:alert(1)", "header's “Evil” link a page of the site"),
            (&"A | /a\n".repeat(11), "Keep the header to 10 links"),
        ] {
            let err =
                Navigation::parse(&NavigationForm { header: header.to_owned(), footer: String::new() }).unwrap_err();
            assert!(err.0.contains(expected), "{expected}: {}", err.0);
        }
    }
}
