//! `/dashboard`: a member's orders, downloads, keys and subscriptions.

pub mod api;

use crate::components::when;
use crate::components::{
    loaded, query_param, renewal_state, status_badge, subscription_badge, tr, tr_code, tr_with, AreaLayout, Column,
    DataTable, Field, NavLink, OrderTable, TextField,
};
use crate::domain::product_files::size_label;
use crate::domain::subscriptions::SubscriptionStatus;
use crate::domain::Area;
use crate::domain::{
    delivery::{DeliveryKind, DeliveryStatus, OwnedItem},
    orders::OrderStatus,
};
use leptos::prelude::*;
use leptos_meta::Title;

const NAV: &[NavLink] = &[
    NavLink::new("/dashboard", "Overview"),
    NavLink::new("/dashboard/orders", "Orders"),
    NavLink::new("/dashboard/downloads", "Downloads & keys"),
    NavLink::new("/dashboard/licenses", "Licenses"),
    NavLink::new("/dashboard/services", "Services"),
    NavLink::new("/dashboard/subscriptions", "Subscriptions"),
    NavLink::new("/dashboard/tools", "Tools"),
    NavLink::new("/dashboard/profile", "Profile"),
    NavLink::new("/dashboard/tokens", "API tokens"),
];

#[component]
pub fn DashboardLayout(page: fn() -> AnyView) -> impl IntoView {
    view! { <AreaLayout area=Area::Dashboard title="Dashboard" links=NAV page/> }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    view! {
        <Title text=tr("dash-title")/>
        <h1>{tr("dash-heading")}</h1>
        {loaded(api::my_overview(), |o| {
            let used: u32 = o.tools.iter().map(|t| t.today).sum();
            view! {
                {if o.owned.is_empty() {
                    view! {
                        <p class="lead">{tr("dash-no-purchases")}</p>
                        <p><a class="button" href="/products">{tr("dash-browse")}</a></p>
                    }.into_any()
                } else {
                    view! {
                        <h2 class="h3">{tr("dash-owned")}</h2>
                        <div class="cards">{o.owned.into_iter().map(owned_card).collect_view()}</div>
                        {o.more_owned.then(|| view! { <p><a href="/dashboard/downloads">{tr("dash-owned-all")}</a></p> })}
                    }.into_any()
                }}
                {(!o.attention.is_empty()).then(|| view! {
                    <section class="notice info attention" aria-labelledby="attention-heading">
                        <h2 id="attention-heading" class="h3">{tr("dash-to-renew")}</h2>
                        <ul>{o.attention.iter().map(|s| view! {
                            <li>
                                {tr_with("dash-plan-of", &[("product", &s.product_name), ("plan", &s.plan_name)])} ": "
                                {renewal_state(s)} " "
                                <a href=format!("/dashboard/subscriptions?renew={}", s.public_id)>{tr("dash-renew")}</a>
                            </li>
                        }).collect_view()}</ul>
                    </section>
                })}
                {(!o.tools.is_empty()).then(|| view! {
                    <h2 class="h3">{tr("dash-tools-today")}</h2>
                    <p class="tools-today">
                        {match used {
                            0 => tr("dash-no-runs").to_owned(),
                            1 => format!("{} ", tr("dash-one-run")),
                            n => format!("{} ", tr_with("dash-runs", &[("n", &n.to_string())])),
                        }}
                        {o.tools.iter().filter(|t| t.today > 0).map(|t| tr_with("dash-tool-of", &[("tool", &t.title), ("used", &t.today.to_string()), ("limit", &t.limit.to_string())])).collect::<Vec<_>>().join(", ")}
                        " · " <a href="/dashboard/tools">{tr("dash-usage")}</a>
                    </p>
                })}
            }
        })}
    }
}

/// The renewal buttons of a subscription, one per way of paying.
fn renew_buttons(
    renew: ServerAction<api::RenewSubscription>,
    public_id: String,
    gateways: Vec<crate::domain::orders::Gateway>,
) -> impl IntoView {
    use crate::domain::orders::Gateway;
    view! {
        <div class="actions">{gateways.into_iter().map(|g| {
            let label = pay_label("dash-renew", g);
            let public_id = public_id.clone();
            let prefix = format!("renew-{public_id}");
            view! {
                <ActionForm action=renew attr:class="inline-form">
                    <input type="hidden" name="subscription" value=public_id/>
                    <input type="hidden" name="gateway" value=g.as_str()/>
                    {(g == Gateway::Ipaymu).then(|| view! { <crate::components::TransferFields id_prefix=prefix/> })}
                    <button type="submit" class="primary small">{label}</button>
                </ActionForm>
            }
        }).collect_view()}</div>
    }
}

/// "Renew with PayPal", "Upgrade (sandbox payment)": `verb` is the message of the action.
fn pay_label(verb: &'static str, gateway: crate::domain::orders::Gateway) -> String {
    use crate::domain::orders::Gateway;
    let verb = tr(verb);
    match gateway {
        Gateway::Sandbox => tr_with("dash-pay-sandbox", &[("action", verb)]),
        g => tr_with("dash-pay-with", &[("action", verb), ("gateway", g.label())]),
    }
}

