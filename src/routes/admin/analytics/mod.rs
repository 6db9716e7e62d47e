//! `/admin/analytics`: revenue, orders, products, the funnel, waitlists, members
//! and page views for a date range; each chart beside its table, each table as CSV.

pub mod api;

use crate::components::chart::bar_chart;
use crate::components::{awaits_data, failed_page, loading};
use crate::components::{in_page_language, tr, tr_with};
use crate::domain::analytics::{Bucket, SHOWN_ROWS};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let query = use_query_map();
    let get = move |k: &str| query.read().get(k).unwrap_or_default();
    let data = Resource::new(move || (get("from"), get("until"), get("by")), |(f, u, b)| api::admin_analytics(f, u, b));
    awaits_data();
    view! {
        <Title text=tr("adm-analytics")/>
        <h1>{tr("adm-analytics")}</h1>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let a = match data.await {
                    Ok(a) => a,
                    Err(err) => return failed_page(err),
                };
                let range = format!("from={}&until={}&by={}", a.from, a.until, a.by);
                view! {
                    <form method="get" class="filters">
                        <div class="field"><label for="a-from">{tr("adm-from")}</label>
                            <input id="a-from" name="from" type="date" value=a.from.clone()/></div>
                        <div class="field"><label for="a-until">{tr("adm-until")}</label>
                            <input id="a-until" name="until" type="date" value=a.until.clone()/></div>
                        <div class="field"><label for="a-by">{tr("adm-group-by")}</label>
                            <select id="a-by" name="by">
                                {Bucket::ALL.iter().map(|b| view! { <option value=b.as_str() selected=*b == a.by>{in_page_language(b.label())}</option> }).collect_view()}
                            </select></div>
                        <button type="submit" class="button ghost">{tr("adm-show")}</button>
                    </form>
                    {a.tables.into_iter().map(|t| {
                        let csv = format!("/admin/analytics/{}.csv?{range}", t.name);
                        let words = t.first_column_is_words();
                        let (heading, labelled_by) = (format!("h-{}", t.name), format!("h-{}", t.name));
                        view! {
                            <section class="analytics-block" aria-labelledby=labelled_by>
                                <h2 class="h3" id=heading>{in_page_language(&t.title)}</h2>
                                {t.chart.as_deref().map(|points| {
                                    // The bars' labels are periods and steps, in the reader's words.
                                    let points: Vec<(String, i64)> = points.iter().map(|(label, n)| (in_page_language(label), *n)).collect();
                                    view! { <div class="chart-box" inner_html=bar_chart(&points).into_string()></div> }
                                })}
                                {if t.rows.is_empty() {
                                    view! { <p class="muted">{tr("adm-nothing-in-this-range")}</p> }.into_any()
                                } else {
                                    // The columns are the table's own (a DataTable takes fixed ones).
                                    view! {
                                        <div class="table-wrap"><table>
                                            <thead><tr>{t.columns.iter().enumerate().map(|(i, c)| view! {
                                                <th scope="col" class=if i == 0 { "" } else { "num" }>{in_page_language(c)}</th>
                                            }).collect_view()}</tr></thead>
                                            <tbody>{t.rows.iter().map(|row| view! {
                                                <tr>{row.iter().enumerate().map(|(i, cell)| view! {
                                                    <td class=if i == 0 { "" } else { "num" }>{if i == 0 && words { in_page_language(cell) } else { cell.clone() }}</td>
                                                }).collect_view()}</tr>
                                            }).collect_view()}</tbody>
                                        </table></div>
                                        {t.more.then(|| view! {
                                            <p class="muted">{tr_with("adm-first-rows", &[("n", &SHOWN_ROWS.to_string())])}</p>
                                        })}
                                    }.into_any()
                                }}
                                <p><a href=csv rel="external" download="">{tr("adm-download-csv")}</a></p>
                            </section>
                        }
                    }).collect_view()}
                }.into_any()
            })}
        </Suspense>
    }
}
