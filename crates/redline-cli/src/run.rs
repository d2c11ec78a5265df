//! Checking many inputs on every core, printing in path order.
//!
//! One small file (the send gate's usual input), named or redirected to standard input, is
//! checked on the main thread alone: starting workers would cost more than the check.
//!
//! Workers claim inputs in order, read them and check them; a mailbox's reader hands its
//! messages to a shared queue that every worker takes from, so one large mailbox is checked on
//! all cores like a folder. Each draft is rendered where it was checked and handed to the
//! [`Printer`]: whichever worker hands over the draft that is due writes it, with every draft
//! after it that is already waiting, so output streams message by message without a thread of
//! its own to wake.
//! A worker never claims an input more than [`WINDOW`] inputs ahead of the printer, and a
//! mailbox is never read more than [`MESSAGE_WINDOW`] messages ahead of it, so memory stays
//! bounded by the largest message, however many files or messages there are.

use std::collections::{BTreeMap, VecDeque};
use std::io::{BufWriter, IsTerminal, Stdout, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use redline_email::Linter;
use redline_rules::{FailOn, Severity};
use redline_text::printable;

use crate::inputs::{self, Piece, Target};
use crate::report::{Checked, Rendered, Renderer, SarifLog};
use crate::settings::Linters;
use crate::{Format, exit};

/// How far ahead of the printer a worker may claim inputs.
const WINDOW: usize = 256;
/// How far ahead of the printer a mailbox may be read, in messages.
const MESSAGE_WINDOW: usize = 1024;
/// How many read messages may wait for a worker before the reader checks one itself.
const QUEUE: usize = 64;
/// How long written output may wait in the buffer while workers go on: long enough to
/// write a folder of small drafts in large pieces, short enough to read as streaming.
const FLUSH_AFTER: Duration = Duration::from_millis(10);

/// What one draft (or the end of an input) produced, ready to print in its turn.
#[derive(Default)]
struct Unit {
    rendered: Rendered,
    notes: Vec<String>,
    drafts: usize,
    blocking: bool,
    /// The draft holds text that could not be read: the gate must not pass.
    unread: bool,
    /// The last unit of its input: it carries how reading the input went.
    end: Option<End>,
}

/// How reading one input went.
#[derive(Default)]
struct End {
    read: bool,
    /// Its config, or the input itself, could not be read: the gate must not pass.
    trouble: bool,
}

/// A unit's place in the output: the input's index, then the draft's within it.
type Key = (usize, usize);

/// A mailbox message waiting for a worker, with what is needed to check it.
struct Job {
    key: Key,
    piece: Piece,
    name: Arc<str>,
    linter: Arc<Linter>,
    fail_on: FailOn,
}

/// What the workers share: the queue of read messages and where the printer has got to.
struct State {
    queue: VecDeque<Job>,
    /// The next input to claim.
    next_target: usize,
    /// Inputs claimed and not finished.
    reading: usize,
    /// The next unit to print.
    printed: Key,
    /// Workers waiting for this state to change.
    waiting: usize,
}

struct Shared<'a> {
    targets: &'a [Target],
    linters: &'a Linters,
    renderer: &'a Renderer,
    options: Options,
    /// The one worker is the main thread: a message is checked as soon as it is read, never
    /// queued.
    inline: bool,
    state: Mutex<State>,
    wake: Condvar,
    /// Taken before `state` when both are held, never after.
    printer: Mutex<Printer<'a, Stdout>>,
}

/// What a worker sends the printer: a unit, or a unit's first rendered text, sent ahead
/// while a large draft is still being rendered (its unit follows with the rest).
enum Sent {
    Unit(Unit),
    Ahead(String),
}

/// The largest single file (or standard input redirected from one) checked on the main thread
/// alone: below this, starting workers costs more than the check, and everything rendered from
/// it fits in memory.
const INLINE_MAX: u64 = 256 * 1024;

