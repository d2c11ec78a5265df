//! How the server reads and classifies drafts: an open buffer by its language id and name, a
//! file on disk by its name and first bytes, and which files in a workspace are drafts.
//!
//! Kept in one small module on purpose: it is the seam where a shared reader in
//! `redline-text` will take over, and the rest of the server only calls these functions.

use std::path::{Path, PathBuf};

use redline_text::{InputKind, WalkOptions, files_under, looks_like_message};
use tower_lsp_server::ls_types::Uri;

/// File extensions that hold drafts.
const DRAFT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "eml"];

/// Drafts larger than this are skipped (with a problem) rather than read into the editor.
pub const MAX_DRAFT_BYTES: u64 = 10 << 20;

/// How to read an open draft: HTML by its language id or name; any other buffer that starts
/// with a message's headers (a `.eml`, or a `.txt` or untitled buffer holding a saved message)
/// as a message, as `redline check` reads the same file; the rest, a mail client's compose
/// buffer that holds only the body included, as plain text.
pub(crate) fn kind_of(uri: &Uri, language: &str, text: &str) -> InputKind {
    let path = uri.path().as_str().to_ascii_lowercase();
    if language == "html" || path.ends_with(".html") || path.ends_with(".htm") {
        InputKind::Html
    } else if looks_like_message(text.as_bytes()) {
        InputKind::Message
    } else {
        InputKind::Plain
    }
}

/// A draft file's text (bytes that are not UTF-8 read as Windows-1252, as `redline check` reads
/// them) and how to read it, through the reader `redline check` uses (binary refused, size
/// bounded).
pub(crate) fn read(path: &Path) -> std::io::Result<(String, InputKind)> {
    let input = redline_text::Input::open_path(path, MAX_DRAFT_BYTES as usize)
        .map_err(std::io::Error::other)?;
    let kind = input.kind();
    let bytes = input.into_bytes().map_err(std::io::Error::other)?;
    let (text, _) = redline_text::Charset::Utf8.decode(&bytes, redline_text::Origin::At(0));
    Ok((text.into_owned(), kind))
}

/// The draft files under `folders` (`.txt`, `.md`, `.markdown`, `.eml`), found the way
/// `redline check` walks folders, sorted by path; and the problems met on the way.
pub(crate) fn drafts(folders: &[PathBuf]) -> (Vec<PathBuf>, Vec<String>) {
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
