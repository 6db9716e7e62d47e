//! The `atelier` binary: start-up only. See `startup::cli` for the commands.

/// The server allocates through jemalloc. Views are type-erased on the server
/// (`.cargo/config.toml`), which allocates for every element and attribute of a page;
/// glibc's malloc made a fresh 60-product catalog ~70 % dearer than unerased views,
/// jemalloc renders it as cheaply as before and the dashboard ~20 % cheaper (README,
/// "Performance").
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read at its first allocation: two arenas for the two runtime
/// workers (blocking threads share them), and a background thread that hands pages
/// freed for a second back to the system, off the request path. `_RJEM_MALLOC_CONF`
/// in the environment adds to these.
#[cfg(feature = "ssr")]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 70] = b"background_thread:true,narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0\0";

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    atelier::startup::cli::run(std::env::args().skip(1).collect())
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary; `cargo leptos` builds the server with `ssr`.
}
