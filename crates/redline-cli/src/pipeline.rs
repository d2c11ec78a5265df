//! `redline pipeline`: the pipeline pack's threshold rules over a folder of CRM exports.

use redline_email::Loaded;
use redline_pipeline::{Levels, PipelineFinding, Run};
use redline_rules::threshold::Check;
use redline_rules::{FailOn, Rule, RuleKind};
use redline_text::printable;
use serde_json::{Value, json};

use crate::settings::Linters;
use crate::{PipelineArgs, PipelineFormat, exit};

/// Runs `redline pipeline`; returns the exit code: 2 when the rules or an export could not
/// be read (after running every check that could), else 1 for findings at `--fail-on`.
pub fn pipeline(args: PipelineArgs) -> u8 {
    if !args.dir.is_dir() {
        eprintln!("redline: {} is not a folder of exports", args.dir.display());
        return exit::TROUBLE;
    }
    let linters = Linters::new(args.rules.clone());
    let flag = args.fail_on.map(Into::into);
    let Some((loaded, fail_on)) = linters.rules_for_dir(&args.dir, flag, FailOn::Warning) else {
        return exit::TROUBLE;
    };
    let packs = (loaded.set.packs.iter()).map(|p| (p.name.as_str(), &p.columns));
    let columns = match redline_pipeline::data::merge_mappings(packs) {
        Ok(columns) => columns,
        Err(problems) => {
            for p in &problems {
                eprintln!("redline: {}", printable(p));
            }
            return exit::TROUBLE;
        }
    };
    let thresholds: Vec<&Rule> = loaded
        .set
        .rules
        .iter()
        .filter(
            |r| matches!(&r.kind, RuleKind::Threshold(t) if !matches!(t.check, Check::Voice(_))),
        )
        .collect();
    let active: Vec<(&Rule, Levels)> = thresholds
        .iter()
        .filter_map(|&r| {
            let configured = loaded.effective(r)?;
            let set = loaded.settings.sets_severity(&r.id);
            Some((r, Levels::new(configured, set)))
        })
        .collect();
    if active.is_empty() {
        eprintln!("redline: {}", nothing_to_check(&loaded, &thresholds));
        return exit::TROUBLE;
    }
    let run = redline_pipeline::run(&args.dir, active, &columns);

    for (file, report) in &run.files {
        for p in &report.problems {
            eprintln!("redline: {}", printable(p));
        }
        let unnamed = report.bad_rows - report.problems.len() as u64;
        if unnamed > 0 {
            eprintln!("redline: {file}: {unnamed} more malformed rows skipped");
        }
    }
    for p in &run.problems {
        eprintln!("redline: {}", printable(p));
    }
    for n in &run.notes {
        eprintln!("redline: note: {}", printable(n));
    }
    if !run.read_anything() {
        eprintln!(
            "redline: no export could be read in {} (expected leads.csv, field_edits.csv, forecasts.csv, reps.csv or usage_events.csv)",
            printable(&args.dir.display().to_string())
        );
        return exit::TROUBLE;
    }
    let written = exit::write_page(args.html.as_deref(), || redline_pipeline::html::page(&run));
    let text = match args.format {
        PipelineFormat::Json => json_lines(&args.dir, &run.findings),
        PipelineFormat::Human => human(&run),
        PipelineFormat::Html => redline_pipeline::html::page(&run),
    };
    if args.format == PipelineFormat::Human {
        eprintln!("redline: {}", printable(&summary(&run)));
    }
    let code = if !run.problems.is_empty() || !written {
        exit::TROUBLE
    } else if run.findings.iter().any(|f| fail_on.blocks(f.severity)) {
        exit::FINDINGS
    } else {
        exit::CLEAN
    };
    exit::print(&text, code)
}

/// Why no threshold rule runs, for a run that would otherwise blame the exports: every one
/// is disabled, or none is loaded (a pack named `pipeline` of the user's replaces the shipped
/// one, and one holding only `[columns.*]` mappings leaves no rule).
fn nothing_to_check(loaded: &Loaded, thresholds: &[&Rule]) -> String {
    if !thresholds.is_empty() {
        let ids: Vec<&str> = thresholds.iter().map(|r| r.id.as_str()).collect();
        return format!(
            "every threshold rule is disabled ({}), so there is nothing to check in the exports",
            ids.join(", ")
        );
    }
    let mut why =
        String::from("no threshold rule is loaded, so there is nothing to check in the exports");
    if loaded.set.packs.iter().any(|p| p.name == "pipeline") {
        why.push_str(
            ": the pack `pipeline` from your packs replaces the shipped one and holds no \
             threshold rule; put column mappings (`[columns.leads]`) in a pack of another name \
             to keep the shipped rules",
        );
    }
    why
}

fn json_lines(dir: &std::path::Path, findings: &[PipelineFinding]) -> String {
    findings
        .iter()
        .map(|f| {
            let mut v = json!({"path": dir.display().to_string()});
            if let (Value::Object(out), Ok(Value::Object(fields))) =
                (&mut v, serde_json::to_value(f))
            {
                out.extend(fields);
            }
            v.to_string() + "\n"
        })
        .collect()
}

/// The findings as a terminal shows them; text from the exports (a segment name) has its
/// control characters escaped, so a value cannot clear the screen or recolour it.
fn human(run: &Run) -> String {
    let mut out = String::new();
    for f in &run.findings {
        out.push_str(&format!(
            "{} {}: {}\n",
            f.severity,
            f.rule,
            printable(&f.message)
        ));
        let evidence = serde_json::to_value(&f.evidence).unwrap_or_default();
        let scalars: Vec<String> = evidence
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, v)| v.is_number() || v.is_string())
            .map(|(k, v)| match v.as_f64() {
                Some(x) if x.fract() != 0.0 => format!("{k} {x:.3}"),
                _ => format!(
                    "{k} {}",
                    v.as_str().map_or(v.to_string(), |s| printable(s).into())
                ),
            })
            .collect();
        if !scalars.is_empty() {
            out.push_str(&format!("  evidence: {}\n", scalars.join(", ")));
        }
        out.push_str(&format!("  why: {}\n", f.why));
        out.push_str(&format!("  instead: {}\n\n", f.instead));
    }
    out
}

/// `2 finding(s) from 7 check(s) over leads.csv 20000 rows, …`, for stderr.
fn summary(run: &Run) -> String {
    let files: Vec<String> = run
        .files
        .iter()
        .map(|(file, r)| format!("{file} {} rows", r.rows))
        .collect();
    format!(
        "{} finding(s) from {} check(s) over {}",
        run.findings.len(),
        run.measurements.len(),
        files.join(", ")
    )
}
