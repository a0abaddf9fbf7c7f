//! Shared fixtures for the end-to-end suites: the real reference server on loopback with a
//! temporary database and a movable clock ([`Backend`]), and devices — a phone app or a
//! laptop browser — each with its own temporary vault and the core's [`Client`] ([`Device`]).
//!
//! Nothing is mocked: requests go over HTTP on 127.0.0.1 (or 127.0.0.2, "another network"),
//! the server writes SQLite, the client seals its state in a real vault. Time is a
//! [`FixedClock`] shared by the server and, unless a test says otherwise, the devices, so a
//! test moves everyone's "now" at once.

#![forbid(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tempfile::TempDir;
use twostep_core::client::{Client, ClientConfig, ClientIdentity, HttpConfig, SignInOutcome};
use twostep_core::clock::{Clock, FixedClock};
use twostep_core::methods::{MethodChoice, PhoneChoice};
use twostep_core::protocol::Role;
use twostep_core::vault::{KdfParams, PassphraseKeyStore, Vault};
use twostep_server::{RunningServer, Server, ServerConfig};

/// A multiple of 30 plus 10: codes of this instant sit well inside one TOTP step.
pub const T0: u64 = 1_700_000_010;
pub const PASSWORD: &str = "correct horse battery";
pub const SMS_NUMBER: &str = "+1 206 555 0100";
/// The phone app's version; tests that "update the app" move to [`APP_VERSION_NEXT`].
pub const APP_VERSION: &str = "4.2.0";
pub const APP_VERSION_NEXT: &str = "4.3.0";
/// A TOTP period: advancing by it makes the next code a fresh one (the server refuses replays).
pub const STEP: u64 = 30;

/// "Another network" on loopback: the server binds trust to the peer address, and each
/// loopback address is its own network.
pub const OTHER_NETWORK: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

/// The reference server, stoppable and restartable on the same address and database.
pub struct Backend {
    server: Option<RunningServer>,
    pub clock: Arc<FixedClock>,
    addr: SocketAddr,
    db_path: PathBuf,
    _dir: TempDir,
}

impl Backend {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db_path = dir.path().join("server.db");
        let clock = Arc::new(FixedClock::at(T0));
        let server = Self::launch("127.0.0.1:0".parse().unwrap(), &db_path, clock.clone());
        Self { addr: server.addr(), server: Some(server), clock, db_path, _dir: dir }
    }

    fn launch(addr: SocketAddr, db_path: &std::path::Path, clock: Arc<FixedClock>) -> RunningServer {
        Server::start(ServerConfig { addr, ..ServerConfig::local(db_path, clock) }).expect("the server starts")
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("the server is running")
    }

    /// Stops serving: the address refuses connections until [`Backend::restart`].
    pub fn stop(&mut self) {
        if let Some(server) = self.server.take() {
            server.shutdown().expect("the server stops cleanly");
        }
    }

    /// Serves again on the same address from the same database.
    pub fn restart(&mut self) {
        self.stop();
        self.server = Some(Self::launch(self.addr, &self.db_path, self.clock.clone()));
    }

    pub fn now(&self) -> u64 {
        self.clock.now_unix_seconds()
    }

    pub fn advance(&self, seconds: u64) {
        self.clock.advance(seconds);
    }

    /// The newest SMS/voice code sent to `email`'s login.
    pub fn last_code(&self, email: &str) -> String {
        self.server().last_code(email).expect("a code was sent")
    }
}

/// A phone app or a browser: a vault of its own and a client on it.
pub struct Device {
    pub client: Client,
    pub vault: Arc<Mutex<Vault>>,
    pub clock: Arc<dyn Clock>,
    _dir: TempDir,
}

/// The seller app on a phone.
pub fn app_identity(version: &str) -> ClientIdentity {
    ClientIdentity::app(version, format!("Seller app {version} on Android 15"), "android")
}

/// A browser on a laptop.
pub fn browser_identity() -> ClientIdentity {
    ClientIdentity::browser("128.0", "Firefox 128 on Linux")
}

impl Device {
    /// The seller app, clock in sync with the server's.
    pub fn phone(backend: &Backend) -> Self {
        Self::new(backend, app_identity(APP_VERSION), HttpConfig::default(), backend.clock.clone())
    }

