//! `redline audit` on generated mailboxes whose outcomes are known: exact counts and rates
//! through threading and through an outcomes CSV, rule counts that agree with checking each
//! message directly, the rollout split, shard merges equal to one run, reply rates by
//! voice-score band, and bad input.

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::process::Output;

use redline_email::Linter;
use redline_rules::Severity;
use redline_synth::{Mailbox, MailboxSpec};
use redline_text::{InputKind, read_draft};
use serde_json::Value;
use support::Scratch;

fn mailbox(seed: u64, messages: usize) -> Mailbox {
    Mailbox::generate(&MailboxSpec {
        seed,
        messages,
        ..MailboxSpec::default()
    })
}

/// A scratch folder holding the mailbox's `sent.mbox` and `replies.mbox`.
fn scratch_with(mb: &Mailbox) -> Scratch {
    let s = Scratch::new();
    s.write("sent.mbox", mb.sent_mbox());
    s.write("replies.mbox", mb.replies_mbox());
    s
}

/// `redline audit SENT --replies replies.mbox EXTRA...`.
fn audit(s: &Scratch, sent: &str, extra: &[&str]) -> Output {
    let mut args = vec!["audit", sent, "--replies", "replies.mbox"];
    args.extend_from_slice(extra);
    s.run(&args, None)
}

/// The JSON report of [`audit`], which must succeed.
fn audit_json(s: &Scratch, sent: &str, extra: &[&str]) -> Value {
    let mut extra = extra.to_vec();
    extra.extend_from_slice(&["--format", "json"]);
    json_of(&audit(s, sent, &extra))
}

fn json_of(out: &Output) -> Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

fn tally(v: &Value) -> (u64, u64) {
    (
        v["emails"].as_u64().unwrap(),
        v["replied"].as_u64().unwrap(),
    )
}

#[test]
fn threading_and_the_outcomes_csv_give_the_true_counts() {
    let mb = mailbox(21, 1500);
    let s = scratch_with(&mb);
    s.write("outcomes.csv", mb.outcomes_csv());
    let truth = mb.truth();

    let threaded = audit_json(&s, "sent.mbox", &[]);
    let from_csv = json_of(&s.run(
        &[
            "audit",
            "sent.mbox",
            "--outcomes",
            "outcomes.csv",
            "--format",
            "json",
        ],
        None,
    ));
    assert_eq!(
        threaded, from_csv,
        "both outcome sources give the same report"
    );

    assert_eq!(tally(&threaded), truth.all);
    assert_eq!(tally(&threaded["first_touch"]), truth.first_touch);
    assert_eq!(tally(&threaded["follow_up"]), truth.follow_up);
    let rate = threaded["reply_rate"].as_f64().unwrap();
    assert_eq!(rate, truth.all.1 as f64 / truth.all.0 as f64);
    let months: BTreeMap<String, (u64, u64)> = threaded["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap().to_string(), tally(m)))
        .collect();
    assert_eq!(months, truth.months);
    assert!(threaded.get("senders").is_none(), "no senders unless asked");

    let own = audit_json(&s, "sent.mbox", &["--by-sender"]);
    let senders = own["senders"].as_array().unwrap();
    let summed = senders
        .iter()
        .map(tally)
        .fold((0, 0), |a, t| (a.0 + t.0, a.1 + t.1));
    assert_eq!(summed, truth.all, "each message counted for its sender");
    let help = s.run(&["audit", "--help"], None);
    assert!(String::from_utf8_lossy(&help.stdout).contains("not meant for ranking reps"));
}

#[test]
fn rule_and_phrase_counts_agree_with_checking_each_message() {
    let mb = mailbox(5, 600);
    let s = scratch_with(&mb);
    let report = audit_json(&s, "sent.mbox", &[]);

    let linter = Linter::builder().build().unwrap();
    let mut expected: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut baseline = (0, 0);
    for sent in &mb.sent {
        let draft = read_draft(InputKind::Message, sent.raw.as_bytes(), 0);
        let mut rules: Vec<String> = linter
            .check_document(&draft.doc)
            .into_iter()
            .filter(|f| f.severity >= Severity::Warning)
            .map(|f| f.rule.to_string())
            .collect();
        rules.sort();
        rules.dedup();
        let replied = u64::from(sent.reply.is_some());
        if rules.is_empty() {
            baseline.0 += 1;
            baseline.1 += replied;
        }
        for rule in rules {
            let e = expected.entry(rule).or_default();
            e.0 += 1;
            e.1 += replied;
        }
    }
    let reported: BTreeMap<String, (u64, u64)> = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["rule"].as_str().unwrap().to_string(), tally(r)))
        .collect();
    assert_eq!(reported, expected);
    assert_eq!(tally(&report["baseline"]), baseline);

    let hope = report["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["phrase"] == "I hope this finds you well")
        .expect("the phrase as the pack writes it");
    let with_phrase = mb
        .sent
        .iter()
        .filter(|m| m.raw.to_lowercase().contains("i hope this finds you well"))
        .count() as u64;
    assert_eq!(hope["emails"].as_u64().unwrap(), with_phrase);
    assert!(!hope["examples"].as_array().unwrap().is_empty());
    let (lo, hi) = (
        hope["ci_low"].as_f64().unwrap(),
        hope["ci_high"].as_f64().unwrap(),
    );
    let r = hope["reply_rate"].as_f64().unwrap();
    assert!(lo <= r && r <= hi, "{hope}");
}

