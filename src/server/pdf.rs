//! PDF documents (the invoice tool's invoices, order receipts): A4 pages in
//! Helvetica, one of the PDF standard fonts, so nothing is embedded and a file is a
//! few kilobytes. Text is written in WinAnsi encoding: Latin letters with accents
//! print as typed; characters outside it print as "?".

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

pub const PAGE_W: f32 = 595.0;
pub const PAGE_H: f32 = 842.0;
pub const MARGIN: f32 = 56.0;
/// The right edge of the text.
pub const RIGHT: f32 = PAGE_W - MARGIN;

/// The two faces a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    fn name(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"F1"),
            Self::Bold => Name(b"F2"),
        }
    }
}

/// Helvetica's advance widths (1/1000 em) for ASCII 32..=126, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
    556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
    260, 334, 584,
];

/// How wide `text` is at `size` points.
pub fn text_width(text: &str, size: f32) -> f32 {
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
pub fn wrap(text: &str, width: f32, size: f32) -> Vec<String> {
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

/// An image to print (the studio's logo): its pixels as RGB and, when it has
/// transparency, its alpha, each compressed as PDF's FlateDecode reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

impl Image {
    /// The image in a PNG (as the server draws them); none if it cannot be read.
    pub fn from_png(png: &[u8]) -> Option<Self> {
        let decoded = image::load_from_memory_with_format(png, image::ImageFormat::Png).ok()?.to_rgba8();
        let (width, height) = decoded.dimensions();
        let (mut rgb, mut alpha) = (Vec::with_capacity(decoded.len() / 4 * 3), Vec::with_capacity(decoded.len() / 4));
        for pixel in decoded.pixels() {
            rgb.extend_from_slice(&pixel.0[..3]);
            alpha.push(pixel.0[3]);
        }
        let opaque = alpha.iter().all(|a| *a == 255);
        Some(Self { width, height, rgb: deflate(&rgb), alpha: (!opaque).then(|| deflate(&alpha)) })
    }

    /// The width it takes at `height` points, keeping its proportions.
    pub fn width_at(&self, height: f32) -> f32 {
        height * self.width as f32 / self.height.max(1) as f32
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// One page, written top to bottom: `y` is where the next line goes.
pub struct Page {
    content: Content,
    pub y: f32,
}

impl Default for Page {
    fn default() -> Self {
        Self::new()
    }
}

impl Page {
    pub fn new() -> Self {
        Self { content: Content::new(), y: PAGE_H - MARGIN }
    }

    pub fn text(&mut self, x: f32, y: f32, font: Font, size: f32, text: &str) {
        self.content.begin_text();
        self.content.set_font(font.name(), size);
        self.content.next_line(x, y);
        self.content.show(Str(&encode(text)));
        self.content.end_text();
    }

    /// Text ending at `right`.
    pub fn right(&mut self, right: f32, y: f32, font: Font, size: f32, text: &str) {
        self.text(right - text_width(text, size), y, font, size, text);
    }

    /// The document's image (see [`write_with`]) in the box from (`x`, `y`), `w` × `h` points.
    pub fn image(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.content.save_state();
        self.content.transform([w, 0.0, 0.0, h, x, y]);
        self.content.x_object(Name(b"Im1"));
        self.content.restore_state();
    }

    /// The document's image at the top right, in the top margin, `height` points high
    /// (narrower if it would be wider than 200): a letterhead's logo.
    pub fn logo(&mut self, image: &Image, height: f32) {
        let w = image.width_at(height).min(200.0);
        let h = w * height / image.width_at(height).max(0.01);
        self.image(RIGHT - w, PAGE_H - MARGIN + 8.0, w, h);
    }

    /// A line across the page at `y`, `gray` from 0 (black) to 1 (white).
    pub fn rule(&mut self, y: f32, gray: f32) {
        self.content.set_stroke_gray(gray);
        self.content.set_line_width(0.6);
        self.content.move_to(MARGIN, y);
        self.content.line_to(RIGHT, y);
        self.content.stroke();
    }
}

/// The document's bytes: its pages (numbered when there are several) and its title.
pub fn write(title: &str, producer: &str, pages: Vec<Page>) -> Vec<u8> {
    write_with(title, producer, pages, None)
}

/// [`write`], with an image the pages may show ([`Page::image`]).
pub fn write_with(title: &str, producer: &str, pages: Vec<Page>, image: Option<&Image>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, regular, bold, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    let first_page = 6;
    let count = pages.len() as i32;
    let page_ref = |i: i32| Ref::new(first_page + 2 * i);
    let content_ref = |i: i32| Ref::new(first_page + 2 * i + 1);
    let (image_ref, mask_ref) = (Ref::new(first_page + 2 * count), Ref::new(first_page + 2 * count + 1));
    if let Some(img) = image {
        let mut x = pdf.image_xobject(image_ref, &img.rgb);
        x.filter(pdf_writer::Filter::FlateDecode);
        x.width(img.width as i32);
        x.height(img.height as i32);
        x.color_space().device_rgb();
        x.bits_per_component(8);
        if img.alpha.is_some() {
            x.s_mask(mask_ref);
        }
        x.finish();
        if let Some(alpha) = &img.alpha {
            let mut mask = pdf.image_xobject(mask_ref, alpha);
            mask.filter(pdf_writer::Filter::FlateDecode);
            mask.width(img.width as i32);
            mask.height(img.height as i32);
            mask.color_space().device_gray();
            mask.bits_per_component(8);
        }
    }

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids((0..count).map(page_ref)).count(count);
    pdf.type1_font(regular).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(title)).producer(TextStr(producer));

    let total = pages.len();
    for (i, mut page) in pages.into_iter().enumerate() {
        if total > 1 {
            page.right(RIGHT, MARGIN / 2.0, Font::Regular, 8.0, &format!("Page {} of {total}", i + 1));
        }
        let i = i as i32;
        let mut p = pdf.page(page_ref(i));
        p.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        p.parent(tree);
        p.contents(content_ref(i));
        let mut resources = p.resources();
        resources.fonts().pair(Font::Regular.name(), regular).pair(Font::Bold.name(), bold);
        if image.is_some() {
            resources.x_objects().pair(Name(b"Im1"), image_ref);
        }
        resources.finish();
        p.finish();
        pdf.stream(content_ref(i), &page.content.finish());
    }
    pdf.finish()
}

/// The text a PDF written here shows, in order, `|`-separated (content streams are
/// not compressed). For tests, here and in `tests/`.
#[doc(hidden)]
pub fn shown_text(pdf: &[u8]) -> String {
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

/// A private PDF download (a receipt, an invoice) named `file_name`.
pub fn download(file_name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_inside_the_width() {
        let lines = wrap("a very long description of the work that was done this month", 100.0, 10.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 10.0) <= 100.0));
        assert_eq!(wrap("x".repeat(300).as_str(), 100.0, 10.0).concat(), "x".repeat(300));
    }

    #[test]
    fn accents_are_kept_and_other_scripts_become_question_marks() {
        let mut page = Page::new();
        page.text(MARGIN, 700.0, Font::Regular, 10.0, "Zoë — 漢");
        let pdf = write("t", "p", vec![page]);
        assert_eq!(shown_text(&pdf), "Zoë \u{97} ?");
    }
}
