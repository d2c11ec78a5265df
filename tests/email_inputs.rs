//! Real email in: `.eml` (MIME encodings, charsets, alternatives), HTML, mbox, regions, and
//! hostile input, through the `redline` binary. Every fixture here is written by us.

#[path = "support/mod.rs"]
mod support;

use support::{Scratch, code, json_lines, stderr};

/// Runs `redline check --format json --fail-on error ARGS` and parses the output.
fn json(s: &Scratch, args: &[&str]) -> (i32, Vec<serde_json::Value>, String) {
    let mut all = vec!["check", "--format", "json", "--fail-on", "error"];
    all.extend_from_slice(args);
    let o = s.run(&all, None);
    (code(&o), json_lines(&o), stderr(&o))
}

/// Writes a fixture and returns its path relative to the scratch folder.
fn write(s: &Scratch, rel: &str, contents: impl AsRef<[u8]>) -> String {
    s.write(rel, contents);
    rel.to_string()
}

fn rules(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["rule"].as_str().unwrap().to_string())
        .collect()
}

const ALTERNATIVE: &str = "From: Alex <alex@acme.test>\r\nTo: Dana <dana@northwind.test>\r\nSubject: =?UTF-8?Q?Northwind=E2=80=99s_Denver_office?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHi Dana,\r\n\r\nI hope this finds you well. I wanted to re=\r\nach out about the Denver office =E2=80=94 congrats.\r\n\r\nBest,\r\nAlex\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hi Dana,</p><p>I hope this finds you well. I wanted to reach out about the Denver office.</p>\r\n--alt--\r\n";

#[test]
fn quoted_printable_alternative_is_checked_once_with_raw_offsets() {
    let s = Scratch::new();
    let path = write(&s, "msg.eml", ALTERNATIVE);
    let (code, lines, _) = json(&s, &[&path]);
    assert_eq!(code, 1);
    let found = rules(&lines);
    let reach: Vec<_> = lines
        .iter()
        .filter(|l| l["rule"] == "corporate-ai.wanted-to-reach-out")
        .collect();
    assert_eq!(
        reach.len(),
        1,
        "plain part only, never the HTML twin: {found:?}"
    );
    let f = reach[0];
    let (start, end) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        &ALTERNATIVE[start..end],
        "I wanted to re=\r\nach out",
        "raw bytes, soft break inside"
    );
    assert_eq!(f["match"], "I wanted to reach out", "the decoded match");
    assert_eq!(f["part"]["encoding"], "quoted-printable");
    assert_eq!(f["part"]["type"], "text/plain");
    assert_eq!(f["part"]["exact"], true);
    assert_eq!(f["line"], 13);
    assert_eq!(
        f["fix"],
        serde_json::Value::Null,
        "no byte edits inside encoded parts"
    );
}

#[test]
fn html_only_and_base64_bodies_are_decoded() {
    let s = Scratch::new();
    let html = "Subject: Quick note\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<html><head><style>p{}</style></head><body><p>Hi Dana,</p><p>In today\u{92}s fast-paced environment, I wanted to reach&nbsp;out.</p><blockquote>I hope this finds you well</blockquote></body></html>";
    let bytes: Vec<u8> = html.chars().map(|c| c as u32 as u8).collect();
    let path = write(&s, "html.eml", &bytes);
    let (_, lines, _) = json(&s, &[&path]);
    let found = rules(&lines);
    assert!(
        found.contains(&"corporate-ai.fast-paced-environment".into()),
        "{found:?}"
    );
    assert!(
        found.contains(&"corporate-ai.wanted-to-reach-out".into()),
        "{found:?}"
    );
    assert!(
        !found.contains(&"corporate-ai.hope-this-finds-you-well".into()),
        "blockquoted text is a quoted reply: {found:?}"
    );
    let f = lines
        .iter()
        .find(|l| l["rule"] == "corporate-ai.wanted-to-reach-out")
        .unwrap();
    let (start, end) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&bytes[start..end], b"I wanted to reach&nbsp;out");

    let b64 = "Subject: b64\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nSGkgRGFuYSwKCkkgd2FudGVkIHRvIHJlYWNoIG91dCBhYm91dCBEZW52ZXIuCg==\r\n";
    let path = write(&s, "b64.eml", b64);
    let (code, lines, _) = json(&s, &[&path]);
    assert_eq!(code, 1);
    let f = &lines[0];
    assert_eq!(f["part"]["encoding"], "base64");
    assert_eq!(f["part"]["exact"], false);
    assert_eq!(f["part"]["start"], 10, "offset into the decoded text");
}

