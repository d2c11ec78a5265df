//! `redline pipeline`: the measurable failure modes of AI sales ops beyond the email voice —
//! lead-score gaming, forecast drift, segment lockout, tools nobody adopts — checked over CRM
//! exports by threshold rules in the same rule-pack format as the email rules.
//!
//! The exports are read once each, streamed row by row (see [`data`] for the contract); every
//! check keeps running totals, measures one figure with its evidence ([`checks`]), and the
//! figure is compared with its rule's bounds. Malformed rows are counted and named by file and
//! line; a missing file skips the checks that need it, with a note.

pub mod checks;
pub mod data;
pub mod html;

use std::collections::BTreeMap;
use std::path::Path;

use redline_rules::{Rule, RuleKind, Severity, Threshold};
use serde::Serialize;
use serde_json::Value;

use crate::checks::{
    Edit, EditedInputs, Forecast, ForecastDrift, ForecastShift, Lead, LowAdoption, Measured,
    Params, ScoreInflation, ScoreNotPredictive, SegmentLockout, Share,
};
use crate::data::{
    CALLS, FIELD_EDITS, FORECASTS, FileReport, LEADS, RECOMMENDATIONS, REPS, ROUTING, Read, Table,
    USAGE,
};

/// The checks a threshold rule can name.
pub const CHECKS: &[&str] = &[
    "score-inflation",
    "edited-inputs",
    "score-not-predictive",
    "forecast-drift",
    "forecast-psi",
    "segment-lockout",
    "low-adoption",
    "routing-disputes",
    "nba-acceptance",
    "recording-participation",
];

/// A rule that fired, in the shape `redline check --format json` uses, with the numbers
/// behind it.
#[derive(Debug, Clone, Serialize)]
pub struct PipelineFinding {
    /// The rule id.
    pub rule: String,
    /// Its severity (raised to `error` past an `error_*` bound).
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
    pub evidence: Value,
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

/// One active check and the rule that asked for it.
struct Active<'r> {
    rule: &'r Rule,
    severity: Severity,
    threshold: &'r Threshold,
    check: Check,
}

enum Check {
    ScoreInflation(ScoreInflation),
    EditedInputs(EditedInputs),
    ScoreNotPredictive(ScoreNotPredictive),
    ForecastDrift(ForecastDrift),
    ForecastShift(ForecastShift),
    SegmentLockout(SegmentLockout),
    LowAdoption(LowAdoption),
    /// A yes/no share over one optional file.
    Share(Share, &'static [Table]),
}

impl Check {
    fn new(name: &str, p: &Params) -> Option<Check> {
        Some(match name {
            "score-inflation" => Check::ScoreInflation(ScoreInflation::new(p)),
            "edited-inputs" => Check::EditedInputs(EditedInputs::new(p)),
            "score-not-predictive" => Check::ScoreNotPredictive(ScoreNotPredictive::new(p)),
            "forecast-drift" => Check::ForecastDrift(ForecastDrift::new(p)),
            "forecast-psi" => Check::ForecastShift(ForecastShift::new(p)),
            "segment-lockout" => Check::SegmentLockout(SegmentLockout::new(p)),
            "low-adoption" => Check::LowAdoption(LowAdoption::new(p)),
            "routing-disputes" => Check::Share(Share::new("disputed"), &[ROUTING]),
            "nba-acceptance" => Check::Share(Share::new("accepted"), &[RECOMMENDATIONS]),
            "recording-participation" => Check::Share(Share::new("recorded"), &[CALLS]),
            _ => return None,
        })
    }

    /// The files the check needs.
    fn needs(&self) -> &'static [Table] {
        match self {
            Check::ScoreInflation(_) | Check::ScoreNotPredictive(_) | Check::SegmentLockout(_) => {
                &[LEADS]
            }
            Check::EditedInputs(_) => &[LEADS, FIELD_EDITS],
            Check::ForecastDrift(_) | Check::ForecastShift(_) => &[FORECASTS],
            Check::LowAdoption(_) => &[REPS, USAGE],
            Check::Share(_, tables) => tables,
        }
    }

