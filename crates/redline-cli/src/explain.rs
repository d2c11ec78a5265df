//! `redline rules` and `redline explain`: what the gate enforces, and why.

use std::fmt::Write;

use redline_email::Linter;
use redline_rules::{Fix, Rule, RuleKind};
use serde_json::json;

use crate::settings::Linters;
use crate::{RuleArgs, exit};

/// The linter for the working directory's config, as `check` would use for a draft here.
fn linter(args: &RuleArgs) -> Option<Linter> {
    let linters = Linters::new(args.clone());
    let (linter, _) = linters.for_dir(std::path::Path::new("."), None)?;
    Some(Linter::clone(&linter))
}

/// Lists every loaded rule: id, severity (as configured), kind, scope, and its message.
pub fn list(args: &RuleArgs, as_json: bool) -> u8 {
    let Some(linter) = linter(args) else {
        return exit::TROUBLE;
    };
    let mut out = String::new();
    for rule in linter.rules() {
        let effective = linter.effective(&rule.id);
        if as_json {
            let line = json!({
                "rule": rule.id,
                "pack": rule.pack,
                "kind": rule.kind.name(),
                "severity": effective.unwrap_or(rule.severity),
                "enabled": effective.is_some(),
                "scope": rule.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "phrases": phrase_count(rule),
                "message": rule.message,
            });
            let _ = writeln!(out, "{line}");
        } else {
            let state = match effective {
                Some(sev) => sev.to_string(),
                None => "off".to_string(),
            };
            let _ = writeln!(
                out,
                "{:<44} {:<8} {:<10} {}",
                rule.id,
                state,
                rule.kind.name(),
                first_sentence(&rule.why)
            );
        }
    }
    if !as_json {
        let phrases: usize = linter.rules().iter().map(phrase_count).sum();
        let _ = writeln!(
            out,
            "\n{} rules ({} phrase variants) from {}",
            linter.rules().len(),
            phrases,
            linter
                .packs()
                .iter()
                .map(|p| format!("{} {}", p.name, p.version))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    print!("{out}");
    exit::CLEAN
}

/// Prints a rule's id, severity, why, what to write instead, its fix and its examples.
pub fn explain(args: &RuleArgs, id: &str) -> u8 {
    let Some(linter) = linter(args) else {
        return exit::TROUBLE;
    };
    let Some(rule) = linter.rule(id) else {
        eprintln!("redline: unknown rule `{id}`; `redline rules` lists them");
        return exit::TROUBLE;
    };
    print!("{}", render(rule, &linter));
    exit::CLEAN
}

fn render(rule: &Rule, linter: &Linter) -> String {
    let mut s = String::new();
    let severity = linter
        .effective(&rule.id)
        .map_or("off (enable it in .redline.toml)".to_string(), |v| {
            v.to_string()
        });
    let _ = writeln!(
        s,
        "{}  ({} rule, {}, scope: {})",
        rule.id,
        rule.kind.name(),
        severity,
        rule.scopes
            .iter()
            .map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "declared at {}\n", rule.origin);
    let _ = writeln!(s, "Why it hurts\n  {}\n", wrap(&rule.why));
    let _ = writeln!(s, "Write instead\n  {}", wrap(&rule.instead));
    for sug in &rule.suggestions {
        let _ = writeln!(s, "  - {sug}");
    }
    if let Some(fix) = &rule.fix {
        let what = match fix {
            Fix::Delete => "delete the match".to_string(),
            Fix::DeleteSentence => "delete the sentence".to_string(),
            Fix::Replace(r) => format!("replace with \"{r}\""),
        };
        let _ = writeln!(s, "\nFix: {what}");
    }
    if let RuleKind::Phrase(p) = &rule.kind {
        let shown: Vec<_> = p
            .iter()
            .take(12)
            .map(|p| match &p.replace {
                Some(r) => format!("\"{}\" → \"{r}\"", p.text),
                None => format!("\"{}\"", p.text),
            })
            .collect();
        let more = p.len().saturating_sub(shown.len());
        let _ = writeln!(
            s,
            "\nPhrases ({}): {}{}",
            p.len(),
            shown.join(", "),
            if more > 0 {
                format!(", … {more} more")
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(s, "\nFires on");
    for ex in &rule.examples.bad {
        let _ = writeln!(s, "  ✗ {}", ex.trim().replace('\n', "\n    "));
    }
    if !rule.examples.good.is_empty() {
        let _ = writeln!(s, "\nDoes not fire on");
        for ex in &rule.examples.good {
            let _ = writeln!(s, "  ✓ {}", ex.trim().replace('\n', "\n    "));
        }
    }
    s
}

fn phrase_count(rule: &Rule) -> usize {
    match &rule.kind {
        RuleKind::Phrase(p) => p.len(),
        _ => 0,
    }
}

fn first_sentence(s: &str) -> &str {
    let end = s.find(". ").map_or(s.len(), |i| i + 1);
    s[..end].lines().next().unwrap_or("")
}

/// Re-flows prose to 88 columns, continuation lines indented by two spaces.
fn wrap(s: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in s.split_whitespace() {
        if width > 0 && width + 1 + word.chars().count() > 88 {
            out.push_str("\n  ");
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += word.chars().count();
    }
    out
}
