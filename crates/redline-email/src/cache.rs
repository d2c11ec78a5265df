//! Linters per config file: which rules and settings apply to a draft depends on the nearest
//! `.redline.toml` above it, so a tool checking many drafts keeps one linter per config file,
//! built on first use and shared across threads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use redline_rules::{ConfigFile, FailOn, LoadErrors, Settings, discover_config, user_config_path};

use crate::{Linter, Loaded};

/// A linter and the fail-on level its config asks for.
#[derive(Debug, Clone)]
pub struct Configured {
    /// The linter.
    pub linter: Arc<Linter>,
    /// The config's `fail_on`, if it sets one.
    pub fail_on: Option<FailOn>,
}

impl Configured {
    /// The level that fails a check: `flag` (a command-line flag or an editor setting) over
    /// the config's `fail_on`, over `default`.
    pub fn fail_on_or(&self, flag: Option<FailOn>, default: FailOn) -> FailOn {
        flag.or(self.fail_on).unwrap_or(default)
    }
}

type Built = Result<Configured, LoadErrors>;

/// Linters by the config file that shaped them.
///
/// Settings layer in this order, the last word winning: the user's config file, the project's
/// `.redline.toml` (or an explicit config file instead of both), then `extra` (command-line
/// flags or editor settings).
#[derive(Debug)]
pub struct LinterCache {
    explicit: Option<PathBuf>,
    extra: Settings,
    skip_examples: bool,
    many_drafts: bool,
    built: Mutex<HashMap<Option<PathBuf>, Built>>,
    configs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl LinterCache {
    /// A cache using `explicit` instead of discovery when given, with `extra` applied last.
    pub fn new(explicit: Option<PathBuf>, extra: Settings) -> Self {
        LinterCache {
            explicit,
            extra,
            skip_examples: false,
            many_drafts: false,
            built: Mutex::new(HashMap::new()),
            configs: Mutex::new(HashMap::new()),
        }
    }

    /// The linter for drafts in `dir`. When its config or packs are broken, `on_error` hears
    /// about it the first time only, and every later call gets the same errors back.
    pub fn for_dir(&self, dir: &Path, on_error: impl FnOnce(&LoadErrors)) -> Built {
        let key = match &self.explicit {
            Some(c) => Some(c.clone()),
            None => {
                let mut configs = self.configs.lock().expect("no panics while held");
                // Looked up before inserting: a folder's drafts share one entry, and a path
                // is copied only for the first of them.
                match configs.get(dir) {
                    Some(found) => found.clone(),
                    None => {
                        let canonical = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
                        let found = discover_config(&canonical);
                        configs.insert(dir.to_path_buf(), found.clone());
                        found
                    }
                }
            }
        };
        let mut built = self.built.lock().expect("no panics while held");
        if let Some(b) = built.get(&key) {
            return b.clone();
        }
        let b = self.build(key.as_deref());
        if let Err(e) = &b {
            on_error(e);
        }
        built.insert(key, b.clone());
        b
    }

    /// Builds linters without running the examples of folder packs (see
    /// [`crate::LinterBuilder::skip_examples`]).
    pub fn skip_examples(mut self) -> Self {
        self.skip_examples = true;
        self
    }

    /// Builds linters for checking many drafts (see [`crate::LinterBuilder::many_drafts`]).
    pub fn many_drafts(mut self) -> Self {
        self.many_drafts = true;
        self
    }

    /// The rules and settings for `dir`'s config, loaded and validated but compiled into no
    /// linter (nothing is cached), with the config's `fail_on`.
    pub fn rules_for_dir(&self, dir: &Path) -> Result<(Loaded, Option<FailOn>), LoadErrors> {
        let config = match &self.explicit {
            Some(c) => Some(c.clone()),
            None => discover_config(&dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())),
        };
        let settings = self.settings(config.as_deref())?;
        let fail_on = settings.fail_on;
        Ok((Linter::builder().settings(settings).load()?, fail_on))
    }

    /// The user's config (unless an explicit one is given), then `config`, then the extra
    /// settings.
    fn settings(&self, config: Option<&Path>) -> Result<Settings, LoadErrors> {
        let mut settings = Settings::default();
        let mut files: Vec<PathBuf> = Vec::new();
        if self.explicit.is_none() {
            files.extend(user_config_path().filter(|p| p.is_file()));
        }
        files.extend(config.map(Path::to_path_buf));
        for file in files {
            settings.merge(ConfigFile::load(&file)?.settings);
        }
        settings.merge(self.extra.clone());
        Ok(settings)
    }

    fn build(&self, config: Option<&Path>) -> Built {
        let settings = self.settings(config)?;
        let fail_on = settings.fail_on;
        let mut builder = Linter::builder().settings(settings);
        if self.skip_examples {
            builder = builder.skip_examples();
        }
        if self.many_drafts {
            builder = builder.many_drafts();
        }
        let linter = builder.build()?;
        Ok(Configured {
            linter: Arc::new(linter),
            fail_on,
        })
    }
}
