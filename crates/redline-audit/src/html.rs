//! The audit as one self-contained HTML page: no scripts, no fonts or images fetched, charts
//! as inline SVG. Reply rate and flagged share by month (the rollout marked), each phrase's
//! reply rate with its interval against the emails with no finding, reply rate by band of the
//! voice score, and a table of phrases with examples from the team's own mail.

use std::fmt::Write as _;

use redline_chart::{Axis, LineChart, Marker, Series, esc};
use redline_rules::Severity;

use crate::bands::ScoreBands;
use crate::report::{Group, Report};
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
    for note in &r.notes {
        let _ = write!(out, "<p class=\"note\">Note: {}.</p>", esc(note));
    }
    out.push_str("<section><h2>Reply rate and flagged share by month</h2>");
    out.push_str(&months_chart(r));
    out.push_str("</section><section><h2>Reply rate by phrase</h2><p class=\"note\">Each dot is the reply rate of emails containing the phrase, with its 95% interval; the band is the rate of emails with no finding. Phrases seen in fewer than ");
    let _ = write!(out, "{} emails are left out.</p>", r.min_emails);
    out.push_str(&phrases_chart(r));
    out.push_str("</section>");
    for b in &r.score_bands {
        out.push_str(&score_section(b, r.min_emails));
    }
    out.push_str("<section><h2>Phrases, ranked by replies lost</h2>");
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

/// Two lines over the months: reply rate (left axis) and flagged share (right axis, 0–100%),
/// with the rollout marked.
fn months_chart(r: &Report) -> String {
    let months = &r.months;
    if months.is_empty() {
        return "<p class=\"note\">No message had a date.</p>".into();
    }
    let max_rate = months
        .iter()
        .filter_map(|m| m.period.group.reply_rate)
        .fold(0.0f64, f64::max);
    let marker = r.rollout.as_ref().and_then(|roll| {
        let month = &roll.date[..7.min(roll.date.len())];
        let at = months.iter().position(|m| m.month.as_str() >= month)?;
        Some(Marker {
            at,
            label: format!("rollout {}", roll.date),
        })
    });
    LineChart {
        title: "Reply rate and flagged share by month",
        labels: months.iter().map(|m| m.month.clone()).collect(),
        left: Axis {
            max: nice_ceiling(max_rate.max(0.01)),
            label: redline_chart::percent,
        },
        right: Some(Axis {
            max: 1.0,
            label: redline_chart::percent,
        }),
        series: vec![
            Series {
                name: "share of emails flagged",
                colour: "#d9822b",
                values: months.iter().map(|m| m.period.flagged_share).collect(),
                dashed: true,
                right: true,
            },
            Series {
                name: "reply rate",
                colour: "#2563eb",
                values: months.iter().map(|m| m.period.group.reply_rate).collect(),
                dashed: false,
                right: false,
            },
        ],
        marker,
    }
    .svg()
}

/// Dot-and-whisker chart of the top phrases against the baseline band.
fn phrases_chart(r: &Report) -> String {
    let rows: Vec<Dot> = r
        .patterns
        .iter()
        .filter(|c| !c.too_few)
        .take(CHART_PHRASES)
        .map(|c| Dot {
            label: c.phrase.as_deref().unwrap_or(&c.rule),
            group: &c.group,
            colour: "#b91c1c",
            faded: false,
        })
        .collect();
    if rows.is_empty() {
        return "<p class=\"note\">No phrase was seen often enough to chart.</p>".into();
    }
    intervals_chart(
        &rows,
        Some(("no finding", &r.baseline)),
        "Reply rate by phrase with 95% intervals",
    )
}

/// One row of an [`intervals_chart`].
struct Dot<'a> {
    label: &'a str,
    group: &'a Group,
    colour: &'static str,
    /// Too few emails to trust: drawn faint.
    faded: bool,
}

