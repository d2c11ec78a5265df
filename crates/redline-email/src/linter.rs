//! Building a linter from packs and settings, and running it over a draft.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use redline_phrase::PhraseSet;
use redline_rules::{
    Finding, LoadError, LoadErrors, Location, PackSource, Rule, RuleKind, RuleSet, Scope, Setting,
    Settings, Severity, expand_phrase,
};
use redline_text::{Document, ScopeSet, phrase_key};

use crate::{fix, markers, metrics, patterns, structure};

/// Collects packs and settings for a [`Linter`].
#[derive(Debug, Default)]
pub struct LinterBuilder {
    builtin: bool,
    sources: Vec<PackSource>,
    pack_dirs: Vec<PathBuf>,
    settings: Settings,
    skip_examples: bool,
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

    /// Loads packs from folders without running their examples (for `redline rules --test`,
    /// which reports every example itself). By default a folder pack whose `bad` example does
    /// not fire, or whose `good` example does, is an error.
    pub fn skip_examples(mut self) -> Self {
        self.skip_examples = true;
        self
    }

    /// Loads and validates the packs, applies the settings, and compiles the matchers. Packs
    /// from folders must pass their own examples (the shipped packs are tested in CI).
    pub fn build(self) -> Result<Linter, LoadErrors> {
        let mut extra = self.sources;
        let mut errors = Vec::new();
        let mut from_dirs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for dir in &self.pack_dirs {
            // The same folder named twice (by a config and a flag, say) is one pack.
            if !seen.insert(dir.canonicalize().unwrap_or_else(|_| dir.clone())) {
                continue;
            }
            match PackSource::from_dir(dir) {
                Ok(source) => {
                    from_dirs.push(source.folder.clone());
                    extra.push(source);
                }
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
        let linter = Linter::compile(set, self.settings)?;
        if !self.skip_examples && !from_dirs.is_empty() {
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
    rule: Rule,
    severity: Severity,
    scopes: ScopeSet,
}

/// What an id in the phrase automaton stands for: a phrase rule's phrases, or the anchor
/// literals of a pattern rule (where its regex may match). Each holds an index into the
/// linter's active rules.
#[derive(Debug, Clone, Copy)]
enum Entry {
    Phrase(usize),
    Anchor(usize),
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
                let hint = match set.closest_id(&s.value) {
                    Some(id) => format!("; did you mean `{id}`?"),
                    None => " (see `redline rules`)".into(),
                };
                LoadError::new(origin(s), format!("unknown rule `{}`{hint}", s.value))
            })
            .collect();
        let mut allowed = Vec::new();
        let mut errors = unknown;
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
        let by_id = active
            .iter()
            .enumerate()
            .map(|(i, a)| (a.rule.id.clone(), i))
            .collect();
        let mut builder = PhraseSet::builder();
        let mut entries = Vec::new();
        let mut replacements = HashMap::new();
        let mut unanchored = Vec::new();
        for (i, a) in active.iter().enumerate() {
            let id = entries.len() as u32;
            match &a.rule.kind {
                RuleKind::Phrase(phrases) => {
                    entries.push(Entry::Phrase(i));
                    for p in phrases {
                        builder.phrase(id, &p.text);
                        if let Some(r) = &p.replace {
                            replacements.insert(phrase_key(&p.text), r.clone());
                        }
                    }
                }
                RuleKind::Pattern(re) => match patterns::anchors(re.as_str()) {
                    Some(literals) => {
                        entries.push(Entry::Anchor(i));
                        for l in literals {
                            builder.anchor(id, &l);
                        }
                    }
                    None => unanchored.push(i),
                },
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
            by_id,
            phrases,
            entries,
            unanchored,
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
        for m in self.phrases.find(text) {
            match self.entries[m.id as usize] {
                Entry::Anchor(rule) => windows.entry(rule).or_default().push(m.span),
                Entry::Phrase(rule) => emit(&self.active[rule], m.span, &mut out),
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
                // Threshold rules measure CRM exports (`redline pipeline`), not drafts.
                RuleKind::Phrase(_) | RuleKind::Pattern(_) | RuleKind::Threshold(_) => {}
            }
        }
        out.retain(|f| !silenced.contains(&f.rule));
        out.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
        });
        out
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
                self.replacements.get(&phrase_key(&matched))
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
        }
    }
}

/// Where a setting was made, for an error about it: its file position, or the flag or
/// editor setting that made it.
fn origin(s: &Setting<String>) -> Location {
    s.origin
        .clone()
        .unwrap_or_else(|| Location::file(&Arc::from(format!("setting `{}`", s.value))))
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
