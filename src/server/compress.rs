//! Helpers for rendered pages kept and compressed whole (the page cache): which
//! encodings a browser accepts, reading a rendered page, brotli in one call.
//!
//! Measured on a 4.6 KB signed-in page (release, this crate's brotli 9.1): one-shot
//! brotli costs ~48 µs at quality 0 or 1 whatever the window, gzip level 1 ~25 µs
//! (miniz) — a fixed cost of setting up tables, not of the bytes. Pages rendered per
//! request keep tower-http's streaming compression at level 1, which costs the same.

use axum::body::{Body, Bytes};
use axum::http::{header, Response as HttpResponse, StatusCode};
use axum::response::{IntoResponse, Response};

/// Rendered pages are read whole at most this large (far above any page we render).
pub const MAX_RENDERED_BYTES: usize = 16 * 1024 * 1024;

/// Whether `accept_encoding` (an `Accept-Encoding` value) accepts `coding` (not with `q=0`).
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut it = part.split(';');
        it.next().is_some_and(|c| c.trim().eq_ignore_ascii_case(coding))
            && !it.any(|param| matches!(param.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
    })
}

/// Whether a response is an HTML page.
pub fn is_html<B>(res: &HttpResponse<B>) -> bool {
    res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// Reads a rendered page whole; a failure is logged and answered with the plain apology.
pub async fn read_whole(body: Body) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, MAX_RENDERED_BYTES).await.map_err(|err| {
        tracing::error!(error = %super::telemetry::chain(&err), "reading a rendered page failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again in a moment.")
            .into_response()
    })
}

/// `body` compressed with brotli at `quality`, its window fitted to its size.
pub fn brotli(body: &[u8], quality: i32) -> Vec<u8> {
    let params = brotli::enc::BrotliEncoderParams {
        quality,
        // The smallest window that holds the whole body (16 to 22 bits).
        lgwin: (usize::BITS - body.len().max(1).leading_zeros()).clamp(16, 22) as i32,
        size_hint: body.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(body.len() / 3 + 64);
    let mut input = body;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_refused_with_q0_are_not_accepted() {
        assert!(accepts("gzip, deflate, br", "br"));
        assert!(accepts("BR;q=0.5", "br"));
        assert!(!accepts("gzip;q=1.0, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(!accepts("", "gzip"));
    }

    #[test]
    fn a_page_compressed_in_one_call_decompresses_to_itself() {
        let page = "<p>A page of a studio's dashboard, with its orders and downloads.</p>".repeat(300);
        for quality in [1, 5, 9] {
            let compressed = brotli(page.as_bytes(), quality);
            assert!(compressed.len() < page.len() / 10, "quality {quality}: {} bytes", compressed.len());
            let mut plain = Vec::new();
            brotli::BrotliDecompress(&mut compressed.as_slice(), &mut plain).unwrap();
            assert_eq!(plain, page.as_bytes());
        }
        // Empty and tiny bodies too.
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut brotli(b"", 1).as_slice(), &mut plain).unwrap();
        assert!(plain.is_empty());
    }
}
