//! A product file upload streams to storage: uploading 50 MB leaves the server's
//! memory flat. This test runs alone in its own process, so the resident memory
//! it reads is the upload's.

#[path = "api/helpers.rs"]
#[allow(dead_code)]
mod helpers;
#[path = "api/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use atelier::domain::products::{ProductForm, ProductInput};
use atelier::server::db::{catalog, DbError};
use futures::StreamExt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const SIZE: u64 = 50 * 1024 * 1024;
const CHUNK: usize = 256 * 1024;

/// This process's resident memory in bytes.
fn resident() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

#[tokio::test]
async fn a_50_mb_upload_streams_to_storage_with_flat_memory() {
    let app = helpers::spawn_app().await;
    let form = ProductForm {
        slug: "big-kit".into(),
        name: "Big kit".into(),
        kind: "digital".into(),
        status: "draft".into(),
        billing: "one_time".into(),
        price_idr: "99000".into(),
        delivery_kind: "email_file".into(),
        ..ProductForm::default()
    };
    let input = ProductInput::parse(&form).unwrap();
    let product = app
        .state
        .db
        .run(move |c| Ok::<_, DbError>(catalog::save(c, None, &input, &Default::default()).ok()))
        .await
        .unwrap()
        .unwrap();
    let staff = app.signed_in_staff().await;
    // Warm up: the first request of a process allocates what every later one reuses.
    app.upload_product_file(&staff, product, &[("label", "Warm-up")], "small.zip", vec![1; 1024]).await;

    let before = resident();
    let peak = Arc::new(AtomicU64::new(before));
    let sampler = {
        let peak = peak.clone();
        tokio::spawn(async move {
            loop {
                peak.fetch_max(resident(), Ordering::Relaxed);
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        })
    };
    // The body is made as it is sent: the client holds one chunk at a time too.
    let chunks = futures::stream::iter(0..SIZE / CHUNK as u64)
        .map(|i| Ok::<_, std::io::Error>(vec![(i % 251) as u8; CHUNK]))
        .boxed();
    let part =
        reqwest::multipart::Part::stream_with_length(reqwest::Body::wrap_stream(chunks), SIZE).file_name("big-kit.zip");
    let res = staff
        .post(app.url(&format!("/admin/products/{product}/files")))
        .header("Origin", &app.address)
        .multipart(reqwest::multipart::Form::new().text("label", "Big kit").part("file", part))
        .send()
        .await
        .unwrap();
    sampler.abort();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], format!("/admin/products/{product}?file_saved=1#files"));

    let stored: i64 = rusqlite::Connection::open(&app.db_path)
        .unwrap()
        .query_row("SELECT bytes FROM product_file_versions WHERE original_name = 'big-kit.zip'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored as u64, SIZE);
    let grew = peak.load(Ordering::Relaxed).saturating_sub(before);
    assert!(grew < 20 * 1024 * 1024, "resident memory grew by {} MB for a 50 MB upload", grew / (1024 * 1024));
}
