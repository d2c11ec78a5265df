//! What one message says about its writer's habits: counts, never text.
//!
//! Only the writer's own regions are read (greeting, paragraphs, sign-off), exactly the regions
//! `redline check` looks at: headers, the subject, quoted replies, forwards and signatures are
//! left out. Links and e-mail addresses are skipped word by word.

use redline_text::{Document, RegionKind};

/// The ways a message can open, as a profile counts them.
pub const GREETINGS: &[&str] = &["none", "hi", "hey", "hello", "dear", "other"];

/// The ways a message can end, as a profile counts them.
pub const SIGN_OFFS: &[&str] = &["none", "thanks", "best", "regards", "cheers", "other"];

/// How a counted habit is modelled: a share of chances (binomial) or a count per unit
/// (Poisson).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Model {
    /// `count` of `of` chances.
    Share,
    /// `count` occurrences in `of` units.
    PerUnit,
}

/// A counted habit: its key in the profile, its model, and how messages name it.
#[derive(Debug)]
pub(crate) struct RateDef {
    pub key: &'static str,
    pub model: Model,
    /// What is counted, for messages ("em dashes").
    pub thing: &'static str,
    /// What it is counted against ("sentences").
    pub unit: &'static str,
}

const fn rate(key: &'static str, model: Model, thing: &'static str, unit: &'static str) -> RateDef {
    RateDef {
        key,
        model,
        thing,
        unit,
    }
}

/// Every counted habit, in the order [`Sample::rates`] holds them.
pub(crate) const RATES: &[RateDef] = &[
    rate(
        "contractions",
        Model::Share,
        "contractions (don't, I'm)",
        "chances to contract",
    ),
    rate(
        "exclamations",
        Model::Share,
        "sentences ending in '!'",
        "sentences",
    ),
    rate("questions", Model::Share, "questions", "sentences"),
    rate(
        "lowercase_starts",
        Model::Share,
        "sentences starting in lower case",
        "sentences",
    ),
    rate(
        "lowercase_i",
        Model::Share,
        "a lower-case 'i' for 'I'",
        "uses of 'I'",
    ),
    rate("capitals", Model::Share, "words in capitals", "words"),
    rate("long_words", Model::Share, "words of 7+ letters", "words"),
    rate(
        "informal_words",
        Model::Share,
        "casual words (yeah, btw, ok)",
        "words",
    ),
    rate("bullets", Model::Share, "bullet-point lines", "lines"),
    rate("em_dashes", Model::PerUnit, "em dashes (—)", "sentences"),
    rate(
        "double_hyphens",
        Model::PerUnit,
        "typed dashes (-- or ' - ')",
        "sentences",
    ),
    rate("semicolons", Model::PerUnit, "semicolons", "sentences"),
    rate("ellipses", Model::PerUnit, "ellipses (...)", "sentences"),
    rate("commas", Model::PerUnit, "commas", "sentences"),
    rate("parentheses", Model::PerUnit, "parentheses", "sentences"),
    rate("emoticons", Model::PerUnit, "smileys like :)", "sentences"),
    rate(
        "two_spaces",
        Model::Share,
        "two spaces after a full stop",
        "sentence breaks within a line",
    ),
    rate(
        "slips",
        Model::PerUnit,
        "slips a polish would fix (a lower-case start or 'i', 'dont', '..', ' ,', no closing full stop)",
        "sentences",
    ),
];

pub(crate) const CONTRACTIONS: usize = 0;
const EXCLAMATIONS: usize = 1;
const QUESTIONS: usize = 2;
const LOWERCASE_STARTS: usize = 3;
const LOWERCASE_I: usize = 4;
const CAPITALS: usize = 5;
const LONG_WORDS: usize = 6;
const INFORMAL: usize = 7;
const BULLETS: usize = 8;
const EM_DASHES: usize = 9;
const DOUBLE_HYPHENS: usize = 10;
const SEMICOLONS: usize = 11;
const ELLIPSES: usize = 12;
const COMMAS: usize = 13;
const PARENTHESES: usize = 14;
const EMOTICONS: usize = 15;
const TWO_SPACES: usize = 16;
const SLIPS: usize = 17;

