//! `redline`: finds the corporate-AI voice in sales email drafts.
//!
//! `redline check` is a send gate (exit 0 clean, 1 blocking findings, 2 usage, config or input
//! error); `redline rules` and `redline explain` show what the gate enforces and why.

mod audit;
mod explain;
mod inputs;
mod pipeline;
mod report;
mod run;
mod serve;
mod settings;
mod train;
mod voice;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use redline_rules::FailOn;

/// Finds the corporate-AI voice in sales email drafts, explains why it costs replies, and
/// blocks the send when a draft still has it.
#[derive(Parser)]
#[command(name = "redline", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts (files, folders, or `-` for stdin); exit 1 when a finding is at or above
    /// --fail-on.
    Check(CheckArgs),
    /// List the loaded rules.
    Rules(RulesArgs),
    /// Explain a rule: why it matters, what to write instead, examples.
    Explain(ExplainArgs),
    /// Measure which patterns in sent mail cost replies (reply rates by rule, phrase, month).
    Audit(AuditArgs),
    /// Check CRM exports for lead-score gaming, forecast drift, segment lockout and low
    /// adoption; exit 1 when a finding is at or above --fail-on.
    Pipeline(PipelineArgs),
    /// Your own voice: learn a profile from your sent mail, for `check --voice`.
    Voice(VoiceArgs),
    /// Fit a voice score to your own mail (AI-drafted and human-written folders) and write it
    /// as a rule pack.
    Train(TrainArgs),
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
    /// Serve the send gate over HTTP: `POST /v1/check` with a draft answers pass/fail and
    /// the findings (see /openapi.json).
    Serve(ServeArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// The address to listen on; other than loopback only with --token-file.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: std::net::SocketAddr,
    /// A file holding the token clients must send as `Authorization: Bearer <token>`.
    #[arg(long, value_name = "FILE")]
    token_file: Option<PathBuf>,
    /// The largest request body accepted, in bytes (larger ones get 413).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024, value_parser = parse_at_least_one::<usize>)]
    max_body: usize,
    /// Seconds a request may take, from its first byte to its answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = parse_at_least_one::<u64>)]
    timeout: u64,
    /// Checks read or run at once; more wait for a turn (503 after half of --timeout).
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = parse_at_least_one::<usize>)]
    max_checks: usize,
    /// A folder of writers' voice profiles (`NAME.toml`, from `redline voice learn`); a
    /// request names one in `voice` to be compared with that writer's own mail.
    #[arg(long, value_name = "DIR")]
    voices: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
struct VoiceArgs {
    #[command(subcommand)]
    command: VoiceCommand,
}

