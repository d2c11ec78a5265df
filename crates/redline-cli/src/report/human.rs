//! Annotated source snippets: the line(s) of the draft with the match underlined, then why it
//! hurts, what to write instead, and the fix. Decoded message parts show the decoded text.

use std::fmt::Write;
use std::io::IsTerminal;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use redline_rules::Severity;
use redline_text::{Document, LineIndex, one_line, printable};

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

    /// Renders one finding into `out`. Line numbers count lines of the text shown: the file
    /// for drafts checked as written, the decoded text for message parts.
    pub fn render(&self, doc: &Document, index: &LineIndex, at: &Located, out: &mut String) {
        let f = at.finding;
        let text = doc.text();
        let first_line = index.line_of(f.span.start);
        let first = index.line_span(text, first_line);
        let last = index.line_span(
            text,
            index.line_of(f.span.end.saturating_sub(1).max(f.span.start)),
        );
        // Whole lines, without carriage returns, so underlines line up.
        let raw = &text[first.start..last.end.max(first.start)];
        let source = raw.replace('\r', "");
        let shift = |offset: usize| {
            let within = offset.clamp(first.start, first.start + raw.len()) - first.start;
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
        let path = match &at.part {
            Some(p) => format!(
                "{name} (decoded {} part {}, {})",
                p.content_type, p.id, p.encoding
            ),
            None => name.into_owned(),
        };
        let mut notes = Vec::new();
        if let Some(rule) = at.rule {
            notes.push(Level::NOTE.message(format!("why: {}", rule.why)));
            notes.push(Level::HELP.message(format!("instead: {}", rule.instead)));
        }
        if let Some(fix) = &f.fix {
            let what = if fix.replacement.is_empty() {
                format!("delete \"{}\"", one_line(&text[fix.span.clone()]))
            } else {
                format!("replace with \"{}\"", fix.replacement)
            };
            notes.push(Level::HELP.message(format!("fix: {what}")));
        }
        let group = Group::with_title(level.primary_title(f.message.as_str()).id(f.rule.as_str()))
            .element(
                Snippet::source(source.as_str())
                    .line_start(first_line + 1)
                    .path(path.as_str())
                    .annotation(
                        AnnotationKind::Primary.span(shift(f.span.start)..shift(f.span.end)),
                    ),
            )
            .elements(notes);
        let _ = writeln!(out, "{}\n", self.renderer.render(&[group]));
    }
}
