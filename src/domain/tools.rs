//! The built-in tools a tool page can run (slug generator, WCAG contrast checker,
//! invoice generator): their input, checked, and their results. Pure, so the
//! rules are the same wherever they run; the server counts each run against the
//! daily quota (`server::studio::tools`).

use super::text_enum::text_enum;
use super::{Currency, Money, Slug, ValidationError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

text_enum!(
    /// A tool implementation a tool entry can be bound to.
    BuiltinTool {
        SlugGenerator = "slug-generator" / "Slug generator",
        ContrastChecker = "contrast-checker" / "Contrast checker",
        InvoiceGenerator = "invoice-generator" / "Invoice generator",
    }
);

/// The quota a person has for one tool on one Jakarta day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub limit: u32,
    pub used: u32,
}

impl Quota {
    pub fn remaining(self) -> u32 {
        self.limit.saturating_sub(self.used)
    }
}

/// A member's use of one tool: today, this month (Jakarta days), and per day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolUsage {
    /// The tool page's address segment (`/tools/{slug}`, `/api/tools/{slug}/use`).
    pub slug: String,
    pub title: String,
    pub tool: BuiltinTool,
    pub today: u32,
    pub month: u32,
    /// Runs a day.
    pub limit: u32,
    /// The last 30 days, oldest first, today last.
    pub history: Vec<u32>,
}

/// Every tool's usage for one member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageSummary {
    /// Today in Jakarta, `YYYY-MM-DD`.
    pub day: String,
    /// When today's counts start again (Unix seconds).
    pub resets_at: i64,
    pub tools: Vec<ToolUsage>,
}

/// How many days of history the dashboard shows.
pub const HISTORY_DAYS: usize = 30;

// ---------------------------------------------------------------------------
// Slug generator

/// "Hello, Wörld!" -> "hello-world".
pub fn generate_slug(text: &str) -> Result<String, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValidationError::new("Enter a title or phrase to turn into a slug."));
    }
    if text.chars().count() > 1000 {
        return Err(ValidationError::new("Keep the text to 1,000 characters."));
    }
    Slug::from_title(text)
        .map(|s| s.as_str().to_owned())
        .map_err(|_| ValidationError::new("The text needs at least one letter or digit (accents are fine)."))
}

// ---------------------------------------------------------------------------
// Contrast checker

