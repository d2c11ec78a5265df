//! Annotated source snippets: the line(s) of the draft with the match underlined, then why it
//! hurts, what to write instead, and the fix. Decoded message parts show the decoded text,
//! located by the file's line and column like every other format.

use std::cell::Cell;
use std::fmt::Write;
use std::io::IsTerminal;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use redline_rules::Severity;
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
    pub fn render(&self, doc: &Document, decoded: &Decoded, at: &Located, out: &mut String) {
        let f = at.finding;
        let text = doc.text();
        let index = &decoded.index;
        let start = decoded.position(text, f.span.start);
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
                format!("delete \"{}\"", quoted(&text[fix.span.clone()]))
            } else {
                format!("replace with \"{}\"", fix.replacement)
            };
            notes.push((Note::Help, format!("fix: {what}")));
        }
        let clipped = from > first.start;
        let span = shift(f.span.start)..shift(f.span.end);
        // The line shown and, for an excerpt of a long line, the file column shown above it
        // (as the renderer's layout below does).
        let shown = match (clipped, at.start) {
            (false, _) => Some((start.line + 1, None)),
            (true, Some((line, column))) => Some((line, Some(column))),
            (true, None) => None,
        };
        if let (true, None, Some((line, excerpt_of))) = (self.plain, &at.part, shown) {
            let simple = Simple {
                level: f.severity.as_str(),
                id: f.rule.as_str(),
                message: f.message.as_str(),
                path: name.as_ref(),
                line,
                excerpt_of,
                source: &source,
                span: span.clone(),
            };
            if simple.render(out) {
                if !notes.is_empty() {
                    plain_notes(out, gutter_width(start.line + 1), &notes);
                }
                out.push_str("\n\n");
                return;
            }
        }
        let snippet =
            Snippet::source(source.as_str()).annotation(AnnotationKind::Primary.span(span));
        let mut group =
            Group::with_title(level.primary_title(f.message.as_str()).id(f.rule.as_str()));
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

/// A finding in the simplest and commonest layout: one span within one line of printable
/// ASCII, with a title the renderer prints as it is. A line too long for the terminal is
/// shown as the renderer trims it: a window around the match, `...` where it was cut. An
/// excerpt of a longer line comes under the file position, as the renderer lays it out.
/// [`Simple::render`] writes what annotate-snippets' plain renderer writes for it (a test
/// holds the two to the same bytes), without its per-character styled buffer.
struct Simple<'a> {
    level: &'a str,
    id: &'a str,
    message: &'a str,
    path: &'a str,
    /// 1-based.
    line: usize,
    /// When `source` is an excerpt of a longer line: the match's column in the file (1-based,
    /// in characters), shown first, before the excerpt's own.
    excerpt_of: Option<usize>,
    source: &'a str,
    span: std::ops::Range<usize>,
}

/// The terminal width the plain renderer lays lines out for.
const TERM_WIDTH: usize = 140;

