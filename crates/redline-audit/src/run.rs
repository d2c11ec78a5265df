//! Reading mail archives and auditing their messages on every core, keeping per-message
//! records only until they are counted.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc::sync_channel;

use redline_email::Linter;
use redline_text::{
    DEFAULT_MAX_DRAFT_BYTES, Input, InputKind, ReadError, WalkOptions, files_under,
};

use crate::bands;
use crate::counts::Counts;
use crate::outcomes::Outcomes;
use crate::record::{Options, Phrases, SeenIds, record};
use redline_calendar::Day;

/// Calls `each` with every message under `paths`: `.eml` and other message files, and each
/// message of an mbox (streamed). Folders are walked with `.gitignore` respected. Files that
/// cannot be read, or hold no message, are reported in `problems`.
pub fn for_each_message(
    paths: &[PathBuf],
    problems: &mut Vec<String>,
    mut each: impl FnMut(Vec<u8>),
) {
    for path in paths {
        if path.is_dir() {
            let (files, mut errs) = files_under(path, WalkOptions::default());
            problems.append(&mut errs);
            for file in files {
                read_file(&file, problems, &mut each);
            }
        } else {
            read_file(path, problems, &mut each);
        }
    }
}

fn read_file(path: &Path, problems: &mut Vec<String>, each: &mut impl FnMut(Vec<u8>)) {
    let name = path.display();
    let input = match Input::open_path(path, DEFAULT_MAX_DRAFT_BYTES) {
        Ok(input) => input,
        Err(e) => return problems.push(format!("{name}: {e}")),
    };
    match input.kind() {
        InputKind::Mbox => {
            for (n, message) in input.messages().enumerate() {
                match message {
                    Ok((_, raw)) => each(raw),
                    Err(e @ ReadError::Io(_)) => return problems.push(format!("{name}: {e}")),
                    Err(e) => problems.push(format!("{name}#{}: {e}", n + 1)),
                }
            }
        }
        InputKind::Message => match input.into_bytes() {
            Ok(bytes) => each(bytes),
            Err(e) => problems.push(format!("{name}: {e}")),
        },
        _ => problems.push(format!("{name}: not a mail message; skipped")),
    }
}

/// The outcomes found by threading: every message under `replies` answers the ids it names.
pub fn read_replies(replies: &[PathBuf], outcomes: &mut Outcomes, problems: &mut Vec<String>) {
    for_each_message(replies, problems, |raw| outcomes.add_reply(&raw));
}

/// Audits every sent message under `sent` on every core. `tick` is called once per message
/// (for a progress bar). Returns the counts and the problems met.
pub fn audit(
    sent: &[PathBuf],
    outcomes: &Outcomes,
    linter: &Linter,
    options: &Options,
    rollout: Option<Day>,
    tick: &(dyn Fn() + Sync),
) -> (Counts, Vec<String>) {
    let phrases = Phrases::of(linter, options.redact);
    let seen = SeenIds::default();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (send, receive) = sync_channel::<Vec<u8>>(256);
    let receive = Mutex::new(receive);
    let mut problems = Vec::new();
    let scores = bands::score_rules(linter);
    let fresh = || Counts {
        scores: scores.clone(),
        ..Counts::new(rollout)
    };
    let mut total = fresh();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut counts = fresh();
                    loop {
                        let next = receive.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(raw) = next else {
                            return counts;
                        };
                        match record(&raw, linter, &phrases, outcomes, options, &seen) {
                            Ok(r) => counts.add(r),
                            Err(reason) => counts.skip(reason),
                        }
                        tick();
                    }
                })
            })
            .collect();
        for_each_message(sent, &mut problems, |raw| {
            let _ = send.send(raw);
        });
        drop(send);
        for h in handles {
            let counts = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            total
                .merge(counts)
                .expect("workers share one rollout day and score rules");
        }
    });
    (total, problems)
}
