//! Quotes and milestone invoices of client projects, and a project's timeline.
//!
//! A quote is line items (description, quantity, unit price) and a payment
//! schedule: a share of the total per milestone, in the milestones' order
//! ("30 / 40 / 30"). Amounts are whole rupiah; a schedule's amounts always add
//! up to the total exactly (the last share takes the rounding).

use super::contact::one_line;
use super::text_enum::text_enum;
use super::time::parse_date;
use super::{Currency, Money, ValidationError};
use serde::{Deserialize, Serialize};

text_enum!(QuoteStatus {
    Draft = "draft" / "Draft",
    Sent = "sent" / "Waiting for the client",
    Accepted = "accepted" / "Accepted",
    Declined = "declined" / "Declined",
    Withdrawn = "withdrawn" / "Withdrawn",
});

text_enum!(InvoiceStatus {
    Draft = "draft" / "Draft",
    Sent = "sent" / "Sent",
    Paid = "paid" / "Paid",
    Overdue = "overdue" / "Overdue",
    Void = "void" / "Void",
});

impl InvoiceStatus {
    /// Sent and not yet paid: the client can pay it.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Sent | Self::Overdue)
    }
}

/// Line items kept at most on a quote.
pub const ITEMS_MAX: usize = 50;

/// `Rp 1.500.000`.
pub fn rupiah(amount: i64) -> String {
    Money { minor: amount, currency: Currency::Idr }.to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    pub description: String,
    pub quantity: i64,
    pub unit_idr: i64,
    pub amount_idr: i64,
}

impl LineItem {
    /// The item as staff type it back: `Design system | 1 | 15.000.000`.
    pub fn as_line(&self) -> String {
        format!("{} | {} | {}", self.description, self.quantity, self.unit_idr)
    }
}

/// Line items typed one per line: `description | quantity | unit price` (or
/// `description | unit price` for one).
pub fn parse_items(raw: &str) -> Result<Vec<LineItem>, ValidationError> {
    let mut items = Vec::new();
    for (n, line) in raw.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let n = n + 1;
        let parts: Vec<&str> = line.split('|').map(str::trim).collect();
        let (description, quantity, unit) = match parts.as_slice() {
            [d, u] => (*d, "1", *u),
            [d, q, u] => (*d, *q, *u),
            _ => {
                return Err(ValidationError::new(format!(
                    "Line item {n}: write it as description | quantity | unit price."
                )))
            }
        };
        let description = one_line(description);
        if description.is_empty() || description.chars().count() > 200 {
            return Err(ValidationError::new(format!("Line item {n}: describe it (up to 200 characters).")));
        }
        let quantity =
            quantity.parse::<i64>().ok().filter(|q| (1..=10_000).contains(q)).ok_or_else(|| {
                ValidationError::new(format!("Line item {n}: the quantity is a whole number from 1."))
            })?;
        let unit_idr = Money::parse(unit, Currency::Idr)
            .map_err(|_| {
                ValidationError::new(format!("Line item {n}: enter the unit price in rupiah, like 1.500.000."))
            })?
            .minor;
        let amount_idr = unit_idr
            .checked_mul(quantity)
            .filter(|a| *a <= 100_000_000_000_000)
            .ok_or_else(|| ValidationError::new(format!("Line item {n}: the amount is too large.")))?;
        items.push(LineItem { description, quantity, unit_idr, amount_idr });
    }
    if items.is_empty() {
        return Err(ValidationError::new("Add at least one line item."));
    }
    if items.len() > ITEMS_MAX {
        return Err(ValidationError::new(format!("Keep a quote to {ITEMS_MAX} line items.")));
    }
    Ok(items)
}

/// A share typed in percent (`30`, `33.33`) as basis points.
fn parse_percent(raw: &str) -> Option<i64> {
    let raw = raw.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, frac) = raw.split_once('.').unwrap_or((&raw, ""));
    if whole.is_empty()
        || whole.len() > 3
        || frac.len() > 2
        || !(whole.chars().chain(frac.chars())).all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let frac = format!("{frac:0<2}");
    Some(whole.parse::<i64>().ok()? * 100 + frac.parse::<i64>().ok()?)
}

