//! Checking many inputs on every core, printing in path order.
//!
//! Workers claim inputs in order, read and check them, and render their findings; the main
//! thread prints each input's output as soon as every earlier input is printed. A worker never
//! runs more than [`WINDOW`] inputs ahead of the printer, so memory stays bounded however
//! many files there are and however the work was scheduled.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redline_rules::{FailOn, Severity};

use crate::inputs::{self, Target};
use crate::report::{Rendered, Renderer, sarif_log};
use crate::settings::Linters;
use crate::{Format, exit};

/// How far ahead of the printer a worker may run, in inputs.
const WINDOW: usize = 256;

/// What checking one input produced.
#[derive(Default)]
struct FileResult {
    rendered: Rendered,
    notes: Vec<String>,
    read: bool,
    config_trouble: bool,
    blocking: bool,
    drafts: usize,
}

/// Checks every target and prints the results; returns the exit code.
pub fn check_all(
    targets: Vec<Target>,
    linters: &Linters,
    format: Format,
    fail_on: Option<FailOn>,
) -> u8 {
    let started = Instant::now();
    let renderer = Renderer::new(format);
    let total = targets.len();
    let next = AtomicUsize::new(0);
    let printed = (Mutex::new(0usize), Condvar::new());
    let (send, receive) = mpsc::channel::<(usize, FileResult)>();
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(total.max(1));
    let progress = progress_bar(total);

    let mut stdout = std::io::stdout().lock();
    let mut summary = Summary::default();
    let mut sarif = Vec::new();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let send = send.clone();
            let (targets, next, printed, renderer) = (&targets, &next, &printed, &renderer);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(target) = targets.get(i) else { break };
                    let (lock, turn) = printed;
                    let mut done = lock.lock().expect("no panics while held");
                    while i >= *done + WINDOW {
                        done = turn.wait(done).expect("no panics while held");
                    }
                    drop(done);
                    let result = check_one(target, linters, renderer, fail_on);
                    if send.send((i, result)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(send);

        let mut pending = BTreeMap::new();
        let mut next_to_print = 0;
        for (i, result) in receive {
            pending.insert(i, result);
            while let Some(result) = pending.remove(&next_to_print) {
                progress.suspend(|| {
                    for note in &result.notes {
                        eprintln!("redline: {note}");
                    }
                    let _ = stdout.write_all(result.rendered.stdout.as_bytes());
                });
                summary.add(&result);
                sarif.extend(result.rendered.sarif);
                next_to_print += 1;
                progress.inc(1);
                let (lock, turn) = &printed;
                *lock.lock().expect("no panics while held") = next_to_print;
                turn.notify_all();
            }
        }
    });
    progress.finish_and_clear();
    if format == Format::Sarif {
        let _ = writeln!(stdout, "{:#}", sarif_log(sarif));
    }
    let _ = stdout.flush();
    summary.print(format, total, started.elapsed());
    summary.exit_code()
}

fn check_one(
    target: &Target,
    linters: &Linters,
    renderer: &Renderer,
    fail_on: Option<FailOn>,
) -> FileResult {
    let mut result = FileResult::default();
    let Some((linter, fail_on)) = linters.for_dir(&target.config_dir(), fail_on) else {
        result.config_trouble = true;
        return result;
    };
    let name = target.name();
    let read = inputs::read(target, |draft, raw| {
        result.drafts += 1;
        let label = match draft.number {
            Some(n) => format!("{name}#{n}"),
            None => name.clone(),
        };
        result
            .notes
            .extend(draft.notes.iter().map(|n| format!("{label}: {n}")));
        let findings = linter.check_document(&draft.doc);
        result.blocking |= findings.iter().any(|f| fail_on.blocks(f.severity));
        renderer.draft(
            &name,
            &draft,
            &raw,
            &findings,
            &linter,
            &mut result.rendered,
        );
    });
    match read {
        Ok(()) => result.read = true,
        Err(problem) => result.notes.push(problem),
    }
    result
}

fn progress_bar(total: usize) -> ProgressBar {
    if total < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:32} {pos}/{len} files  {elapsed_precise}")
            .expect("template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Totals over the run, for the summary line and the exit code.
#[derive(Default)]
struct Summary {
    counts: [usize; 3],
    files_read: usize,
    files_with_findings: usize,
    drafts: usize,
    trouble: bool,
    blocking: bool,
}

impl Summary {
    fn add(&mut self, r: &FileResult) {
        for (total, n) in self.counts.iter_mut().zip(r.rendered.counts) {
            *total += n;
        }
        self.files_read += usize::from(r.read);
        self.files_with_findings += usize::from(r.rendered.counts.iter().any(|&n| n > 0));
        self.drafts += r.drafts;
        self.trouble |= r.config_trouble;
        self.blocking |= r.blocking;
    }

    /// On stderr: for people reading findings, or on a terminal; never for a quiet clean run
    /// that is piped.
    fn print(&self, format: Format, total: usize, elapsed: Duration) {
        let findings: usize = self.counts.iter().sum();
        let show = (format == Format::Human && findings > 0)
            || (std::io::stderr().is_terminal() && total > 1);
        if !show {
            return;
        }
        let [info, warning, error] = self.counts;
        eprintln!(
            "redline: {}, {}, {} in {} of {} {} ({} {}) in {:.2}s",
            plural(error, Severity::Error),
            plural(warning, Severity::Warning),
            plural(info, Severity::Info),
            self.files_with_findings,
            self.files_read,
            if self.files_read == 1 {
                "file"
            } else {
                "files"
            },
            self.drafts,
            if self.drafts == 1 { "draft" } else { "drafts" },
            elapsed.as_secs_f64(),
        );
    }

    fn exit_code(&self) -> u8 {
        if self.trouble || self.files_read == 0 {
            exit::TROUBLE
        } else if self.blocking {
            exit::FINDINGS
        } else {
            exit::CLEAN
        }
    }
}

fn plural(n: usize, severity: Severity) -> String {
    match (severity, n) {
        (Severity::Info, _) => format!("{n} info"),
        (_, 1) => format!("1 {severity}"),
        _ => format!("{n} {severity}s"),
    }
}
