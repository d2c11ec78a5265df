//! The pipeline report as one self-contained HTML page: the findings with their evidence, and
//! inline SVG charts drawn from the measurements — mean score by month against the baseline,
//! predicted against actual win rate by month, each segment's share of high-scored leads, and
//! the team's weekly adoption curve. No scripts, nothing fetched, no rep named.

use std::fmt::Write as _;

use serde_json::Value;

use crate::Run;

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
        let e = &m.measured.evidence;
        let (title, chart) = match m.rule.rsplit('.').next().unwrap_or("") {
            "score-inflation" => (
                "Mean lead score by month, against the baseline",
                baseline_chart(e),
            ),
            "forecast-drift" => (
                "Predicted win probability and actual win rate by month",
                forecast_chart(e),
            ),
            "segment-lockout" => (
                "Each segment's share of high-scored leads",
                segment_chart(e),
            ),
            "low-adoption" => (
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
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 36.0;

/// A line chart of named series over labels; `y_max` tops the axis; `percent` labels it.
fn lines(
    labels: &[String],
    series: &[(&str, &str, Vec<f64>)],
    y_max: f64,
    percent: bool,
) -> String {
    let plot_w = W - LEFT - 50.0;
    let plot_h = H - TOP - BOTTOM;
    let step = plot_w / (labels.len().max(2) - 1) as f64;
    let x = |i: usize| LEFT + step * i as f64;
    let y = |v: f64| TOP + plot_h * (1.0 - v / y_max);
    let mut svg = format!("<svg viewBox=\"0 0 {W} {H}\" role=\"img\">");
    for k in 0..=4 {
        let v = y_max * k as f64 / 4.0;
        let label = if percent {
            format!("{:.0}%", v * 100.0)
        } else {
            format!("{v:.0}")
        };
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{1:.1}\" y2=\"{1:.1}\" stroke=\"#eceef1\"/><text x=\"{2}\" y=\"{3:.1}\" text-anchor=\"end\">{label}</text>",
            W - 20.0,
            y(v),
            LEFT - 6.0,
            y(v) + 4.0
        );
    }
    let every = labels.len().div_ceil(12).max(1);
    for (i, l) in labels.iter().enumerate().step_by(every) {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(i),
            H - BOTTOM + 16.0,
            esc(l)
        );
    }
    for (n, (name, colour, values)) in series.iter().enumerate() {
        let points: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let _ = write!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"/>\
<rect x=\"{:.1}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            points.join(" "),
            LEFT + 220.0 * n as f64,
            H - 9.0,
            LEFT + 220.0 * n as f64 + 20.0,
            H - 4.0,
            esc(name)
        );
    }
    svg.push_str("</svg>");
    svg
}

fn numbers(rows: &Value, key: &str) -> Vec<f64> {
    rows.as_array()
        .into_iter()
        .flatten()
        .map(|r| r[key].as_f64().unwrap_or(0.0))
        .collect()
}

fn strings(rows: &Value, key: &str) -> Vec<String> {
    rows.as_array()
        .into_iter()
        .flatten()
        .map(|r| match &r[key] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn baseline_chart(e: &Value) -> String {
    let months = strings(&e["by_month"], "month");
    let means = numbers(&e["by_month"], "mean_score");
    let baseline = vec![e["baseline_mean"].as_f64().unwrap_or(0.0); means.len()];
    lines(
        &months,
        &[
            ("mean score", "#2563eb", means),
            ("baseline", "#16a34a", baseline),
        ],
        100.0,
        false,
    )
}

fn forecast_chart(e: &Value) -> String {
    let months = strings(&e["months"], "month");
    lines(
        &months,
        &[
            (
                "mean predicted",
                "#d97706",
                numbers(&e["months"], "mean_predicted"),
            ),
            (
                "actual win rate",
                "#2563eb",
                numbers(&e["months"], "win_rate"),
            ),
        ],
        1.0,
        true,
    )
}

fn adoption_chart(e: &Value) -> String {
    let weeks: Vec<String> = strings(&e["weekly_adoption"], "week")
        .into_iter()
        .map(|w| format!("week {w}"))
        .collect();
    lines(
        &weeks,
        &[(
            "share of reps active",
            "#2563eb",
            numbers(&e["weekly_adoption"], "share_active"),
        )],
        1.0,
        true,
    )
}

fn segment_chart(e: &Value) -> String {
    let names = strings(&e["shares"], "segment");
    let shares = numbers(&e["shares"], "share");
    let row = 28.0;
    let h = row * names.len() as f64 + 20.0;
    let mut svg = format!("<svg viewBox=\"0 0 {W} {h}\" role=\"img\">");
    for (i, (name, share)) in names.iter().zip(&shares).enumerate() {
        let y = 6.0 + row * i as f64;
        let _ = write!(
            svg,
            "<text x=\"170\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"180\" y=\"{y:.1}\" width=\"{:.1}\" height=\"18\" fill=\"#2563eb\"/><text x=\"{:.1}\" y=\"{:.1}\">{:.0}%</text>",
            y + 13.0,
            esc(name),
            (W - 260.0) * share,
            186.0 + (W - 260.0) * share,
            y + 13.0,
            share * 100.0
        );
    }
    svg.push_str("</svg>");
    svg
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
