//! Building a linter from packs and settings, and running it over a draft.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use redline_phrase::PhraseSet;
use redline_rules::{
    Evidence, Finding, LiteralOf, LoadError, LoadErrors, Location, PackSource, Pattern, Rule,
    RuleId, RuleKind, RuleSet, Scope, Setting, Settings, Severity, SharedStr, expand_phrase,
};
use redline_text::{Document, RegionKind, ScopeSet, phrase_key};
use redline_voice::{Profile, Sample};
use serde::Serialize;

use crate::voice::{self, ScoreInputs};
use crate::{fix, markers, metrics, patterns, structure};

/// The maps one check builds and drops: keyed by rule, or by a rule and its matched text, and
/// hashed with a fast seeded hash (the standard one is a measurable share of a short draft).
type FastMap<K, V> = foldhash::HashMap<K, V>;

/// Collects packs and settings for a [`Linter`].
#[derive(Debug, Default)]
pub struct LinterBuilder {
    builtin: bool,
    sources: Vec<PackSource>,
    /// Pack folders, each with where it was named (a config's `packs`), if anywhere.
    pack_dirs: Vec<(PathBuf, Option<Location>)>,
    settings: Settings,
    skip_examples: bool,
    many_drafts: bool,
}

impl LinterBuilder {
    /// Leaves out the shipped packs (they are in by default).
    pub fn without_builtin(mut self) -> Self {
        self.builtin = false;
        self
    }

    /// Adds a pack folder; a pack named like a shipped pack replaces it.
    pub fn pack_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.pack_dirs.push((dir.into(), None));
        self
    }

    /// Adds a pack from memory.
    pub fn pack(mut self, source: PackSource) -> Self {
        self.sources.push(source);
        self
    }

    /// Applies settings (from `.redline.toml` files and flags); their packs are added too.
    pub fn settings(mut self, settings: Settings) -> Self {
        (self.pack_dirs).extend(
            settings
                .packs
                .iter()
                .map(|p| (p.value.clone(), p.origin.clone())),
        );
        self.settings.merge(settings);
        self
    }

    /// Loads packs from folders without running their examples (for `redline rules --test`,
    /// which reports every example itself). By default a folder pack whose `bad` example does
    /// not fire, or whose `good` example does, is an error.
    pub fn skip_examples(mut self) -> Self {
        self.skip_examples = true;
        self
    }

    /// Builds a linter for checking many drafts (a folder, a mailbox): each pattern builds its
    /// full matcher on first use, with no quick matcher before it. By default the first few
    /// searches of a pattern use a matcher that is cheap to build, which is what one draft
    /// (the send gate) needs (see [`redline_rules::Pattern`]).
    pub fn many_drafts(mut self) -> Self {
        self.many_drafts = true;
        self
    }

    /// Loads and validates the packs, applies the settings, and compiles the matchers. Packs
    /// from folders must pass their own examples (the shipped packs are tested in CI).
    pub fn build(self) -> Result<Linter, LoadErrors> {
        let (skip_examples, many_drafts) = (self.skip_examples, self.many_drafts);
        let Loaded {
            set,
            settings,
            from_dirs,
        } = self.load()?;
        if many_drafts {
            set.rules
                .iter()
                .flat_map(Rule::patterns)
                .for_each(Pattern::expect_many_searches);
        }
        let linter = Linter::compile(set, settings)?;
        if !skip_examples && !from_dirs.is_empty() {
            let failures: Vec<LoadError> = linter
                .run_examples(&from_dirs)?
                .into_iter()
                .filter_map(|r| r.error())
                .collect();
            if !failures.is_empty() {
                return Err(LoadErrors(failures));
            }
        }
        Ok(linter)
    }

    /// Loads and validates the packs and checks that the settings name only rules they
    /// hold, without compiling any matcher: for tools that only read the rules
    /// (`redline pipeline`'s threshold rules).
    pub fn load(self) -> Result<Loaded, LoadErrors> {
        let mut extra = self.sources;
        let mut errors = Vec::new();
        let mut from_dirs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (dir, named_at) in &self.pack_dirs {
            // The same folder named twice (by a config and a flag, say) is one pack.
            if !seen.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
                continue;
            }
            match PackSource::from_dir(dir) {
                Ok(source) => {
                    from_dirs.push(source.folder.clone());
                    extra.push(source);
                }
                // A folder a config names is reported at its place in the config.
                Err(e) => errors.push(match named_at {
                    Some(at) => {
                        LoadError::new(at.clone(), format!("{}: {}", e.location, e.message))
                    }
                    None => e,
                }),
            }
        }
        // Only the shipped packs: their snapshot, validated when the binary was built. With
        // packs of the user's, every pack is loaded from its files, so a clash between them
        // is reported at its place in both.
        let loaded = if self.builtin && extra.is_empty() {
            Ok(redline_packs::builtin_rules())
        } else {
            let shipped: Vec<PackSource> = if self.builtin {
                redline_packs::builtin()
                    .into_iter()
                    .filter(|b| !extra.iter().any(|e| e.folder == b.folder))
                    .collect()
            } else {
                Vec::new()
            };
            RuleSet::load_with_shipped(&shipped, &extra)
        };
        let set = match loaded {
            Ok(set) => set,
            Err(LoadErrors(mut e)) => {
                errors.append(&mut e);
                return Err(LoadErrors(errors));
            }
        };
        errors.extend(
            self.settings
                .named_rules()
                .filter(|s| set.get(&s.value).is_none())
                .map(|s| {
                    let hint = match set.closest_id(&s.value) {
                        Some(id) => format!("; did you mean `{id}`?"),
                        None => " (see `redline rules`)".into(),
                    };
                    LoadError::new(origin(s), format!("unknown rule `{}`{hint}", s.value))
                }),
        );
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }
        Ok(Loaded {
            set,
            settings: self.settings,
            from_dirs,
        })
    }
}

