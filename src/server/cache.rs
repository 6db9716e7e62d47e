//! A small in-process cache of public catalog and content reads.
//!
//! Every admin edit calls [`ContentCache::invalidate`]. Entries also expire at the
//! next scheduled publication (so a scheduled post appears on time) and after a
//! minute at most (so changes made by another process, like `atelier seed`, show up).

use super::db::{content, now, Db, DbError};
use rusqlite::Connection;
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const MAX_AGE_SECS: i64 = 60;

#[derive(Default)]
pub struct ContentCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    values: HashMap<String, Arc<dyn Any + Send + Sync>>,
    /// Nothing cached is valid from this Unix time on.
    valid_until: i64,
    /// Bumped by every invalidation: a read that started before one is not stored.
    generation: u64,
}

impl std::fmt::Debug for ContentCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentCache")
    }
}

impl ContentCache {
    /// Forgets everything: called after every change staff make.
    pub fn invalidate(&self) {
        let mut inner = self.lock();
        inner.values.clear();
        inner.valid_until = 0;
        inner.generation += 1;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The cached value for `key`, or `load`'s answer (given a connection and the current time), stored.
    pub async fn get_or_load<T, F>(&self, db: &Db, key: String, load: F) -> Result<T, DbError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(&Connection, i64) -> Result<T, DbError> + Send + 'static,
    {
        let t = now();
        let generation = {
            let mut inner = self.lock();
            if t >= inner.valid_until && !inner.values.is_empty() {
                inner.values.clear();
                inner.generation += 1;
            }
            if let Some(hit) = inner.values.get(&key).and_then(|v| v.downcast_ref::<T>()) {
                return Ok(hit.clone());
            }
            inner.generation
        };
        let (value, next_change) = db
            .run(move |c| -> Result<_, DbError> {
                let value = load(c, t)?;
                let next = content::next_scheduled(c, t)?;
                Ok((value, next))
            })
            .await?;
        let mut inner = self.lock();
        if inner.generation == generation {
            let until = next_change.unwrap_or(i64::MAX).min(t + MAX_AGE_SECS);
            inner.valid_until = if inner.values.is_empty() { until } else { inner.valid_until.min(until) };
            inner.values.insert(key, Arc::new(value.clone()));
        }
        Ok(value)
    }
}
