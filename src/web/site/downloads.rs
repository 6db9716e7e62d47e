//! `GET /files/{token}`: private downloads, streamed from the storage folder
//! (never from `public/`), through expiring, count-limited links.

use crate::domain::delivery::validate_storage_path;
use crate::domain::html::TrustedHtml;
use crate::domain::product_files::content_disposition;
use crate::server::auth::client_ip;
use crate::server::db::deliveries::{DownloadStart, LinkRefusal};
use crate::server::db::Db;
use crate::server::db::{deliveries, orders, product_files, DbError};
use crate::server::telemetry::chain;
use crate::server::AppState;
use axum::body::Body;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::Response;
use http_body::{Frame, SizeHint};
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::ServiceExt;
use tower_http::services::ServeFile;

/// A small page for a link that cannot be used, with the way forward.
fn page(status: StatusCode, title: &str, text: &str) -> Response {
    crate::server::http::small_page(
        status,
        title,
        TrustedHtml::format(
            "<p role=\"alert\">{}</p><p><a href=\"/dashboard/downloads\">Get a fresh link from your dashboard</a></p>",
            &[text],
        ),
    )
}

pub async fn download(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    req: Request,
) -> Response {
    let ip = client_ip(req.headers(), Some(peer), &state.config.trusted_proxies);
    if !state.abuse_limiter.check("download", ip) {
        tracing::warn!(%ip, "download links rate limited");
        return page(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many downloads at once",
            "Please wait a minute, then use the link again.",
        );
    }
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return page(
            StatusCode::FORBIDDEN,
            "This link is not valid",
            "Check that you copied the whole link from the email.",
        );
    }
    let start = download_start(req.headers());
    let used = state.db.run(move |c| deliveries::use_download_link(c, &token, start)).await;
    let reserved = match used {
        Ok(Ok(reserved)) => reserved,
        Ok(Err(refusal)) => {
            let (status, title, text) = match refusal {
                LinkRefusal::Unknown => (
                    StatusCode::FORBIDDEN,
                    "This link is not valid",
                    "Check that you copied the whole link from the email.",
                ),
                LinkRefusal::Expired => {
                    (StatusCode::GONE, "This link has expired", "Download links work for 72 hours.")
                }
                LinkRefusal::UsedUp => {
                    (StatusCode::GONE, "This link is used up", "Each link works for a limited number of downloads.")
                }
                LinkRefusal::Revoked => (
                    StatusCode::FORBIDDEN,
                    "This download is no longer available",
                    "Access to this order was withdrawn: it was refunded, or its subscription ended.",
                ),
            };
            return page(status, title, text);
        }
        Err(err) => {
            tracing::error!(error = %chain(&err), "download link lookup failed");
            return page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, something went wrong",
                "Please try again in a moment.",
            );
        }
    };
    // From here on, every way out but a counted transfer sent to its end gives the download back.
    let give_back = GiveBack(reserved.counted.then(|| (state.db.clone(), reserved.link_id)));
    let (order_id, file_id) = (reserved.order_id, reserved.file_id);
    let file = state
        .db
        .read(move |c| -> Result<Option<product_files::StoredVersion>, DbError> {
            let Some(order) = orders::by_id(c, order_id)? else { return Ok(None) };
            product_files::current_for(c, order.product_id, file_id)
        })
        .await;
    let Some((relative, name)) =
        file.ok().flatten().and_then(|v| Some((validate_storage_path(&v.storage_path).ok()?, v.original_name)))
    else {
        tracing::error!(order_id, "download requested but the product has no valid file");
        return page(StatusCode::NOT_FOUND, "The file is missing", "We have been notified and will send it to you.");
    };
    // The path is validated (relative, no `..`); canonicalising proves it stays inside storage.
    let root = match std::fs::canonicalize(&state.config.storage_dir) {
        Ok(root) => root,
        Err(err) => {
            tracing::error!(error = %err, dir = %state.config.storage_dir.display(), "storage folder missing");
            return page(
                StatusCode::NOT_FOUND,
                "The file is missing",
                "We have been notified and will send it to you.",
            );
        }
    };
    let path = match std::fs::canonicalize(root.join(&relative)) {
        Ok(p) if p.starts_with(&root) => p,
        _ => {
            tracing::error!(file = %relative, "download file missing from storage");
            return page(
                StatusCode::NOT_FOUND,
                "The file is missing",
                "We have been notified and will send it to you.",
            );
        }
    };
    let head = req.method() == Method::HEAD;
    let mut req = req;
    if start == DownloadStart::Continuing {
        // A free continuation is the range asked for, never the whole file instead.
        req.headers_mut().remove(header::IF_RANGE);
    }
    let mut res = match ServeFile::new(&path).oneshot(req).await {
        // A counted download (the file, or a range, from its first byte) counts once its
        // body is sent to the end.
        Ok(res) if matches!(res.status(), StatusCode::OK | StatusCode::PARTIAL_CONTENT) && !head => {
            let length = res.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok());
            res.map(|body| Body::new(Counted { inner: Body::new(body), give_back, left: length }))
        }
        Ok(res) => res.map(Body::new),
        Err(err) => {
            tracing::error!(error = %err, "serving a download failed");
            return page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, something went wrong",
                "Please try again in a moment.",
            );
        }
    };
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&name)) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    res
}

/// Where a request starts in the file: a range from a byte past the first continues
/// a download; no range (or one that is not understood, or starts at 0) starts one.
fn download_start(headers: &axum::http::HeaderMap) -> DownloadStart {
    let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return DownloadStart::FirstByte;
    };
    let first = range.trim().strip_prefix("bytes=").and_then(|specs| specs.split(',').next()).map(str::trim);
    match first.and_then(|spec| spec.split_once('-')) {
        Some((from, _)) if from.parse::<u64>().is_ok_and(|from| from > 0) => DownloadStart::Continuing,
        // A suffix range (`bytes=-500`) is the file's end: a continuation too.
        Some(("", to)) if to.parse::<u64>().is_ok() => DownloadStart::Continuing,
        _ => DownloadStart::FirstByte,
    }
}

/// A reserved download, given back when dropped unless defused by a complete transfer.
struct GiveBack(Option<(Db, i64)>);

impl GiveBack {
    fn defuse(&mut self) {
        self.0 = None;
    }
}

impl Drop for GiveBack {
    fn drop(&mut self) {
        let Some((db, link_id)) = self.0.take() else { return };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        runtime.spawn(async move {
            if let Err(err) = db.run(move |c| deliveries::give_back_download(c, link_id)).await {
                tracing::warn!(error = %chain(&err), link_id, "could not give back an unfinished download");
            }
        });
    }
}

/// A file's body that counts its download once its last bytes are handed to the
/// connection. The connection stops asking for more once it has sent the
/// `Content-Length`, so the end is that length reached or the stream's end.
struct Counted {
    inner: Body,
    give_back: GiveBack,
    left: Option<u64>,
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(None) => this.give_back.defuse(),
            Poll::Ready(Some(Ok(frame))) => {
                let sent = frame.data_ref().map_or(0, |d| d.len() as u64);
                this.left = this.left.map(|left| left.saturating_sub(sent));
                if this.left == Some(0) || this.inner.is_end_stream() {
                    this.give_back.defuse();
                }
            }
            _ => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
