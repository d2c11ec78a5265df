//! The pipeline report as one self-contained HTML page: the findings with their evidence, and
//! inline SVG charts drawn from the measurements — mean score by month against the baseline,
//! predicted against actual win rate by month, each segment's share of high-scored leads, and
//! the team's weekly adoption curve. No scripts, nothing fetched, no rep named.

use std::fmt::Write as _;

use redline_chart::{Axis, LineChart, Series, esc, percent, whole};

use crate::Run;
use crate::evidence::{Adoption, Evidence, ForecastGap, ScoreShift, SegmentShares};

/// The report page.
pub fn page(run: &Run) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>redline pipeline</title><style>",
    );
    out.push_str(STYLE);
    out.push_str("</style></head><body><main><h1>Pipeline health</h1>");
    if run.findings.is_empty() {
        out.push_str("<p class=\"lede\">No check crossed its threshold.</p>");
    }
    for f in &run.findings {
        let _ = write!(
            out,
            "<section class=\"finding {}\"><h2>{}</h2><p><code>{}</code> · {}</p><p>{}</p><p><b>Instead:</b> {}</p></section>",
            f.severity,
            esc(&f.message),
            esc(&f.rule),
            f.severity,
            esc(&f.why),
            esc(&f.instead)
        );
    }
    for m in &run.measurements {
        let (title, chart) = match &m.measured.evidence {
            Evidence::ScoreShift(e) => (
                "Mean lead score by month, against the baseline",
                baseline_chart(e),
            ),
            Evidence::ForecastGap(e) => (
                "Predicted win probability and actual win rate by month",
                forecast_chart(e),
            ),
            Evidence::SegmentShares(e) => (
                "Each segment's share of high-scored leads",
                segment_chart(e),
            ),
            Evidence::Adoption(e) => (
                "Share of licensed reps using the tool, by week since licensing",
                adoption_chart(e),
            ),
            _ => continue,
        };
        let _ = write!(
            out,
            "<section><h2>{title}</h2><p class=\"rule\">{}</p>{chart}</section>",
            esc(&m.rule)
        );
    }
    out.push_str("<footer>Made by <code>redline pipeline</code>. Adoption is reported for the team, never per rep.</footer></main></body></html>\n");
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;color:#1d2430;background:#f6f7f9;margin:0}\
main{max-width:980px;margin:0 auto;padding:32px 24px}h1{font-size:26px}h2{font-size:17px;margin:0 0 8px}\
section{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:18px;margin:0 0 18px}\
.finding.error{border-left:5px solid #b91c1c}.finding.warning{border-left:5px solid #d97706}.finding.info{border-left:5px solid #2563eb}\
.rule{color:#5b6472;font-size:13px;margin:-4px 0 8px}svg{width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#3b4452}footer{color:#5b6472;font-size:13px}";

const W: f64 = 900.0;

fn line(
    name: &'static str,
    colour: &'static str,
    values: impl Iterator<Item = f64>,
) -> Series<'static> {
    Series {
        name,
        colour,
        values: values.map(Some).collect(),
        dashed: false,
        right: false,
    }
}

fn baseline_chart(e: &ScoreShift) -> String {
    LineChart {
        title: "Mean lead score by month, against the baseline",
        labels: e.by_month.iter().map(|m| m.month.clone()).collect(),
        left: Axis {
            max: 100.0,
            label: whole,
        },
        right: None,
        series: vec![
            line(
                "mean score",
                "#2563eb",
                e.by_month.iter().map(|m| m.mean_score),
            ),
            line(
                "baseline",
                "#16a34a",
                e.by_month.iter().map(|_| e.baseline_mean),
            ),
        ],
        marker: None,
    }
    .svg()
}

fn forecast_chart(e: &ForecastGap) -> String {
    LineChart {
        title: "Predicted win probability and actual win rate by month",
        labels: e.months.iter().map(|m| m.month.clone()).collect(),
        left: Axis {
            max: 1.0,
            label: percent,
        },
        right: None,
        series: vec![
            line(
                "mean predicted",
                "#d97706",
                e.months.iter().map(|m| m.mean_predicted),
            ),
            line(
                "actual win rate",
                "#2563eb",
                e.months.iter().map(|m| m.win_rate),
            ),
        ],
        marker: None,
    }
    .svg()
}

fn adoption_chart(e: &Adoption) -> String {
    LineChart {
        title: "Share of licensed reps using the tool, by week since licensing",
        labels: e
            .weekly_adoption
            .iter()
            .map(|w| format!("week {}", w.week))
            .collect(),
        left: Axis {
            max: 1.0,
            label: percent,
        },
        right: None,
        series: vec![line(
            "share of reps active",
            "#2563eb",
            e.weekly_adoption.iter().map(|w| w.share_active),
        )],
        marker: None,
    }
    .svg()
}

/// One bar per listed segment (the largest first), and a line for those not listed.
fn segment_chart(e: &SegmentShares) -> String {
    let row = 28.0;
    let h = row * e.shares.len() as f64 + 20.0;
    let mut svg = format!("<svg viewBox=\"0 0 {W} {h}\" role=\"img\">");
    for (i, s) in e.shares.iter().enumerate() {
        let y = 6.0 + row * i as f64;
        let _ = write!(
            svg,
            "<text x=\"170\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"180\" y=\"{y:.1}\" width=\"{:.1}\" height=\"18\" fill=\"#2563eb\"/><text x=\"{:.1}\" y=\"{:.1}\">{:.0}%</text>",
            y + 13.0,
            esc(&s.segment),
            (W - 260.0) * s.share,
            186.0 + (W - 260.0) * s.share,
            y + 13.0,
            s.share * 100.0
        );
    }
    svg.push_str("</svg>");
    if e.segments_not_listed > 0 {
        let _ = write!(
            svg,
            "<p class=\"rule\">{} smaller segments with high-scored leads are not listed.</p>",
            e.segments_not_listed
        );
    }
    svg
}