/// What a worker does next.
enum Work {
    Message(Job),
    Target(usize),
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
pub fn check_all(targets: Vec<Target>, linters: Linters, options: Options, failed: bool) -> u8 {
    let format = options.format;
    let started = Instant::now();
    let renderer = Renderer::new(format);
    let total = targets.len();
    let inline = match targets.as_slice() {
        [Target::File(path)] => std::fs::metadata(path).is_ok_and(|m| m.len() <= INLINE_MAX),
        [Target::Stdin] => inputs::stdin_is_file_of_at_most(INLINE_MAX),
        _ => false,
    };
    let linters = if inline {
        linters
    } else {
        linters.many_drafts()
    };
    let progress = progress_bar(total);
    let shared = Shared {
        targets: &targets,
        linters: &linters,
        renderer: &renderer,
        options,
        inline,
        state: Mutex::new(State {
            queue: VecDeque::new(),
            next_target: 0,
            reading: 0,
            printed: (0, 0),
            waiting: 0,
        }),
        wake: Condvar::new(),
        printer: Mutex::new(Printer::new(
            BufWriter::with_capacity(64 * 1024, std::io::stdout()),
            &progress,
            format == Format::Sarif,
        )),
    };

    // Two at least: while one waits on a slow pipe, another checks and prints what it read.
    let workers = if inline {
        1
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
    };
    // The main thread is one of the workers.
    std::thread::scope(|scope| {
        for _ in 1..workers {
            let shared = &shared;
            scope.spawn(move || shared.work());
        }
        shared.work();
    });
    let mut printer = shared.printer.into_inner().expect("no panics while held");
    if let Some(log) = printer.sarif.take() {
        let finished = log.finish(&mut printer.out);
        printer.note(finished);
    }
    let flushed = printer.out.flush();
    printer.note(flushed);
    let Printer {
        out,
        mut summary,
        lost,
        ..
    } = printer;
    drop(out);
    if let Some(e) = &lost {
        eprintln!("redline: cannot write the output: {e}");
    }
    summary.trouble |= failed || lost.is_some();
    progress.finish_and_clear();
    if options.summary || std::io::stderr().is_terminal() {
        summary.print(total, started.elapsed(), options.summary);
    }
    // The process ends here: freeing every compiled rule and automaton would only cost time.
    std::mem::forget(linters);
    summary.exit_code()
}

impl Shared<'_> {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().expect("no panics while held")
    }

    /// Waits for `state` to change. What is written so far goes out first, unless another
    /// worker is writing (it cannot be waited for here: it may be waiting for `state`), in
    /// which case the last worker to wait writes it out.
    fn wait<'s>(&self, mut state: MutexGuard<'s, State>) -> MutexGuard<'s, State> {
        if let Ok(mut printer) = self.printer.try_lock() {
            printer.flush();
        }
        state.waiting += 1;
        let mut state = self.wake.wait(state).expect("no panics while held");
        state.waiting -= 1;
        state
    }

    /// Releases `state` after a change, waking the workers that wait for one, if any: a
    /// condition variable's wake is a system call even when nobody waits, and a folder of
    /// small files had made two of them a file.
    fn changed(&self, state: MutexGuard<'_, State>) {
        let waiting = state.waiting > 0;
        drop(state);
        if waiting {
            self.wake.notify_all();
        }
    }

    /// A worker: queued messages first (they hold memory, and the printer may be waiting for
    /// them), then the next input, until every input is read and every message checked.
    fn work(&self) {
        while let Some(work) = self.next_work() {
            match work {
                Work::Message(job) => self.check_message(job),
                Work::Target(i) => {
                    self.check_target(i);
                    let mut state = self.lock();
                    state.reading -= 1;
                    // Only the last input's end can change what a waiting worker waits for.
                    if state.reading == 0 {
                        self.changed(state);
                    }
                }
            }
        }
    }

    fn next_work(&self) -> Option<Work> {
        let mut state = self.lock();
        loop {
            if let Some(job) = state.queue.pop_front() {
                return Some(Work::Message(job));
            }
            let i = state.next_target;
            if i < self.targets.len() {
                if i < state.printed.0 + WINDOW {
                    state.next_target += 1;
                    state.reading += 1;
                    return Some(Work::Target(i));
                }
            } else if state.reading == 0 {
                return None;
            }
            state = self.wait(state);
        }
    }

    /// Takes what a worker rendered and writes what is now due; wakes the workers waiting
    /// for the printer to move on, if it did.
    fn deliver(&self, key: Key, sent: Sent) {
        let mut printer = self.printer.lock().expect("no panics while held");
        if printer.take(key, sent) {
            let mut state = self.lock();
            state.printed = printer.next;
            self.changed(state);
        }
        printer.flush_if_stale();
    }

    fn check_target(&self, i: usize) {
        let target = &self.targets[i];
        let mut end = End::default();
        let Some((linter, fail_on)) = self
            .linters
            .for_dir(target.config_dir(), self.options.fail_on)
        else {
            end.trouble = true;
            self.deliver(
                (i, 0),
                Sent::Unit(Unit {
                    end: Some(end),
                    ..Unit::default()
                }),
            );
            return;
        };
        let name: Arc<str> = Arc::from(target.name());
        let mut seq = 0;
        let mut last = Unit::default();
        let problems = inputs::read(target, self.options.max_draft, |piece| {
            let key = (i, seq);
            seq += 1;
            if piece.number.is_none() {
                // A single-draft input: its one unit is also its last.
                last = self.check(&piece, &name, &linter, fail_on, key);
                seq -= 1;
                return;
            }
            self.queue_message(Job {
                key,
                piece,
                name: Arc::clone(&name),
                linter: Arc::clone(&linter),
                fail_on,
            });
        });
        end.read = seq > 0 || last.drafts > 0 || problems.is_empty();
        for p in problems {
            end.trouble |= p.fails;
            last.notes.push(p.message);
        }
        last.end = Some(end);
        self.deliver((i, seq), Sent::Unit(last));
    }

    /// Queues a read message for any worker, or checks queued messages here while the queue
    /// is full or the reader is too far ahead of the printer.
    fn queue_message(&self, job: Job) {
        if self.inline {
            self.check_message(job);
            return;
        }
        let mut state = self.lock();
        loop {
            let (at, printed) = (job.key, state.printed);
            let ahead = if printed.0 == at.0 {
                at.1.saturating_sub(printed.1)
            } else {
                at.1 + 1
            };
            if ahead <= MESSAGE_WINDOW && state.queue.len() < QUEUE {
                state.queue.push_back(job);
                self.changed(state);
                return;
            }
            if let Some(other) = state.queue.pop_front() {
                drop(state);
                self.check_message(other);
                state = self.lock();
            } else {
                state = self.wait(state);
            }
        }
    }

    fn check_message(&self, job: Job) {
        let unit = self.check(&job.piece, &job.name, &job.linter, job.fail_on, job.key);
        self.deliver(job.key, Sent::Unit(unit));
    }

    /// Decodes, checks and renders one draft; rendered text past [`crate::report::SPILL`]
    /// bytes goes to the printer ahead of the unit, under the unit's `key`.
    fn check(&self, piece: &Piece, name: &str, linter: &Linter, fail_on: FailOn, key: Key) -> Unit {
        let draft = piece.draft();
        let mut unit = Unit {
            drafts: 1,
            ..Unit::default()
        };
        let markers = linter.marker_notes(&draft.doc);
        if !draft.notes.is_empty() || !markers.is_empty() {
            let shown = printable(name);
            let label = match draft.number {
                Some(n) => format!("{shown}#{n}"),
                None => shown.into_owned(),
            };
            unit.notes.extend(
                draft
                    .notes
                    .iter()
                    .chain(&markers)
                    .map(|n| format!("{label}: {n}")),
            );
        }
        let findings = linter.check_document(&draft.doc);
        unit.blocking = findings.iter().any(|f| fail_on.blocks(f.severity));
        unit.unread = draft.unread;
        self.renderer.draft(
            Checked {
                name,
                draft: &draft,
                raw: &piece.raw(),
                findings: &findings,
            },
            linter,
            &mut unit.rendered,
            &mut |text| {
                self.deliver(key, Sent::Ahead(text));
            },
        );
        unit
    }
}

