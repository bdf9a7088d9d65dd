//! HTTP plumbing shared by the routes: the request as the routes read it
//! (path, decoded parameters, headers, a body read under a size limit),
//! responses with CORS headers, content negotiation and the bearer-token
//! check.
//!
//! Owns: nothing of SPARQL or HTML. Must not: read a body without a limit,
//! or compare a token in time that depends on where it differs.

use std::io::Read;
use tiny_http::{Header, Method};

/// One request, read up to its body.
pub struct Req {
    pub method: Method,
    pub path: String,
    /// Parameters of the URL's query string, decoded, in order.
    pub params: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// A finished answer.
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Resp {
        Resp {
            status,
            content_type: content_type.to_string(),
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// A plain-text error: one line saying what went wrong.
    pub fn error(status: u16, message: impl Into<String>) -> Resp {
        let mut m = message.into();
        m.push('\n');
        Resp::new(status, "text/plain; charset=utf-8", m)
    }

    pub fn no_content() -> Resp {
        Resp::new(204, "text/plain; charset=utf-8", Vec::new())
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Resp {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Into tiny_http's response, with the CORS headers every answer
    /// carries (browser SPARQL editors read them).
    pub fn into_tiny(self) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        let mut r = tiny_http::Response::from_data(self.body).with_status_code(self.status);
        let mut add = |n: &str, v: &str| {
            if let Ok(h) = Header::from_bytes(n.as_bytes(), v.as_bytes()) {
                r.add_header(h);
            }
        };
        add("Content-Type", &self.content_type);
        add("Access-Control-Allow-Origin", "*");
        add("X-Content-Type-Options", "nosniff");
        for (n, v) in &self.headers {
            add(n, v);
        }
        r
    }
}

/// Why a request body was not read.
pub enum BodyError {
    TooLarge,
    Io(std::io::Error),
}

impl Req {
    /// Reads a request: its URL decoded, its body up to `max_body` bytes.
    pub fn read(r: &mut tiny_http::Request, max_body: usize) -> Result<Req, BodyError> {
        let url = r.url().to_string();
        let (path, query) = url.split_once('?').unwrap_or((&url, ""));
        let headers: Vec<(String, String)> = r
            .headers()
            .iter()
            .map(|h| (h.field.as_str().to_string(), h.value.as_str().to_string()))
            .collect();
        if r.body_length().is_some_and(|n| n > max_body) {
            return Err(BodyError::TooLarge);
        }
        let mut body = Vec::new();
        let got = r
            .as_reader()
            .take(max_body as u64 + 1)
            .read_to_end(&mut body)
            .map_err(BodyError::Io)?;
        if got > max_body {
            return Err(BodyError::TooLarge);
        }
        Ok(Req {
            method: r.method().clone(),
            path: percent_decode(path, false).unwrap_or_else(|| path.to_string()),
            params: parse_form(query),
            headers,
            body,
        })
    }

    /// The first value of a header (names compared without case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a URL parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body's media type, without parameters, in lower case.
    pub fn media_type(&self) -> String {
        self.header("Content-Type")
            .map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default()
    }
}

/// Decodes `%XX` escapes (and `+` as a space in forms); `None` when the
/// result is not UTF-8 or an escape is broken.
pub fn percent_decode(s: &str, plus_is_space: bool) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a URL component (everything but unreserved characters).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `a=1&b=x+y` → pairs; broken pairs are left out.
pub fn parse_form(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Some((percent_decode(k, true)?, percent_decode(v, true)?))
        })
        .collect()
}

/// Picks the first of `offered` (media types, best first when the client
/// does not care) that the `Accept` header allows, by its quality values.
/// No header, or `*/*`, gives the first offered. `None`: nothing fits.
pub fn negotiate<'a>(accept: Option<&str>, offered: &[&'a str]) -> Option<&'a str> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return offered.first().copied();
    };
    // (media range, quality, order given)
    let mut ranges: Vec<(String, f32, usize)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut it = part.split(';');
            let range = it.next()?.trim().to_ascii_lowercase();
            if range.is_empty() {
                return None;
            }
            let q = it
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((range, q, i))
        })
        .collect();
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    let matches = |range: &str, t: &str| {
        range == t
            || range == "*/*"
            || range
                .strip_suffix("/*")
                .is_some_and(|major| t.split('/').next() == Some(major))
    };
    let mut best: Option<(&'a str, f32)> = None;
    for t in offered {
        // The most specific range that names the type decides its quality.
        let q = ranges
            .iter()
            .filter(|(r, _, _)| matches(r, t))
            .max_by_key(|(r, _, _)| {
                if r == t {
                    2
                } else if r == "*/*" {
                    0
                } else {
                    1
                }
            })
            .map(|(_, q, _)| *q);
        if let Some(q) = q.filter(|q| *q > 0.0) {
            if best.is_none_or(|(_, b)| q > b) {
                best = Some((t, q));
            }
        }
    }
    best.map(|(t, _)| t)
}

