//! Splitting decoded text into records: our own RFC 4180 reader.
//!
//! The `csv` crate is lenient (it swallows unterminated quotes and keeps stray
//! quotes) and counts only LF as a line break, so positions in CR-only or
//! CRLF files come out wrong. This reader counts CRLF, LF and CR each as one
//! physical line, reports quoting mistakes instead of guessing, and never
//! panics: it only ever slices the text at ASCII bytes.

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use crate::sheet::error::Problem;

/// One record as written in the file, before any typing. Fields borrow from
/// the text unless unquoting changed them (doubled quotes).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawRecord<'a> {
    pub fields: Vec<Cow<'a, str>>,
    /// Physical line where the record starts.
    pub line: usize,
    /// Quoting mistakes: the field index and what is wrong.
    pub problems: Vec<(usize, Problem)>,
    /// The record was an empty line (no characters at all).
    pub empty_line: bool,
}

impl RawRecord<'_> {
    /// Whitespace-only and all-empty records carry no data.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }

    /// An unterminated quote swallows the rest of the file, so nothing in the
    /// record can be trusted.
    pub fn is_broken(&self) -> bool {
        self.problems
            .iter()
            .any(|(_, p)| matches!(p, Problem::UnterminatedQuote { .. }))
    }
}

/// Iterator over the records of `text`.
pub(crate) struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
    delimiter: u8,
}

impl<'a> Records<'a> {
    /// `first_line` is the physical line number of the first byte of `text`.
    pub fn new(text: &'a str, delimiter: u8, first_line: usize) -> Self {
        Records {
            text,
            pos: 0,
            line: first_line,
            delimiter,
        }
    }

    /// Byte offset just past the last record read.
    pub fn offset(&self) -> usize {
        self.pos
    }

    /// Physical line of the next record.
    pub fn line(&self) -> usize {
        self.line
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.text.as_bytes().get(at).copied()
    }

