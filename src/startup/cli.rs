//! The command line of the `atelier` binary (contract: DESIGN.md).

use crate::server::config::Config;
use crate::server::db::{self, Db};
use crate::server::telemetry;
use crate::startup;
use anyhow::{bail, Context};
use leptos::config::LeptosOptions;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
Usage: atelier [COMMAND]

Commands:
  serve             run the web server (the default)
  migrate           apply pending database migrations and exit
  backup            write a consistent copy of the database to BACKUP_DIR
  restore FILE      replace the database with a backup (stop the server first)
  seed --demo       fill an empty database with demo products, posts and case studies
  license public-key
                    print the public key that verifies signed license keys
  license verify KEY
                    verify a signed license key offline (exit 1 when it is not valid)
  tick              run every periodic check now: subscriptions (reminders, lapses,
                    expiries), retention clean-up, and a backup
  doctor            check the installation: configuration, database, disk, backups
                    (the newest restored into a temporary file), mail, payment
                    gateways, GitHub; one line each, exit 1 when one fails
  admin create --email E
                    create a staff account (password read from stdin), or make
                    an existing account staff with the password read from stdin
  help              show this message

Configuration comes from the environment and an optional .env file; see .env.example.";

pub fn run(args: Vec<String>) -> ExitCode {
    // A missing .env is normal; a malformed one is worth saying. Only the working
    // directory's: a `.env` in some folder above it belongs to something else.
    if let Err(err) = dotenvy::from_path(".env") {
        if !err.not_found() {
            eprintln!("warning: .env was not read: {err}");
        }
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) if args.first().map(String::as_str) == Some("doctor") => {
            println!("FAIL  configuration: {err}");
            return ExitCode::FAILURE;
        }
        Err(err) => {
            eprintln!("atelier: configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.is_production());

    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        [] | ["serve"] => serve(config),
        ["migrate"] => migrate(&config),
        ["backup"] => backup(&config).map(|path| println!("backup written to {}", path.display())),
        ["restore", file] => restore(&config, Path::new(file)),
        ["seed", "--demo"] => seed_demo(&config),
        ["tick"] => tick(&config),
        ["doctor"] => return doctor(&config),
        ["license", "public-key"] => license_signer(&config).map(|s| println!("{}", s.public_key())),
        ["license", "verify", key] => return verify_license(&config, key),
        ["admin", "create", "--email", email] => admin_create(&config, email),
        ["admin", "create", flag] if flag.starts_with("--email=") => admin_create(&config, &flag["--email=".len()..]),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("atelier: unknown command {:?}\n\n{USAGE}", args.join(" "));
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let command = match args.as_slice() {
                [] => "serve".to_owned(),
                [first, second, ..] if matches!(*first, "license" | "admin" | "seed") => format!("{first} {second}"),
                [first, ..] => (*first).to_owned(),
            };
            startup::report_failure(&command, &err);
            eprintln!("atelier {command} failed: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Where `Leptos.toml` is looked for: the working directory, then the installation
/// the binary belongs to (next to it, or the project root above `target/<profile>/`).
fn settings_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![std::env::current_dir().unwrap_or_default()];
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        dirs.extend(exe_dir.parent().and_then(Path::parent).map(Path::to_path_buf));
        dirs.insert(1, exe_dir);
    }
    dirs
}

/// Leptos' runtime settings: `Leptos.toml` (see [`settings_dirs`]; the one built in
/// otherwise), `LEPTOS_*` variables over it. A relative site root is taken from the
/// folder the settings came from, so the server works from any working directory.
/// The output name is a build setting (Cargo.toml); cargo-leptos compiles it in.
pub fn leptos_options() -> anyhow::Result<LeptosOptions> {
    const BUILT_IN: &str = include_str!("../../Leptos.toml");
    let output_name = option_env!("LEPTOS_OUTPUT_NAME").unwrap_or(env!("CARGO_PKG_NAME"));
    let found = settings_dirs().into_iter().find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Leptos.toml")).ok()?;
        Some((dir, text))
    });
    let (base, text) = match found {
        Some((dir, text)) => (Some(dir), text),
        None => (None, BUILT_IN.to_owned()),
    };
    let mut options = leptos::config::get_config_from_str(&format!("{text}\noutput-name = {output_name:?}\n"))
        .context("reading Leptos.toml (LEPTOS_* variables override it)")?;
    let site_root = Path::new(options.site_root.as_ref());
    if site_root.is_relative() && !site_root.exists() {
        let anchored = base.into_iter().chain(settings_dirs()).map(|dir| dir.join(site_root)).find(|p| p.exists());
        if let Some(root) = anchored {
            options.site_root = root.to_string_lossy().into_owned().into();
        }
    }
    Ok(options)
}

