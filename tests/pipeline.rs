//! `redline pipeline` on generated CRM exports: a healthy twin raises nothing at warning or
//! above and exits 0; each injected failure fires its rule with the evidence behind it and
//! exits 1; malformed rows, missing files, column mappings and broken packs are handled.

#[path = "support/mod.rs"]
mod support;

use redline_synth::{ExportSpec, Failure, write_exports};
use serde_json::Value;
use support::Scratch;

fn exports(s: &Scratch, name: &str, inject: &[Failure], malformed: usize) -> String {
    let spec = ExportSpec {
        seed: 4,
        leads: 20_000,
        inject: inject.to_vec(),
        malformed,
    };
    write_exports(&spec, &s.0.join(name)).unwrap();
    name.to_string()
}

/// Runs `redline pipeline DIR --format json`; returns the exit code and the findings.
fn pipeline(s: &Scratch, dir: &str, extra: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let mut args = vec!["pipeline", dir, "--format", "json"];
    args.extend_from_slice(extra);
    let out = s.run(&args, None);
    let findings = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines"))
        .collect();
    (
        out.status.code(),
        findings,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fired<'a>(findings: &'a [Value], rule: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("{rule} did not fire: {findings:#?}"))
}

#[test]
fn the_healthy_twin_raises_nothing_and_its_score_predicts() {
    let s = Scratch::new();
    let dir = exports(&s, "healthy", &[], 0);
    let (code, findings, stderr) = pipeline(&s, &dir, &[]);
    assert_eq!(code, Some(0), "{findings:#?}\n{stderr}");
    assert!(
        findings.iter().all(|f| f["severity"] == "info"),
        "{findings:#?}"
    );
    let (_, all, _) = pipeline(&s, &dir, &["--fail-on", "info"]);
    assert!(
        all.iter().all(|f| f["rule"] == "pipeline.forecast-psi"),
        "{all:#?}"
    );
}

