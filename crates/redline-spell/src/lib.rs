//! Whether a lower-case English word is known, and whether an unknown one is a slip of the
//! keyboard: one letter away from a common word, as `definately`, `seperate` and `recieve`
//! are.
//!
//! People misspell as they type and drafting tools never do, so a misspelling is one of the
//! surest marks of a person's own text: the voice score reads it as such, and a writer's
//! voice profile counts it among the slips a "polish" button would fix.
//!
//! The dictionary is SCOWL's English word lists (American and British, as Debian packages
//! them; `words/COPYRIGHT`), filed at build time into a hashed table inside the binary, so
//! nothing is read or built when a process starts.

mod hash;

use std::cell::RefCell;
use std::thread::LocalKey;

/// Every listed word, flagged when common (see `build.rs`).
static WORDS: Table = Table(&Aligned(*include_bytes!(concat!(
    env!("OUT_DIR"),
    "/words.bin"
))));

/// Every common word with one inner letter left out, by place (see `build.rs`).
static DELETIONS: Table = Table(&Aligned(*include_bytes!(concat!(
    env!("OUT_DIR"),
    "/deletions.bin"
))));

/// A Bloom filter over the keys of both tables (see `build.rs`): a key it does not hold is in
/// neither, which it tells from one cache line.
static FILTER: &Aligned<[u8; hash::FILTER_BYTES]> =
    &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/filter.bin")));

/// Bytes placed at the start of a cache line, so that a table's bucket or a filter's block is
/// one line, not parts of two.
#[repr(C, align(64))]
struct Aligned<Bytes: ?Sized>(Bytes);

/// Whether [`FILTER`] holds the key: false means it is in neither table.
fn may_be_listed(h: u64) -> bool {
    hash::filter_bits(h)
        .iter()
        .all(|&(byte, bit)| FILTER.0[byte] & bit != 0)
}

/// The longest word looked at; longer ones are left alone.
const MAX_LEN: usize = 24;

/// The shortest word that can count as a misspelling: shorter unknown words are mostly
/// abbreviations and commands (`ssh`, `args`, `thx`).
const MIN_MISSPELLING_LEN: usize = 5;

