//! A profile in words: the writer's habits as they would say them (`redline voice show`), so a
//! rep can see what redline takes their voice to be before it judges a draft. The same
//! phrases open each difference a verdict names ("you use contractions 92% of the time you
//! could; this draft 0 of 6"), so the summary and the finding never disagree.

use serde::Serialize;

use crate::Profile;
use crate::features::{
    CONTRACTIONS, FUNCTION_WORDS, GREETINGS, LENGTHS, Model, RATES, SIGN_OFFS, VOCABULARY,
};
use crate::profile::Rate;

/// One of the writer's habits, in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Habit {
    /// The habit's key, as in the profile file (`greeting`, `rates.contractions`, ...).
    pub habit: String,
    /// The writer's figure, from their own counts: a share, a rate per unit or an average;
    /// `None` when their mail had no chance to show the habit.
    pub yours: Option<f64>,
    /// The habit in words, with its numbers.
    pub says: String,
}

/// How many function words the summary names.
const FUNCTION_WORDS_NAMED: usize = 5;

impl Profile {
    /// Every habit the profile holds that can be said in words, in the file's order: openings
    /// and closings, lengths, each counted habit, the commonest function words, the words of
    /// polished prose the writer has used, and how many new words a message of theirs brings.
    /// (The character trigrams and the hashed word set cannot be read back, by design.)
    pub fn habits(&self) -> Vec<Habit> {
        let messages = f64::from(self.messages);
        let mut out = Vec::new();
        for (habit, counts, said) in [
            ("greeting", &self.greeting, opening as fn(usize) -> String),
            ("sign_off", &self.sign_off, closing),
        ] {
            let verb = if habit == "greeting" { "open" } else { "end" };
            let mut kinds: Vec<(usize, u32)> = counts
                .iter()
                .copied()
                .enumerate()
                .filter(|&(_, c)| c > 0)
                .collect();
            kinds.sort_by_key(|&(i, c)| (std::cmp::Reverse(c), i));
            let parts: Vec<String> = kinds
                .iter()
                .take(3)
                .map(|&(kind, c)| format!("{} in {}", said(kind), percent(f64::from(c) / messages)))
                .collect();
            out.push(Habit {
                habit: habit.into(),
                yours: Some(f64::from(kinds[0].1) / messages),
                says: format!("you {verb} {} of your mail", join_and(&parts)),
            });
        }
        for (index, length) in self.lengths.iter().enumerate() {
            out.push(Habit {
                habit: format!("lengths.{}", LENGTHS[index].0),
                yours: Some(length.average),
                says: length_yours(index, length.average),
            });
        }
        for (index, rate) in self.rates.iter().enumerate() {
            out.push(Habit {
                habit: format!("rates.{}", RATES[index].key),
                yours: rate.share(),
                says: rate_yours(index, rate),
            });
        }
        out.push(self.commonest_function_words());
        out.push(self.polished_words());
        let new_words = self.new_words.share();
        out.push(Habit {
            habit: "new_words".into(),
            yours: new_words,
            says: match new_words {
                Some(share) if share > 0.0 && share < 0.005 => {
                    "under 1% of a message's words are ones your other mail never uses".into()
                }
                Some(share) => format!(
                    "about {} of a message's words are ones your other mail never uses",
                    percent(share)
                ),
                None => "no chance to tell how many new words a message of yours brings".into(),
            },
        });
        out
    }

    /// The function words the writer uses most, with their own shares of all their words;
    /// only words they used.
    fn commonest_function_words(&self) -> Habit {
        let mut used: Vec<(usize, f64)> = self
            .function
            .iter()
            .enumerate()
            .filter(|(_, r)| r.count > 0)
            .filter_map(|(w, r)| Some((w, r.share()?)))
            .collect();
        used.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let named: Vec<String> = used
            .iter()
            .take(FUNCTION_WORDS_NAMED)
            .map(|&(w, share)| format!("'{}' {}", FUNCTION_WORDS[w], percent1(share)))
            .collect();
        let says = if named.is_empty() {
            format!(
                "you use none of the {} small words redline counts ('the', 'and', 'of' ...)",
                FUNCTION_WORDS.len()
            )
        } else {
            format!(
                "your commonest small words are {} of your words",
                join_and(&named)
            )
        };
        Habit {
            habit: "function_words".into(),
            yours: Some(used.first().map_or(0.0, |&(_, share)| share)),
            says,
        }
    }

