//! `redline audit`: which patterns appear in a team's sent mail, and what they do to reply
//! rates, measured on the team's own mail.

pub mod stats;
