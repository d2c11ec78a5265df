//! Threshold rules (`redline pipeline`): the check a rule names, with that check's parameters
//! as a typed struct, and the bounds its figure is judged by.
//!
//! In a rule file the check is the `check` key and its parameters the `params` table:
//!
//! ```toml
//! [rule.threshold]
//! check = "score-inflation"
//! above = 5.0
//! params = { baseline_months = 3, min_leads = 30 }
//! ```
//!
//! [`Check`] is that pair as one serde enum (tag `check`, content `params`); each parameter
//! struct denies unknown fields, so a misspelt parameter is an error at its own line and
//! column, and [`Check::validate`] rejects values the check cannot use.

use schemars::JsonSchema;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A check a threshold rule names, with its parameters. The check's name (the `check` key)
/// is [`Check::name`]; every check is in [`Check::all`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "check", content = "params", rename_all = "kebab-case")]
pub enum Check {
    /// The latest month's mean lead score against the first months'.
    ScoreInflation(ScoreInflation),
    /// The share of high-scored leads whose heavy fields a rep edited before scoring.
    EditedInputs(EditedInputs),
    /// Whether high-scored leads close more often than mid-scored ones (a p-value).
    ScoreNotPredictive(ScoreNotPredictive),
    /// Predicted win probability against the actual win rate, month by month.
    ForecastDrift(ForecastDrift),
    /// How far the latest month's predictions have shifted from the first months' (PSI).
    ForecastPsi(ForecastPsi),
    /// The largest segment's share of high-scored leads.
    SegmentLockout(SegmentLockout),
    /// The share of licensed reps still using the tool some weeks after licensing.
    LowAdoption(LowAdoption),
    /// The share of AI-routed leads reps disputed (`routing.csv`).
    RoutingDisputes(NoParams),
    /// The share of next-best-action recommendations accepted (`recommendations.csv`).
    NbaAcceptance(NoParams),
    /// The share of sales calls recorded (`calls.csv`).
    RecordingParticipation(NoParams),
    /// How far a draft is from the writer's voice profile (`redline check --voice`): measured
    /// on drafts, not on exports.
    Voice(NoParams),
}

impl Check {
    /// Every check, with default parameters.
    pub fn all() -> [Check; 11] {
        [
            Check::ScoreInflation(ScoreInflation::default()),
            Check::EditedInputs(EditedInputs::default()),
            Check::ScoreNotPredictive(ScoreNotPredictive::default()),
            Check::ForecastDrift(ForecastDrift::default()),
            Check::ForecastPsi(ForecastPsi::default()),
            Check::SegmentLockout(SegmentLockout::default()),
            Check::LowAdoption(LowAdoption::default()),
            Check::RoutingDisputes(NoParams {}),
            Check::NbaAcceptance(NoParams {}),
            Check::RecordingParticipation(NoParams {}),
            Check::Voice(NoParams {}),
        ]
    }

