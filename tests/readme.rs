//! Every example in README.md works: each fenced block is taken from the README as written and
//! loaded or run, so an example cannot drift from the code.
//!
//! - `toml` blocks: a config (`.redline.toml`) loads and checks a draft; a pack manifest's
//!   `[columns]` loads as part of a pack.
//! - `sh` blocks: every `redline` command (and `cargo run -p redline-cli --`, run as the built
//!   binary) runs in a folder holding the files the examples name (drafts, generated mail and
//!   CRM exports) and exits 0 or 1, never 2. `[…]` marks optional flags and is left out.
//!   Lines that build or test the workspace itself (`cargo …`, `scripts/…`) are not run here.
//! - The JSON Lines example has exactly the keys `check --format json` prints, and the audit's
//!   `score_bands` example those `audit --format json` prints.
//! - The inline-marker example silences the rules it names.
//!
//! The Rust library example is the crate documentation example of `redline-email`, run as a
//! doc test there.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use redline_synth::{ExportSpec, Mailbox, MailboxSpec, write_exports};
use support::{Scratch, code, json_lines, stderr, stdout};

const AI_DRAFT: &str = "Subject: Denver\n\nHi Dana,\n\nI hope this finds you well. I wanted to reach out about your new Denver office.\n\nBest,\nAlex\n";

/// The README's fenced blocks: `(language, text)`.
fn blocks() -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .expect("README.md is readable");
    let mut out = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in readme.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(lang)) => open = Some((lang.trim().to_string(), String::new())),
            (Some(_), Some(_)) => out.extend(open.take()),
            (Some((_, text)), None) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(open.is_none(), "an unclosed block in README.md");
    out
}

fn blocks_in(lang: &str) -> Vec<String> {
    let found: Vec<String> = blocks()
        .into_iter()
        .filter(|(l, _)| l == lang)
        .map(|(_, t)| t)
        .collect();
    assert!(!found.is_empty(), "README.md has no {lang} block");
    found
}

#[test]
fn config_examples_load_and_check() {
    let configs: Vec<String> = blocks_in("toml")
        .into_iter()
        .filter(|t| !t.contains("[columns."))
        .collect();
    assert!(!configs.is_empty());
    for config in configs {
        let s = Scratch::new();
        s.write("proj/.redline.toml", &config);
        // Packs the example names are team packs of the user's own; give each a manifest.
        let table: toml::Table = config.parse().expect("the example is TOML");
        for pack in table
            .get("packs")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
        {
            let dir = pack.as_str().expect("a pack is a path");
            let name = Path::new(dir).file_name().unwrap().to_string_lossy();
            s.write(
                &format!("proj/{dir}/pack.toml"),
                format!("name = \"{name}\"\nversion = \"1\"\ndescription = \"d\"\n"),
            );
        }
        // A voice profile the example names is the user's own; learn one for it.
        if let Some(profile) = table.get("voice").and_then(|v| v.as_str()) {
            for i in 0..12 {
                s.write(
                    &format!("mine/{i:02}.txt"),
                    format!(
                        "hey, build {i} looks fine here. i'll ship it tonight, don't wait up.\n"
                    ),
                );
            }
            let learned = s.run(
                &["voice", "learn", "-o", &format!("proj/{profile}"), "mine"],
                None,
            );
            assert_eq!(code(&learned), 0, "{}", stderr(&learned));
        }
        s.write("proj/draft.txt", AI_DRAFT);
        let o = s.run(&["check", "proj/draft.txt"], None);
        assert!(
            matches!(code(&o), 0 | 1),
            "the README config does not load:\n{config}\n{}",
            stderr(&o)
        );
    }
}

#[test]
fn pack_manifest_examples_load() {
    let fragments: Vec<String> = blocks_in("toml")
        .into_iter()
        .filter(|t| t.contains("[columns."))
        .collect();
    assert!(!fragments.is_empty());
    for fragment in fragments {
        let manifest = format!("name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n{fragment}");
        let set = redline_rules::RuleSet::load(&[redline_rules::PackSource {
            folder: "team".into(),
            files: vec![("team/pack.toml".into(), manifest)],
        }])
        .unwrap_or_else(|e| panic!("the README manifest does not load:\n{fragment}\n{e}"));
        assert!(!set.packs[0].columns.is_empty());
    }
}

