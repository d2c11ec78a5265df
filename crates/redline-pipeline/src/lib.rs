//! `redline pipeline`: the measurable failure modes of AI sales ops beyond the email voice —
//! lead-score gaming, forecast drift, segment lockout, tools nobody adopts — checked over CRM
//! exports by threshold rules in the same rule-pack format as the email rules.
//!
//! The exports are read once each, streamed row by row (see [`data`] for the contract); every
//! check keeps running totals, measures one figure with its evidence ([`checks`]), and the
//! figure is compared with its rule's bounds. Malformed rows are counted and named by file and
//! line; a missing file skips the checks that need it, with a note, and a file that is there
//! but unusable (empty, binary, without a needed column, ending in an open quote) skips them
//! as a problem the command reports with exit 2.

pub mod checks;
pub mod data;
pub mod evidence;
pub mod html;

use std::collections::BTreeMap;
use std::path::Path;

use redline_rules::threshold::Check;
use redline_rules::{Rule, RuleKind, Severity, Threshold};
use serde::Serialize;

use crate::checks::{
    Edit, EditedInputs, Forecast, ForecastDrift, ForecastPsi, Lead, LowAdoption, Measured,
    NotMeasured, ScoreInflation, ScoreNotPredictive, SegmentLockout, Share,
};
use crate::data::{
    CALLS, FIELD_EDITS, FORECASTS, FileReport, LEADS, RECOMMENDATIONS, REPS, ROUTING, Read, Table,
    USAGE,
};
use crate::evidence::Evidence;

/// A rule that fired, in the shape `redline check --format json` uses, with the numbers
/// behind it.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineFinding {
    /// The rule id.
    pub rule: String,
    /// Its severity (raised to `error` past an `error_*` bound, unless the settings set a
    /// lower one).
    pub severity: Severity,
    /// The rule's message with `{value}` and `{limit}` filled in.
    pub message: String,
    /// The measured figure.
    pub value: f64,
    /// The bound it crossed.
    pub limit: f64,
    /// Why it hurts.
    pub why: String,
    /// What to do instead.
    pub instead: String,
    /// The numbers behind the figure.
    pub evidence: Evidence,
}

/// A figure measured for a rule, fired or not (for reports and charts).
#[derive(Debug, Clone)]
pub struct Measurement {
    /// The rule id.
    pub rule: String,
    /// The figure and evidence.
    pub measured: Measured,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Run {
    /// The rules that fired, in rule order.
    pub findings: Vec<PipelineFinding>,
    /// Every figure measured.
    pub measurements: Vec<Measurement>,
    /// Files read, with their row counts and first bad rows.
    pub files: BTreeMap<&'static str, FileReport>,
    /// Checks skipped and why (a missing file, too little data).
    pub notes: Vec<String>,
    /// Files that could not be read (a missing column, an I/O error).
    pub problems: Vec<String>,
}

impl Run {
    /// Whether any export could be read at all.
    pub fn read_anything(&self) -> bool {
        !self.files.is_empty()
    }
}

/// The severities a threshold rule reports at under the user's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Levels {
    /// Past the rule's own bound (`above`, `below`): its configured severity.
    pub bound: Severity,
    /// Past an `error_above`/`error_below` bound: `error`, unless the settings set the rule's
    /// severity, which is then the highest it reports (so a team that turns a rule down to
    /// `info` is never blocked by it).
    pub error_bound: Severity,
}

impl Levels {
    /// For a rule that runs at `configured`; `set` when the settings name its severity.
    pub fn new(configured: Severity, set: bool) -> Self {
        Levels {
            bound: configured,
            error_bound: if set {
                Severity::Error.min(configured)
            } else {
                Severity::Error
            },
        }
    }
}

/// One active check and the rule that asked for it.
struct Active<'r> {
    rule: &'r Rule,
    levels: Levels,
    threshold: &'r Threshold,
    check: Running,
}

/// A check's running totals, built from the rule's typed [`Check`].
enum Running {
    ScoreInflation(ScoreInflation),
    EditedInputs(EditedInputs),
    ScoreNotPredictive(ScoreNotPredictive),
    ForecastDrift(ForecastDrift),
    ForecastPsi(ForecastPsi),
    SegmentLockout(SegmentLockout),
    LowAdoption(LowAdoption),
    /// A yes/no share over one optional file.
    Share(Share, Table),
}

