//! Link settings of the shipping shared library: its dynamic relocations packed.
//!
//! A Rust cdylib is position-independent, and every pointer in its read-only data (vtables,
//! string slices, static tables) needs a relative relocation at load: about 390 KB of
//! `.rela.dyn` at 24 bytes each. Packed, they take a few KB, and the loader applies them faster.
//! glibc 2.36+ reads the packed form (DT_RELR, written by `-z pack-relative-relocs`, binutils
//! 2.38+ or lld); Android reads its own packing from API 23 (the apps' minSdk is 24).

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    match (os.as_str(), env.as_str()) {
        ("linux", "gnu") => println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs"),
        ("android", _) => println!("cargo:rustc-cdylib-link-arg=-Wl,--pack-dyn-relocs=android"),
        _ => {}
    }
}
