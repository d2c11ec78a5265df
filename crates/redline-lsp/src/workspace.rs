//! The drafts in a workspace, for the check-all command: files a rep writes mail in
//! (`.txt`, `.md`, `.markdown`, `.eml`), found with `.gitignore` respected and hidden folders
//! skipped, sorted by path.

use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

/// File extensions that hold drafts.
const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "eml"];

/// Drafts larger than this are skipped (with a problem) rather than read into the editor.
pub const MAX_DRAFT_BYTES: u64 = 10 << 20;

/// The draft files under `folders`, and the problems met on the way.
pub fn drafts(folders: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    for folder in folders {
        for entry in WalkBuilder::new(folder).build() {
            match entry {
                Ok(e) if e.file_type().is_some_and(|t| t.is_file()) && is_draft(e.path()) => {
                    match e.metadata() {
                        Ok(m) if m.len() > MAX_DRAFT_BYTES => problems.push(format!(
                            "{}: skipped, larger than {} MB",
                            e.path().display(),
                            MAX_DRAFT_BYTES >> 20
                        )),
                        _ => found.push(e.into_path()),
                    }
                }
                Ok(_) => {}
                Err(err) => problems.push(err.to_string()),
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
