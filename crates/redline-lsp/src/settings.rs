//! The editor's settings: the keys of `.redline.toml`, with the same names and meaning, plus
//! `debounce_ms`, which only an editor has.
//!
//! They arrive as `initializationOptions` and in `workspace/didChangeConfiguration`, possibly
//! under a `redline` key, and apply on top of the config files (the last word wins, as
//! command-line flags do for `redline check`). A key the server does not know is named in a
//! warning and the rest still apply; a value of the wrong type rejects the whole change, so a
//! typo never half-applies.
//!
//! A new `.redline.toml` key is one field here and one line in [`EditorSettings::config`]; a
//! test fails until it is added.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use redline_rules::{FailOn, Setting, Settings, Severity};
use serde::Deserialize;
use serde_json::Value;

/// How long edits must be quiet before a draft that is being edited is checked again.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(5);

/// The longest debounce window an editor may ask for.
const MAX_DEBOUNCE: Duration = Duration::from_secs(5);

/// Settings as an editor sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditorSettings {
    /// Rules to turn off, by id.
    disable: Vec<String>,
    /// Rules to turn on (rules a pack ships disabled), by id.
    enable: Vec<String>,
    /// Severity overrides: rule id to `error`, `warning` or `info`.
    severity: BTreeMap<String, Severity>,
    /// Extra rule-pack folders, relative to the first workspace folder.
    packs: Vec<PathBuf>,
    /// Phrases the writer accepts (alternation allowed).
    allow: Vec<String>,
    /// The lowest severity that blocks sending; unset or null leaves it to the config files.
    fail_on: Option<FailOn>,
    /// Quiet time after a burst of edits before the next check, in milliseconds.
    debounce_ms: Option<u64>,
    /// The writer's voice profile (from `redline voice learn`), relative to the first
    /// workspace folder; unset or null leaves it to the config files.
    voice: Option<PathBuf>,
    /// Keys this server does not know, to name in a warning.
    #[serde(flatten)]
    unknown: BTreeMap<String, Value>,
}

impl EditorSettings {
    /// Reads the settings from a client's JSON, with or without a `redline` key around them.
    pub fn from_json(value: &Value) -> Result<Self, String> {
        let value = value.get("redline").unwrap_or(value);
        // Neovim's Lua encodes an empty settings table as `[]`.
        if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
            return Ok(Self::default());
        }
        serde_json::from_value(value.clone()).map_err(|e| format!("editor settings: {e}"))
    }

    /// A warning naming the keys that were ignored, if any.
    pub fn ignored(&self) -> Option<String> {
        if self.unknown.is_empty() {
            return None;
        }
        let named: Vec<String> = self
            .unknown
            .keys()
            .map(|k| match renamed(k) {
                Some(now) => format!("`{k}` (now `{now}`)"),
                None => format!("`{k}`"),
            })
            .collect();
        Some(format!(
            "editor settings: ignored unknown {} {}",
            if named.len() == 1 { "key" } else { "keys" },
            named.join(", ")
        ))
    }

    /// The settings to apply on top of the config files; relative pack folders are resolved
    /// against `base` (the first workspace folder).
    pub fn config(&self, base: &Path) -> Settings {
        Settings {
            toggles: (self
                .disable
                .iter()
                .map(|id| (Setting::flag(id.clone()), false)))
            .chain(
                self.enable
                    .iter()
                    .map(|id| (Setting::flag(id.clone()), true)),
            )
            .collect(),
            severity: self
                .severity
                .iter()
                .map(|(id, sev)| (Setting::flag(id.clone()), *sev))
                .collect(),
            packs: self
                .packs
                .iter()
                .map(|p| Setting::flag(base.join(p)))
                .collect(),
            allow: self.allow.iter().cloned().map(Setting::flag).collect(),
            fail_on: self.fail_on,
            voice: self.voice.as_ref().map(|v| Setting::flag(base.join(v))),
        }
    }

    /// The fail-on level the editor asks for, if any.
    pub fn fail_on(&self) -> Option<FailOn> {
        self.fail_on
    }

    /// The debounce window asked for, capped at five seconds.
    pub fn debounce(&self) -> Duration {
        self.debounce_ms.map_or(DEFAULT_DEBOUNCE, |ms| {
            Duration::from_millis(ms).min(MAX_DEBOUNCE)
        })
    }
}

