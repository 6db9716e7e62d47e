//! Orders paid by transfer (iPaymu): the QRIS code the order page shows
//! (served by `web::dashboard`).

use std::fmt::Write;

/// `data` as a QR code: one SVG path, a unit per module, runs of dark modules
/// joined, with the four-module quiet zone scanners need.
pub fn svg(data: &str) -> Option<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 8;
    let mut path = String::with_capacity(width * width * 4);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == qrcode::Color::Dark {
                let start = x;
                while x < width && row[x] == qrcode::Color::Dark {
                    x += 1;
                }
                let _ = write!(path, "M{} {}h{}v1h-{}z", start + 4, y + 4, x - start, x - start);
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##,
        px = size * 6,
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_qr_code_is_one_path_inside_a_quiet_zone() {
        let svg = super::svg("00020101021126570011ID.DANA.WWW011893600915").unwrap();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<path").count(), 1);
        // This payload fits a version-2 code, 25 modules wide; with the quiet zone, 33.
        assert!(svg.contains(r#"viewBox="0 0 33 33""#), "{svg}");
        // The finder pattern's top row: seven dark modules from the quiet zone's corner.
        assert!(svg.contains("M4 4h7v1h-7z"), "{svg}");
    }
}
