//! Typed settings, read once at start-up from the environment (and `.env`).
//!
//! Every variable has a working default for local use (see DESIGN.md). A value
//! that is present but wrong stops start-up with a message naming the variable
//! and what it expects; `APP_ENV=production` additionally refuses to start
//! without the secrets a public deployment needs.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    None,
    StartTls,
    Tls,
}

/// A credential from the environment. It has no `Display`, and its `Debug` hides
/// the value, so it cannot end up in a log line or an error message by accident;
/// [`Secret::expose`] is the one way to read it, at the place it is sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<hidden>)")
    }
}

#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    pub pass: Option<Secret>,
    pub tls: SmtpTls,
}

#[derive(Clone)]
pub struct MidtransConfig {
    pub server_key: Secret,
    pub client_key: String,
    pub is_production: bool,
    pub snap_url: String,
    pub api_url: String,
}

/// iPaymu API v2 (`IPAYMU_VA`, `IPAYMU_API_KEY`, `IPAYMU_BASE_URL`).
#[derive(Clone)]
pub struct IpaymuConfig {
    /// The merchant's iPaymu account (its "VA"), sent and signed with every call.
    pub va: String,
    pub api_key: Secret,
    /// `https://sandbox.ipaymu.com` unless set (production: `https://my.ipaymu.com`).
    pub base_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaypalMode {
    Sandbox,
    Live,
}

#[derive(Clone)]
pub struct PaypalConfig {
    pub client_id: String,
    pub client_secret: Secret,
    pub mode: PaypalMode,
    pub webhook_id: Option<String>,
    pub api_url: String,
}

/// Each paid order POSTed as signed JSON (`NOTIFY_WEBHOOK_URL` with `NOTIFY_WEBHOOK_SECRET`).
#[derive(Clone)]
pub struct NotifyWebhook {
    pub url: String,
    pub secret: Secret,
}

/// Sign in with Google (both `GOOGLE_CLIENT_ID` and `GOOGLE_CLIENT_SECRET` set).
#[derive(Clone)]
pub struct GoogleConfig {
    pub client_id: String,
    pub client_secret: Secret,
    /// `GOOGLE_ISSUER_URL`: Google unless a test points it at a fake provider.
    pub issuer_url: String,
}

#[derive(Clone)]
pub struct GithubConfig {
    pub pat: Option<Secret>,
    pub api_url: String,
}

#[derive(Clone)]
pub struct Config {
    pub app_env: AppEnv,
    /// Whether `APP_ENV` was given at all (a public address requires it).
    pub app_env_given: bool,
    pub database_path: PathBuf,
    /// Absolute base URL without a trailing slash, e.g. `https://studio.example`.
    pub site_url: String,
    /// `SECRET_KEY` when set; otherwise one is generated and kept in the database.
    pub secret_key: Option<Secret>,
    pub smtp: Option<SmtpConfig>,
    pub mail_from: String,
    pub admin_notify_email: String,
    pub midtrans: Option<MidtransConfig>,
    pub paypal: Option<PaypalConfig>,
    pub ipaymu: Option<IpaymuConfig>,
    pub github: GithubConfig,
    pub google: Option<GoogleConfig>,
    pub notify_webhook: Option<NotifyWebhook>,
    pub backup_dir: PathBuf,
    pub backup_keep_days: u32,
    /// When the daily backup and clean-up run: seconds after midnight, Asia/Jakarta
    /// (`BACKUP_AT`, `HH:MM`, default 02:00).
    pub backup_at: u32,
    pub storage_dir: PathBuf,
    /// Where mail goes as `.eml` files when no SMTP host is set (`OUTBOX_DIR`, default `outbox`).
    pub outbox_dir: PathBuf,
    /// `TRUSTED_PROXIES` (comma-separated CIDRs, default `127.0.0.1/32,::1/128`; `none`
    /// for no proxy): `X-Forwarded-For` and `X-Forwarded-Proto` are read only from a
    /// TCP peer in this list, and the forwarded chain from the right, skipping entries
    /// in it (`auth::client_ip`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Variables this version no longer reads that were set (a start-up warning names them).
    pub retired_vars: Vec<&'static str>,
    /// Images staff upload, served at `/uploads/` (`UPLOADS_DIR`, default `public/uploads`).
    pub uploads_dir: PathBuf,
    /// `ALLOW_SANDBOX_PAYMENTS=true` keeps the sandbox gateway beside a real one (never in production).
    pub allow_sandbox_payments: bool,
    /// Run the background job worker in this process (tests drive it by hand instead).
    pub run_worker: bool,
    /// `JOB_WORKERS` (default 4): background jobs run at once.
    pub job_workers: usize,
    /// `MAIL_CONCURRENCY` (default 4): mails sent at once.
    pub mail_concurrency: usize,
    /// `METRICS_TOKEN`: lets `/metrics` be read from elsewhere than loopback, as a bearer token.
    pub metrics_token: Option<Secret>,
    /// Tool runs per Asia/Jakarta day and tool: visitors (per IP address) and signed-in members.
    pub tools_free_daily: u32,
    pub tools_member_daily: u32,
    /// Days a lapsed subscription keeps its access (`past_due`) before it expires.
    pub subscription_grace_days: u32,
    /// Who issues receipts: the studio's name, postal address (lines) and tax id (NPWP).
    pub studio: StudioDetails,
    /// The settings' studio name now (mail names the studio by it).
    pub studio_name_now: CurrentName,
    /// `PRODUCT_FILE_MAX_MB` (default 500): the largest product file staff can upload.
    pub product_file_max_mb: u64,
    /// `DELIVERABLE_MAX_MB` (default 200): the largest file staff can deliver to a client.
    pub deliverable_max_mb: u64,
    /// The seed of the key that signs offline license keys (else generated and kept in the database).
    pub license_signing_key: Option<Secret>,
}

/// The studio's name as its settings say now (`STUDIO_NAME` until they are read):
/// mail names the studio by it. Every clone of the configuration shares it; the
/// settings' loader (`AppState::studio_settings`) keeps it current.
#[derive(Clone)]
pub struct CurrentName(std::sync::Arc<std::sync::RwLock<(String, String, crate::domain::Lang)>>);

impl CurrentName {
    pub fn new(name: &str) -> Self {
        Self(std::sync::Arc::new(std::sync::RwLock::new((name.to_owned(), String::new(), crate::domain::Lang::Id))))
    }

