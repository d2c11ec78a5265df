//! `redline voice learn`: a profile of the writer's own voice from their sent mail; `redline
//! voice show`: that profile in words.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use redline_text::{Document, RegionKind};
use redline_voice::{Profile, Sample};
use serde_json::json;

use crate::{ListFormat, VoiceArgs, VoiceCommand, exit, inputs};

/// Runs `redline voice ...`; returns the exit code.
pub fn voice(args: VoiceArgs) -> u8 {
    match args.command {
        VoiceCommand::Learn {
            from,
            output,
            paths,
        } => learn(&from, &output, &paths),
        VoiceCommand::Show { profile, format } => show(&profile, format == ListFormat::Json),
    }
}

/// Reads the writer's messages (only their own text: the regions `redline check` reads),
/// learns and calibrates a profile, and writes it to `output`.
fn learn(from: &[String], output: &PathBuf, paths: &[PathBuf]) -> u8 {
    if let Err(why) = writable(output, paths) {
        eprintln!("redline: voice learn: {why}; no profile written");
        return exit::TROUBLE;
    }
    let from: Vec<String> = from.iter().map(|a| bare_address(a)).collect();
    let walk = redline_text::WalkOptions::default();
    let (targets, mut problems) = inputs::collect(paths, walk);
    let mut samples = Vec::new();
    let (mut other_senders, mut no_sender, mut short) = (0usize, 0usize, 0usize);
    let mut seen = Seen::default();
    for target in &targets {
        let problems_reading =
            inputs::read(target, redline_text::DEFAULT_MAX_DRAFT_BYTES, |piece| {
                let draft = piece.draft();
                let facts = redline_audit::facts::of(piece.raw().bytes);
                if !from.is_empty() {
                    match facts.as_ref().and_then(|f| f.sender.as_ref()) {
                        Some(s) if from.contains(s) => {}
                        Some(_) => {
                            other_senders += 1;
                            return;
                        }
                        None => {
                            no_sender += 1;
                            return;
                        }
                    }
                }
                let sample = Sample::of(&draft.doc);
                if !sample.is_usable() {
                    short += 1;
                } else if seen.first(facts.and_then(|f| f.id).as_deref(), &draft.doc) {
                    samples.push(sample);
                }
            });
        problems.extend(problems_reading);
    }
    for p in &problems {
        eprintln!("redline: {}", p.message);
    }
    if problems.iter().any(|p| p.fails) {
        eprintln!(
            "redline: voice learn: not all of your mail could be read, and a profile of part of it would not be yours; no profile written"
        );
        return exit::TROUBLE;
    }
    let mut skipped = Vec::new();
    if seen.copies > 0 {
        skipped.push(format!(
            "{} {} of messages already read",
            seen.copies,
            if seen.copies == 1 {
                "duplicate"
            } else {
                "duplicates"
            }
        ));
    }
    if other_senders > 0 {
        skipped.push(format!("{other_senders} from other senders"));
    }
    if no_sender > 0 {
        skipped.push(format!(
            "{no_sender} with no From address: --from needs mail with its headers"
        ));
    }
    if short > 0 {
        skipped.push(format!(
            "{short} with under {} words of your own",
            redline_voice::MIN_WORDS
        ));
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!(" (skipped {})", skipped.join(", "))
    };
    let profile = match Profile::learn(&samples) {
        Ok(p) => p,
        Err(too_few) => {
            eprintln!("redline: voice learn: {too_few}{skipped}; no profile written");
            return exit::TROUBLE;
        }
    };
    if let Err(e) = std::fs::write(output, profile.to_toml()) {
        eprintln!("redline: cannot write {}: {e}", output.display());
        return exit::TROUBLE;
    }
    let c = profile.calibration();
    eprintln!(
        "redline: learned your voice from {} messages{skipped}; threshold {:.2} flags {:.0}% of your own messages (left out in turn); wrote {}",
        profile.messages(),
        profile.threshold(),
        100.0 * c.flagged,
        output.display()
    );
    exit::CLEAN
}

