//! The report for people (a terminal table) and for spreadsheets (CSV).

use std::fmt::Write as _;

use crate::bands::ScoreBands;
use crate::report::{Compared, Group, PeriodRow, Report};
use crate::text::{clip, percent, thousands};

/// Patterns shown in the terminal table.
const TOP: usize = 15;

/// The terminal report: totals, the patterns that cost the most replies, rules, months, and
/// the rollout comparison.
pub fn human(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "redline audit: {} sent emails, {} replied ({})",
        thousands(r.all.emails),
        thousands(r.all.replied),
        percent(r.all.reply_rate, "-")
    );
    for (name, g) in [
        ("first touches", &r.first_touch),
        ("follow-ups", &r.follow_up),
        ("no finding", &r.baseline),
    ] {
        let _ = writeln!(
            out,
            "  {name:<14} {:>8}  {}",
            thousands(g.emails),
            rate_with_interval(g)
        );
    }
    if !r.skipped.is_empty() {
        let skipped: Vec<String> = r
            .skipped
            .iter()
            .map(|(why, n)| format!("{n} {why}"))
            .collect();
        let _ = writeln!(out, "  left out: {}", skipped.join(", "));
    }
    table(
        &mut out,
        &format!(
            "Phrases by replies lost (against {} with no finding)",
            percent(r.baseline.reply_rate, "-")
        ),
        &r.patterns,
        true,
        r.min_emails,
    );
    table(&mut out, "Rules", &r.rules, false, r.min_emails);
    for b in &r.score_bands {
        score_bands(&mut out, b, r.min_emails);
    }
    if !r.months.is_empty() {
        let rows: Vec<(&str, &PeriodRow)> = r
            .months
            .iter()
            .map(|m| (m.month.as_str(), &m.period))
            .collect();
        periods(&mut out, "By month", "month", &rows);
    }
    if let Some(roll) = &r.rollout {
        periods(
            &mut out,
            &format!("Rollout on {}", roll.date),
            "period",
            &[("before", &roll.before), ("after", &roll.after)],
        );
    }
    if !r.senders.is_empty() {
        let rows: Vec<(&str, &PeriodRow)> = r
            .senders
            .iter()
            .map(|s| (s.sender.as_str(), &s.period))
            .collect();
        periods(
            &mut out,
            "By sender (for your own mailbox; not a ranking)",
            "sender",
            &rows,
        );
    }
    for note in &r.notes {
        let _ = writeln!(out, "\nnote: {note}");
    }
    out
}

