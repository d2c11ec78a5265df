//! Annotated source snippets: the line(s) of the draft with the match underlined, then why it
//! hurts and what to write instead.

use std::io::{IsTerminal, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use redline_rules::{Rule, Severity};
use redline_text::LineIndex;

use super::Located;
use crate::inputs::Input;

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

    /// Prints one finding.
    pub fn print(&self, input: &Input, index: &LineIndex, at: &Located, rule: Option<&Rule>) {
        let f = at.finding;
        let text = &input.text;
        let first = index.line_span(text, at.start.line - 1);
        let last_line = index.line_of(f.span.end.saturating_sub(1).max(f.span.start));
        let last = index.line_span(text, last_line);
        // The snippet shows whole lines, without carriage returns, so underlines line up.
        let raw = &text[first.start..last.end.max(first.start)];
        let source = raw.replace('\r', "");
        let shift = |offset: usize| {
            let within = offset.clamp(first.start, first.start + raw.len()) - first.start;
            within - raw[..within].matches('\r').count()
        };
        let span = shift(f.span.start)..shift(f.span.end);
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let mut elements = vec![
            Group::with_title(level.primary_title(f.message.as_str()).id(f.rule.as_str())).element(
                Snippet::source(source.as_str())
                    .line_start(at.start.line)
                    .path(input.name.as_str())
                    .annotation(AnnotationKind::Primary.span(span)),
            ),
        ];
        let mut notes = Vec::new();
        if let Some(rule) = rule {
            notes.push(Level::NOTE.message(format!("why: {}", one_line(&rule.why))));
            notes.push(Level::HELP.message(format!("instead: {}", one_line(&rule.instead))));
        }
        if let Some(fix) = &f.fix {
            let what = if fix.replacement.is_empty() {
                format!("delete \"{}\"", one_line(&text[fix.span.clone()]))
            } else {
                format!("replace with \"{}\"", fix.replacement)
            };
            notes.push(Level::HELP.message(format!("fix: {what}")));
        }
        if !notes.is_empty() {
            let group = elements.pop().expect("one group").elements(notes);
            elements.push(group);
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}\n", self.renderer.render(&elements));
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
