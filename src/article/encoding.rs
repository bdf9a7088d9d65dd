//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1256.

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
    fn binary_is_refused() {
        assert!(decode(&[0x00, 0x01, 0x02, 0xff, 0x80, 0x81]).is_err());
        assert!(decode(b"abc\0def").is_err());
    }
}