/// The plans a subscriber can move to: an upgrade paid now (one button per way of
/// paying), the others at the renewal; then a pause instead of cancelling.
fn plan_changes(
    s: &crate::domain::subscriptions::SubscriptionView,
    actions: (
        ServerAction<api::UpgradeSubscription>,
        ServerAction<api::SchedulePlan>,
        ServerAction<api::PauseSubscription>,
    ),
    gateways: &[crate::domain::orders::Gateway],
) -> impl IntoView {
    use crate::domain::orders::Gateway;
    use crate::domain::subscriptions::ChangeKind;
    let (upgrade, schedule, pause) = actions;
    let renewal = when(s.current_period_end);
    let public_id = s.public_id.clone();
    let choices = s.choices.clone().into_iter().map(|c| {
        let (public_id, plan) = (public_id.clone(), c.plan_id.to_string());
        let how = match (c.kind, &c.upgrade_price, c.proration) {
            (ChangeKind::Upgrade, Some(amount), Some(p)) => {
                let buttons = gateways.iter().copied().map(|g| {
                    let prefix = format!("upgrade-{public_id}-{plan}");
                    let (public_id, plan) = (public_id.clone(), plan.clone());
                    view! {
                        <ActionForm action=upgrade attr:class="inline-form">
                            <input type="hidden" name="subscription" value=public_id/>
                            <input type="hidden" name="plan" value=plan/>
                            <input type="hidden" name="gateway" value=g.as_str()/>
                            {(g == Gateway::Ipaymu).then(|| view! { <crate::components::TransferFields id_prefix=prefix/> })}
                            <button type="submit" class="primary small">{pay_label("dash-upgrade", g)}</button>
                        </ActionForm>
                    }
                }).collect_view();
                view! {
                    <p>{tr_with("dash-upgrade-now", &[("amount", &amount.to_string()), ("left", &p.days_left.to_string()), ("days", &p.days_total.to_string())])}</p>
                    <div class="actions">{buttons}</div>
                }.into_any()
            }
            _ => {
                let label = tr_with("dash-switch", &[("plan", &c.name)]);
                view! {
                    <p>{tr_with("dash-switch-when", &[("renewal", &renewal)])}</p>
                    <ActionForm action=schedule attr:class="inline-form">
                        <input type="hidden" name="subscription" value=public_id.clone()/>
                        <input type="hidden" name="plan" value=plan.clone()/>
                        <button type="submit" class="button small">{label}</button>
                    </ActionForm>
                }.into_any()
            }
        };
        view! {
            <li class="plan-choice">
                <strong>{c.name.clone()}</strong> " · " {crate::components::price_in_page_language(&c.price)}
                {how}
            </li>
        }
    }).collect_view();
    let months_id = format!("pause-months-{public_id}");
    view! {
        <section class="plan-changes">
            <h2 class="h3">{tr("dash-another-plan")}</h2>
            <ul class="stack plain">{choices}</ul>
            <h2 class="h3">{tr("dash-pause")}</h2>
            <ActionForm action=pause attr:class="inline-form">
                <input type="hidden" name="subscription" value=public_id.clone()/>
                <label for=months_id.clone()>{tr("dash-pause-for")}</label>
                <select id=months_id name="months">
                    <option value="1">{tr("dash-month-1")}</option>
                    <option value="2">{tr_with("dash-months", &[("n", "2")])}</option>
                    <option value="3">{tr_with("dash-months", &[("n", "3")])}</option>
                </select>
                <button type="submit" class="button ghost small">{tr("dash-pause-instead")}</button>
            </ActionForm>
            <p class="muted">{tr("dash-pause-hint")}</p>
        </section>
    }
}

/// `/dashboard/subscriptions/{id}`: one subscription's other plans (an upgrade paid
/// now, the others at the renewal) and a pause.
#[component]
pub fn SubscriptionChangePage() -> impl IntoView {
    let upgrade = ServerAction::<api::UpgradeSubscription>::new();
    let schedule = ServerAction::<api::SchedulePlan>::new();
    let pause = ServerAction::<api::PauseSubscription>::new();
    let cancel = ServerAction::<api::CancelSubscription>::new();
    let id = crate::components::route_param("id");
    view! {
        <Title text=tr("dash-manage")/>
        <p class="eyebrow"><a href="/dashboard/subscriptions">{tr("dash-subscriptions")}</a></p>
        <h1>{tr("dash-manage")}</h1>
        <crate::components::FormError action=upgrade/>
        <crate::components::FormError action=schedule/>
        <crate::components::FormError action=pause/>
        <crate::components::FormError action=cancel/>
        {loaded(api::subscription_choices(id), move |d| {
            let gateways = d.gateways.clone();
            d.subscriptions.into_iter().map(|s| {
                let body = if s.choices.is_empty() {
                    view! { <p class="notice info">{tr("dash-only-active")}</p> }.into_any()
                } else {
                    plan_changes(&s, (upgrade, schedule, pause), &gateways).into_any()
                };
                let id = s.public_id.clone();
                view! {
                    <article class="card subscription" id=s.public_id.clone()>
                        <h2 class="h3"><a href=s.product_path.clone()>{s.product_name.clone()}</a> " · " {tr_with("dash-plan", &[("plan", &s.plan_name)])}</h2>
                        <p>{subscription_badge(s.status)} " " {crate::components::price_in_page_language(&s.plan_price)} " · " {renewal_state(&s)}</p>
                        {body}
                        {(s.status == SubscriptionStatus::Active).then(|| view! {
                            <h3 class="h4">{tr("dash-cancel")}</h3>
                            <p class="muted">{tr("dash-cancel-hint")}</p>
                            <ActionForm action=cancel attr:class="inline-form">
                                <input type="hidden" name="subscription" value=id/>
                                <button type="submit" class="button ghost small">{tr("dash-cancel-subscription")}</button>
                            </ActionForm>
                        })}
                        <h3 class="h4">{tr("dash-history")}</h3>
                        <ol class="timeline">{s.history.iter().map(|e| view! {
                            <li><span class="muted">{when(e.at)}</span> " " {crate::components::history_words(e)}</li>
                        }).collect_view()}</ol>
                    </article>
                }
            }).collect_view()
        })}
    }
}