impl Running {
    fn new(check: &Check) -> Running {
        match check {
            Check::ScoreInflation(p) => Running::ScoreInflation(ScoreInflation::new(p)),
            Check::EditedInputs(p) => Running::EditedInputs(EditedInputs::new(p)),
            Check::ScoreNotPredictive(p) => Running::ScoreNotPredictive(ScoreNotPredictive::new(p)),
            Check::ForecastDrift(p) => Running::ForecastDrift(ForecastDrift::new(p)),
            Check::ForecastPsi(p) => Running::ForecastPsi(ForecastPsi::new(p)),
            Check::SegmentLockout(p) => Running::SegmentLockout(SegmentLockout::new(p)),
            Check::LowAdoption(p) => Running::LowAdoption(LowAdoption::new(p)),
            Check::RoutingDisputes(_) => Running::Share(Share::new("disputed"), ROUTING),
            Check::NbaAcceptance(_) => Running::Share(Share::new("accepted"), RECOMMENDATIONS),
            Check::RecordingParticipation(_) => Running::Share(Share::new("recorded"), CALLS),
            Check::Voice(_) => unreachable!("voice rules are left out of pipeline runs"),
        }
    }

    /// The files the check needs.
    fn needs(&self) -> &[Table] {
        match self {
            Running::ScoreInflation(_)
            | Running::ScoreNotPredictive(_)
            | Running::SegmentLockout(_) => &[LEADS],
            Running::EditedInputs(_) => &[LEADS, FIELD_EDITS],
            Running::ForecastDrift(_) | Running::ForecastPsi(_) => &[FORECASTS],
            Running::LowAdoption(_) => &[REPS, USAGE],
            Running::Share(_, table) => std::slice::from_ref(table),
        }
    }

    fn measure(&self) -> Result<Measured, NotMeasured> {
        match self {
            Running::ScoreInflation(c) => c.measure(),
            Running::EditedInputs(c) => c.measure(),
            Running::ScoreNotPredictive(c) => c.measure(),
            Running::ForecastDrift(c) => c.measure(),
            Running::ForecastPsi(c) => c.measure(),
            Running::SegmentLockout(c) => c.measure(),
            Running::LowAdoption(c) => c.measure(),
            Running::Share(c, _) => c.measure(),
        }
    }
}

/// Runs the threshold rules among `rules` (each with the severities it reports at) over the
/// exports in `dir`. `columns` maps each file's column names to the export's headers.
pub fn run<'r>(
    dir: &Path,
    rules: impl IntoIterator<Item = (&'r Rule, Levels)>,
    columns: &BTreeMap<String, BTreeMap<String, String>>,
) -> Run {
    let mut active: Vec<Active> = rules
        .into_iter()
        .filter_map(|(rule, levels)| match &rule.kind {
            // The voice check measures drafts (`redline check --voice`), not exports.
            RuleKind::Threshold(t) if matches!(t.check, Check::Voice(_)) => None,
            RuleKind::Threshold(t) => Some(Active {
                rule,
                levels,
                threshold: t,
                check: Running::new(&t.check),
            }),
            _ => None,
        })
        .collect();
    let mut run = Run::default();
    let empty = BTreeMap::new();
    for table in data::TABLES {
        let users: Vec<&str> = active
            .iter()
            .filter(|a| a.check.needs().iter().any(|t| t.file == table.file))
            .map(|a| a.rule.id.as_str())
            .collect();
        if users.is_empty() {
            continue;
        }
        let mapping = columns.get(table.name).unwrap_or(&empty);
        let outcome = data::read(dir, table, mapping, |row| feed(&mut active, table, row));
        match outcome {
            Read::Done(report) => {
                if report.not_utf8_rows > 0 {
                    run.notes.push(format!(
                        "{}: {} rows are not UTF-8; read as Windows-1252 (as Excel saves CSV)",
                        table.file, report.not_utf8_rows
                    ));
                }
                run.files.insert(table.file, report);
            }
            Read::Missing => run.notes.push(format!(
                "{} not found in {}: skipped {}",
                table.file,
                dir.display(),
                users.join(", ")
            )),
            Read::Failed(why) => run
                .problems
                .push(format!("{why}; skipped {}", users.join(", "))),
        }
    }
    for a in &active {
        let read_all = a
            .check
            .needs()
            .iter()
            .all(|t| run.files.contains_key(t.file));
        if !read_all {
            continue;
        }
        let measured = match a.check.measure() {
            Ok(m) => m,
            Err(why) => {
                run.notes
                    .push(format!("{}: not measured: {why}", a.rule.id));
                continue;
            }
        };
        if !measured.skipped.is_empty() {
            run.notes.push(format!(
                "{}: skipped months with too few rows: {}",
                a.rule.id,
                checks::describe_skipped(&measured.skipped, "rows")
            ));
        }
        if let Some(finding) = judge(a, &measured) {
            run.findings.push(finding);
        }
        run.measurements.push(Measurement {
            rule: a.rule.id.clone(),
            measured,
        });
    }
    run
}

