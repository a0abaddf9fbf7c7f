//! What every test of the binary shares: a home folder with a vault, running `twostep`,
//! reading a run's output, seeds and URIs.

pub(crate) use std::path::{Path, PathBuf};
pub(crate) use std::process::{Command, Output, Stdio};

pub(crate) use data_encoding::BASE32_NOPAD;

pub(crate) const PASSPHRASE: &str = "correct horse battery staple";

/// RFC 6238 Appendix B seeds (ASCII) per algorithm.
pub(crate) const SEED_SHA1: &[u8] = b"12345678901234567890";
pub(crate) const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
pub(crate) const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// A temporary folder with a vault path inside it (the file does not exist yet).
pub(crate) struct Home {
    pub(crate) dir: tempfile::TempDir,
}

impl Home {
    pub(crate) fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    pub(crate) fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.db")
    }

    /// `twostep ARGS` against this vault with the right passphrase.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_with(PASSPHRASE, args)
    }

    pub(crate) fn run_with(&self, passphrase: &str, args: &[&str]) -> Run {
        let mut cmd = twostep();
        cmd.env("TWOSTEP_VAULT", self.vault()).env("TWOSTEP_PASSPHRASE", passphrase).args(args);
        Run::of(cmd)
    }

    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub(crate) fn list_json(&self) -> Vec<serde_json::Value> {
        let run = self.run(&["list", "--json"]);
        run.assert_ok();
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap().as_array().unwrap().clone()
    }
}

/// The binary with a clean environment: no vault or passphrase from the caller, no terminal.
pub(crate) fn twostep() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_twostep"));
    cmd.env_remove("TWOSTEP_VAULT").env_remove("TWOSTEP_PASSPHRASE").stdin(Stdio::null());
    cmd
}

pub(crate) struct Run {
    pub(crate) status: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    pub(crate) fn of(mut cmd: Command) -> Self {
        let Output { status, stdout, stderr } = cmd.output().unwrap();
        Self {
            status: status.code(),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    pub(crate) fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, Some(0), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    pub(crate) fn assert_status(&self, code: i32) -> &Self {
        assert_eq!(self.status, Some(code), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    pub(crate) fn assert_never_shows(&self, secret: &str) -> &Self {
        assert!(!self.stdout.contains(secret), "secret on stdout: {}", self.stdout);
        assert!(!self.stderr.contains(secret), "secret on stderr: {}", self.stderr);
        self
    }
}

pub(crate) fn b32(seed: &[u8]) -> String {
    BASE32_NOPAD.encode(seed)
}

pub(crate) fn totp_uri(seed: &[u8], algorithm: &str, digits: u8) -> String {
    format!("otpauth://totp/RFC:6238?secret={}&algorithm={algorithm}&digits={digits}&period=30", b32(seed))
}

pub(crate) fn code_of(uri: &str, at: u64) -> Run {
    let mut cmd = twostep();
    cmd.args(["code", "--uri", uri, "--at", &at.to_string()]);
    Run::of(cmd)
}

/// `plain.txt` of the shared real-export set beside the workspace; a missing one fails the
/// test (the tests that read it are ignored when the folder is absent, see `cli/build.rs`).
pub(crate) fn plain_export() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/testdata/authenticator-exports/plain.txt");
    assert!(path.is_file(), "{} is missing", path.display());
    path
}
