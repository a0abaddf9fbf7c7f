// Included by core/build.rs and cli/build.rs: tells the tests whether the shared real-export
// test data is here, so a test that needs it is counted as ignored (not passed) in a plain
// clone, and fails under CI.
//
// `../shared/testdata/authenticator-exports` beside the workspace present: nothing is set and
// every test runs. Absent: `testdata_absent` is set, and the tests that read it carry
// `#[cfg_attr(testdata_absent, ignore = …)]`; but with `CI=true` it is never set, so those
// tests run and fail, naming the missing file. (After adding the folder to a clone that built
// without it, touching the crate's build.rs lets this look again.)

fn testdata_cfg() {
    println!("cargo::rustc-check-cfg=cfg(testdata_absent)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=../tests/build-support/testdata.rs");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let dir = std::path::Path::new(&manifest).join("../../shared/testdata/authenticator-exports");
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    if dir.is_dir() {
        println!("cargo::rerun-if-changed={}", dir.display());
    } else if !ci {
        println!("cargo::rustc-cfg=testdata_absent");
    }
}