#[derive(Subcommand)]
enum VoiceCommand {
    /// Learn your voice from your own sent mail (folders, mbox, .eml, text): only what you
    /// wrote is read (no quoted replies, forwards or signatures). The profile holds statistics,
    /// never text or other people's addresses, and stays with you.
    Learn {
        /// Keep only messages whose From address is this one (repeatable).
        #[arg(long, value_name = "ADDRESS")]
        from: Vec<String>,
        /// Where to write the profile (TOML).
        #[arg(short, long, value_name = "PROFILE")]
        output: PathBuf,
        /// Your sent mail: files or folders.
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<PathBuf>,
    },
    /// Show a profile in words: your greetings and sign-offs, sentence lengths, contractions,
    /// punctuation and the other habits a draft is compared with, each with its numbers.
    Show {
        /// The profile (from `redline voice learn`).
        #[arg(value_name = "PROFILE")]
        profile: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
}

#[derive(Args)]
struct TrainArgs {
    /// AI-drafted mail: files, folders or mailboxes (repeatable).
    #[arg(long, value_name = "PATH", required = true)]
    ai: Vec<PathBuf>,
    /// Human-written mail, e.g. sent mail from before AI drafting (repeatable).
    #[arg(long, value_name = "PATH", required = true)]
    human: Vec<PathBuf>,
    /// The pack folder to write (its name becomes the pack's name: rule `<name>.voice`).
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    out: PathBuf,
    /// Candidate words, phrases and patterns (`phrases = [...]`, `patterns = [...]`)
    /// [default: the shipped list].
    #[arg(long, value_name = "FILE")]
    features: Option<PathBuf>,
    /// Share of the human mail a warning may flag (set out of fold), from 0 to 1.
    #[arg(long, value_name = "SHARE", default_value_t = 0.03, value_parser = parse_share, allow_negative_numbers = true)]
    warning_fpr: f64,
    /// Share of the human mail an error may flag (set out of fold), from 0 to the warning's.
    #[arg(long, value_name = "SHARE", default_value_t = 0.002, value_parser = parse_share, allow_negative_numbers = true)]
    error_fpr: f64,
    /// Messages with fewer words are neither trained on nor scored.
    #[arg(long, value_name = "N", default_value_t = 40)]
    min_words: usize,
    /// L1 penalty: larger keeps fewer features (0 or more).
    #[arg(long, value_name = "X", value_parser = parse_penalty, allow_negative_numbers = true)]
    l1: Option<f64>,
}

#[derive(Args)]
struct PipelineArgs {
    /// The folder holding the exports: leads.csv, field_edits.csv, forecasts.csv, reps.csv,
    /// usage_events.csv (a missing file skips the checks that need it).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PipelineFormat::Human)]
    format: PipelineFormat,
    /// Also write the report as one self-contained HTML page with charts.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// The lowest severity that makes the check fail (exit 1) [default: warning, or the
    /// config's `fail_on`].
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOnArg>,
    #[command(flatten)]
    rules: RuleArgs,
}

/// How `redline pipeline` prints findings.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PipelineFormat {
    /// Findings with their evidence, for people.
    Human,
    /// JSON Lines, one finding per line (as `redline check --format json`).
    Json,
    /// The HTML page (as `--html`) on stdout.
    Html,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct AuditArgs {
    #[command(subcommand)]
    command: Option<AuditCommand>,
    /// Sent mail: mbox files, `.eml` files, or folders of them.
    #[arg(value_name = "SENT", required = true)]
    sent: Vec<PathBuf>,
    /// Received mail (mbox or folders) to find replies in: a message whose In-Reply-To or
    /// References names a sent Message-ID is a reply to it (repeatable).
    #[arg(long, value_name = "DIR|MBOX")]
    replies: Vec<PathBuf>,
    /// Outcomes exported from a CRM or sequencer: `message_id,replied[,replied_at]` (instead
    /// of --replies).
    #[arg(long, value_name = "CSV", conflicts_with = "replies")]
    outcomes: Option<PathBuf>,
    /// Leave out mail sent before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<redline_calendar::Day>,
    /// Leave out mail sent after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<redline_calendar::Day>,
    /// The day AI drafting was rolled out: reply rates and flagged shares before and after.
    #[arg(long, value_name = "DATE")]
    rollout: Option<redline_calendar::Day>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// Also write the report as one self-contained HTML page with charts.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Hide names, addresses and numbers in example snippets.
    #[arg(long)]
    redact: bool,
    /// Add each sender's own reply rate. For a rep auditing their own mailbox: redline reports
    /// patterns, not people, and this is not meant for ranking reps.
    #[arg(long)]
    by_sender: bool,
    /// Rates from fewer emails are shown but not ranked.
    #[arg(long, value_name = "N", default_value_t = redline_audit::report::DEFAULT_MIN_EMAILS)]
    min_emails: u64,
    /// Findings below this severity are ignored.
    #[arg(long, value_enum, default_value_t = SeverityArg::Warning)]
    min_severity: SeverityArg,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Combine `--format json` reports from shards into the report of one run over them all.
    Merge {
        /// The shard reports.
        #[arg(value_name = "JSON", required = true)]
        reports: Vec<PathBuf>,
        /// Output format. JSON by default (unlike `redline audit`, which prints for people),
        /// so a merged report is itself a shard that merges again; `--format human` for tables.
        #[arg(long, value_enum, default_value_t = AuditFormat::Json)]
        format: AuditFormat,
        /// Also write the merged report as an HTML page.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
}

/// How `redline audit` prints its report.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum AuditFormat {
    /// Tables for people.
    Human,
    /// One JSON object (the shard format `redline audit merge` reads).
    Json,
    /// One row per rule, phrase and month.
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum SeverityArg {
    Error,
    Warning,
    Info,
}

impl From<SeverityArg> for redline_rules::Severity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Error => redline_rules::Severity::Error,
            SeverityArg::Warning => redline_rules::Severity::Warning,
            SeverityArg::Info => redline_rules::Severity::Info,
        }
    }
}

/// Where rules and settings come from; shared by every command.
#[derive(Args, Clone, Default)]
struct RuleArgs {
    /// Use this config file instead of discovering `.redline.toml` and the user config.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Add a rule pack folder (repeatable); a pack named like a shipped one replaces it.
    #[arg(long = "pack", value_name = "DIR")]
    packs: Vec<PathBuf>,
    /// Turn a rule off (repeatable).
    #[arg(long = "disable", value_name = "RULE")]
    disable: Vec<String>,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or folders to check (folders recursively); `-` reads stdin. Default: stdin.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// The lowest severity that makes the check fail (exit 1) [default: error, or the config's
    /// `fail_on`].
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOnArg>,
    /// Also check hidden files and folders.
    #[arg(long)]
    hidden: bool,
    /// Do not skip what `.gitignore` and `.ignore` files list.
    #[arg(long)]
    no_ignore: bool,
    /// The largest draft read (a file, stdin, or one message of a mailbox), in bytes or with
    /// a K, M or G suffix (KiB, MiB, GiB); a larger one is named and fails the run.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    max_draft_size: usize,
    /// Print the summary line (findings by severity, files, time) on stderr even when it is
    /// not a terminal.
    #[arg(long)]
    summary: bool,
    /// Compare each draft with your voice profile (from `redline voice learn`); a draft that
    /// does not sound like you gets `voice.not-your-voice`. Overrides the config's `voice`.
    #[arg(long, value_name = "PROFILE")]
    voice: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
}

