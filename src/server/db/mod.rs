//! The SQLite database: one file, WAL mode, an r2d2 pool, and `Db::run` to use
//! it from async code without blocking the runtime.

pub mod analytics;
pub mod api_tokens;
pub mod audit;
pub mod billing;
pub mod catalog;
pub mod clients;
pub mod contacts;
pub mod content;
pub mod coupons;
pub mod deliveries;
pub mod identities;
pub mod jobs;
pub mod migrate;
pub mod orders;
pub mod overview;
pub mod product_files;
pub mod projects;
pub mod receipts;
pub mod retention;
pub mod sessions;
pub mod settings;
pub mod studio_images;
pub mod subscriptions;
pub mod tool_usage;
pub mod uploads;
pub mod users;
pub mod waitlist;
pub mod webhooks;
pub mod work;

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;
use std::cell::Cell;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub type SqlitePool = Pool<SqliteConnectionManager>;

/// The values of a statement put together from optional parts (a list's filters and
/// its page's cursor): each [`Args::bind`] adds one and gives its placeholder (`?1`, `?2` …).
#[derive(Debug, Default)]
pub struct Args(Vec<rusqlite::types::Value>);

impl Args {
    pub fn bind(&mut self, value: rusqlite::types::Value) -> String {
        self.0.push(value);
        format!("?{}", self.0.len())
    }

    pub fn into_values(self) -> Vec<rusqlite::types::Value> {
        self.0
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available")]
    Pool(#[from] r2d2::Error),
    #[error("database query failed")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database task was cancelled or panicked")]
    Join(#[from] tokio::task::JoinError),
    #[error("no system randomness")]
    Random(#[from] getrandom::Error),
    #[error("could not encode a value for storage")]
    Encode(#[from] serde_json::Error),
    #[error("migration {name} failed")]
    Migration {
        name: String,
        #[source]
        source: rusqlite::Error,
    },
}

/// A cheap-to-clone handle on the pools: one for any statement, used from the
/// blocking thread pool, and a smaller read-only one for short reads made inline.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
    reads: SqlitePool,
    /// Signalled after a [`Db::run`] that queued a job has returned (its
    /// transaction committed), so an idle worker starts on it at once.
    jobs_queued: Arc<Notify>,
}

thread_local! {
    /// Set by [`note_job_queued`] on the thread running a [`Db::run`] closure.
    static JOB_QUEUED: Cell<bool> = const { Cell::new(false) };
}

/// Called by the job queue when it writes a job: the [`Db::run`] around it wakes
/// the workers once it returns.
pub fn note_job_queued() {
    JOB_QUEUED.with(|q| q.set(true));
}

impl Db {
    /// Opens (creating if needed) the database file and its pool.
    pub fn open(path: &Path) -> Result<Self, DbError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // A missing folder would surface as an opaque "unable to open database file".
            let _ = std::fs::create_dir_all(dir);
        }
        // WAL is a property of the file: set it once, on a plain connection, before
        // the pool opens its connections together.
        {
            let conn = Connection::open(path)?;
            conn.busy_timeout(Duration::from_secs(5))?;
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        let init = |c: &mut Connection| {
            c.busy_timeout(Duration::from_secs(5))?;
            c.execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA temp_store = MEMORY;
                 PRAGMA cache_size = -8000;",
            )
        };
        // Every transaction on a writing connection takes the write lock when it begins:
        // one that read first and wrote later could otherwise find its snapshot stale
        // (SQLITE_BUSY at once, whatever the busy timeout) when another write committed
        // in between, e.g. the session clean-up while a save runs.
        let manager = SqliteConnectionManager::file(path).with_init(move |c| {
            init(c)?;
            c.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
            Ok(())
        });
        let pool = pool_of(8, manager)?;
        // In WAL mode readers never wait for writers, so these statements finish in
        // microseconds; `query_only` makes SQLite refuse any write through them.
        let manager = SqliteConnectionManager::file(path).with_init(move |c| {
            init(c)?;
            c.pragma_update(None, "query_only", true)
        });
        let reads = pool_of(4, manager)?;
        Ok(Self { pool, reads, jobs_queued: Arc::default() })
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let (result, queued) = tokio::task::spawn_blocking(move || {
            JOB_QUEUED.with(|q| q.set(false));
            let result = pool.get().map_err(DbError::from).map_err(E::from).and_then(|mut conn| f(&mut conn));
            (result, JOB_QUEUED.with(|q| q.replace(false)))
        })
        .await
        .map_err(DbError::from)?;
        if queued {
            self.jobs_queued.notify_waiters();
        }
        result
    }

    /// Runs a short read on the calling thread, skipping the hand-off to the
    /// blocking pool (which costs more than the read: two thread wake-ups). For the
    /// lookups made on every request (session, signed-in person, a page's rows);
    /// anything long or writing goes through [`Db::run`]. The connection refuses
    /// writes. When every read connection is busy it waits on the blocking pool.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        if let Some(conn) = self.reads.try_get() {
            return f(&conn);
        }
        let reads = self.reads.clone();
        tokio::task::spawn_blocking(move || {
            let conn = reads.get().map_err(DbError::from)?;
            f(&conn)
        })
        .await
        .map_err(DbError::from)?
    }