/// The fixed parts of a subscription's card on the list, as HTML: its heading and state
/// (name, plan, badge, price, renewal), and the link to its own page. A page holds up to
/// 50 cards; written as one string each part costs a fraction of the same markup as a
/// view (see `routes::site::catalog::product_cards`). Every value is escaped
/// (`TrustedHtml::format`).
fn subscription_card_parts(
    s: &crate::domain::subscriptions::SubscriptionView,
) -> (crate::domain::html::TrustedHtml, crate::domain::html::TrustedHtml) {
    use crate::domain::html::TrustedHtml;
    let plan = tr_with("dash-plan", &[("plan", &s.plan_name)]);
    let head = TrustedHtml::format(
        r#"<h2 class="h3"><a href="{}">{}</a> · {}</h2><p><span class="{}">{}</span> {} · {}</p>"#,
        &[
            &s.product_path,
            &s.product_name,
            &plan,
            crate::components::subscription_badge_class(s.status),
            tr_code("subscription-status", s.status.as_str()),
            &crate::components::price_in_page_language(&s.plan_price),
            &renewal_state(s),
        ],
    );
    let tail = TrustedHtml::format(
        r#"<p><a href="/dashboard/subscriptions/{}">{}<span class="sr-only"> {} · {}</span></a></p>"#,
        &[&s.public_id, tr("dash-manage-short"), &s.product_name, &plan],
    );
    (head, tail)
}

#[component]
pub fn SubscriptionsPage() -> impl IntoView {
    let resume = ServerAction::<api::ResumeSubscription>::new();
    let renew = ServerAction::<api::RenewSubscription>::new();
    let drop_change = ServerAction::<api::DropPlanChange>::new();
    let unpause = ServerAction::<api::UnpauseSubscription>::new();
    let query = leptos_router::hooks::use_query_map();
    let highlighted = query.read_untracked().get("renew");
    view! {
        <Title text=tr("dash-subscriptions")/>
        <h1>{tr("dash-subscriptions")}</h1>
        {move || query.read().get("cancelled").map(|_| view! { <crate::components::Notice message=tr("dash-cancelled")/> })}
        {move || query.read().get("resumed").map(|_| view! { <crate::components::Notice message=tr("dash-resumed")/> })}
        {move || query.read().get("scheduled").map(|_| view! { <crate::components::Notice message=tr("dash-scheduled")/> })}
        {move || query.read().get("dropped").map(|_| view! { <crate::components::Notice message=tr("dash-dropped")/> })}
        {move || query.read().get("paused").map(|_| view! { <crate::components::Notice message=tr("dash-paused")/> })}
        {move || query.read().get("unpaused").map(|_| view! { <crate::components::Notice message=tr("dash-unpaused")/> })}
        <crate::components::FormError action=resume/>
        <crate::components::FormError action=renew/>
        <crate::components::FormError action=drop_change/>
        <crate::components::FormError action=unpause/>
        {loaded(api::my_subscriptions(query_param("before"), query_param("after"), highlighted.clone().unwrap_or_default()), move |d| if d.subscriptions.is_empty() {
            view! {
                <p class="notice info">{tr("dash-no-subscriptions")}</p>
                <p><a class="button" href="/saas">{tr("tool-see-plans")}</a></p>
            }.into_any()
        } else {
            let (gateways, now, highlighted) = (d.gateways.clone(), d.now, highlighted.clone());
            view! {
                <div class="stack">{d.subscriptions.into_iter().map(|s| {
                    let focus = highlighted.as_deref() == Some(s.public_id.as_str());
                    let offer_renewal = s.can_renew() && (focus || s.needs_attention(now) || s.status == SubscriptionStatus::Cancelled);
                    let can_resume = s.status == SubscriptionStatus::Cancelled && s.current_period_end > now;
                    let (id2, id3) = (s.public_id.clone(), s.public_id.clone());
                    let gateways = gateways.clone();
                    let (head, tail) = subscription_card_parts(&s);
                    view! {
                        <article class=if focus { "card subscription focus" } else { "card subscription" } id=s.public_id.clone()>
                            <div class="card-head" inner_html=head.into_string()></div>
                            {(s.status == SubscriptionStatus::PastDue).then(|| view! {
                                <p class="notice error" role="alert">{tr("dash-period-ended")}</p>
                            })}
                            {s.scheduled.clone().map(|c| {
                                let id = s.public_id.clone();
                                view! {
                                    <div class="notice info">
                                        <p>{tr_with("dash-moves-to", &[("plan", &c.plan_name), ("price", &crate::components::price_in_page_language(&c.plan_price)), ("at", &when(c.at))])}</p>
                                        <ActionForm action=drop_change attr:class="inline-form">
                                            <input type="hidden" name="subscription" value=id/>
                                            <button type="submit" class="button ghost small">{tr("dash-keep-plan")}</button>
                                        </ActionForm>
                                    </div>
                                }
                            })}
                            {(s.status == SubscriptionStatus::Paused).then(|| {
                                let id = s.public_id.clone();
                                view! {
                                    <div class="notice info">
                                        <p>{tr("dash-paused-note")}</p>
                                        <ActionForm action=unpause attr:class="inline-form">
                                            <input type="hidden" name="subscription" value=id/>
                                            <button type="submit" class="button small">{tr("dash-resume-now")}</button>
                                        </ActionForm>
                                    </div>
                                }
                            })}
                            {offer_renewal.then(|| renew_buttons(renew, id3, gateways.clone()))}
                            {can_resume.then(|| view! {
                                <ActionForm action=resume attr:class="inline-form">
                                    <input type="hidden" name="subscription" value=id2/>
                                    <button type="submit" class="button small">{tr("dash-resume")}</button>
                                </ActionForm>
                            })}
                            <div inner_html=tail.into_string()></div>
                        </article>
                    }
                }).collect_view()}</div>
                <crate::components::Pager newer=d.newer older=d.older/>
            }.into_any()
        })}
    }
}

