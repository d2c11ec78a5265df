//! Score rules as pack files: the candidate rule training measures with, and the trained rule
//! it writes.

use std::fmt::Write as _;
use std::path::Path;

use redline_rules::PackSource;

use crate::{Candidates, Model, Report};

/// The pack name of the candidate rule.
const CANDIDATE_PACK: &str = "redline-candidates";

/// A pack holding one score rule over every candidate, all weights zero: building a linter
/// with it (and no other pack) measures exactly the features training fits.
pub fn candidate_pack(candidates: &Candidates, min_words: usize) -> PackSource {
    let model = Model {
        intercept: 0.0,
        phrases: candidates
            .phrases
            .iter()
            .map(|p| (p.clone(), 0.0))
            .collect(),
        patterns: candidates
            .patterns
            .iter()
            .map(|p| (p.clone(), 0.0))
            .collect(),
        measures: candidates
            .measures
            .iter()
            .map(|&m| {
                (
                    m,
                    redline_rules::MeasureWeight {
                        weight: 0.0,
                        mean: 0.0,
                        sd: 1.0,
                    },
                )
            })
            .collect(),
        warning: 0.5,
        error: 0.9,
        min_words,
    };
    let rule = rule_toml(
        CANDIDATE_PACK,
        &model,
        "# Every candidate, unweighted.\n",
        "x",
        "y",
    );
    PackSource {
        folder: CANDIDATE_PACK.into(),
        files: vec![
            (
                format!("<{CANDIDATE_PACK}>/pack.toml"),
                manifest(CANDIDATE_PACK, "Candidate features for training."),
            ),
            (format!("<{CANDIDATE_PACK}>/voice.toml"), rule),
        ],
    }
}

/// The trained pack as it will be written to `dir`: a pack named after `dir` holding the rule
/// `<name>.voice`, with the training report in its comments and `bad`/`good` examples.
pub fn trained_pack(
    dir: &Path,
    model: &Model,
    report: &Report,
    bad: &str,
    good: &str,
) -> PackSource {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "voice".into());
    let summary = report
        .to_string()
        .lines()
        .map(|l| format!("# {l}\n"))
        .collect::<String>();
    let path = |file: &str| dir.join(file).display().to_string();
    PackSource {
        files: vec![
            (
                path("pack.toml"),
                manifest(
                    &name,
                    "A voice score trained with `redline train` on this team's mail.",
                ),
            ),
            (
                path("voice.toml"),
                rule_toml(&name, model, &summary, bad, good),
            ),
        ],
        folder: name,
    }
}

/// Writes a pack made by [`trained_pack`] to its folder.
/// How a rule file written by `redline train` begins, so a retraining knows it may replace it.
pub const WRITTEN_BY: &str = "# Written by `redline train`";

/// Writes a pack's files, making their folders.
pub fn write_pack(pack: &PackSource) -> std::io::Result<()> {
    for (path, text) in &pack.files {
        let path = Path::new(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

fn manifest(name: &str, description: &str) -> String {
    format!(
        "name = {}\nversion = \"0.1.0\"\ndescription = {}\n",
        quote(name),
        quote(description)
    )
}

/// The rule file: readable, one feature a line, largest weights first.
fn rule_toml(pack: &str, model: &Model, header: &str, bad: &str, good: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{WRITTEN_BY}; edit weights by hand or retrain.");
    s.push_str(header);
    if !header.ends_with('\n') {
        s.push('\n');
    }
    let _ = write!(
        s,
        r#"
[[rule]]
id = "{pack}.voice"
kind = "score"
severity = "error"
scope = "body"
message = "Reads as AI-drafted ({{value}})"
why = """
Many small habits together, none damning alone, read as a drafting tool's voice: the listed
features are the ones that weigh most in this draft. Prospects recognise that voice and reply
less: the Failure Modes: When AI Sales Ops Backfires guide reports a 200-rep team whose reply
rate fell from 8.2% to 5.4% in 90 days of lightly edited AI drafts.
"""
instead = """
Rewrite the flagged parts the way you would say them: contractions, one specific reason for
writing, sentences of different lengths, no labelled feature list, and an ask in your own words.
Say "we fixed it" rather than "ensuring it's fixed", and let a short sentence stand without a
comma before every "but", "which" and "and".
"""

[rule.score]
intercept = {intercept}
warning = {warning}
error = {error}
min_words = {min_words}
"#,
        intercept = model.intercept,
        warning = model.warning,
        error = model.error,
        min_words = model.min_words,
    );
    if !model.measures.is_empty() {
        s.push_str("\n[rule.score.measures]\n");
        for (m, w) in &model.measures {
            let _ = writeln!(
                s,
                "{} = {{ weight = {}, mean = {}, sd = {} }}",
                m.as_str(),
                w.weight,
                w.mean,
                w.sd
            );
        }
    }
    for (table, features) in [("phrases", &model.phrases), ("patterns", &model.patterns)] {
        if features.is_empty() {
            continue;
        }
        let mut sorted = features.clone();
        sorted.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
        let _ = writeln!(s, "\n[rule.score.{table}]");
        for (feature, weight) in sorted {
            let _ = writeln!(s, "{} = {weight}", quote(&feature));
        }
    }
    let _ = write!(
        s,
        "\n[rule.examples]\nbad = [{}]\ngood = [{}]\n",
        quote(bad),
        quote(good)
    );
    s
}

/// A TOML basic string (valid as a key too): backslashes, quotes and control characters
/// escaped.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
