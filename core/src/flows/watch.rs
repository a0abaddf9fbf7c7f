//! The state cell every flow keeps: the current state, the shell's [`Listener`], and a
//! generation number that retires background work when the seller moves on.
//!
//! Owns notifying: a listener hears a state only when it differs from the last one, so a
//! ticking loop that finds nothing new stays silent. Does not own what the states are.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::client::runtime;

/// Told each time a flow's state changes on its own or by an action.
pub trait Listener<S>: Send + Sync {
    fn changed(&self, state: S);
}

/// One flow's state, shared with the background work that updates it.
pub(crate) struct Cell<S> {
    state: Mutex<S>,
    listener: Mutex<Option<Arc<dyn Listener<S>>>>,
    generation: AtomicU64,
}

impl<S: Clone + PartialEq + Send + 'static> Cell<S> {
    pub(crate) fn new(initial: S) -> Arc<Self> {
        Arc::new(Self { state: Mutex::new(initial), listener: Mutex::new(None), generation: AtomicU64::new(0) })
    }

    pub(crate) fn get(&self) -> S {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the state and tells the listener when it changed; returns the new state.
    pub(crate) fn set(&self, next: S) -> S {
        let changed = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            let changed = *state != next;
            *state = next.clone();
            changed
        };
        if changed {
            let listener = self.listener.lock().unwrap_or_else(PoisonError::into_inner).clone();
            if let Some(l) = listener {
                l.changed(next.clone());
            }
        }
        next
    }

    /// Changes the state in place (under the lock), then notifies as [`Cell::set`] does.
    pub(crate) fn update(&self, change: impl FnOnce(&mut S)) -> S {
        let mut next = self.get();
        change(&mut next);
        self.set(next)
    }

    pub(crate) fn listen(&self, listener: Option<Arc<dyn Listener<S>>>) {
        *self.listener.lock().unwrap_or_else(PoisonError::into_inner) = listener;
    }

    /// Retires whatever background work is running and returns the new generation for the
    /// next one.
    pub(crate) fn next_generation(&self) -> u64 {
        self.generation.fetch_add(1, Ordering::SeqCst) + 1
    }

    pub(crate) fn is_current(&self, generation: u64) -> bool {
        self.generation.load(Ordering::SeqCst) == generation
    }
}

/// What one round of background work found.
pub(crate) enum Tick<S> {
    /// Nothing new; go on.
    Same,
    /// A new state; go on.
    Next(S),
    /// A final state; stop.
    Last(S),
    /// Stop without a change.
    Stop,
}

/// Runs `step` every `every` on the core's runtime until it says stop or a newer generation
/// retires it; a state it finds is applied only while its generation is current, so work
/// that was overtaken by the seller's own action never overwrites it. Work that cannot start
/// (no runtime) is simply not done: the shell's own actions still work.
pub(crate) fn repeat<S, F, Fut>(cell: &Arc<Cell<S>>, every: Duration, mut step: F)
where
    S: Clone + PartialEq + Send + 'static,
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Tick<S>> + Send,
{
    let generation = cell.next_generation();
    let cell = cell.clone();
    if let Ok(rt) = runtime::runtime() {
        rt.spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                if !cell.is_current(generation) {
                    break;
                }
                let tick = step().await;
                if !cell.is_current(generation) {
                    break;
                }
                match tick {
                    Tick::Same => {}
                    Tick::Next(s) => {
                        cell.set(s);
                    }
                    Tick::Last(s) => {
                        cell.set(s);
                        break;
                    }
                    Tick::Stop => break,
                }
            }
        });
    }
}
