//! The one place HTML (and XML) is escaped outside views: mail bodies, the feed and
//! the sitemap, small pages, SVG charts, the catalog's cards and the cached area header.
//! `text` and `attribute` escape exactly as Leptos escapes views (so markup written by
//! hand matches what a view renders); `escape` is safe in any context (text, a single-
//! or double-quoted attribute, XML). CI's architecture check keeps escaping here.

use std::borrow::Cow;

/// Escapes text between tags (`&`, `<`, `>`), as Leptos does for a view's text.
pub fn text(raw: &str) -> Cow<'_, str> {
    html_escape::encode_text(raw)
}

/// Escapes a double-quoted attribute value (`&`, `<`, `>`, `"`), as Leptos does.
pub fn attribute(raw: &str) -> Cow<'_, str> {
    html_escape::encode_double_quoted_attribute(raw)
}

/// Escapes for any context: text, either kind of quoted attribute, XML content.
pub fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_context_is_escaped() {
        let hostile = r#"<a href="x" onclick='y'>&</a>"#;
        assert_eq!(escape(hostile), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
        assert_eq!(text(hostile), r#"&lt;a href="x" onclick='y'&gt;&amp;&lt;/a&gt;"#);
        assert_eq!(attribute(hostile), "&lt;a href=&quot;x&quot; onclick='y'&gt;&amp;&lt;/a&gt;");
        assert_eq!(escape("plain"), "plain");
    }
}
