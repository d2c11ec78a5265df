//! The data contract: the CSV exports the checks read, their columns, and parsing that counts
//! and reports bad rows by file and line instead of stopping.

use std::collections::BTreeMap;
use std::path::Path;

use redline_calendar::Day;

/// One export file and the columns the checks use.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// The file's name in the data folder, e.g. `leads.csv`.
    pub file: &'static str,
    /// The name the column mapping uses, e.g. `leads`.
    pub name: &'static str,
    /// The columns, as the checks name them.
    pub columns: &'static [&'static str],
}

/// `leads.csv`: one row per scored lead.
pub const LEADS: Table = Table {
    file: "leads.csv",
    name: "leads",
    columns: &["lead_id", "segment", "score", "scored_at", "outcome"],
};
/// `field_edits.csv`: one row per edit of a lead's field.
pub const FIELD_EDITS: Table = Table {
    file: "field_edits.csv",
    name: "field_edits",
    columns: &["lead_id", "field", "edited_at", "editor"],
};
/// `forecasts.csv`: one row per forecast deal.
pub const FORECASTS: Table = Table {
    file: "forecasts.csv",
    name: "forecasts",
    columns: &["deal_id", "month", "predicted", "outcome"],
};
/// `reps.csv`: one row per licensed rep.
pub const REPS: Table = Table {
    file: "reps.csv",
    name: "reps",
    columns: &["rep_id", "licensed_on"],
};
/// `usage_events.csv`: one row per day a rep used the tool.
pub const USAGE: Table = Table {
    file: "usage_events.csv",
    name: "usage_events",
    columns: &["rep_id", "date"],
};

/// `routing.csv` (optional): one row per routed lead, `disputed` yes/no.
pub const ROUTING: Table = Table {
    file: "routing.csv",
    name: "routing",
    columns: &["lead_id", "disputed"],
};
/// `recommendations.csv` (optional): one row per next-best-action shown, `accepted` yes/no.
pub const RECOMMENDATIONS: Table = Table {
    file: "recommendations.csv",
    name: "recommendations",
    columns: &["recommendation_id", "accepted"],
};
/// `calls.csv` (optional): one row per sales call, `recorded` yes/no.
pub const CALLS: Table = Table {
    file: "calls.csv",
    name: "calls",
    columns: &["call_id", "recorded"],
};

/// Every export the checks read, in the order they are read.
pub const TABLES: [Table; 8] = [
    LEADS,
    FIELD_EDITS,
    FORECASTS,
    REPS,
    USAGE,
    ROUTING,
    RECOMMENDATIONS,
    CALLS,
];

/// Column mappings by export: each column as the checks name it, to the export's header.
pub type Mappings = BTreeMap<String, BTreeMap<String, String>>;

