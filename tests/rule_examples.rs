//! Every rule's own examples, one test per rule: each `bad` text must trigger the rule and no
//! `good` text may. Rules are loaded from the `rules/` folder as written (the binary embeds the
//! same files), with every rule enabled, so opt-in rules are tested too.

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use redline_email::Linter;
use redline_rules::{PackSource, RuleSet, Setting, Settings};

fn pack_dirs() -> Vec<PathBuf> {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&rules)
        .expect("rules/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn main() {
    let args = Arguments::from_args();
    let dirs = pack_dirs();
    let sources: Vec<PackSource> = dirs
        .iter()
        .map(|d| PackSource::from_dir(d).expect("pack folder readable"))
        .collect();
    let set = match RuleSet::load(&sources) {
        Ok(set) => set,
        Err(e) => {
            let trial = Trial::test("rule packs load", move || Err(Failed::from(e.to_string())));
            libtest_mimic::run(&args, vec![trial]).exit();
        }
    };
    let enable_all = Settings {
        toggles: set
            .rules
            .iter()
            .map(|r| (Setting::flag(r.id.clone()), true))
            .collect(),
        ..Settings::default()
    };
    let mut builder = Linter::builder().without_builtin().settings(enable_all);
    for d in &dirs {
        builder = builder.pack_dir(d);
    }
    let linter = std::sync::Arc::new(builder.build().expect("packs load"));

    // Threshold rules measure CRM exports; tests/pipeline.rs fires each on generated data.
    let trials = set
        .rules
        .iter()
        .filter(|rule| !matches!(rule.kind, redline_rules::RuleKind::Threshold(_)))
        .map(|rule| {
            let linter = std::sync::Arc::clone(&linter);
            let rule = rule.clone();
            Trial::test(rule.id.clone(), move || {
                let mut problems = Vec::new();
                for text in &rule.examples.bad {
                    if !linter.check(text).iter().any(|f| f.rule == rule.id) {
                        problems.push(format!("bad example did not trigger it:\n    {text:?}"));
                    }
                }
                for text in &rule.examples.good {
                    if let Some(f) = linter.check(text).iter().find(|f| f.rule == rule.id) {
                        problems.push(format!(
                            "good example triggered it on {:?}:\n    {text:?}",
                            f.matched
                        ));
                    }
                }
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(format!(
                        "{} ({}):\n  {}",
                        rule.id,
                        rule.origin,
                        problems.join("\n  ")
                    )
                    .into())
                }
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
