//! Positions are sacred: every finding's span is the exact bytes of the original input, and
//! line/column and UTF-16 positions point at them, whatever the text does around the match
//! (CRLF, tabs, emoji, combining marks, curly quotes, non-breaking hyphens, wrapped lines).

use redline_email::Linter;
use redline_text::LineIndex;

fn linter() -> Linter {
    Linter::builder().build().expect("shipped packs load")
}

/// The original text of the finding for `rule`, checking the span is on char boundaries.
fn matched(text: &str, rule: &str) -> (std::ops::Range<usize>, String) {
    let findings = linter().check(text);
    let f = findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("{rule} did not fire on {text:?}: {findings:?}"));
    assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
    assert_eq!(f.matched, &text[f.span.clone()]);
    (f.span.clone(), f.matched.to_string())
}

#[test]
fn crlf_and_tabs_inside_a_wrapped_phrase() {
    let text = "Hi Sam,\r\n\r\nI\twanted to\r\n   reach out about Q3.\r\n";
    let (span, m) = matched(text, "corporate-ai.wanted-to-reach-out");
    assert_eq!(m, "I\twanted to\r\n   reach out");
    let idx = LineIndex::new(text);
    let start = idx.line_col(text, span.start);
    let end = idx.line_col(text, span.end);
    assert_eq!((start.line, start.column), (3, 1));
    assert_eq!((end.line, end.column), (4, 13));
}

#[test]
fn emoji_before_the_match_in_bytes_columns_and_utf16() {
    let text = "Hi Sam,\n\n🚀🚀 I wanted to reach out.\n";
    let (span, m) = matched(text, "corporate-ai.wanted-to-reach-out");
    assert_eq!(m, "I wanted to reach out");
    let idx = LineIndex::new(text);
    assert_eq!(
        idx.line_col(text, span.start).column,
        4,
        "two emoji and a space"
    );
    assert_eq!(
        idx.utf16_position(text, span.start),
        (2, 5),
        "each emoji is two UTF-16 units"
    );
    assert_eq!(idx.offset_of_utf16(text, 2, 5), Some(span.start));
}

#[test]
fn combining_marks_before_and_inside_the_line() {
    let text = "Hi Zoe\u{0308},\n\nCafe\u{0301} owners: I hope this finds you well.\n";
    let (span, m) = matched(text, "corporate-ai.hope-this-finds-you-well");
    assert_eq!(m, "I hope this finds you well");
    let idx = LineIndex::new(text);
    assert_eq!(
        idx.line_col(text, span.start).column,
        15,
        "the combining mark is a character"
    );
}

#[test]
fn a_right_to_left_mark_inside_and_after_a_phrase_keeps_the_span_exact() {
    let text = "Hi Sam,\n\n\u{200F}I hope this fi\u{200F}nds you well\u{200F}. And\u{2066} more\u{2069}.\n";
    let (span, m) = matched(text, "corporate-ai.hope-this-finds-you-well");
    assert_eq!(
        m, "I hope this fi\u{200F}nds you well",
        "the mark stays in the match"
    );
    let idx = LineIndex::new(text);
    assert_eq!(
        idx.line_col(text, span.start).column,
        2,
        "after the leading mark"
    );
    assert_eq!(
        idx.utf16_position(text, span.end),
        (2, 28),
        "each mark is one UTF-16 unit"
    );
}

#[test]
fn look_alike_letters_do_not_get_a_phrase_past_the_gate() {
    // A Cyrillic о, a Greek ο, full-width letters: a reader sees the phrase.
    for (text, expected) in [
        (
            "Hi Sam,\n\nI h\u{043E}pe this finds you well.\n",
            "I h\u{043E}pe this finds you well",
        ),
        (
            "Hi Sam,\n\nI wanted t\u{03BF} reach out.\n",
            "I wanted t\u{03BF} reach out",
        ),
        (
            "Hi Sam,\n\nI ｗａｎｔｅｄ to reach out.\n",
            "I ｗａｎｔｅｄ to reach out",
        ),
    ] {
        let rule = if expected.contains("reach") {
            "corporate-ai.wanted-to-reach-out"
        } else {
            "corporate-ai.hope-this-finds-you-well"
        };
        let (span, m) = matched(text, rule);
        assert_eq!(m, expected);
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, span.start).column, 1);
    }
}

#[test]
fn curly_quotes_and_non_breaking_hyphens() {
    let text = "Hi Sam,\n\nIn today’s fast\u{2011}paced environment, teams move fast.\n";
    let (_, m) = matched(text, "corporate-ai.fast-paced-environment");
    assert!(m.starts_with("In today’s fast\u{2011}paced"), "{m:?}");
}

#[test]
fn fixes_edit_the_original_bytes() {
    let text = "Hi Sam,\r\n\r\nI hope this email finds you well. Saw the Denver news.\r\n";
    let findings = linter().check(text);
    let f = findings
        .iter()
        .find(|f| f.rule == "corporate-ai.hope-this-finds-you-well")
        .expect("fires");
    let fix = f.fix.as_ref().expect("deletes the sentence");
    let fixed = format!(
        "{}{}{}",
        &text[..fix.span.start],
        fix.replacement,
        &text[fix.span.end..]
    );
    assert_eq!(fixed, "Hi Sam,\r\n\r\nSaw the Denver news.\r\n");
}

#[test]
fn the_same_draft_gives_the_same_findings_whatever_the_line_endings() {
    let unix = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ai-draft.txt"
    ))
    .unwrap();
    let dos = unix.replace('\n', "\r\n");
    let rules = |t: &str| -> Vec<(String, String)> {
        linter()
            .check(t)
            .into_iter()
            .map(|f| {
                (
                    f.rule.to_string(),
                    f.matched.split_whitespace().collect::<Vec<_>>().join(" "),
                )
            })
            .collect()
    };
    assert_eq!(rules(&unix), rules(&dos));
    assert!(rules(&unix).len() >= 8, "{:?}", rules(&unix));
}

#[test]
fn placeholders_anywhere_in_a_long_draft_each_with_its_own_span() {
    // The placeholder pattern has no anchor literal and runs from each `[`: slots far apart,
    // wrapped over a CRLF, after a list's `[ref]` brackets and deep into a long draft.
    let filler = "We shipped the export fix [ref 12] and the audit trail last week. ".repeat(150);
    let text = format!(
        "Hi [First\r\nName],\n\n{filler}\n\nSee you at [venue] on [Date].\n\nBest,\n[Your Name]\n"
    );
    let found: Vec<String> = linter()
        .check(&text)
        .into_iter()
        .filter(|f| f.rule == "corporate-ai.unfilled-placeholder")
        .map(|f| {
            assert_eq!(f.matched, &text[f.span.clone()]);
            f.matched.to_string()
        })
        .collect();
    assert_eq!(
        found,
        ["[First\r\nName]", "[venue]", "[Date]", "[Your Name]"],
        "{text:.80}"
    );
}
