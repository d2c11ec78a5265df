//! Loading packs: parse, validate, and report every problem with its file, line and column.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use redline_text::phrase_key;
use regex_syntax::hir::{Hir, HirKind};
use toml::Spanned;

use crate::error::Locator;
use crate::raw::{Kind, Manifest, RawRule, RawScore, RuleFile};
use crate::{
    Fix, LoadError, LoadErrors, Location, Metric, Pattern, Phrase, Rule, RuleKind, Scope, Score,
    Structure, Threshold, expand_phrase,
};

/// The files of one pack, read from a folder or embedded in the binary.
#[derive(Debug, Clone)]
pub struct PackSource {
    /// The folder's name, which the manifest's `name` must equal.
    pub folder: String,
    /// `(path as the user would name it, contents)`; the manifest is the file named `pack.toml`.
    pub files: Vec<(String, String)>,
}

impl PackSource {
    /// Reads `dir/pack.toml` and every other `*.toml` file directly in `dir`, in name order.
    pub fn from_dir(dir: &Path) -> Result<Self, LoadError> {
        let label: Arc<str> = dir.display().to_string().into();
        let fail = |what: &str, e: std::io::Error| {
            LoadError::new(Location::file(&label), format!("cannot read {what}: {e}"))
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| fail("rule pack folder", e))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        paths.sort();
        let mut files = Vec::with_capacity(paths.len());
        for p in paths {
            let text =
                std::fs::read_to_string(&p).map_err(|e| fail(&p.display().to_string(), e))?;
            files.push((p.display().to_string(), text));
        }
        if !files
            .iter()
            .any(|(p, _)| Path::new(p).file_name().is_some_and(|n| n == "pack.toml"))
        {
            return Err(LoadError::new(
                Location::file(&label),
                "rule pack folder has no pack.toml manifest (name, version, description)",
            ));
        }
        let folder = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default();
        Ok(PackSource { folder, files })
    }
}

/// A loaded pack's manifest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PackInfo {
    /// The pack's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// What it catches.
    pub description: String,
    /// Column names of the user's exports, by file and the name the checks use.
    pub columns: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// Every rule of every loaded pack, validated together (ids and phrases are unique across
/// packs).
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The packs, in load order.
    pub packs: Vec<PackInfo>,
    /// The rules, in load order.
    pub rules: Vec<Rule>,
    /// Positions in `rules` by id.
    pub(crate) index: HashMap<String, usize>,
}

impl RuleSet {
    /// Loads and validates packs; returns every problem found, not just the first.
    pub fn load(sources: &[PackSource]) -> Result<RuleSet, LoadErrors> {
        RuleSet::load_with_shipped(&[], sources)
    }

    /// Loads the shipped packs, then `sources`, validated together like [`RuleSet::load`].
    /// The shipped packs' regular expressions are parsed and checked but compiled only on
    /// first use (a test compiles them all); those of `sources` are compiled now, so a pattern
    /// too large to compile is reported at its position.
    pub fn load_with_shipped(
        shipped: &[PackSource],
        sources: &[PackSource],
    ) -> Result<RuleSet, LoadErrors> {
        let mut loader = Loader {
            defer_compiling: true,
            ..Loader::default()
        };
        for source in shipped {
            loader.pack(source);
        }
        loader.defer_compiling = false;
        for source in sources {
            loader.pack(source);
        }
        if loader.errors.is_empty() {
            let mut set = loader.set;
            set.index = set
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect();
            Ok(set)
        } else {
            Err(LoadErrors(loader.errors))
        }
    }

    /// The packs and those of their rules that `keep` keeps.
    pub fn subset(&self, keep: impl Fn(&Rule) -> bool) -> RuleSet {
        let rules: Vec<Rule> = self.rules.iter().filter(|r| keep(r)).cloned().collect();
        RuleSet {
            packs: self.packs.clone(),
            index: rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id.clone(), i))
                .collect(),
            rules,
        }
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.index.get(id).map(|&i| &self.rules[i])
    }

    /// The loaded rule id a mistyped `id` most likely meant: one whose name part is `id` (a
    /// pack prefix left out), or one a few letters away.
    pub fn closest_id(&self, id: &str) -> Option<&str> {
        let ids = self.rules.iter().map(|r| r.id.as_str());
        if let Some(found) = ids
            .clone()
            .find(|r| r.split_once('.').is_some_and(|(_, n)| n == id))
        {
            return Some(found);
        }
        // A few letters off, or the same first word (`buzzwords` for `buzz-phrases`).
        let budget = (id.chars().count() / 4).max(2);
        let name = |s: &'_ str| s.split_once('.').map_or(s, |(_, n)| n).to_string();
        let wanted = name(id);
        let same_start = |r: &str| {
            let common = name(r)
                .chars()
                .zip(wanted.chars())
                .take_while(|(a, b)| a == b)
                .count();
            common >= 4
        };
        ids.map(|r| (edit_distance(r, id), r))
            .filter(|&(d, r)| d <= budget || same_start(r))
            .min_by_key(|&(d, _)| d)
            .map(|(_, r)| r)
    }
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[derive(Default)]
struct Loader {
    set: RuleSet,
    errors: Vec<LoadError>,
    ids: HashMap<String, Location>,
    phrases: HashMap<String, (String, Location)>,
    /// Whether patterns are left to compile on first use (the shipped packs).
    defer_compiling: bool,
}

/// One file being loaded: its text and a locator for turning spans into locations.
struct FileCtx<'a> {
    src: &'a str,
    locator: Locator<'a>,
}

impl<'a> FileCtx<'a> {
    fn new(name: &str, src: &'a str) -> Self {
        FileCtx {
            src,
            locator: Locator::new(&name.into(), src),
        }
    }

