//! The regular expressions of pattern, structure and score rules: parsed and validated when a
//! pack loads, compiled into a matcher on first use.

use std::sync::OnceLock;

use regex::Regex;
use regex_syntax::hir::Hir;

/// A rule's regular expression over the normalised text.
///
/// Compiling a regular expression costs far more than parsing it, and most drafts never
/// reach most patterns (an engine runs them only near their anchor literals), so the matcher
/// is built on the first call to [`Pattern::regex`] and kept. Packs read from folders or
/// memory are compiled as they load, so a pattern too large to compile is an error at its
/// position; only the shipped packs, whose patterns a test compiles, defer it.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    hir: Hir,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    /// Parses and compiles `source` now.
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        let re = Regex::new(source)?;
        let hir = regex_syntax::parse(source).expect("a regex that compiles parses");
        Ok(Pattern {
            source: source.to_string(),
            hir,
            compiled: OnceLock::from(re),
        })
    }

    /// A pattern already parsed into `hir`, not yet compiled.
    pub(crate) fn parsed(source: String, hir: Hir) -> Pattern {
        Pattern {
            source,
            hir,
            compiled: OnceLock::new(),
        }
    }

    /// Compiles the matcher now, if it is not yet.
    pub(crate) fn compile(&self) -> Result<&Regex, regex::Error> {
        if let Some(re) = self.compiled.get() {
            return Ok(re);
        }
        let re = Regex::new(&self.source)?;
        Ok(self.compiled.get_or_init(|| re))
    }

    /// The pattern as the pack writes it.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed pattern, for reading its literals without compiling it.
    pub fn hir(&self) -> &Hir {
        &self.hir
    }

    /// The matcher, compiled on first use.
    pub fn regex(&self) -> &Regex {
        self.compile()
            .expect("patterns are compiled when loaded, or are the shipped packs' (tested)")
    }

    /// Whether the pattern matches empty text (and so would fire everywhere). Only a pattern
    /// whose shortest match is empty needs compiling to tell: look-arounds such as `\b` can
    /// still keep it from matching the empty text.
    pub(crate) fn matches_empty(&self) -> bool {
        self.hir.properties().minimum_len() == Some(0) && self.regex().is_match("")
    }
}