    /// The site's language now (links in mail point at the recipient's version of a page).
    pub fn language(&self) -> crate::domain::Lang {
        self.0.read().map(|n| n.2).unwrap_or_default()
    }

    /// Keeps the site's language just read from the settings.
    pub fn set_language(&self, lang: crate::domain::Lang) {
        if self.0.read().is_ok_and(|current| current.2 != lang) {
            if let Ok(mut current) = self.0.write() {
                current.2 = lang;
            }
        }
    }

    pub fn get(&self) -> String {
        self.0.read().map(|n| n.0.clone()).unwrap_or_default()
    }

    /// The logo's version (`/logo.png?v=…`), when the studio has a logo.
    pub fn logo(&self) -> Option<String> {
        self.0.read().ok().map(|n| n.1.clone()).filter(|v| !v.is_empty())
    }

    /// Keeps the name and logo version just read from the settings.
    pub fn set(&self, name: &str, logo: &str) {
        if self.0.read().is_ok_and(|current| current.0 != name || current.1 != logo) {
            if let Ok(mut current) = self.0.write() {
                name.clone_into(&mut current.0);
                logo.clone_into(&mut current.1);
            }
        }
    }
}

/// The studio as receipts name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioDetails {
    pub name: String,
    pub address: Vec<String>,
    pub tax_id: Option<String>,
    /// `STUDIO_LANGUAGE` (`id` or `en`, default `id`): the site's language until staff choose one.
    pub language: crate::domain::Lang,
}

// Secrets stay out of logs: Debug names what is configured, never the values.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("app_env", &self.app_env)
            .field("database_path", &self.database_path)
            .field("site_url", &self.site_url)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<set>"))
            .field("smtp", &self.smtp.as_ref().map(|s| format!("{}:{}", s.host, s.port)))
            .field("mail_from", &self.mail_from)
            .field("midtrans", &self.midtrans.is_some())
            .field("paypal", &self.paypal.is_some())
            .field("ipaymu", &self.ipaymu.as_ref().map(|i| &i.base_url))
            .field("github", &self.github.pat.is_some())
            .field("storage_dir", &self.storage_dir)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("metrics_token", &self.metrics_token.as_ref().map(|_| "<set>"))
            .finish()
    }
}

/// A setting that is present but unusable, or missing where it is required.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{var}: {problem}")]
pub struct ConfigError {
    pub var: &'static str,
    pub problem: String,
}

fn err(var: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { var, problem: problem.into() }
}

/// Where settings come from: the process environment, or a map in tests.
type Lookup = Box<dyn Fn(&str) -> Option<String>>;

pub struct Source(Lookup);

impl Source {
    pub fn env() -> Self {
        Self(Box::new(|key| std::env::var(key).ok()))
    }

    pub fn map(pairs: &[(&str, &str)]) -> Self {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Self(Box::new(move |key| map.get(key).cloned()))
    }

    /// The value, trimmed; an empty value counts as unset.
    fn get(&self, key: &str) -> Option<String> {
        (self.0)(key).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
    }

