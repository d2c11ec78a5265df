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
        let Loaded { set, settings } = self.load()?;
        Linter::compile(set, settings)
    }

    /// Loads and validates the packs and checks that the settings name only rules they
    /// hold, without compiling any matcher: for tools that only read the rules
    /// (`redline pipeline`'s threshold rules).
    pub fn load(self) -> Result<Loaded, LoadErrors> {
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
        errors.extend(
            self.settings
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
                }),
        );
        if !errors.is_empty() {
            return Err(LoadErrors(errors));
        }
        Ok(Loaded {
            set,
            settings: self.settings,
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
}

impl Loaded {
    /// The severity a rule runs at under the settings; `None` when it is turned off.
    pub fn effective(&self, rule: &Rule) -> Option<Severity> {
        self.settings
            .is_enabled(&rule.id, rule.enabled)
            .then(|| self.settings.severity_of(&rule.id, rule.severity))
    }
}

/// A rule as this linter runs it: severity and enablement after settings.
#[derive(Debug, Clone)]
struct Active {
    rule: Rule,
    severity: Severity,
    scopes: ScopeSet,
}

/// Every loaded rule compiled for checking drafts; build once, check many.
#[derive(Debug, Clone)]
pub struct Linter {
    set: RuleSet,
    active: Vec<Active>,
    /// Every phrase, and the anchor literals of pattern rules, in one automaton.
    phrases: PhraseSet,
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
        let mut allowed = Vec::new();
        let mut errors = Vec::new();
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
        for (i, a) in active.iter().enumerate() {
            match &a.rule.kind {
                RuleKind::Phrase(phrases) => {
                    for p in phrases {
                        builder.phrase(i as u32, &p.text);
                        if let Some(r) = &p.replace {
                            replacements.insert(fold(&p.text), r.clone());
                        }
                    }
                }
                RuleKind::Pattern(re) => match patterns::anchors(re.as_str()) {
                    Some(literals) => {
                        for l in literals {
                            builder.anchor(i as u32 | patterns::ANCHOR, &l);
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
            phrases,
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
        for m in self.phrases.find(text) {
            if m.id & patterns::ANCHOR != 0 {
                let rule = (m.id & !patterns::ANCHOR) as usize;
                windows.entry(rule).or_default().push(m.span);
            } else {
                emit(&self.active[m.id as usize], m.span, &mut out);
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
        }
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
