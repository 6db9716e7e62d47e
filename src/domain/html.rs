//! The one place HTML (and XML) is escaped outside views: mail bodies, the feed and
//! the sitemap, small pages, SVG charts, the catalog's cards and the cached area header.
//! `text` and `attribute` escape exactly as Leptos escapes views (so markup written by
//! hand matches what a view renders); `escape` is safe in any context (text, a single-
//! or double-quoted attribute, XML). CI's architecture check keeps escaping here.

use std::borrow::Cow;

/// HTML that may go into a page or a mail as it is. It is made only by this module's
/// constructors: from escaped text, from markup written into the program (`&'static`),
/// from a template whose every value is escaped, or (`from_writer`) by the few writers
/// that escape everything they emit — the Markdown sanitiser, the SVG chart, the
/// catalog's cards and the JSON-LD writers; CI's architecture check keeps
/// `from_writer` to them, and `stored` (the sanitiser's output read back) to
/// `server/db`. Every sink that takes raw markup takes this type: `small_page`,
/// mail bodies, and every view's `inner_html` (CI checks each is fed `into_string()`
/// of one). It crosses the server-function boundary as a plain string.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TrustedHtml(String);

impl TrustedHtml {
    /// `raw` as text: every character that means something in HTML escaped.
    pub fn text(raw: &str) -> Self {
        Self(escape(raw))
    }

    /// Markup written into the program.
    pub fn markup(fixed: &'static str) -> Self {
        Self(fixed.to_owned())
    }

    /// `template` (written into the program) with each `{}` replaced by the next of
    /// `values`, escaped. Extra `{}`s stay empty; extra values are dropped.
    pub fn format(template: &'static str, values: &[&str]) -> Self {
        let mut out = String::with_capacity(template.len() + values.iter().map(|v| v.len()).sum::<usize>());
        let mut values = values.iter();
        let mut parts = template.split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            if let Some(value) = values.next() {
                out.push_str(&escape(value));
            }
            out.push_str(part);
        }
        Self(out)
    }

    /// What a writer that escapes everything it emits produced (the Markdown
    /// sanitiser, the SVG chart). Only those call this (CI checks).
    pub fn from_writer(html: String) -> Self {
        Self(html)
    }

    /// Markup the Markdown sanitiser wrote, read back from where it was stored
    /// (a `*_html` column). Only `server/db` calls this (CI checks).
    pub fn stored(html: String) -> Self {
        Self(html)
    }

    /// Whether there is no markup at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// This, then `more`.
    pub fn then(mut self, more: TrustedHtml) -> Self {
        self.0.push_str(&more.0);
        self
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for TrustedHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

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

    #[test]
    fn trusted_html_escapes_every_value_it_is_given() {
        let page = TrustedHtml::format("<p>{}</p><a href=\"/x?t={}\">go</a>", &["<b>hi</b>", "a\"b"]);
        assert_eq!(page.as_str(), "<p>&lt;b&gt;hi&lt;/b&gt;</p><a href=\"/x?t=a&quot;b\">go</a>");
        assert_eq!(TrustedHtml::text("1 < 2").as_str(), "1 &lt; 2");
        assert_eq!(TrustedHtml::format("{}-{}", &["a"]).as_str(), "a-", "a missing value is empty");
        let both = TrustedHtml::markup("<hr>").then(TrustedHtml::text("&"));
        assert_eq!(both.to_string(), "<hr>&amp;");
    }
}
