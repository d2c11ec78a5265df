//! `--redact`: what a report keeps of the team's mail when it is meant to be shared.
//!
//! Redaction keeps words it knows are not about anyone, rather than hiding words it guesses
//! are: a word survives only when it is a common English word or a word of the rule that
//! matched (the pack's phrase, the literal words of a pattern), compared as matchers fold
//! them (curly apostrophes straight, Unicode hyphens `-`); a hyphenated word survives when
//! each of its parts does (`game-changer`). Everything else — names in any
//! case or script, companies, places, postcodes — becomes `[name]` (a capitalised, all-caps or
//! non-Latin word) or `[…]`; addresses, including `name(at)domain(dot)com` and full-width `＠`,
//! become `[email]`; links, with or without a scheme (`linkedin.com/in/…`), `[link]`; anything
//! with two digits `[number]`. Message ids and `--by-sender` addresses become stable hashes, so
//! shards still merge.
//!
//! What it cannot promise: a person's name that is also a common word ("Will", "May", "Rose")
//! stays, and so does anything said about someone in common words ("the CFO who just left").

use std::collections::HashSet;

use redline_text::phrase_key;

/// Words kept in redacted text, lower-case: function words and everyday words of sales mail.
const COMMON: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "also",
    "always",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "ask",
    "asked",
    "at",
    "back",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "best",
    "better",
    "between",
    "big",
    "both",
    "but",
    "by",
    "call",
    "calls",
    "can",
    "can't",
    "chat",
    "check",
    "come",
    "could",
    "day",
    "days",
    "dear",
    "did",
    "do",
    "does",
    "doing",
    "don't",
    "done",
    "down",
    "during",
    "each",
    "easy",
    "either",
    "else",
    "email",
    "end",
    "enough",
    "even",
    "ever",
    "every",
    "feel",
    "few",
    "find",
    "first",
    "follow",
    "for",
    "free",
    "from",
    "full",
    "get",
    "give",
    "glad",
    "go",
    "going",
    "good",
    "got",
    "great",
    "had",
    "happy",
    "has",
    "have",
    "having",
    "he",
    "hello",
    "help",
    "helps",
    "her",
    "here",
    "hey",
    "hi",
    "him",
    "his",
    "hope",
    "how",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "idea",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "just",
    "keep",
    "know",
    "last",
    "later",
    "least",
    "less",
    "let",
    "let's",
    "like",
    "little",
    "long",
    "look",
    "looking",
    "lot",
    "made",
    "make",
    "many",
    "me",
    "meet",
    "meeting",
    "minutes",
    "month",
    "months",
    "more",
    "most",
    "much",
    "my",
    "need",
    "needs",
    "new",
    "next",
    "no",
    "not",
    "note",
    "now",
    "of",
    "off",
    "often",
    "ok",
    "okay",
    "on",
    "once",
    "one",
    "only",
    "open",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "part",
    "please",
    "quick",
    "quickly",
    "rather",
    "re",
    "reach",
    "really",
    "regards",
    "reply",
    "right",
    "said",
    "same",
    "saw",
    "say",
    "see",
    "seen",
    "send",
    "sent",
    "she",
    "should",
    "show",
    "since",
    "so",
    "some",
    "soon",
    "still",
    "such",
    "sure",
    "take",
    "talk",
    "team",
    "teams",
    "than",
    "thank",
    "thanks",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "though",
    "through",
    "time",
    "to",
    "today",
    "too",
    "top",
    "touch",
    "try",
    "two",
    "under",
    "until",
    "up",
    "us",
    "use",
    "used",
    "very",
    "want",
    "wanted",
    "was",
    "way",
    "we",
    "we'd",
    "we'll",
    "we're",
    "we've",
    "week",
    "weeks",
    "well",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "will",
    "with",
    "without",
    "work",
    "worth",
    "would",
    "year",
    "years",
    "yes",
    "yet",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "write",
    "read",
    "number",
    "phone",
    "link",
    "page",
    "company",
    "business",
    "sales",
    "product",
    "products",
    "price",
    "pricing",
    "offer",
    "demo",
    "question",
    "questions",
    "update",
    "following",
    "tomorrow",
    "morning",
    "afternoon",
    "office",
    "customers",
    "customer",
    "process",
    "results",
    "data",
    "tool",
    "tools",
    "value",
    "plan",
    "plans",
    "started",
    "start",
    "working",
    "interested",
    "wondering",
];

/// Redacts text, keeping common words and the words of one rule.
pub struct Redactor {
    kept: HashSet<String>,
}

impl Redactor {
    /// Keeping common words and the words of `rule_text` (a pack phrase, or a pattern's
    /// source: its runs of two or more letters, apostrophes included). The rule text is
    /// folded as matchers see it (lower-case, curly apostrophes straight, Unicode hyphens
    /// `-`), so `today’s` in a draft is the rule's `today's`.
    pub fn keeping(rule_text: &str) -> Redactor {
        let mut kept: HashSet<String> = COMMON.iter().map(|w| w.to_string()).collect();
        kept.extend(
            phrase_key(rule_text)
                .split(|c: char| !c.is_alphabetic() && c != '\'')
                .filter(|w| w.chars().count() >= 2)
                .map(str::to_string),
        );
        Redactor { kept }
    }

