//! The user's settings: `.redline.toml` files and command-line flags, merged.
//!
//! A project's `.redline.toml` is found from the checked file's folder upward; the user's own
//! file (`$XDG_CONFIG_HOME/redline/config.toml`, else `~/.config/redline/config.toml`) applies
//! first, the project's file after it, and command-line flags last.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use crate::error::Locator;
use crate::{LoadError, Location, Severity};

/// The name of a project's config file.
pub const CONFIG_FILE_NAME: &str = ".redline.toml";

/// The lowest severity that fails a check (makes `redline check` exit 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Only errors block.
    #[default]
    Error,
    /// Warnings and errors block.
    Warning,
    /// Every finding blocks.
    Info,
    /// Nothing blocks; findings are advice.
    Never,
}

impl FailOn {
    /// Whether a finding of `severity` fails the check.
    pub fn blocks(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// A `.redline.toml` file as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    /// Rules to turn off, by id.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    disable: Vec<Spanned<String>>,
    /// Rules to turn on (rules a pack ships disabled), by id.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    enable: Vec<Spanned<String>>,
    /// Severity overrides: rule id to `error`, `warning` or `info`.
    #[schemars(with = "Option<BTreeMap<String, Severity>>")]
    severity: Option<BTreeMap<Spanned<String>, Severity>>,
    /// Extra rule-pack folders, relative to this file.
    #[serde(default)]
    #[schemars(with = "Vec<PathBuf>")]
    packs: Vec<Spanned<PathBuf>>,
    /// Phrases the writer accepts; findings inside them are dropped (alternation allowed).
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    allow: Vec<Spanned<String>>,
    /// The lowest severity that fails `redline check` (default `error`).
    fail_on: Option<FailOn>,
    /// Your voice profile (from `redline voice learn`), relative to this file: drafts that do
    /// not sound like you get `voice.not-your-voice`.
    #[schemars(with = "Option<PathBuf>")]
    voice: Option<Spanned<PathBuf>>,
}

/// A value and where it was set (`None`: a command-line flag or an editor setting).
#[derive(Debug, Clone, PartialEq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// The config file position that set it.
    pub origin: Option<Location>,
}

impl<T> Setting<T> {
    /// A value set outside any file.
    pub fn flag(value: T) -> Self {
        Setting {
            value,
            origin: None,
        }
    }
}

/// Settings merged from config files and flags; later sources win.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// Rules turned on (`true`) or off (`false`), in the order set: the last word wins.
    pub toggles: Vec<(Setting<String>, bool)>,
    /// Severity overrides.
    pub severity: Vec<(Setting<String>, Severity)>,
    /// Extra rule-pack folders (absolute or relative to the working directory), with where
    /// each was named.
    pub packs: Vec<Setting<PathBuf>>,
    /// Accepted phrases.
    pub allow: Vec<Setting<String>>,
    /// The lowest severity that fails a check.
    pub fail_on: Option<FailOn>,
    /// The writer's voice profile (absolute or relative to the working directory).
    pub voice: Option<Setting<PathBuf>>,
}

impl Settings {
    /// Applies `later` on top of these settings.
    pub fn merge(&mut self, later: Settings) {
        self.toggles.extend(later.toggles);
        self.severity.extend(later.severity);
        self.packs.extend(later.packs);
        self.allow.extend(later.allow);
        if later.fail_on.is_some() {
            self.fail_on = later.fail_on;
        }
        if later.voice.is_some() {
            self.voice = later.voice;
        }
    }

    /// Whether rule `id` ends up enabled, given its pack default.
    pub fn is_enabled(&self, id: &str, default: bool) -> bool {
        self.toggles
            .iter()
            .rev()
            .find(|(s, _)| s.value == id)
            .map_or(default, |&(_, on)| on)
    }

    /// Whether the settings name rule `id`'s severity (rather than leaving the pack's).
    pub fn sets_severity(&self, id: &str) -> bool {
        self.severity.iter().any(|(s, _)| s.value == id)
    }

    /// The severity rule `id` ends up with.
    pub fn severity_of(&self, id: &str, default: Severity) -> Severity {
        self.severity
            .iter()
            .rev()
            .find(|(s, _)| s.value == id)
            .map_or(default, |(_, sev)| *sev)
    }

    /// Every rule id the settings name, with where it was named, to check against the loaded
    /// rules.
    pub fn named_rules(&self) -> impl Iterator<Item = &Setting<String>> {
        self.toggles
            .iter()
            .map(|(s, _)| s)
            .chain(self.severity.iter().map(|(s, _)| s))
    }
}

/// A loaded config file.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// What it sets.
    pub settings: Settings,
}

impl ConfigFile {
    /// Reads and validates a config file.
    pub fn load(path: &Path) -> Result<ConfigFile, LoadError> {
        let label: Arc<str> = path.display().to_string().into();
        let bytes = std::fs::read(path).map_err(|e| {
            LoadError::new(Location::file(&label), format!("cannot read config: {e}"))
        })?;
        let src = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let before = std::str::from_utf8(&e.as_bytes()[..valid]).expect("valid up to here");
            LoadError::new(
                Location::at(&label, before, valid),
                "not UTF-8 text (save the config as UTF-8)",
            )
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::parse(&label, &src, base).map(|settings| ConfigFile {
            path: path.to_path_buf(),
            settings,
        })
    }

