//! A client project's deliverables and messages: staff upload deliverables
//! (streamed to private storage, every version kept), clients download them
//! (unless held until their milestone's invoice is paid) and review them; both
//! sides write in the project's thread, with attachments, and the other side is
//! mailed. Every file is served only to the project's client and to staff.

use crate::domain::product_files::UploadRefusal;
use crate::domain::projects::Project;
use crate::domain::work::{validate_message, validate_title, Review};
use crate::domain::Viewer;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::db::{audit, billing, clients, projects, work, DbError};
use crate::server::jobs::{self, JobKind};
use crate::server::mail::templates;
use crate::server::storage::{random_name, PartFile, Received};
use crate::server::telemetry::chain;
use rusqlite::Connection;
use std::path::Path;
use std::sync::Arc;

/// Where deliverables and message attachments live, inside the storage folder.
pub const DELIVERABLES: &str = "deliverables";
pub const ATTACHMENTS: &str = "attachments";
/// The largest attachment to a message.
pub const ATTACHMENT_MAX_MB: u64 = 25;

/// Why an upload or a message was refused: the code in the address the form
/// returns to, and what the person reads there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Upload(UploadRefusal),
    Title,
    Milestone,
    Message,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Self::Upload(r) => r.code(),
            Self::Title => "title",
            Self::Milestone => "milestone",
            Self::Message => "message",
        }
    }
}

impl From<UploadRefusal> for Refusal {
    fn from(r: UploadRefusal) -> Self {
        Self::Upload(r)
    }
}

/// A stored file and where its part file is (removed unless kept).
struct Stored {
    part: PartFile,
    relative: String,
    original_name: String,
    bytes: u64,
    sha256: String,
}

/// Moves a received upload to its final name in `folder`.
async fn place(storage_dir: &Path, folder: &str, received: Received) -> Result<Stored, UploadRefusal> {
    let name = random_name().map_err(|_| UploadRefusal::Storage)?;
    let relative = format!("{folder}/{name}");
    let target = storage_dir.join(&relative);
    let Received { part, original_name, bytes, sha256 } = received;
    let from = part.path().ok_or(UploadRefusal::Storage)?;
    tokio::fs::rename(&from, &target).await.map_err(|err| {
        tracing::error!(error = %chain(&err), "could not move an upload into place");
        UploadRefusal::Storage
    })?;
    part.keep();
    Ok(Stored { part: PartFile::new(target), relative, original_name, bytes, sha256 })
}

