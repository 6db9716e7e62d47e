//! `atelier doctor`: one line per check of an installation — its configuration, the
//! database, the disk, the backups (the newest one restored into a temporary file),
//! mail, each configured payment gateway's credentials and GitHub's token — each with
//! what to do when it is not right. It changes nothing; it exits 1 when a check fails.

use crate::server::config::{Config, SmtpTls};
use crate::server::db;
use crate::server::studio::payments::{GatewayError, Gateways};
use std::path::Path;
use std::time::Duration;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// Works, but not as it should in production (or not yet).
    Warn,
    Fail,
}

/// One line of the report.
#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub level: Level,
    pub said: String,
}

impl Check {
    fn new(name: &'static str, level: Level, said: impl Into<String>) -> Self {
        Self { name, level, said: said.into() }
    }

    /// The line printed: `ok    database: …`.
    pub fn line(&self) -> String {
        let mark = match self.level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => "FAIL",
        };
        format!("{mark}  {}: {}", self.name, self.said)
    }
}

/// How long a backup may be before it counts as missed (a daily run, with slack).
const BACKUP_MAX_AGE: i64 = 26 * 3600;
/// How long a remote check may take.
const REMOTE_TIMEOUT: Duration = Duration::from_secs(15);

/// Every check, in order.
pub async fn run(config: &Config) -> Vec<Check> {
    let production = config.is_production();
    // Below production's bar: a failure in production, a warning elsewhere.
    let short = if production { Level::Fail } else { Level::Warn };
    let mut checks = vec![configuration(config, short)];
    checks.push(database(&config.database_path));
    checks.push(disk(&config.database_path));
    checks.push(backups(config, short));
    checks.push(mail(config, short).await);
    checks.extend(gateways(config, short).await);
    checks.push(github(config).await);
    checks
}

fn configuration(config: &Config, short: Level) -> Check {
    let mut missing = Vec::new();
    if config.smtp.is_none() {
        missing.push("SMTP_HOST (mail is written to OUTBOX_DIR, nobody receives it)");
    }
    let gateways = Gateways::from_config(config).map(|g| g.enabled()).unwrap_or_default();
    let paying: Vec<&str> =
        gateways.iter().filter(|g| **g != crate::domain::orders::Gateway::Sandbox).map(|g| g.label()).collect();
    if paying.is_empty() {
        missing.push("a payment gateway (MIDTRANS_*, PAYPAL_* or IPAYMU_*): nobody can pay");
    }
    let mode = if config.is_production() { "production" } else { "development" };
    let said = format!(
        "{mode}, {}, payments through {}",
        config.site_url,
        if paying.is_empty() { "the sandbox only".to_owned() } else { paying.join(", ") }
    );
    if missing.is_empty() {
        Check::new("configuration", Level::Ok, said)
    } else {
        Check::new("configuration", short, format!("{said}; not set: {}", missing.join("; ")))
    }
}

