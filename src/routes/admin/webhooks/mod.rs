//! `/admin/webhooks`: where the studio's events are POSTed — endpoints, their
//! events and signing secret, a log of every try, a test event and redelivery.

pub mod api;

use crate::components::{in_page_language, tr, when};
use crate::components::{loaded, query_param, route_param, Column, DataTable, FormError, Notice, Pager, TextField};
use crate::domain::webhooks::{EndpointView, Event};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const ENDPOINT_COLUMNS: &[Column] =
    &[Column::text("Address"), Column::text("Events"), Column::text("State"), Column::text("Last try")];
const LOG_COLUMNS: &[Column] = &[
    Column::text("When"),
    Column::text("Event"),
    Column::text("Answer"),
    Column::num("Time"),
    Column::text("Response"),
    Column::text(""),
];

/// The event checkboxes, ticked as `endpoint` has them.
fn event_boxes(endpoint: Option<&EndpointView>) -> impl IntoView {
    Event::ALL
        .iter()
        .map(|e| {
            let name = format!("events[{}]", api::EventsForm::field(*e));
            let id = format!("event-{}", api::EventsForm::field(*e));
            let checked = endpoint.is_none_or(|ep| ep.events.contains(e));
            view! {
                <div class="field checkbox">
                    <input id=id.clone() name=name type="checkbox" checked=checked/>
                    <label for=id>{in_page_language(e.label())} " (" <code>{e.as_str()}</code> ")"</label>
                </div>
            }
        })
        .collect_view()
}