/// The address in a `--from` value, lower-cased: a bare address, or the one in angle brackets
/// of a From header as copied from a mail client (`Tim Peters <tim@example.com>`).
fn bare_address(from: &str) -> String {
    let inner = from
        .rsplit_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or(from, |(address, _)| address);
    inner.trim().to_ascii_lowercase()
}

/// The messages already read, so that a copy of one (the same message in "Sent" and "All
/// Mail", an mbox given twice, a template sent many times word for word, or with only the
/// name in its greeting line changed) counts once, as
/// `redline audit` counts a repeated Message-ID once: a profile learned from copies would
/// count every habit many times and calibrate its threshold on messages identical to the one
/// left out.
#[derive(Default)]
struct Seen {
    /// The Message-IDs read.
    ids: HashSet<String>,
    /// A hash of each message's own text (paragraphs and sign-off, its whitespace runs made
    /// one space), without its greeting line ("Hi Sam," and "Hi Dana," above the same text
    /// are one template), quotes or signature.
    texts: HashSet<u64>,
    /// How many messages were copies of one already read.
    copies: usize,
}

impl Seen {
    /// Whether the message with Message-ID `id` and document `doc` is new (and notes it).
    fn first(&mut self, id: Option<&str>, doc: &Document) -> bool {
        let new_id = id.is_none_or(|id| self.ids.insert(id.to_string()));
        let mut hasher = DefaultHasher::new();
        let text = doc.text();
        let mut words = 0;
        for r in doc
            .regions()
            .iter()
            .filter(|r| matches!(r.kind, RegionKind::Paragraph | RegionKind::SignOff))
        {
            for word in text[r.span.clone()].split_whitespace() {
                word.hash(&mut hasher);
                words += 1;
            }
        }
        // Messages with no text beside a greeting are too short to learn from anyway; they
        // are not all one message.
        let new_text = words == 0 || self.texts.insert(hasher.finish());
        let new = new_id && new_text;
        if !new {
            self.copies += 1;
        }
        new
    }
}

/// Whether the profile may be written to `output`: never over one of the mail it is learned
/// from, nor over a file that is not a voice profile (learning again replaces a profile).
fn writable(output: &Path, paths: &[PathBuf]) -> Result<(), String> {
    let Ok(existing) = std::fs::canonicalize(output) else {
        return Ok(());
    };
    for path in paths {
        if std::fs::canonicalize(path).is_ok_and(|p| existing.starts_with(&p)) {
            return Err(format!(
                "{} is your mail, which the profile would overwrite",
                output.display()
            ));
        }
    }
    let head = std::fs::read(output).unwrap_or_default();
    let head = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    if !head.contains(&format!("format = \"{}\"", redline_voice::FORMAT)) {
        return Err(format!(
            "{} exists and is not a voice profile; choose another name or move it away",
            output.display()
        ));
    }
    Ok(())
}

/// Prints the habits a profile holds, in words (or as one JSON object), and how its threshold
/// was set.
fn show(path: &Path, as_json: bool) -> u8 {
    let profile = match Profile::load(path) {
        Ok(p) => p,
        Err(e) => {
            let at = e
                .position
                .map_or(String::new(), |(line, col)| format!(":{line}:{col}"));
            eprintln!("redline: {}{at}: {}", path.display(), e.message);
            return exit::TROUBLE;
        }
    };
    let habits = profile.habits();
    let c = profile.calibration();
    if as_json {
        let out = json!({
            "messages": profile.messages(),
            "threshold": profile.threshold(),
            "flagged": c.flagged,
            "habits": habits,
        });
        return exit::print(&format!("{out}\n"), exit::CLEAN);
    }
    let mut out = format!("Your voice, from {} messages:\n", profile.messages());
    for h in &habits {
        out.push_str(&format!("  - {}\n", h.says));
    }
    out.push_str(&format!(
        "A draft further than {:.2} from these habits gets `voice.not-your-voice`: {:.0}% of \
         your own messages were, each compared with a profile of the others.\n",
        profile.threshold(),
        100.0 * c.flagged
    ));
    exit::print(&out, exit::CLEAN)
}
