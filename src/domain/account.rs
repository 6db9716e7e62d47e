use super::{Email, Role, ValidationError};
use serde::{Deserialize, Serialize};

pub const PASSWORD_MIN: usize = 10;
pub const PASSWORD_MAX: usize = 200;
pub const NAME_MAX: usize = 100;

/// The signed-in person, as pages and server functions see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub verified: bool,
    /// The language they read (their mail is written in it).
    pub lang: super::Lang,
}

/// The three private areas of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    Dashboard,
    Client,
    Admin,
}

/// Whether someone may enter an area, and if not, what they should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allowed,
    SignIn,
    VerifyEmail,
    Forbidden,
}

/// Who may enter an area. Someone signed in to an account whose address was never
/// confirmed reaches no area at all (only `/verify-email`): whatever role the account
/// was given, its password was chosen by someone who never proved the mailbox.
pub fn access(area: Area, viewer: Option<&Viewer>) -> Access {
    let Some(viewer) = viewer else { return Access::SignIn };
    if !viewer.verified {
        return Access::VerifyEmail;
    }
    match area {
        Area::Dashboard => Access::Allowed,
        Area::Client if viewer.role == Role::Client => Access::Allowed,
        Area::Admin if viewer.role == Role::Staff => Access::Allowed,
        Area::Client | Area::Admin => Access::Forbidden,
    }
}

/// A `next=` target is followed only if it is a path on this site.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    local.then(|| next.to_owned())
}

/// What the sign-in page says when Sign in with Google did not sign someone in
/// (`/login?error=google_…`).
pub fn google_refusal_message(code: &str) -> Option<&'static str> {
    Some(match code {
        "google_expired" => "That Google sign-in expired or was already used. Please start again.",
        "google_state" => {
            "That Google sign-in did not come from this browser, so it was stopped. Please start again here."
        }
        "google_cancelled" => "Google sign-in was cancelled.",
        "google_failed" => "Google sign-in did not work this time. Please try again, or sign in with your password.",
        "google_unverified" => {
            "Your Google account's email address is not verified, so it cannot sign you in. Verify it with \
             Google, or sign in with your password."
        }
        "google_staff" => "Staff accounts sign in with their password only.",
        "google_taken" => "That Google account is already linked to another account here.",
        "google_disabled" => "This account is disabled. Write to the studio if you think this is a mistake.",
        _ => return None,
    })
}

/// A path (or any text) as one query-string value (RFC 3986 unreserved characters and `/` stay).
pub fn query_value(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn validate_name(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ValidationError::new("Enter your name."));
    }
    if name.chars().count() > NAME_MAX {
        return Err(ValidationError::new(format!("Your name can be at most {NAME_MAX} characters.")));
    }
    if name.chars().any(char::is_control) {
        return Err(ValidationError::new("Your name cannot contain control characters."));
    }
    Ok(name.to_owned())
}

/// A GitHub username: 1-39 letters, digits or single hyphens, not at either end.
pub fn validate_github_username(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim().trim_start_matches('@');
    let ok = !name.is_empty()
        && name.len() <= 39
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        Ok(name.to_owned())
    } else {
        Err(ValidationError::new("Enter your GitHub username, like octocat (letters, digits and single hyphens)."))
    }
}

/// A new password and its confirmation.
pub fn validate_new_password(password: &str, confirm: &str) -> Result<(), ValidationError> {
    let len = password.chars().count();
    if len < PASSWORD_MIN {
        return Err(ValidationError::new(format!("Choose a password of at least {PASSWORD_MIN} characters.")));
    }
    if len > PASSWORD_MAX {
        return Err(ValidationError::new(format!("A password can be at most {PASSWORD_MAX} characters.")));
    }
    if password.trim().is_empty() {
        return Err(ValidationError::new("A password cannot be only spaces."));
    }
    if password != confirm {
        return Err(ValidationError::new("The two passwords do not match."));
    }
    Ok(())
}

/// What the registration form sends, checked.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub name: String,
    pub email: Email,
    pub password: String,
}

impl NewAccount {
    pub fn parse(name: &str, email: &str, password: &str, confirm: &str) -> Result<Self, ValidationError> {
        let name = validate_name(name)?;
        let email = Email::parse(email)?;
        validate_new_password(password, confirm)?;
        Ok(Self { name, email, password: password.to_owned() })
    }
}

/// The signed-in person of a page request, loaded once by the page middleware
/// (`web::guard::load_viewer_for_pages`) and kept in the request's extensions, where
/// pages, server functions and the page cache read it.
#[derive(Clone, Debug)]
pub struct RequestViewer(pub Option<crate::domain::Viewer>);

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer(role: Role, verified: bool) -> Viewer {
        Viewer {
            id: 1,
            name: "Ana".into(),
            email: "ana@example.com".into(),
            role,
            verified,
            lang: super::super::Lang::En,
        }
    }

    #[test]
    fn each_area_admits_only_its_people() {
        assert_eq!(access(Area::Dashboard, None), Access::SignIn);
        assert_eq!(access(Area::Dashboard, Some(&viewer(Role::Member, false))), Access::VerifyEmail);
        assert_eq!(access(Area::Dashboard, Some(&viewer(Role::Member, true))), Access::Allowed);
        assert_eq!(access(Area::Client, Some(&viewer(Role::Member, true))), Access::Forbidden);
        assert_eq!(access(Area::Client, Some(&viewer(Role::Client, true))), Access::Allowed);
        assert_eq!(access(Area::Admin, Some(&viewer(Role::Client, true))), Access::Forbidden);
        assert_eq!(access(Area::Admin, Some(&viewer(Role::Staff, true))), Access::Allowed);
    }

    #[test]
    fn next_only_leads_to_local_paths() {
        assert_eq!(safe_next(Some("/dashboard/orders?page=2")).as_deref(), Some("/dashboard/orders?page=2"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "dashboard",
            "/x\r\nLocation: y",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
    }

    #[test]
    fn passwords_need_length_and_a_matching_confirmation() {
        assert!(validate_new_password("short", "short").is_err());
        assert_eq!(
            validate_new_password("long enough pw", "long enough px").unwrap_err().to_string(),
            "The two passwords do not match."
        );
        assert!(validate_new_password("          ", "          ").is_err());
        assert!(validate_new_password("long enough pw", "long enough pw").is_ok());
    }

    #[test]
    fn areas_are_found_by_path_prefix() {
        assert_eq!(Area::of_path("/admin/posts"), Some(Area::Admin));
        assert_eq!(Area::of_path("/clients"), None);
    }
}
