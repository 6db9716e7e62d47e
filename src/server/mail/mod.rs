//! Outgoing mail. Messages are rendered by `templates`, queued as jobs (so an
//! SMTP outage delays mail and loses none), and sent by `send_job` through SMTP
//! or, without `SMTP_HOST`, written as `.eml` files to the outbox folder.

pub mod smtp;
pub mod templates;

use super::config::{Config, SmtpTls};
use super::db::DbError;
use super::jobs::{self, JobError};
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A rendered message, as stored in a `send_email` job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    /// Escaped and sanitised throughout: only `templates` (through `TrustedHtml`) writes it.
    pub html: crate::domain::html::TrustedHtml,
    pub text: String,
    /// Files sent along (a receipt).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// A mailing's one-click unsubscribe link (`List-Unsubscribe`, RFC 8058).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_unsubscribe: Option<String>,
}

impl Email {
    pub fn with_attachment(mut self, attachment: Attachment) -> Self {
        self.attachments.push(attachment);
        self
    }
}

/// A file attached to a message, kept base64-encoded in the queued job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub base64: String,
}

impl Attachment {
    pub fn new(file_name: String, content_type: &str, bytes: &[u8]) -> Self {
        use base64::Engine;
        Self {
            file_name,
            content_type: content_type.to_owned(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }
}

#[derive(Clone)]
pub enum Mailer {
    /// Plain SMTP or STARTTLS, on our own `TCP_NODELAY` connections (see [`smtp`]).
    Direct(Arc<smtp::SmtpSender>),
    /// Implicit TLS (`SMTP_TLS=tls`), through lettre's transport.
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let Some(smtp) = &config.smtp else {
            return Ok(Self::Outbox(config.outbox_dir.clone()));
        };
        let credentials = match (&smtp.user, &smtp.pass) {
            (Some(user), Some(pass)) => Some(Credentials::new(user.clone(), pass.expose().to_owned())),
            _ => None,
        };
        let starttls = match smtp.tls {
            SmtpTls::None => false,
            SmtpTls::StartTls => true,
            SmtpTls::Tls => {
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?
                    .port(smtp.port)
                    .timeout(Some(Duration::from_secs(20)));
                if let Some(credentials) = credentials {
                    builder = builder.credentials(credentials);
                }
                return Ok(Self::Smtp(builder.build()));
            }
        };
        let keep = config.mail_concurrency;
        Ok(Self::Direct(Arc::new(smtp::SmtpSender::new(&smtp.host, smtp.port, starttls, credentials, keep))))
    }
}

/// Queues `email` in the caller's transaction.
pub fn enqueue(conn: &Connection, email: &Email) -> Result<(), DbError> {
    jobs::enqueue(conn, jobs::JobKind::SendEmail, email, None)?;
    Ok(())
}

/// Queues `email` as part of a mailing to many (a launch, an update to every
/// buyer): it runs after transactional mail and never takes the last worker.
/// `dedupe_key` makes a repeated send (a second click, a restart) add nothing.
pub fn enqueue_bulk(conn: &Connection, email: &Email, dedupe_key: &str) -> Result<bool, DbError> {
    let options =
        jobs::Options { dedupe_key: Some(dedupe_key), priority: jobs::Priority::Bulk, ..jobs::Options::default() };
    Ok(jobs::enqueue_with(conn, jobs::JobKind::SendEmail, email, options)?.is_some())
}

/// A `Message-ID` that is the same each time job `job_id` runs and unique to this
/// installation: if the process dies after the SMTP server took the message but
/// before the job was marked done, the resent copy carries the same id, and mail
/// systems show the two as one message.
pub fn message_id(secret: &[u8], site_url: &str, job_id: i64) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(b"atelier message-id\0");
    hasher.update(secret);
    hasher.update(job_id.to_be_bytes());
    let tag = hex::encode(&hasher.finalize()[..12]);
    let host = site_url.split("://").nth(1).unwrap_or(site_url).split(['/', ':']).next().unwrap_or("atelier");
    let host = if host.is_empty() { "atelier" } else { host };
    format!("<job-{job_id}.{tag}@{host}>")
}