/// Each row's reply rate as a dot with its 95% interval as a whisker, against a shaded
/// reference group (its interval, and a line at its rate).
fn intervals_chart(rows: &[Dot], reference: Option<(&str, &Group)>, title: &str) -> String {
    let (w, label, right, top, row_h) = (900.0, 330.0, 30.0, 28.0, 26.0);
    let h = top + row_h * rows.len() as f64 + 30.0;
    // Faint rows (too few emails) have wide intervals: they do not stretch the axis, and
    // their whiskers stop at its end.
    let highest = rows
        .iter()
        .filter(|d| !d.faded)
        .filter_map(|d| d.group.ci_high)
        .chain(reference.and_then(|(_, g)| g.ci_high))
        .fold(0.0f64, f64::max);
    let x_top = nice_ceiling(highest.max(0.01));
    let x = |v: f64| label + (w - label - right) * v.min(x_top) / x_top;
    let mut svg = format!(
        "<svg viewBox=\"0 0 {w} {h:.0}\" role=\"img\" aria-label=\"{}\">",
        esc(title)
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
            redline_chart::percent(v)
        );
    }
    if let Some((name, g)) = reference
        && let (Some(lo), Some(hi), Some(rate)) = (g.ci_low, g.ci_high, g.reply_rate)
    {
        let _ = write!(
            svg,
            "<rect x=\"{band_x:.1}\" y=\"{top}\" width=\"{band_w:.1}\" height=\"{band_h:.1}\" fill=\"#16a34a\" opacity=\"0.12\"/>\
<line x1=\"{at:.1}\" x2=\"{at:.1}\" y1=\"{top}\" y2=\"{bottom:.1}\" stroke=\"#16a34a\" stroke-width=\"2\"/>\
<text x=\"{at:.1}\" y=\"{label_y}\" text-anchor=\"middle\" fill=\"#15803d\">{name} {shown}</text>",
            band_x = x(lo),
            band_w = (x(hi) - x(lo)).max(1.0),
            band_h = h - 26.0 - top,
            at = x(rate),
            bottom = h - 26.0,
            label_y = top - 10.0,
            name = esc(name),
            shown = percent(Some(rate), "–")
        );
    }
    for (i, d) in rows.iter().enumerate() {
        let y = top + row_h * (i as f64 + 0.5);
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            label - 10.0,
            y + 4.0,
            esc(&clip(d.label, 46))
        );
        if let (Some(lo), Some(hi), Some(rate)) =
            (d.group.ci_low, d.group.ci_high, d.group.reply_rate)
        {
            let _ = write!(
                svg,
                "<g stroke=\"{colour}\" fill=\"{colour}\"{faded}><line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke-width=\"2\"/>\
<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\"><title>{}: {} of {} replied ({}, 95% interval {}–{})</title></circle></g>",
                x(lo),
                x(hi),
                x(rate),
                esc(d.label),
                d.group.replied,
                d.group.emails,
                percent(Some(rate), "–"),
                percent(Some(lo), "–"),
                percent(Some(hi), "–"),
                colour = d.colour,
                faded = if d.faded { " opacity=\"0.35\"" } else { "" },
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Reply rate by band of a score rule's probability: a chart of every band against the
/// reference band, and a table with lifts and the bands at warning and error.
fn score_section(b: &ScoreBands, min_emails: u64) -> String {
    let mut out = format!(
        "<section><h2>Reply rate by voice score</h2><p class=\"note\">How much each email reads \
as AI-drafted: the probability <code>{rule}</code> gives it (a finding from {warning:.3}, an error \
from {error:.3}), in tenths split at those thresholds. Each dot is the reply rate of a band's \
emails with its 95% interval; orange bands are at warning, red at error; faint ones have fewer \
than {min_emails} emails, too few to trust. {reference} {unscored} fewer than {words} words \
and {was} not scored.</p>",
        rule = esc(&b.rule),
        warning = b.warning,
        error = b.error,
        reference = match &b.reference {
            Some(band) => format!(
                "The shaded band is {}, the lowest band with {min_emails} or more; lifts are \
against it.",
                esc(band)
            ),
            None => format!("No band has {min_emails} emails, so no lifts are given."),
        },
        unscored = match b.unscored.emails {
            1 => "1 email had".to_string(),
            n => format!("{} emails had", thousands(n)),
        },
        was = if b.unscored.emails == 1 {
            "was"
        } else {
            "were"
        },
        words = b.min_words,
    );
    if !b.any_scored() {
        out.push_str("<p class=\"note\">No email was long enough to score.</p></section>");
        return out;
    }
    let labels: Vec<String> = b
        .bands
        .iter()
        .map(|band| match band.threshold {
            Some(t) => format!("{} · {t}", band.band),
            None => band.band.clone(),
        })
        .collect();
    let rows: Vec<Dot> = b
        .bands
        .iter()
        .zip(&labels)
        .map(|(band, label)| Dot {
            label,
            group: &band.group,
            colour: band_colour(band.threshold),
            faded: band.too_few,
        })
        .collect();
    let reference = b.reference.as_ref().and_then(|name| {
        let band = b.bands.iter().find(|band| &band.band == name)?;
        Some((name.as_str(), &band.group))
    });
    out.push_str(&intervals_chart(
        &rows,
        reference,
        "Reply rate by voice-score band with 95% intervals",
    ));
    out.push_str(
        "<table><thead><tr><th>Score</th><th>Emails</th><th>Reply rate</th><th>95% interval</th>\
<th>Lift</th><th>p</th><th></th></tr></thead><tbody>",
    );
    for band in &b.bands {
        let mut marks: Vec<&str> = band.threshold.iter().map(|t| t.as_str()).collect();
        if b.reference.as_deref() == Some(band.band.as_str()) {
            marks.push("reference");
        }
        if band.too_few && band.group.emails > 0 {
            marks.push("too few to trust");
        }
        let class = if band.too_few { " class=\"few\"" } else { "" };
        let _ = write!(
            out,
            "<tr{class}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
<td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&band.band),
            thousands(band.group.emails),
            percent(band.group.reply_rate, "–"),
            match (band.group.ci_low, band.group.ci_high) {
                (Some(lo), Some(hi)) =>
                    format!("{}–{}", percent(Some(lo), ""), percent(Some(hi), "")),
                _ => "–".into(),
            },
            band.versus
                .lift
                .filter(|_| !band.too_few)
                .map_or("–".into(), |l| format!("{l:.2}")),
            band.versus
                .p_value
                .filter(|_| !band.too_few)
                .map_or("–".into(), p_cell),
            marks.join(", ")
        );
    }
    out.push_str("</tbody></table></section>");
    out
}

fn band_colour(threshold: Option<Severity>) -> &'static str {
    match threshold {
        Some(Severity::Error) => "#b91c1c",
        Some(_) => "#d9822b",
        None => "#2563eb",
    }
}

