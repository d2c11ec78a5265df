//! Errors that name the file, line and column they come from.

use std::fmt;
use std::sync::Arc;

/// A place in a rule or config file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// The file, as the user would name it.
    pub file: Arc<str>,
    /// 1-based line; 0 for the file as a whole.
    pub line: usize,
    /// 1-based column, in characters; 0 for the file as a whole.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source`, the contents of `file`. For many locations
    /// in one file, a [`Locator`] finds each without rescanning the file.
    pub fn at(file: &Arc<str>, source: &str, offset: usize) -> Self {
        Locator::new(file, source).at(offset)
    }

    /// A file (or folder, or command-line flag) as a whole, shown without a line or column.
    pub fn file(file: &Arc<str>) -> Self {
        Location {
            file: Arc::clone(file),
            line: 0,
            column: 0,
        }
    }

    /// Whether the location names a line and column, not only a file or flag.
    pub fn has_position(&self) -> bool {
        self.line > 0
    }

    /// The location `chars` characters further along the same line.
    pub fn right(&self, chars: usize) -> Self {
        Location {
            column: self.column + chars,
            ..self.clone()
        }
    }
}

/// Turns byte offsets of one file into locations in time linear in the file's size over all
/// calls made in increasing order (a config with 100,000 allowed phrases on one line is read
/// in one pass, not 100,000).
pub struct Locator<'a> {
    file: Arc<str>,
    source: &'a str,
    line_starts: Vec<usize>,
    /// The last offset located and its column, to count on from there on the same line.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'a> Locator<'a> {
    /// A locator for `source`, the contents of `file`.
    pub fn new(file: &Arc<str>, source: &'a str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            file: Arc::clone(file),
            source,
            line_starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The location of byte `offset` (clamped to the text, and back to a character start).
    pub fn at(&self, offset: usize) -> Location {
        let mut offset = offset.min(self.source.len());
        while !self.source.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&l| l <= offset) - 1;
        let start = self.line_starts[line];
        let (last, last_column) = self.last.get();
        let column = if start <= last && last <= offset {
            last_column + self.source[last..offset].chars().count()
        } else {
            self.source[start..offset].chars().count() + 1
        };
        self.last.set((offset, column));
        Location {
            file: Arc::clone(&self.file),
            line: line + 1,
            column,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.has_position() {
            write!(f, "{}:{}:{}", self.file, self.line, self.column)
        } else {
            write!(f, "{}", self.file)
        }
    }
}

/// A problem in a rule pack or config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// Where it is.
    pub location: Location,
    /// What is wrong, and how to fix it where that is not obvious.
    pub message: String,
}

impl LoadError {
    /// An error at `location`.
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        LoadError {
            location,
            message: message.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for LoadError {}

/// Every problem found while loading, so a rule author fixes them in one pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

impl From<LoadError> for LoadErrors {
    fn from(e: LoadError) -> Self {
        LoadErrors(vec![e])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_count_lines_and_characters() {
        let file: Arc<str> = "f.toml".into();
        let src = "a = 1\nb = \"é\", \"x\"\n";
        let at = Locator::new(&file, src);
        let x = src.find("\"x").unwrap();
        assert_eq!(at.at(x).to_string(), "f.toml:2:10");
        assert_eq!(at.at(0).to_string(), "f.toml:1:1", "backwards works too");
        assert_eq!(at.at(src.find('b').unwrap()).to_string(), "f.toml:2:1");
        assert_eq!(
            at.at(x).to_string(),
            Location::at(&file, src, x).to_string()
        );
        assert_eq!(Location::file(&file).to_string(), "f.toml");
    }
}
