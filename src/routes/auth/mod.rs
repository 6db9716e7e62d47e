//! Sign-in, registration, email verification and password recovery pages.
//! Every form works without JavaScript (a plain POST, then a redirect).

pub mod api;

use crate::components::{
    awaits_data, href, tr, tr_with, typed, Brand, Description, FormError, LanguageSwitch, Notice, SignOutButton,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A quiet, centred layout for the account forms.
#[component]
pub fn AuthLayout(page: fn() -> AnyView) -> impl IntoView {
    view! {
        <Description content=tr_with("auth-description", &[("name", &crate::components::studio().name)])/>
        <div class="auth-shell">
            <header class="auth-header"><Brand/></header>
            <main id="main" class="auth-card">{page()}</main>
            <div class="auth-footer muted">
                <p><a href=href("/")>{tr("auth-back")}</a></p>
                <LanguageSwitch/>
            </div>
        </div>
    }
}

/// "Sign in with Google", when the studio set it up; `next` is where to land after.
#[component]
fn GoogleButton(#[prop(into)] label: String, next: Memo<Option<String>>) -> impl IntoView {
    let enabled = Resource::new(|| (), |_| api::google_enabled());
    awaits_data();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let label = label.clone();
                Suspend::new(async move {
                    let href = match next.get_untracked() {
                        Some(next) => format!("/auth/google?next={}", crate::domain::account::query_value(&next)),
                        None => "/auth/google".to_owned(),
                    };
                    enabled.await.unwrap_or(false).then(|| view! {
                        <p class="oauth"><a class="button ghost google" href=href rel="external">{label}</a></p>
                        <p class="muted small or">{tr("auth-or")}</p>
                    })
                })
            }}
        </Suspense>
    }
}

