//! Gathering the drafts to check: files, folders (recursively, in path order), stdin.
//!
//! Bad input never stops the run: an unreadable file or a binary file is a [`Problem`] the
//! caller reports before going on; invalid UTF-8 is decoded lossily and noted.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A draft ready to check.
pub struct Input {
    /// How output names it: the path as given, or `<stdin>`.
    pub name: String,
    /// The text (decoded lossily when the bytes were not UTF-8).
    pub text: String,
    /// The folder to discover `.redline.toml` from.
    pub config_dir: PathBuf,
    /// Things the user should know about how it was read.
    pub notes: Vec<String>,
}

/// An input that could not be checked, and why.
pub struct Problem {
    name: String,
    message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.message)
    }
}

/// The inputs named by `paths`, read one at a time.
pub fn walk(paths: &[PathBuf]) -> impl Iterator<Item = Result<Input, Problem>> + '_ {
    paths
        .iter()
        .flat_map(|p| -> Box<dyn Iterator<Item = Result<Input, Problem>>> {
            if p.as_os_str() == "-" {
                return Box::new(std::iter::once(read_stdin()));
            }
            if p.is_dir() {
                let mut files = Vec::new();
                let mut problems = Vec::new();
                collect(p, &mut files, &mut problems);
                files.sort();
                return Box::new(
                    problems
                        .into_iter()
                        .map(Err)
                        .chain(files.into_iter().map(|f| read_file(&f))),
                );
            }
            Box::new(std::iter::once(read_file(p)))
        })
}

/// Every non-hidden file under `dir`.
fn collect(dir: &Path, files: &mut Vec<PathBuf>, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(problem(dir, &format!("cannot read folder: {e}")));
            return;
        }
    };
    for entry in entries.filter_map(Result::ok) {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => collect(&path, files, problems),
            Ok(t) if t.is_file() => files.push(path),
            _ => {}
        }
    }
}

fn problem(path: &Path, message: &str) -> Problem {
    Problem {
        name: path.display().to_string(),
        message: message.to_string(),
    }
}

fn read_file(path: &Path) -> Result<Input, Problem> {
    let bytes = std::fs::read(path).map_err(|e| problem(path, &format!("cannot read: {e}")))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    decode(path.display().to_string(), bytes, dir.to_path_buf())
}

fn read_stdin() -> Result<Input, Problem> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Problem {
            name: "<stdin>".into(),
            message: format!("cannot read: {e}"),
        })?;
    decode("<stdin>".into(), bytes, PathBuf::from("."))
}

/// Text from bytes: binary (a NUL in the first 8 KiB) is skipped; invalid UTF-8 is decoded
/// with U+FFFD replacements, which shifts offsets after the first bad byte, and is noted.
fn decode(name: String, bytes: Vec<u8>, config_dir: PathBuf) -> Result<Input, Problem> {
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(Problem {
            name,
            message: "looks binary (NUL bytes); skipped".into(),
        });
    }
    let mut notes = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            notes.push(format!(
                "invalid UTF-8 at byte {at}; decoded with replacement characters (offsets after it refer to the decoded text)"
            ));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    Ok(Input {
        name,
        text,
        config_dir,
        notes,
    })
}
