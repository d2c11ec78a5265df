//! The pieces the audit and pipeline HTML pages share: escaping text for HTML, and line charts
//! over labelled points drawn as inline SVG (no scripts, nothing fetched), with one or two
//! value axes, optional gaps, dashed series and a marker between two points.

use std::fmt::Write as _;

/// `s` safe inside HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
    out
}

/// A value axis: from 0 to `max`, with five gridlines labelled by `label`.
#[derive(Debug, Clone, Copy)]
pub struct Axis {
    /// The top of the axis.
    pub max: f64,
    /// How a gridline's value reads, e.g. [`percent`].
    pub label: fn(f64) -> String,
}

/// A share as a percentage with at most one decimal: `5%`, `2.5%`.
pub fn percent(v: f64) -> String {
    let p = (v * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// A whole number: `52`.
pub fn whole(v: f64) -> String {
    format!("{v:.0}")
}

/// One line of a chart.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    /// The legend's name for it.
    pub name: &'a str,
    /// A CSS colour.
    pub colour: &'a str,
    /// One value per label; `None` leaves the point out.
    pub values: Vec<Option<f64>>,
    /// Drawn dashed.
    pub dashed: bool,
    /// Read against the right axis (the left when there is none).
    pub right: bool,
}

/// A dashed vertical line halfway before the point `at`, with a label.
#[derive(Debug, Clone)]
pub struct Marker {
    /// The first point after the line.
    pub at: usize,
    /// Its label, e.g. `rollout 2026-02-01`.
    pub label: String,
}

/// A line chart over labelled points.
#[derive(Debug, Clone)]
pub struct LineChart<'a> {
    /// What the chart shows, for screen readers.
    pub title: &'a str,
    /// The points' labels along the bottom (at most twelve are written).
    pub labels: Vec<String>,
    /// The left axis.
    pub left: Axis,
    /// A second axis on the right, for series marked `right`.
    pub right: Option<Axis>,
    /// The lines.
    pub series: Vec<Series<'a>>,
    /// A marker, e.g. a rollout date.
    pub marker: Option<Marker>,
}

const W: f64 = 900.0;
const H: f64 = 300.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 56.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

