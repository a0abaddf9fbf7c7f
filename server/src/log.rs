//! Where the server's log lines go: standard error, unless the program that embeds the
//! server sends them elsewhere ([`set_sink`]) — `twostep demo` keeps them out of its story
//! and shows them only when a step went wrong. Lines never carry a secret.

use std::sync::{PoisonError, RwLock};

type Sink = Box<dyn Fn(&str) + Send + Sync>;

static SINK: RwLock<Option<Sink>> = RwLock::new(None);

/// Sends every later log line of this process's servers to `sink` instead of standard error.
pub fn set_sink(sink: impl Fn(&str) + Send + Sync + 'static) {
    *SINK.write().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(sink));
}

/// Writes one log line.
pub(crate) fn line(text: std::fmt::Arguments<'_>) {
    let text = format!("twostep-server: {text}");
    match SINK.read().unwrap_or_else(PoisonError::into_inner).as_ref() {
        Some(sink) => sink(&text),
        None => eprintln!("{text}"),
    }
}
