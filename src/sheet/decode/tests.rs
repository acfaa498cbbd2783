//! Encoding detection and positioned decode errors.

use super::*;

#[test]
fn plain_utf8_and_bom() {
    let d = decode("id,name\nC-1,Björk".as_bytes()).expect("utf-8");
    assert_eq!(d.encoding, Encoding::Utf8);
    assert!(!d.needs_confirmation);
    let d = decode(b"\xEF\xBB\xBFid\r\n").expect("bom");
    assert_eq!((d.text.as_str(), d.encoding), ("id\r\n", Encoding::Utf8Bom));
}

#[test]
fn utf16_both_byte_orders() {
    let text = "id\tname\r\nC-1\tCafé 😀\r\n";
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    assert_eq!(decode(&le).expect("le").text, text);
    assert_eq!(decode(&be).expect("be").encoding, Encoding::Utf16Be);
    le.push(0x41);
    assert_eq!(decode(&le).expect_err("odd").problem, Problem::InvalidUtf16);
}

#[test]
fn unpaired_surrogate_is_refused() {
    let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
    assert_eq!(
        decode(&bytes).expect_err("surrogate").problem,
        Problem::InvalidUtf16
    );
}

#[test]
fn windows_1252_when_no_utf8_multibyte_anywhere() {
    let d = decode(b"id,name\r\nC-1,Caf\xE9 \x80\x93x\x94\r\n").expect("1252");
    assert_eq!(d.encoding, Encoding::Windows1252);
    assert!(d.needs_confirmation);
    assert_eq!(d.text, "id,name\r\nC-1,Café €“x”\r\n");
}

#[test]
fn mixed_encodings_are_refused_at_the_first_bad_byte() {
    let bytes = "id,name\r\nC-1,Søn\r\nC-2,Caf"
        .bytes()
        .chain([0xE9, b'\r', b'\n'])
        .collect::<Vec<_>>();
    let e = decode(&bytes).expect_err("mixed");
    assert_eq!(e.problem, Problem::InvalidUtf8 { byte: 0xE9 });
    assert_eq!(
        (e.data_row, e.line, e.column.as_deref()),
        (2, 3, Some("name"))
    );
}

#[test]
fn undefined_windows_1252_byte_is_refused() {
    let e = decode(b"id\n\x81").expect_err("undefined");
    assert_eq!(e.problem, Problem::InvalidUtf8 { byte: 0x81 });
    assert_eq!((e.data_row, e.line), (1, 2));
}

#[test]
fn bad_byte_in_header_or_after_sep_line() {
    let e = decode(b"id,na\xC3me\nC-1,\xC3\xB6\n").expect_err("header");
    assert_eq!((e.data_row, e.line, e.column), (0, 1, None));
    let bytes = "sep=;\nid;name\nC-1;ö\nC-2;"
        .bytes()
        .chain([0xFF])
        .collect::<Vec<_>>();
    let e = decode(&bytes).expect_err("sep");
    assert_eq!(
        (e.data_row, e.line, e.column.as_deref()),
        (2, 4, Some("name"))
    );
}

#[test]
fn nul_bytes_are_a_named_error() {
    let e = decode(b"id,name\nC-1,a\0b\n").expect_err("nul");
    assert_eq!(e.problem, Problem::NulByte);
    assert_eq!(
        (e.data_row, e.line, e.column.as_deref()),
        (1, 2, Some("name"))
    );
    // UTF-16 without a BOM is full of NULs.
    assert_eq!(
        decode(b"i\0d\0").expect_err("utf16").problem,
        Problem::NulByte
    );
}

#[test]
fn never_produces_replacement_characters() {
    for bytes in [&b"a\xFFb"[..], b"\xC3", b"\xEF\xBB\xBF\xC3\x28"] {
        if let Ok(d) = decode(bytes) {
            assert!(!d.text.contains('\u{FFFD}'));
        }
    }
}
