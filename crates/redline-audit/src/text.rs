//! Small text helpers shared by the terminal and HTML reports.

/// `n` with thousands separators: `20,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate as a percentage with one decimal, or `none` when there is no rate (an empty group).
pub fn percent(v: Option<f64>, none: &str) -> String {
    v.map_or(none.to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// `s` cut to `width` characters, with an ellipsis when cut.
pub fn clip(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut clipped: String = s.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_and_clipping() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(clip("I wanted to reach out", 9), "I wanted…");
        assert_eq!(clip("short", 9), "short");
    }
}
