//! `/admin/coupons`: codes with a percentage or rupiah off, their limits and uses.

pub mod api;

use crate::components::{loaded, query_param, typed_form, Column, DataTable, Field, FormError, Notice};
use crate::components::{tr, tr_with, when};
use crate::domain::coupons::CouponForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const COLUMNS: &[Column] = &[
    Column::text("Code"),
    Column::text("Discount"),
    Column::text("Product"),
    Column::text("Until"),
    Column::num("Uses"),
    Column::text("State"),
    Column::text(""),
];

#[component]
pub fn CouponsPage() -> impl IntoView {
    let create = ServerAction::<api::CreateCoupon>::new();
    let toggle = ServerAction::<api::SetCouponDisabled>::new();
    let query = use_query_map();
    // A refused form comes back as typed (no JavaScript).
    let typed =
        typed_form::<CouponForm>("form").unwrap_or_else(|| CouponForm { kind: "percent".into(), ..Default::default() });
    view! {
        <Title text=tr("adm-coupons")/>
        <h1>{tr("adm-coupons")}</h1>
        {move || query.read().get("created").map(|code| view! { <Notice message=tr_with("adm-coupon-created", &[("code", &code)])/> })}
        {loaded(api::admin_coupons(query_param("before"), query_param("after")), move |l| {
            let products = l.products.clone();
            let typed = typed.clone();
            view! {
                {if l.coupons.rows.is_empty() {
                    view! { <p class="notice info">{tr("adm-no-coupons-yet-create-one")}</p> }.into_any()
                } else {
                    view! {
                        <DataTable columns=COLUMNS caption=tr("adm-coupons-newest-first")>{l.coupons.rows.iter().map(|c| {
                            let (id, disabled) = (c.id, c.disabled);
                            let expired = c.expired;
                            view! {
                                <tr>
                                    <td><code>{c.code.clone()}</code>{(!c.note.is_empty()).then(|| view! { <br/><span class="muted small">{c.note.clone()}</span> })}</td>
                                    <td>{c.discount.label()}</td>
                                    <td>{c.product_name.clone().unwrap_or_else(|| tr("adm-every-product").into())}</td>
                                    <td>{c.expires_at.map_or_else(|| tr("adm-no-end").to_owned(), when)}</td>
                                    <td class="num">{match c.max_uses { Some(m) => format!("{} of {m}", c.uses), None => c.uses.to_string() }}</td>
                                    <td>{if disabled { view! { <span class="badge danger">{tr("adm-off")}</span> }.into_any() }
                                        else if expired { view! { <span class="badge">{tr("adm-expired")}</span> }.into_any() }
                                        else { view! { <span class="badge ok">{tr("adm-on")}</span> }.into_any() }}</td>
                                    <td>
                                        <ActionForm action=toggle attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <input type="hidden" name="disabled" value=(!disabled).to_string()/>
                                            <button type="submit" class="ghost small">{if disabled { tr("adm-turn-on") } else { tr("adm-turn-off") }}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}</DataTable>
                        <crate::components::Pager newer=l.coupons.newer.clone() older=l.coupons.older.clone()/>
                    }.into_any()
                }}
                <h2 class="h3">{tr("adm-new-coupon")}</h2>
                <FormError action=create/>
                <ActionForm action=create attr:class="stack narrow-form">
                    <Field id="c-code" label=tr("adm-code") hint=Some(tr("adm-3-to-32-letters-digits"))>
                        <input id="c-code" name="form[code]" type="text" required maxlength="32" value=typed.code.clone() placeholder=tr("adm-earlybird")/>
                    </Field>
                    <Field id="c-kind" label=tr("adm-discount")>
                        <select id="c-kind" name="form[kind]">
                            <option value="percent" selected=typed.kind == "percent">{tr("adm-percentage-off")}</option>
                            <option value="fixed" selected=typed.kind == "fixed">{tr("adm-rupiah-off-rupiah-payments-only")}</option>
                        </select>
                    </Field>
                    <Field id="c-value" label=tr("adm-amount") hint=Some(tr("adm-a-percentage-1-to-100"))>
                        <input id="c-value" name="form[value]" type="text" inputmode="numeric" required value=typed.value.clone()/>
                    </Field>
                    <Field id="c-product" label=tr("adm-product")>
                        <select id="c-product" name="form[product_id]">
                            <option value="">{tr("adm-every-product")}</option>
                            {products.into_iter().map(|(id, name)| view! {
                                <option value=id selected=typed.product_id == id.to_string()>{name}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                    <Field id="c-expires" label=tr("adm-last-day-optional") hint=Some(tr("adm-it-works-until-the-end"))>
                        <input id="c-expires" name="form[expires_on]" type="date" value=typed.expires_on.clone()/>
                    </Field>
                    <Field id="c-max" label=tr("adm-uses-optional") hint=Some(tr("adm-how-many-paid-orders-can"))>
                        <input id="c-max" name="form[max_uses]" type="text" inputmode="numeric" value=typed.max_uses.clone()/>
                    </Field>
                    <Field id="c-note" label=tr("adm-note-for-staff-optional")>
                        <input id="c-note" name="form[note]" type="text" maxlength="200" value=typed.note.clone()/>
                    </Field>
                    <button type="submit" class="primary">{tr("adm-create-coupon")}</button>
                </ActionForm>
            }
        })}
    }
}
