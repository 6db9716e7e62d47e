//! The `atelier` binary: start-up only. See `startup::cli` for the commands.

#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    atelier::startup::cli::run(std::env::args().skip(1).collect())
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary; `cargo leptos` builds the server with `ssr`.
}
