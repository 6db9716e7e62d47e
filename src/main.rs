//! The `atelier` binary: start-up only. See `startup::cli` for the commands.

/// The server allocates through jemalloc. Views are type-erased on the server
/// (`.cargo/config.toml`), which allocates for every element and attribute of a page:
/// under glibc's malloc a fresh 60-product catalog cost ~70 % more than unerased views;
/// under jemalloc ~20 % more, and the dashboard less than before (README, "Performance").
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its first allocation: two arenas for the two runtime
/// workers (blocking threads share them), and a background thread that hands pages
/// freed for a quarter of a second back to the system, off the request path (with
/// the default 10 s, or even 1 s, the buffers of compressing a page for the cache
/// stayed resident: 56–79 MB right after). `_RJEM_MALLOC_CONF` in the environment
/// adds to these.
#[cfg(feature = "ssr")]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 69] = b"background_thread:true,narenas:2,dirty_decay_ms:250,muzzy_decay_ms:0\0";

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    atelier::startup::cli::run(std::env::args().skip(1).collect())
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary; `cargo leptos` builds the server with `ssr`.
}