/// Parses a row of `table` and hands it to the checks that read that file.
fn feed(active: &mut [Active], table: Table, row: &data::Row) -> Result<(), String> {
    match table.file {
        "leads.csv" => {
            let lead = Lead {
                id: nonempty(row.get(0), "lead_id")?,
                segment: nonempty(row.get(1), "segment")?,
                score: data::number_in(row.get(2), 0.0, 100.0, "score")?,
                scored_at: data::day(row.get(3))?,
                won: match row.get(4).to_ascii_lowercase().as_str() {
                    "won" => Some(true),
                    "lost" => Some(false),
                    "open" => None,
                    other => return Err(format!("outcome `{other}` is not won, lost or open")),
                },
            };
            for a in active.iter_mut() {
                match &mut a.check {
                    Running::ScoreInflation(c) => c.lead(&lead),
                    Running::EditedInputs(c) => c.lead(&lead),
                    Running::ScoreNotPredictive(c) => c.lead(&lead),
                    Running::SegmentLockout(c) => c.lead(&lead),
                    _ => {}
                }
            }
        }
        "field_edits.csv" => {
            let edit = Edit {
                lead: nonempty(row.get(0), "lead_id")?,
                field: nonempty(row.get(1), "field")?,
                day: data::day(row.get(2))?,
                by_rep: match row.get(3).to_ascii_lowercase().as_str() {
                    "rep" => true,
                    "system" => false,
                    other => return Err(format!("editor `{other}` is not rep or system")),
                },
            };
            for a in active.iter_mut() {
                if let Running::EditedInputs(c) = &mut a.check {
                    c.edit(&edit);
                }
            }
        }
        "forecasts.csv" => {
            let forecast = Forecast {
                month: data::month(row.get(1))?,
                predicted: data::number_in(row.get(2), 0.0, 1.0, "predicted")?,
                won: match row.get(3).to_ascii_lowercase().as_str() {
                    "won" => true,
                    "lost" => false,
                    other => return Err(format!("outcome `{other}` is not won or lost")),
                },
            };
            nonempty(row.get(0), "deal_id")?;
            for a in active.iter_mut() {
                match &mut a.check {
                    Running::ForecastDrift(c) => c.forecast(&forecast),
                    Running::ForecastPsi(c) => c.forecast(&forecast),
                    _ => {}
                }
            }
        }
        "reps.csv" => {
            let (id, licensed) = (nonempty(row.get(0), "rep_id")?, data::day(row.get(1))?);
            for a in active.iter_mut() {
                if let Running::LowAdoption(c) = &mut a.check {
                    c.rep(id, licensed)?;
                }
            }
        }
        "usage_events.csv" => {
            let (id, day) = (nonempty(row.get(0), "rep_id")?, data::day(row.get(1))?);
            for a in active.iter_mut() {
                if let Running::LowAdoption(c) = &mut a.check {
                    c.usage(id, day)?;
                }
            }
        }
        file => {
            nonempty(row.get(0), "id")?;
            let yes = data::yes_no(row.get(1), table.columns[1])?;
            for a in active.iter_mut() {
                if let Running::Share(c, t) = &mut a.check
                    && t.file == file
                {
                    c.row(yes);
                }
            }
        }
    }
    Ok(())
}

fn nonempty<'a>(s: &'a str, what: &str) -> Result<&'a str, String> {
    if s.is_empty() {
        Err(format!("no {what}"))
    } else {
        Ok(s)
    }
}

/// The finding for a measured figure, if it crossed a bound: an `error_*` bound first, then
/// the rule's own.
fn judge(a: &Active, m: &Measured) -> Option<PipelineFinding> {
    let t = a.threshold;
    let crossed = [
        (t.error_above, true, a.levels.error_bound),
        (t.error_below, false, a.levels.error_bound),
        (t.above, true, a.levels.bound),
        (t.below, false, a.levels.bound),
    ]
    .into_iter()
    .find_map(|(bound, above, severity)| {
        let limit = bound?;
        checks::crosses(m.value, limit, above).then_some((limit, severity))
    });
    let (limit, severity) = crossed?;
    let (value, shown_limit) = m.unit.show_pair(m.value, limit);
    let mut message = a.rule.message_with(value, shown_limit);
    if let Evidence::ScoreShift(shift) = &m.evidence
        && shift.shift < 0.0
    {
        message = as_drop(&message);
    }
    Some(PipelineFinding {
        rule: a.rule.id.clone(),
        severity,
        message,
        value: m.value,
        limit,
        why: a.rule.why.clone(),
        instead: a.rule.instead.clone(),
        evidence: m.evidence.clone(),
    })
}

/// A score-inflation message for a drop (`direction = "down"` or `"both"`): its figure is the
/// size of the shift, and the words `rose` and `above` (the shipped message's, "rose 6.0
/// points above its baseline") read `fell` and `below`.
fn as_drop(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(match word.as_str() {
            "rose" => "fell",
            "Rose" => "Fell",
            "above" => "below",
            w => w,
        });
        word.clear();
    };
    for c in message.chars() {
        if c.is_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_drop_reads_as_a_drop() {
        assert_eq!(
            super::as_drop("Average lead score rose 6.0 points above its baseline (limit 5.0)"),
            "Average lead score fell 6.0 points below its baseline (limit 5.0)"
        );
        assert_eq!(super::as_drop("roses aboveground"), "roses aboveground");
    }
}
