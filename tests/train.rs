//! `redline train`: fitting a voice score from labelled folders, end to end, on seeded drafts
//! from `redline-synth` (human and corporate-AI voices).

mod support;

use std::path::Path;

use support::{Scratch, code, stderr, stdout};

/// Writes `count` drafts of one voice under `dir`.
fn drafts(s: &Scratch, dir: &str, seed: u64, count: usize, voice: redline_synth::Voice) {
    let mut rng = redline_synth::Rng::new(seed);
    for i in 0..count {
        let d = redline_synth::draft(&mut rng, voice);
        s.write(&format!("{dir}/{i:04}.txt"), d.text());
    }
}

fn labelled(s: &Scratch, seed: u64) {
    drafts(s, "ai", seed, 150, redline_synth::Voice::CorporateAi);
    drafts(s, "human", seed + 1, 150, redline_synth::Voice::Human);
}

/// The `team-voice.voice` findings of checking `target` (`-`: `stdin`) with the pack at `pack`.
fn voice_findings(
    s: &Scratch,
    pack: &str,
    target: &str,
    stdin: Option<&str>,
) -> Vec<serde_json::Value> {
    let args = [
        "check",
        "--pack",
        pack,
        "--format",
        "json",
        "--fail-on",
        "never",
        target,
    ];
    support::json_lines(&s.run(&args, stdin))
        .into_iter()
        .filter(|f| f["rule"] == "team-voice.voice")
        .collect()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

#[test]
fn training_is_deterministic_and_the_pack_loads_and_scores() {
    let s = Scratch::new();
    labelled(&s, 7);
    let args = [
        "train",
        "--ai",
        "ai",
        "--human",
        "human",
        "--min-words",
        "20",
    ];
    let first = s.run(&[&args[..], &["-o", "one/team-voice"]].concat(), None);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let second = s.run(&[&args[..], &["-o", "two/team-voice"]].concat(), None);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let one = read(&s.0.join("one/team-voice/voice.toml"));
    assert_eq!(one, read(&s.0.join("two/team-voice/voice.toml")));
    assert!(
        stdout(&first).contains("out of fold: AUC"),
        "{}",
        stdout(&first)
    );
    assert!(one.contains("id = \"team-voice.voice\"") && one.contains("kind = \"score\""));

    // The written pack round-trips through the loader (its examples included) and scores a
    // draft in the AI voice with its evidence.
    let rules = s.run(&["rules", "--pack", "one/team-voice"], None);
    assert_eq!(code(&rules), 0, "{}", stderr(&rules));
    assert!(stdout(&rules).contains("team-voice.voice"));
    let mut rng = redline_synth::Rng::new(99);
    let ai = redline_synth::draft(&mut rng, redline_synth::Voice::CorporateAi).text();
    let voice = voice_findings(&s, "one/team-voice", "-", Some(&ai));
    assert_eq!(voice.len(), 1, "one finding per draft: {voice:?}");
    let e = &voice[0]["evidence"];
    assert!(e["probability"].as_f64().unwrap() >= 0.5);
    assert!(!e["contributions"].as_array().unwrap().is_empty());
}

#[test]
fn the_calibrated_false_positive_rate_holds_on_held_out_human_drafts() {
    let s = Scratch::new();
    labelled(&s, 11);
    let trained = s.run(
        &[
            "train",
            "--ai",
            "ai",
            "--human",
            "human",
            "--min-words",
            "20",
            "--warning-fpr",
            "0.05",
            "-o",
            "packs/team-voice",
        ],
        None,
    );
    assert_eq!(code(&trained), 0, "{}", stderr(&trained));
    drafts(&s, "held-out", 5000, 200, redline_synth::Voice::Human);
    let flagged: std::collections::HashSet<String> =
        voice_findings(&s, "packs/team-voice", "held-out", None)
            .into_iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect();
    let rate = flagged.len() as f64 / 200.0;
    assert!(
        rate <= 0.10,
        "{} of 200 held-out human drafts flagged",
        flagged.len()
    );
}

#[test]
fn bad_training_input_is_a_clear_error() {
    let s = Scratch::new();
    labelled(&s, 3);
    // Trains with `human` as the human folder; it must stop with exit 2 saying `expected`.
    let refuses = |human: Option<&str>, expected: &str| {
        let mut args = vec!["train", "--ai", "ai", "-o", "out"];
        args.extend(human.map(|h| ["--human", h]).into_iter().flatten());
        let o = s.run(&args, None);
        assert_eq!(code(&o), 2, "{human:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{human:?}: {}", stderr(&o));
    };
    std::fs::create_dir_all(s.0.join("empty")).unwrap();
    refuses(Some("empty"), "--human: no messages found in empty");
    refuses(None, "--human");
    refuses(Some("nope"), "nope: no such file or folder");
    s.write("short/a.txt", "Hi,\n\nThanks!\n");
    refuses(Some("short"), "no human message long enough");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = s.write("locked/a.txt", "Hi Dana,\n\nNot readable.\n");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&locked).is_err() {
            refuses(Some("locked"), "cannot read");
        }
    }
    assert!(!s.0.join("out").exists(), "nothing is written on bad input");
}

#[test]
fn out_of_range_options_are_refused_before_any_fitting() {
    let s = Scratch::new();
    labelled(&s, 3);
    for (extra, expected) in [
        (
            &["--warning-fpr", "1.5"][..],
            "`1.5` is not a share from 0 to 1",
        ),
        (
            &["--warning-fpr", "-0.5"],
            "`-0.5` is not a share from 0 to 1",
        ),
        (&["--error-fpr", "NaN"], "`NaN` is not a share from 0 to 1"),
        (&["--l1", "inf"], "`inf` is not a penalty"),
        (
            &["--warning-fpr", "0.01", "--error-fpr", "0.5"],
            "--error-fpr 0.5 is above --warning-fpr 0.01",
        ),
    ] {
        let mut args = vec!["train", "--ai", "ai", "--human", "human", "-o", "out"];
        args.extend_from_slice(extra);
        let o = s.run(&args, None);
        assert_eq!(code(&o), 2, "{extra:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{extra:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{extra:?}");
    }
    assert!(!s.0.join("out").exists());

    // The folder names the pack, so its name is checked before any mail is read.
    let o = s.run(
        &[
            "train",
            "--ai",
            "ai",
            "--human",
            "human",
            "-o",
            "Team_Voice",
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("must be lower-case kebab-case"),
        "{}",
        stderr(&o)
    );
    // A pack someone wrote by hand is never overwritten.
    let mine = "[[rule]]\nid = \"team.voice\"\n";
    s.write("team/voice.toml", mine);
    let o = s.run(
        &["train", "--ai", "ai", "--human", "human", "-o", "team"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("holds a pack `redline train` did not write"));
    assert_eq!(
        std::fs::read_to_string(s.0.join("team/voice.toml")).unwrap(),
        mine
    );
}
