//! Errors that name the file, line and column they come from.

use std::fmt;
use std::sync::Arc;

/// A place in a rule or config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user would name it.
    pub file: Arc<str>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Location {
    /// The location of byte `offset` in `source`, the contents of `file`.
    pub fn at(file: &Arc<str>, source: &str, offset: usize) -> Self {
        let at = redline_text::LineIndex::new(source).line_col(source, offset);
        Location {
            file: Arc::clone(file),
            line: at.line,
            column: at.column,
        }
    }

    /// The start of `file`, for problems with the file as a whole.
    pub fn file(file: &Arc<str>) -> Self {
        Location {
            file: Arc::clone(file),
            line: 1,
            column: 1,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
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