    fn at(&self, offset: usize) -> Location {
        self.locator.at(offset)
    }

    fn err<T>(&self, spanned: &Spanned<T>, msg: impl Into<String>) -> LoadError {
        LoadError::new(self.at(spanned.span().start), msg)
    }

    /// The location of byte `offset` of a string value written at `span`: exact when the
    /// string is written without escapes, else the string's start.
    fn in_string(&self, span: std::ops::Range<usize>, value: &str, offset: usize) -> Location {
        let raw = &self.src[span.clone()];
        let quote = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
            3
        } else {
            1
        };
        match raw.get(quote..) {
            Some(body) if body.starts_with(value) => self.at(span.start + quote + offset),
            _ => self.at(span.start),
        }
    }
}

impl Loader {
    fn pack(&mut self, source: &PackSource) {
        let Some((manifest_path, manifest_src)) = source
            .files
            .iter()
            .find(|(p, _)| Path::new(p).file_name().is_some_and(|n| n == "pack.toml"))
        else {
            let label: Arc<str> = format!("{}/pack.toml", source.folder).into();
            self.errors.push(LoadError::new(
                Location::file(&label),
                "rule pack has no pack.toml manifest (name, version, description)",
            ));
            return;
        };
        let ctx = FileCtx::new(manifest_path, manifest_src);
        let manifest: Manifest = match toml::from_str(manifest_src) {
            Ok(m) => m,
            Err(e) => {
                self.errors.push(toml_error(&ctx, &e));
                return;
            }
        };
        let name = manifest.name.get_ref().clone();
        if !is_kebab(&name) {
            self.errors.push(ctx.err(
                &manifest.name,
                format!("pack name `{name}` must be lower-case kebab-case"),
            ));
        } else if !source.folder.is_empty() && source.folder != name {
            self.errors.push(ctx.err(
                &manifest.name,
                format!(
                    "pack name `{name}` differs from its folder `{}`",
                    source.folder
                ),
            ));
        }
        self.set.packs.push(PackInfo {
            name: name.clone(),
            version: manifest.version,
            description: manifest.description,
            columns: manifest.columns,
        });
        for (path, src) in &source.files {
            if std::ptr::eq(path, manifest_path) {
                continue;
            }
            let ctx = FileCtx::new(path, src);
            match toml::from_str::<RuleFile>(src) {
                Ok(file) => self.rules(&ctx, &name, file),
                Err(e) => self.rule_by_rule(&ctx, &name, &e),
            }
        }
    }

    fn rules(&mut self, ctx: &FileCtx, pack: &str, file: RuleFile) {
        for raw in file.rule {
            if let Some(rule) = self.rule(ctx, pack, raw) {
                self.set.rules.push(rule);
            }
        }
    }

    /// A rule file that did not read as a whole (`error`), read again one `[[rule]]` at a
    /// time, so that every rule's problems are reported in one run rather than the first
    /// only. Each rule is read from a copy of the file with everything else blanked out, so
    /// positions stay those of the file. A file that is not TOML at all, or whose problem
    /// lies outside its rules, reports `error` alone.
    fn rule_by_rule(&mut self, ctx: &FileCtx, pack: &str, error: &toml::de::Error) {
        let before = self.errors.len();
        if ctx.src.parse::<toml::Table>().is_ok() {
            for span in rule_spans(ctx.src) {
                match toml::from_str::<RuleFile>(&blank_outside(ctx.src, span)) {
                    Ok(file) => self.rules(ctx, pack, file),
                    Err(e) => self.errors.push(toml_error(ctx, &e)),
                }
            }
        }
        if self.errors.len() == before {
            self.errors.push(toml_error(ctx, error));
        }
    }

