//! The Chromium suite's fixtures: a real headless Chromium driven over WebDriver
//! (chromedriver), the real reference server on loopback ([`twostep_e2e::Backend`]), and the
//! seller's phone as the core's client.
//!
//! - [`webdriver`] — the few W3C WebDriver commands the suite uses, as JSON over reqwest;
//! - [`Chromium`] — finds `chromium` and `chromedriver`, starts a driver on a free loopback
//!   port for one test, and stops it (and every browser it started) when dropped;
//! - [`Site`] — the server, a seller enrolled with the authenticator app (primary) and SMS
//!   (backup) on a phone registered for push, and the ways in: directly on 127.0.0.1, or
//!   through [`OtherNetwork`], a forwarder that reaches the server from 127.0.0.2.
//!
//! Without Chromium the suite says SKIPPED loudly, and fails when `CI=true` (see [`Chromium::find`]).

pub mod webdriver;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use tempfile::TempDir;
use tokio::sync::{Mutex, MutexGuard};
use twostep_e2e::{Backend, Device, Enrolled, OTHER_NETWORK, enroll};

pub use webdriver::{Browser, Options};

/// The Chromium that Debian's `chromium` installs, and its driver from `chromium-driver`.
const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The browser the seller uses: Chromium on Linux, as its User-Agent says.
pub const USER_AGENT: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
/// The same browser after an update.
pub const USER_AGENT_UPDATED: &str =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/157.0.0.0 Safari/537.36";

/// One browser test at a time: two cores run one Chromium well and two badly, and pages
/// waiting on each other make nothing faster.
pub async fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}

/// chromedriver for one test, and where its browsers keep their profiles.
pub struct Chromium {
    driver: Child,
    pub url: String,
    http: reqwest::Client,
    profiles: TempDir,
    /// Sessions still open, quit when this is dropped.
    sessions: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Chromium {
    /// The browser and its driver, or `None` (after saying SKIPPED) where they are not
    /// installed. Under `CI=true` a missing browser is a failure: CI installs it.
    pub fn find() -> Option<(PathBuf, PathBuf)> {
        let found = [CHROMIUM, CHROMEDRIVER].iter().all(|p| Path::new(p).exists());
        if found {
            return Some((CHROMIUM.into(), CHROMEDRIVER.into()));
        }
        let ci = std::env::var("CI").is_ok_and(|v| v == "true");
        eprintln!(
            "\n*** Chromium suite: SKIPPED: {CHROMIUM} or {CHROMEDRIVER} is missing \
             (Debian packages `chromium` and `chromium-driver`; .ci/run installs them) ***\n"
        );
        assert!(!ci, "CI=true: the Chromium suite must run, but Chromium or chromedriver is not installed");
        None
    }

    /// Starts chromedriver on a free loopback port and waits until it answers.
    pub async fn start() -> Option<Self> {
        let (_, driver_path) = Self::find()?;
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let http = webdriver::http_client();
        let url = format!("http://127.0.0.1:{port}");
        let mut chromium = Self {
            driver,
            url,
            http,
            profiles: tempfile::tempdir().expect("a folder for browser profiles"),
            sessions: Arc::default(),
        };
        for _ in 0..200 {
            if let Ok(r) = chromium.http.get(format!("{}/status", chromium.url)).send().await {
                if r.status().is_success() {
                    return Some(chromium);
                }
            }
            if let Ok(Some(status)) = chromium.driver.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not answer on {}", chromium.url);
    }

    /// A new, empty browser profile (a user-data-dir of its own).
    pub fn new_profile(&self, name: &str) -> PathBuf {
        let dir = self.profiles.path().join(name);
        std::fs::create_dir_all(&dir).expect("a profile folder");
        dir
    }

    /// Opens a browser window on `profile` with `options`.
    pub async fn open(&self, profile: &Path, options: Options) -> Browser {
        let browser = Browser::open(&self.http, &self.url, CHROMIUM, profile, options).await;
        self.sessions.lock().unwrap().push(browser.session_id().to_owned());
        browser
    }

    /// Quits `browser` (Chromium writes its cookies to the profile as it exits).
    pub async fn close(&self, browser: Browser) {
        let id = browser.session_id().to_owned();
        browser.quit().await;
        self.sessions.lock().unwrap().retain(|s| *s != id);
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        // Browsers first (killing only the driver would leave them running), on a runtime of
        // this thread's own since drop cannot await.
        let sessions = std::mem::take(&mut *self.sessions.lock().unwrap());
        let url = self.url.clone();
        let _ = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
                rt.block_on(async {
                    // A client of this runtime: the test's pooled connections belong to the
                    // test's runtime, and would hang here.
                    let http = webdriver::http_client();
                    for id in sessions {
                        let _ = http.delete(format!("{url}/session/{id}")).send().await;
                    }
                });
            }
        })
        .join();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// The seller's site: the server, the seller's phone (codes and push approvals) and their
/// login.
pub struct Site {
    pub backend: Backend,
    pub phone: Device,
    pub seller: Enrolled,
}

pub const EMAIL: &str = "seller@example.com";

impl Site {
    /// A server with a seller enrolled on the phone (authenticator app primary, SMS backup),
    /// the phone registered for push approvals.
    pub async fn start() -> Self {
        let backend = Backend::start();
        let phone = Device::phone(&backend);
        let seller = enroll(&backend, &phone, EMAIL).await;
        phone.client.register_device("fcm-web-tests").await.expect("the phone registers for push");
        Self { backend, phone, seller }
    }

    /// The sign-in page's address, directly on 127.0.0.1.
    pub fn signin_url(&self) -> String {
        format!("{}/signin", self.backend.url())
    }

    /// The current code of the seller's authenticator app. Moves the clock a TOTP step on
    /// first, so it is never the code of an earlier sign-in (the server refuses replays).
    pub fn fresh_code(&self) -> String {
        self.backend.advance(twostep_e2e::STEP);
        self.phone.client.code(&self.seller.entry_id).expect("the phone's vault makes a code")
    }
}

/// Another network on one machine: a forwarder on 127.0.0.1 that reaches the server from
/// 127.0.0.2, so the server sees the browser's requests come from another address while the
/// browser keeps the same host (and so the same cookies).
pub struct OtherNetwork {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl OtherNetwork {
    pub fn start(server: SocketAddr) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a port for the forwarder");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let addr = listener.local_addr().expect("its address");
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((mut inbound, _)) = accepted else { continue };
                            tokio::spawn(async move {
                                let socket = tokio::net::TcpSocket::new_v4()?;
                                socket.bind(SocketAddr::new(OTHER_NETWORK, 0))?;
                                let mut outbound = socket.connect(server).await?;
                                tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await?;
                                Ok::<_, std::io::Error>(())
                            });
                        }
                    }
                }
            });
        });
        Self { addr, stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for OtherNetwork {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Where a test's screenshots go: `target/screens/web-NAME.png`.
pub fn screens_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screens");
    std::fs::create_dir_all(&dir).expect("the screenshots folder");
    dir
}