#[test]
fn rollout_splits_before_and_after_and_dates_filter() {
    let mb = mailbox(8, 800);
    let s = scratch_with(&mb);
    let report = audit_json(
        &s,
        "sent.mbox",
        &["--rollout", "2026-02-01", "--since", "2025-11-01"],
    );
    let in_range = |m: &&redline_synth::Sent| m.day >= (2025, 11, 1);
    let count = |pred: &dyn Fn(&&redline_synth::Sent) -> bool| {
        let chosen: Vec<_> = mb.sent.iter().filter(in_range).filter(pred).collect();
        let replied = chosen.iter().filter(|m| m.reply.is_some()).count() as u64;
        (chosen.len() as u64, replied)
    };
    let rollout = &report["rollout"];
    assert_eq!(rollout["date"], "2026-02-01");
    assert_eq!(tally(&rollout["before"]), count(&|m| m.day < (2026, 2, 1)));
    assert_eq!(tally(&rollout["after"]), count(&|m| m.day >= (2026, 2, 1)));
    assert!(
        rollout["after"]["flagged_share"].as_f64().unwrap()
            > rollout["before"]["flagged_share"].as_f64().unwrap() + 0.3,
        "AI drafting shows up in the flagged share: {rollout}"
    );
    let kept = count(&|_| true);
    assert_eq!(tally(&report), kept);
    assert_eq!(report["skipped"]["outside --since/--until"], 800 - kept.0);
}

#[test]
fn merged_shards_equal_one_run() {
    let mb = mailbox(13, 900);
    let s = scratch_with(&mb);
    std::fs::rename(s.0.join("sent.mbox"), s.0.join("all.mbox")).unwrap();
    let half = mb.sent.len() / 2;
    let part = |range: std::ops::Range<usize>| Mailbox {
        sent: mb.sent[range].to_vec(),
    };
    s.write("a.mbox", part(0..half).sent_mbox());
    s.write("b.mbox", part(half..mb.sent.len()).sent_mbox());
    let shard = ["--rollout", "2026-02-01", "--format", "json"];
    let single = json_of(&audit(&s, "all.mbox", &shard));
    for (name, sent) in [("a.json", "a.mbox"), ("b.json", "b.mbox")] {
        s.write(name, audit(&s, sent, &shard).stdout);
    }
    let merged = json_of(&s.run(&["audit", "merge", "a.json", "b.json"], None));
    assert_eq!(merged, single);
    let scored = single["score_bands"][0]["bands"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["emails"].as_u64().unwrap() > 0)
        .count();
    assert!(scored >= 3, "the voice-score bands are part of what merges");

    let other = audit(&s, "sent.mbox", &["--format", "json"]);
    assert_eq!(
        other.status.code(),
        Some(2),
        "a missing sent file is trouble"
    );
    s.write("broken.json", "{\"emails\": ");
    let broken = s.run(&["audit", "merge", "a.json", "broken.json"], None);
    assert_eq!(broken.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("broken.json"));
}

