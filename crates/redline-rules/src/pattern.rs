//! The regular expressions of pattern, structure and score rules: parsed and validated when a
//! pack loads, compiled into a matcher on first use.

use std::ops::Range;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_syntax::hir::Hir;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A rule's regular expression over the normalised text.
///
/// Compiling a regular expression costs far more than parsing it, and most drafts never
/// reach most patterns (an engine runs them only near their anchor literals), so the matcher
/// is built on first use and kept. Packs read from folders or memory are compiled as they
/// load, so a pattern too large to compile is an error at its position; only the shipped
/// packs, whose patterns a test compiles, defer it. The shipped packs come from a snapshot
/// made at build time ([`crate::RuleSet::from_snapshot`]) that carries each pattern's
/// anchors and syntax tree, so a shipped pattern is never parsed, and its tree is rebuilt only
/// when something asks for it.
///
/// A deferred pattern is matched in two tiers. Its first [`QUICK_USES`] searches use a
/// matcher that is cheap to build (no lazy DFA, no reverse automaton, no prefilter): a
/// one-draft gate, which searches each pattern a few times in short windows, never pays for
/// the fast one. Later searches (a server) build the full matcher, whose lazy DFA pays for
/// itself over many searches. A caller that knows it will check many drafts (a folder) skips
/// the quick tier ([`Pattern::expect_many_searches`]). Both find exactly the same matches.
#[derive(Debug)]
pub struct Pattern {
    source: String,
    hir: OnceLock<Hir>,
    /// The syntax tree as a snapshot carries it ([`crate::hir_code`]), decoded on first use.
    hir_code: Option<Box<[u8]>>,
    anchors: OnceLock<Option<Vec<String>>>,
    required_bytes: OnceLock<Option<Vec<u8>>>,
    compiled: OnceLock<meta::Regex>,
    quick: OnceLock<Option<meta::Regex>>,
    uses: AtomicU32,
}

/// How many searches of a deferred pattern use the quick matcher before the full one is built.
pub const QUICK_USES: u32 = 8;

impl Clone for Pattern {
    fn clone(&self) -> Self {
        Pattern {
            source: self.source.clone(),
            hir: self.hir.clone(),
            hir_code: self.hir_code.clone(),
            anchors: self.anchors.clone(),
            required_bytes: self.required_bytes.clone(),
            compiled: self.compiled.clone(),
            quick: self.quick.clone(),
            uses: AtomicU32::new(self.uses.load(Ordering::Relaxed)),
        }
    }
}