    /// The check's name, as the `check` key writes it.
    pub fn name(&self) -> &'static str {
        match self {
            Check::ScoreInflation(_) => "score-inflation",
            Check::EditedInputs(_) => "edited-inputs",
            Check::ScoreNotPredictive(_) => "score-not-predictive",
            Check::ForecastDrift(_) => "forecast-drift",
            Check::ForecastPsi(_) => "forecast-psi",
            Check::SegmentLockout(_) => "segment-lockout",
            Check::LowAdoption(_) => "low-adoption",
            Check::RoutingDisputes(_) => "routing-disputes",
            Check::NbaAcceptance(_) => "nba-acceptance",
            Check::RecordingParticipation(_) => "recording-participation",
            Check::Voice(_) => "voice",
        }
    }

    /// The check named `name`, with default parameters.
    pub fn named(name: &str) -> Option<Check> {
        Check::all().into_iter().find(|c| c.name() == name)
    }

    /// Every check's name, comma-separated, for messages.
    pub fn names() -> String {
        Check::all().map(|c| c.name()).join(", ")
    }

    /// This check with its parameters read from `d` (the `params` table).
    fn with_params<'de, D: Deserializer<'de>>(&self, d: D) -> Result<Check, D::Error> {
        Ok(match self {
            Check::ScoreInflation(_) => Check::ScoreInflation(Deserialize::deserialize(d)?),
            Check::EditedInputs(_) => Check::EditedInputs(Deserialize::deserialize(d)?),
            Check::ScoreNotPredictive(_) => Check::ScoreNotPredictive(Deserialize::deserialize(d)?),
            Check::ForecastDrift(_) => Check::ForecastDrift(Deserialize::deserialize(d)?),
            Check::ForecastPsi(_) => Check::ForecastPsi(Deserialize::deserialize(d)?),
            Check::SegmentLockout(_) => Check::SegmentLockout(Deserialize::deserialize(d)?),
            Check::LowAdoption(_) => Check::LowAdoption(Deserialize::deserialize(d)?),
            Check::RoutingDisputes(_) => Check::RoutingDisputes(Deserialize::deserialize(d)?),
            Check::NbaAcceptance(_) => Check::NbaAcceptance(Deserialize::deserialize(d)?),
            Check::RecordingParticipation(_) => {
                Check::RecordingParticipation(Deserialize::deserialize(d)?)
            }
            Check::Voice(_) => Check::Voice(Deserialize::deserialize(d)?),
        })
    }

    /// The range the check's figure lies in, and what it is, in words: its bounds must lie
    /// in it too.
    pub fn figure(&self) -> (f64, f64, &'static str) {
        const SHARE: &str = "a share, 0 to 1 (10% is 0.10)";
        match self {
            Check::ScoreInflation(_) => (0.0, 100.0, "a shift in score points, 0 to 100"),
            Check::ScoreNotPredictive(_) => (0.0, 1.0, "a p-value, 0 to 1"),
            Check::ForecastDrift(_) => (
                0.0,
                1.0,
                "a gap in win probability, 0 to 1 (10 points is 0.10)",
            ),
            Check::ForecastPsi(_) => (0.0, f64::MAX, "a population stability index, 0 or more"),
            Check::Voice(_) => (
                0.0,
                f64::MAX,
                "a distance in multiples of the profile's threshold, 0 or more",
            ),
            Check::EditedInputs(_)
            | Check::SegmentLockout(_)
            | Check::LowAdoption(_)
            | Check::RoutingDisputes(_)
            | Check::NbaAcceptance(_)
            | Check::RecordingParticipation(_) => (0.0, 1.0, SHARE),
        }
    }

    /// Rejects parameter values the check cannot use (a score outside 0–100, an empty
    /// window, a baseline of no months).
    pub fn validate(&self) -> Result<(), String> {
        let score = |name: &str, v: f64| {
            if (0.0..=100.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("`{name}` is a score, 0 to 100 (not {v})"))
            }
        };
        let at_least_one = |name: &str, v: u64| {
            if v >= 1 {
                Ok(())
            } else {
                Err(format!("`{name}` must be at least 1"))
            }
        };
        match self {
            Check::ScoreInflation(p) => at_least_one("baseline_months", p.baseline_months),
            Check::EditedInputs(p) => {
                score("high_score", p.high_score)?;
                if p.fields.is_empty() {
                    return Err("`fields` needs at least one field".into());
                }
                Ok(())
            }
            Check::ScoreNotPredictive(p) => {
                score("high_score", p.high_score)?;
                score("mid_score", p.mid_score)?;
                if p.mid_score >= p.high_score {
                    return Err(format!(
                        "`mid_score` ({}) must be below `high_score` ({})",
                        p.mid_score, p.high_score
                    ));
                }
                Ok(())
            }
            Check::ForecastDrift(p) => at_least_one("months", p.months),
            Check::ForecastPsi(p) => at_least_one("baseline_months", p.baseline_months),
            Check::SegmentLockout(p) => score("high_score", p.high_score),
            Check::LowAdoption(p) => {
                if p.from_day > p.to_day {
                    return Err(format!(
                        "`from_day` ({}) is after `to_day` ({})",
                        p.from_day, p.to_day
                    ));
                }
                Ok(())
            }
            Check::RoutingDisputes(_)
            | Check::NbaAcceptance(_)
            | Check::RecordingParticipation(_)
            | Check::Voice(_) => Ok(()),
        }
    }
}

/// Which way a score shift counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// A rise (inflation): a drop reads as a negative figure.
    #[default]
    Up,
    /// A drop: a rise reads as a negative figure.
    Down,
    /// Either way: the figure is the size of the shift.
    Both,
}

/// `score-inflation`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreInflation {
    /// The first months (with enough leads) whose mean is the baseline (default 3).
    pub baseline_months: u64,
    /// Months with fewer scored leads are skipped, and named (default 30).
    pub min_leads: u64,
    /// Which shift counts: `up` (default), `down` or `both`.
    pub direction: Direction,
}

