//! `AppError`: the one error type that crosses the wire between server and browser.
//!
//! Its messages are written for the person using the site. Internal causes are
//! logged once on the server (see `server::telemetry::internal`) and never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Input that cannot be accepted; the message says what to change.
    #[error("{0}")]
    Validation(String),
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this page.")]
    Forbidden,
    #[error("We could not find what you were looking for.")]
    NotFound,
    #[error("Too many attempts. Please wait a minute and try again.")]
    RateLimited,
    /// A request the server function machinery could not handle (bad encoding, missing argument).
    #[error("That request could not be understood. Please reload the page and try again.")]
    BadRequest,
    /// The browser could not reach the server.
    #[error("We could not reach the site. Check your connection and try again.")]
    Unreachable,
    /// Anything else. The cause is in the server log, never in the message.
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    pub fn validation(message: impl Into<String>) -> Self {
        Self::Validation(message.into())
    }

    /// The HTTP status a page showing this error should carry.
    pub fn status_code(&self) -> u16 {
        match self {
            Self::Validation(_) | Self::BadRequest => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden => 403,
            Self::NotFound => 404,
            Self::RateLimited => 429,
            Self::Unreachable => 503,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => Self::BadRequest,
            ServerFnErrorErr::Registration(_) => Self::NotFound,
            ServerFnErrorErr::Request(_) => Self::Unreachable,
            _ => Self::Internal,
        }
    }
}

impl From<crate::domain::ValidationError> for AppError {
    fn from(err: crate::domain::ValidationError) -> Self {
        Self::Validation(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_never_carry_details() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::ServerError(
            "SQLITE_BUSY: database is locked at /srv/atelier.db".into(),
        ));
        assert_eq!(err, AppError::Internal);
        assert!(!err.to_string().contains("SQLITE"));
    }

    #[test]
    fn validation_messages_reach_the_user_unchanged() {
        let err = AppError::validation("Enter an email address like name@example.com.");
        assert_eq!(err.to_string(), "Enter an email address like name@example.com.");
        assert_eq!(err.status_code(), 400);
    }
}
