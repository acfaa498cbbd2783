//! Naming what is wrong with a large file that is neither UTF-8 nor an
//! encoding concierge converts, before anything reads it whole: a sparse file,
//! a file of NULs or random bytes is refused from its first MiB, and a
//! file that goes bad later is refused at the line where it does, read a
//! chunk at a time. Memory stays at one chunk whatever the file.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::decode;
use crate::sheet::error::Problem;

const HEAD: usize = 1 << 20;
const CHUNK: usize = 256 * 1024;

/// Why `path` cannot be imported, in the words `decode` uses; `None` when
/// no NUL byte or invalid UTF-8 was found (the caller may read it whole).
pub fn large_file_fault(path: &Path) -> io::Result<Option<String>> {
    let mut file = File::open(path)?;
    let mut head = vec![0u8; HEAD];
    let got = read_full(&mut file, &mut head)?;
    head.truncate(got);
    // A line cut by the head's end would look like a cut character.
    let whole_lines = if got == HEAD {
        head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)
    } else {
        got
    };
    match decode(&head[..whole_lines]) {
        Err(e) => return Ok(Some(e.to_string())),
        // UTF-16 or Windows-1252: for the decoder to read, not a fault.
        Ok(d) if d.encoding != super::Encoding::Utf8 => return Ok(None),
        Ok(_) => {}
    }
    // The head is sound: find the first bad byte after it.
    let mut line = 1 + newlines(&head[..whole_lines]);
    let mut carry = head.split_off(whole_lines);
    drop(head);
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_full(&mut file, &mut buf)?;
        carry.extend_from_slice(&buf[..n]);
        let eof = n == 0;
        let (valid, bad) = match std::str::from_utf8(&carry) {
            Ok(_) => (carry.len(), None),
            Err(e) if e.error_len().is_none() && !eof => (e.valid_up_to(), None),
            Err(e) => (e.valid_up_to(), carry.get(e.valid_up_to()).copied()),
        };
        if let Some(nul) = carry[..valid].iter().position(|&b| b == 0) {
            line += newlines(&carry[..nul]);
            return Ok(Some(format!("line {line}: {}", Problem::NulByte)));
        }
        line += newlines(&carry[..valid]);
        if let Some(byte) = bad {
            return Ok(Some(format!(
                "line {line}: {} (the file's start is UTF-8: mixed encodings?)",
                Problem::InvalidUtf8 { byte }
            )));
        }
        if eof {
            return Ok(None);
        }
        carry.drain(..valid);
    }
}

fn newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(bytes: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).expect("write");
        large_file_fault(&path).expect("read")
    }

    #[test]
    fn garbage_is_named_from_the_head_and_later_faults_by_their_line() {
        let mut zeros = b"customer,recorded_on\n".to_vec();
        zeros.resize(3 << 20, 0);
        let text = fault(&zeros).expect("a fault");
        assert!(text.contains("NUL byte"), "{text}");

        let mut late = Vec::new();
        for i in 0..100_000 {
            late.extend_from_slice(format!("C-{i},2026-01-01,ok\n").as_bytes());
        }
        let lines = newlines(&late);
        late.extend_from_slice(b"C-x,2026-01-01,caf\xe9\n");
        assert_eq!(
            fault(&late).expect("a fault"),
            format!(
                "line {}: invalid UTF-8 (byte 0xE9) (the file's start is UTF-8: mixed encodings?)",
                lines + 1
            )
        );
        late.truncate(late.len() - 20);
        late.extend_from_slice(b"\0\n");
        assert!(
            fault(&late)
                .expect("a fault")
                .starts_with(&format!("line {}: contains a NUL", lines + 1))
        );
        late.truncate(late.len() - 2);
        assert_eq!(fault(&late), None);
    }
}
