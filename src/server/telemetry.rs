//! Logging: structured, one span per request, and one place that turns an
//! internal failure into a logged cause chain plus a plain apology.

use crate::error::AppError;
use tracing_subscriber::{fmt, EnvFilter};

/// Logs as text in development and as JSON lines in production. `RUST_LOG` overrides the levels.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info,hyper=warn,leptos=warn,r2d2=warn"));
    let builder = fmt().with_env_filter(filter).with_target(true);
    let result = if json { builder.json().flatten_event(true).try_init() } else { builder.try_init() };
    // A second call (tests spawn many apps in one process) keeps the first subscriber.
    let _ = result;
}

/// The error and every cause beneath it, on one line.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

/// Logs an unexpected failure with its causes and returns the error users see.
pub fn internal(err: impl std::error::Error + 'static) -> AppError {
    tracing::error!(error = %chain(&err), "internal error");
    AppError::Internal
}

impl From<super::db::DbError> for AppError {
    fn from(err: super::db::DbError) -> Self {
        internal(err)
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        tracing::error!(error = %format!("{err:#}"), "internal error");
        AppError::Internal
    }
}
