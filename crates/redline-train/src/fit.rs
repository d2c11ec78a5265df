//! Elastic-net logistic regression by FISTA over sparse rows, out-of-fold probabilities, and
//! the threshold and AUC arithmetic calibration needs.

use redline_rules::{MeasureWeight, VoiceMeasure};

use crate::{Candidates, Model, Options, Sample};

/// The design matrix: one sparse row per sample, columns = phrases, patterns, measures.
pub struct Data {
    rows: Vec<Vec<(usize, f64)>>,
    /// Whether each row is AI-drafted.
    pub labels: Vec<bool>,
    phrases: usize,
    patterns: usize,
    /// Per measure: its mean and standard deviation over the rows that have it.
    scales: Vec<(VoiceMeasure, f64, f64)>,
}

impl Data {
    /// Measures standardised over all samples; phrases and patterns as `ln(1 + count)`.
    pub fn new(samples: &[&Sample]) -> Data {
        let first = &samples[0].inputs;
        let phrases = first.phrases.len();
        let patterns = first.patterns.len();
        let scales: Vec<(VoiceMeasure, f64, f64)> = first
            .measures
            .iter()
            .enumerate()
            .map(|(k, (m, ..))| {
                let values: Vec<f64> = samples
                    .iter()
                    .filter_map(|s| s.inputs.measures[k].1)
                    .collect();
                let n = values.len().max(1) as f64;
                let mean = values.iter().sum::<f64>() / n;
                let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
                (*m, mean, var.sqrt())
            })
            .collect();
        let rows = samples
            .iter()
            .map(|s| {
                let mut row: Vec<(usize, f64)> = s
                    .inputs
                    .counts()
                    .enumerate()
                    .filter(|(_, v)| *v != 0.0)
                    .collect();
                for (k, (_, figure, _)) in s.inputs.measures.iter().enumerate() {
                    let (_, mean, sd) = scales[k];
                    if let Some(x) = figure
                        && sd > 0.0
                    {
                        let z = ((x - mean) / sd).clamp(-4.0, 4.0);
                        if z != 0.0 {
                            row.push((phrases + patterns + k, z));
                        }
                    }
                }
                row
            })
            .collect();
        Data {
            rows,
            labels: samples.iter().map(|s| s.ai).collect(),
            phrases,
            patterns,
            scales,
        }
    }

    fn columns(&self) -> usize {
        self.phrases + self.patterns + self.scales.len()
    }

    /// The rule the weights describe: features with a zero weight are left out.
    pub fn model(
        &self,
        w: &Weights,
        candidates: &Candidates,
        warning: f64,
        error: f64,
        min_words: usize,
    ) -> Model {
        let kept = |j: usize| w.beta[j] != 0.0;
        let round = |x: f64| (x * 1e4).round() / 1e4;
        Model {
            intercept: round(w.intercept),
            phrases: (0..self.phrases)
                .filter(|&j| kept(j))
                .map(|j| (candidates.phrases[j].clone(), round(w.beta[j])))
                .filter(|(_, w)| *w != 0.0)
                .collect(),
            patterns: (0..self.patterns)
                .filter(|&j| kept(self.phrases + j))
                .map(|j| {
                    (
                        candidates.patterns[j].clone(),
                        round(w.beta[self.phrases + j]),
                    )
                })
                .filter(|(_, w)| *w != 0.0)
                .collect(),
            measures: self
                .scales
                .iter()
                .enumerate()
                .filter(|(k, _)| kept(self.phrases + self.patterns + k))
                .map(|(k, (m, mean, sd))| {
                    let weight = round(w.beta[self.phrases + self.patterns + k]);
                    let scale = |x: f64| (x * 1e6).round() / 1e6;
                    (
                        *m,
                        MeasureWeight {
                            weight,
                            mean: scale(*mean),
                            sd: scale(*sd),
                        },
                    )
                })
                .filter(|(_, w)| w.weight != 0.0)
                .collect(),
            warning: round(warning),
            error: round(error),
            min_words,
        }
    }
}

/// Fitted coefficients.
pub struct Weights {
    intercept: f64,
    beta: Vec<f64>,
}

