//! JSON Schemas for rule files and config files, generated from the types that read them.

/// The JSON Schema of a rule file (`rules/<pack>/*.toml`), pretty-printed.
pub fn rule_file_schema() -> String {
    let schema = schemars::schema_for!(crate::raw::RuleFile);
    serde_json::to_string_pretty(&schema).expect("schemas serialise") + "\n"
}

/// The JSON Schema of `.redline.toml`, pretty-printed.
pub fn config_schema() -> String {
    serde_json::to_string_pretty(&crate::config::schema()).expect("schemas serialise") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed schemas must be what the types generate; regenerate them with
    /// `cargo run -p redline-rules --example schema`.
    #[test]
    fn committed_schemas_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
        for (file, generated) in [
            ("rule-file.schema.json", rule_file_schema()),
            ("config.schema.json", config_schema()),
        ] {
            let committed = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
            assert!(
                committed == generated,
                "schema/{file} is stale: run `cargo run -p redline-rules --example schema`"
            );
        }
    }
}
