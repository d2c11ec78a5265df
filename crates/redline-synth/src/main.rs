//! `redline-synth`: writes seeded sales drafts for tests, examples and benchmarks.
//!
//! ```text
//! redline-synth drafts --seed N --count N [--ai-share 0.5] --out DIR
//! redline-synth text --seed N --bytes N
//! redline-synth mailbox --seed N --messages N --out DIR
//! redline-synth exports --seed N --leads N --out DIR [--inject CHECK,...] [--malformed N]
//! ```
//!
//! Bad arguments print the usage and exit with status 2; I/O errors exit with status 1.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  redline-synth drafts --seed N --count N [--ai-share 0.5] --out DIR
      writes DIR/draft-00001.txt, DIR/draft-00002.txt, ... (ai-share: 0 to 1)
  redline-synth text --seed N --bytes N
      writes drafts to stdout, separated by blank lines, until at least N bytes
  redline-synth mailbox --seed N --messages N --out DIR
      writes DIR/sent.mbox, DIR/replies.mbox and DIR/outcomes.csv: a team's sent mail over
      nine months from 2025-10, AI drafting rolled out on 2026-02-01, with known replies
  redline-synth exports --seed N --leads N --out DIR [--inject CHECK,...] [--malformed N]
      writes CRM exports for redline pipeline (leads, field edits, forecasts, reps, usage),
      healthy or with failures injected: score-inflation, edited-inputs,
      score-not-predictive, forecast-drift, segment-lockout, low-adoption,
      routing-disputes, nba-acceptance, recording-participation";

/// What went wrong: the arguments (usage, exit 2) or the system (exit 1).
enum Failure {
    Usage(String),
    Io(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(msg)) => {
            eprintln!("redline-synth: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("redline-synth: {msg}");
            ExitCode::from(1)
        }
    }
}

