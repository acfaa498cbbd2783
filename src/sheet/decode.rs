//! Turning file bytes into text without ever inventing characters.
//!
//! A byte-order mark decides UTF-8 or UTF-16. Without one the bytes must be
//! strict UTF-8. If they are not, and no valid multi-byte UTF-8 sequence
//! appears anywhere, the file is an old "ANSI" export and is read as
//! Windows-1252 with `needs_confirmation` set, so the app shows a preview
//! before importing. A file that mixes valid UTF-8 with stray bytes is refused
//! at the first bad byte: decoding it either way would corrupt some rows.
//! U+FFFD is never produced, and NUL bytes are refused.

mod fault;
#[cfg(test)]
mod tests;
mod transcode;

pub use fault::large_file_fault;
pub use transcode::transcode_to_utf8;

use crate::sheet::error::{Problem, SheetError};
use crate::sheet::records::{Records, detect_delimiter, prelude};

/// The encoding a file was read with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// The usual name, for the preview.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Decoded file text (byte-order mark removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// The encoding was a guess (Windows-1252): show a preview and ask first.
    pub needs_confirmation: bool,
}

/// Decodes file bytes; see the module doc for the rules.
pub fn decode(bytes: &[u8]) -> Result<Decoded, SheetError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        (strict_utf8(rest)?, Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (utf16(rest, u16::from_le_bytes)?, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (utf16(rest, u16::from_be_bytes)?, Encoding::Utf16Be)
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), Encoding::Utf8),
            Err(_) if is_windows_1252(bytes) => {
                let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
                (text.into_owned(), Encoding::Windows1252)
            }
            Err(e) => return Err(bad_utf8(bytes, e.valid_up_to())),
        }
    };
    if let Some(at) = text.find('\0') {
        return Err(located(&text[..at], Problem::NulByte));
    }
    Ok(Decoded {
        needs_confirmation: encoding == Encoding::Windows1252,
        text,
        encoding,
    })
}

fn strict_utf8(bytes: &[u8]) -> Result<String, SheetError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => Err(bad_utf8(bytes, e.valid_up_to())),
    }
}

fn bad_utf8(bytes: &[u8], valid_up_to: usize) -> SheetError {
    let prefix = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    located(prefix, Problem::InvalidUtf8 { byte })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, SheetError> {
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => return Err(located(&text, Problem::InvalidUtf16)),
        }
    }
    if bytes.len() % 2 == 1 {
        return Err(located(&text, Problem::InvalidUtf16));
    }
    Ok(text)
}

/// Windows-1252 is assumed only when nothing in the file is valid
/// multi-byte UTF-8 (otherwise the file is mixed) and no byte is one of the
/// five that Windows-1252 leaves undefined.
fn is_windows_1252(bytes: &[u8]) -> bool {
    let undefined = [0x81, 0x8D, 0x8F, 0x90, 0x9D];
    !bytes.iter().any(|b| undefined.contains(b)) && !has_multibyte_utf8(bytes)
}

fn has_multibyte_utf8(bytes: &[u8]) -> bool {
    bytes.iter().enumerate().any(|(i, &b)| {
        let len = match b {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return false,
        };
        bytes
            .get(i..i + len)
            .is_some_and(|seq| std::str::from_utf8(seq).is_ok())
    })
}

/// Positions a problem found right after `prefix` (the text decoded so far):
/// which record, physical line and column it falls in.
fn located(prefix: &str, problem: Problem) -> SheetError {
    let p = prelude(prefix);
    let body = &prefix[p.body_start..];
    let delimiter = p.delimiter.unwrap_or_else(|| detect_delimiter(body));
    // A sentinel character makes the reader produce the record (and field)
    // the bad byte belongs to, even when it starts a new line.
    let probe = format!("{body}x");
    let records: Vec<_> = Records::new(&probe, delimiter, p.first_line).collect();
    let last_index = records.len().saturating_sub(1);
    let Some(last) = records.last() else {
        return SheetError::new(0, p.first_line, problem);
    };
    let header_index = records.iter().position(|r| !r.is_blank());
    match header_index {
        Some(h) if h < last_index => {
            let column = records[h]
                .fields
                .get(last.fields.len().saturating_sub(1))
                .map(|name| name.trim().to_owned());
            let mut error = SheetError::new(last_index - h, last.line, problem);
            error.column = column;
            error
        }
        _ => SheetError::new(0, last.line, problem),
    }
}
