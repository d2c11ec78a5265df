//! The audit as one self-contained HTML page: no scripts, no fonts or images fetched, charts
//! as inline SVG. Reply rate and flagged share by month (the rollout marked), each phrase's
//! reply rate with its interval against the emails with no finding, and a table of phrases
//! with examples from the team's own mail.

use std::fmt::Write as _;

use crate::report::{Compared, Report};
use crate::text::{clip, percent, thousands};

/// Phrases drawn in the interval chart.
const CHART_PHRASES: usize = 15;

/// The report page.
pub fn page(r: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>redline audit</title><style>{STYLE}</style></head><body><main>"
    );
    let _ = write!(
        out,
        "<h1>Which phrases cost replies</h1><p class=\"lede\">{} sent emails, {} replied \
(<b>{}</b>). Emails with none of the patterns got <b>{}</b>.{}</p>",
        thousands(r.all.emails),
        thousands(r.all.replied),
        percent(r.all.reply_rate, "–"),
        percent(r.baseline.reply_rate, "–"),
        rollout_sentence(r)
    );
    out.push_str("<section><h2>Reply rate and flagged share by month</h2>");
    out.push_str(&months_chart(r));
    out.push_str("</section><section><h2>Reply rate by phrase</h2><p class=\"note\">Each dot is the reply rate of emails containing the phrase, with its 95% interval; the band is the rate of emails with no finding. Phrases seen in fewer than ");
    let _ = write!(out, "{} emails are left out.</p>", r.min_emails);
    out.push_str(&phrases_chart(r));
    out.push_str("</section><section><h2>Phrases, ranked by replies lost</h2>");
    out.push_str(&phrase_table(r));
    out.push_str(
        "</section><footer>Made by <code>redline audit</code>. Figures are for patterns, not \
people: no sender appears in this report.</footer></main></body></html>\n",
    );
    out
}

