//! The one tokio runtime the core owns, and the two ways into it.
//!
//! Every async client call spawns its work here and awaits the task's handle. A tokio
//! `JoinHandle` is a plain future woken through its waker, so the caller may be any
//! executor — UniFFI's Kotlin coroutines and Swift tasks, a `futures` executor, another
//! tokio runtime — and reqwest always finds the reactor it needs. No "there is no reactor
//! running" panic can happen on the caller's thread.
//!
//! Started lazily on first use: multi-thread, two workers (a phone has no use for more to
//! wait on sockets), all drivers enabled. It lives for the process; nothing shuts it down.
//!
//! A caller that drops its future (a cancelled coroutine) does not cancel the spawned task:
//! it runs to its end, so a half-done sequence of vault writes is never cut in the middle.
//! A task that panics becomes [`ClientError::Internal`]; no panic crosses back.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Builder, Runtime};

use super::error::{ClientError, Result};

static RUNTIME: OnceLock<std::result::Result<Runtime, String>> = OnceLock::new();

/// Worker threads of the core runtime.
pub const WORKER_THREADS: usize = 2;

/// The core runtime, started on first call.
pub fn runtime() -> Result<&'static Runtime> {
    RUNTIME
        .get_or_init(|| {
            Builder::new_multi_thread()
                .worker_threads(WORKER_THREADS)
                .thread_name("twostep-core")
                .enable_all()
                .build()
                .map_err(|e| format!("the core runtime could not start: {e}"))
        })
        .as_ref()
        .map_err(|e| ClientError::Internal(e.clone()))
}

/// Runs `work` on the core runtime and awaits it from whatever executor polls this future.
pub async fn run<F, T>(work: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let handle = runtime()?.spawn(work);
    match handle.await {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(ClientError::Internal("a client task panicked".into())),
        Err(_) => Err(ClientError::Internal("a client task was cancelled".into())),
    }
}

/// Runs `work` on the core runtime and blocks the calling thread until it ends: for
/// synchronous callers (the desktop CLI, benchmarks). Must not be called from inside an
/// async task, where blocking would stall that task's executor.
pub fn block_on<F, T>(work: F) -> Result<T>
where
    F: Future<Output = Result<T>> + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    runtime()?.spawn(async move {
        // A receiver that gave up is not our concern; the work itself has finished.
        let _ = tx.send(work.await);
    });
    rx.recv().unwrap_or_else(|_| Err(ClientError::Internal("a client task panicked".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal executor with no tokio anywhere: polls on this thread, parks between wakes.
    fn poll_without_tokio<F: Future>(fut: F) -> F::Output {
        use std::sync::Arc;
        use std::task::{Context, Poll, Wake};
        struct Unpark(std::thread::Thread);
        impl Wake for Unpark {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }
        let waker = Arc::new(Unpark(std::thread::current())).into();
        let mut cx = Context::from_waker(&waker);
        let mut fut = std::pin::pin!(fut);
        loop {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return out;
            }
            std::thread::park();
        }
    }

    #[test]
    fn work_needing_a_reactor_can_be_awaited_from_a_foreign_executor() {
        let slept = poll_without_tokio(run(async {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            Ok(tokio::runtime::Handle::current().metrics().num_workers())
        }));
        assert_eq!(slept.unwrap(), WORKER_THREADS);
    }

    #[test]
    fn a_panicking_task_becomes_an_error() {
        let out: Result<()> = block_on(async { panic!("boom") });
        assert!(matches!(out, Err(ClientError::Internal(_))));
        // And the runtime still works afterwards.
        assert_eq!(block_on(async { Ok(7) }).unwrap(), 7);
    }
}
