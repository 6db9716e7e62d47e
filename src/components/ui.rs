//! The small UI kit of the admin and dashboard pages: a block that waits for its
//! data (with the standard loading line and failure page), labelled form fields,
//! and a data table.

use super::failed_page;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{de::DeserializeOwned, Serialize};

/// Waits for `data`, then shows `render(value)`; "Loading…" meanwhile (never seen
/// in a server-rendered page: routes render once their data is in), and the error
/// page with its HTTP status if loading failed.
pub fn loaded<T, V, F>(data: Resource<Result<T, AppError>>, render: F) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => render(value).into_any(),
                        Err(err) => failed_page(err),
                    }
                })
            }}
        </Suspense>
    }
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
                {caption.map(|caption| view! { <caption>{caption}</caption> })}
                <thead>
                    <tr>
                        {columns
                            .iter()
                            .map(|c| view! { <th class=c.numeric.then_some("num")>{c.label}</th> })
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
            <label for=channel.clone()>"Pay by"</label>
            <select id=channel name="channel" required>
                {PayChannel::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=phone.clone()>"Phone number"</label>
            <input id=phone type="tel" name="phone" autocomplete="tel" inputmode="tel" required placeholder="0812 3456 7890"/>
            <span class="hint">"iPaymu asks for it with every payment."</span>
        </div>
    }
}
