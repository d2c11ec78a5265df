//! Folders of inputs: every file under a folder, found with ripgrep's `ignore` crate
//! (`.gitignore`, `.ignore` and hidden files respected unless asked otherwise, with or without
//! a git repository), sorted by path so every command sees them in the same order.
//!
//! The walk is sequential. The crate's parallel walker starts a thread per core and lets an
//! idle one sleep a millisecond at a time: on a folder of one draft that was 1.9 ms of a
//! 5.6 ms check, and listing 2,000 files is a fraction of checking them.

use std::cmp::Ordering;
use std::path::{Path, PathBuf, is_separator};

use ignore::WalkBuilder;

/// How folders are walked.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Include hidden files and folders.
    pub hidden: bool,
    /// Do not read `.gitignore` / `.ignore` files.
    pub no_ignore: bool,
}

/// The files under `dir`, sorted, and the problems met on the way (unreadable folders).
pub fn files_under(dir: &Path, options: WalkOptions) -> (Vec<PathBuf>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let walk = WalkBuilder::new(dir)
        .hidden(!options.hidden)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_global(false)
        .git_exclude(!options.no_ignore)
        .require_git(false)
        .build();
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => found.push(e.into_path()),
            Ok(_) => {}
            Err(err) => problems.push(err.to_string()),
        }
    }
    found.sort_unstable_by(|a, b| by_components(a, b));
    (found, problems)
}

/// The order `Path`'s own comparison gives (component by component), read off the bytes:
/// past the common start, a separator sorts before any other byte. That is the same order
/// when no component is empty, `.` or `..`, as holds for what a walk finds below its root;
/// parsing components at every comparison cost 10,000 instructions a file over 2,000 files.
fn by_components(a: &Path, b: &Path) -> Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let rank = |byte: Option<&u8>| byte.map(|&c| (!is_separator(char::from(c)), c));
    rank(a.get(same)).cmp(&rank(b.get(same)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_with_separators_first_is_path_order() {
        // Every relative path of up to six characters over a small alphabet, `/` and the bytes
        // just below and above it included, with no empty, `.` or `..` component.
        let mut paths = vec![String::new()];
        let mut all = Vec::new();
        for _ in 0..6 {
            paths = paths
                .iter()
                .flat_map(|p| ["a", "b", "-", ".", "!", "0", "/"].map(|c| format!("{p}{c}")))
                .collect();
            all.extend(paths.iter().cloned());
        }
        all.retain(|p| p.split('/').all(|c| !matches!(c, "" | "." | "..")));
        let mut by_path: Vec<PathBuf> = all.iter().map(PathBuf::from).collect();
        let mut by_bytes = by_path.clone();
        by_path.sort();
        by_bytes.sort_unstable_by(|a, b| by_components(a, b));
        assert!(by_path.len() > 50_000);
        assert_eq!(by_bytes, by_path);
    }
}
