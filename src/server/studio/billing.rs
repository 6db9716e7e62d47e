//! Quotes and milestone invoices of client projects: what happens when a quote is
//! accepted, an invoice sent, paid (online through the one payment path, or by
//! transfer as staff record it) or left unpaid (reminders through the job queue),
//! and the invoice as a PDF.

use crate::domain::billing::{percent_label, rupiah, Invoice, InvoiceStatus, Quote};
use crate::domain::settings::StudioSettings;
use crate::domain::time::{iso_date, jakarta_day, jakarta_day_start};
use crate::domain::Lang;
use crate::domain::Viewer;
use crate::error::AppError;
use crate::server::config::Config;
use crate::server::db::{self, billing, clients, DbError};
use crate::server::i18n::t as say_in;
use crate::server::jobs::{self, JobError, JobKind};
use crate::server::mail::{self, templates};
use crate::server::pdf::{self, Font, Page, MARGIN, RIGHT};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Why an action on a quote or an invoice was not done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Not there, or not the caller's to see.
    NotFound,
    /// Why, in words for the person.
    Because(&'static str),
}

impl From<Refused> for AppError {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::NotFound => AppError::NotFound,
            Refused::Because(why) => AppError::validation(why),
        }
    }
}

/// A client's answer to a quote.
#[derive(Debug, Clone)]
pub struct Decision {
    pub quote_id: i64,
    pub accept: bool,
    /// The address it came from, kept with the answer.
    pub ip: String,
    /// Why it was declined (may be empty).
    pub reason: String,
}

/// How an invoice was paid.
#[derive(Debug, Clone, Copy)]
pub struct Payment<'a> {
    /// "online" or "transfer".
    pub via: &'a str,
    pub note: &'a str,
    /// The order that paid it online.
    pub order: Option<&'a db::orders::OrderRow>,
    /// The staff member who recorded a transfer.
    pub actor: Option<i64>,
    pub at: i64,
}

/// Mails every person of a client, once per `key` and person.
fn mail_people(
    conn: &Connection,
    client_id: i64,
    key: &str,
    build: impl Fn(&str, &str, Lang) -> mail::Email,
) -> Result<(), DbError> {
    let Some(client) = clients::by_id(conn, client_id)? else { return Ok(()) };
    for person in &client.people {
        let message = build(&person.email, &person.name, person.lang);
        jobs::enqueue(conn, JobKind::SendEmail, &message, Some(&format!("{key}:{}", person.user_id)))?;
    }
    Ok(())
}

/// Mails the studio's order-notice recipients, once per `key`.
fn mail_studio(
    conn: &Connection,
    config: &Config,
    studio: &StudioSettings,
    key: &str,
    build: impl Fn(&str) -> mail::Email,
) -> Result<(), DbError> {
    for (i, to) in super::settings::notify_recipients(studio, config).iter().enumerate() {
        jobs::enqueue(conn, JobKind::SendEmail, &build(to), Some(&format!("{key}:{i}")))?;
    }
    Ok(())
}

