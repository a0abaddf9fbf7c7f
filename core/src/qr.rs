//! QR codes: drawing one (an entry's otpauth URI, a migration batch) for a terminal or as a
//! PNG, and reading the QR codes in a PNG or JPEG image.
//!
//! Owns encoding (error correction level M, L when the text is too long for M), the
//! terminal drawing (Unicode half blocks, two module rows per line) and image decoding with
//! caps on image size. Does not own what the text is ([`crate::otp::uri`],
//! [`crate::export`]) or parsing what was read.
//!
//! Drawing is behind the `qr` feature (on by default; the apps use it to show an export);
//! reading images behind `qr-read` (the desktop only: a phone scans with its camera API, so
//! the mobile library carries no image decoder). The texts are secrets: outputs are
//! zeroizing, and errors never quote them. (The encoder and decoder crates keep short-lived
//! working copies that are not zeroized; their lifetime is one call.)

#[cfg(feature = "qr-read")]
use std::io::Cursor;

#[cfg(feature = "qr-read")]
use image::{ImageReader, Limits};
use qrcode::{Color, EcLevel, QrCode};
use zeroize::Zeroizing;

/// Widest or tallest image read, in pixels.
#[cfg(feature = "qr-read")]
pub const MAX_IMAGE_SIDE: u32 = 8_000;
/// Most memory image decoding may use.
#[cfg(feature = "qr-read")]
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Light modules around the code in the terminal: two keep it compact and phones read it.
pub const TERMINAL_QUIET_ZONE: usize = 2;
/// Light modules around the code in a PNG, as the QR standard asks.
pub const IMAGE_QUIET_ZONE: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// More than the largest QR code holds.
    #[error("the text is too long for one QR code ({0} bytes)")]
    TooLong(usize),
    /// Not a PNG or JPEG, damaged, or beyond the size caps.
    #[error("the image could not be read: {0}")]
    Image(String),
    /// No QR code was found in the image.
    #[error("no QR code was found in the image")]
    NotFound,
    /// QR codes were found but none could be decoded (blurred, cut off, damaged).
    #[error("{0} QR code(s) were found but none could be read")]
    Unreadable(usize),
}

/// A QR code's modules, dark or light, row by row. Zeroized on drop: it is the text, drawn.
pub struct QrMatrix {
    width: usize,
    dark: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QrMatrix").field("width", &self.width).finish_non_exhaustive()
    }
}

impl QrMatrix {
    /// Modules per side, without a quiet zone.
    pub fn width(&self) -> usize {
        self.width
    }

    /// True for a dark module; outside the code (the quiet zone) is light.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && y < self.width && self.dark[y * self.width + x] == 1
    }

    /// Same, in coordinates that include a quiet zone of `margin` modules.
    fn is_dark_with_margin(&self, x: usize, y: usize, margin: usize) -> bool {
        x >= margin && y >= margin && self.is_dark(x - margin, y - margin)
    }
}

/// Encodes `text` at error correction level M (15% of the code may be damaged), or L when
/// it is too long for M.
pub fn encode(text: &str) -> Result<QrMatrix, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .map_err(|_| QrError::TooLong(text.len()))?;
    let width = code.width();
    let dark = Zeroizing::new(code.into_colors().into_iter().map(|c| u8::from(c == Color::Dark)).collect());
    Ok(QrMatrix { width, dark })
}

/// The terminal's colours, which decide which modules are drawn with a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Background {
    /// Light text on a dark background (most terminals): light modules are drawn as blocks.
    Dark,
    /// Dark text on a light background: dark modules are drawn as blocks.
    Light,
}

/// The code drawn with Unicode half blocks (`█ ▀ ▄` and space), two module rows per line,
/// with a quiet zone of [`TERMINAL_QUIET_ZONE`] modules. Each line ends with a newline.
pub fn to_terminal(matrix: &QrMatrix, background: Background) -> Zeroizing<String> {
    let margin = TERMINAL_QUIET_ZONE;
    let side = matrix.width + 2 * margin;
    let inked = |x: usize, y: usize| {
        // Below the last row is outside the code: light.
        let dark = y < side && matrix.is_dark_with_margin(x, y, margin);
        match background {
            Background::Dark => !dark && y < side,
            Background::Light => dark,
        }
    };
    let lines = side.div_ceil(2);
    // Half blocks are 3 bytes in UTF-8; sized once so the drawing never reallocates.
    let mut out = Zeroizing::new(String::with_capacity(lines * (side * 3 + 1)));
    for row in 0..lines {
        let (top, bottom) = (2 * row, 2 * row + 1);
        for x in 0..side {
            out.push(match (inked(x, top), inked(x, bottom)) {
                (true, true) => '█',
                (true, false) => '▀',
                (false, true) => '▄',
                (false, false) => ' ',
            });
        }
        out.push('\n');
    }
    out
}