fn last_try(last: Option<(i64, Option<i64>)>) -> String {
    match last {
        None => tr("adm-never").to_owned(),
        Some((at, Some(status))) => format!("HTTP {status}, {}", when(at)),
        Some((at, None)) => format!("{}, {}", tr("adm-no-answer"), when(at)),
    }
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let create = ServerAction::<api::CreateWebhook>::new();
    let query = use_query_map();
    view! {
        <Title text=tr("adm-webhooks")/>
        <h1>{tr("adm-webhooks")}</h1>
        <p class="lead">{tr("adm-each-event-is-posted-as")} <code>{tr("adm-x-atelier-signature-t-v1")}</code> {tr("adm-an-hmac-sha256-of")} " " <code>"t.body"</code> {tr("adm-and-retried-with-back-off")}</p>
        {move || query.read().get("deleted").map(|_| view! { <Notice message=tr("adm-the-endpoint-is-removed")/> })}
        {loaded(api::admin_webhooks(), |endpoints| if endpoints.is_empty() {
            view! { <p class="notice info">{tr("adm-no-endpoints-yet")}</p> }.into_any()
        } else {
            view! {
                <DataTable columns=ENDPOINT_COLUMNS>
                    {endpoints.into_iter().map(|e| view! {
                        <tr>
                            <td><a href=format!("/admin/webhooks/{}", e.id)>{e.url.clone()}</a>{e.from_env.then_some(" (NOTIFY_WEBHOOK_URL)")}</td>
                            <td>{e.events.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", ")}</td>
                            <td>{if e.enabled { tr("adm-on") } else { tr("adm-off") }}</td>
                            <td>{last_try(e.last)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
            }.into_any()
        })}
        <h2 class="h3">{tr("adm-add-an-endpoint")}</h2>
        <FormError action=create/>
        <ActionForm action=create attr:class="stack narrow-form">
            <TextField id="url" name="url" label=tr("adm-address-https") value="" required=true maxlength=500/>
            <fieldset class="stack"><legend>{tr("adm-events")}</legend>{event_boxes(None)}</fieldset>
            <button type="submit" class="primary">{tr("adm-add-endpoint")}</button>
        </ActionForm>
    }
}

#[component]
pub fn WebhookDetailPage() -> impl IntoView {
    let update = ServerAction::<api::UpdateWebhook>::new();
    let toggle = ServerAction::<api::SetWebhookEnabled>::new();
    let delete = ServerAction::<api::DeleteWebhook>::new();
    let test = ServerAction::<api::TestWebhook>::new();
    let redeliver = ServerAction::<api::RedeliverWebhook>::new();
    let query = use_query_map();
    let id = route_param("id").parse::<i64>().unwrap_or(0);
    view! {
        {move || query.read().get("created").map(|_| view! { <Notice message=tr("adm-added-events-are-sent-to")/> })}
        {move || query.read().get("saved").map(|_| view! { <Notice message=tr("adm-saved")/> })}
        {move || query.read().get("tested").map(|_| view! { <Notice message=tr("adm-a-test-event-is-on")/> })}
        {move || query.read().get("redelivered").map(|_| view! { <Notice message=tr("adm-sent-again-its-try-appears")/> })}
        <FormError action=update/>
        <FormError action=toggle/>
        <FormError action=delete/>
        <FormError action=test/>
        <FormError action=redeliver/>
        {loaded(api::admin_webhook(id, query_param("before"), query_param("after")), move |d| {
            let e = d.endpoint.clone();
            view! {
                <Title text=format!("{} {}", tr("adm-webhook"), e.url)/>
                <p class="eyebrow"><a href="/admin/webhooks">{tr("adm-webhooks")}</a></p>
                <h1>{e.url.clone()}</h1>
                <p>{if e.enabled { tr("adm-on") } else { tr("adm-off-nothing-is-sent") }} " " {tr("adm-signing-secret")} " " <code class="secret">{e.secret.clone()}</code></p>
                <div class="actions">
                    <ActionForm action=test attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button">{tr("adm-send-test-event")}</button>
                    </ActionForm>
                    <ActionForm action=toggle attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="enabled" value=(!e.enabled).to_string()/>
                        <button type="submit" class="button ghost">{if e.enabled { tr("adm-turn-off") } else { tr("adm-turn-on") }}</button>
                    </ActionForm>
                    <ActionForm action=delete attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="button ghost">{tr("adm-remove-endpoint")}</button>
                    </ActionForm>
                </div>
                <h2 class="h3">{tr("adm-address-and-events")}</h2>
                <ActionForm action=update attr:class="stack narrow-form">
                    <input type="hidden" name="id" value=id/>
                    <TextField id="url" name="url" label=tr("adm-address-https") value=e.url.clone() required=true maxlength=500/>
                    <fieldset class="stack"><legend>{tr("adm-events")}</legend>{event_boxes(Some(&e))}</fieldset>
                    <button type="submit" class="primary">{tr("adm-save")}</button>
                </ActionForm>
                <h2 class="h3">{tr("adm-log")}</h2>
                {if d.log.is_empty() {
                    view! { <p class="muted">{tr("adm-nothing-sent-yet")}</p> }.into_any()
                } else {
                    view! {
                        <DataTable columns=LOG_COLUMNS>
                            {d.log.into_iter().map(|t| {
                                let answer = match t.status_code {
                                    Some(status) => format!("HTTP {status}"),
                                    None => format!("{}: {}", tr("adm-no-answer"), t.error),
                                };
                                let class = if t.succeeded() { "badge ok" } else { "badge bad" };
                                view! {
                                    <tr>
                                        <td>{when(t.created_at)}</td>
                                        <td><code>{t.event.clone()}</code> " " <span class="muted">{t.delivery_id.clone()}</span></td>
                                        <td><span class=class>{answer}</span></td>
                                        <td class="num">{format!("{} ms", t.duration_ms)}</td>
                                        <td><code class="excerpt">{t.response.chars().take(200).collect::<String>()}</code></td>
                                        <td>
                                            <ActionForm action=redeliver attr:class="inline-form">
                                                <input type="hidden" name="id" value=id/>
                                                <input type="hidden" name="delivery" value=t.id/>
                                                <button type="submit" class="button ghost small">{tr("adm-redeliver")}</button>
                                            </ActionForm>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </DataTable>
                        <Pager newer=d.newer older=d.older/>
                    }.into_any()
                }}
            }
        })}
    }
}
