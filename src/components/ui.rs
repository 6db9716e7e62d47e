//! The small UI kit of the admin and dashboard pages: a block that waits for its
//! data (with the standard loading line and failure page), labelled form fields,
//! and a data table.

use super::{failed_page, loading};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Shows `render(value)` for the value `data` (a server function's call) comes to,
/// or the error page; see [`settled`].
pub fn loaded<T, V, Fut, F>(data: Fut, render: F) -> AnyView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    V: IntoView + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    settled(data, move |result| match result {
        Ok(value) => render(value).into_any(),
        Err(err) => failed_page(err),
    })
}

/// Shows `render(result)` for what `data` (a server function's call) comes to, for
/// pages that word their own failures. `data` is polled once right away: when its
/// queries run on a free read connection it is ready there and then, and the page
/// renders with no resource, suspense or async render around it (a `Resource` and a
/// `Suspense` cost ~90 K instructions a page, README "Performance"). Only when it
/// must wait (every read connection busy) does the page wait for it, under a
/// `Suspense`, and `server::render` awaits each part in order, so the page still arrives whole.
pub fn settled<T, V, Fut, F>(data: Fut, render: F) -> AnyView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    V: IntoView + 'static,
    Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    F: Fn(Result<T, AppError>) -> V + Clone + Send + Sync + 'static,
{
    use std::task::{Context, Poll, Waker};
    let mut data = Box::pin(data);
    match data.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(result) => render(result).into_any(),
        Poll::Pending => {
            awaits_data();
            let data = OnceResource::new(data);
            view! {
                <Suspense fallback=loading>
                    {move || {
                        let render = render.clone();
                        Suspend::new(async move { render(data.await).into_any() })
                    }}
                </Suspense>
            }
            .into_any()
        }
    }
}

/// Marks the page being built as waiting for data: call it beside every `Resource`
/// a page shows under a `<Suspense>`. The server then renders the page by awaiting
/// each part in order (`server::render`); rendered at once, the page would carry the
/// Suspense's fallback instead of its content.
pub fn awaits_data() {
    #[cfg(feature = "ssr")]
    crate::server::render::wait_for_data();
}

/// A form field: its label, the control (the children, whose `id` is `id`), and an optional hint.
#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    #[prop(optional_no_strip)] hint: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {children()}
            {hint.map(|hint| view! { <span class="hint">{hint}</span> })}
        </div>
    }
}

/// A labelled one-line input named `name` (`kind` is its `type`, text by default).
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: String,
    #[prop(optional_no_strip)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// `numeric` or `decimal` for numbers typed as text.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
) -> impl IntoView {
    view! {
        <Field id label hint>
            <input id=id name=name type=kind value=value required=required inputmode=inputmode maxlength=maxlength
                placeholder=placeholder/>
        </Field>
    }
}

/// A column of a [`DataTable`]: its heading, and whether it holds numbers (right-aligned).
#[derive(Clone, Copy)]
pub struct Column {
    pub label: &'static str,
    pub numeric: bool,
}

impl Column {
    pub const fn text(label: &'static str) -> Self {
        Self { label, numeric: false }
    }

    pub const fn num(label: &'static str) -> Self {
        Self { label, numeric: true }
    }
}

/// A table that scrolls sideways on narrow screens: `columns` head it, the
/// children are its rows (`<tr>`s); an optional caption names it.
#[component]
pub fn DataTable(
    columns: &'static [Column],
    #[prop(optional)] caption: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table>
                {caption.map(|caption| view! { <caption>{super::in_page_language(caption)}</caption> })}
                <thead>
                    <tr>
                        {columns
                            .iter()
                            .map(|c| view! { <th class=c.numeric.then_some("num")>{super::in_page_language(c.label)}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}

/// What a transfer gateway (iPaymu) needs beside its buy button: how the buyer
/// pays (QRIS or a bank's virtual account) and a phone number.
#[component]
pub fn TransferFields(
    /// Makes the fields' ids unique when a page has several buy forms.
    id_prefix: String,
) -> impl IntoView {
    use crate::domain::orders::PayChannel;
    let (channel, phone) = (format!("{id_prefix}-channel"), format!("{id_prefix}-phone"));
    view! {
        <div class="field">
            <label for=channel.clone()>{super::tr("transfer-pay-by")}</label>
            <select id=channel name="channel" required>
                {PayChannel::ALL.iter().map(|c| view! { <option value=c.as_str()>{super::tr_code("channel", c.as_str())}</option> }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=phone.clone()>{super::tr("transfer-phone")}</label>
            <input id=phone type="tel" name="phone" autocomplete="tel" inputmode="tel" required placeholder="0812 3456 7890"/>
            <span class="hint">{super::tr("transfer-phone-hint")}</span>
        </div>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::loaded;
    use crate::error::AppError;
    use futures::StreamExt;
    use leptos::prelude::*;

    /// The page as the server sends it: rendered in order, every `Suspense` awaited,
    /// in its own arena and on tokio as leptos_axum renders a request.
    async fn render<V: IntoView + 'static>(view: impl FnOnce() -> V + Send + 'static) -> String {
        let _ = any_spawner::Executor::init_tokio();
        leptos::reactive::owner::Sandboxed::new(async move {
            let owner = Owner::new();
            owner.with(|| view().into_view().to_html_stream_in_order()).collect::<String>().await
        })
        .await
    }

    /// Whether `render` ran while the page was being built (before anything was awaited).
    fn renders_as_built<T>(data: impl std::future::Future<Output = Result<T, AppError>> + Send + 'static) -> bool
    where
        T: Clone + serde::Serialize + serde::de::DeserializeOwned + Send + Sync + std::fmt::Display + 'static,
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let _ = any_spawner::Executor::init_tokio();
        let rendered = Arc::new(AtomicBool::new(false));
        let seen = rendered.clone();
        let _view = Owner::new().with(|| {
            loaded(data, move |v| {
                seen.store(true, Ordering::SeqCst);
                v.to_string()
            })
        });
        rendered.load(Ordering::SeqCst)
    }

    /// Not ready when first asked (as when every read connection is busy).
    async fn later(text: &str) -> Result<String, AppError> {
        tokio::task::yield_now().await;
        Ok(text.to_owned())
    }

    #[tokio::test]
    async fn data_at_hand_renders_in_place_and_data_that_must_wait_does_not() {
        assert!(renders_as_built(async { Ok::<_, AppError>(3) }));
        assert!(!renders_as_built(later("x")));
        let html = render(
            || view! { <main>{loaded(async { Ok::<_, AppError>(3) }, |n| view! { <p>{n} " orders"</p> })}</main> },
        )
        .await;
        assert!(html.starts_with("<main><p>3"), "{html}");
        assert!(!html.contains("Loading"), "{html}");
    }

    #[tokio::test]
    async fn data_that_must_wait_is_waited_for_before_the_page_is_sent() {
        let html =
            render(|| view! { <main>{loaded(later("ready later"), |s| view! { <p class="late">{s}</p> })}</main> })
                .await;
        assert!(html.contains(r#"<p class="late">ready later"#), "{html}");
        assert!(!html.contains("Loading"), "{html}");
    }

    #[tokio::test]
    async fn a_failure_shows_the_error_page_not_the_content() {
        let html = render(|| view! { <main>{loaded(async { Err::<u8, _>(AppError::NotFound) }, |_| view! { <p>"content"</p> })}</main> }).await;
        assert!(!html.contains("content"), "{html}");
        assert!(html.to_lowercase().contains("not found") || html.contains("404"), "{html}");
    }
}