impl Default for ScoreInflation {
    fn default() -> Self {
        ScoreInflation {
            baseline_months: 3,
            min_leads: 30,
            direction: Direction::Up,
        }
    }
}

/// `edited-inputs`' parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EditedInputs {
    /// A lead scored at least this is high-scored (default 70).
    pub high_score: f64,
    /// Edits up to this many days before scoring count (default 30).
    pub window_days: u32,
    /// The high-weight fields watched (default company_size, industry, employee_count,
    /// annual_revenue).
    pub fields: Vec<String>,
}

impl Default for EditedInputs {
    fn default() -> Self {
        EditedInputs {
            high_score: 70.0,
            window_days: 30,
            fields: [
                "company_size",
                "industry",
                "employee_count",
                "annual_revenue",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// `score-not-predictive`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreNotPredictive {
    /// The high band starts here (default 70).
    pub high_score: f64,
    /// The mid band starts here and ends below `high_score` (default 40).
    pub mid_score: f64,
}

impl Default for ScoreNotPredictive {
    fn default() -> Self {
        ScoreNotPredictive {
            high_score: 70.0,
            mid_score: 40.0,
        }
    }
}

/// `forecast-drift`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastDrift {
    /// The gap must hold this many months in a row (default 2).
    pub months: u64,
    /// Months with fewer deals are skipped, and named (default 30).
    pub min_deals: u64,
}

impl Default for ForecastDrift {
    fn default() -> Self {
        ForecastDrift {
            months: 2,
            min_deals: 30,
        }
    }
}

/// `forecast-psi`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastPsi {
    /// The first months (with enough deals) that are the baseline (default 3).
    pub baseline_months: u64,
    /// Months with fewer deals are skipped, and named (default 100: ten bins need about ten
    /// deals each).
    pub min_deals: u64,
}

impl Default for ForecastPsi {
    fn default() -> Self {
        ForecastPsi {
            baseline_months: 3,
            min_deals: 100,
        }
    }
}

/// `segment-lockout`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SegmentLockout {
    /// A lead scored at least this is high-scored (default 70).
    pub high_score: f64,
    /// Segments with fewer closed deals are listed for manual review (default 50).
    pub min_closed: u64,
}

impl Default for SegmentLockout {
    fn default() -> Self {
        SegmentLockout {
            high_score: 70.0,
            min_closed: 50,
        }
    }
}

/// `low-adoption`'s parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LowAdoption {
    /// The window of use starts this many days after licensing (default 61).
    pub from_day: i64,
    /// And ends this many days after (default 90).
    pub to_day: i64,
}

impl Default for LowAdoption {
    fn default() -> Self {
        LowAdoption {
            from_day: 61,
            to_day: 90,
        }
    }
}

/// The parameters of a check that has none: an empty table, or none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// A `[rule.threshold]` table as written: the check with its parameters, and the bounds.
/// `above`/`below` fire at the rule's severity, `error_above`/`error_below` raise the finding
/// to `error`.
#[derive(Debug, Clone)]
pub struct RawThreshold {
    /// The check and its parameters (defaults when the table has no `params`).
    pub check: Check,
    /// Fires when the figure is greater than this.
    pub above: Option<f64>,
    /// Fires when the figure is smaller than this.
    pub below: Option<f64>,
    /// Fires as an error when the figure is greater than this.
    pub error_above: Option<f64>,
    /// Fires as an error when the figure is smaller than this.
    pub error_below: Option<f64>,
}

// The JSON Schema's view of a `[rule.threshold]` table. The table itself is read by
// `RawThreshold`'s own `Deserialize`, which reads `params` as the named check's struct straight
// from the file, so every error keeps its line and column.
/// A threshold rule's check, its parameters (`params`, optional: each has a default) and its
/// bounds: `above`/`below` fire at the rule's severity, `error_above`/`error_below` as errors.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = params_optional)]
#[allow(dead_code)]
pub(crate) struct ThresholdSchema {
    /// The check (`redline rules` lists them) and its `params`.
    #[serde(flatten)]
    check: Check,
    /// Fires when the figure is greater than this.
    above: Option<f64>,
    /// Fires when the figure is smaller than this.
    below: Option<f64>,
    /// Fires as an error when the figure is greater than this.
    error_above: Option<f64>,
    /// Fires as an error when the figure is smaller than this.
    error_below: Option<f64>,
}

