//! Inline markers: a draft silences rules for itself with
//! `<!-- redline-disable RULE[, RULE ...] -->`.

use std::collections::HashSet;
use std::sync::LazyLock;

use redline_text::{DISABLE_MARKER as MARKER, Document, RegionKind};

/// The rule ids the draft's markers silence.
pub(crate) fn disabled_by_markers<'d>(doc: &'d Document) -> HashSet<&'d str> {
    markers(doc).filter(|m| m.own).map(|m| m.id).collect()
}

/// A rule id named by an inline marker.
pub(crate) struct Named<'d> {
    /// The id as written.
    pub id: &'d str,
    /// Where the id is in the draft's text.
    pub span: std::ops::Range<usize>,
    /// Whether the marker is the draft's own. One in a quoted reply, a forwarded message or
    /// a signature block is not (an earlier draft quoted back, a signature template), and
    /// silences nothing.
    pub own: bool,
}

/// Every rule id the draft's markers name, in order.
pub(crate) fn markers<'d>(doc: &'d Document) -> impl Iterator<Item = Named<'d>> + 'd {
    static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(MARKER));
    let text = doc.text();
    FINDER
        .find_iter(text.as_bytes())
        .filter(move |&at| text[..at].trim_end().ends_with("<!--"))
        .flat_map(move |at| {
            let own = !doc
                .region_at(at)
                .is_some_and(|r| matches!(r.kind, RegionKind::Quoted | RegionKind::Signature));
            let rest = &text[at + MARKER.len()..];
            let end = rest.find("-->").unwrap_or(rest.len());
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let ids_at = at + MARKER.len();
            rest[..end.min(line_end)]
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(move |id| {
                    // `id` is a slice of `rest`, which starts at `ids_at` in the text.
                    let start = ids_at + (id.as_ptr() as usize - rest.as_ptr() as usize);
                    Named {
                        id,
                        span: start..start + id.len(),
                        own,
                    }
                })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_from_html_comments_only() {
        let doc = Document::parse(
            "Hi\n<!-- redline-disable a.b, a.c -->\n<!--redline-disable a.d-->\nredline-disable a.e\n",
        );
        let ids = disabled_by_markers(&doc);
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["a.b", "a.c", "a.d"]);
    }

    #[test]
    fn markers_in_quotes_forwards_and_signatures_are_not_the_drafts_own() {
        for (text, own) in [
            (
                "Hi Dana,\n\nSee below.\n\nOn Mon, Sam wrote:\n> <!-- redline-disable a.b -->\n> hi\n",
                false,
            ),
            (
                "Hi Dana,\n\nSee below.\n\n-- \nJordan\n<!-- redline-disable a.b -->\n",
                false,
            ),
            (
                "Hi Dana,\n\nSee below.\n\n---------- Forwarded message ---------\nFrom: Sam\n\n<!-- redline-disable a.b -->\n",
                false,
            ),
            (
                "<!-- redline-disable a.b -->\nHi Dana,\n\nSee below.\n",
                true,
            ),
            (
                "Hi Dana,\n\nSee below.\n\nBest,\nJordan\n\n<!-- redline-disable a.b -->\n",
                true,
            ),
        ] {
            let doc = Document::parse(text);
            assert_eq!(disabled_by_markers(&doc).contains("a.b"), own, "{text:?}");
        }
    }

    #[test]
    fn a_misspelt_or_quoted_marker_is_named_in_a_note() {
        let linter = crate::Linter::builder().build().unwrap();
        let doc = Document::parse(
            "<!-- redline-disable corporate-ai.hype-verb, corporate-ai.hype-verbs -->\nHi Dana,\n\nWe leverage it.\n\nOn Mon, Sam wrote:\n> <!-- redline-disable corporate-ai.long-draft -->\n",
        );
        assert_eq!(
            linter.marker_notes(&doc),
            [
                "inline marker names unknown rule `corporate-ai.hype-verb`; did you mean `corporate-ai.hype-verbs`?",
                "inline marker for `corporate-ai.long-draft` is in a quoted reply or a signature block; it silences nothing",
            ]
        );
        assert!(
            linter
                .check_document(&doc)
                .iter()
                .all(|f| f.rule != "corporate-ai.hype-verbs")
        );
        let spans: Vec<&str> = linter
            .marker_problems(&doc)
            .into_iter()
            .map(|(span, _)| &doc.text()[span])
            .collect();
        assert_eq!(spans, ["corporate-ai.hype-verb", "corporate-ai.long-draft"]);
    }
}
