//! `redline` as a send gate: exit codes, formats, stdin, folders, config, broken packs.

#[path = "support/mod.rs"]
mod support;

use std::path::Path;

use support::{Scratch, code, json_lines, stderr, stdout};

const AI_DRAFT: &str = "Subject: Denver\n\nHi Dana,\n\nI hope this finds you well. I wanted to reach out about your new Denver office.\n\nBest,\nAlex\n";
const HUMAN_DRAFT: &str = "Subject: Denver\n\nHi Dana,\n\nSaw the Denver office opened last week. Congrats to the team.\n\nWorth a call Thursday?\n\nBest,\nAlex\n";

#[test]
fn a_human_draft_passes_quietly() {
    let s = Scratch::new();
    let o = s.run(&["check", "-"], Some(HUMAN_DRAFT));
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(stderr(&o), "");
}

#[test]
fn the_quality_bar_blocks_the_send() {
    let s = Scratch::new();
    let o = s.run(&["check"], Some(AI_DRAFT));
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    assert!(
        out.contains("corporate-ai.hope-this-finds-you-well"),
        "{out}"
    );
    assert!(out.contains("corporate-ai.wanted-to-reach-out"), "{out}");
    assert!(out.contains("<stdin>:5:1"), "{out}");
    assert!(out.contains("why:") && out.contains("instead:"), "{out}");
    assert_eq!(stderr(&o), "", "piped, only findings are printed");
    let o = s.run(&["check", "--summary"], Some(AI_DRAFT));
    assert!(stderr(&o).contains("2 errors"), "{}", stderr(&o));
    let o = s.run(
        &["check", "--summary"],
        Some("Hi Dana,\n\nThursday works.\n"),
    );
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("0 errors, 0 warnings, 0 info in 0 of 1 file checked (1 draft)"),
        "--summary prints the line for a clean draft too: {}",
        stderr(&o)
    );
}

#[test]
fn json_lines_give_exact_positions_and_explanations() {
    let s = Scratch::new();
    let draft = "Hi Dana,\r\n\r\n😀\tI wanted to\r\nreach out.\r\n";
    let path = s.write("d.txt", draft);
    let o = s.run(&["check", "--format", "json", path.to_str().unwrap()], None);
    assert_eq!(code(&o), 1);
    let lines = json_lines(&o);
    let f = lines
        .iter()
        .find(|v| v["rule"] == "corporate-ai.wanted-to-reach-out")
        .expect("finding");
    let (start, end) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&draft[start..end], "I wanted to\r\nreach out");
    assert_eq!(f["match"], "I wanted to\r\nreach out");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(4), Some(10))
    );
    assert_eq!(f["path"], path.to_str().unwrap());
    assert_eq!(f["severity"], "error");
    assert!(f["why"].as_str().unwrap().len() > 40);
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("I wanted to reach out")
    );
}

#[test]
fn fail_on_sets_the_bar() {
    let s = Scratch::new();
    let warning_only =
        "Hi Dana,\n\nOur tool is a game-changer for teams like yours.\n\nBest,\nAlex\n";
    let o = s.run(&["check", "--format", "json"], Some(warning_only));
    assert_eq!(
        code(&o),
        0,
        "warnings do not block by default: {}",
        stdout(&o)
    );
    assert!(!stdout(&o).is_empty(), "but they are reported");
    let o = s.run(&["check", "--fail-on", "warning"], Some(warning_only));
    assert_eq!(code(&o), 1);
    let o = s.run(&["check", "--fail-on", "never"], Some(AI_DRAFT));
    assert_eq!(code(&o), 0);
}

#[test]
fn sarif_and_github_formats() {
    let s = Scratch::new();
    let o = s.run(&["check", "--format", "sarif", "-"], Some(AI_DRAFT));
    assert_eq!(code(&o), 1);
    let log: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one SARIF document");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "corporate-ai.wanted-to-reach-out")
    );
    assert!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len()
            >= 2
    );

    let o = s.run(&["check", "--format", "github"], Some(AI_DRAFT));
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error file=<stdin>,line=5,col=")
                && l.contains("title=corporate-ai.wanted-to-reach-out::")),
        "{out}"
    );

    // A file name holding an escape byte, a comma and a colon reaches the log encoded.
    s.write("a\u{1b}[31m,b:c.txt", AI_DRAFT);
    let o = s.run(
        &["check", "--format", "github", "a\u{1b}[31m,b:c.txt"],
        None,
    );
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(
        out.contains("::error file=a%1B[31m%2Cb%3Ac.txt,line=5,"),
        "{out}"
    );
}

