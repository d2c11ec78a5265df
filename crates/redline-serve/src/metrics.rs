//! Counters for `GET /metrics`, in the Prometheus text format: requests by endpoint and
//! status, checks by result, findings by rule, and request latency histograms.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use redline_rules::{RuleId, Severity};

/// Upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Everything counted since the server started.
#[derive(Default)]
pub struct Metrics(Mutex<Counts>);

#[derive(Default)]
struct Counts {
    requests: BTreeMap<(&'static str, u16), u64>,
    latency: BTreeMap<&'static str, Histogram>,
    checks: BTreeMap<&'static str, u64>,
    findings: BTreeMap<(RuleId, Severity), u64>,
    reloads: BTreeMap<&'static str, u64>,
}

#[derive(Default)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    /// Counts a request to `endpoint` answered with `status` after `elapsed`.
    pub fn request(&self, endpoint: &'static str, status: u16, elapsed: Duration) {
        let seconds = elapsed.as_secs_f64();
        let mut c = self.0.lock().expect("no panics while held");
        *c.requests.entry((endpoint, status)).or_default() += 1;
        let h = c.latency.entry(endpoint).or_default();
        h.count += 1;
        h.sum += seconds;
        if let Some(i) = BUCKETS.iter().position(|&b| seconds <= b) {
            h.buckets[i] += 1;
        }
    }

    /// Counts a check and its findings.
    pub fn check(&self, pass: bool, findings: &[(RuleId, Severity)]) {
        let mut c = self.0.lock().expect("no panics while held");
        *c.checks
            .entry(if pass { "pass" } else { "fail" })
            .or_default() += 1;
        for (rule, severity) in findings {
            *c.findings.entry((rule.clone(), *severity)).or_default() += 1;
        }
    }

    /// Counts a reload of the rules (`ok` or `failed`).
    pub fn reload(&self, ok: bool) {
        let mut c = self.0.lock().expect("no panics while held");
        *c.reloads
            .entry(if ok { "ok" } else { "failed" })
            .or_default() += 1;
    }

    /// How many reloads succeeded and failed.
    pub fn reloads(&self) -> (u64, u64) {
        let c = self.0.lock().expect("no panics while held");
        let get = |k| c.reloads.get(k).copied().unwrap_or(0);
        (get("ok"), get("failed"))
    }

    /// The Prometheus text exposition, with `rules` (rules running) and `in_flight` (checks
    /// being read or run) as gauges.
    pub fn render(&self, rules: usize, in_flight: usize) -> String {
        let c = self.0.lock().expect("no panics while held");
        let mut out = String::new();
        family(
            &mut out,
            "redline_http_requests_total",
            "counter",
            "HTTP requests by endpoint and status code.",
        );
        for ((endpoint, status), n) in &c.requests {
            let _ = writeln!(
                out,
                "redline_http_requests_total{{endpoint=\"{endpoint}\",code=\"{status}\"}} {n}"
            );
        }
        family(
            &mut out,
            "redline_http_request_duration_seconds",
            "histogram",
            "Time from receiving a request's headers to its answer, by endpoint.",
        );
        for (endpoint, h) in &c.latency {
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "redline_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "redline_http_request_duration_seconds_bucket{{endpoint=\"{endpoint}\",le=\"+Inf\"}} {}\n\
                 redline_http_request_duration_seconds_sum{{endpoint=\"{endpoint}\"}} {}\n\
                 redline_http_request_duration_seconds_count{{endpoint=\"{endpoint}\"}} {}",
                h.count, h.sum, h.count
            );
        }
        family(
            &mut out,
            "redline_checks_total",
            "counter",
            "Drafts checked, by whether they passed the send gate.",
        );
        for result in ["pass", "fail"] {
            let n = c.checks.get(result).copied().unwrap_or(0);
            let _ = writeln!(out, "redline_checks_total{{result=\"{result}\"}} {n}");
        }
        family(
            &mut out,
            "redline_findings_total",
            "counter",
            "Findings in checked drafts, by rule and severity.",
        );
        for ((rule, severity), n) in &c.findings {
            let _ = writeln!(
                out,
                "redline_findings_total{{rule=\"{}\",severity=\"{severity}\"}} {n}",
                escape(rule)
            );
        }
        family(
            &mut out,
            "redline_rule_reloads_total",
            "counter",
            "Reloads of the config and rule packs, by result.",
        );
        for result in ["ok", "failed"] {
            let n = c.reloads.get(result).copied().unwrap_or(0);
            let _ = writeln!(out, "redline_rule_reloads_total{{result=\"{result}\"}} {n}");
        }
        family(&mut out, "redline_rules_active", "gauge", "Rules running.");
        let _ = writeln!(out, "redline_rules_active {rules}");
        family(
            &mut out,
            "redline_checks_in_flight",
            "gauge",
            "Checks being read or run now.",
        );
        let _ = writeln!(out, "redline_checks_in_flight {in_flight}");
        out
    }
}

/// The HELP and TYPE lines that open a metric family.
fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

/// A label value with `\`, `"` and line breaks escaped.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_buckets_are_cumulative_and_counts_add_up() {
        let m = Metrics::default();
        m.request("/v1/check", 200, Duration::from_micros(300));
        m.request("/v1/check", 200, Duration::from_millis(3));
        m.request("/v1/check", 400, Duration::from_secs(20));
        m.check(false, &[("a.b".into(), Severity::Error)]);
        m.check(false, &[("a.b".into(), Severity::Error)]);
        let text = m.render(7, 0);
        for line in [
            "redline_http_requests_total{endpoint=\"/v1/check\",code=\"200\"} 2",
            "redline_http_requests_total{endpoint=\"/v1/check\",code=\"400\"} 1",
            "redline_http_request_duration_seconds_bucket{endpoint=\"/v1/check\",le=\"0.0005\"} 1",
            "redline_http_request_duration_seconds_bucket{endpoint=\"/v1/check\",le=\"0.005\"} 2",
            "redline_http_request_duration_seconds_bucket{endpoint=\"/v1/check\",le=\"10\"} 2",
            "redline_http_request_duration_seconds_bucket{endpoint=\"/v1/check\",le=\"+Inf\"} 3",
            "redline_http_request_duration_seconds_count{endpoint=\"/v1/check\"} 3",
            "redline_checks_total{result=\"fail\"} 2",
            "redline_checks_total{result=\"pass\"} 0",
            "redline_findings_total{rule=\"a.b\",severity=\"error\"} 2",
            "redline_rules_active 7",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
    }
}