/// Length distributions, in the order [`Sample::lengths`] holds them: (key, unit, of what).
pub(crate) const LENGTHS: &[(&str, &str, &str)] = &[
    ("sentence_words", "words", "sentences"),
    ("paragraph_sentences", "sentences", "paragraphs"),
];

/// The function words whose frequencies make the classic stylometric signal, sorted.
pub const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because", "but",
    "by", "can", "could", "do", "for", "from", "get", "have", "he", "here", "i", "if", "in", "is",
    "it", "just", "like", "me", "more", "my", "no", "not", "now", "of", "on", "one", "only", "or",
    "our", "out", "should", "so", "some", "than", "that", "the", "then", "there", "they", "think",
    "this", "to", "up", "very", "was", "we", "what", "which", "will", "with", "would", "you",
    "your",
];

/// Words of polished, corporate or machine-drafted prose. A profile keeps how often its
/// writer used each (most use few or none); a draft full of ones they never use does not sound
/// like them. Sorted.
pub const VOCABULARY: &[&str] = &[
    "absolutely",
    "accordingly",
    "additionally",
    "align",
    "alignment",
    "appreciate",
    "appreciated",
    "assist",
    "assistance",
    "beneficial",
    "certainly",
    "clarification",
    "clarify",
    "collaborate",
    "collaboration",
    "comprehensive",
    "concerning",
    "consequently",
    "considerable",
    "crucial",
    "cutting-edge",
    "delighted",
    "delve",
    "demonstrate",
    "elevate",
    "empower",
    "enhance",
    "enhanced",
    "enhancing",
    "ensure",
    "ensuring",
    "essential",
    "excited",
    "facilitate",
    "feedback",
    "foster",
    "furthermore",
    "grateful",
    "greatly",
    "hesitate",
    "holistic",
    "however",
    "impactful",
    "importantly",
    "innovative",
    "insights",
    "journey",
    "kindly",
    "landscape",
    "leverage",
    "leveraging",
    "meaningful",
    "moreover",
    "navigate",
    "notably",
    "opportunity",
    "optimize",
    "overall",
    "particularly",
    "pivotal",
    "please",
    "potential",
    "precisely",
    "primarily",
    "regarding",
    "regards",
    "robust",
    "seamless",
    "seamlessly",
    "significant",
    "significantly",
    "sincerely",
    "specifically",
    "streamline",
    "streamlined",
    "subsequently",
    "substantial",
    "synergy",
    "tailored",
    "therefore",
    "thrilled",
    "thus",
    "transformative",
    "ultimately",
    "unlock",
    "utilize",
    "utilizing",
    "valuable",
    "vital",
    "whilst",
];

/// Casual words that polishing tends to remove. Sorted.
const INFORMAL_WORDS: &[&str] = &[
    "afaik", "ah", "anyway", "anyways", "btw", "cool", "crap", "damn", "dunno", "fwiw", "gonna",
    "guess", "heh", "hell", "hmm", "iirc", "imho", "imo", "kinda", "lol", "nah", "nope", "oh",
    "ok", "okay", "sorta", "stuff", "uh", "um", "wanna", "wow", "yeah", "yep", "yes", "yup",
];

/// Word pairs a writer could have contracted ("do not" → "don't").
const EXPANDABLE: &[(&str, &str)] = &[
    ("are", "not"),
    ("could", "not"),
    ("did", "not"),
    ("do", "not"),
    ("does", "not"),
    ("had", "not"),
    ("has", "not"),
    ("have", "not"),
    ("he", "is"),
    ("i", "am"),
    ("i", "will"),
    ("i", "would"),
    ("is", "not"),
    ("it", "is"),
    ("let", "us"),
    ("she", "is"),
    ("should", "not"),
    ("that", "is"),
    ("there", "is"),
    ("they", "are"),
    ("they", "will"),
    ("was", "not"),
    ("we", "are"),
    ("we", "will"),
    ("were", "not"),
    ("what", "is"),
    ("will", "not"),
    ("would", "not"),
    ("you", "are"),
    ("you", "will"),
];

const CONTRACTED_WORDS: &[&str] = &[
    "he's", "here's", "it's", "let's", "she's", "that's", "there's", "what's", "where's", "who's",
];

