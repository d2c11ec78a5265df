//! Writes the JSON Schemas for rule files and `.redline.toml` into `schema/`.

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schema");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("rule-file.schema.json"),
        redline_rules::rule_file_schema(),
    )?;
    std::fs::write(
        dir.join("config.schema.json"),
        redline_rules::config_schema(),
    )?;
    Ok(())
}
