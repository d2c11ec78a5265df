//! A writer's own voice, learned from their sent mail, and how far a draft departs from it.
//!
//! The failure-modes guide ("Failure Modes: When AI Sales Ops Backfires") names the
//! prevention for AI-sounding email: a voice test before send. A generic detector cannot
//! hear that a long-term prospect would say "this doesn't sound like you"; a profile of the
//! writer's own habits can. This crate
//!
//! - counts habits in the writer's own regions of a draft ([`Sample::of`]: the same regions
//!   `redline check` reads, so quoted replies, forwards and signatures never count);
//! - learns a [`Profile`] from their messages and calibrates its threshold leave-one-out, so
//!   about 5% of their own mail would be flagged ([`Profile::learn`]);
//! - keeps it as a small, versioned TOML file of statistics, never text ([`Profile::to_toml`],
//!   [`Profile::parse`]);
//! - compares a draft with it ([`Profile::compare`]): each habit's signed deviation from the
//!   writer's usual, scaled for how much their habits drift between messages, weighted by
//!   one generic table fitted on training writers (`weights.rs`), summed into a distance;
//!   the largest contributions are named in words and numbers.
//!
//! ```
//! use redline_text::Document;
//! use redline_voice::{Profile, Sample};
//!
//! let mine: Vec<Sample> = (0..12)
//!     .map(|i| {
//!         let text = format!("hey,\n\ni'm around at {i} if you want to talk it over. can't do friday though.\n");
//!         Sample::of(&Document::parse(&text))
//!     })
//!     .collect();
//! let profile = Profile::learn(&mine)?;
//! let draft = "Dear Dana,\n\nI hope this finds you well. I would be delighted to leverage our \
//!              synergy and ensure a seamless transition.\n\nBest regards,\nAlex\n";
//! let verdict = profile.compare(&Sample::of(&Document::parse(draft)));
//! assert!(verdict.departs(1.0));
//! println!("{:?}", verdict.differences(&profile, 3));
//! # Ok::<(), redline_voice::TooFew>(())
//! ```

mod distance;
mod features;
mod profile;
mod summary;
mod weights;

pub use distance::{Contribution, Verdict};
pub use features::{
    FUNCTION_WORDS, GREETINGS, MIN_WORDS, SIGN_OFFS, Sample, TRIGRAM_BUCKETS, VOCABULARY,
};
pub use profile::{
    Calibration, FORMAT, Length, MIN_MESSAGES, Profile, ProfileError, Rate, TARGET_FLAGGED, TooFew,
    Trigrams, VERSION,
};
pub use summary::Habit;

/// The check name a threshold rule gives to run the voice comparison (`rules/voice/`).
pub const CHECK: &str = "voice";