/// Contractions typed without their apostrophe ("dont"): a slip a polish fixes. Sorted; words
/// that are also ordinary words ("cant", "wont", "ill", "its") are left out.
const BARE_CONTRACTIONS: &[&str] = &[
    "arent", "couldnt", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "im", "isnt", "ive",
    "shouldnt", "thats", "theyre", "theyve", "wasnt", "werent", "whats", "wouldnt", "youre",
    "youve",
];

const CONTRACTED_ENDINGS: &[&str] = &["n't", "'re", "'ll", "'ve", "'m", "'d"];

/// Running totals of a length distribution: how many units, the sum and the sum of squares of
/// `ln(1 + length)` (lengths are skewed; their logarithms are nearly normal), and the sum of
/// the raw lengths for a readable average.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    /// Units measured (sentences, paragraphs).
    pub n: u64,
    /// Sum of `ln(1 + length)`.
    pub sum: f64,
    /// Sum of squares of `ln(1 + length)`.
    pub sum_sq: f64,
    /// Sum of the lengths.
    pub raw: f64,
}

impl Moments {
    fn push(&mut self, length: usize) {
        let x = (1.0 + length as f64).ln();
        self.n += 1;
        self.sum += x;
        self.sum_sq += x * x;
        self.raw += length as f64;
    }

    pub(crate) fn add(&mut self, other: &Moments) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.raw += other.raw;
    }

    pub(crate) fn mean(&self) -> f64 {
        self.sum / self.n.max(1) as f64
    }

    pub(crate) fn average(&self) -> f64 {
        self.raw / self.n.max(1) as f64
    }
}

/// One message's habits: the counts a profile is built from and a draft is compared with.
#[derive(Debug, Clone, Default)]
pub struct Sample {
    /// Words the writer wrote (links and addresses left out).
    pub words: u32,
    /// Sentences.
    pub sentences: u32,
    /// How the message opens: an index into [`GREETINGS`].
    pub greeting: usize,
    /// The greeting's first word as written (`Hey`), to name it in messages.
    pub greeting_word: Option<String>,
    /// How it ends: an index into [`SIGN_OFFS`].
    pub sign_off: usize,
    /// The sign-off as written (`Best regards`), to name it in messages.
    pub sign_off_text: Option<String>,
    /// `(count, chances)` of each habit in `RATES`.
    pub(crate) rates: Vec<(u32, u32)>,
    /// Sentence and paragraph lengths, as in `LENGTHS`.
    pub(crate) lengths: Vec<Moments>,
    /// How often each of [`FUNCTION_WORDS`] occurs.
    pub(crate) function: Vec<u32>,
    /// `(index into VOCABULARY, count)` for the listed words that occur.
    pub(crate) vocabulary: Vec<(usize, u32)>,
    /// How often each character-trigram bucket occurs (see [`TRIGRAM_BUCKETS`]).
    pub(crate) trigrams: Vec<u32>,
    /// The content words' buckets (see [`WORD_BUCKETS`]), each once, sorted.
    pub(crate) content: Vec<u16>,
}

/// Content words (three or more letters, not a function word) are kept as a set of hashed
/// buckets: enough to tell which of a draft's words the writer has used before, while no
/// word can be read back (each bucket stands for many words).
pub const WORD_BUCKETS: usize = 1 << 14;

/// Character trigrams (of the lower-cased text, whitespace collapsed, links and addresses
/// left out) are counted in this many buckets by a hash of the three characters: the
/// spelling, word choice and punctuation of a writer in one profile of numbers, from which
/// no text can be read back.
pub const TRIGRAM_BUCKETS: usize = 1024;