/// The schedule typed as percentages in the milestones' order (`30 / 40 / 30`):
/// one per milestone, adding up to 100; `0` leaves a milestone without an invoice.
pub fn parse_schedule(raw: &str, milestones: usize) -> Result<Vec<i64>, ValidationError> {
    if milestones == 0 {
        return Err(ValidationError::new(
            "Add the project's milestones first: the schedule splits the total over them.",
        ));
    }
    let shares = raw
        .split(['/', ' ', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            parse_percent(s).ok_or_else(|| {
                ValidationError::new(format!("\"{s}\" is not a percentage: write the schedule like 30 / 40 / 30."))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if shares.len() != milestones {
        return Err(ValidationError::new(format!(
            "The project has {milestones} milestone{}: give one percentage for each, in order (0 for none).",
            if milestones == 1 { "" } else { "s" }
        )));
    }
    if shares.iter().sum::<i64>() != 10_000 {
        return Err(ValidationError::new("The payment schedule must add up to 100 %."));
    }
    Ok(shares)
}

/// `total` split by `shares` (basis points adding up to 10 000), in whole rupiah
/// adding up to `total` exactly: each share rounded down, the last non-zero one
/// takes what is left.
pub fn split(total: i64, shares: &[i64]) -> Vec<i64> {
    let mut amounts: Vec<i64> = shares.iter().map(|bp| total * bp / 10_000).collect();
    if let Some(last) = shares.iter().rposition(|bp| *bp > 0) {
        amounts[last] += total - amounts.iter().sum::<i64>();
    }
    amounts
}

/// "30 %", "33.33 %".
pub fn percent_label(bp: i64) -> String {
    match bp % 100 {
        0 => format!("{} %", bp / 100),
        frac if frac % 10 == 0 => format!("{}.{} %", bp / 100, frac / 10),
        frac => format!("{}.{frac:02} %", bp / 100),
    }
}

/// A quote as staff write it, checked against the project's milestone count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteInput {
    pub title: String,
    pub notes_md: String,
    pub items: Vec<LineItem>,
    pub valid_until: Option<i64>,
    /// Basis points per milestone, in the milestones' order.
    pub shares: Vec<i64>,
}

impl QuoteInput {
    pub fn parse(
        title: &str,
        notes_md: &str,
        items: &str,
        valid_until: &str,
        schedule: &str,
        milestones: usize,
    ) -> Result<Self, ValidationError> {
        let title = one_line(title);
        if title.is_empty() || title.chars().count() > 150 {
            return Err(ValidationError::new("Enter the quote's title (up to 150 characters)."));
        }
        if notes_md.len() > 20_000 {
            return Err(ValidationError::new("Keep the notes to 20,000 characters."));
        }
        let items = parse_items(items)?;
        if items.iter().map(|i| i.amount_idr).sum::<i64>() <= 0 {
            return Err(ValidationError::new("The quote's total must be more than Rp 0."));
        }
        let valid_until = match valid_until.trim() {
            "" => None,
            raw => Some(
                parse_date(raw)
                    .ok_or_else(|| ValidationError::new("Enter the date the quote is valid until, like 2026-12-31."))?,
            ),
        };
        let shares = parse_schedule(schedule, milestones)?;
        Ok(Self { title, notes_md: notes_md.to_owned(), items, valid_until, shares })
    }

    pub fn total(&self) -> i64 {
        self.items.iter().map(|i| i.amount_idr).sum()
    }
}

/// One milestone's share of a quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleLine {
    pub milestone_id: i64,
    pub milestone: String,
    pub due_on: Option<i64>,
    pub share_bp: i64,
    pub amount_idr: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub id: i64,
    pub project_id: i64,
    pub title: String,
    pub notes_md: String,
    pub notes_html: crate::domain::html::TrustedHtml,
    pub total_idr: i64,
    pub valid_until: Option<i64>,
    pub status: QuoteStatus,
    pub sent_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// Who accepted or declined it, and from which address.
    pub decided_by: Option<String>,
    pub decided_ip: Option<String>,
    pub decline_reason: String,
    pub items: Vec<LineItem>,
    pub schedule: Vec<ScheduleLine>,
    /// Whether the client can still answer it (set by the server when it is read).
    pub open: bool,
}

impl Quote {
    /// The items as typed back into the editor.
    pub fn items_text(&self) -> String {
        self.items.iter().map(LineItem::as_line).collect::<Vec<_>>().join("\n")
    }

    /// Whether a client can still decide on it at `now` (sent, not past its date).
    pub fn open_at(&self, now: i64) -> bool {
        self.status == QuoteStatus::Sent
            && self.valid_until.is_none_or(|d| {
                now < super::time::jakarta_day_start(super::time::jakarta_day(d)) + super::time::DAY_SECS
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub client_id: i64,
    pub client_name: String,
    pub client_address: String,
    pub client_tax_id: String,
    pub milestone: Option<String>,
    /// `INV-2026-0001`, once sent.
    pub number: Option<String>,
    pub title: String,
    pub total_idr: i64,
    /// What PayPal charges instead (US cents), if staff gave it: PayPal does not settle rupiah.
    pub usd_cents: Option<i64>,
    pub tax_rate_bp: i64,
    pub tax_idr: i64,
    pub due_on: Option<i64>,
    pub status: InvoiceStatus,
    pub sent_at: Option<i64>,
    pub paid_at: Option<i64>,
    pub paid_via: Option<String>,
    pub paid_note: String,
    pub items: Vec<LineItem>,
    /// Its client's language: the PDF prints in it.
    pub lang: super::Lang,
}

impl Invoice {
    /// Its number, or "Draft".
    pub fn label(&self) -> String {
        self.number.clone().unwrap_or_else(|| "Draft".to_owned())
    }

    pub fn total_label(&self) -> String {
        rupiah(self.total_idr)
    }
}

/// One entry of a project's activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectEvent {
    pub at: i64,
    pub kind: String,
    pub summary: String,
    /// Who did it (None: the studio's systems, e.g. a payment).
    pub actor: Option<String>,
    /// Its values by name, for its words in each reader's language
    /// (`project-event-<kind>`); empty for a line kept only in English.
    #[serde(default)]
    pub values: Vec<(String, String)>,
}

impl ProjectEvent {
    /// The kinds of activity with words of their own in the catalogs
    /// (`project-event-<kind>`, or `project-event-<kind>-<why>` by its value `why`).
    pub const KINDS: &[&str] = &[
        "quote_sent",
        "quote_withdrawn",
        "quote_accepted",
        "quote_declined",
        "deliverable_uploaded",
        "deliverable_approved",
        "deliverable_changes_requested",
        "message",
        "invoice_sent",
        "invoice_paid_twice",
        "invoice_paid",
        "invoice_refunded",
        "invoice_overdue",
        "invoice_reminder",
        "invoice_void",
    ];
}

/// Everything a project's page shows beside the project itself: quotes, invoices,
/// deliverables, the message thread and the activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Billing {
    pub quotes: Vec<Quote>,
    pub invoices: Vec<Invoice>,
    pub deliverables: Vec<super::work::Deliverable>,
    /// The message thread's page shown.
    pub thread: super::work::Thread,
    pub events: Vec<ProjectEvent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_items_are_parsed_with_their_amounts() {
        let items =
            parse_items("Design system | 1 | 15.000.000\n\n  Pages | 6 | 2.500.000 \nHosting | 1.200.000").unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(
            items[1],
            LineItem { description: "Pages".into(), quantity: 6, unit_idr: 2_500_000, amount_idr: 15_000_000 }
        );
        assert_eq!(items[2].quantity, 1);
        assert_eq!(items[0].as_line(), "Design system | 1 | 15000000");
        for (bad, says) in [
            ("", "at least one"),
            ("Design", "Line item 1"),
            ("Design | 0 | 100", "quantity"),
            ("Ok | 1 | 1\nDesign | x | 100", "Line item 2"),
            ("Design | 1 | lots", "unit price"),
            (" | 1 | 100", "describe"),
        ] {
            let err = parse_items(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad:?}: {err}");
        }
    }

    #[test]
    fn schedules_add_up_to_the_total_exactly() {
        assert_eq!(parse_schedule("30 / 40 / 30", 3).unwrap(), vec![3000, 4000, 3000]);
        assert_eq!(parse_schedule("33.33/33.33/33.34%", 3).unwrap(), vec![3333, 3333, 3334]);
        assert_eq!(parse_schedule("100 0", 2).unwrap(), vec![10_000, 0]);
        assert!(parse_schedule("30 / 40", 3).unwrap_err().to_string().contains("3 milestones"));
        assert!(parse_schedule("30 / 40 / 20", 3).unwrap_err().to_string().contains("100 %"));
        assert!(parse_schedule("thirty", 1).is_err());
        assert!(parse_schedule("100", 0).unwrap_err().to_string().contains("milestones first"));
        assert_eq!(split(10_000_001, &[3000, 4000, 3000]), vec![3_000_000, 4_000_000, 3_000_001]);
        assert_eq!(split(100, &[3333, 3333, 3334, 0]), vec![33, 33, 34, 0]);
        for total in [1, 7, 999, 12_345_677] {
            assert_eq!(split(total, &[3333, 3333, 3334]).iter().sum::<i64>(), total);
        }
        assert_eq!(
            (percent_label(3000), percent_label(3333), percent_label(1250)),
            ("30 %".into(), "33.33 %".into(), "12.5 %".into())
        );
    }

    #[test]
    fn a_quote_needs_a_title_items_and_a_schedule() {
        let q = QuoteInput::parse("Website", "", "Build | 2 | 5.000.000", "2026-12-31", "50 / 50", 2).unwrap();
        assert_eq!((q.total(), q.shares.clone()), (10_000_000, vec![5000, 5000]));
        assert!(QuoteInput::parse("", "", "Build | 1", "", "100", 1).is_err());
        assert!(QuoteInput::parse("Free", "", "Nothing | 1 | 0", "", "100", 1)
            .unwrap_err()
            .to_string()
            .contains("Rp 0"));
        assert!(QuoteInput::parse("W", "", "Build | 1 | 1", "soon", "100", 1).is_err());
    }
}