fn serve(config: Config) -> anyhow::Result<()> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    // A task woken while a worker runs goes to the back of its queue, not into the
    // "LIFO slot" that runs it next: requests are served in the order they became
    // ready. A/B under wrk, fresh dashboards at 32 connections: 5 of 6 pairs had
    // the lower p99 and CPU per page (README, "Performance"). The option is one of
    // tokio's unstable ones (`--cfg tokio_unstable`, .cargo/config.toml).
    #[cfg(tokio_unstable)]
    builder.disable_lifo_slot();
    let runtime = builder.enable_all().build()?;
    let leptos = leptos_options()?;
    if !leptos.site_addr.ip().is_loopback() && !config.app_env_given {
        anyhow::bail!(
            "refusing to listen on {} without APP_ENV: set APP_ENV=production for a public server, or \
             APP_ENV=development to serve the development defaults (the free sandbox gateway, mail to a folder) \
             on this network on purpose",
            leptos.site_addr
        );
    }
    runtime.block_on(async {
        let app = startup::Application::build(config, leptos).await?;
        app.run_until(startup::shutdown_signal()).await?;
        Ok(())
    })
}

/// Creates a staff account or makes an existing one staff. The password comes from
/// stdin (never argv, which other users of the machine can read), for an existing
/// account too: a password chosen by whoever registered the address (perhaps never
/// proving it) is never what opens a staff account. The account's sessions and linked
/// sign-ins end (staff sign in with their password only).
fn admin_create(config: &Config, email: &str) -> anyhow::Result<()> {
    use crate::domain::{account, Email, Role};
    use db::users;
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let db = Db::open(&config.database_path)?;
    let mut conn = db.conn()?;
    db::migrate::run(&mut conn)?;
    let existing = users::find_by_email(&conn, email.as_str())?;
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let which = if existing.is_some() { "New password for the existing account" } else { "Password for" };
        eprint!("{which} {email} (at least {} characters): ", account::PASSWORD_MIN);
    }
    let mut password = String::new();
    std::io::stdin().read_line(&mut password).context("reading the password from stdin")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    account::validate_new_password(&password, &password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let hash = runtime.block_on(crate::server::auth::password::hash(password))?;
    if let Some(user) = existing {
        let tx = conn.transaction()?;
        users::set_password(&tx, user.viewer.id, &hash)?;
        users::promote_to_staff(&tx, user.viewer.id)?;
        let ended = users::end_sessions(&tx, user.viewer.id)?;
        db::identities::unlink_all(&tx, user.viewer.id)?;
        db::audit::record(&tx, None, "user.role_changed", &format!("user:{}", user.viewer.id), "staff (admin create)")?;
        tx.commit()?;
        println!(
            "{} is now staff with the password given ({ended} session(s) ended; it signs in with that password only)",
            user.viewer.email
        );
        return Ok(());
    }
    let name = email.as_str().split('@').next().unwrap_or("Staff").to_owned();
    users::insert(&conn, &name, email.as_str(), &hash, Role::Staff, true)?
        .context("an account with this email appeared meanwhile; run the command again")?;
    println!("created staff account {email}");
    Ok(())
}

fn migrate(config: &Config) -> anyhow::Result<()> {
    let db = Db::open(&config.database_path)?;
    let applied = db::migrate::run(&mut *db.conn()?)?;
    if applied.is_empty() {
        println!("database is up to date");
    } else {
        println!("applied {} migration(s): {}", applied.len(), applied.join(", "));
    }
    Ok(())
}

fn license_signer(config: &Config) -> anyhow::Result<crate::server::studio::licensing::LicenseSigner> {
    let db = Db::open(&config.database_path)?;
    let mut conn = db.conn()?;
    db::migrate::run(&mut conn).context("applying migrations")?;
    crate::server::studio::licensing::load(&conn, config)
}

