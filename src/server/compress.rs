//! Compression of the pages rendered per request (signed-in pages, a public page's
//! first view): gzip at level 1 with one deflate state per thread, reset between
//! pages instead of built anew.
//!
//! Measured on the 4.6 KB dashboard page: brotli 1 through tower-http cost ~32 µs plus
//! its stream plumbing and ~1 MB of buffers allocated and freed per page (which also
//! fragmented the heap); a reused zlib-rs deflate state costs ~16 µs for 2.5 KB against
//! brotli's 2.2 KB. Both fit the first round trip (TCP's initial window, ~14 KB), so the
//! difference in bytes costs a visitor nothing. Cached pages and static assets are
//! compressed once, smaller (see [`super::cache`]); everything else
//! (JSON, feeds) goes through tower-http's layer as before.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use flate2::{Compress, Compression, Crc, FlushCompress, Status};
use std::cell::RefCell;

/// A rendered page is read whole up to this (far above any page we render).
const MAX_RENDERED_BYTES: usize = 16 * 1024 * 1024;
/// Below this a page goes as it is: it fits one packet either way.
const MIN_COMPRESSED_BYTES: usize = 1024;

/// Whether an `Accept-Encoding` value accepts `coding` (and not with `q=0`).
pub fn accepts(accept_encoding: &str, coding: &str) -> bool {
    accept_encoding.split(',').any(|part| {
        let mut it = part.split(';');
        it.next().is_some_and(|c| c.trim().eq_ignore_ascii_case(coding))
            && !it.any(|param| matches!(param.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"))
    })
}

/// Where the start every rendered page shares ends: Leptos leaves this marker in the
/// head after the fixed part (the character set, the islands' loader script, the
/// stylesheet), before the page's own title and description.
const SHARED_START_END: &[u8] = b"<!--HEAD-->";
/// The marker is looked for this far into a page.
const SHARED_START_MAX: usize = 8 * 1024;

/// This thread's deflate state, and the shared start of the pages it compressed last.
struct Deflater {
    deflate: Compress,
    start: Vec<u8>,
    /// `start` deflated (at the best level, once), ending byte-aligned and not final,
    /// so a page's own deflate stream can follow it: one stream, as if deflated whole.
    start_deflated: Vec<u8>,
    /// The CRC-32 of `start`, which a page's CRC continues from.
    start_crc: Crc,
}

impl Deflater {
    /// Where `page`'s shared start ends, that start deflated, and its CRC: the last
    /// page's when `page` begins with it (a comparison of a few KB), else found by its
    /// end marker and deflated anew.
    fn shared_start(&mut self, page: &[u8]) -> Option<(usize, &[u8], &Crc)> {
        if self.start.is_empty() || !page.starts_with(&self.start) {
            let end = page[..page.len().min(SHARED_START_MAX)]
                .windows(SHARED_START_END.len())
                .position(|w| w == SHARED_START_END)?
                + SHARED_START_END.len();
            let start = &page[..end];
            let mut once = Compress::new(Compression::best(), false);
            let mut out = Vec::with_capacity(start.len() + 64);
            loop {
                let consumed = usize::try_from(once.total_in()).unwrap_or(start.len()).min(start.len());
                match once.compress_vec(&start[consumed..], &mut out, FlushCompress::Sync) {
                    Ok(_) if consumed == start.len() && out.len() < out.capacity() => break,
                    Ok(_) => out.reserve(out.capacity().max(4096)),
                    Err(err) => {
                        tracing::warn!(error = %err, "deflating the pages' shared start failed");
                        return None;
                    }
                }
            }
            self.start = start.to_vec();
            self.start_deflated = out;
            self.start_crc = Crc::new();
            self.start_crc.update(start);
        }
        Some((self.start.len(), &self.start_deflated, &self.start_crc))
    }
}

thread_local! {
    static DEFLATER: RefCell<Deflater> = RefCell::new(Deflater {
        deflate: Compress::new(Compression::fast(), false),
        start: Vec::new(),
        start_deflated: Vec::new(),
        start_crc: Crc::new(),
    });
}

/// `bytes` as a gzip member, compressed fast (level 1) with this thread's deflate
/// state; `None` if deflate refused (it never has: then the page goes uncompressed).
///
/// The start every page shares (~2.6 KB of a 4.6 KB dashboard page, most of it the
/// islands' loader script) is deflated once per thread and copied; only the rest is
/// deflated per page (README, "Performance").
pub fn gzip_fast(bytes: &[u8]) -> Option<Vec<u8>> {
    // The gzip header: magic, deflate, no flags, no time, "fastest", unknown OS.
    let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
    let mut crc = Crc::new();
    DEFLATER.with_borrow_mut(|deflater| {
        let rest = match deflater.shared_start(bytes) {
            Some((end, start, start_crc)) => {
                out.extend_from_slice(start);
                crc.combine(start_crc);
                &bytes[end..]
            }
            None => bytes,
        };
        let mut rest_crc = Crc::new();
        rest_crc.update(rest);
        crc.combine(&rest_crc);
        let deflate = &mut deflater.deflate;
        deflate.reset();
        loop {
            let consumed = usize::try_from(deflate.total_in()).unwrap_or(rest.len()).min(rest.len());
            match deflate.compress_vec(&rest[consumed..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => return Some(()),
                // Out of room: grow and go on.
                Ok(Status::Ok | Status::BufError) => out.reserve(out.capacity().max(4096)),
                Err(err) => {
                    tracing::warn!(error = %err, "deflating a page failed; it goes uncompressed");
                    deflate.reset();
                    return None;
                }
            }
        }
    })?;
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    Some(out)
}

/// A rendered page's body, whole (up to a bound far above any page we render); an
/// apology, with the cause logged, if it cannot be read.
pub async fn read_whole(body: Body) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, MAX_RENDERED_BYTES).await.map_err(|err| {
        tracing::error!(error = %super::telemetry::chain(&err), "reading a rendered page failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong on our side. Please try again in a moment.")
            .into_response()
    })
}

/// Whether a response is an HTML page.
pub fn is_html(res: &Response) -> bool {
    res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"))
}

/// Adds `name` to the response's `Vary` unless it is there (other parts of a page's
/// response vary it too: the home page by `accept-language`).
pub fn vary(headers: &mut axum::http::HeaderMap, name: &'static str) {
    let present = headers.get_all(header::VARY).iter().any(|v| v.to_str().is_ok_and(|v| v.contains(name)));
    if !present {
        headers.append(header::VARY, HeaderValue::from_static(name));
    }
}

/// Gzips HTML rendered for this request when the browser takes gzip; what is
/// already encoded (cached pages) and everything that is not HTML pass untouched.
pub async fn rendered_pages(req: Request, next: Next) -> Response {
    let gzip =
        req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(|v| accepts(v, "gzip"));
    let res = next.run(req).await;
    if !is_html(&res) || res.headers().contains_key(header::CONTENT_ENCODING) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    vary(&mut parts.headers, "accept-encoding");
    if !gzip {
        return Response::from_parts(parts, body);
    }
    let bytes = match read_whole(body).await {
        Ok(bytes) => bytes,
        Err(apology) => return apology,
    };
    if bytes.len() < MIN_COMPRESSED_BYTES {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let Some(gzipped) = gzip_fast(&bytes) else { return Response::from_parts(parts, Body::from(bytes)) };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    Response::from_parts(parts, Body::from(gzipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn gunzip(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("valid gzip");
        out
    }

    #[test]
    fn pages_with_a_shared_start_gzip_to_the_same_bytes() {
        let page = |head: &str, body: &str| {
            format!(
                "<!DOCTYPE html><head>{head}<script>{}</script><!--HEAD--><title>{body}</title></head><body>{}</body>",
                "let x = 1;".repeat(200),
                body.repeat(40)
            )
            .into_bytes()
        };
        let pages = [
            page("a", "Your dashboard"),
            page("a", "Your orders"),
            page("b", "Your orders"),
            page("a", ""),
            b"<!DOCTYPE html><!--HEAD-->".to_vec(),
            b"<!--HEAD-->".repeat(3),
            page("a", "Your profile"),
        ];
        for input in &pages {
            let gz = gzip_fast(input).expect("deflate takes any bytes");
            assert_eq!(gunzip(&gz), *input);
        }
        let (whole, shared) = (page("c", "Your dashboard"), gzip_fast(&pages[0]).unwrap());
        assert!(shared.len() < whole.len() / 5, "the shared start is compressed too");
    }

    #[test]
    fn pages_gzip_to_the_same_bytes_with_one_state_reused() {
        let page = "<p>Your dashboard</p>".repeat(300).into_bytes();
        let noise: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
        for input in [&page[..], &noise[..], b"", &page[..]] {
            let gz = gzip_fast(input).expect("deflate takes any bytes");
            assert_eq!(gunzip(&gz), input);
        }
        assert!(gzip_fast(&page).unwrap().len() < page.len() / 10, "repetitive HTML shrinks");
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("br, gzip", "gzip"));
        assert!(accepts("GZIP;q=0.5", "gzip"));
        assert!(!accepts("gzip;q=0, br", "gzip"));
        assert!(!accepts("identity", "gzip"));
        assert!(!accepts("", "gzip"));
    }
}
