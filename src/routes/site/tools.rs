//! A tool page's form: a plain POST to `/api/tools/{slug}/use` that works without
//! JavaScript (the browser comes back to the page with the outcome; the invoice
//! downloads), and that `/tools.js` turns into an in-place update.
//!
//! Why a small script and not an island: islands share one WASM bundle across
//! every page, and a fetch-and-render island would add its weight to the blog and
//! the catalog too; the script is 2 KB and loads on tool pages only.

use crate::components::{href, tool_outcome, tr, tr_with};
use crate::domain::tools::{BuiltinTool, Contrast, ToolRefusal, ToolResult, FORM_ITEM_ROWS};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// "21:1", "4.48:1".
pub fn ratio_label(ratio: f64) -> String {
    let s = format!("{ratio:.2}");
    format!("{}:1", s.trim_end_matches('0').trim_end_matches('.'))
}

fn runs_left(remaining: u32) -> String {
    match remaining {
        0 => tr("tool-runs-last").to_owned(),
        1 => tr("tool-runs-one").to_owned(),
        n => tr_with("tool-runs-left", &[("n", &n.to_string())]),
    }
}

/// The words `/tools.js` shows when it renders an outcome in place, in the page's
/// language (a JSON object in the form's `data-words`; the script knows no language).
fn script_words() -> String {
    let words: Vec<String> = [
        ("runsLast", "tool-runs-last"),
        ("runsOne", "tool-runs-one"),
        ("runsLeft", "tool-runs-left-script"),
        ("plans", "tool-see-plans"),
        ("slug", "tool-slug"),
        ("ratio", "tool-ratio"),
        ("pangram", "tool-pangram"),
        ("aaNormal", "tool-aa-normal"),
        ("aaaNormal", "tool-aaa-normal"),
        ("aaLarge", "tool-aa-large"),
        ("aaaLarge", "tool-aaa-large"),
        ("pass", "tool-pass"),
        ("fail", "tool-fail"),
        ("nearest", "tool-nearest"),
        ("downloadAgain", "tool-download-again"),
        ("invoiceReady", "tool-invoice-ready"),
        ("failed", "tool-failed-script"),
        ("unreachable", "tool-unreachable"),
    ]
    .into_iter()
    .map(|(name, key)| format!("\"{name}\":{}", crate::domain::json_string(tr(key))))
    .collect();
    format!("{{{}}}", words.join(","))
}

#[component]
fn ContrastView(contrast: Contrast, remaining: u32) -> impl IntoView {
    let check = |label: &'static str, pass: bool| {
        view! {
            <li class=if pass { "pass" } else { "fail" }>{tr(label)} ": " <strong>{if pass { tr("tool-pass") } else { tr("tool-fail") }}</strong></li>
        }
    };
    view! {
        <p class="ratio">{tr("tool-ratio")} " " <strong data-ratio=contrast.ratio.to_string()>{ratio_label(contrast.ratio)}</strong></p>
        <p class="swatch" style=format!("color:{};background:{}", contrast.foreground, contrast.background)>
            {tr("tool-pangram")}
        </p>
        <ul class="checks">
            {check("tool-aa-normal", contrast.aa)}
            {check("tool-aaa-normal", contrast.aaa)}
            {check("tool-aa-large", contrast.aa_large)}
            {check("tool-aaa-large", contrast.aaa_large)}
        </ul>
        {contrast.suggestion.map(|s| view! {
            <p>{tr("tool-nearest")} " " <code>{s}</code></p>
        })}
        <p class="muted small">{runs_left(remaining)}</p>
    }
}

/// What the last run showed, rendered on the server (the script renders the same from JSON).
#[component]
fn Outcome(result: Result<ToolResult, ToolRefusal>) -> impl IntoView {
    match result {
        Ok(ToolResult::Slug { slug, remaining }) => view! {
            <p>{tr("tool-slug")} " " <code class="result-value">{slug}</code></p>
            <p class="muted small">{runs_left(remaining)}</p>
        }
        .into_any(),
        Ok(ToolResult::Contrast { contrast, remaining }) => view! { <ContrastView contrast remaining/> }.into_any(),
        Err(ToolRefusal::Invalid(message)) => {
            view! { <p class="notice error" role="alert">{crate::components::in_page_language(&message)}</p> }
                .into_any()
        }
        Err(ToolRefusal::Failed) => view! {
            <p class="notice error" role="alert">{tr("tool-failed")}</p>
        }
        .into_any(),
        Err(ToolRefusal::QuotaSpent { limit, signed_in, resets_at }) => {
            #[cfg(feature = "ssr")]
            let message = crate::server::studio::tools::quota_message(
                crate::components::page_lang(),
                limit,
                signed_in,
                resets_at,
            );
            #[cfg(not(feature = "ssr"))]
            let message = {
                let _ = (limit, resets_at);
                String::new()
            };
            view! {
                <div class="notice error quota" role="alert">
                    <p>{message}</p>
                    <p>
                        {(!signed_in).then(|| view! { <a class="button small" href=href("/register")>{tr("tool-free-account")}</a> " " })}
                        <a class="button ghost small" href=href("/saas")>{tr("tool-see-plans")}</a>
                    </p>
                </div>
            }
            .into_any()
        }
    }
}

