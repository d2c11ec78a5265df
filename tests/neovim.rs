//! Neovim, configured only by `editors/neovim`, runs `redline lsp` headless: it opens a draft,
//! shows redline's diagnostics at the right byte columns, hovers, lists code actions and
//! applies the fix, and the diagnostic goes away.
//!
//! Needs `nvim` (Debian's `neovim`; `.ci/run` installs it). Without it the test says so and
//! passes, unless `REDLINE_REQUIRE_EDITORS` is set, as CI sets it.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::Scratch;

fn nvim_available() -> bool {
    Command::new("nvim").arg("--version").output().is_ok()
}

#[test]
fn neovim_shows_diagnostics_hovers_and_applies_a_fix() {
    if !nvim_available() {
        assert!(
            std::env::var_os("REDLINE_REQUIRE_EDITORS").is_none(),
            "nvim is not installed (apt-get install neovim)"
        );
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let s = Scratch::new();
    let draft = s.write(
        "draft.txt",
        "Hi Dana,\n\n🚀 I hope this finds you well. The Denver numbers are in.\n\nSam\n",
    );
    let out = s.0.join("nvim.json");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "--cmd"])
        .arg(format!(
            "set runtimepath^={}",
            root.join("editors/neovim").display()
        ))
        .arg("-S")
        .arg(root.join("tests/editors/neovim-session.lua"))
        .env("REDLINE_BIN", env!("CARGO_BIN_EXE_redline"))
        .env("REDLINE_NVIM_DRAFT", &draft)
        .env("REDLINE_NVIM_OUT", &out)
        .env("XDG_CONFIG_HOME", s.0.join("xdg"))
        .env("XDG_STATE_HOME", s.0.join("state"))
        .env("XDG_DATA_HOME", s.0.join("data"))
        .current_dir(&s.0)
        .status()
        .expect("nvim runs");
    assert!(status.success(), "nvim exited with {status}");
    let seen: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("nvim wrote"))
        .expect("JSON from the session script");
    assert!(seen.get("error").is_none(), "{seen:#}");
    assert_eq!(seen["filetype"], "text");
    assert_eq!(seen["got_diagnostics"], true, "{seen:#}");

    let hope = &seen["diagnostics"][0];
    assert_eq!(
        hope["code"], "corporate-ai.hope-this-finds-you-well",
        "{seen:#}"
    );
    assert_eq!(hope["source"], "redline");
    assert_eq!(hope["severity"], 1, "an error");
    assert_eq!(hope["lnum"], 2);
    assert_eq!(hope["col"], 5, "after 🚀 (4 bytes) and a space");
    assert_eq!(hope["end_col"], 31, "the phrase, without its full stop");

    let hover = seen["hover"].as_str().expect("a hover");
    assert!(hover.contains("Why it hurts"), "{hover}");
    let actions: Vec<&str> = seen["actions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(actions.contains(&"Delete it"), "{actions:?}");
    assert!(
        actions.contains(&"Disable corporate-ai.hope-this-finds-you-well for this draft"),
        "{actions:?}"
    );
    assert_eq!(
        seen["fixed_line"], "The Denver numbers are in.",
        "the fix deletes the sentence (its leading emoji too)"
    );
    assert!(
        seen["after_fix"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "corporate-ai.hope-this-finds-you-well"),
        "{seen:#}"
    );
}
