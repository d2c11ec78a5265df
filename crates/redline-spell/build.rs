//! Files the word lists under `words/` into two hashed tables that `src/lib.rs` reads:
//! `words.bin`, every word with a flag for the common ones, and `deletions.bin`, every common
//! word with each of its inner letters left out in turn, so that a word one letter from a
//! common word is found in a few lookups rather than one per letter of the alphabet.
//!
//! A table is its bucket bits, then 2^bits + 1 bucket offsets, then each bucket's
//! fingerprints, all little-endian `u32`.
//!
//! `filter.bin` is a Bloom filter over the keys of both tables (see `hash::filter_bits`): a
//! quarter of a megabyte that answers most lookups of keys in neither table (nearly every
//! lookup a slip search makes) from the processor's cache, where a table lookup reads two
//! places of a megabyte and more.

use std::{env, fs, path::Path};

#[path = "src/hash.rs"]
mod hash;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("words");
    let mut words = Vec::new();
    let mut deletions = Vec::new();
    for (name, common) in [("common.txt", true), ("more.txt", false)] {
        let path = dir.join(name);
        println!("cargo::rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for word in text.lines().filter(|w| !w.is_empty()).map(str::as_bytes) {
            words.push((hash::of(word), common));
            if common {
                for at in 1..word.len().saturating_sub(1) {
                    let shortened = [&word[..at], &word[at + 1..]].concat();
                    deletions.push((hash::deletion(hash::of(&shortened), at), false));
                }
            }
        }
    }
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).to_owned();
    write(&out.join("words.bin"), 14, &words);
    write(&out.join("deletions.bin"), 16, &deletions);
    let mut filter = vec![0u8; hash::FILTER_BYTES];
    for &(h, _) in words.iter().chain(&deletions) {
        for (byte, bit) in hash::filter_bits(h) {
            filter[byte] |= bit;
        }
    }
    fs::write(out.join("filter.bin"), filter).expect("cannot write filter.bin");
}

fn write(target: &Path, bits: u32, keys: &[(u64, bool)]) {
    let mut entries: Vec<(usize, u32)> = keys
        .iter()
        .map(|&(h, flag)| (hash::bucket(h, bits), hash::fingerprint(h, flag)))
        .collect();
    entries.sort_unstable();
    entries.dedup();
    let buckets = 1usize << bits;
    let mut out = Vec::with_capacity(4 * (buckets + 2 + entries.len()));
    out.extend_from_slice(&bits.to_le_bytes());
    let mut next = 0;
    for b in 0..=buckets {
        while next < entries.len() && entries[next].0 < b {
            next += 1;
        }
        out.extend_from_slice(&(next as u32).to_le_bytes());
    }
    for (_, fp) in &entries {
        out.extend_from_slice(&fp.to_le_bytes());
    }
    fs::write(target, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
}
