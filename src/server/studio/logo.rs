//! The studio's logo: checked by decoding it (PNG, WebP or JPEG, never by its name),
//! re-encoded as a PNG for the header, mail and PDFs, with the square icons browsers
//! and home screens ask for drawn from it; stored with the settings in one transaction.

pub use crate::domain::settings::LogoRefusal;
use crate::domain::settings::StudioSettings;
use crate::server::config::Config;
use crate::server::db::{self, DbError};
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, RgbaImage};
use rusqlite::Connection;
use sha2::{Digest, Sha256};
use std::io::Cursor;

/// The largest logo file staff can upload.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// The icons drawn from the logo: the favicon, the touch icon and the manifest's two.
pub const ICON_SIZES: [u32; 4] = [32, 180, 192, 512];
/// The logo as shown is at most this high (twice the header's height, for sharp screens).
const LOGO_HEIGHT: u32 = 160;
/// A logo larger than this on either side is refused (it is a logo, not a poster).
const MAX_SIDE: u32 = 4096;

/// A logo ready to store: its PNG, the icons and the version that names them.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub images: Vec<(String, &'static str, Vec<u8>)>,
    pub version: String,
}

/// Checks an uploaded logo and draws what is shown of it. CPU work: run it off the
/// async threads.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, LogoRefusal> {
    if bytes.is_empty() {
        return Err(LogoRefusal::Empty);
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoRefusal::TooLarge);
    }
    let format = match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP)) => format,
        _ if looks_like_svg(bytes) => return Err(LogoRefusal::Svg),
        _ => return Err(LogoRefusal::NotAnImage),
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let logo = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(_) => LogoRefusal::TooManyPixels,
        _ => LogoRefusal::Damaged,
    })?;
    if logo.width() < 16 || logo.height() < 16 {
        return Err(LogoRefusal::TooSmall);
    }
    let shown = if logo.height() > LOGO_HEIGHT {
        logo.resize(u32::MAX, LOGO_HEIGHT, FilterType::Lanczos3)
    } else {
        logo.clone()
    };
    let png = encode(&shown)?;
    let version = hex::encode(&Sha256::digest(&png)[..6]);
    let mut images = vec![("logo".to_owned(), "image/png", png)];
    for size in ICON_SIZES {
        images.push((format!("icon-{size}"), "image/png", encode(&DynamicImage::ImageRgba8(icon(&logo, size)))?));
    }
    Ok(Prepared { images, version })
}

/// The logo fitted inside a transparent square of `size` px, centred.
fn icon(logo: &DynamicImage, size: u32) -> RgbaImage {
    let fitted = logo.resize(size, size, FilterType::Lanczos3).to_rgba8();
    let mut square = RgbaImage::new(size, size);
    let (x, y) = ((size - fitted.width()) / 2, (size - fitted.height()) / 2);
    image::imageops::overlay(&mut square, &fitted, i64::from(x), i64::from(y));
    square
}

fn encode(image: &DynamicImage) -> Result<Vec<u8>, LogoRefusal> {
    let mut out = Vec::new();
    // Encoding an image decoded within the limits into memory cannot fail but for its pixels.
    image.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(|_| LogoRefusal::Damaged)?;
    Ok(out)
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    head.contains("<svg") || head.trim_start_matches('\u{feff}').trim_start().starts_with("<?xml")
}

/// Stores a prepared logo and its icons, and names its version in the settings
/// (audited); pages show it on the next request once the caches are emptied.
pub fn store(conn: &mut Connection, config: &Config, actor: i64, logo: &Prepared, now: i64) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    db::studio_images::replace_all(&tx, &logo.images, &logo.version, now)?;
    let settings = super::settings::load(&tx, config)?;
    set_logo(&tx, &settings, &logo.version)?;
    db::audit::record(&tx, Some(actor), "settings.logo", "studio", &format!("logo {}", logo.version))?;
    tx.commit()?;
    Ok(())
}

/// Removes the logo: the monogram stands in again.
pub fn remove(conn: &mut Connection, config: &Config, actor: i64, now: i64) -> Result<(), DbError> {
    let tx = conn.transaction()?;
    db::studio_images::replace_all(&tx, &[], "", now)?;
    let settings = super::settings::load(&tx, config)?;
    set_logo(&tx, &settings, "")?;
    db::audit::record(&tx, Some(actor), "settings.logo", "studio", "removed")?;
    tx.commit()?;
    Ok(())
}

fn set_logo(conn: &Connection, settings: &StudioSettings, version: &str) -> Result<(), DbError> {
    let settings = StudioSettings { logo: version.to_owned(), ..settings.clone() };
    db::settings::set(conn, super::settings::KEY, &serde_json::to_string(&settings)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = RgbaImage::from_fn(width, height, |x, _| image::Rgba([200, (x % 255) as u8, 40, 255]));
        encode(&DynamicImage::ImageRgba8(image)).unwrap()
    }

    #[test]
    fn a_logo_becomes_a_header_image_and_square_icons_of_each_size() {
        let prepared = prepare(&png(600, 200)).unwrap();
        let names: Vec<&str> = prepared.images.iter().map(|(n, ..)| n.as_str()).collect();
        assert_eq!(names, ["logo", "icon-32", "icon-180", "icon-192", "icon-512"]);
        let logo = image::load_from_memory(&prepared.images[0].2).unwrap();
        assert_eq!((logo.width(), logo.height()), (480, 160));
        for (i, size) in ICON_SIZES.iter().enumerate() {
            let icon = image::load_from_memory_with_format(&prepared.images[i + 1].2, ImageFormat::Png).unwrap();
            assert_eq!((icon.width(), icon.height()), (*size, *size));
        }
        assert_eq!(prepared.version.len(), 12);
    }

    #[test]
    fn anything_but_a_png_webp_or_jpeg_logo_is_refused_by_its_bytes() {
        let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
        assert_eq!(prepare(svg).unwrap_err(), LogoRefusal::Svg);
        let elf = [b"\x7fELF\x02\x01\x01".as_slice(), &[0; 64]].concat();
        assert_eq!(prepare(&elf).unwrap_err(), LogoRefusal::NotAnImage);
        let mut cut = png(64, 64);
        cut.truncate(cut.len() / 2);
        assert_eq!(prepare(&cut).unwrap_err(), LogoRefusal::Damaged);
        assert_eq!(prepare(&vec![0x89; MAX_LOGO_BYTES + 1]).unwrap_err(), LogoRefusal::TooLarge);
        assert_eq!(prepare(&png(8, 8)).unwrap_err(), LogoRefusal::TooSmall);
        assert_eq!(prepare(&png(5000, 20)).unwrap_err(), LogoRefusal::TooManyPixels);
        for refusal in LogoRefusal::ALL {
            assert_eq!(LogoRefusal::from_code(refusal.code()), Some(refusal));
        }
    }
}
