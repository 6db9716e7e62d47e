//! Markdown to safe HTML: pulldown-cmark (tables, footnotes, strikethrough, task
//! lists, heading anchors) then ammonia, so no author, staff included, can inject
//! script. Rendered once when content is saved, never per request.

use crate::domain::html::TrustedHtml;
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub fn render(markdown: &str) -> TrustedHtml {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let events = with_heading_anchors(Parser::new_ext(markdown, options).collect());
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events.into_iter());
    TrustedHtml::from_writer(sanitize(&unsafe_html))
}

/// Gives every heading without an explicit id one derived from its text.
fn with_heading_anchors(mut events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut used = std::collections::HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id: None, .. }) = &events[i] {
            let level: HeadingLevel = *level;
            let mut text = String::new();
            for e in &events[i + 1..] {
                match e {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    _ => {}
                }
            }
            let base = anchor(&text);
            let mut id = base.clone();
            let mut n = 2;
            while !used.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(id.into());
            }
            let _ = level;
        }
        i += 1;
    }
    events
}

fn anchor(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

/// The prefix of every id in rendered content, so an author's ids can never
/// clobber the page's own elements (or the names scripts look up).
pub const ID_PREFIX: &str = "c-";

/// Allows the HTML Markdown produces and nothing more: no scripts, event handlers,
/// `javascript:` URLs; `class` only with the values the renderer writes; `style`
/// only a table cell's alignment; ids prefixed (and `#fragment` links with them).
/// Links get `rel="noopener noreferrer"`.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id"])
        .id_prefix(Some(ID_PREFIX))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"])
        .add_allowed_classes("sup", ["footnote-reference"])
        .add_allowed_classes("div", ["footnote-definition"])
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("code", "class") => {
                let language = value.strip_prefix("language-")?;
                let plain = !language.is_empty()
                    && language.len() <= 30
                    && language.bytes().all(|b| b.is_ascii_alphanumeric() || b"+#-_.".contains(&b));
                plain.then(|| value.into())
            }
            ("th" | "td", "style") => {
                matches!(value, "text-align: left" | "text-align: center" | "text-align: right").then(|| value.into())
            }
            ("a", "href") if value.starts_with('#') && value.len() > 1 => {
                Some(format!("#{ID_PREFIX}{}", &value[1..]).into())
            }
            _ => Some(value.into()),
        })
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {

    /// The markup, as the tests read it.
    fn render(markdown: &str) -> String {
        super::render(markdown).into_string()
    }

    #[test]
    fn script_handlers_and_javascript_links_are_removed_but_text_stays() {
        let html = render(
            "# Hi\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[click](javascript:alert(3)) and **bold**",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(html.contains("click"), "{html}");
    }

    #[test]
    fn classes_styles_and_ids_are_only_what_the_renderer_needs() {
        let html = render(
            "<div class=\"admin-panel\" style=\"position:fixed;inset:0\" id=\"login\">x</div>\n\n\
             | a |\n|--:|\n| 1 |\n\n<td style=\"background:url(x)\">y</td>\n\n\
             ```rust\nfn main() {}\n```\n\n<code class=\"language-x onclick\">z</code>\n\n[up](#login) note[^n]\n\n[^n]: n",
        );
        assert!(!html.contains("admin-panel") && !html.contains("position") && !html.contains("background"), "{html}");
        assert!(html.contains("id=\"c-login\"") && html.contains("href=\"#c-login\""), "{html}");
        assert!(html.contains("style=\"text-align: right\""), "table alignment stays: {html}");
        assert!(html.contains("class=\"language-rust\""), "{html}");
        assert!(!html.contains("language-x onclick"), "{html}");
        assert!(html.contains("class=\"footnote-reference\"") && html.contains("class=\"footnote-definition\""));
        // A footnote's link and its target agree after prefixing.
        assert!(html.contains("href=\"#c-n\"") && html.contains("id=\"c-n\""), "{html}");
    }

    #[test]
    fn tables_footnotes_strikethrough_tasks_and_anchors_render() {
        let html = render("## Getting started\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ note[^1]\n\n- [x] done\n\n[^1]: the note\n\n## Getting started");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>old</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("id=\"c-getting-started\""), "{html}");
        assert!(html.contains("id=\"c-getting-started-2\""), "{html}");
        assert!(html.contains("class=\"footnote-definition\""), "{html}");
    }
}