/// Reply rate by band of a score rule's probability, every band from 0 to 1, with lift and p
/// against the reference band and the bands at warning and error marked.
fn score_bands(out: &mut String, b: &ScoreBands, min_emails: u64) {
    let _ = writeln!(
        out,
        "\nReply rate by voice score ({}: warning at {:.3}, error at {:.3})",
        b.rule, b.warning, b.error
    );
    if !b.any_scored() {
        let _ = writeln!(
            out,
            "  no message had the {} words it takes to be scored",
            b.min_words
        );
        return;
    }
    let width = b
        .bands
        .iter()
        .map(|band| band.band.chars().count())
        .chain(["not scored".len()])
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "  {:<width$} {:>7} {:>6} {:>13} {:>5} {:>8}",
        "score", "emails", "rate", "95% interval", "lift", "p"
    );
    for band in &b.bands {
        let reference = b.reference.as_deref() == Some(band.band.as_str());
        let trusted = !band.too_few;
        let marks: Vec<&str> = [
            band.threshold.map(|t| t.as_str()),
            reference.then_some("reference"),
            (band.too_few && band.group.emails > 0).then_some("too few"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let line = format!(
            "  {:<width$} {:>7} {:>6} {:>13} {:>5} {:>8}  {}",
            band.band,
            thousands(band.group.emails),
            percent(band.group.reply_rate, "-"),
            interval(&band.group),
            band.versus
                .lift
                .filter(|_| trusted)
                .map_or("-".into(), |l| format!("{l:.2}")),
            band.versus
                .p_value
                .filter(|_| trusted)
                .map_or("-".into(), p_value),
            marks.join(", ")
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let _ = writeln!(
        out,
        "  {:<width$} {:>7} {:>6} {:>13}  under {} words",
        "not scored",
        thousands(b.unscored.emails),
        percent(b.unscored.reply_rate, "-"),
        interval(&b.unscored),
        b.min_words
    );
    let _ = match &b.reference {
        Some(band) => writeln!(
            out,
            "  lift and p against {band}, the lowest band with {min_emails}+ emails; bands with fewer are too few to trust"
        ),
        None => writeln!(
            out,
            "  no band has {min_emails} emails: too few to compare bands"
        ),
    };
}

fn table(out: &mut String, title: &str, rows: &[Compared], phrases: bool, min_emails: u64) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{title}\n  {:<44} {:>7} {:>6} {:>13} {:>5} {:>8} {:>6}",
        if phrases { "phrase (rule)" } else { "rule" },
        "emails",
        "rate",
        "95% interval",
        "lift",
        "p",
        "lost"
    );
    let ranked: Vec<&Compared> = rows.iter().filter(|c| !c.too_few).collect();
    for c in ranked.iter().take(TOP) {
        let name = match &c.phrase {
            Some(p) if phrases => format!("\"{}\" ({})", p, short_rule(&c.rule)),
            _ => c.rule.clone(),
        };
        let _ = writeln!(
            out,
            "  {:<44} {:>7} {:>6} {:>13} {:>5} {:>8} {:>6}",
            clip(&name, 44),
            thousands(c.group.emails),
            percent(c.group.reply_rate, "-"),
            interval(&c.group),
            c.versus.lift.map_or("-".into(), |l| format!("{l:.2}")),
            c.versus.p_value.map_or("-".into(), p_value),
            c.lost_replies.map_or("-".into(), |l| format!("{l:.1}"))
        );
    }
    if ranked.len() > TOP {
        let _ = writeln!(
            out,
            "  … {} more (--format json lists every one)",
            ranked.len() - TOP
        );
    }
    let few = rows.len() - ranked.len();
    if few > 0 {
        let _ = writeln!(
            out,
            "  {few} with fewer than {min_emails} emails: too few to rank (--format json lists them)"
        );
    }
}

/// A table of periods (months, before/after, senders) under a header row, the first column
/// as wide as its longest name so the figures line up.
fn periods(out: &mut String, title: &str, first: &str, rows: &[(&str, &PeriodRow)]) {
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .chain([first.len()])
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "\n{title}\n  {first:<width$} {:>8} {:>8} {:>7} {:>8}",
        "emails", "replied", "rate", "flagged"
    );
    for (name, p) in rows {
        let _ = writeln!(
            out,
            "  {name:<width$} {:>8} {:>8} {:>7} {:>8}",
            thousands(p.group.emails),
            thousands(p.group.replied),
            percent(p.group.reply_rate, "-"),
            percent(p.flagged_share, "-")
        );
    }
}

