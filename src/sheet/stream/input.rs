//! Where a stream's bytes come from: a file on disk, read again for each
//! pass, or text already in memory (a decoded file, a test's string). Both
//! read through [`Reader`], so the survey and the rows never know which.

use std::fs::File;
use std::io::{self, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::Arc;

use crate::sheet::decode::Encoding;

/// What a stream reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file, UTF-8 with or without a byte-order mark.
    File(PathBuf),
    /// Text already decoded (its byte-order mark removed), read as `encoding`.
    Text { text: Arc<str>, encoding: Encoding },
}

impl Input {
    pub(crate) fn open(&self) -> io::Result<Reader> {
        Ok(match self {
            Input::File(path) => Reader::File(File::open(path)?),
            Input::Text { text, .. } => Reader::Text(Cursor::new(Bytes(Arc::clone(text)))),
        })
    }
}

/// Text in memory as bytes, for a [`Cursor`].
#[derive(Debug)]
pub(crate) struct Bytes(Arc<str>);

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// An open [`Input`].
#[derive(Debug)]
pub(crate) enum Reader {
    File(File),
    Text(Cursor<Bytes>),
}

impl Reader {
    /// The length in bytes.
    pub fn len(&self) -> io::Result<u64> {
        match self {
            Reader::File(f) => Ok(f.metadata()?.len()),
            Reader::Text(c) => Ok(c.get_ref().as_ref().len() as u64),
        }
    }
}

impl Read for Reader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Reader::File(f) => f.read(buf),
            Reader::Text(c) => c.read(buf),
        }
    }
}

impl Seek for Reader {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            Reader::File(f) => f.seek(pos),
            Reader::Text(c) => c.seek(pos),
        }
    }
}