/// A folder holding every file the README's commands name.
fn fixtures() -> Scratch {
    let s = Scratch::new();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for entry in std::fs::read_dir(&examples).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            s.write(
                &format!("examples/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read(&p).unwrap(),
            );
        }
    }
    s.write("draft.txt", AI_DRAFT);
    s.write("drafts/a.txt", AI_DRAFT);
    let mut rng = redline_synth::Rng::new(5);
    for i in 0..100 {
        let ai = redline_synth::draft(&mut rng, redline_synth::Voice::CorporateAi);
        s.write(&format!("ai-drafts/{i:03}.txt"), ai.text());
        let human = redline_synth::draft(&mut rng, redline_synth::Voice::Human);
        s.write(&format!("sent-2023/{i:03}.txt"), human.text());
    }
    let mail = Mailbox::generate(&MailboxSpec {
        seed: 1,
        messages: 300,
        ..MailboxSpec::default()
    });
    for sent in [
        "sent.mbox",
        "sent/sent.mbox",
        "sent-2025.mbox",
        "sent-2026.mbox",
    ] {
        s.write(sent, mail.sent_mbox());
    }
    s.write("inbox.mbox", mail.replies_mbox());
    s.write("inbox/replies.mbox", mail.replies_mbox());
    s.write("outcomes.csv", mail.outcomes_csv());
    let spec = ExportSpec {
        seed: 1,
        leads: 2_000,
        inject: Vec::new(),
        malformed: 0,
    };
    write_exports(&spec, &s.0.join("exports")).unwrap();
    let bin = s.0.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_redline"), bin.join("redline")).unwrap();
    s.write("bin/generate-draft", "#!/bin/sh\ncat draft.txt\n");
    let mut perms = std::fs::metadata(bin.join("generate-draft"))
        .unwrap()
        .permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(bin.join("generate-draft"), perms).unwrap();
    s
}

/// A README command line as it is run: comments and optional `[…]` parts left out, the
/// `cargo run` prefix replaced by the built binary. `None` for lines not run here.
fn runnable(line: &str) -> Option<String> {
    let line = line.split(" # ").next().unwrap_or("").trim();
    let line = line
        .strip_prefix("cargo run --release -p redline-cli -- ")
        .map_or(line.to_string(), |rest| format!("redline {rest}"));
    if line.is_empty() || line.starts_with("cargo ") || line.starts_with("scripts/") {
        return None;
    }
    let mut out = String::new();
    let mut depth = 0;
    for c in line.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    Some(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn command_examples_run() {
    let s = fixtures();
    let path = format!(
        "{}:{}",
        s.0.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    for block in blocks_in("sh") {
        for line in block.lines().filter_map(runnable) {
            assert!(
                line.contains("redline"),
                "a README command not run here: {line}"
            );
            let o = Command::new("sh")
                .args(["-c", &line])
                .current_dir(&s.0)
                .env("PATH", &path)
                .env("XDG_CONFIG_HOME", s.0.join("xdg"))
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            assert!(
                matches!(code(&o), 0 | 1),
                "README example `{line}` exited {}:\n{}",
                code(&o),
                stderr(&o)
            );
            ran += 1;
        }
    }
    assert!(ran >= 10, "only {ran} README commands ran");
}

/// The README's `json` block that holds `key`, parsed.
fn json_example(key: &str) -> serde_json::Value {
    let block = blocks_in("json")
        .into_iter()
        .find(|b| b.contains(&format!("\"{key}\"")))
        .unwrap_or_else(|| panic!("a JSON example with `{key}`"));
    serde_json::from_str(&block).expect("the README's JSON example is JSON")
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn the_json_lines_example_has_the_printed_keys() {
    let example = json_example("path");
    let s = Scratch::new();
    let o = s.run(&["check", "--format", "json", "-"], Some(AI_DRAFT));
    let printed = &json_lines(&o)[0];
    assert_eq!(keys(&example), keys(printed), "{}", stdout(&o));
}

#[test]
fn the_audit_score_bands_example_has_the_printed_keys() {
    let example = &json_example("score_bands")["score_bands"][0];
    let s = Scratch::new();
    let mail = Mailbox::generate(&MailboxSpec {
        seed: 1,
        messages: 200,
        ..MailboxSpec::default()
    });
    s.write("sent.mbox", mail.sent_mbox());
    s.write("inbox.mbox", mail.replies_mbox());
    let o = s.run(
        &[
            "audit",
            "sent.mbox",
            "--replies",
            "inbox.mbox",
            "--format",
            "json",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
    let printed = &report["score_bands"][0];
    assert_eq!(keys(example), keys(printed), "{printed}");
    assert_eq!(keys(&example["bands"][0]), keys(&printed["bands"][0]));
    assert_eq!(keys(&example["unscored"]), keys(&printed["unscored"]));
}

#[test]
fn the_inline_marker_example_silences_its_rules() {
    let marker = blocks_in("")
        .into_iter()
        .find(|b| b.contains("redline-disable"))
        .expect("the inline marker example");
    let draft = format!("{marker}Hi Dana,\n\nOur tool helps teams leverage data.\n");
    let s = Scratch::new();
    let o = s.run(
        &["check", "--format", "json", "--fail-on", "info", "-"],
        Some(&draft),
    );
    let rules: Vec<String> = json_lines(&o)
        .iter()
        .map(|v| v["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !rules.iter().any(|r| r == "corporate-ai.hype-verbs"),
        "{rules:?}"
    );
    let o = s.run(
        &["check", "--format", "json", "--fail-on", "info", "-"],
        Some(&draft.replace(&marker, "")),
    );
    assert!(
        json_lines(&o)
            .iter()
            .any(|v| v["rule"] == "corporate-ai.hype-verbs"),
        "without the marker the rule fires"
    );
}
