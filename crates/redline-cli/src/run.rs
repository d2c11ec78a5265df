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
use redline_text::printable;

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
    /// A config or pack error, or an input (or part of one) that could not be read.
    trouble: bool,
    blocking: bool,
    drafts: usize,
}

/// How `check` runs, beyond its inputs.
#[derive(Clone, Copy)]
pub struct Options {
    /// The output format.
    pub format: Format,
    /// The `--fail-on` flag, if given.
    pub fail_on: Option<FailOn>,
    /// The most bytes one draft may hold.
    pub max_draft: usize,
    /// Print the summary line even when stderr is not a terminal.
    pub summary: bool,
}

/// Checks every target and prints the results; returns the exit code. `failed` says whether
/// an input was already found missing or unreadable while gathering targets.
pub fn check_all(targets: Vec<Target>, linters: &Linters, options: Options, failed: bool) -> u8 {
    let format = options.format;
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
    let mut summary = Summary {
        trouble: failed,
        ..Summary::default()
    };
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
                    let result = check_one(target, linters, renderer, options);
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
    if options.summary || std::io::stderr().is_terminal() {
        summary.print(total, started.elapsed());
    }
    summary.exit_code()
}

fn check_one(
    target: &Target,
    linters: &Linters,
    renderer: &Renderer,
    options: Options,
) -> FileResult {
    let mut result = FileResult::default();
    let Some((linter, fail_on)) = linters.for_dir(&target.config_dir(), options.fail_on) else {
        result.trouble = true;
        return result;
    };
    let name = target.name();
    let shown = printable(&name).into_owned();
    let problems = inputs::read(target, options.max_draft, |draft, raw| {
        result.drafts += 1;
        let label = match draft.number {
            Some(n) => format!("{shown}#{n}"),
            None => shown.clone(),
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
    result.read = result.drafts > 0 || problems.is_empty();
    for p in problems {
        result.trouble |= p.fails;
        result.notes.push(p.message);
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
        self.trouble |= r.trouble;
        self.blocking |= r.blocking;
    }

    /// The summary line, on stderr: for a terminal (or `--summary`), when there is something
    /// to sum up (findings, or more than one input).
    fn print(&self, total: usize, elapsed: Duration) {
        if self.counts.iter().all(|&n| n == 0) && total < 2 {
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
