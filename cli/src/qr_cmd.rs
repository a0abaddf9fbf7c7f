//! `twostep qr QUERY` draws an entry's otpauth URI as a QR code in the terminal, for another
//! app to scan; `twostep qr --read IMAGE` reads the QR codes of a PNG or JPEG picture and
//! shows the entries they hold (never their secrets), or adds them with `--add`.
//!
//! Owns the command-line side; drawing and reading QR codes are core's `qr`, the URI and the
//! Google export format core's `otp::uri` and `import`. Duplicates of entries already in the
//! vault are not added twice.

use std::path::Path;

use twostep_core::import::{self, Format};
use twostep_core::otp::{Credential, uri};
use twostep_core::qr::{self, Background, QrError};
use zeroize::Zeroizing;

use crate::args::{QrArgs, VaultArgs};
use crate::error::CliError;
use crate::output::{self, describe, name, short_id};
use crate::{select, unlock};

/// Largest picture read (a phone screenshot is a few MB).
const MAX_IMAGE_BYTES: u64 = 32 * 1024 * 1024;

pub fn run(vault_args: &VaultArgs, args: &QrArgs) -> Result<(), CliError> {
    match (&args.read, &args.query) {
        (Some(image), _) => read(vault_args, image, args.add),
        (None, Some(query)) => show(vault_args, query, args.light_background),
        (None, None) => {
            Err(CliError::Usage("name the entry to show (QUERY), or a picture to read (--read IMAGE)".into()))
        }
    }
}

/// `text` as a QR code drawn with half blocks, for a dark terminal background unless `light`.
pub fn draw(text: &str, light: bool) -> Result<Zeroizing<String>, CliError> {
    let matrix = qr::encode(text).map_err(|e| CliError::Invalid(e.to_string()))?;
    Ok(qr::to_terminal(&matrix, if light { Background::Light } else { Background::Dark }))
}

fn show(vault_args: &VaultArgs, query: &str, light: bool) -> Result<(), CliError> {
    let vault = unlock::open(vault_args)?;
    let entries = vault.list();
    let entry = select::select_one(&entries, query)?;
    let credential = vault
        .credentials()?
        .into_iter()
        .find(|(e, _)| e.id == entry.id)
        .map(|(_, c)| c)
        .ok_or_else(|| CliError::Selection(format!("entry {} vanished", short_id(&entry.id))))?;
    let text = Zeroizing::new(uri::format(&credential));
    let drawing = draw(&text, light)?;
    eprintln!(
        "{}: this QR code holds its secret; anyone who sees it can make your codes. Scan it with the other app.",
        output::one_line(entry)
    );
    output::print(&drawing)
}

fn read(vault_args: &VaultArgs, image: &Path, add: bool) -> Result<(), CliError> {
    let shown = image.display();
    let size = std::fs::metadata(image)
        .map_err(|e| CliError::Failed(format!("could not read {shown}: {}", crate::error::io_words(&e))))?
        .len();
    if size > MAX_IMAGE_BYTES {
        return Err(CliError::Invalid(format!("{shown} is {size} bytes; pictures up to {MAX_IMAGE_BYTES} are read")));
    }
    let bytes = std::fs::read(image)
        .map_err(|e| CliError::Failed(format!("could not read {shown}: {}", crate::error::io_words(&e))))?;
    let texts = qr::read_image(&bytes).map_err(|e| match e {
        QrError::Image(why) => CliError::Invalid(format!("{shown} could not be read as a PNG or JPEG picture: {why}")),
        other => CliError::Invalid(format!("{shown}: {other}")),
    })?;

    let mut credentials: Vec<Credential> = Vec::new();
    let mut migration = Zeroizing::new(String::new());
    let mut others = 0;
    for (i, text) in texts.iter().enumerate() {
        let t = text.trim();
        if starts_with_ignore_case(t, "otpauth-migration:") {
            migration.push_str(t);
            migration.push('\n');
        } else if starts_with_ignore_case(t, "otpauth:") {
            let c = uri::parse(t).map_err(|e| {
                CliError::Invalid(format!("{shown}, QR code {}: the otpauth URI was refused: {e}", i + 1))
            })?;
            c.validate().map_err(|e| CliError::Invalid(format!("{shown}, QR code {}: invalid {e}", i + 1)))?;
            credentials.push(c);
        } else {
            // Never echoed: it may be anything, including someone's secret.
            others += 1;
        }
    }
    if !migration.is_empty() {
        // A Google Authenticator export: its importer checks the batches form one export.
        let items = import::read(Format::Google, migration.as_bytes(), None)
            .map_err(|e| CliError::Invalid(format!("{shown}: {e}")))?;
        for item in items {
            let c =
                item.outcome.map_err(|e| CliError::Invalid(format!("{shown}, Google export, {}: {e}", item.place)))?;
            credentials.push(c);
        }
    }
    if credentials.is_empty() {
        return Err(CliError::Invalid(format!(
            "{shown}: {others} QR code(s) found, none holding an otpauth URI or a Google Authenticator export"
        )));
    }
    if others > 0 {
        eprintln!("note: {others} other QR code(s) in {shown} hold no authenticator entry and were ignored");
    }

    let describe_c = |c: &Credential| {
        format!(
            "{}  [{}]",
            name(&c.issuer, &c.account),
            describe(c.params.kind, c.params.algorithm.as_str(), c.params.digits)
        )
    };
    if !add {
        let mut text = String::new();
        for c in &credentials {
            text.push_str(&describe_c(c));
            text.push('\n');
        }
        text.push_str("(not added; --add adds to the vault)\n");
        return output::print(&text);
    }

    let mut vault = unlock::open_or_create(vault_args)?;
    let existing = vault.find_duplicates(&credentials)?;
    let mut text = String::new();
    let mut fresh = Vec::new();
    for (c, dup) in credentials.into_iter().zip(existing) {
        match dup {
            Some(id) => {
                text.push_str(&format!("skipped {}: already in the vault as {}\n", describe_c(&c), short_id(&id)))
            }
            None => fresh.push(c),
        }
    }
    let added = if fresh.is_empty() { Vec::new() } else { vault.add_all(&fresh)? };
    for e in &added {
        let what = describe(e.params.kind, e.params.algorithm.as_str(), e.params.digits);
        text.push_str(&format!("added {}  [{what}] [id {}]\n", name(&e.issuer, &e.account), short_id(&e.id)));
    }
    output::print(&text)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len() && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}