/// A server limit: a whole number, 1 or more (0 bytes, seconds or checks would refuse every
/// request, so it is refused at startup rather than served).
fn parse_at_least_one<T: std::str::FromStr + PartialOrd + From<u8>>(s: &str) -> Result<T, String> {
    s.parse::<T>()
        .ok()
        .filter(|n| *n >= T::from(1))
        .ok_or_else(|| {
            format!("`{s}` must be a whole number, 1 or more (0 would refuse every request)")
        })
}

/// A share from 0 to 1: `0.03` is 3%.
fn parse_share(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| (0.0..=1.0).contains(x))
        .ok_or_else(|| format!("`{s}` is not a share from 0 to 1 (0.03 is 3%)"))
}

/// A penalty: a finite number, 0 or more.
fn parse_penalty(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("`{s}` is not a penalty (a number, 0 or more)"))
}

/// A size in bytes: `1048576`, `512K`, `64M`, `1G` (powers of 1024).
fn parse_size(s: &str) -> Result<usize, String> {
    let (digits, shift) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 10),
        Some((i, 'm' | 'M')) => (&s[..i], 20),
        Some((i, 'g' | 'G')) => (&s[..i], 30),
        _ => (s, 0),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("`{s}` is not a size (e.g. 1048576, 512K, 64M, 1G)"))?;
    n.checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{s}` is out of range"))
}

#[derive(Args)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
    /// Run every rule's examples instead of listing the rules: the packs given with --pack,
    /// or every loaded pack; exit 2 when a `bad` example does not fire or a `good` one does.
    #[arg(long)]
    test: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
struct ExplainArgs {
    /// The rule id, e.g. corporate-ai.wanted-to-reach-out.
    rule: String,
    #[command(flatten)]
    rules: RuleArgs,
}

/// How `redline check` prints findings.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Annotated source snippets for people.
    Human,
    /// JSON Lines, one finding per line.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests).
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOnArg {
    Error,
    Warning,
    Info,
    Never,
}

impl From<FailOnArg> for FailOn {
    fn from(f: FailOnArg) -> Self {
        match f {
            FailOnArg::Error => FailOn::Error,
            FailOnArg::Warning => FailOn::Warning,
            FailOnArg::Info => FailOn::Info,
            FailOnArg::Never => FailOn::Never,
        }
    }
}

/// Exit codes of every command.
mod exit {
    use std::io::Write;

    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const TROUBLE: u8 = 2;

    /// Writes an HTML report page to `path`, when one is asked for; `false` (the failure
    /// named) when it cannot be written. Callers print the report to stdout either way.
    pub fn write_page(path: Option<&std::path::Path>, page: impl FnOnce() -> String) -> bool {
        match path.map(|p| (p, std::fs::write(p, page()))) {
            Some((p, Err(e))) => {
                eprintln!("redline: cannot write {}: {e}", p.display());
                false
            }
            _ => true,
        }
    }

    /// Writes `text` to stdout and returns `code`; a failed write (a full disk, not a closed
    /// pipe) is named and is trouble, never a panic or a silent pass.
    pub fn print(text: &str, code: u8) -> u8 {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                eprintln!("redline: cannot write the output: {e}");
                TROUBLE
            }
            _ => code,
        }
    }
}

/// With the `mimalloc` feature, mimalloc rather than the system allocator: a check allocates
/// many small, short-lived strings and vectors, and glibc's malloc and free are a tenth of the
/// server's CPU. Off by default: mimalloc's start-up costs the one-draft gate more than that.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) if args.test => explain::test(&args.rules),
        Command::Rules(args) => explain::list(&args.rules, args.format == ListFormat::Json),
        Command::Explain(args) => explain::explain(&args.rules, &args.rule),
        Command::Audit(args) => audit::audit(args),
        Command::Pipeline(args) => pipeline::pipeline(args),
        Command::Serve(args) => serve::serve(args),
        Command::Voice(args) => voice::voice(args),
        Command::Train(args) => train::train(args),
        Command::Lsp => match redline_lsp::serve_stdio() {
            Ok(code) => code,
            Err(e) => {
                eprintln!("redline: language server: {e}");
                exit::TROUBLE
            }
        },
    };
    ExitCode::from(code)
}

fn check(args: CheckArgs) -> u8 {
    let linters = settings::Linters::with_voice(args.rules.clone(), args.voice.clone());
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let walk = redline_text::WalkOptions {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
    };
    let (targets, problems) = inputs::collect(&paths, walk);
    for p in &problems {
        eprintln!("redline: {}", p.message);
    }
    let options = run::Options {
        format: args.format,
        fail_on: args.fail_on.map(Into::into),
        max_draft: args.max_draft_size,
        summary: args.summary,
    };
    run::check_all(targets, linters, options, problems.iter().any(|p| p.fails))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("100"), Ok(100));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("64m"), Ok(64 << 20));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("lots").unwrap_err().contains("not a size"));
        assert!(parse_size("99999999999999999999G").is_err());
    }
}
