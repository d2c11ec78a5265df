//! A pattern's syntax tree in a form a snapshot can carry, so a pattern loaded from one is
//! compiled without parsing its source again. Parsing and translating a shipped pattern cost
//! more than compiling it: most of the one-draft gate's regular-expression work.
//!
//! The tree is rebuilt with `regex-syntax`'s own constructors, which give back the tree the
//! parser gave (a test holds every shipped pattern to it).

use regex_syntax::hir::{
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind,
    Look, Repetition,
};
use serde::{Deserialize, Serialize};

/// One node of a syntax tree.
#[derive(Serialize, Deserialize)]
enum Node {
    Empty,
    Literal(Vec<u8>),
    Unicode(Vec<(char, char)>),
    Bytes(Vec<(u8, u8)>),
    /// A look-around, by its `regex-syntax` representation.
    Look(u32),
    Repetition {
        min: u32,
        max: Option<u32>,
        greedy: bool,
        sub: Box<Node>,
    },
    Capture {
        index: u32,
        name: Option<String>,
        sub: Box<Node>,
    },
    Concat(Vec<Node>),
    Alternation(Vec<Node>),
}

/// `hir` as bytes for [`decode`].
pub(crate) fn encode(hir: &Hir) -> Vec<u8> {
    postcard::to_stdvec(&node(hir)).expect("a syntax tree serializes")
}

/// The syntax tree [`encode`] wrote, or `None` for bytes it did not write.
pub(crate) fn decode(bytes: &[u8]) -> Option<Hir> {
    rebuild(postcard::from_bytes(bytes).ok()?)
}

fn node(hir: &Hir) -> Node {
    match hir.kind() {
        HirKind::Empty => Node::Empty,
        HirKind::Literal(l) => Node::Literal(l.0.to_vec()),
        HirKind::Class(Class::Unicode(c)) => {
            Node::Unicode(c.ranges().iter().map(|r| (r.start(), r.end())).collect())
        }
        HirKind::Class(Class::Bytes(c)) => {
            Node::Bytes(c.ranges().iter().map(|r| (r.start(), r.end())).collect())
        }
        HirKind::Look(look) => Node::Look(look.as_repr()),
        HirKind::Repetition(r) => Node::Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(node(&r.sub)),
        },
        HirKind::Capture(c) => Node::Capture {
            index: c.index,
            name: c.name.as_deref().map(str::to_string),
            sub: Box::new(node(&c.sub)),
        },
        HirKind::Concat(subs) => Node::Concat(subs.iter().map(node).collect()),
        HirKind::Alternation(subs) => Node::Alternation(subs.iter().map(node).collect()),
    }
}

fn rebuild(node: Node) -> Option<Hir> {
    let all = |subs: Vec<Node>| subs.into_iter().map(rebuild).collect::<Option<Vec<_>>>();
    Some(match node {
        Node::Empty => Hir::empty(),
        Node::Literal(bytes) => Hir::literal(bytes),
        Node::Unicode(ranges) => Hir::class(Class::Unicode(ClassUnicode::new(
            ranges
                .into_iter()
                .map(|(a, b)| ClassUnicodeRange::new(a, b)),
        ))),
        Node::Bytes(ranges) => Hir::class(Class::Bytes(ClassBytes::new(
            ranges.into_iter().map(|(a, b)| ClassBytesRange::new(a, b)),
        ))),
        Node::Look(repr) => Hir::look(Look::from_repr(repr)?),
        Node::Repetition {
            min,
            max,
            greedy,
            sub,
        } => Hir::repetition(Repetition {
            min,
            max,
            greedy,
            sub: Box::new(rebuild(*sub)?),
        }),
        Node::Capture { index, name, sub } => Hir::capture(Capture {
            index,
            name: name.map(String::into_boxed_str),
            sub: Box::new(rebuild(*sub)?),
        }),
        Node::Concat(subs) => Hir::concat(all(subs)?),
        Node::Alternation(subs) => Hir::alternation(all(subs)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_come_back_as_the_parser_gave_them() {
        for source in [
            r"\b(would you be|are you) open to a (quick )?\d+[- ]minute (call|chat)\b",
            r"\[[^\]\n]{1,40}\]|(?-u:\x7F)|(?P<name>x+?)|^$|(?m)^a$|",
            r"\bnot just [^.,;]{1,40},? but\b|café|[[:alpha:]]{2,}|a*?b{3}",
        ] {
            let hir = regex_syntax::parse(source).unwrap();
            assert_eq!(decode(&encode(&hir)), Some(hir), "{source}");
        }
    }

    #[test]
    fn bytes_it_did_not_write_are_refused() {
        assert_eq!(decode(&[0xFF, 0xFF, 0xFF]), None);
        assert_eq!(decode(&[]), None);
    }
}
