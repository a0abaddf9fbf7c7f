//! How many TOTP code checks per second the backend does on this machine, through the
//! server's own check function ([`twostep_server::codes::check_totp`]: the generator built
//! from the stored seed, the ±1 step window, constant-time comparison of all three
//! candidates, the replay rule).
//!
//! `cargo bench -p twostep-server --bench code_checks` runs the criterion benchmarks, then
//! prints the plain figure: `backend TOTP code checks: N per second`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use twostep_core::otp::Generator;
use twostep_core::secret::SecretBytes;
use twostep_server::codes::{TotpCheck, check_totp, check_totp_with, totp_params};

const NOW: u64 = 1_700_000_010;

fn seed() -> SecretBytes {
    SecretBytes::from_slice(&[0x5a; 20])
}

fn benches(c: &mut Criterion) {
    let seed = seed();
    let right = Generator::new(totp_params(), &seed).unwrap().code_at(NOW);
    let wrong = if right == "000000" { "111111".to_owned() } else { "000000".to_owned() };
    let last = Some(NOW / 30 - 5);

    let mut group = c.benchmark_group("code_checks");
    group.throughput(Throughput::Elements(1));
    group.bench_function("totp_wrong_code", |b| {
        b.iter(|| check_totp(black_box(&seed), black_box(&wrong), black_box(NOW), last))
    });
    group.bench_function("totp_right_code", |b| {
        b.iter(|| check_totp(black_box(&seed), black_box(&right), black_box(NOW), last))
    });
    let generator = Generator::new(totp_params(), &seed).unwrap();
    group.bench_function("totp_wrong_code_prebuilt_generator", |b| {
        b.iter(|| check_totp_with(black_box(&generator), black_box(&wrong), black_box(NOW), last))
    });
    group.finish();
}

/// Checks per second, measured plainly over about a second of wrong codes (the worst case
/// and the brute-force case: every candidate is computed and compared).
fn checks_per_second() -> f64 {
    let seed = seed();
    let mut checks = 0u64;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(1) {
        for i in 0..1000u64 {
            let r = check_totp(&seed, black_box("000000"), black_box(NOW + i), None);
            black_box(r == TotpCheck::Wrong);
        }
        checks += 1000;
    }
    checks as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    let rate = checks_per_second();
    println!("backend TOTP code checks: {rate:.0} per second (target >= 20000)");
}