/// A hashed table as `build.rs` writes it: a 64-byte header holding the bucket bits, then
/// buckets of 16 fingerprints, a cache line each.
struct Table(&'static Aligned<[u8]>);

impl Table {
    /// The table's bucket bits, from its header: it has 2^bits buckets.
    fn bits(&self) -> u32 {
        let bytes = &self.0.0;
        u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }

    /// Whether the key is in the table, and when `flagged`, with its flag set. Reads the
    /// key's bucket, and the buckets after it only while they are full.
    fn has(&self, h: u64, flagged: bool) -> bool {
        let (bytes, bits) = (&self.0.0, self.bits());
        let last = (1usize << bits) - 1;
        let want = hash::fingerprint(h, true);
        let need = u32::from(flagged);
        let mut b = hash::bucket(h, bits);
        loop {
            let (mut found, mut full) = (false, true);
            for slot in bytes[64 * (b + 1)..64 * (b + 2)].chunks_exact(4) {
                let fp = u32::from_le_bytes([slot[0], slot[1], slot[2], slot[3]]);
                found |= fp | 1 == want && fp & need == need;
                full &= fp != 0;
            }
            if found || !full {
                return found;
            }
            b = (b + 1) & last;
        }
    }

    /// Reads the cache line where the key's lookup starts, so that it is there when
    /// [`Table::has`] asks: reads of many keys' lines overlap where lookups one after another
    /// wait for each in turn.
    fn warm(&self, h: u64) {
        std::hint::black_box(self.0.0[64 * (hash::bucket(h, self.bits()) + 1)]);
    }

    /// [`Table::has`] behind [`FILTER`], for keys that are seldom in either table: the
    /// filter's quarter megabyte stays in the cache where the tables cannot.
    fn may_have(&self, h: u64, flagged: bool) -> bool {
        may_be_listed(h) && self.has(h, flagged)
    }
}

/// Whether `word` is in the lists (any word, or with `common`, a common one).
fn listed(word: &[u8], common: bool) -> bool {
    WORDS.may_have(hash::of(word), common)
}

/// A thread's recent answers to one question, by the word's hash, its lowest bit the answer:
/// the words of a draft repeat, and a folder's or a server's drafts share most of theirs,
/// while each table lookup costs a cache miss. A thread keeps [`Recent::FEW`] answers
/// until it has looked up [`Recent::GROW_AFTER`] words, then [`Recent::MANY`]: a gate checking
/// one draft touches no more memory than it needs, a run over a folder keeps its vocabulary.
struct Recent {
    slots: Vec<u64>,
    missed: usize,
}

impl Recent {
    const FEW: usize = 1024;
    const MANY: usize = 16 * 1024;
    const GROW_AFTER: usize = 8 * 1024;

    const fn new() -> Self {
        Recent {
            slots: Vec::new(),
            missed: 0,
        }
    }

    /// The answer kept for hash `h`, if one is.
    fn get(&mut self, h: u64) -> Option<bool> {
        if self.slots.is_empty() {
            self.slots = vec![0; Self::FEW];
        }
        let kept = self.slots[self.slot(h)];
        (kept != 0 && kept | 1 == h | 1).then_some(kept & 1 == 1)
    }

    /// Keeps `answer` for hash `h` (after [`Recent::get`] found none).
    fn keep(&mut self, h: u64, answer: bool) {
        self.missed += 1;
        if self.missed == Self::GROW_AFTER {
            self.slots = vec![0; Self::MANY];
        }
        let slot = self.slot(h);
        self.slots[slot] = (h & !1) | u64::from(answer);
    }

    fn slot(&self, h: u64) -> usize {
        (h >> 32) as usize & (self.slots.len() - 1)
    }
}

thread_local! {
    /// Recent answers of [`listed`] (any word).
    static RECENT_LISTED: RefCell<Recent> = const { RefCell::new(Recent::new()) };
    /// Recent answers of [`misspelt`] for unlisted words.
    static RECENT_MISSPELT: RefCell<Recent> = const { RefCell::new(Recent::new()) };
}

/// The answer for the word of hash `h`, from `recent` when it holds one, else `answer`'s
/// (then kept).
fn remembered(
    recent: &'static LocalKey<RefCell<Recent>>,
    h: u64,
    answer: impl FnOnce() -> bool,
) -> bool {
    if let Some(kept) = recent.with(|recent| recent.borrow_mut().get(h)) {
        return kept;
    }
    let answer = answer();
    recent.with(|recent| recent.borrow_mut().keep(h, answer));
    answer
}

/// [`listed`] for any word, by its hash ([`hash::of`]), answered from this thread's recent
/// answers when it can be. Most words asked about are listed, so the table is read without
/// the filter, which would cost them a second cache line.
fn listed_recently(h: u64) -> bool {
    remembered(&RECENT_LISTED, h, || WORDS.has(h, false))
}

/// Endings the lists may not spell out, and what the stem ends in without them.
const SUFFIXES: [(&[u8], &[u8]); 17] = [
    (b"s", b""),
    (b"es", b""),
    (b"ing", b""),
    (b"ing", b"e"),
    (b"ed", b""),
    (b"ed", b"e"),
    (b"er", b""),
    (b"er", b"e"),
    (b"ers", b""),
    (b"ers", b"e"),
    (b"ly", b""),
    (b"able", b""),
    (b"able", b"e"),
    (b"ness", b""),
    (b"ment", b""),
    (b"less", b""),
    (b"ful", b""),
];

/// Prefixes that make new words from known ones: `unmet`, `preinstalled`, `multiline`.
const PREFIXES: [&[u8]; 19] = [
    b"un", b"re", b"pre", b"non", b"sub", b"over", b"under", b"out", b"multi", b"inter", b"de",
    b"dis", b"mis", b"co", b"anti", b"auto", b"super", b"micro", b"self",
];

/// Whether a lower-case word is English as the lists know it: listed, or a listed word with
/// one of the common endings (`messaging`, `routers`) or prefixes (`preinstalled`) added.
pub fn is_known(word: &[u8]) -> bool {
    listed_recently(hash::of(word)) || derived(word)
}

/// Whether a word not listed itself is a listed word with an ending or a prefix added.
fn derived(word: &[u8]) -> bool {
    has_listed_stem(word)
        || PREFIXES.iter().any(|p| {
            word.strip_prefix(*p).is_some_and(|rest| {
                rest.len() >= 4 && (listed(rest, false) || has_listed_stem(rest))
            })
        })
}

/// Whether the word is a listed stem with one of [`SUFFIXES`] added.
fn has_listed_stem(word: &[u8]) -> bool {
    SUFFIXES.iter().any(|(ending, restore)| {
        word.strip_suffix(*ending).is_some_and(|stem| {
            stem.len() >= 3
                && listed_joined(&[stem, restore], false)
                && !(restore.is_empty() && doubles_before(stem, ending))
        })
    })
}

/// Whether English doubles the last letter of `stem` before `ending`, as the lists spell it
/// (`beginning`, `occurred`), so that the undoubled form is a slip rather than a word.
fn doubles_before(stem: &[u8], ending: &[u8]) -> bool {
    let vowel = |c: u8| b"aeiou".contains(&c);
    let [.., a, b, c] = stem else {
        return false;
    };
    matches!(ending.first(), Some(b'i' | b'e' | b'a'))
        && !vowel(*a)
        && vowel(*b)
        && !vowel(*c)
        && !matches!(c, b'w' | b'x' | b'y')
        && listed_joined(&[stem, &[*c], ending], false)
}

/// [`listed`] for the word the pieces spell together (none when it would be too long).
fn listed_joined(pieces: &[&[u8]], common: bool) -> bool {
    let mut buf = [0u8; MAX_LEN];
    let mut n = 0;
    for piece in pieces {
        let Some(slot) = buf.get_mut(n..n + piece.len()) else {
            return false;
        };
        slot.copy_from_slice(piece);
        n += piece.len();
    }
    listed(&buf[..n], common)
}

/// Whether a word (lower-case ASCII letters, five to 24 of them) is a misspelling: unknown
/// ([`is_known`]), and one letter away from a common word inside the word, by a letter left
/// out, added, changed, or two swapped (`definately`, `accomodate`, `writting`, `recieve`).
/// Its first and last letters stay as typed: a word that differs there (`spamd`, `gvim`) is
/// more often a name or a command than a slip.
#[inline]
pub fn is_misspelling(word: &[u8]) -> bool {
    // Most words are short, and answered here without a call.
    may_be_misspelling(word) && misspelt(word, hash::of(word), None)
}

/// Whether the word is of a length [`is_misspelling`] looks at (five to 24 bytes): the
/// others never are one.
#[inline]
pub fn may_be_misspelling(word: &[u8]) -> bool {
    (MIN_MISSPELLING_LEN..=MAX_LEN).contains(&word.len())
}

/// The misspellings among `words` ([`is_misspelling`]), given to `found` by index in order,
/// until `limit` have been: the same answers as asking word by word, which is what a draft's
/// count of its first few misspellings needs. The words are hashed a batch at a time and the
/// dictionary lines of those not answered recently read together, so that the cache misses
/// of a draft's new words overlap instead of following one another.
pub fn misspellings<'a>(
    words: impl IntoIterator<Item = &'a [u8]>,
    limit: usize,
    mut found: impl FnMut(usize),
) {
    const BATCH: usize = 16;
    let mut words = words
        .into_iter()
        .enumerate()
        .filter(|(_, word)| may_be_misspelling(word));
    let mut left = limit;
    while left > 0 {
        // Each word, its hash, and whether it is listed when this thread's recent answers say.
        let mut batch: [(usize, &[u8], u64, Option<bool>); BATCH] = [(0, &[], 0, None); BATCH];
        let mut n = 0;
        for (i, word) in words.by_ref().take(BATCH) {
            batch[n] = (i, word, hash::of(word), None);
            n += 1;
        }
        if n == 0 {
            return;
        }
        RECENT_LISTED.with(|recent| {
            let mut recent = recent.borrow_mut();
            for (_, _, h, listed) in &mut batch[..n] {
                *listed = recent.get(*h);
                if listed.is_none() {
                    WORDS.warm(*h);
                }
            }
        });
        for &(i, word, h, listed) in &batch[..n] {
            if misspelt(word, h, listed) {
                found(i);
                left -= 1;
                if left == 0 {
                    return;
                }
            }
        }
    }
}

