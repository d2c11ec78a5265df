//! Folders of inputs: every file under a folder, found in parallel with ripgrep's `ignore`
//! crate (`.gitignore`, `.ignore` and hidden files respected unless asked otherwise, with or
//! without a git repository), sorted by path so every command sees them in the same order.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};

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
    let found = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    WalkBuilder::new(dir)
        .hidden(!options.hidden)
        .ignore(!options.no_ignore)
        .git_ignore(!options.no_ignore)
        .git_global(false)
        .git_exclude(!options.no_ignore)
        .require_git(false)
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                        found
                            .lock()
                            .expect("no panics while held")
                            .push(e.into_path());
                    }
                    Ok(_) => {}
                    Err(err) => problems
                        .lock()
                        .expect("no panics while held")
                        .push(err.to_string()),
                }
                WalkState::Continue
            })
        });
    let mut found = found.into_inner().expect("walk finished");
    found.sort();
    (found, problems.into_inner().expect("walk finished"))
}
