//! Speed of what a user waits for: one code, a screen refresh, opening and importing a large
//! vault. Each figure is printed beside its baseline from the same run and its target, once
//! for a reader and once as a `bench-row|…` line for `scripts/bench`'s table.
//!
//! Baselines: totp-rs's own `generate` on a prebuilt generator (one code, and 1,000 of them
//! for a refresh), and reading and decrypting the same rows with rusqlite and ring directly
//! (opening). Run with `cargo bench -p twostep-core --bench vault`.

mod support;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
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

fn totp_rs(secret: &[u8]) -> totp_rs::Totp {
    totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_secret(secret)
        .build_noncompliant()
}

/// The floor of opening: every row of the vault read with rusqlite and its secret decrypted
/// with ring, nothing else (no validation, no generators, no ordering). The bench key store
/// "wraps" by copying, so the stored wrapped key is the data key itself. The associated data
/// is the vault's own layout (every field of the entry), so each tag is really checked.
fn read_and_decrypt(path: &Path) -> usize {
    let conn = rusqlite::Connection::open(path).unwrap();
    let raw: Vec<u8> = conn.query_row("SELECT wrapped_key FROM vault_key WHERE id = 1", [], |r| r.get(0)).unwrap();
    let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &raw).unwrap());
    let mut stmt = conn
        .prepare(
            "SELECT id, issuer, account, kind, algorithm, digits, period, counter, sealed_secret, position, \
             created_at, updated_at FROM entries",
        )
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut opened = 0;
    while let Some(row) = rows.next().unwrap() {
        let texts: [String; 5] = std::array::from_fn(|i| row.get(i).unwrap());
        let digits: i64 = row.get(5).unwrap();
        let period: Option<i64> = row.get(6).unwrap();
        let counter: Option<i64> = row.get(7).unwrap();
        let mut sealed: Vec<u8> = row.get(8).unwrap();
        let _: (i64, i64, i64) = (row.get(9).unwrap(), row.get(10).unwrap(), row.get(11).unwrap());
        let mut ad = b"twostep/entry/fields/".to_vec();
        for text in &texts {
            ad.extend_from_slice(&(text.len() as u64).to_le_bytes());
            ad.extend_from_slice(text.as_bytes());
        }
        for n in [digits, period.unwrap_or(0), counter.unwrap_or(0)] {
            ad.extend_from_slice(&(n as u64).to_le_bytes());
        }
        let nonce = Nonce::try_assume_unique_for_key(&sealed[1..1 + NONCE_LEN]).unwrap();
        let plain = key.open_in_place(nonce, Aad::from(&ad), &mut sealed[1 + NONCE_LEN..]).unwrap();
        opened += black_box(plain.len()).min(1);
    }
    opened
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();

    let raw = totp_rs(b"12345678901234567890");
    c.bench_function("totp-rs generate (baseline)", |b| b.iter(|| black_box(raw.generate(black_box(T)))));

    let mut one = vault_with(dir.path(), "one.db", 1);
    let id = one.list()[0].id.clone();
    c.bench_function("one code from a vault entry", |b| {
        b.iter(|| black_box(one.code(black_box(&id), black_box(T)).unwrap()))
    });

    let raws: Vec<totp_rs::Totp> = credentials(1_000).iter().map(|c| totp_rs(c.secret.expose())).collect();
    c.bench_function("1,000 totp-rs generate (baseline)", |b| {
        b.iter(|| black_box(raws.iter().map(|g| g.generate(black_box(T))).collect::<Vec<_>>()))
    });
    let thousand = vault_with(dir.path(), "thousand.db", 1_000);
    c.bench_function("refresh 1,000 entries", |b| b.iter(|| black_box(thousand.codes(black_box(T)))));

    let ten_thousand = vault_with(dir.path(), "open.db", 10_000);
    let open_path = ten_thousand.path().to_owned();
    drop(ten_thousand);
    assert_eq!(read_and_decrypt(&open_path), 10_000, "the baseline opens every row");
    c.bench_function("read and decrypt 10,000 rows (baseline)", |b| b.iter(|| black_box(read_and_decrypt(&open_path))));
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

/// A target: at most this many times the baseline, or at most this many nanoseconds.
enum Target {
    Ratio(f64),
    Ns(f64),
}

fn report() {
    let rows = [
        ("one code from a vault entry", "totp-rs generate (baseline)", Target::Ratio(1.0), "<= 1.0x totp-rs"),
        ("refresh 1,000 entries", "1,000 totp-rs generate (baseline)", Target::Ns(250e3), "<= 250 µs"),
        ("open a 10,000-entry vault", "read and decrypt 10,000 rows (baseline)", Target::Ns(6e6), "<= 6 ms"),
    ];
    println!("\nFigures (median), each beside its baseline from this run:");
    for (id, base_id, target, target_text) in rows {
        let (ns, base) = (support::median_ns(id), support::median_ns(base_id));
        let show = |v: Option<f64>| v.map_or("?".into(), support::show);
        let ratio = match (ns, base) {
            (Some(ns), Some(b)) => format!("{:.2}x", ns / b),
            _ => "?".into(),
        };
        let met = match (ns, base, target) {
            (Some(ns), Some(b), Target::Ratio(r)) => Some(ns <= b * r),
            (Some(ns), _, Target::Ns(limit)) => Some(ns <= limit),
            _ => None,
        };
        println!(
            "  {id:<32} {:>12}  baseline {:>12} ({base_id})  {ratio:>7}  target {target_text}",
            show(ns),
            show(base)
        );
        support::table_row(id, show(ns), show(base), ratio, target_text, met);
    }
    if let Some(ns) = support::median_ns("import/import 10,000 entries") {
        println!("  {:<32} {:>12}  target <= 1 s", "import 10,000 entries", support::show(ns));
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    report();
}