#[test]
fn merge_refuses_shards_counted_differently_and_names_them() {
    let mb = mailbox(21, 120);
    let s = scratch_with(&mb);
    let half = mb.sent.len() / 2;
    let part = |range: std::ops::Range<usize>| Mailbox {
        sent: mb.sent[range].to_vec(),
    };
    s.write("a.mbox", part(0..half).sent_mbox());
    s.write("b.mbox", part(half..mb.sent.len()).sent_mbox());
    for (name, sent, extra) in [
        ("a.json", "a.mbox", &[][..]),
        ("a_red.json", "a.mbox", &["--redact"][..]),
        ("b_err.json", "b.mbox", &["--min-severity", "error"][..]),
        ("b_red.json", "b.mbox", &["--redact"][..]),
        ("b_min5.json", "b.mbox", &["--min-emails", "5"][..]),
    ] {
        s.write(
            name,
            serde_json::to_vec(&audit_json(&s, sent, extra)).unwrap(),
        );
    }
    let merge = |shards: &[&str]| {
        let mut args = vec!["audit", "merge"];
        args.extend_from_slice(shards);
        s.run(&args, None)
    };
    let refused = |shards: &[&str], message: &str| {
        let out = merge(shards);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{shards:?}: {stderr}");
        assert!(stderr.contains(message), "{shards:?}: {stderr}");
        assert!(out.stdout.is_empty(), "no report from {shards:?}");
    };
    refused(
        &["a.json", "b_err.json"],
        "a.json and b_err.json were made with different --min-severity (warning and error)",
    );
    refused(
        &["a.json", "b_red.json"],
        "a.json and b_red.json were made with different --redact (not redacted and redacted)",
    );
    let missing = merge(&["a.json", "missing.json"]);
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr.contains("missing.json: cannot read: ") && !stderr.contains("not an audit report"),
        "{stderr}"
    );

    let redacted = json_of(&merge(&["a_red.json", "b_red.json"]));
    assert_eq!(
        redacted["redacted"], true,
        "redacted shards merge, and say so"
    );
    let one_way = json_of(&merge(&["a.json", "b_min5.json"]));
    let other_way = json_of(&merge(&["b_min5.json", "a.json"]));
    assert_eq!(
        one_way, other_way,
        "the order of the shards does not matter"
    );
    assert_eq!(one_way["min_emails"], 30, "the largest --min-emails");
    assert_eq!(one_way["min_severity"], "warning");
}

#[test]
fn bad_input_is_reported_and_the_audit_goes_on() {
    let s = Scratch::new();
    s.write(
        "sent/one.eml",
        "Message-ID: <1@x>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\nSubject: Denver\n\nHi Dana,\n\nI wanted to reach out about Denver.\n",
    );
    s.write("sent/no-id.eml", "Subject: Denver\nFrom: a@x\n\nHi Dana\n");
    s.write("sent/notes.txt", "not a message at all");
    s.write(
        "outcomes.csv",
        "message_id,replied\n<1@x>,yes\n<2@x>,maybe\n",
    );
    let out = s.run(
        &[
            "audit",
            "sent",
            "--outcomes",
            "outcomes.csv",
            "--format",
            "json",
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("outcomes.csv:3"), "{stderr}");
    assert!(stderr.contains("notes.txt: not a mail message"), "{stderr}");
    let report = json_of(&out);
    assert_eq!(tally(&report), (1, 1));
    assert_eq!(report["skipped"]["no Message-ID"], 1);

    let none = s.run(&["audit", "sent"], None);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("needs outcomes"));
    let bad_date = s.run(
        &[
            "audit",
            "sent",
            "--outcomes",
            "outcomes.csv",
            "--since",
            "May",
        ],
        None,
    );
    assert_eq!(bad_date.status.code(), Some(2));
}

