//! Engine speed on generated drafts: `cargo bench -p redline-email`.
//!
//! Throughput is reported in bytes per second (divan's `BytesCount`); the target is at least
//! 500 MB/s on one core for plain text with the default pack. Building the linter is measured
//! separately because a gate pays it once per process.

use divan::counter::BytesCount;
use redline_email::Linter;

fn main() {
    divan::main();
}

/// One check over generated drafts (half human, half corporate-AI), by input size.
#[divan::bench(args = [2_000, 20_000, 1_000_000, 16_000_000])]
fn check(bencher: divan::Bencher, bytes: usize) {
    let linter = Linter::builder().build().expect("default pack loads");
    let text = redline_synth::text_of_size(42, bytes);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| linter.check(divan::black_box(&text)));
}

/// One check over human-voice drafts only: plain text with almost no findings.
#[divan::bench(args = [2_000, 1_000_000])]
fn check_plain(bencher: divan::Bencher, bytes: usize) {
    let linter = Linter::builder().build().expect("default pack loads");
    let mut text = String::new();
    for d in redline_synth::corpus(42, bytes / 500 + 1, 0.0) {
        if text.len() >= bytes {
            break;
        }
        text.push_str(&d.text());
        text.push_str("\n\n");
    }
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| linter.check(divan::black_box(&text)));
}

/// Normalisation alone (case, whitespace, typography) with its offset map.
#[divan::bench(args = [1_000_000])]
fn normalize(bencher: divan::Bencher, bytes: usize) {
    let text = redline_synth::text_of_size(42, bytes);
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| redline_text::normalize(divan::black_box(&text)));
}

/// Loading, validating and compiling the shipped packs: paid once per process.
#[divan::bench]
fn build_linter() -> Linter {
    Linter::builder().build().expect("default pack loads")
}

/// One draft checked without and with a voice profile (learned from 50 generated messages):
/// the difference is what `--voice` adds per draft.
#[divan::bench(args = [false, true])]
fn check_one_draft(bencher: divan::Bencher, voice: bool) {
    let mut settings = redline_rules::Settings::default();
    if voice {
        let mut rng = redline_synth::Rng::new(7);
        let samples: Vec<redline_voice::Sample> = (0..50)
            .map(|_| {
                let text = redline_synth::draft(&mut rng, redline_synth::Voice::Human).text();
                redline_voice::Sample::of(&redline_text::Document::parse(&text))
            })
            .collect();
        let profile = redline_voice::Profile::learn(&samples).expect("50 messages are enough");
        let path = std::env::temp_dir().join(format!("redline-bench-{}.toml", std::process::id()));
        std::fs::write(&path, profile.to_toml()).expect("a temporary profile");
        settings.voice = Some(redline_rules::Setting::flag(path));
    }
    let linter = Linter::from_settings(settings.clone()).expect("default pack loads");
    if let Some(v) = settings.voice {
        let _ = std::fs::remove_file(v.value);
    }
    let mut rng = redline_synth::Rng::new(8);
    let drafts: Vec<String> = (0..16)
        .map(|i| {
            let v = if i % 2 == 0 {
                redline_synth::Voice::Human
            } else {
                redline_synth::Voice::CorporateAi
            };
            redline_synth::draft(&mut rng, v).text()
        })
        .collect();
    let mut i = 0;
    bencher.bench_local(|| {
        i = (i + 1) % drafts.len();
        linter.check(divan::black_box(&drafts[i]))
    });
}
