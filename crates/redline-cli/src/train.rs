//! `redline train`: fits a voice score to labelled folders and writes it as a rule pack.
//!
//! Every input kind `check` reads works here (text, Markdown, `.eml`, HTML, mbox), read by the
//! same reader, and only what the writer wrote counts: quoted replies, forwards and signatures
//! are outside the scored paragraphs. Bad training input stops with exit 2 before anything is
//! written.

use std::path::{Path, PathBuf};

use redline_email::Linter;
use redline_text::WalkOptions;
use redline_train::{Candidates, Options, Sample, candidate_pack, trained_pack, write_pack};

use crate::{TrainArgs, exit, inputs};

/// A good example for the trained rule when it stays quiet on it: a rep's own quick note.
const GOOD_EXAMPLE: &str = "Hey Sam - got your note. Tuesday's tough for me, I'm on site all \
day with the Denver crew. Could we push to Thursday morning? If not, just call my cell and \
we'll sort it out. Also, the pricing sheet you sent had last year's numbers on page 2, so \
I didn't forward it yet. Thanks, Jo";

pub fn train(args: TrainArgs) -> u8 {
    match run(&args) {
        Ok(said) => exit::print(&said, exit::CLEAN),
        Err(e) => {
            eprintln!("redline: train: {e}");
            exit::TROUBLE
        }
    }
}

/// Trains and writes the pack; returns what to print: the report and what was written.
fn run(args: &TrainArgs) -> Result<String, String> {
    check_out(&args.out)?;
    if args.error_fpr > args.warning_fpr {
        return Err(format!(
            "--error-fpr {} is above --warning-fpr {}: an error must flag no more human mail than a warning",
            args.error_fpr, args.warning_fpr
        ));
    }
    let candidates = match &args.features {
        Some(path) => {
            let src = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            Candidates::parse(&src).map_err(|e| format!("{}: {e}", path.display()))?
        }
        None => Candidates::builtin(),
    };
    let options = Options {
        warning_fpr: args.warning_fpr,
        error_fpr: args.error_fpr,
        min_words: args.min_words,
        l1: args.l1.unwrap_or(Options::default().l1),
        ..Options::default()
    };
    let measure = Linter::builder()
        .without_builtin()
        .pack(candidate_pack(&candidates, options.min_words))
        .build()
        .map_err(|e| format!("candidate features: {e}"))?;

    let mut samples = Vec::new();
    let mut ai_texts = Vec::new();
    for (paths, ai) in [(&args.ai, true), (&args.human, false)] {
        let class = if ai { "--ai" } else { "--human" };
        let before = samples.len();
        for path in paths {
            read_folder(path, &measure, ai, &mut samples, &mut ai_texts)
                .map_err(|e| format!("{class} {e}"))?;
        }
        if samples.len() == before {
            return Err(format!("{class}: no messages found in {}", join(paths)));
        }
    }
    let (model, report) =
        redline_train::train(&samples, &candidates, &options).map_err(|e| e.to_string())?;

    // Examples for the rule: the first AI-drafted message it flags, and a rep's own note it
    // must leave alone; chosen with the rule built in memory, then written once.
    let rule_of = |pack: &redline_rules::PackSource| format!("{}.voice", pack.folder);
    let draft = trained_pack(&args.out, &model, &report, "-", GOOD_EXAMPLE);
    let linter = Linter::builder()
        .without_builtin()
        .pack(draft.clone())
        .build()
        .map_err(|e| format!("the trained rule does not load: {e}"))?;
    let fires = |t: &str| linter.check(t).iter().any(|f| f.rule == rule_of(&draft));
    let bad = ai_texts.iter().take(400).find(|t| fires(t));
    let (Some(bad), false) = (bad, fires(GOOD_EXAMPLE)) else {
        return Err(format!(
            "the trained score flags none of the first AI-drafted messages, or flags a plain human note; nothing was written to {}",
            args.out.display()
        ));
    };
    let pack = trained_pack(&args.out, &model, &report, bad, GOOD_EXAMPLE);
    write_pack(&pack).map_err(|e| format!("{}: cannot write: {e}", args.out.display()))?;
    Linter::builder()
        .without_builtin()
        .pack_dir(&args.out)
        .build()
        .map_err(|e| format!("the written pack does not load: {e}"))?;
    Ok(format!(
        "{report}\nkept {} phrases, {} patterns and {} measures; thresholds: warning {:.3}, error {:.3}\nwrote {}\n",
        model.phrases.len(),
        model.patterns.len(),
        model.measures.len(),
        model.warning,
        model.error,
        args.out.display()
    ))
}

/// The folder to write must name a pack, and must not hold a pack `redline train` did not
/// write: both are said before any mail is read, and a hand-written pack is never overwritten.
fn check_out(out: &Path) -> Result<(), String> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !redline_rules::is_kebab(&name) {
        return Err(format!(
            "-o {}: the folder's name `{name}` becomes the pack's name, so it must be lower-case kebab-case (e.g. team-voice)",
            out.display()
        ));
    }
    let rule = out.join("voice.toml");
    let ours = std::fs::read_to_string(&rule)
        .is_ok_and(|text| text.starts_with(redline_train::WRITTEN_BY));
    if (rule.exists() || out.join("pack.toml").exists()) && !ours {
        return Err(format!(
            "-o {}: it holds a pack `redline train` did not write; choose another folder or move it away",
            out.display()
        ));
    }
    Ok(())
}

/// Measures every message under `path`; an unreadable input is an error, not a skip, so a
/// model is never fitted to a folder the user did not fully give it.
fn read_folder(
    path: &Path,
    measure: &Linter,
    ai: bool,
    samples: &mut Vec<Sample>,
    ai_texts: &mut Vec<String>,
) -> Result<(), String> {
    if !path.exists() {
        return Err(format!("{}: no such file or folder", path.display()));
    }
    let (targets, problems) = inputs::collect(&[path.to_path_buf()], WalkOptions::default());
    let mut problems = problems;
    for target in targets {
        problems.extend(inputs::read(
            &target,
            redline_text::DEFAULT_MAX_DRAFT_BYTES,
            |piece| {
                let draft = piece.draft();
                for (_, inputs) in measure.score_inputs(&draft.doc) {
                    if ai && inputs.words >= 40 {
                        ai_texts.push(own_text(&draft.doc));
                    }
                    samples.push(Sample { inputs, ai });
                }
            },
        ));
    }
    for p in &problems {
        if p.fails {
            return Err(p.message.clone());
        }
        eprintln!("redline: train: {}", p.message);
    }
    Ok(())
}

/// The paragraphs the writer wrote, as a plain draft.
fn own_text(doc: &redline_text::Document) -> String {
    doc.regions()
        .iter()
        .filter(|r| r.kind == redline_text::RegionKind::Paragraph)
        .map(|r| doc.text()[r.span.clone()].trim())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn join(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