fn database(path: &Path) -> Check {
    const NAME: &str = "database";
    if !path.exists() {
        return Check::new(NAME, Level::Fail, format!("no database at {}: run `atelier migrate`", path.display()));
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
    let conn = match rusqlite::Connection::open_with_flags(path, flags) {
        Ok(conn) => conn,
        Err(err) => return Check::new(NAME, Level::Fail, format!("{} cannot be opened: {err}", path.display())),
    };
    match db::migrate::quick_check(&conn) {
        Ok(ok) if ok == "ok" => {}
        Ok(problem) => {
            return Check::new(
                NAME,
                Level::Fail,
                format!(
                    "{} is damaged ({problem}): stop the server and `atelier restore` the newest backup",
                    path.display()
                ),
            )
        }
        Err(err) => {
            return Check::new(NAME, Level::Fail, format!("{} is not a SQLite database ({err})", path.display()))
        }
    }
    let applied = db::migrate::applied_count(&conn).unwrap_or(0);
    let known = db::migrate::MIGRATIONS.len() as i64;
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if applied < known {
        return Check::new(
            NAME,
            Level::Fail,
            format!(
                "{} migrations of {known} applied: run `atelier migrate` (the server does it as it starts)",
                applied
            ),
        );
    }
    Check::new(NAME, Level::Ok, format!("{}, {}, integrity ok, {applied} migrations", path.display(), megabytes(size)))
}

fn disk(database: &Path) -> Check {
    let volume = database.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    match rustix::fs::statvfs(volume) {
        Ok(fs) if fs.f_blocks > 0 => {
            disk_space(fs.f_bavail.saturating_mul(fs.f_frsize), fs.f_bavail as f64 / fs.f_blocks as f64)
        }
        Ok(_) => Check::new("disk", Level::Warn, "the data volume reports no size"),
        Err(err) => Check::new("disk", Level::Fail, format!("{} cannot be measured: {err}", volume.display())),
    }
}

/// The disk line for `free` bytes, `ratio` of the volume: a failure under 10 %, a
/// warning under 20 %.
fn disk_space(free: u64, ratio: f64) -> Check {
    let said = format!("{} free ({:.0} %) where the database is", megabytes(free), ratio * 100.0);
    match ratio {
        r if r < 0.10 => Check::new("disk", Level::Fail, format!("{said}: free space or move the data now")),
        r if r < 0.20 => Check::new("disk", Level::Warn, format!("{said}: plan for more space")),
        _ => Check::new("disk", Level::Ok, said),
    }
}

fn backups(config: &Config, short: Level) -> Check {
    const NAME: &str = "backups";
    let dir = &config.backup_dir;
    let newest = std::fs::read_dir(dir).ok().and_then(|entries| {
        entries
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("atelier-") && n.ends_with(".db")))
            .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
            .max()
    });
    let Some((written, file)) = newest else {
        return Check::new(
            NAME,
            short,
            format!(
                "none in {}: the server writes one daily at BACKUP_AT; `atelier backup` writes one now",
                dir.display()
            ),
        );
    };
    let age = written.elapsed().map_or(0, |d| d.as_secs() as i64);
    // A test restore: the copy opened from a temporary file, checked whole.
    let restored = (|| -> anyhow::Result<i64> {
        let scratch = tempfile_dir()?;
        let copy = scratch.path().join("restore-test.db");
        std::fs::copy(&file, &copy)?;
        let conn = rusqlite::Connection::open(&copy)?;
        let integrity = db::migrate::integrity_check(&conn)?;
        anyhow::ensure!(integrity == "ok", "integrity check: {integrity}");
        anyhow::ensure!(db::migrate::is_atelier_database(&conn)?, "not an Atelier database");
        Ok(db::migrate::applied_count(&conn)?)
    })();
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match restored {
        Err(err) => Check::new(
            NAME,
            Level::Fail,
            format!("the newest, {name}, does not restore ({err:#}): run `atelier backup` and check the disk"),
        ),
        Ok(_) if age > BACKUP_MAX_AGE => Check::new(
            NAME,
            short,
            format!("the newest, {name}, is {} old: the daily backup did not run; read the log", hours(age)),
        ),
        Ok(migrations) => Check::new(
            NAME,
            Level::Ok,
            format!("the newest, {name}, is {} old and restores (integrity ok, {migrations} migrations)", hours(age)),
        ),
    }
}

/// A temporary directory (removed when dropped).
fn tempfile_dir() -> std::io::Result<TempDir> {
    let mut name = [0u8; 8];
    getrandom::fill(&mut name).map_err(|e| std::io::Error::other(e.to_string()))?;
    let path = std::env::temp_dir().join(format!("atelier-doctor-{}", hex::encode(name)));
    std::fs::create_dir(&path)?;
    Ok(TempDir(path))
}

struct TempDir(std::path::PathBuf);

