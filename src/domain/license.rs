//! License keys: `ATL-XXXXX-XXXXX-XXXXX-XXXXX` in Crockford base32 (no I, L, O, U),
//! the last character a check symbol, so a mistyped key is caught before lookup.

use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const BODY: usize = 19;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LicenseKey(String);

fn value(c: char) -> Option<u32> {
    // Crockford decoding: case-insensitive, I/L read as 1, O as 0.
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    ALPHABET.iter().position(|&a| a as char == c).map(|p| p as u32)
}

/// A weighted sum mod 32 with odd (hence invertible) weights: every single-character
/// error changes the check symbol.
fn check_symbol(values: &[u32]) -> char {
    let sum: u32 = values.iter().enumerate().map(|(i, v)| v * (2 * i as u32 + 1)).sum();
    ALPHABET[(sum % 32) as usize] as char
}

fn format(chars: &[char]) -> String {
    let groups: Vec<String> = chars.chunks(5).map(|c| c.iter().collect()).collect();
    format!("ATL-{}", groups.join("-"))
}

impl LicenseKey {
    /// A new key from 19 random bytes (one base32 character each).
    pub fn from_random(random: &[u8; BODY]) -> Self {
        let values: Vec<u32> = random.iter().map(|b| u32::from(b % 32)).collect();
        let mut chars: Vec<char> = values.iter().map(|v| ALPHABET[*v as usize] as char).collect();
        chars.push(check_symbol(&values));
        Self(format(&chars))
    }

    /// Accepts what people paste: any case, spaces or missing hyphens, I/L/O look-alikes.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let invalid =
            || ValidationError::new("That is not a valid license key (it looks like ATL-XXXXX-XXXXX-XXXXX-XXXXX).");
        let cleaned: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let upper = cleaned.to_ascii_uppercase();
        let body = upper.strip_prefix("ATL").ok_or_else(invalid)?;
        let values: Vec<u32> = body.chars().map(value).collect::<Option<_>>().ok_or_else(invalid)?;
        if values.len() != BODY + 1 {
            return Err(invalid());
        }
        let (payload, check) = values.split_at(BODY);
        if ALPHABET[check[0] as usize] as char != check_symbol(payload) {
            return Err(invalid());
        }
        let chars: Vec<char> = values.iter().map(|v| ALPHABET[*v as usize] as char).collect();
        Ok(Self(format(&chars)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LicenseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> LicenseKey {
        LicenseKey::from_random(&[7, 200, 13, 99, 1, 0, 255, 31, 64, 18, 77, 5, 150, 22, 3, 9, 44, 121, 250])
    }

    #[test]
    fn keys_are_readable_and_round_trip() {
        let k = key();
        assert!(k.as_str().starts_with("ATL-"));
        assert_eq!(k.as_str().len(), "ATL-XXXXX-XXXXX-XXXXX-XXXXX".len());
        assert_eq!(LicenseKey::parse(k.as_str()).unwrap(), k);
        let sloppy = k.as_str().to_ascii_lowercase().replace('-', " ");
        assert_eq!(LicenseKey::parse(&sloppy).unwrap(), k);
    }

    #[test]
    fn a_single_typo_is_caught_by_the_check_character() {
        let k = key();
        let chars: Vec<char> = k.as_str().chars().collect();
        for i in 4..chars.len() {
            if chars[i] == '-' {
                continue;
            }
            for &c in ALPHABET {
                let c = c as char;
                if c == chars[i] {
                    continue;
                }
                let mut typo = chars.clone();
                typo[i] = c;
                let typo: String = typo.into_iter().collect();
                assert!(LicenseKey::parse(&typo).is_err(), "{typo}");
            }
        }
    }

    #[test]
    fn garbage_is_refused() {
        for raw in ["", "ATL", "hello", "ATL-UUUUU-UUUUU-UUUUU-UUUUU", "XYZ-00000-00000-00000-00000"] {
            assert!(LicenseKey::parse(raw).is_err(), "{raw}");
        }
    }
}
