//! The engine on any text: findings lie on character boundaries inside the text, and fixes
//! edit inside it.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use redline_email::Linter;

fuzz_target!(|data: &[u8]| {
    static LINTER: OnceLock<Linter> = OnceLock::new();
    let linter = LINTER.get_or_init(|| Linter::builder().build().expect("shipped packs load"));
    let text = String::from_utf8_lossy(data);
    for f in linter.check(&text) {
        assert!(f.span.start < f.span.end && f.span.end <= text.len());
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        if let Some(fix) = &f.fix {
            assert!(fix.span.start <= fix.span.end && fix.span.end <= text.len());
            assert!(text.is_char_boundary(fix.span.start) && text.is_char_boundary(fix.span.end));
        }
    }
});
