//! `/dashboard`: a member's orders, downloads, keys and subscriptions.

pub mod api;

use crate::components::{
    loaded, query_param, renewal_state, status_badge, subscription_badge, AreaLayout, Column, DataTable, Field,
    NavLink, OrderTable, TextField,
};
use crate::domain::product_files::size_label;
use crate::domain::subscriptions::SubscriptionStatus;
use crate::domain::time::format_time;
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
        <Title text="Dashboard"/>
        <h1>"Your dashboard"</h1>
        {loaded(api::my_overview(), |o| {
            let used: u32 = o.tools.iter().map(|t| t.today).sum();
            view! {
                {if o.owned.is_empty() {
                    view! {
                        <p class="lead">"You have no purchases yet."</p>
                        <p><a class="button" href="/products">"Browse products"</a></p>
                    }.into_any()
                } else {
                    view! {
                        <h2 class="h3">"What you own"</h2>
                        <div class="cards">{o.owned.into_iter().map(owned_card).collect_view()}</div>
                        {o.more_owned.then(|| view! { <p><a href="/dashboard/downloads">"Everything you own"</a></p> })}
                    }.into_any()
                }}
                {(!o.attention.is_empty()).then(|| view! {
                    <section class="notice info attention" aria-labelledby="attention-heading">
                        <h2 id="attention-heading" class="h3">"Subscriptions to renew"</h2>
                        <ul>{o.attention.iter().map(|s| view! {
                            <li>
                                {format!("{} ({} plan): ", s.product_name, s.plan_name)}
                                {renewal_state(s)} " "
                                <a href=format!("/dashboard/subscriptions?renew={}", s.public_id)>"Renew"</a>
                            </li>
                        }).collect_view()}</ul>
                    </section>
                })}
                {(!o.tools.is_empty()).then(|| view! {
                    <h2 class="h3">"Tools today"</h2>
                    <p class="tools-today">
                        {if used == 0 { "No tool runs yet today.".to_owned() } else { format!("{used} tool {} today: ", if used == 1 { "run" } else { "runs" }) }}
                        {o.tools.iter().filter(|t| t.today > 0).map(|t| format!("{} {} of {}", t.title, t.today, t.limit)).collect::<Vec<_>>().join(", ")}
                        " · " <a href="/dashboard/tools">"Usage"</a>
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
            let label = pay_label("Renew", g);
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

/// "Renew with PayPal", "Upgrade (sandbox payment)".
fn pay_label(verb: &str, gateway: crate::domain::orders::Gateway) -> String {
    use crate::domain::orders::Gateway;
    match gateway {
        Gateway::Sandbox => format!("{verb} (sandbox payment)"),
        g => format!("{verb} with {}", g.label()),
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
    let renewal = format_time(s.current_period_end);
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
                            <button type="submit" class="primary small">{pay_label("Upgrade", g)}</button>
                        </ActionForm>
                    }
                }).collect_view();
                view! {
                    <p>{format!("Upgrade now: {amount} for the {} days left of this {}-day period (the difference in price, by the day, rounded up to the rupiah); the plan holds as soon as it is paid.", p.days_left, p.days_total)}</p>
                    <div class="actions">{buttons}</div>
                }.into_any()
            }
            _ => {
                let label = format!("Switch to {} at renewal", c.name);
                view! {
                    <p>{format!("From your next renewal on {renewal}; until then nothing changes.")}</p>
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
                <strong>{c.name.clone()}</strong> " · " {c.price.clone()}
                {how}
            </li>
        }
    }).collect_view();
    let months_id = format!("pause-months-{public_id}");
    view! {
        <section class="plan-changes">
            <h2 class="h3">"Another plan"</h2>
            <ul class="stack plain">{choices}</ul>
            <h2 class="h3">"Pause"</h2>
            <ActionForm action=pause attr:class="inline-form">
                <input type="hidden" name="subscription" value=public_id.clone()/>
                <label for=months_id.clone()>"Pause for"</label>
                <select id=months_id name="months">
                    <option value="1">"1 month"</option>
                    <option value="2">"2 months"</option>
                    <option value="3">"3 months"</option>
                </select>
                <button type="submit" class="button ghost small">"Pause instead of cancelling"</button>
            </ActionForm>
            <p class="muted">"While paused, access is withdrawn and you get no reminders; it resumes by itself with the days you had left."</p>
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
        <Title text="Manage subscription"/>
        <p class="eyebrow"><a href="/dashboard/subscriptions">"Your subscriptions"</a></p>
        <h1>"Manage subscription"</h1>
        <crate::components::FormError action=upgrade/>
        <crate::components::FormError action=schedule/>
        <crate::components::FormError action=pause/>
        <crate::components::FormError action=cancel/>
        {loaded(api::subscription_choices(id), move |d| {
            let gateways = d.gateways.clone();
            d.subscriptions.into_iter().map(|s| {
                let body = if s.choices.is_empty() {
                    view! { <p class="notice info">"Only an active subscription can change plan or pause."</p> }.into_any()
                } else {
                    plan_changes(&s, (upgrade, schedule, pause), &gateways).into_any()
                };
                let id = s.public_id.clone();
                view! {
                    <article class="card subscription" id=s.public_id.clone()>
                        <h2 class="h3"><a href=s.product_path.clone()>{s.product_name.clone()}</a> " · " {s.plan_name.clone()} " plan"</h2>
                        <p>{subscription_badge(s.status)} " " {s.plan_price.clone()} " · " {renewal_state(&s)}</p>
                        {body}
                        {(s.status == SubscriptionStatus::Active).then(|| view! {
                            <h3 class="h4">"Cancel"</h3>
                            <p class="muted">"You keep access until the end of the period, and you can resume until then."</p>
                            <ActionForm action=cancel attr:class="inline-form">
                                <input type="hidden" name="subscription" value=id/>
                                <button type="submit" class="button ghost small">"Cancel subscription"</button>
                            </ActionForm>
                        })}
                        <h3 class="h4">"History"</h3>
                        <ol class="timeline">{s.history.iter().map(|(at, what)| view! {
                            <li><span class="muted">{format_time(*at)}</span> " " {what.clone()}</li>
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
    let head = TrustedHtml::format(
        r#"<h2 class="h3"><a href="{}">{}</a> · {} plan</h2><p><span class="{}">{}</span> {} · {}</p>"#,
        &[
            &s.product_path,
            &s.product_name,
            &s.plan_name,
            crate::components::subscription_badge_class(s.status),
            s.status.label(),
            &s.plan_price,
            &renewal_state(s),
        ],
    );
    let tail = TrustedHtml::format(
        r#"<p><a href="/dashboard/subscriptions/{}">Manage<span class="sr-only"> {} · {} plan</span></a></p>"#,
        &[&s.public_id, &s.product_name, &s.plan_name],
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
        <Title text="Your subscriptions"/>
        <h1>"Your subscriptions"</h1>
        {move || query.read().get("cancelled").map(|_| view! {
            <crate::components::Notice message="Cancelled. You keep access until the end of the period, and you can resume until then."/>
        })}
        {move || query.read().get("resumed").map(|_| view! { <crate::components::Notice message="Resumed: it renews as before."/> })}
        {move || query.read().get("scheduled").map(|_| view! { <crate::components::Notice message="Done: the new plan starts with your next renewal."/> })}
        {move || query.read().get("dropped").map(|_| view! { <crate::components::Notice message="You keep your current plan."/> })}
        {move || query.read().get("paused").map(|_| view! { <crate::components::Notice message="Paused. It resumes by itself at the end of the pause; you can resume it earlier here."/> })}
        {move || query.read().get("unpaused").map(|_| view! { <crate::components::Notice message="Resumed: your access is being restored now."/> })}
        <crate::components::FormError action=resume/>
        <crate::components::FormError action=renew/>
        <crate::components::FormError action=drop_change/>
        <crate::components::FormError action=unpause/>
        {loaded(api::my_subscriptions(query_param("before"), query_param("after"), highlighted.clone().unwrap_or_default()), move |d| if d.subscriptions.is_empty() {
            view! {
                <p class="notice info">"You have no subscriptions yet."</p>
                <p><a class="button" href="/saas">"See the plans"</a></p>
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
                                <p class="notice error" role="alert">"The period has ended. Renew before your access ends."</p>
                            })}
                            {s.scheduled.clone().map(|c| {
                                let id = s.public_id.clone();
                                view! {
                                    <div class="notice info">
                                        <p>{format!("Moves to the {} plan ({}) at the renewal on {}.", c.plan_name, c.plan_price, format_time(c.at))}</p>
                                        <ActionForm action=drop_change attr:class="inline-form">
                                            <input type="hidden" name="subscription" value=id/>
                                            <button type="submit" class="button ghost small">"Keep my current plan"</button>
                                        </ActionForm>
                                    </div>
                                }
                            })}
                            {(s.status == SubscriptionStatus::Paused).then(|| {
                                let id = s.public_id.clone();
                                view! {
                                    <div class="notice info">
                                        <p>"Paused: access is withdrawn until it resumes."</p>
                                        <ActionForm action=unpause attr:class="inline-form">
                                            <input type="hidden" name="subscription" value=id/>
                                            <button type="submit" class="button small">"Resume now"</button>
                                        </ActionForm>
                                    </div>
                                }
                            })}
                            {offer_renewal.then(|| renew_buttons(renew, id3, gateways.clone()))}
                            {can_resume.then(|| view! {
                                <ActionForm action=resume attr:class="inline-form">
                                    <input type="hidden" name="subscription" value=id2/>
                                    <button type="submit" class="button small">"Resume subscription"</button>
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
        <span class="usage-bar" role="img" aria-label=format!("{used} of {limit} runs used")>
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
    let _ = write!(html, r#"<span class="usage-history" role="img" aria-label="{total} runs in the last 30 days">"#);
    for (i, n) in history.iter().enumerate() {
        let _ = write!(html, r#"<span style="height:{}%" title="{n} "#, n * 100 / max);
        let _ = match history.len() - 1 - i {
            0 => write!(html, "today"),
            1 => write!(html, "yesterday"),
            ago => write!(html, "{ago} days ago"),
        };
        html.push_str(r#""></span>"#);
    }
    html.push_str("</span>");
    html
}

#[component]
pub fn ToolsPage() -> impl IntoView {
    view! {
        <Title text="Your tools"/>
        <h1>"Your tools"</h1>
        {loaded(api::my_tool_usage(), |u| if u.tools.is_empty() {
            view! { <p class="notice info">"No tools are available yet."</p> }.into_any()
        } else {
            view! {
                <p class="lead">"Runs per tool and day; each day starts at 00:00 Jakarta time. Today is " {u.day.clone()} "."</p>
                <DataTable columns=TOOL_COLUMNS caption="Tool usage">
                    {u.tools.into_iter().map(|t| view! {
                        <tr>
                            <td><a href=format!("/tools/{}", t.slug)>{t.title.clone()}</a></td>
                            <td>
                                <span class="usage-count">{format!("{} of {}", t.today, t.limit)}</span>
                                {usage_bar(t.today, t.limit)}
                            </td>
                            <td class="num">{t.month}</td>
                            <td>{usage_history(&t.history)}</td>
                        </tr>
                    }).collect_view()}
                </DataTable>
                <p class="muted">"Need more runs? " <a href="/saas">"See the plans"</a> "."</p>
            }.into_any()
        })}
    }
}

fn owned_card(item: OwnedItem) -> impl IntoView {
    let ready = item.delivery_status == Some(DeliveryStatus::Delivered);
    view! {
        <article class="card">
            <h3>{item.product_name.clone()}</h3>
            <p><span class=if ready { "badge ok" } else { "badge" }>{item.state_label()}</span> " " {item.delivery_kind.label()}</p>
            {item.license_key.clone().map(|key| view! { <p>"License key: " <code class="license-key">{key}</code></p> })}
            {(!item.detail.is_empty()).then(|| view! { <p class="muted">{item.detail.clone()}</p> })}
            {(item.delivery_kind == DeliveryKind::EmailFile && ready).then(|| {
                let public_id = item.public_id.clone();
                let to_downloads = item.files.is_empty().then(|| view! {
                    <p><a class="button small" href="/dashboard/downloads">"Go to the downloads"</a></p>
                });
                view! {
                    {to_downloads}
                    <ul class="owned-files">
                        {item.files.iter().map(|f| view! {
                            <li class="owned-file">
                                <p><strong>{f.label.clone()}</strong>
                                    {format!(" · version {} · {} · {}", f.version, size_label(f.bytes), format_time(f.created_at))}</p>
                                <p class="muted small">{f.original_name.clone()}</p>
                                {(!f.changelog_html.is_empty()).then(|| view! {
                                    <details class="changelog"><summary>"What changed"</summary>
                                        <div class="prose" inner_html=f.changelog_html.clone().into_string()></div></details>
                                })}
                                <form method="post" action="/api/dashboard/fresh_link" class="inline-form">
                                    <input type="hidden" name="public_id" value=public_id.clone()/>
                                    <input type="hidden" name="file_id" value=f.id/>
                                    <button type="submit" class="button small" aria-label=format!("Download {}", f.label)>"Download"</button>
                                </form>
                            </li>
                        }).collect_view()}
                    </ul>
                }
            })}
            <p class="muted">"Order " <a href=format!("/dashboard/orders/{}", item.public_id)>{item.public_id.clone()}</a></p>
        </article>
    }
}

#[component]
pub fn DownloadsPage() -> impl IntoView {
    view! {
        <Title text="Downloads & keys"/>
        <h1>"Downloads & keys"</h1>
        {loaded(api::my_downloads(query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! { <p class="notice info">"Nothing yet: what you buy appears here."</p> }.into_any()
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
        <Title text="Services"/>
        <h1>"Services"</h1>
        {loaded(api::my_services(query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{if page.newer.is_some() { "No older services." } else { "No services yet: when you book one, you follow it here." }}</p>
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
                            <h2>{s.product_name.clone()} " " <span class=badge>{s.stage.label()}</span></h2>
                            <ol class="timeline">
                                <li><strong>"Received"</strong> " · " {format_time(s.paid_at)}
                                    <p>"Paid; the studio has your request."</p></li>
                                {s.updates.into_iter().map(|u| view! {
                                    <li><strong>{u.stage.label()}</strong> " · " {format_time(u.at)}<p>{u.note}</p></li>
                                }).collect_view()}
                            </ol>
                            <p><a href=format!("/dashboard/orders/{}", s.order_public_id)>{format!("Order {}", s.order_public_id)}</a></p>
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
        <Title text="Licenses"/>
        <h1>"Licenses"</h1>
        {move || query.read().get("deactivated").map(|_| view! {
            <crate::components::Notice message="Deactivated: the seat is free, and that machine is refused until it is activated again."/>
        })}
        <crate::components::FormError action=deactivate/>
        {loaded(api::my_licenses(query_param("before"), query_param("after")), move |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{if page.newer.is_some() { "No older keys." } else { "No license keys yet: products that come with one show it here." }}</p>
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
    let seats = l.seats_label();
    view! {
        <section class="card stack" aria-label=format!("License for {}", l.product_name)>
            <h2>{l.product_name.clone()}</h2>
            <p><code class="license-key">{l.license_key.clone()}</code></p>
            <p class="muted">{l.status_label()} " · " {seats}
                {l.expires_at.map(|e| format!(" · expires {}", format_time(e)))}
                " · " <a href=format!("/dashboard/orders/{}", l.order_public_id)>{format!("Order {}", l.order_public_id)}</a></p>
            {if l.activations.is_empty() {
                view! { <p class="muted">"Not active on any machine."</p> }.into_any()
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
                                            <button type="submit" class="button ghost small" aria-label=format!("Deactivate {label}")>"Deactivate"</button>
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
        <Title text="Your orders"/>
        <h1>"Your orders"</h1>
        {loaded(api::my_orders(query_param("before"), query_param("after")), |page| if page.rows.is_empty() {
            view! {
                <p class="notice info">{if page.newer.is_some() { "No older orders." } else { "No orders yet." }}</p>
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
        let alt = format!("QRIS code to pay {amount} for order {}", o.public_id);
        view! {
            <img class="qr" src=format!("/dashboard/orders/{}/qr.svg", o.public_id) alt=alt width="240" height="240"/>
            <p>"Scan it with any banking or e-wallet app that takes QRIS, and pay " <strong>{amount}</strong> "."</p>
        }
        .into_any()
    } else {
        view! {
            <p>"Transfer exactly " <strong>{amount}</strong> " to this " {how.channel.label()} ":"</p>
            <p class="account-number"><code>{how.payment_no.clone()}</code></p>
            {(!how.payment_name.is_empty()).then(|| view! { <p class="muted">"Account name: " {how.payment_name.clone()}</p> })}
        }
        .into_any()
    };
    view! {
        <section class="card pay-box" aria-labelledby="how-to-pay">
            <h2 class="h3" id="how-to-pay">"How to pay"</h2>
            {how_to}
            {how.expires_at.map(|t| view! {
                <p>"Pay before " <strong>{crate::domain::time::format_jakarta(t)}</strong> "; after that this payment closes and you can order again."</p>
            })}
            <p class="muted">"iPaymu tells us when the money arrives; reload this page after paying."</p>
        </section>
    }
}

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    let id = crate::components::route_param("id");
    view! {
        {loaded(api::my_order(id), |o| view! {
                    <Title text=format!("Order {}", o.public_id)/>
                    <p class="eyebrow">"Order " {o.public_id.clone()}</p>
                    <h1>{o.product_name.clone()}</h1>
                    <p class="order-status">{status_badge(o.status)} " " {o.amount_label()} " · " {o.gateway.label()}</p>
                    <p class="lead" role="status">{o.status.next_step()}</p>
                    {o.coupon_label().map(|l| view! { <p class="muted">{l}</p> })}
                    {o.payment.clone().filter(|_| o.status == OrderStatus::Pending).map(|how| pay_by_transfer(&o, how))}
                    {matches!(o.status, OrderStatus::Paid | OrderStatus::Refunded).then(|| view! {
                        <p><a class="button ghost small" href=format!("/dashboard/orders/{}/receipt.pdf", o.public_id) download>"Download the receipt (PDF)"</a></p>
                    })}
                    {(o.status == OrderStatus::Paid).then(|| view! {
                        <p>"Delivery: " {o.delivery_kind.label()} " — "
                            {match o.delivery_status {
                                Some(DeliveryStatus::Delivered) => "ready".to_owned(),
                                Some(DeliveryStatus::Revoked) => "withdrawn".to_owned(),
                                _ if o.delivery_kind == DeliveryKind::Manual => "being prepared by the studio".to_owned(),
                                _ => "on its way".to_owned(),
                            }}
                        </p>
                    })}
                    {(!o.delivery_detail.is_empty()).then(|| view! { <p class="notice info">{o.delivery_detail.clone()}</p> })}
                    <h2 class="h3">"History"</h2>
                    <ol class="timeline">
                        <li><span class="muted">{format_time(o.created_at)}</span> " Order created"</li>
                        {o.events.iter().map(|e| view! {
                            <li><span class="muted">{format_time(e.at)}</span> " " {e.describe()}</li>
                        }).collect_view()}
                    </ol>
                    <p><a href=o.product_path.clone()>"Product page"</a> " · " <a href="/dashboard/orders">"All orders"</a></p>
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
        view! { <p>"Sign in with Google as well as your password."</p> }.into_any()
    } else {
        view! {
            <ul class="linked-accounts">
                {linked.into_iter().map(|linked| view! {
                    <li>
                        "Google account " <strong>{linked.email}</strong>
                        <ActionForm action=unlink_google attr:class="inline-form">
                            <input type="hidden" name="subject" value=linked.subject/>
                            <button type="submit" class="button ghost">"Unlink"</button>
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
                <Field id="google_password" label="Your password" hint=Some("Linking another way to sign in needs your password.")>
                    <input id="google_password" name="current_password" type="password" autocomplete="current-password" required/>
                </Field>
                <button type="submit" class="button ghost">"Link a Google account"</button>
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
        <Title text="Profile"/>
        <h1>"Your profile"</h1>
        {move || query.read().get("saved").map(|_| view! { <crate::components::Notice message="Saved."/> })}
        {move || query.read().get("email").map(|_| view! {
            <crate::components::Notice message="Check the inbox of the new address: open the link we sent there to move your account. Until then nothing changes."/>
        })}
        {move || query.read().get("google").map(|outcome| match outcome.as_str() {
            "linked" => view! {
                <crate::components::Notice message="Your Google account is linked: you can sign in with it from now on."/>
            }.into_any(),
            "unlinked" => view! {
                <crate::components::Notice message="That Google account is unlinked: it no longer signs you in."/>
            }.into_any(),
            "staff" => view! {
                <p class="notice error" role="alert">"Staff accounts sign in with their password only."</p>
            }.into_any(),
            _ => view! {
                <p class="notice error" role="alert">"Enter your password below to link a Google account."</p>
            }.into_any(),
        })}
        {move || query.read().get("password").map(|_| view! {
            <crate::components::Notice message="Your password was changed. Every other device was signed out."/>
        })}
        <crate::components::FormError action=save/>
        {loaded(api::my_profile(), move |p| view! {
            <ActionForm action=save attr:class="stack narrow-form">
                <TextField id="name" name="name" label="Name" value=p.name required=true maxlength=100/>
                <Field id="email" label="Email">
                    <input id="email" type="email" value=p.email disabled/>
                </Field>
                <Field id="github_username" label="GitHub username"
                    hint=Some("Private repositories you buy access to are shared with this account.")>
                    <input id="github_username" name="github_username" type="text" placeholder="octocat" value=p.github_username/>
                </Field>
                <button type="submit" class="primary">"Save profile"</button>
            </ActionForm>
            {(p.google_available || !p.google_linked.is_empty()).then(|| view! {
                <GoogleLinks available=p.google_available linked=p.google_linked.clone()/>
            })}
            <h2 class="h3" id="mail">"Emails"</h2>
            <crate::components::FormError action=mail/>
            <ActionForm action=mail attr:class="stack narrow-form">
                <Field id="language" label="Language" hint=Some("The emails about your account are written in it.")>
                    <select id="language" name="language">
                        {crate::domain::Lang::ALL.iter().map(|l| view! {
                            <option value=l.as_str() selected=*l == p.language lang=l.as_str()>{l.label()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <div class="field checkbox">
                    <input id="product_updates" name="product_updates" type="checkbox" checked=p.product_updates/>
                    <label for="product_updates">"Tell me when a product I bought gets a new version"</label>
                </div>
                <button type="submit" class="button">"Save email settings"</button>
            </ActionForm>
        })}
        <h2 class="h3" id="email">"Change your email"</h2>
        <crate::components::FormError action=change_email/>
        <ActionForm action=change_email attr:class="stack narrow-form">
            <Field id="new_email" label="New email" hint=Some("We mail a link there; your account moves when it is opened.")>
                <input id="new_email" name="new_email" type="email" autocomplete="email" required value=crate::components::typed("new_email")/>
            </Field>
            <Field id="email_current_password" label="Your password">
                <input id="email_current_password" name="current_password" type="password" autocomplete="current-password" required/>
            </Field>
            <button type="submit" class="primary">"Change email"</button>
        </ActionForm>
        <h2 class="h3" id="password">"Change your password"</h2>
        <crate::components::FormError action=change_password/>
        <ActionForm action=change_password attr:class="stack narrow-form">
            <Field id="current_password" label="Current password">
                <input id="current_password" name="current_password" type="password" autocomplete="current-password" required/>
            </Field>
            <Field id="new_password" label="New password" hint=Some("At least 10 characters. Every other device is signed out.")>
                <input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10"/>
            </Field>
            <Field id="new_password_confirm" label="New password, again">
                <input id="new_password_confirm" name="new_password_confirm" type="password" autocomplete="new-password" required/>
            </Field>
            <button type="submit" class="primary">"Change password"</button>
        </ActionForm>
        <h2 class="h3">"Your data"</h2>
        <p>
            "Everything we hold about you (profile, orders and payments, purchases and license keys, waitlists, "
            "messages) as one JSON file: "
            <a href="/dashboard/export.json" rel="external" download="">"Download your data"</a>
        </p>
        <h2 class="h3" id="delete">"Delete your account"</h2>
        <p class="muted">
            "Your profile is removed, you are signed out everywhere, and downloads, license keys and repository "
            "access from your purchases end. Orders and receipts stay with the studio, without your name or address."
        </p>
        <crate::components::FormError action=delete_account/>
        <ActionForm action=delete_account attr:class="stack narrow-form">
            <Field id="delete_password" label="Password">
                <input id="delete_password" name="current_password" type="password" autocomplete="current-password" required/>
            </Field>
            <div class="field checkbox">
                <input id="understood" name="understood" type="checkbox" value="on" required/>
                <label for="understood">"I understand this cannot be undone"</label>
            </div>
            <button type="submit" class="button danger">"Delete my account"</button>
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
        <Title text="API tokens"/>
        <h1>"API tokens"</h1>
        <p class="lead">"A token lets your own scripts call the studio's API (" <code>"/api/v1/"</code> ") as you: send it as "
            <code>"Authorization: Bearer atl_…"</code> ". It opens no page of this site, and does only what you allow here. The endpoints are described on "
            <a href="/developers">"Developers"</a> "."</p>
        {move || query.read().get("revoked").map(|_| view! { <crate::components::Notice message="Revoked: the token is refused from now on."/> })}
        <crate::components::FormError action=create/>
        <crate::components::FormError action=revoke/>
        {loaded(api::my_api_tokens(), move |t| view! {
            {t.created.map(|token| view! {
                <div class="notice success" role="status">
                    <p>"Your new token — copy it now: it is shown this once, and we keep only a fingerprint of it."</p>
                    <p><code class="api-token">{token}</code></p>
                </div>
            })}
            {if t.tokens.is_empty() {
                view! { <p class="notice info">"You have no tokens yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable columns=TOKEN_COLUMNS>
                        {t.tokens.into_iter().map(|token| {
                            let scopes = token.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                            let label = format!("Revoke {}", token.name);
                            view! {
                                <tr>
                                    <td>{token.name.clone()}</td>
                                    <td><code>{format!("{}…", token.prefix)}</code></td>
                                    <td>{scopes}</td>
                                    <td>{format_time(token.created_at)}</td>
                                    <td>{token.last_used_at.map_or_else(|| "Never".to_owned(), format_time)}</td>
                                    <td>{match token.revoked_at {
                                        Some(at) => view! { <span class="badge">{format!("Revoked {}", format_time(at))}</span> }.into_any(),
                                        None => view! {
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="id" value=token.id/>
                                                <button type="submit" class="button ghost small" aria-label=label>"Revoke"</button>
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
        <h2 class="h3">"New token"</h2>
        <ActionForm action=create attr:class="stack narrow-form">
            <TextField id="token_name" name="name" label="Name" value="" required=true maxlength=60/>
            <fieldset class="stack">
                <legend>"It may"</legend>
                {Scope::ALL.iter().map(|s| {
                    let id = format!("scope_{}", field(*s));
                    view! {
                        <div class="field checkbox">
                            <input id=id.clone() name=field(*s) type="checkbox"/>
                            <label for=id>{s.label()} " (" <code>{s.as_str()}</code> ")"</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <button type="submit" class="primary">"Create token"</button>
        </ActionForm>
    }
}
