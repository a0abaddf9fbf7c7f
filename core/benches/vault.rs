//! Speed of what a user waits for: one code, a screen refresh, opening and importing a large
//! vault. Each figure is printed beside its baseline from the same run and its target.
//!
//! Baseline: totp-rs's own `generate` on a prebuilt generator (the floor for one code).
//! Run with `cargo bench -p twostep-core --bench vault`.

mod support;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion};
use twostep_core::clock::SystemClock;
use twostep_core::otp::{Algorithm, Credential, Params};
use twostep_core::secret::SecretBytes;
use twostep_core::vault::Vault;

const T: u64 = 1_700_000_000;

fn credentials(n: usize) -> Vec<Credential> {
    (0..n)
        .map(|i| Credential {
            issuer: format!("Service {i}"),
            account: format!("user{i}@example.com"),
            params: Params::totp(Algorithm::Sha1, 6, 30),
            secret: SecretBytes::new((0..20u8).map(|b| b.wrapping_add(i as u8)).collect()),
        })
        .collect()
}

fn vault_with(dir: &Path, name: &str, n: usize) -> Vault {
    let mut vault = Vault::create(&dir.join(name), &support::InMemoryKeyStore, Arc::new(SystemClock)).unwrap();
    vault.add_all(&credentials(n)).unwrap();
    vault
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();

    let raw = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(b"12345678901234567890".as_slice())
        .build_noncompliant();
    c.bench_function("totp-rs generate (baseline)", |b| b.iter(|| black_box(raw.generate(black_box(T)).to_string())));

    let mut one = vault_with(dir.path(), "one.db", 1);
    let id = one.list()[0].id.clone();
    c.bench_function("one code from a vault entry", |b| {
        b.iter(|| black_box(one.code(black_box(&id), black_box(T)).unwrap()))
    });

    let thousand = vault_with(dir.path(), "thousand.db", 1_000);
    c.bench_function("refresh 1,000 entries", |b| b.iter(|| black_box(thousand.codes(black_box(T)))));

    let ten_thousand = vault_with(dir.path(), "open.db", 10_000);
    let open_path = ten_thousand.path().to_owned();
    drop(ten_thousand);
    c.bench_function("open a 10,000-entry vault", |b| {
        b.iter(|| black_box(Vault::open(&open_path, &support::InMemoryKeyStore, Arc::new(SystemClock)).unwrap()))
    });

    let batch = credentials(10_000);
    let mut round = 0u32;
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("import 10,000 entries", |b| {
        b.iter_batched(
            || {
                round += 1;
                Vault::create(
                    &dir.path().join(format!("import-{round}.db")),
                    &support::InMemoryKeyStore,
                    Arc::new(SystemClock),
                )
                .unwrap()
            },
            |mut vault| black_box(vault.add_all(&batch).unwrap().len()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn report() {
    let base = support::median_ns("totp-rs generate (baseline)");
    let rows = [
        ("one code from a vault entry", "one code from a vault entry", "<= 1.2x baseline"),
        ("refresh 1,000 entries", "refresh 1,000 entries", "<= 1 ms"),
        ("open a 10,000-entry vault", "open a 10,000-entry vault", "<= 20 ms"),
        ("import 10,000 entries", "import/import 10,000 entries", "<= 1 s"),
    ];
    println!("\nFigures (median), baseline totp-rs generate = {}", base.map_or("?".into(), support::show));
    for (label, id, target) in rows {
        let Some(ns) = support::median_ns(id) else {
            println!("  {label:<32} not measured in this run");
            continue;
        };
        let ratio = base.map_or("?".into(), |b| format!("{:.2}x", ns / b));
        println!("  {label:<32} {:>12}  {ratio:>10} of baseline   target {target}", support::show(ns));
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    report();
}