/// One row per rule, phrase, voice-score band and month, for spreadsheets (a score band's
/// `phrase` is the band, its `severity` the threshold it is at).
pub fn csv(r: &Report) -> String {
    let mut out = String::from(
        "kind,rule,phrase,month,severity,emails,replied,reply_rate,ci_low,ci_high,lift,p_value,lost_replies,too_few,flagged_share\n",
    );
    let num = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
    for (kind, rows) in [("rule", &r.rules), ("phrase", &r.patterns)] {
        for c in rows {
            let _ = writeln!(
                out,
                "{kind},{},{},,{},{},{},{},{},{},{},{},{},{},",
                quote(&c.rule),
                quote(c.phrase.as_deref().unwrap_or("")),
                c.severity,
                c.group.emails,
                c.group.replied,
                num(c.group.reply_rate),
                num(c.group.ci_low),
                num(c.group.ci_high),
                num(c.versus.lift),
                num(c.versus.p_value),
                num(c.lost_replies),
                c.too_few
            );
        }
    }
    for b in &r.score_bands {
        let rows = b.bands.iter().map(|band| {
            let threshold = band.threshold.map_or("", |t| t.as_str());
            let (lift, p) = (band.versus.lift, band.versus.p_value);
            (
                band.band.as_str(),
                threshold,
                &band.group,
                lift,
                p,
                band.too_few,
            )
        });
        let unscored = ("not scored", "", &b.unscored, None, None, false);
        for (band, threshold, g, lift, p, too_few) in rows.chain([unscored]) {
            let _ = writeln!(
                out,
                "score_band,{},{band},,{threshold},{},{},{},{},{},{},{},,{too_few},",
                quote(&b.rule),
                g.emails,
                g.replied,
                num(g.reply_rate),
                num(g.ci_low),
                num(g.ci_high),
                num(lift),
                num(p)
            );
        }
    }
    for m in &r.months {
        let g = &m.period.group;
        let _ = writeln!(
            out,
            "month,,,{},,{},{},{},{},{},,,,,{}",
            m.month,
            g.emails,
            g.replied,
            num(g.reply_rate),
            num(g.ci_low),
            num(g.ci_high),
            num(m.period.flagged_share)
        );
    }
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn rate_with_interval(g: &Group) -> String {
    format!("{} [{}]", percent(g.reply_rate, "-"), interval(g))
}

fn interval(g: &Group) -> String {
    match (g.ci_low, g.ci_high) {
        (Some(lo), Some(hi)) => format!("{:.1}–{:.1}%", lo * 100.0, hi * 100.0),
        _ => "-".into(),
    }
}

fn p_value(p: f64) -> String {
    if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

fn short_rule(rule: &str) -> &str {
    rule.rsplit_once('.').map_or(rule, |(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::counts::{Counts, Record};

    fn report() -> Report {
        let mut counts = Counts::new(None);
        for (sender, replied) in [
            ("al@x.io", true),
            ("al@x.io", false),
            ("someone.with.a.long.name@example.org", true),
        ] {
            counts.add(Record {
                replied,
                sender: Some(sender.into()),
                ..Record::on("2026-03-04".parse().unwrap())
            });
        }
        Report::new(&counts, 1)
    }

    #[test]
    fn the_sender_table_has_a_header_and_columns_that_line_up() {
        let text = human(&report());
        let table: Vec<&str> = text
            .split("By sender (for your own mailbox; not a ranking)\n")
            .nth(1)
            .expect("a sender table")
            .lines()
            .take(3)
            .collect();
        assert!(table[0].trim_start().starts_with("sender"), "{table:?}");
        assert!(table[0].contains("emails") && table[0].contains("flagged"));
        let ends: Vec<usize> = table.iter().map(|l| l.len()).collect();
        assert!(
            ends.iter().all(|&e| e == ends[0]),
            "columns line up: {table:#?}"
        );
        let rate_at = table[0].find("   rate").unwrap();
        assert!(
            table
                .iter()
                .skip(1)
                .all(|l| l[..rate_at + 7].ends_with('%')),
            "{table:#?}"
        );
    }

    #[test]
    fn the_score_band_table_lines_up_and_each_band_is_a_csv_row() {
        let mut counts = Counts::new(None);
        let mut bands = crate::bands::ScoreCounts::new(0.7119, 0.9728, 40);
        for (p, n) in [(0.05, 40), (0.75, 35), (0.99, 3)] {
            for i in 0..n {
                bands.add(Some(p), i % 4 == 0);
            }
        }
        bands.add(None, false);
        counts.scores.insert("demo.voice".into(), bands);
        let r = Report::new(&counts, 30);
        let text = human(&r);
        let table: Vec<&str> = text
            .split("Reply rate by voice score (demo.voice: warning at 0.712, error at 0.973)\n")
            .nth(1)
            .expect("a band table")
            .lines()
            .take(14)
            .collect();
        // Columns line up on screen: counted in characters (band labels hold an en dash).
        let rate_end = table[0].find("rate").unwrap() + 4;
        for row in &table[1..13] {
            let rate: String = row.chars().take(rate_end).collect();
            assert!(rate.ends_with('%') || rate.ends_with('-'), "{table:#?}");
        }
        assert!(table[1].starts_with("  0.0–0.1 ") && table[1].ends_with("reference"));
        assert!(table[9].starts_with("  0.712–0.8 ") && table[9].ends_with("warning"));
        assert!(table[12].ends_with("error, too few"), "{}", table[12]);
        assert!(table[13].starts_with("  not scored "), "{}", table[13]);

        let sheet = csv(&r);
        let rows: Vec<&str> = sheet
            .lines()
            .filter(|l| l.starts_with("score_band,"))
            .collect();
        assert_eq!(rows.len(), 13, "twelve bands and the messages not scored");
        assert!(rows.iter().all(|l| l.split(',').count() == 15));
        assert!(rows[8].starts_with("score_band,demo.voice,0.712–0.8,,warning,35,9,"));
    }

    #[test]
    fn months_carry_the_same_header() {
        let text = human(&report());
        assert!(text.contains("By month\n  month  "), "{text}");
        assert!(
            text.contains("  2026-03        3        2   66.7%"),
            "{text}"
        );
    }
}
