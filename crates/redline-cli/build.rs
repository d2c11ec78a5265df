//! Links `redline` on Linux as a position-dependent executable (`-no-pie`).
//!
//! A position-independent executable is relocated by the dynamic loader at every start: about
//! 23,000 relocations over 420 KB of tables (vtables, the shipped packs' phrase statics),
//! every one of those pages copied on write. That was about a third of the page faults of
//! `redline --version` and a sixth of those of the one-draft send gate. Linked at a fixed
//! address, the tables are read from the file as they are. The price is that the binary's
//! own code and data are not at a random address (ASLR still places the stack, heap and
//! shared libraries).
fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