/// The client's answer to a sent quote (who, when, from where), once. Accepting
/// creates a draft invoice per milestone with a share, with the PPN the studio's
/// rate includes. Staff hear of it either way.
pub fn decide(
    conn: &mut Connection,
    config: &Config,
    me: &Viewer,
    client_id: i64,
    decision: &Decision,
) -> Result<Result<Quote, Refused>, DbError> {
    let Decision { quote_id, accept, ref ip, ref reason } = *decision;
    let (ip, reason) = (ip.as_str(), reason.as_str());
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let Some(quote) = billing::quote(&tx, quote_id)? else { return Ok(Err(Refused::NotFound)) };
    let Some(project) = db::projects::for_client(&tx, client_id, quote.project_id)? else {
        return Ok(Err(Refused::NotFound));
    };
    if quote.status == crate::domain::billing::QuoteStatus::Draft {
        return Ok(Err(Refused::NotFound));
    }
    if !quote.open_at(db::now()) {
        return Ok(Err(Refused::Because(match quote.status {
            crate::domain::billing::QuoteStatus::Sent => "This quote has expired: ask the studio for a new one.",
            crate::domain::billing::QuoteStatus::Withdrawn => "The studio withdrew this quote.",
            _ => "This quote has already been answered.",
        })));
    }
    if !billing::decide_quote(&tx, quote_id, accept, me.id, ip, reason)? {
        return Ok(Err(Refused::Because("This quote has already been answered.")));
    }
    let studio = super::settings::load(&tx, config)?;
    if accept {
        for line in &quote.schedule {
            let tax = studio.included_tax(line.amount_idr).unwrap_or(0);
            billing::create_draft(&tx, project.id, &quote, line, studio.tax_rate_bp.max(0), tax)?;
        }
    }
    let (verb, kind) = if accept { ("accepted", "quote_accepted") } else { ("declined", "quote_declined") };
    let summary = match (accept, reason.is_empty()) {
        (false, false) => format!("Quote \"{}\" ({}) {verb}: {reason}", quote.title, rupiah(quote.total_idr)),
        _ => format!("Quote \"{}\" ({}) {verb}", quote.title, rupiah(quote.total_idr)),
    };
    let mut values = vec![("title", quote.title.clone()), ("total", rupiah(quote.total_idr))];
    if !accept && !reason.is_empty() {
        values.extend([("why", "reason".to_owned()), ("reason", reason.to_owned())]);
    }
    billing::record_event(&tx, project.id, Some(me.id), (kind, &summary), &values)?;
    db::audit::record(&tx, Some(me.id), &format!("quote.{verb}"), &format!("quote:{quote_id}"), &format!("from {ip}"))?;
    let link = config.url(&format!("/admin/projects/{}", project.id));
    let what = format!(
        "{} ({}) {verb} the quote \"{}\" for {} ({}).",
        me.name, me.email, quote.title, project.name, project.client_name
    );
    mail_studio(&tx, config, &studio, &format!("quote-{verb}:{quote_id}"), |to| {
        templates::portal_notice(
            config,
            Lang::En,
            to,
            "team",
            &format!("Quote {verb}: {}", quote.title),
            &[&what, reason],
            ("Open the project", &link),
        )
    })?;
    let decided = billing::quote(&tx, quote_id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    tx.commit()?;
    tracing::info!(quote = quote_id, accept, "quote decided");
    Ok(Ok(decided))
}

/// Mails a sent quote to each of the client's people, with the link to answer it.
pub fn mail_quote(
    conn: &Connection,
    config: &Config,
    project: &crate::domain::projects::Project,
    quote: &Quote,
) -> Result<(), DbError> {
    let studio = super::settings::load(conn, config)?;
    let link = config.url(&format!("/client/projects/{}#quotes", project.id));
    let total = rupiah(quote.total_idr);
    mail_people(conn, project.client_id, &format!("quote-sent:{}", quote.id), |to, name, lang| {
        let until = quote.valid_until.map(|d| lang.date(d)).unwrap_or_default();
        let args = [
            ("studio", studio.name.as_str()),
            ("project", &project.name),
            ("title", &quote.title),
            ("total", &total),
            ("until", &until),
        ];
        let say = |key: &str| say_in(lang, key, &args);
        let until = if quote.valid_until.is_some() { say("quote-sent-until") } else { String::new() };
        templates::portal_notice(
            config,
            lang,
            to,
            name,
            &say("quote-sent-subject"),
            &[&say("quote-sent-intro"), &say("quote-sent-next"), &until],
            (&say("portal-review-quote"), &link),
        )
    })
}

/// A reminder's step: the due day's mail, the next day's move to overdue, the
/// mail a week later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Due,
    Overdue,
    Late,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reminder {
    pub invoice_id: i64,
    pub step: Step,
}

/// When each step runs for an invoice due on `due_on`: 09:00 WIB on the due day,
/// 00:00 WIB the day after, 09:00 WIB seven days after.
pub fn step_time(due_on: i64, step: Step) -> i64 {
    let day = jakarta_day(due_on);
    match step {
        Step::Due => jakarta_day_start(day) + 9 * 3600,
        Step::Overdue => jakarta_day_start(day + 1),
        Step::Late => jakarta_day_start(day + 7) + 9 * 3600,
    }
}

pub fn invoice_link(config: &Config, invoice: &Invoice) -> String {
    config.url(&format!("/client/invoices/{}", invoice.id))
}

/// Sends a draft invoice: its number (gap-free, in this transaction), its due
/// date, the mail with the PDF to each of the client's people, and the reminders.
pub fn send(
    conn: &mut Connection,
    config: &Config,
    staff: i64,
    invoice_id: i64,
    (due_on, usd_cents): (i64, Option<i64>),
) -> Result<Result<Invoice, Refused>, DbError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let t = db::now();
    if jakarta_day(due_on) < jakarta_day(t) {
        return Ok(Err(Refused::Because("The due date is in the past: choose today or a later day.")));
    }
    let Some(number) = billing::send(&tx, invoice_id, due_on, usd_cents, t)? else {
        return Ok(Err(Refused::Because("Only a draft invoice can be sent.")));
    };
    let invoice = billing::invoice(&tx, invoice_id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    let studio = super::settings::load(&tx, config)?;
    let attachment = attachment(&studio, super::settings::letterhead(&tx)?.as_ref(), &invoice);
    let link = invoice_link(config, &invoice);
    let total = invoice.total_label();
    mail_people(&tx, invoice.client_id, &format!("invoice-sent:{invoice_id}"), |to, name, lang| {
        let due = lang.date(due_on);
        let args = [
            ("number", number.as_str()),
            ("studio", &studio.name),
            ("title", &invoice.title),
            ("total", &total),
            ("due", &due),
        ];
        let say = |key: &str| say_in(lang, key, &args);
        let mut message = templates::portal_notice(
            config,
            lang,
            to,
            name,
            &say("invoice-sent-subject"),
            &[&say("invoice-sent-intro"), &say("invoice-sent-next")],
            (&say("portal-view-pay-invoice"), &link),
        );
        message.attachments.push(attachment.clone());
        message
    })?;
    for step in [Step::Due, Step::Overdue, Step::Late] {
        jobs::enqueue_with(
            &tx,
            JobKind::InvoiceReminder,
            &Reminder { invoice_id, step },
            jobs::Options {
                dedupe_key: Some(&format!("invoice-reminder:{invoice_id}:{step:?}")),
                run_at: Some(step_time(due_on, step)),
                ..jobs::Options::default()
            },
        )?;
    }
    billing::record_event(
        &tx,
        invoice.project_id,
        Some(staff),
        ("invoice_sent", &format!("Invoice {number} sent: {}, due {}", invoice.total_label(), iso_date(due_on))),
        &[("number", number.clone()), ("total", invoice.total_label()), ("due", due_on.to_string())],
    )?;
    db::audit::record(&tx, Some(staff), "invoice.sent", &format!("invoice:{invoice_id}"), &number)?;
    tx.commit()?;
    Ok(Ok(invoice))
}

/// Records that an open invoice was paid (by transfer, noted by staff; or online by
/// `order`) and tells both sides; false if it was not open. Call it inside the
/// transaction of the payment.
pub fn record_paid(tx: &Connection, config: &Config, invoice_id: i64, paid: Payment<'_>) -> Result<bool, DbError> {
    let Payment { via, note, order, actor, at } = paid;
    let Some(invoice) = billing::invoice(tx, invoice_id)? else { return Ok(false) };
    let number = invoice.label();
    if !billing::mark_paid(tx, invoice_id, via, note, order.map(|o| o.id), at)? {
        if let Some(order) = order {
            // Paid twice (another payment, or staff marked it paid meanwhile): the
            // studio refunds this one. The order itself is paid; nothing is lost.
            tracing::warn!(invoice = %number, order = %order.public_id, "an invoice that was not open was paid online");
            billing::record_event(
                tx,
                invoice.project_id,
                None,
                (
                    "invoice_paid_twice",
                    &format!("Invoice {number} was paid again online (order {}): refund it", order.public_id),
                ),
                &[("number", number.clone()), ("order", order.public_id.clone())],
            )?;
            let studio = super::settings::load(tx, config)?;
            let link = config.url(&format!("/admin/orders/{}", order.public_id));
            let what = format!(
                "Invoice {number} was already {}, and order {} paid it again. Refund that order.",
                invoice.status.label().to_lowercase(),
                order.public_id
            );
            mail_studio(tx, config, &studio, &format!("invoice-paid-twice:{}", order.id), |to| {
                templates::portal_notice(
                    config,
                    Lang::En,
                    to,
                    "team",
                    &format!("Invoice {number} paid twice"),
                    &[&what],
                    ("Open the order", &link),
                )
            })?;
        }
        return Ok(false);
    }
    let how = match order {
        Some(o) => format!("online through {}", o.gateway.label()),
        None => "by bank transfer".to_owned(),
    };
    let mut values = vec![("number", number.clone()), ("total", invoice.total_label())];
    values.push(("why", if order.is_some() { "online" } else { "transfer" }.to_owned()));
    if let Some(o) = order {
        values.push(("gateway", o.gateway.label().to_owned()));
    }
    billing::record_event(
        tx,
        invoice.project_id,
        actor,
        ("invoice_paid", &format!("Invoice {number} paid {how}: {}", invoice.total_label())),
        &values,
    )?;
    super::webhooks::emit(
        tx,
        crate::domain::webhooks::Event::InvoicePaid,
        &number,
        at,
        serde_json::json!({ "invoice": {
            "number": number,
            "client": invoice.client_name,
            "project": invoice.project_name,
            "total_idr": invoice.total_idr,
            "paid_via": via,
            "order": order.map(|o| o.public_id.clone()),
        }}),
    )?;
    let studio = super::settings::load(tx, config)?;
    let link = invoice_link(config, &invoice);
    let (total, way) = (invoice.total_label(), if order.is_some() { "online" } else { "transfer" });
    let gateway = order.map(|o| o.gateway.label()).unwrap_or_default();
    mail_people(tx, invoice.client_id, &format!("invoice-paid:{invoice_id}"), |to, name, lang| {
        let args = [("number", number.as_str()), ("total", &total), ("how", way), ("gateway", gateway)];
        let say = |key: &str| say_in(lang, key, &args);
        templates::portal_notice(
            config,
            lang,
            to,
            name,
            &say("invoice-paid-subject"),
            &[&say("invoice-paid-intro")],
            (&say("portal-view-invoice"), &link),
        )
    })?;
    if order.is_some() {
        let staff_link = config.url(&format!("/admin/projects/{}", invoice.project_id));
        let what = format!("{} paid invoice {number} ({}) {how}.", invoice.client_name, invoice.total_label());
        mail_studio(tx, config, &studio, &format!("invoice-paid-notice:{invoice_id}"), |to| {
            templates::portal_notice(
                config,
                Lang::En,
                to,
                "team",
                &format!("Invoice {number} paid"),
                &[&what],
                ("Open the project", &staff_link),
            )
        })?;
    }
    Ok(true)
}

/// A refunded online payment of an invoice: the invoice is open again (staff can
/// void it), and the timeline says so.
pub fn record_refunded(tx: &Connection, invoice_id: i64, order: &db::orders::OrderRow) -> Result<(), DbError> {
    let Some(invoice) = billing::invoice(tx, invoice_id)? else { return Ok(()) };
    if billing::reopen_refunded(tx, invoice_id, order.id)? {
        billing::record_event(
            tx,
            invoice.project_id,
            None,
            (
                "invoice_refunded",
                &format!(
                    "The payment of invoice {} (order {}) was refunded: the invoice is open again",
                    invoice.label(),
                    order.public_id
                ),
            ),
            &[("number", invoice.label()), ("order", order.public_id.clone())],
        )?;
    }
    Ok(())
}

/// Runs one reminder step: nothing once the invoice is paid or void.
pub async fn run_reminder(db: &db::Db, config: &Config, job: Reminder) -> Result<(), JobError> {
    let config = config.clone();
    db.run(move |c| -> Result<(), DbError> {
        let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let Some(invoice) = billing::invoice(&tx, job.invoice_id)? else { return Ok(()) };
        if !invoice.status.is_open() {
            return Ok(());
        }
        let number = invoice.label();
        let due = invoice.due_on.map(iso_date).unwrap_or_default();
        let link = invoice_link(&config, &invoice);
        let prefix = match job.step {
            Step::Overdue => {
                if billing::mark_overdue(&tx, invoice.id)? {
                    billing::record_event(
                        &tx,
                        invoice.project_id,
                        None,
                        ("invoice_overdue", &format!("Invoice {number} is overdue (due {due})")),
                        &[
                            ("number", number.clone()),
                            ("due", invoice.due_on.map(|d| d.to_string()).unwrap_or_default()),
                        ],
                    )?;
                }
                tx.commit()?;
                return Ok(());
            }
            Step::Due => "invoice-due",
            Step::Late => "invoice-late",
        };
        let total = invoice.total_label();
        mail_people(
            &tx,
            invoice.client_id,
            &format!("invoice-reminder:{}:{:?}", invoice.id, job.step),
            |to, name, lang| {
                let due = invoice.due_on.map(|d| lang.date(d)).unwrap_or_default();
                let args = [("number", number.as_str()), ("title", &invoice.title), ("total", &total), ("due", &due)];
                let say = |key: &str| say_in(lang, key, &args);
                let (subject, what) = (say(&format!("{prefix}-subject")), say(&format!("{prefix}-intro")));
                templates::portal_notice(
                    &config,
                    lang,
                    to,
                    name,
                    &subject,
                    &[&what],
                    (&say("portal-view-pay-invoice"), &link),
                )
            },
        )?;
        let subject = say_in(Lang::En, &format!("{prefix}-subject"), &[("number", number.as_str())]);
        billing::record_event(
            &tx,
            invoice.project_id,
            None,
            ("invoice_reminder", &format!("Reminder mailed: {subject}")),
            &[("number", number.clone()), ("why", if prefix == "invoice-due" { "due" } else { "late" }.to_owned())],
        )?;
        tx.commit()?;
        Ok(())
    })
    .await?;
    Ok(())
}

// ---- the PDF -----------------------------------------------------------------

pub fn file_name(invoice: &Invoice) -> String {
    format!("invoice-{}.pdf", invoice.label())
}

/// The invoice as a PDF in its client's language: the studio, the client, the items, the
/// total with the PPN it includes.
pub fn render(studio: &StudioSettings, logo: Option<&pdf::Image>, invoice: &Invoice) -> Vec<u8> {
    let lang = invoice.lang;
    let say = |key: &str, args: &[(&'static str, &str)]| crate::server::i18n::t(lang, key, args);
    let (title, number) =
        (say("invoice-title", &[]), invoice.number.clone().unwrap_or_else(|| say("invoice-draft", &[])));
    let mut page = Page::new();
    let top = page.y;
    if let Some(logo) = logo {
        page.logo(logo, super::receipts::LOGO_PT);
    }
    page.text(MARGIN, top - 18.0, Font::Bold, 24.0, &title);
    page.text(MARGIN, top - 44.0, Font::Bold, 10.0, &number);
    let mut y = top - 4.0;
    page.right(RIGHT, y, Font::Bold, 11.0, studio.legal_name());
    for line in &studio.address {
        y -= 13.0;
        page.right(RIGHT, y, Font::Regular, 9.0, line);
    }
    if !studio.tax_id.is_empty() {
        y -= 13.0;
        page.right(RIGHT, y, Font::Regular, 9.0, &say("receipt-tax-id", &[("tax_id", &studio.tax_id)]));
    }
    page.y = (top - 60.0).min(y - 24.0);
    let mut bill_to = vec![invoice.client_name.clone()];
    bill_to.extend(invoice.client_address.lines().map(str::to_owned));
    if !invoice.client_tax_id.is_empty() {
        bill_to.push(format!("NPWP: {}", invoice.client_tax_id));
    }
    let rows: Vec<(String, String)> = [
        Some(("invoice-bill-to", bill_to.join("\n"))),
        Some(("invoice-project", invoice.project_name.clone())),
        invoice.sent_at.map(|t| ("invoice-issued", lang.date(t))),
        invoice.due_on.map(|d| ("invoice-due", lang.date(d))),
        Some(("invoice-status", say("invoice-status-value", &[("status", invoice.status.as_str())]))),
        invoice.paid_at.map(|t| ("invoice-paid-on", lang.date(t))),
    ]
    .into_iter()
    .flatten()
    .map(|(key, value)| (say(key, &[]), value))
    .collect();
    for (label, value) in rows {
        for (i, line) in value.lines().enumerate() {
            let y = page.y;
            if i == 0 {
                page.text(MARGIN, y, Font::Bold, 9.0, &label);
            }
            page.text(MARGIN + 80.0, y, Font::Regular, 10.0, line);
            page.y -= 14.0;
        }
        page.y -= 2.0;
    }
    page.y -= 16.0;
    let y = page.y;
    page.text(MARGIN, y, Font::Bold, 9.0, &say("invoice-item", &[]));
    page.right(RIGHT - 150.0, y, Font::Bold, 9.0, &say("invoice-quantity", &[]));
    page.right(RIGHT - 80.0, y, Font::Bold, 9.0, &say("invoice-unit", &[]));
    page.right(RIGHT, y, Font::Bold, 9.0, &say("invoice-amount", &[]));
    page.rule(y - 6.0, 0.3);
    page.y -= 22.0;
    for item in &invoice.items {
        let lines = pdf::wrap(&item.description, 250.0, 10.0);
        let y = page.y;
        page.right(RIGHT - 150.0, y, Font::Regular, 10.0, &item.quantity.to_string());
        page.right(RIGHT - 80.0, y, Font::Regular, 10.0, &rupiah(item.unit_idr));
        page.right(RIGHT, y, Font::Regular, 10.0, &rupiah(item.amount_idr));
        for (i, line) in lines.iter().enumerate() {
            page.text(MARGIN, y - i as f32 * 13.0, Font::Regular, 10.0, line);
        }
        page.y -= lines.len().max(1) as f32 * 13.0 + 6.0;
    }
    page.rule(page.y + 6.0, 0.6);
    page.y -= 10.0;
    let y = page.y;
    page.right(RIGHT - 120.0, y, Font::Bold, 11.0, &say("invoice-total", &[]));
    page.right(RIGHT, y, Font::Bold, 11.0, &invoice.total_label());
    if invoice.tax_idr > 0 {
        page.y -= 15.0;
        let (rate, tax) = (percent_label(invoice.tax_rate_bp), rupiah(invoice.tax_idr));
        page.right(RIGHT, page.y, Font::Regular, 9.0, &say("invoice-tax-included", &[("rate", &rate), ("tax", &tax)]));
    }
    page.y -= 40.0;
    let y = page.y;
    let closing = match invoice.status {
        InvoiceStatus::Paid => say("invoice-closing-paid", &[("studio", &studio.name)]),
        InvoiceStatus::Void => say("invoice-closing-void", &[]),
        _ => say("invoice-closing-open", &[("number", &number)]),
    };
    page.text(MARGIN, y, Font::Regular, 8.0, &closing);
    pdf::write_with(&format!("{title} {number}"), "Atelier", vec![page], logo)
}

/// The invoice as a PDF file: its name and bytes.
pub fn pdf_file(studio: &StudioSettings, logo: Option<&pdf::Image>, invoice: &Invoice) -> (String, Vec<u8>) {
    (file_name(invoice), render(studio, logo, invoice))
}

pub fn attachment(studio: &StudioSettings, logo: Option<&pdf::Image>, invoice: &Invoice) -> mail::Attachment {
    mail::Attachment::new(file_name(invoice), "application/pdf", &render(studio, logo, invoice))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::billing::LineItem;

    #[test]
    fn reminders_run_on_the_due_day_the_next_and_a_week_later_in_jakarta() {
        let due = crate::domain::time::parse_date("2026-12-10").unwrap();
        let wib = |t: i64| crate::domain::time::format_jakarta(t);
        assert_eq!(wib(step_time(due, Step::Due)), "2026-12-10 09:00 WIB");
        assert_eq!(wib(step_time(due, Step::Overdue)), "2026-12-11 00:00 WIB");
        assert_eq!(wib(step_time(due, Step::Late)), "2026-12-17 09:00 WIB");
        assert_eq!(step_time(due, Step::Late) - step_time(due, Step::Due), 7 * crate::domain::time::DAY_SECS);
    }

    #[test]
    fn an_invoice_pdf_shows_the_number_client_items_and_tax() {
        let studio = StudioSettings { name: "Atelier".into(), tax_id: "01.234".into(), ..StudioSettings::default() };
        let invoice = Invoice {
            id: 1,
            project_id: 1,
            project_name: "Website".into(),
            client_id: 1,
            client_name: "PT Kopi Nusantara".into(),
            client_address: "Jl. Braga 1\nBandung".into(),
            client_tax_id: "09.876".into(),
            milestone: Some("Design".into()),
            number: Some("INV-2026-0007".into()),
            title: "Website: Design".into(),
            total_idr: 30_000_000,
            usd_cents: None,
            tax_rate_bp: 1100,
            tax_idr: 2_972_973,
            due_on: crate::domain::time::parse_date("2026-12-10"),
            status: InvoiceStatus::Sent,
            sent_at: crate::domain::time::parse_date("2026-11-23"),
            paid_at: None,
            paid_via: None,
            paid_note: String::new(),
            items: vec![LineItem {
                description: "Design — 30 % of \"Website\"".into(),
                quantity: 1,
                unit_idr: 30_000_000,
                amount_idr: 30_000_000,
            }],
            lang: crate::domain::Lang::En,
        };
        let text = pdf::shown_text(&render(&studio, None, &invoice));
        for expected in [
            "Invoice",
            "INV-2026-0007",
            "PT Kopi Nusantara",
            "Bandung",
            "NPWP: 09.876",
            "Due",
            "10 December 2026",
            "Rp 30.000.000",
            "Includes PPN 11 %: Rp 2.972.973",
            "Tax id (NPWP): 01.234",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        // The same invoice for a client whose invoices print in Indonesian.
        let text = pdf::shown_text(&render(&studio, None, &Invoice { lang: crate::domain::Lang::Id, ..invoice }));
        for expected in [
            "Faktur",
            "Ditagihkan kepada",
            "Jatuh tempo",
            "10 Desember 2026",
            "Terkirim",
            "Termasuk PPN 11 %: Rp 2.972.973",
            "NPWP: 01.234",
            "Bayar daring dari portal klien Anda",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        for english in ["Invoice", "Bill to", "Due", "Includes PPN", "Pay online"] {
            assert!(!text.contains(english), "{english:?} in {text}");
        }
    }
}