/// Validated packs and the settings that apply to them, before any matcher is compiled.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Every rule of every pack.
    pub set: RuleSet,
    /// The settings, layered.
    pub settings: Settings,
    /// The folders of the packs read from disk, whose examples a build runs.
    pub from_dirs: Vec<String>,
}

impl Loaded {
    /// The severity a rule runs at under the settings; `None` when it is turned off.
    pub fn effective(&self, rule: &Rule) -> Option<Severity> {
        self.settings
            .is_enabled(&rule.id, rule.enabled)
            .then(|| self.settings.severity_of(&rule.id, rule.severity))
    }
}

/// A draft's findings, and what each score rule made of it ([`Linter::check_scored`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<'a> {
    /// The findings, as [`Linter::check_document`] returns them.
    pub findings: Vec<Finding>,
    /// One entry per active score rule, in the order the packs list them.
    pub scores: Vec<DraftScore<'a>>,
}

/// The probability a score rule gives one draft (as JSON, what `redline serve` answers with:
/// fields in alphabetical order, like every object there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftScore<'a> {
    /// How likely the draft reads as AI-drafted, from 0 to 1; `None` (`null`) when it has
    /// fewer words in the rule's scope than the rule's `min_words`, so it is not scored, which
    /// is not the same as reading as human.
    pub probability: Option<f64>,
    /// The score rule's id, e.g. `corporate-ai.voice` (borrowed: a check that keeps only the
    /// findings pays nothing for it).
    pub rule: &'a str,
}

/// How one rule fared on its own examples.
#[derive(Debug, Clone)]
pub struct ExampleResult {
    /// The rule.
    pub rule: Rule,
    /// `bad` examples that did not fire, by index (from 0) and text.
    pub quiet_bad: Vec<(usize, String)>,
    /// `good` examples that fired, by index (from 0) and text.
    pub noisy_good: Vec<(usize, String)>,
}

impl ExampleResult {
    /// Whether every example behaved.
    pub fn passed(&self) -> bool {
        self.quiet_bad.is_empty() && self.noisy_good.is_empty()
    }

    /// The failure as an error at the rule's declaration, naming each failing example.
    pub fn error(&self) -> Option<LoadError> {
        if self.passed() {
            return None;
        }
        let shown = |(i, text): &(usize, String), which: &str, what: &str| {
            format!(
                "{which} example {} does not {what}: \"{}\"",
                i + 1,
                redline_text::one_line(text)
            )
        };
        let problems: Vec<String> = (self.quiet_bad.iter().map(|e| shown(e, "`bad`", "fire")))
            .chain(
                self.noisy_good
                    .iter()
                    .map(|e| shown(e, "`good`", "stay quiet")),
            )
            .collect();
        Some(LoadError::new(
            self.rule.origin.clone(),
            format!("rule `{}`: {}", self.rule.id, problems.join("; ")),
        ))
    }
}

/// A rule as this linter runs it: severity and enablement after settings.
#[derive(Debug, Clone)]
struct Active {
    /// The rule's index in the linter's rule set (which holds every loaded rule, so enabled
    /// rules are not copied).
    rule: usize,
    severity: Severity,
    scopes: ScopeSet,
    /// The rule's id and suggestions, shared by every finding of the rule rather than copied
    /// into each (a large draft can have hundreds of thousands).
    id: RuleId,
    suggestions: Arc<[String]>,
    /// Whether any of a phrase rule's phrases has a replacement of its own, noted once so a
    /// finding does not look through all of the rule's phrases.
    replaces: bool,
}

/// What an id in the phrase automaton stands for: a phrase rule's phrases, the anchor
/// literals of a pattern rule (where its regex may match), or a score rule's phrase or pattern
/// anchor. Each holds an index into the linter's active rules.
#[derive(Debug, Clone, Copy)]
enum Entry {
    /// A phrase rule.
    Phrase(usize),
    /// A pattern rule's anchor literals.
    Anchor(usize),
    /// Phrase `feature` of the score rule at index `rule`.
    Feature { rule: usize, feature: usize },
    /// The anchor literals of pattern `pattern` of the score rule at index `rule`.
    ScoreAnchor { rule: usize, pattern: usize },
}