#[test]
fn latin1_subject_lines_are_their_own_region() {
    let s = Scratch::new();
    let eml = b"Subject: Caf\xe9 news, I wanted to reach out\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nHi Dana,\r\n\r\nThe caf\xe9 opened on Monday.\r\n";
    let path = write(&s, "latin1.eml", eml);
    let (_, lines, _) = json(&s, &[&path]);
    let f = lines
        .iter()
        .find(|l| l["rule"] == "corporate-ai.wanted-to-reach-out")
        .expect("whole-scope rule sees the subject");
    assert_eq!(f["part"]["type"], "subject");
    let (start, end) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&eml[start..end], b"I wanted to reach out");
}

#[test]
fn mbox_messages_are_named_by_number() {
    let s = Scratch::new();
    let mbox = "From alex@acme.test Mon Sep  2 09:00:00 2024\nSubject: one\n\nHi Dana,\n\nSaw the Denver news. Congrats.\n\nFrom alex@acme.test Tue Sep  3 09:00:00 2024\nSubject: two\n\nHi Sam,\n\nI wanted to reach out about Q3.\n";
    let path = write(&s, "sent.mbox", mbox);
    let (code, lines, _) = json(&s, &[&path]);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["path"], "sent.mbox#2");
    let start = lines[0]["start"].as_u64().unwrap() as usize;
    assert!(mbox[start..].starts_with("I wanted to reach out"));
    assert_eq!(lines[0]["line"], 13);
}

#[test]
fn a_mailbox_that_opens_with_blank_lines_loses_no_message() {
    let s = Scratch::new();
    for (name, blank) in [("lf.mbox", "\n"), ("crlf.mbox", "\r\n\r\n")] {
        let mbox = format!(
            "{blank}From alex@acme.test Mon Sep  2 09:00:00 2024\nSubject: one\n\nHi Sam,\n\nI wanted to reach out about Q3.\n"
        );
        let path = write(&s, name, &mbox);
        let (code, lines, err) = json(&s, &[&path]);
        assert_eq!(code, 1, "{name}: {err}");
        assert_eq!(lines.len(), 1, "{name}: {lines:?}");
        assert_eq!(lines[0]["path"], format!("{name}#1"));
        let start = lines[0]["start"].as_u64().unwrap() as usize;
        assert!(mbox[start..].starts_with("I wanted to reach out"), "{name}");
        let line = 1 + mbox[..start].matches('\n').count();
        assert_eq!(lines[0]["line"], line, "{name}");
    }
}