    /// Which words of polished prose (the fixed [`VOCABULARY`]) the writer has used.
    fn polished_words(&self) -> Habit {
        let mut used: Vec<(usize, u32)> = self
            .vocabulary
            .iter()
            .copied()
            .enumerate()
            .filter(|&(_, c)| c > 0)
            .collect();
        used.sort_by_key(|&(i, c)| (std::cmp::Reverse(c), i));
        let total = VOCABULARY.len();
        let says = if used.is_empty() {
            format!(
                "you have never used any of the {total} words of polished prose redline \
                 watches for ('additionally', 'ensure', 'leverage', 'seamless' ...)"
            )
        } else {
            let named: Vec<String> = used
                .iter()
                .take(5)
                .map(|&(w, c)| format!("'{}' ({})", VOCABULARY[w], times(c)))
                .collect();
            let more = match used.len().saturating_sub(named.len()) {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            format!(
                "of the {total} words of polished prose redline watches for, you have used {}{more}; \
                 never the other {}",
                named.join(", "),
                total - used.len()
            )
        };
        Habit {
            habit: "vocabulary".into(),
            yours: Some(used.len() as f64 / total as f64),
            says,
        }
    }
}

/// How a writer opens, for one kind of greeting: "with 'Hi'", "with no greeting line".
pub(crate) fn opening(kind: usize) -> String {
    match GREETINGS[kind] {
        "none" => "with no greeting line".to_string(),
        "other" => "with a greeting of your own".to_string(),
        g => format!("with '{}'", title(g)),
    }
}

/// How a writer ends, for one kind of sign-off: "with 'Thanks'", "without a sign-off line".
pub(crate) fn closing(kind: usize) -> String {
    match SIGN_OFFS[kind] {
        "none" => "without a sign-off line".to_string(),
        "other" => "with a sign-off of your own".to_string(),
        s => format!("with '{}'", title(s)),
    }
}

/// The writer's average sentence or paragraph length, in words.
pub(crate) fn length_yours(index: usize, average: f64) -> String {
    let (key, unit, _) = LENGTHS[index];
    let what = if key == "sentence_words" {
        "sentences"
    } else {
        "paragraphs"
    };
    format!("your {what} average {average:.1} {unit}")
}

/// The writer's rate of one counted habit, in words, from their own counts; a habit their
/// mail had no chance to show says so.
pub(crate) fn rate_yours(index: usize, rate: &Rate) -> String {
    let def = &RATES[index];
    let Some(share) = rate.share() else {
        return if index == CONTRACTIONS {
            "no chance to tell whether you use contractions (don't, I'm): your mail has no \
             phrase that could be contracted"
                .to_string()
        } else {
            format!(
                "no chance to tell about {}: your mail has no {}",
                def.thing, def.unit
            )
        };
    };
    match def.model {
        Model::Share if index == CONTRACTIONS => format!(
            "you use contractions (don't, I'm) {} of the time you could",
            percent(share)
        ),
        Model::Share if rate.count == 0 => format!(
            "you never use {} (0 of {} {})",
            def.thing, rate.of, def.unit
        ),
        Model::Share => format!("{} of your {} are {}", percent(share), def.unit, def.thing),
        Model::PerUnit if rate.count == 0 => format!(
            "you never use {} (none in {} {})",
            def.thing, rate.of, def.unit
        ),
        Model::PerUnit => format!(
            "you use about {:.1} {} per 10 {}",
            10.0 * share,
            def.thing,
            def.unit
        ),
    }
}

fn times(n: u32) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

pub(crate) fn title(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A share as a whole percentage; a share that is there but rounds to nothing is "under 1%".
pub(crate) fn percent(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        "under 1%".into()
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

pub(crate) fn percent1(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

#[cfg(test)]
mod tests {
    use redline_text::Document;

    use crate::{Profile, Sample};

    /// A writer who opens with "hey", signs off "cheers" in two of three messages, contracts
    /// every time and writes "delighted" once.
    fn writer() -> Profile {
        let samples: Vec<Sample> = (0..12)
            .map(|i| {
                let end = if i % 3 == 0 { "" } else { "\ncheers\n" };
                let word = if i == 0 { "delighted" } else { "glad" };
                let text = format!(
                    "hey,\n\ni'm around at {i} if you want to talk it over. \
                     can't do friday though, {word} to help.\n{end}"
                );
                Sample::of(&Document::parse(&text))
            })
            .collect();
        Profile::learn(&samples).unwrap()
    }

    #[test]
    fn each_habit_is_said_with_the_writers_numbers() {
        let habits = writer().habits();
        let says = |key: &str| {
            habits
                .iter()
                .find(|h| h.habit == key)
                .unwrap_or_else(|| panic!("{key}: {habits:?}"))
                .says
                .clone()
        };
        assert_eq!(says("greeting"), "you open with 'Hey' in 100% of your mail");
        assert_eq!(
            says("sign_off"),
            "you end with 'Cheers' in 67% and without a sign-off line in 33% of your mail"
        );
        // 10 words (the number is not one) and 7.
        assert_eq!(
            says("lengths.sentence_words"),
            "your sentences average 8.5 words"
        );
        // 24 of 24 chances: the writer's own share, not the comparison's smoothed 24.5 / 25.
        assert_eq!(
            says("rates.contractions"),
            "you use contractions (don't, I'm) 100% of the time you could"
        );
        assert_eq!(
            says("rates.lowercase_starts"),
            "100% of your sentences are sentences starting in lower case"
        );
        assert_eq!(
            says("rates.em_dashes"),
            "you never use em dashes (—) (none in 24 sentences)"
        );
        assert_eq!(
            says("vocabulary"),
            "of the 90 words of polished prose redline watches for, you have used \
             'delighted' (once); never the other 89"
        );
        let keys: Vec<&str> = habits.iter().map(|h| h.habit.as_str()).collect();
        assert_eq!(keys.len(), 2 + 2 + 18 + 3, "{keys:?}");
        assert!(habits.iter().all(|h| h.yours.is_none_or(f64::is_finite)));
    }

    #[test]
    fn a_habit_the_mail_had_no_chance_to_show_is_said_so_and_unused_words_are_not_named() {
        // Never punctuates, never has a phrase to contract, an 'I' or a function word.
        let samples: Vec<Sample> = (0..12)
            .map(|i| {
                let text = format!(
                    "hey\n\nbuild server deploy tonight check logs broken fixed ticket {i} \
                     customer meeting lunch review budget numbers\n"
                );
                Sample::of(&Document::parse(&text))
            })
            .collect();
        let habits = Profile::learn(&samples).unwrap().habits();
        let habit = |key: &str| habits.iter().find(|h| h.habit == key).unwrap().clone();
        let contractions = habit("rates.contractions");
        assert_eq!(
            contractions.says,
            "no chance to tell whether you use contractions (don't, I'm): your mail has no \
             phrase that could be contracted"
        );
        assert_eq!(contractions.yours, None);
        assert_eq!(
            habit("rates.lowercase_i").says,
            "no chance to tell about a lower-case 'i' for 'I': your mail has no uses of 'I'"
        );
        let function = habit("function_words");
        assert_eq!(
            function.says,
            "you use none of the 66 small words redline counts ('the', 'and', 'of' ...)"
        );
        assert_eq!(function.yours, Some(0.0));
    }

    #[test]
    fn a_difference_opens_with_the_summarys_own_words() {
        let p = writer();
        let draft = "Dear Dana,\n\nI do not think we can meet, and I am not sure it is ready. \
                     I would be glad to help.\n\nBest regards,\nAlex\n";
        let v = p.compare(&Sample::of(&Document::parse(draft)));
        let said = p.habits();
        for c in v.contributions.iter().filter(|c| c.value > 0.0) {
            if let Some(h) = said.iter().find(|h| h.habit == c.feature) {
                if c.feature.starts_with("rates.") || c.feature.starts_with("lengths.") {
                    assert!(
                        v.describe(&p, c).starts_with(&h.says),
                        "{} vs {}",
                        v.describe(&p, c),
                        h.says
                    );
                }
            }
        }
    }
}
