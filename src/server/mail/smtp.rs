//! SMTP sending on lettre's protocol client, over sockets with `TCP_NODELAY`.
//!
//! lettre writes a message and its closing `.` as two writes and then waits for
//! the reply. On a socket with Nagle's algorithm on (lettre's own connections), the
//! second write waits for the server to acknowledge the first, and the server
//! delays that acknowledgement (~40 ms on Linux) because it has nothing to send yet:
//! every message cost 40 ms more than the work, which capped each connection at
//! about 25 messages a second. Here the socket is opened by us with `TCP_NODELAY`
//! and handed to lettre, for plain SMTP and STARTTLS; idle connections are kept for
//! the next message. (Implicit TLS, `SMTP_TLS=tls`, stays on lettre's transport:
//! its handshake comes before the greeting and lettre does not expose that step.)

use lettre::address::Envelope;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// Connecting, or one message from `MAIL FROM` to the server's answer, may take this long.
const TIMEOUT: Duration = Duration::from_secs(20);
/// Servers close idle connections after a while; older ones are not reused.
const MAX_IDLE: Duration = Duration::from_secs(30);

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The server refused it for good (a 5xx: bad recipient, message rejected).
    #[error("SMTP refused the message")]
    Permanent(#[source] lettre::transport::smtp::Error),
    /// Worth another try: the server is down, slow, or answered 4xx.
    #[error("SMTP send failed: {0}")]
    Transient(String),
}

pub struct SmtpSender {
    host: String,
    port: u16,
    starttls: bool,
    credentials: Option<Credentials>,
    hello: ClientId,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
    keep: usize,
}

impl SmtpSender {
    pub fn new(host: &str, port: u16, starttls: bool, credentials: Option<Credentials>, keep: usize) -> Self {
        Self {
            host: host.to_owned(),
            port,
            starttls,
            credentials,
            hello: ClientId::default(),
            idle: Mutex::default(),
            keep,
        }
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        while let Some((conn, since)) = idle.pop() {
            if !conn.has_broken() && since.elapsed() < MAX_IDLE {
                return Some(conn);
            }
        }
        None
    }

    fn put_idle(&self, conn: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < self.keep {
            idle.push((conn, Instant::now()));
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let transient = |what: &str, e: &dyn std::fmt::Display| SendError::Transient(format!("{what}: {e}"));
        let stream = tokio::time::timeout(TIMEOUT, TcpStream::connect((self.host.as_str(), self.port)))
            .await
            .map_err(|e| transient("connecting timed out", &e))?
            .map_err(|e| transient("connecting failed", &e))?;
        stream.set_nodelay(true).map_err(|e| transient("setting TCP_NODELAY", &e))?;
        let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(stream), &self.hello)
            .await
            .map_err(|e| transient("greeting", &e))?;
        if self.starttls {
            let tls = TlsParameters::new(self.host.clone()).map_err(|e| transient("TLS settings", &e))?;
            conn.starttls(tls, &self.hello).await.map_err(|e| transient("STARTTLS", &e))?;
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e)
                } else {
                    transient("signing in", &e)
                }
            })?;
        }
        Ok(conn)
    }

    /// Sends one message, on an idle connection when there is one (and on a fresh
    /// one if that connection turns out to have been closed by the server).
    pub async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        if let Some(conn) = self.take_idle() {
            match self.send_on(conn, envelope, message).await {
                // Closed while idle, or stuck: once more, on a new connection.
                Err(SendError::Transient(_)) => {}
                done => return done,
            }
        }
        let conn = self.connect().await?;
        self.send_on(conn, envelope, message).await
    }

    /// One message on `conn`; the connection is kept for the next one unless it broke.
    async fn send_on(
        &self,
        mut conn: AsyncSmtpConnection,
        envelope: &Envelope,
        message: &[u8],
    ) -> Result<(), SendError> {
        match tokio::time::timeout(TIMEOUT, conn.send(envelope, message)).await {
            Ok(Ok(_)) => {
                self.put_idle(conn);
                Ok(())
            }
            Ok(Err(e)) if e.is_permanent() => {
                self.put_idle(conn);
                Err(SendError::Permanent(e))
            }
            Ok(Err(e)) => {
                conn.abort().await;
                Err(SendError::Transient(e.to_string()))
            }
            Err(_) => {
                conn.abort().await;
                Err(SendError::Transient(format!("no answer within {} s", TIMEOUT.as_secs())))
            }
        }
    }
}