const TOOL_COLUMNS: &[Column] =
    &[Column::text("Tool"), Column::text("Today"), Column::num("This month"), Column::text("Last 30 days")];

/// A bar `used` of `limit` long.
fn usage_bar(used: u32, limit: u32) -> impl IntoView {
    let percent = (used.min(limit) * 100).checked_div(limit).unwrap_or(100);
    view! {
        <span class="usage-bar" role="img" aria-label=tr_with("dash-runs-used", &[("used", &used.to_string()), ("limit", &limit.to_string())])>
            <span style=format!("width:{percent}%")></span>
        </span>
    }
}

/// The last 30 days as small bars, the busiest day full height.
fn usage_history(history: &[u32]) -> impl IntoView {
    leptos::tachys::html::InertElement::new(usage_history_html(history))
}

/// [`usage_history`]'s HTML, written directly: numbers and fixed words only, nothing to
/// escape. As Leptos views (an element and two attributes per day, for every tool) the
/// bars were ~40 % of the tools page's render (README, "Performance").
fn usage_history_html(history: &[u32]) -> String {
    use std::fmt::Write;
    let max = history.iter().copied().max().unwrap_or(0).max(1);
    let total: u32 = history.iter().sum();
    let mut html = String::with_capacity(100 + 60 * history.len());
    use crate::domain::html::attribute;
    let label = tr_with("dash-runs-30", &[("n", &total.to_string())]);
    let (today, yesterday) = (attribute(tr("dash-today")), attribute(tr("dash-yesterday")));
    // "{n} days ago" once, split where the number goes: 30 days a tool, no formatting per day.
    let ago = tr_with("dash-days-ago", &[("n", "\u{E002}")]);
    let ago = attribute(&ago);
    let (before, after) = ago.split_once('\u{E002}').unwrap_or((&ago, ""));
    let _ = write!(html, r#"<span class="usage-history" role="img" aria-label="{}">"#, attribute(&label));
    for (i, n) in history.iter().enumerate() {
        let _ = write!(html, r#"<span style="height:{}%" title="{n} "#, n * 100 / max);
        let _ = match history.len() - 1 - i {
            0 => write!(html, "{today}"),
            1 => write!(html, "{yesterday}"),
            days => write!(html, "{before}{days}{after}"),
        };
        html.push_str(r#""></span>"#);
    }
    html.push_str("</span>");
    html
}

#[component]
pub fn ToolsPage() -> impl IntoView {
    view! {
        <Title text=tr("dash-tools")/>
        <h1>{tr("dash-tools")}</h1>
        {loaded(api::my_tool_usage(), |u| if u.tools.is_empty() {
            view! { <p class="notice info">{tr("dash-no-tools")}</p> }.into_any()
        } else {
            view! {
                <p class="lead">{tr_with("dash-tools-lead", &[("day", &u.day)])}</p>
                <DataTable columns=TOOL_COLUMNS caption="Tool usage">
                    {u.tools.into_iter().map(|t| view! {
                        <tr>
                            <td><a href=format!("/tools/{}", t.slug)>{t.title.clone()}</a></td>
                            <td>
                                <span class="usage-count">{tr_with("dash-of", &[("used", &t.today.to_string()), ("limit", &t.limit.to_string())])}</span>
                                {usage_bar(t.today, t.limit)}
                            </td>
                            <td class="num">{t.month}</td>
                            <td>{usage_history(&t.history)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
                <p class="muted">{tr("dash-more-runs")} " " <a href="/saas">{tr("tool-see-plans")}</a> "."</p>
            }.into_any()
        })}
    }
}

fn owned_card(item: OwnedItem) -> impl IntoView {
    let ready = item.delivery_status == Some(DeliveryStatus::Delivered);
    view! {
        <article class="card">
            <h3>{item.product_name.clone()}</h3>
            <p><span class=if ready { "badge ok" } else { "badge" }>{crate::components::in_page_language(item.state_label())}</span> " " {tr_code("delivery", item.delivery_kind.as_str())}</p>
            {item.license_key.clone().map(|key| view! { <p>{tr("dash-license-key")} " " <code class="license-key">{key}</code></p> })}
            {(!item.detail.is_empty()).then(|| view! { <p class="muted">{crate::components::delivery_words(&item.detail, &item.note)}</p> })}
            {(item.delivery_kind == DeliveryKind::EmailFile && ready).then(|| {
                let public_id = item.public_id.clone();
                let to_downloads = item.files.is_empty().then(|| view! {
                    <p><a class="button small" href="/dashboard/downloads">{tr("dash-to-downloads")}</a></p>
                });
                view! {
                    {to_downloads}
                    <ul class="owned-files">
                        {item.files.iter().map(|f| view! {
                            <li class="owned-file">
                                <p><strong>{f.label.clone()}</strong>
                                    {format!(" · {} · {} · {}", tr_with("dash-version", &[("version", &f.version)]), size_label(f.bytes), when(f.created_at))}</p>
                                <p class="muted small">{f.original_name.clone()}</p>
                                {(!f.changelog_html.is_empty()).then(|| view! {
                                    <details class="changelog"><summary>{tr("dash-what-changed")}</summary>
                                        <div class="prose" inner_html=f.changelog_html.clone().into_string()></div></details>
                                })}
                                <form method="post" action="/api/dashboard/fresh_link" class="inline-form">
                                    <input type="hidden" name="public_id" value=public_id.clone()/>
                                    <input type="hidden" name="file_id" value=f.id/>
                                    <button type="submit" class="button small" aria-label=tr_with("dash-download-file", &[("file", &f.label)])>{tr("dash-download")}</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            })}
            <p class="muted">{tr("sandbox-order")} " " <a href=format!("/dashboard/orders/{}", item.public_id)>{item.public_id.clone()}</a></p>
        </article>
    }
}

#[component]
pub fn DownloadsPage() -> impl IntoView {
    view! {
        <Title text=tr("dash-downloads")/>
        <h1>{tr("dash-downloads")}</h1>
        {loaded(api::my_downloads(query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! { <p class="notice info">{tr("dash-nothing-yet")}</p> }.into_any()
        } else {
            view! {
                <div class="cards">{page.rows.into_iter().map(owned_card).collect_view()}</div>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}

/// The services bought: where each stands (received, in progress, delivered) and the studio's notes.
#[component]
pub fn ServicesPage() -> impl IntoView {
    view! {
        <Title text=tr("dash-services")/>
        <h1>{tr("dash-services")}</h1>
        {loaded(api::my_services(query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{if page.newer.is_some() { tr("dash-no-older-services") } else { tr("dash-no-services") }}</p>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        } else {
            view! {
                {page.rows.into_iter().map(|s| {
                    use crate::domain::delivery::ServiceStage;
                    let badge = match s.stage {
                        ServiceStage::Delivered => "badge ok",
                        ServiceStage::Withdrawn => "badge bad",
                        _ => "badge",
                    };
                    view! {
                        <section class="card stack" aria-label=s.product_name.clone()>
                            <h2>{s.product_name.clone()} " " <span class=badge>{crate::components::in_page_language(s.stage.label())}</span></h2>
                            <ol class="timeline">
                                <li><strong>{crate::components::in_page_language("Received")}</strong> " · " {when(s.paid_at)}
                                    <p>{tr("dash-service-received")}</p></li>
                                {s.updates.into_iter().map(|u| view! {
                                    <li><strong>{crate::components::in_page_language(u.stage.label())}</strong> " · " {when(u.at)}<p>{u.note}</p></li>
                                }).collect_view()}
                            </ol>
                            <p><a href=format!("/dashboard/orders/{}", s.order_public_id)>{tr_with("dash-order", &[("id", &s.order_public_id)])}</a></p>
                        </section>
                    }
                }).collect_view()}
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}

/// Each license key with the machines it is active on, and a way to free a seat.
#[component]
pub fn LicensesPage() -> impl IntoView {
    let deactivate = ServerAction::<api::DeactivateMachine>::new();
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Title text=tr("dash-licenses")/>
        <h1>{tr("dash-licenses")}</h1>
        {move || query.read().get("deactivated").map(|_| view! {
            <crate::components::Notice message=tr("dash-deactivated")/>
        })}
        <crate::components::FormError action=deactivate/>
        {loaded(api::my_licenses(query_param("before"), query_param("after")), move |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{if page.newer.is_some() { tr("dash-no-older-keys") } else { tr("dash-no-keys") }}</p>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        } else {
            view! {
                {page.rows.into_iter().map(|l| license_card(l, deactivate)).collect_view()}
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}

/// One key: its product, state, seats used, and each machine with a Deactivate button.
fn license_card(
    l: crate::domain::license::LicenseView,
    deactivate: ServerAction<api::DeactivateMachine>,
) -> impl IntoView {
    let seats = tr_with(
        "dash-seats",
        &[("used", &l.activations.len().to_string()), ("limit", &l.activation_limit.to_string())],
    );
    view! {
        <section class="card stack" aria-label=tr_with("dash-license-for", &[("product", &l.product_name)])>
            <h2>{l.product_name.clone()}</h2>
            <p><code class="license-key">{l.license_key.clone()}</code></p>
            <p class="muted">{crate::components::in_page_language(l.status_label())} " · " {seats}
                {l.expires_at.map(|e| format!(" · {}", tr_with("dash-expires", &[("at", &when(e))])))}
                " · " <a href=format!("/dashboard/orders/{}", l.order_public_id)>{tr_with("dash-order", &[("id", &l.order_public_id)])}</a></p>
            {if l.activations.is_empty() {
                view! { <p class="muted">{tr("dash-no-machine")}</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=crate::components::license::MACHINE_COLUMNS>
                        {l.activations.into_iter().map(|a| {
                            let label = a.label();
                            view! {
                                <tr>
                                    {crate::components::license::machine_cells(&a)}
                                    <td>
                                        <ActionForm action=deactivate attr:class="inline-form">
                                            <input type="hidden" name="id" value=a.id/>
                                            <button type="submit" class="button ghost small" aria-label=tr_with("dash-deactivate-machine", &[("machine", &label)])>{tr("dash-deactivate")}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <Title text=tr("dash-orders")/>
        <h1>{tr("dash-orders")}</h1>
        {loaded(api::my_orders(query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{if page.newer.is_some() { tr("dash-no-older-orders") } else { tr("dash-no-orders") }}</p>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        } else {
            view! {
                <OrderTable orders=page.rows href_prefix="/dashboard/orders/"/>
                <crate::components::Pager newer=page.newer older=page.older/>
            }.into_any()
        })}
    }
}

/// How to pay an order awaiting a transfer: the QRIS code or the virtual account, and until when.
fn pay_by_transfer(
    o: &crate::domain::orders::OrderView,
    how: crate::domain::orders::PaymentInstructions,
) -> impl IntoView {
    use crate::domain::orders::PayChannel;
    let amount = o.amount_label();
    let how_to = if how.channel == PayChannel::Qris {
        let alt = tr_with("dash-qris-alt", &[("amount", &amount), ("order", &o.public_id)]);
        view! {
            <img class="qr" src=format!("/dashboard/orders/{}/qr.svg", o.public_id) alt=alt width="240" height="240"/>
            <p>{tr("dash-qris-scan")} " " <strong>{amount}</strong> "."</p>
        }
        .into_any()
    } else {
        view! {
            <p>{tr("dash-transfer-exactly")} " " <strong>{amount}</strong> " " {tr_with("dash-transfer-to", &[("channel", tr_code("channel", how.channel.as_str()))])}</p>
            <p class="account-number"><code>{how.payment_no.clone()}</code></p>
            {(!how.payment_name.is_empty()).then(|| view! { <p class="muted">{tr("dash-account-name")} " " {how.payment_name.clone()}</p> })}
        }
        .into_any()
    };
    view! {
        <section class="card pay-box" aria-labelledby="how-to-pay">
            <h2 class="h3" id="how-to-pay">{tr("dash-how-to-pay")}</h2>
            {how_to}
            {how.expires_at.map(|t| view! {
                <p>{tr("dash-pay-before")} " " <strong>{when(t)}</strong> {tr("dash-pay-before-then")}</p>
            })}
            <p class="muted">{tr("dash-ipaymu-tells")}</p>
        </section>
    }
}

/// What happened to an order, in the page's language (`OrderEventView::describe` in English).
fn order_event(e: &crate::domain::orders::OrderEventView) -> String {
    let known = ["paid", "pending", "failed", "expired", "cancelled", "refunded", "rejected", "created"];
    let what = match known.contains(&e.outcome.as_str()) {
        true => tr_code("order-event", &e.outcome).to_owned(),
        false => e.outcome.clone(),
    };
    if e.applied || e.outcome == "created" {
        what
    } else {
        tr_with("order-event-repeat", &[("what", &what)])
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let id = crate::components::route_param("id");
    view! {
        {loaded(api::my_order(id), |o| view! {
                    <Title text=tr_with("dash-order", &[("id", &o.public_id)])/>
                    <p class="eyebrow">{tr_with("dash-order", &[("id", &o.public_id)])}</p>
                    <h1>{o.product_name.clone()}</h1>
                    <p class="order-status">{status_badge(o.status)} " " {o.amount_label()} " · " {tr_code("gateway", o.gateway.as_str())}</p>
                    <p class="lead" role="status">{tr_code("order-next", o.status.as_str())}</p>
                    {o.coupon.clone().map(|code| {
                        let off = crate::domain::Money { minor: o.discount, currency: crate::domain::Currency::parse(&o.currency).unwrap_or(crate::domain::Currency::Idr) };
                        view! { <p class="muted">{tr_with("dash-coupon-took", &[("code", &code), ("off", &off.to_string())])}</p> }
                    })}
                    {o.payment.clone().filter(|_| o.status == OrderStatus::Pending).map(|how| pay_by_transfer(&o, how))}
                    {matches!(o.status, OrderStatus::Paid | OrderStatus::Refunded).then(|| view! {
                        <p><a class="button ghost small" href=format!("/dashboard/orders/{}/receipt.pdf", o.public_id) download>{tr("dash-receipt")}</a></p>
                    })}
                    {(o.status == OrderStatus::Paid).then(|| view! {
                        <p>{tr("catalog-delivery")} ": " {tr_code("delivery", o.delivery_kind.as_str())} " — "
                            {match o.delivery_status {
                                Some(DeliveryStatus::Delivered) => tr("dash-delivery-ready"),
                                Some(DeliveryStatus::Revoked) => tr("dash-delivery-withdrawn"),
                                _ if o.delivery_kind == DeliveryKind::Manual => tr("dash-delivery-preparing"),
                                _ => tr("dash-delivery-on-its-way"),
                            }}
                        </p>
                    })}
                    {(!o.delivery_detail.is_empty()).then(|| view! { <p class="notice info">{crate::components::delivery_words(&o.delivery_detail, &o.delivery_note)}</p> })}
                    <h2 class="h3">{tr("dash-history")}</h2>
                    <ol class="timeline">
                        <li><span class="muted">{when(o.created_at)}</span> " " {tr("order-event-created")}</li>
                        {o.events.iter().map(|e| view! {
                            <li><span class="muted">{when(e.at)}</span> " " {order_event(e)}</li>
                        }).collect_view()}
                    </ol>
                    <p><a href=o.product_path.clone()>{tr("dash-product-page")}</a> " · " <a href="/dashboard/orders">{tr("dash-all-orders")}</a></p>
        })}
    }
}

/// The Google accounts linked to the member's, each with Unlink, and the form that
/// links another (the password first; never offered to staff).
#[component]
fn GoogleLinks(available: bool, linked: Vec<api::LinkedGoogle>) -> impl IntoView {
    let link_google = ServerAction::<api::LinkGoogle>::new();
    let unlink_google = ServerAction::<api::UnlinkGoogle>::new();
    let list = if linked.is_empty() {
        view! { <p>{tr("dash-google-also")}</p> }.into_any()
    } else {
        view! {
            <ul class="linked-accounts">
                {linked.into_iter().map(|linked| view! {
                    <li>
                        {tr("dash-google-account")} " " <strong>{linked.email}</strong>
                        <ActionForm action=unlink_google attr:class="inline-form">
                            <input type="hidden" name="subject" value=linked.subject/>
                            <button type="submit" class="button ghost">{tr("dash-unlink")}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <h2 class="h3" id="google">"Google"</h2>
        <crate::components::FormError action=unlink_google/>
        {list}
        {available.then(|| view! {
            <crate::components::FormError action=link_google/>
            <ActionForm action=link_google attr:class="stack narrow-form">
                <Field id="google_password" label=tr("dash-your-password") hint=Some(tr("dash-google-hint"))>
                    <input id="google_password" name="current_password" type="password" autocomplete="current-password" required/>
                </Field>
                <button type="submit" class="button ghost">{tr("dash-google-link")}</button>
            </ActionForm>
        })}
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let save = ServerAction::<api::SaveProfile>::new();
    let change_password = ServerAction::<api::ChangePassword>::new();
    let change_email = ServerAction::<api::ChangeEmail>::new();
    let delete_account = ServerAction::<api::DeleteAccount>::new();
    let mail = ServerAction::<api::SaveMailPreferences>::new();
    let query = leptos_router::hooks::use_query_map();
    view! {
        <Title text=tr("label-profile")/>
        <h1>{tr("dash-profile")}</h1>
        {move || query.read().get("saved").map(|_| view! { <crate::components::Notice message=tr("dash-saved")/> })}
        {move || query.read().get("email").map(|_| view! { <crate::components::Notice message=tr("dash-email-check")/> })}
        {move || query.read().get("google").map(|outcome| match outcome.as_str() {
            "linked" => view! { <crate::components::Notice message=tr("dash-google-linked")/> }.into_any(),
            "unlinked" => view! { <crate::components::Notice message=tr("dash-google-unlinked")/> }.into_any(),
            "staff" => view! { <p class="notice error" role="alert">{tr("err-google-staff")}</p> }.into_any(),
            _ => view! { <p class="notice error" role="alert">{tr("dash-google-password")}</p> }.into_any(),
        })}
        {move || query.read().get("password").map(|_| view! { <crate::components::Notice message=tr("dash-password-changed")/> })}
        <crate::components::FormError action=save/>
        {loaded(api::my_profile(), move |p| view! {
            <ActionForm action=save attr:class="stack narrow-form">
                <TextField id="name" name="name" label=tr("label-name") value=p.name required=true maxlength=100/>
                <Field id="email" label=tr("form-email")>
                    <input id="email" type="email" value=p.email disabled/>
                </Field>
                <Field id="github_username" label=tr("dash-github-username") hint=Some(tr("dash-github-hint"))>
                    <input id="github_username" name="github_username" type="text" placeholder="octocat" value=p.github_username/>
                </Field>
                <button type="submit" class="primary">{tr("dash-save-profile")}</button>
            </ActionForm>
            {(p.google_available || !p.google_linked.is_empty()).then(|| view! {
                <GoogleLinks available=p.google_available linked=p.google_linked.clone()/>
            })}
            <h2 class="h3" id="mail">{tr("dash-emails")}</h2>
            <crate::components::FormError action=mail/>
            <ActionForm action=mail attr:class="stack narrow-form">
                <Field id="language" label=tr("site-language") hint=Some(tr("dash-language-hint"))>
                    <select id="language" name="language">
                        {crate::domain::Lang::ALL.iter().map(|l| view! {
                            <option value=l.as_str() selected=*l == p.language lang=l.as_str()>{l.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <div class="field checkbox">
                    <input id="product_updates" name="product_updates" type="checkbox" checked=p.product_updates/>
                    <label for="product_updates">{tr("dash-product-updates")}</label>
                </div>
                <button type="submit" class="button">{tr("dash-save-emails")}</button>
            </ActionForm>
        })}
        <h2 class="h3" id="email">{tr("dash-change-email")}</h2>
        <crate::components::FormError action=change_email/>
        <ActionForm action=change_email attr:class="stack narrow-form">
            <Field id="new_email" label=tr("dash-new-email") hint=Some(tr("dash-new-email-hint"))>
                <input id="new_email" name="new_email" type="email" autocomplete="email" required value=crate::components::typed("new_email")/>
            </Field>
            <Field id="email_current_password" label=tr("dash-your-password")>
                <input id="email_current_password" name="current_password" type="password" autocomplete="current-password" required/>
            </Field>
            <button type="submit" class="primary">{tr("dash-change-email-button")}</button>
        </ActionForm>
        <h2 class="h3" id="password">{tr("dash-change-password")}</h2>
        <crate::components::FormError action=change_password/>
        <ActionForm action=change_password attr:class="stack narrow-form">
            <Field id="current_password" label=tr("dash-current-password")>
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
            </Field>
            <Field id="new_password" label=tr("auth-new-password-field") hint=Some(tr("dash-new-password-hint"))>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10"/>
            </Field>
            <Field id="new_password_confirm" label=tr("dash-new-password-again")>
                <input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" required/>
            </Field>
            <button type="submit" class="primary">{tr("dash-change-password-button")}</button>
        </ActionForm>
        <h2 class="h3">{tr("dash-your-data")}</h2>
        <p>
            {tr("dash-your-data-lead")} " "
            <a href="/dashboard/export.json" rel="external" download="">{tr("dash-your-data-download")}</a>
        </p>
        <h2 class="h3" id="delete">{tr("dash-delete")}</h2>
        <p class="muted">{tr("dash-delete-lead")}</p>
        <crate::components::FormError action=delete_account/>
        <ActionForm action=delete_account attr:class="stack narrow-form">
            <Field id="delete_password" label=tr("auth-password")>
                <input id="delete_password" name="current_password" type="password" autocomplete="current-password" required/>
            </Field>
            <div class="field checkbox">
                <input id="understood" name="understood" type="checkbox" value="on" required/>
                <label for="understood">{tr("dash-delete-understood")}</label>
            </div>
            <button type="submit" class="button danger">{tr("dash-delete-button")}</button>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn usage_history_draws_each_day_against_the_busiest() {
        assert_eq!(
            super::usage_history_html(&[2, 0, 4]),
            r#"<span class="usage-history" role="img" aria-label="6 runs in the last 30 days">"#.to_owned()
                + r#"<span style="height:50%" title="2 2 days ago"></span>"#
                + r#"<span style="height:0%" title="0 yesterday"></span>"#
                + r#"<span style="height:100%" title="4 today"></span></span>"#
        );
        assert!(super::usage_history_html(&[0; 30]).contains(r#"aria-label="0 runs in the last 30 days""#));
    }
}

const TOKEN_COLUMNS: &[Column] = &[
    Column::text("Name"),
    Column::text("Token"),
    Column::text("May"),
    Column::text("Created"),
    Column::text("Last used"),
    Column::text(""),
];

/// `/dashboard/tokens`: personal access tokens for the JSON API (`/api/v1/`).
#[component]
pub fn TokensPage() -> impl IntoView {
    use crate::domain::api::Scope;
    let create = ServerAction::<api::CreateApiToken>::new();
    let revoke = ServerAction::<api::RevokeApiToken>::new();
    let query = leptos_router::hooks::use_query_map();
    let field = |s: Scope| s.as_str().replace(':', "_");
    view! {
        <Title text=tr("label-api-tokens")/>
        <h1>{tr("label-api-tokens")}</h1>
        <p class="lead">{tr("dash-tokens-lead-1")} " (" <code>"/api/v1/"</code> ") " {tr("dash-tokens-lead-2")} " "
            <code>"Authorization: Bearer atl_…"</code> ". " {tr("dash-tokens-lead-3")} " "
            <a href="/developers">{tr("nav-developers")}</a> "."</p>
        {move || query.read().get("revoked").map(|_| view! { <crate::components::Notice message=tr("dash-token-revoked")/> })}
        <crate::components::FormError action=create/>
        <crate::components::FormError action=revoke/>
        {loaded(api::my_api_tokens(), move |t| view! {
            {t.created.map(|token| view! {
                <div class="notice success" role="status">
                    <p>{tr("dash-token-new")}</p>
                    <p><code class="api-token">{token}</code></p>
                </div>
            })}
            {if t.tokens.is_empty() {
                view! { <p class="notice info">{tr("dash-no-tokens")}</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=TOKEN_COLUMNS>
                        {t.tokens.into_iter().map(|token| {
                            let scopes = token.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                            let label = tr_with("dash-revoke-token", &[("name", &token.name)]);
                            view! {
                                <tr>
                                    <td>{token.name.clone()}</td>
                                    <td><code>{format!("{}…", token.prefix)}</code></td>
                                    <td>{scopes}</td>
                                    <td>{when(token.created_at)}</td>
                                    <td>{match token.last_used_at {
                                        Some(at) => view! { <crate::components::Ago at/> }.into_any(),
                                        None => tr("dash-never").into_any(),
                                    }}</td>
                                    <td>{match token.revoked_at {
                                        Some(at) => view! { <span class="badge">{tr_with("dash-revoked-at", &[("at", &when(at))])}</span> }.into_any(),
                                        None => view! {
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="id" value=token.id/>
                                                <button type="submit" class="button ghost small" aria-label=label>{tr("dash-revoke")}</button>
                                            </ActionForm>
                                        }.into_any(),
                                    }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }.into_any()
            }}
        })}
        <h2 class="h3">{tr("dash-new-token")}</h2>
        <ActionForm action=create attr:class="stack narrow-form">
            <TextField id="token_name" name="name" label=tr("label-name") value="" required=true maxlength=60/>
            <fieldset class="stack">
                <legend>{tr("dash-it-may")}</legend>
                {Scope::ALL.iter().map(|s| {
                    let id = format!("scope_{}", field(*s));
                    view! {
                        <div class="field checkbox">
                            <input id=id.clone() name=field(*s) type="checkbox"/>
                            <label for=id>{tr_code("scope", &s.as_str().replace(':', "-"))} " (" <code>{s.as_str()}</code> ")"</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary">{tr("dash-create-token")}</button>
        </ActionForm>
    }
}