/// Every loaded rule compiled for checking drafts; build once, check many.
#[derive(Debug, Clone)]
pub struct Linter {
    set: RuleSet,
    active: Vec<Active>,
    /// Active rules by id.
    by_id: HashMap<String, usize>,
    /// Every phrase, and the anchor literals of pattern rules, in one automaton; a match's id
    /// indexes `entries`.
    phrases: PhraseSet,
    entries: Vec<Entry>,
    /// Pattern rules without usable anchors: they run over the whole normalised text, unless
    /// the draft holds none of the bytes every match starts with (`Pattern::required_bytes`).
    unanchored: Vec<usize>,
    /// Score rules' patterns without usable anchors, as (rule, pattern).
    score_unanchored: Vec<(usize, usize)>,
    replacements: HashMap<String, String>,
    allow: PhraseSet,
    /// The writer's voice profile (the `voice` setting).
    profile: Option<Arc<Profile>>,
    /// The active rule (by index) that compares drafts with a voice profile.
    voice_rule: Option<usize>,
    /// The scopes of the active score rules: metric rules over the same scopes are counted in
    /// the walk that measures the score rule's paragraphs.
    score_scopes: Vec<ScopeSet>,
    /// The active structure, metric and score rules (by index, in order): the rules a check
    /// runs after the phrase scan, listed once so that a check does not read every active
    /// rule's kind, a cache miss per rule and draft.
    measured: Vec<usize>,
}

impl Linter {
    /// A builder with the shipped packs and default settings.
    pub fn builder() -> LinterBuilder {
        LinterBuilder {
            builtin: true,
            ..LinterBuilder::default()
        }
    }

    /// The shipped packs with `settings` applied.
    pub fn from_settings(settings: Settings) -> Result<Linter, LoadErrors> {
        Linter::builder().settings(settings).build()
    }

    fn compile(set: RuleSet, settings: Settings) -> Result<Linter, LoadErrors> {
        let mut allowed = Vec::new();
        let mut errors = Vec::new();
        for a in &settings.allow {
            match expand_phrase(&a.value) {
                Ok(v) => allowed.extend(v),
                Err((offset, msg)) => {
                    // The offset is exact when the phrase is written without escapes.
                    let before = a.value.get(..offset).map_or(0, |b| b.chars().count());
                    let at = match &a.origin {
                        Some(at) if at.has_position() => at.right(1 + before),
                        _ => origin(a),
                    };
                    errors.push(LoadError::new(at, format!("allowed phrase: {msg}")));
                }
            }
        }
        let profile = settings.voice.as_ref().and_then(|v| match load_profile(v) {
            Ok(p) => Some(Arc::new(p)),
            Err(e) => {
                errors.push(e);
                None
            }
        });
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }

        let active: Vec<Active> = set
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| settings.is_enabled(&r.id, r.enabled))
            .map(|(i, r)| Active {
                rule: i,
                severity: settings.severity_of(&r.id, r.severity),
                scopes: scope_set(&r.scopes),
                id: r.id.as_str().into(),
                suggestions: r.suggestions.as_slice().into(),
                replaces: matches!(&r.kind, RuleKind::Phrase(p) if p.iter().any(|p| p.replace.is_some())),
            })
            .collect();
        let by_id = active
            .iter()
            .enumerate()
            .map(|(i, a)| (set.rules[a.rule].id.clone(), i))
            .collect();
        let mut builder = PhraseSet::builder();
        // The shipped packs' literals come prebuilt; a set they do not cover (a pack of the
        // user's with phrases of its own) is compiled here.
        builder.prebuilt(redline_packs::BUILTIN_PHRASES);
        let mut entries = Vec::new();
        let mut replacements = HashMap::new();
        let mut unanchored = Vec::new();
        let mut score_unanchored = Vec::new();
        for (i, a) in active.iter().enumerate() {
            // One entry (an id in the automaton) per phrase rule, per pattern's anchors, per
            // score feature.
            let mut last = None;
            let rule = &set.rules[a.rule];
            rule.for_each_literal(|of, text| {
                if last != Some(of) {
                    last = Some(of);
                    entries.push(match of {
                        LiteralOf::Phrase => Entry::Phrase(i),
                        LiteralOf::Anchor => Entry::Anchor(i),
                        LiteralOf::Feature(feature) => Entry::Feature { rule: i, feature },
                        LiteralOf::ScoreAnchor(pattern) => Entry::ScoreAnchor { rule: i, pattern },
                    });
                }
                let id = (entries.len() - 1) as u32;
                if of.whole_words() {
                    builder.phrase(id, text);
                } else {
                    builder.anchor(id, text);
                }
            });
            match &rule.kind {
                RuleKind::Phrase(phrases) => {
                    for p in phrases {
                        if let Some(r) = &p.replace {
                            replacements.insert(phrase_key(&p.text), r.clone());
                        }
                    }
                }
                RuleKind::Pattern(re) if re.anchors().is_none() => unanchored.push(i),
                RuleKind::Score(score) => {
                    for (pattern, (re, _)) in score.patterns.iter().enumerate() {
                        if re.anchors().is_none() {
                            score_unanchored.push((i, pattern));
                        }
                    }
                }
                _ => {}
            }
        }
        let build_error = |e: redline_phrase::BuildError| {
            LoadErrors(vec![LoadError::new(
                Location::file(&Arc::from("<phrases>")),
                e.to_string(),
            )])
        };
        let phrases = builder.build().map_err(build_error)?;
        let allow = PhraseSet::new(allowed.iter().map(|a| (0, a.as_str()))).map_err(build_error)?;
        let voice_rule = active.iter().position(|a| {
            matches!(&set.rules[a.rule].kind, RuleKind::Threshold(t) if matches!(t.check, redline_rules::threshold::Check::Voice(_)))
        });
        let score_scopes = active
            .iter()
            .filter(|a| matches!(set.rules[a.rule].kind, RuleKind::Score(_)))
            .map(|a| a.scopes)
            .collect();
        let measured = (0..active.len())
            .filter(|&i| {
                matches!(
                    set.rules[active[i].rule].kind,
                    RuleKind::Structure(_) | RuleKind::Metric(_) | RuleKind::Score(_)
                )
            })
            .collect();
        Ok(Linter {
            profile,
            voice_rule,
            score_scopes,
            measured,
            set,
            active,
            by_id,
            phrases,
            entries,
            unanchored,
            score_unanchored,
            replacements,
            allow,
        })
    }

    /// Runs the examples of every rule of the named packs that checks drafts (threshold
    /// rules measure exports and have none), each rule enabled whatever the settings, with no
    /// allowed phrases.
    pub fn run_examples(&self, packs: &[String]) -> Result<Vec<ExampleResult>, LoadErrors> {
        let subset = self
            .set
            .subset(|r| packs.contains(&r.pack) && !matches!(r.kind, RuleKind::Threshold(_)));
        let enable_all = Settings {
            toggles: subset
                .rules
                .iter()
                .map(|r| (Setting::flag(r.id.clone()), true))
                .collect(),
            ..Settings::default()
        };
        let tester = Linter::compile(subset, enable_all)?;
        let fires = |id: &str, text: &str| tester.check(text).iter().any(|f| f.rule == id);
        Ok(tester
            .rules()
            .iter()
            .map(|rule| ExampleResult {
                quiet_bad: (rule.examples.bad.iter().cloned().enumerate())
                    .filter(|(_, t)| !fires(&rule.id, t))
                    .collect(),
                noisy_good: (rule.examples.good.iter().cloned().enumerate())
                    .filter(|(_, t)| fires(&rule.id, t))
                    .collect(),
                rule: rule.clone(),
            })
            .collect())
    }

    /// Every loaded rule, enabled or not.
    pub fn rules(&self) -> &[Rule] {
        &self.set.rules
    }

    /// The loaded packs.
    pub fn packs(&self) -> &[redline_rules::PackInfo] {
        &self.set.packs
    }

    /// The rule with this id, enabled or not.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.set.get(id)
    }

    /// The loaded rule id a mistyped `id` most likely meant, if any.
    pub fn closest_id(&self, id: &str) -> Option<&str> {
        self.set.closest_id(id)
    }

    /// Whether a rule runs, and at what severity, under this linter's settings.
    pub fn effective(&self, id: &str) -> Option<Severity> {
        self.by_id.get(id).map(|&i| self.active[i].severity)
    }

    /// What the user should know about the draft's inline markers: each id a marker names
    /// that no loaded rule has (a typo silences nothing), with the likeliest id meant, and
    /// each marker that is not the draft's own (in a quoted reply or a signature block).
    pub fn marker_notes(&self, doc: &Document) -> Vec<String> {
        let mut notes: Vec<String> = Vec::new();
        for (_, note) in self.marker_problems(doc) {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        notes
    }

    /// [`Linter::marker_notes`], each at the span of the id it is about (byte offsets into
    /// the document's text), for an editor to underline.
    pub fn marker_problems(&self, doc: &Document) -> Vec<(std::ops::Range<usize>, String)> {
        markers::markers(doc)
            .filter_map(|m| {
                let note = if !m.own {
                    format!(
                        "inline marker for `{}` is in a quoted reply or a signature block; it silences nothing",
                        m.id
                    )
                } else if self.set.get(m.id).is_some() {
                    return None;
                } else if let Some(near) = self.closest_id(m.id) {
                    format!("inline marker names unknown rule `{}`; did you mean `{near}`?", m.id)
                } else {
                    format!("inline marker names unknown rule `{}`", m.id)
                };
                Some((m.span, note))
            })
            .collect()
    }

    /// Checks a draft (plain text, Markdown, or a raw message with headers).
    pub fn check(&self, text: &str) -> Vec<Finding> {
        self.check_document(&Document::parse(text))
    }

    /// Checks a parsed draft. Findings are sorted by position; spans are byte offsets into
    /// the document's text.
    pub fn check_document(&self, doc: &Document) -> Vec<Finding> {
        self.scored_with_voice(doc, self.profile.as_deref())
            .findings
    }

    /// Checks a parsed draft like [`Linter::check_document`], and also gives the probability
    /// every active score rule assigns it, whether or not it reaches the rule's warning
    /// threshold (and even when an inline marker silences the rule's finding): what
    /// `redline audit` bands reply rates by. The probabilities come from the same pass as the
    /// findings; nothing is scanned twice.
    pub fn check_scored(&self, doc: &Document) -> Checked<'_> {
        self.scored_with_voice(doc, self.profile.as_deref())
    }

    /// As [`Linter::check_scored`], comparing the draft with `voice` instead of the configured
    /// profile (none: no voice comparison). For one process serving many writers, such as
    /// `redline serve` with a folder of profiles.
    pub fn check_scored_with_voice(&self, doc: &Document, voice: Option<&Profile>) -> Checked<'_> {
        self.scored_with_voice(doc, voice)
    }

    /// The one pass behind every check: findings, with `voice` as the writer's profile, and
    /// each score rule's probability.
    fn scored_with_voice(&self, doc: &Document, voice: Option<&Profile>) -> Checked<'_> {
        let text = doc.text();
        let silenced = markers::disabled_by_markers(doc);
        let allowed = self.allow.find(text);
        let mut out = Vec::new();
        let mut texts = Texts::default();
        let mut emit = |a: &Active, span: std::ops::Range<usize>, out: &mut Vec<Finding>| {
            if span.is_empty()
                || !doc.scopes_of(span.clone()).intersects(a.scopes)
                || allowed
                    .iter()
                    .any(|m| m.span.start <= span.start && span.end <= m.span.end)
            {
                return;
            }
            let (matched, message) =
                texts.of(&a.id, &text[span.clone()], |m| message(self.rule_of(a), m));
            out.push(self.finding_with(doc, a, span, message, matched));
        };

        let mut windows: FastMap<usize, Vec<std::ops::Range<usize>>> = FastMap::default();
        let mut hits = ScoreHits::default();
        let matches = self.phrases.find_in(text, &doc.outside_quotes());
        // Most findings are phrase matches: room for one per match up front means a large
        // draft's findings are not copied into a doubled buffer as they grow.
        out.reserve(matches.len());
        for m in matches {
            match self.entries[m.id as usize] {
                Entry::Anchor(rule) => windows.entry(rule).or_default().push(m.span),
                Entry::Phrase(rule) => emit(&self.active[rule], m.span, &mut out),
                entry => self.note_score_hit(doc, &allowed, entry, m.span, &mut hits),
            }
        }
        // A pattern without anchor literals whose every match starts with one of a few bytes
        // (`[` for a placeholder) is searched in windows from each of those bytes, like an
        // anchored one, rather than over the whole text; the rest run over all of it.
        let mut whole = Vec::new();
        for &rule in &self.unanchored {
            let RuleKind::Pattern(re) = &self.rule_of(&self.active[rule]).kind else {
                continue;
            };
            match re.required_bytes() {
                Some(bytes) => {
                    let starts: Vec<_> = occurrences(text.as_bytes(), bytes)
                        .map(|i| i..i + 1)
                        .collect();
                    if !starts.is_empty() {
                        windows.insert(rule, starts);
                    }
                }
                None => whole.push(rule),
            }
        }
        let folded =
            patterns::Folded::new(text, hits.windows.values_mut().chain(windows.values_mut()));
        for (rule, anchors) in windows {
            let a = &self.active[rule];
            if let RuleKind::Pattern(re) = &self.rule_of(a).kind {
                for span in folded.find_near(re, &anchors) {
                    emit(a, span, &mut out);
                }
            }
        }
        for rule in whole {
            let a = &self.active[rule];
            if let RuleKind::Pattern(re) = &self.rule_of(a).kind {
                for span in folded.find_all(re) {
                    emit(a, span, &mut out);
                }
            }
        }
        let mut stats: Vec<(ScopeSet, metrics::Stats)> = Vec::new();
        let mut shapes: Vec<(ScopeSet, voice::Shape)> = Vec::new();
        let mut lists = None;
        for a in self.measured.iter().map(|&i| &self.active[i]) {
            match &self.rule_of(a).kind {
                RuleKind::Structure(s) => {
                    let lists = lists.get_or_insert_with(|| structure::lists(text));
                    for span in structure::find(text, lists, s) {
                        emit(a, span, &mut out);
                    }
                }
                RuleKind::Metric(m) => {
                    let i = match stats.iter().position(|(s, _)| *s == a.scopes) {
                        Some(i) => i,
                        None => {
                            let counted = if self.score_scopes.contains(&a.scopes) {
                                let mut counted = metrics::Stats::default();
                                let shape = voice::walk(doc, a.scopes, Some(&mut counted));
                                shapes.push((a.scopes, shape));
                                counted
                            } else {
                                metrics::Stats::of(doc, a.scopes)
                            };
                            stats.push((a.scopes, counted));
                            stats.len() - 1
                        }
                    };
                    if let Some(hit) =
                        metrics::evaluate(&stats[i].1, m).filter(|h| !h.span.is_empty())
                    {
                        let mut f = self.finding(doc, a, hit.span.clone());
                        f.message = metrics::message(self.rule_of(a), m.measure, &hit).into();
                        out.push(f);
                    }
                }
                // Threshold rules measure CRM exports (`redline pipeline`), not drafts; score
                // rules weigh the other rules' findings, so they run last.
                RuleKind::Phrase(_)
                | RuleKind::Pattern(_)
                | RuleKind::Threshold(_)
                | RuleKind::Score(_) => {}
            }
        }
        if let (Some(profile), Some(rule)) = (voice, self.voice_rule) {
            out.extend(self.voice_finding(doc, profile, &self.active[rule]));
        }
        out.retain(|f| !silenced.contains(&*f.rule));
        let mut scored = Vec::new();
        let mut scores = Vec::new();
        for &i in &self.measured {
            let a = &self.active[i];
            let RuleKind::Score(score) = &self.rule_of(a).kind else {
                continue;
            };
            let shape = shapes.iter().find(|(s, _)| *s == a.scopes).map(|(_, s)| s);
            let inputs = self.measure_score(doc, i, score, &mut hits, &folded, shape);
            let reported = |span: &std::ops::Range<usize>| {
                out.iter()
                    .any(|f| f.span.start < span.end && span.start < f.span.end)
            };
            let s = voice::evaluate(score, &inputs, text, reported);
            scores.push(DraftScore {
                rule: &self.rule_of(a).id,
                probability: s.as_ref().map(|s| s.evidence.probability),
            });
            if let Some(s) = s.filter(|_| !silenced.contains(self.rule_of(a).id.as_str()))
                && let Some(f) = self.score_finding(doc, a, score, s)
            {
                scored.push(f);
            }
        }
        out.append(&mut scored);
        // In place: a stable sort takes scratch room for half the findings, and a cached key
        // one per finding (megabytes on a large draft). Findings with equal keys are the
        // same rule on the same text, so their order cannot show.
        out.sort_unstable_by(|a, b| {
            (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
        });
        Checked {
            findings: out,
            scores,
        }
    }

    /// Compares the writer's own regions of the draft with their voice profile: one finding,
    /// pointing at the first line they wrote, when the distance is above the profile's
    /// threshold times the rule's `above`. The message names the largest differences; the
    /// evidence holds the distance and every habit's contribution.
    fn voice_finding(&self, doc: &Document, profile: &Profile, a: &Active) -> Option<Finding> {
        let RuleKind::Threshold(t) = &self.rule_of(a).kind else {
            return None;
        };
        let own = doc.regions().iter().find(|r| {
            matches!(
                r.kind,
                RegionKind::Greeting | RegionKind::Paragraph | RegionKind::SignOff
            )
        })?;
        let verdict = profile.compare(&Sample::of(doc));
        let factor = t.above.unwrap_or(1.0);
        if !verdict.departs(factor) {
            return None;
        }
        let mut f = self.finding(doc, a, metrics::first_line(doc.text(), own.span.clone()));
        let head = self.rule_of(a).message_with(
            format_args!("{:.1}", verdict.distance),
            format_args!("{:.1}", verdict.threshold * factor),
        );
        let differences = verdict.differences(profile, 3);
        f.message = if differences.is_empty() {
            head.into()
        } else {
            format!("{head}: {}", differences.join("; ")).into()
        };
        let mut evidence = verdict.evidence(profile);
        evidence["limit"] = ((verdict.threshold * factor * 100.0).round() / 100.0).into();
        f.evidence = Some(Evidence::Voice(Box::new(evidence)));
        Some(f)
    }

    /// The values every score rule's features take in `doc`, before weighting: what
    /// `redline train` fits weights to, measured exactly as a check measures them.
    pub fn score_inputs(&self, doc: &Document) -> Vec<(&str, ScoreInputs)> {
        let allowed = self.allow.find(doc.text());
        let mut hits = ScoreHits::default();
        for m in self.phrases.find_in(doc.text(), &doc.outside_quotes()) {
            self.note_score_hit(
                doc,
                &allowed,
                self.entries[m.id as usize],
                m.span,
                &mut hits,
            );
        }
        let folded = patterns::Folded::new(doc.text(), hits.windows.values_mut());
        self.active
            .iter()
            .enumerate()
            .filter_map(|(i, a)| match &self.rule_of(a).kind {
                RuleKind::Score(score) => Some((
                    self.rule_of(a).id.as_str(),
                    self.measure_score(doc, i, score, &mut hits, &folded, None),
                )),
                _ => None,
            })
            .collect()
    }

    /// Notes an automaton match for a score rule: a phrase in the rule's scopes and outside
    /// the allowed phrases counts; a pattern anchor marks where the pattern may match.
    fn note_score_hit(
        &self,
        doc: &Document,
        allowed: &[redline_phrase::PhraseMatch],
        entry: Entry,
        span: std::ops::Range<usize>,
        hits: &mut ScoreHits,
    ) {
        match entry {
            Entry::Feature { rule, feature } => {
                let in_scope = doc
                    .scopes_of(span.clone())
                    .intersects(self.active[rule].scopes);
                let is_allowed = allowed
                    .iter()
                    .any(|a| a.span.start <= span.start && span.end <= a.span.end);
                if in_scope && !is_allowed {
                    let n = self.phrase_count(rule);
                    let counts = hits
                        .phrases
                        .entry(rule)
                        .or_insert_with(|| vec![(0, None); n]);
                    let (count, first) = &mut counts[feature];
                    *count += 1;
                    first.get_or_insert(span);
                }
            }
            Entry::ScoreAnchor { rule, pattern } => {
                hits.windows.entry((rule, pattern)).or_default().push(span);
            }
            Entry::Phrase(_) | Entry::Anchor(_) => {}
        }
    }

    /// The inputs of score rule `rule` for `doc`: its phrases as counted, its patterns run
    /// near their anchors (or over the whole text when they have none), its measures taken
    /// from `shape` when the metric rules' walk already read its paragraphs. `folded` is the
    /// check's text as patterns see it.
    fn measure_score(
        &self,
        doc: &Document,
        rule: usize,
        score: &redline_rules::Score,
        hits: &mut ScoreHits,
        folded: &patterns::Folded,
        shape: Option<&voice::Shape>,
    ) -> ScoreInputs {
        let scopes = self.active[rule].scopes;
        let phrases = hits
            .phrases
            .remove(&rule)
            .unwrap_or_else(|| vec![(0, None); score.phrases.len()]);
        let patterns = score
            .patterns
            .iter()
            .enumerate()
            .map(|(k, (re, _))| {
                let spans = if self.score_unanchored.contains(&(rule, k)) {
                    folded.find_all(re)
                } else {
                    hits.windows
                        .remove(&(rule, k))
                        .map_or_else(Vec::new, |w| folded.find_near(re, &w))
                };
                let mut in_scope = spans
                    .into_iter()
                    .filter(|s| doc.scopes_of(s.clone()).intersects(scopes));
                let first = in_scope.next();
                (usize::from(first.is_some()) + in_scope.count(), first)
            })
            .collect();
        let walked;
        let shape = match shape {
            Some(shape) => shape,
            None => {
                walked = voice::walk(doc, scopes, None);
                &walked
            }
        };
        voice::inputs(shape, score, phrases, patterns)
    }

    /// A score rule's finding, at the band its probability reaches (never above the rule's
    /// configured severity); `None` below the warning threshold.
    fn score_finding(
        &self,
        doc: &Document,
        a: &Active,
        score: &redline_rules::Score,
        scored: voice::Scored,
    ) -> Option<Finding> {
        let e = &scored.evidence;
        let (band, limit) = if e.unreported_probability >= score.error {
            (Severity::Error, score.error)
        } else if e.probability >= score.warning {
            (Severity::Warning, score.warning)
        } else {
            return None;
        };
        let mut f = self.finding(doc, a, scored.span?);
        f.severity = band.min(a.severity);
        f.message = self
            .rule_of(a)
            .message_with(
                format_args!("{:.2}", e.probability),
                format_args!("{limit:.2}"),
            )
            .into();
        f.evidence = Some(Evidence::Score(Box::new(scored.evidence)));
        Some(f)
    }

    /// The rule an active rule stands for.
    fn rule_of(&self, a: &Active) -> &Rule {
        &self.set.rules[a.rule]
    }

    /// The number of phrases of active rule `rule`, if it is a score rule.
    fn phrase_count(&self, rule: usize) -> usize {
        match &self.rule_of(&self.active[rule]).kind {
            RuleKind::Score(s) => s.phrases.len(),
            _ => 0,
        }
    }

    /// Rule `a`'s finding at `span`, its message filled in from the match.
    fn finding(&self, doc: &Document, a: &Active, span: std::ops::Range<usize>) -> Finding {
        let matched = &doc.text()[span.clone()];
        let message = message(self.rule_of(a), matched).into();
        self.finding_with(doc, a, span, message, matched.into())
    }

    /// Rule `a`'s finding at `span`, with its message and matched text already made.
    fn finding_with(
        &self,
        doc: &Document,
        a: &Active,
        span: std::ops::Range<usize>,
        message: SharedStr,
        matched: SharedStr,
    ) -> Finding {
        let replace = if a.replaces {
            self.replacements.get(&phrase_key(&matched))
        } else {
            None
        };
        Finding {
            rule: a.id.clone(),
            severity: a.severity,
            message,
            fix: fix::edit(doc, span.clone(), self.rule_of(a).fix.as_ref(), replace).map(Box::new),
            span,
            matched,
            suggestions: Arc::clone(&a.suggestions),
            evidence: None,
        }
    }
}