impl Pattern {
    /// Parses and compiles `source` now.
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        let hir = regex_syntax::parse(source).map_err(|e| regex::Error::Syntax(e.to_string()))?;
        let pattern = Pattern::parsed(source.to_string(), hir);
        pattern.compile()?;
        Ok(pattern)
    }

    /// A pattern already parsed into `hir`, not yet compiled.
    pub(crate) fn parsed(source: String, hir: Hir) -> Pattern {
        Pattern {
            source,
            hir: OnceLock::from(hir),
            hir_code: None,
            anchors: OnceLock::new(),
            required_bytes: OnceLock::new(),
            compiled: OnceLock::new(),
            quick: OnceLock::new(),
            uses: AtomicU32::new(0),
        }
    }

    /// Compiles the full matcher now, if it is not yet: from the syntax tree, which the
    /// shipped packs' snapshot carries, so the source is not parsed again. The errors are the
    /// ones `regex::Regex::new` gives for the same source.
    pub(crate) fn compile(&self) -> Result<&meta::Regex, regex::Error> {
        if let Some(re) = self.compiled.get() {
            return Ok(re);
        }
        let re = meta::Regex::builder()
            .build_from_hir(self.hir())
            .map_err(|e| match e.size_limit() {
                Some(limit) => regex::Error::CompiledTooBig(limit),
                None => regex::Error::Syntax(e.to_string()),
            })?;
        Ok(self.compiled.get_or_init(|| re))
    }

    /// Makes the next search build the full matcher, with no quick tier first: for a caller
    /// about to check many drafts (a folder, a mailbox), where the quick matcher's build and
    /// its slower first searches are work the full one soon replaces.
    pub fn expect_many_searches(&self) {
        self.uses.store(QUICK_USES, Ordering::Relaxed);
    }

    /// The pattern as the pack writes it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed pattern, for reading its literals without compiling it.
    pub fn hir(&self) -> &Hir {
        self.hir.get_or_init(|| {
            self.hir_code
                .as_deref()
                .and_then(crate::hir_code::decode)
                .unwrap_or_else(|| {
                    regex_syntax::parse(&self.source).expect("patterns are parsed when loaded")
                })
        })
    }

    /// The full matcher, compiled on first use.
    fn regex(&self) -> &meta::Regex {
        self.compile()
            .expect("patterns are compiled when loaded, or are the shipped packs' (tested)")
    }

    /// The spans of the successive non-overlapping matches in `haystack`, leftmost first.
    pub fn find_iter<'h>(&'h self, haystack: &'h str) -> impl Iterator<Item = Range<usize>> + 'h {
        self.matcher().find_iter(haystack).map(|m| m.range())
    }

    /// Whether the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.matcher().is_match(haystack)
    }

    /// The matcher for the next search: the quick one or the full one.
    fn matcher(&self) -> &meta::Regex {
        self.tier().unwrap_or_else(|| self.regex())
    }

    /// The quick matcher while this pattern is in its first [`QUICK_USES`] searches and has
    /// no full matcher yet; `None` once the full one should be used.
    fn tier(&self) -> Option<&meta::Regex> {
        if self.compiled.get().is_some() || self.uses.fetch_add(1, Ordering::Relaxed) >= QUICK_USES
        {
            return None;
        }
        self.quick
            .get_or_init(|| {
                let config = meta::Config::new()
                    .hybrid(false)
                    .onepass(false)
                    .auto_prefilter(false)
                    .which_captures(WhichCaptures::Implicit);
                meta::Regex::builder()
                    .configure(config)
                    .build_from_hir(self.hir())
                    .ok()
            })
            .as_ref()
    }

    /// The literals every match starts (or ends) with, if they are specific enough to search
    /// for: a finite set, each at least three bytes. An engine finds these with its phrase
    /// automaton and runs the regex only near them.
    pub fn anchors(&self) -> Option<&[String]> {
        self.anchors.get_or_init(|| anchors(self.hir())).as_deref()
    }

    /// Bytes one of which every match must start with, when folding never creates them: the
    /// first bytes of the prefix literals, if each is ASCII punctuation other than the quotes
    /// and `-` that curly quotes and dashes fold to. A draft holding none of them cannot
    /// match, so a pattern without [`Pattern::anchors`] is neither compiled nor run for it.
    pub fn required_bytes(&self) -> Option<&[u8]> {
        self.required_bytes
            .get_or_init(|| required_bytes(self.hir()))
            .as_deref()
    }

    /// Whether the pattern matches empty text (and so would fire everywhere). Only a pattern
    /// whose shortest match is empty needs compiling to tell: look-arounds such as `\b` can
    /// still keep it from matching the empty text.
    pub(crate) fn matches_empty(&self) -> bool {
        self.hir().properties().minimum_len() == Some(0) && self.regex().is_match("")
    }
}

/// What a snapshot keeps of a pattern: its source, its syntax tree and what engines read from
/// the tree.
#[derive(Serialize, Deserialize)]
struct Stored {
    source: String,
    hir: Vec<u8>,
    anchors: Option<Vec<String>>,
    required_bytes: Option<Vec<u8>>,
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Stored {
            source: self.source.clone(),
            hir: crate::hir_code::encode(self.hir()),
            anchors: self.anchors().map(<[String]>::to_vec),
            required_bytes: self.required_bytes().map(<[u8]>::to_vec),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Pattern, D::Error> {
        let stored = Stored::deserialize(d)?;
        Ok(Pattern {
            source: stored.source,
            hir: OnceLock::new(),
            hir_code: Some(stored.hir.into_boxed_slice()),
            anchors: OnceLock::from(stored.anchors),
            required_bytes: OnceLock::from(stored.required_bytes),
            compiled: OnceLock::new(),
            quick: OnceLock::new(),
            uses: AtomicU32::new(0),
        })
    }
}

fn anchors(hir: &Hir) -> Option<Vec<String>> {
    [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let seq = Extractor::new().kind(kind).extract(hir);
            let literals: Vec<String> = seq
                .literals()?
                .iter()
                .map(|l| String::from_utf8(l.as_bytes().to_vec()).ok())
                .collect::<Option<_>>()?;
            let shortest = literals.iter().map(|l| l.trim().len()).min()?;
            (shortest >= 3).then_some((shortest, literals))
        })
        .max_by_key(|(shortest, _)| *shortest)
        .map(|(_, literals)| literals)
}

