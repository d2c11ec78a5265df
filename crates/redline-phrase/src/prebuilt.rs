//! A phrase automaton computed ahead of time, for a program's fixed phrase list (redline's
//! shipped packs): written as Rust statics by a build script, it costs nothing at start-up,
//! where building the Aho-Corasick automaton for the shipped packs costs milliseconds.
//!
//! It is an Aho-Corasick automaton over byte classes with the same semantics as the one
//! [`crate::PhraseSet`] builds at run time: every (pattern, end) where a folded pattern
//! occurs, overlapping matches included. The root and the states near it are dense rows
//! with their failure transitions resolved; deeper states list their few transitions and
//! fall back along failure links, which always end in a dense state.

use std::collections::BTreeMap;
use std::fmt::Write;

/// A state's kind word (the low byte of its third word) when its row is dense.
const DENSE: u32 = 0xFF;
/// States this deep or shallower get dense rows: few, and where a scan spends most steps.
const DENSE_DEPTH: usize = 2;
/// In a reference to a state (a transition, a failure link): the state's row is dense. With
/// [`HAS_MATCHES`], what a scan asks of a state at every byte is answered from the reference
/// alone, without reading the state.
const DENSE_REF: u32 = 1 << 22;
/// In a reference to a state: patterns end at it.
const HAS_MATCHES: u32 = 1 << 23;
/// The offset of the state a reference refers to.
const OFFSET: u32 = DENSE_REF - 1;
/// The root state: offset 0, dense, no matches.
pub(crate) const ROOT: u32 = DENSE_REF;

/// One literal of a prebuilt automaton: the text as given, whether it must sit on word
/// boundaries (a phrase) or not (an anchor), and its folded form (what is matched).
#[derive(Debug, Clone, Copy)]
pub struct Literal<'a> {
    /// The literal as the rule gives it.
    pub text: &'a str,
    /// A phrase (on word boundaries) rather than an anchor.
    pub whole_words: bool,
    /// [`redline_text::phrase_key`] of `text`.
    pub folded: &'a str,
}

/// The literals of a prebuilt automaton, packed without pointers: every literal's text and
/// then its folded form, back to back in one string, and where each ends. A table of
/// `&str`s would be relocated, page by page, at every start of a position-independent
/// binary.
#[derive(Debug, Clone, Copy)]
pub struct Literals<'a> {
    text: &'a str,
    /// For literal `i`: the end of its text at `2i`, of its folded form at `2i + 1`; each
    /// starts where the one before ends.
    ends: &'a [u32],
    whole_words: &'a [bool],
}

impl<'a> Literals<'a> {
    /// The literals from the parts [`Compiled::to_rust`] writes out.
    pub const fn from_parts(text: &'a str, ends: &'a [u32], whole_words: &'a [bool]) -> Self {
        Literals {
            text,
            ends,
            whole_words,
        }
    }

    /// How many literals there are.
    pub fn len(&self) -> usize {
        self.whole_words.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.whole_words.is_empty()
    }

    /// Literal `i`.
    pub fn get(&self, i: usize) -> Literal<'a> {
        let start = if i == 0 {
            0
        } else {
            self.ends[2 * i - 1] as usize
        };
        let (middle, end) = (self.ends[2 * i] as usize, self.ends[2 * i + 1] as usize);
        Literal {
            text: &self.text[start..middle],
            whole_words: self.whole_words[i],
            folded: &self.text[middle..end],
        }
    }

    /// The literals in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Literal<'a>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// A prebuilt automaton, borrowed from the statics [`Compiled::to_rust`] writes.
#[derive(Debug, Clone, Copy)]
pub struct Prebuilt<'a> {
    classes: &'a [u8; 256],
    states: &'a [u32],
    matches: &'a [u32],
    literals: Literals<'a>,
}

impl<'a> Prebuilt<'a> {
    /// The automaton from the parts [`Compiled::to_rust`] writes out: the byte classes, the
    /// states, the match lists, and the literals (pattern `i` is literal `i`).
    pub const fn from_parts(
        classes: &'a [u8; 256],
        states: &'a [u32],
        matches: &'a [u32],
        literals: Literals<'a>,
    ) -> Self {
        Prebuilt {
            classes,
            states,
            matches,
            literals,
        }
    }