    /// Validates one rule; records its errors and returns it only when it has none.
    fn rule(&mut self, ctx: &FileCtx, pack: &str, raw: RawRule) -> Option<Rule> {
        let before = self.errors.len();
        let id = raw.id.get_ref().clone();
        let origin = ctx.at(raw.id.span().start);
        match id.strip_prefix(pack).and_then(|r| r.strip_prefix('.')) {
            Some(local) if is_kebab(local) => {}
            _ => self.errors.push(ctx.err(
                &raw.id,
                format!("rule id `{id}` must be `{pack}.<kebab-case-name>`"),
            )),
        }
        if let Some(first) = self.ids.get(&id) {
            self.errors.push(ctx.err(
                &raw.id,
                format!("duplicate rule id `{id}` (first declared at {first})"),
            ));
        } else {
            self.ids.insert(id.clone(), origin.clone());
        }

        let kind = *raw.kind.get_ref();
        self.check_kind_keys(ctx, &raw, kind);
        self.check_placeholders(ctx, &raw.message, kind);
        if let Some(fix) = &raw.fix
            && !matches!(kind, Kind::Phrase | Kind::Pattern)
        {
            let what = match fix.get_ref() {
                Fix::Replace(_) => "a replace fix",
                _ => "a delete fix",
            };
            self.errors.push(ctx.err(
                fix,
                format!("{what} needs a matched text; only phrase and pattern rules have one"),
            ));
        }
        let no_bad_example = raw
            .examples
            .as_ref()
            .is_none_or(|e| e.get_ref().bad.is_empty());
        if kind != Kind::Threshold && no_bad_example {
            let at = raw.examples.as_ref().map_or(raw.id.span(), Spanned::span);
            self.errors.push(LoadError::new(
                ctx.at(at.start),
                "rule needs at least one `bad` example (a text that must trigger it)",
            ));
        }

        let rule_kind = match kind {
            Kind::Phrase => self.phrase_kind(ctx, &id, &raw),
            Kind::Pattern => raw
                .pattern
                .as_ref()
                .and_then(|p| self.regex(ctx, p))
                .map(RuleKind::Pattern),
            Kind::Structure => raw.structure.as_ref().and_then(|s| {
                let intro = self.regex(ctx, &s.get_ref().intro)?;
                Some(RuleKind::Structure(Structure {
                    intro,
                    min_items: s.get_ref().min_items.max(1),
                }))
            }),
            Kind::Metric => raw.metric.as_ref().and_then(|m| {
                let r = m.get_ref();
                if r.above.is_none() && r.below.is_none() {
                    self.errors
                        .push(ctx.err(m, "a metric needs a bound: `above`, `below` or both"));
                    return None;
                }
                // Every measure is a count or a grade: a bound below 0, or not a finite
                // number, never fires or always does.
                for (name, bound) in [("above", r.above), ("below", r.below)] {
                    if let Some(v) = bound.filter(|v| !(v.is_finite() && *v >= 0.0)) {
                        self.errors.push(ctx.err(
                            m,
                            format!("`{name} = {v}` must be a finite number, 0 or more"),
                        ));
                        return None;
                    }
                }
                if let (Some(a), Some(b)) = (r.above, r.below)
                    && a < b
                {
                    self.errors.push(ctx.err(
                        m,
                        format!("`above` ({a}) below `below` ({b}) makes every draft fire"),
                    ));
                    return None;
                }
                Some(RuleKind::Metric(Metric {
                    measure: r.measure,
                    above: r.above,
                    below: r.below,
                    min_words: r.min_words,
                }))
            }),
            Kind::Threshold => raw.threshold.as_ref().and_then(|t| {
                let r = t.get_ref();
                let bounds = [r.above, r.below, r.error_above, r.error_below];
                if bounds.iter().all(Option::is_none) {
                    self.errors.push(ctx.err(
                        t,
                        "a threshold needs a bound: `above`, `below`, `error_above` or `error_below`",
                    ));
                    return None;
                }
                Some(RuleKind::Threshold(Threshold {
                    check: r.check.clone(),
                    above: r.above,
                    below: r.below,
                    error_above: r.error_above,
                    error_below: r.error_below,
                }))
            }),
            Kind::Score => raw.score.as_ref().and_then(|sc| self.score_kind(ctx, sc)),
        };
        if self.errors.len() > before {
            return None;
        }
        let mut scopes = raw.scope.map(|s| s.into_vec()).unwrap_or_default();
        if scopes.is_empty() {
            scopes.push(Scope::Body);
        }
        Some(Rule {
            id,
            pack: pack.to_string(),
            kind: rule_kind?,
            severity: raw.severity,
            scopes,
            message: raw.message.into_inner(),
            why: redline_text::one_line(&raw.why),
            instead: redline_text::one_line(&raw.instead),
            suggestions: raw.suggestions,
            fix: raw.fix.map(Spanned::into_inner),
            enabled: raw.enabled,
            examples: raw.examples.map(Spanned::into_inner).unwrap_or_default(),
            origin,
            json_texts: OnceLock::new(),
        })
    }

    /// Each kind needs its own key and no other kind's.
    fn check_kind_keys(&mut self, ctx: &FileCtx, raw: &RawRule, kind: Kind) {
        let present: [(Kind, &str, Option<std::ops::Range<usize>>); 7] = [
            (
                Kind::Phrase,
                "phrases",
                raw.phrases.as_ref().map(Spanned::span),
            ),
            (
                Kind::Phrase,
                "replace",
                raw.replace.as_ref().map(Spanned::span),
            ),
            (
                Kind::Pattern,
                "pattern",
                raw.pattern.as_ref().map(Spanned::span),
            ),
            (
                Kind::Structure,
                "structure",
                raw.structure.as_ref().map(Spanned::span),
            ),
            (
                Kind::Metric,
                "metric",
                raw.metric.as_ref().map(Spanned::span),
            ),
            (
                Kind::Threshold,
                "threshold",
                raw.threshold.as_ref().map(Spanned::span),
            ),
            (Kind::Score, "score", raw.score.as_ref().map(Spanned::span)),
        ];
        let mut has_own = false;
        for (k, key, span) in &present {
            let Some(span) = span else { continue };
            if *k == kind {
                has_own = true;
            } else {
                self.errors.push(LoadError::new(
                    ctx.at(span.start),
                    format!(
                        "`{key}` belongs to {} rules, but this rule has kind = \"{}\"",
                        k.name(),
                        kind.name()
                    ),
                ));
            }
        }
        if !has_own {
            self.errors.push(ctx.err(
                &raw.kind,
                format!(
                    "kind = \"{}\" needs `{}`",
                    kind.name(),
                    if kind == Kind::Phrase {
                        "phrases (or replace)"
                    } else {
                        kind.key()
                    }
                ),
            ));
        }
    }

