//! `redline rules` and `redline explain`: what the gate enforces, and why.

use std::fmt::Write;

use redline_email::Linter;
use redline_rules::{Fix, Rule, RuleKind, Severity, Threshold};

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
            let mut line = redline_report::rule_json(rule, effective);
            line["phrases"] = phrase_count(rule).into();
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
    exit::print(&out, exit::CLEAN)
}

/// Runs the examples of the `--pack` packs (or of every loaded pack) and reports each rule:
/// exit 0 when all pass, 2 when one fails or the packs do not load.
pub fn test(args: &RuleArgs) -> u8 {
    let linters = Linters::without_examples(args.clone());
    let Some((linter, _)) = linters.for_dir(std::path::Path::new("."), None) else {
        return exit::TROUBLE;
    };
    let packs: Vec<String> = if args.packs.is_empty() {
        linter.packs().iter().map(|p| p.name.clone()).collect()
    } else {
        let wanted: Vec<_> = args
            .packs
            .iter()
            .filter_map(|d| d.canonicalize().ok())
            .collect();
        let names = wanted
            .iter()
            .filter_map(|d| d.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        names.collect()
    };
    let results = match linter.run_examples(&packs) {
        Ok(results) => results,
        Err(errors) => {
            eprintln!("redline: {errors}");
            return exit::TROUBLE;
        }
    };
    let mut out = String::new();
    let mut failed = 0;
    let mut examples = 0;
    for r in &results {
        examples += r.rule.examples.bad.len() + r.rule.examples.good.len();
        match r.error() {
            None => {
                let _ = writeln!(out, "ok    {}", r.rule.id);
            }
            Some(e) => {
                failed += 1;
                let _ = writeln!(out, "FAIL  {e}");
            }
        }
    }
    // Threshold rules judge a CRM export or a voice profile, not a draft: no examples to run.
    let thresholds: Vec<&Rule> = linter
        .rules()
        .iter()
        .filter(|r| packs.contains(&r.pack) && matches!(r.kind, RuleKind::Threshold(_)))
        .collect();
    for r in &thresholds {
        let _ = writeln!(out, "skip  {} (threshold rule: no draft examples)", r.id);
    }
    let rules = |n: usize| format!("{n} rule{}", if n == 1 { "" } else { "s" });
    let _ = writeln!(
        out,
        "\n{} from {}: {} with {examples} examples, {}{}",
        rules(results.len() + thresholds.len()),
        packs.join(", "),
        results.len(),
        if failed == 0 {
            "all pass".to_string()
        } else {
            format!("{failed} failed")
        },
        match thresholds.len() {
            0 => String::new(),
            n => format!("; {} skipped (threshold rules)", rules(n)),
        },
    );
    exit::print(
        &out,
        if failed == 0 {
            exit::CLEAN
        } else {
            exit::TROUBLE
        },
    )
}

/// Prints a rule's id, severity, why, what to write instead, its fix and its examples.
pub fn explain(args: &RuleArgs, id: &str) -> u8 {
    let Some(linter) = linter(args) else {
        return exit::TROUBLE;
    };
    let Some(rule) = linter.rule(id) else {
        match linter.closest_id(id) {
            Some(near) => eprintln!("redline: unknown rule `{id}`; did you mean `{near}`?"),
            None => eprintln!("redline: unknown rule `{id}`; `redline rules` lists them"),
        }
        return exit::TROUBLE;
    };
    exit::print(&render(rule, &linter, &args.disable), exit::CLEAN)
}

/// `disabled`: the ids this run's `--disable` flags name.
fn render(rule: &Rule, linter: &Linter, disabled: &[String]) -> String {
    let mut s = String::new();
    let severity = match linter.effective(&rule.id) {
        Some(v) => v.to_string(),
        None if disabled.contains(&rule.id) => "off (by --disable)".to_string(),
        None if rule.enabled => "off (turned off in the config)".to_string(),
        None => "off by default (enable it in .redline.toml)".to_string(),
    };
    let applies = match &rule.kind {
        RuleKind::Threshold(_) => "CRM exports, `redline pipeline`".to_string(),
        _ => format!(
            "scope: {}",
            rule.scopes
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(
        s,
        "{}  ({} rule, {}, {applies})",
        rule.id,
        rule.kind.name(),
        severity,
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
    if let RuleKind::Threshold(t) = &rule.kind {
        threshold(&mut s, t, rule.severity);
    }
    if rule.examples.bad.is_empty() && rule.examples.good.is_empty() {
        return s;
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

/// What a threshold rule measures, when it fires, and the parameters its check runs with.
fn threshold(s: &mut String, t: &Threshold, severity: Severity) {
    let _ = writeln!(
        s,
        "\nMeasures\n  the `{}` check over the exports",
        t.check.name()
    );
    let _ = writeln!(s, "\nFires when the figure is");
    let bounds = [
        ("above", t.above, severity),
        ("below", t.below, severity),
        ("above", t.error_above, Severity::Error),
        ("below", t.error_below, Severity::Error),
    ];
    for (side, bound, level) in bounds {
        if let Some(limit) = bound {
            let _ = writeln!(s, "  {side} {limit}: {level}");
        }
    }
    let params = serde_json::to_value(&t.check)
        .ok()
        .and_then(|v| v.get("params").and_then(|p| p.as_object().cloned()))
        .unwrap_or_default();
    if !params.is_empty() {
        let _ = writeln!(s, "\nParameters");
        for (name, value) in &params {
            let _ = writeln!(s, "  {name} = {value}");
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_88_columns_and_lists_show_the_first_sentence() {
        let long = "word ".repeat(40);
        let wrapped = wrap(&long);
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= 88),
            "{wrapped}"
        );
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  ")));
        assert_eq!(
            first_sentence("It costs replies. Prospects skim."),
            "It costs replies."
        );
    }

    #[test]
    fn a_threshold_rule_is_explained_by_its_check_and_bounds() {
        let linter = Linter::builder().build().unwrap();
        let rule = linter.rule("pipeline.edited-inputs").unwrap();
        let text = render(rule, &linter, &[]);
        assert!(text.contains("the `edited-inputs` check"), "{text}");
        assert!(text.contains("above 0.1: warning"), "{text}");
        assert!(text.contains("above 0.25: error"), "{text}");
        assert!(!text.contains("Fires on"), "{text}");
    }
}
