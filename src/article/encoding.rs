//! Bytes → text: UTF-8 (with or without BOM), UTF-16 (with a BOM, or
//! without one when every other byte says so), Windows-1256.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1256};

/// Decodes a file's bytes, or says why it cannot.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8(rest.to_vec()).map_err(|e| {
            format!("starts with a UTF-8 byte-order mark but is not valid UTF-8 ({e})")
        });
    }
    for (bom, enc) in [(&[0xFF, 0xFE], UTF_16LE), (&[0xFE, 0xFF], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                return Err(format!("is not valid {} text", enc.name()));
            }
            return Ok(text.into_owned());
        }
    }
    // Without a byte-order mark: Arabic and Latin text in UTF-16 has 0x06
    // or 0x00 for every high byte (ASCII letters are valid UTF-8 too, so
    // this comes first).
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors && looks_like_text(&text) {
            return Ok(text.into_owned());
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if text.contains('\0') {
            return Err("looks binary (it contains NUL bytes); expected UTF-8, UTF-16 with a byte-order mark, or Windows-1256 text".into());
        }
        return Ok(text.to_string());
    }
    let (text, had_errors) = WINDOWS_1256.decode_without_bom_handling(bytes);
    if !had_errors && looks_like_text(&text) {
        return Ok(text.into_owned());
    }
    Err("has an unknown encoding: expected UTF-8, UTF-16 with a byte-order mark, or Windows-1256 (Arabic) text".into())
}

/// The UTF-16 byte order whose high bytes are all 0x00 or 0x06 (the ASCII
/// and Arabic blocks), at least one of them 0x06 or a NUL beside a
/// non-NUL; `None` when neither order reads so.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if bytes.len() < 2 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let high = |first: usize| bytes.iter().skip(first).step_by(2);
    let all_high = |first: usize| high(first).all(|&b| b == 0x00 || b == 0x06);
    let some_text = |first: usize| {
        let low = 1 - first;
        high(first).any(|&b| b == 0x06) || bytes.iter().skip(low).step_by(2).any(|&b| b != 0)
    };
    if all_high(1) && some_text(1) {
        Some(UTF_16LE)
    } else if all_high(0) && some_text(0) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Windows-1256 decodes almost any byte string; accept it only when the
/// result reads like Arabic or Latin prose rather than binary noise.
fn looks_like_text(text: &str) -> bool {
    let total = text.chars().count().max(1);
    let mut good = 0;
    let mut arabic = 0;
    for c in text.chars() {
        if c == '\0' || (c.is_control() && !c.is_whitespace()) {
            return false;
        }
        if ('\u{0600}'..='\u{06FF}').contains(&c) {
            arabic += 1;
            good += 1;
        } else if c.is_ascii_graphic() || c.is_whitespace() || "«»“”–—…".contains(c) {
            good += 1;
        }
    }
    arabic > 0 && good * 100 >= total * 95
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected() {
        let text = "إيران وباكستان";
        assert_eq!(decode(text.as_bytes()).unwrap(), text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le).unwrap(), text);
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap(), text);
        let (cp1256, _, _) = WINDOWS_1256.encode(text);
        assert_eq!(decode(&cp1256).unwrap(), text);
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_told_by_its_high_bytes() {
        let text = "إيران وباكستان 2024\nقال: «نعم»";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&le).unwrap(), text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be).unwrap(), text);
        // Arabic letters only: no NUL, every byte valid ASCII, still UTF-16
        let letters: Vec<u8> = "ايران".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&letters).unwrap(), "ايران");
        // plain ASCII and UTF-8 Arabic of even length stay UTF-8
        assert_eq!(decode(b"abcd").unwrap(), "abcd");
        assert_eq!(decode("ايران".as_bytes()).unwrap(), "ايران");
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(&[0x00, 0x01, 0x02, 0xff, 0x80, 0x81]).is_err());
        assert!(decode(b"abc\0def").is_err());
    }
}