#[test]
fn a_nul_byte_in_one_mailbox_message_loses_no_message() {
    let s = Scratch::new();
    let mut mbox = Vec::new();
    for i in 1..=4 {
        let nul = if i == 2 { "\0" } else { "" };
        mbox.extend(
            format!(
                "From alex@acme.test Mon Sep  2 09:00:00 2024\nMessage-ID: <{i}@acme.test>\nSubject: {i}\n\nHi Sam,\n\nI wanted to reach out{nul} about Q{i}.\n\n"
            )
            .as_bytes(),
        );
    }
    for name in ["sent.mbox", "Sent"] {
        let path = write(&s, name, &mbox);
        let (code, lines, err) = json(&s, &[&path]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(!err.contains("binary"), "{name}: {err}");
        let paths: Vec<&str> = lines.iter().map(|l| l["path"].as_str().unwrap()).collect();
        let expected: Vec<String> = (1..=4).map(|n| format!("{name}#{n}")).collect();
        assert_eq!(
            paths, expected,
            "every message is checked, the damaged one too"
        );
        let start = lines[1]["start"].as_u64().unwrap() as usize;
        assert!(mbox[start..].starts_with(b"I wanted to reach out\0"));
    }
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(&mbox);
    let path = write(&s, "logo.mbox", png);
    let (code, lines, err) = json(&s, &[&path]);
    assert!(
        err.contains("logo.mbox: looks binary (NUL bytes); skipped"),
        "{err}"
    );
    assert!(lines.is_empty());
    assert_eq!(code, 2, "nothing was read");
}

#[test]
fn a_body_the_parser_cannot_place_is_still_checked_at_its_own_bytes() {
    let s = Scratch::new();
    let cases = [
        // A multipart without its boundary.
        (
            "noboundary.eml",
            "Subject: hi\nContent-Type: multipart/mixed\n\nHi,\n\nI wanted to reach out.\n",
            "no text or HTML part found; its body checked as plain text",
        ),
        // Not a message at all, though named like one.
        (
            "notmsg.eml",
            "Hi Sam\nThanks for the note.\nWe use it. I wanted to reach out.\n",
            "not a parsable message; checked as plain text",
        ),
        // An empty plain alternative: what the recipient sees is the HTML.
        (
            "emptyplain.eml",
            "Subject: hi\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\n--b\nContent-Type: text/html\n\n<p>Hi,</p><p>I wanted to reach out.</p>\n--b--\n",
            "",
        ),
    ];
    for (name, text, note) in cases {
        let path = write(&s, name, text);
        let (code, lines, err) = json(&s, &[&path]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains(note), "{name}: {err}");
        let f = lines
            .iter()
            .find(|l| l["rule"] == "corporate-ai.wanted-to-reach-out")
            .unwrap_or_else(|| panic!("{name}: {lines:?}"));
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[start..end], "I wanted to reach out", "{name}");
        assert_eq!(f["line"], 1 + text[..start].matches('\n').count(), "{name}");
    }
}

#[test]
fn a_stray_windows_1252_byte_counts_as_the_one_character_it_shows_as() {
    let s = Scratch::new();
    let path = write(
        &s,
        "cp1252.txt",
        &b"Hi,\n\nIt\x92s late, I wanted to reach out.\n"[..],
    );
    let (_, lines, _) = json(&s, &[&path]);
    let f = &lines[0];
    assert_eq!(f["rule"], "corporate-ai.wanted-to-reach-out");
    // "It’s late, " is 11 characters: the match starts in column 12.
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(12))
    );
    let human = s.run(&["check", &path], None);
    assert!(
        String::from_utf8_lossy(&human.stdout).contains("cp1252.txt:3:12"),
        "{}",
        String::from_utf8_lossy(&human.stdout)
    );
}

#[test]
fn windows_1252_text_under_a_latin1_or_ascii_label_or_none_keeps_its_curly_apostrophe() {
    let s = Scratch::new();
    let body = b"Hi Dana,\r\n\r\nIn today\x92s fast-paced environment, the caf\xe9 is busy.\r\n";
    let message = |headers: &str, body: &[u8]| {
        let mut m = format!("Subject: Denver\r\nMIME-Version: 1.0\r\n{headers}\r\n").into_bytes();
        m.extend_from_slice(body);
        m
    };
    let qp = b"Hi Dana,\r\n\r\nIn today=92s fast-paced environment, the caf=E9 is busy.\r\n";
    let cases: [(&str, Vec<u8>, bool); 6] = [
        (
            "latin1.eml",
            message(
                "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n",
                body,
            ),
            false,
        ),
        (
            "latin1-qp.eml",
            message(
                "Content-Type: text/plain; charset=\"ISO-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n",
                qp,
            ),
            false,
        ),
        (
            "ascii.eml",
            message("Content-Type: text/plain; charset=us-ascii\r\n", body),
            true,
        ),
        (
            "no-charset.eml",
            message(
                "Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n",
                body,
            ),
            true,
        ),
        (
            "no-type.eml",
            message("Content-Transfer-Encoding: 8bit\r\n", body),
            true,
        ),
        ("notepad.txt", body.to_vec(), true),
    ];
    for (name, bytes, noted) in cases {
        let path = write(&s, name, &bytes);
        let (code, lines, stderr) = json(&s, &[&path]);
        assert_eq!(
            code, 1,
            "{name}: the error-level cliché blocks the send\n{stderr}"
        );
        let f = lines
            .iter()
            .find(|l| l["rule"] == "corporate-ai.fast-paced-environment")
            .unwrap_or_else(|| panic!("{name}: {lines:?}"));
        assert!(
            f["match"]
                .as_str()
                .unwrap()
                .starts_with("In today’s fast-paced"),
            "{name}: {}",
            f["match"]
        );
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        let raw = String::from_utf8_lossy(&bytes[start..end]).into_owned();
        assert!(
            raw.starts_with("In today"),
            "{name}: offsets point into the file: {raw:?}"
        );
        assert_eq!(
            stderr.contains(&format!("{name}: ")) && stderr.contains("read as Windows-1252"),
            noted,
            "{name}: a draft that was not UTF-8 is noted; a Latin-1 label is not: {stderr}"
        );
    }
}

