//! The catalog and orders: kinds, prices, delivery settings, and the order
//! status machine that never moves backwards.

use super::{Currency, Money, Slug, ValidationError};
use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $text),+ } }
            /// In words for people.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(raw: &str) -> Option<Self> { match raw { $($text => Some($name::$variant),)+ _ => None } }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
pub(crate) use text_enum;

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

text_enum!(DeliveryKind {
    WebAccess = "web_access" / "Access in the dashboard",
    EmailFile = "email_file" / "Download link by email",
    GithubInvite = "github_invite" / "Invitation to a private GitHub repository",
    LicenseKey = "license_key" / "License key",
    Manual = "manual" / "Prepared by the studio",
});

text_enum!(
    /// Where an order's delivery stands.
    DeliveryStatus {
    Pending = "pending" / "being prepared",
    Delivered = "delivered" / "delivered",
    Failed = "failed" / "failed",
    Revoked = "revoked" / "withdrawn",
});

text_enum!(
    /// Where a background job stands.
    JobStatus {
    Queued = "queued" / "queued",
    Running = "running" / "running",
    Done = "done" / "done",
    Dead = "dead" / "dead",
});

text_enum!(Gateway {
    Midtrans = "midtrans" / "Midtrans",
    Paypal = "paypal" / "PayPal",
    Sandbox = "sandbox" / "Sandbox (test payments)",
});

text_enum!(
    /// Where an order stands. See [`OrderStatus::can_become`].
    OrderStatus {
        Pending = "pending" / "Waiting for payment",
        Paid = "paid" / "Paid",
        Failed = "failed" / "Payment failed",
        Expired = "expired" / "Payment window expired",
        Cancelled = "cancelled" / "Cancelled",
        Refunded = "refunded" / "Refunded",
    }
);

impl OrderStatus {
    /// The only moves an order can make. Repeated or late notifications can
    /// never un-pay an order, pay it twice, or revive a refunded one. A payment
    /// that arrives after a failure/expiry still counts: money received wins.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Pending, Paid | Failed | Expired | Cancelled) | (Failed | Expired | Cancelled, Paid) | (Paid, Refunded)
        )
    }

    /// Statuses an order may be in to move to `next`.
    pub fn sources_of(next: OrderStatus) -> Vec<OrderStatus> {
        OrderStatus::ALL.iter().copied().filter(|s| s.can_become(next)).collect()
    }

    /// What happens next, for the buyer.
    pub fn next_step(self) -> &'static str {
        match self {
            Self::Pending => {
                "We are waiting for the payment provider to confirm your payment. This page updates when it does."
            }
            Self::Paid => {
                "Your payment is confirmed. What you bought is being delivered; you will get an email when it is ready."
            }
            Self::Failed => {
                "The payment did not go through and nothing was charged. You can try again from the product page."
            }
            Self::Expired => {
                "The payment window closed before the payment arrived. You can start a new order from the product page."
            }
            Self::Cancelled => "This order was cancelled. Nothing was charged.",
            Self::Refunded => "This order was refunded and its access has been withdrawn.",
        }
    }
}

/// Delivery settings, checked against the delivery kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeliveryConfig {
    /// `email_file`: the file's path inside the private storage folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// `email_file`: how many times one link may be used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_downloads: Option<u32>,
    /// `github_invite`: `owner/repo`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// `license_key`: how many machines may activate one key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation_limit: Option<u32>,
    /// `license_key`: days a key stays valid (none: forever).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity_days: Option<u32>,
}

pub fn validate_repo(raw: &str) -> Result<String, ValidationError> {
    let raw = raw.trim();
    let msg = || ValidationError::new("Enter the GitHub repository as owner/repo, like studio/launch-kit.");
    let (owner, repo) = raw.split_once('/').ok_or_else(msg)?;
    let owner_ok = !owner.is_empty()
        && owner.len() <= 39
        && owner.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !owner.starts_with('-');
    let repo_ok = !repo.is_empty()
        && repo.len() <= 100
        && repo.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && repo != "."
        && repo != "..";
    if owner_ok && repo_ok {
        Ok(raw.to_owned())
    } else {
        Err(msg())
    }
}

