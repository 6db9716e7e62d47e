//! Files a downloadable product ships: each with a label and versions, the
//! current one (the latest) served by every download link.

use super::ValidationError;
use serde::{Deserialize, Serialize};

/// One uploaded version of a product file, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileVersion {
    pub id: i64,
    pub seq: i64,
    pub version: String,
    pub original_name: String,
    /// `None` for a file named by hand before uploads existed and not measured yet.
    pub bytes: Option<i64>,
    pub created_at: i64,
    pub changelog_md: String,
    /// When staff pressed "Send update" for this version, and how many buyers it mailed so far.
    pub update: Option<UpdateProgress>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateProgress {
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub mailed: i64,
}

/// A product file with its versions, newest first (the first is the current one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFile {
    pub id: i64,
    pub label: String,
    pub versions: Vec<FileVersion>,
}

impl ProductFile {
    pub fn current(&self) -> Option<&FileVersion> {
        self.versions.first()
    }
}

/// What staff see of a product's files, and the largest upload allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductFiles {
    /// Whether the product is delivered by download link (otherwise files are not used).
    pub for_downloads: bool,
    pub files: Vec<ProductFile>,
    pub max_mb: u64,
}

/// A file of something the member bought: its current version, ready to download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnedFile {
    pub id: i64,
    pub label: String,
    pub version: String,
    pub original_name: String,
    pub bytes: Option<i64>,
    pub created_at: i64,
    /// The changelog, rendered from Markdown and sanitised on the server.
    pub changelog_html: crate::domain::html::TrustedHtml,
}

/// Why an upload was refused; the code travels in the address after a plain form post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadRefusal {
    NoFile,
    TooLarge,
    Label,
    Version,
    Changelog,
    UnknownFile,
    Broken,
    Storage,
}

impl UploadRefusal {
    const ALL: [Self; 8] = [
        Self::NoFile,
        Self::TooLarge,
        Self::Label,
        Self::Version,
        Self::Changelog,
        Self::UnknownFile,
        Self::Broken,
        Self::Storage,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::NoFile => "empty",
            Self::TooLarge => "size",
            Self::Label => "label",
            Self::Version => "version",
            Self::Changelog => "changelog",
            Self::UnknownFile => "file",
            Self::Broken => "broken",
            Self::Storage => "storage",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What staff read, given the largest upload allowed.
    pub fn message(self, max_mb: u64) -> String {
        match self {
            Self::NoFile => "Choose a file to upload (it cannot be empty).".to_owned(),
            Self::TooLarge => {
                format!("The file is larger than {max_mb} MB, the most one upload can be. Nothing was stored.")
            }
            Self::Label => "Give the file a label of one line, at most 80 characters, like “Starter kit”.".to_owned(),
            Self::Version => {
                "Name the version with letters, digits and . - _ + (at most 40), like 1.2.0, or leave it empty."
                    .to_owned()
            }
            Self::Changelog => "Keep the changelog under 20,000 characters.".to_owned(),
            Self::UnknownFile => {
                "That file is not one of this product's files. Reload the page and try again.".to_owned()
            }
            Self::Broken => {
                "The upload was cut off before it finished. Nothing was stored; please try again.".to_owned()
            }
            Self::Storage => {
                "The file could not be stored on our side. Nothing was kept; please try again in a moment.".to_owned()
            }
        }
    }
}

/// A file's label ("Starter kit", "Documentation").
pub fn validate_label(raw: &str) -> Result<String, ValidationError> {
    let label = raw.trim();
    if label.is_empty() {
        return Err(ValidationError::new("Give the file a label, like “Starter kit” or “Documentation”."));
    }
    if label.chars().count() > 80 || label.chars().any(char::is_control) {
        return Err(ValidationError::new("Keep the label to one line of at most 80 characters."));
    }
    Ok(label.to_owned())
}

/// A version's name ("1.2.0", "2026-11"); empty means "number it for me".
pub fn validate_version(raw: &str) -> Result<Option<String>, ValidationError> {
    let version = raw.trim();
    if version.is_empty() {
        return Ok(None);
    }
    let ok = version.chars().count() <= 40
        && version.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | ' '));
    if ok {
        Ok(Some(version.to_owned()))
    } else {
        Err(ValidationError::new("Name the version with letters, digits and . - _ + (at most 40), like 1.2.0."))
    }
}

/// Changelogs are Markdown of a sensible length.
pub fn validate_changelog(raw: &str) -> Result<String, ValidationError> {
    if raw.len() > 20_000 {
        return Err(ValidationError::new("Keep the changelog under 20,000 characters."));
    }
    Ok(raw.trim().to_owned())
}

/// The name a file is saved under on the buyer's machine: the browser's name for
/// the upload without any folder, control characters or quotes; "download" if
/// nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | ';')).take(200).collect::<String>();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() {
        "download".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// `Content-Disposition` for a download: a plain ASCII `filename` every browser
/// reads, and the exact name (RFC 5987) when it is not plain ASCII.
pub fn content_disposition(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_ascii_graphic() || c == ' ') && !name.contains(['"', '\\', '%']);
    if plain {
        return format!("attachment; filename=\"{name}\"");
    }
    let fallback: String =
        name.chars().map(|c| if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%') { c } else { '_' }).collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A size for people: "512 bytes", "3.4 MB".
pub fn size_label(bytes: Option<i64>) -> String {
    let Some(bytes) = bytes else { return "size unknown".to_owned() };
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploaded_names_lose_folders_quotes_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\me\\kit-1.2.zip"), "kit-1.2.zip");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;\r\nc.zip"), "abc.zip");
        assert_eq!(clean_file_name(".."), "download");
        assert_eq!(clean_file_name(""), "download");
    }

    #[test]
    fn non_ascii_names_are_sent_encoded_with_a_plain_fallback() {
        assert_eq!(content_disposition("kit.zip"), "attachment; filename=\"kit.zip\"");
        assert_eq!(
            content_disposition("ikon é.zip"),
            "attachment; filename=\"ikon__.zip\"; filename*=UTF-8''ikon%20%C3%A9.zip"
        );
    }

    #[test]
    fn labels_versions_and_sizes() {
        assert!(validate_label("  ").is_err());
        assert_eq!(validate_label(" Starter kit ").unwrap(), "Starter kit");
        assert_eq!(validate_version("").unwrap(), None);
        assert_eq!(validate_version("1.2.0").unwrap().as_deref(), Some("1.2.0"));
        assert!(validate_version("<b>").is_err());
        assert_eq!(size_label(Some(512)), "512 bytes");
        assert_eq!(size_label(Some(3 * 1024 * 1024 + 400 * 1024)), "3.4 MB");
        assert_eq!(size_label(None), "size unknown");
    }
}
