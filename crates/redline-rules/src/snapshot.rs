//! A loaded rule set as bytes that load back without parsing TOML, expanding phrases or
//! parsing regular expressions: how the binary carries its shipped packs, validated when it is
//! built, so a gate checking one draft does not validate them again on every run. The bytes
//! are postcard (serde's compact binary form): reading them costs a fifth of reading the same
//! set as JSON, which was a quarter of the one-draft gate's instructions.

use serde::{Deserialize, Serialize};

use std::borrow::Cow;

use crate::{PackInfo, Rule, RuleKind, RuleSet};

/// What a snapshot holds; the rule index is rebuilt on loading. Phrase rules' texts ride
/// beside the rules, so that loading borrows them from the snapshot's bytes instead of
/// allocating each.
#[derive(Serialize, Deserialize)]
struct Snapshot<'a> {
    packs: Vec<PackInfo>,
    /// The rules, each phrase rule's texts left empty.
    rules: Vec<Rule>,
    /// Per rule, its phrases' texts (none for the other kinds).
    #[serde(borrow)]
    phrases: Vec<Vec<&'a str>>,
}

impl RuleSet {
    /// The rule set as bytes for [`RuleSet::from_snapshot`], with every pattern's syntax tree
    /// and anchors worked out, so loading it back needs no regular-expression parsing.
    pub fn to_snapshot(&self) -> Vec<u8> {
        let mut rules = self.rules.clone();
        for rule in &mut rules {
            if let RuleKind::Phrase(phrases) = &mut rule.kind {
                for p in phrases {
                    p.text = Cow::Borrowed("");
                }
            }
        }
        let phrases = self
            .rules
            .iter()
            .map(|r| match &r.kind {
                RuleKind::Phrase(phrases) => phrases.iter().map(|p| &*p.text).collect(),
                _ => Vec::new(),
            })
            .collect();
        postcard::to_stdvec(&Snapshot {
            packs: self.packs.clone(),
            rules,
            phrases,
        })
        .expect("a rule set serializes")
    }

    /// Loads a rule set written by [`RuleSet::to_snapshot`] and carried in the binary (its
    /// phrase texts stay in `bytes`). Nothing is validated again: a snapshot is made from a set
    /// that loaded without errors. Patterns rebuild their syntax trees and compile on first
    /// use.
    pub fn from_snapshot(bytes: &'static [u8]) -> Result<RuleSet, postcard::Error> {
        let Snapshot {
            packs,
            mut rules,
            phrases,
        } = postcard::from_bytes(bytes)?;
        if phrases.len() != rules.len() {
            return Err(postcard::Error::DeserializeBadEncoding);
        }
        for (rule, texts) in rules.iter_mut().zip(phrases) {
            if let RuleKind::Phrase(phrases) = &mut rule.kind {
                if phrases.len() != texts.len() {
                    return Err(postcard::Error::DeserializeBadEncoding);
                }
                for (p, text) in phrases.iter_mut().zip(texts) {
                    p.text = Cow::Borrowed(text);
                }
            }
        }
        let index = rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ok(RuleSet {
            packs,
            rules,
            index,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::{PackSource, RuleKind, RuleSet};

    #[test]
    fn a_snapshot_loads_back_the_same_rules() {
        let rules = "[[rule]]\nid = \"demo.x\"\nkind = \"pattern\"\nseverity = \"warning\"\nmessage = \"m {match}\"\nwhy = \"w\"\ninstead = \"i\"\nsuggestions = [\"s\"]\npattern = \"\\\\bthe (current|present) state\"\nexamples.bad = [\"b\"]\n\n[[rule]]\nid = \"demo.y\"\nkind = \"phrase\"\nseverity = \"error\"\nmessage = \"m\"\nwhy = \"w\"\ninstead = \"i\"\nphrases = [\"I (just |)wanted\"]\nexamples.bad = [\"b\"]\n";
        let set = RuleSet::load(&[PackSource {
            folder: "demo".into(),
            files: vec![
                (
                    "demo/pack.toml".into(),
                    "name = \"demo\"\nversion = \"1\"\ndescription = \"d\"\n".into(),
                ),
                ("demo/r.toml".into(), rules.into()),
            ],
        }])
        .unwrap();
        let bytes: &'static [u8] = Box::leak(set.to_snapshot().into_boxed_slice());
        let back = RuleSet::from_snapshot(bytes).unwrap();
        assert_eq!(back.packs, set.packs);
        assert_eq!(back.rules.len(), 2);
        let x = back.get("demo.x").unwrap();
        assert_eq!(x.origin, set.rules[0].origin);
        assert_eq!(x.suggestions, ["s"]);
        let RuleKind::Pattern(p) = &x.kind else {
            panic!("a pattern rule")
        };
        assert_eq!(
            p.anchors(),
            Some(
                &[
                    "the current state".to_string(),
                    "the present state".to_string()
                ][..]
            )
        );
        let RuleKind::Phrase(phrases) = &back.get("demo.y").unwrap().kind else {
            panic!("a phrase rule")
        };
        let texts: Vec<&str> = phrases.iter().map(|p| &*p.text).collect();
        assert_eq!(texts, ["I just wanted", "I wanted"]);
    }
}