/// [`is_misspelling`] for a word of a length it looks at, whose hash ([`hash::of`]) is
/// `whole`; `listed` is whether the lists hold it, when the thread's recent answers have
/// already said.
fn misspelt(word: &[u8], whole: u64, listed: Option<bool>) -> bool {
    if listed.unwrap_or_else(|| listed_recently(whole)) || !word.iter().all(u8::is_ascii_lowercase)
    {
        return false;
    }
    // The rest of `is_known` and the slip search cost dozens of lookups, for words (names,
    // commands) that recur from draft to draft. Few unknown words are a slip, so the slip
    // search goes first and the derived forms are looked for only behind one.
    remembered(&RECENT_MISSPELT, whole, || {
        one_slip_from_common(word, whole) && !derived(word)
    })
}

/// Whether an unknown word of hash `whole` is a common word with one letter inside it left
/// out, added or changed, or two swapped.
fn one_slip_from_common(word: &[u8], whole: u64) -> bool {
    let n = word.len();
    // The word without its letter at `at`, for each inner place in turn: it starts without the
    // second letter, and each next place puts back the letter before it (one byte, no copy).
    let mut buf = [0u8; MAX_LEN];
    buf[0] = word[0];
    buf[1..n - 1].copy_from_slice(&word[2..]);
    // A letter left out of a common word: the word itself, with that place marked.
    (1..n).any(|at| DELETIONS.may_have(hash::deletion(whole, at), false))
        || (1..n - 1).any(|at| {
            buf[at - 1] = word[at - 1];
            let shortened = hash::of(&buf[..n - 1]);
            // A letter too many: the word without it is common. A letter changed: the
            // word without it is a common word without the letter in the same place.
            WORDS.may_have(shortened, true)
                || DELETIONS.may_have(hash::deletion(shortened, at), false)
        })
        || {
            // Two letters swapped (the last stays), swapped back in place after each look.
            buf[..n].copy_from_slice(word);
            (1..n - 2).any(|at| {
                buf.swap(at, at + 1);
                let common = listed(&buf[..n], true);
                buf.swap(at, at + 1);
                common
            })
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_words_and_their_forms_are_known() {
        for word in [
            "the",
            "definitely",
            "colour",
            "color",
            "recommendation",
            "behaviour",
        ] {
            assert!(is_known(word.as_bytes()), "{word}");
        }
        for word in ["messaging", "routers", "preinstalled", "multiline"] {
            assert!(
                is_known(word.as_bytes()),
                "{word}, an inflected or prefixed form"
            );
        }
        for word in ["definately", "seperated", "qwzxv", "xyzzyplugh"] {
            assert!(!is_known(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn the_tables_and_the_filter_hold_every_key_and_few_others() {
        for (list, common) in [
            (include_str!("../words/common.txt"), true),
            (include_str!("../words/more.txt"), false),
        ] {
            for word in list.lines().filter(|w| !w.is_empty()).map(str::as_bytes) {
                let h = hash::of(word);
                assert!(may_be_listed(h) && WORDS.has(h, common), "{word:?}");
                for at in (1..word.len().saturating_sub(1)).filter(|_| common) {
                    let shortened = [&word[..at], &word[at + 1..]].concat();
                    let key = hash::deletion(hash::of(&shortened), at);
                    assert!(
                        may_be_listed(key) && DELETIONS.has(key, false),
                        "{word:?} at {at}"
                    );
                }
            }
        }
        // A full bucket sends a lookup on to the next, which a key of neither table must
        // also come back from.
        let (words, deletions) = (full_buckets(&WORDS), full_buckets(&DELETIONS));
        assert!(
            words > 0 && deletions > 0,
            "{words} and {deletions} full buckets"
        );
        assert!(
            !(0..100_000u64).any(|i| WORDS.has(hash::of(format!("qz{i}xv").as_bytes()), false))
        );
        // Keys of neither table pass it seldom, or it would save no lookups.
        let passed = (0..100_000u64)
            .filter(|i| may_be_listed(hash::of(format!("qz{i}xv").as_bytes())))
            .count();
        assert!(passed < 10_000, "{passed} of 100000 unknown keys passed");
    }

    /// How many of the table's buckets are full.
    fn full_buckets(table: &Table) -> usize {
        table.0.0[64..]
            .chunks_exact(64)
            .filter(|line| line.chunks_exact(4).all(|fp| fp != [0; 4]))
            .count()
    }

    #[test]
    fn slips_of_the_keyboard_are_misspellings() {
        for word in [
            "definately", // a changed letter
            "accomodate", // a left-out one
            "begining",   // and the doubled letter before an ending
            "recieve",    // two swapped
            "seperated",
            "occured",
            "similiar",
        ] {
            assert!(is_misspelling(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn recent_answers_are_the_tables_answers() {
        // More words than the thread keeps, so slots are taken over, each looked up twice.
        let words: Vec<Vec<u8>> = (0..3 * Recent::GROW_AFTER)
            .map(|i| match i % 3 {
                0 => ["there", "would", "meeting"][i % 9 / 3].as_bytes().to_vec(),
                1 => format!("qz{i}xv").into_bytes(),
                _ => format!("word{i}").into_bytes(),
            })
            .collect();
        for _ in 0..2 {
            for w in &words {
                assert_eq!(listed_recently(hash::of(w)), listed(w, false), "{w:?}");
            }
        }
        assert!(listed_recently(hash::of(b"meeting")) && !listed_recently(hash::of(b"qzzxv")));
    }

    #[test]
    fn remembered_misspellings_are_the_searchs_answers() {
        // Slips, words, and unknown words that are not slips, more than the thread keeps.
        let stems = [
            "definately",
            "recieve",
            "meeting",
            "spamassassin",
            "qzzxv",
            "begining",
        ];
        let words: Vec<Vec<u8>> = (0..3 * Recent::GROW_AFTER)
            .map(|i| match i % 3 {
                0 => stems[i % stems.len()].as_bytes().to_vec(),
                1 => format!("qz{}xvw", char::from(b'a' + (i % 26) as u8)).into_bytes(),
                _ => format!("sepe{}ated", char::from(b'a' + (i / 3 % 26) as u8)).into_bytes(),
            })
            .collect();
        for _ in 0..2 {
            for w in &words {
                let searched =
                    !listed(w, false) && !derived(w) && one_slip_from_common(w, hash::of(w));
                assert_eq!(is_misspelling(w), searched, "{w:?}");
            }
        }
        assert!(is_misspelling(b"seperated") && !is_misspelling(b"separated"));
    }

    #[test]
    fn a_batch_finds_what_asking_word_by_word_finds_up_to_its_limit() {
        // More than a batch, with slips, words, names, and words too short or too long.
        let text = "we definately need to recieve the seperated logs from spamassassin \
            before the begining of teh meeting so that nothing is occured twice and similiar \
            thisisaverylongrunonwordthatgoesonandon problems accomodate nobody at all today";
        let words: Vec<&[u8]> = text.split_whitespace().map(str::as_bytes).collect();
        let one_by_one: Vec<usize> = (0..words.len())
            .filter(|&i| is_misspelling(words[i]))
            .collect();
        assert_eq!(one_by_one.len(), 7, "{one_by_one:?}");
        for limit in [0, 1, 3, 7, 100] {
            let mut found = Vec::new();
            misspellings(words.iter().copied(), limit, |i| found.push(i));
            let expected = &one_by_one[..limit.min(one_by_one.len())];
            assert_eq!(found, expected, "limit {limit}");
        }
    }

    #[test]
    fn words_names_and_commands_are_not() {
        for word in [
            "definitely", // spelt right
            "colour",     // British
            "messaging",  // an inflection the lists leave out
            "spamd",      // differs at its last letter
            "gvim",       // and at its first
            "xyzzyplugh", // nowhere near a word
            "teh",        // too short to tell
            "Definately", // not lower case: a name, or the start of a sentence
            "thisisaverylongrunonwordthatgoesonandon",
        ] {
            assert!(!is_misspelling(word.as_bytes()), "{word}");
        }
    }
}
