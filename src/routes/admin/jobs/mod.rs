//! The job queue.

pub mod api;

use crate::components::{loaded, Column, DataTable, FormError, Notice};
use crate::components::{tr, tr_with, when};
use crate::domain::jobs::JobStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The pool at a glance: workers, what runs now, the queue per kind.
#[component]
fn JobsPool(overview: crate::domain::jobs::JobsOverview) -> impl IntoView {
    let waiting = match overview.oldest_wait_secs {
        None => tr("adm-nothing-is-waiting").to_owned(),
        Some(secs) => tr_with("adm-oldest-waited", &[("secs", &secs.to_string())]),
    };
    view! {
        <section class="card" aria-labelledby="pool-title">
            <h2 id="pool-title">{tr("adm-workers")}</h2>
            <p>{tr_with("adm-pool", &[("workers", &overview.workers.to_string()), ("running", &overview.running.len().to_string()), ("waiting", &waiting)])}</p>
            {(!overview.running.is_empty()).then(|| view! {
                <ul>
                    {overview.running.into_iter().map(|(id, kind, secs)| view! {
                        <li>{tr_with("adm-job-running", &[("id", &id.to_string()), ("kind", &kind), ("secs", &secs.to_string())])}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!overview.depth.is_empty()).then(|| view! {
                <DataTable caption=tr("adm-queue-by-kind")
                    columns=const { &[Column::text("Kind"), Column::num("Due now"), Column::num("Scheduled"), Column::num("Dead")] }>
                    {overview.depth.into_iter().map(|d| view! {
                        <tr><td>{d.kind}</td><td class="num">{d.due}</td><td class="num">{d.scheduled}</td><td class="num">{d.dead}</td></tr>
                    }).collect_view()}
                </DataTable>
            })}
        </section>
    }
}

#[component]
fn JobsTable(list: Vec<crate::domain::jobs::JobView>, retry: ServerAction<super::api::RetryJob>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="notice success" role="status">{tr("adm-all-caught-up-no-queued")}</p> }.into_any();
    }
    view! {
        <DataTable columns=const { &[Column::text("Job"), Column::text("Kind"), Column::text("Status"), Column::num("Attempts"), Column::text("Next run"), Column::text("Last error"), Column::text("")] }>
                {list.into_iter().map(|j| view! {
                    <tr>
                        <td>{j.id}</td>
                        <td>{j.kind.clone()}</td>
                        <td><span class=if j.status == JobStatus::Dead { "badge bad" } else { "badge" }>{j.status.as_str()}</span></td>
                        <td class="num">{j.attempts} " / " {j.max_attempts}</td>
                        <td>{when(j.run_at)}</td>
                        <td>{j.last_error.clone().unwrap_or_default()}</td>
                        <td>{(j.status == JobStatus::Dead).then(|| view! {
                            <ActionForm action=retry>
                                <input type="hidden" name="id" value=j.id/>
                                <button type="submit" class="button small">{tr("adm-retry")}</button>
                            </ActionForm>
                        })}</td>
                    </tr>
                }).collect_view()}
            </DataTable>
    }
    .into_any()
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let query = use_query_map();
    let retry = ServerAction::<super::api::RetryJob>::new();
    view! {
        <Title text=tr("adm-jobs")/>
        <h1>{tr("adm-background-jobs")}</h1>
        <p class="muted">{tr("adm-mail-and-deliveries-run-here")}</p>
        {move || query.read().get("retried").map(|_| view! { <Notice message=tr("adm-the-job-is-queued-again")/> })}
        <FormError action=retry/>
        {loaded(super::api::admin_jobs(), move |overview| view! { <JobsPool overview=overview.clone()/> <JobsTable list=overview.jobs retry=retry/> }
        )}
    }
}
