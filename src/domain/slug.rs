use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A URL path segment: lower-case ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ValidationError::new("Enter a slug (the last part of the page's address)."));
        }
        if raw.len() > Self::MAX_LEN {
            return Err(ValidationError::new(format!("A slug can be at most {} characters.", Self::MAX_LEN)));
        }
        let ok = raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if !ok {
            return Err(ValidationError::new(
                "A slug may contain only lower-case letters, digits and single hyphens, like \"launch-kit-2\".",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// Derives a slug from a title: "Hello, Wörld!" -> "hello-world".
    pub fn from_title(title: &str) -> Result<Self, ValidationError> {
        let mut out = String::with_capacity(title.len());
        for c in title.chars().flat_map(fold_accent) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        let trimmed: String = out.trim_end_matches('-').chars().take(Self::MAX_LEN).collect();
        Self::parse(trimmed.trim_end_matches('-'))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn fold_accent(c: char) -> Option<char> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        '\'' | '’' => return None,
        other => other,
    })
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Slug {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_readable_slugs() {
        assert_eq!(Slug::from_title("Hello, Wörld! It's 2026").unwrap().as_str(), "hello-world-its-2026");
    }

    #[test]
    fn refuses_slugs_that_would_make_odd_urls() {
        for raw in ["", "Upper", "with space", "-lead", "trail-", "double--dash", "../etc", "emoji-✨"] {
            assert!(Slug::parse(raw).is_err(), "{raw:?} should be refused");
        }
        assert!(Slug::parse("launch-kit-2").is_ok());
    }
}