fn required_bytes(hir: &Hir) -> Option<Vec<u8>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let mut bytes: Vec<u8> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().first().copied())
        .collect::<Option<_>>()?;
    bytes.sort_unstable();
    bytes.dedup();
    let unfolded = |b: &u8| b.is_ascii_punctuation() && !matches!(b, b'\'' | b'"' | b'-');
    (!bytes.is_empty() && bytes.iter().all(unfolded)).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(p: &str) -> Pattern {
        Pattern::new(p).unwrap()
    }

    /// `p` as the shipped packs' snapshot carries it: stored, read back, nothing compiled.
    fn deferred(p: &Pattern) -> Pattern {
        serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap()
    }

    #[test]
    fn extracts_prefix_or_suffix_literals() {
        let a = pattern(r"\bthe current (landscape|state) of \w+");
        let a = a.anchors().unwrap();
        assert!(a.iter().all(|l| l.starts_with("the current ")), "{a:?}");
        let a = pattern(r"\b\d+[- ]minute (call|chat)\b");
        assert!(
            a.anchors()
                .unwrap()
                .iter()
                .any(|l| l.ends_with("minute call")),
            "{:?}",
            a.anchors()
        );
        assert_eq!(pattern(r"\w+ly\b").anchors(), None);
    }

    #[test]
    fn required_bytes_are_punctuation_folding_cannot_create() {
        let required = |p: &str| pattern(p).required_bytes().map(<[u8]>::to_vec);
        assert_eq!(required(r"\[(your|first) name\]"), Some(vec![b'[']));
        assert_eq!(required(r"(\(|\[)x"), Some(vec![b'(', b'[']));
        assert_eq!(required(r"-x"), None, "dashes fold to `-`");
        assert_eq!(required(r"'x"), None, "curly quotes fold to `'`");
        assert_eq!(required(r"\w+ly\b"), None);
        assert_eq!(required(r"x?\[y"), None, "a letter may start a match");
    }

    #[test]
    fn both_tiers_find_what_the_full_matcher_finds() {
        let source = r"\b(would you be|are you) open to a (quick )?\d+[- ]minute (call|chat)\b|\[[^\]\n]{1,40}\]|";
        let full = regex::Regex::new(source).unwrap();
        let deferred = deferred(&pattern(source));
        let haystacks = [
            "would you be open to a quick 15-minute call next week?",
            "are you open to a 30 minute chat? [your name], [ünïcödé] and [x]",
            "café — would you be open to a 5-minute chat\r\n[",
            "",
            "nothing to see here",
        ];
        let mut searches = 0;
        while searches < 3 * QUICK_USES {
            for h in haystacks {
                let want: Vec<_> = full.find_iter(h).map(|m| m.range()).collect();
                assert_eq!(deferred.find_iter(h).collect::<Vec<_>>(), want, "{h:?}");
                assert_eq!(deferred.is_match(h), full.is_match(h), "{h:?}");
                searches += 2;
                if searches <= QUICK_USES {
                    assert!(
                        deferred.quick.get().is_some(),
                        "the first searches are quick"
                    );
                    assert!(
                        deferred.compiled.get().is_none(),
                        "and build no full matcher"
                    );
                }
            }
        }
        assert!(
            deferred.compiled.get().is_some(),
            "later searches use the full matcher"
        );
    }

    #[test]
    fn a_pattern_expecting_many_searches_builds_only_the_full_matcher() {
        let source = r"\b(would you be|are you) open to a (quick )?\d+[- ]minute (call|chat)\b";
        let deferred = deferred(&pattern(source));
        deferred.expect_many_searches();
        assert!(
            deferred.compiled.get().is_none(),
            "nothing is built before a search"
        );
        let h = "would you be open to a quick 15-minute call next week?";
        assert_eq!(deferred.find_iter(h).collect::<Vec<_>>(), vec![0..43]);
        assert!(
            deferred.compiled.get().is_some(),
            "the first search is full"
        );
        assert!(
            deferred.quick.get().is_none(),
            "and no quick matcher is built"
        );
    }

    #[test]
    fn a_stored_pattern_keeps_its_anchors_and_parses_on_demand() {
        let p = pattern(r"\bthe current (landscape|state) of \w+");
        let back = deferred(&p);
        assert!(back.hir.get().is_none(), "not rebuilt until asked");
        assert_eq!(back.anchors(), p.anchors());
        assert_eq!(back.required_bytes(), p.required_bytes());
        assert_eq!(back.hir(), p.hir());
        assert!(back.is_match("the current state of play"));
    }
}
