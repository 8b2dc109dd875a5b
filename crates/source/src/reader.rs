//! Files read through one place: text from disk, and a count of the reads per path, so a
//! caller (or a test) can see that a file was read once however often its content is used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use cartwright_diag::Diagnostic;

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file system refused.
    #[error("cannot read `{file}`: {reason}")]
    Io {
        /// The file as named.
        file: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The bytes are not UTF-8.
    #[error("`{file}` is not UTF-8 (invalid byte at offset {offset})")]
    Encoding {
        /// The file as named.
        file: String,
        /// Where the first invalid byte is.
        offset: usize,
    },
}

impl ReadError {
    /// The error as a diagnostic (`io` or `encoding`).
    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            ReadError::Io { .. } => "io",
            ReadError::Encoding { .. } => "encoding",
        };
        Diagnostic::error(code, self.to_string())
    }

    /// Only the reason, without the file name (for messages that name the file themselves).
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { reason, .. } => reason.clone(),
            ReadError::Encoding { offset, .. } => format!("not UTF-8 (invalid byte at {offset})"),
        }
    }
}

/// Reads files as text and counts, per path, how often each was read.
#[derive(Debug, Default)]
pub struct Reader {
    reads: Mutex<HashMap<PathBuf, usize>>,
}

impl Reader {
    /// A reader that has read nothing yet.
    pub fn new() -> Self {
        Reader::default()
    }

    /// The file's text (UTF-8, without a byte-order mark left in).
    pub fn text(&self, path: &Path) -> Result<String, ReadError> {
        *self
            .reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(path.to_path_buf())
            .or_default() += 1;
        text(path)
    }

    /// How often `path` was read through this reader.
    pub fn reads(&self, path: &Path) -> usize {
        self.reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(path)
            .copied()
            .unwrap_or(0)
    }
}

/// Reads a file as UTF-8 text.
pub(crate) fn text(path: &Path) -> Result<String, ReadError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| ReadError::Encoding {
        file,
        offset: e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_counted_per_path() {
        let dir = std::env::temp_dir().join(format!("cartwright-reader-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        let file = dir.join("a.yaml");
        std::fs::write(&file, "a: 1\n").expect("write");
        let reader = Reader::new();
        assert_eq!(reader.text(&file).expect("reads"), "a: 1\n");
        assert_eq!(reader.reads(&file), 1);
        let _ = reader.text(&file);
        assert_eq!(reader.reads(&file), 2);
        let missing = reader.text(&dir.join("none.yaml")).expect_err("missing");
        assert!(matches!(missing, ReadError::Io { .. }));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