impl Sample {
    /// Counts the habits in the writer's own regions of `doc`.
    pub fn of(doc: &Document) -> Sample {
        let text = doc.text();
        let mut s = Sample {
            rates: vec![(0, 0); RATES.len()],
            lengths: vec![Moments::default(); LENGTHS.len()],
            function: vec![0; FUNCTION_WORDS.len()],
            trigrams: vec![0; TRIGRAM_BUCKETS],
            ..Sample::default()
        };
        let mut vocabulary = vec![0u32; VOCABULARY.len()];
        for region in doc.regions() {
            let body = &text[region.span.clone()];
            match region.kind {
                RegionKind::Greeting => {
                    let word = first_word(body);
                    s.greeting = greeting_kind(&word.to_lowercase());
                    s.greeting_word = Some(word.to_string());
                }
                RegionKind::SignOff => {
                    let shown = body.trim().trim_end_matches([',', '.', '!', '-', ' ']);
                    s.sign_off = sign_off_kind(&shown.to_lowercase());
                    s.sign_off_text = Some(shown.to_string());
                }
                RegionKind::Paragraph => s.paragraph(body, &mut vocabulary),
                _ => {}
            }
        }
        s.content.sort_unstable();
        s.content.dedup();
        s.vocabulary = vocabulary
            .iter()
            .enumerate()
            .filter(|(_, c)| **c > 0)
            .map(|(i, c)| (i, *c))
            .collect();
        s
    }

    /// Whether the message has enough of the writer's own text to learn from.
    pub fn is_usable(&self) -> bool {
        self.words >= MIN_WORDS && self.sentences >= 1
    }

    fn paragraph(&mut self, body: &str, vocabulary: &mut [u32]) {
        for line in body.lines() {
            let (two, any) = sentence_breaks(line);
            self.rates[TWO_SPACES].0 += two;
            self.rates[SLIPS].0 += two;
            self.rates[TWO_SPACES].1 += any;
            let t = line.trim_start();
            if t.is_empty() {
                continue;
            }
            self.rates[BULLETS].1 += 1;
            if is_bullet(t) {
                self.rates[BULLETS].0 += 1;
            }
        }
        let joined = body
            .lines()
            .map(|l| strip_bullet(l.trim_start()))
            .flat_map(str::split_whitespace)
            .collect::<Vec<_>>()
            .join(" ");
        self.count_trigrams(&joined);
        let mut sentences = 0;
        for sentence in sentences_of(&joined) {
            let words = self.sentence(sentence, vocabulary);
            if words > 0 {
                sentences += 1;
                self.lengths[0].push(words);
            }
        }
        if sentences > 0 {
            self.sentences += sentences as u32;
            self.lengths[1].push(sentences);
            if !ends_a_sentence(&joined) {
                self.rates[SLIPS].0 += 1;
            }
        }
    }

    /// Counts the character trigrams of a paragraph (whitespace already collapsed), leaving
    /// out links and addresses; the paragraph break counts as a space.
    fn count_trigrams(&mut self, joined: &str) {
        let mut window = [' '; 3];
        let kept = joined
            .split(' ')
            .filter(|c| !(c.contains("://") || c.starts_with("www.") || c.contains('@')));
        for (i, chunk) in kept.enumerate() {
            let space = (i > 0).then_some(' ');
            for c in space
                .into_iter()
                .chain(chunk.chars().flat_map(char::to_lowercase))
            {
                window = [window[1], window[2], c];
                if window[0] != ' ' || window[1] != ' ' {
                    self.trigrams[trigram_bucket(window)] += 1;
                }
            }
        }
    }

