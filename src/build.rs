//! Build script (Cargo.toml's `build`): links the release server with identical
//! code folding. Leptos' views are generic, and many of their monomorphised copies
//! compile to the same machine code; gold's `--icf=all` keeps one of each, which
//! makes the server's code ~8 % smaller and its resident memory ~3 MB lower (the
//! kernel maps code in around each page it runs). Rust does not promise distinct
//! addresses for distinct functions, so folding them is sound. Debug and test
//! builds link as usual, and so does a machine without gold. rustc warns that gold
//! is deprecated; the toolchain's LLD (`rust-lld`, `--icf=all` too) was measured in
//! its place: `.text` 0.5 MB larger and ~4 MB more resident under the same load.

use std::env;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=src/build.rs");
    let release = env::var("PROFILE").is_ok_and(|p| p == "release");
    let linux = env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu" || t == "aarch64-unknown-linux-gnu");
    if release && linux && on_path("ld.gold") {
        println!("cargo::rustc-link-arg-bins=-fuse-ld=gold");
        println!("cargo::rustc-link-arg-bins=-Wl,--icf=all");
    }
}

fn on_path(program: &str) -> bool {
    env::var_os("PATH").is_some_and(|paths| env::split_paths(&paths).any(|dir| Path::new(&dir).join(program).is_file()))
}
