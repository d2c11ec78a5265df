//! The phrase alternation syntax: `I (just |)wanted to reach out` is two phrases.
//!
//! Groups are `( … | … )`, may nest, and an alternative may be empty. A `|` outside any group
//! separates whole alternatives. Whitespace runs collapse to one space and the ends are trimmed,
//! so `I (just|) wanted` gives `I just wanted` and `I wanted`.

/// The most variants one phrase may expand to.
pub const MAX_VARIANTS: usize = 1000;

/// The deepest groups may nest: deeper is no phrase a person writes, and parsing it would
/// recurse without bound.
pub const MAX_DEPTH: usize = 16;

/// The longest a phrase may be as written, in bytes (no variant is longer than the phrase).
pub const MAX_PHRASE_BYTES: usize = 4096;

/// Expands a phrase into its variants, or says what is wrong and at which byte offset.
pub fn expand_phrase(src: &str) -> Result<Vec<String>, (usize, String)> {
    if src.len() > MAX_PHRASE_BYTES {
        return Err((
            0,
            format!("phrase is longer than {MAX_PHRASE_BYTES} bytes; a phrase is a few words"),
        ));
    }
    let mut parser = Parser {
        src,
        pos: 0,
        depth: 0,
    };
    let variants = parser.alternatives()?;
    if parser.pos < src.len() {
        return Err((parser.pos, "unmatched `)` in phrase".into()));
    }
    let mut out: Vec<String> = Vec::with_capacity(variants.len());
    let mut seen = std::collections::HashSet::new();
    for v in variants {
        let collapsed = v.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err((
                0,
                format!("phrase `{src}` has an empty variant, which cannot match"),
            ));
        }
        if seen.insert(collapsed.clone()) {
            out.push(collapsed);
        }
    }
    Ok(out)
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    /// alternatives := sequence ('|' sequence)*
    fn alternatives(&mut self) -> Result<Vec<String>, (usize, String)> {
        let mut all = self.sequence()?;
        while self.src[self.pos..].starts_with('|') {
            self.pos += 1;
            all.extend(self.sequence()?);
            check_size(all.len(), self.pos)?;
        }
        Ok(all)
    }

    /// sequence := (text | '(' alternatives ')')*
    fn sequence(&mut self) -> Result<Vec<String>, (usize, String)> {
        let mut acc = vec![String::new()];
        loop {
            let rest = &self.src[self.pos..];
            let text_len = rest.find(['(', ')', '|']).unwrap_or(rest.len());
            if text_len > 0 {
                for a in &mut acc {
                    a.push_str(&rest[..text_len]);
                }
                self.pos += text_len;
                continue;
            }
            if !rest.starts_with('(') {
                return Ok(acc);
            }
            let open = self.pos;
            self.pos += 1;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err((
                    open,
                    format!("groups nest more than {MAX_DEPTH} deep in phrase"),
                ));
            }
            let inner = self.alternatives()?;
            self.depth -= 1;
            if !self.src[self.pos..].starts_with(')') {
                return Err((open, "unclosed `(` in phrase".into()));
            }
            self.pos += 1;
            check_size(acc.len() * inner.len(), open)?;
            acc = acc
                .iter()
                .flat_map(|a| inner.iter().map(move |i| format!("{a}{i}")))
                .collect();
        }
    }
}

fn check_size(n: usize, pos: usize) -> Result<(), (usize, String)> {
    if n > MAX_VARIANTS {
        Err((
            pos,
            format!("phrase expands to more than {MAX_VARIANTS} variants; split it"),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_groups_with_empty_alternatives_and_nesting() {
        assert_eq!(
            expand_phrase("I (just |)wanted to reach out").unwrap(),
            ["I just wanted to reach out", "I wanted to reach out"]
        );
        assert_eq!(
            expand_phrase("hope (this (email|note)|you're well)").unwrap(),
            ["hope this email", "hope this note", "hope you're well"]
        );
        assert_eq!(expand_phrase("a|b").unwrap(), ["a", "b"]);
        assert_eq!(
            expand_phrase("I (just|) wanted").unwrap(),
            ["I just wanted", "I wanted"]
        );
    }

    #[test]
    fn reports_unbalanced_groups_and_empty_phrases_with_offsets() {
        assert_eq!(expand_phrase("a (b|c").unwrap_err().0, 2);
        assert_eq!(expand_phrase("a b) c").unwrap_err().0, 3);
        assert!(expand_phrase("( | )").unwrap_err().1.contains("empty"));
        let huge = "(a|b|c|d|e|f|g|h|i|j) ".repeat(4);
        assert!(expand_phrase(&huge).unwrap_err().1.contains("more than"));
    }

    #[test]
    fn deep_nesting_and_long_phrases_are_refused_not_recursed() {
        let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
        assert!(deep.len() > MAX_PHRASE_BYTES);
        let long_error = expand_phrase(&deep).unwrap_err();
        assert!(long_error.1.contains("longer than"), "{long_error:?}");
        let deep = format!("{}a{}", "(".repeat(2000), ")".repeat(2000));
        let (at, msg) = expand_phrase(&deep).unwrap_err();
        assert!(msg.contains("nest more than 16 deep"), "{msg}");
        assert_eq!(at, MAX_DEPTH, "points at the first group too deep");
        let fine = format!("{}a{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(expand_phrase(&fine).unwrap(), ["a"]);
    }
}