    fn check_placeholders(&mut self, ctx: &FileCtx, message: &Spanned<String>, kind: Kind) {
        let allowed: &[&str] = if matches!(kind, Kind::Metric | Kind::Threshold | Kind::Score) {
            &["value", "limit"]
        } else {
            &["match"]
        };
        let mut rest = message.get_ref().as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            let name = &rest[open + 1..open + close];
            if !allowed.contains(&name) {
                self.errors.push(ctx.err(
                    message,
                    format!(
                        "unknown placeholder `{{{name}}}` in message; {} rules can use {}",
                        kind.name(),
                        allowed
                            .iter()
                            .map(|a| format!("`{{{a}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            rest = &rest[open + close + 1..];
        }
    }

    /// Validates a score rule's thresholds, features and scales.
    fn score_kind(&mut self, ctx: &FileCtx, raw: &Spanned<RawScore>) -> Option<RuleKind> {
        let r = raw.get_ref();
        let before = self.errors.len();
        let probability = |p: f64| p > 0.0 && p < 1.0;
        if !probability(r.warning) || !probability(r.error) || r.error < r.warning {
            self.errors.push(ctx.err(
                raw,
                format!(
                    "a score needs 0 < warning <= error < 1 (probabilities); got warning = {}, error = {}",
                    r.warning, r.error
                ),
            ));
        }
        if !r.intercept.is_finite() {
            self.errors
                .push(ctx.err(raw, "the score's intercept must be a finite number"));
        }
        let empty = |t: &Option<Spanned<BTreeMap<String, f64>>>| {
            t.as_ref().is_none_or(|t| t.get_ref().is_empty())
        };
        if empty(&r.phrases) && empty(&r.patterns) && r.measures.is_empty() {
            self.errors.push(ctx.err(
                raw,
                "a score needs at least one feature: `phrases`, `patterns` or `measures`",
            ));
        }
        // Each weight is checked at its own key.
        for table in [&r.phrases, &r.patterns].into_iter().flatten() {
            for (key, weight) in table.get_ref().iter().filter(|(_, w)| !w.is_finite()) {
                let at = key_at(ctx.src, table.span(), key);
                self.errors.push(LoadError::new(
                    ctx.at(at),
                    format!("the weight of `{key}` must be a finite number, not {weight}"),
                ));
            }
        }
        let mut phrases = Vec::new();
        if let Some(table) = &r.phrases {
            // In file order, so a repeat is reported at the later phrase.
            let mut listed: Vec<_> = (table.get_ref().keys())
                .map(|phrase| (key_at(ctx.src, table.span(), phrase), phrase))
                .collect();
            listed.sort_by_key(|&(at, _)| at);
            let mut seen: HashMap<String, &str> = HashMap::new();
            for (at, phrase) in listed {
                let key = phrase_key(phrase);
                if key.is_empty() {
                    self.errors.push(LoadError::new(
                        ctx.at(at),
                        format!(
                            "score phrase `{phrase}` is empty once normalised and cannot match"
                        ),
                    ));
                } else if let Some(first) = seen.insert(key, phrase) {
                    self.errors.push(LoadError::new(
                        ctx.at(at),
                        format!(
                            "score phrase `{phrase}` matches what `{first}` matches (phrases ignore case and spacing); weigh it once"
                        ),
                    ));
                }
            }
            phrases.extend(table.get_ref().iter().map(|(p, &w)| (p.clone(), w)));
        }
        let mut patterns = Vec::new();
        if let Some(table) = &r.patterns {
            for (pattern, &weight) in table.get_ref() {
                let at = key_at(ctx.src, table.span(), pattern);
                let spanned = Spanned::new(at..at + pattern.len(), pattern.clone());
                if let Some(re) = self.regex(ctx, &spanned) {
                    patterns.push((re, weight));
                }
            }
        }
        for (measure, w) in &r.measures {
            if w.sd.is_nan()
                || w.sd <= 0.0
                || !w.weight.is_finite()
                || !w.mean.is_finite()
                || !w.sd.is_finite()
            {
                self.errors.push(ctx.err(
                    raw,
                    format!(
                        "measure `{}` needs a finite weight and mean and a positive sd",
                        measure.as_str()
                    ),
                ));
            }
        }
        if self.errors.len() > before {
            return None;
        }
        Some(RuleKind::Score(Score {
            intercept: r.intercept,
            warning: r.warning,
            error: r.error,
            min_words: r.min_words,
            phrases,
            patterns,
            measures: r.measures.iter().map(|(m, w)| (*m, *w)).collect(),
        }))
    }

    fn phrase_kind(&mut self, ctx: &FileCtx, id: &str, raw: &RawRule) -> Option<RuleKind> {
        let mut phrases = Vec::new();
        let listed = raw.phrases.iter().flat_map(|p| p.get_ref().iter());
        for p in listed {
            let locate = |offset| ctx.in_string(p.span(), p.get_ref(), offset);
            self.expand_into(id, p.get_ref(), &locate, None, &mut phrases);
        }
        if let Some(table) = &raw.replace {
            for (phrase, with) in table.get_ref() {
                let at = key_at(ctx.src, table.span(), phrase);
                let locate = |offset| ctx.at(at + offset);
                self.expand_into(id, phrase, &locate, Some(with), &mut phrases);
            }
        }
        Some(RuleKind::Phrase(phrases))
    }

    /// Expands one phrase as written into `out`; `locate` gives the location of a byte
    /// offset into the phrase.
    fn expand_into(
        &mut self,
        id: &str,
        phrase: &str,
        locate: &dyn Fn(usize) -> Location,
        replace: Option<&String>,
        out: &mut Vec<Phrase>,
    ) {
        let variants = match expand_phrase(phrase) {
            Ok(v) => v,
            Err((offset, msg)) => {
                self.errors.push(LoadError::new(locate(offset), msg));
                return;
            }
        };
        let location = locate(0);
        for v in variants {
            let key = phrase_key(&v);
            if key.is_empty() {
                self.errors.push(LoadError::new(
                    location.clone(),
                    format!("phrase `{v}` is empty once normalised and cannot match"),
                ));
                continue;
            }
            if let Some((other, first)) = self.phrases.get(&key) {
                self.errors.push(LoadError::new(
                    location.clone(),
                    format!("phrase `{v}` is already in rule `{other}` ({first})"),
                ));
                continue;
            }
            self.phrases.insert(key, (id.to_string(), location.clone()));
            out.push(Phrase {
                text: v.into(),
                replace: replace.cloned(),
            });
        }
    }

    /// Parses a pattern (compiling it too unless compiling is deferred) and rejects the ones
    /// that cannot match the normalised text.
    fn regex(&mut self, ctx: &FileCtx, src: &Spanned<String>) -> Option<Pattern> {
        let source = src.get_ref();
        let hir = match regex_syntax::Parser::new().parse(source) {
            Ok(hir) => hir,
            Err(e) => {
                let offsets = |s: &regex_syntax::ast::Span| s.start.offset..s.end.offset;
                let (kind, at) = match &e {
                    regex_syntax::Error::Parse(e) => (e.kind().to_string(), offsets(e.span())),
                    regex_syntax::Error::Translate(e) => (e.kind().to_string(), offsets(e.span())),
                    _ => (e.to_string(), 0..0),
                };
                self.errors.push(LoadError::new(
                    ctx.in_string(src.span(), source, at.start),
                    format!("bad regular expression: {kind}\n{}", caret(source, at)),
                ));
                return None;
            }
        };
        let problem = unmatchable_literal(&hir);
        let pattern = Pattern::parsed(source.clone(), hir);
        // Whether a pattern matches empty text can take compiling it to tell.
        let may_match_empty = pattern.hir().properties().minimum_len() == Some(0);
        if (!self.defer_compiling || may_match_empty)
            && let Err(e) = pattern.compile()
        {
            self.errors
                .push(ctx.err(src, format!("bad regular expression: {e}")));
            return None;
        }
        if pattern.matches_empty() {
            self.errors
                .push(ctx.err(src, "pattern matches empty text; it would fire everywhere"));
            return None;
        }
        if let Some(problem) = problem {
            self.errors.push(ctx.err(
                src,
                format!("pattern cannot match: {problem} (patterns run on normalised text: lower-case, one space for any whitespace, straight quotes, `-` for dashes)"),
            ));
            return None;
        }
        Some(pattern)
    }
}

/// The pattern on one line and a caret line under `span` (byte offsets), both indented by four
/// spaces, for showing where a pattern is wrong. Characters are counted, so a caret stays
/// under its character after multi-byte text.
fn caret(pattern: &str, span: std::ops::Range<usize>) -> String {
    let shown: String = pattern
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clamp = |i: usize| {
        let mut i = i.min(pattern.len());
        while !pattern.is_char_boundary(i) {
            i -= 1;
        }
        pattern[..i].chars().count()
    };
    let (from, to) = (
        clamp(span.start),
        clamp(span.end).max(clamp(span.start) + 1),
    );
    format!(
        "    {shown}\n    {}{}",
        " ".repeat(from),
        "^".repeat(to - from)
    )
}

/// Where `key` of the table starting at `span` is written in `src`: as written, or as a TOML
/// basic string writes it (backslashes and quotes escaped); the table's start when neither is
/// found. A `[table]`'s span covers only its header, so the search runs on from there.
fn key_at(src: &str, span: std::ops::Range<usize>, key: &str) -> usize {
    let table = &src[span.start..];
    let escaped = key.replace('\\', "\\\\").replace('"', "\\\"");
    table
        .find(&format!("\"{escaped}\""))
        .map(|i| i + 1)
        .or_else(|| table.find(key))
        .map_or(span.start, |i| span.start + i)
}

/// A literal in the pattern that normalised text never contains.
fn unmatchable_literal(hir: &Hir) -> Option<String> {
    match hir.kind() {
        HirKind::Literal(lit) => {
            let s = String::from_utf8_lossy(&lit.0);
            if s.chars().any(char::is_uppercase) {
                Some(format!("`{s}` has upper-case letters"))
            } else if s.contains(['\n', '\r', '\t']) || s.contains("  ") {
                Some(format!(
                    "`{}` has whitespace other than single spaces",
                    s.escape_debug()
                ))
            } else if s.contains([
                '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2013}', '\u{2014}',
            ]) {
                Some(format!("`{s}` has curly quotes or dashes"))
            } else {
                None
            }
        }
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().find_map(unmatchable_literal),
        HirKind::Capture(c) => unmatchable_literal(&c.sub),
        HirKind::Repetition(r) => unmatchable_literal(&r.sub),
        _ => None,
    }
}

/// The stretch of a rule file (which reads as TOML) that each `[[rule]]` table takes: from
/// its header to the next one. A line that reads `[[rule]]` inside a multi-line string is not
/// a header: the stretch before it would end inside the string and not read as TOML, so it is
/// taken into that stretch.
fn rule_spans(src: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for start in rule_headers(src) {
        match spans.last_mut() {
            Some(last)
                if blank_outside(src, last.start..start)
                    .parse::<toml::Table>()
                    .is_err() => {}
            Some(last) => {
                last.end = start;
                spans.push(start..src.len());
            }
            None => spans.push(start..src.len()),
        }
    }
    spans
}

/// Where each line that reads as a `[[rule]]` table header starts.
fn rule_headers(src: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    for line in src.split_inclusive('\n') {
        let header = line
            .trim_start()
            .strip_prefix("[[")
            .and_then(|rest| rest.split_once("]]"))
            .is_some_and(|(name, _)| name.trim() == "rule");
        if header {
            starts.push(at);
        }
        at += line.len();
    }
    starts
}

/// `src` with every byte outside `keep` blanked (spaces, line breaks kept), so what is kept
/// is read at its own offsets.
fn blank_outside(src: &str, keep: std::ops::Range<usize>) -> String {
    let blank = |s: &str| -> String {
        s.bytes()
            .map(|b| if b == b'\n' { '\n' } else { ' ' })
            .collect()
    };
    let mut out = blank(&src[..keep.start]);
    out.push_str(&src[keep.clone()]);
    out.push_str(&blank(&src[keep.end..]));
    out
}

fn toml_error(ctx: &FileCtx, e: &toml::de::Error) -> LoadError {
    let at = e.span().map_or(0, |s| s.start);
    LoadError::new(ctx.at(at), e.message().trim().replace('\n', " "))
}

/// Whether `s` can name a pack (and a rule's name part): lower-case kebab-case, as
/// `corporate-ai` or `team-voice-2`.
pub fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "name = \"demo\"\nversion = \"1\"\ndescription = \"d\"\n";

    fn load(rules: &str) -> Result<RuleSet, LoadErrors> {
        RuleSet::load(&[PackSource {
            folder: "demo".into(),
            files: vec![
                ("demo/pack.toml".into(), MANIFEST.into()),
                ("demo/r.toml".into(), rules.into()),
            ],
        }])
    }

    fn rule(extra: &str) -> String {
        format!(
            "[[rule]]\nid = \"demo.x\"\nseverity = \"warning\"\nmessage = \"m {{match}}\"\nwhy = \"w\"\ninstead = \"i\"\nexamples.bad = [\"b\"]\n{extra}\n"
        )
    }

    fn first_error(rules: &str) -> String {
        load(rules).unwrap_err().0[0].to_string()
    }

    #[test]
    fn a_valid_phrase_rule_loads_with_expanded_variants() {
        let set = load(&rule("kind = \"phrase\"\nphrases = [\"I (just |)wanted\"]")).unwrap();
        let RuleKind::Phrase(p) = &set.rules[0].kind else {
            panic!("not a phrase rule")
        };
        assert_eq!(p.len(), 2);
        assert_eq!(set.rules[0].scopes, vec![Scope::Body]);
        let wrapped = rule("kind = \"phrase\"\nphrases = [\"x\"]")
            .replace("why = \"w\"", "why = \"\"\"\nIt costs\n  replies.\n\"\"\"");
        assert_eq!(load(&wrapped).unwrap().rules[0].why, "It costs replies.");
    }

    #[test]
    fn unknown_keys_name_file_line_and_column() {
        let e = first_error(&rule(
            "kind = \"phrase\"\nphrases = [\"a\"]\ncolour = \"red\"",
        ));
        assert!(
            e.starts_with("demo/r.toml:10:1: unknown field `colour`"),
            "{e}"
        );
    }

    #[test]
    fn every_rule_of_a_file_reports_its_problems_in_one_run() {
        // Rule 1 has an unknown key, rule 2 is fine but for a duplicate phrase, rule 3 has
        // a value of the wrong type: all three are named, at their own lines.
        let first = rule("kind = \"phrase\"\nphrases = [\"a\"]\ncolour = \"red\"");
        let second =
            rule("kind = \"phrase\"\nphrases = [\"b\", \"b\"]").replace("demo.x", "demo.y");
        let third = rule("kind = \"phrase\"\nphrases = \"c\"").replace("demo.x", "demo.z");
        let file = format!("# demo rules\n\n{first}\n{second}\n{third}");
        let errors: Vec<String> = load(&file)
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 3, "{errors:#?}");
        assert!(
            errors[0].starts_with("demo/r.toml:12:1: unknown field `colour`"),
            "{errors:#?}"
        );
        assert!(errors[1].starts_with("demo/r.toml:"), "{errors:#?}");
        assert!(errors[1].contains("`b`"), "{errors:#?}");
        assert!(errors[2].starts_with("demo/r.toml:"), "{errors:#?}");
        let line = |e: &str| -> usize { e.split(':').nth(1).unwrap().parse().unwrap() };
        assert!(
            line(&errors[1]) > 12 && line(&errors[2]) > line(&errors[1]),
            "{errors:#?}"
        );

        // A line reading [[rule]] inside a multi-line string is no header: the rule's real
        // problem is reported, at its line, and nothing else.
        let quoted = format!(
            "{}\n{}",
            rule("kind = \"phrase\"\nphrases = [\"a\"]\nseverity2 = 1").replace(
                "why = \"w\"",
                "why = \"\"\"\nSee the table:\n[[rule]]\nid = \"demo.q\"\n\"\"\""
            ),
            rule("kind = \"phrase\"\nphrases = [\"d\"]\ncolor = 2").replace("demo.x", "demo.w")
        );
        let errors: Vec<String> = load(&quoted)
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].contains("unknown field `severity2`"),
            "{errors:#?}"
        );
        assert!(errors[1].contains("unknown field `color`"), "{errors:#?}");

        // A file that is not TOML at all reports that alone.
        let broken = format!("{first}\n[[rule]\n");
        assert_eq!(load(&broken).unwrap_err().0.len(), 1);
    }

    #[test]
    fn a_bad_scope_lists_the_scopes() {
        let e = first_error(&rule(
            "kind = \"phrase\"\nphrases = [\"a\"]\nscope = \"bodyy\"",
        ));
        assert!(
            e.starts_with("demo/r.toml:10:9: unknown variant `bodyy`, expected one of `subject`, `opening`, `body`, `closing`, `whole`, `signature`"),
            "{e}"
        );
        let e = first_error(&rule(
            "kind = \"phrase\"\nphrases = [\"a\"]\nscope = [\"body\", \"subjct\"]",
        ));
        assert!(
            e.contains("unknown variant `subjct`, expected one of"),
            "{e}"
        );
        let set = load(&rule(
            "kind = \"phrase\"\nphrases = [\"a\"]\nscope = [\"body\", \"subject\"]",
        ))
        .unwrap();
        assert_eq!(set.rules[0].scopes, vec![Scope::Body, Scope::Subject]);
    }

    #[test]
    fn a_folder_without_a_manifest_is_named_as_given() {
        let dir = std::env::temp_dir().join(format!("redline-no-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("r.toml"),
            rule("kind = \"phrase\"\nphrases = [\"a\"]"),
        )
        .unwrap();
        let e = PackSource::from_dir(&dir).unwrap_err().to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            e,
            format!(
                "{}: rule pack folder has no pack.toml manifest (name, version, description)",
                dir.display()
            )
        );
    }

    #[test]
    fn bad_regex_points_at_the_pattern() {
        let e = first_error(&rule("kind = \"pattern\"\npattern = \"a(b\""));
        assert!(
            e.starts_with("demo/r.toml:9:13: bad regular expression: unclosed group\n"),
            "{e}"
        );
        let e = first_error(&rule("kind = \"pattern\"\npattern = \"café (x|y) [z\""));
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines[1], "    café (x|y) [z", "{e}");
        assert_eq!(
            lines[2], "               ^",
            "the caret stays under `[`: {e}"
        );
    }

