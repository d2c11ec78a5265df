//! `redline audit`: which patterns appear in a team's sent mail, and what they do to reply
//! rates, measured on the team's own mail.
//!
//! Sent messages are read (folders of `.eml`, mailboxes), checked with the same engine as
//! `redline check`, and reduced to [`counts::Record`]s: a day, a place in a thread, a reply
//! or not, the rules and phrases found. Replies come from threading (`In-Reply-To` and
//! `References` naming a sent `Message-ID`) or an outcomes CSV ([`outcomes`]). The
//! [`report::Report`] adds reply rates with Wilson intervals, lifts and p-values against the
//! emails with no finding, and by band of the voice score's probability ([`bands`]); reports
//! from shards merge exactly ([`report::merge`]).

pub mod bands;
pub mod counts;
pub mod facts;
pub mod html;
pub mod outcomes;
pub mod record;
pub mod redact;
pub mod render;
pub mod report;
pub mod run;
mod text;
