//! `redline audit`: reads sent mail and its outcomes, and prints which patterns cost replies.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redline_audit::outcomes::Outcomes;
use redline_audit::record::Options;
use redline_audit::report::{self, Report};
use redline_audit::{render, run};

use crate::settings::Linters;
use crate::{AuditArgs, AuditCommand, AuditFormat, exit};

/// Runs `redline audit` (or `redline audit merge`); returns the exit code.
pub fn audit(args: AuditArgs) -> u8 {
    if let Some(AuditCommand::Merge {
        reports,
        format,
        html,
    }) = args.command
    {
        return merge(&reports, format, html.as_deref());
    }
    if args.replies.is_empty() && args.outcomes.is_none() {
        eprintln!(
            "redline: audit needs outcomes: --replies DIR|MBOX (threading) or --outcomes CSV"
        );
        return exit::TROUBLE;
    }
    let linters = Linters::new(args.rules.clone()).many_drafts();
    let Some((linter, _)) = linters.for_dir(std::path::Path::new("."), None) else {
        return exit::TROUBLE;
    };
    let mut outcomes = Outcomes::default();
    let mut problems = Vec::new();
    // A path that is not there is named, the rest is audited, and the run exits 2: a report
    // missing half its mail or all its replies must not pass for a whole one.
    let exists = |p: &&PathBuf| std::fs::symlink_metadata(p).is_ok();
    let missing: Vec<&PathBuf> = args
        .sent
        .iter()
        .chain(&args.replies)
        .filter(|p| !exists(p))
        .collect();
    for p in &missing {
        eprintln!("redline: {}: no such file or folder", p.display());
    }
    let sent: Vec<PathBuf> = args.sent.iter().filter(exists).cloned().collect();
    let replies: Vec<PathBuf> = args.replies.iter().filter(exists).cloned().collect();
    if let Some(csv) = &args.outcomes {
        match outcomes.add_csv(csv) {
            Ok(bad_rows) => problems.extend(bad_rows),
            Err(e) => {
                eprintln!("redline: {e}");
                return exit::TROUBLE;
            }
        }
    }
    run::read_replies(&replies, &mut outcomes, &mut problems);
    let options = Options {
        since: args.since,
        until: args.until,
        min_severity: args.min_severity.into(),
        by_sender: args.by_sender,
        redact: args.redact,
    };
    let bar = progress();
    let (counts, read_problems) =
        run::audit(&sent, &outcomes, &linter, &options, args.rollout, &|| {
            bar.inc(1)
        });
    bar.finish_and_clear();
    problems.extend(read_problems);
    for p in &problems {
        eprintln!("redline: {p}");
    }
    if counts.all.emails == 0 && counts.skipped.is_empty() {
        eprintln!("redline: no sent messages found in {}", names(&args.sent));
        return exit::TROUBLE;
    }
    let code = print(
        &Report::new(&counts, args.min_emails).made_with(&options),
        args.format,
        args.html.as_deref(),
    );
    if missing.is_empty() {
        code
    } else {
        exit::TROUBLE
    }
}

fn merge(paths: &[PathBuf], format: AuditFormat, html: Option<&Path>) -> u8 {
    let mut reports = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("redline: {name}: cannot read: {e}");
                return exit::TROUBLE;
            }
        };
        match serde_json::from_slice::<Report>(&bytes) {
            Ok(r) => reports.push((name, r)),
            Err(e) => {
                eprintln!("redline: {name}: not an audit report: {e}");
                return exit::TROUBLE;
            }
        }
    }
    match report::merge(reports) {
        Ok(merged) => print(&merged, format, html),
        Err(e) => {
            eprintln!("redline: cannot merge: {e}");
            exit::TROUBLE
        }
    }
}

/// Prints the report in `format`, and writes the HTML page when asked.
fn print(report: &Report, format: AuditFormat, html: Option<&Path>) -> u8 {
    let written = exit::write_page(html, || redline_audit::html::page(report));
    let text = match format {
        AuditFormat::Human => render::human(report),
        AuditFormat::Json => {
            serde_json::to_string_pretty(report).expect("reports serialize") + "\n"
        }
        AuditFormat::Csv => render::csv(report),
    };
    exit::print(&text, if written { exit::CLEAN } else { exit::TROUBLE })
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A message counter on a terminal; hidden when stderr is not one.
fn progress() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} messages audited ({per_sec})")
            .expect("a valid template"),
    );
    bar
}