/// `rule`'s message for a match of `matched`. A structure's match is a whole list; its
/// message quotes the intro line.
fn message(rule: &Rule, matched: &str) -> String {
    let quoted = match rule.kind {
        RuleKind::Structure(_) => matched.lines().next().unwrap_or(""),
        _ => matched,
    };
    fill_match(&rule.message, quoted)
}

/// The matched text and messages of one draft's findings, each distinct pair of rule and
/// match held once: a large draft repeats the same few hundred phrases in its hundreds of
/// thousands of findings.
#[derive(Default)]
struct Texts(FastMap<RuleId, FastMap<SharedStr, SharedStr>>);

impl Texts {
    /// The shared matched text and message of rule `rule` matching `matched`; `message`
    /// makes the message the first time.
    fn of(
        &mut self,
        rule: &RuleId,
        matched: &str,
        message: impl FnOnce(&str) -> String,
    ) -> (SharedStr, SharedStr) {
        let by_match = self.0.entry(rule.clone()).or_default();
        if let Some((m, msg)) = by_match.get_key_value(matched) {
            return (m.clone(), msg.clone());
        }
        let (m, msg) = (SharedStr::from(matched), SharedStr::from(message(matched)));
        by_match.insert(m.clone(), msg.clone());
        (m, msg)
    }
}