/// SARIF is written as its results come (a draft's results are never held for the end): over
/// a folder of drafts, clean ones and one large enough to be printed in pieces among them, it
/// is still one document, with the results the JSON format gives, in order, and each rule
/// they cite described once, in id order.
#[test]
fn sarif_uris_are_uri_references() {
    let s = Scratch::new();
    s.write("in/a b%c.txt", AI_DRAFT);
    s.write(
        "in/sent.mbox",
        format!("From a@x Mon Jan  1 09:00:00 2024\nSubject: hi\n\n{AI_DRAFT}"),
    );
    let o = s.run(
        &["check", "--format", "sarif", "--fail-on", "never", "in"],
        None,
    );
    let log: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    uris.dedup();
    assert_eq!(uris, ["in/a%20b%25c.txt", "in/sent.mbox#1"]);
}

#[test]
fn sarif_over_many_drafts_is_one_document_with_every_result() {
    let s = Scratch::new();
    let big: String = (0..4_000)
        .map(|i| format!("I wanted to reach out about item {i}.\n\n"))
        .collect();
    for i in 0..12 {
        let text = match i % 3 {
            0 => HUMAN_DRAFT.to_string(),
            1 => AI_DRAFT.to_string(),
            _ if i == 5 => big.clone(),
            _ => AI_DRAFT.replace("Denver", "Boulder"),
        };
        s.write(&format!("drafts/{i:02}.txt"), text);
    }
    let sarif = s.run(
        &["check", "--format", "sarif", "--fail-on", "never", "drafts"],
        None,
    );
    let json = s.run(
        &["check", "--format", "json", "--fail-on", "never", "drafts"],
        None,
    );
    assert_eq!((code(&sarif), code(&json)), (0, 0));
    let log: serde_json::Value = serde_json::from_str(&stdout(&sarif)).expect("one SARIF document");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let lines = json_lines(&json);
    assert!(lines.len() > 4_000, "{}", lines.len());
    assert_eq!(results.len(), lines.len());
    for (r, l) in results.iter().zip(&lines) {
        assert_eq!(r["ruleId"], l["rule"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["byteOffset"], l["start"], "{r} {l}");
    }
    let ids: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    for r in results {
        assert!(ids.contains(&r["ruleId"].as_str().unwrap()), "{r}");
    }

    // No findings at all: still one document, with no results and no rules.
    let o = s.run(&["check", "--format", "sarif", "-"], Some(HUMAN_DRAFT));
    let log: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one SARIF document");
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"],
        serde_json::json!([])
    );
}

