//! Records of a UTF-8 file read in chunks: a record that runs past the end
//! of a chunk is carried over and read again with the next one, so memory
//! stays at about one chunk whatever the file's size.

use super::input::Reader;
use std::io::{self, Read, Seek, SeekFrom};
use std::ops::ControlFlow;

use crate::sheet::records::{RawRecord, Records};

/// How much is read at a time.
const CHUNK: usize = 1 << 18;

/// The longest cell a streamed file may hold (256 KiB, eight times what
/// Excel keeps in a cell): a cell over it is refused, named by its row,
/// line and column, before more of it is read.
pub const MAX_CELL: usize = 256 << 10;

/// The longest record (512 KiB). Memory holds one record at a time, and
/// its fields' list grows with it (a record of empty fields is 12 bytes a
/// byte), so this bounds memory whatever the file.
pub(crate) const MAX_RECORD: usize = 512 << 10;

/// A record that ran over a limit: where it starts, which field was being
/// read, and whether that one cell alone is over [`MAX_CELL`]. The survey
/// fills in `data_row` and `column`, which the chunks do not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooLong {
    pub line: usize,
    pub field: usize,
    /// The cell opened with a quote (an unclosed quote reads the same way).
    pub quoted: bool,
    /// The cell alone is over [`MAX_CELL`]; otherwise the record is over
    /// [`MAX_RECORD`].
    pub cell: bool,
    pub data_row: usize,
    pub column: Option<String>,
}

/// Why a file cannot be streamed.
#[derive(Debug)]
pub(crate) enum ChunkError {
    Io(io::Error),
    /// Not UTF-8, or holding a NUL byte: read it whole (`sheet::decode`
    /// names the problem or the encoding).
    NotUtf8,
    /// A record ran over [`MAX_RECORD`] bytes, or a cell over [`MAX_CELL`].
    TooLong(TooLong),
}

impl ChunkError {
    /// Names the data row and the column of a [`TooLong`] record, from
    /// the records read before it and the file's header.
    pub(crate) fn at_row(self, data_row: usize, head: &RawRecord<'_>) -> Self {
        match self {
            ChunkError::TooLong(too_long) => ChunkError::TooLong(TooLong {
                data_row,
                column: head
                    .fields
                    .get(too_long.field)
                    .map(|name| name.trim().to_owned()),
                ..too_long
            }),
            other => other,
        }
    }
}

impl From<io::Error> for ChunkError {
    fn from(e: io::Error) -> Self {
        ChunkError::Io(e)
    }
}