/// The `send_email` job.
pub async fn send_job(
    mailer: &Mailer,
    config: &super::config::Config,
    secret: &[u8],
    job_id: i64,
    email: Email,
) -> Result<(), JobError> {
    let sent = send(mailer, config, secret, job_id, email).await;
    let outcome = if sent.is_ok() { "sent" } else { "failed" };
    metrics::counter!("atelier_mail_total", "outcome" => outcome).increment(1);
    sent
}

async fn send(
    mailer: &Mailer,
    config: &super::config::Config,
    secret: &[u8],
    job_id: i64,
    email: Email,
) -> Result<(), JobError> {
    let mut from: Mailbox = config
        .mail_from
        .parse()
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("MAIL_FROM is not a valid mailbox: {e}")))?;
    // A bare MAIL_FROM address is shown under the studio's name.
    if from.name.is_none() {
        from.name = Some(config.studio_name_now.get());
    }
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("recipient {:?} is not valid: {e}", email.to)))?;
    let body = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(email.text),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .header(ContentTransferEncoding::QuotedPrintable)
                .body(email.html.into_string()),
        );
    let body = if email.attachments.is_empty() {
        body
    } else {
        use base64::Engine;
        let mut mixed = MultiPart::mixed().multipart(body);
        for file in email.attachments {
            let bytes = base64::engine::general_purpose::STANDARD.decode(&file.base64).map_err(|e| {
                JobError::Permanent(anyhow::anyhow!("attachment {} is not base64: {e}", file.file_name))
            })?;
            let content_type = ContentType::parse(&file.content_type)
                .map_err(|e| JobError::Permanent(anyhow::anyhow!("attachment type {:?}: {e}", file.content_type)))?;
            mixed = mixed.singlepart(lettre::message::Attachment::new(file.file_name).body(bytes, content_type));
        }
        mixed
    };
    let mut builder = Message::builder().message_id(Some(message_id(secret, &config.site_url, job_id)));
    if let Some(url) = &email.list_unsubscribe {
        use lettre::message::header::{HeaderName, HeaderValue};
        builder = builder
            .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
    }
    let message = builder
        .from(from)
        .to(to)
        .subject(email.subject)
        .multipart(body)
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("message could not be built: {e}")))?;
    match mailer {
        Mailer::Direct(sender) => {
            let raw = message.formatted();
            match sender.send(message.envelope(), &raw).await {
                Ok(()) => Ok(()),
                Err(e @ smtp::SendError::Permanent(_)) => Err(JobError::Permanent(anyhow::Error::new(e))),
                Err(e) => Err(JobError::Transient(anyhow::Error::new(e))),
            }
        }
        Mailer::Smtp(transport) => match transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => {
                Err(JobError::Permanent(anyhow::Error::new(e).context("SMTP refused the message")))
            }
            Err(e) => Err(JobError::Transient(anyhow::Error::new(e).context("SMTP send failed"))),
        },
        Mailer::Outbox(dir) => {
            tokio::fs::create_dir_all(dir).await?;
            AsyncFileTransport::<Tokio1Executor>::new(dir).send(message).await?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::message_id;

    #[test]
    fn a_job_always_sends_under_the_same_message_id_and_jobs_never_share_one() {
        let a = message_id(b"secret", "https://studio.example/", 7);
        assert_eq!(a, message_id(b"secret", "https://studio.example/", 7));
        assert!(a.starts_with("<job-7.") && a.ends_with("@studio.example>"), "{a}");
        assert_ne!(a, message_id(b"secret", "https://studio.example/", 8));
        assert_ne!(a, message_id(b"another installation", "https://studio.example/", 7));
        assert!(message_id(b"s", "http://127.0.0.1:3000", 1).ends_with("@127.0.0.1>"));
    }
}
