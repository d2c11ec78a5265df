//! Which rules and settings apply to each input: `--config`, or the user's config plus the
//! nearest `.redline.toml`, then the command-line flags. One linter per distinct config file,
//! built on first use and shared by every worker thread.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use redline_email::Linter;
use redline_rules::{ConfigFile, FailOn, Setting, Settings, discover_config, user_config_path};

use crate::RuleArgs;

type Built = Option<(Arc<Linter>, Option<FailOn>)>;

/// Linters by the config file that shaped them (`None`: no config file).
pub struct Linters {
    args: RuleArgs,
    built: Mutex<HashMap<Option<PathBuf>, Built>>,
    configs: Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Linters {
    /// No linters yet; `args` are the command's rule flags.
    pub fn new(args: RuleArgs) -> Self {
        Linters {
            args,
            built: Mutex::new(HashMap::new()),
            configs: Mutex::new(HashMap::new()),
        }
    }

    /// The linter and fail-on level for an input whose config is discovered from `dir`.
    /// `None` when its config or packs are broken (the errors are printed once).
    pub fn for_dir(
        &self,
        dir: &Path,
        fail_on_flag: Option<FailOn>,
    ) -> Option<(Arc<Linter>, FailOn)> {
        let key = match &self.args.config {
            Some(c) => Some(c.clone()),
            None => self
                .configs
                .lock()
                .expect("no panics while held")
                .entry(dir.to_path_buf())
                .or_insert_with(|| {
                    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
                    discover_config(&dir)
                })
                .clone(),
        };
        let mut built = self.built.lock().expect("no panics while held");
        let entry = built
            .entry(key.clone())
            .or_insert_with(|| build(&self.args, key.as_deref()));
        let (linter, fail_on) = entry.as_ref()?;
        Some((
            Arc::clone(linter),
            fail_on_flag.or(*fail_on).unwrap_or_default(),
        ))
    }
}

fn build(args: &RuleArgs, config: Option<&Path>) -> Built {
    let mut settings = Settings::default();
    let mut files: Vec<PathBuf> = Vec::new();
    if args.config.is_none() {
        files.extend(user_config_path().filter(|p| p.is_file()));
    }
    files.extend(config.map(Path::to_path_buf));
    for file in files {
        match ConfigFile::load(&file) {
            Ok(c) => settings.merge(c.settings),
            Err(e) => {
                eprintln!("redline: {e}");
                return None;
            }
        }
    }
    settings.merge(Settings {
        toggles: args
            .disable
            .iter()
            .map(|id| (Setting::flag(id.clone()), false))
            .collect(),
        packs: args.packs.clone(),
        ..Settings::default()
    });
    let fail_on = settings.fail_on;
    match Linter::from_settings(settings) {
        Ok(linter) => Some((Arc::new(linter), fail_on)),
        Err(errors) => {
            for e in errors.0 {
                eprintln!("redline: {e}");
            }
            None
        }
    }
}
