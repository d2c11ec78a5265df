//! Seeded, realistic sales drafts for redline's tests, examples and benchmarks.
//!
//! Two voices: a rep writing like a person (specific, short, asks one plain question) and the
//! corporate-AI voice redline exists to catch ("I hope this finds you well", feature bullets,
//! "Would you be open to a quick 15-minute call?"). The same seed always gives the same
//! drafts, so benchmarks compare like with like. No dependencies: a SplitMix64 generator.

mod exports;
mod mailbox;
mod templates;

pub use exports::{ExportSpec, Failure, write_exports};
pub use mailbox::{Mailbox, MailboxSpec, Sent, Truth};

/// A small seeded random number generator (SplitMix64): fast, good enough for test data,
/// and identical on every platform, so a seed always means the same drafts.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`; every seed, 0 included, is fine.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    ///
    /// # Panics
    ///
    /// If `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "Rng::below(0): the range 0..0 is empty");
        // Multiply-shift (Lemire): no division, and a bias far below anything a test could see.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// One of `items`.
    ///
    /// # Panics
    ///
    /// If `items` is empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `p`: never for `p <= 0`, always for `p >= 1`.
    pub fn chance(&mut self, p: f64) -> bool {
        // 53 random bits as a float in [0, 1).
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

/// Who wrote a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    /// A rep writing like themselves.
    Human,
    /// An AI draft lightly edited.
    CorporateAi,
}

/// A generated draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The subject line.
    pub subject: String,
    /// The body: greeting to signature.
    pub body: String,
    /// Who wrote it.
    pub voice: Voice,
}

impl Draft {
    /// The draft as a plain-text file: `Subject: …`, a blank line, the body.
    pub fn text(&self) -> String {
        format!("Subject: {}\n\n{}", self.subject, self.body)
    }
}

/// One draft in `voice`.
pub fn draft(rng: &mut Rng, voice: Voice) -> Draft {
    match voice {
        Voice::Human => templates::human(rng),
        Voice::CorporateAi => templates::corporate_ai(rng),
    }
}

/// `count` drafts, a share `ai_share` (0..=1) of them in the corporate-AI voice.
pub fn corpus(seed: u64, count: usize, ai_share: f64) -> Vec<Draft> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let voice = if rng.chance(ai_share) {
                Voice::CorporateAi
            } else {
                Voice::Human
            };
            draft(&mut rng, voice)
        })
        .collect()
}

