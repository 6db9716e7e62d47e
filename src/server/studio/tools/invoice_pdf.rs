//! The invoice tool's PDF (see `server::pdf` for the fonts and encoding).

use crate::domain::tools::Invoice;
use crate::domain::Lang;
use crate::server::i18n::t;
use crate::server::pdf::{self, wrap, Font, Page, MARGIN, PAGE_W, RIGHT as AMOUNT_RIGHT};

const REGULAR: Font = Font::Regular;
const BOLD: Font = Font::Bold;

/// Column edges of the item table: description from the margin, the numbers right-aligned at these.
const QTY_RIGHT: f32 = 370.0;
const PRICE_RIGHT: f32 = 455.0;
const DESCRIPTION_WIDTH: f32 = 290.0;

fn table_head(page: &mut Page, lang: Lang) {
    let y = page.y;
    page.text(MARGIN, y, BOLD, 9.0, &t(lang, "tool-invoice-description", &[]));
    page.right(QTY_RIGHT, y, BOLD, 9.0, &t(lang, "invoice-quantity", &[]));
    page.right(PRICE_RIGHT, y, BOLD, 9.0, &t(lang, "tool-invoice-unit-price", &[]));
    page.right(AMOUNT_RIGHT, y, BOLD, 9.0, &t(lang, "invoice-amount", &[]));
    page.rule(y - 6.0, 0.3);
    page.y -= 22.0;
}

/// The invoice as PDF bytes, its labels in `lang` (what was typed into it stays as typed).
pub fn render(invoice: &Invoice, lang: Lang) -> Vec<u8> {
    let mut pages: Vec<Page> = vec![Page::new()];
    let page = pages.last_mut().expect("one page");

    // Head: the title and the numbers on the left, who it is from on the right.
    let title = t(lang, "invoice-title", &[]);
    page.text(MARGIN, page.y - 18.0, BOLD, 24.0, &title);
    let mut y = page.y - 44.0;
    for (label, value) in [
        ("tool-invoice-number-short", Some(invoice.number.as_str())),
        ("tool-date", Some(invoice.date.as_str())),
        ("invoice-due", invoice.due.as_deref()),
    ] {
        if let Some(value) = value {
            page.text(MARGIN, y, BOLD, 9.0, &t(lang, label, &[]));
            page.text(MARGIN + 60.0, y, REGULAR, 9.0, value);
            y -= 14.0;
        }
    }
    let mut from_y = page.y - 4.0;
    for line in invoice.from.lines().flat_map(|l| wrap(l, 200.0, 9.0)) {
        page.right(AMOUNT_RIGHT, from_y, REGULAR, 9.0, &line);
        from_y -= 12.0;
    }
    page.y = y.min(from_y) - 18.0;
    page.text(MARGIN, page.y, BOLD, 9.0, &t(lang, "invoice-bill-to", &[]));
    page.y -= 14.0;
    for line in invoice.to.lines().flat_map(|l| wrap(l, 300.0, 10.0)) {
        let y = page.y;
        page.text(MARGIN, y, REGULAR, 10.0, &line);
        page.y -= 13.0;
    }
    page.y -= 20.0;
    table_head(page, lang);

    for item in &invoice.items {
        let lines = wrap(&item.description, DESCRIPTION_WIDTH, 10.0);
        let height = lines.len() as f32 * 13.0 + 8.0;
        if pages.last().expect("a page").y - height < MARGIN + 40.0 {
            let mut next = Page::new();
            table_head(&mut next, lang);
            pages.push(next);
        }
        let page = pages.last_mut().expect("a page");
        let y = page.y;
        page.right(QTY_RIGHT, y, REGULAR, 10.0, &item.quantity.to_string());
        page.right(PRICE_RIGHT, y, REGULAR, 10.0, &item.unit_price.to_string());
        page.right(AMOUNT_RIGHT, y, REGULAR, 10.0, &item.amount.to_string());
        for (i, line) in lines.iter().enumerate() {
            page.text(MARGIN, y - i as f32 * 13.0, REGULAR, 10.0, line);
        }
        page.y -= height;
    }

    // Totals, then notes: kept together on the last page, or on a new one.
    let notes: Vec<String> = invoice.notes.lines().flat_map(|l| wrap(l, PAGE_W - 2.0 * MARGIN, 9.0)).collect();
    let needed = 80.0 + if notes.is_empty() { 0.0 } else { 24.0 + notes.len() as f32 * 12.0 };
    if pages.last().expect("a page").y - needed < MARGIN {
        pages.push(Page::new());
    }
    let page = pages.last_mut().expect("a page");
    page.rule(page.y + 8.0, 0.6);
    page.y -= 10.0;
    for (label, value, font) in [
        (t(lang, "tool-invoice-subtotal", &[]), invoice.subtotal.to_string(), REGULAR),
        (t(lang, "tool-invoice-tax", &[("rate", &invoice.tax_label())]), invoice.tax.to_string(), REGULAR),
        (t(lang, "tool-invoice-total", &[("currency", invoice.currency.code())]), invoice.total.to_string(), BOLD),
    ] {
        let y = page.y;
        page.right(PRICE_RIGHT, y, font, 10.0, &label);
        page.right(AMOUNT_RIGHT, y, font, 10.0, &value);
        page.y -= 16.0;
    }
    if !notes.is_empty() {
        page.y -= 14.0;
        let y = page.y;
        page.text(MARGIN, y, BOLD, 9.0, &t(lang, "tool-invoice-notes", &[]));
        page.y -= 13.0;
        for line in &notes {
            let y = page.y;
            page.text(MARGIN, y, REGULAR, 9.0, line);
            page.y -= 12.0;
        }
    }

    pdf::write(&format!("{title} {}", invoice.number), "Atelier invoice generator", pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tools::{InvoiceItemRequest, InvoiceRequest};
    use crate::server::pdf::shown_text;

    fn invoice(items: usize) -> Invoice {
        let req = InvoiceRequest {
            from: "Atelier Studio\nJl. Sudirman 1, Jakarta".into(),
            to: "Lumen Health — Zoë Müller".into(),
            number: "INV-2026-0042".into(),
            currency: "IDR".into(),
            tax_percent: 11.0,
            notes: "Transfer to BCA 123-456-789.".into(),
            items: (0..items)
                .map(|i| InvoiceItemRequest {
                    description: format!("Design sprint week {} with a long description that has to wrap", i + 1),
                    quantity: 2,
                    unit_price: 1_500_000,
                })
                .collect(),
            ..Default::default()
        };
        Invoice::parse(&req, "2026-11-23").unwrap()
    }

    #[test]
    fn the_pdf_shows_the_parties_the_lines_and_the_totals() {
        let pdf = render(&invoice(2), Lang::En);
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));
        let text = shown_text(&pdf);
        for expected in [
            "Invoice",
            "INV-2026-0042",
            "Atelier Studio",
            "Bill to",
            "Rp 6.000.000",
            "Tax (11%)",
            "Rp 660.000",
            "Total (IDR)",
            "Rp 6.660.000",
            "Transfer to BCA",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        // Accented names survive in WinAnsi (decoded here as Latin-1).
        assert!(text.contains("Zoë Müller"), "{text}");
    }

    #[test]
    fn long_invoices_continue_on_more_pages() {
        let pdf = render(&invoice(50), Lang::En);
        let text = shown_text(&pdf);
        assert!(text.contains("Page 1 of "), "{text}");
        assert!(text.contains("Page 2 of "), "{text}");
    }
}