const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1d2430;background:#f6f7f9;margin:0}\
main{max-width:980px;margin:0 auto;padding:32px 24px}h1{font-size:26px;margin:0 0 8px}\
h2{font-size:18px;margin:0 0 12px}.lede{font-size:17px;margin:0 0 24px}\
section{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:20px;margin:0 0 20px}\
.note{color:#5b6472;font-size:13px;margin:-4px 0 12px}svg{width:100%;height:auto;display:block}\
svg text{font:12px system-ui,sans-serif;fill:#3b4452}.legend text{font-size:13px}\
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:8px 6px;border-top:1px solid #eceef1;vertical-align:top}\
th{font-weight:600;color:#5b6472;border-top:none}td.n{text-align:right;white-space:nowrap}\
.phrase{font-weight:600}.rule{color:#5b6472;font-size:12px}.ex{color:#3b4452;font-size:13px;margin:2px 0}\
.few{color:#8a93a0}footer{color:#5b6472;font-size:13px}mark{background:#ffe3e0;padding:0 2px;border-radius:2px}";

fn rollout_sentence(r: &Report) -> String {
    match &r.rollout {
        None => String::new(),
        Some(roll) => format!(
            " Before the rollout on {}: {} replied, {} flagged; after: {} replied, {} flagged.",
            esc(&roll.date),
            percent(roll.before.group.reply_rate, "–"),
            percent(roll.before.flagged_share, "–"),
            percent(roll.after.group.reply_rate, "–"),
            percent(roll.after.flagged_share, "–")
        ),
    }
}

/// Two lines over the months: reply rate (left axis) and flagged share (right axis, 0–100%).
fn months_chart(r: &Report) -> String {
    let months = &r.months;
    if months.is_empty() {
        return "<p class=\"note\">No message had a date.</p>".into();
    }
    let (w, h, left, right, top, bottom) = (900.0, 300.0, 56.0, 56.0, 20.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max_rate = months
        .iter()
        .filter_map(|m| m.period.group.reply_rate)
        .fold(0.0f64, f64::max);
    let rate_top = nice_ceiling(max_rate.max(0.01));
    let step = if months.len() > 1 {
        plot_w / (months.len() - 1) as f64
    } else {
        0.0
    };
    let x = |i: usize| left + step * i as f64 + if months.len() == 1 { plot_w / 2.0 } else { 0.0 };
    let y_rate = |v: f64| top + plot_h * (1.0 - v / rate_top);
    let y_share = |v: f64| top + plot_h * (1.0 - v);
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Reply rate and flagged share by month\">"
    );
    for k in 0..=4 {
        let v = rate_top * k as f64 / 4.0;
        let y = y_rate(v);
        let _ = write!(
            svg,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#eceef1\"/>\
<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
<text x=\"{}\" y=\"{:.1}\">{}%</text>",
            w - right,
            left - 6.0,
            y + 4.0,
            axis(v),
            w - right + 6.0,
            y + 4.0,
            k * 25
        );
    }
    for (i, m) in months.iter().enumerate() {
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(i),
            h - bottom + 18.0,
            esc(&m.month)
        );
    }
    if let Some(roll) = &r.rollout {
        let month = &roll.date[..7.min(roll.date.len())];
        if let Some(i) = months.iter().position(|m| m.month.as_str() >= month) {
            let rx = x(i) - if i > 0 { step / 2.0 } else { 0.0 };
            let _ = write!(
                svg,
                "<line x1=\"{rx:.1}\" x2=\"{rx:.1}\" y1=\"{top}\" y2=\"{}\" stroke=\"#6b7280\" stroke-dasharray=\"5 4\"/>\
<text x=\"{:.1}\" y=\"{}\">rollout {}</text>",
                h - bottom,
                rx + 6.0,
                top + 12.0,
                esc(&roll.date)
            );
        }
    }
    let line = |points: Vec<(f64, f64)>, colour: &str, dash: &str| {
        let path: Vec<String> = points
            .iter()
            .map(|(a, b)| format!("{a:.1},{b:.1}"))
            .collect();
        let dots: String = points
            .iter()
            .map(|(a, b)| {
                format!("<circle cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"3.5\" fill=\"{colour}\"/>")
            })
            .collect();
        format!(
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>{dots}",
            path.join(" ")
        )
    };
    let rates: Vec<(f64, f64)> = months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((x(i), y_rate(m.period.group.reply_rate?))))
        .collect();
    let shares: Vec<(f64, f64)> = months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((x(i), y_share(m.period.flagged_share?))))
        .collect();
    svg.push_str(&line(shares, "#d9822b", " stroke-dasharray=\"6 4\""));
    svg.push_str(&line(rates, "#2563eb", ""));
    let _ = write!(
        svg,
        "<g class=\"legend\"><rect x=\"{left}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"#2563eb\"/>\
<text x=\"{}\" y=\"{}\">reply rate (left)</text><rect x=\"{}\" y=\"{}\" width=\"14\" height=\"4\" fill=\"#d9822b\"/>\
<text x=\"{}\" y=\"{}\">share of emails flagged (right)</text></g></svg>",
        h - 8.0,
        left + 20.0,
        h - 3.0,
        left + 170.0,
        h - 8.0,
        left + 190.0,
        h - 3.0
    );
    svg
}

/// Dot-and-whisker chart of the top phrases against the baseline band.
fn phrases_chart(r: &Report) -> String {
    let rows: Vec<&Compared> = r
        .patterns
        .iter()
        .filter(|c| !c.too_few)
        .take(CHART_PHRASES)
        .collect();
    if rows.is_empty() {
        return "<p class=\"note\">No phrase was seen often enough to chart.</p>".into();
    }
    let (w, label, right, top, row_h) = (900.0, 330.0, 30.0, 28.0, 26.0);
    let h = top + row_h * rows.len() as f64 + 30.0;
    let highest = rows
        .iter()
        .filter_map(|c| c.group.ci_high)
        .chain(r.baseline.ci_high)
        .fold(0.0f64, f64::max);
    let x_top = nice_ceiling(highest.max(0.01));
    let x = |v: f64| label + (w - label - right) * v / x_top;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h:.0}\" role=\"img\" aria-label=\"Reply rate by phrase with 95% intervals\">"
    );
    for k in 0..=4 {
        let v = x_top * k as f64 / 4.0;
        let _ = write!(
            svg,
            "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{top}\" y2=\"{1:.1}\" stroke=\"#eceef1\"/>\
<text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"middle\">{3}</text>",
            x(v),
            h - 26.0,
            h - 10.0,
            axis(v)
        );
    }
    if let (Some(lo), Some(hi), Some(rate)) =
        (r.baseline.ci_low, r.baseline.ci_high, r.baseline.reply_rate)
    {
        let _ = write!(
            svg,
            "<rect x=\"{band_x:.1}\" y=\"{top}\" width=\"{band_w:.1}\" height=\"{band_h:.1}\" fill=\"#16a34a\" opacity=\"0.12\"/>\
<line x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"{top}\" y2=\"{bottom:.1}\" stroke=\"#16a34a\" stroke-width=\"2\"/>\
<text x=\"{at:.1}\" y=\"{label_y}\" text-anchor=\"middle\" fill=\"#15803d\">no finding {shown}</text>",
            band_x = x(lo),
            band_w = (x(hi) - x(lo)).max(1.0),
            band_h = h - 26.0 - top,
            at = x(rate),
            bottom = h - 26.0,
            label_y = top - 10.0,
            shown = percent(Some(rate), "–")
        );
    }
    for (i, c) in rows.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        let name = c.phrase.as_deref().unwrap_or(&c.rule);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label - 10.0,
            y + 4.0,
            esc(&clip(name, 46))
        );
        if let (Some(lo), Some(hi), Some(rate)) =
            (c.group.ci_low, c.group.ci_high, c.group.reply_rate)
        {
            let _ = write!(
                svg,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#b91c1c\" stroke-width=\"2\"/>\
<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"#b91c1c\"><title>{}: {} of {} replied ({}, 95% interval {}–{})</title></circle>",
                x(lo),
                x(hi),
                x(rate),
                esc(name),
                c.group.replied,
                c.group.emails,
                percent(Some(rate), "–"),
                percent(Some(lo), "–"),
                percent(Some(hi), "–")
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn phrase_table(r: &Report) -> String {
    let mut t = String::from(
        "<table><thead><tr><th>Phrase and examples</th><th>Emails</th><th>Reply rate</th>\
<th>95% interval</th><th>Lift</th><th>p</th><th>Replies lost</th></tr></thead><tbody>",
    );
    for c in &r.patterns {
        let phrase = c.phrase.as_deref().unwrap_or("");
        let examples: String = c
            .examples
            .iter()
            .map(|e| {
                format!(
                    "<div class=\"ex\">“{}”</div>",
                    highlight(&e.snippet, phrase)
                )
            })
            .collect();
        let class = if c.too_few { " class=\"few\"" } else { "" };
        let _ = write!(
            t,
            "<tr{class}><td><div class=\"phrase\">{}</div><div class=\"rule\">{} · {}{}</div>{examples}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}–{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(phrase),
            esc(&c.rule),
            c.severity,
            if c.too_few {
                " · too few emails to rank"
            } else {
                ""
            },
            thousands(c.group.emails),
            percent(c.group.reply_rate, "–"),
            percent(c.group.ci_low, "–"),
            percent(c.group.ci_high, "–"),
            c.lift.map_or("–".into(), |l| format!("{l:.2}")),
            c.p_value.map_or("–".into(), |p| if p < 0.001 {
                "&lt;0.001".into()
            } else {
                format!("{p:.3}")
            }),
            c.lost_replies.map_or("–".into(), |l| format!("{l:.1}"))
        );
    }
    t.push_str("</tbody></table>");
    t
}

/// The snippet, escaped, with the phrase marked where it appears (case-insensitively).
fn highlight(snippet: &str, phrase: &str) -> String {
    let lower = snippet.to_lowercase();
    match (!phrase.is_empty())
        .then(|| lower.find(&phrase.to_lowercase()))
        .flatten()
        .filter(|&at| lower.len() == snippet.len() && snippet.is_char_boundary(at + phrase.len()))
    {
        Some(at) => format!(
            "{}<mark>{}</mark>{}",
            esc(&snippet[..at]),
            esc(&snippet[at..at + phrase.len()]),
            esc(&snippet[at + phrase.len()..])
        ),
        None => esc(snippet),
    }
}

/// An axis label: `5%`, `2.5%`.
fn axis(v: f64) -> String {
    let p = (v * 1000.0).round() / 10.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn nice_ceiling(v: f64) -> f64 {
    let steps = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0];
    steps.into_iter().find(|&s| s >= v).unwrap_or(1.0)
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
