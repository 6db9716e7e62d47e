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
    match error {
        AppError::NotFound => ("Page not found", "The page may have moved, or the address may be mistyped."),
        AppError::Forbidden => ("No access", "Your account cannot open this page. If you think it should, contact us."),
        AppError::Unauthenticated => ("Please sign in", "This page is only for signed-in members."),
        AppError::RateLimited => ("Slow down a little", "Too many attempts in a short time."),
        AppError::Validation(_) | AppError::BadRequest => ("That did not work", "Please check what you entered."),
        AppError::Unreachable | AppError::Internal => {
            ("Sorry, something went wrong", "We have been notified. Please try again in a moment.")
        }
    }
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
            <p class="eyebrow">"Error " {error.status_code()}</p>
            <h1>{heading}</h1>
            <p role="alert" class="lead">{error.to_string()}</p>
            <p class="muted">{hint}</p>
            <p class="actions">
                <a class="button" href="/">"Go to the home page"</a>
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
