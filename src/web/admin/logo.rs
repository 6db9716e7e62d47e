//! `POST /admin/settings/logo` and `/admin/settings/logo/remove`: the studio's logo,
//! uploaded as a form (multipart) and answered with the settings page.

use crate::domain::settings::LogoRefusal;
use crate::server::studio::logo;
use crate::server::AppState;
use crate::web::files::unavailable;
use crate::web::guard;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

/// The body a logo form may send: the file and the form's own fields.
pub const MAX_BODY: usize = logo::MAX_LOGO_BYTES + 64 * 1024;

fn refused(refusal: LogoRefusal) -> Response {
    Redirect::to(&format!("/admin/settings?logo_error={}#logo", refusal.code())).into_response()
}

/// Checks the uploaded logo, draws its icons and stores them with the settings.
pub async fn upload(State(state): State<AppState>, session: Session, mut form: Multipart) -> Response {
    let staff = match guard::staff_from_session(&state, &session).await {
        Ok(staff) => staff,
        Err(res) => return res,
    };
    let bytes = loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("logo") => match field.bytes().await {
                Ok(bytes) => break bytes,
                Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => return refused(LogoRefusal::TooLarge),
                Err(_) => return refused(LogoRefusal::Damaged),
            },
            Ok(Some(_)) => continue,
            Ok(None) => return refused(LogoRefusal::Empty),
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => return refused(LogoRefusal::TooLarge),
            Err(_) => return refused(LogoRefusal::Damaged),
        }
    };
    let prepared = match tokio::task::spawn_blocking(move || logo::prepare(&bytes)).await {
        Ok(Ok(prepared)) => prepared,
        Ok(Err(refusal)) => return refused(refusal),
        Err(err) => return unavailable(&err, "drawing the logo's icons"),
    };
    let (config, now, version) = (state.config.clone(), state.clock.now(), prepared.version.clone());
    if let Err(err) = state.db.run(move |c| logo::store(c, &config, staff.id, &prepared, now)).await {
        return unavailable(&err, "storing the logo");
    }
    state.cache.invalidate();
    tracing::info!(staff = staff.id, version = %version, "logo uploaded");
    Redirect::to("/admin/settings?logo=1#logo").into_response()
}

/// Removes the logo: the monogram of the name's first letter stands in again.
pub async fn remove(State(state): State<AppState>, session: Session) -> Response {
    let staff = match guard::staff_from_session(&state, &session).await {
        Ok(staff) => staff,
        Err(res) => return res,
    };
    let (config, now) = (state.config.clone(), state.clock.now());
    if let Err(err) = state.db.run(move |c| logo::remove(c, &config, staff.id, now)).await {
        return unavailable(&err, "removing the logo");
    }
    state.cache.invalidate();
    Redirect::to("/admin/settings?logo=0#logo").into_response()
}
