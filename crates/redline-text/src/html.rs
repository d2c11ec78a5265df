//! HTML bodies to text, with every text run mapped back to where it was written.
//!
//! Enough HTML for mail: tags are dropped, block elements become line breaks (paragraph-like
//! blocks a blank line, list items `- ` bullets, `<blockquote>` lines `> ` so quoted replies
//! stay quoted), entities are decoded, comments (but `redline-disable` markers), scripts,
//! styles and the head are skipped,
//! and whitespace runs in text collapse to one space. Text redline inserts (line breaks,
//! bullets, quote marks) has no origin in the map.

use crate::SpanMap;

/// Converts `html` to text; the map gives offsets into `html` for the text's runs.
pub fn html_to_text(html: &str) -> (String, SpanMap) {
    let mut w = Writer::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => i = w.tag(html, i),
            b'&' => i = w.entity(html, i),
            b if b.is_ascii_whitespace() => {
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                w.space(start..i);
            }
            _ => {
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b'<' | b'&')
                    && !bytes[i].is_ascii_whitespace()
                {
                    i += 1;
                }
                w.text(&html[start..i], start);
            }
        }
    }
    (w.out, w.map)
}

#[derive(Default)]
struct Writer {
    out: String,
    map: SpanMap,
    quote_depth: usize,
    /// Whether the output is at the start of a line (nothing but quote marks written on it).
    line_start: bool,
}

/// Elements whose content is never text.
const SKIPPED: &[&str] = &["script", "style", "head", "title", "template", "noscript"];

/// Elements that break the text into blocks separated by a blank line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "table",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "hr",
    "form",
    "center",
    "dl",
];

/// Elements that end a line.
const LINES: &[&str] = &["br", "tr", "dt", "dd"];

impl Writer {
    fn text(&mut self, s: &str, at: usize) {
        self.begin_line();
        let start = self.out.len();
        self.out.push_str(s);
        self.map.push(start..self.out.len(), at..at + s.len());
    }

    fn space(&mut self, raw: std::ops::Range<usize>) {
        if self.line_start || self.out.ends_with(' ') || self.out.is_empty() {
            return;
        }
        let start = self.out.len();
        self.out.push(' ');
        self.map.push(start..start + 1, raw);
    }

    fn begin_line(&mut self) {
        if self.line_start {
            for _ in 0..self.quote_depth {
                self.out.push_str("> ");
            }
            self.line_start = false;
        }
    }

    /// Ends the current line; `blank` also leaves an empty line after it.
    fn newline(&mut self, blank: bool) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        if self.out.is_empty() {
            return;
        }
        // Whether the line is already ended is `line_start`, not what the text ends with: a
        // line may end in `>` of its own (`<pat@x.com>`), which is no quote mark.
        if !self.line_start {
            self.out.push('\n');
        }
        if blank && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        self.line_start = true;
    }

    /// Handles the markup at `i` (a `<`); returns where text resumes.
    fn tag(&mut self, html: &str, i: usize) -> usize {
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            let close = rest.find("-->");
            // A `redline-disable` marker is kept, on a line of its own, for the linter to read.
            if let Some(e) = close.filter(|_| crate::opens_marker(&rest[4..])) {
                self.newline(true);
                self.text(&rest[..e + 3], i);
                // Not `newline`: it would take the marker's closing `>` for a quote mark.
                self.out.push_str("\n\n");
                self.line_start = true;
            }
            return close.map_or(html.len(), |e| i + e + 3);
        }
        let bytes = rest.as_bytes();
        let closing = bytes.get(1) == Some(&b'/');
        let name_start = if closing { 2 } else { 1 };
        let starts_tag = bytes
            .get(name_start)
            .is_some_and(|b| b.is_ascii_alphabetic() || (!closing && matches!(b, b'!' | b'?')));
        if !starts_tag {
            self.text("<", i);
            return i + 1;
        }
        let end = tag_end(bytes).map_or(html.len(), |e| i + e + 1);
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !closing && SKIPPED.contains(&name.as_str()) {
            let close = format!("</{name}");
            let lower = html[end..].to_ascii_lowercase();
            return lower.find(&close).map_or(html.len(), |p| {
                tag_end(&html.as_bytes()[end + p..]).map_or(html.len(), |e| end + p + e + 1)
            });
        }
        match name.as_str() {
            "blockquote" => {
                self.newline(true);
                if closing {
                    self.quote_depth = self.quote_depth.saturating_sub(1);
                } else {
                    self.quote_depth += 1;
                }
                self.line_start = true;
            }
            "li" if !closing => {
                self.newline(false);
                self.begin_line();
                self.out.push_str("- ");
            }
            n if BLOCKS.contains(&n) => self.newline(true),
            n if LINES.contains(&n) || n == "li" => self.newline(false),
            _ => {}
        }
        end
    }

    /// Decodes the entity at `i` (a `&`); returns where text resumes.
    fn entity(&mut self, html: &str, i: usize) -> usize {
        let rest = &html[i..];
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| decode_entity(&rest[1..e]));
        match (end, decoded) {
            (Some(e), Some(c)) => {
                if c == ' ' {
                    self.space(i..i + e + 1);
                } else {
                    self.begin_line();
                    let start = self.out.len();
                    self.out.push(c);
                    self.map.push(start..self.out.len(), i..i + e + 1);
                }
                i + e + 1
            }
            _ => {
                self.text("&", i);
                i + 1
            }
        }
    }
}