    /// A browser on a laptop, clock in sync with the server's.
    pub fn laptop(backend: &Backend) -> Self {
        Self::new(backend, browser_identity(), HttpConfig::default(), backend.clock.clone())
    }

    pub fn new(backend: &Backend, identity: ClientIdentity, http: HttpConfig, clock: Arc<dyn Clock>) -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        // The cheapest Argon2 cost: vault opening is not what these tests are about.
        let key_store =
            PassphraseKeyStore::with_params("e2e", KdfParams { memory_kib: 64, iterations: 1, parallelism: 1 });
        let vault = Vault::create(&dir.path().join("vault.sqlite"), &key_store, clock.clone()).expect("a vault");
        let vault = Arc::new(Mutex::new(vault));
        let client = client_on(&backend.url(), identity, http, vault.clone(), clock.clone());
        Self { client, vault, clock, _dir: dir }
    }

    /// The same installation (same vault) started again with another identity or network:
    /// an app update, or the phone on another network.
    pub fn relaunch(&self, base_url: &str, identity: ClientIdentity, http: HttpConfig) -> Client {
        client_on(base_url, identity, http, self.vault.clone(), self.clock.clone())
    }

    /// This installation, relaunched on another network (source address 127.0.0.2).
    pub fn on_other_network(&self, backend: &Backend) -> Client {
        let http = HttpConfig { local_address: Some(OTHER_NETWORK), ..HttpConfig::default() };
        self.relaunch(&backend.url(), self.client.identity().clone(), http)
    }
}

pub fn client_on(
    base_url: &str,
    identity: ClientIdentity,
    http: HttpConfig,
    vault: Arc<Mutex<Vault>>,
    clock: Arc<dyn Clock>,
) -> Client {
    let mut config = ClientConfig::new(base_url, identity);
    config.http = http;
    Client::new(config, vault, clock).expect("a client")
}

/// A login with two-step verification on: the authenticator app (its seed in `device`'s
/// vault) as primary, SMS as backup. Leaves `device` signed in with a full session.
pub struct Enrolled {
    pub email: String,
    pub login_id: String,
    /// The vault entry of the authenticator seed on the enrolling device.
    pub entry_id: String,
}

pub async fn enroll(backend: &Backend, device: &Device, email: &str) -> Enrolled {
    let client = &device.client;
    let login_id = client.create_login(email, PASSWORD).await.expect("the login is created");
    match client.sign_in(email, PASSWORD).await.expect("the password is right") {
        SignInOutcome::EnrollmentRequired { login_id: id } => assert_eq!(id, login_id),
        other => panic!("expected enrollment, got {other:?}"),
    }
    let enrollment = client
        .enroll(MethodChoice::AuthenticatorApp, MethodChoice::Sms(PhoneChoice::mobile(SMS_NUMBER)))
        .await
        .expect("app + SMS is an allowed pair");
    let entry_id = enrollment.authenticator_entry.expect("the app method comes with its seed").id;
    client.verify_method(Role::Primary, &client.code(&entry_id).unwrap()).await.expect("the app's code");
    let status = client.verify_method(Role::Backup, &backend.last_code(email)).await.expect("the SMS code");
    assert!(status.enabled, "{status:?}");
    // The code just used may not be used again: later sign-ins work in the next step.
    backend.advance(STEP);
    Enrolled { email: email.into(), login_id, entry_id }
}

/// The second step the screen shows, or a panic with what came instead.
pub fn code_required(outcome: SignInOutcome) -> twostep_core::client::CodeChallenge {
    match outcome {
        SignInOutcome::CodeRequired(c) => c,
        other => panic!("expected a code to be asked, got {other:?}"),
    }
}

/// Signs `device` in with a code from the authenticator in `codes_from`'s vault, choosing
/// "Don't ask for codes on this device" when `remember`. Moves the clock a step on after.
pub async fn sign_in_with_code(
    backend: &Backend,
    device: &Client,
    codes_from: &Client,
    account: &Enrolled,
    remember: bool,
) -> twostep_core::client::SignedInInfo {
    let attempt = code_required(device.sign_in(&account.email, PASSWORD).await.expect("the password is right"));
    let code = codes_from.code(&account.entry_id).expect("the vault makes a code");
    let info = device.verify_code(&attempt.attempt_id, &code, remember).await.expect("the code is right");
    backend.advance(STEP);
    info
}
