//! Seeded, realistic sales drafts for redline's tests, examples and benchmarks.
//!
//! Two voices: a rep writing like a person (specific, short, asks one plain question) and the
//! corporate-AI voice redline exists to catch ("I hope this finds you well", feature bullets,
//! "Would you be open to a quick 15-minute call?"). The same seed always gives the same
//! drafts, so benchmarks compare like with like. No dependencies: a SplitMix64 generator.

mod templates;

/// A small seeded random number generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
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

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items` (non-empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
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

/// Drafts of both voices joined by blank lines until the text is at least `bytes` long.
pub fn text_of_size(seed: u64, bytes: usize) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(bytes + 4096);
    while out.len() < bytes {
        let voice = if rng.chance(0.5) {
            Voice::CorporateAi
        } else {
            Voice::Human
        };
        out.push_str(&draft(&mut rng, voice).text());
        out.push_str("\n\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AI_TELLS: &[&str] = &[
        "hope this",
        "wanted to reach out",
        "reaching out",
        "fast-paced",
        "fast‑paced",
        "landscape",
        "with our platform",
        "quick 15",
        "quick call",
        "leverage",
        "streamline",
        "seamless",
        "game-changer",
        "look forward to hearing",
        "following up",
        "synerg",
    ];

    fn has_tell(text: &str) -> bool {
        let lower = text.to_lowercase().replace('’', "'").replace('\n', " ");
        AI_TELLS.iter().any(|t| lower.contains(t))
    }

    #[test]
    fn same_seed_same_drafts_different_seed_different_drafts() {
        assert_eq!(corpus(7, 20, 0.5), corpus(7, 20, 0.5));
        assert_ne!(corpus(7, 20, 0.5), corpus(8, 20, 0.5));
    }

    #[test]
    fn voices_sound_like_themselves() {
        for d in corpus(1, 300, 0.5) {
            match d.voice {
                Voice::Human => assert!(
                    !has_tell(&d.text()),
                    "human draft has a tell:\n{}",
                    d.text()
                ),
                Voice::CorporateAi => {
                    assert!(has_tell(&d.text()), "AI draft has no tell:\n{}", d.text())
                }
            }
        }
    }

    #[test]
    fn drafts_have_realistic_lengths() {
        for d in corpus(3, 200, 0.5) {
            let words = d.body.split_whitespace().count();
            assert!((30..=320).contains(&words), "{words} words:\n{}", d.body);
        }
    }

    #[test]
    fn text_of_size_is_at_least_that_size() {
        let t = text_of_size(5, 20_000);
        assert!(t.len() >= 20_000 && t.len() < 24_000);
        assert_eq!(t, text_of_size(5, 20_000));
    }
}