/// `message` with every `{match}` replaced by `quoted`, its whitespace runs made single spaces
/// and its ends trimmed: written straight into the message, with no copy of the match.
fn fill_match(message: &str, quoted: &str) -> String {
    let mut out = String::with_capacity(message.len() + quoted.len());
    let mut rest = message;
    while let Some(at) = placeholder(rest) {
        out.push_str(&rest[..at]);
        for (i, word) in quoted.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        rest = &rest[at + "{match}".len()..];
    }
    out.push_str(rest);
    out
}

/// Where the first `{match}` in `message` starts. A byte search for its `{`: a substring
/// search sets up a searcher per call, which cost as much as filling the message.
fn placeholder(message: &str) -> Option<usize> {
    memchr::memchr_iter(b'{', message.as_bytes()).find(|&i| message[i..].starts_with("{match}"))
}

/// Where a setting was made, for an error about it: its file position, or the flag or
/// editor setting that made it.
fn origin(s: &Setting<String>) -> Location {
    s.origin
        .clone()
        .unwrap_or_else(|| Location::file(&Arc::from(format!("setting `{}`", s.value))))
}

/// Reads the profile a `voice` setting names; problems point into the profile file, and say
/// which setting named it.
fn load_profile(setting: &redline_rules::Setting<PathBuf>) -> Result<Profile, LoadError> {
    let path: Arc<str> = setting.value.display().to_string().into();
    Profile::load(&setting.value).map_err(|e| {
        let mut at = Location::file(&path);
        if let Some((line, column)) = e.position {
            at.line = line;
            at.column = column;
        }
        let named_by = match &setting.origin {
            Some(o) => format!(" (the voice profile set at {o})"),
            None => String::new(),
        };
        LoadError::new(at, format!("{}{named_by}", e.message))
    })
}

