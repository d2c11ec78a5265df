//! `redline-synth`: writes seeded sales drafts for tests, examples and benchmarks.
//!
//! ```text
//! redline-synth drafts --seed N --count N [--ai-share 0.5] --out DIR
//! redline-synth text --seed N --bytes N
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:\n  redline-synth drafts --seed N --count N [--ai-share 0.5] --out DIR\n  redline-synth text --seed N --bytes N";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("redline-synth: {msg}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<(), String> {
    let (command, rest) = args.split_first().ok_or("no command")?;
    let flag = |name: &str| -> Option<&str> {
        rest.iter()
            .position(|a| a == name)
            .and_then(|i| rest.get(i + 1))
            .map(String::as_str)
    };
    let number = |name: &str| -> Result<u64, String> {
        flag(name)
            .ok_or(format!("missing {name}"))?
            .parse()
            .map_err(|_| format!("{name} needs a number"))
    };
    match command.as_str() {
        "drafts" => {
            let seed = number("--seed")?;
            let count = number("--count")? as usize;
            let share: f64 = flag("--ai-share")
                .unwrap_or("0.5")
                .parse()
                .map_err(|_| "--ai-share needs a number from 0 to 1".to_string())?;
            let out = PathBuf::from(flag("--out").ok_or("missing --out")?);
            std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
            for (i, d) in redline_synth::corpus(seed, count, share).iter().enumerate() {
                let path = out.join(format!("draft-{:05}.txt", i + 1));
                std::fs::write(&path, d.text()).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            Ok(())
        }
        "text" => {
            let text = redline_synth::text_of_size(number("--seed")?, number("--bytes")? as usize);
            print!("{text}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`")),
    }
}
