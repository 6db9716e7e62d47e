//! The job queue.

pub mod api;

use crate::components::{loaded, Column, DataTable, FormError, Notice};
use crate::domain::jobs::JobStatus;
use crate::domain::time::format_time;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The pool at a glance: workers, what runs now, the queue per kind.
#[component]
fn JobsPool(overview: crate::domain::jobs::JobsOverview) -> impl IntoView {
    let waiting = match overview.oldest_wait_secs {
        None => "nothing is waiting".to_owned(),
        Some(secs) => format!("the oldest due job has waited {secs} s"),
    };
    view! {
        <section class="card" aria-labelledby="pool-title">
            <h2 id="pool-title">"Workers"</h2>
            <p>{format!("{} workers; {} running now; {waiting}.", overview.workers, overview.running.len())}</p>
            {(!overview.running.is_empty()).then(|| view! {
                <ul>
                    {overview.running.into_iter().map(|(id, kind, secs)| view! {
                        <li>{format!("Job {id} ({kind}), running for {secs} s")}</li>
                    }).collect_view()}
                </ul>
            })}
            {(!overview.depth.is_empty()).then(|| view! {
                <DataTable caption="Queue by kind"
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
        return view! { <p class="notice success" role="status">"All caught up: no queued or failed jobs."</p> }
            .into_any();
    }
    view! {
        <DataTable columns=const { &[Column::text("Job"), Column::text("Kind"), Column::text("Status"), Column::num("Attempts"), Column::text("Next run"), Column::text("Last error"), Column::text("")] }>
                {list.into_iter().map(|j| view! {
                    <tr>
                        <td>{j.id}</td>
                        <td>{j.kind.clone()}</td>
                        <td><span class=if j.status == JobStatus::Dead { "badge bad" } else { "badge" }>{j.status.as_str()}</span></td>
                        <td class="num">{j.attempts} " / " {j.max_attempts}</td>
                        <td>{format_time(j.run_at)}</td>
                        <td>{j.last_error.clone().unwrap_or_default()}</td>
                        <td>{(j.status == JobStatus::Dead).then(|| view! {
                            <ActionForm action=retry>
                                <input type="hidden" name="id" value=j.id/>
                                <button type="submit" class="button small">"Retry"</button>
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
        <Title text="Jobs"/>
        <h1>"Background jobs"</h1>
        <p class="muted">"Mail and deliveries run here. Failed jobs retry with back-off; dead ones wait for you."</p>
        {move || query.read().get("retried").map(|_| view! { <Notice message="The job is queued again."/> })}
        <FormError action=retry/>
        {loaded(super::api::admin_jobs(), move |overview| view! { <JobsPool overview=overview.clone()/> <JobsTable list=overview.jobs retry=retry/> }
        )}
    }
}
