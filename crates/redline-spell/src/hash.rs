/// The dictionary's hash, the same when the tables are built (`build.rs`) and when they are
/// read: eight bytes at a time, each block multiplied in, then the length; words are short,
/// so this costs a few multiplications where a byte-at-a-time hash costs one per letter.
pub(crate) fn of(bytes: &[u8]) -> u64 {
    let mix = |h: u64, block: u64| {
        let h = (h ^ block).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^ (h >> 29)
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        let mut b = [0u8; 8];
        b.copy_from_slice(block);
        h = mix(h, u64::from_le_bytes(b));
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let mut b = [0u8; 8];
        b[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(b));
    }
    step(h, bytes.len() as u8)
}

/// One byte more: how a place is added to a key (and the length to a word's hash).
pub(crate) const fn step(h: u64, byte: u8) -> u64 {
    let h = (h ^ byte as u64).wrapping_mul(0x0000_0100_0000_01b3);
    h ^ (h >> 32)
}

/// The key of a common word with its letter at `at` left out: the shortened word's hash
/// ([`of`]), and then the place, so that `wrd` from `word` and from `ward` share a key only
/// where the two words differ in that one place.
pub(crate) const fn deletion(shortened: u64, at: usize) -> u64 {
    step(shortened, at as u8)
}

/// How a table files a key: a bucket from its top bits, and in the bucket a fingerprint, the
/// low 32 bits with the lowest standing for a flag (in the word table, "a common word").
pub(crate) const fn bucket(h: u64, bits: u32) -> usize {
    (h >> (64 - bits)) as usize
}

/// See [`bucket`].
pub(crate) const fn fingerprint(h: u64, flag: bool) -> u32 {
    (h as u32 & !1) | flag as u32
}

/// The size of the Bloom filter in front of the tables: 2^21 bits, about eight per key.
pub(crate) const FILTER_BYTES: usize = 1 << 18;

/// Where a key's four bits are in the filter, as (byte, bit mask): all in one 64-byte block
/// chosen by the key's top bits, so that a lookup reads one cache line.
pub(crate) const fn filter_bits(h: u64) -> [(usize, u8); 4] {
    let block = bucket(h, 12) * 64;
    let mut out = [(0, 0); 4];
    let mut i = 0;
    while i < 4 {
        let bit = (h >> (9 * i)) as usize & 511;
        out[i] = (block + bit / 8, 1 << (bit % 8));
        i += 1;
    }
    out
}
