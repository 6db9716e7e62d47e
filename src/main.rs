//! The `atelier` binary: start-up only. See `startup::cli` for the commands.

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    // glibc gives every thread that allocates concurrently its own arena (up to 8 per
    // core), and the blocking pool's threads come and go: the arenas' free memory stayed
    // resident (~47 MB after a load where 2 arenas hold ~35 MB). Two arenas suit two
    // runtime workers; blocking threads share them.
    // SAFETY: called first thing, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
    atelier::startup::cli::run(std::env::args().skip(1).collect())
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary; `cargo leptos` builds the server with `ssr`.
}
