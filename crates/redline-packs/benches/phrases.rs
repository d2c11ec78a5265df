//! The shipped packs' phrase automaton, prebuilt at build time against built at run time:
//! `cargo bench -p redline-packs`. Building is what a one-draft gate pays; finding is what
//! every draft pays.

use divan::counter::BytesCount;
use redline_phrase::PhraseSet;

fn main() {
    divan::main();
}

/// The shipped packs' phrases and anchors, offered the prebuilt automaton or not.
fn phrase_set(prebuilt: bool) -> PhraseSet {
    let rules = redline_packs::builtin_rules();
    let mut builder = PhraseSet::builder();
    if prebuilt {
        builder.prebuilt(redline_packs::BUILTIN_PHRASES);
    }
    for (id, rule) in rules.rules.iter().enumerate() {
        rule.for_each_literal(|of, text| {
            if of.whole_words() {
                builder.phrase(id as u32, text);
            } else {
                builder.anchor(id as u32, text);
            }
        });
    }
    let set = builder.build().expect("the shipped phrases build");
    assert_eq!(set.is_prebuilt(), prebuilt);
    set
}

/// Making the phrase set: what a process checking one draft pays once.
#[divan::bench(args = [false, true])]
fn build(prebuilt: bool) -> PhraseSet {
    phrase_set(prebuilt)
}

/// Finding the phrases of generated drafts (half corporate-AI), below the size at which the
/// DFA is built.
#[divan::bench(args = [false, true], consts = [2_000, 60_000])]
fn find<const BYTES: usize>(bencher: divan::Bencher, prebuilt: bool) {
    let set = phrase_set(prebuilt);
    let text = redline_synth::text_of_size(42, BYTES);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| set.find(divan::black_box(&text)));
}
