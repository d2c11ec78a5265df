//! Learning a profile and comparing drafts with it: `cargo bench -p redline-voice`.
//!
//! The targets: learning from 50 messages (reading their regions, counting, and the
//! leave-one-out calibration) in under a second, and a comparison adding under 1 ms to a check.

use redline_synth::{Rng, Voice, draft};
use redline_text::Document;
use redline_voice::{Profile, Sample};

fn main() {
    divan::main();
}

fn texts(seed: u64, n: usize, voice: Voice) -> Vec<String> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| draft(&mut rng, voice).text()).collect()
}

/// `redline voice learn` on 50 messages, after reading: parse, count, fit, calibrate.
#[divan::bench]
fn learn_50(bencher: divan::Bencher) {
    let texts = texts(7, 50, Voice::Human);
    bencher.bench(|| {
        let samples: Vec<Sample> = texts
            .iter()
            .map(|t| Sample::of(&Document::parse(t)))
            .collect();
        Profile::learn(divan::black_box(&samples)).expect("50 messages are enough")
    });
}

/// One draft compared with a profile: counting its habits and the distance, on a document
/// the check has already parsed.
#[divan::bench]
fn compare_one(bencher: divan::Bencher) {
    let samples: Vec<Sample> = texts(7, 50, Voice::Human)
        .iter()
        .map(|t| Sample::of(&Document::parse(t)))
        .collect();
    let profile = Profile::learn(&samples).expect("50 messages are enough");
    let drafts = texts(8, 16, Voice::CorporateAi);
    let docs: Vec<Document> = drafts.iter().map(|t| Document::parse(t)).collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % docs.len();
        profile.compare(&Sample::of(divan::black_box(&docs[i])))
    });
}
