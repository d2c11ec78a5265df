//! Gathering the inputs to check (files, folders, stdin) and reading each into drafts.
//!
//! Folders are walked with the `ignore` crate (`.gitignore`, `.ignore` and hidden
//! files respected unless `--hidden`/`--no-ignore`), then sorted by path so output is stable.
//! Bad input never stops the run: a missing or unreadable input, or a draft over the size
//! limit, is named on stderr and fails the run (exit 2) once the rest is checked; a binary
//! file is named and passed over.

use std::io::Read;
use std::path::{Path, PathBuf};

pub use redline_report::Raw;
use redline_text::{
    Draft, Input, InputKind, ReadError, WalkOptions, files_under, printable, read_draft,
};

/// Something to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// How output names standard input.
const STDIN: &str = "<stdin>";

impl Target {
    /// How output names it.
    pub fn name(&self) -> String {
        match self {
            Target::Stdin => STDIN.into(),
            Target::File(p) => p.display().to_string(),
        }
    }

    /// The folder `.redline.toml` is discovered from.
    pub fn config_dir(&self) -> &Path {
        match self {
            Target::Stdin => Path::new("."),
            Target::File(p) => p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new(".")),
        }
    }
}

/// Something that kept an input, or part of one, from being checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// What happened, naming the input.
    pub message: String,
    /// Whether it fails the run (exit 2): an input that was given but could not be read. A
    /// binary file passed over, or a folder with nothing to check, is only a note.
    pub fails: bool,
}

impl Problem {
    fn failure(message: String) -> Self {
        Problem {
            message,
            fails: true,
        }
    }

    fn note(message: String) -> Self {
        Problem {
            message,
            fails: false,
        }
    }
}

/// The targets named by `paths`, folders expanded (in path order), and the problems met on
/// the way: a missing path, an unreadable folder, a folder with nothing to check.
pub fn collect(paths: &[PathBuf], options: WalkOptions) -> (Vec<Target>, Vec<Problem>) {
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        let shown = printable(&p.to_string_lossy()).into_owned();
        if p.as_os_str() == "-" {
            targets.push(Target::Stdin);
        } else if p.is_dir() {
            let (found, errs) = files_under(p, options);
            if found.is_empty() && errs.is_empty() {
                problems.push(Problem::note(format!(
                    "{shown}: no files to check (hidden files and what .gitignore/.ignore list \
                     are skipped; --hidden and --no-ignore check them)"
                )));
            }
            targets.extend(found.into_iter().map(Target::File));
            problems.extend(
                errs.into_iter()
                    .map(|e| Problem::failure(printable(&e).into())),
            );
        } else if std::fs::symlink_metadata(p).is_err() {
            problems.push(Problem::failure(format!("{shown}: no such file or folder")));
        } else {
            // Unreadable files are reported when read, in order.
            targets.push(Target::File(p.clone()));
        }
    }
    (targets, problems)
}

/// One draft's input, not yet decoded: a whole file, or one message of a mailbox. Decoding
/// happens where it is checked, so a mailbox's messages can be checked on every core.
pub struct Piece {
    kind: InputKind,
    /// The message number within a mailbox (1-based); `None` for single-draft inputs.
    pub number: Option<usize>,
    bytes: Vec<u8>,
    base: usize,
    base_line: usize,
}

impl Piece {
    /// The draft, decoded.
    pub fn draft(&self) -> Draft<'_> {
        let mut draft = read_draft(self.kind, &self.bytes, self.base);
        draft.number = self.number;
        draft
    }

    /// The bytes it was read from.
    pub fn raw(&self) -> Raw<'_> {
        Raw {
            bytes: &self.bytes,
            base: self.base,
            base_line: self.base_line,
        }
    }
}

/// Whether standard input is a file (redirected from one, not a pipe) of at most `max` bytes.
/// A pipe's length is unknown until it closes, and waiting for that would hold back findings
/// while a mailbox streams in.
pub fn stdin_is_file_of_at_most(max: u64) -> bool {
    cfg!(unix) && std::fs::metadata("/dev/stdin").is_ok_and(|m| m.is_file() && m.len() <= max)
}

/// Reads a target and hands each of its drafts to `each`, in order; mailboxes are streamed
/// one message at a time. No draft may be longer than `limit` bytes. Returns what kept the
/// target, or some of its messages, from being checked.
pub fn read(target: &Target, limit: usize, mut each: impl FnMut(Piece)) -> Vec<Problem> {
    // Named only in a problem: most inputs have none.
    let shown = || printable(&target.name()).into_owned();
    let problem = |e: ReadError, at: &str| {
        let message = match e {
            ReadError::TooLarge(_) => format!("{at}: {e} (--max-draft-size raises the limit)"),
            _ => format!("{at}: {e}"),
        };
        if e.is_skip() {
            Problem::note(message)
        } else {
            Problem::failure(message)
        }
    };
    let opened = match target {
        Target::Stdin => Input::open(
            STDIN,
            Box::new(std::io::stdin().lock()) as Box<dyn Read>,
            limit,
        ),
        Target::File(p) => Input::open_path(p, limit).map(Input::boxed),
    };
    let input = match opened {
        Ok(input) => input,
        Err(e) => return vec![problem(e, &shown())],
    };
    let kind = input.kind();
    if kind == InputKind::Mbox {
        let mut problems = Vec::new();
        let mut messages = input.messages();
        let mut n = 0;
        while let Some(message) = messages.next() {
            n += 1;
            let base_line = messages.lines_before_last();
            match message {
                Ok((base, bytes)) => each(Piece {
                    kind,
                    number: Some(n),
                    bytes,
                    base,
                    base_line,
                }),
                Err(e @ ReadError::Io(_)) => {
                    problems.push(problem(e, &shown()));
                    break;
                }
                Err(e) => problems.push(problem(e, &format!("{}#{n}", shown()))),
            }
        }
        return problems;
    }
    let bytes = match input.into_bytes() {
        Ok(bytes) => bytes,
        Err(e) => return vec![problem(e, &shown())],
    };
    each(Piece {
        kind,
        number: None,
        bytes,
        base: 0,
        base_line: 0,
    });
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_names_missing_paths_and_empty_folders() {
        let dir = std::env::temp_dir().join(format!("redline-inputs-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("empty")).unwrap();
        std::fs::write(dir.join("a.txt"), "Hi").unwrap();
        let paths = [
            dir.join("missing.txt"),
            dir.join("empty"),
            dir.join("a.txt"),
        ];
        let (targets, problems) = collect(&paths, WalkOptions::default());
        assert_eq!(targets, [Target::File(dir.join("a.txt"))]);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].fails && problems[0].message.ends_with("no such file or folder"));
        assert!(!problems[1].fails && problems[1].message.contains("no files to check"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
