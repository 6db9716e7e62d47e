//! Products: kinds, statuses, billing, and the product form staff fill in.

use super::delivery::{DeliveryConfig, DeliveryKind};
use super::text_enum::text_enum;
use super::{Currency, Money, Slug, ValidationError};
use serde::{Deserialize, Serialize};

text_enum!(ProductKind {
    Digital = "digital" / "Digital product",
    Saas = "saas" / "SaaS bundle",
    Service = "service" / "Service",
});

text_enum!(ProductStatus {
    Draft = "draft" / "Draft",
    Active = "active" / "On sale",
    Waitlist = "waitlist" / "Waitlist",
    Archived = "archived" / "Archived",
});

text_enum!(Billing {
    OneTime = "one_time" / "one-time",
    Monthly = "monthly" / "per month",
    Yearly = "yearly" / "per year",
});

/// A product as the catalog pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub slug: String,
    pub kind: ProductKind,
    pub name: String,
    pub summary: String,
    pub description_html: crate::domain::html::TrustedHtml,
    pub status: ProductStatus,
    pub billing: Billing,
    pub price_idr: i64,
    pub price_usd_cents: Option<i64>,
    pub delivery_kind: DeliveryKind,
    /// `/uploads/...`, or empty.
    pub cover_image: String,
    /// More images for the product page, in order.
    pub gallery: Vec<String>,
    /// Shown on the other language's page in the studio's language: it has no published
    /// version in that language (the page says so, and claims no translation).
    #[serde(default)]
    pub fallback: bool,
}

/// Images a product's gallery may hold.
pub const GALLERY_MAX: usize = 8;

impl Product {
    /// "Rp 1.250.000" or "Rp 150.000 per month".
    pub fn price_label(&self) -> String {
        let money = Money { minor: self.price_idr, currency: Currency::Idr };
        match self.billing {
            Billing::OneTime => money.to_string(),
            other => format!("{money} {}", other.label()),
        }
    }

    pub fn usd_label(&self) -> Option<String> {
        self.price_usd_cents.map(|c| Money { minor: c, currency: Currency::Usd }.to_string())
    }

    /// The public address of the product's page.
    pub fn path(&self) -> String {
        match self.kind {
            ProductKind::Digital => format!("/products/{}", self.slug),
            ProductKind::Saas => format!("/saas/{}", self.slug),
            ProductKind::Service => format!("/services/{}", self.slug),
        }
    }
}

/// What staff submit in the product form, checked.
#[derive(Debug, Clone)]
pub struct ProductInput {
    pub slug: Slug,
    pub kind: ProductKind,
    pub name: String,
    pub summary: String,
    pub description_md: String,
    pub status: ProductStatus,
    pub billing: Billing,
    pub price_idr: i64,
    pub price_usd_cents: Option<i64>,
    pub delivery_kind: DeliveryKind,
    pub delivery: DeliveryConfig,
    /// Shown on the home page.
    pub featured: bool,
    pub cover_image: String,
    pub gallery: Vec<String>,
}

/// The raw product form (fields named `form[...]` in the HTML form).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductForm {
    pub slug: String,
    pub kind: String,
    pub name: String,
    pub summary: String,
    pub description_md: String,
    pub status: String,
    pub billing: String,
    pub price_idr: String,
    pub price_usd: String,
    pub delivery_kind: String,
    pub delivery_max_downloads: String,
    pub delivery_repo: String,
    pub delivery_activation_limit: String,
    pub delivery_validity_days: String,
    /// "on" for offline-verifiable (signed) license keys (a checkbox).
    pub delivery_signed: String,
    /// "on" when the home page should show it (a checkbox).
    pub featured: String,
    /// An uploaded image's address (`/uploads/...`).
    pub cover_image: String,
    /// Uploaded images' addresses, one per line.
    pub gallery: String,
}

fn optional_number(raw: &str, what: &str) -> Result<Option<u32>, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>().map(Some).map_err(|_| ValidationError::new(format!("{what} must be a whole number.")))
}

/// A product's name, summary and description (Markdown), checked: the words it has
/// in each language.
fn product_words<'a>(
    name: &'a str,
    summary: &'a str,
    description_md: &str,
) -> Result<(&'a str, &'a str), ValidationError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(ValidationError::new("Enter a product name of at most 120 characters."));
    }
    let summary = summary.trim();
    if summary.chars().count() > 300 {
        return Err(ValidationError::new("Keep the summary to 300 characters."));
    }
    if description_md.len() > 100_000 {
        return Err(ValidationError::new("The description is too long (100,000 characters at most)."));
    }
    Ok((name, summary))
}

/// A product's words in the site's other language: its version there (fields named `form[...]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductVersionForm {
    pub name: String,
    pub summary: String,
    pub description_md: String,
    /// `draft` or `published`.
    pub status: String,
}

/// A product's version, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductVersionInput {
    pub name: String,
    pub summary: String,
    pub description_md: String,
    pub status: crate::domain::content::EntryStatus,
}

impl ProductVersionInput {
    pub fn parse(form: &ProductVersionForm) -> Result<Self, ValidationError> {
        let (name, summary) = product_words(&form.name, &form.summary, &form.description_md)?;
        let status = crate::domain::content::EntryStatus::parse(&form.status)
            .ok_or_else(|| ValidationError::new("Choose Draft or Published."))?;
        Ok(Self {
            name: name.to_owned(),
            summary: summary.to_owned(),
            description_md: form.description_md.replace("\r\n", "\n"),
            status,
        })
    }
}

