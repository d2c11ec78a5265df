//! Config and rule-pack loading on any text: never a panic or a stack overflow, every error
//! names a place inside the file, and whatever loads also builds a linter that checks a draft.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use redline_email::Linter;
use redline_rules::{ConfigFile, LoadError, PackSource};

const MANIFEST: &str = "name = \"fuzz\"\nversion = \"1\"\ndescription = \"d\"\n";
const DRAFT: &str = "Subject: hi\n\nHi Dana,\n\nI wanted to reach out about Denver.\n\nBest,\nAlex\n";

/// An error about `src` names a line of it (or the file as a whole).
fn inside(e: &LoadError, src: &str) {
    let lines = src.split('\n').count();
    assert!(e.location.line <= lines, "{e} is past line {lines}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let src = String::from_utf8_lossy(rest);
    if mode % 2 == 0 {
        let label: Arc<str> = "fuzz.toml".into();
        match ConfigFile::parse(&label, &src, Path::new("/nonexistent")) {
            Err(e) => inside(&e, &src),
            Ok(mut settings) => {
                settings.packs.clear();
                if let Err(errors) = Linter::from_settings(settings) {
                    for e in &errors.0 {
                        inside(e, &src);
                    }
                }
            }
        }
    } else {
        let source = PackSource {
            folder: "fuzz".into(),
            files: vec![
                ("fuzz/pack.toml".into(), MANIFEST.into()),
                ("fuzz/rules.toml".into(), src.to_string()),
            ],
        };
        match Linter::builder().without_builtin().pack(source).build() {
            Err(errors) => {
                for e in errors.0.iter().filter(|e| &*e.location.file == "fuzz/rules.toml") {
                    inside(e, &src);
                }
            }
            Ok(linter) => {
                for f in linter.check(DRAFT) {
                    assert!(f.span.end <= DRAFT.len());
                }
            }
        }
    }
});