    fn bool(&self, key: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(key).as_deref().map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true" | "1" | "yes" | "on") => Ok(true),
            Some("false" | "0" | "no" | "off") => Ok(false),
            Some(other) => Err(err(key, format!("expected true or false, got {other:?}"))),
        }
    }

    /// A number within `range` (`default` when unset); else an error saying what was expected.
    fn number<T>(
        &self,
        key: &'static str,
        default: T,
        range: std::ops::RangeInclusive<T>,
        expected: &str,
    ) -> Result<T, ConfigError>
    where
        T: std::str::FromStr + PartialOrd,
    {
        match self.get(key) {
            None => Ok(default),
            Some(n) => n
                .parse::<T>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| err(key, format!("expected {expected}, got {n:?}"))),
        }
    }

    fn url(&self, key: &'static str, default: &str) -> Result<String, ConfigError> {
        let value = self.get(key).unwrap_or_else(|| default.to_owned());
        let rest = value
            .strip_prefix("https://")
            .or_else(|| value.strip_prefix("http://"))
            .ok_or_else(|| err(key, format!("expected an absolute http:// or https:// URL, got {value:?}")))?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() || value.contains(char::is_whitespace) {
            return Err(err(key, format!("expected an absolute URL with a host, got {value:?}")));
        }
        Ok(value.trim_end_matches('/').to_owned())
    }
}

/// The limits an operator may tune: workers, daily tool runs, upload sizes, grace days.
struct Limits {
    job_workers: usize,
    mail_concurrency: usize,
    tools_free_daily: u32,
    tools_member_daily: u32,
    product_file_max_mb: u64,
    deliverable_max_mb: u64,
    subscription_grace_days: u32,
}

impl Limits {
    fn load(src: &Source) -> Result<Self, ConfigError> {
        Ok(Self {
            job_workers: src.number("JOB_WORKERS", 4, 1..=64, "a whole number from 1 to 64")?,
            mail_concurrency: src.number("MAIL_CONCURRENCY", 4, 1..=64, "a whole number from 1 to 64")?,
            tools_free_daily: src.number("TOOLS_FREE_DAILY", 3, 0..=100_000, RUNS_PER_DAY)?,
            tools_member_daily: src.number("TOOLS_MEMBER_DAILY", 20, 0..=100_000, RUNS_PER_DAY)?,
            product_file_max_mb: src.number("PRODUCT_FILE_MAX_MB", 500, 1..=100_000, MEGABYTES)?,
            deliverable_max_mb: src.number("DELIVERABLE_MAX_MB", 200, 1..=100_000, MEGABYTES)?,
            subscription_grace_days: src.number(
                "SUBSCRIPTION_GRACE_DAYS",
                3,
                0..=60,
                "a whole number of days from 0 to 60",
            )?,
        })
    }
}

