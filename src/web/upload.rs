//! Reading upload forms: each `multipart/form-data` body is read field by field,
//! the file streamed to a part file of private storage (hashed as it goes, never
//! more than the form's limit), the text fields bounded. What comes out is the
//! plain form the service records (`product_files::Upload`, `work::DeliverableUpload`,
//! a message's body and attachment); a broken or oversized body is refused here.

use crate::domain::product_files::{clean_file_name, UploadRefusal};
use crate::server::storage::{random_name, PartFile, Received};
use crate::server::studio::product_files::{self, Upload};
use crate::server::studio::work::{self, DeliverableUpload, Refusal};
use crate::server::telemetry::chain;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::Multipart;
use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use std::path::Path;
use tokio::io::AsyncWriteExt;

/// The most bytes a text field of an upload form may have.
const TEXT_FIELD_MAX: usize = 64 * 1024;

fn broken(err: &MultipartError) -> UploadRefusal {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadRefusal::TooLarge
    } else {
        UploadRefusal::Broken
    }
}

async fn read_text(mut field: Field<'_>) -> Result<String, UploadRefusal> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| broken(&e))? {
        if bytes.len() + chunk.len() > TEXT_FIELD_MAX {
            return Err(UploadRefusal::Changelog);
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| UploadRefusal::Broken)
}

/// Streams the file field to a part file in `folder` of the storage, hashing as
/// it goes; never more than `max` bytes.
async fn receive(storage_dir: &Path, folder: &str, mut field: Field<'_>, max: u64) -> Result<Received, UploadRefusal> {
    let original_name = clean_file_name(field.file_name().unwrap_or_default());
    let dir = storage_dir.join(folder);
    let name = random_name().map_err(|err| {
        tracing::error!(error = %err, "no randomness for an upload's name");
        UploadRefusal::Storage
    })?;
    let path = dir.join(format!(".part-{name}"));
    let storage = |err: std::io::Error| {
        tracing::error!(error = %chain(&err), dir = %dir.display(), "could not write an upload to storage");
        UploadRefusal::Storage
    };
    tokio::fs::create_dir_all(&dir).await.map_err(storage)?;
    let mut out = tokio::fs::File::create(&path).await.map_err(storage)?;
    let part = PartFile::new(path);
    let (mut hasher, mut bytes) = (Sha256::new(), 0u64);
    while let Some(chunk) = field.chunk().await.map_err(|e| broken(&e))? {
        bytes += chunk.len() as u64;
        if bytes > max {
            // Read the rest without keeping it, so the browser gets the answer
            // rather than a connection reset (bounded).
            let mut drained = bytes;
            while let Ok(Some(chunk)) = field.chunk().await {
                drained += chunk.len() as u64;
                if drained > max.saturating_mul(4) {
                    break;
                }
            }
            return Err(UploadRefusal::TooLarge);
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await.map_err(storage)?;
    }
    out.sync_all().await.map_err(storage)?;
    if bytes == 0 {
        return Err(UploadRefusal::NoFile);
    }
    Ok(Received { part, original_name, bytes, sha256: hex::encode(hasher.finalize()) })
}

/// A product file upload: at most `max` bytes of file.
pub(crate) async fn product_file(storage_dir: &Path, form: &mut Multipart, max: u64) -> Result<Upload, UploadRefusal> {
    let mut out = Upload::default();
    while let Some(field) = form.next_field().await.map_err(|e| broken(&e))? {
        match field.name().unwrap_or_default() {
            "file" => {
                if field.file_name().is_none_or(str::is_empty) {
                    read_text(field).await?; // a form posted without choosing a file
                    continue;
                }
                out.received = Some(receive(storage_dir, product_files::FOLDER, field, max).await?);
            }
            "file_id" => match read_text(field).await?.trim() {
                "" | "new" => out.file_id = None,
                id => out.file_id = Some(id.parse().map_err(|_| UploadRefusal::UnknownFile)?),
            },
            "label" => out.label = read_text(field).await?,
            "version" => out.version = read_text(field).await?,
            "changelog" => out.changelog = read_text(field).await?,
            _ => {
                read_text(field).await?;
            }
        }
    }
    Ok(out)
}

/// A deliverable upload: at most `max` bytes of file.
pub(crate) async fn deliverable(
    storage_dir: &Path,
    form: &mut Multipart,
    max: u64,
) -> Result<DeliverableUpload, Refusal> {
    let mut out = DeliverableUpload::default();
    while let Some(field) = form.next_field().await.map_err(|e| Refusal::Upload(broken(&e)))? {
        match field.name().unwrap_or_default() {
            "file" if field.file_name().is_some_and(|n| !n.is_empty()) => {
                out.received = Some(receive(storage_dir, work::DELIVERABLES, field, max).await?);
            }
            "deliverable_id" => match read_text(field).await?.trim() {
                "" | "new" => out.deliverable_id = None,
                id => out.deliverable_id = Some(id.parse().map_err(|_| UploadRefusal::UnknownFile)?),
            },
            "milestone_id" => match read_text(field).await?.trim() {
                "" => out.milestone_id = None,
                id => out.milestone_id = Some(id.parse().map_err(|_| Refusal::Milestone)?),
            },
            "title" => out.title = read_text(field).await?,
            "release_when_paid" => out.release_when_paid = !read_text(field).await?.trim().is_empty(),
            "note" => out.note = read_text(field).await?,
            _ => {
                read_text(field).await?;
            }
        }
    }
    Ok(out)
}

/// A message on a project's thread: its body and its attachment, if any.
pub(crate) async fn message(storage_dir: &Path, form: &mut Multipart) -> Result<(String, Option<Received>), Refusal> {
    let (mut body, mut received) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|e| Refusal::Upload(broken(&e)))? {
        match field.name().unwrap_or_default() {
            "file" if field.file_name().is_some_and(|n| !n.is_empty()) => {
                let max = work::ATTACHMENT_MAX_MB * 1024 * 1024;
                received = Some(receive(storage_dir, work::ATTACHMENTS, field, max).await?);
            }
            "body" => body = read_text(field).await?,
            _ => {
                read_text(field).await?;
            }
        }
    }
    Ok((body, received))
}
