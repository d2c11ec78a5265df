//! The rule packs redline ships (`rules/` in the repository), embedded at build time.
//!
//! A binary built from this crate checks drafts with the default packs wherever it runs, with
//! no files to install beside it. Error messages name the files as `rules/<pack>/<file>.toml`.

use redline_rules::{PackSource, RuleSet};

include!(concat!(env!("OUT_DIR"), "/packs.rs"));

/// The phrase automaton for every phrase and anchor of the shipped packs, compiled when the
/// binary was built (`BUILTIN_PHRASES`): a linter whose literals all come from the shipped
/// packs uses it instead of building one (`redline_phrase::PhraseSetBuilder::prebuilt`).
mod phrases {
    include!(concat!(env!("OUT_DIR"), "/phrases.rs"));
}
pub use phrases::BUILTIN_PHRASES;

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
    RuleSet::from_snapshot(include_bytes!(concat!(env!("OUT_DIR"), "/packs.bin")))
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

    #[test]
    fn every_shipped_pattern_comes_with_the_tree_its_source_parses_to() {
        let mut seen = 0;
        for rule in &builtin_rules().rules {
            for p in rule.patterns() {
                let parsed = regex_syntax::parse(p.as_str()).unwrap();
                assert_eq!(p.hir(), &parsed, "{}: {}", rule.id, p.as_str());
                seen += 1;
            }
        }
        assert!(seen > 0, "the shipped packs have patterns");
    }

    /// The shipped packs' phrases and anchors, every `skip`th rule left out, with ids by
    /// rule, offered the prebuilt automaton or not.
    fn phrase_set(prebuilt: bool, skip: usize) -> redline_phrase::PhraseSet {
        let rules = builtin_rules();
        let mut builder = redline_phrase::PhraseSet::builder();
        if prebuilt {
            builder.prebuilt(BUILTIN_PHRASES);
        }
        for (id, rule) in rules.rules.iter().enumerate() {
            if skip > 0 && id % skip == 0 {
                continue;
            }
            rule.for_each_literal(|of, text| {
                if of.whole_words() {
                    builder.phrase(id as u32, text);
                } else {
                    builder.anchor(id as u32, text);
                }
            });
        }
        builder.build().unwrap()
    }

    #[test]
    fn the_prebuilt_phrases_find_what_building_them_finds() {
        let mut texts: Vec<String> = builtin_rules()
            .rules
            .iter()
            .flat_map(|r| r.examples.bad.iter().chain(&r.examples.good).cloned())
            .collect();
        texts.extend(redline_synth::corpus(11, 300, 0.5).iter().map(|d| d.text()));
        // Past the size at which both build a DFA from the same patterns.
        texts.push(redline_synth::text_of_size(5, 200_000));
        for skip in [0, 2, 5] {
            let (prebuilt, built) = (phrase_set(true, skip), phrase_set(false, skip));
            assert!(prebuilt.is_prebuilt() && !built.is_prebuilt());
            assert_eq!(prebuilt.len(), built.len());
            let mut found = 0;
            for text in &texts {
                let matches = prebuilt.find(text);
                assert_eq!(matches, built.find(text), "on {text:?}");
                found += matches.len();
            }
            assert!(
                found > texts.len(),
                "{found} matches in {} texts",
                texts.len()
            );
        }
    }
}
