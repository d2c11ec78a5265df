//! Drafts as redline reads them.
//!
//! Everything downstream works in byte offsets into the original input. This crate holds the
//! three pieces that make that possible:
//!
//! - [`normalize`]: a lower-cased, whitespace-collapsed, typography-folded copy of the text
//!   with an [`OffsetMap`] back to the original bytes, so matchers can be simple and spans exact;
//! - [`Document`]: the text split into regions (subject, greeting, paragraphs, sign-off,
//!   signature, quoted reply) so rules can choose where they apply;
//! - [`LineIndex`]: byte offsets to 1-based line/column (in characters) and to UTF-16 positions,
//!   converted once, at the edge.

mod csv_quote;
mod decode;
mod document;
mod html;
mod input;
mod lines;
mod message;
mod normalize;
mod read;
mod walk;

pub use csv_quote::{swallowed_by_open_quote, unclosed_quote, yes_no};
pub use decode::{Charset, Origin, SpanMap, quoted_printable};
pub use document::{
    DISABLE_MARKER, Document, Region, RegionKind, ScopeSet, SentenceEnd, Source, opens_marker,
};
pub use html::html_to_text;
pub use input::{DEFAULT_MAX_DRAFT_BYTES, Input, ReadError, human_size};
pub use lines::{LineCol, LineIndex, LinePos, Unit, lines_inclusive, one_line, printable};
pub use message::{
    Decoded, MediaType, Part, TransferEncoding, decode_message, emlx_message, looks_like_message,
};
pub use normalize::{
    ASCII_FOLD, Normalized, OffsetMap, fold_each, fold_while, is_invisible, normalize, phrase_key,
};
pub use read::{Draft, InputKind, MboxReader, input_kind, read_draft};
pub use walk::{WalkOptions, files_under};