impl TempDir {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn mail(config: &Config, short: Level) -> Check {
    const NAME: &str = "mail";
    let Some(smtp) = &config.smtp else {
        return Check::new(NAME, short, format!("no SMTP_HOST: mail is written to {}", config.outbox_dir.display()));
    };
    let at = format!("{}:{}", smtp.host, smtp.port);
    if smtp.tls == SmtpTls::Tls {
        return match crate::server::mail::Mailer::from_config(config) {
            Ok(crate::server::mail::Mailer::Smtp(transport)) => {
                match tokio::time::timeout(REMOTE_TIMEOUT, transport.test_connection()).await {
                    Ok(Ok(true)) => Check::new(NAME, Level::Ok, format!("{at} answers (TLS)")),
                    Ok(Ok(false)) | Ok(Err(_)) | Err(_) => Check::new(
                        NAME,
                        Level::Fail,
                        format!("{at} does not answer over TLS: check SMTP_HOST, SMTP_PORT and SMTP_TLS"),
                    ),
                }
            }
            _ => Check::new(NAME, Level::Fail, format!("{at}: the TLS transport could not be built")),
        };
    }
    // Plain or STARTTLS: the server's greeting is enough to know it is there.
    let greeted = tokio::time::timeout(REMOTE_TIMEOUT, async {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
        let stream = tokio::net::TcpStream::connect((smtp.host.as_str(), smtp.port)).await?;
        let mut reader = tokio::io::BufReader::new(stream);
        let mut greeting = String::new();
        reader.read_line(&mut greeting).await?;
        let _ = reader.get_mut().write_all(b"QUIT\r\n").await;
        Ok::<_, std::io::Error>(greeting)
    })
    .await;
    match greeted {
        Ok(Ok(greeting)) if greeting.starts_with("220") => Check::new(NAME, Level::Ok, format!("{at} answers")),
        Ok(Ok(greeting)) => Check::new(NAME, Level::Fail, format!("{at} greets with {:?}, not 220", greeting.trim())),
        Ok(Err(err)) => {
            Check::new(NAME, Level::Fail, format!("{at} cannot be reached ({err}): check SMTP_HOST and SMTP_PORT"))
        }
        Err(_) => Check::new(NAME, Level::Fail, format!("{at} did not answer within 15 s")),
    }
}

async fn gateways(config: &Config, short: Level) -> Vec<Check> {
    let gateways = match Gateways::from_config(config) {
        Ok(gateways) => gateways,
        Err(err) => {
            return vec![Check::new("payments", Level::Fail, format!("the gateways cannot be set up: {err:#}"))]
        }
    };
    let mut checks = Vec::new();
    let said =
        |name: &'static str, vars: &str, result: Result<Result<(), GatewayError>, tokio::time::error::Elapsed>| {
            match result {
                Ok(Ok(())) => Check::new(name, Level::Ok, "the credentials are accepted"),
                Ok(Err(GatewayError::Unauthorized(status))) => {
                    Check::new(name, Level::Fail, format!("the credentials are refused (HTTP {status}): check {vars}"))
                }
                Ok(Err(err)) => Check::new(name, Level::Fail, format!("{err}")),
                Err(_) => Check::new(name, Level::Fail, "no answer within 15 s"),
            }
        };
    if let Some(midtrans) = &gateways.midtrans {
        let result = tokio::time::timeout(REMOTE_TIMEOUT, midtrans.check_credentials()).await;
        checks.push(said("Midtrans", "MIDTRANS_SERVER_KEY", result));
    }
    if let Some(paypal) = &gateways.paypal {
        let result = tokio::time::timeout(REMOTE_TIMEOUT, paypal.check_credentials()).await;
        checks.push(said("PayPal", "PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET", result));
    }
    if let Some(ipaymu) = &gateways.ipaymu {
        let result = tokio::time::timeout(REMOTE_TIMEOUT, ipaymu.check_credentials()).await;
        checks.push(said("iPaymu", "IPAYMU_VA and IPAYMU_API_KEY", result));
    }
    if gateways.sandbox {
        checks.push(Check::new("sandbox payments", short, "on: anyone can mark an order paid; never in production"));
    }
    checks
}

async fn github(config: &Config) -> Check {
    const NAME: &str = "GitHub";
    if config.github.pat.is_none() {
        return Check::new(NAME, Level::Ok, "not configured (GITHUB_PAT): repository invitations wait until it is");
    }
    let github = match crate::server::studio::github::Github::from_config(&config.github) {
        Ok(github) => github,
        Err(err) => return Check::new(NAME, Level::Fail, format!("the client cannot be set up: {err:#}")),
    };
    match tokio::time::timeout(REMOTE_TIMEOUT, github.token_check()).await {
        Ok(Ok((login, Some(scopes)))) if scopes.iter().any(|s| s == "repo") => {
            Check::new(NAME, Level::Ok, format!("the token of {login} has the repo scope"))
        }
        Ok(Ok((login, Some(scopes)))) => Check::new(
            NAME,
            Level::Fail,
            format!(
                "the token of {login} lacks the repo scope (it has: {}): invitations to private repositories fail",
                if scopes.is_empty() { "none".to_owned() } else { scopes.join(", ") }
            ),
        ),
        Ok(Ok((login, None))) => Check::new(
            NAME,
            Level::Ok,
            format!("a fine-grained token of {login}: make sure it may administer the product repositories"),
        ),
        Ok(Err(err)) => Check::new(NAME, Level::Fail, format!("{err}: check GITHUB_PAT")),
        Err(_) => Check::new(NAME, Level::Fail, "no answer within 15 s"),
    }
}

fn megabytes(bytes: u64) -> String {
    match bytes {
        b if b >= 10 * 1024 * 1024 * 1024 => format!("{} GB", b / (1024 * 1024 * 1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

fn hours(seconds: i64) -> String {
    match seconds {
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h", s / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::{disk_space, Level};

    #[test]
    fn the_disk_warns_under_a_fifth_free_and_fails_under_a_tenth() {
        let gb = 1024 * 1024 * 1024;
        assert_eq!(disk_space(60 * gb, 0.45).level, Level::Ok);
        let warn = disk_space(40 * gb, 0.19);
        assert_eq!(
            (warn.level, warn.line()),
            (Level::Warn, "warn  disk: 40 GB free (19 %) where the database is: plan for more space".to_owned())
        );
        assert_eq!(disk_space(gb / 2, 0.05).level, Level::Fail);
    }
}
