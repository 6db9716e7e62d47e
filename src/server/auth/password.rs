//! Password hashing with argon2id, always on the blocking thread pool.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::OnceLock;

/// argon2id with the crate's defaults (19 MiB, 2 passes), OWASP's recommended minimum.
fn argon2() -> Argon2<'static> {
    Argon2::default()
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt encoding: {e}"))?;
        Ok(argon2()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?
            .to_string())
    })
    .await?
}

/// Checks `password` against `stored`; with `None` (unknown email) it verifies
/// against a fixed dummy hash, so both cases take the same time and say `false`.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    // An unusable password (`users::UNUSABLE_PASSWORD`) is checked like an unknown
    // address: against the dummy, so it takes the same time, and never matches.
    let stored = stored.filter(|s| s != crate::server::db::users::UNUSABLE_PASSWORD);
    let known = stored.is_some();
    let stored = match stored {
        Some(s) => s,
        None => dummy_hash().to_owned(),
    };
    let ok = tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored).map_err(|e| anyhow::anyhow!("stored hash is malformed: {e}"))?;
        anyhow::Ok(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await??;
    Ok(ok && known)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::encode_b64(b"atelier-dummy-salt").expect("fixed salt encodes");
        argon2().hash_password(b"not a real password", &salt).expect("dummy hash").to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_own_password() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(stored.clone())).await.unwrap());
        assert!(!verify("wrong".into(), Some(stored)).await.unwrap());
        assert!(!verify("not a real password".into(), None).await.unwrap(), "the dummy never logs anyone in");
        let unusable = Some(crate::server::db::users::UNUSABLE_PASSWORD.to_owned());
        assert!(!verify("not a real password".into(), unusable.clone()).await.unwrap(), "nor does an unusable one");
        assert!(!verify("!unusable".into(), unusable).await.unwrap());
    }
}
