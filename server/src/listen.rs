//! Accepting connections: the one place a client's socket is held, and so where slow and
//! idle clients are cut (slow-HTTP attacks: a request head sent a byte at a time, a body that
//! never arrives, sockets opened and left).
//!
//! axum's own `serve` has no deadline for a request head: a client that opens a socket and
//! never finishes its head would hold it, and a file descriptor, for ever. Here each
//! connection is served by hyper under [`ConnectionLimits`]:
//! - a connection on which no request starts (its head fully read) for `header_read` is
//!   closed (checked once per `header_read`, so after one to two of them: see `Activity`),
//!   which ends a head sent a byte at a time, a silent socket and an idle kept-alive one;
//! - every request must be read and answered within `request` (408 otherwise; see
//!   `request_deadline`), which bounds a body that trickles in;
//! - at most `max_open` connections are open at once: past it a new one is closed at once,
//!   so the process never runs out of descriptors and the ones it holds are served;
//! - a request head much longer than [`MAX_HEAD_BYTES`] is refused (`431`; hyper checks the
//!   size per read, so a head a little over it can still pass).
//!
//! Stopping closes the listener, lets requests in flight finish (kept-alive connections are
//! closed after their current answer), and gives up on what is left after a second.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::http::header::{CONNECTION, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot, watch};
use tower::ServiceExt;
use twostep_core::protocol::{ApiError, ErrorBody};

/// How long a client may take, and how many may be connected at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// With no new request (no head fully read) for this long, checked once per period, a
    /// connection is closed: after one to two periods.
    pub header_read: Duration,
    /// To send a whole request and have it answered.
    pub request: Duration,
    /// Connections open at once.
    pub max_open: usize,
}

impl Default for ConnectionLimits {
    /// A phone on a poor network sends a head in well under a second and a body in a few;
    /// ten and fifteen seconds leave room for the worst of them. 1,024 connections stay far
    /// below the descriptors a process gets (and a phone's client keeps one or two).
    fn default() -> Self {
        Self { header_read: Duration::from_secs(10), request: Duration::from_secs(15), max_open: 1024 }
    }
}

/// The largest request head (request line and headers) read: the API's are a few hundred
/// bytes, a browser's a few kilobytes.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

/// Serves `router` on `listener` until `stop` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    stop: oneshot::Receiver<()>,
) {
    let open = Arc::new(Semaphore::new(limits.max_open));
    let (closing, closed) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors, or a connection reset before it was accepted: the
                // listener is fine, so wait a moment rather than spin (as axum's serve does).
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let Ok(slot) = Arc::clone(&open).try_acquire_owned() else {
            // Full: closing at once costs the server nothing and tells the client to retry.
            drop(stream);
            continue;
        };
        // No Nagle delay: an answer written in more than one piece must not wait for the
        // client's ACK of the first.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut closed = closed.clone();
        tokio::spawn(async move {
            let _slot = slot;
            let activity = Arc::new(Activity::default());
            let counted = Arc::clone(&activity);
            let service = hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                // What `into_make_service_with_connect_info` would add: trust binds to it.
                request.extensions_mut().insert(ConnectInfo(peer));
                let answering = counted.started();
                let answer = router.clone().oneshot(request);
                async move {
                    let _answering = answering;
                    answer.await
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            // The guard `wait_for` returns is dropped inside: it must not live across an await.
            let stopping = async move {
                let _ = closed.wait_for(|closed| *closed).await;
            };
            tokio::select! {
                _ = connection.as_mut() => {}
                // Nothing asked for a whole deadline: the socket is dropped, and with it the
                // half-sent head or the silence.
                _ = activity.idle_for(limits.header_read) => {}
                _ = stopping => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    drop(listener);
    let _ = closing.send(true);
    // Wait for the connections to finish their answers, within reason.
    let all = u32::try_from(limits.max_open).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(1), open.acquire_many(all)).await;
}

/// What one connection is doing, for its watchdog: how many requests it has started (a head
/// fully read) and how many are being answered.
///
/// Why not hyper's own header-read deadline: it arms a timer for every request head, and the
/// timer pending while a kept-alive connection waits made every request on loopback three
/// times slower (a bare GET from 18 to about 70 µs at the median, `scripts/bench`). The
/// watchdog sleeps a whole deadline at a time instead, so a connection is cut after one to
/// two deadlines of no new request, at no cost per request.
#[derive(Default)]
struct Activity {
    started: AtomicU64,
    answering: AtomicU64,
}

/// Counts a request as being answered until dropped.
struct Answering(Arc<Activity>);

impl Drop for Answering {
    fn drop(&mut self) {
        self.0.answering.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Activity {
    fn started(self: &Arc<Self>) -> Answering {
        self.started.fetch_add(1, Ordering::Relaxed);
        self.answering.fetch_add(1, Ordering::Relaxed);
        Answering(Arc::clone(self))
    }

    /// Returns once a whole `deadline` passed with no new request and none being answered
    /// (a request being answered is bounded by `request_deadline` instead).
    async fn idle_for(&self, deadline: Duration) {
        let mut seen = self.started.load(Ordering::Relaxed);
        loop {
            tokio::time::sleep(deadline).await;
            let now = self.started.load(Ordering::Relaxed);
            if now == seen && self.answering.load(Ordering::Relaxed) == 0 {
                return;
            }
            seen = now;
        }
    }
}

/// Middleware: a request not read and answered within [`ConnectionLimits::request`] is
/// answered `408` and its connection closed, so a body sent a byte at a time cannot hold a
/// handler (or a hashing slot) for long.
pub(crate) async fn request_deadline(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            let body =
                ErrorBody { error: ApiError::invalid("body", "The request did not arrive in time. Send it again.") };
            let mut response = (StatusCode::REQUEST_TIMEOUT, axum::Json(body)).into_response();
            response.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}
