//! The rules a server checks drafts with: built once from the config and packs, rebuilt when
//! one of those files changes or on SIGHUP, and swapped in whole so that a request in flight
//! finishes with the rules it started with.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use redline_email::{Linter, LinterCache};
use redline_rules::{ConfigFile, FailOn, Settings, discover_config, user_config_path};
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
}

/// Where rules come from: a config file (explicit, or discovered from a folder as `redline
/// check` does for a draft there, plus the user's config), and settings from flags on top.
pub struct RuleSource {
    config: Option<PathBuf>,
    flags: Settings,
    dir: PathBuf,
}

impl RuleSource {
    /// Rules from `config` (or `.redline.toml` discovered from `dir` and the user's config),
    /// with `flags` (extra packs, disabled rules) applied last.
    pub fn new(config: Option<PathBuf>, flags: Settings, dir: PathBuf) -> Self {
        RuleSource { config, flags, dir }
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
        let linter = &configured.linter;
        let listing = listing(linter);
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
        })
    }

    /// A digest of every file the rules are read from (config files, and each `.toml` file in
    /// every extra pack folder): when it changes, the rules should be reloaded.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        let configs = self.config_files();
        let mut packs = self.flags.packs.clone();
        for config in &configs {
            config.hash(&mut hasher);
            std::fs::read(config).ok().hash(&mut hasher);
            if let Ok(file) = ConfigFile::load(config) {
                packs.extend(file.settings.packs);
            }
        }
        for pack in &packs {
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

/// The packs and every rule (as configured: severity, whether it runs), as JSON.
fn listing(linter: &Linter) -> String {
    let rules: Vec<_> = linter
        .rules()
        .iter()
        .map(|rule| {
            let effective = linter.effective(&rule.id);
            json!({
                "rule": rule.id,
                "pack": rule.pack,
                "kind": rule.kind.name(),
                "severity": effective.unwrap_or(rule.severity),
                "enabled": effective.is_some(),
                "scope": rule.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                "message": rule.message,
                "why": rule.why,
                "instead": rule.instead,
            })
        })
        .collect();
    let packs: Vec<_> = linter
        .packs()
        .iter()
        .map(|p| json!({ "name": p.name, "version": p.version, "description": p.description }))
        .collect();
    json!({ "packs": packs, "rules": rules }).to_string()
}
