//! Any bytes, read as each kind of input, give a well-formed document: regions in order and
//! inside the text, and every span mapping back inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_text::{InputKind, MboxReader, read_draft};

fuzz_target!(|data: &[u8]| {
    for kind in [InputKind::Plain, InputKind::Message, InputKind::Html] {
        let draft = read_draft(kind, data, 0);
        let doc = &draft.doc;
        let text = doc.text();
        let mut end = 0;
        for r in doc.regions() {
            assert!(r.span.start >= end && r.span.start <= r.span.end && r.span.end <= text.len());
            assert!(text.is_char_boundary(r.span.start) && text.is_char_boundary(r.span.end));
            end = r.span.end;
        }
        for (i, _) in text.char_indices().step_by(7) {
            if let Some(raw) = doc.input_span(i..text.len().min(i + 5)) {
                assert!(raw.start <= raw.end && raw.end <= data.len(), "{raw:?} beyond {}", data.len());
            }
        }
    }
    for message in MboxReader::new(data) {
        let (base, bytes) = message.expect("reading memory cannot fail");
        assert_eq!(&data[base..base + bytes.len()], &bytes[..]);
    }
});
