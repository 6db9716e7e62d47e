//! The studio's settings at run time: read once into the content cache (emptied
//! by every admin edit, this one included), read inside a transaction where a
//! payment needs them, with the environment's values until staff save their own.

use crate::domain::settings::StudioSettings;
use crate::server::config::Config;
use crate::server::db::{self, DbError};
use rusqlite::Connection;

pub(super) const KEY: &str = "studio";

/// The settings as stored, or the defaults from the environment
/// (`STUDIO_NAME`, `STUDIO_ADDRESS`, `STUDIO_TAX_ID`, `STUDIO_LANGUAGE`).
pub fn load(conn: &Connection, config: &Config) -> Result<StudioSettings, DbError> {
    if let Some(json) = db::settings::get(conn, KEY)? {
        match serde_json::from_str(&json) {
            Ok(settings) => return Ok(settings),
            Err(err) => tracing::warn!(error = %err, "stored studio settings unreadable: the defaults apply"),
        }
    }
    Ok(StudioSettings {
        name: config.studio.name.clone(),
        address: config.studio.address.clone(),
        tax_id: config.studio.tax_id.clone().unwrap_or_default(),
        language: config.studio.language,
        ..StudioSettings::default()
    })
}

/// The language to write to the studio's team at `to` in: the account's with that
/// address (a staff member's own choice), else the studio's.
pub fn staff_language(conn: &Connection, config: &Config, to: &str) -> Result<crate::domain::Lang, DbError> {
    match db::users::account_lang(conn, to)? {
        Some(lang) => Ok(lang),
        None => Ok(load(conn, config)?.language),
    }
}

/// Stores `settings`, audited with the names of what changed.
pub fn save(conn: &mut Connection, config: &Config, actor: i64, settings: &StudioSettings) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    let before = load(&tx, config)?;
    // The logo is changed by its own upload; the form keeps it.
    let settings = &StudioSettings { logo: before.logo.clone(), ..settings.clone() };
    let json = serde_json::to_string(settings)?;
    db::settings::set(&tx, KEY, &json)?;
    db::audit::record(&tx, Some(actor), "settings.saved", "studio", &changed_fields(&before, settings)?)?;
    tx.commit()?;
    Ok(())
}

/// The fields of a saved form that differ from what it was, as the audit log names
/// them ("headline, sections").
pub fn changed_fields<T: serde::Serialize>(before: &T, after: &T) -> Result<String, serde_json::Error> {
    let (old, new) = (serde_json::to_value(before)?, serde_json::to_value(after)?);
    let changed: Vec<&str> = new
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| old.get(k.as_str()) != Some(*v))
        .map(|(k, _)| k.as_str())
        .collect();
    Ok(changed.join(", "))
}

/// The logo as receipts and invoices print it, if the studio has one.
pub fn letterhead(conn: &Connection) -> Result<Option<crate::server::pdf::Image>, DbError> {
    Ok(db::studio_images::get(conn, "logo")?.and_then(|logo| crate::server::pdf::Image::from_png(&logo.bytes)))
}

/// What the fixed pages state about this installation (`domain::legal`): the studio
/// from its settings, the ways of paying configured, the retention applied.
pub fn legal_facts(conn: &Connection, config: &Config) -> Result<crate::domain::legal::LegalFacts, DbError> {
    use crate::domain::orders::Gateway;
    let settings = load(conn, config)?;
    let mut gateways = Vec::new();
    for (configured, gateway) in [
        (config.midtrans.is_some(), Gateway::Midtrans),
        (config.paypal.is_some(), Gateway::Paypal),
        (config.ipaymu.is_some(), Gateway::Ipaymu),
    ] {
        if configured && (settings.gateways.is_empty() || settings.gateways.contains(&gateway)) {
            gateways.push(gateway.label());
        }
    }
    Ok(crate::domain::legal::LegalFacts {
        name: settings.name.clone(),
        legal_name: settings.legal_name().to_owned(),
        address: settings.address.clone(),
        contact_email: settings.contact_email.clone(),
        sandbox_only: gateways.is_empty(),
        gateways,
        google_sign_in: config.google.is_some(),
        backup_keep_days: config.backup_keep_days,
        session_hours: crate::server::auth::SESSION_HOURS,
        remember_days: crate::server::auth::REMEMBER_DAYS,
        session_cookie: crate::server::auth::SESSION_COOKIE,
        subscription_grace_days: config.subscription_grace_days,
    })
}

/// The fixed pages a studio starts with, written from [`legal_facts`], inserted where missing.
pub fn ensure_fixed_pages(conn: &Connection, config: &Config) -> Result<(), DbError> {
    let pages = crate::domain::legal::fixed_pages(&legal_facts(conn, config)?);
    db::content::ensure_fixed_pages(conn, &pages, crate::server::markdown::render)
}

/// The demo studio's name, so a site filled with demo content says it is one
/// (`seed --demo`), unless staff saved settings already.
pub fn name_the_demo(conn: &Connection, config: &Config) -> Result<(), DbError> {
    if db::settings::get(conn, KEY)?.is_some() {
        return Ok(());
    }
    let demo = StudioSettings {
        name: "Example Studio".into(),
        legal_name: "Example Studio (a demo of Atelier)".into(),
        contact_email: "hello@example.com".into(),
        // The demo's posts, products and pages are written in English.
        language: crate::domain::Lang::En,
        ..load(conn, config)?
    };
    db::settings::set(conn, KEY, &serde_json::to_string(&demo)?)
}

/// Who is mailed each new order.
pub fn notify_recipients(settings: &StudioSettings, config: &Config) -> Vec<String> {
    if settings.notify_recipients.is_empty() {
        vec![config.admin_notify_email.clone()]
    } else {
        settings.notify_recipients.clone()
    }
}