    /// The literals, in the order they were compiled; a match's pattern indexes them.
    pub fn literals(&self) -> Literals<'a> {
        self.literals
    }

    /// The state after `state` reads the folded byte `byte`.
    #[inline(always)]
    pub(crate) fn next(&self, mut state: u32, byte: u8) -> u32 {
        let class = u32::from(self.classes[byte as usize]);
        if class == 0 {
            // No pattern holds this byte: every match in progress ends here.
            return ROOT;
        }
        loop {
            let s = (state & OFFSET) as usize;
            if state & DENSE_REF != 0 {
                return self.states[s + 3 + class as usize];
            }
            let kind = self.states[s + 2] & 0xFF;
            let row = &self.states[s + 3..s + 3 + kind as usize];
            if let Some(&t) = row.iter().find(|&&t| t >> 24 == class) {
                return t & 0x00FF_FFFF;
            }
            state = self.states[s];
        }
    }

    /// The patterns that end at `state` (empty for most states).
    #[inline(always)]
    pub(crate) fn matches(&self, state: u32) -> &'a [u32] {
        if state & HAS_MATCHES == 0 {
            return &[];
        }
        let s = (state & OFFSET) as usize;
        let count = (self.states[s + 2] >> 8) as usize;
        let start = self.states[s + 1] as usize;
        &self.matches[start..start + count]
    }
}

/// A prebuilt automaton being made, owning its parts: what a build script writes out with
/// [`Compiled::to_rust`], and what tests borrow with [`Compiled::as_prebuilt`].
#[derive(Debug, Clone)]
pub struct Compiled {
    classes: Box<[u8; 256]>,
    states: Vec<u32>,
    matches: Vec<u32>,
    /// The literals' texts and folded forms, as [`Literals`] packs them.
    text: String,
    ends: Vec<u32>,
    whole_words: Vec<bool>,
}

/// A trie node while compiling.
#[derive(Default)]
struct Node {
    children: BTreeMap<u8, usize>,
    outputs: Vec<u32>,
    fail: usize,
    depth: usize,
}

