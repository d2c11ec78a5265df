//! The rule packs redline ships (`rules/` in the repository), embedded at build time.
//!
//! A binary built from this crate checks drafts with the default packs wherever it runs, with
//! no files to install beside it. Error messages name the files as `rules/<pack>/<file>.toml`.

use redline_rules::PackSource;

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// The shipped packs, ready for [`redline_rules::RuleSet::load`].
pub fn builtin() -> Vec<PackSource> {
    PACKS
        .iter()
        .map(|(folder, files)| PackSource {
            folder: (*folder).to_string(),
            files: files
                .iter()
                .map(|(path, text)| ((*path).to_string(), (*text).to_string()))
                .collect(),
        })
        .collect()
}
