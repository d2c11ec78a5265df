//! The command's rule flags as settings, and the linter for each input's folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use redline_email::{Linter, LinterCache, Loaded};
use redline_rules::{FailOn, Location, Setting, Settings};

use crate::RuleArgs;

/// Linters for the inputs of one command, by their folder's config.
pub struct Linters(LinterCache);

impl Linters {
    /// Linters shaped by the command's `--config`, `--pack` and `--disable` flags.
    pub fn new(args: RuleArgs) -> Self {
        Linters::with_voice(args, None)
    }

    /// As [`Linters::new`], comparing drafts with the voice profile at `voice` (`--voice`).
    pub fn with_voice(args: RuleArgs, voice: Option<PathBuf>) -> Self {
        let flags = Settings {
            voice: voice.map(Setting::flag),
            ..flags(&args)
        };
        Linters(LinterCache::new(args.config, flags))
    }

    /// As [`Linters::new`], without running folder packs' examples while loading (for
    /// `redline rules --test`, which runs and reports them itself).
    pub fn without_examples(args: RuleArgs) -> Self {
        let Linters(cache) = Linters::new(args);
        Linters(cache.skip_examples())
    }

    /// The same linters, built for checking many drafts (a folder, a mailbox): see
    /// [`redline_email::LinterBuilder::many_drafts`].
    pub fn many_drafts(self) -> Self {
        Linters(self.0.many_drafts())
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
        let fail_on = configured.fail_on_or(fail_on_flag, default);
        Some((configured.linter, fail_on))
    }

    /// The rules and settings for `dir`, loaded and validated without building a linter, and
    /// the fail-on level (the flag, the config's, or `default`). `None` when the config or
    /// packs are broken (the errors are printed).
    pub fn rules_for_dir(
        &self,
        dir: &Path,
        fail_on_flag: Option<FailOn>,
        default: FailOn,
    ) -> Option<(Loaded, FailOn)> {
        match self.0.rules_for_dir(dir) {
            Ok((loaded, fail_on)) => Some((loaded, fail_on_flag.or(fail_on).unwrap_or(default))),
            Err(errors) => {
                for e in &errors.0 {
                    eprintln!("redline: {e}");
                }
                None
            }
        }
    }
}

/// The settings `--pack` and `--disable` give, applied after every config file.
pub fn flags(args: &RuleArgs) -> Settings {
    Settings {
        toggles: args
            .disable
            .iter()
            .map(|id| {
                let flag = Location::file(&Arc::from(format!("--disable {id}")));
                let setting = Setting {
                    value: id.clone(),
                    origin: Some(flag),
                };
                (setting, false)
            })
            .collect(),
        packs: args.packs.iter().cloned().map(Setting::flag).collect(),
        ..Settings::default()
    }
}
