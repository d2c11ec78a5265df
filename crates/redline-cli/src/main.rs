//! `redline`: finds the corporate-AI voice in sales email drafts.
//!
//! `redline check` is a send gate (exit 0 clean, 1 blocking findings, 2 usage, config or input
//! error); `redline rules` and `redline explain` show what the gate enforces and why.

mod explain;
mod inputs;
mod report;
mod run;
mod settings;

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
    /// Run the language server on stdin/stdout (for editors).
    Lsp,
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
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
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
    pub const CLEAN: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const TROUBLE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check(args) => check(args),
        Command::Rules(args) => explain::list(&args.rules, args.format == ListFormat::Json),
        Command::Explain(args) => explain::explain(&args.rules, &args.rule),
        Command::Lsp => match redline_lsp::serve_stdio() {
            Ok(()) => exit::CLEAN,
            Err(e) => {
                eprintln!("redline: language server: {e}");
                exit::TROUBLE
            }
        },
    };
    ExitCode::from(code)
}

fn check(args: CheckArgs) -> u8 {
    let linters = settings::Linters::new(args.rules.clone());
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.paths
    };
    let walk = inputs::WalkOptions {
        hidden: args.hidden,
        no_ignore: args.no_ignore,
    };
    let (targets, problems) = inputs::collect(&paths, walk);
    for p in &problems {
        eprintln!("redline: {p}");
    }
    run::check_all(targets, &linters, args.format, args.fail_on.map(Into::into))
}