    /// Whether `core` (a word without its punctuation) is kept: folded as matchers fold it,
    /// it is a kept word, or hyphenated words that are each kept (`game-changer`,
    /// `fast‑paced`), so the words of the phrase that matched stay in its own example.
    fn keeps(&self, core: &str) -> bool {
        let key = phrase_key(core);
        key.is_ascii()
            && (self.kept.contains(&key)
                || key
                    .split('-')
                    .all(|part| !part.is_empty() && self.kept.contains(part)))
    }

    /// `line` with every word not kept replaced by a placeholder; runs of `[…]` merge.
    pub fn redact(&self, line: &str) -> String {
        let mut out: Vec<String> = Vec::new();
        for word in line.split_whitespace() {
            let shown = self.word(word);
            if shown == "[…]" && out.last().is_some_and(|w| w == "[…]") {
                continue;
            }
            out.push(shown);
        }
        out.join(" ")
    }

    fn word(&self, word: &str) -> String {
        let lower = word.to_lowercase();
        if ['@', '＠', '﹫'].iter().any(|c| word.contains(*c))
            || ["(at)", "[at]", "{at}", "(dot)", "[dot]"]
                .iter()
                .any(|o| lower.contains(o))
        {
            return "[email]".into();
        }
        if word.contains("://") || lower.starts_with("www") || has_inner_dot_or_slash(word) {
            return "[link]".into();
        }
        let core = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'');
        let core = core.trim_matches('\'');
        if core.is_empty() {
            return word.to_string();
        }
        if core.chars().filter(|c| c.is_numeric()).count() >= 2 {
            return word.replacen(core, "[number]", 1);
        }
        if self.keeps(core) {
            return word.to_string();
        }
        let latin_lower = core
            .chars()
            .all(|c| c.is_ascii_lowercase() || !c.is_alphanumeric());
        let placeholder = if latin_lower { "[…]" } else { "[name]" };
        word.replacen(core, placeholder, 1)
    }
}

/// `globex.com`, `linkedin.com/in/dana`, `acme.io/pricing`: a dot or slash between two word
/// characters.
fn has_inner_dot_or_slash(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(3).any(|w| {
        (w[1] == '.' || w[1] == '/' || w[1] == '．')
            && w[0].is_alphanumeric()
            && w[2].is_alphabetic()
    })
}

/// A message id as a redacted report shows it: a stable 64-bit FNV-1a hash, so the same id
/// in two shards is the same example and merges, without the id's host name.
pub fn message_id(id: &str) -> String {
    format!("id-{:016x}", fnv(id))
}

/// A sender as a redacted `--by-sender` table shows it: a stable hash, so a rep can still
/// tell their own rows apart (by running unredacted) without the page naming anyone.
pub fn sender(address: &str) -> String {
    format!("sender-{:08x}", fnv(address) >> 32)
}

/// The 64-bit FNV-1a hash of `s`: stable across runs, machines and Rust versions.
pub fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redact(line: &str) -> String {
        Redactor::keeping("I (just |)wanted to reach out").redact(line)
    }

    #[test]
    fn names_in_any_case_or_script_are_hidden() {
        assert_eq!(
            redact("I wanted to reach out about Globex in Denver"),
            "I wanted to reach out about [name] in [name]"
        );
        assert_eq!(redact("about acme logistics"), "about […]");
        assert_eq!(redact("GLOBEX and ACME"), "[name] and [name]");
        assert_eq!(
            redact("Дмитрий and 李明 at Zoë's"),
            "[name] and [name] at [name]"
        );
    }

    #[test]
    fn addresses_links_postcodes_and_numbers_are_hidden() {
        assert_eq!(
            redact("see linkedin.com/in/dana-smith or https://x.io, www.globex.com"),
            "see [link] or [link] [link]"
        );
        assert_eq!(
            redact(
                "write dana(at)globex(dot)com or ｄａｎａ＠ｇｌｏｂｅｘ．ｃｏｍ or dana@globex.com"
            ),
            "write [email] or [email] or [email]"
        );
        assert_eq!(
            redact("SW1A 1AA, 94103 or call 555-0100"),
            "[name] [name], [number] or call [number]"
        );
    }

    #[test]
    fn the_rules_words_and_common_words_stay() {
        let pattern = Redactor::keeping(r"the current (landscape|climate) of \w+");
        assert_eq!(
            pattern.redact("the current landscape of acme logistics"),
            "the current landscape of […]"
        );
        assert_eq!(
            redact("Thanks, we can help your team."),
            "Thanks, we can help your team."
        );
    }

    #[test]
    fn the_rules_hyphenated_and_apostrophe_words_stay() {
        let phrase = Redactor::keeping("in today's (fast-paced|ever-evolving) environment");
        assert_eq!(
            phrase.redact(
                "In today’s fast\u{2011}paced environment, Globex-Acme's ever-growing team"
            ),
            "In today’s fast\u{2011}paced environment, [name] […] team"
        );
        let game = Redactor::keeping("game-changer");
        assert_eq!(
            game.redact("It's a game-changer for Zoë's ever-evolving team."),
            "It's a game-changer for [name] […] team."
        );
    }

    #[test]
    fn message_ids_hash_stably() {
        assert_eq!(message_id("a@globex.com"), message_id("a@globex.com"));
        assert_ne!(message_id("a@globex.com"), message_id("b@globex.com"));
        assert!(!message_id("a@globex.com").contains("globex"));
        assert_eq!(message_id(""), "id-cbf29ce484222325", "FNV-1a offset basis");
        assert_eq!(sender("al@x.io"), sender("al@x.io"));
        assert!(!sender("al@x.io").contains("x.io"));
    }
}
