//! What a rule means, in Markdown: the text of a hover and of the explain command.

use redline_rules::{Evidence, Finding, Rule};
use redline_text::one_line;
use serde_json::Value;

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

/// A hover over `finding`: its message, rule and severity, the figures behind it (a score's
/// contributions, or a voice finding's distance and each habit's contribution), then the
/// rule's explanation.
pub fn finding_markdown(finding: &Finding, rule: &Rule) -> String {
    let evidence = match &finding.evidence {
        Some(Evidence::Score(e)) => {
            let lines: String = e.lines().iter().map(|l| format!("    {l}\n")).collect();
            format!(
                "**Score {:.2}**, from these features (log-odds):\n\n{lines}\n",
                e.probability
            )
        }
        Some(Evidence::Voice(v)) => evidence_markdown(v),
        None => String::new(),
    };
    format!(
        "**{}** · `{}` · {}\n\n{evidence}{}",
        finding.message,
        finding.rule,
        finding.severity,
        rule_markdown(rule)
    )
}

/// A distance and its contributions as a table, largest first.
fn evidence_markdown(evidence: &Value) -> String {
    let Some(contributions) = evidence["contributions"].as_array() else {
        return String::new();
    };
    let mut md = format!(
        "**Distance** {} (your limit {}, from {} of your messages)\n\n| adds | what differs |\n|---:|---|\n",
        evidence["distance"], evidence["limit"], evidence["messages"]
    );
    for c in contributions {
        md.push_str(&format!(
            "| {} | {} |\n",
            c["contribution"],
            c["difference"]
                .as_str()
                .unwrap_or_default()
                .replace('|', "\\|")
        ));
    }
    md.push('\n');
    md
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
