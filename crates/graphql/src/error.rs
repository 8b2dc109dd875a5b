//! Why a schema or a fixture file could not be loaded, with the place in the file.

/// A schema or fixture file that cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The SDL does not parse.
    #[error("{source_name}:{line}:{column}: {message}")]
    Syntax {
        /// The file's name as given.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The SDL parses but is not a consistent schema (an unknown type, a missing root).
    #[error("{0}")]
    Invalid(String),
    /// The fixture file does not read as the fixture format.
    #[error("{source_name}: {message}")]
    Fixtures {
        /// The file's name as given.
        source_name: String,
        /// What is wrong, with its place where the reader gives one.
        message: String,
    },
}
