//! Embeds every `rules/<pack>/*.toml` file of the repository, so the binary carries its
//! default packs wherever it is installed; and loads them here, strictly, into a snapshot
//! (`RuleSet::to_snapshot`) that the binary loads without parsing TOML, and compiles their
//! phrase automaton (`redline_phrase::Compiled`) into statics, so no run builds it. A shipped
//! pack with an error fails the build, naming file, line and column.

use std::fmt::Write;
use std::path::Path;

use redline_rules::{PackSource, RuleSet};

fn main() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut packs: Vec<_> = std::fs::read_dir(&rules)
        .expect("rules/ exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("pack.toml").is_file())
        .collect();
    packs.sort();
    let mut sources = Vec::new();
    let mut out = String::from(
        "/// `(pack folder, [(path, contents)])` for every shipped pack.\npub static PACKS: &[(&str, &[(&str, &str)])] = &[\n",
    );
    for pack in &packs {
        println!("cargo:rerun-if-changed={}", pack.display());
        let name = pack.file_name().unwrap().to_string_lossy();
        let mut files: Vec<_> = std::fs::read_dir(pack)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        writeln!(out, "    ({name:?}, &[").unwrap();
        let mut source = PackSource {
            folder: name.to_string(),
            files: Vec::new(),
        };
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let shown = format!("rules/{name}/{}", f.file_name().unwrap().to_string_lossy());
            let abs = f.canonicalize().unwrap();
            source
                .files
                .push((shown.clone(), std::fs::read_to_string(&abs).unwrap()));
            writeln!(
                out,
                "        ({shown:?}, include_str!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "    ]),").unwrap();
        sources.push(source);
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("packs.rs"), out).unwrap();
    let set = match RuleSet::load_with_shipped(&sources, &[]) {
        Ok(set) => set,
        Err(errors) => panic!("the shipped packs do not load:\n{errors}"),
    };
    std::fs::write(Path::new(&out_dir).join("packs.bin"), set.to_snapshot()).unwrap();
    // Every literal of every rule, enabled or not, in the engine's order: a linter over any
    // subset of these rules finds its phrases with this automaton and builds none.
    let mut literals = Vec::new();
    for rule in &set.rules {
        rule.for_each_literal(|of, text| literals.push((text, of.whole_words())));
    }
    let phrases = redline_phrase::Compiled::new(literals)
        .unwrap_or_else(|e| panic!("the shipped phrases do not compile: {e}"));
    std::fs::write(
        Path::new(&out_dir).join("phrases.rs"),
        phrases.to_rust("BUILTIN_PHRASES"),
    )
    .unwrap();
}
