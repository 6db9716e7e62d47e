//! The site's content: blog posts, editable pages, case studies, demos,
//! resources and tools.

use super::text_enum::text_enum;
use super::time::parse_datetime;
use super::uploads::validate_upload_path;
use super::{Slug, ValidationError};
use serde::{Deserialize, Serialize};

text_enum!(
    /// What a piece of content is; decides where it appears on the site.
    EntryKind {
        Post = "post" / "Blog post",
        Page = "page" / "Page",
        CaseStudy = "case_study" / "Case study",
        Demo = "demo" / "Demo",
        Resource = "resource" / "Resource",
        Tool = "tool" / "Tool",
    }
);

text_enum!(EntryStatus {
    Draft = "draft" / "Draft",
    Published = "published" / "Published",
});

/// Pages the site links to at their own top-level address; they can be edited, not deleted.
pub const FIXED_PAGES: &[&str] = &["about", "privacy-policy", "terms", "disclaimer"];

impl EntryKind {
    /// The admin list of this kind, e.g. `/admin/posts`.
    pub fn admin_path(self) -> &'static str {
        match self {
            Self::Post => "/admin/posts",
            Self::Page => "/admin/pages",
            Self::CaseStudy => "/admin/portfolio",
            Self::Demo => "/admin/demos",
            Self::Resource => "/admin/resources",
            Self::Tool => "/admin/tools",
        }
    }

    /// "Blog posts", "Case studies" ...: headings of admin lists.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Post => "Blog posts",
            Self::Page => "Pages",
            Self::CaseStudy => "Portfolio & case studies",
            Self::Demo => "Demos",
            Self::Resource => "Resources",
            Self::Tool => "Tools",
        }
    }

    /// The public page of one entry (demos and resources live on their list page).
    pub fn public_path(self, slug: &str) -> String {
        match self {
            Self::Post => format!("/blog/{slug}"),
            Self::Page if FIXED_PAGES.contains(&slug) => format!("/{slug}"),
            Self::Page => format!("/pages/{slug}"),
            Self::CaseStudy => format!("/portfolio/{slug}"),
            Self::Demo => format!("/demos#{slug}"),
            Self::Resource => format!("/resources#{slug}"),
            Self::Tool => format!("/tools/{slug}"),
        }
    }

    /// Demos and resources point somewhere else: they need a link.
    pub fn needs_link(self) -> bool {
        matches!(self, Self::Demo | Self::Resource)
    }
}

/// A published entry as visitors see it. `body_html` is sanitised HTML, rendered at save time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub kind: EntryKind,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body_html: crate::domain::html::TrustedHtml,
    pub cover_image: String,
    pub link_url: String,
    pub tags: Vec<String>,
    pub publish_at: i64,
    pub updated_at: i64,
    pub author: String,
    /// A tool page's built-in tool, run on the page.
    pub tool: Option<crate::domain::tools::BuiltinTool>,
    /// Shown on the other language's page in the studio's language: it has no public
    /// version in that language yet (the page says so, and offers no translation).
    pub fallback: bool,
    /// The slug of its public version in the other language, when it has one (for
    /// the page's `hreflang` pair and the language switch). Only on an entry's own page.
    pub alternate: Option<String>,
}

impl Entry {
    pub fn path(&self) -> String {
        self.kind.public_path(&self.slug)
    }
}

/// What a public entry's address shows in a language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shown {
    /// The entry, in the page's language or (marked `fallback`) as written.
    Entry(Box<Entry>),
    /// The entry has its own address in this language: its slug there.
    Moved(String),
}

/// One page of the blog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlogPage {
    pub posts: Vec<Entry>,
    pub page: u32,
    pub has_next: bool,
    pub tag: Option<String>,
    /// Every tag in use on published posts, for the tag filter.
    pub tags: Vec<String>,
}