#[test]
fn a_missing_input_or_page_path_is_trouble_after_the_report() {
    let mb = mailbox(8, 60);
    let s = scratch_with(&mb);
    let out = s.run(&["audit", "sent.mbox", "--replies", "nope.mbox"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.mbox: no such file or folder"));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("sent emails"),
        "the report still prints"
    );
    let out = audit(&s, "sent.mbox", &["--html", "no/such/dir/page.html"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write no/such/dir/page.html"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("sent emails"));
    let both = audit(&s, "sent.mbox", &["--outcomes", "x.csv"]);
    assert_eq!(
        both.status.code(),
        Some(2),
        "--replies and --outcomes are alternatives"
    );
}

#[test]
fn the_reps_own_follow_ups_in_the_replies_are_not_replies() {
    let s = Scratch::new();
    let first = message("1@x", "Mon, 5 Jan 2026 10:00:00 +0000", "Worth a call?");
    let follow_up = "Message-ID: <2@x>\nIn-Reply-To: <1@x>\nDate: Wed, 7 Jan 2026 10:00:00 +0000\nFrom: Sam <sam@sales.example>\nSubject: Re: Denver\n\nBumping this.\n";
    // One mailbox as both the sent mail and the replies, as an "All Mail" export is.
    let audit_all = |msgs: &[&str]| {
        let mbox: String = msgs
            .iter()
            .map(|m| format!("From sam@sales.example Mon Jan  5 10:00:00 2026\n{m}\n"))
            .collect();
        s.write("all.mbox", mbox);
        json_of(&s.run(
            &[
                "audit",
                "all.mbox",
                "--replies",
                "all.mbox",
                "--format",
                "json",
            ],
            None,
        ))
    };
    let report = audit_all(&[&first, follow_up]);
    assert_eq!(
        tally(&report),
        (2, 0),
        "an All Mail export answers nothing by itself"
    );
    let answer = "Message-ID: <3@y>\nIn-Reply-To: <1@x>\nDate: Thu, 8 Jan 2026 10:00:00 +0000\nFrom: dana@northwind.test\nSubject: Re: Denver\n\nSure.\n";
    let report = audit_all(&[&first, follow_up, answer]);
    assert_eq!(tally(&report).1, 1, "Dana's answer is the one reply");
}

#[test]
fn the_html_report_is_one_self_contained_page_with_charts() {
    let s = scratch_with(&mailbox(3, 700));
    let out = audit(
        &s,
        "sent.mbox",
        &[
            "--rollout",
            "2026-02-01",
            "--html",
            "report.html",
            "--redact",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Phrases by replies lost"));
    let html = std::fs::read_to_string(s.0.join("report.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(
        html.matches("<svg").count(),
        3,
        "months, phrases and voice-score bands"
    );
    assert!(html.contains("<h2>Reply rate by voice score</h2>"));
    assert!(html.contains("<code>corporate-ai.voice</code>"));
    assert!(html.contains("Reply rate by voice-score band with 95% intervals"));
    assert!(html.contains("rollout 2026-02-01"), "the rollout is marked");
    assert!(html.contains("I wanted to reach out"));
    assert!(html.contains("<mark>"), "examples mark the phrase");
    for fetched in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(
            !html.contains(fetched),
            "{fetched} in a page meant to need no network"
        );
    }
    assert!(
        !html.contains("@sales.example"),
        "no addresses, and no senders"
    );
    assert!(!html.contains("Globex"), "--redact hides company names");
}

/// A message with this id, date and body line.
fn message(id: &str, date: &str, body: &str) -> String {
    format!(
        "Message-ID: <{id}>\nDate: {date}\nFrom: Sam <sam@sales.example>\nSubject: Denver\n\nHi Dana,\n\n{body}\n"
    )
}

#[test]
fn impossible_dates_and_duplicate_ids_are_left_out_and_counted() {
    let s = Scratch::new();
    let good = "Mon, 5 Jan 2026 10:00:00 +0000";
    let mut mbox = String::new();
    let sent = [
        ("1@x", good),
        ("2@x", "Sat, 31 Feb 2026 10:00:00 +0000"),
        ("3@x", "Mon, 1 Jan 0001 10:00:00 +0000"),
        ("4@x", "Mon, 1 Jan -5 10:00:00 +0000"),
        ("5@x", good),
        ("5@x", good),
        ("5@x", good),
    ];
    for (id, date) in sent {
        // No blank line before each `From ` line: every one still starts a message.
        mbox.push_str("From sam@sales.example Mon Jan  5 10:00:00 2026\n");
        mbox.push_str(&message(id, date, "I wanted to reach out about Denver."));
    }
    s.write("sent.mbox", mbox);
    s.write(
        "outcomes.csv",
        "message_id,replied\n1@x,yes\n2@x,yes\n3@x,no\n4@x,no\n5@x,yes\n",
    );
    let out = s.run(
        &[
            "audit",
            "sent.mbox",
            "--outcomes",
            "outcomes.csv",
            "--format",
            "json",
        ],
        None,
    );
    let report = json_of(&out);
    assert_eq!(tally(&report), (2, 2), "1@x and one 5@x");
    assert_eq!(
        report["skipped"]["impossible Date"], 3,
        "{}",
        report["skipped"]
    );
    assert_eq!(report["skipped"]["duplicate Message-ID"], 2);
    let months: Vec<&str> = report["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap())
        .collect();
    assert_eq!(months, ["2026-01"], "nothing moved to March, 2001 or 2000");
    let human = s.run(&["audit", "sent.mbox", "--outcomes", "outcomes.csv"], None);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("left out: 2 duplicate Message-ID, 3 impossible Date"),
        "{text}"
    );
}

#[test]
fn a_message_without_a_date_is_left_out_and_named_so_totals_months_and_periods_add_up() {
    let s = Scratch::new();
    let undated = "Message-ID: <4@x>\nFrom: Sam <sam@sales.example>\nSubject: Denver\n\nHi Dana,\n\nI wanted to reach out about Denver.\n";
    let dated = [
        ("1@x", "Mon, 5 Jan 2026 10:00:00 +0000"),
        ("2@x", "Tue, 3 Feb 2026 10:00:00 +0000"),
        ("3@x", "Tue, 3 Mar 2026 10:00:00 +0000"),
    ];
    let mut messages: Vec<String> = dated
        .iter()
        .map(|(id, date)| message(id, date, "I wanted to reach out about Denver."))
        .collect();
    messages.push(undated.to_string());
    let mbox = |msgs: &[String]| -> String {
        msgs.iter()
            .map(|m| format!("From sam@sales.example Mon Jan  5 10:00:00 2026\n{m}"))
            .collect()
    };
    s.write("all.mbox", mbox(&messages));
    s.write("a.mbox", mbox(&messages[..2]));
    s.write("b.mbox", mbox(&messages[2..]));
    s.write(
        "outcomes.csv",
        "message_id,replied\n1@x,yes\n2@x,no\n3@x,yes\n4@x,yes\n",
    );
    let run = |sent: &str, extra: &[&str]| {
        let mut args = vec![
            "audit",
            sent,
            "--outcomes",
            "outcomes.csv",
            "--rollout",
            "2026-02-01",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        json_of(&s.run(&args, None))
    };
    let report = run("all.mbox", &[]);
    assert_eq!(tally(&report), (3, 2), "the undated message is not counted");
    assert_eq!(report["skipped"]["no Date"], 1, "{}", report["skipped"]);
    let months: u64 = report["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["emails"].as_u64().unwrap())
        .sum();
    assert_eq!(months, 3, "the months add up to the total");
    let rollout = &report["rollout"];
    assert_eq!(
        tally(&rollout["before"]).0 + tally(&rollout["after"]).0,
        3,
        "before and after add up to the total: {rollout}"
    );
    let since = run("all.mbox", &["--since", "2025-01-01"]);
    assert_eq!(
        tally(&since),
        tally(&report),
        "--since changes nothing here"
    );
    assert_eq!(since["skipped"], report["skipped"]);

    let human = s.run(&["audit", "all.mbox", "--outcomes", "outcomes.csv"], None);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("left out: 1 no Date"), "{text}");

    let shard = |sent: &str, name: &str| {
        s.write(name, serde_json::to_vec(&run(sent, &[])).unwrap());
    };
    shard("a.mbox", "a.json");
    shard("b.mbox", "b.json");
    let merged = json_of(&s.run(&["audit", "merge", "a.json", "b.json"], None));
    assert_eq!(merged, report, "shards merge to the single run");
}

#[test]
fn a_nul_byte_in_one_message_does_not_drop_the_mailbox() {
    let s = Scratch::new();
    let mut mbox = String::new();
    for i in 1..=4 {
        let body = if i == 2 {
            "I wanted to reach out\0 about Denver."
        } else {
            "I wanted to reach out about Denver."
        };
        mbox.push_str("From sam@sales.example Mon Jan  5 10:00:00 2026\n");
        mbox.push_str(&message(
            &format!("{i}@x"),
            "Mon, 5 Jan 2026 10:00:00 +0000",
            body,
        ));
    }
    s.write("sent.mbox", mbox);
    s.write(
        "outcomes.csv",
        "message_id,replied\n1@x,yes\n2@x,no\n3@x,yes\n4@x,no\n",
    );
    let out = s.run(
        &[
            "audit",
            "sent.mbox",
            "--outcomes",
            "outcomes.csv",
            "--format",
            "json",
        ],
        None,
    );
    let report = json_of(&out);
    assert_eq!(
        tally(&report),
        (4, 2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        report["rules"][0]["emails"], 4,
        "the damaged message is checked too"
    );
}

#[test]
fn bad_outcome_rows_are_named_and_an_open_quote_is_trouble() {
    let s = Scratch::new();
    s.write(
        "sent/a.eml",
        message(
            "a@x",
            "Mon, 5 Jan 2026 10:00:00 +0000",
            "I wanted to reach out.",
        ),
    );
    s.write(
        "sent/b.eml",
        message(
            "b@x",
            "Mon, 5 Jan 2026 10:00:00 +0000",
            "I wanted to reach out.",
        ),
    );
    s.write(
        "outcomes.csv",
        "message_id,replied,replied_at\na@x,no,\nb@x,no,\nb@x,yes,2026-01-06\na@x,no,next week\n",
    );
    let out = s.run(
        &[
            "audit",
            "sent",
            "--outcomes",
            "outcomes.csv",
            "--format",
            "json",
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = json_of(&out);
    assert!(
        stderr
            .contains("outcomes.csv:4: message_id `b@x` is listed again with a different outcome"),
        "{stderr}"
    );
    assert!(
        stderr.contains("outcomes.csv:5: replied_at is `next week`, not a date"),
        "{stderr}"
    );
    assert_eq!(
        tally(&report),
        (1, 0),
        "b@x has no known outcome, not a reply"
    );
    assert_eq!(report["skipped"]["no outcome"], 1);

    s.write(
        "outcomes.csv",
        "message_id,replied\na@x,no\n\"b@x,no\nc@x,yes\n",
    );
    let out = s.run(&["audit", "sent", "--outcomes", "outcomes.csv"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("outcomes.csv:3: a quote opened on this line is never closed; it swallowed the 1 rows after it"),
        "{stderr}"
    );
}

#[test]
fn redaction_hides_labels_ids_and_hard_cases_in_snippets() {
    let s = Scratch::new();
    let bodies = [
        "I wanted to reach out about acme logistics and GLOBEX in Дмитрий's team.",
        "I wanted to reach out: see linkedin.com/in/dana-smith or write dana(at)globex(dot)com.",
        "I wanted to reach out to our SW1A 1AA office, ｄａｎａ＠ｇｌｏｂｅｘ．ｃｏｍ.",
        "In the current landscape of acme logistics, teams move fast.",
    ];
    for (i, body) in bodies.iter().enumerate() {
        s.write(
            &format!("sent/{i}.eml"),
            message(
                &format!("{i}@globex.example"),
                "Mon, 5 Jan 2026 10:00:00 +0000",
                body,
            ),
        );
    }
    s.write(
        "outcomes.csv",
        "message_id,replied\n0@globex.example,yes\n1@globex.example,no\n2@globex.example,no\n3@globex.example,no\n",
    );
    let args = [
        "audit",
        "sent",
        "--outcomes",
        "outcomes.csv",
        "--format",
        "json",
        "--min-severity",
        "info",
    ];
    let clear = String::from_utf8_lossy(&s.run(&args, None).stdout).into_owned();
    assert!(
        clear.contains("acme logistics"),
        "the unredacted report shows them: {clear}"
    );
    let mut redacted_args = args.to_vec();
    redacted_args.push("--redact");
    let out = s.run(&redacted_args, None);
    let json = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for leak in [
        "acme",
        "logistics",
        "GLOBEX",
        "globex",
        "Дмитрий",
        "linkedin",
        "dana",
        "SW1A",
        "1AA",
        "ｄａｎａ",
    ] {
        assert!(
            !json.contains(leak),
            "{leak} in the redacted report: {json}"
        );
    }
    assert!(json.contains("I wanted to reach out"), "the phrase stays");
    assert!(
        json.contains("\"message\": \"id-"),
        "ids are hashed: {json}"
    );
}

#[test]
fn redaction_keeps_the_matched_phrases_hyphenated_and_apostrophe_words() {
    let s = Scratch::new();
    let body = "In today’s fast-paced environment, Acme teams move fast. It's a game-changer for teams navigating the ever-evolving landscape of B2B sales.";
    s.write(
        "sent/0.eml",
        message("0@globex.example", "Mon, 5 Jan 2026 10:00:00 +0000", body),
    );
    s.write("outcomes.csv", "message_id,replied\n0@globex.example,no\n");
    let out = s.run(
        &[
            "audit",
            "sent",
            "--outcomes",
            "outcomes.csv",
            "--format",
            "json",
            "--redact",
        ],
        None,
    );
    let report = json_of(&out);
    let example = |phrase: &str| -> String {
        let pattern = report["patterns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["phrase"] == phrase)
            .unwrap_or_else(|| panic!("no {phrase} in {}", report["patterns"]));
        pattern["examples"][0]["snippet"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let opener = example("in today's fast-paced environment");
    assert!(
        opener.contains("In today’s fast-paced environment, [name] teams"),
        "{opener}"
    );
    let cliche = example("game-changer");
    assert!(cliche.contains("It's a game-changer for teams"), "{cliche}");
    assert!(
        !cliche.contains("B2B") && !opener.contains("Acme"),
        "the rest is still redacted: {cliche} / {opener}"
    );
}

#[test]
fn by_sender_has_a_header_row() {
    let s = Scratch::new();
    for (i, from) in ["al@x.io", "someone.with.a.long.address@example.org"]
        .iter()
        .enumerate()
    {
        s.write(
            &format!("sent/{i}.eml"),
            message(
                &format!("{i}@x"),
                "Mon, 5 Jan 2026 10:00:00 +0000",
                "Hello.",
            )
            .replace("sam@sales.example", from),
        );
    }
    s.write("outcomes.csv", "message_id,replied\n0@x,yes\n1@x,no\n");
    let out = s.run(
        &["audit", "sent", "--outcomes", "outcomes.csv", "--by-sender"],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let table: Vec<&str> = text
        .split("not a ranking)\n")
        .nth(1)
        .unwrap()
        .lines()
        .take(3)
        .collect();
    assert!(table[0].trim_start().starts_with("sender"), "{text}");
    assert!(
        table.iter().all(|l| l.len() == table[0].len()),
        "{table:#?}"
    );
    assert!(text.contains("someone.with.a.long.address@example.org"));
    let redacted = s.run(
        &[
            "audit",
            "sent",
            "--outcomes",
            "outcomes.csv",
            "--by-sender",
            "--redact",
        ],
        None,
    );
    let text = String::from_utf8_lossy(&redacted.stdout);
    assert!(
        !text.contains("example.org") && !text.contains("al@x.io"),
        "{text}"
    );
    assert_eq!(text.matches("sender-").count(), 2, "{text}");
}

/// A message with this id whose headers and body are `draft` (a draft starting `Subject:`).
fn eml(id: &str, draft: &str) -> String {
    format!(
        "Message-ID: <{id}>\nDate: Mon, 5 Jan 2026 10:00:00 +0000\nFrom: Sam <sam@sales.example>\n{draft}"
    )
}

/// The probability the shipped voice score gives a raw message, straight from the engine.
fn probability(raw: &str) -> Option<f64> {
    let linter = Linter::builder().build().unwrap();
    let draft = read_draft(InputKind::Message, raw.as_bytes(), 0);
    let checked = linter.check_scored(&draft.doc);
    assert_eq!(
        checked.scores.len(),
        1,
        "the shipped packs have one score rule"
    );
    checked.scores[0].probability
}

/// The band of a report's score section that holds probability `p`.
fn band_holding(section: &Value, p: f64) -> &Value {
    let bands = section["bands"].as_array().unwrap();
    bands
        .iter()
        .find(|b| {
            let (from, to) = (b["from"].as_f64().unwrap(), b["to"].as_f64().unwrap());
            from <= p && (p < to || to == 1.0)
        })
        .unwrap_or_else(|| panic!("no band holds {p}: {section}"))
}

#[test]
fn voice_score_bands_count_each_message_at_its_probability_and_shards_merge() {
    let ai = include_str!("../examples/ai-draft.txt");
    let human = include_str!("../examples/human-draft.txt");
    let note = "Subject: Tuesday\n\nHi Dana,\n\nTuesday works. Thanks!\n";
    let s = Scratch::new();
    let mut outcomes = String::from("message_id,replied\n");
    // Shard a: 12 AI drafts (1 replied) and 3 short notes (2 replied); shard b: 20 human
    // drafts (5 replied).
    for (shard, name, draft, n, replied) in [
        ("a", "ai", ai, 12, 1),
        ("a", "note", note, 3, 2),
        ("b", "human", human, 20, 5),
    ] {
        for i in 0..n {
            let id = format!("{name}-{i}@x");
            s.write(&format!("{shard}/{name}-{i}.eml"), eml(&id, draft));
            outcomes.push_str(&format!("{id},{}\n", i < replied));
        }
    }
    s.write("outcomes.csv", &outcomes);
    let run = |sent: &[&str], extra: &[&str]| {
        let mut args = vec!["audit"];
        args.extend_from_slice(sent);
        args.extend_from_slice(&["--outcomes", "outcomes.csv", "--min-emails", "10"]);
        args.extend_from_slice(extra);
        s.run(&args, None)
    };
    let report = json_of(&run(&["a", "b"], &["--format", "json"]));

    let sections = report["score_bands"].as_array().unwrap();
    assert_eq!(sections.len(), 1);
    let section = &sections[0];
    assert_eq!(section["rule"], "corporate-ai.voice");
    let warning = section["warning"].as_f64().unwrap();
    let p_ai = probability(&eml("ai-0@x", ai)).expect("long enough to score");
    let p_human = probability(&eml("human-0@x", human)).expect("long enough to score");
    assert_eq!(probability(&eml("note-0@x", note)), None, "too short");
    assert!(
        p_human < warning && warning <= p_ai,
        "the sample drafts read as they should: human {p_human}, AI {p_ai}"
    );

    let ai_band = band_holding(section, p_ai);
    let human_band = band_holding(section, p_human);
    assert_eq!(tally(ai_band), (12, 1));
    assert_eq!(ai_band["reply_rate"].as_f64().unwrap(), 1.0 / 12.0);
    assert!(ai_band["threshold"] == "warning" || ai_band["threshold"] == "error");
    assert_eq!(tally(human_band), (20, 5));
    assert_eq!(human_band["threshold"], Value::Null);
    let others: u64 = section["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| tally(b).0)
        .sum();
    assert_eq!(others, 32, "no other band holds a message");
    assert_eq!(tally(&section["unscored"]), (3, 2), "the notes");

    assert_eq!(section["reference"], human_band["band"]);
    let lift = ai_band["lift"].as_f64().unwrap();
    assert!((lift - (1.0 / 12.0) / (5.0 / 20.0)).abs() < 1e-12, "{lift}");
    assert_eq!(ai_band["test"], "fisher", "expected counts under 5");
    assert!(!ai_band["too_few"].as_bool().unwrap());
    assert_eq!(human_band["lift"].as_f64(), Some(1.0));

    let text = String::from_utf8_lossy(&run(&["a", "b"], &[]).stdout).to_string();
    let row = |band: &Value| {
        let label = format!("  {} ", band["band"].as_str().unwrap());
        text.lines()
            .find(|l| l.starts_with(&label))
            .unwrap_or_else(|| panic!("a row for {label}: {text}"))
            .to_string()
    };
    assert!(text.contains("Reply rate by voice score (corporate-ai.voice"));
    let ai_row = row(ai_band);
    assert!(
        ai_row.contains("  12 ") && ai_row.contains("8.3%"),
        "{ai_row}"
    );
    assert!(ai_row.contains("0.33") && ai_row.ends_with(ai_band["threshold"].as_str().unwrap()));
    assert!(row(human_band).ends_with("reference"), "{text}");
    assert!(
        text.contains("not scored") && text.contains("under 40 words"),
        "{text}"
    );

    // Two shards, merged, give the figures of the run over both.
    for shard in ["a", "b"] {
        let out = run(&[shard], &["--format", "json"]);
        s.write(&format!("{shard}.json"), out.stdout);
    }
    let merged = json_of(&s.run(&["audit", "merge", "a.json", "b.json"], None));
    assert_eq!(merged["score_bands"], report["score_bands"]);
    assert_eq!(merged, report);
}

#[test]
fn the_band_section_has_its_documented_shape() {
    let s = scratch_with(&mailbox(4, 300));
    let report = audit_json(&s, "sent.mbox", &[]);
    let section = &report["score_bands"][0];
    let mut keys: Vec<&str> = section
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "bands",
            "error",
            "min_words",
            "reference",
            "rule",
            "unscored",
            "warning"
        ]
    );
    let bands = section["bands"].as_array().unwrap();
    let mut band_keys: Vec<&str> = bands[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    band_keys.sort();
    assert_eq!(
        band_keys,
        [
            "band",
            "ci_high",
            "ci_low",
            "emails",
            "from",
            "lift",
            "p_value",
            "replied",
            "reply_rate",
            "test",
            "threshold",
            "to",
            "too_few"
        ]
    );
    // Tenths of probability, split at the rule's two thresholds.
    let (warning, error) = (
        section["warning"].as_f64().unwrap(),
        section["error"].as_f64().unwrap(),
    );
    let mut edges: Vec<f64> = bands.iter().map(|b| b["from"].as_f64().unwrap()).collect();
    edges.push(bands.last().unwrap()["to"].as_f64().unwrap());
    let mut expected: Vec<f64> = (0..=10).map(|k| f64::from(k) / 10.0).collect();
    expected.extend([warning, error]);
    expected.sort_by(f64::total_cmp);
    expected.dedup();
    assert_eq!(edges, expected);
    for b in bands {
        let from = b["from"].as_f64().unwrap();
        let at = if from >= error {
            "error"
        } else if from >= warning {
            "warning"
        } else {
            "none"
        };
        assert_eq!(b["threshold"].as_str().unwrap_or("none"), at, "{b}");
        let emails = b["emails"].as_u64().unwrap();
        assert_eq!(
            b["too_few"],
            emails < 30,
            "the pattern table's minimum: {b}"
        );
    }
    let counted: u64 = bands.iter().map(|b| b["emails"].as_u64().unwrap()).sum();
    assert_eq!(
        counted + section["unscored"]["emails"].as_u64().unwrap(),
        300,
        "every message is in a band or not scored"
    );
    assert!(report.get("notes").is_none(), "{}", report["notes"]);
}

#[test]
fn without_a_score_rule_the_bands_are_left_out_with_a_note() {
    let s = scratch_with(&mailbox(6, 200));
    let off = ["--disable", "corporate-ai.voice"];
    let report = audit_json(&s, "sent.mbox", &off);
    assert!(report.get("score_bands").is_none(), "no table of zeros");
    let notes = report["notes"].as_array().unwrap();
    assert!(
        notes[0].as_str().unwrap().contains("no score rule ran"),
        "{notes:?}"
    );

    let text = String::from_utf8_lossy(&audit(&s, "sent.mbox", &off).stdout).to_string();
    assert!(!text.contains("Reply rate by voice score"), "{text}");
    assert!(
        text.contains("note: no reply rates by voice score"),
        "{text}"
    );
    let mut html_args = off.to_vec();
    html_args.extend_from_slice(&["--html", "page.html"]);
    audit(&s, "sent.mbox", &html_args);
    let html = std::fs::read_to_string(s.0.join("page.html")).unwrap();
    assert!(!html.contains("<h2>Reply rate by voice score"));
    assert!(html.contains("Note: no reply rates by voice score"));

    // A shard without the score cannot merge into one with it: its messages have no band.
    s.write(
        "off.json",
        audit(&s, "sent.mbox", &[&off[..], &["--format", "json"]].concat()).stdout,
    );
    s.write(
        "on.json",
        audit(&s, "sent.mbox", &["--format", "json"]).stdout,
    );
    let merged = s.run(&["audit", "merge", "on.json", "off.json"], None);
    assert_eq!(merged.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&merged.stderr).contains("different score rules"),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
}
