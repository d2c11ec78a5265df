//! Hovers: the finding under the cursor, explained.

use std::sync::Arc;

use redline_text::LineIndex;
use tower_lsp_server::ls_types::{
    Hover, HoverContents, HoverParams, MarkupContent, MarkupKind, Position, Uri,
};

use crate::checker::{Checked, Snapshot};
use crate::server::Backend;
use crate::{convert, explain};

impl Backend {
    /// The hover for a position: the finding there with its rule's explanation, if any.
    pub(crate) async fn hover_at(&self, params: HoverParams) -> Option<Hover> {
        let p = params.text_document_position_params;
        let (snap, checked, i) = self.finding_at(&p.text_document.uri, p.position).await?;
        let f = &checked.findings[i];
        let rule = checked.linter.rule(&f.rule)?;
        let index = LineIndex::new(&snap.text);
        let range = checked
            .draft
            .doc
            .input_span(f.span.clone())
            .map(|s| convert::range(&snap.text, &index, s, snap.encoding));
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: explain::finding_markdown(f, rule),
            }),
            range,
        })
    }

    /// The finding at an editor position, with the draft it is in.
    async fn finding_at(
        &self,
        uri: &Uri,
        pos: Position,
    ) -> Option<(Snapshot, Arc<Checked>, usize)> {
        let (snap, checked) = self.current(uri).await?;
        let index = LineIndex::new(&snap.text);
        let offset = convert::offset(&snap.text, &index, pos, snap.encoding)?;
        let i = checked.findings.iter().position(|f| {
            checked
                .draft
                .doc
                .input_span(f.span.clone())
                .is_some_and(|r| r.start <= offset && offset <= r.end)
        })?;
        Some((snap, checked, i))
    }
}