/// Whether the request carries `Authorization: Bearer <token>` for this
/// token. Both sides are hashed first and the digests compared byte by
/// byte without stopping early, so the time taken says nothing of where a
/// guess went wrong (nor of the token's length).
pub fn bearer_matches(header: Option<&str>, token: &str) -> bool {
    use sha2::{Digest, Sha256};
    let given = header
        .and_then(|h| {
            let (scheme, rest) = h.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .unwrap_or("");
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(token.as_bytes());
    let diff = a.iter().zip(b.iter()).fold(0u8, |d, (x, y)| d | (x ^ y));
    // A missing header never matches, even an empty token (refused at start).
    diff == 0 && !given.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_urls_decode_percent_escapes_and_plus() {
        assert_eq!(
            parse_form("query=SELECT+*+%7B%7D&x=%D8%A5%D9%8A%D8%B1%D8%A7%D9%86"),
            vec![
                ("query".into(), "SELECT * {}".into()),
                ("x".into(), "إيران".into())
            ]
        );
        assert_eq!(percent_decode("a+b", false).as_deref(), Some("a+b"));
        assert_eq!(percent_decode("%zz", false), None);
        assert_eq!(percent_decode("%ff", false), None, "not UTF-8");
        assert_eq!(
            percent_decode(&percent_encode("https://x/y?z=إ"), false).as_deref(),
            Some("https://x/y?z=إ")
        );
    }

    #[test]
    fn negotiation_follows_quality_then_the_servers_order() {
        let offered = ["application/json", "text/csv", "application/xml"];
        assert_eq!(negotiate(None, &offered), Some("application/json"));
        assert_eq!(negotiate(Some("*/*"), &offered), Some("application/json"));
        assert_eq!(negotiate(Some("text/csv"), &offered), Some("text/csv"));
        assert_eq!(
            negotiate(Some("application/xml;q=0.9, text/csv"), &offered),
            Some("text/csv")
        );
        assert_eq!(
            negotiate(Some("text/*, application/json;q=0.1"), &offered),
            Some("text/csv")
        );
        assert_eq!(negotiate(Some("image/png"), &offered), None);
        assert_eq!(
            negotiate(Some("*/*;q=0.1, application/json;q=0"), &offered),
            Some("text/csv")
        );
    }

    #[test]
    fn only_the_exact_bearer_token_passes() {
        assert!(bearer_matches(Some("Bearer s3cret"), "s3cret"));
        assert!(bearer_matches(Some("bearer  s3cret "), "s3cret"));
        assert!(!bearer_matches(Some("Bearer s3cre"), "s3cret"));
        assert!(!bearer_matches(Some("Bearer s3cretx"), "s3cret"));
        assert!(!bearer_matches(Some("Basic s3cret"), "s3cret"));
        assert!(!bearer_matches(Some("s3cret"), "s3cret"));
        assert!(!bearer_matches(None, "s3cret"));
        assert!(!bearer_matches(Some("Bearer "), ""));
    }
}