/// What the automaton found for score rules: phrase occurrences per rule, and the anchors of
/// each (rule, pattern) around which the pattern may match.
#[derive(Debug, Default)]
struct ScoreHits {
    phrases: FastMap<usize, Vec<voice::Occurrences>>,
    windows: FastMap<(usize, usize), Vec<std::ops::Range<usize>>>,
}

/// Where any of `needles` occurs in `haystack`, in order: memchr's search for up to three
/// (a pattern's required bytes are nearly always one, `[`).
fn occurrences<'h>(haystack: &'h [u8], needles: &'h [u8]) -> Box<dyn Iterator<Item = usize> + 'h> {
    match *needles {
        [a] => Box::new(memchr::memchr_iter(a, haystack)),
        [a, b] => Box::new(memchr::memchr2_iter(a, b, haystack)),
        [a, b, c] => Box::new(memchr::memchr3_iter(a, b, c, haystack)),
        _ => Box::new(
            haystack
                .iter()
                .enumerate()
                .filter(move |(_, b)| needles.contains(b))
                .map(|(i, _)| i),
        ),
    }
}

fn scope_set(scopes: &[Scope]) -> ScopeSet {
    scopes.iter().fold(ScopeSet::NONE, |set, s| {
        set.union(match s {
            Scope::Subject => ScopeSet::SUBJECT,
            Scope::Opening => ScopeSet::OPENING,
            Scope::Body => ScopeSet::BODY,
            Scope::Closing => ScopeSet::CLOSING,
            Scope::Whole => ScopeSet::WHOLE,
            Scope::Signature => ScopeSet::SIGNATURE,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_of_one_to_four_needles_in_order() {
        let hay = b"[a] {b} (c) <d> [e]";
        let found = |needles: &[u8]| occurrences(hay, needles).collect::<Vec<_>>();
        assert_eq!(found(b"["), [0, 16]);
        assert_eq!(found(b"[{"), [0, 4, 16]);
        assert_eq!(found(b"[{("), [0, 4, 8, 16]);
        assert_eq!(found(b"[{(<"), [0, 4, 8, 12, 16]);
        assert!(found(b"#").is_empty());
    }

    #[test]
    fn messages_fill_every_match_placeholder_and_leave_other_braces() {
        let quoted = "  Circle \r\n back ";
        assert_eq!(
            fill_match("“{match}” again: {match}.", quoted),
            "“Circle back” again: Circle back."
        );
        assert_eq!(fill_match("{{match}} {matc {x}", "a"), "{a} {matc {x}");
        assert_eq!(fill_match("no placeholder {", "a"), "no placeholder {");
        assert_eq!(fill_match("{match", "a"), "{match");
        assert_eq!(fill_match("", "a"), "");
    }

    #[test]
    fn the_shipped_packs_find_phrases_with_the_prebuilt_automaton() {
        let linter = Linter::builder().build().unwrap();
        assert!(linter.phrases.is_prebuilt());
        // Rules turned off or on leave a subset of the prebuilt literals.
        let mut settings = Settings::default();
        settings.toggles.push((
            Setting::flag("corporate-ai.wanted-to-reach-out".into()),
            false,
        ));
        let linter = Linter::from_settings(settings).unwrap();
        assert!(linter.phrases.is_prebuilt());
        let found = linter.check("I wanted to reach out. I hope this finds you well.");
        assert!(
            found
                .iter()
                .all(|f| &*f.rule != "corporate-ai.wanted-to-reach-out")
        );
        assert!(
            found
                .iter()
                .any(|f| &*f.rule == "corporate-ai.hope-this-finds-you-well")
        );
    }
}