    /// Counts one sentence; returns its word count.
    fn sentence(&mut self, sentence: &str, vocabulary: &mut [u32]) -> usize {
        let mut words = 0;
        let mut previous = String::new();
        for chunk in sentence.split(' ') {
            if chunk.contains("://") || chunk.starts_with("www.") || chunk.contains('@') {
                continue;
            }
            for word in words_of(chunk) {
                words += 1;
                let lower = word.to_lowercase().replace('\u{2019}', "'");
                self.word(word, &lower, &previous, vocabulary);
                previous = lower;
            }
        }
        if words == 0 {
            return 0;
        }
        let end = sentence
            .trim_end()
            .trim_end_matches(['"', '\'', ')', '\u{201d}', '\u{2019}']);
        self.rates[EXCLAMATIONS].1 += 1;
        self.rates[QUESTIONS].1 += 1;
        if end.ends_with('!') {
            self.rates[EXCLAMATIONS].0 += 1;
        }
        if end.ends_with('?') {
            self.rates[QUESTIONS].0 += 1;
        }
        if let Some(first) = sentence.chars().next().filter(|c| c.is_alphabetic()) {
            self.rates[LOWERCASE_STARTS].1 += 1;
            if first.is_lowercase() {
                self.rates[LOWERCASE_STARTS].0 += 1;
                self.rates[SLIPS].0 += 1;
            }
        }
        self.rates[SLIPS].0 += typing_slips(sentence) as u32;
        self.rates[SLIPS].1 += 1;
        let per_sentence = [
            (
                EM_DASHES,
                sentence.matches(['\u{2014}', '\u{2013}']).count(),
            ),
            (DOUBLE_HYPHENS, typed_dashes(sentence)),
            (SEMICOLONS, sentence.matches(';').count() - winks(sentence)),
            (ELLIPSES, ellipses(sentence)),
            (COMMAS, sentence.matches(',').count()),
            (PARENTHESES, sentence.matches('(').count()),
            (EMOTICONS, emoticons(sentence)),
        ];
        for (i, n) in per_sentence {
            self.rates[i].0 += n as u32;
            self.rates[i].1 += 1;
        }
        self.words += words as u32;
        words
    }

    fn word(&mut self, word: &str, lower: &str, previous: &str, vocabulary: &mut [u32]) {
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        self.rates[CAPITALS].1 += 1;
        if letters >= 3 && word.chars().all(|c| !c.is_lowercase()) {
            self.rates[CAPITALS].0 += 1;
        }
        self.rates[LONG_WORDS].1 += 1;
        if letters >= 7 {
            self.rates[LONG_WORDS].0 += 1;
        }
        self.rates[INFORMAL].1 += 1;
        if INFORMAL_WORDS.binary_search(&lower).is_ok() {
            self.rates[INFORMAL].0 += 1;
        }
        if lower == "i" || lower.starts_with("i'") {
            self.rates[LOWERCASE_I].1 += 1;
            if word.starts_with('i') {
                self.rates[LOWERCASE_I].0 += 1;
                self.rates[SLIPS].0 += 1;
            }
        }
        if BARE_CONTRACTIONS.binary_search(&lower).is_ok() {
            self.rates[SLIPS].0 += 1;
        }
        if letters >= 3
            && word.chars().all(char::is_alphabetic)
            && FUNCTION_WORDS.binary_search(&lower).is_err()
        {
            self.content.push(word_bucket(lower));
        }
        if is_contraction(lower) {
            self.rates[CONTRACTIONS].0 += 1;
            self.rates[CONTRACTIONS].1 += 1;
        } else if lower == "cannot" || EXPANDABLE.binary_search(&(previous, lower)).is_ok() {
            self.rates[CONTRACTIONS].1 += 1;
        }
        if let Ok(i) = FUNCTION_WORDS.binary_search(&lower) {
            self.function[i] += 1;
        }
        if let Ok(i) = VOCABULARY.binary_search(&lower) {
            vocabulary[i] += 1;
        }
    }
}

/// Messages with fewer words of the writer's own say too little to learn from.
pub const MIN_WORDS: u32 = 10;

/// The bucket of a character trigram: FNV-1a of its characters, modulo the bucket count.
fn trigram_bucket(chars: [char; 3]) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for c in chars {
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
        }
    }
    h as usize % TRIGRAM_BUCKETS
}

/// The bucket of a content word: FNV-1a of its lower-case letters, modulo the bucket count.
fn word_bucket(lower: &str) -> u16 {
    let mut h: u32 = 0x811c_9dc5;
    for b in lower.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    (h as usize % WORD_BUCKETS) as u16
}

/// Whether a paragraph (whitespace collapsed) ends as a sentence does: with a full stop, a
/// question or exclamation mark, a colon or an ellipsis, closing quotes and brackets aside.
fn ends_a_sentence(paragraph: &str) -> bool {
    let end = paragraph
        .trim_end()
        .trim_end_matches(['"', '\'', ')', ']', '\u{201d}', '\u{2019}']);
    end.ends_with(['.', '!', '?', ':', ';', '\u{2026}'])
        || end
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.contains("://") || w.contains('@'))
}

