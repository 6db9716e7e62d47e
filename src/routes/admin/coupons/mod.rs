//! `/admin/coupons`: codes with a percentage or rupiah off, their limits and uses.

pub mod api;

use crate::components::{loaded, query_param, typed_form, Column, DataTable, Field, FormError, Notice};
use crate::domain::coupons::CouponForm;
use crate::domain::time::format_time;
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
        <Title text="Coupons"/>
        <h1>"Coupons"</h1>
        {move || query.read().get("created").map(|code| view! { <Notice message=format!("Coupon {code} created.")/> })}
        {loaded(api::admin_coupons(query_param("before"), query_param("after")), move |l| {
            let products = l.products.clone();
            let typed = typed.clone();
            view! {
                {if l.coupons.rows.is_empty() {
                    view! { <p class="notice info">"No coupons yet. Create one below; buyers enter it on a product page or follow a link ending in ?coupon=CODE."</p> }.into_any()
                } else {
                    view! {
                        <DataTable columns=COLUMNS caption="Coupons, newest first">{l.coupons.rows.iter().map(|c| {
                            let (id, disabled) = (c.id, c.disabled);
                            let expired = c.expired;
                            view! {
                                <tr>
                                    <td><code>{c.code.clone()}</code>{(!c.note.is_empty()).then(|| view! { <br/><span class="muted small">{c.note.clone()}</span> })}</td>
                                    <td>{c.discount.label()}</td>
                                    <td>{c.product_name.clone().unwrap_or_else(|| "Every product".into())}</td>
                                    <td>{c.expires_at.map_or_else(|| "No end".to_owned(), format_time)}</td>
                                    <td class="num">{match c.max_uses { Some(m) => format!("{} of {m}", c.uses), None => c.uses.to_string() }}</td>
                                    <td>{if disabled { view! { <span class="badge danger">"Off"</span> }.into_any() }
                                        else if expired { view! { <span class="badge">"Expired"</span> }.into_any() }
                                        else { view! { <span class="badge ok">"On"</span> }.into_any() }}</td>
                                    <td>
                                        <ActionForm action=toggle attr:class="inline-form">
                                            <input type="hidden" name="id" value=id/>
                                            <input type="hidden" name="disabled" value=(!disabled).to_string()/>
                                            <button type="submit" class="ghost small">{if disabled { "Turn on" } else { "Turn off" }}</button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}</DataTable>
                        <crate::components::Pager newer=l.coupons.newer.clone() older=l.coupons.older.clone()/>
                    }.into_any()
                }}
                <h2 class="h3">"New coupon"</h2>
                <FormError action=create/>
                <ActionForm action=create attr:class="stack narrow-form">
                    <Field id="c-code" label="Code" hint=Some("3 to 32 letters, digits, dashes or underscores; buyers may type it in any case.")>
                        <input id="c-code" name="form[code]" type="text" required maxlength="32" value=typed.code.clone() placeholder="EARLYBIRD"/>
                    </Field>
                    <Field id="c-kind" label="Discount">
                        <select id="c-kind" name="form[kind]">
                            <option value="percent" selected=typed.kind == "percent">"Percentage off"</option>
                            <option value="fixed" selected=typed.kind == "fixed">"Rupiah off (rupiah payments only)"</option>
                        </select>
                    </Field>
                    <Field id="c-value" label="Amount" hint=Some("A percentage (1 to 100) or rupiah, like 25000.")>
                        <input id="c-value" name="form[value]" type="text" inputmode="numeric" required value=typed.value.clone()/>
                    </Field>
                    <Field id="c-product" label="Product">
                        <select id="c-product" name="form[product_id]">
                            <option value="">"Every product"</option>
                            {products.into_iter().map(|(id, name)| view! {
                                <option value=id selected=typed.product_id == id.to_string()>{name}</option>
                            }).collect_view()}
                        </select>
                    </Field>
                    <Field id="c-expires" label="Last day (optional)" hint=Some("It works until the end of this day, Jakarta time.")>
                        <input id="c-expires" name="form[expires_on]" type="date" value=typed.expires_on.clone()/>
                    </Field>
                    <Field id="c-max" label="Uses (optional)" hint=Some("How many paid orders can use it; empty for no limit.")>
                        <input id="c-max" name="form[max_uses]" type="text" inputmode="numeric" value=typed.max_uses.clone()/>
                    </Field>
                    <Field id="c-note" label="Note for staff (optional)">
                        <input id="c-note" name="form[note]" type="text" maxlength="200" value=typed.note.clone()/>
                    </Field>
                    <button type="submit" class="primary">"Create coupon"</button>
                </ActionForm>
            }
        })}
    }
}
