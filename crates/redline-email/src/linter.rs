//! Building a linter from packs and settings, and running it over a draft.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use redline_phrase::PhraseSet;
use redline_rules::{
    Finding, LoadError, LoadErrors, Location, PackSource, Rule, RuleKind, RuleSet, Scope, Settings,
    Severity, expand_phrase,
};
use redline_text::{Document, ScopeSet};

use crate::voice::{self, ScoreInputs};
use crate::{fix, markers, metrics, patterns, structure};

/// Collects packs and settings for a [`Linter`].
#[derive(Debug, Default)]
pub struct LinterBuilder {
    builtin: bool,
    sources: Vec<PackSource>,
    pack_dirs: Vec<PathBuf>,
    settings: Settings,
}

impl LinterBuilder {
    /// Leaves out the shipped packs (they are in by default).
    pub fn without_builtin(mut self) -> Self {
        self.builtin = false;
        self
    }

    /// Adds a pack folder; a pack named like a shipped pack replaces it.
    pub fn pack_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.pack_dirs.push(dir.into());
        self
    }

    /// Adds a pack from memory.
    pub fn pack(mut self, source: PackSource) -> Self {
        self.sources.push(source);
        self
    }

    /// Applies settings (from `.redline.toml` files and flags); their packs are added too.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.pack_dirs.extend(settings.packs.iter().cloned());
        self.settings.merge(settings);
        self
    }

    /// Loads and validates the packs, applies the settings, and compiles the matchers.
    pub fn build(self) -> Result<Linter, LoadErrors> {
        let mut extra = self.sources;
        let mut errors = Vec::new();
        for dir in &self.pack_dirs {
            match PackSource::from_dir(dir) {
                Ok(source) => extra.push(source),
                Err(e) => errors.push(e),
            }
        }
        let mut sources: Vec<PackSource> = if self.builtin {
            redline_packs::builtin()
                .into_iter()
                .filter(|b| !extra.iter().any(|e| e.folder == b.folder))
                .collect()
        } else {
            Vec::new()
        };
        sources.extend(extra);
        let set = match RuleSet::load(&sources) {
            Ok(set) => set,
            Err(LoadErrors(mut e)) => {
                errors.append(&mut e);
                return Err(LoadErrors(errors));
            }
        };
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }
        Linter::compile(set, self.settings)
    }
}

/// A rule as this linter runs it: severity and enablement after settings.
#[derive(Debug, Clone)]
struct Active {
    rule: Rule,
    severity: Severity,
    scopes: ScopeSet,
}

/// What a match of the phrase automaton belongs to; the automaton's ids index a table of these.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A phrase of the active rule at this index.
    Phrase(usize),
    /// An anchor literal of the pattern rule at this index.
    Anchor(usize),
    /// Phrase `feature` of the score rule at index `rule`.
    Feature { rule: usize, feature: usize },
}

