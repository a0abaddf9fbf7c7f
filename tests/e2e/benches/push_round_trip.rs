//! The push round trip on loopback, as the user waits on it: the browser asks for a push (the
//! server creates and signs the challenge), the phone fetches it (signed device proof, server
//! check) and verifies the server's signature, the user approves (the phone signs the answer)
//! and the server verifies the answer. Real server, real SQLite, real HTTP, the core's client
//! on its own runtime — the sign-in with the password before each round is not timed.
//!
//! Criterion reports the median; the tail is what a user notices, so the same run also times
//! N round trips one by one and prints p50 and p99 (targets: p50 ≤ 0.8 ms, p99 ≤ 3 ms), beside
//! the baseline of the same run: a bare keep-alive `GET /v1/time` to the same server over one
//! plain TCP connection (what HTTP on loopback costs before any work). `PUSH_BENCH_N` sets N
//! (default 1000). The last line, `bench-row|…`, is the row of `scripts/bench`'s table.
//!
//! `cargo bench -p twostep-e2e --bench push_round_trip`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use criterion::Criterion;
use twostep_core::client::{Client, SignInOutcome};
use twostep_core::protocol::Decision;
use twostep_core::protocol::endpoints::AnswerOutcome;
use twostep_core::protocol::paths;
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

/// The floor under every request of the round trip: one keep-alive HTTP/1.1 GET of the
/// server's time on an open connection, written and read by hand (no client library at all).
struct BareGet {
    reader: BufReader<TcpStream>,
    request: Vec<u8>,
}

impl BareGet {
    fn connect(backend: &Backend) -> Self {
        let addr = backend.url().trim_start_matches("http://").to_owned();
        let stream = TcpStream::connect(&addr).unwrap();
        stream.set_nodelay(true).unwrap();
        let request = format!("GET {} HTTP/1.1\r\nHost: {addr}\r\n\r\n", paths::TIME).into_bytes();
        Self { reader: BufReader::new(stream), request }
    }

    fn get(&mut self) -> Duration {
        let start = Instant::now();
        self.reader.get_mut().write_all(&self.request).unwrap();
        let (mut line, mut length) = (String::new(), 0usize);
        self.reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "the time endpoint answers: {line}");
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        start.elapsed()
    }
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
    let met = p50 <= Duration::from_micros(800) && p99 <= Duration::from_millis(3);

    let mut bare = BareGet::connect(&rig.backend);
    let mut gets: Vec<Duration> = (0..n.max(100)).map(|_| bare.get()).collect();
    gets.sort();
    let (get50, get99) = (percentile(&gets, 50.0), percentile(&gets, 99.0));

    println!(
        "push round trip on loopback (create → fetch → verify → sign → server verify), {n} rounds: \
         p50 = {:.3} ms, p99 = {:.3} ms, max = {:.3} ms; a bare keep-alive GET: p50 = {:.3} ms, \
         p99 = {:.3} ms (targets: p50 ≤ 0.8 ms, p99 ≤ 3 ms: {})",
        ms(p50),
        ms(p99),
        ms(*samples.last().unwrap()),
        ms(get50),
        ms(get99),
        if met { "met" } else { "NOT met" },
    );
    println!(
        "bench-row|push round trip (p50 / p99)|{:.3} / {:.3} ms|{:.3} / {:.3} ms (bare GET)|{:.1}x / {:.1}x|\
         <= 0.8 / 3 ms|{}",
        ms(p50),
        ms(p99),
        ms(get50),
        ms(get99),
        p50.as_secs_f64() / get50.as_secs_f64(),
        p99.as_secs_f64() / get99.as_secs_f64(),
        if met { "met" } else { "NOT met" },
    );
}