/// The index of the `>` that closes the tag starting at `bytes[0]`, skipping quoted values.
fn tag_end(bytes: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (k, &b) in bytes.iter().enumerate().skip(1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return Some(k),
            _ => {}
        }
    }
    None
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" | "ensp" | "emsp" | "thinsp" => ' ',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "bull" => '•',
        "middot" => '·',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "szlig" => 'ß',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_ending_in_a_greater_than_sign_keeps_its_line_break() {
        // Outlook's reply header: each field on its line, so the quoted original is found.
        let html = "<div>Thanks, Sam.</div><div id=\"divRplyFwdMsg\"><b>From:</b> Pat &lt;pat@x.com&gt;<br><b>Sent:</b> Monday<br><b>To:</b> Jordan</div><div>I hope this finds you well.</div>";
        let (text, _) = html_to_text(html);
        assert_eq!(
            text,
            "Thanks, Sam.\n\nFrom: Pat <pat@x.com>\nSent: Monday\nTo: Jordan\n\nI hope this finds you well.\n\n"
        );
        let doc = crate::Document::parse(&text);
        let quoted = doc.region_at(text.find("I hope").unwrap()).unwrap();
        assert_eq!(quoted.kind, crate::RegionKind::Quoted);
    }

    #[test]
    fn blocks_become_paragraphs_and_text_maps_back() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body><p>Hi Dana,</p>\n<p>I wanted to<br>reach&nbsp;out about Q3.</p><!-- c --></body></html>";
        let (text, map) = html_to_text(html);
        assert_eq!(text, "Hi Dana,\n\nI wanted to\nreach out about Q3.\n\n");
        let at = text.find("reach").unwrap();
        let span = map.to_raw(at..at + "reach out".len()).unwrap();
        assert_eq!(&html[span], "reach&nbsp;out");
    }

    #[test]
    fn a_redline_disable_marker_is_kept_on_its_own_line() {
        let html =
            "<p>Hi,</p><!-- redline-disable a.b --><p>I wanted to reach out.</p><!-- other -->";
        let (text, map) = html_to_text(html);
        assert_eq!(
            text,
            "Hi,\n\n<!-- redline-disable a.b -->\n\nI wanted to reach out.\n\n"
        );
        let marker = "<!-- redline-disable a.b -->";
        let at = text.find(marker).unwrap();
        let span = map.to_raw(at..at + marker.len()).unwrap();
        assert_eq!(&html[span], marker);
    }

    #[test]
    fn entities_lists_and_blockquotes() {
        let html = "<p>Today&rsquo;s plan:</p><ul><li>one</li><li>two &amp; three</li></ul><blockquote><p>I hope this finds you well</p></blockquote><p>Thanks</p>";
        let (text, _) = html_to_text(html);
        assert_eq!(
            text,
            "Today’s plan:\n\n- one\n- two & three\n\n> I hope this finds you well\n\nThanks\n\n"
        );
    }

    #[test]
    fn broken_markup_does_not_lose_text() {
        let (text, _) = html_to_text("a < b && c <unclosed");
        assert_eq!(text, "a < b && c ");
        let (text, _) = html_to_text("<script>never closed");
        assert_eq!(text, "");
    }
}
