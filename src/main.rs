//! The `atelier` binary: start-up only. See `startup::cli` for the commands.

/// The server allocates through jemalloc. Views are type-erased on the server
/// (`.cargo/config.toml`), which allocates for every element and attribute of a page:
/// under glibc's malloc a fresh 60-product catalog cost ~70 % more than unerased views;
/// under jemalloc ~20 % more, and the dashboard less than before (README, "Performance").
#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options (see [`atelier::startup::JEMALLOC_CONF`]), under the name it reads them by.
#[cfg(feature = "ssr")]
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 69] = atelier::startup::JEMALLOC_CONF;

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    atelier::startup::cli::run(std::env::args().skip(1).collect())
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary; `cargo leptos` builds the server with `ssr`.
}
