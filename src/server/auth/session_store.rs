//! A tower-sessions store over our own pool, so sessions live in the same
//! SQLite file as everything else (and back up with it).

use crate::server::db::sessions::{self, StoredSession};
use crate::server::db::{self, Db, DbError};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// The session key under which the signed-in user's id is kept.
pub const USER_ID_KEY: &str = "user_id";
/// When the session signed in (unix seconds): staff sessions end 12 hours after,
/// however active they are.
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";
/// Set (true) when the person asked to stay signed in ("remember me"): the session
/// then lasts a week without activity instead of a day.
pub const REMEMBER_KEY: &str = "remember";
/// When the person last proved who they are in this session (unix seconds): their
/// password entered, or a Google sign-in of an identity already linked. Linking
/// another sign-in needs this within [`super::REAUTH_SECS`].
pub const REAUTHENTICATED_AT_KEY: &str = "reauthenticated_at";

#[derive(Clone, Debug)]
pub struct SqliteSessionStore {
    db: Db,
}

impl SqliteSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn backend(e: DbError) -> session_store::Error {
    session_store::Error::Backend(format!(
        "{e}: {}",
        std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default()
    ))
}

/// The stored key of a session: the SHA-256 of its id, so a copy of the database
/// (a backup, a leaked file) holds no cookie that signs anybody in.
pub fn key(id: &Id) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(id.to_string().as_bytes()))
}

fn encode(record: &Record) -> session_store::Result<(String, i64, Option<i64>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let user_id = record.data.get(USER_ID_KEY).and_then(|v| v.as_i64());
    Ok((data, record.expiry_date.unix_timestamp(), user_id))
}

#[async_trait]
impl SessionStore for SqliteSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let (data, expires_at, user_id) = encode(record)?;
        let mut id = record.id;
        let id = self
            .db
            .run(move |c| -> Result<Id, DbError> {
                // A 128-bit random id practically never collides; if it does, draw again.
                while !sessions::insert_new(c, &StoredSession { key: &key(&id), data: &data, expires_at, user_id })? {
                    id = Id::default();
                }
                Ok(id)
            })
            .await
            .map_err(backend)?;
        record.id = id;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let (data, expires_at, user_id) = encode(record)?;
        let key = key(&record.id);
        let kept = self
            .db
            .run(move |c| sessions::save(c, &StoredSession { key: &key, data: &data, expires_at, user_id }))
            .await
            .map_err(backend)?;
        if !kept {
            tracing::info!("a session ended while a request held it was not saved back");
        }
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let key = key(id);
        let row = self.db.read(move |c| sessions::load(c, &key, db::now())).await.map_err(backend)?;
        let Some((data, expiry)) = row else { return Ok(None) };
        let data = serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expiry)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let key = key(id);
        self.db.run(move |c| sessions::delete(c, &key)).await.map_err(backend)
    }
}

#[async_trait]
impl ExpiredDeletion for SqliteSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        let removed = self.db.run(|c| sessions::delete_expired(c, db::now())).await.map_err(backend)?;
        if removed > 0 {
            tracing::debug!(removed, "deleted expired sessions");
        }
        Ok(())
    }
}
