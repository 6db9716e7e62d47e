//! Images staff upload for the site.

use super::ValidationError;
use serde::{Deserialize, Serialize};

/// An image uploaded by staff: `/uploads/<random>.<ext>`, or nothing.
pub fn validate_upload_path(raw: &str) -> Result<String, ValidationError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(String::new());
    }
    let name = raw.strip_prefix("/uploads/").unwrap_or("");
    let ok = !name.is_empty()
        && name.len() <= 80
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !name.starts_with('.')
        && !name.contains("..");
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(ValidationError::new("Choose an image uploaded under Uploads (its address starts with /uploads/)."))
    }
}

/// An image uploaded by staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub path: String,
    pub content_type: String,
    pub bytes: i64,
    pub original: String,
    pub created_at: i64,
}