    fn measure(&self) -> Option<Measured> {
        match self {
            Check::ScoreInflation(c) => c.measure(),
            Check::EditedInputs(c) => c.measure(),
            Check::ScoreNotPredictive(c) => c.measure(),
            Check::ForecastDrift(c) => c.measure(),
            Check::ForecastShift(c) => c.measure(),
            Check::SegmentLockout(c) => c.measure(),
            Check::LowAdoption(c) => c.measure(),
            Check::Share(c, _) => c.measure(),
        }
    }
}

/// The threshold rules among `rules` that name an unknown check, as error messages.
pub fn unknown_checks<'r>(rules: impl IntoIterator<Item = &'r Rule>) -> Vec<String> {
    rules
        .into_iter()
        .filter_map(|r| match &r.kind {
            RuleKind::Threshold(t) if !CHECKS.contains(&t.check.as_str()) => Some(format!(
                "{}: rule `{}` names check `{}`; the checks are {}",
                r.origin,
                r.id,
                t.check,
                CHECKS.join(", ")
            )),
            _ => None,
        })
        .collect()
}

/// Runs the threshold rules among `rules` (each with its effective severity) over the exports
/// in `dir`. `columns` maps each file's column names to the export's headers.
pub fn run<'r>(
    dir: &Path,
    rules: impl IntoIterator<Item = (&'r Rule, Severity)>,
    columns: &BTreeMap<String, BTreeMap<String, String>>,
) -> Run {
    let mut active: Vec<Active> = rules
        .into_iter()
        .filter_map(|(rule, severity)| match &rule.kind {
            RuleKind::Threshold(t) => Some(Active {
                rule,
                severity,
                threshold: t,
                check: Check::new(&t.check, &Params(&t.params))?,
            }),
            _ => None,
        })
        .collect();
    let mut run = Run::default();
    let empty = BTreeMap::new();
    let tables = [
        LEADS,
        FIELD_EDITS,
        FORECASTS,
        REPS,
        USAGE,
        ROUTING,
        RECOMMENDATIONS,
        CALLS,
    ];
    for table in tables {
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
        let Some(measured) = a.check.measure() else {
            run.notes
                .push(format!("{}: not enough data to measure", a.rule.id));
            continue;
        };
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
                    Check::ScoreInflation(c) => c.lead(&lead),
                    Check::EditedInputs(c) => c.lead(&lead),
                    Check::ScoreNotPredictive(c) => c.lead(&lead),
                    Check::SegmentLockout(c) => c.lead(&lead),
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
                if let Check::EditedInputs(c) = &mut a.check {
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
                    Check::ForecastDrift(c) => c.forecast(&forecast),
                    Check::ForecastShift(c) => c.forecast(&forecast),
                    _ => {}
                }
            }
        }
        "reps.csv" => {
            let (id, licensed) = (nonempty(row.get(0), "rep_id")?, data::day(row.get(1))?);
            for a in active.iter_mut() {
                if let Check::LowAdoption(c) = &mut a.check {
                    c.rep(id, licensed);
                }
            }
        }
        "usage_events.csv" => {
            let (id, day) = (nonempty(row.get(0), "rep_id")?, data::day(row.get(1))?);
            for a in active.iter_mut() {
                if let Check::LowAdoption(c) = &mut a.check {
                    c.usage(id, day)?;
                }
            }
        }
        file => {
            nonempty(row.get(0), "id")?;
            let yes = data::yes_no(row.get(1), table.columns[1])?;
            for a in active.iter_mut() {
                if let Check::Share(c, tables) = &mut a.check
                    && tables.iter().any(|t| t.file == file)
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
        (t.error_above, true, Severity::Error),
        (t.error_below, false, Severity::Error),
        (t.above, true, a.severity),
        (t.below, false, a.severity),
    ]
    .into_iter()
    .find_map(|(bound, above, severity)| {
        let limit = bound?;
        let over = if above {
            m.value > limit
        } else {
            m.value < limit
        };
        over.then_some((limit, severity))
    });
    let (limit, severity) = crossed?;
    Some(PipelineFinding {
        rule: a.rule.id.clone(),
        severity,
        message: a
            .rule
            .message
            .replace("{value}", &m.unit.show(m.value))
            .replace("{limit}", &m.unit.show(limit)),
        value: m.value,
        limit,
        why: a.rule.why.clone(),
        instead: a.rule.instead.clone(),
        evidence: m.evidence.clone(),
    })
}
