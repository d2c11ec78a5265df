//! Seeded sent-mail archives with known outcomes, for `redline audit`'s tests, examples and
//! benchmarks: a team's sent messages over some months, AI drafting rolled out on a given day
//! (after which most drafts are in the corporate-AI voice), replies that thread back to the
//! messages they answer, and the same outcomes as a CSV.
//!
//! Reply odds depend on the draft's voice (human first touches 8.2%, AI first touches 5.4%,
//! the figures of the Failure Modes: When AI Sales Ops Backfires guide) and on whether it is a follow-up. The generator records every outcome,
//! so the true counts are known without looking at the text.

use std::collections::BTreeMap;

use redline_calendar::Day;

use crate::{Rng, Voice, draft};

/// How a mailbox is made.
#[derive(Debug, Clone)]
pub struct MailboxSpec {
    /// The seed: the same spec gives the same mailbox.
    pub seed: u64,
    /// Sent messages.
    pub messages: usize,
    /// The first month, as (year, month).
    pub start: (i32, u32),
    /// Months the messages spread over.
    pub months: u32,
    /// The day AI drafting was rolled out, as (year, month, day).
    pub rollout: (i32, u32, u32),
    /// Share of drafts in the corporate-AI voice before and after the rollout.
    pub ai_share: (f64, f64),
    /// Share of messages that are follow-ups in an earlier message's thread.
    pub follow_up_share: f64,
}

impl Default for MailboxSpec {
    fn default() -> Self {
        MailboxSpec {
            seed: 1,
            messages: 1000,
            start: (2025, 10),
            months: 9,
            rollout: (2026, 2, 1),
            ai_share: (0.05, 0.8),
            follow_up_share: 0.2,
        }
    }
}

/// A sent message and what became of it.
#[derive(Debug, Clone)]
pub struct Sent {
    /// Its `Message-ID`, without brackets.
    pub id: String,
    /// The raw message.
    pub raw: String,
    /// Its day, as (year, month, day).
    pub day: (i32, u32, u32),
    /// Who wrote it.
    pub voice: Voice,
    /// Not a first touch: in an earlier message's thread, or sent with a `Re:` subject (a
    /// sequencer's follow-up).
    pub follow_up: bool,
    /// The prospect's reply, when there was one.
    pub reply: Option<String>,
}

/// The true counts, by construction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Truth {
    /// (emails, replied) over everything.
    pub all: (u64, u64),
    /// (emails, replied) for first touches.
    pub first_touch: (u64, u64),
    /// (emails, replied) for follow-ups.
    pub follow_up: (u64, u64),
    /// (emails, replied) by `YYYY-MM`.
    pub months: BTreeMap<String, (u64, u64)>,
}

/// A generated archive.
#[derive(Debug, Clone)]
pub struct Mailbox {
    /// The sent messages, in date order.
    pub sent: Vec<Sent>,
}

const REPS: &[&str] = &[
    "sam.lee",
    "priya.nair",
    "diego.ruiz",
    "hana.kim",
    "tom.walsh",
    "ada.obi",
    "lena.berg",
    "raj.patel",
];
const PROSPECTS: &[&str] = &[
    "dana@globex.example",
    "marco@initech.example",
    "aiko@umbrella.example",
    "fatima@hooli.example",
    "owen@vandelay.example",
    "li@soylent.example",
];
const REPLIES: &[&str] = &[
    "Thanks, Thursday works. Send an invite.",
    "Not a priority this quarter, but try me in the new year.",
    "Who else in logistics uses this? Happy to look at the write-up.",
    "Please take me off your list.",
    "Forwarding to our ops lead, she owns this.",
];

impl Mailbox {
    /// Generates the archive `spec` describes.
    pub fn generate(spec: &MailboxSpec) -> Mailbox {
        let mut rng = Rng::new(spec.seed);
        let first = day_of((spec.start.0, spec.start.1, 1));
        let start = first.days();
        let span = (first.month_start_after(spec.months).days() - start).max(1);
        let rollout = day_of(spec.rollout).days();
        let mut days: Vec<i64> = (0..spec.messages)
            .map(|_| start + rng.below(span as usize) as i64)
            .collect();
        days.sort_unstable();
        let mut sent: Vec<Sent> = Vec::with_capacity(spec.messages);
        for (i, &day) in days.iter().enumerate() {
            let share = if day < rollout {
                spec.ai_share.0
            } else {
                spec.ai_share.1
            };
            let voice = if rng.chance(share) {
                Voice::CorporateAi
            } else {
                Voice::Human
            };
            let d = draft(&mut rng, voice);
            let follow_up = i > 0 && rng.chance(spec.follow_up_share);
            let parent = follow_up.then(|| rng.below(i));
            let reply_odds = match (voice, follow_up) {
                (Voice::Human, false) => 0.082,
                (Voice::CorporateAi, false) => 0.054,
                (Voice::Human, true) => 0.06,
                (Voice::CorporateAi, true) => 0.035,
            };
            let replied = rng.chance(reply_odds);
            let id = format!("s{}-{}@sales.example", spec.seed, i + 1);
            let from = format!("{}@sales.example", rng.pick(REPS));
            let to = *rng.pick(PROSPECTS);
            let seconds = 8 * 3600 + rng.below(10 * 3600) as i64;
            let date = rfc2822(day, seconds);
            let (subject, threading) = match parent {
                Some(p) => {
                    let parent = &sent[p];
                    let subject = subject_of(&parent.raw);
                    let subject = if subject.starts_with("Re: ") {
                        subject
                    } else {
                        format!("Re: {subject}")
                    };
                    (
                        subject,
                        format!("In-Reply-To: <{0}>\nReferences: <{0}>\n", parent.id),
                    )
                }
                None => (d.subject.clone(), String::new()),
            };
            let raw = format!(
                "From: {from}\nTo: {to}\nSubject: {subject}\nDate: {date}\nMessage-ID: <{id}>\n{threading}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{}",
                escape_from_lines(&d.body)
            );
            let reply = replied.then(|| {
                let answer = *rng.pick(REPLIES);
                let date = rfc2822(day + 1 + rng.below(6) as i64, seconds);
                format!(
                    "From: {to}\nTo: {from}\nSubject: Re: {subject}\nDate: {date}\nMessage-ID: <r{}-{}@prospect.example>\nIn-Reply-To: <{id}>\nReferences: <{id}>\n\n{answer}\n",
                    spec.seed,
                    i + 1
                )
            });
            sent.push(Sent {
                id,
                raw,
                day: civil(Day::from_days(day)),
                voice,
                follow_up: follow_up || subject.starts_with("Re: "),
                reply,
            });
        }
        Mailbox { sent }
    }