const RUNS_PER_DAY: &str = "a whole number of runs per day from 0 to 100000";
const MEGABYTES: &str = "a size in megabytes from 1 to 100000";

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::load(&Source::env())
    }

    pub fn load(src: &Source) -> Result<Self, ConfigError> {
        let app_env = Self::app_env(src)?;
        let production = app_env == AppEnv::Production;
        let (mail_from, admin_notify_email) = Self::mail_addresses(src)?;
        let (backup_keep_days, backup_at) = Self::backups(src)?;
        let limits = Limits::load(src)?;
        let config = Config {
            app_env,
            app_env_given: src.get("APP_ENV").is_some(),
            database_path: src.get("DATABASE_PATH").unwrap_or_else(|| "atelier.db".into()).into(),
            site_url: src.url("SITE_URL", "http://127.0.0.1:3000")?,
            secret_key: Self::secret_key(src)?,
            smtp: Self::smtp(src)?,
            mail_from,
            admin_notify_email,
            midtrans: Self::midtrans(src)?,
            paypal: Self::paypal(src)?,
            ipaymu: Self::ipaymu(src)?,
            github: Self::github(src)?,
            google: Self::google(src)?,
            notify_webhook: Self::notify_webhook(src)?,
            backup_dir: src.get("BACKUP_DIR").unwrap_or_else(|| "backups".into()).into(),
            backup_keep_days,
            backup_at,
            storage_dir: src.get("STORAGE_DIR").unwrap_or_else(|| "storage".into()).into(),
            outbox_dir: src.get("OUTBOX_DIR").unwrap_or_else(|| "outbox".into()).into(),
            uploads_dir: src.get("UPLOADS_DIR").unwrap_or_else(|| "public/uploads".into()).into(),
            trusted_proxies: Self::trusted_proxies(src)?,
            retired_vars: ["TRUST_PROXY", "TRUSTED_PROXY_HOPS"].into_iter().filter(|v| src.get(v).is_some()).collect(),
            allow_sandbox_payments: src.bool("ALLOW_SANDBOX_PAYMENTS", false)?,
            run_worker: true,
            job_workers: limits.job_workers,
            mail_concurrency: limits.mail_concurrency,
            metrics_token: Self::metrics_token(src)?,
            tools_free_daily: limits.tools_free_daily,
            tools_member_daily: limits.tools_member_daily,
            subscription_grace_days: limits.subscription_grace_days,
            product_file_max_mb: limits.product_file_max_mb,
            deliverable_max_mb: limits.deliverable_max_mb,
            license_signing_key: Self::license_signing_key(src)?,
            studio: StudioDetails {
                name: src
                    .get("STUDIO_NAME")
                    .map(|n| n.trim().to_owned())
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| "Atelier".into()),
                // Lines separated by "|" (an .env value is one line): "Jl. Sudirman 1|Jakarta 10220".
                address: src
                    .get("STUDIO_ADDRESS")
                    .map(|a| a.split('|').map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect())
                    .unwrap_or_default(),
                tax_id: src.get("STUDIO_TAX_ID").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
                language: match src.get("STUDIO_LANGUAGE") {
                    None => crate::domain::Lang::Id,
                    Some(raw) => crate::domain::Lang::from_tag(&raw)
                        .ok_or_else(|| err("STUDIO_LANGUAGE", format!("expected id or en, got {raw:?}")))?,
                },
            },
            studio_name_now: CurrentName::new(""),
        };
        config.studio_name_now.set(&config.studio.name, "");
        config.studio_name_now.set_language(config.studio.language);
        if production {
            config.check_production(src)?;
        }
        Ok(config)
    }

    // ---- one parser per section: each reads its variables and names the one that is wrong ----

    /// `APP_ENV`: development (the default) or production.
    fn app_env(src: &Source) -> Result<AppEnv, ConfigError> {
        let app_env = match src.get("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("production") => AppEnv::Production,
            Some(other) => return Err(err("APP_ENV", format!("expected development or production, got {other:?}"))),
        };
        Ok(app_env)
    }

    /// `SECRET_KEY`: signs download links and tokens (the database keeps one if unset).
    fn secret_key(src: &Source) -> Result<Option<Secret>, ConfigError> {
        let secret_key = src.get("SECRET_KEY").map(Secret::new);
        if let Some(key) = secret_key.as_ref().map(Secret::expose) {
            if key.len() < 32 {
                return Err(err(
                    "SECRET_KEY",
                    "expected at least 32 characters of random text (try `openssl rand -hex 32`)",
                ));
            }
        }
        Ok(secret_key)
    }

    /// `SMTP_*`: where mail goes (none: into `OUTBOX_DIR`).
    fn smtp(src: &Source) -> Result<Option<SmtpConfig>, ConfigError> {
        let smtp = match src.get("SMTP_HOST") {
            None => None,
            Some(host) => {
                let tls = match src.get("SMTP_TLS").as_deref() {
                    None | Some("starttls") => SmtpTls::StartTls,
                    Some("none") => SmtpTls::None,
                    Some("tls") => SmtpTls::Tls,
                    Some(other) => {
                        return Err(err("SMTP_TLS", format!("expected none, starttls or tls, got {other:?}")))
                    }
                };
                let default_port = match tls {
                    SmtpTls::None => 25,
                    SmtpTls::StartTls => 587,
                    SmtpTls::Tls => 465,
                };
                let port = match src.get("SMTP_PORT") {
                    None => default_port,
                    Some(p) => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                        err("SMTP_PORT", format!("expected a port number from 1 to 65535, got {p:?}"))
                    })?,
                };
                let user = src.get("SMTP_USER");
                let pass = src.get("SMTP_PASS");
                if user.is_some() != pass.is_some() {
                    return Err(err(
                        if user.is_some() { "SMTP_PASS" } else { "SMTP_USER" },
                        "SMTP_USER and SMTP_PASS must be set together",
                    ));
                }
                Some(SmtpConfig { host, port, user, pass: pass.map(Secret::new), tls })
            }
        };
        Ok(smtp)
    }

    /// `MAIL_FROM` and `ADMIN_NOTIFY_EMAIL` (the sender, by default).
    fn mail_addresses(src: &Source) -> Result<(String, String), ConfigError> {
        let mail_from = match src.get("MAIL_FROM") {
            Some(from) => {
                let address = from.rsplit_once('<').map(|(_, a)| a.trim_end_matches('>')).unwrap_or(&from);
                crate::domain::Email::parse(address).map_err(|_| {
                    err(
                        "MAIL_FROM",
                        format!("expected an address like \"Atelier <hello@studio.example>\", got {from:?}"),
                    )
                })?;
                from
            }
            // Shown under the studio's name (its settings'), as every bare address is.
            None => "hello@atelier.localhost".to_owned(),
        };
        let admin_notify_email = match src.get("ADMIN_NOTIFY_EMAIL") {
            Some(a) => crate::domain::Email::parse(&a)
                .map_err(|_| err("ADMIN_NOTIFY_EMAIL", format!("expected an email address, got {a:?}")))?
                .to_string(),
            None => mail_from.clone(),
        };
        Ok((mail_from, admin_notify_email))
    }

    /// `MIDTRANS_*`: Midtrans Snap (both keys, or neither).
    fn midtrans(src: &Source) -> Result<Option<MidtransConfig>, ConfigError> {
        let midtrans = match (src.get("MIDTRANS_SERVER_KEY"), src.get("MIDTRANS_CLIENT_KEY")) {
            (None, None) => None,
            (Some(_), None) => return Err(err("MIDTRANS_CLIENT_KEY", "must be set when MIDTRANS_SERVER_KEY is set")),
            (None, Some(_)) => return Err(err("MIDTRANS_SERVER_KEY", "must be set when MIDTRANS_CLIENT_KEY is set")),
            (Some(server_key), Some(client_key)) => {
                let is_production = src.bool("MIDTRANS_IS_PRODUCTION", false)?;
                let (snap, api) = if is_production {
                    ("https://app.midtrans.com", "https://api.midtrans.com")
                } else {
                    ("https://app.sandbox.midtrans.com", "https://api.sandbox.midtrans.com")
                };
                Some(MidtransConfig {
                    server_key: Secret::new(server_key),
                    client_key,
                    is_production,
                    snap_url: src.url("MIDTRANS_SNAP_URL", snap)?,
                    api_url: src.url("MIDTRANS_API_URL", api)?,
                })
            }
        };
        Ok(midtrans)
    }

    /// `PAYPAL_*`: PayPal Checkout (both credentials, or neither).
    fn paypal(src: &Source) -> Result<Option<PaypalConfig>, ConfigError> {
        let paypal = match (src.get("PAYPAL_CLIENT_ID"), src.get("PAYPAL_CLIENT_SECRET")) {
            (None, None) => None,
            (Some(_), None) => return Err(err("PAYPAL_CLIENT_SECRET", "must be set when PAYPAL_CLIENT_ID is set")),
            (None, Some(_)) => return Err(err("PAYPAL_CLIENT_ID", "must be set when PAYPAL_CLIENT_SECRET is set")),
            (Some(client_id), Some(client_secret)) => {
                let mode = match src.get("PAYPAL_MODE").as_deref() {
                    None | Some("sandbox") => PaypalMode::Sandbox,
                    Some("live") => PaypalMode::Live,
                    Some(other) => return Err(err("PAYPAL_MODE", format!("expected sandbox or live, got {other:?}"))),
                };
                let default_api = match mode {
                    PaypalMode::Sandbox => "https://api-m.sandbox.paypal.com",
                    PaypalMode::Live => "https://api-m.paypal.com",
                };
                Some(PaypalConfig {
                    client_id,
                    client_secret: Secret::new(client_secret),
                    mode,
                    webhook_id: src.get("PAYPAL_WEBHOOK_ID"),
                    api_url: src.url("PAYPAL_API_URL", default_api)?,
                })
            }
        };
        Ok(paypal)
    }

    /// `IPAYMU_*`: iPaymu direct payments (both, or neither).
    fn ipaymu(src: &Source) -> Result<Option<IpaymuConfig>, ConfigError> {
        let ipaymu = match (src.get("IPAYMU_VA"), src.get("IPAYMU_API_KEY")) {
            (None, None) => None,
            (Some(_), None) => return Err(err("IPAYMU_API_KEY", "must be set when IPAYMU_VA is set")),
            (None, Some(_)) => return Err(err("IPAYMU_VA", "must be set when IPAYMU_API_KEY is set")),
            (Some(va), Some(api_key)) => Some(IpaymuConfig {
                va,
                api_key: Secret::new(api_key),
                base_url: src.url("IPAYMU_BASE_URL", "https://sandbox.ipaymu.com")?,
            }),
        };
        Ok(ipaymu)
    }

    /// `GITHUB_*`: the token that invites buyers to private repositories.
    fn github(src: &Source) -> Result<GithubConfig, ConfigError> {
        let github = GithubConfig {
            pat: src.get("GITHUB_PAT").map(Secret::new),
            api_url: src.url("GITHUB_API_URL", "https://api.github.com")?,
        };
        Ok(github)
    }

    /// `GOOGLE_*`: Sign in with Google (both, or neither).
    fn google(src: &Source) -> Result<Option<GoogleConfig>, ConfigError> {
        let google = match (src.get("GOOGLE_CLIENT_ID"), src.get("GOOGLE_CLIENT_SECRET")) {
            (None, None) => None,
            (Some(client_id), Some(secret)) if !client_id.trim().is_empty() && !secret.trim().is_empty() => {
                Some(GoogleConfig {
                    client_id: client_id.trim().to_owned(),
                    client_secret: Secret::new(secret.trim().to_owned()),
                    issuer_url: src.url("GOOGLE_ISSUER_URL", "https://accounts.google.com")?,
                })
            }
            (Some(_), _) => {
                return Err(err("GOOGLE_CLIENT_SECRET", "is needed with GOOGLE_CLIENT_ID for Sign in with Google"))
            }
            (None, Some(_)) => {
                return Err(err("GOOGLE_CLIENT_ID", "is needed with GOOGLE_CLIENT_SECRET for Sign in with Google"))
            }
        };
        Ok(google)
    }

    /// `NOTIFY_WEBHOOK_*`: the signed event webhook.
    fn notify_webhook(src: &Source) -> Result<Option<NotifyWebhook>, ConfigError> {
        let notify_webhook = match src.get("NOTIFY_WEBHOOK_URL") {
            None => None,
            Some(_) => Some(NotifyWebhook {
                url: src.url("NOTIFY_WEBHOOK_URL", "")?,
                secret: Secret::new(src.get("NOTIFY_WEBHOOK_SECRET").ok_or_else(|| {
                    err(
                        "NOTIFY_WEBHOOK_SECRET",
                        "is needed with NOTIFY_WEBHOOK_URL: the receiver checks each event's signature with it",
                    )
                })?),
            }),
        };
        Ok(notify_webhook)
    }

    /// `BACKUP_KEEP_DAYS` and `BACKUP_AT` (a Jakarta time of day, in seconds after midnight).
    fn backups(src: &Source) -> Result<(u32, u32), ConfigError> {
        let backup_keep_days =
            src.number("BACKUP_KEEP_DAYS", 30, 1..=u32::MAX, "a whole number of days (1 or more)")?;

        let backup_at = match src.get("BACKUP_AT") {
            None => 2 * 3600,
            Some(t) => t
                .split_once(':')
                .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
                .filter(|(h, m)| *h < 24 && *m < 60 && t.len() == 5)
                .map(|(h, m)| h * 3600 + m * 60)
                .ok_or_else(|| {
                    err("BACKUP_AT", format!("expected a time of day as HH:MM (Asia/Jakarta), got {t:?}"))
                })?,
        };
        Ok((backup_keep_days, backup_at))
    }

    /// `TRUSTED_PROXIES`: whose `X-Forwarded-For` is believed.
    fn trusted_proxies(src: &Source) -> Result<Vec<ipnet::IpNet>, ConfigError> {
        let trusted_proxies = parse_cidrs(
            &src.get("TRUSTED_PROXIES").unwrap_or_else(|| DEFAULT_TRUSTED_PROXIES.to_owned()),
        )
        .map_err(|bad| {
            err("TRUSTED_PROXIES", format!("expected comma-separated addresses or CIDRs like 10.0.0.0/8, got {bad:?}"))
        })?;
        Ok(trusted_proxies)
    }

    /// `LICENSE_SIGNING_KEY`: the Ed25519 seed license keys are signed with.
    fn license_signing_key(src: &Source) -> Result<Option<Secret>, ConfigError> {
        let license_signing_key = src.get("LICENSE_SIGNING_KEY").map(Secret::new);
        if license_signing_key.as_ref().is_some_and(|k| seed_from_text(k.expose()).is_none()) {
            return Err(err(
                "LICENSE_SIGNING_KEY",
                "expected a 32-byte Ed25519 seed as 64 hex digits or base64 (the database keeps one if unset)",
            ));
        }
        Ok(license_signing_key)
    }

    /// `METRICS_TOKEN`: lets `/metrics` be read from elsewhere than this machine.
    fn metrics_token(src: &Source) -> Result<Option<Secret>, ConfigError> {
        let metrics_token = src.get("METRICS_TOKEN").map(Secret::new);
        if metrics_token.as_ref().is_some_and(|t| t.expose().len() < 16) {
            return Err(err("METRICS_TOKEN", "expected at least 16 characters of random text"));
        }
        Ok(metrics_token)
    }

    /// A public deployment must not run on development defaults.
    fn check_production(&self, src: &Source) -> Result<(), ConfigError> {
        if self.secret_key.is_none() {
            return Err(err("SECRET_KEY", "is required when APP_ENV=production (at least 32 random characters)"));
        }
        if !self.site_url.starts_with("https://") {
            return Err(err("SITE_URL", "must be an https:// URL when APP_ENV=production (cookies are Secure)"));
        }
        if self.smtp.is_none() {
            return Err(err("SMTP_HOST", "is required when APP_ENV=production (mail cannot go to the outbox folder)"));
        }
        if src.get("MAIL_FROM").is_none() {
            return Err(err("MAIL_FROM", "is required when APP_ENV=production"));
        }
        if self.allow_sandbox_payments {
            return Err(err("ALLOW_SANDBOX_PAYMENTS", "cannot be true when APP_ENV=production"));
        }
        Ok(())
    }

    pub fn is_production(&self) -> bool {
        self.app_env == AppEnv::Production
    }

    /// The local sandbox gateway: development only, and only alone unless explicitly allowed.
    pub fn sandbox_payments_enabled(&self) -> bool {
        !self.is_production()
            && ((self.midtrans.is_none() && self.paypal.is_none() && self.ipaymu.is_none())
                || self.allow_sandbox_payments)
    }

    /// An absolute link for mails and payment callbacks: `url("/login")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.site_url, path)
    }
}

