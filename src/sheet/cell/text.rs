//! Text-like cells: free text with the apostrophe escape, booleans, choices,
//! ids and the spreadsheet damage that shows up in them.

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use crate::sheet::error::Problem;

/// Characters after a leading apostrophe that mark the app's formula escape.
const ESCAPED_AFTER_APOSTROPHE: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\''];

/// Leading characters that make a spreadsheet run a cell as a formula.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Undoes the export escape: one leading `'` is removed when the next
/// character is `= + - @ TAB CR` or another `'`, or when the rest is a
/// spreadsheet error value (text typed as `#N/A` in a form). Anything else
/// (`'plain`) is kept as typed, since the app never writes it.
pub fn unescape_apostrophe(raw: &str) -> &str {
    match raw.strip_prefix('\'') {
        Some(rest) if rest.starts_with(ESCAPED_AFTER_APOSTROPHE) || is_spreadsheet_error(rest) => {
            rest
        }
        _ => raw,
    }
}

/// Text that needs the apostrophe on export: formula-looking text, text
/// that already starts with an apostrophe (so the escape stays reversible),
/// and text that reads as a spreadsheet error value (which an import
/// refuses unescaped).
pub fn needs_apostrophe(text: &str) -> bool {
    text.starts_with(FORMULA_START) || text.starts_with('\'') || is_spreadsheet_error(text)
}

/// CRLF and CR inside a cell become LF.
pub fn normalize_line_breaks(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A text cell as stored: exact except for line breaks and the escape. A
/// spreadsheet error value (`#NAME?`, `#REF!`…) is refused by name, as in
/// every other column: it is what a failed formula left, not the text.
pub fn parse_text(raw: &str, multiline: bool) -> Result<String, Problem> {
    if is_spreadsheet_error(raw) {
        return Err(Problem::SpreadsheetError(raw.trim().to_owned()));
    }
    let text = normalize_line_breaks(unescape_apostrophe(raw));
    if !multiline && text.contains('\n') {
        return Err(Problem::LineBreak);
    }
    Ok(text.into_owned())
}

/// True/false spellings from English, German, French, Spanish and Dutch
/// spreadsheets and from hand typing.
pub fn parse_bool(raw: &str) -> Result<bool, Problem> {
    const TRUE: [&str; 13] = [
        "true", "t", "yes", "y", "1", "wahr", "ja", "vrai", "oui", "sí", "SÍ", "si", "on",
    ];
    const FALSE: [&str; 11] = [
        "false", "f", "no", "n", "0", "falsch", "nein", "faux", "non", "off", "nee",
    ];
    let t = raw.trim();
    if TRUE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Ok(true)
    } else if FALSE.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        Ok(false)
    } else {
        Err(Problem::NotABoolean(t.to_owned()))
    }
}

/// Matches a choice case-insensitively and returns the list's spelling.
pub fn parse_choice(raw: &str, options: &[String]) -> Result<String, Problem> {
    let wanted = unescape_apostrophe(raw.trim()).to_lowercase();
    options
        .iter()
        .find(|o| o.to_lowercase() == wanted)
        .cloned()
        .ok_or_else(|| Problem::NotAChoice {
            raw: raw.trim().to_owned(),
            options: options.to_vec(),
        })
}

/// Error values a spreadsheet writes into a cell whose formula failed.
const SPREADSHEET_ERRORS: [&str; 12] = [
    "#NAME?",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#N/A",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#ERROR!",
    "#FIELD!",
];

/// True when the (trimmed) cell is a spreadsheet error value like `#REF!`.
pub fn is_spreadsheet_error(raw: &str) -> bool {
    let t = raw.trim();
    SPREADSHEET_ERRORS.iter().any(|e| e.eq_ignore_ascii_case(t))
}

/// True for ids a spreadsheet turned into a number, like `1.23E+05`.
fn is_scientific(id: &str) -> bool {
    let Some((mantissa, exp)) = id.split_once(['e', 'E']) else {
        return false;
    };
    let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
    let mantissa_ok = !mantissa.is_empty()
        && mantissa
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        && mantissa.bytes().next().is_some_and(|b| b.is_ascii_digit());
    mantissa_ok && !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit())
}

/// Reads the id cell: trimmed; blank means a new row (`Ok(None)`). The
/// prefix is matched case-insensitively and returned in the schema's spelling.
pub fn parse_id(raw: &str, prefix: &str) -> Result<Option<String>, Problem> {
    let id = raw.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if is_scientific(id) {
        return Err(Problem::IdScientific(id.to_owned()));
    }
    let head = id
        .get(..prefix.len())
        .filter(|h| h.eq_ignore_ascii_case(prefix));
    match head {
        Some(_) if id.len() > prefix.len() || prefix.is_empty() => {
            Ok(Some(format!("{prefix}{}", &id[prefix.len()..])))
        }
        _ => Err(Problem::IdPrefix {
            raw: id.to_owned(),
            prefix: prefix.to_owned(),
        }),
    }
}

/// Reads the `_rev` cell: blank means unknown.
pub fn parse_rev(raw: &str) -> Result<Option<i64>, Problem> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::BadRev(t.to_owned()));
    }
    t.parse()
        .map(Some)
        .map_err(|_| Problem::BadRev(t.to_owned()))
}