/// The packs' column mappings (`[columns.<export>] column = "Header"`, by pack name) merged
/// into one, or what is wrong with them: an export or a column the checks do not know (a typo
/// would be ignored, and the check fail later on a column it "cannot find"), an empty header,
/// or two packs mapping one column to different headers.
pub fn merge_mappings<'p>(
    packs: impl IntoIterator<Item = (&'p str, &'p Mappings)>,
) -> Result<Mappings, Vec<String>> {
    let mut merged = Mappings::new();
    let mut from: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for (pack, columns) in packs {
        problems.extend(mapping_problems(pack, columns));
        for (export, mapping) in columns {
            for (column, header) in mapping {
                let mapped = merged.entry(export.clone()).or_default();
                match mapped.get(column) {
                    Some(earlier) if earlier != header => problems.push(format!(
                        "packs `{}` and `{pack}` map [columns.{export}] `{column}` to different headers (`{earlier}` and `{header}`)",
                        from[&(export.as_str(), column.as_str())]
                    )),
                    _ => {
                        mapped.insert(column.clone(), header.clone());
                        from.insert((export, column), pack);
                    }
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}

/// What is wrong with one pack's column mappings.
fn mapping_problems(pack: &str, columns: &Mappings) -> Vec<String> {
    let mut problems = Vec::new();
    for (export, mapping) in columns {
        let Some(table) = TABLES.iter().find(|t| t.name == export) else {
            let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
            problems.push(format!(
                "pack `{pack}`: [columns.{export}] names no export; the exports are {}",
                names.join(", ")
            ));
            continue;
        };
        for (column, header) in mapping {
            if !table.columns.contains(&column.as_str()) {
                problems.push(format!(
                    "pack `{pack}`: [columns.{export}] `{column}` is not a column the checks read in {}; they read {}",
                    table.file,
                    table.columns.join(", ")
                ));
            } else if header.trim().is_empty() {
                problems.push(format!(
                    "pack `{pack}`: [columns.{export}] `{column}` maps to an empty header"
                ));
            }
        }
    }
    problems
}

/// A yes/no value: `yes`/`no`, `true`/`false`, `1`/`0`.
pub fn yes_no(s: &str, what: &str) -> Result<bool, String> {
    redline_text::yes_no(s).ok_or_else(|| format!("{what} `{s}` is not yes or no"))
}

/// What reading one file found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    /// Rows read and used.
    pub rows: u64,
    /// Rows skipped as malformed.
    pub bad_rows: u64,
    /// The first few bad rows, as `file:line: problem`.
    pub problems: Vec<String>,
    /// Rows that were not UTF-8, read as Windows-1252 (as Excel saves CSV) instead.
    pub not_utf8_rows: u64,
}

/// Bad rows named one by one per file; the rest are only counted.
const PROBLEMS_SHOWN: usize = 5;

/// A row with its columns found by name.
pub struct Row<'a> {
    record: &'a csv::StringRecord,
    at: &'a [usize],
}

impl Row<'_> {
    /// The value of the table's `i`-th column (in [`Table::columns`] order).
    pub fn get(&self, i: usize) -> &str {
        self.record.get(self.at[i]).unwrap_or("").trim()
    }
}

/// How reading a file ended.
pub enum Read {
    /// The file is not there.
    Missing,
    /// It could not be read at all (a header without the needed columns, an I/O error).
    Failed(String),
    /// Read, with this report.
    Done(FileReport),
}

/// Reads `table` from `dir`, calling `each` with every row; a row `each` rejects is counted
/// as bad with its reason. `mapping` renames columns: check's name → the export's header.
///
/// A file that is empty, binary, lacks a needed column or has it twice, has no usable row,
/// has rows swallowed by a quoted field closed lines later, or ends inside a quote opened on
/// some line (which would swallow every row after it) has failed: the checks that need it
/// are skipped and the run reports the file.
pub fn read(
    dir: &Path,
    table: Table,
    mapping: &BTreeMap<String, String>,
    mut each: impl FnMut(&Row) -> Result<(), String>,
) -> Read {
    let path = dir.join(table.file);
    let shown = path.display().to_string();
    // A name that is there but is no file (a folder, a link to nothing) cannot be read; only
    // a name that is not there at all is missing.
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => {}
        Ok(m) if m.is_dir() => return Read::Failed(format!("{shown}: cannot read: a folder")),
        Ok(_) => return Read::Failed(format!("{shown}: cannot read: not a regular file")),
        Err(_) if std::fs::symlink_metadata(&path).is_ok() => {
            return Read::Failed(format!(
                "{shown}: cannot read: a link to nothing (broken symbolic link)"
            ));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Read::Missing,
        Err(e) => return Read::Failed(format!("{shown}: cannot read: {e}")),
    }
    match sniff(&path) {
        Ok(None) => {}
        Ok(Some(why)) => return Read::Failed(format!("{shown}: {why}")),
        Err(e) => return Read::Failed(format!("{shown}: {e}")),
    }
    let mut reader = match csv::ReaderBuilder::new().flexible(true).from_path(&path) {
        Ok(r) => r,
        Err(e) => return Read::Failed(format!("{shown}: {e}")),
    };
    let headers = match reader.byte_headers() {
        Ok(h) => {
            let mut headers = csv::StringRecord::new();
            decode(h, &mut headers);
            headers
        }
        Err(e) => return Read::Failed(format!("{shown}: {e}")),
    };
    let mut at = Vec::new();
    for column in table.columns {
        let wanted = mapping.get(*column).map_or(*column, String::as_str);
        let mut matching = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim().eq_ignore_ascii_case(wanted))
            .map(|(i, _)| i);
        match matching.next() {
            Some(i) => {
                if let Some(j) = matching.next() {
                    return Read::Failed(format!(
                        "{shown}:1: column `{wanted}` is there twice (columns {} and {}); \
                         rename or remove one",
                        i + 1,
                        j + 1
                    ));
                }
                at.push(i);
            }
            None => {
                return Read::Failed(format!(
                    "{shown}:1: no `{wanted}` column (has: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    let mut lines = match std::fs::File::open(&path) {
        Ok(f) => Lines::new(f),
        Err(e) => return Read::Failed(format!("{shown}: cannot read: {e}")),
    };
    let mut report = FileReport::default();
    let (mut raw, mut record) = (csv::ByteRecord::new(), csv::StringRecord::new());
    // The last record that spanned lines: where it started (line, byte).
    let mut multi_line = None;
    // The first quoted field that swallowed rows and was closed later, as the failure.
    let mut swallowed = None;
    // Where the record just read starts, as a byte offset; its line is counted only when a
    // message names it, so a clean file is read once.
    let mut start;
    loop {
        let problem = match reader.read_byte_record(&mut raw) {
            Ok(false) => break,
            Ok(true) => {
                report.not_utf8_rows += u64::from(!decode(&raw, &mut record));
                start = raw.position().map_or(0, csv::Position::byte);
                let spans_lines = raw.as_slice().iter().any(|&b| b == b'\n' || b == b'\r');
                multi_line = spans_lines.then(|| (lines.line_at(start), lines.at));
                if spans_lines
                    && swallowed.is_none()
                    && let Some(quote) = swallowing_field(&record, headers.len())
                {
                    let opened = lines.line_at(start) + quote.before;
                    swallowed = Some(format!(
                        "{shown}:{opened}: a quote opened on this line is closed only on line {}; \
                         it swallowed the {} rows in between, so the file is malformed",
                        opened + quote.breaks,
                        quote.rows
                    ));
                }
                if at.iter().any(|&i| i >= record.len()) {
                    Some(format!(
                        "the row has only {} of the header's {} fields",
                        record.len(),
                        headers.len()
                    ))
                } else if (record.iter().skip(headers.len())).any(|f| !f.trim().is_empty()) {
                    // A value holding the delimiter unquoted (`Acme, Inc`) shifts every column
                    // after it: its values would be read under the wrong names.
                    Some(format!(
                        "the row has {} fields, the header {}: a value holding a comma must be quoted",
                        record.len(),
                        headers.len()
                    ))
                } else {
                    each(&Row {
                        record: &record,
                        at: &at,
                    })
                    .err()
                }
            }
            Err(e) => {
                start = e.position().map_or(0, csv::Position::byte);
                Some(e.to_string())
            }
        };
        match problem {
            None => report.rows += 1,
            Some(why) => {
                report.bad_rows += 1;
                if report.problems.len() < PROBLEMS_SHOWN {
                    let line = lines.line_at(start);
                    report.problems.push(format!("{shown}:{line}: {why}"));
                }
            }
        }
    }
    if let Some((line, byte)) = multi_line
        && let Some((opened, swallowed)) = redline_text::swallowed_by_open_quote(&path, line, byte)
    {
        return Read::Failed(format!(
            "{shown}:{opened}: a quote opened on this line is never closed; it swallowed the \
             {swallowed} rows after it, so the file is malformed"
        ));
    }
    if let Some(why) = swallowed {
        return Read::Failed(why);
    }
    if report.rows == 0 {
        return Read::Failed(match report.problems.first() {
            None => format!("{shown}: no rows after the header"),
            Some(first) => format!(
                "{shown}: none of its {} rows could be used (first: {first})",
                report.bad_rows
            ),
        });
    }
    Read::Done(report)
}

/// A quoted field that runs over several lines and holds lines shaped like rows of the file:
/// a stray quote closed by another one lines later, which made the rows between one field.
#[derive(Debug, PartialEq, Eq)]
struct Swallowing {
    /// Line breaks in the record before the field (so the quote opened that many lines
    /// below the record's first line).
    before: u64,
    /// Line breaks inside the field.
    breaks: u64,
    /// The non-empty whole lines inside it (neither the opening nor the closing line).
    rows: u64,
}

/// The first field of `record` that swallowed rows: one whose whole lines (between the line
/// its quote opened on and the line it closed on) include one with the file's delimiter count
/// (`columns` − 1 commas). A note with a line break, or a list on several lines, has no such
/// line and is read as the one field it is.
fn swallowing_field(record: &csv::StringRecord, columns: usize) -> Option<Swallowing> {
    let commas = columns.checked_sub(1).filter(|&c| c > 0)?;
    let mut before = 0;
    for field in record {
        let breaks = line_breaks(field);
        if breaks >= 2 {
            let whole: Vec<&str> = field
                .split("\r\n")
                .flat_map(|l| l.split(['\n', '\r']))
                .collect();
            let inner = &whole[1..whole.len() - 1];
            if inner
                .iter()
                .any(|l| l.bytes().filter(|&b| b == b',').count() == commas)
            {
                return Some(Swallowing {
                    before,
                    breaks,
                    rows: inner.iter().filter(|l| !l.trim().is_empty()).count() as u64,
                });
            }
        }
        before += breaks;
    }
    None
}

/// Line breaks in `s`: `\r\n`, `\n` or a lone `\r` each count once.
fn line_breaks(s: &str) -> u64 {
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && b.get(i + 1) != Some(&b'\n')))
        .count() as u64
}

/// Line numbers of byte offsets in a file, counted forward as the records stream by (the CSV
/// reader's own count is one short after a CRLF header and skips blank lines). `\r\n`, `\n`
/// and a lone `\r` each end a line, as they do for the CSV reader.
struct Lines {
    file: std::io::BufReader<std::fs::File>,
    /// Bytes counted so far.
    at: u64,
    /// Line breaks before `at`.
    breaks: u64,
    /// The byte before `at` was a `\r` (a `\n` right after it ends no new line).
    after_cr: bool,
}

impl Lines {
    fn new(file: std::fs::File) -> Self {
        Lines {
            file: std::io::BufReader::with_capacity(64 * 1024, file),
            at: 0,
            breaks: 0,
            after_cr: false,
        }
    }

    /// The 1-based line of the record that starts at byte `offset` (at or after every offset
    /// asked before): the blank lines the CSV reader skipped there are passed over. A file that
    /// cannot be read again gives the line of the last byte read.
    fn line_at(&mut self, offset: u64) -> u64 {
        use std::io::BufRead as _;
        while let Ok(buf) = self.file.fill_buf() {
            let n = if self.at < offset {
                buf.len().min((offset - self.at) as usize)
            } else {
                buf.iter()
                    .take_while(|&&b| b == b'\n' || b == b'\r')
                    .count()
            };
            if n == 0 {
                break;
            }
            for &b in &buf[..n] {
                if b == b'\n' && !self.after_cr || b == b'\r' {
                    self.breaks += 1;
                }
                self.after_cr = b == b'\r';
            }
            self.file.consume(n);
            self.at += n as u64;
        }
        self.breaks + 1
    }
}

/// Puts CSV record `raw` into `record` as text; `false` when it was not all UTF-8. A field
/// that is not is read as `redline check` reads mail: UTF-8, with each byte that is not read
/// as Windows-1252 (the encoding Excel saves CSV in on Western Windows systems), so an
/// accented segment name costs no row and a UTF-8 one beside it keeps its letters.
fn decode(raw: &csv::ByteRecord, record: &mut csv::StringRecord) -> bool {
    record.clear();
    let mut utf8 = true;
    for field in raw {
        match std::str::from_utf8(field) {
            Ok(text) => record.push_field(text),
            Err(_) => {
                // The drafts' decoding: UTF-8, and each byte that is not as Windows-1252.
                utf8 = false;
                let (text, _) =
                    redline_text::Charset::Utf8.decode(field, redline_text::Origin::At(0));
                record.push_field(&text);
            }
        }
    }
    utf8
}

/// Why the file cannot be a CSV export at all: empty, or binary (a NUL byte in its first
/// 8 KiB).
fn sniff(path: &Path) -> std::io::Result<Option<&'static str>> {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)?
        .take(8192)
        .read_to_end(&mut head)?;
    Ok(if head.iter().all(u8::is_ascii_whitespace) {
        Some("empty (no header row)")
    } else if head.contains(&0) {
        Some("not a CSV file (binary data)")
    } else {
        None
    })
}

/// A calendar day as days since 1970-01-01, from `YYYY-MM-DD` (a time after it is ignored).
pub fn day(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}` is not a date (YYYY-MM-DD)");
    let (date, rest) = (s.get(..10).ok_or_else(bad)?, &s[10..]);
    if !(rest.is_empty() || rest.starts_with(['T', ' '])) {
        return Err(bad());
    }
    date.parse::<Day>().map(Day::days).map_err(|_| bad())
}

/// A month as `YYYY-MM`, from `YYYY-MM` or a date.
pub fn month(s: &str) -> Result<String, String> {
    let bad = || format!("`{s}` is not a month (YYYY-MM)");
    let first = if s.len() == 7 {
        format!("{s}-01").parse::<Day>().map_err(|_| bad())?
    } else {
        Day::from_days(day(s).map_err(|_| bad())?)
    };
    Ok(first.month_key())
}

/// The month (`YYYY-MM`) of a day number.
pub fn month_of(day: i64) -> String {
    Day::from_days(day).month_key()
}

/// A number in `lo..=hi`.
pub fn number_in(s: &str, lo: f64, hi: f64, what: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        Ok(v) => Err(format!("{what} {v} is outside {lo}..{hi}")),
        Err(_) => Err(format!("{what} `{s}` is not a number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_with_utf8_and_windows_1252_bytes_keeps_both() {
        let mut raw = csv::ByteRecord::new();
        raw.push_field(b"Caf\xc3\xa9 Rene\x92s");
        raw.push_field(b"smb");
        let mut record = csv::StringRecord::new();
        assert!(!decode(&raw, &mut record));
        assert_eq!(record.get(0), Some("Café Rene’s"));
        assert_eq!(record.get(1), Some("smb"));
    }

    #[test]
    fn dates_months_and_numbers() {
        assert_eq!(day("1970-01-02"), Ok(1));
        assert_eq!(
            day("2026-03-01T09:30:00Z").map(month_of),
            Ok("2026-03".into())
        );
        assert!(day("2026-02-30").is_err());
        assert!(day("2026-13-01").is_err());
        assert!(day("yesterday").is_err());
        assert!(day("2026-03-01junk").is_err());
        assert_eq!(month("2026-03").as_deref(), Ok("2026-03"));
        assert_eq!(month("2026-03-15").as_deref(), Ok("2026-03"));
        assert!(month("2026-3").is_err());
        assert_eq!(number_in("71.5", 0.0, 100.0, "score"), Ok(71.5));
        assert!(
            number_in("140", 0.0, 100.0, "score")
                .unwrap_err()
                .contains("outside")
        );
        assert!(number_in("high", 0.0, 100.0, "score").is_err());
        assert_eq!(yes_no("Yes", "x"), Ok(true));
        assert_eq!(yes_no("0", "x"), Ok(false));
        assert!(yes_no("maybe", "x").is_err());
    }

    /// Reads `routing.csv` holding `text` from a fresh folder; returns the outcome and the
    /// ids the rows carried.
    fn read_routing(name: &str, text: &[u8]) -> (Read, Vec<String>) {
        let dir = std::env::temp_dir().join(format!("redline-data-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("routing.csv"), text).unwrap();
        let mut ids = Vec::new();
        let read = read(&dir, ROUTING, &BTreeMap::new(), |row| {
            yes_no(row.get(1), "disputed")?;
            ids.push(row.get(0).to_string());
            Ok(())
        });
        std::fs::remove_dir_all(&dir).unwrap();
        (read, ids)
    }

    fn failure(read: Read) -> String {
        match read {
            Read::Failed(why) => why,
            Read::Done(r) => panic!("read, {r:?}"),
            Read::Missing => panic!("missing"),
        }
    }

    #[test]
    fn an_open_quote_names_its_line_and_the_rows_it_swallowed() {
        let (read, _) = read_routing(
            "quote",
            b"lead_id,disputed\nL1,no\nL2,\"yes\nL3,no\nL4,yes\nL5,no\n",
        );
        let why = failure(read);
        assert!(
            why.ends_with("routing.csv:3: a quote opened on this line is never closed; it swallowed the 3 rows after it, so the file is malformed"),
            "{why}"
        );
        let (read, ids) = read_routing(
            "multi-line",
            b"lead_id,disputed\n\"L1\nsecond line\",no\nL2,yes\n",
        );
        assert!(matches!(read, Read::Done(FileReport { rows: 2, .. })));
        assert_eq!(
            ids,
            ["L1\nsecond line", "L2"],
            "a closed multi-line field is fine"
        );
    }

    #[test]
    fn bad_rows_are_named_by_the_line_they_are_on() {
        let cases: [(&str, &[u8], &str); 5] = [
            ("crlf", b"lead_id,disputed\r\nL1,no\r\nL2,maybe\r\n", ":3: "),
            ("blank", b"lead_id,disputed\nL1,no\n\n\nL2,maybe\n", ":5: "),
            (
                "bom-crlf-blank",
                b"\xEF\xBB\xBFlead_id,disputed\r\n\r\nL1,no\r\n\r\nL2,maybe\r\n",
                ":5: ",
            ),
            ("cr", b"lead_id,disputed\rL1,no\rL2,maybe\r", ":3: "),
            (
                "multi-line",
                b"lead_id,disputed\n\"L1\nsecond\",no\nL2,maybe\n",
                ":4: ",
            ),
        ];
        for (name, text, want) in cases {
            let Read::Done(report) = read_routing(name, text).0 else {
                panic!("{name}: not read")
            };
            assert!(
                report.problems[0].contains(&format!("routing.csv{want}disputed `maybe`")),
                "{name}: {:?}",
                report.problems
            );
        }
        let (read, _) = read_routing("short", b"lead_id,disputed\nL1\nL2,no\n");
        let Read::Done(report) = read else {
            panic!("short: not read")
        };
        assert!(
            report.problems[0]
                .ends_with("routing.csv:2: the row has only 1 of the header's 2 fields"),
            "{:?}",
            report.problems
        );
        // A value with an unquoted comma shifts the columns; empty extra fields do not.
        let (read, _) = read_routing(
            "long",
            b"lead_id,disputed
L1,Acme, Inc,no
L2,no,
",
        );
        let Read::Done(report) = read else {
            panic!("long: not read")
        };
        assert_eq!((report.rows, report.bad_rows), (1, 1));
        assert!(
            report.problems[0].ends_with(
                "routing.csv:2: the row has 4 fields, the header 2: a value holding a comma must be quoted"
            ),
            "{:?}",
            report.problems
        );
        let why = failure(
            read_routing(
                "blank-quote",
                b"lead_id,disputed\n\nL1,no\n\n\"L2,no\nL3,no\n",
            )
            .0,
        );
        assert!(why.contains("routing.csv:5: a quote opened on this line is never closed; it swallowed the 1 rows"), "{why}");
    }

    #[test]
    fn a_folder_or_a_broken_link_cannot_be_read_and_is_not_missing() {
        let dir = std::env::temp_dir().join(format!("redline-data-notfile-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("routing.csv")).unwrap();
        let why = failure(read(&dir, ROUTING, &BTreeMap::new(), |_| Ok(())));
        assert!(why.ends_with("routing.csv: cannot read: a folder"), "{why}");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.join("gone.csv"), dir.join("calls.csv")).unwrap();
            let why = failure(read(&dir, CALLS, &BTreeMap::new(), |_| Ok(())));
            assert!(
                why.ends_with("calls.csv: cannot read: a link to nothing (broken symbolic link)"),
                "{why}"
            );
        }
        assert!(matches!(
            read(&dir, LEADS, &BTreeMap::new(), |_| Ok(())),
            Read::Missing
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn empty_binary_headless_and_unusable_files_fail() {
        let cases: [(&str, &[u8], &str); 6] = [
            ("empty", b"", "routing.csv: empty (no header row)"),
            (
                "binary",
                b"PK\x03\x04\x00\x00lead_id",
                "routing.csv: not a CSV file (binary data)",
            ),
            (
                "headless",
                b"a,b\n1,2\n",
                "routing.csv:1: no `lead_id` column (has: a, b)",
            ),
            (
                "duplicate",
                b"lead_id,Disputed,note,disputed\nL1,no,,yes\n",
                "routing.csv:1: column `disputed` is there twice (columns 2 and 4); rename or remove one",
            ),
            (
                "header-only",
                b"lead_id,disputed\n",
                "routing.csv: no rows after the header",
            ),
            (
                "unusable",
                b"lead_id,disputed\nL1,maybe\n",
                "routing.csv: none of its 1 rows could be used (first: ",
            ),
        ];
        for (name, text, want) in cases {
            let why = failure(read_routing(name, text).0);
            assert!(why.contains(want), "{name}: {why}");
        }
    }
}