/// Units arriving in any order, written in key order. Whichever worker hands over the unit
/// that is due writes it, and every unit after it that is already waiting.
struct Printer<'a, W: Write> {
    out: BufWriter<W>,
    progress: &'a ProgressBar,
    summary: Summary,
    /// The SARIF log, when that is the format: results are written into it as they come.
    sarif: Option<SarifLog>,
    /// Units not yet due.
    pending: BTreeMap<Key, Unit>,
    /// Text sent ahead of units not yet due, in the order it came.
    ahead: BTreeMap<Key, Vec<String>>,
    /// The unit due next.
    next: Key,
    /// When the output was last flushed.
    flushed: Instant,
    /// The first failure to write the output (a full disk, say; a closed pipe is not one):
    /// the run then ends in trouble, never passing with its report lost.
    lost: Option<std::io::Error>,
}

impl<'a, W: Write> Printer<'a, W> {
    fn new(out: BufWriter<W>, progress: &'a ProgressBar, sarif: bool) -> Self {
        Printer {
            out,
            progress,
            summary: Summary::default(),
            sarif: sarif.then(SarifLog::default),
            pending: BTreeMap::new(),
            ahead: BTreeMap::new(),
            next: (0, 0),
            flushed: Instant::now(),
            lost: None,
        }
    }

