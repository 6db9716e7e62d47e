//! Offline-verifiable license keys: a small payload and its Ed25519 signature in
//! one copy-pasteable line, `ATLS1.<payload>.<signature>` (both base64url without
//! padding). The payload is JSON: `{"v":1,"product":"pipeline","kid":"…",
//! "iat":1795453199,"exp":null,"act":3}`. The signature covers the text before the
//! last dot (`ATLS1.<payload>`), so any app can check a key with the studio's
//! public key alone (README shows Rust, JavaScript and Python). The same key
//! signs the revocation list.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

pub const PREFIX: &str = "ATLS1.";

/// What a signed key says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub v: u8,
    /// The product's slug.
    pub product: String,
    /// The key's id (what the revocation list names).
    pub kid: String,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires at (Unix seconds), or never.
    pub exp: Option<i64>,
    /// Machines it may be activated on.
    pub act: u32,
}

/// Why a key does not verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Invalid {
    #[error("this is not a signed license key")]
    Malformed,
    #[error("the signature does not match: the key was changed or is not ours")]
    BadSignature,
}

/// The studio's signing key.
#[derive(Clone)]
pub struct LicenseSigner {
    key: SigningKey,
}

impl std::fmt::Debug for LicenseSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LicenseSigner(public {})", self.public_key())
    }
}

impl LicenseSigner {
    /// From a 32-byte seed (base64url, standard base64 or hex, as `LICENSE_SIGNING_KEY` or the database keeps it).
    pub fn from_seed_text(text: &str) -> Option<Self> {
        let seed = crate::server::config::seed_from_text(text)?;
        Some(Self { key: SigningKey::from_bytes(&seed) })
    }

    /// A new random key, and its seed as kept in the database.
    pub fn generate() -> Result<(Self, String), getrandom::Error> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)?;
        Ok((Self { key: SigningKey::from_bytes(&seed) }, B64.encode(seed)))
    }

    /// The public key, base64url (32 bytes).
    pub fn public_key(&self) -> String {
        B64.encode(self.key.verifying_key().to_bytes())
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// A signed key for `claims`.
    pub fn issue(&self, claims: &Claims) -> String {
        let payload = serde_json::to_vec(claims).expect("claims serialise");
        let signed = format!("{PREFIX}{}", B64.encode(payload));
        let signature = self.key.sign(signed.as_bytes());
        format!("{signed}.{}", B64.encode(signature.to_bytes()))
    }

    /// `text` signed: `(payload, signature)` both base64url, the signature over the payload text.
    pub fn sign_document(&self, document: &[u8]) -> (String, String) {
        let payload = B64.encode(document);
        let signature = self.key.sign(payload.as_bytes());
        (payload, B64.encode(signature.to_bytes()))
    }
}

/// Whether `raw` looks like a signed key (and not a classic `ATL-…` one).
pub fn is_signed_key(raw: &str) -> bool {
    raw.trim().starts_with(PREFIX)
}

/// Checks a signed key with `public` alone: its claims, or why not.
pub fn verify(public: &VerifyingKey, raw: &str) -> Result<Claims, Invalid> {
    let raw = raw.trim();
    let (signed, signature) = raw.rsplit_once('.').ok_or(Invalid::Malformed)?;
    let payload = signed.strip_prefix(PREFIX).ok_or(Invalid::Malformed)?;
    let signature: [u8; 64] = B64.decode(signature).ok().and_then(|s| s.try_into().ok()).ok_or(Invalid::Malformed)?;
    public.verify(signed.as_bytes(), &Signature::from_bytes(&signature)).map_err(|_| Invalid::BadSignature)?;
    let payload = B64.decode(payload).map_err(|_| Invalid::Malformed)?;
    serde_json::from_slice(&payload).map_err(|_| Invalid::Malformed)
}

/// Checks a signed document (the revocation list): its bytes, if `signature` is ours over `payload`.
pub fn verify_document(public: &VerifyingKey, payload: &str, signature: &str) -> Option<Vec<u8>> {
    let signature: [u8; 64] = B64.decode(signature).ok()?.try_into().ok()?;
    public.verify(payload.as_bytes(), &Signature::from_bytes(&signature)).ok()?;
    B64.decode(payload).ok()
}

/// A public key given as base64url/base64 text.
pub fn public_key_from_text(text: &str) -> Option<VerifyingKey> {
    let bytes = B64
        .decode(text.trim().trim_end_matches('='))
        .ok()
        .or_else(|| base64::engine::general_purpose::STANDARD.decode(text.trim()).ok())?;
    VerifyingKey::from_bytes(&bytes.try_into().ok()?).ok()
}