/// A path inside the storage folder: relative, no `..`, plain characters.
pub fn validate_storage_path(raw: &str) -> Result<String, ValidationError> {
    let raw = raw.trim();
    let ok = !raw.is_empty()
        && raw.len() <= 200
        && !raw.starts_with('/')
        && raw.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != "..")
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(ValidationError::new(
            "Enter the file's path inside the storage folder, like products/launch-kit-1.2.zip (letters, digits, . _ - /).",
        ))
    }
}

impl DeliveryConfig {
    /// Keeps only the settings of `kind`, checking that the required ones are there.
    pub fn for_kind(kind: DeliveryKind, raw: DeliveryConfig) -> Result<Self, ValidationError> {
        match kind {
            DeliveryKind::WebAccess | DeliveryKind::Manual => Ok(Self::default()),
            DeliveryKind::EmailFile => {
                let file = raw.file.as_deref().filter(|f| !f.trim().is_empty()).ok_or_else(|| {
                    ValidationError::new("A product delivered by download link needs the file to send.")
                })?;
                let max = raw.max_downloads.unwrap_or(5);
                if !(1..=100).contains(&max) {
                    return Err(ValidationError::new("Downloads per link must be between 1 and 100."));
                }
                Ok(Self { file: Some(validate_storage_path(file)?), max_downloads: Some(max), ..Self::default() })
            }
            DeliveryKind::GithubInvite => {
                let repo = raw.repo.as_deref().filter(|r| !r.trim().is_empty()).ok_or_else(|| {
                    ValidationError::new("A product delivered by GitHub invite needs its repository (owner/repo).")
                })?;
                Ok(Self { repo: Some(validate_repo(repo)?), ..Self::default() })
            }
            DeliveryKind::LicenseKey => {
                let limit = raw.activation_limit.unwrap_or(1);
                if !(1..=1000).contains(&limit) {
                    return Err(ValidationError::new("The activation limit must be between 1 and 1000."));
                }
                if raw.validity_days.is_some_and(|d| !(1..=3650).contains(&d)) {
                    return Err(ValidationError::new(
                        "Validity must be between 1 and 3650 days (leave it empty for keys that never expire).",
                    ));
                }
                Ok(Self { activation_limit: Some(limit), validity_days: raw.validity_days, ..Self::default() })
            }
        }
    }
}

/// A product as the catalog pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub slug: String,
    pub kind: ProductKind,
    pub name: String,
    pub summary: String,
    pub description_html: String,
    pub status: ProductStatus,
    pub billing: Billing,
    pub price_idr: i64,
    pub price_usd_cents: Option<i64>,
    pub delivery_kind: DeliveryKind,
}

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
    pub delivery_file: String,
    pub delivery_max_downloads: String,
    pub delivery_repo: String,
    pub delivery_activation_limit: String,
    pub delivery_validity_days: String,
    /// "on" when the home page should show it (a checkbox).
    pub featured: String,
}

fn optional_number(raw: &str, what: &str) -> Result<Option<u32>, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>().map(Some).map_err(|_| ValidationError::new(format!("{what} must be a whole number.")))
}

impl ProductInput {
    pub fn parse(form: &ProductForm) -> Result<Self, ValidationError> {
        let name = form.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(ValidationError::new("Enter a product name of at most 120 characters."));
        }
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
        let summary = form.summary.trim();
        if summary.chars().count() > 300 {
            return Err(ValidationError::new("Keep the summary to 300 characters."));
        }
        if form.description_md.len() > 100_000 {
            return Err(ValidationError::new("The description is too long (100,000 characters at most)."));
        }
        let delivery_kind = DeliveryKind::parse(&form.delivery_kind)
            .ok_or_else(|| ValidationError::new("Choose how the product is delivered."))?;
        let raw = DeliveryConfig {
            file: Some(form.delivery_file.clone()),
            max_downloads: optional_number(&form.delivery_max_downloads, "Downloads per link")?,
            repo: Some(form.delivery_repo.clone()),
            activation_limit: optional_number(&form.delivery_activation_limit, "The activation limit")?,
            validity_days: optional_number(&form.delivery_validity_days, "Validity in days")?,
        };
        let delivery = DeliveryConfig::for_kind(delivery_kind, raw)?;
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
        })
    }
}

/// An order as its buyer (and staff) see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub public_id: String,
    pub product_name: String,
    pub product_path: String,
    pub amount: i64,
    pub currency: String,
    pub gateway: Gateway,
    pub status: OrderStatus,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub buyer_email: String,
    pub delivery_kind: DeliveryKind,
    /// `pending`, `delivered`, `failed`, `revoked`, or none yet.
    pub delivery_status: Option<DeliveryStatus>,
    pub delivery_detail: String,
    pub events: Vec<OrderEventView>,
}