    /// Keeps the first real write failure.
    fn note(&mut self, written: std::io::Result<()>) {
        if let Err(e) = written
            && e.kind() != std::io::ErrorKind::BrokenPipe
            && self.lost.is_none()
        {
            self.lost = Some(e);
        }
    }

    /// Takes what a worker sent and writes everything now due; returns whether the unit due
    /// next changed.
    fn take(&mut self, key: Key, sent: Sent) -> bool {
        match sent {
            Sent::Ahead(text) if key == self.next => {
                self.write(&[], &text);
                return false;
            }
            Sent::Ahead(text) => {
                self.ahead.entry(key).or_default().push(text);
                return false;
            }
            Sent::Unit(unit) => {
                self.pending.insert(key, unit);
            }
        }
        let before = self.next;
        while let Some(unit) = self.pending.remove(&self.next) {
            for text in self.ahead.remove(&self.next).into_iter().flatten() {
                self.write(&[], &text);
            }
            self.next = match unit.end {
                Some(_) => (self.next.0 + 1, 0),
                None => (self.next.0, self.next.1 + 1),
            };
            self.print(unit);
        }
        if self.next == before {
            return false;
        }
        // What was sent ahead for the unit now due goes out now: the rest of its text is
        // written as it comes, after this.
        for text in self.ahead.remove(&self.next).into_iter().flatten() {
            self.write(&[], &text);
        }
        true
    }

    /// Flushes what was written, if anything waits.
    fn flush(&mut self) {
        if !self.out.buffer().is_empty() {
            let flushed = self.out.flush();
            self.note(flushed);
            self.flushed = Instant::now();
        }
    }

    /// Flushes what was written if the last flush is [`FLUSH_AFTER`] old: findings appear
    /// while a long run goes on.
    fn flush_if_stale(&mut self) {
        if !self.out.buffer().is_empty() && self.flushed.elapsed() >= FLUSH_AFTER {
            self.flush();
        }
    }

    fn print(&mut self, unit: Unit) {
        self.write(&unit.notes, &unit.rendered.stdout);
        if unit.end.is_some() {
            self.progress.inc(1);
        }
        self.summary.add(&unit);
        if let Some(log) = &mut self.sarif {
            log.cite(unit.rendered.rules);
        }
    }