/// A 32-byte key seed written as 64 hex digits or base64 (standard or URL-safe, padded or not).
pub fn seed_from_text(text: &str) -> Option<[u8; 32]> {
    use base64::Engine;
    let text = text.trim();
    let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).ok()?
    } else {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .ok()
            .or_else(|| base64::engine::general_purpose::STANDARD.decode(text).ok())?
    };
    bytes.try_into().ok()
}

/// The reverse proxies trusted when `TRUSTED_PROXIES` is not set: one on this machine.
pub const DEFAULT_TRUSTED_PROXIES: &str = "127.0.0.1/32,::1/128";

/// Comma-separated CIDRs (a bare address is one host); `none` or nothing for no proxy.
/// On failure, the entry that is not one.
fn parse_cidrs(raw: &str) -> Result<Vec<ipnet::IpNet>, String> {
    if raw.trim().eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    raw.split(',')
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| {
            e.parse::<ipnet::IpNet>()
                .or_else(|_| e.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| e.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_output() {
        let c = Config::load(&Source::map(&[
            ("SECRET_KEY", "k-0123456789abcdef0123456789abcdef"),
            ("SMTP_HOST", "smtp.example"),
            ("SMTP_USER", "u"),
            ("SMTP_PASS", "p-smtp-password"),
            ("MIDTRANS_SERVER_KEY", "p-midtrans-key"),
            ("MIDTRANS_CLIENT_KEY", "c"),
            ("PAYPAL_CLIENT_ID", "id"),
            ("PAYPAL_CLIENT_SECRET", "p-paypal-secret"),
            ("IPAYMU_VA", "1179000899"),
            ("IPAYMU_API_KEY", "p-ipaymu-key"),
            ("GITHUB_PAT", "p-github-token"),
            ("METRICS_TOKEN", "p-metrics-token-0123"),
        ]))
        .unwrap();
        let shown = format!("{c:?} {:?} {:?}", c.smtp.as_ref().unwrap().pass, c.github.pat);
        for secret in ["0123456789abcdef", "p-smtp", "p-midtrans", "p-paypal", "p-ipaymu", "p-github", "p-metrics"] {
            assert!(!shown.contains(secret), "{secret} leaked: {shown}");
        }
        assert_eq!(c.github.pat.as_ref().map(Secret::expose), Some("p-github-token"));
    }

    fn load(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::load(&Source::map(pairs))
    }

    #[test]
    fn a_fresh_checkout_runs_with_nothing_set() {
        let c = load(&[]).unwrap();
        assert_eq!(c.app_env, AppEnv::Development);
        assert_eq!(c.database_path, PathBuf::from("atelier.db"));
        assert_eq!(c.site_url, "http://127.0.0.1:3000");
        assert!(c.smtp.is_none());
        assert!(c.sandbox_payments_enabled());
        assert_eq!(c.backup_keep_days, 30);
        assert_eq!(c.backup_at, 2 * 3600);
        assert_eq!(c.trusted_proxies, parse_cidrs("127.0.0.1/32, ::1/128").unwrap());
        assert!(c.retired_vars.is_empty());
        assert_eq!(load(&[("BACKUP_AT", "23:45")]).unwrap().backup_at, 23 * 3600 + 45 * 60);
        assert_eq!(c.url("/login"), "http://127.0.0.1:3000/login");
        // A new studio speaks Indonesian until told otherwise.
        assert_eq!(c.studio.language, crate::domain::Lang::Id);
        assert_eq!(load(&[("STUDIO_LANGUAGE", "en")]).unwrap().studio.language, crate::domain::Lang::En);
        let refused = load(&[("STUDIO_LANGUAGE", "fr")]).unwrap_err().to_string();
        assert!(refused.contains("STUDIO_LANGUAGE") && refused.contains("expected id or en"), "{refused}");
    }

    #[test]
    fn trusted_proxies_are_cidrs_and_the_retired_hop_count_is_named() {
        let c = load(&[("TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7 ,2001:db8::/32"), ("TRUST_PROXY", "true")]).unwrap();
        let shown: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.0.2.7/32", "2001:db8::/32"]);
        assert_eq!(c.retired_vars, ["TRUST_PROXY"]);
        assert!(load(&[("TRUSTED_PROXIES", "none")]).unwrap().trusted_proxies.is_empty());
        // A host part in a CIDR is cut to the network.
        assert_eq!(load(&[("TRUSTED_PROXIES", "10.1.2.3/8")]).unwrap().trusted_proxies[0].to_string(), "10.0.0.0/8");
    }

    #[test]
    fn wrong_values_name_the_variable() {
        let cases: &[(&str, &str, &str)] = &[
            ("SMTP_PORT", "abc", "SMTP_PORT"),
            ("APP_ENV", "staging", "APP_ENV"),
            ("SITE_URL", "example.com", "SITE_URL"),
            ("TRUSTED_PROXIES", "10.0.0.0/8, nginx", "TRUSTED_PROXIES"),
            ("TRUSTED_PROXIES", "10.0.0.0/33", "TRUSTED_PROXIES"),
            ("BACKUP_KEEP_DAYS", "0", "BACKUP_KEEP_DAYS"),
            ("BACKUP_AT", "2am", "BACKUP_AT"),
            ("BACKUP_AT", "24:00", "BACKUP_AT"),
            ("BACKUP_AT", "2:00", "BACKUP_AT"),
            ("SECRET_KEY", "short", "SECRET_KEY"),
            ("MIDTRANS_SERVER_KEY", "SB-Mid-server-x", "MIDTRANS_CLIENT_KEY"),
            ("JOB_WORKERS", "0", "JOB_WORKERS"),
            ("MAIL_CONCURRENCY", "65", "MAIL_CONCURRENCY"),
            ("TOOLS_FREE_DAILY", "-1", "TOOLS_FREE_DAILY"),
            ("TOOLS_MEMBER_DAILY", "100001", "TOOLS_MEMBER_DAILY"),
            ("PRODUCT_FILE_MAX_MB", "0", "PRODUCT_FILE_MAX_MB"),
            ("DELIVERABLE_MAX_MB", "lots", "DELIVERABLE_MAX_MB"),
            ("SUBSCRIPTION_GRACE_DAYS", "61", "SUBSCRIPTION_GRACE_DAYS"),
            ("PAYPAL_CLIENT_SECRET", "s", "PAYPAL_CLIENT_ID"),
            ("GOOGLE_CLIENT_ID", "id", "GOOGLE_CLIENT_SECRET"),
            ("NOTIFY_WEBHOOK_URL", "https://hooks.example", "NOTIFY_WEBHOOK_SECRET"),
            ("METRICS_TOKEN", "short", "METRICS_TOKEN"),
        ];
        for (key, value, named) in cases {
            let mut pairs = vec![(*key, *value)];
            if *key == "SMTP_PORT" {
                pairs.push(("SMTP_HOST", "127.0.0.1"));
            }
            let e = load(&pairs).unwrap_err();
            assert_eq!(e.var, *named, "{key}={value}: {e}");
            assert!(
                e.problem.starts_with("expected") || e.problem.contains("must") || e.problem.contains("needed"),
                "{e}"
            );
        }
        let e = load(&[("JOB_WORKERS", "0")]).unwrap_err();
        assert_eq!(e.to_string(), "JOB_WORKERS: expected a whole number from 1 to 64, got \"0\"");
        let e = load(&[("TOOLS_FREE_DAILY", "x")]).unwrap_err();
        assert_eq!(e.problem, "expected a whole number of runs per day from 0 to 100000, got \"x\"");
    }

    #[test]
    fn production_refuses_development_defaults() {
        let e = load(&[("APP_ENV", "production")]).unwrap_err();
        assert_eq!(e.var, "SECRET_KEY");
        let secret = "x".repeat(40);
        let e = load(&[("APP_ENV", "production"), ("SECRET_KEY", &secret), ("SITE_URL", "https://studio.example")])
            .unwrap_err();
        assert_eq!(e.var, "SMTP_HOST");
        let ok = load(&[
            ("APP_ENV", "production"),
            ("SECRET_KEY", &secret),
            ("SITE_URL", "https://studio.example/"),
            ("SMTP_HOST", "smtp.example"),
            ("MAIL_FROM", "Studio <hello@studio.example>"),
        ])
        .unwrap();
        assert!(!ok.sandbox_payments_enabled());
        assert_eq!(ok.site_url, "https://studio.example");
    }

    #[test]
    fn a_real_gateway_turns_the_sandbox_off_unless_allowed() {
        let with_midtrans = [("MIDTRANS_SERVER_KEY", "s"), ("MIDTRANS_CLIENT_KEY", "c")];
        assert!(!load(&with_midtrans).unwrap().sandbox_payments_enabled());
        let mut allowed = with_midtrans.to_vec();
        allowed.push(("ALLOW_SANDBOX_PAYMENTS", "true"));
        assert!(load(&allowed).unwrap().sandbox_payments_enabled());
        let with_ipaymu = [("IPAYMU_VA", "1179000899"), ("IPAYMU_API_KEY", "k")];
        let c = load(&with_ipaymu).unwrap();
        assert!(!c.sandbox_payments_enabled());
        assert_eq!(c.ipaymu.unwrap().base_url, "https://sandbox.ipaymu.com", "iPaymu's sandbox unless told otherwise");
        let half = load(&[("IPAYMU_VA", "1179000899")]).err().unwrap().to_string();
        assert!(half.contains("IPAYMU_API_KEY"), "{half}");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let c = load(&[
            ("SECRET_KEY", &"s3cr3t".repeat(8)),
            ("SMTP_HOST", "h"),
            ("SMTP_USER", "u"),
            ("SMTP_PASS", "hunter2"),
        ])
        .unwrap();
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cr3t") && !shown.contains("hunter2"));
    }

    #[test]
    fn a_license_signing_key_must_be_an_ed25519_seed() {
        let err = Config::load(&Source::map(&[("LICENSE_SIGNING_KEY", "not a key")])).expect_err("refused");
        assert_eq!(err.var, "LICENSE_SIGNING_KEY");
        let hex_seed = "ab".repeat(32);
        assert!(Config::load(&Source::map(&[("LICENSE_SIGNING_KEY", hex_seed.as_str())])).is_ok());
    }
}