#[test]
fn an_apple_mail_emlx_file_is_read_as_the_message_it_holds() {
    let s = Scratch::new();
    let message = "Return-Path: <jordan@acme.test>\nFrom: Jordan <jordan@acme.test>\nTo: sam@example.test\nSubject: Hello\nDate: Mon, 1 Jan 2024 10:00:00 -0800\nMime-Version: 1.0 (Mac OS X Mail 16.0)\nContent-Type: text/plain; charset=us-ascii\n\nHi Sam,\n\nI hope this finds you well.\n\nBest,\nJordan\n";
    let plist = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>flags</key>\n\t<integer>8590195713</integer>\n</dict>\n</plist>\n";
    let file = format!("{:<10}\n{message}{plist}", message.len());
    for name in ["12345.emlx", "12345.partial.emlx"] {
        let path = write(&s, name, &file);
        let (code, lines, stderr) = json(&s, &[&path]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert_eq!(
            rules(&lines),
            ["corporate-ai.hope-this-finds-you-well"],
            "{name}: the body only, no header read as prose"
        );
        let f = &lines[0];
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&file[start..end], "I hope this finds you well", "{name}");
        assert_eq!(
            f["line"], 12,
            "{name}: lines of the file, count line included"
        );
    }
    let o = s.run(&["check", "--format", "json"], Some(&file));
    assert_eq!(code(&o), 1, "an .emlx on standard input: {}", stderr(&o));
}

#[test]
fn a_message_whose_text_is_only_in_an_attachment_fails_the_gate() {
    let s = Scratch::new();
    let tnef = "Subject: Denver\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\n\r\neJ8+IhAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAAAADo\r\n--b--\r\n";
    let forward = "Subject: Fwd: Denver\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\nSubject: Denver\r\n\r\nI wanted to reach out.\r\n";
    let empty = "Subject: Denver\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n\r\n";
    for (name, message, exit, said) in [
        (
            "tnef.eml",
            tnef,
            2,
            "only attachments or a forwarded message; not checked",
        ),
        (
            "forward.eml",
            forward,
            2,
            "only attachments or a forwarded message; not checked",
        ),
        ("empty.eml", empty, 0, ""),
    ] {
        let path = write(&s, name, message);
        let (code, lines, stderr) = json(&s, &[&path]);
        assert_eq!(code, exit, "{name}: {stderr}");
        assert!(lines.is_empty(), "{name}: {lines:?}");
        assert!(
            said.is_empty()
                || stderr.contains(&format!("{name}: {}", "no text")) && stderr.contains(said),
            "{name}: {stderr}"
        );
    }
    let (code, _, _) = json(&s, &["tnef.eml", "empty.eml"]);
    assert_eq!(
        code, 2,
        "the unread message fails the run after the rest is checked"
    );
}

