//! The client portal's plain HTTP routes: invoices as PDF, messages with an
//! attachment, and the project's files. Each serves only the caller's client's own.

use super::files::{invoice_pdf, not_found, stored, unavailable};
use super::guard::viewer_for_area;
use crate::domain::account::Area;
use crate::domain::html::TrustedHtml;
use crate::server::db::{billing, clients, projects, work, DbError};
use crate::server::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use rusqlite::Connection;
use tower_sessions::Session;

/// This area's plain HTTP routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/client/invoices/{id}/invoice.pdf", get(invoice))
        .route("/client/projects/{id}/messages", post(message).layer(DefaultBodyLimit::max(super::message_body_max())))
        .route("/client/deliverables/{version}", get(deliverable))
        .route("/client/attachments/{id}", get(attachment))
}

/// `GET /client/invoices/{id}/invoice.pdf`: an invoice of the caller's client; any other is not found.
async fn invoice(State(state): State<AppState>, session: Session, Path(id): Path<String>) -> Response {
    let next = format!("/client/invoices/{id}");
    let me = match viewer_for_area(&state, &session, Area::Client, &next).await {
        Ok(me) => me,
        Err(refused) => return refused,
    };
    let Ok(id) = id.parse::<i64>() else { return not_found(super::NO_INVOICE) };
    let found = state
        .db
        .read(move |c| match clients::client_of(c, me.id)? {
            Some(client) => billing::invoice_for_client(c, client, id),
            None => Ok(None),
        })
        .await;
    invoice_pdf(&state, found).await
}

/// `POST /client/projects/{id}/messages`: a client's message on their client's project.
async fn message(
    State(state): State<AppState>,
    session: Session,
    Path(project_id): Path<i64>,
    mut form: Multipart,
) -> Response {
    let next = format!("/client/projects/{project_id}");
    let me = match viewer_for_area(&state, &session, Area::Client, &next).await {
        Ok(me) => me,
        Err(refused) => return refused,
    };
    let viewer = me.id;
    let found = state
        .db
        .read(move |c| match clients::client_of(c, viewer)? {
            Some(client) => projects::for_client(c, client, project_id),
            None => Ok(None),
        })
        .await;
    let project = match found {
        Ok(Some(p)) => p,
        Ok(None) => return not_found(super::NO_PROJECT),
        Err(err) => return unavailable(&err, "loading a project"),
    };
    let outcome = match crate::web::upload::message(&state.config.storage_dir, &mut form).await {
        Ok(message) => crate::server::studio::work::post(&state.db, &state.config, &me, project, false, message).await,
        Err(refusal) => Err(refusal),
    };
    super::after_message(&next, outcome)
}

/// What `lookup` finds (with its project) for the signed-in client person, only
/// if that project is their client's (one read); else the answer to send instead.
async fn client_file<T, F>(state: &AppState, session: &Session, next: &str, lookup: F) -> Result<(i64, T), Response>
where
    T: Send + 'static,
    F: FnOnce(&Connection) -> Result<Option<(i64, T)>, DbError> + Send + 'static,
{
    let me = viewer_for_area(state, session, Area::Client, next).await?;
    let found = state
        .db
        .read(move |c| -> Result<Option<(i64, T)>, DbError> {
            let Some(client) = clients::client_of(c, me.id)? else { return Ok(None) };
            let Some((project, file)) = lookup(c)? else { return Ok(None) };
            Ok(projects::for_client(c, client, project)?.map(|_| (project, file)))
        })
        .await;
    match found {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(not_found(super::NO_FILE)),
        Err(err) => Err(unavailable(&err, "loading a project's file")),
    }
}

/// `GET /client/deliverables/{version}`: a version of a deliverable of the caller's
/// client, unless it is held until its milestone's invoice is paid.
async fn deliverable(
    State(state): State<AppState>,
    session: Session,
    Path(version): Path<i64>,
    req: Request,
) -> Response {
    let next = format!("/client/deliverables/{version}");
    let found = client_file(&state, &session, &next, move |c| {
        Ok(work::version_file(c, version)?.map(|(project, path, name, locked)| (project, (path, name, locked))))
    })
    .await;
    let (project, (path, name, locked)) = match found {
        Ok(found) => found,
        Err(res) => return res,
    };
    if let Some(reason) = locked {
        let back = format!("/client/projects/{project}");
        let body = TrustedHtml::format(
            "<p role=\"alert\">{}</p><p><a href=\"{}\">Back to the project</a></p>",
            &[&reason, &back],
        );
        return crate::server::http::small_page(StatusCode::FORBIDDEN, "Not released yet", body);
    }
    stored(&state, &path, &name, req).await
}

/// `GET /client/attachments/{id}`: an attachment of a message on the caller's client's project.
async fn attachment(State(state): State<AppState>, session: Session, Path(id): Path<i64>, req: Request) -> Response {
    let next = format!("/client/attachments/{id}");
    let found = client_file(&state, &session, &next, move |c| {
        Ok(work::attachment_file(c, id)?.map(|(project, path, name)| (project, (path, name))))
    })
    .await;
    match found {
        Ok((_, (path, name))) => stored(&state, &path, &name, req).await,
        Err(res) => res,
    }
}
