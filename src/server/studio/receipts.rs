//! Receipts: every paid order has one, numbered without gaps per year, as a PDF
//! attached to the confirmation mail and downloadable by its buyer
//! (`/dashboard/orders/{id}/receipt.pdf`) and by staff (`/admin/orders/{id}/receipt.pdf`).

use crate::domain::settings::StudioSettings;
use crate::domain::{Currency, Money};
use crate::server::db::{receipts, Db, DbError};
use crate::server::i18n::t;
use crate::server::pdf::{self, Font, Page, MARGIN, RIGHT};

pub use receipts::ReceiptData;

fn amount(r: &ReceiptData) -> String {
    let currency = Currency::parse(&r.currency).unwrap_or(Currency::Idr);
    Money { minor: r.amount, currency }.to_string()
}

pub fn file_name(r: &ReceiptData) -> String {
    format!("receipt-{}.pdf", r.number)
}

/// The receipt as a PDF in the buyer's language, with the studio's logo above its name
/// when it has one.
pub fn render(studio: &StudioSettings, logo: Option<&pdf::Image>, r: &ReceiptData) -> Vec<u8> {
    let lang = r.lang;
    let say = |key: &str, args: &[(&'static str, &str)]| t(lang, key, args);
    let title = say("receipt-title", &[]);
    let mut page = Page::new();
    let top = page.y;
    if let Some(logo) = logo {
        page.logo(logo, LOGO_PT);
    }
    page.text(MARGIN, top - 18.0, Font::Bold, 24.0, &title);
    page.text(MARGIN, top - 44.0, Font::Bold, 10.0, &r.number);
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

    let rows: Vec<(String, String)> = [
        Some(("receipt-paid-by", format!("{} <{}>", r.buyer_name, r.buyer_email))),
        Some(("receipt-paid-on", lang.date_time(r.paid_at))),
        Some(("receipt-order", r.order_public_id.clone())),
        Some(("receipt-paid-with", r.gateway.label().to_owned())),
        r.gateway_ref.as_ref().map(|g| ("receipt-reference", g.clone())),
    ]
    .into_iter()
    .flatten()
    .map(|(key, value)| (say(key, &[]), value))
    .collect();
    for (label, value) in rows {
        let y = page.y;
        page.text(MARGIN, y, Font::Bold, 9.0, &label);
        page.text(MARGIN + 80.0, y, Font::Regular, 10.0, &value);
        page.y -= 16.0;
    }

    page.y -= 18.0;
    let y = page.y;
    page.text(MARGIN, y, Font::Bold, 9.0, &say("receipt-item", &[]));
    page.right(RIGHT, y, Font::Bold, 9.0, &say("receipt-amount", &[]));
    page.rule(y - 6.0, 0.3);
    page.y -= 22.0;
    let lines = pdf::wrap(&r.item, 330.0, 10.0);
    let y = page.y;
    page.right(RIGHT, y, Font::Regular, 10.0, &amount(r));
    for (i, line) in lines.iter().enumerate() {
        page.text(MARGIN, y - i as f32 * 13.0, Font::Regular, 10.0, line);
    }
    page.y -= lines.len() as f32 * 13.0;
    if let Some((start, end)) = r.period {
        let y = page.y;
        let (start, end) = (lang.date_time(start), lang.date_time(end));
        page.text(MARGIN, y, Font::Regular, 9.0, &say("receipt-period", &[("start", &start), ("end", &end)]));
        page.y -= 13.0;
    }
    page.y -= 8.0;
    page.rule(page.y + 6.0, 0.6);
    page.y -= 10.0;
    let y = page.y;
    page.right(RIGHT - 120.0, y, Font::Bold, 11.0, &say("receipt-total", &[("currency", &r.currency)]));
    page.right(RIGHT, y, Font::Bold, 11.0, &amount(r));
    if let Some(tax) = studio.included_tax(r.amount) {
        page.y -= 15.0;
        let currency = Currency::parse(&r.currency).unwrap_or(Currency::Idr);
        let (rate, tax) = (studio.tax_rate_label(), Money { minor: tax, currency }.to_string());
        page.right(RIGHT, page.y, Font::Regular, 9.0, &say("receipt-tax-included", &[("rate", &rate), ("tax", &tax)]));
    }
    page.y -= 40.0;
    let y = page.y;
    let issued = lang.date_time(r.issued_at);
    page.text(MARGIN, y, Font::Regular, 8.0, &say("receipt-issued", &[("at", &issued), ("studio", &studio.name)]));
    pdf::write_with(&format!("{title} {}", r.number), "Atelier", vec![page], logo)
}

/// The receipt of a paid order (by its public id), if there is one.
pub async fn for_order(db: &Db, public_id: String) -> Result<Option<ReceiptData>, DbError> {
    if public_id.len() > 64 {
        return Ok(None);
    }
    db.read(move |c| receipts::by_order(c, &public_id)).await
}

/// The receipt as a PDF file: its name and bytes.
pub fn pdf_file(studio: &StudioSettings, logo: Option<&pdf::Image>, r: &ReceiptData) -> (String, Vec<u8>) {
    (file_name(r), render(studio, logo, r))
}

/// The receipt as a mail attachment.
pub fn attachment(
    studio: &StudioSettings,
    logo: Option<&pdf::Image>,
    r: &ReceiptData,
) -> crate::server::mail::Attachment {
    crate::server::mail::Attachment::new(file_name(r), "application/pdf", &render(studio, logo, r))
}

/// How high the logo prints above the studio's name on receipts and invoices (points).
pub const LOGO_PT: f32 = 28.0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::orders::Gateway;

    #[test]
    fn a_receipt_names_the_studio_the_buyer_the_number_and_the_amount() {
        let studio = StudioSettings {
            name: "Atelier".into(),
            legal_name: "Atelier Studio".into(),
            address: vec!["Jl. Sudirman 1".into(), "Jakarta 10220".into()],
            tax_id: "01.234.567.8-901.000".into(),
            tax_rate_bp: 1100,
            ..StudioSettings::default()
        };
        let r = ReceiptData {
            number: "ATL-2026-000042".into(),
            issued_at: 1_795_453_199,
            order_public_id: "ATL-20261123-ABC123".into(),
            user_id: 1,
            buyer_name: "Sari".into(),
            buyer_email: "sari@example.com".into(),
            item: "Pipeline (Pro plan)".into(),
            amount: 150_000,
            currency: "IDR".into(),
            gateway: Gateway::Midtrans,
            gateway_ref: Some("mt-998877".into()),
            paid_at: 1_795_453_199,
            period: Some((1_795_453_199, 1_798_131_599)),
            lang: crate::domain::Lang::En,
        };
        let text = pdf::shown_text(&render(&studio, None, &r));
        for expected in [
            "Receipt",
            "ATL-2026-000042",
            "Atelier Studio",
            "Jakarta 10220",
            "Tax id (NPWP): 01.234.567.8-901.000",
            "Sari <sari@example.com>",
            "23 November 2026 at 23:59 WIB",
            "Midtrans",
            "mt-998877",
            "Pipeline (Pro plan)",
            "Rp 150.000",
            "Total paid (IDR)",
            "Includes PPN 11 %: Rp 14.865",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        // The same receipt for a buyer who reads Indonesian.
        let text = pdf::shown_text(&render(&studio, None, &ReceiptData { lang: crate::domain::Lang::Id, ..r }));
        for expected in [
            "Kuitansi",
            "NPWP: 01.234.567.8-901.000",
            "Dibayar oleh",
            "23 November 2026 pukul 23.59 WIB",
            "Total dibayar (IDR)",
            "Termasuk PPN 11 %: Rp 14.865",
            "Simpan untuk arsip Anda.",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        for english in ["Receipt", "Paid by", "Total paid", "Keep it for your records"] {
            assert!(!text.contains(english), "{english:?} in {text}");
        }
    }
}