/// Drafts of both voices (half each), separated by a blank line, until the text is at least
/// `bytes` long; for throughput benchmarks. The same seed and size give the same text.
pub fn text_of_size(seed: u64, bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 4096);
    while out.len() < bytes {
        let voice = if rng.chance(0.5) {
            Voice::CorporateAi
        } else {
            Voice::Human
        };
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&draft(&mut rng, voice).text());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Phrases only the corporate-AI voice may use (lowercase, straight apostrophes).
    const AI_PHRASES: &[&str] = &[
        "hope this finds you well",
        "finds you well",
        "hope you're having a great",
        "wanted to reach out",
        "reach out",
        "reaching out",
        "fast-paced",
        "today's",
        "landscape",
        "more than ever",
        "with our platform",
        "you can:",
        "open to a quick",
        "-minute call",
        "-minute chat",
        "quick call",
        "quick chat",
        "leverage",
        "streamline",
        "seamless",
        "game-changer",
        "synerg",
        "cutting-edge",
        "best-in-class",
        "actionable insights",
        "unlock",
        "empower",
        "next level",
        "end-to-end",
        "world-class",
        "transformative",
        "look forward to hearing",
        "looking forward",
        "don't hesitate",
        "following up",
        "follow up on my",
        "circle back",
        "checking in",
        "touching base",
        "i know you're busy",
        "great start",
        "trust this email",
        "bumping this",
        "harness the power",
        "forward-thinking",
        "revenue growth",
        "came across your profile",
        "innovative",
    ];

    /// The text as the linter sees it: lowercase, straight apostrophes, plain hyphens, and
    /// line breaks as spaces (so a phrase wrapped across lines is still found).
    fn normalized(text: &str) -> String {
        text.to_lowercase()
            .replace('\u{2019}', "'")
            .replace('\u{2011}', "-")
            .replace('\n', " ")
    }

    fn ai_phrases_in(text: &str) -> Vec<&'static str> {
        let text = normalized(text);
        AI_PHRASES
            .iter()
            .copied()
            .filter(|p| text.contains(p))
            .collect()
    }

    fn words(d: &Draft) -> usize {
        d.body.split_whitespace().count()
    }

    #[test]
    fn rng_is_deterministic_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
        let mut rng = Rng::new(0);
        let mut seen = [0usize; 7];
        for _ in 0..7000 {
            seen[rng.below(7)] += 1;
        }
        assert!(seen.iter().all(|&n| (800..1200).contains(&n)), "{seen:?}");
        assert!((0..1000).all(|_| !rng.chance(0.0) && rng.chance(1.0)));
        let hits = (0..10_000).filter(|_| rng.chance(0.3)).count();
        assert!((2700..3300).contains(&hits), "{hits}");
        assert_eq!(*rng.pick(&["only"]), "only");
    }

    #[test]
    fn same_seed_same_drafts_different_seed_different_drafts() {
        assert_eq!(corpus(7, 50, 0.5), corpus(7, 50, 0.5));
        assert_ne!(corpus(7, 50, 0.5), corpus(8, 50, 0.5));
        let mut a = Rng::new(3);
        let mut b = Rng::new(3);
        for voice in [Voice::Human, Voice::CorporateAi] {
            assert_eq!(draft(&mut a, voice), draft(&mut b, voice));
        }
        let texts: std::collections::HashSet<String> =
            corpus(11, 200, 0.5).iter().map(Draft::text).collect();
        assert!(
            texts.len() >= 198,
            "only {} distinct drafts in 200",
            texts.len()
        );
    }

    #[test]
    fn ai_share_sets_the_mix() {
        assert!(corpus(1, 100, 0.0).iter().all(|d| d.voice == Voice::Human));
        assert!(
            corpus(1, 100, 1.0)
                .iter()
                .all(|d| d.voice == Voice::CorporateAi)
        );
        let ai = corpus(1, 1000, 0.3)
            .iter()
            .filter(|d| d.voice == Voice::CorporateAi)
            .count();
        assert!((240..360).contains(&ai), "{ai} of 1000");
    }

    #[test]
    fn human_drafts_have_no_ai_phrases() {
        for d in corpus(1, 2000, 0.0) {
            let found = ai_phrases_in(&d.text());
            assert!(found.is_empty(), "human draft has {found:?}:\n{}", d.text());
            assert!(!d.body.lines().any(|l| l.starts_with("- ")), "{}", d.body);
            assert!(d.body.matches('?').count() <= 2, "{}", d.body);
        }
    }

    #[test]
    fn ai_drafts_have_several_ai_phrases() {
        let drafts = corpus(2, 2000, 1.0);
        for d in &drafts {
            let found = ai_phrases_in(&d.text());
            assert!(
                found.len() >= 2,
                "AI draft has only {found:?}:\n{}",
                d.text()
            );
        }
        let with = |f: &dyn Fn(&Draft) -> bool| drafts.iter().filter(|d| f(d)).count();
        // Curly apostrophes, feature bullets, follow-ups, and a phrase split by a line break.
        assert!(with(&|d| d.body.contains('\u{2019}')) > 400);
        assert!(with(&|d| d.body.contains("With our platform, you can:\n")) > 200);
        assert!(with(&|d| d.body.contains("\n- ")) > 1000);
        assert!(with(&|d| normalized(&d.body).contains("following up")) > 20);
        let wrapped = with(&|d| {
            let lower = d.body.to_lowercase().replace('\u{2019}', "'");
            let unwrapped = normalized(&d.body);
            AI_PHRASES
                .iter()
                .any(|p| p.contains(' ') && !lower.contains(p) && unwrapped.contains(p))
        });
        assert!(
            wrapped > 100,
            "{wrapped} drafts with a phrase across a line break"
        );
    }

    #[test]
    fn drafts_look_like_emails() {
        for d in corpus(4, 500, 0.5) {
            let text = d.text();
            assert!(text.starts_with("Subject: "), "{text}");
            assert!(!d.subject.contains('\n') && !d.subject.is_empty());
            let first = d.body.lines().next().unwrap_or_default();
            assert!(
                ["Hi ", "Hello ", "Dear "]
                    .iter()
                    .any(|g| first.starts_with(g))
                    && first.ends_with(','),
                "{text}"
            );
            assert!(
                d.body.ends_with('\n') && !d.body.ends_with("\n\n"),
                "{text:?}"
            );
            assert!(!d.body.contains("\n\n\n"), "{text:?}");
            assert!(!text.contains(['{', '}', '\u{0}']), "{text:?}");
        }
    }

    #[test]
    fn drafts_have_realistic_lengths() {
        // Human drafts run short, AI drafts long; together typically 80 to 250 words.
        for (voice, share, extremes, p10, median) in [
            (Voice::Human, 0.0, 30..=200, 55, 80..=150),
            (Voice::CorporateAi, 1.0, 40..=300, 70, 100..=200),
        ] {
            let mut counts: Vec<usize> = corpus(3, 1000, share).iter().map(words).collect();
            counts.sort_unstable();
            let (min, max) = (counts[0], counts[999]);
            assert!(
                extremes.contains(&min) && extremes.contains(&max),
                "{voice:?}: {min}..{max}"
            );
            assert!(
                counts[100] >= p10,
                "{voice:?}: 10th percentile {}",
                counts[100]
            );
            assert!(
                median.contains(&counts[500]),
                "{voice:?}: median {}",
                counts[500]
            );
        }
    }

    #[test]
    fn text_of_size_is_at_least_that_size() {
        for bytes in [0, 1, 2_000, 20_000, 1_000_000] {
            let t = text_of_size(5, bytes);
            assert!(
                t.len() >= bytes && t.len() < bytes + 4_000,
                "{bytes}: {}",
                t.len()
            );
            assert_eq!(t, text_of_size(5, bytes));
        }
        assert!(text_of_size(5, 0).is_empty());
        let t = text_of_size(5, 20_000);
        assert!(t.contains("\n\nSubject: ") && !t.contains("\n\n\nSubject: "));
        assert_ne!(t, text_of_size(6, 20_000));
    }
}