/// Calls `f` with every record from byte `start` (the physical line
/// `first_line`) to the end of the file, in order, until it breaks.
pub(crate) fn each_record(
    file: &mut Reader,
    start: u64,
    first_line: usize,
    delimiter: u8,
    f: &mut dyn FnMut(&RawRecord<'_>) -> ControlFlow<()>,
) -> Result<(), ChunkError> {
    each_record_by(file, start, first_line, delimiter, CHUNK, None, f).map(|_| ())
}

/// [`each_record`] up to the first record that starts at byte `end` or
/// later: returns where that record starts and its line, `None` when the
/// file ended first (or `f` broke).
pub(crate) fn each_record_until(
    file: &mut Reader,
    start: u64,
    first_line: usize,
    delimiter: u8,
    end: u64,
    f: &mut dyn FnMut(&RawRecord<'_>) -> ControlFlow<()>,
) -> Result<Option<(u64, usize)>, ChunkError> {
    each_record_by(file, start, first_line, delimiter, CHUNK, Some(end), f)
}

/// [`each_record`] reading `chunk` bytes at a time (tests use tiny ones),
/// stopping before a record that starts at `end` or later.
fn each_record_by(
    file: &mut Reader,
    start: u64,
    first_line: usize,
    delimiter: u8,
    chunk: usize,
    end: Option<u64>,
    f: &mut dyn FnMut(&RawRecord<'_>) -> ControlFlow<()>,
) -> Result<Option<(u64, usize)>, ChunkError> {
    file.seek(SeekFrom::Start(start))?;
    let mut buf: Vec<u8> = Vec::with_capacity(chunk * 2);
    // The file offset of `buf[0]`.
    let mut base = start;
    let mut line = first_line;
    let mut eof = false;
    loop {
        if !eof {
            let len = buf.len();
            buf.resize(len + chunk, 0);
            let n = read_some(file, &mut buf[len..])?;
            buf.truncate(len + n);
            eof = n == 0;
        }
        let valid = match std::str::from_utf8(&buf) {
            Ok(_) => buf.len(),
            // A character cut by the chunk's end completes with the next.
            Err(e) if e.error_len().is_none() && !eof => e.valid_up_to(),
            Err(_) => return Err(ChunkError::NotUtf8),
        };
        let text = std::str::from_utf8(&buf[..valid]).map_err(|_| ChunkError::NotUtf8)?;
        if text.contains('\0') {
            return Err(ChunkError::NotUtf8);
        }
        let mut records = Records::new(text, delimiter, line);
        let mut consumed = 0;
        loop {
            let at = base + records.offset() as u64;
            if end.is_some_and(|end| at >= end) {
                return Ok(Some((at, records.line())));
            }
            let Some(record) = records.next() else { break };
            // A record that reaches the end of the text may continue in
            // the next chunk (even a lone CR may be half of a CRLF).
            if !eof && records.offset() >= text.len() {
                break;
            }
            consumed = records.offset();
            line = records.line();
            if f(&record).is_break() {
                return Ok(None);
            }
        }
        buf.drain(..consumed);
        base += consumed as u64;
        if eof {
            return Ok(None);
        }
        if buf.len() > MAX_CELL {
            let (field, start, quoted) = in_progress(&buf, delimiter);
            let cell = buf.len() - start > MAX_CELL;
            if cell || buf.len() > MAX_RECORD {
                return Err(ChunkError::TooLong(TooLong {
                    line,
                    field,
                    quoted,
                    cell,
                    data_row: 0,
                    column: None,
                }));
            }
        }
    }
}

/// The field a partial record is in the middle of: its index, the byte it
/// starts at, and whether it opened with a quote.
fn in_progress(record: &[u8], delimiter: u8) -> (usize, usize, bool) {
    let (mut field, mut start, mut quoted, mut inside) = (0, 0, false, false);
    for (i, &b) in record.iter().enumerate() {
        if i == start && b == b'"' {
            quoted = true;
            inside = true;
        } else if b == b'"' && quoted {
            // A doubled quote toggles twice: still inside.
            inside = !inside;
        } else if b == delimiter && !inside {
            field += 1;
            start = i + 1;
            quoted = false;
        }
    }
    (field, start, quoted)
}

fn read_some(file: &mut Reader, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match file.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// The first bytes of the file (at most one chunk), for the byte-order
/// mark, an Excel `sep=` line and the delimiter sniffer.
pub(crate) fn head(file: &mut Reader) -> io::Result<Vec<u8>> {
    file.seek(SeekFrom::Start(0))?;
    let mut buf = vec![0; CHUNK];
    let mut filled = 0;
    while filled < buf.len() {
        let n = read_some(file, &mut buf[filled..])?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    buf.truncate(filled);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records of `text` read in chunks of `chunk` bytes, owned.
    fn chunked(text: &str, chunk: usize) -> Vec<RawRecord<'static>> {
        let input = super::super::Input::Text {
            text: text.into(),
            encoding: crate::sheet::Encoding::Utf8,
        };
        let mut file = input.open().expect("open");
        let mut out = Vec::new();
        each_record_by(&mut file, 0, 1, b',', chunk, None, &mut |r| {
            out.push(RawRecord {
                fields: r.fields.iter().map(|f| f.to_string().into()).collect(),
                line: r.line,
                problems: r.problems.clone(),
                empty_line: r.empty_line,
            });
            ControlFlow::Continue(())
        })
        .map_err(|e| format!("{e:?}"))
        .expect("reads");
        out
    }

    fn whole(text: &str) -> Vec<RawRecord<'_>> {
        Records::new(text, b',', 1).collect()
    }

    #[test]
    fn a_crlf_or_a_character_cut_by_a_chunk_is_read_whole() {
        let text = "a,\"b\r\nc\"\r\né,🦀\r\n\r\nx,\"y\"\"z\"\n";
        for chunk in 1..12 {
            assert_eq!(chunked(text, chunk), whole(text), "chunk {chunk}");
        }
    }

    proptest! {
        #[test]
        fn chunks_of_any_size_read_the_same_records(
            parts in proptest::collection::vec(
                prop_oneof![
                    Just("a"), Just("bc"), Just(","), Just("\""), Just("\r"), Just("\n"),
                    Just("\r\n"), Just("é"), Just("🦀"), Just(";"), Just(" "),
                ],
                0..60,
            ),
            chunk in 1usize..16,
        ) {
            let text: String = parts.concat();
            prop_assert_eq!(chunked(&text, chunk), whole(&text));
        }
    }
}
