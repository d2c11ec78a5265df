//! The rule packs redline ships (`rules/` in the repository), embedded at build time.
//!
//! A binary built from this crate checks drafts with the default packs wherever it runs, with
//! no files to install beside it. Error messages name the files as `rules/<pack>/<file>.toml`.

use redline_rules::{PackSource, RuleSet};

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

/// The shipped packs as [`RuleSet::load`] would load them from [`builtin`], from the snapshot
/// made when the binary was built: no TOML to parse, no phrase to expand, no regular
/// expression to parse until a draft needs it. What a check with only the shipped packs
/// starts from.
pub fn builtin_rules() -> RuleSet {
    RuleSet::from_snapshot(include_str!(concat!(env!("OUT_DIR"), "/packs.json")))
        .expect("the snapshot was written by this version of redline-rules")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_holds_what_loading_the_packs_gives() {
        let loaded = RuleSet::load_with_shipped(&builtin(), &[]).unwrap();
        let snapshot = builtin_rules();
        assert_eq!(snapshot.packs, loaded.packs);
        assert_eq!(snapshot.to_snapshot(), loaded.to_snapshot());
        assert!(!snapshot.rules.is_empty());
        for rule in &loaded.rules {
            assert_eq!(
                snapshot.get(&rule.id).map(|r| &r.origin),
                Some(&rule.origin)
            );
        }
    }
}
