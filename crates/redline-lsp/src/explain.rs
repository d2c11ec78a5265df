//! What a rule means, in Markdown: the text of a hover and of the explain command.

use redline_rules::{Finding, Rule};
use redline_text::one_line;

/// The explanation of `rule`: why it hurts, what to write instead, and a before/after pair
/// from its own examples.
pub fn rule_markdown(rule: &Rule) -> String {
    let mut md = format!(
        "**Why it hurts.** {}\n\n**Write instead.** {}\n",
        rule.why, rule.instead
    );
    if let (Some(before), Some(after)) = (rule.examples.bad.first(), rule.examples.good.first()) {
        md.push_str(&format!(
            "\n**Before:** {}\n\n**After:** {}\n",
            one_line(before),
            one_line(after)
        ));
    }
    md
}

/// A hover over `finding`: its message, rule and severity, a score's contributions, then the
/// rule's explanation.
pub fn finding_markdown(finding: &Finding, rule: &Rule) -> String {
    let evidence = finding.evidence.as_ref().map_or(String::new(), |e| {
        let lines: String = e.lines().iter().map(|l| format!("    {l}\n")).collect();
        format!(
            "**Score {:.2}**, from these features (log-odds):\n\n{lines}\n",
            e.probability
        )
    });
    format!(
        "**{}** · `{}` · {}\n\n{evidence}{}",
        finding.message,
        finding.rule,
        finding.severity,
        rule_markdown(rule)
    )
}

/// The `redline explain` page for `rule`, with its heading and settings.
pub fn page_markdown(rule: &Rule) -> String {
    format!(
        "# `{}`\n\n{} · {} · pack `{}`\n\n{}\n{}",
        rule.id,
        rule.message,
        rule.severity,
        rule.pack,
        rule_markdown(rule),
        if rule.enabled {
            ""
        } else {
            "\n*Off by default; turn it on in `.redline.toml`.*\n"
        }
    )
}