#[test]
fn usage_errors_exit_2() {
    let s = Scratch::new();
    assert_eq!(code(&s.run(&["check", "--frmat", "json"], Some(""))), 2);
    assert_eq!(code(&s.run(&["check", "--format", "xml"], Some(""))), 2);
    assert_eq!(code(&s.run(&["frobnicate"], None)), 2);
    let o = s.run(&["check", "missing.txt"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("missing.txt: no such file or folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_missing_path_fails_the_gate_after_the_rest_is_checked() {
    let s = Scratch::new();
    s.write("ai.txt", AI_DRAFT);
    s.write("ok.txt", HUMAN_DRAFT);
    let o = s.run(&["check", "missing.txt", "ai.txt"], None);
    assert_eq!(
        code(&o),
        2,
        "an input that could not be read fails the gate"
    );
    assert!(stderr(&o).contains("missing.txt"));
    assert!(
        stdout(&o).contains("corporate-ai.wanted-to-reach-out"),
        "the readable draft is still checked"
    );
    let o = s.run(&["check", "missing.txt", "ok.txt"], None);
    assert_eq!(
        code(&o),
        2,
        "a clean draft beside it does not pass the gate"
    );
}

#[test]
fn an_unreadable_input_fails_the_gate_naming_it() {
    let s = Scratch::new();
    s.write("drafts/ok.txt", HUMAN_DRAFT);
    let locked = s.write("drafts/locked.txt", AI_DRAFT);
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o000);
    std::fs::set_permissions(&locked, perms).unwrap();
    if std::fs::File::open(&locked).is_ok() {
        // Running as root: permissions do not stop reading, so use a file the kernel refuses
        // to read from offset 0.
        eprintln!("skipped the folder case: permissions do not apply to this user");
        let o = s.run(&["check", "/proc/self/mem", "drafts/ok.txt"], None);
        assert_eq!(code(&o), 2, "{}", stderr(&o));
        assert!(
            stderr(&o).contains("/proc/self/mem: cannot read"),
            "{}",
            stderr(&o)
        );
        return;
    }
    let o = s.run(&["check", "drafts"], None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("locked.txt: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_empty_folder_says_why_nothing_was_checked() {
    let s = Scratch::new();
    std::fs::create_dir_all(s.0.join("empty")).unwrap();
    s.write("dotted/.draft.txt", AI_DRAFT);
    for folder in ["empty", "dotted"] {
        let o = s.run(&["check", folder], None);
        assert_eq!(code(&o), 2);
        assert!(
            stderr(&o).contains(&format!("{folder}: no files to check")),
            "{}",
            stderr(&o)
        );
        assert!(stderr(&o).contains("--hidden"), "{}", stderr(&o));
    }
}

#[test]
fn a_runaway_stdin_stops_at_the_draft_limit() {
    let s = Scratch::new();
    let big = format!(
        "I wanted to reach out.\n{}",
        "Saw the launch.\n".repeat(50_000)
    );
    let o = s.run(&["check", "--max-draft-size", "512K"], Some(&big));
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("<stdin>: a draft larger than 512 KiB is not read"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "", "nothing of a draft cut short is reported");
    let o = s.run(
        &["check", "--max-draft-size", "2M", "--format", "json"],
        Some(&big),
    );
    assert_eq!(code(&o), 1, "under the limit it is checked");
}

#[test]
fn terminal_escapes_in_file_names_are_shown_escaped() {
    let s = Scratch::new();
    s.write("x\u{1b}[2Jy.txt", AI_DRAFT);
    let o = s.run(&["check", "."], None);
    assert_eq!(code(&o), 1);
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b));
    assert!(
        stdout(&o).contains("x\\u{1b}[2Jy.txt:5:1"),
        "{}",
        stdout(&o)
    );
    let o = s.run(&["check", "x\u{1b}[2Jz.txt"], None);
    assert!(!o.stderr.contains(&0x1b), "{}", stderr(&o));
    let o = s.run(&["check", "--format", "json", "."], None);
    assert_eq!(
        json_lines(&o)[0]["path"],
        "./x\u{1b}[2Jy.txt",
        "JSON keeps the real name"
    );
}

#[test]
fn folders_are_walked_in_path_order_skipping_hidden_and_binary_files() {
    let s = Scratch::new();
    s.write("drafts/b/two.txt", AI_DRAFT);
    s.write("drafts/a.txt", AI_DRAFT);
    s.write("drafts/.hidden.txt", AI_DRAFT);
    s.write("drafts/logo.png", b"\x89PNG\0\0\0binary");
    s.write("drafts/ok.md", HUMAN_DRAFT);
    let o = s.run(&["check", "--format", "json", "drafts"], None);
    assert_eq!(code(&o), 1);
    let paths: Vec<String> = json_lines(&o)
        .iter()
        .map(|v| v["path"].as_str().unwrap().to_string())
        .collect();
    let mut dedup = paths.clone();
    dedup.dedup();
    assert_eq!(dedup, ["drafts/a.txt", "drafts/b/two.txt"]);
    assert!(
        stderr(&o).contains("logo.png: looks binary"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn invalid_utf8_is_decoded_noted_and_still_checked() {
    let s = Scratch::new();
    let mut bytes = b"Hi Dana,\n\nCaf\xe9 chat? ".to_vec();
    bytes.extend_from_slice(b"I wanted to reach out.\n");
    s.write("latin1.txt", bytes);
    let o = s.run(&["check", "latin1.txt"], None);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("invalid UTF-8 at byte 13"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_broken_pack_names_file_line_and_column() {
    let s = Scratch::new();
    s.write(
        "team/pack.toml",
        "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n",
    );
    s.write(
        "team/bad.toml",
        "[[rule]]\nid = \"team.x\"\nkind = \"pattern\"\nseverity = \"error\"\nmessage = \"m\"\nwhy = \"w\"\ninstead = \"i\"\npattern = \"a(b\"\nexamples.bad = [\"ab\"]\nflavour = 1\n",
    );
    let o = s.run(&["check", "--pack", "team", "-"], Some(HUMAN_DRAFT));
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("bad.toml:10:1: unknown field `flavour`"),
        "{err}"
    );
}

#[test]
fn an_extra_pack_adds_rules() {
    let s = Scratch::new();
    s.write(
        "team/pack.toml",
        "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n",
    );
    s.write(
        "team/words.toml",
        "[[rule]]\nid = \"team.no-circle-back\"\nkind = \"phrase\"\nseverity = \"error\"\nmessage = \"{match}\"\nwhy = \"w\"\ninstead = \"i\"\nphrases = [\"circle (back|around)\"]\nexamples.bad = [\"I'll circle back\"]\n",
    );
    let o = s.run(
        &["check", "--pack", "team", "--format", "json"],
        Some("Let me circle around on this.\n"),
    );
    assert_eq!(code(&o), 1);
    assert_eq!(json_lines(&o)[0]["rule"], "team.no-circle-back");
}

#[test]
fn config_disables_overrides_and_allows() {
    let s = Scratch::new();
    s.write("proj/sub/draft.txt", AI_DRAFT);
    s.write(
        "proj/.redline.toml",
        "disable = [\"corporate-ai.hope-this-finds-you-well\"]\n[severity]\n\"corporate-ai.wanted-to-reach-out\" = \"warning\"\n",
    );
    let o = s.run(&["check", "--format", "json", "proj/sub/draft.txt"], None);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let rules: Vec<_> = json_lines(&o).iter().map(|v| v["rule"].clone()).collect();
    assert!(!rules.contains(&"corporate-ai.hope-this-finds-you-well".into()));
    let f = json_lines(&o)
        .into_iter()
        .find(|v| v["rule"] == "corporate-ai.wanted-to-reach-out")
        .unwrap();
    assert_eq!(f["severity"], "warning");

    s.write(
        "proj/.redline.toml",
        "allow = [\"I wanted to reach out\"]\nfail_on = \"info\"\n",
    );
    let o = s.run(&["check", "--format", "json", "proj/sub/draft.txt"], None);
    let rules: Vec<_> = json_lines(&o).iter().map(|v| v["rule"].clone()).collect();
    assert!(
        !rules.contains(&"corporate-ai.wanted-to-reach-out".into()),
        "{rules:?}"
    );
    assert_eq!(code(&o), 1, "fail_on = info from the config");

    let o = s.run(
        &[
            "check",
            "--disable",
            "corporate-ai.hope-this-finds-you-well",
            "--fail-on",
            "error",
            "proj/sub/draft.txt",
        ],
        None,
    );
    assert_eq!(code(&o), 0);
}

#[test]
fn a_broken_config_is_an_error_with_its_position() {
    let s = Scratch::new();
    s.write("proj/draft.txt", HUMAN_DRAFT);
    s.write(
        "proj/.redline.toml",
        "disable = [\"corporate-ai.no-such-rule\"]\n",
    );
    let o = s.run(&["check", "proj/draft.txt"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(".redline.toml:1:12: unknown rule `corporate-ai.no-such-rule`"),
        "{}",
        stderr(&o)
    );
    s.write("proj/.redline.toml", "dissable = []\n");
    let o = s.run(
        &["check", "--config", "proj/.redline.toml", "proj/draft.txt"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("proj/.redline.toml:1:1: unknown field `dissable`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_user_config_applies_under_the_project_config() {
    let s = Scratch::new();
    s.write(
        "xdg/redline/config.toml",
        "fail_on = \"never\"\ndisable = [\"corporate-ai.hope-this-finds-you-well\"]\n",
    );
    let o = s.run(&["check", "--format", "json"], Some(AI_DRAFT));
    assert_eq!(
        code(&o),
        0,
        "the user's fail_on applies with no project config"
    );
    s.write(".redline.toml", "fail_on = \"error\"\n");
    let o = s.run(&["check", "--format", "json"], Some(AI_DRAFT));
    assert_eq!(code(&o), 1, "the project's fail_on wins over the user's");
    let rules: Vec<_> = json_lines(&o)
        .iter()
        .map(|v| v["rule"].to_string())
        .collect();
    assert!(
        !rules.iter().any(|r| r.contains("hope-this-finds-you-well")),
        "the user's disable still applies under the project config: {rules:?}"
    );
    assert!(
        rules.iter().any(|r| r.contains("wanted-to-reach-out")),
        "{rules:?}"
    );
}

#[test]
fn an_inline_marker_silences_a_rule_for_that_draft() {
    let s = Scratch::new();
    let draft = format!(
        "<!-- redline-disable corporate-ai.wanted-to-reach-out, corporate-ai.hope-this-finds-you-well -->\n{AI_DRAFT}"
    );
    let o = s.run(&["check"], Some(&draft));
    assert_eq!(code(&o), 0, "{}", stdout(&o));

    // In HTML mail too, where comments are otherwise dropped with the markup.
    let html = "<html><body><!-- redline-disable corporate-ai.wanted-to-reach-out --><p>Hi,</p><p>I wanted to reach out.</p></body></html>\n";
    s.write("marked.html", html);
    s.write("plain.html", html.replace("redline-disable", "note"));
    let o = s.run(&["check", "marked.html"], None);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let o = s.run(&["check", "plain.html"], None);
    assert_eq!(code(&o), 1, "the same draft without the marker fails");
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_trouble_not_a_pass_or_a_panic() {
    let s = Scratch::new();
    s.write("draft.txt", AI_DRAFT);
    for args in [
        &[
            "check",
            "--fail-on",
            "never",
            "--format",
            "sarif",
            "draft.txt",
        ][..],
        &["check", "--fail-on", "never", "draft.txt"],
        &["rules"],
        &["explain", "corporate-ai.voice"],
    ] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(args)
            .current_dir(&s.0)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("cannot write the output"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn rules_and_explain() {
    let s = Scratch::new();
    let o = s.run(&["rules"], None);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.contains("corporate-ai.wanted-to-reach-out"), "{out}");
    assert!(out.contains("phrase variants"), "{out}");

    let o = s.run(&["rules", "--format", "json"], None);
    let rules: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let phrases: u64 = rules.iter().map(|r| r["phrases"].as_u64().unwrap()).sum();
    assert!(
        phrases >= 150,
        "the default pack has {phrases} phrase variants"
    );

    let o = s.run(&["explain", "corporate-ai.wanted-to-reach-out"], None);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    for part in [
        "Why it hurts",
        "Write instead",
        "Fires on",
        "Does not fire on",
    ] {
        assert!(out.contains(part), "{part} missing from:\n{out}");
    }
    let o = s.run(&["explain", "corporate-ai.nope"], None);
    assert_eq!(code(&o), 2);
}

#[test]
fn quoted_replies_and_signatures_stay_quiet() {
    let s = Scratch::new();
    let reply = "Thanks Dana, Thursday works.\n\nOn Tue, Sep 3, 2024 at 9:14 AM Dana Lee wrote:\n> I hope this finds you well. I wanted to reach out about Denver.\n\n-- \nAlex | We leverage synergies\n";
    let o = s.run(&["check", "--fail-on", "info"], Some(reply));
    assert_eq!(code(&o), 0, "{}", stdout(&o));
}

/// The README promises `redline check examples/` works out of the box on the shipped sample.
#[test]
fn the_shipped_sample_draft_is_caught() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/ai-draft.txt");
    let s = Scratch::new();
    let o = s.run(&["check", sample.to_str().unwrap()], None);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
}

const TEAM_MANIFEST: &str = "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n";

/// A team rule with the given examples.
fn team_rule(examples: &str) -> String {
    format!(
        "[[rule]]\nid = \"team.no-circle-back\"\nkind = \"phrase\"\nseverity = \"error\"\nmessage = \"{{match}}\"\nwhy = \"w\"\ninstead = \"i\"\nphrases = [\"circle back\"]\n{examples}\n"
    )
}

#[test]
fn error_messages_point_at_what_is_wrong() {
    let s = Scratch::new();
    s.write(
        "proj/.redline.toml",
        "fail_on = \"error\"\n\n[severity]\n\"corporate-ai.long-draft\" = \"info\"\n\"corporate-ai.buzzwords\" = \"info\"\n",
    );
    s.write("proj/d.txt", HUMAN_DRAFT);
    let o = s.run(&["check", "proj/d.txt"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(
            ".redline.toml:5:1: unknown rule `corporate-ai.buzzwords`; did you mean `corporate-ai.buzz-phrases`?"
        ),
        "the key, not the table header: {}",
        stderr(&o)
    );

    let o = s.run(&["check", "--disable", "corporate-ai.nope", "-"], Some(""));
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("redline: --disable corporate-ai.nope: unknown rule `corporate-ai.nope`"),
        "{err}"
    );
    assert!(!err.contains("<settings>"), "{err}");

    let o = s.run(&["check", "--pack", "/missing", "-"], Some(""));
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("redline: /missing: cannot read rule pack folder"),
        "{err}"
    );
    assert!(!err.contains(":1:1"), "a folder has no line: {err}");

    let o = s.run(&["explain", "wanted-to-reach-out"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("did you mean `corporate-ai.wanted-to-reach-out`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_pack_whose_examples_fail_does_not_load() {
    let s = Scratch::new();
    s.write("team/pack.toml", TEAM_MANIFEST);
    s.write(
        "team/words.toml",
        team_rule("examples.bad = [\"I'll circle back\", \"Let me loop back\"]\nexamples.good = [\"We circle back daily\"]"),
    );
    let o = s.run(&["check", "--pack", "team", "-"], Some(HUMAN_DRAFT));
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("words.toml:2:6: rule `team.no-circle-back`"),
        "{err}"
    );
    assert!(
        err.contains("`bad` example 2 does not fire: \"Let me loop back\""),
        "{err}"
    );
    assert!(
        err.contains("`good` example 1 does not stay quiet: \"We circle back daily\""),
        "{err}"
    );
    s.write(".redline.toml", "packs = [\"team\"]\n");
    let o = s.run(&["check", "-"], Some(HUMAN_DRAFT));
    assert_eq!(
        code(&o),
        2,
        "a pack named in config is checked the same way"
    );

    let o = s.run(&["rules", "--test", "--pack", "team"], None);
    assert_eq!(code(&o), 2);
    let out = stdout(&o);
    assert!(
        out.contains("FAIL") && out.contains("team.no-circle-back"),
        "{out}"
    );
    assert!(
        out.contains("1 rule from team: 1 with 3 examples, 1 failed\n"),
        "{out}"
    );

    s.write(
        "team/words.toml",
        team_rule(
            "examples.bad = [\"I'll circle back\"]\nexamples.good = [\"We loop back daily\"]",
        ),
    );
    let o = s.run(&["rules", "--test", "--pack", "team"], None);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("ok    team.no-circle-back"),
        "{}",
        stdout(&o)
    );
    let o = s.run(&["check", "-"], Some("I'll circle back.\n"));
    assert_eq!(code(&o), 1, "a passing pack loads and runs");
}

#[test]
fn explain_shows_what_a_threshold_rule_checks() {
    let s = Scratch::new();
    let o = s.run(&["explain", "pipeline.score-inflation"], None);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(
        out.contains("Measures\n  the `score-inflation` check"),
        "{out}"
    );
    assert!(out.contains("Fires when the figure is\n  above 5"), "{out}");
    assert!(out.contains("Parameters\n  baseline_months = 3"), "{out}");
    assert!(!out.contains("Fires on"), "no empty example heading: {out}");
    assert!(!out.contains("scope: body"), "{out}");
}

#[test]
fn explain_says_what_turned_a_rule_off() {
    let s = Scratch::new();
    let id = "corporate-ai.hype-verbs";
    let o = s.run(&["explain", id], None);
    assert!(stdout(&o).contains("(phrase rule, info,"), "{}", stdout(&o));
    let o = s.run(&["explain", id, "--disable", id], None);
    assert!(
        stdout(&o).contains("(phrase rule, off (by --disable),"),
        "{}",
        stdout(&o)
    );
    s.write(".redline.toml", format!("disable = [\"{id}\"]\n"));
    let o = s.run(&["explain", id], None);
    assert!(
        stdout(&o).contains("(phrase rule, off (turned off in the config),"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_lone_cr_ends_a_line_in_every_format_as_in_an_editor() {
    let s = Scratch::new();
    let text = "Hi Priya,\r\rI wanted to reach out about it.\r";
    let o = s.run(&["check", "--format", "json", "-"], Some(text));
    let f = &json_lines(&o)[0];
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(1)),
        "{f}"
    );
    let o = s.run(&["check", "-"], Some(text));
    let out = stdout(&o);
    assert!(out.contains(" --> <stdin>:3:1\n"), "{out}");
    assert!(
        out.contains("3 | I wanted to reach out about it.\n"),
        "{out}"
    );
}

#[test]
fn a_missing_pack_folder_is_named_where_the_config_names_it() {
    let s = Scratch::new();
    s.write(
        "proj/.redline.toml",
        "fail_on = \"warning\"\npacks = [\"nope\"]\n",
    );
    s.write("proj/d.txt", HUMAN_DRAFT);
    let o = s.run(&["check", "proj/d.txt"], None);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains(".redline.toml:2:10: "), "{err}");
    assert!(err.contains("nope: cannot read rule pack folder"), "{err}");

    // A folder where the config would be is reported, not passed over for one further up.
    std::fs::create_dir_all(s.0.join("proj/sub/.redline.toml")).unwrap();
    s.write("proj/sub/d.txt", HUMAN_DRAFT);
    let o = s.run(&["check", "proj/sub/d.txt"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(".redline.toml: cannot read config:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_hostile_config_is_refused_with_its_position() {
    let s = Scratch::new();
    let deep = format!("{}x{}", "(".repeat(5000), ")".repeat(5000));
    s.write(
        "proj/.redline.toml",
        format!("allow = [\"ok\", \"{deep}\"]\n"),
    );
    s.write("proj/d.txt", HUMAN_DRAFT);
    let o = s.run(&["check", "proj/d.txt"], None);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(
        stderr(&o).contains(".redline.toml:1:17: allowed phrase: phrase is longer than"),
        "{}",
        stderr(&o)
    );
    let deep = format!("{}x{}", "(".repeat(100), ")".repeat(100));
    s.write("proj/.redline.toml", format!("allow = [\"{deep}\"]\n"));
    let o = s.run(&["check", "proj/d.txt"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(".redline.toml:1:27: allowed phrase: groups nest more than 16 deep"),
        "{}",
        stderr(&o)
    );
}

/// A 32 MB draft: a paragraph with one finding, repeated. Every repetition is found, each at
/// its own line and column (positions are resolved in one pass, so this stays linear; its
/// time and memory are measured by `scripts/bench_scale.py`, not here).
#[test]
fn a_32_mb_draft_gets_every_finding_at_its_own_line() {
    let filler = "Saw the Denver office opened last week and the freight lanes moved with it. ";
    let paragraph = format!(
        "{}I wanted to reach out about Denver.\n\n",
        filler.repeat(12)
    );
    let reps = (32 << 20) / paragraph.len();
    let s = Scratch::new();
    let path = s.write("big.txt", paragraph.repeat(reps));
    let o = s.run(&["check", "--format", "json", path.to_str().unwrap()], None);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let found: Vec<_> = json_lines(&o)
        .into_iter()
        .filter(|f| f["rule"] == "corporate-ai.wanted-to-reach-out")
        .collect();
    assert_eq!(found.len(), reps, "one finding per paragraph");
    let column = filler.len() * 12 + 1;
    for (i, f) in [(0, &found[0]), (reps - 1, &found[reps - 1])] {
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(2 * i as u64 + 1), Some(column as u64)),
            "{f}"
        );
        assert_eq!(
            f["start"].as_u64(),
            Some((i * paragraph.len() + column - 1) as u64)
        );
    }
}

/// One small file is checked without worker threads; a mailbox in it with more messages than
/// a worker may read ahead of the printer is still checked whole, in order, named or on
/// standard input.
#[test]
fn a_small_mailbox_with_many_messages_is_checked_whole() {
    let message = |n: usize| {
        format!(
            "From rep@example.test Mon Sep  2 09:00:00 2024\nMessage-ID: <{n}@example.test>\nSubject: {n}\n\nI wanted to reach out.\n\n"
        )
    };
    let mbox: String = (1..=1500).map(message).collect();
    assert!(
        mbox.len() < 256 * 1024,
        "small enough to be checked on one thread"
    );
    let s = Scratch::new();
    let path = s.write("sent.mbox", &mbox);
    for (arg, stdin) in [
        ("sent.mbox", std::process::Stdio::null()),
        ("-", std::fs::File::open(&path).unwrap().into()),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(["check", "--format", "json", arg])
            .current_dir(&s.0)
            .env("XDG_CONFIG_HOME", s.0.join("xdg"))
            .stdin(stdin)
            .output()
            .unwrap();
        assert_eq!(code(&out), 1, "{}", stderr(&out));
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 1500, "one finding per message");
        let last = lines[1499]["path"].as_str().unwrap();
        assert!(last.ends_with("#1500"), "{last}");
    }
}

/// A mailbox on a pipe is printed message by message: findings for the messages read so far
/// appear while the pipe is still open, not when the whole mailbox is done.
#[test]
fn a_mailbox_streams_findings_before_it_ends() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let message = |n: usize| {
        format!(
            "From rep@example.test Mon Sep  2 09:00:00 2024\nMessage-ID: <{n}@example.test>\nSubject: Denver {n}\n\nHi Dana,\n\nI wanted to reach out about the Denver office.\n\nBest,\nAlex\n\n"
        )
    };
    let s = Scratch::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["check", "--format", "json", "-"])
        .current_dir(&s.0)
        .env("XDG_CONFIG_HOME", s.0.join("xdg"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("redline runs");
    let mut stdin = child.stdin.take().unwrap();
    // More than any sniff of the first bytes needs, then the next message's separator.
    let first: String = (1..=200).map(message).collect();
    stdin.write_all(first.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if send.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let line = receive
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("a finding is printed while the mailbox is still open");
    assert!(line.contains("\"path\":\"<stdin>#1\""), "{line}");
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1));
    assert_eq!(receive.iter().count() + 1, 200, "one finding per message");
}

/// Users never saw our source articles: shipped rule text cites the guide by title and never
/// says "the seed".
#[test]
fn shipped_rule_text_never_says_seed() {
    let rules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    let mut files = 0;
    for pack in std::fs::read_dir(&rules).unwrap().filter_map(Result::ok) {
        for file in std::fs::read_dir(pack.path())
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let text = std::fs::read_to_string(file.path()).unwrap_or_default();
            files += 1;
            assert!(
                !text.to_lowercase().contains("seed"),
                "{} says \"seed\"",
                file.path().display()
            );
        }
    }
    assert!(files > 5, "the shipped packs were read");
    let s = Scratch::new();
    let o = s.run(&["rules", "--format", "json"], None);
    assert!(!stdout(&o).to_lowercase().contains("seed"));
}

/// A score finding's evidence points into the input as given: CRLF line ends and emoji before
/// a contribution do not shift it.
#[test]
fn score_evidence_offsets_hold_with_crlf_and_emoji() {
    let s = Scratch::new();
    s.write(
        "team/pack.toml",
        "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n",
    );
    s.write(
        "team/voice.toml",
        "[[rule]]\nid = \"team.voice\"\nkind = \"score\"\nseverity = \"warning\"\nmessage = \"AI ({value})\"\nwhy = \"w\"\ninstead = \"i\"\n[rule.score]\nintercept = 0.0\nwarning = 0.5\nerror = 0.99\nmin_words = 5\n[rule.score.phrases]\n\"seamless\" = 2.0\n[rule.score.patterns]\n\"whether you're [a-z]+ or\" = 1.0\n[rule.examples]\nbad = [\"It is seamless, really seamless, for you and the whole team.\"]\ngood = [\"ok\"]\n",
    );
    let draft = "Hi Dana 👋,\r\n\r\nOnboarding is seamless 🚀 today,\r\nwhether you're big or small.\r\n\r\nBest,\r\nAlex\r\n";
    let path = s.write("draft.txt", draft);
    let o = s.run(
        &[
            "check",
            "--pack",
            "team",
            "--format",
            "json",
            "--fail-on",
            "never",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let voice: Vec<_> = json_lines(&o)
        .into_iter()
        .filter(|f| f["rule"] == "team.voice")
        .collect();
    assert_eq!(voice.len(), 1, "{}", stdout(&o));
    let contributions = voice[0]["evidence"]["contributions"].as_array().unwrap();
    let mut placed = 0;
    for c in contributions {
        if let (Some(start), Some(end)) = (c["start"].as_u64(), c["end"].as_u64()) {
            assert_eq!(
                &draft[start as usize..end as usize],
                c["text"].as_str().unwrap()
            );
            placed += 1;
        }
    }
    assert_eq!(placed, 2, "the phrase and the pattern: {contributions:?}");
    let at = &draft[voice[0]["start"].as_u64().unwrap() as usize..];
    assert!(
        at.starts_with("seamless"),
        "the strongest contribution: {at}"
    );
    assert_eq!(voice[0]["line"], 3);
    assert_eq!(voice[0]["column"], 15, "characters, not bytes");
}