    /// Writes notes to stderr and text to the output, with the progress bar out of the way.
    fn write(&mut self, notes: &[String], text: &str) {
        let sarif = &mut self.sarif;
        let mut write = |out: &mut BufWriter<W>| {
            for note in notes {
                eprintln!("redline: {note}");
            }
            match sarif {
                Some(log) => log.write(out, text),
                None => out.write_all(text.as_bytes()),
            }
        };
        let written = if self.progress.is_hidden() {
            write(&mut self.out)
        } else {
            let out = &mut self.out;
            self.progress
                .suspend(|| write(out).and_then(|()| out.flush()))
        };
        self.note(written);
    }
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
    /// Whether the input being printed has had findings so far.
    current_has_findings: bool,
    drafts: usize,
    trouble: bool,
    blocking: bool,
}

impl Summary {
    fn add(&mut self, u: &Unit) {
        for (total, n) in self.counts.iter_mut().zip(u.rendered.counts) {
            *total += n;
        }
        self.current_has_findings |= u.rendered.counts.iter().any(|&n| n > 0);
        self.drafts += u.drafts;
        self.blocking |= u.blocking;
        self.trouble |= u.unread;
        if let Some(end) = &u.end {
            self.files_read += usize::from(end.read);
            self.files_with_findings += usize::from(self.current_has_findings);
            self.current_has_findings = false;
            self.trouble |= end.trouble;
        }
    }

    /// The summary line, on stderr: for a terminal when there is something to sum up
    /// (findings, or more than one input), and always when `asked` (`--summary`).
    fn print(&self, total: usize, elapsed: Duration, asked: bool) {
        if !asked && self.counts.iter().all(|&n| n == 0) && total < 2 {
            return;
        }
        let [info, warning, error] = self.counts;
        eprintln!(
            "redline: {}, {}, {} in {} of {} {} checked ({} {}) in {:.2}s",
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

#[cfg(test)]
mod tests {
    use super::*;
    use redline_synth::Rng;

    /// What the workers send for one unit, in their order: text sent ahead, then the unit.
    fn sends(key: Key, last: bool, ahead: usize) -> Vec<(Key, Sent)> {
        let mut out: Vec<(Key, Sent)> = (0..ahead)
            .map(|k| (key, Sent::Ahead(format!("{key:?} ahead {k}\n"))))
            .collect();
        let unit = Unit {
            rendered: Rendered {
                stdout: format!("{key:?} rest\n"),
                counts: [0, 1, 0],
                ..Rendered::default()
            },
            drafts: 1,
            end: last.then(End::default),
            ..Unit::default()
        };
        out.push((key, Sent::Unit(unit)));
        out
    }

    #[test]
    fn units_handed_over_in_any_order_are_written_in_key_order() {
        let mut rng = Rng::new(14);
        let progress = ProgressBar::hidden();
        for _ in 0..2_000 {
            // Inputs of one to four drafts, each draft with up to three pieces sent ahead.
            let mut queues = Vec::new();
            for input in 0..rng.below(5) + 1 {
                let drafts = rng.below(4) + 1;
                for draft in 0..drafts {
                    queues.push(sends((input, draft), draft + 1 == drafts, rng.below(4)));
                }
            }
            let expected: String = queues
                .iter()
                .flatten()
                .map(|(_, sent)| match sent {
                    Sent::Ahead(text) => text.as_str(),
                    Sent::Unit(unit) => unit.rendered.stdout.as_str(),
                })
                .collect();
            let units = queues.len();
            // Each unit's pieces keep their order (one worker sends them); units interleave.
            let mut printer = Printer::new(BufWriter::new(Vec::new()), &progress, false);
            while !queues.is_empty() {
                let i = rng.below(queues.len());
                let (key, sent) = queues[i].remove(0);
                if queues[i].is_empty() {
                    queues.swap_remove(i);
                }
                let before = printer.next;
                let moved = printer.take(key, sent);
                assert_eq!(moved, printer.next != before);
            }
            let out = printer.out.into_inner().expect("a Vec takes every write");
            assert_eq!(String::from_utf8(out).unwrap(), expected);
            assert!(printer.pending.is_empty() && printer.ahead.is_empty());
            assert_eq!(printer.summary.drafts, units);
            assert_eq!(printer.summary.counts, [0, units, 0]);
        }
    }
}