    /// [`Db::read`] for several queries that belong together (a page's sections):
    /// one read transaction, so they see one state of the file and SQLite takes its
    /// shared lock once rather than once per statement.
    pub async fn read_together<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&Connection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        self.read(move |c| {
            let tx = c.unchecked_transaction().map_err(DbError::from)?;
            let out = f(&tx)?;
            tx.commit().map_err(DbError::from)?;
            Ok(out)
        })
        .await
    }

    /// Woken whenever jobs were queued (see [`note_job_queued`]) or a worker freed a slot.
    pub fn jobs_queued(&self) -> &Notify {
        &self.jobs_queued
    }

    /// How busy the two pools are (`write` for [`Db::run`], `read` for [`Db::read`]).
    pub fn pool_states(&self) -> [(&'static str, r2d2::State); 2] {
        [("write", self.pool.state()), ("read", self.reads.state())]
    }

    /// Synchronous access for start-up and command-line tasks.
    pub fn conn(&self) -> Result<r2d2::PooledConnection<SqliteConnectionManager>, DbError> {
        Ok(self.pool.get()?)
    }
}

/// A pool of up to `size` connections. SQLite connections do not go stale, so the
/// per-checkout validity query is skipped (it was on every request's path).
fn pool_of(size: u32, manager: SqliteConnectionManager) -> Result<SqlitePool, DbError> {
    Ok(Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)?)
}

/// Seconds since the Unix epoch: the one time representation stored in the database.
/// An event's values as kept in its row (`{"plan":"Pro","until":"…"}`): each reader's
/// page writes them in its own language.
pub fn event_values(pairs: &[(&str, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        pairs.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::String(v.clone()))).collect();
    serde_json::Value::Object(map).to_string()
}

/// The values `event_values` kept, when `kept` is such an object of a `kind` among
/// `kinds` whose reason (`why`), if any, is among `whys`: what its words are made from.
pub fn read_event_values(kept: &str, kind: &str, (kinds, whys): (&[&str], &[&str])) -> Option<Vec<(String, String)>> {
    if !kinds.contains(&kind) || !kept.starts_with('{') {
        return None;
    }
    let values: Vec<(String, String)> =
        serde_json::from_str::<std::collections::BTreeMap<String, String>>(kept).ok()?.into_iter().collect();
    values.iter().all(|(name, why)| name != "why" || whys.contains(&why.as_str())).then_some(values)
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Sanitised HTML goes into a `*_html` column as its text, and comes back as
/// [`TrustedHtml`]: only the Markdown sanitiser's output is ever written there.
impl rusqlite::types::ToSql for crate::domain::html::TrustedHtml {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(self.as_str().as_bytes())))
    }
}

impl rusqlite::types::FromSql for crate::domain::html::TrustedHtml {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        String::column_result(value).map(Self::stored)
    }
}
