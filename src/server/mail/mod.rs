//! Outgoing mail. Messages are rendered by `templates`, queued as jobs (so an
//! SMTP outage delays mail and loses none), and sent by `send_job` through SMTP
//! or, without `SMTP_HOST`, written as `.eml` files to the outbox folder.

pub mod templates;

use super::config::{Config, SmtpTls};
use super::db::DbError;
use super::jobs::{self, JobError};
use super::AppState;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// A rendered message, as stored in a `send_email` job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(PathBuf),
}

impl Mailer {
    pub fn from_config(config: &Config) -> anyhow::Result<Self> {
        let Some(smtp) = &config.smtp else {
            return Ok(Self::Outbox(config.outbox_dir.clone()));
        };
        let builder = match smtp.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
            SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?,
        };
        let mut builder = builder.port(smtp.port).timeout(Some(Duration::from_secs(20)));
        if let (Some(user), Some(pass)) = (&smtp.user, &smtp.pass) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        Ok(Self::Smtp(builder.build()))
    }
}

/// Queues `email` in the caller's transaction.
pub fn enqueue(conn: &Connection, email: &Email) -> Result<(), DbError> {
    jobs::enqueue(conn, jobs::kind::SEND_EMAIL, email, None)?;
    Ok(())
}

/// The `send_email` job.
pub async fn send_job(state: &AppState, email: Email) -> Result<(), JobError> {
    let from: Mailbox = state
        .config
        .mail_from
        .parse()
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("MAIL_FROM is not a valid mailbox: {e}")))?;
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("recipient {:?} is not valid: {e}", email.to)))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject)
        .multipart(
            MultiPart::alternative()
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
                        .body(email.html),
                ),
        )
        .map_err(|e| JobError::Permanent(anyhow::anyhow!("message could not be built: {e}")))?;
    match &state.mailer {
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