/// Typing slips in a sentence that a polish removes: a doubled full stop (`..`, not an
/// ellipsis), doubled `!` or `?`, a space before `,` `?` `!`, and no space after a comma
/// between letters. Links and addresses are left out.
fn typing_slips(sentence: &str) -> usize {
    let mut slips = 0;
    for chunk in sentence.split(' ') {
        if chunk.contains("://") || chunk.starts_with("www.") || chunk.contains('@') {
            continue;
        }
        if chunk.starts_with([',', '?', '!']) {
            slips += 1;
        }
        let chars: Vec<char> = chunk.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let run = chars[i..].iter().take_while(|&&x| x == c).count();
            match c {
                '.' if run == 2 => slips += 1,
                '!' | '?' if run >= 2 => slips += 1,
                ',' if i > 0
                    && chars[i - 1].is_alphabetic()
                    && chars.get(i + 1).is_some_and(|x| x.is_alphabetic()) =>
                {
                    slips += 1
                }
                _ => {}
            }
            i += run;
        }
    }
    slips
}

fn first_word(s: &str) -> &str {
    s.split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

/// The kind of greeting a greeting line's first word (lower case) is, in English or in one of
/// the other languages `redline-text` reads greetings in ("Bonjour" is a hello, "Liebe" and
/// "Estimado" a dear, "Hola" and "Ciao" a hi).
fn greeting_kind(word: &str) -> usize {
    let kind = match word {
        "hi" | "hiya" | "salut" | "coucou" | "hallo" | "moin" | "servus" | "hola" | "ciao"
        | "olá" | "hoi" => "hi",
        "hey" => "hey",
        "hello" | "bonjour" | "bonsoir" | "guten" | "buenos" | "buenas" | "buongiorno"
        | "salve" | "bom" | "boa" => "hello",
        "dear" | "cher" | "chère" | "chers" | "chères" | "liebe" | "lieber" | "sehr"
        | "estimado" | "estimada" | "estimados" | "querido" | "querida" | "gentile" | "gentili"
        | "prezado" | "prezada" | "beste" | "geachte" => "dear",
        _ => "other",
    };
    GREETINGS.iter().position(|g| *g == kind).unwrap_or(0)
}

/// The kind of sign-off a sign-off line (lower case) is: the formal ones of every language
/// `redline-text` reads are regards, the thank-yous thanks, the warm everyday ones best, the
/// casual ones cheers.
fn sign_off_kind(text: &str) -> usize {
    const REGARDS: &[&str] = &[
        "sincerely",
        "cordialement",
        "bien cordialement",
        "bien à vous",
        "mit freundlichen",
        "freundliche",
        "atentamente",
        "cordiali",
        "distinti",
        "atenciosamente",
        "cumprimentos",
        "met vriendelijke",
        "vriendelijke",
        "hartelijke",
    ];
    const THANKS: &[&str] = &[
        "thank",
        "many thanks",
        "merci",
        "danke",
        "vielen dank",
        "gracias",
        "muchas gracias",
        "grazie",
        "obrigad",
        "bedankt",
    ];
    const CHEERS: &[&str] = &[
        "cheers",
        "bises",
        "abrazos",
        "un abrazo",
        "abraços",
        "groetjes",
    ];
    let starts = |list: &[&str]| list.iter().any(|p| text.starts_with(p));
    let kind = if text.contains("regards") || starts(REGARDS) {
        "regards"
    } else if starts(THANKS) {
        "thanks"
    } else if text.starts_with("best") || text.starts_with("all the best") {
        "best"
    } else if starts(CHEERS) {
        "cheers"
    } else if text.contains("grüße")
        || text.contains("grüsse")
        || text.contains("gruß")
        || text.contains("saludo")
        || text.contains("salut")
        || text.contains("groet")
        || starts(&[
            "amicalement",
            "bonne journée",
            "à bientôt",
            "bis bald",
            "a presto",
        ])
    {
        "best"
    } else {
        "other"
    };
    SIGN_OFFS.iter().position(|g| *g == kind).unwrap_or(0)
}

fn strip_bullet(line: &str) -> &str {
    if is_bullet(line) {
        line.split_once(' ').map_or(line, |(_, rest)| rest)
    } else {
        line
    }
}

fn is_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('-' | '*' | '\u{2022}') => chars.next() == Some(' '),
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    }
}