fn query(key: &'static str) -> Memo<Option<String>> {
    let q = use_query_map();
    Memo::new(move |_| q.read().get(key))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<api::Login>::new();
    let next = query("next");
    let reset = query("reset");
    let signed_out = query("signed_out");
    let deleted = query("deleted");
    let google_error = query("error");
    view! {
        <Title text=tr("site-sign-in")/>
        <h1>{tr("site-sign-in")}</h1>
        {move || google_error.get().and_then(|code| crate::domain::account::google_refusal_message(&code))
            .map(|message| view! { <Notice message=crate::components::in_page_language(message) error=true/> })}
        {move || reset.get().map(|_| view! { <Notice message=tr("auth-password-changed")/> })}
        {move || signed_out.get().map(|_| view! { <Notice message=tr("auth-signed-out")/> })}
        {move || deleted.get().map(|_| view! { <Notice message=tr("auth-deleted")/> })}
        <FormError action/>
        <GoogleButton label=tr("auth-google-sign-in") next/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="next" value=move || next.get().unwrap_or_default()/>
            <div class="field">
                <label for="email">{tr("form-email")}</label>
                <input id="email" type="email" name="email" autocomplete="email" required value=typed("email")/>
            </div>
            <div class="field">
                <label for="password">{tr("auth-password")}</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
            </div>
            <label class="checkbox"><input type="checkbox" name="remember" value="on"/>{tr("auth-remember")}</label>
            <button type="submit" class="primary" disabled=move || action.pending().get()>{tr("site-sign-in")}</button>
        </ActionForm>
        <p class="muted"><a href=href("/forgot-password")>{tr("auth-forgot")}</a></p>
        <p class="muted">{tr("auth-new-here")} " " <a href=href("/register")>{tr("auth-create-account")}</a></p>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<api::Register>::new();
    view! {
        <Title text=tr("auth-create-account")/>
        <h1>{tr("auth-create-account")}</h1>
        <FormError action/>
        <GoogleButton label=tr("auth-google-sign-up") next=query("next")/>
        <ActionForm action attr:class="stack">
            <div class="field">
                <label for="name">{tr("form-your-name")}</label>
                <input id="name" type="text" name="name" autocomplete="name" required maxlength="100" value=typed("name")/>
            </div>
            <div class="field">
                <label for="email">{tr("form-email")}</label>
                <input id="email" type="email" name="email" autocomplete="email" required value=typed("email")/>
            </div>
            <div class="field">
                <label for="password">{tr("auth-password")}</label>
                <input id="password" type="password" name="password" autocomplete="new-password" required minlength="10"/>
                <span class="hint">{tr("auth-password-hint")}</span>
            </div>
            <div class="field">
                <label for="password_confirm">{tr("auth-password-confirm")}</label>
                <input id="password_confirm" type="password" name="password_confirm" autocomplete="new-password" required minlength="10"/>
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>{tr("auth-create")}</button>
        </ActionForm>
        <p class="muted">{tr("auth-have-account")} " " <a href=href("/login")>{tr("site-sign-in")}</a></p>
    }
}

/// Opening the link from the welcome mail confirms the address; without a token
/// the page explains what to do and can send the link again.
/// `/confirm-email?token=…`: the link mailed to a new address moves the account to it.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = query("token");
    let moved = Resource::new(move || token.get().unwrap_or_default(), api::confirm_email_change);
    awaits_data();
    view! {
        <Title text=tr("auth-confirm-new")/>
        <h1>{tr("auth-confirm-new")}</h1>
        <Suspense fallback=|| view! { <p class="notice info">{tr("auth-checking")}</p> }>
            {move || Suspend::new(async move { match moved.await {
                Ok(email) => view! {
                    <Notice message=tr_with("auth-email-moved", &[("email", &email)])/>
                    <p><a class="button" href="/dashboard/profile">{tr("auth-to-profile")}</a></p>
                }.into_any(),
                Err(err) => view! { <Notice message=err.to_string() error=true/> }.into_any(),
            } })}
        </Suspense>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let token = query("token");
    let sent = query("sent");
    let verified = Resource::new(
        move || token.get(),
        |token| async move {
            match token {
                Some(token) => Some(api::verify_email(token).await),
                None => None,
            }
        },
    );
    awaits_data();
    let resend = ServerAction::<api::ResendVerification>::new();
    view! {
        <Title text=tr("auth-confirm")/>
        <h1>{tr("auth-confirm")}</h1>
        {move || sent.get().map(|_| view! {
            <Notice message=tr("auth-verify-sent")/>
        })}
        <Suspense fallback=|| view! { <p class="notice info">{tr("auth-checking")}</p> }>
            {move || Suspend::new(async move { verified.await.map(|result| match result {
                Ok(()) => view! {
                    <Notice message=tr_with("auth-confirmed", &[("name", &crate::components::studio().name)])/>
                    <p><a class="button" href=href("/login?next=/dashboard")>{tr("auth-to-dashboard")}</a></p>
                }.into_any(),
                Err(err) => view! { <Notice message=err.to_string() error=true/> }.into_any(),
            }) })}
        </Suspense>
        <h2 class="h3">{tr("auth-new-link")}</h2>
        <FormError action=resend/>
        <ActionForm action=resend attr:class="stack">
            <div class="field">
                <label for="resend-email">{tr("form-email")}</label>
                <input id="resend-email" type="email" name="email" autocomplete="email" required/>
            </div>
            <button type="submit" class="button ghost">{tr("auth-send-again")}</button>
        </ActionForm>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<api::ForgotPassword>::new();
    let sent = query("sent");
    view! {
        <Title text=tr("auth-forgot")/>
        <h1>{tr("auth-forgot")}</h1>
        <p class="muted">{tr("auth-forgot-lead")}</p>
        {move || sent.get().map(|_| view! {
            <Notice message=tr("auth-reset-sent")/>
        })}
        <FormError action/>
        <ActionForm action attr:class="stack">
            <div class="field">
                <label for="email">{tr("form-email")}</label>
                <input id="email" type="email" name="email" autocomplete="email" required value=typed("email")/>
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>{tr("auth-send-reset")}</button>
        </ActionForm>
        <p class="muted"><a href=href("/login")>{tr("auth-back-sign-in")}</a></p>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<api::ResetPassword>::new();
    let token = query("token");
    view! {
        <Title text=tr("auth-new-password")/>
        <h1>{tr("auth-new-password")}</h1>
        <FormError action/>
        {move || match token.get() {
            None => view! {
                <Notice message=tr("auth-needs-link") error=true/>
                <p><a href=href("/forgot-password")>{tr("auth-ask-link")}</a></p>
            }.into_any(),
            Some(token) => view! {
                <ActionForm action attr:class="stack">
                    <input type="hidden" name="token" value=token/>
                    <div class="field">
                        <label for="password">{tr("auth-new-password-field")}</label>
                        <input id="password" type="password" name="password" autocomplete="new-password" required minlength="10"/>
                    </div>
                    <div class="field">
                        <label for="password_confirm">{tr("auth-new-password-confirm")}</label>
                        <input id="password_confirm" type="password" name="password_confirm" autocomplete="new-password" required minlength="10"/>
                    </div>
                    <button type="submit" class="primary">{tr("auth-save-password")}</button>
                </ActionForm>
                <p class="muted">{tr("auth-save-password-hint")}</p>
            }.into_any(),
        }}
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    view! {
        <Title text=tr("auth-sign-out")/>
        <h1>{tr("auth-sign-out")}</h1>
        <p>{tr_with("auth-sign-out-ask", &[("name", &crate::components::studio().name)])}</p>
        <SignOutButton/>
    }
}