/// The current name of a key earlier versions of the editor settings used.
fn renamed(key: &str) -> Option<&'static str> {
    Some(match key {
        "disabledRules" => "disable",
        "extraPacks" => "packs",
        "failOn" => "fail_on",
        "debounceMs" => "debounce_ms",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_key_reads_with_or_without_the_redline_key() {
        let s = EditorSettings::from_json(&json!({"redline": {
            "disable": ["corporate-ai.long-draft"],
            "enable": ["corporate-ai.some-rule"],
            "severity": {"corporate-ai.hype-verbs": "info"},
            "packs": ["team-rules", "/abs/rules"],
            "allow": ["leverage (ratio|ratios)"],
            "fail_on": "warning",
            "debounce_ms": 40
        }}))
        .unwrap();
        assert_eq!(s.ignored(), None);
        let c = s.config(Path::new("/ws"));
        assert!(!c.is_enabled("corporate-ai.long-draft", true));
        assert!(c.is_enabled("corporate-ai.some-rule", false));
        assert_eq!(
            c.severity_of("corporate-ai.hype-verbs", Severity::Error),
            Severity::Info
        );
        let packs: Vec<&PathBuf> = c.packs.iter().map(|p| &p.value).collect();
        assert_eq!(
            packs,
            [
                &PathBuf::from("/ws/team-rules"),
                &PathBuf::from("/abs/rules")
            ]
        );
        assert_eq!(c.allow[0].value, "leverage (ratio|ratios)");
        assert_eq!(c.fail_on, Some(FailOn::Warning));
        assert_eq!(s.debounce(), Duration::from_millis(40));

        let s =
            EditorSettings::from_json(&json!({"fail_on": null, "debounce_ms": 99_999})).unwrap();
        assert_eq!(s.config(Path::new("/ws")).fail_on, None);
        assert_eq!(s.debounce(), MAX_DEBOUNCE);
        assert_eq!(
            EditorSettings::from_json(&Value::Null).unwrap().debounce(),
            DEFAULT_DEBOUNCE
        );
        let from_lua = EditorSettings::from_json(&json!([])).unwrap();
        assert_eq!(
            from_lua.ignored(),
            None,
            "Neovim's empty settings table is no settings"
        );
        let voice = EditorSettings::from_json(&json!({"voice": "me.voice.toml"})).unwrap();
        assert_eq!(
            voice.config(Path::new("/ws")).voice.map(|v| v.value),
            Some(PathBuf::from("/ws/me.voice.toml"))
        );
    }

    #[test]
    fn unknown_keys_are_named_and_wrong_types_reject_the_change() {
        let s = EditorSettings::from_json(&json!({"disabledRules": ["x"], "colour": 1})).unwrap();
        assert_eq!(
            s.ignored().unwrap(),
            "editor settings: ignored unknown keys `colour`, `disabledRules` (now `disable`)"
        );
        let e = EditorSettings::from_json(&json!({"fail_on": "sometimes"})).unwrap_err();
        assert!(e.contains("sometimes"), "{e}");
        let e = EditorSettings::from_json(&json!({"disable": "corporate-ai.x"})).unwrap_err();
        assert!(e.starts_with("editor settings: "), "{e}");
    }

    /// Every `.redline.toml` key is an editor setting too, so a key added to the config file
    /// cannot be forgotten here.
    #[test]
    fn every_config_file_key_is_an_editor_setting() {
        let schema: Value = serde_json::from_str(&redline_rules::config_schema()).unwrap();
        let keys = schema["properties"].as_object().unwrap();
        assert!(keys.len() >= 6);
        for (key, spec) in keys {
            let types = spec["type"].to_string();
            let empty = if types.contains("array") {
                json!([])
            } else if types.contains("object") {
                json!({})
            } else {
                Value::Null
            };
            let s = EditorSettings::from_json(&json!({ key: empty }))
                .unwrap_or_else(|e| panic!("{key}: {e}"));
            assert_eq!(s.ignored(), None, "`{key}` is not an editor setting");
        }
    }

    /// The VS Code extension contributes exactly these settings (plus its own `server.path`).
    #[test]
    fn the_vscode_extension_contributes_every_setting() {
        let manifest =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/vscode/package.json");
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
        let properties = manifest["contributes"]["configuration"]["properties"]
            .as_object()
            .unwrap();
        let mut sent = serde_json::Map::new();
        for (name, spec) in properties {
            let key = name.strip_prefix("redline.").unwrap();
            if key.starts_with("server.") {
                continue;
            }
            let default = match &spec["default"] {
                Value::String(s) if s.is_empty() => Value::Null,
                other => other.clone(),
            };
            sent.insert(key.to_string(), default);
        }
        let s = EditorSettings::from_json(&Value::Object(sent.clone()))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.ignored(), None);
        let schema: Value = serde_json::from_str(&redline_rules::config_schema()).unwrap();
        for key in schema["properties"].as_object().unwrap().keys() {
            assert!(sent.contains_key(key), "package.json lacks redline.{key}");
        }
        assert!(sent.contains_key("debounce_ms"));
    }
}