/// Where a generated signing key is kept: a 0600 file under `STORAGE_DIR`, never in
/// the database (and so never in its backups or replicas, where a copy could mint keys).
pub fn key_file(config: &crate::server::config::Config) -> std::path::PathBuf {
    config.storage_dir.join("license_signing_key")
}

/// The settings key under which versions before 0029 kept a generated seed.
const LEGACY_SETTING: &str = "license_signing_key";

/// The studio's signing key: `LICENSE_SIGNING_KEY`, or the seed in [`key_file`]. A seed
/// an earlier version kept in the database moves to the file (so keys it signed stay
/// valid) and leaves the database. Without either, development generates the file;
/// production refuses to start.
pub fn load(conn: &rusqlite::Connection, config: &crate::server::config::Config) -> anyhow::Result<LicenseSigner> {
    use anyhow::Context;
    if let Some(seed) = &config.license_signing_key {
        return LicenseSigner::from_seed_text(seed.expose()).context("LICENSE_SIGNING_KEY is not a valid seed");
    }
    let path = key_file(config);
    let seed = match std::fs::read_to_string(&path) {
        Ok(seed) => Some(seed),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => return Err(err).with_context(|| format!("reading the license signing key {}", path.display())),
    };
    let legacy = crate::server::db::settings::get(conn, LEGACY_SETTING)?;
    let seed = match (seed, legacy) {
        (Some(seed), legacy) => {
            if legacy.is_some() {
                crate::server::db::settings::delete(conn, LEGACY_SETTING)?;
            }
            seed
        }
        (None, Some(legacy)) => {
            write_key_file(&path, &legacy)?;
            crate::server::db::settings::delete(conn, LEGACY_SETTING)?;
            tracing::info!(file = %path.display(), "moved the license signing key out of the database");
            legacy
        }
        (None, None) if config.is_production() => anyhow::bail!(
            "LICENSE_SIGNING_KEY is required when APP_ENV=production (or a seed in {}): \
             `openssl rand -base64 32` makes one",
            path.display()
        ),
        (None, None) => {
            let (fresh, seed) = LicenseSigner::generate().context("no system randomness")?;
            match write_key_file(&path, &seed) {
                Ok(()) => {
                    tracing::info!(public_key = %fresh.public_key(), file = %path.display(), "generated the license signing key");
                    seed
                }
                // Another process (a command beside the server) made it a moment ago.
                Err(err) if path.exists() => {
                    tracing::debug!(error = %format!("{err:#}"), "the license signing key appeared meanwhile");
                    std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?
                }
                Err(err) => return Err(err),
            }
        }
    };
    LicenseSigner::from_seed_text(&seed)
        .with_context(|| format!("the license signing key in {} is damaged", path.display()))
}

/// Writes a seed readable by this user only, created that way (never world-readable for a moment).
fn write_key_file(path: &std::path::Path, seed: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("creating {}", path.display()))?;
    file.write_all(seed.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims { v: 1, product: "pipeline".into(), kid: "k1".into(), iat: 1_795_453_199, exp: None, act: 3 }
    }

    #[test]
    fn a_signed_key_verifies_with_the_public_key_alone() {
        let (signer, seed) = LicenseSigner::generate().unwrap();
        let key = signer.issue(&claims());
        assert!(key.starts_with("ATLS1.") && !key.contains(char::is_whitespace));
        let public = public_key_from_text(&signer.public_key()).unwrap();
        assert_eq!(verify(&public, &key).unwrap(), claims());
        // The seed as kept gives the same key back.
        assert_eq!(LicenseSigner::from_seed_text(&seed).unwrap().public_key(), signer.public_key());
    }

    #[test]
    fn a_tampered_payload_or_signature_or_another_studios_key_is_refused() {
        let (signer, _) = LicenseSigner::generate().unwrap();
        let public = signer.verifying_key();
        let key = signer.issue(&claims());
        let (signed, signature) = key.rsplit_once('.').unwrap();
        let more = B64.encode(serde_json::to_vec(&Claims { act: 999, ..claims() }).unwrap());
        assert_eq!(verify(&public, &format!("{PREFIX}{more}.{signature}")), Err(Invalid::BadSignature));
        let mut sig = B64.decode(signature).unwrap();
        sig[0] ^= 1;
        assert_eq!(verify(&public, &format!("{signed}.{}", B64.encode(sig))), Err(Invalid::BadSignature));
        let (other, _) = LicenseSigner::generate().unwrap();
        assert_eq!(verify(&other.verifying_key(), &key), Err(Invalid::BadSignature));
        assert_eq!(verify(&public, "ATL-12345-67890"), Err(Invalid::Malformed));
    }
}