fn is_contraction(lower: &str) -> bool {
    CONTRACTED_WORDS.binary_search(&lower).is_ok()
        || CONTRACTED_ENDINGS
            .iter()
            .any(|e| lower.len() > e.len() && lower.ends_with(e))
}

/// Splits a paragraph (whitespace already collapsed) after `.`, `!`, `?` or `…` runs that are
/// followed by a space.
fn sentences_of(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    for (i, c) in text.char_indices() {
        let terminal = matches!(c, '.' | '!' | '?' | '\u{2026}');
        let next = i + c.len_utf8();
        if terminal && next < bytes.len() && bytes[next] == b' ' {
            cuts.push(next + 1);
        }
    }
    cuts.push(text.len());
    let mut start = 0;
    cuts.into_iter().filter_map(move |end| {
        let s = text[start..end].trim();
        start = end;
        (!s.is_empty()).then_some(s)
    })
}

/// The words of a chunk without spaces: runs of letters and digits with inner apostrophes and
/// hyphens, keeping only those with a letter.
fn words_of(chunk: &str) -> impl Iterator<Item = &str> {
    chunk
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphabetic))
}

/// Sentence breaks inside a line (`.`, `!` or `?`, spaces, a capital letter): how many have
/// two spaces, and how many there are.
fn sentence_breaks(line: &str) -> (u32, u32) {
    let b = line.as_bytes();
    let (mut two, mut any) = (0, 0);
    for i in 0..b.len() {
        if !matches!(b[i], b'.' | b'!' | b'?') || b.get(i + 1) != Some(&b' ') {
            continue;
        }
        let spaces = b[i + 1..].iter().take_while(|&&c| c == b' ').count();
        if spaces <= 2 && b.get(i + 1 + spaces).is_some_and(u8::is_ascii_uppercase) {
            any += 1;
            if spaces == 2 {
                two += 1;
            }
        }
    }
    (two, any)
}

/// Dashes typed as `--` (not longer runs) or as a hyphen between spaces.
fn typed_dashes(s: &str) -> usize {
    let mut count = 0;
    let mut run = 0;
    for c in s.chars().chain(std::iter::once(' ')) {
        if c == '-' {
            run += 1;
        } else {
            count += usize::from(run == 2);
            run = 0;
        }
    }
    count + s.matches(" - ").count()
}

fn ellipses(s: &str) -> usize {
    s.matches("...").count() - s.matches("....").count() + s.matches('\u{2026}').count()
}

fn winks(s: &str) -> usize {
    s.matches(";)").count() + s.matches(";-)").count()
}

