//! Gathering the inputs to check (files, folders, stdin) and reading each into drafts.
//!
//! Folders are walked in parallel with the `ignore` crate (`.gitignore`, `.ignore` and hidden
//! files respected unless `--hidden`/`--no-ignore`), then sorted by path so output is stable.
//! Bad input never stops the run: an unreadable file or a binary file is a note for stderr,
//! and the run goes on.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

pub use redline_report::Raw;
use redline_text::{
    Draft, InputKind, MboxReader, WalkOptions, files_under, input_kind, read_draft,
};

/// Something to check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Target {
    /// How output names it.
    pub fn name(&self) -> String {
        match self {
            Target::Stdin => "<stdin>".into(),
            Target::File(p) => p.display().to_string(),
        }
    }

    /// The folder `.redline.toml` is discovered from.
    pub fn config_dir(&self) -> PathBuf {
        match self {
            Target::Stdin => PathBuf::from("."),
            Target::File(p) => p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        }
    }
}

/// The targets named by `paths`, folders expanded (in path order), and the problems met on
/// the way (unreadable folders, missing paths).
pub fn collect(paths: &[PathBuf], options: WalkOptions) -> (Vec<Target>, Vec<String>) {
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            targets.push(Target::Stdin);
        } else if p.is_dir() {
            let (found, mut errs) = files_under(p, options);
            targets.extend(found.into_iter().map(Target::File));
            problems.append(&mut errs);
        } else {
            // Missing or unreadable files are reported when read, in order.
            targets.push(Target::File(p.clone()));
        }
    }
    (targets, problems)
}

/// Why a target could not be checked.
pub type Problem = String;

/// Reads a target and hands each of its drafts, with the bytes it came from, to `each`;
/// mailboxes are streamed one message at a time.
pub fn read(target: &Target, mut each: impl FnMut(Draft, Raw)) -> Result<(), Problem> {
    let name = target.name();
    let fail = |e: std::io::Error| format!("{name}: cannot read: {e}");
    let mut reader: Box<dyn Read> = match target {
        Target::Stdin => Box::new(std::io::stdin().lock()),
        Target::File(p) => Box::new(File::open(p).map_err(fail)?),
    };
    let mut head = Vec::with_capacity(16 * 1024);
    reader
        .by_ref()
        .take(16 * 1024)
        .read_to_end(&mut head)
        .map_err(fail)?;
    if head[..head.len().min(8192)].contains(&0) {
        return Err(format!("{name}: looks binary (NUL bytes); skipped"));
    }
    let kind = input_kind(&name, &head);
    if kind == InputKind::Mbox {
        let stream = BufReader::new(std::io::Cursor::new(head).chain(reader));
        let mut lines = 0;
        for (n, message) in MboxReader::new(stream).enumerate() {
            let (base, bytes) = message.map_err(fail)?;
            let mut draft = read_draft(InputKind::Mbox, &bytes, base);
            draft.number = Some(n + 1);
            let raw = Raw {
                bytes: &bytes,
                base,
                base_line: lines,
            };
            each(draft, raw);
            lines += bytes.iter().filter(|&&b| b == b'\n').count();
        }
        return Ok(());
    }
    let mut bytes = head;
    reader.read_to_end(&mut bytes).map_err(fail)?;
    let raw = Raw {
        bytes: &bytes,
        base: 0,
        base_line: 0,
    };
    each(read_draft(kind, &bytes, 0), raw);
    Ok(())
}