impl ProductInput {
    pub fn parse(form: &ProductForm) -> Result<Self, ValidationError> {
        let (name, summary) = product_words(&form.name, &form.summary, &form.description_md)?;
        let slug = if form.slug.trim().is_empty() { Slug::from_title(name)? } else { Slug::parse(&form.slug)? };
        let kind = ProductKind::parse(&form.kind)
            .ok_or_else(|| ValidationError::new("Choose what kind of product this is."))?;
        let status = ProductStatus::parse(&form.status).ok_or_else(|| ValidationError::new("Choose a status."))?;
        let billing = Billing::parse(&form.billing).ok_or_else(|| ValidationError::new("Choose how it is billed."))?;
        let price_idr = Money::parse(&form.price_idr, Currency::Idr)?.minor;
        let price_usd_cents = match form.price_usd.trim() {
            "" => None,
            usd => Some(Money::parse(usd, Currency::Usd)?.minor),
        };
        if status == ProductStatus::Active && price_idr == 0 {
            return Err(ValidationError::new("A product on sale needs a price above Rp 0."));
        }
        let delivery_kind = DeliveryKind::parse(&form.delivery_kind)
            .ok_or_else(|| ValidationError::new("Choose how the product is delivered."))?;
        let raw = DeliveryConfig {
            max_downloads: optional_number(&form.delivery_max_downloads, "Downloads per link")?,
            repo: Some(form.delivery_repo.clone()),
            activation_limit: optional_number(&form.delivery_activation_limit, "The activation limit")?,
            validity_days: optional_number(&form.delivery_validity_days, "Validity in days")?,
            signed: Some(matches!(form.delivery_signed.as_str(), "on" | "true" | "1")),
        };
        let delivery = DeliveryConfig::for_kind(delivery_kind, raw)?;
        let cover_image = super::uploads::validate_upload_path(&form.cover_image)?;
        let gallery = form
            .gallery
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(super::uploads::validate_upload_path)
            .collect::<Result<Vec<_>, _>>()?;
        if gallery.len() > GALLERY_MAX {
            return Err(ValidationError::new(format!("A gallery holds at most {GALLERY_MAX} images.")));
        }
        Ok(Self {
            slug,
            kind,
            name: name.to_owned(),
            summary: summary.to_owned(),
            description_md: form.description_md.clone(),
            status,
            billing,
            price_idr,
            price_usd_cents,
            delivery_kind,
            delivery,
            featured: matches!(form.featured.as_str(), "on" | "true" | "1"),
            cover_image,
            gallery,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_github_product_needs_a_repository() {
        let mut form = ProductForm {
            name: "Launch kit".into(),
            kind: "digital".into(),
            status: "active".into(),
            billing: "one_time".into(),
            price_idr: "1.250.000".into(),
            delivery_kind: "github_invite".into(),
            ..ProductForm::default()
        };
        let err = ProductInput::parse(&form).unwrap_err();
        assert!(err.to_string().contains("needs its repository"), "{err}");
        form.delivery_repo = "not a repo".into();
        assert!(ProductInput::parse(&form).is_err());
        form.delivery_repo = "studio/launch-kit".into();
        let input = ProductInput::parse(&form).unwrap();
        assert_eq!(input.slug.as_str(), "launch-kit");
        assert_eq!(input.price_idr, 1_250_000);
        assert_eq!(input.delivery.repo.as_deref(), Some("studio/launch-kit"));
    }

    #[test]
    fn images_come_from_uploads_and_the_gallery_is_small() {
        let mut form = ProductForm {
            name: "Kit".into(),
            kind: "digital".into(),
            status: "draft".into(),
            billing: "one_time".into(),
            price_idr: "1000".into(),
            delivery_kind: "web_access".into(),
            cover_image: " /uploads/cover-1.png ".into(),
            gallery: "/uploads/a.png\n\n  /uploads/b.webp\n".into(),
            ..ProductForm::default()
        };
        let input = ProductInput::parse(&form).unwrap();
        assert_eq!(input.cover_image, "/uploads/cover-1.png");
        assert_eq!(input.gallery, vec!["/uploads/a.png", "/uploads/b.webp"]);
        form.gallery = "https://elsewhere.example/x.png".into();
        assert!(ProductInput::parse(&form).unwrap_err().to_string().contains("Uploads"));
        form.gallery = (0..9).map(|i| format!("/uploads/{i}.png")).collect::<Vec<_>>().join("\n");
        assert!(ProductInput::parse(&form).unwrap_err().to_string().contains("at most 8"));
    }

    #[test]
    fn prices_read_like_a_shop() {
        let p = Product {
            id: 1,
            slug: "s".into(),
            kind: ProductKind::Saas,
            name: "n".into(),
            summary: String::new(),
            description_html: Default::default(),
            status: ProductStatus::Active,
            billing: Billing::Monthly,
            price_idr: 150_000,
            price_usd_cents: Some(999),
            delivery_kind: DeliveryKind::WebAccess,
            cover_image: String::new(),
            gallery: Vec::new(),
            fallback: false,
        };
        assert_eq!(p.price_label(), "Rp 150.000 per month");
        assert_eq!(p.usd_label().as_deref(), Some("US$ 9.99"));
        assert_eq!(p.path(), "/saas/s");
    }
}