/// Every loaded rule compiled for checking drafts; build once, check many.
#[derive(Debug, Clone)]
pub struct Linter {
    set: RuleSet,
    active: Vec<Active>,
    /// Every phrase, the anchor literals of pattern rules and the phrases score rules weigh,
    /// in one automaton.
    phrases: PhraseSet,
    /// What each automaton id belongs to.
    targets: Vec<Target>,
    /// Pattern rules without usable anchors: they run over the whole normalised text.
    unanchored: Vec<usize>,
    replacements: HashMap<String, String>,
    allow: PhraseSet,
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
        let unknown: Vec<LoadError> = settings
            .named_rules()
            .filter(|s| set.get(&s.value).is_none())
            .map(|s| {
                let at = s
                    .origin
                    .clone()
                    .unwrap_or_else(|| Location::file(&Arc::from("<settings>")));
                LoadError::new(
                    at,
                    format!("unknown rule `{}` (see `redline rules`)", s.value),
                )
            })
            .collect();
        let mut allowed = Vec::new();
        let mut errors = unknown;
        for a in &settings.allow {
            match expand_phrase(&a.value) {
                Ok(v) => allowed.extend(v),
                Err((_, msg)) => errors.push(LoadError::new(
                    a.origin
                        .clone()
                        .unwrap_or_else(|| Location::file(&Arc::from("<settings>"))),
                    format!("allowed phrase: {msg}"),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }

        let active: Vec<Active> = set
            .rules
            .iter()
            .filter(|r| settings.is_enabled(&r.id, r.enabled))
            .map(|r| Active {
                rule: r.clone(),
                severity: settings.severity_of(&r.id, r.severity),
                scopes: scope_set(&r.scopes),
            })
            .collect();
        let mut builder = PhraseSet::builder();
        let mut replacements = HashMap::new();
        let mut unanchored = Vec::new();
        let mut targets = Vec::new();
        let mut target = |t: Target| {
            targets.push(t);
            (targets.len() - 1) as u32
        };
        for (i, a) in active.iter().enumerate() {
            match &a.rule.kind {
                RuleKind::Phrase(phrases) => {
                    let id = target(Target::Phrase(i));
                    for p in phrases {
                        builder.phrase(id, &p.text);
                        if let Some(r) = &p.replace {
                            replacements.insert(fold(&p.text), r.clone());
                        }
                    }
                }
                RuleKind::Pattern(re) => match patterns::anchors(re.as_str()) {
                    Some(literals) => {
                        let id = target(Target::Anchor(i));
                        for l in literals {
                            builder.anchor(id, &l);
                        }
                    }
                    None => unanchored.push(i),
                },
                RuleKind::Score(score) => {
                    for (feature, (phrase, _)) in score.phrases.iter().enumerate() {
                        builder.phrase(target(Target::Feature { rule: i, feature }), phrase);
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
        Ok(Linter {
            set,
            active,
            phrases,
            targets,
            unanchored,
            replacements,
            allow,
        })
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

    /// Whether a rule runs, and at what severity, under this linter's settings.
    pub fn effective(&self, id: &str) -> Option<Severity> {
        self.active
            .iter()
            .find(|a| a.rule.id == id)
            .map(|a| a.severity)
    }

    /// Checks a draft (plain text, Markdown, or a raw message with headers).
    pub fn check(&self, text: &str) -> Vec<Finding> {
        self.check_document(&Document::parse(text))
    }

    /// Checks a parsed draft. Findings are sorted by position; spans are byte offsets into
    /// the document's text.
    pub fn check_document(&self, doc: &Document) -> Vec<Finding> {
        let text = doc.text();
        let silenced = markers::disabled_by_markers(text);
        let allowed = self.allow.find(text);
        let mut out = Vec::new();
        let emit = |a: &Active, span: std::ops::Range<usize>, out: &mut Vec<Finding>| {
            if span.is_empty()
                || !doc.scopes_of(span.clone()).intersects(a.scopes)
                || allowed
                    .iter()
                    .any(|m| m.span.start <= span.start && span.end <= m.span.end)
            {
                return;
            }
            out.push(self.finding(doc, a, span));
        };

        let mut windows: HashMap<usize, Vec<std::ops::Range<usize>>> = HashMap::new();
        let mut features = FeatureCounts::default();
        for m in self.phrases.find(text) {
            match self.targets[m.id as usize] {
                Target::Phrase(rule) => emit(&self.active[rule], m.span, &mut out),
                Target::Anchor(rule) => windows.entry(rule).or_default().push(m.span),
                Target::Feature { rule, feature } => {
                    let in_scope = doc
                        .scopes_of(m.span.clone())
                        .intersects(self.active[rule].scopes);
                    let is_allowed = allowed
                        .iter()
                        .any(|a| a.span.start <= m.span.start && m.span.end <= a.span.end);
                    if in_scope && !is_allowed {
                        features.add(&self.active, rule, feature, m.span);
                    }
                }
            }
        }
        for (rule, anchors) in windows {
            let a = &self.active[rule];
            if let RuleKind::Pattern(re) = &a.rule.kind {
                for span in patterns::find_near(text, re, &anchors) {
                    emit(a, span, &mut out);
                }
            }
        }
        for &rule in &self.unanchored {
            let a = &self.active[rule];
            if let RuleKind::Pattern(re) = &a.rule.kind {
                for span in patterns::find_all(text, re) {
                    emit(a, span, &mut out);
                }
            }
        }
        let mut stats: Vec<(ScopeSet, metrics::Stats)> = Vec::new();
        for a in &self.active {
            match &a.rule.kind {
                RuleKind::Structure(s) => {
                    for span in structure::find(text, s) {
                        emit(a, span, &mut out);
                    }
                }
                RuleKind::Metric(m) => {
                    let i = match stats.iter().position(|(s, _)| *s == a.scopes) {
                        Some(i) => i,
                        None => {
                            stats.push((a.scopes, metrics::Stats::of(doc, a.scopes)));
                            stats.len() - 1
                        }
                    };
                    if let Some(hit) =
                        metrics::evaluate(&stats[i].1, m).filter(|h| !h.span.is_empty())
                    {
                        let mut f = self.finding(doc, a, hit.span.clone());
                        f.message = metrics::interpolate(&a.rule.message, m.measure, &hit);
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
        out.retain(|f| !silenced.contains(&f.rule));
        let mut scored = Vec::new();
        for (i, a) in self.active.iter().enumerate() {
            let RuleKind::Score(score) = &a.rule.kind else {
                continue;
            };
            if silenced.contains(&a.rule.id) {
                continue;
            }
            let inputs = voice::inputs(doc, a.scopes, score, features.take(&self.active, i));
            let reported = |span: &std::ops::Range<usize>| {
                out.iter()
                    .any(|f| f.span.start < span.end && span.start < f.span.end)
            };
            if let Some(s) = voice::evaluate(score, &inputs, text, reported)
                && let Some(f) = self.score_finding(doc, a, score, s)
            {
                scored.push(f);
            }
        }
        out.append(&mut scored);
        out.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
        });
        out
    }

    /// The values every score rule's features take in `doc`, before weighting: what
    /// `redline train` fits weights to, measured exactly as a check measures them.
    pub fn score_inputs(&self, doc: &Document) -> Vec<(&str, ScoreInputs)> {
        let mut features = FeatureCounts::default();
        for m in self.phrases.find(doc.text()) {
            if let Target::Feature { rule, feature } = self.targets[m.id as usize]
                && doc
                    .scopes_of(m.span.clone())
                    .intersects(self.active[rule].scopes)
            {
                features.add(&self.active, rule, feature, m.span);
            }
        }
        self.active
            .iter()
            .enumerate()
            .filter_map(|(i, a)| match &a.rule.kind {
                RuleKind::Score(score) => Some((
                    a.rule.id.as_str(),
                    voice::inputs(doc, a.scopes, score, features.take(&self.active, i)),
                )),
                _ => None,
            })
            .collect()
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
        let mut f = self.finding(doc, a, scored.span);
        f.severity = band.min(a.severity);
        f.message = a
            .rule
            .message
            .replace("{value}", &format!("{:.2}", e.probability))
            .replace("{limit}", &format!("{limit:.2}"));
        f.evidence = Some(Box::new(scored.evidence));
        Some(f)
    }

    fn finding(&self, doc: &Document, a: &Active, span: std::ops::Range<usize>) -> Finding {
        let matched = doc.text()[span.clone()].to_string();
        // A structure's match is a whole list; its message quotes the intro line.
        let quoted = match a.rule.kind {
            RuleKind::Structure(_) => matched.lines().next().unwrap_or(""),
            _ => matched.as_str(),
        };
        let shown = quoted.split_whitespace().collect::<Vec<_>>().join(" ");
        let replace = match &a.rule.kind {
            RuleKind::Phrase(p) if p.iter().any(|p| p.replace.is_some()) => {
                self.replacements.get(&fold(&matched))
            }
            _ => None,
        };
        Finding {
            rule: a.rule.id.clone(),
            severity: a.severity,
            message: a.rule.message.replace("{match}", &shown),
            fix: fix::edit(doc, span.clone(), a.rule.fix.as_ref(), replace),
            span,
            matched,
            suggestions: a.rule.suggestions.clone(),
            evidence: None,
        }
    }
}

/// Occurrences of score rules' phrases found by the automaton, per rule and phrase.
#[derive(Debug, Default)]
struct FeatureCounts(HashMap<usize, Vec<(usize, Option<std::ops::Range<usize>>)>>);

impl FeatureCounts {
    fn add(
        &mut self,
        active: &[Active],
        rule: usize,
        feature: usize,
        span: std::ops::Range<usize>,
    ) {
        let counts = self
            .0
            .entry(rule)
            .or_insert_with(|| vec![(0, None); phrase_count(active, rule)]);
        let (n, first) = &mut counts[feature];
        *n += 1;
        first.get_or_insert(span);
    }

    /// The counts of one rule's phrases, in the rule's order.
    fn take(
        &mut self,
        active: &[Active],
        rule: usize,
    ) -> Vec<(usize, Option<std::ops::Range<usize>>)> {
        self.0
            .remove(&rule)
            .unwrap_or_else(|| vec![(0, None); phrase_count(active, rule)])
    }
}

fn phrase_count(active: &[Active], rule: usize) -> usize {
    match &active[rule].rule.kind {
        RuleKind::Score(s) => s.phrases.len(),
        _ => 0,
    }
}

fn fold(s: &str) -> String {
    redline_text::normalize(s).text.trim().to_string()
}

fn scope_set(scopes: &[Scope]) -> ScopeSet {
    scopes.iter().fold(ScopeSet::NONE, |set, s| {
        set.union(match s {
            Scope::Subject => ScopeSet::SUBJECT,
            Scope::Opening => ScopeSet::OPENING,
            Scope::Body => ScopeSet::BODY,
            Scope::Closing => ScopeSet::CLOSING,
            Scope::Whole => ScopeSet::WHOLE,
        })
    })
}
