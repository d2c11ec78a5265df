//! The short words the walks look for by their spelling: the forms of the first- and
//! second-person pronouns (the metric rules' self-focus, the voice score's person measures)
//! and contractions typed without their apostrophe (the voice score's `dropped_apostrophes`).
//!
//! Every word of every draft is looked up here. A `match` on byte strings first jumps on the
//! word's length, a jump the processor mispredicts for about every third word. Here a word of
//! up to eight bytes is one number (its bytes, zero-padded), which one multiplication files in
//! a table of [`SLOTS`] slots: a lookup is a load and one comparison.

use crate::metrics::{Person, Pronoun};

/// What a short lower-cased word (curly apostrophes straight) is to the walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ShortWord {
    /// A form of a first- or second-person pronoun.
    Pronoun(Pronoun),
    /// A contraction typed in a hurry, without its apostrophe. None is an English word on its
    /// own: `its`, `were`, `well` and `ill` are left out for that reason.
    DroppedApostrophe,
}

impl ShortWord {
    /// Whom the word is about: a pronoun's person, or no one in particular.
    pub(crate) fn person(self) -> Person {
        match self {
            ShortWord::Pronoun(p) => p.person(),
            ShortWord::DroppedApostrophe => Person::Other,
        }
    }
}

use ShortWord::{DroppedApostrophe as Dropped, Pronoun as P};

/// Every word looked for; none is longer than eight bytes.
const WORDS: [(&str, ShortWord); 39] = [
    ("i", P(Pronoun::I)),
    ("me", P(Pronoun::I)),
    ("my", P(Pronoun::I)),
    ("mine", P(Pronoun::I)),
    ("i'm", P(Pronoun::I)),
    ("i've", P(Pronoun::I)),
    ("i'll", P(Pronoun::I)),
    ("i'd", P(Pronoun::I)),
    ("we", P(Pronoun::We)),
    ("us", P(Pronoun::We)),
    ("our", P(Pronoun::We)),
    ("ours", P(Pronoun::We)),
    ("we're", P(Pronoun::We)),
    ("we've", P(Pronoun::We)),
    ("we'll", P(Pronoun::We)),
    ("we'd", P(Pronoun::We)),
    ("you", P(Pronoun::You)),
    ("your", P(Pronoun::You)),
    ("yours", P(Pronoun::You)),
    ("you're", P(Pronoun::You)),
    ("you've", P(Pronoun::You)),
    ("you'll", P(Pronoun::You)),
    ("you'd", P(Pronoun::You)),
    ("dont", Dropped),
    ("cant", Dropped),
    ("wont", Dropped),
    ("didnt", Dropped),
    ("doesnt", Dropped),
    ("isnt", Dropped),
    ("wasnt", Dropped),
    ("im", Dropped),
    ("ive", Dropped),
    ("youre", Dropped),
    ("theyre", Dropped),
    ("thats", Dropped),
    ("whats", Dropped),
    ("couldnt", Dropped),
    ("wouldnt", Dropped),
    ("shouldnt", Dropped),
];

/// The table's size: room enough that a multiplier filing every word in a slot of its own
/// was found quickly.
const SLOTS: usize = 128;

/// Files each of [`WORDS`] in a slot of its own; the table is built at compile time, which
/// fails if a change to the list makes two words share a slot (then try another odd number).
const MULTIPLIER: u64 = 0xaa12_64e3_e7a2_14e7;

/// [`WORDS`] by [`slot`]; an empty slot holds key 0, which no word has.
static TABLE: [(u64, Option<ShortWord>); SLOTS] = file_words();

/// The word whose bytes, zero-padded to eight, read as `key` (little-endian).
pub(crate) fn of_key(key: u64) -> Option<ShortWord> {
    let (filed, word) = TABLE[slot(key)];
    if filed == key { word } else { None }
}

/// The word `lower` is, if it is one of these.
pub(crate) fn of_lower(lower: &[u8]) -> Option<ShortWord> {
    key(lower).and_then(of_key)
}

/// A word of one to eight bytes as its lookup key.
pub(crate) const fn key(word: &[u8]) -> Option<u64> {
    if word.is_empty() || word.len() > 8 {
        return None;
    }
    let mut key = 0;
    let mut i = 0;
    while i < word.len() {
        key |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    Some(key)
}

const fn slot(key: u64) -> usize {
    (key.wrapping_mul(MULTIPLIER) >> (64 - SLOTS.trailing_zeros())) as usize
}

const fn file_words() -> [(u64, Option<ShortWord>); SLOTS] {
    let mut table = [(0, None); SLOTS];
    let mut i = 0;
    while i < WORDS.len() {
        let (word, what) = WORDS[i];
        let Some(key) = key(word.as_bytes()) else {
            panic!("a short word is longer than eight bytes");
        };
        let at = slot(key);
        if table[at].1.is_some() {
            panic!("two short words share a slot: choose another MULTIPLIER");
        }
        table[at] = (key, Some(what));
        i += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_found_and_nothing_else() {
        for (word, what) in WORDS {
            assert_eq!(of_lower(word.as_bytes()), Some(what), "{word}");
        }
        for word in [
            "",
            "a",
            "it",
            "its",
            "were",
            "well",
            "ill",
            "mines",
            "yourself",
            "dontt",
            "youd",
            "shouldn't",
            "i'",
        ] {
            assert_eq!(of_lower(word.as_bytes()), None, "{word}");
        }
    }
}