fn p_cell(p: f64) -> String {
    if p < 0.001 {
        "&lt;0.001".into()
    } else {
        format!("{p:.3}")
    }
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
            c.versus.lift.map_or("–".into(), |l| format!("{l:.2}")),
            c.versus.p_value.map_or("–".into(), p_cell),
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

fn nice_ceiling(v: f64) -> f64 {
    let steps = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0];
    steps.into_iter().find(|&s| s >= v).unwrap_or(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::{Counts, Example, Record};
    use redline_rules::Severity;

    fn report() -> Report {
        let mut counts = Counts::new("2026-02-01".parse().ok());
        for (i, day) in ["2026-01-10", "2026-02-10", "2026-03-10"]
            .iter()
            .enumerate()
        {
            for n in 0..4 {
                let flagged = n < i + 1;
                counts.add(Record {
                    replied: n == 0,
                    rules: if flagged {
                        vec![("corporate-ai.reach-out".into(), Severity::Warning)]
                    } else {
                        Vec::new()
                    },
                    patterns: if flagged {
                        vec![(
                            "corporate-ai.reach-out".into(),
                            "reach out".into(),
                            Example {
                                message: format!("{i}{n}@x"),
                                snippet: "I <b>Reach out</b> & \"more\"".into(),
                            },
                        )]
                    } else {
                        Vec::new()
                    },
                    ..Record::on(day.parse().unwrap())
                });
            }
        }
        Report::new(&counts, 1)
    }

    #[test]
    fn the_page_marks_the_rollout_and_escapes_snippets() {
        let page = page(&report());
        assert_eq!(page.matches("<svg").count(), 2);
        assert!(page.contains(">rollout 2026-02-01</text>"));
        assert!(
            page.contains("reply rate (left)") && page.contains("share of emails flagged (right)")
        );
        assert!(
            page.contains("“I &lt;b&gt;<mark>Reach out</mark>&lt;/b&gt; &amp; &quot;more&quot;”"),
            "escaped, with the phrase marked whatever its case"
        );
        assert!(!page.contains("<b>Reach"));
    }

    #[test]
    fn the_voice_score_section_marks_thresholds_and_small_bands() {
        let mut r = report();
        assert!(
            !page(&r).contains("Reply rate by voice score"),
            "no score rule"
        );
        let mut counts = r.counts().unwrap();
        let mut bands = crate::bands::ScoreCounts::new(0.7119, 0.9728, 40);
        for (p, n) in [(0.05, 2), (0.75, 1), (0.99, 1)] {
            for _ in 0..n {
                bands.add(Some(p), true);
            }
        }
        counts.scores.insert("demo.voice".into(), bands);
        r = Report::new(&counts, 2);
        let page = page(&r);
        assert!(page.contains("<h2>Reply rate by voice score</h2>"));
        assert_eq!(page.matches("<svg").count(), 3);
        assert!(page.contains(">0.712–0.8 · warning</text>"));
        assert!(page.contains(">0.973–1.0 · error</text>"));
        assert!(page.contains("<td>0.0–0.1</td>") && page.contains(">reference</td>"));
        assert!(page.contains("warning, too few to trust</td>"));
        assert!(page.contains("The shaded band is 0.0–0.1"));
        assert!(page.contains(" 0 emails had fewer than 40 words and were not scored."));

        let bands = counts.scores.get_mut("demo.voice").unwrap();
        bands.add(None, false);
        let page = super::page(&Report::new(&counts, 2));
        assert!(
            page.contains(" 1 email had fewer than 40 words and was not scored."),
            "one email, in the singular"
        );
    }

    #[test]
    fn the_rate_axis_tops_out_at_a_round_share() {
        assert_eq!(nice_ceiling(0.031), 0.05);
        assert_eq!(nice_ceiling(0.2), 0.2);
        assert_eq!(nice_ceiling(3.0), 1.0);
    }
}
