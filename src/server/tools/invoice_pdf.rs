//! The invoice tool's PDF: one or more A4 pages in Helvetica (one of the PDF
//! standard fonts, so nothing is embedded and the file stays a few kilobytes).
//! Text is written in WinAnsi encoding: Latin letters with accents print as
//! typed; characters outside it print as "?".

use crate::domain::tools::Invoice;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Column edges of the item table: description from the margin, the numbers right-aligned at these.
const QTY_RIGHT: f32 = 370.0;
const PRICE_RIGHT: f32 = 455.0;
const AMOUNT_RIGHT: f32 = PAGE_W - MARGIN;
const DESCRIPTION_WIDTH: f32 = 290.0;

/// Helvetica's advance widths (1/1000 em) for ASCII 32..=126, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

fn text_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c as u32 {
            32..=126 => u32::from(HELVETICA[(c as usize) - 32]),
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// A character in Windows-1252 (WinAnsiEncoding), or `?`.
fn win_ansi(c: char) -> u8 {
    match c as u32 {
        0x20..=0x7E | 0xA0..=0xFF => c as u32 as u8,
        _ => match c {
            '€' => 0x80,
            '‚' => 0x82,
            '„' => 0x84,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '™' => 0x99,
            _ => b'?',
        },
    }
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().map(win_ansi).collect()
}

/// Breaks `text` into lines no wider than `width` (words longer than a line are cut).
fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if text_width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_owned();
            while text_width(&rest, size) > width {
                let mut cut = rest.len();
                while cut > 1 && text_width(&rest[..cut], size) > width {
                    cut = rest[..cut].char_indices().last().map_or(1, |(i, _)| i.max(1));
                }
                lines.push(rest[..cut].to_owned());
                rest = rest[cut..].to_owned();
            }
            line = rest;
        }
        lines.push(line);
    }
    lines
}

/// One page's content stream, written top to bottom.
struct PageWriter {
    content: Content,
    y: f32,
}

impl PageWriter {
    fn new() -> Self {
        Self { content: Content::new(), y: PAGE_H - MARGIN }
    }

    fn text(&mut self, x: f32, y: f32, font: Name<'static>, size: f32, text: &str) {
        self.content.begin_text();
        self.content.set_font(font, size);
        self.content.next_line(x, y);
        self.content.show(Str(&encode(text)));
        self.content.end_text();
    }

    fn right(&mut self, right: f32, y: f32, font: Name<'static>, size: f32, text: &str) {
        self.text(right - text_width(text, size), y, font, size, text);
    }

    fn rule(&mut self, y: f32, gray: f32) {
        self.content.set_stroke_gray(gray);
        self.content.set_line_width(0.6);
        self.content.move_to(MARGIN, y);
        self.content.line_to(PAGE_W - MARGIN, y);
        self.content.stroke();
    }

    fn table_head(&mut self) {
        let y = self.y;
        self.text(MARGIN, y, BOLD, 9.0, "Description");
        self.right(QTY_RIGHT, y, BOLD, 9.0, "Qty");
        self.right(PRICE_RIGHT, y, BOLD, 9.0, "Unit price");
        self.right(AMOUNT_RIGHT, y, BOLD, 9.0, "Amount");
        self.rule(y - 6.0, 0.3);
        self.y -= 22.0;
    }
}