/// A [`Check`] written as a JSON string: the shape a format that is not self-describing (a
/// rule set's snapshot) can carry, since it cannot read an adjacently tagged enum.
pub(crate) mod as_json {
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _, ser::Error as _};

    use super::Check;

    pub(crate) fn serialize<S: Serializer>(check: &Check, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&serde_json::to_string(check).map_err(S::Error::custom)?)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Check, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(D::Error::custom)
    }
}

/// Every parameter has a default, so `params` may be left out.
fn params_optional(schema: &mut schemars::Schema) {
    let variants = schema.get_mut("oneOf").and_then(|v| v.as_array_mut());
    for variant in variants.into_iter().flatten() {
        if let Some(required) = variant.get_mut("required").and_then(|r| r.as_array_mut()) {
            required.retain(|r| r != "params");
        }
    }
}

/// The keys of a `[rule.threshold]` table; any other is an error at the key.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Key {
    Check,
    Params,
    Above,
    Below,
    ErrorAbove,
    ErrorBelow,
}

impl<'de> Deserialize<'de> for RawThreshold {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ThresholdVisitor)
    }
}

struct ThresholdVisitor;

impl<'de> Visitor<'de> for ThresholdVisitor {
    type Value = RawThreshold;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a threshold table: check, params, above, below, error_above, error_below")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawThreshold, A::Error> {
        let mut check: Option<Check> = None;
        // `params` written before `check` waits, as a value, until the check is known.
        let mut early_params: Option<toml::Value> = None;
        let mut bounds = [None; 4];
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Check => check = Some(map.next_value_seed(NameSeed)?),
                Key::Params => match &check {
                    Some(c) => check = Some(map.next_value_seed(ParamsSeed(c))?),
                    None => early_params = Some(map.next_value()?),
                },
                Key::Above => bounds[0] = map.next_value()?,
                Key::Below => bounds[1] = map.next_value()?,
                Key::ErrorAbove => bounds[2] = map.next_value()?,
                Key::ErrorBelow => bounds[3] = map.next_value()?,
            }
        }
        let mut check = check.ok_or_else(|| de::Error::missing_field("check"))?;
        if let Some(params) = early_params {
            check = ParamsSeed(&check)
                .deserialize(params)
                .map_err(de::Error::custom)?;
        }
        check_bounds(&check, bounds).map_err(de::Error::custom)?;
        let [above, below, error_above, error_below] = bounds;
        Ok(RawThreshold {
            check,
            above,
            below,
            error_above,
            error_below,
        })
    }
}

/// Rejects bounds the check's figure can never cross, or always crosses: a bound outside the
/// figure's range (a percentage typed for a share: `above = 10` never fires), one that is not
/// a number (`nan` never fires), an error tier nearer than the warning's, and `above` below
/// `below` (every figure fires).
fn check_bounds(check: &Check, bounds: [Option<f64>; 4]) -> Result<(), String> {
    let (low, high, what) = check.figure();
    let names = ["above", "below", "error_above", "error_below"];
    for (name, value) in names.iter().zip(bounds) {
        let Some(v) = value else { continue };
        if !(low..=high).contains(&v) {
            return Err(format!(
                "`{name} = {v}` is out of range: `{}` measures {what}",
                check.name()
            ));
        }
    }
    let ordered = |nearer: usize, further: usize, up: bool| match (bounds[nearer], bounds[further])
    {
        (Some(a), Some(b)) if (up && b < a) || (!up && b > a) => Err(format!(
            "`{}` ({b}) is nearer than `{}` ({a}): an error must be further out than a warning",
            names[further], names[nearer]
        )),
        _ => Ok(()),
    };
    ordered(0, 2, true)?;
    ordered(1, 3, false)?;
    let above = bounds[0].or(bounds[2]);
    let below = bounds[1].or(bounds[3]);
    if let (Some(a), Some(b)) = (above, below)
        && a < b
    {
        return Err(format!(
            "an upper bound ({a}) below a lower bound ({b}) makes every figure fire"
        ));
    }
    Ok(())
}

/// Reads a check's name; an unknown name is an error at the name, listing the checks.
struct NameSeed;

impl<'de> DeserializeSeed<'de> for NameSeed {
    type Value = Check;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Check, D::Error> {
        let name = String::deserialize(d)?;
        Check::named(&name).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown check `{name}`; the checks are {}",
                Check::names()
            ))
        })
    }
}

/// Reads and validates the `params` table of a known check: a misspelt key is an error at the
/// key, an unusable value an error at the table.
struct ParamsSeed<'c>(&'c Check);

