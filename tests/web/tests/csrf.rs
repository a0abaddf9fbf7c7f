//! Cross-site request forgery: a form on another origin, posted by the signed-in seller's own
//! browser (with its cookies), is refused and changes nothing.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::support::start;

/// A page on another origin (another port of 127.0.0.1: same site, so even `SameSite`
/// cookies go along) whose form posts "Require codes on all devices" to the seller's site.
struct OtherOrigin {
    url: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl OtherOrigin {
    fn start(target: &str) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let html = format!(
            "<!doctype html><html><body><form id=f method=post action=\"{target}/settings/require-codes\">\
             <input type=hidden name=csrf value=guessed></form><script>document.getElementById('f').submit()</script>\
             </body></html>"
        );
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(mut s) = stream else { continue };
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = write!(
                    s,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
                    html.len()
                );
            }
        });
        Self { url, stop, thread: Some(thread) }
    }
}

impl Drop for OtherOrigin {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = std::net::TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[tokio::test]
async fn a_form_posted_from_another_origin_is_refused() {
    let Some(run) = start().await else { return };
    let b = run.browser("main").await;
    run.password_step(&b, None).await;
    run.code_step(&b, true).await;
    assert_eq!(b.text("#trusted-count").await, "1 device doesn't ask for codes.");

    let attacker = OtherOrigin::start(&run.site.backend.url());
    b.goto(&attacker.url).await;
    let refused = b.wait_for_text("#error", "not sent from this site").await;
    assert!(refused.contains("nothing was done"), "{refused}");
    b.screenshot("csrf-refused").await;

    // Nothing changed: this browser is still trusted.
    b.goto(&format!("{}/settings", run.site.backend.url())).await;
    assert_eq!(b.text("#trusted-count").await, "1 device doesn't ask for codes.");
}