/// An entry in the admin lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: i64,
    pub kind: EntryKind,
    pub slug: String,
    pub title: String,
    pub status: EntryStatus,
    pub publish_at: Option<i64>,
    pub updated_at: i64,
    pub updated_by: String,
    /// Its version in the other language, if it has one: status and publication.
    pub translation: Option<(EntryStatus, Option<i64>)>,
}

/// "Draft", "Published" or "Scheduled", as of `now`.
pub fn state_label(status: EntryStatus, publish_at: Option<i64>, now: i64) -> &'static str {
    match (status, publish_at) {
        (EntryStatus::Draft, _) => "Draft",
        (EntryStatus::Published, Some(at)) if at > now => "Scheduled",
        (EntryStatus::Published, _) => "Published",
    }
}

impl EntryRow {
    /// "Draft", "Published" or "Scheduled", as of `now`.
    pub fn state_label(&self, now: i64) -> &'static str {
        state_label(self.status, self.publish_at, now)
    }

    /// The same of its version in the other language; "None" without one.
    pub fn translation_label(&self, now: i64) -> &'static str {
        self.translation.map_or("None", |(status, at)| state_label(status, at, now))
    }
}

/// The raw editor form (fields named `form[...]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryForm {
    pub title: String,
    pub slug: String,
    pub summary: String,
    pub body_md: String,
    pub cover_image: String,
    pub link_url: String,
    pub tags: String,
    pub status: String,
    /// `YYYY-MM-DDTHH:MM[:SS]` in UTC, as a `datetime-local` control sends it; empty: now.
    pub publish_at: String,
    /// A tool page's built-in tool (`slug-generator`, …); empty: none.
    pub tool: String,
}

/// The editor form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInput {
    pub kind: EntryKind,
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub cover_image: String,
    pub link_url: String,
    pub tags: Vec<String>,
    pub status: EntryStatus,
    pub publish_at: Option<i64>,
    pub tool: Option<crate::domain::tools::BuiltinTool>,
}

/// The words of one language's version of an entry, checked: what a translation has
/// of its own (the cover, link, tags and tool are the main version's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInput {
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub body_md: String,
    pub status: EntryStatus,
    pub publish_at: Option<i64>,
}

impl VersionInput {
    /// The title, slug, summary, text, status and publication of `form`.
    pub fn parse(form: &EntryForm) -> Result<Self, ValidationError> {
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 160 {
            return Err(ValidationError::new("Enter a title of at most 160 characters."));
        }
        let slug = if form.slug.trim().is_empty() { Slug::from_title(title)? } else { Slug::parse(&form.slug)? };
        let summary = form.summary.trim();
        if summary.chars().count() > 300 {
            return Err(ValidationError::new(
                "Keep the summary to 300 characters: it is what search engines and link previews show.",
            ));
        }
        if form.body_md.len() > 200_000 {
            return Err(ValidationError::new("The text is too long (at most 200,000 characters)."));
        }
        let status =
            EntryStatus::parse(&form.status).ok_or_else(|| ValidationError::new("Choose Draft or Published."))?;
        let publish_at = match form.publish_at.trim() {
            "" => None,
            raw => Some(parse_datetime(raw).ok_or_else(|| {
                ValidationError::new("Enter the publication time as YYYY-MM-DD HH:MM (UTC), or leave it empty for now.")
            })?),
        };
        Ok(Self {
            slug,
            title: title.to_owned(),
            summary: summary.to_owned(),
            body_md: form.body_md.replace("\r\n", "\n"),
            status,
            publish_at,
        })
    }

    /// When it appears: as given, or now when published without a time (a draft keeps
    /// whatever time it was given).
    pub fn publication(&self, now: i64) -> Option<i64> {
        match (self.status, self.publish_at) {
            (_, Some(at)) => Some(at),
            (EntryStatus::Published, None) => Some(now),
            (EntryStatus::Draft, None) => None,
        }
    }
}