impl LineChart<'_> {
    /// The chart as an `<svg>` element.
    pub fn svg(&self) -> String {
        let n = self.labels.len();
        let plot_w = W - LEFT - RIGHT;
        let plot_h = H - TOP - BOTTOM;
        let step = if n > 1 { plot_w / (n - 1) as f64 } else { 0.0 };
        let x = |i: usize| LEFT + step * i as f64 + if n == 1 { plot_w / 2.0 } else { 0.0 };
        let y = |axis: &Axis, v: f64| TOP + plot_h * (1.0 - v / axis.max);
        let mut svg = format!(
            "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\">",
            esc(self.title)
        );
        for k in 0..=4 {
            let v = self.left.max * k as f64 / 4.0;
            let gy = y(&self.left, v);
            let _ = write!(
                svg,
                "<line x1=\"{LEFT}\" x2=\"{}\" y1=\"{gy:.1}\" y2=\"{gy:.1}\" stroke=\"#eceef1\"/>\
<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                W - RIGHT,
                LEFT - 6.0,
                gy + 4.0,
                esc(&(self.left.label)(v))
            );
            if let Some(right) = &self.right {
                let _ = write!(
                    svg,
                    "<text x=\"{}\" y=\"{:.1}\">{}</text>",
                    W - RIGHT + 6.0,
                    gy + 4.0,
                    esc(&(right.label)(right.max * k as f64 / 4.0))
                );
            }
        }
        let every = n.div_ceil(12).max(1);
        for (i, label) in self.labels.iter().enumerate().step_by(every) {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i),
                H - BOTTOM + 18.0,
                esc(label)
            );
        }
        if let Some(m) = self.marker.as_ref().filter(|m| m.at < n) {
            let mx = x(m.at) - if m.at > 0 { step / 2.0 } else { 0.0 };
            let _ = write!(
                svg,
                "<line x1=\"{mx:.1}\" x2=\"{mx:.1}\" y1=\"{TOP}\" y2=\"{}\" stroke=\"#6b7280\" stroke-dasharray=\"5 4\"/>\
<text x=\"{:.1}\" y=\"{}\">{}</text>",
                H - BOTTOM,
                mx + 6.0,
                TOP + 12.0,
                esc(&m.label)
            );
        }
        for s in &self.series {
            let axis = match (&self.right, s.right) {
                (Some(right), true) => right,
                _ => &self.left,
            };
            let points: Vec<(f64, f64)> = s
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| Some((x(i), y(axis, (*v)?))))
                .collect();
            let path: Vec<String> = points
                .iter()
                .map(|(a, b)| format!("{a:.1},{b:.1}"))
                .collect();
            let dash = if s.dashed {
                " stroke-dasharray=\"6 4\""
            } else {
                ""
            };
            let _ = write!(
                svg,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{dash}/>",
                path.join(" "),
                esc(s.colour)
            );
            for (a, b) in &points {
                let _ = write!(
                    svg,
                    "<circle cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3.5\" fill=\"{}\"/>",
                    esc(s.colour)
                );
            }
        }
        svg.push_str("<g class=\"legend\">");
        let mut lx = LEFT;
        for s in &self.series {
            let name = match (&self.right, s.right) {
                (Some(_), true) => format!("{} (right)", s.name),
                (Some(_), false) => format!("{} (left)", s.name),
                (None, _) => s.name.to_string(),
            };
            let _ = write!(
                svg,
                "<rect x=\"{lx:.1}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
                H - 8.0,
                esc(s.colour),
                lx + 20.0,
                H - 3.0,
                esc(&name)
            );
            lx += 40.0 + 7.5 * name.chars().count() as f64;
        }
        svg.push_str("</g></svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: Vec<Option<f64>>, labels: usize) -> LineChart<'static> {
        LineChart {
            title: "t",
            labels: (0..labels).map(|i| format!("m{i}")).collect(),
            left: Axis {
                max: 1.0,
                label: percent,
            },
            right: None,
            series: vec![Series {
                name: "rate",
                colour: "#2563eb",
                values,
                dashed: false,
                right: false,
            }],
            marker: None,
        }
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<b a=\"x\" c='y'>&</b>"),
            "&lt;b a=&quot;x&quot; c=&#39;y&#39;&gt;&amp;&lt;/b&gt;"
        );
        assert_eq!(esc("Zoë"), "Zoë");
    }

    #[test]
    fn points_sit_on_the_axis_and_gaps_are_left_out() {
        let svg = chart(vec![Some(0.0), None, Some(1.0)], 3).svg();
        // x from 56 to 844, y from 260 (0) to 20 (the top).
        assert!(svg.contains("points=\"56.0,260.0 844.0,20.0\""), "{svg}");
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(svg.contains(">100%</text>") && svg.contains(">50%</text>"));
    }

    #[test]
    fn labels_are_thinned_to_twelve_and_escaped() {
        let mut c = chart(vec![Some(0.5); 36], 36);
        c.labels[0] = "<script>".into();
        let svg = c.svg();
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        let bottom_labels = svg.matches("text-anchor=\"middle\"").count();
        assert_eq!(bottom_labels, 12, "every third of 36");
    }

    #[test]
    fn a_second_axis_and_a_marker() {
        let mut c = chart(vec![Some(0.1), Some(0.2)], 2);
        c.left.max = 0.2;
        c.right = Some(Axis {
            max: 1.0,
            label: percent,
        });
        c.series.push(Series {
            name: "share",
            colour: "#d9822b",
            values: vec![Some(1.0), Some(0.5)],
            dashed: true,
            right: true,
        });
        c.marker = Some(Marker {
            at: 1,
            label: "rollout 2026-02-01".into(),
        });
        let svg = c.svg();
        assert!(
            svg.contains("points=\"56.0,140.0 844.0,20.0\""),
            "left axis to 20%: {svg}"
        );
        assert!(
            svg.contains("points=\"56.0,20.0 844.0,140.0\""),
            "right axis to 100%"
        );
        assert!(
            svg.contains("x1=\"450.0\" x2=\"450.0\""),
            "halfway before point 1"
        );
        assert!(svg.contains("rate (left)") && svg.contains("share (right)"));
        assert!(svg.contains("stroke-dasharray=\"6 4\""));
    }
}
