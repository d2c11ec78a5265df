//! The voice evaluation's engine: reads a manifest of authors (JSON on stdin: for each, the
//! files to learn from, their later mail, and polished rewrites of it), learns a profile per
//! author exactly as `redline voice learn` does (the regions `redline check` reads), compares
//! every later message, rewrite and other author's later message with it, and prints one JSON
//! line per author with each file's distance, whether it is flagged and every habit's
//! deviation, and each learning message's deviations against a profile of the others
//! (`loo`, what `scripts/fit_voice_weights.py` fits the weights on).
//!
//! An author may list its own `others` (the development set compares polished rewrites of
//! training-split senders this way, against other senders only).
//!
//! Driven by `scripts/eval_voice.py`, which builds the manifest from the corpus.

use std::io::Read;

use redline_text::{input_kind, read_draft};
use redline_voice::{Profile, Sample};
use serde_json::{Value, json};

fn sample(path: &str) -> Option<Sample> {
    let bytes = std::fs::read(path).ok()?;
    let kind = input_kind(path, &bytes[..bytes.len().min(16 * 1024)]);
    Some(Sample::of(&read_draft(kind, &bytes, 0).doc))
}

fn samples(list: &Value) -> Vec<(String, Sample)> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let p = p.as_str()?;
            Some((p.to_string(), sample(p)?))
        })
        .collect()
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("a manifest on stdin");
    let manifest: Value = serde_json::from_str(&input).expect("the manifest is JSON");
    let authors = manifest["authors"].as_array().expect("authors");
    let later: Vec<Vec<(String, Sample)>> = authors.iter().map(|a| samples(&a["later"])).collect();
    for (i, author) in authors.iter().enumerate() {
        let learn: Vec<Sample> = samples(&author["learn"])
            .into_iter()
            .map(|(_, s)| s)
            .filter(Sample::is_usable)
            .collect();
        let profile = match Profile::learn(&learn) {
            Ok(p) => p,
            Err(e) => {
                println!(
                    "{}",
                    json!({"author": author["name"], "refused": e.to_string()})
                );
                continue;
            }
        };
        let judge = |set: &[(String, Sample)]| -> Vec<Value> {
            set.iter()
                .map(|(path, s)| {
                    let v = profile.compare(s);
                    json!({
                        "path": path,
                        "words": s.words,
                        "distance": v.distance,
                        "flagged": v.departs(1.0),
                        "top": v.differences(&profile, 3),
                        "contributions": v.contributions.iter()
                            .map(|c| (c.feature.clone(), c.value, c.z))
                            .collect::<Vec<_>>(),
                    })
                })
                .collect()
        };
        // Each learning message against a profile of the others, as the calibration sees it.
        let loo: Vec<Value> = (0..learn.len())
            .filter_map(|i| {
                let rest: Vec<Sample> = learn
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, s)| s.clone())
                    .collect();
                let v = Profile::learn(&rest).ok()?.compare(&learn[i]);
                Some(json!({
                    "words": learn[i].words,
                    "contributions": v.contributions.iter()
                        .map(|c| (c.feature.clone(), c.value, c.z))
                        .collect::<Vec<_>>(),
                }))
            })
            .collect();
        let others: Vec<(String, Sample)> = match author.get("others") {
            Some(list) => samples(list),
            None => later
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .flat_map(|(_, l)| l.iter().cloned())
                .collect(),
        };
        println!(
            "{}",
            json!({
                "author": author["name"],
                "messages": profile.messages(),
                "threshold": profile.threshold(),
                "calibration_flagged": profile.calibration().flagged,
                "loo": loo,
                "own": judge(&later[i]),
                "polished": judge(&samples(&author["polished"])),
                "others": judge(&others),
            })
        );
    }
}
