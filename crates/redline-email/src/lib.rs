//! The email checks: every rule of the loaded packs, run over a draft.
//!
//! This is the library outbound tooling links to gate a send. Build a [`Linter`] once (it
//! compiles every phrase into one automaton and every pattern into a regex), then call
//! [`Linter::check`] for each draft:
//!
//! ```
//! use redline_email::Linter;
//! use redline_rules::{FailOn, Severity};
//!
//! let linter = Linter::builder().build()?; // the shipped packs, default settings
//! let findings = linter.check("Hi Dana,\n\nI wanted to reach out about your Denver office.\n");
//! assert!(findings.iter().any(|f| f.rule == "corporate-ai.wanted-to-reach-out"));
//! let blocked = findings.iter().any(|f| FailOn::Error.blocks(f.severity));
//! assert!(blocked, "this draft does not go out");
//! # Ok::<(), redline_rules::LoadErrors>(())
//! ```
//!
//! Every [`Finding`](redline_rules::Finding) carries byte offsets into the text you passed,
//! the rule id, a message, and a fix where one is mechanical; [`Linter::rule`] gives the rule's
//! `why` and `instead` for explaining it.

mod cache;
mod fix;
mod linter;
mod markers;
mod metrics;
mod patterns;
mod short_words;
mod structure;
mod voice;

pub use cache::{Configured, LinterCache};
pub use fix::sentence_span;
pub use linter::{Checked, DraftScore, ExampleResult, Linter, LinterBuilder, Loaded};
pub use voice::ScoreInputs;
