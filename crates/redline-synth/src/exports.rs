//! Seeded CRM exports for `redline pipeline`: leads with scores and outcomes, field edits,
//! forecasts, reps and their tool usage, healthy or with chosen failures injected. Written
//! straight to files, row by row, so a million leads need no more memory than ten.

use std::io::{self, Write};
use std::path::Path;

use redline_calendar::Day;

use crate::Rng;

/// A failure the generator can inject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Scores in the last three months run 10 points high.
    ScoreInflation,
    /// Reps edit a high-weight field shortly before 40% of high scores.
    EditedInputs,
    /// Wins no longer depend on the score.
    ScoreNotPredictive,
    /// The last three months win 20 points less often than predicted.
    ForecastDrift,
    /// Only enterprise leads score high.
    SegmentLockout,
    /// Most reps stop using the tool after a month.
    LowAdoption,
    /// A quarter of AI-routed leads are disputed.
    RoutingDisputes,
    /// Reps accept few next-best actions.
    NbaAcceptance,
    /// Many calls go unrecorded.
    RecordingParticipation,
}

impl Failure {
    /// Every failure, by the name the CLI takes (the check's name).
    pub const ALL: [(&'static str, Failure); 9] = [
        ("score-inflation", Failure::ScoreInflation),
        ("edited-inputs", Failure::EditedInputs),
        ("score-not-predictive", Failure::ScoreNotPredictive),
        ("forecast-drift", Failure::ForecastDrift),
        ("segment-lockout", Failure::SegmentLockout),
        ("low-adoption", Failure::LowAdoption),
        ("routing-disputes", Failure::RoutingDisputes),
        ("nba-acceptance", Failure::NbaAcceptance),
        ("recording-participation", Failure::RecordingParticipation),
    ];
}

/// How the exports are made.
#[derive(Debug, Clone)]
pub struct ExportSpec {
    /// The seed.
    pub seed: u64,
    /// Leads to write.
    pub leads: usize,
    /// Failures to inject.
    pub inject: Vec<Failure>,
    /// Malformed rows to add to `leads.csv` (for testing how they are reported).
    pub malformed: usize,
}

const SEGMENTS: [(&str, f64); 5] = [
    ("smb", 0.35),
    ("mid-market", 0.30),
    ("enterprise", 0.20),
    ("public-sector", 0.10),
    ("healthcare", 0.05),
];
const FIELDS: [&str; 6] = [
    "company_size",
    "industry",
    "employee_count",
    "annual_revenue",
    "phone",
    "title",
];
/// 2025-10-01 as days since 1970-01-01.
const START: i64 = 20_362;
const MONTHS: i64 = 9;
const DAYS: i64 = 273;

/// Writes `leads.csv`, `field_edits.csv`, `forecasts.csv`, `reps.csv`, `usage_events.csv`
/// and the optional health-check files (`routing.csv`, `recommendations.csv`, `calls.csv`)
/// into `dir`.
pub fn write_exports(spec: &ExportSpec, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let has = |f| spec.inject.contains(&f);
    let mut rng = Rng::new(spec.seed);
    let mut leads = csv_file(dir, "leads.csv", "lead_id,segment,score,scored_at,outcome")?;
    let mut edits = csv_file(dir, "field_edits.csv", "lead_id,field,edited_at,editor")?;
    for i in 0..spec.leads {
        let segment = pick_weighted(&mut rng, &SEGMENTS);
        let quality = unit(&mut rng);
        let day = START + rng.below(DAYS as usize) as i64;
        let mut score = 30.0 + 50.0 * quality + 20.0 * (unit(&mut rng) - 0.5);
        if has(Failure::ScoreInflation) && day >= START + DAYS - 92 {
            score += 10.0;
        }
        if has(Failure::SegmentLockout) && segment != "enterprise" {
            score -= 25.0;
        }
        let score = score.clamp(0.0, 100.0);
        let outcome = if rng.chance(0.5) {
            "open"
        } else {
            let p_win = if has(Failure::ScoreNotPredictive) {
                0.25
            } else {
                0.05 + 0.45 * quality
            };
            if rng.chance(p_win) { "won" } else { "lost" }
        };
        let id = format!("L{}", i + 1);
        writeln!(leads, "{id},{segment},{score:.1},{},{outcome}", date(day))?;
        let gamed = score >= 70.0
            && rng.chance(if has(Failure::EditedInputs) {
                0.4
            } else {
                0.03
            });
        if gamed {
            let field = FIELDS[rng.below(4)];
            writeln!(
                edits,
                "{id},{field},{},rep",
                date(day - 1 - rng.below(25) as i64)
            )?;
        }
        if rng.chance(0.2) {
            let field = FIELDS[rng.below(FIELDS.len())];
            let editor = if rng.chance(0.5) { "system" } else { "rep" };
            let when = if editor == "rep" && field_is_heavy(field) {
                day + 1 + rng.below(60) as i64
            } else {
                day - rng.below(90) as i64
            };
            writeln!(edits, "{id},{field},{},{editor}", date(when))?;
        }
    }
    for i in 0..spec.malformed {
        match i % 3 {
            0 => writeln!(leads, "BAD{i},smb,140,2026-01-05,won")?,
            1 => writeln!(leads, "BAD{i},smb,55,last tuesday,lost")?,
            _ => writeln!(leads, "BAD{i},smb,55,2026-01-05,maybe")?,
        }
    }
    leads.flush()?;
    edits.flush()?;
    write_forecasts(&mut rng, has(Failure::ForecastDrift), dir)?;
    write_adoption(&mut rng, has(Failure::LowAdoption), dir)?;
    let health = [
        (
            "routing.csv",
            "lead_id,disputed",
            Failure::RoutingDisputes,
            0.05,
            0.25,
        ),
        (
            "recommendations.csv",
            "recommendation_id,accepted",
            Failure::NbaAcceptance,
            0.45,
            0.15,
        ),
        (
            "calls.csv",
            "call_id,recorded",
            Failure::RecordingParticipation,
            0.92,
            0.70,
        ),
    ];
    for (file, header, failure, healthy, failing) in health {
        let mut out = csv_file(dir, file, header)?;
        let odds = if has(failure) { failing } else { healthy };
        for i in 0..2000 {
            let answer = if rng.chance(odds) { "yes" } else { "no" };
            writeln!(out, "H{i},{answer}")?;
        }
        out.flush()?;
    }
    Ok(())
}

fn field_is_heavy(field: &str) -> bool {
    FIELDS[..4].contains(&field)
}

fn write_forecasts(rng: &mut Rng, drift: bool, dir: &Path) -> io::Result<()> {
    let mut out = csv_file(dir, "forecasts.csv", "deal_id,month,predicted,outcome")?;
    for m in 0..MONTHS {
        let month = Day::from_days(START)
            .month_start_after(m as u32)
            .month_key();
        for d in 0..300 {
            let predicted = 0.1 + 0.8 * unit(rng);
            let late = m >= MONTHS - 3;
            let p_win = if drift && late {
                predicted - 0.2
            } else {
                predicted
            };
            let outcome = if rng.chance(p_win.max(0.0)) {
                "won"
            } else {
                "lost"
            };
            writeln!(out, "D{m}-{d},{month},{predicted:.3},{outcome}")?;
        }
    }
    out.flush()
}

fn write_adoption(rng: &mut Rng, abandon: bool, dir: &Path) -> io::Result<()> {
    let mut reps = csv_file(dir, "reps.csv", "rep_id,licensed_on")?;
    let mut usage = csv_file(dir, "usage_events.csv", "rep_id,date")?;
    for r in 0..40 {
        let licensed = START + rng.below(120) as i64;
        writeln!(reps, "R{r},{}", date(licensed))?;
        let quits = abandon && rng.chance(0.8);
        for day in licensed..(START + DAYS).min(licensed + 150) {
            let weekday = Day::from_days(day).is_weekday();
            let odds = if quits && day - licensed > 30 {
                0.002
            } else {
                0.6
            };
            if weekday && rng.chance(odds) {
                writeln!(usage, "R{r},{}", date(day))?;
            }
        }
    }
    reps.flush()?;
    usage.flush()
}

fn csv_file(dir: &Path, name: &str, header: &str) -> io::Result<io::BufWriter<std::fs::File>> {
    let mut w = io::BufWriter::new(std::fs::File::create(dir.join(name))?);
    writeln!(w, "{header}")?;
    Ok(w)
}

fn pick_weighted<'a>(rng: &mut Rng, items: &[(&'a str, f64)]) -> &'a str {
    let mut x = unit(rng);
    for (item, weight) in items {
        if x < *weight {
            return item;
        }
        x -= weight;
    }
    items[items.len() - 1].0
}

fn unit(rng: &mut Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn date(day: i64) -> String {
    Day::from_days(day).to_string()
}
