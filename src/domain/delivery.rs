//! How a product is delivered: the kinds, their settings, and where a
//! delivery stands.

use super::text_enum::text_enum;
use super::ValidationError;
use serde::{Deserialize, Serialize};

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

/// Delivery settings, checked against the delivery kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeliveryConfig {
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
    /// `license_key`: keys signed with the studio's Ed25519 key, verifiable offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<bool>,
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
                // The files themselves are uploaded on the product's page (`product_files`).
                let max = raw.max_downloads.unwrap_or(5);
                if !(1..=100).contains(&max) {
                    return Err(ValidationError::new("Downloads per link must be between 1 and 100."));
                }
                Ok(Self { max_downloads: Some(max), ..Self::default() })
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
                Ok(Self {
                    activation_limit: Some(limit),
                    validity_days: raw.validity_days,
                    signed: raw.signed.filter(|s| *s),
                    ..Self::default()
                })
            }
        }
    }
}

/// Something a member owns (a paid order) with its delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedItem {
    pub public_id: String,
    pub product_id: i64,
    pub product_name: String,
    pub delivery_kind: DeliveryKind,
    pub delivery_status: Option<DeliveryStatus>,
    pub detail: String,
    /// What `detail` says, as values for each language's words (empty: its words say it all).
    #[serde(default)]
    pub note: Vec<(String, String)>,
    pub license_key: Option<String>,
    /// A download's files, current versions (filled for the downloads page only).
    #[serde(default)]
    pub files: Vec<super::product_files::OwnedFile>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_files_cannot_escape_the_storage_folder() {
        for bad in ["../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "with space.zip", ""] {
            assert!(validate_storage_path(bad).is_err(), "{bad:?}");
        }
        assert_eq!(validate_storage_path("products/kit-1.2.zip").unwrap(), "products/kit-1.2.zip");
    }
}

/// Where a service (a manual delivery) stands for its buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ServiceStage {
    /// Paid; the studio has the task.
    Received,
    InProgress,
    Delivered,
    /// Access withdrawn (a refund).
    Withdrawn,
}

impl ServiceStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::InProgress => "in_progress",
            Self::Delivered => "delivered",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Received, Self::InProgress, Self::Delivered, Self::Withdrawn].into_iter().find(|s| s.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Received => "Received",
            Self::InProgress => "In progress",
            Self::Delivered => "Delivered",
            Self::Withdrawn => "Withdrawn",
        }
    }
}

/// One step of a service, with the studio's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceUpdate {
    pub stage: ServiceStage,
    pub note: String,
    pub at: i64,
}

/// A service a member bought, where it stands and how it got there (oldest step first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub order_public_id: String,
    pub product_name: String,
    pub paid_at: i64,
    pub stage: ServiceStage,
    pub updates: Vec<ServiceUpdate>,
}

/// A note staff post on a service's progress: 1 to 2,000 characters.
pub fn parse_service_note(raw: &str) -> Result<String, ValidationError> {
    let note = raw.trim();
    if note.is_empty() || note.chars().count() > 2000 {
        return Err(ValidationError::new(
            "Write a note for the customer (up to 2,000 characters): what is happening and what comes next.",
        ));
    }
    Ok(note.to_owned())
}