impl OrderView {
    pub fn amount_label(&self) -> String {
        let currency = Currency::parse(&self.currency).unwrap_or(Currency::Idr);
        Money { minor: self.amount, currency }.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderEventView {
    pub at: i64,
    pub gateway: String,
    pub outcome: String,
    pub applied: bool,
    pub note: String,
    /// The provider's raw payload: staff only (empty for buyers).
    pub raw: String,
}

impl OrderEventView {
    /// The event in plain words.
    pub fn describe(&self) -> String {
        let what = match self.outcome.as_str() {
            "paid" => "Payment confirmed",
            "pending" => "Payment started, waiting for confirmation",
            "failed" => "Payment declined",
            "expired" => "Payment window expired",
            "cancelled" => "Payment cancelled",
            "refunded" => "Refund issued",
            "rejected" => "Notification rejected (it did not match this order)",
            "created" => "Order created",
            other => other,
        };
        if self.applied || self.outcome == "created" {
            what.to_owned()
        } else {
            format!("{what} (already recorded; no change)")
        }
    }
}

/// Something a member owns (a paid order) with its delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedItem {
    pub public_id: String,
    pub product_name: String,
    pub delivery_kind: DeliveryKind,
    pub delivery_status: Option<DeliveryStatus>,
    pub detail: String,
    pub license_key: Option<String>,
}

impl OwnedItem {
    /// Where the delivery stands, in words for the member.
    pub fn state_label(&self) -> &'static str {
        match (self.delivery_status, self.delivery_kind) {
            (Some(DeliveryStatus::Delivered), _) => "Ready",
            (Some(DeliveryStatus::Revoked), _) => "Withdrawn",
            (Some(DeliveryStatus::Pending) | None, DeliveryKind::Manual) => "Being prepared",
            _ => "On its way",
        }
    }
}

/// A background job as staff see it in `/admin/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub status: JobStatus,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: i64,
    pub last_error: Option<String>,
}

/// Jobs of one kind waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindDepth {
    pub kind: String,
    /// Due now.
    pub due: i64,
    /// Scheduled for later (retries, periodic checks).
    pub scheduled: i64,
    pub dead: i64,
}

/// The job queue at a glance, for `/admin/jobs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobsOverview {
    /// Workers in the pool (`JOB_WORKERS`).
    pub workers: u32,
    /// Running now: (job id, kind, seconds since it started).
    pub running: Vec<(i64, String, i64)>,
    pub depth: Vec<KindDepth>,
    /// How long the oldest due job has waited, in seconds.
    pub oldest_wait_secs: Option<i64>,
    pub jobs: Vec<JobView>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrderStatus::*;

    #[test]
    fn an_order_never_moves_backwards() {
        assert!(Pending.can_become(Paid));
        assert!(Paid.can_become(Refunded));
        assert!(Expired.can_become(Paid), "money that arrives late still counts");
        for s in OrderStatus::ALL {
            assert!(!Paid.can_become(*s) || *s == Refunded, "paid -> {s}");
            assert!(!Refunded.can_become(*s), "refunded -> {s}");
            assert!(!s.can_become(Pending), "{s} -> pending");
        }
        assert!(!Failed.can_become(Refunded));
    }

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
    fn delivery_files_cannot_escape_the_storage_folder() {
        for bad in ["../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "with space.zip", ""] {
            assert!(validate_storage_path(bad).is_err(), "{bad:?}");
        }
        assert_eq!(validate_storage_path("products/kit-1.2.zip").unwrap(), "products/kit-1.2.zip");
    }

    #[test]
    fn prices_read_like_a_shop() {
        let p = Product {
            id: 1,
            slug: "s".into(),
            kind: ProductKind::Saas,
            name: "n".into(),
            summary: String::new(),
            description_html: String::new(),
            status: ProductStatus::Active,
            billing: Billing::Monthly,
            price_idr: 150_000,
            price_usd_cents: Some(999),
            delivery_kind: DeliveryKind::WebAccess,
        };
        assert_eq!(p.price_label(), "Rp 150.000 per month");
        assert_eq!(p.usd_label().as_deref(), Some("$9.99"));
        assert_eq!(p.path(), "/saas/s");
    }
}
