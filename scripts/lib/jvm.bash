# Shared by the JVM suites (scripts/kotlin-test, scripts/compose-test, scripts/robolectric-test):
# the one way to build the library, generate its Kotlin bindings and run a suite's Maven
# project. Sourced, not run: `source "$root/scripts/lib/jvm.bash"` after setting `root`.
#
# After jvm_build:  lib_dir       target/debug, holding libtwostep_ffi.so, uniffi-bindgen, twostep
#                   TWOSTEP_CLI   the `twostep` binary the tests start as the reference backend

target_dir="${CARGO_TARGET_DIR:-$root/target}"
case "$target_dir" in /*) ;; *) target_dir="$root/$target_dir" ;; esac
lib_dir="$target_dir/debug"

run() {
    echo "+ $*" >&2
    "$@"
}

# Builds libtwostep_ffi (debug: fast to build, panics unwind), the uniffi-bindgen generator and
# the `twostep` binary (`twostep serve` is the reference backend the tests start). Cargo skips
# what is up to date, so every suite calls this.
jvm_build() {
    echo "== JVM suites: build the library, uniffi-bindgen and twostep ==" >&2
    # One build gives both the cdylib and the generator (the `cli` feature only adds the binary).
    # `testing` adds the calls only the suites use (a deliberate panic, the dev outbox).
    run cargo build -p twostep-ffi --features cli,testing --lib --bin uniffi-bindgen
    run cargo build -p twostep --bin twostep
    export TWOSTEP_CLI="$lib_dir/twostep"
}

# jvm_bindings OUT_DIR [android|jvm] [LIBRARY]: generates the Kotlin bindings from the built
# library (LIBRARY, by default the debug one jvm_build made) into OUT_DIR. Library mode reads the interface from the library's metadata symbols (so it must not
# be stripped); --config is the repository's uniffi.toml. With `android`, a copy of that file
# with its `android = false` lines (one per binding crate) turned into `android = true` is used instead (as the
# Android build's uniffiAndroidConfig task does): the root file stays the one source of truth.
jvm_bindings() {
    local out="$1" flavour="${2:-jvm}" library="${3:-$lib_dir/libtwostep_ffi.so}" config="$root/uniffi.toml"
    if [[ "$flavour" == android ]]; then
        config="$target_dir/uniffi/uniffi-android.toml"
        mkdir -p "$(dirname "$config")"
        if [[ $(grep -cx 'android = false' "$root/uniffi.toml") -lt 1 ]]; then
            echo "error: uniffi.toml must have 'android = false' lines to turn into 'android = true'" >&2
            return 1
        fi
        sed 's/^android = false$/android = true/' "$root/uniffi.toml" >"$config"
    fi
    echo "== JVM suites: generate the $flavour bindings into $out ==" >&2
    rm -rf "$out"
    run "$lib_dir/uniffi-bindgen" generate "$library" \
        --language kotlin --no-format --config "$config" --out-dir "$out"
}

# jvm_suite POM BINDINGS_DIR [mvn arguments…]: runs the suite's tests. No -q: Surefire's
# "Tests run:" lines are what scripts/test and CI read.
jvm_suite() {
    local pom="$1" bindings="$2"
    shift 2
    # `clean` first: the bindings are generated afresh each run, and classes compiled from an
    # older generation (a type since moved to another package) must not shadow the new ones.
    run mvn -B --no-transfer-progress -f "$pom" clean test \
        -Dtwostep.bindings="$bindings" -Dtwostep.libdir="$lib_dir" "$@"
}