impl Compiled {
    /// Compiles `(text, whole_words)` literals, folded with [`redline_text::phrase_key`].
    /// Fails when a literal folds to nothing or the automaton would not fit its encoding
    /// (255 byte classes, 2^22 words of states).
    pub fn new<'t>(literals: impl IntoIterator<Item = (&'t str, bool)>) -> Result<Self, String> {
        let literals: Vec<(String, bool, String)> = literals
            .into_iter()
            .map(|(text, whole)| (text.to_string(), whole, redline_text::phrase_key(text)))
            .collect();
        let mut classes = Box::new([0u8; 256]);
        let mut used = [false; 256];
        for (text, _, folded) in &literals {
            if folded.is_empty() {
                return Err(format!("`{text}` folds to nothing"));
            }
            for &b in folded.as_bytes() {
                used[b as usize] = true;
            }
        }
        let mut count = 0u32;
        for (b, &u) in used.iter().enumerate() {
            if u {
                count += 1;
                classes[b] = count as u8;
            }
        }
        if count >= DENSE {
            return Err(format!("{count} byte classes (at most 254)"));
        }
        let width = count as usize + 1;

        // The trie, then failure links and inherited outputs breadth first.
        let mut nodes = vec![Node::default()];
        for (i, (_, _, folded)) in literals.iter().enumerate() {
            let mut at = 0;
            for &b in folded.as_bytes() {
                let class = classes[b as usize];
                at = match nodes[at].children.get(&class) {
                    Some(&next) => next,
                    None => {
                        let depth = nodes[at].depth + 1;
                        nodes.push(Node {
                            depth,
                            ..Node::default()
                        });
                        let next = nodes.len() - 1;
                        nodes[at].children.insert(class, next);
                        next
                    }
                };
            }
            nodes[at].outputs.push(i as u32);
        }
        let mut order = vec![0usize];
        let mut k = 0;
        while k < order.len() {
            let at = order[k];
            k += 1;
            let children: Vec<(u8, usize)> =
                nodes[at].children.iter().map(|(&c, &n)| (c, n)).collect();
            for (class, child) in children {
                let fail = if at == 0 {
                    0
                } else {
                    let mut f = nodes[at].fail;
                    loop {
                        if let Some(&n) = nodes[f].children.get(&class) {
                            break n;
                        }
                        if f == 0 {
                            break 0;
                        }
                        f = nodes[f].fail;
                    }
                };
                nodes[child].fail = fail;
                let inherited = nodes[fail].outputs.clone();
                nodes[child].outputs.extend(inherited);
                order.push(child);
            }
        }

        // Offsets in breadth-first order, then each state written out.
        let mut offset = vec![0u32; nodes.len()];
        let mut next = 0usize;
        for &n in &order {
            offset[n] = u32::try_from(next).map_err(|_| "too many states".to_string())?;
            next += 3 + if nodes[n].depth <= DENSE_DEPTH {
                width
            } else {
                nodes[n].children.len()
            };
        }
        if next > OFFSET as usize {
            return Err(format!("{next} words of states (at most 2^22)"));
        }
        // How each state is referred to: its offset and what a scan asks of it.
        let refs: Vec<u32> = (0..nodes.len())
            .map(|n| {
                let dense = if nodes[n].depth <= DENSE_DEPTH {
                    DENSE_REF
                } else {
                    0
                };
                let matching = if nodes[n].outputs.is_empty() {
                    0
                } else {
                    HAS_MATCHES
                };
                offset[n] | dense | matching
            })
            .collect();
        // Dense rows resolved through failure links: a shallower state's row is final first.
        let mut rows: Vec<Option<Vec<u32>>> = vec![None; nodes.len()];
        let mut states = Vec::with_capacity(next);
        let mut matches = Vec::new();
        for &n in &order {
            let node = &nodes[n];
            states.push(refs[node.fail]);
            states.push(matches.len() as u32);
            matches.extend(&node.outputs);
            let count = node.outputs.len() as u32;
            if node.depth <= DENSE_DEPTH {
                let row: Vec<u32> = (0..width)
                    .map(|c| match node.children.get(&(c as u8)) {
                        Some(&child) => refs[child],
                        None if n == 0 || c == 0 => ROOT,
                        None => rows[node.fail].as_ref().expect("shallower row")[c],
                    })
                    .collect();
                states.push(count << 8 | DENSE);
                states.extend(&row);
                rows[n] = Some(row);
            } else {
                states.push(count << 8 | node.children.len() as u32);
                states.extend(
                    node.children
                        .iter()
                        .map(|(&c, &child)| u32::from(c) << 24 | refs[child]),
                );
            }
        }
        let mut text = String::new();
        let mut ends = Vec::with_capacity(2 * literals.len());
        for (given, _, folded) in &literals {
            for part in [given, folded] {
                text.push_str(part);
                ends.push(u32::try_from(text.len()).map_err(|_| "literals over 4 GiB")?);
            }
        }
        Ok(Compiled {
            classes,
            states,
            matches,
            text,
            ends,
            whole_words: literals.iter().map(|&(_, whole, _)| whole).collect(),
        })
    }

    /// Rust source declaring the automaton as `pub static {name}: redline_phrase::Prebuilt`,
    /// with its parts as private statics beside it.
    pub fn to_rust(&self, name: &str) -> String {
        let mut out = String::new();
        let list = |items: &mut dyn Iterator<Item = String>| items.collect::<Vec<_>>().join(",");
        let _ = writeln!(
            out,
            "static {name}_CLASSES: [u8; 256] = [{}];",
            list(&mut self.classes.iter().map(u8::to_string))
        );
        let _ = writeln!(
            out,
            "static {name}_STATES: [u32; {}] = [{}];",
            self.states.len(),
            list(&mut self.states.iter().map(u32::to_string))
        );
        let _ = writeln!(
            out,
            "static {name}_MATCHES: [u32; {}] = [{}];",
            self.matches.len(),
            list(&mut self.matches.iter().map(u32::to_string))
        );
        let _ = writeln!(out, "static {name}_TEXT: &str = {:?};", self.text);
        let _ = writeln!(
            out,
            "static {name}_ENDS: [u32; {}] = [{}];",
            self.ends.len(),
            list(&mut self.ends.iter().map(u32::to_string))
        );
        let _ = writeln!(
            out,
            "static {name}_WHOLE_WORDS: [bool; {}] = [{}];",
            self.whole_words.len(),
            list(&mut self.whole_words.iter().map(bool::to_string))
        );
        let _ = writeln!(
            out,
            "/// The prebuilt phrase automaton.\npub static {name}: redline_phrase::Prebuilt<'static> = redline_phrase::Prebuilt::from_parts(&{name}_CLASSES, &{name}_STATES, &{name}_MATCHES, redline_phrase::Literals::from_parts({name}_TEXT, &{name}_ENDS, &{name}_WHOLE_WORDS));"
        );
        out
    }

    /// The automaton as a [`Prebuilt`], borrowing its parts.
    pub fn as_prebuilt(&self) -> Prebuilt<'_> {
        let literals = Literals::from_parts(&self.text, &self.ends, &self.whole_words);
        Prebuilt::from_parts(&self.classes, &self.states, &self.matches, literals)
    }
}