impl Weights {
    fn probability(&self, row: &[(usize, f64)]) -> f64 {
        let z = self.intercept + row.iter().map(|&(j, x)| self.beta[j] * x).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// Fits on the rows `use_row` accepts, each class weighted to half the loss.
pub fn fit(data: &Data, options: &Options, use_row: impl Fn(usize) -> bool) -> Weights {
    let rows: Vec<usize> = (0..data.rows.len()).filter(|&i| use_row(i)).collect();
    let ai = rows.iter().filter(|&&i| data.labels[i]).count().max(1) as f64;
    let human = (rows.len() as f64 - ai).max(1.0);
    let n = rows.len() as f64;
    let sample_weight = |i: usize| {
        if data.labels[i] {
            n / (2.0 * ai)
        } else {
            n / (2.0 * human)
        }
    };
    let p = data.columns();
    let step = 1.0 / (lipschitz(data, &rows, &sample_weight) + options.l2);

    let mut x = Weights {
        intercept: 0.0,
        beta: vec![0.0; p],
    };
    let mut y_intercept = 0.0;
    let mut y_beta = vec![0.0; p];
    let mut t = 1.0_f64;
    let mut grad = vec![0.0; p];
    for _ in 0..options.iterations {
        let y = Weights {
            intercept: y_intercept,
            beta: std::mem::take(&mut y_beta),
        };
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut grad_intercept = 0.0;
        for &i in &rows {
            let row = &data.rows[i];
            let residual =
                sample_weight(i) * (y.probability(row) - f64::from(u8::from(data.labels[i]))) / n;
            grad_intercept += residual;
            for &(j, v) in row {
                grad[j] += residual * v;
            }
        }
        let next_intercept = y.intercept - step * grad_intercept;
        let next_beta: Vec<f64> = (0..p)
            .map(|j| {
                let g = grad[j] + options.l2 * y.beta[j];
                soft_threshold(y.beta[j] - step * g, step * options.l1)
            })
            .collect();
        let t_next = (1.0 + (1.0 + 4.0 * t * t).sqrt()) / 2.0;
        let momentum = (t - 1.0) / t_next;
        y_intercept = next_intercept + momentum * (next_intercept - x.intercept);
        y_beta = next_beta
            .iter()
            .zip(&x.beta)
            .map(|(b, old)| b + momentum * (b - old))
            .collect();
        x = Weights {
            intercept: next_intercept,
            beta: next_beta,
        };
        t = t_next;
    }
    x
}

fn soft_threshold(v: f64, by: f64) -> f64 {
    if v > by {
        v - by
    } else if v < -by {
        v + by
    } else {
        0.0
    }
}

/// An upper bound of the logistic loss's gradient Lipschitz constant: a quarter of the largest
/// eigenvalue of XᵀWX/n (with the intercept column), by power iteration from a fixed start.
fn lipschitz(data: &Data, rows: &[usize], weight: &impl Fn(usize) -> f64) -> f64 {
    let p = data.columns() + 1;
    let n = rows.len() as f64;
    let mut v = vec![1.0 / (p as f64).sqrt(); p];
    let mut eigen = 1.0;
    for _ in 0..30 {
        let mut next = vec![0.0; p];
        for &i in rows {
            let row = &data.rows[i];
            let dot = v[p - 1] + row.iter().map(|&(j, x)| v[j] * x).sum::<f64>();
            let s = weight(i) * dot / n;
            next[p - 1] += s;
            for &(j, x) in row {
                next[j] += s * x;
            }
        }
        eigen = next.iter().map(|x| x * x).sum::<f64>().sqrt();
        if eigen == 0.0 {
            return 1.0;
        }
        v = next.iter().map(|x| x / eigen).collect();
    }
    0.25 * eigen * 1.05
}

/// Each sample's probability from a model fitted without its fold (fold = index mod k).
pub fn out_of_fold(data: &Data, options: &Options) -> Vec<f64> {
    let k = options.folds.max(2);
    let mut out = vec![0.0; data.rows.len()];
    for fold in 0..k {
        let w = fit(data, options, |i| i % k != fold);
        for (i, p) in out.iter_mut().enumerate().skip(fold).step_by(k) {
            *p = w.probability(&data.rows[i]);
        }
    }
    out
}

/// The lowest probability that flags at most `fpr` of `humans`.
pub fn threshold(humans: &[f64], fpr: f64) -> f64 {
    let mut sorted = humans.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let allowed = (fpr * sorted.len() as f64).floor() as usize;
    let t = match (
        allowed.checked_sub(1).and_then(|i| sorted.get(i)),
        sorted.get(allowed),
    ) {
        (Some(&above), Some(&below)) => (above + below) / 2.0,
        (None, Some(&top)) => top + (1.0 - top) / 2.0,
        (_, None) => 0.5,
    };
    t.clamp(1e-4, 1.0 - 1e-4)
}

/// Area under the ROC curve: the chance an AI sample outscores a human one (ties count half).
pub fn auc(ai: &[f64], human: &[f64]) -> f64 {
    let mut all: Vec<(f64, bool)> = ai
        .iter()
        .map(|&p| (p, true))
        .chain(human.iter().map(|&p| (p, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let rank = (i + j + 1) as f64 / 2.0;
        rank_sum += rank * all[i..j].iter().filter(|(_, a)| *a).count() as f64;
        i = j;
    }
    let (na, nh) = (ai.len() as f64, human.len() as f64);
    if na == 0.0 || nh == 0.0 {
        return 0.5;
    }
    (rank_sum - na * (na + 1.0) / 2.0) / (na * nh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_counts_pairs_and_ties() {
        assert_eq!(auc(&[0.9, 0.8], &[0.1, 0.2]), 1.0);
        assert_eq!(auc(&[0.1], &[0.9]), 0.0);
        assert_eq!(auc(&[0.5], &[0.5]), 0.5);
        assert!((auc(&[0.9, 0.3], &[0.5, 0.1]) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn threshold_flags_at_most_the_share_asked() {
        let humans: Vec<f64> = (0..100).map(|i| f64::from(i) / 100.0).collect();
        let t = threshold(&humans, 0.05);
        assert_eq!(humans.iter().filter(|&&p| p >= t).count(), 5);
        let none = threshold(&humans, 0.0);
        assert_eq!(humans.iter().filter(|&&p| p >= none).count(), 0);
        // A share above 1 (the command line refuses it) flags no more than all of them.
        let all = threshold(&humans, 1.5);
        assert!(all.is_finite() && all > 0.0);
    }
}