/// The invoice as PDF bytes.
pub fn render(invoice: &Invoice) -> Vec<u8> {
    let mut pages: Vec<PageWriter> = vec![PageWriter::new()];
    let page = pages.last_mut().expect("one page");

    // Head: the title and the numbers on the left, who it is from on the right.
    page.text(MARGIN, page.y - 18.0, BOLD, 24.0, "Invoice");
    let mut y = page.y - 44.0;
    for (label, value) in [
        ("Number", Some(invoice.number.as_str())),
        ("Date", Some(invoice.date.as_str())),
        ("Due", invoice.due.as_deref()),
    ] {
        if let Some(value) = value {
            page.text(MARGIN, y, BOLD, 9.0, label);
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
    page.text(MARGIN, page.y, BOLD, 9.0, "Bill to");
    page.y -= 14.0;
    for line in invoice.to.lines().flat_map(|l| wrap(l, 300.0, 10.0)) {
        let y = page.y;
        page.text(MARGIN, y, REGULAR, 10.0, &line);
        page.y -= 13.0;
    }
    page.y -= 20.0;
    page.table_head();

    for item in &invoice.items {
        let lines = wrap(&item.description, DESCRIPTION_WIDTH, 10.0);
        let height = lines.len() as f32 * 13.0 + 8.0;
        if pages.last().expect("a page").y - height < MARGIN + 40.0 {
            let mut next = PageWriter::new();
            next.table_head();
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
        pages.push(PageWriter::new());
    }
    let page = pages.last_mut().expect("a page");
    page.rule(page.y + 8.0, 0.6);
    page.y -= 10.0;
    for (label, value, font) in [
        ("Subtotal".to_owned(), invoice.subtotal.to_string(), REGULAR),
        (format!("Tax ({})", invoice.tax_label()), invoice.tax.to_string(), REGULAR),
        (format!("Total ({})", invoice.currency.code()), invoice.total.to_string(), BOLD),
    ] {
        let y = page.y;
        page.right(PRICE_RIGHT, y, font, 10.0, &label);
        page.right(AMOUNT_RIGHT, y, font, 10.0, &value);
        page.y -= 16.0;
    }
    if !notes.is_empty() {
        page.y -= 14.0;
        let y = page.y;
        page.text(MARGIN, y, BOLD, 9.0, "Notes");
        page.y -= 13.0;
        for line in &notes {
            let y = page.y;
            page.text(MARGIN, y, REGULAR, 9.0, line);
            page.y -= 12.0;
        }
    }

    write_document(invoice, pages)
}

fn write_document(invoice: &Invoice, pages: Vec<PageWriter>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first_page = 6;
    let count = pages.len() as i32;
    let page_ref = |i: i32| Ref::new(first_page + 2 * i);
    let content_ref = |i: i32| Ref::new(first_page + 2 * i + 1);

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids((0..count).map(page_ref)).count(count);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    let title = format!("Invoice {}", invoice.number);
    pdf.document_info(info).title(TextStr(&title)).producer(TextStr("Atelier invoice generator"));

    let total_pages = pages.len();
    for (i, mut page) in pages.into_iter().enumerate() {
        if total_pages > 1 {
            let label = format!("Page {} of {total_pages}", i + 1);
            page.right(AMOUNT_RIGHT, MARGIN / 2.0, REGULAR, 8.0, &label);
        }
        let i = i as i32;
        let mut p = pdf.page(page_ref(i));
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        p.parent(tree);
        p.contents(content_ref(i));
        p.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
        p.finish();
        pdf.stream(content_ref(i), &page.content.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tools::{InvoiceItemRequest, InvoiceRequest};

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

    /// The text of every `Tj` in the file, decoded (content streams are not compressed).
    fn shown_text(pdf: &[u8]) -> String {
        let s = String::from_utf8_lossy(pdf);
        let decode = |operand: &str| -> String {
            if let Some(hex) = operand.strip_prefix('<').and_then(|o| o.strip_suffix('>')) {
                (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap() as char).collect()
            } else {
                let inner = operand.strip_prefix('(').and_then(|o| o.strip_suffix(')')).unwrap_or(operand);
                inner.replace("\\(", "(").replace("\\)", ")").replace("\\\\", "\\")
            }
        };
        s.lines().filter_map(|l| l.strip_suffix(" Tj")).map(decode).collect::<Vec<_>>().join("|")
    }

    #[test]
    fn the_pdf_shows_the_parties_the_lines_and_the_totals() {
        let pdf = render(&invoice(2));
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
        let pdf = render(&invoice(50));
        let text = shown_text(&pdf);
        assert!(text.contains("Page 1 of "), "{text}");
        assert!(text.contains("Page 2 of "), "{text}");
    }

    #[test]
    fn words_wrap_inside_the_column() {
        let lines = wrap("a very long description of the work that was done this month", 100.0, 10.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 100.0));
        assert_eq!(wrap("x".repeat(300).as_str(), 100.0, 10.0).concat(), "x".repeat(300));
    }
}
