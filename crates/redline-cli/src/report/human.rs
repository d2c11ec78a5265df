//! Annotated source snippets: the line(s) of the draft with the match underlined, then why it
//! hurts, what to write instead, and the fix. Decoded message parts show the decoded text,
//! located by the file's line and column like every other format.

use std::fmt::Write;
use std::io::IsTerminal;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use redline_rules::{Finding, Severity};
use redline_text::{Document, LineIndex, LinePos, Unit, one_line, printable};

use redline_report::Located;

/// Renders findings for a person.
pub struct Human {
    renderer: Renderer,
}

impl Human {
    /// Styled output on a terminal, plain otherwise (or with NO_COLOR set).
    pub fn new() -> Self {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        Human {
            renderer: if color {
                Renderer::styled()
            } else {
                Renderer::plain()
            },
        }
    }

    /// Renders one finding into `out`. The location is the input file's line and column, as in
    /// every other format; a match in a decoded message part then shows the decoded text under
    /// the part's name, with lines and columns counted in that part.
    pub fn render(
        &self,
        doc: &Document,
        decoded: &Decoded,
        i: usize,
        at: &Located,
        out: &mut String,
    ) {
        let f = at.finding;
        let text = doc.text();
        let index = &decoded.index;
        let start = decoded.starts[i];
        let first = index.line_span(text, start.line);
        let last = index.line_span(
            text,
            index.line_of(f.span.end.saturating_sub(1).max(f.span.start)),
        );
        // Whole lines around the match, but no more than CONTEXT bytes either side of it, so a
        // finding on a very long line costs no more than one on a short line.
        let from = char_floor(text, first.start.max(f.span.start.saturating_sub(CONTEXT)));
        let to = char_floor(
            text,
            last.end
                .max(first.start)
                .min(f.span.end.max(f.span.start) + CONTEXT),
        )
        .max(from);
        // Without carriage returns, so underlines line up.
        let raw = &text[from..to];
        let source = raw.replace('\r', "");
        let shift = |offset: usize| {
            let within = offset.clamp(from, to) - from;
            within - raw[..within].matches('\r').count()
        };
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        // A file name is the one thing here the draft's author did not write; it may hold
        // terminal escapes.
        let name = printable(at.name);
        let mut notes = Vec::new();
        if let Some(rule) = at.rule {
            notes.push(Level::NOTE.message(format!("why: {}", rule.why)));
            notes.push(Level::HELP.message(format!("instead: {}", rule.instead)));
        }
        if let Some(e) = f.evidence.as_ref().and_then(|e| e.score()) {
            let lines = e.lines().join("\n");
            notes.push(Level::NOTE.message(format!(
                "score {:.2} from (log-odds):\n{lines}",
                e.probability
            )));
        }
        if let Some(fix) = &f.fix {
            let what = if fix.replacement.is_empty() {
                format!("delete \"{}\"", one_line(&text[fix.span.clone()]))
            } else {
                format!("replace with \"{}\"", fix.replacement)
            };
            notes.push(Level::HELP.message(format!("fix: {what}")));
        }
        let snippet = Snippet::source(source.as_str())
            .annotation(AnnotationKind::Primary.span(shift(f.span.start)..shift(f.span.end)));
        let mut group =
            Group::with_title(level.primary_title(f.message.as_str()).id(f.rule.as_str()));
        let clipped = from > first.start;
        let snippet = match (&at.part, at.start) {
            // The text shown is the file's, whole lines: its own position is the file's.
            (None, _) if !clipped => snippet.path(name.as_ref()).line_start(start.line + 1),
            // Decoded text, or an excerpt of a long line: the file position first, then the
            // shown text's own, named.
            (part, Some((line, column))) => {
                group = group.element(Origin::path(name.as_ref()).line(line).char_column(column));
                match part {
                    Some(p) => {
                        let part_start = f.span.start - p.decoded.start;
                        snippet
                            .path(format!(
                                "decoded {} part {} ({})",
                                p.content_type, p.id, p.encoding
                            ))
                            .line_start(start.line - index.line_of(part_start) + 1)
                    }
                    None => snippet.path(format!("{name} (excerpt)")).line_start(line),
                }
            }
            // No place in the file (decoded text that maps to no input bytes).
            (part, None) => {
                let path = match part {
                    Some(p) => format!(
                        "{name} (decoded {} part {}, {})",
                        p.content_type, p.id, p.encoding
                    ),
                    None => name.to_string(),
                };
                snippet.path(path).line_start(start.line + 1)
            }
        };
        let group = group.element(snippet).elements(notes);
        let _ = writeln!(out, "{}\n", self.renderer.render(&[group]));
    }
}

/// How many bytes of a long line are shown either side of a match (the renderer trims further
/// to the terminal's width).
const CONTEXT: usize = 4096;

/// Where each finding starts in the decoded text, resolved in one pass.
pub struct Decoded {
    index: LineIndex,
    starts: Vec<LinePos>,
}

impl Decoded {
    /// Indexes `doc`'s text and resolves the start of every finding.
    pub fn new(doc: &Document, findings: &[Finding]) -> Self {
        let text = doc.text();
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = findings.iter().map(|f| f.span.start).collect();
        let starts = index.resolve(text.as_bytes(), &offsets, Unit::Chars);
        Decoded { index, starts }
    }
}

/// The largest char boundary of `text` at or below `offset`.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}