/// The form of a tool page's built-in tool, and the outcome of the last run.
#[component]
pub fn ToolRunner(tool: BuiltinTool, slug: String) -> impl IntoView {
    let outcome = tool_outcome();
    let fields: BTreeMap<String, String> = outcome.as_ref().map(|o| o.fields.clone()).unwrap_or_default();
    let value = move |name: &str, default: &str| fields.get(name).cloned().unwrap_or_else(|| default.to_owned());
    let inputs = match tool {
        BuiltinTool::SlugGenerator => view! {
            <div class="field">
                <label for="text">{tr("tool-phrase")}</label>
                <input id="text" name="text" type="text" required maxlength="1000" value=value("text", "")
                    placeholder="Hello, Wörld!"/>
            </div>
        }
        .into_any(),
        BuiltinTool::ContrastChecker => view! {
            <div class="grid-2">
                <div class="field">
                    <label for="foreground">{tr("tool-text-colour")}</label>
                    <input id="foreground" name="foreground" type="text" required maxlength="7" value=value("foreground", "#1A1A1A")
                        placeholder="#1A1A1A" spellcheck="false"/>
                    <span class="hint">{tr("tool-hex-hint")}</span>
                </div>
                <div class="field">
                    <label for="background">{tr("tool-background-colour")}</label>
                    <input id="background" name="background" type="text" required maxlength="7" value=value("background", "#FFFFFF")
                        placeholder="#FFFFFF" spellcheck="false"/>
                </div>
            </div>
        }
        .into_any(),
        BuiltinTool::InvoiceGenerator => {
            let currency = value("currency", "IDR");
            view! {
                <div class="grid-2">
                    <div class="field">
                        <label for="from">{tr("tool-from")}</label>
                        <textarea id="from" name="from" rows="3" required maxlength="500">{value("from", "")}</textarea>
                        <span class="hint">{tr("tool-from-hint")}</span>
                    </div>
                    <div class="field">
                        <label for="to">{tr("tool-bill-to")}</label>
                        <textarea id="to" name="to" rows="3" required maxlength="500">{value("to", "")}</textarea>
                    </div>
                    <div class="field">
                        <label for="number">{tr("tool-invoice-number")}</label>
                        <input id="number" name="number" type="text" maxlength="40" value=value("number", "") placeholder="INV-2026-0001"/>
                    </div>
                    <div class="field">
                        <label for="currency">{tr("tool-currency")}</label>
                        <select id="currency" name="currency">
                            <option value="IDR" selected=currency == "IDR">{tr("tool-idr")}</option>
                            <option value="USD" selected=currency == "USD">{tr("tool-usd")}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="date">{tr("tool-date")}</label>
                        <input id="date" name="date" type="date" value=value("date", "")/>
                        <span class="hint">{tr("tool-date-hint")}</span>
                    </div>
                    <div class="field">
                        <label for="due">{tr("tool-due")}</label>
                        <input id="due" name="due" type="date" value=value("due", "")/>
                    </div>
                    <div class="field">
                        <label for="tax_percent">{tr("tool-tax")}</label>
                        <input id="tax_percent" name="tax_percent" type="text" inputmode="decimal" maxlength="6"
                            value=value("tax_percent", "11")/>
                        <span class="hint">{tr("tool-tax-hint")}</span>
                    </div>
                </div>
                <fieldset class="line-items">
                    <legend>{tr("tool-lines")}</legend>
                    {(1..=FORM_ITEM_ROWS).map(|n| {
                        let (d, q, p) = (format!("description_{n}"), format!("quantity_{n}"), format!("price_{n}"));
                        view! {
                            <div class="line-item">
                                <input name=d.clone() type="text" maxlength="200" aria-label=tr_with("tool-line-description", &[("n", &n.to_string())])
                                    placeholder=if n == 1 { tr("tool-line-example") } else { "" } value=value(&d, "")/>
                                <input name=q.clone() type="text" inputmode="numeric" maxlength="7" aria-label=tr_with("tool-line-quantity", &[("n", &n.to_string())])
                                    placeholder="1" value=value(&q, "")/>
                                <input name=p.clone() type="text" inputmode="decimal" maxlength="20" aria-label=tr_with("tool-line-price", &[("n", &n.to_string())])
                                    placeholder="1500000" value=value(&p, "")/>
                            </div>
                        }
                    }).collect_view()}
                    <span class="hint">{tr("tool-lines-hint")}</span>
                </fieldset>
                <div class="field">
                    <label for="notes">{tr("tool-notes")}</label>
                    <textarea id="notes" name="notes" rows="2" maxlength="1000">{value("notes", "")}</textarea>
                    <span class="hint">{tr("tool-notes-hint")}</span>
                </div>
            }
            .into_any()
        }
    };
    let button = match tool {
        BuiltinTool::SlugGenerator => tr("tool-run-slug"),
        BuiltinTool::ContrastChecker => tr("tool-run-contrast"),
        BuiltinTool::InvoiceGenerator => tr("tool-run-invoice"),
    };
    view! {
        <section class="card tool-card" aria-label=tr("tool-run")>
            <form class="tool-form stack" method="post" action=format!("/api/tools/{slug}/use") data-tool=tool.as_str()
                data-words=script_words()>
                {inputs}
                <div class="actions"><button type="submit" class="primary">{button}</button></div>
            </form>
            <div id="result" class="tool-result" aria-live="polite">
                {outcome.map(|o| view! { <Outcome result=o.result/> })}
            </div>
        </section>
        <script src="/tools.js" defer></script>
    }
}
