//! `uniffi-bindgen`, pinned to the same UniFFI version as the library: generates the Kotlin
//! and Swift bindings from the built `libtwostep_ffi` (library mode). Built only with the
//! `cli` feature, so the library itself never carries the generator:
//!
//! ```sh
//! cargo build -p twostep-ffi --features cli --lib --bin uniffi-bindgen
//! target/debug/uniffi-bindgen generate target/debug/libtwostep_ffi.so \
//!     --language kotlin --no-format --config uniffi.toml --out-dir target/uniffi/kotlin
//! ```

#![forbid(unsafe_code)]

fn main() {
    uniffi::uniffi_bindgen_main()
}
