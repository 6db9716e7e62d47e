//! A tool page's form: a plain POST to `/api/tools/{slug}/use` that works without
//! JavaScript (the browser comes back to the page with the outcome; the invoice
//! downloads), and that `/tools.js` turns into an in-place update.
//!
//! Why a small script and not an island: islands share one WASM bundle across
//! every page, and a fetch-and-render island would add its weight to the blog and
//! the catalog too; the script is 2 KB and loads on tool pages only.

use crate::components::tool_outcome;
use crate::domain::tools::{quota_message, BuiltinTool, Contrast, ToolRefusal, ToolResult, FORM_ITEM_ROWS};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// "21:1", "4.48:1".
pub fn ratio_label(ratio: f64) -> String {
    let s = format!("{ratio:.2}");
    format!("{}:1", s.trim_end_matches('0').trim_end_matches('.'))
}

fn runs_left(remaining: u32) -> String {
    match remaining {
        0 => "That was your last run today.".to_owned(),
        1 => "1 run left today.".to_owned(),
        n => format!("{n} runs left today."),
    }
}

#[component]
fn ContrastView(contrast: Contrast, remaining: u32) -> impl IntoView {
    let check = |label: &'static str, pass: bool| {
        view! {
            <li class=if pass { "pass" } else { "fail" }>{label} ": " <strong>{if pass { "pass" } else { "fail" }}</strong></li>
        }
    };
    view! {
        <p class="ratio">"Contrast ratio " <strong data-ratio=contrast.ratio.to_string()>{ratio_label(contrast.ratio)}</strong></p>
        <p class="swatch" style=format!("color:{};background:{}", contrast.foreground, contrast.background)>
            "The quick brown fox jumps over the lazy dog."
        </p>
        <ul class="checks">
            {check("AA, normal text", contrast.aa)}
            {check("AAA, normal text", contrast.aaa)}
            {check("AA, large text", contrast.aa_large)}
            {check("AAA, large text", contrast.aaa_large)}
        </ul>
        {contrast.suggestion.map(|s| view! {
            <p>"Nearest text colour that passes AA: " <code>{s}</code></p>
        })}
        <p class="muted small">{runs_left(remaining)}</p>
    }
}

/// What the last run showed, rendered on the server (the script renders the same from JSON).
#[component]
fn Outcome(result: Result<ToolResult, ToolRefusal>) -> impl IntoView {
    match result {
        Ok(ToolResult::Slug { slug, remaining }) => view! {
            <p>"Slug: " <code class="result-value">{slug}</code></p>
            <p class="muted small">{runs_left(remaining)}</p>
        }
        .into_any(),
        Ok(ToolResult::Contrast { contrast, remaining }) => view! { <ContrastView contrast remaining/> }.into_any(),
        Err(ToolRefusal::Invalid(message)) => view! { <p class="notice error" role="alert">{message}</p> }.into_any(),
        Err(ToolRefusal::Failed) => view! {
            <p class="notice error" role="alert">"Sorry, something went wrong on our side. Nothing was counted; please try again."</p>
        }
        .into_any(),
        Err(ToolRefusal::QuotaSpent { limit, signed_in, resets_at }) => {
            let message = quota_message(limit, signed_in, resets_at);
            view! {
                <div class="notice error quota" role="alert">
                    <p>{message}</p>
                    <p>
                        {(!signed_in).then(|| view! { <a class="button small" href="/register">"Create a free account"</a> " " })}
                        <a class="button ghost small" href="/saas">"See the plans"</a>
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
                <label for="text">"Title or phrase"</label>
                <input id="text" name="text" type="text" required maxlength="1000" value=value("text", "")
                    placeholder="Hello, Wörld!"/>
            </div>
        }
        .into_any(),
        BuiltinTool::ContrastChecker => view! {
            <div class="grid-2">
                <div class="field">
                    <label for="foreground">"Text colour"</label>
                    <input id="foreground" name="foreground" type="text" required maxlength="7" value=value("foreground", "#1A1A1A")
                        placeholder="#1A1A1A" spellcheck="false"/>
                    <span class="hint">"A hex code: #RRGGBB or #RGB."</span>
                </div>
                <div class="field">
                    <label for="background">"Background colour"</label>
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
                        <label for="from">"From"</label>
                        <textarea id="from" name="from" rows="3" required maxlength="500">{value("from", "")}</textarea>
                        <span class="hint">"Your name or company and address."</span>
                    </div>
                    <div class="field">
                        <label for="to">"Bill to"</label>
                        <textarea id="to" name="to" rows="3" required maxlength="500">{value("to", "")}</textarea>
                    </div>
                    <div class="field">
                        <label for="number">"Invoice number"</label>
                        <input id="number" name="number" type="text" maxlength="40" value=value("number", "") placeholder="INV-2026-0001"/>
                    </div>
                    <div class="field">
                        <label for="currency">"Currency"</label>
                        <select id="currency" name="currency">
                            <option value="IDR" selected=currency == "IDR">"IDR (rupiah)"</option>
                            <option value="USD" selected=currency == "USD">"USD (dollars)"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="date">"Date"</label>
                        <input id="date" name="date" type="date" value=value("date", "")/>
                        <span class="hint">"Empty: today."</span>
                    </div>
                    <div class="field">
                        <label for="due">"Due date (optional)"</label>
                        <input id="due" name="due" type="date" value=value("due", "")/>
                    </div>
                    <div class="field">
                        <label for="tax_percent">"Tax (%)"</label>
                        <input id="tax_percent" name="tax_percent" type="text" inputmode="decimal" maxlength="6"
                            value=value("tax_percent", "11")/>
                        <span class="hint">"PPN is 11 %; 0 for none."</span>
                    </div>
                </div>
                <fieldset class="line-items">
                    <legend>"Line items"</legend>
                    {(1..=FORM_ITEM_ROWS).map(|n| {
                        let (d, q, p) = (format!("description_{n}"), format!("quantity_{n}"), format!("price_{n}"));
                        view! {
                            <div class="line-item">
                                <input name=d.clone() type="text" maxlength="200" aria-label=format!("Line {n}: description")
                                    placeholder=if n == 1 { "Design work" } else { "" } value=value(&d, "")/>
                                <input name=q.clone() type="text" inputmode="numeric" maxlength="7" aria-label=format!("Line {n}: quantity")
                                    placeholder="1" value=value(&q, "")/>
                                <input name=p.clone() type="text" inputmode="decimal" maxlength="20" aria-label=format!("Line {n}: unit price")
                                    placeholder="1500000" value=value(&p, "")/>
                            </div>
                        }
                    }).collect_view()}
                    <span class="hint">"Description, quantity, unit price (rupiah as 1500000 or 1.500.000; dollars as 19.99). Empty rows are left out."</span>
                </fieldset>
                <div class="field">
                    <label for="notes">"Notes (optional)"</label>
                    <textarea id="notes" name="notes" rows="2" maxlength="1000">{value("notes", "")}</textarea>
                    <span class="hint">"Payment details, thanks. Nothing you type here is stored."</span>
                </div>
            }
            .into_any()
        }
    };
    let button = match tool {
        BuiltinTool::SlugGenerator => "Make the slug",
        BuiltinTool::ContrastChecker => "Check contrast",
        BuiltinTool::InvoiceGenerator => "Download the PDF",
    };
    view! {
        <section class="card tool-card" aria-label="Run the tool">
            <form class="tool-form stack" method="post" action=format!("/api/tools/{slug}/use") data-tool=tool.as_str()>
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
