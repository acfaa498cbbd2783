//! Large files that are not UTF-8 — UTF-16 with a byte-order mark, or
//! Windows-1252 once the user confirmed it — are copied to UTF-8 chunk by
//! chunk, so the streamed import can read them in bounded memory. The
//! rules are [`decode`](super::decode)'s: anything it would refuse or
//! read otherwise (a bad UTF-16 sequence, a NUL, a "Windows-1252" file
//! holding real multi-byte UTF-8) is left to it, which names the problem.

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;

use super::{Encoding, has_multibyte_utf8};

const CHUNK: usize = 256 * 1024;

/// Writes `from` as UTF-8 (no BOM) to `to`. `Ok(None)`, with `to` left
/// unfinished, when the file is not one `decode` reads as UTF-16 or (with
/// `windows_1252`) as Windows-1252 without a problem.
pub fn transcode_to_utf8(
    from: &Path,
    to: &Path,
    windows_1252: bool,
) -> io::Result<Option<Encoding>> {
    let mut input = File::open(from)?;
    let mut head = [0u8; 2];
    let got = read_full(&mut input, &mut head)?;
    let (encoding, mut decoder, carry) = match &head[..got] {
        [0xFF, 0xFE] => (
            Encoding::Utf16Le,
            encoding_rs::UTF_16LE.new_decoder_without_bom_handling(),
            Vec::new(),
        ),
        [0xFE, 0xFF] => (
            Encoding::Utf16Be,
            encoding_rs::UTF_16BE.new_decoder_without_bom_handling(),
            Vec::new(),
        ),
        _ if windows_1252 => (
            Encoding::Windows1252,
            encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            head[..got].to_vec(),
        ),
        _ => return Ok(None),
    };
    let mut output = BufWriter::new(File::create(to)?);
    let mut bytes = carry;
    let mut text = String::with_capacity(CHUNK * 3);
    // The last bytes of the previous chunk, for a UTF-8 sequence cut by
    // the chunk's end.
    let mut tail: Vec<u8> = Vec::new();
    loop {
        let start = bytes.len();
        bytes.resize(start + CHUNK, 0);
        let n = read_full(&mut input, &mut bytes[start..])?;
        bytes.truncate(start + n);
        let last = n == 0;
        if encoding == Encoding::Windows1252 {
            let mut window = std::mem::take(&mut tail);
            window.extend_from_slice(&bytes);
            let undefined = [0x81, 0x8D, 0x8F, 0x90, 0x9D];
            if window.iter().any(|b| undefined.contains(b)) || has_multibyte_utf8(&window) {
                return Ok(None);
            }
            tail = window[window.len().saturating_sub(3)..].to_vec();
        }
        text.clear();
        let (result, _) = decoder.decode_to_string_without_replacement(&bytes, &mut text, last);
        if matches!(result, encoding_rs::DecoderResult::Malformed(..)) || text.contains('\0') {
            return Ok(None);
        }
        output.write_all(text.as_bytes())?;
        bytes.clear();
        if last {
            break;
        }
    }
    output.flush()?;
    Ok(Some(encoding))
}

/// Reads until `buf` is full or the file ends; the bytes read.
fn read_full(input: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match input.read(&mut buf[done..])? {
            0 => break,
            n => done += n,
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::decode;

    fn through(bytes: &[u8], windows_1252: bool) -> Option<(String, Encoding)> {
        let dir = tempfile::tempdir().expect("dir");
        let (from, to) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
        std::fs::write(&from, bytes).expect("write");
        let encoding = transcode_to_utf8(&from, &to, windows_1252).expect("io")?;
        Some((std::fs::read_to_string(&to).expect("utf-8"), encoding))
    }

    #[test]
    fn the_copy_reads_as_decode_reads_the_file() {
        let text = "name,notes\nCafé Ünïcode,\"a \u{1F980} crab\r\nover lines\"\n".repeat(40_000);
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        for (bytes, encoding) in [(le, Encoding::Utf16Le), (be, Encoding::Utf16Be)] {
            assert_eq!(through(&bytes, false), Some((text.clone(), encoding)));
            assert_eq!(decode(&bytes).expect("decodes").text, text);
        }
        let ansi: Vec<u8> = "Café,Ünïcode,naïve\n"
            .repeat(30_000)
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
            .collect();
        let read = decode(&ansi).expect("decodes");
        assert_eq!(
            through(&ansi, true),
            Some((read.text, Encoding::Windows1252))
        );
        assert_eq!(through(&ansi, false), None, "not confirmed");
    }

    #[test]
    fn what_decode_refuses_is_left_to_it() {
        // Real UTF-8 beside an ANSI byte, the sequence cut by a chunk's end
        // (the first chunk follows the two bytes read for a BOM).
        let mut mixed = b"\xE9,".to_vec();
        mixed.extend(vec![b'a'; CHUNK - 1]);
        mixed.extend(b"\xC3\xA9\n");
        assert_eq!(mixed[2 + CHUNK - 1], 0xC3);
        assert_eq!(through(&mixed, true), None);
        assert!(decode(&mixed).is_err());
        // An unpaired surrogate, and a NUL.
        assert_eq!(through(&[0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00], false), None);
        assert_eq!(through(&[0xFF, 0xFE, 0x41, 0x00, 0x00, 0x00], false), None);
        // UTF-8 is not copied: it streams as it is.
        assert_eq!(through("a,b\n".as_bytes(), false), None);
    }
}
