//! Embeds every `rules/<pack>/*.toml` file of the repository, so the binary carries its
//! default packs wherever it is installed.

use std::fmt::Write;
use std::path::Path;

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
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let shown = format!("rules/{name}/{}", f.file_name().unwrap().to_string_lossy());
            let abs = f.canonicalize().unwrap();
            writeln!(
                out,
                "        ({shown:?}, include_str!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        writeln!(out, "    ]),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("packs.rs");
    std::fs::write(dest, out).unwrap();
}
