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
    /// Plain text: the notes are written here rather than by the renderer (see [`notes`]).
    plain: bool,
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
            plain: !color,
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
            notes.push((Note::Note, format!("why: {}", rule.why)));
            notes.push((Note::Help, format!("instead: {}", rule.instead)));
        }
        if let Some(e) = f.evidence.as_ref().and_then(|e| e.score()) {
            let lines = e.lines().join("\n");
            notes.push((
                Note::Note,
                format!("score {:.2} from (log-odds):\n{lines}", e.probability),
            ));
        }
        if let Some(fix) = &f.fix {
            let what = if fix.replacement.is_empty() {
                format!("delete \"{}\"", one_line(&text[fix.span.clone()]))
            } else {
                format!("replace with \"{}\"", fix.replacement)
            };
            notes.push((Note::Help, format!("fix: {what}")));
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
        let group = group.element(snippet);
        if self.plain && !notes.is_empty() {
            let bare = self.renderer.render(std::slice::from_ref(&group));
            if let Some(gutter) = gutter_of(&bare) {
                out.push_str(&bare);
                plain_notes(out, gutter, &notes);
                out.push_str("\n\n");
                return;
            }
        }
        let group = group.elements(notes.iter().map(|(note, text)| {
            match note {
                Note::Note => Level::NOTE,
                Note::Help => Level::HELP,
            }
            .message(text.as_str())
        }));
        let _ = writeln!(out, "{}\n", self.renderer.render(&[group]));
    }
}

/// The kind of a note under a snippet.
#[derive(Clone, Copy)]
enum Note {
    Note,
    Help,
}

/// The width of the renderer's gutter (the spaces before `|`) in a rendered snippet, read from
/// its last line (`  |     ^^^^`); `None` when that line is not a gutter line.
fn gutter_of(rendered: &str) -> Option<usize> {
    let last = rendered.rsplit('\n').next()?;
    let gutter = last.len() - last.trim_start_matches(' ').len();
    (gutter > 0 && last[gutter..].starts_with('|')).then_some(gutter)
}

/// Writes `notes` as annotate-snippets' plain renderer does after a snippet whose gutter is
/// `gutter` spaces wide: a `|` line, then `= note: text`, further lines of a note aligned under
/// its text. The renderer lays out every character through a styled buffer, which costs more
/// than the rest of a check for notes this long; a test holds the two to the same bytes.
fn plain_notes(out: &mut String, gutter: usize, notes: &[(Note, String)]) {
    let _ = write!(out, "\n{:gutter$}|", "");
    for (note, text) in notes {
        let label = match note {
            Note::Note => "note",
            Note::Help => "help",
        };
        let mut lines = text.split('\n');
        let _ = write!(
            out,
            "\n{:gutter$}= {label}: {}",
            "",
            lines.next().unwrap_or_default()
        );
        let indent = gutter + 2 + label.len() + 2;
        for line in lines {
            let _ = write!(out, "\n{:indent$}{line}", "");
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The notes written here match the renderer's own, byte for byte: one-line and
    /// multi-line notes, under one-line and multi-line spans, with gutters of every width.
    #[test]
    fn plain_notes_are_what_the_renderer_writes() {
        let renderer = Renderer::plain();
        let source = "I wanted to\nreach out because\tyou\u{1b} matter\nto us.";
        let notes = [
            (
                Note::Note,
                "why: a reason, with “quotes” and \t tabs".to_string(),
            ),
            (Note::Help, "instead: something else".to_string()),
            (
                Note::Note,
                "score 0.80 from (log-odds):\n+1.25  list_lines = 0.30\n\n-0.36  x".to_string(),
            ),
            (Note::Help, "fix: delete \"I wanted to\"".to_string()),
        ];
        for line_start in [1, 9, 10, 99, 100, 12_345] {
            for span in [0..11, 2..20, 12..source.len(), 30..31] {
                for count in 1..=notes.len() {
                    let group = || {
                        Group::with_title(Level::ERROR.primary_title("m").id("p.r")).element(
                            Snippet::source(source)
                                .path("d.txt")
                                .line_start(line_start)
                                .annotation(AnnotationKind::Primary.span(span.clone())),
                        )
                    };
                    let whole = group().elements(notes[..count].iter().map(|(n, t)| {
                        match n {
                            Note::Note => Level::NOTE,
                            Note::Help => Level::HELP,
                        }
                        .message(t.as_str())
                    }));
                    let expected = renderer.render(&[whole]);
                    let mut ours = renderer.render(&[group()]);
                    let gutter = gutter_of(&ours).expect("a snippet ends in a gutter line");
                    plain_notes(&mut ours, gutter, &notes[..count]);
                    assert_eq!(ours, expected, "line {line_start}, span {span:?}");
                }
            }
        }
    }
}
