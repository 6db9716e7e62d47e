//! What a client project delivers and says: deliverables (files in versions,
//! reviewed by the client, some released only once paid) and the message thread.

use super::contact::one_line;
use super::text_enum::text_enum;
use super::ValidationError;
use serde::{Deserialize, Serialize};

text_enum!(DeliverableStatus {
    InReview = "in_review" / "Waiting for review",
    Approved = "approved" / "Approved",
    ChangesRequested = "changes_requested" / "Changes requested",
});

/// What a client can answer about a deliverable's latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Approve,
    /// With what should change.
    RequestChanges(String),
}

impl Review {
    pub fn parse(decision: &str, comment: &str) -> Result<Self, ValidationError> {
        let comment = comment.trim();
        if comment.chars().count() > 2_000 {
            return Err(ValidationError::new("Keep the comment to 2,000 characters."));
        }
        match decision {
            "approve" => Ok(Self::Approve),
            "changes" if comment.is_empty() => {
                Err(ValidationError::new("Say what should change, so the studio can work on it."))
            }
            "changes" => Ok(Self::RequestChanges(comment.to_owned())),
            _ => Err(ValidationError::new("Choose Approve or Request changes.")),
        }
    }

    pub fn status(&self) -> DeliverableStatus {
        match self {
            Self::Approve => DeliverableStatus::Approved,
            Self::RequestChanges(_) => DeliverableStatus::ChangesRequested,
        }
    }
}

/// A deliverable's title as staff type it.
pub fn validate_title(raw: &str) -> Result<String, ValidationError> {
    let title = one_line(raw);
    if title.is_empty() || title.chars().count() > 150 {
        return Err(ValidationError::new("Give the deliverable a title (up to 150 characters)."));
    }
    Ok(title)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverableVersion {
    pub id: i64,
    pub seq: i64,
    pub original_name: String,
    pub bytes: i64,
    pub note: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEntry {
    pub version_seq: i64,
    pub status: DeliverableStatus,
    pub comment: String,
    pub by: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deliverable {
    pub id: i64,
    pub project_id: i64,
    pub milestone_id: Option<i64>,
    pub milestone: Option<String>,
    pub title: String,
    pub release_when_paid: bool,
    pub status: DeliverableStatus,
    /// Newest first.
    pub versions: Vec<DeliverableVersion>,
    /// Newest first.
    pub reviews: Vec<ReviewEntry>,
    /// Why the client cannot download it yet (None: they can).
    pub locked: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub id: i64,
    pub original_name: String,
    pub bytes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub author: String,
    pub from_staff: bool,
    /// Rendered and sanitised.
    pub body_html: crate::domain::html::TrustedHtml,
    pub created_at: i64,
    pub attachments: Vec<Attachment>,
    /// Not yet seen by the person reading the thread.
    pub unread: bool,
}

/// One page of a project's thread, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Thread {
    pub messages: Vec<Message>,
    /// The older page: the messages before this id (`?before=`), when there are any.
    pub older: Option<i64>,
    /// The newer page, when this is not the newest: `Some(Some(id))` the messages
    /// before `id`, `Some(None)` the newest page.
    pub newer: Option<Option<i64>>,
}

impl Thread {
    /// The address (query) of the older and newer pages of the thread at `page`.
    pub fn links(&self, page: &str) -> (Option<String>, Option<String>) {
        let older = self.older.map(|id| format!("{page}?before={id}#messages"));
        let newer = self.newer.map(|next| match next {
            Some(id) => format!("{page}?before={id}#messages"),
            None => format!("{page}#messages"),
        });
        (older, newer)
    }
}

/// A message's text as typed: Markdown, up to 20,000 characters.
pub fn validate_message(raw: &str) -> Result<String, ValidationError> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(ValidationError::new("Write a message."));
    }
    if body.chars().count() > 20_000 {
        return Err(ValidationError::new("Keep a message to 20,000 characters."));
    }
    Ok(body.replace("\r\n", "\n"))
}

/// What the person reads for a refused upload or message, by the code in the
/// address the form returns to, given the largest file allowed (MB).
pub fn refusal_message(code: &str, max_mb: u64) -> String {
    match code {
        "title" => "Give the deliverable a title (up to 150 characters).".to_owned(),
        "milestone" => "Choose one of this project's milestones (needed to release it when paid).".to_owned(),
        "message" => "Write a message (up to 20,000 characters).".to_owned(),
        "file" => "That deliverable is not this project's.".to_owned(),
        "changelog" => "Keep the note to 2,000 characters.".to_owned(),
        code => super::product_files::UploadRefusal::parse(code)
            .map(|r| r.message(max_mb))
            .unwrap_or_else(|| "That did not work: please try again.".to_owned()),
    }
}

/// "1.2 MB", "340 KB", "12 bytes".
pub fn size_label(bytes: i64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1_000_000.0),
        b if b >= 1_000 => format!("{} KB", b / 1_000),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_asking_for_changes_says_which() {
        assert_eq!(Review::parse("approve", "").unwrap(), Review::Approve);
        assert!(Review::parse("changes", "  ").unwrap_err().to_string().contains("what should change"));
        assert_eq!(Review::parse("changes", " Bigger logo ").unwrap(), Review::RequestChanges("Bigger logo".into()));
        assert!(Review::parse("maybe", "").is_err());
        assert!(validate_title(" ").is_err());
        assert!(validate_message("\n").is_err());
        assert_eq!(validate_message("hi\r\nthere").unwrap(), "hi\nthere");
        assert_eq!(
            (size_label(1_500_000), size_label(2_048), size_label(12)),
            ("1.5 MB".into(), "2 KB".into(), "12 bytes".into())
        );
    }
}