/// Mails the client's people (once per `key` and person), linking to the project.
/// Each person reads `{prefix}-subject` and `{prefix}-intro` with `args` in their language,
/// then `more` as written (a message's own words).
fn mail_client(
    conn: &Connection,
    config: &Config,
    project: &Project,
    key: &str,
    (prefix, args): (&str, &[(&'static str, &str)]),
    more: &str,
) -> Result<(), DbError> {
    let Some(client) = clients::by_id(conn, project.client_id)? else { return Ok(()) };
    let link = config.url(&format!("/client/projects/{}", project.id));
    for person in &client.people {
        let say = |key: &str| crate::server::i18n::t(person.lang, key, args);
        let what = format!("{}{more}", say(&format!("{prefix}-intro")));
        let message = templates::portal_notice(
            config,
            person.lang,
            &person.email,
            &person.name,
            &say(&format!("{prefix}-subject")),
            &[&what],
            (&say("portal-open-project"), &link),
        );
        jobs::enqueue(conn, JobKind::SendEmail, &message, Some(&format!("{key}:{}", person.user_id)))?;
    }
    Ok(())
}

/// Mails the studio's recipients (once per `key`), linking to the project.
fn mail_studio(
    conn: &Connection,
    config: &Config,
    project: &Project,
    key: &str,
    subject: &str,
    what: &str,
) -> Result<(), DbError> {
    let studio = super::settings::load(conn, config)?;
    let link = config.url(&format!("/admin/projects/{}", project.id));
    for (i, to) in super::settings::notify_recipients(&studio, config).iter().enumerate() {
        let message = templates::portal_notice(
            config,
            crate::domain::Lang::En,
            to,
            "team",
            subject,
            &[what],
            ("Open the project", &link),
        );
        jobs::enqueue(conn, JobKind::SendEmail, &message, Some(&format!("{key}:{i}")))?;
    }
    Ok(())
}

/// A project's page data for `reader` (a person of `client`, or staff when None):
/// None if the project is not theirs. Read without writing; only when it shows
/// messages they had not seen does it record that they have now.
pub async fn open_page(
    db: &Db,
    project_id: i64,
    reader: i64,
    client: Option<i64>,
    before: Option<i64>,
) -> Result<Option<crate::domain::billing::Billing>, DbError> {
    let page = db
        .read(move |c| -> Result<Option<crate::domain::billing::Billing>, DbError> {
            let project = match client {
                Some(client) => projects::for_client(c, client, project_id)?,
                None => projects::by_id(c, project_id)?,
            };
            if project.is_none() {
                return Ok(None);
            }
            work::page(c, project_id, reader, client.is_none(), before).map(Some)
        })
        .await?;
    if let Some(last) = page.as_ref().and_then(work::unseen_up_to) {
        db.run(move |c| work::mark_read(c, reader, project_id, last)).await?;
    }
    Ok(page)
}

// ---- uploading deliverables ----------------------------------------------------

/// A deliverable upload as the form sent it: the bytes already streamed to a part
/// file of the storage folder (by the web layer), and the fields beside them.
#[derive(Default)]
pub struct DeliverableUpload {
    /// A new version of this deliverable; `None`: a new deliverable.
    pub deliverable_id: Option<i64>,
    pub title: String,
    pub milestone_id: Option<i64>,
    pub release_when_paid: bool,
    pub note: String,
    pub received: Option<Received>,
}

/// Records an uploaded deliverable (or a new version of one) and mails the client.
pub async fn store_deliverable(
    db: &Db,
    config: &Arc<Config>,
    staff: &Viewer,
    project_id: i64,
    form: DeliverableUpload,
) -> Result<(), Refusal> {
    let received = form.received.ok_or(UploadRefusal::NoFile)?;
    let title = match form.deliverable_id {
        None => validate_title(&form.title).map_err(|_| Refusal::Title)?,
        Some(_) => String::new(),
    };
    if form.release_when_paid && form.milestone_id.is_none() && form.deliverable_id.is_none() {
        return Err(Refusal::Milestone);
    }
    let note = form.note.trim().to_owned();
    if note.chars().count() > 2_000 {
        return Err(UploadRefusal::Changelog.into());
    }
    let stored = place(&config.storage_dir, DELIVERABLES, received).await?;
    let (config, staff_id) = (config.clone(), staff.id);
    let Stored { part, relative, original_name, bytes, sha256 } = stored;
    let (deliverable_id, milestone_id, release) = (form.deliverable_id, form.milestone_id, form.release_when_paid);
    let recorded = db
        .run(move |c| -> Result<Result<(), Refusal>, DbError> {
            let tx = c.transaction()?;
            let Some(project) = projects::by_id(&tx, project_id)? else {
                return Ok(Err(UploadRefusal::UnknownFile.into()));
            };
            let (id, title) = match deliverable_id {
                Some(id) if work::project_of(&tx, id)? == Some(project_id) => (id, work::title(&tx, id)?),
                Some(_) => return Ok(Err(UploadRefusal::UnknownFile.into())),
                None => match work::create(&tx, project_id, milestone_id, &title, release)? {
                    Some(id) => (id, title),
                    None => return Ok(Err(Refusal::Milestone)),
                },
            };
            let file = work::StoredFile {
                storage_path: &relative,
                original_name: &original_name,
                bytes: bytes as i64,
                sha256: &sha256,
            };
            let seq = work::add_version(&tx, id, &file, &note, staff_id)?;
            let summary = format!("Deliverable \"{title}\" version {seq} uploaded ({original_name})");
            let values = [("title", title.clone()), ("version", seq.to_string()), ("file", original_name.clone())];
            billing::record_event(&tx, project_id, Some(staff_id), ("deliverable_uploaded", &summary), &values)?;
            let version = seq.to_string();
            let args = [("title", title.as_str()), ("version", &version), ("file", &original_name)];
            mail_client(&tx, &config, &project, &format!("deliverable:{id}:{seq}"), ("deliverable", &args), "")?;
            audit::record(&tx, Some(staff_id), "deliverable.uploaded", &format!("project:{project_id}"), &summary)?;
            tx.commit()?;
            Ok(Ok(()))
        })
        .await;
    match recorded {
        Ok(Ok(())) => {
            part.keep();
            Ok(())
        }
        Ok(Err(refusal)) => Err(refusal),
        Err(err) => {
            tracing::error!(error = %chain(&err), "could not record a deliverable");
            Err(UploadRefusal::Storage.into())
        }
    }
}

/// The client's review of a deliverable's latest version; staff are told.
pub fn review(
    conn: &mut Connection,
    config: &Config,
    me: &Viewer,
    client_id: i64,
    deliverable_id: i64,
    review: &Review,
) -> Result<Result<i64, Refusal>, DbError> {
    let tx = conn.transaction()?;
    let Some(project_id) = work::project_of(&tx, deliverable_id)? else {
        return Ok(Err(Refusal::Upload(UploadRefusal::UnknownFile)));
    };
    let Some(project) = projects::for_client(&tx, client_id, project_id)? else {
        return Ok(Err(Refusal::Upload(UploadRefusal::UnknownFile)));
    };
    let Some((title, seq)) = work::review(&tx, deliverable_id, me.id, review)? else {
        return Ok(Err(Refusal::Upload(UploadRefusal::NoFile)));
    };
    let summary = match review {
        Review::Approve => format!("Deliverable \"{title}\" version {seq} approved"),
        Review::RequestChanges(comment) => format!("Changes requested on \"{title}\" version {seq}: {comment}"),
    };
    let kind = match review {
        Review::Approve => "deliverable_approved",
        Review::RequestChanges(_) => "deliverable_changes_requested",
    };
    let mut values = vec![("title", title.clone()), ("version", seq.to_string())];
    if let Review::RequestChanges(comment) = review {
        values.push(("comment", comment.to_owned()));
    }
    billing::record_event(&tx, project_id, Some(me.id), (kind, &summary), &values)?;
    let what = format!("{} ({}): {summary}.", me.name, me.email);
    mail_studio(&tx, config, &project, &format!("review:{deliverable_id}:{seq}:{kind}"), &summary, &what)?;
    tx.commit()?;
    Ok(Ok(project_id))
}

// ---- messages ----------------------------------------------------------------------

/// Posts a message to a project's thread (the caller may see the project: checked
/// by the caller), with its attachment (already streamed to a part file by the
/// web layer); mails the other side.
pub async fn post(
    db: &Db,
    config: &Arc<Config>,
    me: &Viewer,
    project: Project,
    from_staff: bool,
    (body, received): (String, Option<Received>),
) -> Result<(), Refusal> {
    let body = validate_message(&body).map_err(|_| Refusal::Message)?;
    let stored = match received {
        Some(r) => Some(place(&config.storage_dir, ATTACHMENTS, r).await?),
        None => None,
    };
    let md = body.clone();
    let html = tokio::task::spawn_blocking(move || crate::server::markdown::render(&md))
        .await
        .map_err(|_| UploadRefusal::Storage)?;
    let (config, author, name) = (config.clone(), me.id, me.name.clone());
    let file = stored.as_ref().map(|s| (s.relative.clone(), s.original_name.clone(), s.bytes as i64, s.sha256.clone()));
    let recorded = db
        .run(move |c| -> Result<(), DbError> {
            let tx = c.transaction()?;
            let id = work::post_message(&tx, project.id, author, from_staff, &body, &html)?;
            if let Some((path, original, bytes, sha)) = &file {
                work::attach(
                    &tx,
                    id,
                    &work::StoredFile { storage_path: path, original_name: original, bytes: *bytes, sha256: sha },
                )?;
            }
            let excerpt: String = body.chars().take(300).collect();
            let subject = format!("New message from {name}: {}", project.name);
            let what = format!("{name} wrote on {}:\n\n{excerpt}", project.name);
            if from_staff {
                let args = [("name", name.as_str()), ("project", &project.name)];
                mail_client(
                    &tx,
                    &config,
                    &project,
                    &format!("message:{id}"),
                    ("message", &args),
                    &format!("\n\n{excerpt}"),
                )?;
            } else {
                mail_studio(&tx, &config, &project, &format!("message:{id}"), &subject, &what)?;
            }
            let summary = format!("Message from {name}");
            billing::record_event(&tx, project.id, Some(author), ("message", &summary), &[("name", name.clone())])?;
            tx.commit()?;
            Ok(())
        })
        .await;
    match recorded {
        Ok(()) => {
            if let Some(s) = stored {
                s.part.keep();
            }
            Ok(())
        }
        Err(err) => {
            tracing::error!(error = %chain(&err), "could not record a message");
            Err(UploadRefusal::Storage.into())
        }
    }
}

// ---- downloads -----------------------------------------------------------------------