    /// Parses config text; `label` names it in errors and `base` resolves relative pack paths.
    pub fn parse(label: &Arc<str>, src: &str, base: &Path) -> Result<Settings, LoadError> {
        let locator = Locator::new(label, src);
        let raw: RawConfig = toml::from_str(src).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            LoadError::new(locator.at(at), e.message().trim().replace('\n', " "))
        })?;
        // One file both turning a rule off and on says two things; which it meant is unknown.
        if let Some(both) =
            (raw.enable.iter()).find(|e| raw.disable.iter().any(|d| d.get_ref() == e.get_ref()))
        {
            return Err(LoadError::new(
                locator.at(both.span().start),
                format!(
                    "`{}` is in both `enable` and `disable`; keep the one you mean",
                    both.get_ref()
                ),
            ));
        }
        let located = |s: Spanned<String>| Setting {
            origin: Some(locator.at(s.span().start)),
            value: s.into_inner(),
        };
        // Located in file order, so the locator reads the file once.
        let mut severity: Vec<_> = raw.severity.unwrap_or_default().into_iter().collect();
        severity.sort_by_key(|(s, _)| s.span().start);
        Ok(Settings {
            toggles: (raw.disable.into_iter().map(|s| (located(s), false)))
                .chain(raw.enable.into_iter().map(|s| (located(s), true)))
                .collect(),
            severity: severity
                .into_iter()
                .map(|(id, sev)| (located(id), sev))
                .collect(),
            packs: (raw.packs.into_iter())
                .map(|p| Setting {
                    origin: Some(locator.at(p.span().start)),
                    value: base.join(p.into_inner()),
                })
                .collect(),
            allow: raw.allow.into_iter().map(located).collect(),
            fail_on: raw.fail_on,
            voice: raw.voice.map(|v| Setting {
                origin: Some(Location::at(label, src, v.span().start)),
                value: base.join(v.into_inner()),
            }),
        })
    }
}

/// The nearest `.redline.toml` in `start` or a folder above it. Anything of that name counts,
/// a folder or a broken link too, so that it is reported as unreadable rather than passed
/// over for a config further up.
pub fn discover_config(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE_NAME))
        .find(|p| p.symlink_metadata().is_ok())
}

/// The user's own config file, if the environment names a place for it.
pub fn user_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("redline").join("config.toml"))
}

pub(crate) fn schema() -> schemars::Schema {
    schemars::schema_for!(RawConfig)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<Settings, LoadError> {
        ConfigFile::parse(&Arc::from("cfg.toml"), src, Path::new("/proj"))
    }

    #[test]
    fn a_config_that_is_not_utf8_is_placed_at_the_bad_byte() {
        let path = std::env::temp_dir().join(format!("redline-cfg-{}.toml", std::process::id()));
        std::fs::write(&path, b"disable = [\"a.b\"]\nfail_on = \"nev\xffer\"\n").unwrap();
        let e = ConfigFile::load(&path).unwrap_err().to_string();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            e,
            format!(
                "{}:2:15: not UTF-8 text (save the config as UTF-8)",
                path.display()
            )
        );
    }

    #[test]
    fn a_rule_both_enabled_and_disabled_in_one_file_is_an_error_at_the_enable() {
        let e = parse("disable = [\"a.b\"]\nenable = [\"a.c\", \"a.b\"]\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "cfg.toml:2:18: `a.b` is in both `enable` and `disable`; keep the one you mean"
        );
    }

    #[test]
    fn reads_every_setting() {
        let s = parse(
            "disable = [\"a.b\"]\nallow = [\"leverage\"]\npacks = [\"team\"]\nfail_on = \"warning\"\nvoice = \"me.toml\"\n[severity]\n\"a.c\" = \"info\"\n",
        )
        .unwrap();
        let voice = s.voice.as_ref().unwrap();
        assert_eq!(voice.value, PathBuf::from("/proj/me.toml"));
        assert_eq!(voice.origin.as_ref().unwrap().to_string(), "cfg.toml:5:9");
        assert!(!s.is_enabled("a.b", true));
        assert_eq!(s.severity_of("a.c", Severity::Error), Severity::Info);
        assert_eq!(s.packs[0].value, PathBuf::from("/proj/team"));
        assert_eq!(
            s.packs[0].origin.as_ref().unwrap().to_string(),
            "cfg.toml:3:10"
        );
        assert_eq!(s.fail_on, Some(FailOn::Warning));
        assert_eq!(
            s.toggles[0].0.origin.as_ref().unwrap().to_string(),
            "cfg.toml:1:12"
        );
    }

    #[test]
    fn unknown_keys_are_errors_with_positions() {
        let e = parse("\ndisabled = []\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("cfg.toml:2:1: unknown field `disabled`"),
            "{e}"
        );
    }

    #[test]
    fn later_settings_win() {
        let mut s = parse("disable = [\"a.b\"]\nfail_on = \"info\"").unwrap();
        s.merge(parse("enable = [\"a.b\"]").unwrap());
        assert_eq!(s.fail_on, Some(FailOn::Info));
        assert!(s.is_enabled("a.b", false), "the later file's enable wins");
        assert!(FailOn::Warning.blocks(Severity::Error));
        assert!(!FailOn::Never.blocks(Severity::Error));
    }
}