#[test]
fn a_finding_that_starts_on_a_bullet_redline_inserted_still_has_its_place() {
    let s = Scratch::new();
    let html = "<html><body>\n<p>Hi Priya,</p>\n<p>Acme helps revenue teams like yours. With our platform, you can:</p>\n<ul>\n<li>Unlock actionable insights from every call</li>\n<li>Seamlessly sync notes to your CRM</li>\n<li>Empower reps to close more deals</li>\n</ul>\n<p>It is a game-changer for teams navigating the ever-evolving landscape of B2B sales.</p>\n<p>Would you be open to a quick 15-minute call next week?</p>\n<p>Best regards,<br>Jordan</p>\n</body></html>\n";
    let path = write(&s, "list.html", html);
    let (_, lines, _) = json(&s, &[&path]);
    // The voice score's strongest span is a list line: its `- ` is redline's, not the draft's.
    assert!(
        lines.iter().any(|f| f["rule"] == "corporate-ai.voice"),
        "{lines:?}"
    );
    for f in &lines {
        let (Some(start), Some(end)) = (f["start"].as_u64(), f["end"].as_u64()) else {
            panic!("a finding without a place: {f}");
        };
        assert!(f["line"].is_u64() && f["column"].is_u64(), "{f}");
        let raw = &html[start as usize..end as usize];
        assert!(!raw.starts_with("- "), "{}: {raw:?}", f["rule"]);
    }
}

#[test]
fn a_postscript_after_the_signature_is_checked() {
    let s = Scratch::new();
    let text = "Hi Sam,\n\nSaw your Denver hiring post.\n\nBest,\nJordan\n\nP.S. I wanted to reach out about Q3.\n";
    let path = write(&s, "ps.txt", text);
    let (code, lines, err) = json(&s, &[&path]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["rule"], "corporate-ai.wanted-to-reach-out");
    assert_eq!(lines[0]["line"], 8);
}

#[test]
fn quoted_replies_forwards_and_signatures_stay_quiet() {
    let s = Scratch::new();
    let reply = "Subject: Re: Denver\r\nMessage-ID: <2@acme.test>\r\nMIME-Version: 1.0\r\n\r\nThursday works, see you then.\r\n\r\nOn Mon, Sep 2, 2024 at 9:00 AM Dana <dana@northwind.test> wrote:\r\n> I hope this finds you well. I wanted to reach out.\r\n\r\n-----Original Message-----\r\nFrom: Vendor\r\nSent: Monday\r\nI wanted to reach out about synergies.\r\n";
    let path = write(&s, "reply.eml", reply);
    let o = s.run(&["check", "--fail-on", "info", &path], None);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn hostile_input_is_reported_and_survived() {
    let s = Scratch::new();
    s.write("in/binary.eml", b"\x00\x01\x02garbage");
    s.write("in/broken.eml", "Content-Type: multipart/mixed; boundary=\"x\"\r\nMIME-Version: 1.0\r\n\r\n--x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ=\r\nI wanted to reach out=");
    let mut long = "word ".repeat(2_000_000);
    long.push_str("I wanted to reach out");
    s.write("in/long.txt", long);
    s.write("in/bad-utf8.txt", b"\xff\xfe I wanted to reach out \xc3");
    s.write("in/.hidden.txt", "I wanted to reach out");
    s.write("in/.gitignore", "ignored.txt\n");
    s.write("in/ignored.txt", "I wanted to reach out");
    let (code, lines, stderr) = json(&s, &["in"]);
    assert_eq!(code, 1);
    let mut paths: Vec<_> = lines
        .iter()
        .filter(|l| l["rule"] == "corporate-ai.wanted-to-reach-out")
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    paths.dedup();
    assert_eq!(
        paths,
        ["in/bad-utf8.txt", "in/broken.eml", "in/long.txt"],
        "{stderr}"
    );
    assert!(stderr.contains("in/binary.eml: looks binary"), "{stderr}");
    assert!(
        stderr.contains("in/bad-utf8.txt: invalid UTF-8 at byte 0"),
        "{stderr}"
    );
    let bad = &lines[0];
    assert_eq!(
        bad["start"], 3,
        "offsets are the file's bytes despite replacement characters"
    );

    let (code, lines, stderr) = json(&s, &["in/missing.eml", "in/long.txt"]);
    assert_eq!(code, 2, "an input that could not be read fails the gate");
    assert!(
        !lines.is_empty(),
        "one unreadable file does not stop the run: the rest is checked"
    );
    assert!(stderr.contains("in/missing.eml: no such file or folder"));
    let (code, _, _) = json(&s, &["in/missing.eml"]);
    assert_eq!(code, 2, "nothing could be read at all");
}
