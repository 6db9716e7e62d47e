//! Messages from the contact form.

use super::{Email, ValidationError};
use serde::{Deserialize, Serialize};

/// One line of text as typed: control characters (NUL, ESC, CR, LF, ...) removed,
/// so a name cannot break a mail header, a CSV row or a terminal; whitespace trimmed.
pub fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned()
}

/// A message from the contact form, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactInput {
    pub name: String,
    pub email: Email,
    pub subject: String,
    pub message: String,
}

impl ContactInput {
    pub fn parse(name: &str, email: &str, subject: &str, message: &str) -> Result<Self, ValidationError> {
        let name = one_line(name);
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ValidationError::new("Tell us your name (up to 100 characters)."));
        }
        let email = Email::parse(email)?;
        let subject = one_line(subject);
        if subject.chars().count() > 150 {
            return Err(ValidationError::new("Keep the subject under 150 characters."));
        }
        // Line breaks and tabs stay in a message; other control characters go.
        let message: String = message.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
        let message = message.trim();
        if message.chars().count() < 10 {
            return Err(ValidationError::new("Write a message of at least 10 characters, so we know how to help."));
        }
        if message.chars().count() > 5000 {
            return Err(ValidationError::new("Keep the message under 5,000 characters."));
        }
        Ok(Self { name, email, subject, message: message.to_owned() })
    }
}

/// A contact message in the staff inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMessage {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub subject: String,
    pub message: String,
    pub created_at: i64,
    pub handled_at: Option<i64>,
    pub handled_by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::waitlist::WaitlistSignup;

    #[test]
    fn names_and_subjects_lose_control_characters_messages_keep_their_lines() {
        let signup = WaitlistSignup::parse("a@example.com", " Ana\r\nBcc: x@evil.example\u{1b}[31m ").unwrap();
        assert_eq!(signup.name, "AnaBcc: x@evil.example[31m");
        let contact =
            ContactInput::parse("Bo\0b", "b@example.com", "Hi\nthere", "Line one\nline two\u{7}\tend").unwrap();
        assert_eq!((contact.name.as_str(), contact.subject.as_str()), ("Bob", "Hithere"));
        assert_eq!(contact.message, "Line one\nline two\tend");
        assert!(
            ContactInput::parse("\u{0}\u{1}", "b@example.com", "", "long enough message").is_err(),
            "an empty name"
        );
    }

    #[test]
    fn contact_and_waitlist_input_is_checked() {
        assert!(ContactInput::parse("Ana", "ana@example.com", "", "Hello there, we need a site.").is_ok());
        assert!(ContactInput::parse("", "ana@example.com", "", "Hello there").is_err());
        assert!(ContactInput::parse("Ana", "not-an-email", "", "Hello there, friends").is_err());
        assert!(ContactInput::parse("Ana", "ana@example.com", "", "hi").is_err());
        assert!(WaitlistSignup::parse("nope", "").is_err());
        assert_eq!(WaitlistSignup::parse(" Ana@Example.com ", " Ana ").unwrap().name, "Ana");
    }
}