/// A colour as `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// "#1a2b3c", "1A2B3C", "#abc".
    pub fn parse(raw: &str, which: &str) -> Result<Self, ValidationError> {
        let hex = raw.trim().trim_start_matches('#');
        let bad = || ValidationError::new(format!("Enter the {which} colour as a hex code like #1A2B3C."));
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).map_err(|_| bad());
        match hex.len() {
            6 => Ok(Self(channel(&hex[0..2])?, channel(&hex[2..4])?, channel(&hex[4..6])?)),
            3 => {
                let d = |i: usize| channel(&hex[i..=i].repeat(2));
                Ok(Self(d(0)?, d(1)?, d(2)?))
            }
            _ => Err(bad()),
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// WCAG 2.2 relative luminance.
    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

fn ratio_of(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The contrast of a text colour on a background, against WCAG 2.2's levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contrast {
    pub foreground: String,
    pub background: String,
    /// Rounded to two decimals (the levels are judged on the exact value).
    pub ratio: f64,
    /// Normal text: AA needs 4.5:1, AAA 7:1.
    pub aa: bool,
    pub aaa: bool,
    /// Large text (24 px, or 18.66 px bold): AA needs 3:1, AAA 4.5:1.
    pub aa_large: bool,
    pub aaa_large: bool,
    /// When normal text fails AA: the nearest text colour that passes on this background.
    pub suggestion: Option<String>,
}

pub fn check_contrast(foreground: &str, background: &str) -> Result<Contrast, ValidationError> {
    let fg = Rgb::parse(foreground, "text")?;
    let bg = Rgb::parse(background, "background")?;
    let ratio = ratio_of(fg, bg);
    let suggestion = (ratio < 4.5).then(|| nearest_passing(fg, bg)).flatten().map(Rgb::hex);
    Ok(Contrast {
        foreground: fg.hex(),
        background: bg.hex(),
        ratio: (ratio * 100.0).round() / 100.0,
        aa: ratio >= 4.5,
        aaa: ratio >= 7.0,
        aa_large: ratio >= 3.0,
        aaa_large: ratio >= 4.5,
        suggestion,
    })
}

/// The page background (`--paper` in style/main.css) and the text on buttons
/// (`--accent-ink`): an accent colour is the colour of links on the one and of
/// buttons under the other.
pub const PAPER: Rgb = Rgb(0xfd, 0xfc, 0xfa);
pub const BUTTON_TEXT: Rgb = Rgb(0xff, 0xff, 0xff);
/// The accent of style/main.css (`--accent`), used until staff choose their own.
pub const DEFAULT_ACCENT: Rgb = Rgb(0xb4, 0x45, 0x1f);

/// An accent colour staff typed, if links on the page background and white text on
/// its buttons both reach WCAG AA (4.5:1); else why not, with the nearest colour that does.
pub fn accent_colour(raw: &str) -> Result<Rgb, ValidationError> {
    let accent = Rgb::parse(raw, "accent")?;
    // White is lighter than the paper: a colour that reaches 4.5:1 on the paper
    // reaches more under white text, so the paper decides the nearest passing colour.
    for (against, what) in [(BUTTON_TEXT, "white button text"), (PAPER, "the page background")] {
        let ratio = ratio_of(accent, against);
        if ratio < 4.5 {
            let nearest = nearest_passing(accent, PAPER).filter(|c| ratio_of(*c, BUTTON_TEXT) >= 4.5);
            return Err(ValidationError::new(format!(
                "The accent colour {} has a contrast of {:.2}:1 with {what}; WCAG AA needs 4.5:1.{}",
                accent.hex(),
                (ratio * 100.0).floor() / 100.0,
                nearest.map(|c| format!(" The nearest colour that passes is {}.", c.hex())).unwrap_or_default()
            )));
        }
    }
    Ok(accent)
}

impl Rgb {
    /// This colour a `share` of the way to white: the accent's soft tint for backgrounds.
    pub fn tint(self, share: f64) -> Rgb {
        self.mix(Rgb(255, 255, 255), share)
    }

    /// This colour a `share` of the way to black: the accent under the pointer.
    pub fn shade(self, share: f64) -> Rgb {
        self.mix(Rgb(0, 0, 0), share)
    }
}

/// The text colour closest to `fg`, darker or lighter, that reaches 4.5:1 on `bg`.
fn nearest_passing(fg: Rgb, bg: Rgb) -> Option<Rgb> {
    let toward = |target: Rgb| -> Option<(f64, Rgb)> {
        if ratio_of(target, bg) < 4.5 {
            return None;
        }
        let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
        for _ in 0..24 {
            let mid = (lo + hi) / 2.0;
            if ratio_of(fg.mix(target, mid), bg) >= 4.5 {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some((hi, fg.mix(target, hi)))
    };
    match (toward(Rgb(0, 0, 0)), toward(Rgb(255, 255, 255))) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    }
}

// ---------------------------------------------------------------------------
// Invoice generator

/// An invoice as the API takes it: amounts in the currency's smallest unit
/// (rupiah; cents for USD), the tax rate in percent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceRequest {
    pub from: String,
    pub to: String,
    pub number: String,
    /// `YYYY-MM-DD`; empty: today.
    pub date: String,
    /// `YYYY-MM-DD`; optional.
    pub due: String,
    /// `IDR` or `USD`.
    pub currency: String,
    pub tax_percent: f64,
    pub notes: String,
    pub items: Vec<InvoiceItemRequest>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InvoiceItemRequest {
    pub description: String,
    pub quantity: u32,
    pub unit_price: i64,
}

/// How many item rows the form offers (the API takes up to [`MAX_ITEMS`]).
pub const FORM_ITEM_ROWS: usize = 5;
pub const MAX_ITEMS: usize = 50;

/// An invoice, checked and totalled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    pub from: String,
    pub to: String,
    pub number: String,
    pub date: String,
    pub due: Option<String>,
    pub currency: Currency,
    /// Hundredths of a percent: 11 % is 1100.
    pub tax_basis_points: i64,
    pub notes: String,
    pub items: Vec<InvoiceLine>,
    pub subtotal: Money,
    pub tax: Money,
    pub total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub amount: Money,
}

impl Invoice {
    /// `today` is `YYYY-MM-DD` in Jakarta, used when no date is given.
    pub fn parse(req: &InvoiceRequest, today: &str) -> Result<Self, ValidationError> {
        let block = |raw: &str, what: &str| -> Result<String, ValidationError> {
            let v = raw.trim().replace("\r\n", "\n");
            if v.is_empty() {
                return Err(ValidationError::new(format!("Enter who the invoice is {what}.")));
            }
            if v.chars().count() > 500 || v.lines().count() > 8 {
                return Err(ValidationError::new(format!(
                    "Keep who the invoice is {what} to 8 lines and 500 characters."
                )));
            }
            Ok(v)
        };
        let from = block(&req.from, "from")?;
        let to = block(&req.to, "to")?;
        let number = match req.number.trim() {
            "" => "1".to_owned(),
            n if n.chars().count() > 40 || n.chars().any(char::is_control) => {
                return Err(ValidationError::new("Keep the invoice number to 40 characters on one line."))
            }
            n => n.to_owned(),
        };
        let date = match req.date.trim() {
            "" => today.to_owned(),
            d => check_date(d, "invoice date")?,
        };
        let due = match req.due.trim() {
            "" => None,
            d => Some(check_date(d, "due date")?),
        };
        if due.as_deref().is_some_and(|d| d < date.as_str()) {
            return Err(ValidationError::new("The due date cannot be before the invoice date."));
        }
        let currency = Currency::parse(req.currency.trim().to_ascii_uppercase().as_str())
            .ok_or_else(|| ValidationError::new("Choose the currency: IDR or USD."))?;
        if !req.tax_percent.is_finite() || !(0.0..=100.0).contains(&req.tax_percent) {
            return Err(ValidationError::new("Enter the tax rate as a percentage from 0 to 100, like 11."));
        }
        let tax_basis_points = (req.tax_percent * 100.0).round() as i64;
        let notes = req.notes.trim().replace("\r\n", "\n");
        if notes.chars().count() > 1000 || notes.lines().count() > 12 {
            return Err(ValidationError::new("Keep the notes to 12 lines and 1,000 characters."));
        }
        if req.items.is_empty() {
            return Err(ValidationError::new("Add at least one line item with a description, quantity and price."));
        }
        if req.items.len() > MAX_ITEMS {
            return Err(ValidationError::new(format!("An invoice can have at most {MAX_ITEMS} line items.")));
        }
        let too_big = || ValidationError::new("The amounts are too large for one invoice.");
        let mut items = Vec::with_capacity(req.items.len());
        let mut subtotal: i64 = 0;
        for (i, item) in req.items.iter().enumerate() {
            let n = i + 1;
            let description = item.description.trim();
            if description.is_empty() || description.chars().count() > 200 || description.chars().any(char::is_control)
            {
                return Err(ValidationError::new(format!("Line {n}: describe the item in at most 200 characters.")));
            }
            if !(1..=1_000_000).contains(&item.quantity) {
                return Err(ValidationError::new(format!("Line {n}: the quantity must be from 1 to 1,000,000.")));
            }
            if !(0..=1_000_000_000_000).contains(&item.unit_price) {
                return Err(ValidationError::new(format!("Line {n}: the price must be from 0 to 1,000,000,000,000.")));
            }
            let amount = item.unit_price.checked_mul(i64::from(item.quantity)).ok_or_else(too_big)?;
            subtotal = subtotal.checked_add(amount).ok_or_else(too_big)?;
            items.push(InvoiceLine {
                description: description.to_owned(),
                quantity: item.quantity,
                unit_price: Money { minor: item.unit_price, currency },
                amount: Money { minor: amount, currency },
            });
        }
        // Rounded half up, in the smallest unit.
        let tax = i64::try_from((i128::from(subtotal) * i128::from(tax_basis_points) + 5_000) / 10_000)
            .map_err(|_| too_big())?;
        let total = subtotal.checked_add(tax).ok_or_else(too_big)?;
        Ok(Self {
            from,
            to,
            number,
            date,
            due,
            currency,
            tax_basis_points,
            notes,
            items,
            subtotal: Money { minor: subtotal, currency },
            tax: Money { minor: tax, currency },
            total: Money { minor: total, currency },
        })
    }

    /// "11%", "12.5%".
    pub fn tax_label(&self) -> String {
        let (whole, frac) = (self.tax_basis_points / 100, self.tax_basis_points % 100);
        if frac == 0 {
            format!("{whole}%")
        } else {
            format!("{}%", format!("{whole}.{frac:02}").trim_end_matches('0'))
        }
    }

    pub fn file_name(&self) -> String {
        let safe: String =
            self.number.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
        format!("invoice-{}.pdf", safe.trim_matches('-').to_ascii_lowercase()).replace("invoice-.pdf", "invoice.pdf")
    }
}

fn check_date(raw: &str, what: &str) -> Result<String, ValidationError> {
    super::time::parse_date(raw)
        .map(super::time::iso_date)
        .ok_or_else(|| ValidationError::new(format!("Enter the {what} as YYYY-MM-DD.")))
}

/// The invoice form's fields (all text, as a browser sends them) as the API's request.
pub fn invoice_from_form(fields: &BTreeMap<String, String>) -> Result<InvoiceRequest, ValidationError> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let currency = Currency::parse(get("currency").trim())
        .ok_or_else(|| ValidationError::new("Choose the currency: IDR or USD."))?;
    let tax_raw = get("tax_percent");
    let tax_percent = match tax_raw.trim().trim_end_matches('%').replace(',', ".").as_str() {
        "" => 0.0,
        t => t
            .parse::<f64>()
            .map_err(|_| ValidationError::new("Enter the tax rate as a percentage from 0 to 100, like 11."))?,
    };
    let mut items = Vec::new();
    for n in 1..=MAX_ITEMS {
        let (d, q, p) = (get(&format!("description_{n}")), get(&format!("quantity_{n}")), get(&format!("price_{n}")));
        if d.trim().is_empty() && p.trim().is_empty() {
            continue;
        }
        let quantity = match q.trim() {
            "" => 1,
            q => q
                .parse::<u32>()
                .map_err(|_| ValidationError::new(format!("Line {n}: enter the quantity as a whole number.")))?,
        };
        let unit_price = Money::parse(&p, currency).map_err(|e| ValidationError::new(format!("Line {n}: {e}")))?.minor;
        items.push(InvoiceItemRequest { description: d, quantity, unit_price });
    }
    Ok(InvoiceRequest {
        from: get("from"),
        to: get("to"),
        number: get("number"),
        date: get("date"),
        due: get("due"),
        currency: currency.code().to_owned(),
        tax_percent,
        notes: get("notes"),
        items,
    })
}

