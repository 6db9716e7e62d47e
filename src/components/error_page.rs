use super::{Description, SiteChrome};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(code) {
            response.set_status(status);
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// The page for an address that does not exist; served with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let error = AppError::NotFound;
    view! {
        <Description content=wording(&error).1/>
        <SiteChrome>
            <ErrorPage error/>
        </SiteChrome>
    }
}

/// The page heading and a hint for what to do, by kind of error.
fn wording(error: &AppError) -> (&'static str, &'static str) {
    let (heading, hint) = match error {
        AppError::NotFound => ("error-not-found", "error-not-found-hint"),
        AppError::Forbidden => ("error-forbidden", "error-forbidden-hint"),
        AppError::Unauthenticated => ("error-sign-in", "error-sign-in-hint"),
        AppError::RateLimited => ("error-slow-down", "error-slow-down-hint"),
        AppError::Validation(_) | AppError::BadRequest => ("error-invalid", "error-invalid-hint"),
        AppError::Unreachable | AppError::Internal => ("error-internal", "error-internal-hint"),
    };
    (super::tr(heading), super::tr(hint))
}

/// Shows an error the way a person can act on it. Internal details never reach it:
/// `AppError::Internal` only ever carries a plain apology. It sets the title; the
/// page around it owns the description.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let (heading, hint) = wording(&error);
    view! {
        <Title text=heading/>
        <section class="container narrow error-page">
            <p class="eyebrow">{super::tr("error-code")} " " {error.status_code()}</p>
            <h1>{heading}</h1>
            <p role="alert" class="lead">{super::in_page_language(&error.to_string())}</p>
            <p class="muted">{hint}</p>
            <p class="actions">
                <a class="button" href=super::href("/")>{super::tr("error-home")}</a>
            </p>
        </section>
    }
}

/// The error page for a failed page load, with the error's HTTP status.
pub fn failed_page(err: AppError) -> AnyView {
    set_status(err.status_code());
    view! { <ErrorPage error=err/> }.into_any()
}

/// As [`failed_page`], for a public page whose description came with its data.
pub fn failed_public_page(err: AppError) -> AnyView {
    set_status(err.status_code());
    view! {
        <Description content=wording(&err).1/>
        <ErrorPage error=err/>
    }
    .into_any()
}