/// The code as a greyscale PNG, `module_px` pixels per module (at least 1), with a quiet
/// zone of [`IMAGE_QUIET_ZONE`] modules.
pub fn to_png(matrix: &QrMatrix, module_px: u32) -> Vec<u8> {
    let px = module_px.max(1);
    let margin = IMAGE_QUIET_ZONE;
    let side = (matrix.width + 2 * margin) as u32 * px;
    let pixels: Vec<u8> = (0..side)
        .flat_map(|y| (0..side).map(move |x| (x, y)))
        .map(|(x, y)| if matrix.is_dark_with_margin((x / px) as usize, (y / px) as usize, margin) { 0 } else { 255 })
        .collect();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&pixels))
        .expect("encoding a PNG of known size into memory cannot fail");
    png
}

/// Every QR code in a PNG or JPEG image, decoded to text, in the order found.
#[cfg(feature = "qr-read")]
///
/// Images wider or taller than [`MAX_IMAGE_SIDE`] pixels, or needing more than 256 MiB to
/// decode, are refused before decoding.
pub fn read_image(bytes: &[u8]) -> Result<Vec<Zeroizing<String>>, QrError> {
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| QrError::Image(e.to_string()))?;
    if reader.format().is_none() {
        return Err(QrError::Image("not a PNG or JPEG image".into()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let luma = reader.decode().map_err(|e| QrError::Image(e.to_string()))?.into_luma8();
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    read_greyscale(w, h, |x, y| luma.get_pixel(x as u32, y as u32).0[0])
}

/// Reads the QR codes of a black-and-white bitmap (`true` is dark): for codes drawn by
/// something other than an image file, such as [`to_terminal`]'s text.
#[cfg(feature = "qr-read")]
pub fn read_bitmap(
    width: usize,
    height: usize,
    mut dark: impl FnMut(usize, usize) -> bool,
) -> Result<Vec<Zeroizing<String>>, QrError> {
    read_greyscale(width, height, |x, y| if dark(x, y) { 0 } else { 255 })
}

#[cfg(feature = "qr-read")]
fn read_greyscale(
    width: usize,
    height: usize,
    luma: impl FnMut(usize, usize) -> u8,
) -> Result<Vec<Zeroizing<String>>, QrError> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(width, height, luma);
    let grids = prepared.detect_grids();
    if grids.is_empty() {
        return Err(QrError::NotFound);
    }
    let mut texts = Vec::new();
    for grid in &grids {
        let mut bytes = Zeroizing::new(Vec::new());
        if grid.decode_to(&mut *bytes).is_err() {
            continue;
        }
        if let Ok(text) = String::from_utf8(std::mem::take(&mut *bytes)) {
            texts.push(Zeroizing::new(text));
        }
    }
    if texts.is_empty() {
        return Err(QrError::Unreadable(grids.len()));
    }
    Ok(texts)
}

#[cfg(all(test, feature = "qr-read"))]
mod tests {
    use super::*;

    const URI: &str = "otpauth://totp/Example:ada?secret=JBSWY3DPEHPK3PXP&issuer=Example";

    #[test]
    fn a_drawn_png_reads_back_to_its_text() {
        let png = to_png(&encode(URI).unwrap(), 4);
        let texts = read_image(&png).unwrap();
        assert_eq!(texts.iter().map(|t| t.as_str()).collect::<Vec<_>>(), [URI]);
    }

    #[test]
    fn the_terminal_drawing_reads_back_in_both_polarities() {
        for background in [Background::Dark, Background::Light] {
            let text = to_terminal(&encode(URI).unwrap(), background);
            let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
            let width = lines[0].len();
            // Each character is two modules stacked; draw each module 4x4 pixels.
            let scale = 4;
            let read = read_bitmap(width * scale, lines.len() * 2 * scale, |x, y| {
                let (col, row) = (x / scale, y / scale);
                let c = lines[row / 2][col];
                let inked = matches!((c, row % 2), ('█', _) | ('▀', 0) | ('▄', 1));
                // Dark on screen: ink on a light background, no ink on a dark one.
                match background {
                    Background::Dark => !inked,
                    Background::Light => inked,
                }
            })
            .unwrap();
            assert_eq!(read[0].as_str(), URI, "{background:?}");
        }
    }

    #[test]
    fn text_beyond_the_largest_qr_code_is_refused() {
        assert_eq!(encode(&"x".repeat(3_000)).unwrap_err(), QrError::TooLong(3_000));
    }

    #[test]
    fn an_image_without_a_code_and_a_file_that_is_no_image_are_told_apart() {
        let blank = to_png(&QrMatrix { width: 21, dark: Zeroizing::new(vec![0; 21 * 21]) }, 4);
        assert_eq!(read_image(&blank).unwrap_err(), QrError::NotFound);
        assert!(matches!(read_image(b"not an image at all").unwrap_err(), QrError::Image(_)));
    }

    #[test]
    fn an_image_beyond_the_size_caps_is_refused_before_decoding() {
        // A valid PNG whose header announces 100,000 x 100,000 pixels (10 GB of pixels).
        let mut png = to_png(&QrMatrix { width: 1, dark: Zeroizing::new(vec![0]) }, 1);
        // IHDR (the first chunk): length (8..12), type (12..16), width (16..20), height (20..24), …, CRC (29..33).
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        match read_image(&png).unwrap_err() {
            QrError::Image(why) => assert!(why.contains("limit"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    /// CRC-32 (IEEE), as PNG chunks use.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = u32::MAX;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}