impl EntryInput {
    pub fn parse(kind: EntryKind, form: &EntryForm) -> Result<Self, ValidationError> {
        let VersionInput { slug, title, summary, body_md, status, publish_at } = VersionInput::parse(form)?;
        let cover_image = validate_upload_path(&form.cover_image)?;
        let link_url = form.link_url.trim();
        if !link_url.is_empty() && !is_link(link_url) {
            return Err(ValidationError::new(
                "Enter the link as a full address starting with https:// (or a path on this site starting with /).",
            ));
        }
        if kind.needs_link() && link_url.is_empty() {
            return Err(ValidationError::new(format!("A {} needs a link to open.", kind.label().to_lowercase())));
        }
        let tags = parse_tags(&form.tags)?;
        let tool = match form.tool.trim() {
            "" => None,
            _ if kind != EntryKind::Tool => {
                return Err(ValidationError::new("Only a tool page can run a built-in tool."));
            }
            raw => Some(
                crate::domain::tools::BuiltinTool::parse(raw)
                    .ok_or_else(|| ValidationError::new("Choose one of the built-in tools, or none."))?,
            ),
        };
        Ok(Self {
            kind,
            slug,
            title,
            summary,
            body_md,
            cover_image,
            link_url: link_url.to_owned(),
            tags,
            status,
            publish_at,
            tool,
        })
    }
}

fn is_link(url: &str) -> bool {
    let ok_chars = url.chars().all(|c| c.is_ascii_graphic());
    let scheme_ok =
        url.starts_with("https://") || url.starts_with("http://") || (url.starts_with('/') && !url.starts_with("//"));
    ok_chars && scheme_ok && url.len() <= 500
}

/// "Rust, Web  performance" -> ["rust", "web-performance"]: at most 8 distinct tags.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, ValidationError> {
    let mut tags: Vec<String> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let slug = Slug::from_title(part)
            .map_err(|_| ValidationError::new(format!("The tag {part:?} needs at least one letter or digit.")))?;
        if slug.as_str().len() > 40 {
            return Err(ValidationError::new("Keep each tag under 40 characters."));
        }
        if !tags.iter().any(|t| t == slug.as_str()) {
            tags.push(slug.as_str().to_owned());
        }
    }
    if tags.len() > 8 {
        return Err(ValidationError::new("Use at most 8 tags."));
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(title: &str) -> EntryForm {
        EntryForm { title: title.into(), status: "published".into(), ..EntryForm::default() }
    }

    #[test]
    fn an_entry_gets_a_slug_from_its_title_and_clean_tags() {
        let input = EntryInput::parse(
            EntryKind::Post,
            &EntryForm { tags: "Rust, web Performance, rust".into(), ..form("Hello, Wörld!") },
        )
        .unwrap();
        assert_eq!(input.slug.as_str(), "hello-world");
        assert_eq!(input.tags, ["rust", "web-performance"]);
        assert_eq!(input.publish_at, None);
    }

    #[test]
    fn bad_entry_fields_are_refused_with_what_to_change() {
        let err = |f: EntryForm, kind| EntryInput::parse(kind, &f).unwrap_err().0;
        assert!(err(form(""), EntryKind::Post).contains("title"));
        assert!(err(EntryForm { slug: "Not A Slug".into(), ..form("x") }, EntryKind::Post).contains("slug"));
        assert!(err(EntryForm { cover_image: "https://evil.test/x.png".into(), ..form("x") }, EntryKind::Post)
            .contains("/uploads/"));
        assert!(err(EntryForm { link_url: "javascript:alert(1)".into(), ..form("x") }, EntryKind::Demo)
            .contains("https://"));
        assert!(err(form("A demo"), EntryKind::Demo).contains("needs a link"));
        assert!(err(EntryForm { publish_at: "next week".into(), ..form("x") }, EntryKind::Post).contains("YYYY"));
        assert!(err(EntryForm { status: "live".into(), ..form("x") }, EntryKind::Post).contains("Draft"));
    }
}
