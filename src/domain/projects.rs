//! Client projects and their milestones.

use super::contact::one_line;
use super::text_enum::text_enum;
use super::time::parse_date;
use super::{Currency, Money, ValidationError};
use serde::{Deserialize, Serialize};

text_enum!(ProjectStatus {
    Proposal = "proposal" / "Proposal",
    Active = "active" / "Active",
    OnHold = "on_hold" / "On hold",
    Done = "done" / "Done",
});

text_enum!(MilestoneStatus {
    Planned = "planned" / "Planned",
    InProgress = "in_progress" / "In progress",
    Done = "done" / "Done",
});

fn optional_date(raw: &str, what: &str) -> Result<Option<i64>, ValidationError> {
    match raw.trim() {
        "" => Ok(None),
        raw => parse_date(raw)
            .map(Some)
            .ok_or_else(|| ValidationError::new(format!("Enter the {what} as a date, like 2026-12-31."))),
    }
}

/// A project as staff enter it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectInput {
    pub client_id: i64,
    pub name: String,
    pub description_md: String,
    pub status: ProjectStatus,
    pub starts_on: Option<i64>,
    pub ends_on: Option<i64>,
}

impl ProjectInput {
    pub fn parse(
        client_id: i64,
        name: &str,
        description_md: &str,
        status: &str,
        starts_on: &str,
        ends_on: &str,
    ) -> Result<Self, ValidationError> {
        let name = one_line(name);
        if name.is_empty() || name.chars().count() > 150 {
            return Err(ValidationError::new("Enter the project's name (up to 150 characters)."));
        }
        if description_md.len() > 50_000 {
            return Err(ValidationError::new("Keep the description to 50,000 characters."));
        }
        let status =
            ProjectStatus::parse(status).ok_or_else(|| ValidationError::new("Choose the project's status."))?;
        let (starts_on, ends_on) = (optional_date(starts_on, "start")?, optional_date(ends_on, "end")?);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e < s {
                return Err(ValidationError::new("The end date comes before the start date."));
            }
        }
        Ok(Self { client_id, name, description_md: description_md.to_owned(), status, starts_on, ends_on })
    }
}

/// A milestone as staff enter it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneInput {
    pub title: String,
    pub due_on: Option<i64>,
    pub amount_idr: i64,
}

impl MilestoneInput {
    pub fn parse(title: &str, due_on: &str, amount: &str) -> Result<Self, ValidationError> {
        let title = one_line(title);
        if title.is_empty() || title.chars().count() > 150 {
            return Err(ValidationError::new("Enter the milestone's title (up to 150 characters)."));
        }
        let amount_idr = match amount.trim() {
            "" => 0,
            raw => Money::parse(raw, Currency::Idr)?.minor,
        };
        Ok(Self { title, due_on: optional_date(due_on, "due date")?, amount_idr })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: i64,
    pub title: String,
    pub due_on: Option<i64>,
    pub amount_idr: i64,
    pub status: MilestoneStatus,
}

impl Milestone {
    pub fn amount_label(&self) -> String {
        Money { minor: self.amount_idr, currency: Currency::Idr }.to_string()
    }
}

/// A project with its milestones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub client_id: i64,
    pub client_name: String,
    pub name: String,
    pub description_md: String,
    /// Rendered and sanitised.
    pub description_html: crate::domain::html::TrustedHtml,
    pub status: ProjectStatus,
    pub starts_on: Option<i64>,
    pub ends_on: Option<i64>,
    pub milestones: Vec<Milestone>,
    /// Messages from the other side the reader has not seen (filled for the reader).
    #[serde(default)]
    pub unread: i64,
}

/// A page of projects for staff.
pub type ProjectList = super::pagination::Page<Project>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_and_milestones_are_checked() {
        let p = ProjectInput::parse(1, " Redesign ", "**new** site", "active", "2026-12-01", "2027-02-28").unwrap();
        assert_eq!((p.name.as_str(), p.status), ("Redesign", ProjectStatus::Active));
        assert!(ProjectInput::parse(1, "X", "", "active", "2027-01-01", "2026-01-01")
            .unwrap_err()
            .to_string()
            .contains("before"));
        assert!(ProjectInput::parse(1, "X", "", "someday", "", "").is_err());
        let m = MilestoneInput::parse("Design", "2026-12-15", "15.000.000").unwrap();
        assert_eq!(m.amount_idr, 15_000_000);
        assert!(MilestoneInput::parse("", "", "").is_err());
        assert!(MilestoneInput::parse("Build", "soon", "").is_err());
    }
}