fn emoticons(s: &str) -> usize {
    [
        ":)", ":-)", ";)", ";-)", ":(", ":-(", ":D", ":-D", ":P", ":-P",
    ]
    .iter()
    .map(|e| s.matches(e).count())
    .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [FUNCTION_WORDS, VOCABULARY, INFORMAL_WORDS, CONTRACTED_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
        assert!(EXPANDABLE.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn counts_the_writers_own_text_only() {
        let text = "Hey Sam,\n\ni don't think so... it is late; we'll see -- maybe Friday!\n\nOn Mon, Dana wrote:\n> I wanted to leverage our synergy.\n\nCheers,\nAlex\n";
        let s = Sample::of(&Document::parse(text));
        assert_eq!(GREETINGS[s.greeting], "hey");
        assert_eq!(s.greeting_word.as_deref(), Some("Hey"));
        assert_eq!(SIGN_OFFS[s.sign_off], "cheers");
        assert_eq!(s.sentences, 2);
        assert_eq!(s.words, 11);
        assert_eq!(s.rates[CONTRACTIONS], (2, 3), "don't, we'll; 'it is'");
        assert_eq!(s.rates[LOWERCASE_I], (1, 1));
        assert_eq!(s.rates[LOWERCASE_STARTS], (2, 2));
        assert_eq!(s.rates[EXCLAMATIONS], (1, 2));
        assert_eq!(s.rates[ELLIPSES].0, 1);
        assert_eq!(s.rates[SEMICOLONS].0, 1);
        assert_eq!(s.rates[DOUBLE_HYPHENS].0, 1);
        assert_eq!(typed_dashes("a --- b -- c - d ----"), 2);
        assert_eq!(sentence_breaks("One.  Two. Three!  four. 5"), (1, 2));
        assert!(s.vocabulary.is_empty(), "quoted words are not the writer's");
    }

    #[test]
    fn greetings_and_sign_offs_in_other_languages_fall_into_the_same_kinds() {
        for (text, greeting, word, sign_off) in [
            (
                "Bonjour Marie,\n\nLe devis est prêt.\n\nCordialement,\nLéa\n",
                "hello",
                "Bonjour",
                "regards",
            ),
            (
                "Liebe Anna,\n\ndas Angebot liegt bei.\n\nViele Grüße\nJonas\n",
                "dear",
                "Liebe",
                "best",
            ),
            (
                "Sehr geehrte Frau Roth,\n\nanbei das Angebot.\n\nMit freundlichen Grüßen\nJonas\n",
                "dear",
                "Sehr",
                "regards",
            ),
            (
                "Hola Ana,\n\nte envío el presupuesto.\n\nGracias,\nPablo\n",
                "hi",
                "Hola",
                "thanks",
            ),
            (
                "Ciao Luca,\n\necco il preventivo.\n\nUn abrazo,\nMarco\n",
                "hi",
                "Ciao",
                "cheers",
            ),
        ] {
            let s = Sample::of(&Document::parse(text));
            assert_eq!(GREETINGS[s.greeting], greeting, "{text}");
            assert_eq!(s.greeting_word.as_deref(), Some(word), "{text}");
            assert_eq!(SIGN_OFFS[s.sign_off], sign_off, "{text}");
        }
    }

    #[test]
    fn trigrams_are_counted_lower_case_without_links_or_addresses() {
        let plain = Sample::of(&Document::parse("See it now, Sam.\n"));
        let linked = Sample::of(&Document::parse(
            "see http://example.com/x it sam@example.com now, sam.\n",
        ));
        assert_eq!(plain.trigrams, linked.trigrams);
        assert_eq!(plain.trigrams.len(), TRIGRAM_BUCKETS);
        // "see it now, sam." has 16 characters: 14 trigrams, plus the leading " s".
        assert_eq!(plain.trigrams.iter().sum::<u32>(), 15);
    }

    #[test]
    fn slips_a_polish_would_fix_are_counted_per_sentence() {
        let sloppy = "yeah i dont know.. its fine ,really\n\nI looked at it,then left.  Done\n";
        let s = Sample::of(&Document::parse(sloppy));
        // Two lower-case starts, a lower-case 'i', 'dont', '..', ' ,' and no closing full stop
        // in the first paragraph; ',t', two spaces and no closing full stop in the second.
        assert_eq!(s.rates[SLIPS], (10, 4));
        let tidy = "Yes, I don't know... It's fine, really.\n\nI looked at it, then left. Done.\n";
        assert_eq!(Sample::of(&Document::parse(tidy)).rates[SLIPS], (0, 4));
        assert_eq!(
            typing_slips("see http://a.b/x,y or 1,000 and e.g. this!!"),
            1
        );
        assert!(ends_a_sentence("see https://example.com/a"));
        assert!(!ends_a_sentence("more later"));
    }

    #[test]
    fn content_words_are_kept_as_buckets_once_each() {
        let s = Sample::of(&Document::parse(
            "The parser and the Parser again; see sam@example.com about it.\n",
        ));
        // 'parser' (twice, either case), 'again', 'see': function words, short words and
        // addresses are not content words.
        let mut expected: Vec<u16> = ["parser", "again", "see"]
            .iter()
            .map(|w| word_bucket(w))
            .collect();
        expected.sort_unstable();
        assert_eq!(s.content, expected);
    }

    #[test]
    fn links_addresses_and_bullets() {
        let text =
            "Here is the list:\n- see http://example.com/a-b for it\n- mail sam@example.com\n";
        let s = Sample::of(&Document::parse(text));
        assert_eq!(s.rates[BULLETS], (2, 3));
        assert_eq!(s.words, 8, "the link and the address are not words");
    }
}