    #[test]
    fn patterns_that_cannot_match_normalised_text_are_rejected() {
        let e = first_error(&rule("kind = \"pattern\"\npattern = \"The current\""));
        assert!(e.contains("upper-case"), "{e}");
        let e = first_error(&rule("kind = \"pattern\"\npattern = \"a|\""));
        assert!(e.contains("matches empty text"), "{e}");
    }

    #[test]
    fn a_pattern_too_large_to_compile_is_an_error_naming_the_limit() {
        let e = first_error(&rule("kind = \"pattern\"\npattern = \"x\\\\w{5000}\""));
        assert!(
            e.contains("bad regular expression: Compiled regex exceeds size limit"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_ids_and_phrases_are_errors() {
        let one = rule("kind = \"phrase\"\nphrases = [\"Reach out\"]");
        let two = one.replace("Reach out", "reach   OUT");
        let errors = load(&format!("{one}{two}")).unwrap_err().0;
        assert!(errors[0].message.contains("duplicate rule id `demo.x`"));
        assert!(errors[1].message.contains("already in rule `demo.x`"));
    }

    #[test]
    fn kind_keys_must_agree() {
        let e = first_error(&rule("kind = \"phrase\"\npattern = \"x\""));
        assert!(e.contains("`pattern` belongs to pattern rules"), "{e}");
        let e = first_error(&rule("kind = \"metric\""));
        assert!(e.contains("needs `metric`"), "{e}");
    }

    #[test]
    fn unknown_placeholders_and_missing_examples_are_errors() {
        let e =
            first_error(&rule("kind = \"phrase\"\nphrases = [\"a\"]").replace("{match}", "{matc}"));
        assert!(e.contains("unknown placeholder `{matc}`"), "{e}");
        let e = first_error(
            &rule("kind = \"phrase\"\nphrases = [\"a\"]")
                .replace("examples.bad = [\"b\"]", "examples.good = [\"b\"]"),
        );
        assert!(e.contains("at least one `bad` example"), "{e}");
    }

    #[test]
    fn a_deeply_nested_pack_phrase_is_an_error_at_the_group_too_deep() {
        let deep = format!("{}x{}", "(".repeat(5000), ")".repeat(5000));
        let e = first_error(&rule(&format!("kind = \"phrase\"\nphrases = [\"{deep}\"]")));
        assert!(
            e.starts_with("demo/r.toml:9:13: phrase is longer than"),
            "{e}"
        );
        let deep = format!("{}x{}", "(".repeat(100), ")".repeat(100));
        let e = first_error(&rule(&format!("kind = \"phrase\"\nphrases = [\"{deep}\"]")));
        assert!(
            e.starts_with("demo/r.toml:9:29: groups nest more than 16 deep"),
            "{e}"
        );
    }

    #[test]
    fn a_mistyped_rule_id_finds_the_one_meant() {
        let one = rule("kind = \"phrase\"\nphrases = [\"a\"]");
        let two = one
            .replace("demo.x", "demo.buzz-phrases")
            .replace("[\"a\"]", "[\"b\"]");
        let set = load(&format!("{one}{two}")).unwrap();
        assert_eq!(set.closest_id("buzz-phrases"), Some("demo.buzz-phrases"));
        assert_eq!(
            set.closest_id("demo.buzz-phrase"),
            Some("demo.buzz-phrases")
        );
        assert_eq!(set.closest_id("demo.buzzwords"), Some("demo.buzz-phrases"));
        assert_eq!(set.closest_id("other.thing"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn pack_name_must_match_folder() {
        let errors = RuleSet::load(&[PackSource {
            folder: "other".into(),
            files: vec![("other/pack.toml".into(), MANIFEST.into())],
        }])
        .unwrap_err();
        assert!(errors.0[0].message.contains("differs from its folder"));
    }

    #[test]
    fn a_message_shows_its_figures_wherever_it_names_them() {
        let set = load(&rule("kind = \"phrase\"\nphrases = [\"delve\"]")).unwrap();
        let mut r = set.rules[0].clone();
        r.message = "{value} of {limit}; {value}, {other} and {match} {".into();
        assert_eq!(
            r.message_with(format_args!("{:.1}", 2.25), "3%"),
            "2.2 of 3%; 2.2, {other} and {match} {"
        );
    }

    #[test]
    fn threshold_rules_need_a_bound_but_no_text_examples() {
        let threshold = "[[rule]]\nid = \"demo.drift\"\nkind = \"threshold\"\nseverity = \"warning\"\nmessage = \"moved {value} (limit {limit})\"\nwhy = \"w\"\ninstead = \"i\"\n[rule.threshold]\ncheck = \"score-inflation\"\nabove = 5.0\nparams = { baseline_months = 3 }\n";
        let set = load(threshold).unwrap();
        let RuleKind::Threshold(t) = &set.rules[0].kind else {
            panic!("a threshold rule");
        };
        assert_eq!(t.check.name(), "score-inflation");
        assert_eq!(t.above, Some(5.0));
        let crate::threshold::Check::ScoreInflation(params) = &t.check else {
            panic!("typed parameters");
        };
        assert_eq!(params.baseline_months, 3);
        let misspelt =
            first_error(&threshold.replace("baseline_months = 3", "baselne_months = \"x\""));
        assert!(
            misspelt.starts_with("demo/r.toml:11:12: unknown field `baselne_months`"),
            "{misspelt}"
        );
        let unbounded = first_error(&threshold.replace("above = 5.0\n", ""));
        assert!(unbounded.contains("needs a bound"), "{unbounded}");
        let misplaced = first_error(&rule(
            "kind = \"phrase\"\nphrases = [\"x\"]\n[rule.threshold]\ncheck = \"low-adoption\"\nabove = 1.0",
        ));
        assert!(
            misplaced.contains("`threshold` belongs to threshold rules"),
            "{misplaced}"
        );
    }

    #[test]
    fn threshold_bounds_a_figure_cannot_cross_or_always_crosses_are_errors() {
        let share = |bounds: &str| {
            format!(
                "[[rule]]\nid = \"demo.disputes\"\nkind = \"threshold\"\nseverity = \"warning\"\nmessage = \"{{value}}\"\nwhy = \"w\"\ninstead = \"i\"\n[rule.threshold]\ncheck = \"routing-disputes\"\n{bounds}\n"
            )
        };
        assert!(load(&share("above = 0.10\nerror_above = 0.25")).is_ok());
        let e = first_error(&share("above = 10"));
        assert!(
            e.contains("`above = 10` is out of range: `routing-disputes` measures a share, 0 to 1 (10% is 0.10)"),
            "{e}"
        );
        let e = first_error(&share("above = nan"));
        assert!(e.contains("`above = NaN` is out of range"), "{e}");
        let e = first_error(&share("below = -0.5"));
        assert!(e.contains("`below = -0.5` is out of range"), "{e}");
        let e = first_error(&share("above = 0.10\nerror_above = 0.07"));
        assert!(
            e.contains("`error_above` (0.07) is nearer than `above` (0.1): an error must be further out than a warning"),
            "{e}"
        );
        let e = first_error(&share("above = 0.2\nbelow = 0.5"));
        assert!(e.contains("makes every figure fire"), "{e}");

        let metric = |bounds: &str| {
            rule(&format!(
                "kind = \"metric\"\n[rule.metric]\nmeasure = \"word_count\"\n{bounds}"
            ))
            .replace("{match}", "{value}")
        };
        assert!(load(&metric("above = 200")).is_ok());
        let e = first_error(&metric("below = inf"));
        assert!(
            e.contains("`below = inf` must be a finite number, 0 or more"),
            "{e}"
        );
        let e = first_error(&metric("above = 10\nbelow = 20"));
        assert!(e.contains("makes every draft fire"), "{e}");
    }

    #[test]
    fn score_rules_load_and_their_mistakes_are_placed() {
        let score = "[[rule]]\nid = \"demo.voice\"\nkind = \"score\"\nseverity = \"error\"\nmessage = \"AI ({value})\"\nwhy = \"w\"\ninstead = \"i\"\n[rule.score]\nintercept = -1.0\nwarning = 0.6\nerror = 0.9\n[rule.score.measures]\ndash_rate = { weight = 0.5, mean = 1.0, sd = 2.0 }\n[rule.score.phrases]\n\"delve\" = 1.2\n[rule.score.patterns]\n\"\\\\bnot just \\\\w+\" = 0.4\n[rule.examples]\nbad = [\"x\"]\n";
        let set = load(score).unwrap();
        let RuleKind::Score(s) = &set.rules[0].kind else {
            panic!("a score rule");
        };
        assert_eq!(s.phrases, [("delve".to_string(), 1.2)]);
        assert_eq!(s.patterns[0].0.as_str(), r"\bnot just \w+");
        assert_eq!(s.min_words, 40);

        let bad_regex = first_error(&score.replace(r"\\w+", r"(\\w+"));
        assert!(
            bad_regex.starts_with("demo/r.toml:17:2: bad regular expression"),
            "{bad_regex}"
        );
        let upside_down = first_error(&score.replace("error = 0.9", "error = 0.5"));
        assert!(
            upside_down.contains("0 < warning <= error < 1"),
            "{upside_down}"
        );
        let flat = first_error(&score.replace("sd = 2.0", "sd = 0.0"));
        assert!(flat.contains("measure `dash_rate` needs"), "{flat}");
        let twice =
            first_error(&score.replace("\"delve\" = 1.2", "\"delve\" = 1.2\n\"Delve\" = 2.0"));
        assert!(
            twice
                .starts_with("demo/r.toml:16:2: score phrase `Delve` matches what `delve` matches"),
            "{twice}"
        );
        let nan = first_error(&score.replace("\"delve\" = 1.2", "\"delve\" = nan"));
        assert!(
            nan.starts_with(
                "demo/r.toml:15:2: the weight of `delve` must be a finite number, not NaN"
            ),
            "{nan}"
        );
        let featureless = score
            .replace(
                "[rule.score.measures]\ndash_rate = { weight = 0.5, mean = 1.0, sd = 2.0 }\n",
                "",
            )
            .replace("[rule.score.phrases]\n\"delve\" = 1.2\n", "")
            .replace(
                "[rule.score.patterns]\n\"\\\\bnot just \\\\w+\" = 0.4\n",
                "",
            );
        let e = first_error(&featureless);
        assert!(e.contains("a score needs at least one feature"), "{e}");
    }
}
