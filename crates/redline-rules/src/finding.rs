//! What a check reports.

use std::ops::Range;

use serde::Serialize;

use crate::Severity;

/// A rule firing on a span of the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's id.
    pub rule: String,
    /// The rule's severity, after configuration.
    pub severity: Severity,
    /// The rule's message with the match and figures filled in.
    pub message: String,
    /// Byte offsets into the checked document's text: the input itself for a plain UTF-8
    /// draft, else the decoded text (`Document::input_span` leads back to the input's bytes).
    pub span: Range<usize>,
    /// The document's text at `span`.
    pub matched: String,
    /// Alternatives to offer the writer.
    pub suggestions: Vec<String>,
    /// A mechanical fix, where the rule has one.
    pub fix: Option<Edit>,
}

/// A text edit: replace the bytes at `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Byte offsets into the checked document's text, as [`Finding::span`].
    pub span: Range<usize>,
    /// The new text (empty to delete).
    pub replacement: String,
}
