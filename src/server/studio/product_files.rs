//! Product files: staff uploads streamed to private storage, the "Send update"
//! mailing to every buyer, and the unsubscribe link those mails carry.

use crate::domain::product_files::{validate_changelog, validate_label, validate_version, UploadRefusal};
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::db::{audit, catalog, deliveries, product_files, DbError};
use crate::server::jobs::{self, JobError, JobKind};
use crate::server::mail::{self, templates};
use crate::server::state::SecretKey;
use crate::server::storage::{random_name, PartFile, Received};
use crate::server::telemetry::chain;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::Path;
use std::sync::Arc;

/// Where uploaded product files live, inside the storage folder.
pub const FOLDER: &str = "products";
/// Buyers mailed per transaction of a "Send update".
const UPDATE_BATCH: i64 = 50;

/// A product upload as the form sent it: the bytes already streamed to a part
/// file of the storage folder (by the web layer), and the fields beside them.
#[derive(Default)]
pub struct Upload {
    /// A new version of this file; `None`: a new file named `label`.
    pub file_id: Option<i64>,
    pub label: String,
    pub version: String,
    pub changelog: String,
    pub received: Option<Received>,
}

/// Records an uploaded product file (a new file, or a new version of one of the
/// product's files) and keeps its bytes under their final name.
pub async fn store(
    db: &Db,
    storage_dir: &Path,
    staff_id: i64,
    product_id: i64,
    form: Upload,
) -> Result<String, UploadRefusal> {
    let received = form.received.ok_or(UploadRefusal::NoFile)?;
    let label = if form.file_id.is_none() {
        validate_label(&form.label).map_err(|_| UploadRefusal::Label)?
    } else {
        String::new()
    };
    let version = validate_version(&form.version).map_err(|_| UploadRefusal::Version)?;
    let changelog = validate_changelog(&form.changelog).map_err(|_| UploadRefusal::Changelog)?;
    // Give the bytes their final name, then record them; a failed record removes them.
    let name = random_name().map_err(|_| UploadRefusal::Storage)?;
    let storage_path = format!("{FOLDER}/{name}");
    let final_path = storage_dir.join(&storage_path);
    let Received { part, original_name, bytes, sha256 } = received;
    let part_path = part.path().ok_or(UploadRefusal::Storage)?;
    tokio::fs::rename(&part_path, &final_path).await.map_err(|err| {
        tracing::error!(error = %chain(&err), "could not move an upload into place");
        UploadRefusal::Storage
    })?;
    part.keep();
    let stored = PartFile::new(final_path);
    let (name_for_db, path_for_db) = (original_name.clone(), storage_path.clone());
    let file_id = form.file_id;
    let recorded = db
        .run(move |c| -> Result<Result<(String, String, i64), UploadRefusal>, DbError> {
            let tx = c.transaction()?;
            let (file_id, label) = match file_id {
                Some(id) => match product_files::product_of_file(&tx, id)? {
                    Some(p) if p == product_id => (id, product_files::label(&tx, id)?),
                    _ => return Ok(Err(UploadRefusal::UnknownFile)),
                },
                None => (product_files::create_file(&tx, product_id, &label)?, label),
            };
            let new = product_files::NewVersion {
                version: version.as_deref(),
                storage_path: &path_for_db,
                original_name: &name_for_db,
                bytes: bytes as i64,
                sha256: &sha256,
                changelog_md: &changelog,
                uploaded_by: staff_id,
            };
            let (version_id, seq) = product_files::add_version(&tx, file_id, &new)?;
            let shown = product_files::version(&tx, version_id)?.map(|v| v.version).unwrap_or_else(|| seq.to_string());
            audit::record(
                &tx,
                Some(staff_id),
                "product_file.uploaded",
                &format!("product:{product_id}"),
                &format!("{label}: version {shown} ({name_for_db}, {bytes} bytes)"),
            )?;
            tx.commit()?;
            Ok(Ok((label, shown, seq)))
        })
        .await;
    match recorded {
        Ok(Ok((label, shown, _))) => {
            stored.keep();
            tracing::info!(staff = staff_id, product_id, bytes, file = %storage_path, "product file uploaded");
            Ok(format!("Uploaded {original_name} as version {shown} of “{label}”."))
        }
        Ok(Err(refusal)) => Err(refusal),
        Err(err) => {
            tracing::error!(error = %chain(&err), "could not record an uploaded product file");
            Err(UploadRefusal::Storage)
        }
    }
}

/// The payload of a `product_update` job: mail every buyer about one version.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct UpdateJob {
    pub version_id: i64,
}

/// Why "Send update" was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendRefusal {
    NotFound,
    NotCurrent,
}

/// Starts mailing buyers about `version_id` (the current version of its file).
/// Pressing twice, or a restart midway, mails nobody twice: returns whether this
/// press started it.
pub async fn send_update(
    db: &Db,
    staff_id: i64,
    product_id: i64,
    version_id: i64,
) -> Result<Result<bool, SendRefusal>, DbError> {
    db.run(move |c| {
        let tx = c.transaction()?;
        let Some(v) = product_files::version(&tx, version_id)?.filter(|v| v.product_id == product_id) else {
            return Ok(Err(SendRefusal::NotFound));
        };
        let current = product_files::current_for(&tx, product_id, Some(v.file_id))?;
        if current.map(|cur| cur.id) != Some(v.id) {
            return Ok(Err(SendRefusal::NotCurrent));
        }
        if !product_files::start_update(&tx, version_id, staff_id)? {
            return Ok(Ok(false));
        }
        let options = jobs::Options {
            dedupe_key: Some(&format!("product-update:{version_id}")),
            priority: jobs::Priority::Bulk,
            ..jobs::Options::default()
        };
        jobs::enqueue_with(&tx, JobKind::ProductUpdate, &UpdateJob { version_id }, options)?;
        audit::record(
            &tx,
            Some(staff_id),
            "product_file.update_sent",
            &format!("product:{product_id}"),
            &format!("{}: version {}", v.label, v.version),
        )?;
        tx.commit()?;
        Ok(Ok(true))
    })
    .await
}