fn run(args: &[String]) -> Result<(), Failure> {
    let usage = |msg: String| Failure::Usage(msg);
    let (command, rest) = args
        .split_first()
        .ok_or_else(|| usage("no command".into()))?;
    let known: &[&str] = match command.as_str() {
        "drafts" => &["--seed", "--count", "--ai-share", "--out"],
        "text" => &["--seed", "--bytes"],
        "mailbox" => &["--seed", "--messages", "--out"],
        "exports" => &["--seed", "--leads", "--out", "--inject", "--malformed"],
        other => return Err(usage(format!("unknown command `{other}`"))),
    };
    let flags = parse_flags(rest, known).map_err(usage)?;
    let get = |name: &str| -> Option<&str> {
        flags
            .iter()
            .find(|(flag, _)| *flag == name)
            .map(|(_, value)| *value)
    };
    let number = |name: &str| -> Result<u64, Failure> {
        let value = get(name).ok_or_else(|| usage(format!("missing {name}")))?;
        value
            .parse()
            .map_err(|_| usage(format!("{name} needs a whole number, not `{value}`")))
    };
    let size = |name: &str| -> Result<usize, Failure> {
        usize::try_from(number(name)?).map_err(|_| usage(format!("{name} is too large")))
    };

    match command.as_str() {
        "drafts" => {
            let seed = number("--seed")?;
            let count = size("--count")?;
            let share = match get("--ai-share") {
                None => 0.5,
                Some(value) => value
                    .parse::<f64>()
                    .ok()
                    .filter(|s| (0.0..=1.0).contains(s))
                    .ok_or_else(|| {
                        usage(format!(
                            "--ai-share needs a number from 0 to 1, not `{value}`"
                        ))
                    })?,
            };
            let out = PathBuf::from(get("--out").ok_or_else(|| usage("missing --out".into()))?);
            let io = |path: &std::path::Path, e: std::io::Error| {
                Failure::Io(format!("{}: {e}", path.display()))
            };
            std::fs::create_dir_all(&out).map_err(|e| io(&out, e))?;
            for (i, d) in redline_synth::corpus(seed, count, share).iter().enumerate() {
                let path = out.join(format!("draft-{:05}.txt", i + 1));
                std::fs::write(&path, d.text()).map_err(|e| io(&path, e))?;
            }
            Ok(())
        }
        "mailbox" => {
            let spec = redline_synth::MailboxSpec {
                seed: number("--seed")?,
                messages: size("--messages")?,
                ..redline_synth::MailboxSpec::default()
            };
            let out = PathBuf::from(get("--out").ok_or_else(|| usage("missing --out".into()))?);
            let mailbox = redline_synth::Mailbox::generate(&spec);
            let io = |path: &std::path::Path, e: std::io::Error| {
                Failure::Io(format!("{}: {e}", path.display()))
            };
            std::fs::create_dir_all(&out).map_err(|e| io(&out, e))?;
            for (name, contents) in [
                ("sent.mbox", mailbox.sent_mbox()),
                ("replies.mbox", mailbox.replies_mbox()),
                ("outcomes.csv", mailbox.outcomes_csv()),
            ] {
                let path = out.join(name);
                std::fs::write(&path, contents).map_err(|e| io(&path, e))?;
            }
            Ok(())
        }
        "exports" => {
            let mut inject = Vec::new();
            for name in get("--inject")
                .unwrap_or("")
                .split(',')
                .filter(|n| !n.is_empty())
            {
                let found = redline_synth::Failure::ALL.iter().find(|(n, _)| *n == name);
                match found {
                    Some((_, f)) => inject.push(*f),
                    None => return Err(usage(format!("--inject: unknown failure `{name}`"))),
                }
            }
            let spec = redline_synth::ExportSpec {
                seed: number("--seed")?,
                leads: size("--leads")?,
                inject,
                malformed: match get("--malformed") {
                    Some(_) => size("--malformed")?,
                    None => 0,
                },
            };
            let out = PathBuf::from(get("--out").ok_or_else(|| usage("missing --out".into()))?);
            redline_synth::write_exports(&spec, &out)
                .map_err(|e| Failure::Io(format!("{}: {e}", out.display())))
        }
        _ => {
            let text = redline_synth::text_of_size(number("--seed")?, size("--bytes")?);
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Failure::Io(format!("stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

/// `--flag value` pairs; an unknown, repeated or valueless flag, or a stray word, is an error.
fn parse_flags<'a>(args: &'a [String], known: &[&str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    let mut flags: Vec<(&str, &str)> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        if !arg.starts_with("--") {
            return Err(format!("unexpected argument `{arg}`"));
        }
        if !known.contains(&arg.as_str()) {
            return Err(format!("unknown option `{arg}`"));
        }
        if flags.iter().any(|(flag, _)| flag == arg) {
            return Err(format!("{arg} given twice"));
        }
        match it.next() {
            Some(value) if !value.starts_with("--") => flags.push((arg, value)),
            _ => return Err(format!("{arg} needs a value")),
        }
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The usage lists exactly the failures `--inject` accepts.
    #[test]
    fn the_usage_lists_every_injectable_failure() {
        let listed = USAGE
            .split("failures injected:")
            .nth(1)
            .expect("the exports usage lists failures");
        let listed: Vec<&str> = listed
            .split([',', '\n', ' '])
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let accepted: Vec<&str> = redline_synth::Failure::ALL
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(listed, accepted);
    }

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    fn usage_error(args: &[&str]) -> String {
        match run(&strings(args)) {
            Err(Failure::Usage(msg)) => msg,
            Err(Failure::Io(msg)) => panic!("I/O error for {args:?}: {msg}"),
            Ok(()) => panic!("{args:?} was accepted"),
        }
    }

    #[test]
    fn bad_arguments_are_usage_errors() {
        assert_eq!(usage_error(&[]), "no command");
        assert!(usage_error(&["draft"]).contains("unknown command"));
        assert!(usage_error(&["text", "--seed", "1"]).contains("missing --bytes"));
        assert!(usage_error(&["text", "--seed", "x", "--bytes", "9"]).contains("whole number"));
        assert!(usage_error(&["text", "--seed", "-1", "--bytes", "9"]).contains("whole number"));
        assert!(usage_error(&["text", "--seed", "1", "--bytes"]).contains("needs a value"));
        assert!(
            usage_error(&["text", "--seed", "1", "--bytes", "9", "--out", "d"])
                .contains("unknown option")
        );
        assert!(usage_error(&["text", "--seed", "1", "--seed", "2"]).contains("twice"));
        assert!(usage_error(&["text", "7"]).contains("unexpected"));
        let drafts = ["drafts", "--seed", "1", "--count", "2", "--out", "d"];
        assert!(usage_error(&[&drafts[..], &["--ai-share", "1.5"]].concat()).contains("0 to 1"));
        assert!(usage_error(&drafts[..5]).contains("missing --out"));
    }

    #[test]
    fn drafts_are_written_as_numbered_files() {
        let dir = std::env::temp_dir().join(format!("redline-synth-test-{}", std::process::id()));
        let args = [
            "drafts",
            "--seed",
            "3",
            "--count",
            "3",
            "--ai-share",
            "1",
            "--out",
        ];
        let mut args = strings(&args);
        args.push(dir.display().to_string());
        assert!(run(&args).is_ok());
        let expected = redline_synth::corpus(3, 3, 1.0);
        for (i, d) in expected.iter().enumerate() {
            let path = dir.join(format!("draft-{:05}.txt", i + 1));
            assert_eq!(std::fs::read_to_string(&path).unwrap(), d.text());
        }
        assert!(!dir.join("draft-00004.txt").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
