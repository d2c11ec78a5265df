//! The rules a server checks drafts with: built once from the config and packs, rebuilt when
//! one of those files changes or on SIGHUP, and swapped in whole so that a request in flight
//! finishes with the rules it started with.

use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redline_email::{Linter, LinterCache};
use redline_rules::{ConfigFile, FailOn, Settings, discover_config, user_config_path};
use redline_voice::Profile;
use serde_json::json;

/// One loaded set of rules, with what the read-only endpoints answer from it.
pub struct Rules {
    /// The compiled rules and settings.
    pub linter: Arc<Linter>,
    /// The fail-on level of a request that names none: the config's `fail_on`, else `error`.
    pub fail_on: FailOn,
    /// How many rules run.
    pub active: usize,
    /// The body of `GET /v1/rules`.
    pub listing: String,
    /// Writers' voice profiles by name (`--voices`: `NAME.toml` in the folder), for requests
    /// that name one.
    pub voices: BTreeMap<String, Arc<Profile>>,
}

impl Rules {
    /// The profile a request's `voice` names, or why there is none (a 400).
    pub fn voice(&self, name: &str) -> Result<&Arc<Profile>, String> {
        self.voices.get(name).ok_or_else(|| {
            if self.voices.is_empty() {
                format!("no voice profile named `{name}`: the server has none (start it with --voices DIR)")
            } else {
                let known: Vec<&str> = self.voices.keys().map(String::as_str).collect();
                format!("no voice profile named `{name}`; known: {}", known.join(", "))
            }
        })
    }
}

/// Where rules come from: a config file (explicit, or discovered from a folder as `redline
/// check` does for a draft there, plus the user's config), and settings from flags on top.
pub struct RuleSource {
    config: Option<PathBuf>,
    flags: Settings,
    dir: PathBuf,
    voices: Option<PathBuf>,
}

impl RuleSource {
    /// Rules from `config` (or `.redline.toml` discovered from `dir` and the user's config),
    /// with `flags` (extra packs, disabled rules) applied last, and the voice profiles in
    /// `voices`.
    pub fn new(
        config: Option<PathBuf>,
        flags: Settings,
        dir: PathBuf,
        voices: Option<PathBuf>,
    ) -> Self {
        RuleSource {
            config,
            flags,
            dir,
            voices,
        }
    }

    /// Loads and compiles the rules; every config and pack error, one per line, when broken.
    pub fn load(&self) -> Result<Rules, String> {
        let cache = LinterCache::new(self.config.clone(), self.flags.clone());
        let configured = cache.for_dir(&self.dir, |_| {}).map_err(|errors| {
            errors
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        let voices = match &self.voices {
            Some(dir) => load_voices(dir)?,
            None => BTreeMap::new(),
        };
        let linter = &configured.linter;
        let listing = listing(linter, &voices);
        let active = linter
            .rules()
            .iter()
            .filter(|r| linter.effective(&r.id).is_some())
            .count();
        Ok(Rules {
            active,
            linter: configured.linter,
            fail_on: configured.fail_on.unwrap_or_default(),
            listing,
            voices,
        })
    }

    /// A digest of every file the rules are read from (config files, and each `.toml` file in
    /// every extra pack folder): when it changes, the rules should be reloaded.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        let configs = self.config_files();
        let mut packs: Vec<PathBuf> = self.flags.packs.iter().map(|p| p.value.clone()).collect();
        for config in &configs {
            config.hash(&mut hasher);
            std::fs::read(config).ok().hash(&mut hasher);
            if let Ok(file) = ConfigFile::load(config) {
                packs.extend(file.settings.packs.into_iter().map(|p| p.value));
            }
        }
        for pack in packs.iter().chain(&self.voices) {
            hash_toml_files(pack, &mut hasher);
        }
        hasher.finish()
    }

    fn config_files(&self) -> Vec<PathBuf> {
        match &self.config {
            Some(c) => vec![c.clone()],
            None => {
                let dir = self.dir.canonicalize().unwrap_or_else(|_| self.dir.clone());
                user_config_path()
                    .filter(|p| p.is_file())
                    .into_iter()
                    .chain(discover_config(&dir))
                    .collect()
            }
        }
    }
}

fn hash_toml_files(dir: &Path, hasher: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        dir.hash(hasher);
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            hash_toml_files(&path, hasher);
        } else if path.extension().is_some_and(|e| e == "toml") {
            path.hash(hasher);
            std::fs::read(&path).ok().hash(hasher);
        }
    }
}

/// Every `NAME.toml` profile in `dir` (as `redline voice learn -o DIR/NAME.toml` writes
/// them), by name; every broken one, one per line, when any is.
fn load_voices(dir: &Path) -> Result<BTreeMap<String, Arc<Profile>>, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: cannot read the voices folder: {e}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut voices = BTreeMap::new();
    let mut errors = Vec::new();
    for path in paths {
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            errors.push(format!("{}: the name is not UTF-8", path.display()));
            continue;
        };
        match Profile::load(&path) {
            Ok(profile) => {
                voices.insert(name.to_string(), Arc::new(profile));
            }
            Err(e) => errors.push(match e.position {
                Some((line, column)) => {
                    format!("{}:{line}:{column}: {}", path.display(), e.message)
                }
                None => format!("{}: {}", path.display(), e.message),
            }),
        }
    }
    if errors.is_empty() {
        Ok(voices)
    } else {
        Err(errors.join("\n"))
    }
}

/// The packs, every rule (as configured: severity, whether it runs) and the voice profiles'
/// names, as JSON.
fn listing(linter: &Linter, voices: &BTreeMap<String, Arc<Profile>>) -> String {
    let rules: Vec<_> = linter
        .rules()
        .iter()
        .map(|rule| redline_report::rule_json(rule, linter.effective(&rule.id)))
        .collect();
    let packs: Vec<_> = linter
        .packs()
        .iter()
        .map(|p| json!({ "name": p.name, "version": p.version, "description": p.description }))
        .collect();
    let voices: Vec<&str> = voices.keys().map(String::as_str).collect();
    json!({ "packs": packs, "rules": rules, "voices": voices }).to_string()
}
