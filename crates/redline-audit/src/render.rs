//! The report for people (a terminal table) and for spreadsheets (CSV).

use std::fmt::Write as _;

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
    if !r.months.is_empty() {
        let _ = writeln!(
            out,
            "\nBy month\n  {:<8} {:>8} {:>8} {:>7} {:>8}",
            "month", "emails", "replied", "rate", "flagged"
        );
        for m in &r.months {
            period_line(&mut out, &m.month, &m.period);
        }
    }
    if let Some(roll) = &r.rollout {
        let _ = writeln!(out, "\nRollout on {}", roll.date);
        period_line(&mut out, "before", &roll.before);
        period_line(&mut out, "after", &roll.after);
    }
    if !r.senders.is_empty() {
        let _ = writeln!(out, "\nBy sender (for your own mailbox; not a ranking)");
        for s in &r.senders {
            period_line(&mut out, &s.sender, &s.period);
        }
    }
    out
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
            c.lift.map_or("-".into(), |l| format!("{l:.2}")),
            c.p_value.map_or("-".into(), p_value),
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

fn period_line(out: &mut String, name: &str, p: &PeriodRow) {
    let _ = writeln!(
        out,
        "  {:<8} {:>8} {:>8} {:>7} {:>8}",
        name,
        thousands(p.group.emails),
        thousands(p.group.replied),
        percent(p.group.reply_rate, "-"),
        percent(p.flagged_share, "-")
    );
}

/// One row per rule, phrase and month, for spreadsheets.
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
                num(c.lift),
                num(c.p_value),
                num(c.lost_replies),
                c.too_few
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
