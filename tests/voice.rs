//! `redline voice learn` and `redline check --voice`: learning a writer's voice from their
//! mail, the finding on a draft that does not sound like them, config, and bad profiles.

#[path = "support/mod.rs"]
mod support;

use support::{POLISHED, Scratch, casual, code, json_lines, stderr};

/// A scratch folder with `n` of the writer's messages under `sent/`, and a profile learned
/// from them at `me.toml`.
fn learned(n: usize) -> Scratch {
    let s = Scratch::new();
    for i in 0..n {
        s.write(&format!("sent/{i:02}.txt"), casual(i));
    }
    let o = s.run(&["voice", "learn", "-o", "me.toml", "sent"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    s
}

#[test]
fn learns_a_profile_of_statistics_and_says_how_many_messages_it_used() {
    let s = learned(20);
    let o = s.run(&["voice", "learn", "-o", "again.toml", "sent"], None);
    let err = stderr(&o);
    assert!(
        err.starts_with("redline: learned your voice from 20 messages; threshold "),
        "{err}"
    );
    let profile = std::fs::read_to_string(s.0.join("me.toml")).unwrap();
    assert!(profile.contains("format = \"redline-voice-profile\""));
    assert!(profile.contains("messages = 20"));
    assert!(!profile.contains("broken"), "no message text: {profile}");
    assert!(!profile.contains("poke"), "no message text: {profile}");
}

#[test]
fn show_says_the_learned_habits_in_words_and_as_json() {
    let s = learned(20);
    let o = s.run(&["voice", "show", "me.toml"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("Your voice, from 20 messages:\n"), "{out}");
    for line in [
        "  - you open with no greeting line in 100% of your mail\n",
        // Every sentence of the casual writer that could contract does: their own 100%.
        "  - you use contractions (don't, I'm) 100% of the time you could\n",
        "  - you never use em dashes (—) (none in ",
        "  - you have never used any of the 90 words of polished prose",
    ] {
        assert!(out.contains(line), "{line:?} in:\n{out}");
    }
    assert!(out.contains("gets `voice.not-your-voice`"), "{out}");
    assert!(!out.contains("poke"), "no message text: {out}");

    let o = s.run(&["voice", "show", "--format", "json", "me.toml"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["messages"], 20);
    let habits = v["habits"].as_array().unwrap();
    let contractions = habits
        .iter()
        .find(|h| h["habit"] == "rates.contractions")
        .unwrap();
    assert!(
        contractions["yours"].as_f64().unwrap() > 0.95,
        "{contractions}"
    );
    assert!(
        contractions["says"]
            .as_str()
            .unwrap()
            .starts_with("you use contractions")
    );
}

#[test]
fn show_names_a_bad_profiles_file_line_and_column() {
    let s = learned(12);
    let good = std::fs::read_to_string(s.0.join("me.toml")).unwrap();
    let line = good[..good.find("[calibration]").unwrap()]
        .matches('\n')
        .count()
        + 1;
    s.write(
        "u.toml",
        good.replace("[calibration]", "colour = 1\n\n[calibration]"),
    );
    let o = s.run(&["voice", "show", "u.toml"], None);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("u.toml:{line}:1: unknown field `colour`")),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let o = s.run(&["voice", "show", "missing.toml"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("missing.toml: cannot read voice profile"));
}

#[test]
fn a_polished_draft_gets_one_warning_naming_the_differences() {
    let s = learned(20);
    let own = s.write("own.txt", casual(30));
    let o = s.run(
        &[
            "check",
            "--voice",
            "me.toml",
            "--format",
            "json",
            own.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        !json_lines(&o)
            .iter()
            .any(|f| f["rule"] == "voice.not-your-voice"),
        "the writer's own style passes"
    );

    let draft = s.write("draft.txt", POLISHED);
    let o = s.run(
        &[
            "check",
            "--voice",
            "me.toml",
            "--format",
            "json",
            "--fail-on",
            "warning",
            draft.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&o), 1, "a warning fails at --fail-on warning");
    let lines = json_lines(&o);
    let voice: Vec<_> = lines
        .iter()
        .filter(|f| f["rule"] == "voice.not-your-voice")
        .collect();
    assert_eq!(voice.len(), 1, "{lines:?}");
    let f = voice[0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(
        f["match"], "Dear team,",
        "it points at the first line the writer wrote"
    );
    let message = f["message"].as_str().unwrap();
    assert!(
        message.starts_with("This doesn't sound like your own mail (distance "),
        "{message}"
    );
    for named in [
        "you open with no greeting line in 100% of your mail; this says 'Dear'",
        "you end without a sign-off line in 100% of your mail; this ends with 'Best regards'",
    ] {
        assert!(message.contains(named), "{message}");
    }
    let evidence = &f["evidence"];
    let distance = evidence["distance"].as_f64().unwrap();
    assert!(distance > evidence["limit"].as_f64().unwrap());
    let contributions = evidence["contributions"].as_array().unwrap();
    let sum: f64 = contributions
        .iter()
        .map(|c| c["contribution"].as_f64().unwrap())
        .sum();
    assert!((sum - distance).abs() < 0.1, "{sum} vs {distance}");
    assert!(
        contributions
            .iter()
            .any(|c| c["feature"] == "rates.contractions" && c["draft"] == 0.0),
        "{contributions:?}"
    );
}

#[test]
fn the_config_names_the_profile_and_a_flag_overrides_it() {
    let s = learned(15);
    s.write(".redline.toml", "voice = \"me.toml\"\n");
    let draft = s.write("drafts/d.txt", POLISHED);
    let o = s.run(
        &["check", "--format", "json", draft.to_str().unwrap()],
        None,
    );
    assert!(
        json_lines(&o)
            .iter()
            .any(|f| f["rule"] == "voice.not-your-voice"),
        "{}",
        stderr(&o)
    );
    let o = s.run(
        &[
            "check",
            "--disable",
            "voice.not-your-voice",
            "--format",
            "json",
            draft.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        !json_lines(&o)
            .iter()
            .any(|f| f["rule"] == "voice.not-your-voice")
    );
    s.write(".redline.toml", "voice = \"missing.toml\"\n");
    let o = s.run(&["check", draft.to_str().unwrap()], None);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(
        err.contains("missing.toml: cannot read voice profile"),
        "{err}"
    );
    assert!(err.contains("(the voice profile set at "), "{err}");
    assert!(err.contains(".redline.toml:1:9)"), "{err}");
}

#[test]
fn learning_never_overwrites_mail_or_a_file_that_is_not_a_profile() {
    let s = learned(12);
    let mail = std::fs::read_to_string(s.0.join("sent/00.txt")).unwrap();
    let o = s.run(&["voice", "learn", "-o", "sent/00.txt", "sent"], None);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("sent/00.txt is your mail"),
        "{}",
        stderr(&o)
    );
    s.write("notes.txt", "my notes");
    let o = s.run(&["voice", "learn", "-o", "notes.txt", "sent"], None);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("notes.txt exists and is not a voice profile"));
    assert_eq!(
        std::fs::read_to_string(s.0.join("sent/00.txt")).unwrap(),
        mail
    );
    assert_eq!(
        std::fs::read_to_string(s.0.join("notes.txt")).unwrap(),
        "my notes"
    );
    // Learning again replaces a profile.
    let o = s.run(&["voice", "learn", "-o", "me.toml", "sent"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

#[test]
fn a_missing_input_writes_no_profile_of_part_of_the_mail() {
    let s = learned(12);
    let o = s.run(
        &["voice", "learn", "-o", "new.toml", "sent", "nope.mbox"],
        None,
    );
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("nope.mbox: no such file or folder"), "{err}");
    assert!(err.contains("no profile written"), "{err}");
    assert!(!s.0.join("new.toml").exists());
    let o = s.run(
        &[
            "voice",
            "learn",
            "--from",
            "me@acme.test",
            "-o",
            "new.toml",
            "sent",
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("skipped 12 with no From address"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn refuses_to_learn_from_too_few_messages() {
    let s = Scratch::new();
    for i in 0..9 {
        s.write(&format!("sent/{i}.txt"), casual(i));
    }
    s.write("sent/short.txt", "ok.\n");
    let o = s.run(&["voice", "learn", "-o", "me.toml", "sent"], None);
    assert_eq!(code(&o), 2);
    assert_eq!(
        stderr(&o),
        "redline: voice learn: only 9 messages with at least 10 words of your own text; a voice profile needs 10 or more (skipped 1 with under 10 words of your own); no profile written\n"
    );
    assert!(!s.0.join("me.toml").exists());
}

#[test]
fn from_keeps_only_the_writers_messages_and_only_what_they_wrote() {
    let s = Scratch::new();
    for i in 0..12 {
        let (from, body) = if i % 3 == 0 {
            ("Dana <dana@example.com>", POLISHED.to_string())
        } else {
            (
                "Sam <SAM@example.com>",
                format!(
                    "{}\nOn Mon, Dana wrote:\n> Dear Sam, kindly ensure a seamless rollout.\n",
                    casual(i)
                ),
            )
        };
        s.write(
            &format!("mail/{i:02}.eml"),
            format!("From: {from}\nTo: x@example.com\nSubject: build\nMessage-ID: <{i}@example.com>\n\n{body}"),
        );
    }
    let learn_sam = || {
        s.run(
            &[
                "voice",
                "learn",
                "--from",
                "sam@example.com",
                "-o",
                "sam.toml",
                "mail",
            ],
            None,
        )
    };
    let o = learn_sam();
    assert_eq!(code(&o), 2, "8 of Sam's messages are too few");
    assert!(stderr(&o).contains("only 8 messages"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("skipped 4 from other senders"),
        "{}",
        stderr(&o)
    );
    for i in 12..14 {
        s.write(
            &format!("mail/{i:02}.eml"),
            format!("From: sam@example.com\nSubject: b\n\n{}", casual(i)),
        );
    }
    let o = learn_sam();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let header = s.run(
        &[
            "voice",
            "learn",
            "--from",
            "Sam <Sam@Example.com>",
            "-o",
            "sam2.toml",
            "mail",
        ],
        None,
    );
    assert_eq!(
        code(&header),
        0,
        "the From header as copied: {}",
        stderr(&header)
    );
    let profile = std::fs::read_to_string(s.0.join("sam.toml")).unwrap();
    assert!(profile.contains("messages = 10"), "{profile}");
    assert!(
        !profile.contains("kindly") && !profile.contains("seamless"),
        "quoted words are not Sam's: {profile}"
    );
    assert!(!profile.contains("example.com"), "no addresses");
}

#[test]
fn bad_profiles_are_clear_errors_with_exit_2() {
    let s = learned(12);
    let good = std::fs::read_to_string(s.0.join("me.toml")).unwrap();
    let draft = s.write("d.txt", POLISHED);
    let cases = [
        (
            good.replace("version = 5", "version = 7"),
            format!(
                "v.toml:{}:11: profile version 7 was written by a newer redline; this one reads \
                 version 5: upgrade redline to use it",
                good[..good.find("version = 5").unwrap()]
                    .matches('\n')
                    .count()
                    + 1
            ),
        ),
        (
            good[..good.find("[function_words").unwrap()].to_string(),
            "t.toml:1:1: missing field `function_words`".to_string(),
        ),
        (
            good.replace("[calibration]", "colour = 1\n\n[calibration]"),
            format!(
                "u.toml:{}:1: unknown field `colour`",
                good[..good.find("[calibration]").unwrap()]
                    .matches('\n')
                    .count()
                    + 1
            ),
        ),
    ];
    for ((text, expected), name) in cases.iter().zip(["v.toml", "t.toml", "u.toml"]) {
        let profile = s.write(name, text);
        let o = s.run(
            &[
                "check",
                "--voice",
                profile.to_str().unwrap(),
                draft.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code(&o), 2, "{name}");
        let err = stderr(&o);
        assert!(err.contains(expected.as_str()), "{name}: {err}");
    }
}

#[test]
fn copies_of_a_message_count_once() {
    let s = Scratch::new();
    // One message in twelve files (Sent and All Mail, an mbox given twice): one Message-ID.
    for i in 0..12 {
        s.write(
            &format!("copies/{i:02}.eml"),
            format!(
                "From: sam@example.com\nSubject: build\nMessage-ID: <one@example.com>\n\n{}",
                casual(0)
            ),
        );
    }
    let o = s.run(&["voice", "learn", "-o", "me.toml", "copies"], None);
    assert_eq!(code(&o), 2, "one message is too few: {}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "redline: voice learn: only 1 message with at least 10 words of your own text; a voice profile needs 10 or more (skipped 11 duplicates of messages already read); no profile written\n"
    );
    assert!(!s.0.join("me.toml").exists());

    // Ten messages, and copies of their text with other ids and line ends, or none.
    for i in 0..10 {
        s.write(&format!("sent/{i:02}.txt"), casual(i));
        s.write(
            &format!("sent/copy-{i:02}.txt"),
            casual(i).replace('\n', "\r\n"),
        );
        s.write(
            &format!("sent/{i:02}.eml"),
            format!(
                "From: sam@example.com\nMessage-ID: <{i}@example.com>\n\n{}",
                casual(i)
            ),
        );
    }
    // A template sent to two more people, only the name in its greeting changed.
    for (i, name) in ["Dana", "Priya"].iter().enumerate() {
        s.write(
            &format!("sent/template-{i}.txt"),
            format!("Hi {name},\n\n{}", casual(3)),
        );
    }
    let o = s.run(&["voice", "learn", "-o", "me.toml", "sent"], None);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(
            "redline: learned your voice from 10 messages (skipped 22 duplicates of messages already read)"
        ),
        "{}",
        stderr(&o)
    );
    let out = s.run(&["voice", "show", "me.toml"], None);
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("Your voice, from 10 messages:\n"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
