//! The drafts in a workspace, for the check-all command: files a rep writes mail in
//! (`.txt`, `.md`, `.markdown`, `.eml`), found the way `redline check` walks folders, sorted by
//! path.

use std::path::{Path, PathBuf};

use redline_text::{WalkOptions, files_under};

/// File extensions that hold drafts.
const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "eml"];

/// Drafts larger than this are skipped (with a problem) rather than read into the editor.
pub const MAX_DRAFT_BYTES: u64 = 10 << 20;

/// The draft files under `folders`, and the problems met on the way.
pub fn drafts(folders: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for folder in folders {
        let (files, mut errs) = files_under(folder, WalkOptions::default());
        problems.append(&mut errs);
        for file in files.into_iter().filter(|f| is_draft(f)) {
            match std::fs::metadata(&file) {
                Ok(m) if m.len() > MAX_DRAFT_BYTES => problems.push(format!(
                    "{}: skipped, larger than {} MB",
                    file.display(),
                    MAX_DRAFT_BYTES >> 20
                )),
                _ => found.push(file),
            }
        }
    }
    found.sort();
    found.dedup();
    (found, problems)
}

fn is_draft(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DRAFT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}
