//! The daily maintenance job: retention clean-up and a backup, at `BACKUP_AT`
//! (default 02:00 Asia/Jakarta) through the durable job queue. Each day's run has
//! its own dedupe key, so restarts and several servers schedule it once; the run
//! schedules the next day's.

use super::config::Config;
use super::db::retention::clean_up;
use super::db::{self, DbError};
use super::jobs::{self, JobError};
use anyhow::Context;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The job kind.
pub const DAILY: super::jobs::JobKind = super::jobs::JobKind::DailyMaintenance;

use crate::domain::time::{jakarta_day, jakarta_day_start};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Daily {
    /// The Jakarta day (days since 1970-01-01 in Jakarta) this run is for.
    pub day: i64,
}

/// The first moment at or after `now` that is `at` (seconds after midnight) in Jakarta.
pub fn next_run(now: i64, at: u32) -> (i64, Daily) {
    let mut day = jakarta_day(now);
    if jakarta_day_start(day) + i64::from(at) < now {
        day += 1;
    }
    (jakarta_day_start(day) + i64::from(at), Daily { day })
}

/// Queues the next daily run (idempotent: one per Jakarta day).
pub fn schedule_next(conn: &Connection, config: &Config, now: i64) -> Result<(), DbError> {
    let (run_at, daily) = next_run(now, config.backup_at);
    jobs::enqueue_at(conn, DAILY, &daily, Some(&format!("daily:{}", daily.day)), run_at)?;
    Ok(())
}

/// A consistent online copy of the database (`VACUUM INTO`) in `dir`, then copies
/// older than `keep_days` removed. Returns the new file.
pub fn write_backup(conn: &Connection, dir: &Path, keep_days: u32) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating the backup folder {}", dir.display()))?;
    let stamp = time::OffsetDateTime::now_utc();
    let name = format!(
        "atelier-{:04}{:02}{:02}-{:02}{:02}{:02}",
        stamp.year(),
        u8::from(stamp.month()),
        stamp.day(),
        stamp.hour(),
        stamp.minute(),
        stamp.second()
    );
    // A second backup within the same second (`atelier tick` run twice, or next to
    // the daily job) gets the next free suffix instead of failing.
    let target = (1..100)
        .map(|n| match n {
            1 => dir.join(format!("{name}.db")),
            n => dir.join(format!("{name}-{n}.db")),
        })
        .find(|path| !path.exists())
        .with_context(|| format!("99 backups named {name} already exist in {}", dir.display()))?;
    let target_str = target.to_str().context("the backup path is not valid UTF-8")?;
    db::retention::copy_into(conn, target_str).context("writing the backup")?;

    let keep = std::time::Duration::from_secs(u64::from(keep_days) * 86_400);
    for entry in std::fs::read_dir(dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > keep);
        if name.starts_with("atelier-") && name.ends_with(".db") && old {
            std::fs::remove_file(entry.path())?;
            tracing::info!(file = %name, "removed an expired backup");
        }
    }
    Ok(target)
}

/// The job: clean up, back up, schedule tomorrow's run.
pub async fn run_daily(db: &super::db::Db, config: &Arc<Config>, daily: Daily) -> Result<(), JobError> {
    let now = db::now();
    let removed = db.run(move |c| clean_up(c, now)).await?;
    tracing::info!(?removed, day = daily.day, "retention clean-up done");
    let (dir, keep) = (config.backup_dir.clone(), config.backup_keep_days);
    let file = db.run(move |c| write_backup(c, &dir, keep)).await?;
    tracing::info!(file = %file.display(), "daily backup written");
    let config = config.clone();
    // Tomorrow's run: after this day's time, so never this same day again.
    let next_from = jakarta_day_start(daily.day + 1);
    db.run(move |c| schedule_next(c, &config, next_from.max(now))).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).unwrap().unix_timestamp()
    }

    #[test]
    fn the_next_run_is_the_next_two_oclock_in_jakarta() {
        let two = 2 * 3600;
        // 20:00 UTC is 03:00 in Jakarta: 02:00 has passed, so tomorrow's (19:00 UTC).
        assert_eq!(next_run(at("2026-11-22T20:00:00Z"), two).0, at("2026-11-23T19:00:00Z"));
        // 18:00 UTC is 01:00 in Jakarta: today's 02:00 is an hour away.
        assert_eq!(next_run(at("2026-11-22T18:00:00Z"), two).0, at("2026-11-22T19:00:00Z"));
        // Exactly at the time: now.
        assert_eq!(next_run(at("2026-11-22T19:00:00Z"), two).0, at("2026-11-22T19:00:00Z"));
        // Days are Jakarta days: 23:59 and 00:00 in Jakarta both wait for the same 02:00 run;
        // 02:30 in Jakarta waits for the next day's.
        let (before_midnight, after_midnight) = (at("2026-11-22T16:59:00Z"), at("2026-11-22T17:00:00Z"));
        assert_eq!(next_run(before_midnight, two), next_run(after_midnight, two));
        assert_eq!(next_run(at("2026-11-22T19:30:00Z"), two).1.day, next_run(after_midnight, two).1.day + 1);
    }

    #[test]
    fn backups_within_one_second_each_get_their_own_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut conn = Connection::open(dir.path().join("live.db")).unwrap();
        db::migrate::run(&mut conn).unwrap();
        let backups = dir.path().join("backups");
        let written: Vec<PathBuf> = (0..3).map(|_| write_backup(&conn, &backups, 7).expect("a backup")).collect();
        let mut names: Vec<String> =
            written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        names.dedup();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("atelier-") && n.ends_with(".db")), "{names:?}");
        assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 3);
    }
}