    /// Consumes one line break at `pos`, if there is one.
    fn eat_line_break(&mut self) -> bool {
        match self.byte(self.pos) {
            Some(b'\r') => {
                self.pos += if self.byte(self.pos + 1) == Some(b'\n') {
                    2
                } else {
                    1
                };
                self.line += 1;
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    fn is_field_end(&self, b: u8) -> bool {
        b == self.delimiter || b == b'\r' || b == b'\n'
    }

    /// Reads an unquoted field (or the tail after a closing quote) up to the
    /// next delimiter, line break or end of text.
    fn read_bare(&mut self) -> (&'a str, bool) {
        let start = self.pos;
        let mut saw_quote = false;
        while let Some(b) = self.byte(self.pos) {
            if self.is_field_end(b) {
                break;
            }
            saw_quote |= b == b'"';
            self.pos += 1;
        }
        (&self.text[start..self.pos], saw_quote)
    }

    /// Reads a quoted field; `pos` is just past the opening quote.
    fn read_quoted(
        &mut self,
        field_index: usize,
        problems: &mut Vec<(usize, Problem)>,
    ) -> Cow<'a, str> {
        let opened_line = self.line;
        let text = self.text;
        // Only a doubled quote forces a copy; `seg` is where the part not
        // yet copied starts.
        let mut owned: Option<String> = None;
        let mut seg = self.pos;
        let finish = |owned: Option<String>, seg: usize, end: usize| match owned {
            Some(mut s) => {
                s.push_str(&text[seg..end]);
                Cow::Owned(s)
            }
            None => Cow::Borrowed(&text[seg..end]),
        };
        let mut out = loop {
            match self.byte(self.pos) {
                None => {
                    problems.push((field_index, Problem::UnterminatedQuote { opened_line }));
                    return finish(owned, seg, text.len());
                }
                Some(b'"') => {
                    if self.byte(self.pos + 1) == Some(b'"') {
                        // A doubled quote stands for one quote character.
                        owned
                            .get_or_insert_with(String::new)
                            .push_str(&text[seg..=self.pos]);
                        self.pos += 2;
                        seg = self.pos;
                    } else {
                        let end = self.pos;
                        self.pos += 1;
                        break finish(owned, seg, end);
                    }
                }
                Some(b'\r' | b'\n') => {
                    self.eat_line_break();
                }
                Some(_) => self.pos += 1,
            }
        };
        if let Some(b) = self.byte(self.pos)
            && !self.is_field_end(b)
        {
            // `"abc"def`: keep the text so the user sees it, but say so.
            problems.push((field_index, Problem::TextAfterQuote));
            let (tail, _) = self.read_bare();
            out.to_mut().push_str(tail);
        }
        out
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = RawRecord<'a>;

    fn next(&mut self) -> Option<RawRecord<'a>> {
        if self.pos >= self.text.len() {
            return None;
        }
        let line = self.line;
        let empty_line = matches!(self.byte(self.pos), Some(b'\r' | b'\n'));
        let mut fields = Vec::new();
        let mut problems = Vec::new();
        loop {
            let index = fields.len();
            if self.byte(self.pos) == Some(b'"') {
                self.pos += 1;
                let field = self.read_quoted(index, &mut problems);
                fields.push(field);
            } else {
                let (field, saw_quote) = self.read_bare();
                if saw_quote {
                    problems.push((index, Problem::StrayQuote));
                }
                fields.push(Cow::Borrowed(field));
            }
            match self.byte(self.pos) {
                None => break,
                Some(b) if b == self.delimiter => self.pos += 1,
                Some(_) => {
                    self.eat_line_break();
                    break;
                }
            }
        }
        Some(RawRecord {
            fields,
            line,
            problems,
            empty_line,
        })
    }
}

/// Where the records start once an Excel `sep=X` line is taken off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Prelude {
    /// Delimiter named by a `sep=` line.
    pub delimiter: Option<u8>,
    /// Byte offset of the first record.
    pub body_start: usize,
    /// Physical line number of the first record.
    pub first_line: usize,
}

/// Recognises Excel's `sep=;` first line (also quoted as `"sep=;"`), which
/// names the delimiter and is a physical line but not a record.
pub(crate) fn prelude(text: &str) -> Prelude {
    let none = Prelude {
        delimiter: None,
        body_start: 0,
        first_line: 1,
    };
    let first_end = text.find(['\r', '\n']).unwrap_or(text.len());
    let first = &text[..first_end];
    let inner = first
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(first);
    let Some(rest) = inner.get(..4).filter(|p| p.eq_ignore_ascii_case("sep=")) else {
        return none;
    };
    let sep = &inner[rest.len()..];
    let &[delimiter] = sep.as_bytes() else {
        return none;
    };
    if matches!(delimiter, b'"' | b'\r' | b'\n') {
        return none;
    }
    let mut body_start = first_end;
    if text[body_start..].starts_with("\r\n") {
        body_start += 2;
    } else if body_start < text.len() {
        body_start += 1;
    }
    Prelude {
        delimiter: Some(delimiter),
        body_start,
        first_line: 2,
    }
}

/// How many records the delimiter sniffer looks at.
const SNIFF_RECORDS: usize = 50;

/// Picks `,`, `;` or TAB: the candidate whose header splits into more than
/// one field and whose following records most often have the header's field
/// count. Quotes are honoured, so delimiters inside quoted cells don't count.
/// Ties go to the comma.
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', (false, 0usize, 0usize));
    for candidate in [b',', b';', b'\t'] {
        let mut records = Records::new(text, candidate, 1)
            .filter(|r| !r.is_blank())
            .take(SNIFF_RECORDS);
        let Some(header) = records.next() else {
            return b',';
        };
        let width = header.fields.len();
        let consistent = records.filter(|r| r.fields.len() == width).count();
        let score = (width > 1, consistent, width);
        if score > best.1 {
            best = (candidate, score);
        }
    }
    best.0
}