// ---------------------------------------------------------------------------
// What a page shows after a run without JavaScript

/// The outcome of the last run, kept for the page the browser is sent back to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolOutcome {
    pub result: Result<ToolResult, ToolRefusal>,
    /// What was typed, to fill the form again.
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToolResult {
    Slug { slug: String, remaining: u32 },
    Contrast { contrast: Contrast, remaining: u32 },
}

/// Why a run did not happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ToolRefusal {
    /// The input was wrong; nothing was counted.
    Invalid(String),
    /// The day's runs are spent.
    QuotaSpent { limit: u32, signed_in: bool, resets_at: i64 },
    /// Something failed on our side; nothing was counted.
    Failed,
}

/// When the day's quota starts again: the next 00:00 in Jakarta.
pub fn quota_resets_at(now: i64) -> i64 {
    super::time::jakarta_day_start(super::time::jakarta_day(now) + 1)
}

/// "2026-11-24T00:00:00+07:00": a moment in Jakarta time, for the API.
pub fn jakarta_rfc3339(unix: i64) -> String {
    format!("{}+07:00", super::time::datetime_local(unix + super::time::JAKARTA_OFFSET_SECS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn black_on_white_is_twenty_one_to_one() {
        let c = check_contrast("#000000", "#FFFFFF").unwrap();
        assert!(accent_colour("#b4451f").is_ok() && accent_colour("#1d4ed8").is_ok());
        let pale = accent_colour("#7cc4ff").unwrap_err().0;
        assert!(pale.starts_with("The accent colour #7CC4FF has a contrast of 1.87:1"), "{pale}");
        assert!(pale.contains("with white button text; WCAG AA needs 4.5:1."), "{pale}");
        let nearest = pale.rsplit("passes is ").next().unwrap().trim_end_matches('.');
        let passing = accent_colour(nearest).unwrap();
        assert!(ratio_of(passing, PAPER) >= 4.5 && ratio_of(passing, PAPER) < 4.6, "nearest, not any: {nearest}");
        assert_eq!(accent_colour("orange").unwrap_err().0, "Enter the accent colour as a hex code like #1A2B3C.");
        assert_eq!(c.ratio, 21.0);
        assert!(c.aa && c.aaa && c.aa_large && c.aaa_large);
        assert_eq!(c.suggestion, None);
    }

    #[test]
    fn known_pairs_have_their_published_ratios() {
        // #777 on white is the classic near miss (4.48:1).
        let c = check_contrast("#777", "#fff").unwrap();
        assert_eq!(c.ratio, 4.48);
        assert!(!c.aa && c.aa_large && !c.aaa);
        let suggested = c.suggestion.expect("a failing pair gets a suggestion");
        let s = check_contrast(&suggested, "#fff").unwrap();
        assert!(s.aa, "{suggested} should pass AA");
        assert!(s.ratio < 4.7, "{suggested} should be the nearest passing colour, not black");
        assert_eq!(check_contrast("#1A2B3C", "#1a2b3c").unwrap().ratio, 1.0);
    }

    #[test]
    fn bad_colours_are_refused_by_name() {
        assert_eq!(check_contrast("red", "#fff").unwrap_err().0, "Enter the text colour as a hex code like #1A2B3C.");
        assert!(check_contrast("#fff", "#12345").unwrap_err().0.contains("background"));
        assert!(check_contrast("#ééé", "#fff").is_err());
    }

    #[test]
    fn slugs_come_from_any_text() {
        assert_eq!(generate_slug("Hello, Wörld!").unwrap(), "hello-world");
        assert!(generate_slug("   ").is_err());
        assert!(generate_slug("!!!").is_err());
    }

    fn item(description: &str, quantity: u32, unit_price: i64) -> InvoiceItemRequest {
        InvoiceItemRequest { description: description.into(), quantity, unit_price }
    }

    #[test]
    fn an_invoice_adds_up_with_tax_rounded_in_the_smallest_unit() {
        let req = InvoiceRequest {
            from: "Atelier".into(),
            to: "Lumen Health".into(),
            number: "INV-7".into(),
            currency: "IDR".into(),
            tax_percent: 11.0,
            items: vec![item("Design", 3, 1_500_000), item("Hosting", 1, 99_999)],
            ..Default::default()
        };
        let inv = Invoice::parse(&req, "2026-11-23").unwrap();
        assert_eq!(inv.subtotal.minor, 4_599_999);
        assert_eq!(inv.tax.minor, 506_000); // 505,999.89 rounded
        assert_eq!(inv.total.minor, 5_105_999);
        assert_eq!(inv.date, "2026-11-23");
        assert_eq!(inv.tax_label(), "11%");
        assert_eq!(inv.file_name(), "invoice-inv-7.pdf");
    }

    #[test]
    fn invoice_mistakes_are_named() {
        let good = InvoiceRequest {
            from: "A".into(),
            to: "B".into(),
            currency: "USD".into(),
            items: vec![item("Work", 1, 100)],
            ..Default::default()
        };
        assert!(Invoice::parse(&good, "2026-11-23").is_ok());
        let err = |r: InvoiceRequest| Invoice::parse(&r, "2026-11-23").unwrap_err().0;
        assert_eq!(err(InvoiceRequest { to: " ".into(), ..good.clone() }), "Enter who the invoice is to.");
        assert!(err(InvoiceRequest { currency: "EUR".into(), ..good.clone() }).contains("IDR or USD"));
        assert!(err(InvoiceRequest { items: vec![], ..good.clone() }).contains("at least one line"));
        assert!(err(InvoiceRequest { items: vec![item("Work", 0, 1)], ..good.clone() }).starts_with("Line 1"));
        assert!(err(InvoiceRequest { tax_percent: 150.0, ..good.clone() }).contains("0 to 100"));
        assert!(err(InvoiceRequest { due: "2026-11-01".into(), date: "2026-11-20".into(), ..good.clone() })
            .contains("before"));
        assert!(err(InvoiceRequest { items: vec![item("Work", 1_000_000, 1_000_000_000_000); 50], ..good })
            .contains("too large"));
    }

    #[test]
    fn the_form_reads_like_the_api() {
        let fields: BTreeMap<String, String> = [
            ("from", "Atelier"),
            ("to", "Client"),
            ("currency", "USD"),
            ("tax_percent", "12,5%"),
            ("description_1", "Work"),
            ("quantity_1", "2"),
            ("price_1", "19.99"),
            ("description_3", "Support"),
            ("price_3", "5"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let req = invoice_from_form(&fields).unwrap();
        assert_eq!(req.tax_percent, 12.5);
        assert_eq!(req.items, vec![item("Work", 2, 1999), item("Support", 1, 500)]);
        let inv = Invoice::parse(&req, "2026-11-23").unwrap();
        assert_eq!(inv.total.to_string(), "US$ 50.60"); // $44.98 + 12.5 % tax ($5.6225, rounded to $5.62)
        assert_eq!(inv.tax_label(), "12.5%");
    }

    #[test]
    fn quotas_reset_at_midnight_in_jakarta() {
        // 2026-11-23 16:59:59 UTC is 23:59:59 in Jakarta; a second later the day turns.
        let before = 1_795_453_199; // 2026-11-23T16:59:59Z
        assert_eq!(jakarta_rfc3339(quota_resets_at(before)), "2026-11-24T00:00:00+07:00");
        assert_eq!(jakarta_rfc3339(quota_resets_at(before + 1)), "2026-11-25T00:00:00+07:00");
    }
}
