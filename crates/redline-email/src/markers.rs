//! Inline markers: a draft silences rules for itself with
//! `<!-- redline-disable RULE[, RULE ...] -->`.

use std::collections::HashSet;
use std::sync::LazyLock;

use redline_text::DISABLE_MARKER as MARKER;

/// The rule ids the draft's markers silence.
pub(crate) fn disabled_by_markers(text: &str) -> HashSet<String> {
    static FINDER: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(MARKER));
    let mut ids = HashSet::new();
    for at in FINDER.find_iter(text.as_bytes()) {
        let before = text[..at].trim_end();
        if !before.ends_with("<!--") {
            continue;
        }
        let rest = &text[at + MARKER.len()..];
        let end = rest.find("-->").unwrap_or(rest.len());
        let line_end = rest.find('\n').unwrap_or(rest.len());
        ids.extend(
            rest[..end.min(line_end)]
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ids_from_html_comments_only() {
        let ids = disabled_by_markers(
            "Hi\n<!-- redline-disable a.b, a.c -->\n<!--redline-disable a.d-->\nredline-disable a.e\n",
        );
        let mut ids: Vec<_> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["a.b", "a.c", "a.d"]);
    }
}
