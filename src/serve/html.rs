//! Building HTML that cannot carry a stranger's markup. Markup comes only
//! from `&'static str` pieces written in this program; every string from
//! the store (titles, bodies, quotes, labels, IRIs, URLs) goes through
//! [`Html::text`] or an attribute value, both escaped; a link to outside
//! is written only for `http:`/`https:` URLs.
//!
//! Owns: escaping. Must not: offer a way to add a runtime string unescaped.

use std::fmt::Write;

/// Escapes text for an HTML text node or a quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The URL itself when it is a plain `http:` or `https:` URL (no
/// `javascript:`, `data:` or other scheme), else `None`.
pub fn safe_url(u: &str) -> Option<&str> {
    let t = u.trim();
    let lower = t.to_ascii_lowercase();
    let ok = (lower.starts_with("http://") || lower.starts_with("https://"))
        && !t.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(t)
}

/// A page being written.
#[derive(Default)]
pub struct Html {
    buf: String,
}

impl Html {
    pub fn new() -> Html {
        Html::default()
    }

    /// Markup written in this program.
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.buf.push_str(markup);
        self
    }

    /// Text from anywhere, escaped.
    pub fn text(&mut self, s: &str) -> &mut Self {
        escape_into(&mut self.buf, s);
        self
    }

    /// A number.
    pub fn num(&mut self, n: impl std::fmt::Display) -> &mut Self {
        let _ = write!(self.buf, "{n}");
        self
    }

    /// `<tag a="v" …>` with every value escaped.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.buf.push('<');
        self.buf.push_str(tag);
        for (name, value) in attrs {
            self.buf.push(' ');
            self.buf.push_str(name);
            self.buf.push_str("=\"");
            escape_into(&mut self.buf, value);
            self.buf.push('"');
        }
        self.buf.push('>');
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.buf.push_str("</");
        self.buf.push_str(tag);
        self.buf.push('>');
        self
    }

    /// `<tag attrs>text</tag>`.
    pub fn elem(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, &str)],
        text: &str,
    ) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// A link inside this site: `path` is ours, `value` percent-encoded
    /// into its parameter.
    pub fn internal_link(
        &mut self,
        path: &'static str,
        value: &str,
        fragment: Option<&str>,
        text: &str,
        class: &'static str,
    ) -> &mut Self {
        let href = internal_href(path, value, fragment);
        self.open("a", &[("href", &href), ("class", class)])
            .text(text)
            .close("a")
    }

    /// A link to another site, only for http(s) URLs; other URLs are
    /// shown as text.
    pub fn external_link(&mut self, url: &str, text: &str) -> &mut Self {
        match safe_url(url) {
            Some(u) => self
                .open(
                    "a",
                    &[
                        ("href", u),
                        ("rel", "noopener noreferrer nofollow"),
                        ("class", "ext"),
                    ],
                )
                .text(text)
                .close("a"),
            None => self.text(text),
        }
    }

    pub fn finish(self) -> String {
        self.buf
    }
}

/// `/path?iri=…#fragment` with the value percent-encoded.
pub fn internal_href(path: &'static str, value: &str, fragment: Option<&str>) -> String {
    let mut href = format!("{path}?iri={}", super::http::percent_encode(value));
    if let Some(f) = fragment {
        href.push('#');
        href.push_str(&super::http::percent_encode(f));
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_carry_no_markup() {
        let mut h = Html::new();
        h.open("a", &[("title", "\"><img src=x onerror=alert(1)>")])
            .text("<script>alert('x')</script>")
            .close("a");
        let out = h.finish();
        assert_eq!(
            out,
            "<a title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a>"
        );
    }

    #[test]
    fn only_http_and_https_urls_become_links() {
        assert_eq!(
            safe_url(" https://a.example/x "),
            Some("https://a.example/x")
        );
        assert_eq!(safe_url("HTTP://a.example"), Some("HTTP://a.example"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,<script>"), None);
        assert_eq!(safe_url("https://a.example/\njavascript:x"), None);
        let mut h = Html::new();
        h.external_link("javascript:alert(1)", "click");
        assert_eq!(h.finish(), "click");
    }

    #[test]
    fn internal_links_percent_encode_their_value() {
        assert_eq!(
            internal_href(
                "/entity",
                "https://w3id.org/isnad/id/person/x?\"<>",
                Some("claim-1")
            ),
            "/entity?iri=https%3A%2F%2Fw3id.org%2Fisnad%2Fid%2Fperson%2Fx%3F%22%3C%3E#claim-1"
        );
    }
}
