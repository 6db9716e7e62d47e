//! Charts drawn on the server as SVG (no script): the analytics page's bars.

use crate::domain::html::{escape, TrustedHtml};

/// A bar chart as SVG: one bar per point (its label and value as data
/// attributes), the first and last labels under the axis. The table beside it is what screen
/// readers read (the SVG is `aria-hidden`).
pub fn bar_chart(points: &[(String, i64)]) -> TrustedHtml {
    const W: f64 = 640.0;
    const H: f64 = 200.0;
    const BOTTOM: f64 = 180.0;
    let max = points.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    let n = points.len().max(1) as f64;
    let slot = W / n;
    let bar = (slot * 0.8).max(1.0);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {W} {H}" preserveAspectRatio="none" aria-hidden="true"><line x1="0" y1="{BOTTOM}" x2="{W}" y2="{BOTTOM}" stroke="#999" stroke-width="1"/>"##
    );
    for (i, (label, value)) in points.iter().enumerate() {
        let h = (*value as f64 / max) * (BOTTOM - 10.0);
        let x = i as f64 * slot + (slot - bar) / 2.0;
        svg.push_str(&format!(
            r##"<rect x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{h:.1}" fill="#4f46e5" data-label="{}" data-value="{value}"/>"##,
            BOTTOM - h,
            escape(label)
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        svg.push_str(&format!(
            r##"<text x="0" y="{H}" font-size="11" fill="#555">{}</text><text x="{W}" y="{H}" font-size="11" fill="#555" text-anchor="end">{}</text>"##,
            escape(&first.0),
            escape(&last.0)
        ));
    }
    svg.push_str("</svg>");
    TrustedHtml::from_writer(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_one_bar_per_point_scaled_to_the_largest() {
        let svg = bar_chart(&[("a".into(), 10), ("b<".into(), 5)]).into_string();
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains(r#"height="170.0""#) && svg.contains(r#"height="85.0""#), "{svg}");
        assert!(svg.contains(r#"data-label="b&lt;" data-value="5""#), "{svg}");
        assert!(bar_chart(&[]).as_str().starts_with("<svg"));
    }
}
