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

/// The network an address belongs to, as kept for an activation: IPv4 to its /24,
/// IPv6 to its /48 (no full address is kept).
pub fn network_of(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network_of(std::net::IpAddr::V4(v4)),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0);
                format!("{net}/48")
            }
        },
    }
}

/// One machine a key is active on, as its owner and staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activation {
    pub id: i64,
    /// What the app sent as `instance` (a fingerprint or a machine id).
    pub instance: String,
    /// What the app sent as `name`, if it did.
    pub name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    /// The /24 or /48 it was last seen from (empty if unknown).
    pub last_network: String,
}

impl Activation {
    /// "Ayu's laptop (fp-1)", or the instance alone when the app gave no name.
    pub fn label(&self) -> String {
        if self.name.is_empty() {
            self.instance.clone()
        } else {
            format!("{} ({})", self.name, self.instance)
        }
    }
}

/// A license key with its activations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenseView {
    pub id: i64,
    pub order_public_id: String,
    pub product_name: String,
    pub license_key: String,
    pub activation_limit: i64,
    pub expires_at: Option<i64>,
    pub revoked: bool,
    /// Past `expires_at` when it was read (see [`LicenseView::at`]).
    pub expired: bool,
    pub created_at: i64,
    pub activations: Vec<Activation>,
}

impl LicenseView {
    /// As it stands at `now`.
    pub fn at(mut self, now: i64) -> Self {
        self.expired = self.expires_at.is_some_and(|e| e <= now);
        self
    }

    /// "2 of 3 machines".
    pub fn seats_label(&self) -> String {
        format!("{} of {} machines", self.activations.len(), self.activation_limit)
    }

    /// `Active`, `Revoked` or `Expired`.
    pub fn status_label(&self) -> &'static str {
        if self.revoked {
            "Revoked"
        } else if self.expired {
            "Expired"
        } else {
            "Active"
        }
    }
}

/// An activation limit as staff type it: 1 to 1,000 machines.
pub fn parse_activation_limit(raw: &str) -> Result<i64, ValidationError> {
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err(ValidationError::new("The activation limit is a whole number of machines from 1 to 1,000.")),
    }
}

#[cfg(test)]
mod activation_tests {
    use super::*;

    #[test]
    fn only_the_network_of_an_address_is_kept() {
        assert_eq!(network_of("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(network_of("2001:db8:1234:5678::9".parse().unwrap()), "2001:db8:1234::/48");
        assert_eq!(network_of("::ffff:198.51.100.9".parse().unwrap()), "198.51.100.0/24");
    }

    #[test]
    fn an_activation_limit_is_a_sensible_number_of_machines() {
        assert_eq!(parse_activation_limit(" 5 "), Ok(5));
        for bad in ["0", "-1", "1001", "two", ""] {
            assert!(parse_activation_limit(bad).is_err(), "{bad}");
        }
    }
}
