//! Sign-in, registration, email verification and password recovery pages.
//! Every form works without JavaScript (a plain POST, then a redirect).

pub mod api;

use crate::components::{awaits_data, typed, Brand, Description, FormError, Notice, SignOutButton};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A quiet, centred layout for the account forms.
#[component]
pub fn AuthLayout(page: fn() -> AnyView) -> impl IntoView {
    view! {
        <Description content=format!("Sign in to {}, create an account, or recover your password.", crate::components::studio().name)/>
        <div class="auth-shell">
            <header class="auth-header"><Brand/></header>
            <main id="main" class="auth-card">{page()}</main>
            <p class="auth-footer muted"><a href="/">"← Back to the site"</a></p>
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
                        <p class="muted small or">"or"</p>
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
        <Title text="Sign in"/>
        <h1>"Sign in"</h1>
        {move || google_error.get().and_then(|code| crate::domain::account::google_refusal_message(&code))
            .map(|message| view! { <Notice message=message error=true/> })}
        {move || reset.get().map(|_| view! { <Notice message="Your password was changed. Sign in with the new one."/> })}
        {move || signed_out.get().map(|_| view! { <Notice message="You are signed out."/> })}
        {move || deleted.get().map(|_| view! { <Notice message="Your account was deleted. A confirmation is on its way to your old address."/> })}
        <FormError action/>
        <GoogleButton label="Sign in with Google" next/>
        <ActionForm action attr:class="stack">
            <input type="hidden" name="next" value=move || next.get().unwrap_or_default()/>
            <div class="field">
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="email" required value=typed("email")/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" type="password" name="password" autocomplete="current-password" required/>
            </div>
            <label class="checkbox"><input type="checkbox" name="remember" value="on"/>"Keep me signed in for 7 days"</label>
            <button type="submit" class="primary" disabled=move || action.pending().get()>"Sign in"</button>
        </ActionForm>
        <p class="muted"><a href="/forgot-password">"Forgot your password?"</a></p>
        <p class="muted">"New here? " <a href="/register">"Create an account"</a></p>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = ServerAction::<api::Register>::new();
    view! {
        <Title text="Create an account"/>
        <h1>"Create an account"</h1>
        <FormError action/>
        <GoogleButton label="Sign up with Google" next=query("next")/>
        <ActionForm action attr:class="stack">
            <div class="field">
                <label for="name">"Your name"</label>
                <input id="name" type="text" name="name" autocomplete="name" required maxlength="100" value=typed("name")/>
            </div>
            <div class="field">
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="email" required value=typed("email")/>
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" type="password" name="password" autocomplete="new-password" required minlength="10"/>
                <span class="hint">"At least 10 characters. A few unrelated words make a strong one."</span>
            </div>
            <div class="field">
                <label for="password_confirm">"Confirm password"</label>
                <input id="password_confirm" type="password" name="password_confirm" autocomplete="new-password" required minlength="10"/>
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>"Create account"</button>
        </ActionForm>
        <p class="muted">"Already have an account? " <a href="/login">"Sign in"</a></p>
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
        <Title text="Confirm your new email"/>
        <h1>"Confirm your new email"</h1>
        <Suspense fallback=|| view! { <p class="notice info">"Checking your link…"</p> }>
            {move || Suspend::new(async move { match moved.await {
                Ok(email) => view! {
                    <Notice message=format!("Your account now uses {email}. Sign in with it from now on.")/>
                    <p><a class="button" href="/dashboard/profile">"Go to your profile"</a></p>
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
        <Title text="Confirm your email"/>
        <h1>"Confirm your email"</h1>
        {move || sent.get().map(|_| view! {
            <Notice message="Check your inbox: if the address can receive a link from us, it is on its way. It expires in 24 hours."/>
        })}
        <Suspense fallback=|| view! { <p class="notice info">"Checking your link…"</p> }>
            {move || Suspend::new(async move { verified.await.map(|result| match result {
                Ok(()) => view! {
                    <Notice message=format!("Your email is confirmed. Welcome to {}!", crate::components::studio().name)/>
                    <p><a class="button" href="/login?next=/dashboard">"Sign in to your dashboard"</a></p>
                }.into_any(),
                Err(err) => view! { <Notice message=err.to_string() error=true/> }.into_any(),
            }) })}
        </Suspense>
        <h2 class="h3">"Need a new link?"</h2>
        <FormError action=resend/>
        <ActionForm action=resend attr:class="stack">
            <div class="field">
                <label for="resend-email">"Email"</label>
                <input id="resend-email" type="email" name="email" autocomplete="email" required/>
            </div>
            <button type="submit" class="button ghost">"Send the link again"</button>
        </ActionForm>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<api::ForgotPassword>::new();
    let sent = query("sent");
    view! {
        <Title text="Forgot your password?"/>
        <h1>"Forgot your password?"</h1>
        <p class="muted">"Enter your email and we will send you a link to choose a new password."</p>
        {move || sent.get().map(|_| view! {
            <Notice message="Check your inbox: we sent a message to that address explaining what to do next. Reset links expire in 1 hour."/>
        })}
        <FormError action/>
        <ActionForm action attr:class="stack">
            <div class="field">
                <label for="email">"Email"</label>
                <input id="email" type="email" name="email" autocomplete="email" required value=typed("email")/>
            </div>
            <button type="submit" class="primary" disabled=move || action.pending().get()>"Send reset link"</button>
        </ActionForm>
        <p class="muted"><a href="/login">"Back to sign in"</a></p>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<api::ResetPassword>::new();
    let token = query("token");
    view! {
        <Title text="Choose a new password"/>
        <h1>"Choose a new password"</h1>
        <FormError action/>
        {move || match token.get() {
            None => view! {
                <Notice message="This page needs the link from your reset email." error=true/>
                <p><a href="/forgot-password">"Ask for a reset link"</a></p>
            }.into_any(),
            Some(token) => view! {
                <ActionForm action attr:class="stack">
                    <input type="hidden" name="token" value=token/>
                    <div class="field">
                        <label for="password">"New password"</label>
                        <input id="password" type="password" name="password" autocomplete="new-password" required minlength="10"/>
                    </div>
                    <div class="field">
                        <label for="password_confirm">"Confirm new password"</label>
                        <input id="password_confirm" type="password" name="password_confirm" autocomplete="new-password" required minlength="10"/>
                    </div>
                    <button type="submit" class="primary">"Save new password"</button>
                </ActionForm>
                <p class="muted">"Saving signs you out on every other device."</p>
            }.into_any(),
        }}
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    view! {
        <Title text="Sign out"/>
        <h1>"Sign out"</h1>
        <p>{format!("Sign out of {} on this device?", crate::components::studio().name)}</p>
        <SignOutButton/>
    }
}