/// Checks a signed key against the studio's public key alone, as an app would
/// offline (it does not look at revocations: see `GET /api/licenses/revoked`).
fn verify_license(config: &Config, key: &str) -> ExitCode {
    use crate::server::studio::licensing::{verify, Claims};
    let signer = match license_signer(config) {
        Ok(signer) => signer,
        Err(err) => {
            eprintln!("atelier: {err:#}");
            return ExitCode::FAILURE;
        }
    };
    match verify(&signer.verifying_key(), key) {
        Ok(Claims { product, kid, iat, exp, act, .. }) => {
            let now = db::now();
            if exp.is_some_and(|e| e <= now) {
                println!(
                    "expired: {product}, key {kid}, expired {}",
                    crate::domain::time::format_time(exp.unwrap_or(0))
                );
                return ExitCode::FAILURE;
            }
            let until = exp.map_or_else(
                || "never expires".to_owned(),
                |e| format!("valid until {}", crate::domain::time::format_time(e)),
            );
            println!(
                "valid: {product}, key {kid}, issued {}, {until}, {act} activation(s)",
                crate::domain::time::format_time(iat)
            );
            ExitCode::SUCCESS
        }
        Err(why) => {
            println!("not valid: {why}");
            ExitCode::FAILURE
        }
    }
}

/// Every periodic check, now (what the server's job queue runs hourly and daily);
/// the mails they queue go out with the server's next worker run.
fn tick(config: &Config) -> anyhow::Result<()> {
    let db = Db::open(&config.database_path)?;
    let mut conn = db.conn()?;
    db::migrate::run(&mut conn).context("applying migrations")?;
    let now = db::now();
    let checked =
        crate::server::studio::subscriptions::check_at(&mut conn, config, now).context("checking subscriptions")?;
    println!(
        "subscriptions: {} reminded, {} lapsed (past due), {} expired, {} resumed after a pause, {} moved to the \
         plan scheduled for the renewal",
        checked.reminded, checked.lapsed, checked.expired, checked.resumed, checked.switched
    );
    let removed = db::retention::clean_up(&mut conn, now).context("cleaning up")?;
    println!("clean-up: {removed:?}");
    let file = crate::server::maintenance::write_backup(&conn, &config.backup_dir, config.backup_keep_days)?;
    println!("backup written to {}", file.display());
    Ok(())
}

/// `atelier doctor`: every check's line; exit 1 when one failed.
fn doctor(config: &Config) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("atelier doctor failed: {err}");
            return ExitCode::FAILURE;
        }
    };
    let checks = runtime.block_on(startup::doctor::run(config));
    for check in &checks {
        println!("{}", check.line());
    }
    let failed = checks.iter().filter(|c| c.level == startup::doctor::Level::Fail).count();
    if failed > 0 {
        println!("\n{failed} check(s) failed.");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// A consistent online copy (`VACUUM INTO`), then old copies beyond BACKUP_KEEP_DAYS are removed.
pub fn backup(config: &Config) -> anyhow::Result<PathBuf> {
    let db = Db::open(&config.database_path)?;
    let conn = db.conn()?;
    crate::server::maintenance::write_backup(&conn, &config.backup_dir, config.backup_keep_days)
}

/// Replaces the database with a verified backup. The server must be stopped.
fn restore(config: &Config, file: &Path) -> anyhow::Result<()> {
    let check = rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .with_context(|| format!("opening {}", file.display()))?;
    let integrity =
        db::migrate::integrity_check(&check).with_context(|| format!("{} is not a SQLite database", file.display()))?;
    if integrity != "ok" {
        bail!("{} failed the integrity check: {integrity}", file.display());
    }
    if !db::migrate::is_atelier_database(&check)? {
        bail!("{} is not an Atelier database (no schema_migrations table)", file.display());
    }
    drop(check);
    let target = &config.database_path;
    let staging = target.with_extension("restoring");
    std::fs::copy(file, &staging).with_context(|| format!("copying {} next to the database", file.display()))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side)?;
        }
    }
    std::fs::rename(&staging, target)?;
    println!("restored {} into {}", file.display(), target.display());
    Ok(())
}

/// `atelier seed --demo`: the demo content on an empty database, named as a demo
/// studio, and the fixed pages written for it.
pub fn seed_demo(config: &Config) -> anyhow::Result<()> {
    crate::server::seed::run(config, |conn, seeded| {
        use crate::server::studio::settings;
        if matches!(seeded, crate::server::seed::Seeded::Filled { .. }) {
            settings::name_the_demo(conn, config)?;
        }
        Ok(settings::ensure_fixed_pages(conn, config)?)
    })
}