/// A failure to inject, the rule it should fire, and what its evidence must show.
type Case = (Failure, &'static str, fn(&Value));

#[test]
fn each_injected_failure_fires_its_rule_with_its_evidence() {
    let s = Scratch::new();
    let cases: [Case; 9] = [
        (Failure::ScoreInflation, "pipeline.score-inflation", |f| {
            let shift = f["evidence"]["shift"].as_f64().unwrap();
            assert!((8.0..12.0).contains(&shift), "{f}");
            assert_eq!(f["evidence"]["latest_month"], "2026-06");
            assert_eq!(f["evidence"]["baseline_months"][0], "2025-10");
        }),
        (Failure::EditedInputs, "pipeline.edited-inputs", |f| {
            assert_eq!(f["severity"], "error", "40% is past the error bound: {f}");
            let share = f["evidence"]["share"].as_f64().unwrap();
            assert!((0.35..0.45).contains(&share), "{f}");
        }),
        (
            Failure::ScoreNotPredictive,
            "pipeline.score-not-predictive",
            |f| {
                assert!(f["evidence"]["p_value"].as_f64().unwrap() > 0.05);
                assert_eq!(f["evidence"]["deciles"].as_array().unwrap().len(), 10);
            },
        ),
        (Failure::ForecastDrift, "pipeline.forecast-drift", |f| {
            let run: Vec<&str> = f["evidence"]["worst_run"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap())
                .collect();
            assert!(run.iter().all(|m| *m >= "2026-04"), "{run:?}");
            assert!(f["value"].as_f64().unwrap() > 0.1);
        }),
        (Failure::SegmentLockout, "pipeline.segment-lockout", |f| {
            assert_eq!(f["evidence"]["top_segment"], "enterprise");
            assert!(f["evidence"]["top_share"].as_f64().unwrap() > 0.8);
        }),
        (Failure::LowAdoption, "pipeline.low-adoption", |f| {
            assert!(f["evidence"]["share"].as_f64().unwrap() < 0.4);
            let curve = f["evidence"]["weekly_adoption"].as_array().unwrap();
            assert_eq!(curve.len(), 13);
            assert!(curve[0]["share_active"].as_f64() > curve[12]["share_active"].as_f64());
            assert!(!f.to_string().contains("\"R1\""), "no rep is named");
        }),
        (Failure::RoutingDisputes, "pipeline.routing-disputes", |f| {
            assert!(f["evidence"]["disputed"].as_u64().unwrap() > 400, "{f}");
        }),
        (Failure::NbaAcceptance, "pipeline.nba-acceptance", |f| {
            assert!(f["evidence"]["share"].as_f64().unwrap() < 0.3, "{f}");
        }),
        (
            Failure::RecordingParticipation,
            "pipeline.recording-participation",
            |f| {
                assert_eq!(f["evidence"]["rows"], 2000);
                assert!(f["evidence"]["share"].as_f64().unwrap() < 0.85, "{f}");
            },
        ),
    ];
    for (failure, rule, check) in cases {
        let dir = exports(&s, rule, &[failure], 0);
        let (code, findings, stderr) = pipeline(&s, &dir, &[]);
        assert_eq!(code, Some(1), "{rule}: {findings:#?}\n{stderr}");
        let f = fired(&findings, rule);
        assert_eq!(f["path"], dir);
        assert!(
            !f["message"].as_str().unwrap().contains('{'),
            "placeholders filled: {f}"
        );
        check(f);
        // Scoring good leads in other segments low also makes the score a poor predictor.
        let companion = match failure {
            Failure::SegmentLockout => "pipeline.score-not-predictive",
            _ => "",
        };
        let others: Vec<&Value> = findings
            .iter()
            .filter(|f| f["rule"] != rule && f["rule"] != companion && f["severity"] != "info")
            .collect();
        assert!(
            others.is_empty(),
            "{rule} injected alone, but also: {others:#?}"
        );
    }
}

#[test]
fn bad_rows_missing_files_and_mapped_columns() {
    let s = Scratch::new();
    let dir = exports(&s, "messy", &[Failure::ScoreInflation], 7);
    let gone = [
        "forecasts.csv",
        "reps.csv",
        "usage_events.csv",
        "routing.csv",
        "recommendations.csv",
        "calls.csv",
    ];
    for file in gone {
        std::fs::remove_file(s.0.join(&dir).join(file)).unwrap();
    }
    let (code, findings, stderr) = pipeline(&s, &dir, &[]);
    assert_eq!(code, Some(1), "{stderr}");
    fired(&findings, "pipeline.score-inflation");
    assert!(
        stderr.contains("messy/leads.csv:20002: score 140 is outside 0..100"),
        "{stderr}"
    );
    assert!(
        stderr.contains("leads.csv:20003: `last tuesday` is not a date"),
        "{stderr}"
    );
    assert!(stderr.contains("2 more malformed rows"), "{stderr}");
    assert!(
        stderr.contains("forecasts.csv not found") && stderr.contains("pipeline.forecast-drift"),
        "{stderr}"
    );

    let leads = s.0.join(&dir).join("leads.csv");
    let text = std::fs::read_to_string(&leads).unwrap();
    std::fs::write(
        &leads,
        text.replacen("score,scored_at", "Lead Score,Scored Date", 1),
    )
    .unwrap();
    let (code, findings, stderr) = pipeline(&s, &dir, &[]);
    assert_eq!(
        code,
        Some(2),
        "the lead checks are skipped, and a health check does not pass on input it could not read: {findings:#?}"
    );
    assert!(
        stderr.contains("leads.csv:1: no `score` column"),
        "{stderr}"
    );
    s.write(
        "team/pack.toml",
        "name = \"team\"\nversion = \"1\"\ndescription = \"our exports\"\n[columns.leads]\nscore = \"Lead Score\"\nscored_at = \"Scored Date\"\n",
    );
    let (code, findings, stderr) = pipeline(&s, &dir, &["--pack", "team"]);
    assert_eq!(code, Some(1), "{stderr}");
    fired(&findings, "pipeline.score-inflation");

    let (code, _, stderr) = pipeline(&s, "no-such-dir", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    std::fs::create_dir_all(s.0.join("empty")).unwrap();
    let (code, _, stderr) = pipeline(&s, "empty", &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no export could be read"), "{stderr}");
}

#[test]
fn a_rule_naming_an_unknown_check_is_a_pack_error() {
    let s = Scratch::new();
    let dir = exports(&s, "data", &[], 0);
    s.write(
        "ours/pack.toml",
        "name = \"ours\"\nversion = \"1\"\ndescription = \"d\"\n",
    );
    s.write(
        "ours/rules.toml",
        "[[rule]]\nid = \"ours.churn\"\nkind = \"threshold\"\nseverity = \"warning\"\nmessage = \"churn {value}\"\nwhy = \"w\"\ninstead = \"i\"\n[rule.threshold]\ncheck = \"churn-rate\"\nabove = 0.1\n",
    );
    let (code, _, stderr) = pipeline(&s, &dir, &["--pack", "ours"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("ours/rules.toml") && stderr.contains("`churn-rate`"),
        "{stderr}"
    );
}

#[test]
fn the_html_report_draws_the_four_charts() {
    let s = Scratch::new();
    let all: Vec<Failure> = Failure::ALL.iter().map(|(_, f)| *f).collect();
    let dir = exports(&s, "all", &all, 0);
    let out = s.run(&["pipeline", &dir, "--html", "pipeline.html"], None);
    assert_eq!(out.status.code(), Some(1));
    let html = std::fs::read_to_string(s.0.join("pipeline.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert_eq!(
        html.matches("<svg").count(),
        4,
        "score, forecast, segments, adoption"
    );
    for part in [
        "mean score",
        "actual win rate",
        "enterprise",
        "share of reps active",
    ] {
        assert!(html.contains(part), "{part}");
    }
    assert!(!html.contains("<script") && !html.contains("http"));
    let stdout = s.run(&["pipeline", &dir, "--format", "html"], None);
    assert_eq!(
        String::from_utf8_lossy(&stdout.stdout),
        html,
        "--format html prints the same page"
    );
}

/// Leads over months, `n` per month at `score`: `(month, score, n)`.
fn leads_csv(months: &[(&str, f64, usize)]) -> String {
    let mut out = String::from("lead_id,segment,score,scored_at,outcome\n");
    let mut id = 0;
    for (month, score, n) in months {
        for _ in 0..*n {
            id += 1;
            let segment = ["smb", "mid-market", "enterprise", "public-sector"][id % 4];
            out.push_str(&format!("L{id},{segment},{score},{month}-15,open\n"));
        }
    }
    out
}

#[test]
fn score_inflation_counts_rises_and_full_months_only() {
    let s = Scratch::new();
    // A drop of 5.5 points is not inflation.
    let drop = [
        ("2026-01", 50.0, 40),
        ("2026-02", 50.0, 40),
        ("2026-03", 50.0, 40),
        ("2026-04", 44.5, 40),
    ];
    s.write("drop/leads.csv", leads_csv(&drop));
    let (code, findings, stderr) = pipeline(&s, "drop", &[]);
    assert_eq!(code, Some(0), "{findings:#?}\n{stderr}");
    assert!(
        findings
            .iter()
            .all(|f| f["rule"] != "pipeline.score-inflation")
    );

    // Ten leads in a new month at 100 are skipped, and named.
    let mut few = drop.to_vec();
    few[3] = ("2026-04", 50.0, 40);
    few.push(("2026-05", 100.0, 10));
    s.write("few/leads.csv", leads_csv(&few));
    let (code, findings, stderr) = pipeline(&s, "few", &[]);
    assert_eq!(code, Some(0), "{findings:#?}\n{stderr}");
    assert!(
        stderr.contains(
            "pipeline.score-inflation: skipped months with too few rows: 2026-05 (10 rows)"
        ),
        "{stderr}"
    );

    // A rise fires, with the direction and the months it used.
    few[4] = ("2026-05", 60.0, 40);
    s.write("rise/leads.csv", leads_csv(&few));
    let (code, findings, _) = pipeline(&s, "rise", &[]);
    assert_eq!(code, Some(1));
    let f = fired(&findings, "pipeline.score-inflation");
    assert_eq!(f["value"], 10.0);
    assert_eq!(f["evidence"]["direction"], "up");
    assert_eq!(f["evidence"]["latest_month"], "2026-05");

    // Watched downwards, the drop of 5.5 fires and says it fell.
    let scoring = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules/pipeline/scoring.toml"),
    )
    .unwrap();
    s.write(
        "down/pack.toml",
        "name = \"down\"\nversion = \"1\"\ndescription = \"d\"\n",
    );
    s.write(
        "down/rules.toml",
        scoring
            .replace("id = \"pipeline.", "id = \"down.")
            .replace("direction = \"up\"", "direction = \"down\""),
    );
    let (code, findings, stderr) = pipeline(&s, "drop", &["--pack", "down"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        fired(&findings, "down.score-inflation")["message"],
        "Average lead score fell 5.5 points below its baseline (limit 5.0)"
    );
}

#[test]
fn a_mistyped_parameter_is_an_error_at_its_line_and_column() {
    let s = Scratch::new();
    s.write("data/leads.csv", leads_csv(&[("2026-01", 50.0, 40)]));
    s.write(
        "ours/pack.toml",
        "name = \"ours\"\nversion = \"1\"\ndescription = \"d\"\n",
    );
    s.write(
        "ours/rules.toml",
        "[[rule]]\nid = \"ours.drift\"\nkind = \"threshold\"\nseverity = \"warning\"\nmessage = \"moved {value}\"\nwhy = \"w\"\ninstead = \"i\"\n[rule.threshold]\ncheck = \"score-inflation\"\nabove = 5.0\nparams = { baselne_months = \"x\" }\n",
    );
    let (code, _, stderr) = pipeline(&s, "data", &["--pack", "ours"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("ours/rules.toml:11:12: unknown field `baselne_months`, expected one of `baseline_months`, `min_leads`, `direction`"),
        "{stderr}"
    );
}

#[test]
fn unreadable_leads_exit_2_after_running_the_other_checks() {
    let s = Scratch::new();
    let dir = exports(&s, "data", &[Failure::ForecastDrift], 0);
    let leads = s.0.join(&dir).join("leads.csv");
    let text = std::fs::read_to_string(&leads).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        ("empty", Vec::new(), "leads.csv: empty (no header row)"),
        (
            "binary",
            b"\x00\x01\x02binary".to_vec(),
            "leads.csv: not a CSV file (binary data)",
        ),
        (
            "open quote",
            text.replacen("\nL3,", "\n\"L3,", 1).into_bytes(),
            "leads.csv:4: a quote opened on this line is never closed; it swallowed the 19997 rows after it",
        ),
    ];
    for (name, bytes, want) in cases {
        std::fs::write(&leads, bytes).unwrap();
        let (code, findings, stderr) = pipeline(&s, &dir, &[]);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(stderr.contains(want), "{name}: {stderr}");
        assert!(
            stderr.contains("skipped pipeline.score-inflation"),
            "{name}: names the checks skipped: {stderr}"
        );
        fired(&findings, "pipeline.forecast-drift");
    }
}

#[test]
fn the_summary_goes_to_stderr() {
    let s = Scratch::new();
    let dir = exports(&s, "data", &[Failure::LowAdoption], 0);
    let out = s.run(&["pipeline", &dir], None);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stdout.starts_with("warning pipeline.low-adoption:"),
        "{stdout}"
    );
    assert!(!stdout.contains("finding(s) from"), "{stdout}");
    assert!(stderr.contains("redline: 1 finding(s) from"), "{stderr}");
}

#[test]
fn segments_listed_on_the_page_are_capped() {
    let s = Scratch::new();
    let mut leads = String::from("lead_id,segment,score,scored_at,outcome\n");
    for i in 0..20_000 {
        leads.push_str(&format!("L{i},segment-{i},90,2026-01-15,won\n"));
    }
    s.write("wide/leads.csv", leads);
    let out = s.run(
        &[
            "pipeline",
            "wide",
            "--html",
            "page.html",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(s.0.join("page.html")).unwrap();
    assert!(page.contains("19975 smaller segments with high-scored leads are not listed"));
    assert!(page.len() < 100_000, "{} bytes", page.len());
}

/// `routing.csv` with a `note` column: `rows` routed leads, the first `disputed` of them
/// disputed.
fn routing_csv(rows: usize, disputed: usize) -> String {
    let mut csv = String::from("lead_id,disputed,note\n");
    for i in 0..rows {
        let yes = if i < disputed { "yes" } else { "no" };
        csv.push_str(&format!("L{i},{yes},\n"));
    }
    csv
}

#[test]
fn a_stray_quote_closed_lines_later_fails_the_file_instead_of_eating_rows() {
    let s = Scratch::new();
    // 15 of 100 disputed (15%, above the 10% bound); a stray quote opens on line 22 and
    // another closes it on line 92, making the 69 rows between one field.
    let text = routing_csv(100, 15)
        .replacen("\nL20,no,", "\nL20,no,\"", 1)
        .replacen("\nL90,no,", "\nL90,no\",", 1);
    s.write("stray/routing.csv", text);
    let (code, findings, stderr) = pipeline(&s, "stray", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(
        stderr.contains(
            "routing.csv:22: a quote opened on this line is closed only on line 92; it swallowed \
             the 69 rows in between, so the file is malformed; skipped pipeline.routing-disputes"
        ),
        "{stderr}"
    );

    // A note over three lines (one of them with a comma) is one field: every row counts.
    let note = routing_csv(100, 15).replacen(
        "\nL30,no,\n",
        "\nL30,no,\"Called twice\nno answer, left a message\nwill retry\"\n",
        1,
    );
    s.write("note/routing.csv", note);
    let (code, findings, stderr) = pipeline(&s, "note", &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        fired(&findings, "pipeline.routing-disputes")["evidence"]["rows"],
        100
    );
}

/// `forecasts.csv`: 30 deals a month in each of `months`, each predicted at `predicted`,
/// `won` of them won.
fn forecasts_csv(months: &[&str], predicted: &str, won: usize) -> String {
    let mut csv = String::from("deal_id,month,predicted,outcome\n");
    for month in months {
        for i in 0..30 {
            let outcome = if i < won { "won" } else { "lost" };
            csv.push_str(&format!("D{month}-{i},{month},{predicted},{outcome}\n"));
        }
    }
    csv
}

#[test]
fn a_forecast_gap_of_exactly_the_bound_does_not_fire() {
    let s = Scratch::new();
    // Predicted 40%, 9 of 30 won: exactly 10 points off, two months running.
    s.write(
        "at/forecasts.csv",
        forecasts_csv(&["2025-01", "2025-02"], "0.40", 9),
    );
    let (code, findings, stderr) = pipeline(&s, "at", &["--disable", "pipeline.forecast-psi"]);
    assert_eq!(
        (code, findings.len()),
        (Some(0), 0),
        "{findings:#?}\n{stderr}"
    );
    s.write(
        "past/forecasts.csv",
        forecasts_csv(&["2025-01", "2025-02"], "0.41", 9),
    );
    let (code, findings, _) = pipeline(&s, "past", &["--disable", "pipeline.forecast-psi"]);
    assert_eq!(code, Some(1));
    fired(&findings, "pipeline.forecast-drift");
}

#[test]
fn a_severity_set_in_the_config_caps_the_error_bound_too() {
    let s = Scratch::new();
    // 100 leads scored 90; 30 of them had their industry edited by a rep 5 days before
    // scoring: 30%, past edited-inputs' error bound (25%).
    let (mut leads, mut edits) = (
        String::from("lead_id,segment,score,scored_at,outcome\n"),
        String::from("lead_id,field,edited_at,editor\n"),
    );
    for i in 0..100 {
        leads.push_str(&format!("L{i},smb-{},90,2026-01-20,open\n", i % 2));
        if i < 30 {
            edits.push_str(&format!("L{i},industry,2026-01-15,rep\n"));
        }
    }
    s.write("data/leads.csv", leads);
    s.write("data/field_edits.csv", edits);
    let (code, findings, _) = pipeline(&s, "data", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        fired(&findings, "pipeline.edited-inputs")["severity"],
        "error"
    );
    for (level, exit) in [("info", 0), ("warning", 1)] {
        s.write(
            "sev.toml",
            format!("[severity]\n\"pipeline.edited-inputs\" = \"{level}\"\n"),
        );
        let (code, findings, stderr) = pipeline(&s, "data", &["--config", "sev.toml"]);
        assert_eq!(code, Some(exit), "{level}: {stderr}");
        assert_eq!(
            fired(&findings, "pipeline.edited-inputs")["severity"],
            level
        );
    }
}

#[test]
fn control_characters_from_the_exports_are_escaped_on_the_terminal() {
    let s = Scratch::new();
    let mut leads = String::from("lead_id,segment,score,scored_at,outcome\n");
    for i in 0..100 {
        leads.push_str(&format!(
            "L{i},\x1b]0;pwned\x07\x1b[31mred,90,2026-01-15,won\n"
        ));
    }
    leads.push_str("L100,smb,\x1b[2J,2026-01-15,won\n");
    s.write("esc/leads.csv", leads);
    let out = s.run(&["pipeline", "esc"], None);
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        !stdout.contains('\x1b') && !stdout.contains('\x07'),
        "{stdout:?}"
    );
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    assert!(
        stdout.contains(r"top_segment \u{1b}]0;pwned\u{7}\u{1b}[31mred"),
        "{stdout}"
    );
    assert!(
        stderr.contains(r"leads.csv:102: score `\u{1b}[2J` is not a number"),
        "{stderr}"
    );
}

#[test]
fn a_pipeline_pack_with_only_column_mappings_is_named_not_the_exports() {
    let s = Scratch::new();
    let dir = exports(&s, "data", &[], 0);
    s.write(
        "pipeline/pack.toml",
        "name = \"pipeline\"\nversion = \"1\"\ndescription = \"d\"\n[columns.leads]\nscore = \"Lead Score\"\n",
    );
    let (code, _, stderr) = pipeline(&s, &dir, &["--pack", "pipeline"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("no threshold rule is loaded, so there is nothing to check in the exports: the pack `pipeline` from your packs replaces the shipped one"),
        "{stderr}"
    );
    assert!(!stderr.contains("no export could be read"), "{stderr}");
}

#[test]
fn a_column_mapping_naming_an_unknown_export_or_column_is_refused() {
    let s = Scratch::new();
    let dir = exports(&s, "data", &[], 0);
    s.write(
        "team/pack.toml",
        "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n[columns.leadz]\nscore = \"Lead Score\"\n[columns.leads]\nscor = \"Lead Score\"\nsegment = \" \"\n",
    );
    let (code, findings, stderr) = pipeline(&s, &dir, &["--pack", "team"]);
    assert_eq!(code, Some(2));
    assert!(findings.is_empty(), "{findings:#?}");
    for problem in [
        "pack `team`: [columns.leadz] names no export; the exports are leads, field_edits,",
        "pack `team`: [columns.leads] `scor` is not a column the checks read in leads.csv; they read lead_id, segment, score, scored_at, outcome",
        "pack `team`: [columns.leads] `segment` maps to an empty header",
    ] {
        assert!(stderr.contains(problem), "{problem}\n{stderr}");
    }

    // Two packs mapping one column differently: neither silently wins.
    s.write(
        "team/pack.toml",
        "name = \"team\"\nversion = \"1\"\ndescription = \"d\"\n[columns.leads]\nscore = \"Lead Score\"\n",
    );
    s.write(
        "ops/pack.toml",
        "name = \"ops\"\nversion = \"1\"\ndescription = \"d\"\n[columns.leads]\nscore = \"Score\"\n",
    );
    let (code, _, stderr) = pipeline(&s, &dir, &["--pack", "team", "--pack", "ops"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("packs `team` and `ops` map [columns.leads] `score` to different headers (`Lead Score` and `Score`)"),
        "{stderr}"
    );
}

#[test]
fn a_windows_1252_export_loses_no_row() {
    let s = Scratch::new();
    // 100 high-scored leads, 85 in "Société Générale", saved as Windows-1252.
    let mut leads = b"lead_id,segment,score,scored_at,outcome\n".to_vec();
    for i in 0..100 {
        let segment: &[u8] = if i < 85 {
            b"Soci\xe9t\xe9 G\xe9n\xe9rale"
        } else {
            b"smb"
        };
        leads.extend_from_slice(format!("L{i},").as_bytes());
        leads.extend_from_slice(segment);
        leads.extend_from_slice(b",90,2026-01-15,won\n");
    }
    s.write("cp1252/leads.csv", leads);
    let (code, findings, stderr) = pipeline(&s, "cp1252", &[]);
    assert_eq!(code, Some(1), "{findings:#?}\n{stderr}");
    assert!(
        stderr.contains("note: leads.csv: 85 rows are not UTF-8; read as Windows-1252"),
        "{stderr}"
    );
    let f = fired(&findings, "pipeline.segment-lockout");
    assert_eq!(f["evidence"]["high_scored_leads"], 100);
    assert_eq!(f["evidence"]["top_segment"], "Société Générale");
    assert_eq!(f["evidence"]["top_share"], 0.85);
}

#[test]
fn a_figure_just_past_its_limit_does_not_read_as_the_limit() {
    let s = Scratch::new();
    s.write("r/routing.csv", routing_csv(10_000, 1001));
    let (code, findings, _) = pipeline(&s, "r", &[]);
    assert_eq!(code, Some(1));
    assert_eq!(
        fired(&findings, "pipeline.routing-disputes")["message"],
        "10.01% of AI-routed leads were disputed by reps (limit 10.00%)"
    );
}