impl Simple<'_> {
    /// Writes the title, origin, line and underline into `out`; `false` (writing nothing)
    /// when the finding is not this simple.
    fn render(&self, out: &mut String) -> bool {
        let gutter = gutter_width(self.line);
        let printable = |s: &str| s.bytes().all(|b| (0x20..0x7f).contains(&b));
        // Text the renderer shows as it is: it replaces control characters, the zero-width
        // joiner and the bidirectional controls.
        let plain = |s: &str| {
            s.chars().all(|c| {
                c >= ' '
                    && !matches!(c, '\u{7f}' | '\u{200d}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
        };
        let simple = printable(self.source)
            && self.span.start < self.span.end
            && self.span.end <= self.source.len()
            && plain(self.message)
            && plain(self.id)
            && plain(self.path);
        let Some(shown) = simple
            .then(|| Window::of(self.source.len(), &self.span, TERM_WIDTH - gutter - 2))
            .flatten()
        else {
            return false;
        };
        // Spaces at either end of the line are laid out otherwise when shown, and a long run
        // of them at its start moves the window; an excerpt's ends are mostly cut off.
        let leading = self.source.len() - self.source.trim_start_matches(' ').len();
        if (leading > 0 && !(shown.cut_left && leading <= ELLIPSIS_ROOM))
            || (self.source.ends_with(' ') && !shown.cut_right)
        {
            return false;
        }
        let _ = writeln!(out, "{}[{}]: {}", self.level, self.id, self.message);
        let excerpt = match self.excerpt_of {
            Some(column) => {
                let _ = write!(
                    out,
                    "{:w$}--> {}:{}:{column}\n{:g$}|\n",
                    "",
                    self.path,
                    self.line,
                    "",
                    w = gutter - 1,
                    g = gutter,
                );
                " (excerpt)"
            }
            None => "",
        };
        let _ = write!(
            out,
            "{:w$}{} {}{excerpt}:{}:{}\n{:g$}|\n{} | {}{}{}\n{:g$}| {:s$}{}",
            "",
            if excerpt.is_empty() { "-->" } else { ":::" },
            self.path,
            self.line,
            self.span.start + 1,
            "",
            self.line,
            if shown.cut_left { "..." } else { "" },
            &self.source[shown.text.clone()],
            if shown.cut_right { "..." } else { "" },
            "",
            "",
            "^".repeat(self.span.end - self.span.start),
            w = gutter - 1,
            g = gutter,
            s = self.span.start - shown.left,
        );
        true
    }
}

/// What the renderer shows of a line too long for the terminal: the columns from `left`,
/// `...` over the first three when it cut the line there, and over the last three when it
/// cut the line's end.
struct Window {
    left: usize,
    cut_left: bool,
    cut_right: bool,
    /// The bytes of the line shown as they are.
    text: std::ops::Range<usize>,
}

/// Room the renderer keeps either side of a span for an ellipsis when it places the window.
const ELLIPSIS_ROOM: usize = 6;

impl Window {
    /// The window annotate-snippets' margin logic picks for a line of `len` one-column
    /// characters without leading spaces, `span` underlined, in `width` columns: the whole
    /// line if it fits, else the line's start if the span ends early enough, else the span
    /// centred. `None` when the span is too long to centre or reaches under an ellipsis (the
    /// renderer lays those out otherwise).
    fn of(len: usize, span: &std::ops::Range<usize>, width: usize) -> Option<Window> {
        let right_edge = span.end + ELLIPSIS_ROOM;
        let left_edge = span.start.saturating_sub(ELLIPSIS_ROOM);
        let left = if len <= width || right_edge <= width {
            0
        } else if right_edge - left_edge <= width {
            left_edge.saturating_sub((width - (right_edge - left_edge)) / 2)
        } else {
            return None;
        };
        let right = if len - left <= width {
            len
        } else {
            left + width
        };
        let (cut_left, cut_right) = (left > 0, right < len);
        let text = left + if cut_left { 3 } else { 0 }..right - if cut_right { 3 } else { 0 };
        (text.start <= span.start && span.end <= text.end).then_some(Window {
            left,
            cut_left,
            cut_right,
            text,
        })
    }
}

/// The gutter (the spaces before `|`) of a snippet whose last line is `line`.
fn gutter_width(line: usize) -> usize {
    line.to_string().len() + 1
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

/// The decoded text's line index, and where the last finding rendered starts: findings come
/// in order of their start, so each one's column is counted on from the one before on the
/// same line, and a long line is counted once, whatever the number of findings on it.
pub struct Decoded {
    index: Arc<LineIndex>,
    last: Cell<(usize, LinePos)>,
}

impl Decoded {
    /// Indexes `doc`'s text; or shares `input`, the index of the input bytes, when the text is
    /// those very bytes (a draft checked as written), so a large draft is indexed once.
    pub fn new(doc: &Document, input: (&[u8], &Arc<LineIndex>)) -> Self {
        let index = if std::ptr::eq(doc.text().as_bytes(), input.0) {
            Arc::clone(input.1)
        } else {
            Arc::new(LineIndex::new(doc.text()))
        };
        Decoded {
            index,
            last: Cell::new((0, LinePos::default())),
        }
    }

    /// The line and character column of byte `offset` of `text`, the text indexed.
    fn position(&self, text: &str, offset: usize) -> LinePos {
        let offset = offset.min(text.len());
        let line = self.index.line_of(offset);
        let (last, at) = self.last.get();
        let (from, column) = if at.line == line && last <= offset {
            (last, at.column)
        } else {
            (self.index.line_span(text, line).start, 0)
        };
        let position = LinePos {
            line,
            column: column + Unit::Chars.count(&text.as_bytes()[from..offset]),
        };
        self.last.set((offset, position));
        position
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

/// Text a note quotes, on one line; past [`QUOTED`] characters, its first and last
/// `QUOTED / 2` around ` … `. Only its ends are read: the sentence a fix deletes can be a
/// whole draft with no sentence end, and quoting it whole for each of its findings made the
/// output grow with their product.
fn quoted(s: &str) -> String {
    // Folding whitespace shortens text, so four bytes a character is room enough.
    let read = 4 * QUOTED;
    let (head, tail) = if s.len() <= 2 * read {
        let whole = one_line(s);
        if whole.chars().count() <= QUOTED {
            return whole;
        }
        (whole.clone(), whole)
    } else {
        let tail_start = (s.len() - read..=s.len())
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(s.len());
        (
            one_line(&s[..char_floor(s, read)]),
            one_line(&s[tail_start..]),
        )
    };
    let first: String = head.chars().take(QUOTED / 2).collect();
    let skip = tail.chars().count().saturating_sub(QUOTED / 2);
    let last: String = tail.chars().skip(skip).collect();
    format!("{} … {}", first.trim_end(), last.trim_start())
}

/// The most characters a note quotes whole.
const QUOTED: usize = 320;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_deletion_is_quoted_by_its_ends() {
        let sentence = "I hope this finds you well and that the quarter is going to plan.";
        assert_eq!(quoted(sentence), sentence);
        assert_eq!(quoted("Thanks,\r\n\r\n  Sam"), "Thanks, Sam");
        let long = format!(
            "Start here. {}and the end.",
            "word\t\u{1f600} ".repeat(100_000)
        );
        let shown = quoted(&long);
        assert!(
            shown.starts_with("Start here. word \u{1f600} word"),
            "{shown}"
        );
        assert!(shown.ends_with("word \u{1f600} and the end."), "{shown}");
        assert!(shown.contains(" … "));
        assert!(shown.chars().count() <= QUOTED + 3, "{shown}");
    }

    /// What the simple layout writes is what the renderer writes, for lines of every length
    /// up to where it starts trimming and well past it (the renderer then shows a window of
    /// the line), spans anywhere in them, and gutters of every width; what is not simple is
    /// left to the renderer.
    #[test]
    fn the_simple_layout_is_what_the_renderer_writes() {
        let renderer = Renderer::plain();
        let words =
            "I wanted to reach out because, honestly: we (the team) help 100% of teams - ok? ";
        let mut simple = 0;
        let mut windows = 0;
        let mut excerpts = 0;
        for len in (1..=150)
            .step_by(7)
            .chain([120, 121, 125, 126, 127, 128, 129, 130, 131])
            .chain((132..=300).step_by(3))
            .chain([1000, 4095])
        {
            for skip in [0, 1, 8] {
                // From the first word, from a space, and from inside a word.
                let source: String = words.chars().cycle().skip(skip).take(len).collect();
                let mut spans = vec![0..1, 0..len, len / 2..len, len / 3..(len / 3 + 5).min(len)];
                if len > 100 {
                    for start in (0..len).step_by(len / 40) {
                        for width in [1, 9, 60, 117, 122, 130] {
                            spans.push(start..(start + width).min(len));
                        }
                    }
                    spans.extend([len - 1..len, len - 4..len, 110..len]);
                }
                for line in [1, 9, 10, 99, 100, 12_345] {
                    for (i, span) in spans.iter().enumerate() {
                        for (level, name) in [(Level::ERROR, "error"), (Level::INFO, "info")] {
                            for excerpt_of in [None, Some(4_097 + span.start)] {
                                // The variants on a sample: the renderer takes its time.
                                if (skip > 0 || excerpt_of.is_some())
                                    && (len < 132 || line != 12_345 || i % 4 != 0)
                                {
                                    continue;
                                }
                                let message = "“Quoted” text: it's a message";
                                let mut ours = String::new();
                                let took = Simple {
                                    level: name,
                                    id: "pack.rule",
                                    message,
                                    path: "drafts/d 1.txt",
                                    line,
                                    excerpt_of,
                                    source: &source,
                                    span: span.clone(),
                                }
                                .render(&mut ours);
                                if !took {
                                    assert!(ours.is_empty());
                                    continue;
                                }
                                simple += 1;
                                windows += usize::from(ours.contains("..."));
                                excerpts += usize::from(excerpt_of.is_some() && skip > 0);
                                let title = level.clone().primary_title(message).id("pack.rule");
                                let snippet = Snippet::source(source.as_str())
                                    .annotation(AnnotationKind::Primary.span(span.clone()));
                                // As `Human::render` lays out each.
                                let group = match excerpt_of {
                                    None => Group::with_title(title)
                                        .element(snippet.path("drafts/d 1.txt").line_start(line)),
                                    Some(column) => Group::with_title(title)
                                        .element(
                                            Origin::path("drafts/d 1.txt")
                                                .line(line)
                                                .char_column(column),
                                        )
                                        .element(
                                            snippet
                                                .path("drafts/d 1.txt (excerpt)")
                                                .line_start(line),
                                        ),
                                };
                                assert_eq!(
                                    ours,
                                    renderer.render(&[group]),
                                    "{len} bytes from {skip}, line {line}, span {span:?}"
                                );
                            }
                        }
                    }
                }
            }
        }
        assert!(simple > 1000, "{simple} simple cases");
        assert!(windows > 10_000, "{windows} windows of long lines");
        assert!(
            excerpts > 1000,
            "{excerpts} excerpts with spaces at their ends"
        );
        let not = |source: &str, message: &str| {
            !Simple {
                level: "error",
                id: "p.r",
                message,
                path: "d.txt",
                line: 1,
                excerpt_of: None,
                source,
                span: 0..1,
            }
            .render(&mut String::new())
        };
        assert!(not("\tindented", "m"));
        assert!(not(" indented", "m"));
        assert!(not("caf\u{e9}", "m"));
        assert!(not("ok", "a\u{200d}b"));
        let too_long_to_centre = |width: usize| {
            !Simple {
                level: "error",
                id: "p.r",
                message: "m",
                path: "d.txt",
                line: 1,
                excerpt_of: None,
                source: &"x".repeat(400),
                span: 100..100 + width,
            }
            .render(&mut String::new())
        };
        assert!(!too_long_to_centre(120));
        assert!(too_long_to_centre(130));
    }

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