impl<'de> DeserializeSeed<'de> for ParamsSeed<'_> {
    type Value = Check;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Check, D::Error> {
        let check = self.0.with_params(d)?;
        check.validate().map_err(de::Error::custom)?;
        Ok(check)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Table {
        threshold: RawThreshold,
    }

    fn read(src: &str) -> Result<RawThreshold, toml::de::Error> {
        toml::from_str::<Table>(src).map(|t| t.threshold)
    }

    /// The line and column (1-based) where an error points.
    fn at(src: &str, e: &toml::de::Error) -> (usize, usize) {
        let start = e.span().expect("a position").start;
        let before = &src[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        (line, column)
    }

    #[test]
    fn params_are_typed_with_defaults() {
        let t = read("[threshold]\ncheck = \"score-inflation\"\nabove = 5.0\nparams = { min_leads = 10, direction = \"both\" }\n").unwrap();
        assert_eq!(
            t.check,
            Check::ScoreInflation(ScoreInflation {
                baseline_months: 3,
                min_leads: 10,
                direction: Direction::Both
            })
        );
        assert_eq!(t.above, Some(5.0));
        let bare = read("[threshold]\ncheck = \"forecast-drift\"\nbelow = 1.0\n").unwrap();
        assert_eq!(bare.check, Check::ForecastDrift(ForecastDrift::default()));
        let sub = read("[threshold]\ncheck = \"low-adoption\"\nbelow = 0.4\n[threshold.params]\nfrom_day = 30\nto_day = 60\n").unwrap();
        assert_eq!(
            sub.check,
            Check::LowAdoption(LowAdoption {
                from_day: 30,
                to_day: 60
            })
        );
    }

    #[test]
    fn a_misspelt_parameter_is_an_error_at_its_key() {
        let src = "[threshold]\ncheck = \"score-inflation\"\nabove = 5.0\nparams = { baselne_months = \"x\" }\n";
        let e = read(src).unwrap_err();
        assert!(
            e.message().contains("unknown field `baselne_months`"),
            "{e}"
        );
        assert!(
            e.message().contains("baseline_months"),
            "names the real ones: {e}"
        );
        assert_eq!(at(src, &e), (4, 12));
        let wrong_type = "[threshold]\ncheck = \"score-inflation\"\nabove = 5.0\nparams = { baseline_months = \"x\" }\n";
        let e = read(wrong_type).unwrap_err();
        assert_eq!(at(wrong_type, &e), (4, 30), "{e}");
        let none_taken =
            "[threshold]\ncheck = \"routing-disputes\"\nabove = 0.1\nparams = { months = 2 }\n";
        let e = read(none_taken).unwrap_err();
        assert!(e.message().contains("unknown field `months`"), "{e}");
    }

    #[test]
    fn unknown_checks_keys_and_unusable_values_are_errors() {
        let src = "[threshold]\ncheck = \"churn-rate\"\nabove = 5.0\n";
        let e = read(src).unwrap_err();
        assert!(e.message().contains("unknown check `churn-rate`"), "{e}");
        assert!(
            e.message().contains("score-inflation, edited-inputs"),
            "{e}"
        );
        assert_eq!(at(src, &e), (2, 9));
        let key = "[threshold]\ncheck = \"forecast-psi\"\nabove_by = 5.0\n";
        let e = read(key).unwrap_err();
        assert_eq!(at(key, &e), (3, 1), "{e}");
        let bands = "[threshold]\ncheck = \"score-not-predictive\"\nabove = 0.05\nparams = { mid_score = 80 }\n";
        let e = read(bands).unwrap_err();
        assert!(
            e.message().contains("`mid_score` (80) must be below"),
            "{e}"
        );
        assert_eq!(at(bands, &e).0, 4);
        let early = "[threshold]\nparams = { high_score = 170 }\ncheck = \"segment-lockout\"\nabove = 0.8\n";
        let e = read(early).unwrap_err();
        assert!(e.message().contains("0 to 100"), "{e}");
    }

    /// The names [`Check::name`] gives are the ones serde and the schema use.
    #[test]
    fn check_names_agree_with_the_schema() {
        let schema = serde_json::to_string(&schemars::schema_for!(ThresholdSchema)).unwrap();
        for check in Check::all() {
            assert!(
                schema.contains(&format!("\"{}\"", check.name())),
                "{}",
                check.name()
            );
            assert_eq!(Check::named(check.name()), Some(check.clone()));
            assert_eq!(check.validate(), Ok(()), "defaults are valid");
        }
    }
}