/// The `product_update` job: in batches, each buyer not yet mailed gets a fresh
/// link to the file and the changelog, recorded in the same transaction as their
/// mail, so a restart resumes where it stopped and nobody is mailed twice.
pub async fn run_update(
    db: &Db,
    config: &Arc<Config>,
    secret: &Arc<SecretKey>,
    job: UpdateJob,
) -> Result<(), JobError> {
    let version_id = job.version_id;
    loop {
        let config = config.clone();
        let secret = secret.clone();
        let mailed = db
            .run(move |c| -> Result<usize, DbError> {
                let tx = c.transaction()?;
                let Some(v) = product_files::version(&tx, version_id)? else { return Ok(0) };
                let Some(product) = catalog::by_id(&tx, v.product_id)? else { return Ok(0) };
                let max = catalog::delivery_config(&tx, product.id)?.1.max_downloads.unwrap_or(5);
                let changelog_html = crate::server::markdown::render(&v.changelog_md);
                let recipients = product_files::next_recipients(&tx, v.product_id, version_id, UPDATE_BATCH)?;
                for r in &recipients {
                    if !product_files::mark_mailed(&tx, version_id, r.user_id, r.order_id)? {
                        continue;
                    }
                    let token = deliveries::create_download_link(&tx, r.order_id, Some(v.file_id), max)?;
                    let update = templates::ProductUpdate {
                        product: &product.name,
                        label: &v.label,
                        version: &v.version,
                        changelog_md: &v.changelog_md,
                        changelog_html: &changelog_html,
                        token: &token,
                        max,
                        unsubscribe: &unsubscribe_url(&config, secret.bytes(), r.user_id),
                    };
                    let email = templates::product_update(&config, r.lang, &r.email, &r.name, &update);
                    mail::enqueue_bulk(&tx, &email, &format!("product-update:{version_id}:{}", r.user_id))?;
                }
                if recipients.is_empty() {
                    product_files::finish_update(&tx, version_id)?;
                }
                tx.commit()?;
                Ok(recipients.len())
            })
            .await?;
        if mailed == 0 {
            return Ok(());
        }
        tracing::info!(version_id, mailed, "product update mailed to a batch of buyers");
    }
}

/// The token of a member's unsubscribe link: an HMAC of their id under the studio's secret.
fn unsubscribe_token(secret: &[u8], user_id: i64) -> String {
    use hmac::{Mac, SimpleHmac};
    let mut mac = <SimpleHmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"atelier unsubscribe product-updates\0");
    mac.update(&user_id.to_be_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// The one-click unsubscribe link of a member's product-update mail.
pub fn unsubscribe_url(config: &crate::server::config::Config, secret: &[u8], user_id: i64) -> String {
    config.url(&format!("/mail/unsubscribe?u={user_id}&t={}", unsubscribe_token(secret, user_id)))
}

#[derive(Debug, Deserialize)]
pub struct UnsubscribeQuery {
    #[serde(default)]
    u: String,
    #[serde(default)]
    pub t: String,
}

impl UnsubscribeQuery {
    /// The member the link is for, if its token is theirs.
    pub fn member(&self, secret: &[u8]) -> Option<i64> {
        let id: i64 = self.u.parse().ok()?;
        let expected = unsubscribe_token(secret, id);
        let given = self.t.as_bytes();
        bool::from(subtle::ConstantTimeEq::ct_eq(given, expected.as_bytes())).then_some(id)
    }
}

/// Measures files named by hand before uploads existed (their size was not known
/// to the migration). Runs at start; a missing file is left for staff to see.
pub async fn measure_unmeasured(db: &Db, storage_dir: &Path) {
    let listed = match db.read(product_files::unmeasured).await {
        Ok(list) => list,
        Err(err) => {
            tracing::warn!(error = %chain(&err), "could not list product files to measure");
            return;
        }
    };
    for (id, path) in listed {
        let Ok(meta) = tokio::fs::metadata(storage_dir.join(&path)).await else {
            tracing::warn!(file = %path, "a product file is missing from storage");
            continue;
        };
        let bytes = meta.len() as i64;
        if let Err(err) = db.run(move |c| product_files::set_size(c, id, bytes)).await {
            tracing::warn!(error = %chain(&err), "could not record a product file's size");
        }
    }
}

/// Removes an old version's bytes once its row is gone (and no other version uses them).
pub async fn remove_stored(db: &Db, storage_dir: &Path, storage_path: String) {
    let path = storage_path.clone();
    match db.read(move |c| product_files::storage_in_use(c, &path)).await {
        Ok(false) => {}
        Ok(true) => return,
        Err(err) => {
            tracing::warn!(error = %chain(&err), "could not check a deleted version's file");
            return;
        }
    }
    let Ok(relative) = crate::domain::delivery::validate_storage_path(&storage_path) else { return };
    if let Err(err) = tokio::fs::remove_file(storage_dir.join(relative)).await {
        tracing::warn!(error = %err, file = %storage_path, "could not remove a deleted version's file");
    }
}
