//! Files the word lists under `words/` into two hashed tables that `src/lib.rs` reads:
//! `words.bin`, every word with a flag for the common ones, and `deletions.bin`, every common
//! word with each of its inner letters left out in turn, so that a word one letter from a
//! common word is found in a few lookups rather than one per letter of the alphabet.
//!
//! A table is a 64-byte header (its bucket bits, a little-endian `u32`, then zeros) and then
//! 2^bits buckets of [`SLOTS`] little-endian `u32` fingerprints, 64 bytes each: a lookup reads
//! the one cache line of its key's bucket. An unused slot is zero. A key whose bucket is full
//! goes in the next bucket that is not (the last wraps to the first), so a lookup reads on
//! only past a full bucket; the sizes below keep a bucket to eight keys on average, and very
//! few full.
//!
//! `filter.bin` is a Bloom filter over the keys of both tables (see `hash::filter_bits`): a
//! quarter of a megabyte that answers most lookups of keys in neither table (nearly every
//! lookup a slip search makes) from the processor's cache, where a table is half a megabyte
//! and two.

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
    write(&out.join("words.bin"), 13, &words);
    write(&out.join("deletions.bin"), 15, &deletions);
    let mut filter = vec![0u8; hash::FILTER_BYTES];
    for &(h, _) in words.iter().chain(&deletions) {
        for (byte, bit) in hash::filter_bits(h) {
            filter[byte] |= bit;
        }
    }
    fs::write(out.join("filter.bin"), filter).expect("cannot write filter.bin");
}

/// Fingerprints in a bucket: one 64-byte cache line of `u32`s.
const SLOTS: usize = 16;

fn write(target: &Path, bits: u32, keys: &[(u64, bool)]) {
    let mut entries: Vec<(usize, u32)> = keys
        .iter()
        .map(|&(h, flag)| (hash::bucket(h, bits), hash::fingerprint(h, flag)))
        .collect();
    entries.sort_unstable();
    entries.dedup();
    let buckets = 1usize << bits;
    assert!(
        entries.len() < buckets * SLOTS,
        "{}: too many keys for 2^{bits} buckets",
        target.display()
    );
    let mut slots = vec![0u32; buckets * SLOTS];
    let mut used = vec![0usize; buckets];
    for &(home, fp) in &entries {
        assert!(
            fp != 0,
            "{}: a key's fingerprint is zero, which marks an unused slot",
            target.display()
        );
        let mut b = home;
        while used[b] == SLOTS {
            b = (b + 1) % buckets;
        }
        slots[b * SLOTS + used[b]] = fp;
        used[b] += 1;
    }
    let mut out = Vec::with_capacity(64 + 4 * slots.len());
    out.extend_from_slice(&bits.to_le_bytes());
    out.resize(64, 0);
    for fp in slots {
        out.extend_from_slice(&fp.to_le_bytes());
    }
    fs::write(target, out).unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
}
