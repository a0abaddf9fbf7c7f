//! The push round trip on loopback, as the user waits on it: the browser asks for a push (the
//! server creates and signs the challenge), the phone fetches it (signed device proof, server
//! check) and verifies the server's signature, the user approves (the phone signs the answer)
//! and the server verifies the answer. Real server, real SQLite, real HTTP, the core's client
//! on its own runtime — the sign-in with the password before each round is not timed.
//!
//! Criterion reports the median; the tail is what a user notices, so the same run also times
//! N round trips one by one and prints p50 and p99 (targets: p50 ≤ 1 ms, p99 ≤ 5 ms).
//! `PUSH_BENCH_N` sets N (default 1000).
//!
//! `cargo bench -p twostep-e2e --bench push_round_trip`

use std::time::{Duration, Instant};

use criterion::Criterion;
use twostep_core::client::{Client, SignInOutcome};
use twostep_core::protocol::Decision;
use twostep_core::protocol::endpoints::AnswerOutcome;
use twostep_e2e::{Backend, Device, PASSWORD, enroll};

/// The server allows 5 pushes per login per 10 minutes; moving the clock this far before
/// each round keeps every round under that limit without a second login.
const SPACING_SECS: u64 = 121;

struct Rig {
    backend: Backend,
    phone: Device,
    laptop: Device,
    runtime: tokio::runtime::Runtime,
}

impl Rig {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let backend = Backend::start();
        let phone = Device::phone(&backend);
        let laptop = Device::laptop(&backend);
        runtime.block_on(async {
            enroll(&backend, &phone, "bench@example.com").await;
            phone.client.register_device("bench-push-token").await.unwrap();
        });
        Self { backend, phone, laptop, runtime }
    }

    /// One round, timed from the push request to the server's acceptance of the approval.
    fn round(&self) -> Duration {
        let phases = self.round_phases();
        phases.iter().sum()
    }

    /// One round, each request timed: create (start_push), fetch + verify, sign + answer.
    fn round_phases(&self) -> [Duration; 3] {
        self.backend.advance(SPACING_SECS);
        self.runtime.block_on(async {
            let attempt = match self.laptop.client.sign_in("bench@example.com", PASSWORD).await.unwrap() {
                SignInOutcome::CodeRequired(c) => c.attempt_id,
                other => panic!("{other:?}"),
            };
            let (outcome, phases) = push_round_trip_phases(&self.laptop.client, &self.phone.client, &attempt).await;
            assert_eq!(outcome, AnswerOutcome::Approved);
            phases
        })
    }
}

/// The round trip, with the time of each of its three requests.
async fn push_round_trip_phases(laptop: &Client, phone: &Client, attempt: &str) -> (AnswerOutcome, [Duration; 3]) {
    let t0 = Instant::now();
    let started = laptop.start_push(attempt, false).await.unwrap();
    let t1 = Instant::now();
    let inbox = phone.check_for_requests().await.unwrap();
    let t2 = Instant::now();
    let request = inbox.requests.iter().find(|r| r.challenge_id == started.challenge_id).expect("the request shows");
    let outcome = phone.answer(&request.challenge_id, Decision::Approve, Some(started.number)).await.unwrap();
    let t3 = Instant::now();
    (outcome, [t1 - t0, t2 - t1, t3 - t2])
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    {
        let rig = Rig::new();
        let mut criterion = Criterion::default().configure_from_args();
        criterion.bench_function("push_round_trip", |b| {
            b.iter_custom(|iters| (0..iters).map(|_| rig.round()).sum());
        });
        criterion.final_summary();
    }

    // The percentiles come from a fresh server: each round leaves rows behind, and a run
    // should not depend on how many rounds criterion happened to make before it.
    let rig = Rig::new();

    // `cargo test --benches` runs this binary without `--bench`: keep that run short.
    let benching = std::env::args().any(|a| a == "--bench");
    let n: usize =
        std::env::var("PUSH_BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(if benching { 1000 } else { 20 });
    let rounds: Vec<[Duration; 3]> = (0..n).map(|_| rig.round_phases()).collect();
    let mut samples: Vec<Duration> = rounds.iter().map(|p| p.iter().sum()).collect();
    samples.sort();
    for (i, name) in ["create (start_push)", "fetch + verify", "sign + answer"].iter().enumerate() {
        let mut phase: Vec<Duration> = rounds.iter().map(|p| p[i]).collect();
        phase.sort();
        println!(
            "  {name:<20} p50 = {:.3} ms, p99 = {:.3} ms",
            ms(percentile(&phase, 50.0)),
            ms(percentile(&phase, 99.0))
        );
    }
    let (p50, p99) = (percentile(&samples, 50.0), percentile(&samples, 99.0));
    println!(
        "push round trip on loopback (create → fetch → verify → sign → server verify), {n} rounds: \
         p50 = {:.3} ms, p99 = {:.3} ms, max = {:.3} ms (targets: p50 ≤ 1 ms, p99 ≤ 5 ms: {})",
        ms(p50),
        ms(p99),
        ms(*samples.last().unwrap()),
        if p50 <= Duration::from_millis(1) && p99 <= Duration::from_millis(5) { "met" } else { "NOT met" },
    );
}
