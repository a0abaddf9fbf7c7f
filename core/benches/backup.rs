//! A full encrypted backup and restore of a 10,000-entry vault, with the key derivation at
//! OWASP cost measured on its own, so the figures say what the format costs beyond the
//! password stretching a user waits for anyway.
//!
//! Baseline: one Argon2id derivation at OWASP cost (19 MiB, t=2, p=1), the floor of any
//! backup or restore. Run with `cargo bench -p twostep-core --bench backup`.

mod support;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion};
use twostep_core::backup;
use twostep_core::clock::SystemClock;
use twostep_core::otp::{Algorithm, Credential, Params};
use twostep_core::secret::SecretBytes;
use twostep_core::vault::{KdfParams, Vault};

const ENTRIES: usize = 10_000;
const PASSWORD: &str = "correct horse battery staple";
/// Argon2's smallest cost: stands in for "no key derivation" when measuring the rest.
const MINIMAL: KdfParams = KdfParams { memory_kib: 8, iterations: 1, parallelism: 1 };

/// Realistic entries: names of ordinary length, 20-byte secrets, a few HOTP ones.
fn credentials(n: usize) -> Vec<Credential> {
    (0..n)
        .map(|i| Credential {
            issuer: format!("Service {i}"),
            account: format!("user{i}@example.com"),
            params: if i % 10 == 0 {
                Params::hotp(Algorithm::Sha1, 6, i as u64)
            } else {
                Params::totp(Algorithm::Sha1, 6, 30)
            },
            secret: SecretBytes::new((0..20u8).map(|b| b.wrapping_add(i as u8) ^ (i >> 8) as u8).collect()),
        })
        .collect()
}

fn new_vault(dir: &Path, name: &str) -> Vault {
    Vault::create(&dir.join(name), &support::InMemoryKeyStore, Arc::new(SystemClock)).unwrap()
}

fn argon2id(params: KdfParams) -> [u8; 64] {
    let p = argon2::Params::new(params.memory_kib, params.iterations, params.parallelism, Some(64)).unwrap();
    let mut out = [0u8; 64];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, p)
        .hash_password_into(PASSWORD.as_bytes(), b"sixteen byte salt", &mut out)
        .unwrap();
    out
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut full = new_vault(dir.path(), "full.db");
    full.add_all(&credentials(ENTRIES)).unwrap();
    let cheap_bytes = backup::write(&full, PASSWORD, MINIMAL).unwrap();
    let owasp_bytes = backup::write(&full, PASSWORD, KdfParams::OWASP).unwrap();
    println!("a {ENTRIES}-entry backup is {} bytes", owasp_bytes.len());

    let mut group = c.benchmark_group("backup");
    group.sample_size(10);
    group.bench_function("Argon2id at OWASP cost (baseline)", |b| b.iter(|| black_box(argon2id(KdfParams::OWASP))));
    group.bench_function("write 10,000 entries, minimal KDF", |b| {
        b.iter(|| black_box(backup::write(&full, PASSWORD, MINIMAL).unwrap()))
    });
    group.bench_function("read 10,000 entries, minimal KDF", |b| {
        b.iter(|| black_box(backup::read(&cheap_bytes, PASSWORD).unwrap()))
    });
    let mut round = 0u32;
    group.bench_function("restore 10,000 into an empty vault, minimal KDF", |b| {
        b.iter_batched(
            || {
                round += 1;
                new_vault(dir.path(), &format!("empty-{round}.db"))
            },
            |mut vault| black_box(backup::restore(&mut vault, &cheap_bytes, PASSWORD).unwrap().added.len()),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("restore 10,000 into a vault holding them all, minimal KDF", |b| {
        b.iter(|| black_box(backup::restore(&mut full, &cheap_bytes, PASSWORD).unwrap().duplicates.len()))
    });
    group.bench_function("full backup at OWASP cost", |b| {
        b.iter(|| black_box(backup::write(&full, PASSWORD, KdfParams::OWASP).unwrap()))
    });
    group.bench_function("full restore at OWASP cost", |b| {
        b.iter_batched(
            || {
                round += 1;
                new_vault(dir.path(), &format!("owasp-{round}.db"))
            },
            |mut vault| black_box(backup::restore(&mut vault, &owasp_bytes, PASSWORD).unwrap().added.len()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Criterion's median for a benchmark of the backup group.
fn median_ns(id: &str) -> Option<f64> {
    support::median_ns(&format!("backup/{id}"))
}

fn report() {
    let kdf = median_ns("Argon2id at OWASP cost (baseline)");
    // (label, benchmark, includes the OWASP key derivation, target)
    let rows = [
        ("write, minimal KDF", "write 10,000 entries, minimal KDF", false, "<= 100 ms"),
        ("read, minimal KDF", "read 10,000 entries, minimal KDF", false, "<= 100 ms"),
        ("restore into empty, minimal KDF", "restore 10,000 into an empty vault, minimal KDF", false, "<= 1 s"),
        (
            "restore, all duplicates, min. KDF",
            "restore 10,000 into a vault holding them all, minimal KDF",
            false,
            "<= 200 ms",
        ),
        ("full backup, OWASP", "full backup at OWASP cost", true, "<= KDF + 100 ms"),
        ("full restore, OWASP", "full restore at OWASP cost", true, "<= KDF + 1 s"),
    ];
    println!(
        "\nFigures (median), {ENTRIES} entries; baseline Argon2id at OWASP cost = {}",
        kdf.map_or("?".into(), support::show)
    );
    for (label, id, with_kdf, target) in rows {
        let Some(ns) = median_ns(&criterion_id(id)) else {
            println!("  {label:<36} not measured in this run");
            continue;
        };
        let rest = match (with_kdf, kdf) {
            (true, Some(k)) => {
                let beyond = (ns - k).max(0.0);
                format!("{} beyond the KDF, {}/entry", support::show(beyond), support::show(beyond / ENTRIES as f64))
            }
            (true, None) => "?".to_owned(),
            (false, _) => format!("{}/entry", support::show(ns / ENTRIES as f64)),
        };
        println!("  {label:<36} {:>10}  ({rest})   target {target}", support::show(ns));
    }
}

/// Criterion's folder name for a benchmark id (commas and spaces kept, slashes replaced).
fn criterion_id(id: &str) -> String {
    id.replace('/', "_")
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    report();
}