    /// The sent messages as one mbox.
    pub fn sent_mbox(&self) -> String {
        mbox(self.sent.iter().map(|s| (s.day, s.raw.as_str())))
    }

    /// The replies as one mbox.
    pub fn replies_mbox(&self) -> String {
        mbox(
            self.sent
                .iter()
                .filter_map(|s| Some((s.day, s.reply.as_deref()?))),
        )
    }

    /// `message_id,replied` for every sent message.
    pub fn outcomes_csv(&self) -> String {
        let mut csv = String::from("message_id,replied\n");
        for s in &self.sent {
            csv.push_str(&format!("<{}>,{}\n", s.id, u8::from(s.reply.is_some())));
        }
        csv
    }

    /// The true counts.
    pub fn truth(&self) -> Truth {
        let mut t = Truth::default();
        let add = |c: &mut (u64, u64), replied: bool| {
            c.0 += 1;
            c.1 += u64::from(replied);
        };
        for s in &self.sent {
            let replied = s.reply.is_some();
            add(&mut t.all, replied);
            add(
                if s.follow_up {
                    &mut t.follow_up
                } else {
                    &mut t.first_touch
                },
                replied,
            );
            let month = format!("{:04}-{:02}", s.day.0, s.day.1);
            add(t.months.entry(month).or_default(), replied);
        }
        t
    }
}

fn subject_of(raw: &str) -> String {
    raw.lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or("")
        .to_string()
}

/// mbox needs body lines that start with "From " quoted.
fn escape_from_lines(body: &str) -> String {
    body.lines()
        .map(|l| {
            if l.starts_with("From ") {
                format!(">{l}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect()
}

fn mbox<'a>(messages: impl Iterator<Item = ((i32, u32, u32), &'a str)>) -> String {
    let mut out = String::new();
    for (day, raw) in messages {
        let d = day_of(day);
        out.push_str(&format!(
            "From sender@example {} {} {:2} 09:00:00 {}\n{raw}\n",
            d.weekday_name(),
            d.month_name(),
            d.day,
            d.year
        ));
    }
    out
}

fn rfc2822(days: i64, seconds: i64) -> String {
    let d = Day::from_days(days);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
        d.weekday_name(),
        d.day,
        d.month_name(),
        d.year,
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

fn day_of((year, month, day): (i32, u32, u32)) -> Day {
    Day { year, month, day }
}

fn civil(d: Day) -> (i32, u32, u32) {
    (d.year, d.month, d.day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_dates_name_the_weekday_and_month() {
        let sunday = day_of((2026, 11, 22)).days();
        assert_eq!(
            rfc2822(sunday, 9 * 3600 + 5),
            "Sun, 22 Nov 2026 09:00:05 +0000"
        );
        assert!(
            mbox([((2026, 11, 2), "x")].into_iter()).starts_with("From sender@example Mon Nov  2 ")
        );
    }

    #[test]
    fn mailboxes_are_seeded_threaded_and_counted() {
        let spec = MailboxSpec {
            messages: 400,
            ..MailboxSpec::default()
        };
        let a = Mailbox::generate(&spec);
        let b = Mailbox::generate(&spec);
        assert_eq!(a.sent_mbox(), b.sent_mbox());
        let truth = a.truth();
        assert_eq!(truth.all.0, 400);
        assert_eq!(truth.first_touch.0 + truth.follow_up.0, 400);
        assert!(truth.all.1 > 0 && truth.all.1 < 80, "{truth:?}");
        let replies = a.replies_mbox();
        assert_eq!(
            replies.matches("\nIn-Reply-To: <s1-").count() as u64,
            truth.all.1
        );
        let after: Vec<&Sent> = a.sent.iter().filter(|s| s.day >= spec.rollout).collect();
        let ai = after
            .iter()
            .filter(|s| s.voice == Voice::CorporateAi)
            .count();
        assert!(
            ai * 10 > after.len() * 6,
            "most drafts after the rollout are AI"
        );
    }
}
