//! The command's rule flags as settings, and the linter for each input's folder.

use std::path::Path;
use std::sync::Arc;

use redline_email::{Linter, LinterCache};
use redline_rules::{FailOn, Setting, Settings};

use crate::RuleArgs;

/// Linters for the inputs of one command, by their folder's config.
pub struct Linters(LinterCache);

impl Linters {
    /// Linters shaped by the command's `--config`, `--pack` and `--disable` flags.
    pub fn new(args: RuleArgs) -> Self {
        Linters(LinterCache::new(args.config.clone(), flags(&args)))
    }

    /// The linter and fail-on level for an input whose config is discovered from `dir`.
    /// `None` when its config or packs are broken (the errors are printed once).
    pub fn for_dir(
        &self,
        dir: &Path,
        fail_on_flag: Option<FailOn>,
    ) -> Option<(Arc<Linter>, FailOn)> {
        self.for_dir_or(dir, fail_on_flag, FailOn::default())
    }

    /// As [`Linters::for_dir`], with `default` as the fail-on level when neither the flag nor
    /// the config sets one.
    pub fn for_dir_or(
        &self,
        dir: &Path,
        fail_on_flag: Option<FailOn>,
        default: FailOn,
    ) -> Option<(Arc<Linter>, FailOn)> {
        let configured = self
            .0
            .for_dir(dir, |errors| {
                for e in &errors.0 {
                    eprintln!("redline: {e}");
                }
            })
            .ok()?;
        Some((
            configured.linter,
            fail_on_flag.or(configured.fail_on).unwrap_or(default),
        ))
    }
}

/// The settings `--pack` and `--disable` give, applied after every config file.
pub fn flags(args: &RuleArgs) -> Settings {
    Settings {
        toggles: args
            .disable
            .iter()
            .map(|id| (Setting::flag(id.clone()), false))
            .collect(),
        packs: args.packs.clone(),
        ..Settings::default()
    }
}
