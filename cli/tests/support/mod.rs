//! Helpers shared by the CLI test files: the binary with a clean environment, a temporary
//! vault, a finished run, and the same binary in a pseudo-terminal for the commands that
//! behave differently in one (prompts, `watch`).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use data_encoding::BASE32_NOPAD;

pub const PASSPHRASE: &str = "correct horse battery staple";

/// RFC 6238 Appendix B seeds (ASCII) per algorithm; the SHA-1 one is RFC 4226's too.
pub const SEED_SHA1: &[u8] = b"12345678901234567890";
pub const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";

/// A temporary folder with a vault path inside it (the file does not exist yet).
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }

    pub fn vault(&self) -> PathBuf {
        self.dir.path().join("vault.db")
    }

    /// `twostep ARGS` against this vault with the right passphrase.
    pub fn run(&self, args: &[&str]) -> Run {
        Run::of(self.cmd(args))
    }

    /// The command, not yet run, with the vault and passphrase set.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = twostep();
        cmd.env("TWOSTEP_VAULT", self.vault()).env("TWOSTEP_PASSPHRASE", PASSPHRASE).args(args);
        cmd
    }

    /// `twostep ARGS` with `input` on standard input.
    pub fn run_with_input(&self, args: &[&str], input: &str) -> Run {
        Run::with_input(self.cmd(args), input)
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn list_json(&self) -> Vec<serde_json::Value> {
        let run = self.run(&["list", "--json"]);
        run.assert_ok();
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap().as_array().unwrap().clone()
    }
}

/// The binary with a clean environment: no vault or passphrase from the caller, no terminal.
pub fn twostep() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_twostep"));
    cmd.env_remove("TWOSTEP_VAULT")
        .env_remove("TWOSTEP_PASSPHRASE")
        .env_remove("TWOSTEP_NEW_PASSPHRASE")
        .env_remove("TWOSTEP_IMPORT_PASSWORD")
        .stdin(Stdio::null());
    cmd
}

pub struct Run {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn of(mut cmd: Command) -> Self {
        let Output { status, stdout, stderr } = cmd.output().unwrap();
        Self {
            status: status.code(),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    pub fn with_input(mut cmd: Command, input: &str) -> Self {
        use std::io::Write;
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // A command that stops before reading (a usage error) closes the pipe: not a failure.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        let Output { status, stdout, stderr } = child.wait_with_output().unwrap();
        Self {
            status: status.code(),
            stdout: String::from_utf8(stdout).unwrap(),
            stderr: String::from_utf8(stderr).unwrap(),
        }
    }

    pub fn assert_ok(&self) -> &Self {
        assert_eq!(self.status, Some(0), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    pub fn assert_status(&self, code: i32) -> &Self {
        assert_eq!(self.status, Some(code), "stdout: {}\nstderr: {}", self.stdout, self.stderr);
        self
    }

    /// Both streams, for assertions about what the user saw.
    pub fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    pub fn assert_never_shows(&self, secret: &str) -> &Self {
        assert!(!self.all().contains(secret), "secret shown: {}", self.all());
        self
    }
}

pub fn b32(seed: &[u8]) -> String {
    BASE32_NOPAD.encode(seed)
}

/// The binary in a pseudo-terminal (standard input, output and error, and the controlling
/// terminal), as a person runs it. The timeout only bounds a hung test.
pub fn in_terminal(cmd: Command) -> rexpect::session::PtySession {
    rexpect::session::spawn_command(cmd, Some(20_000)).unwrap()
}

/// [`in_terminal`] with a terminal `columns` wide and 24 rows, set by `stty` before the binary
/// starts (a new pseudo-terminal has no size).
pub fn in_columns(columns: u16, cmd: Command) -> rexpect::session::PtySession {
    let mut sized = Command::new("sh");
    let script = format!("stty cols {columns} rows 24 && exec \"$0\" \"$@\"");
    sized.args(["-c", &script]).arg(cmd.get_program()).args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => sized.env(key, value),
            None => sized.env_remove(key),
        };
    }
    in_terminal(sized)
}

/// Terminal output without its control sequences (CSI `ESC [ … final`), carriage returns
/// dropped: the text a person reads.
pub fn screen_text(raw: &str) -> String {
    // The pseudo-terminal reader hands over each byte as a char: put UTF-8 back together.
    let raw = if raw.chars().all(|c| u32::from(c) <= 0xff) {
        String::from_utf8_lossy(&raw.chars().map(|c| u32::from(c) as u8).collect::<Vec<u8>>()).into_owned()
    } else {
        raw.to_owned()
    };
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for c in chars.by_ref() {
                        if ('\x40'..='\x7e').contains(&c) {
                            break;
                        }
                    }
                } else {
                    chars.next();
                }
            }
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}
