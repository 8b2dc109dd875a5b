//! Files read through one place: text from disk, and a count of the reads per path, so a
//! caller (or a test) can see that a file was read once however often its content is used.
//!
//! Every read is bounded: only regular files are opened (`/dev/zero`, a FIFO or a folder
//! would stream or block forever), and no more than a limit of bytes is taken, so a hostile
//! `$ref` or `include:` cannot fill memory.

use std::collections::HashMap;
use std::io::Read;
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
    /// Not a regular file (a device, a FIFO, a folder): reading it could stream or block.
    #[error("cannot read `{file}`: it is {kind}, not a regular file")]
    NotAFile {
        /// The file as named.
        file: String,
        /// What it is instead (`a folder`, `a device or FIFO`).
        kind: &'static str,
    },
    /// Larger than the bound.
    #[error("cannot read `{file}`: it is larger than {limit} bytes (the bound set by {flag})")]
    TooLarge {
        /// The file as named.
        file: String,
        /// The bound, in bytes.
        limit: u64,
        /// The flag that sets the bound.
        flag: &'static str,
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
            ReadError::Io { .. } | ReadError::NotAFile { .. } => "io",
            ReadError::TooLarge { .. } => "too-large",
            ReadError::Encoding { .. } => "encoding",
        };
        Diagnostic::error(code, self.to_string())
    }

    /// Only the reason, without the file name (for messages that name the file themselves).
    pub fn reason(&self) -> String {
        match self {
            ReadError::Io { reason, .. } => reason.clone(),
            ReadError::NotAFile { kind, .. } => format!("it is {kind}, not a regular file"),
            ReadError::TooLarge { limit, flag, .. } => {
                format!("it is larger than {limit} bytes (the bound set by {flag})")
            }
            ReadError::Encoding { offset, .. } => format!("not UTF-8 (invalid byte at {offset})"),
        }
    }
}

/// A bound on the bytes of one file, and the flag that sets it (named in the error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The most bytes read from one file.
    pub bytes: u64,
    /// The command-line flag that sets it, for the error message.
    pub flag: &'static str,
}

/// 32 MB: far above any real spec or scenario (the Medusa spec is under 1 MB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

impl Default for Limit {
    fn default() -> Self {
        Limit {
            bytes: DEFAULT_MAX_FILE_BYTES,
            flag: "--max-file-bytes",
        }
    }
}

/// Reads files as text and counts, per path, how often each was read.
#[derive(Debug, Default)]
pub struct Reader {
    reads: Mutex<HashMap<PathBuf, usize>>,
    limit: Limit,
}

impl Reader {
    /// A reader that has read nothing yet, with the default bound.
    pub fn new() -> Self {
        Reader::default()
    }

    /// A reader taking at most `limit` bytes of each file.
    pub fn with_limit(limit: Limit) -> Self {
        Reader {
            limit,
            ..Reader::default()
        }
    }

    /// The file's text (UTF-8, without a byte-order mark left in).
    pub fn text(&self, path: &Path) -> Result<String, ReadError> {
        *self
            .reads
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(path.to_path_buf())
            .or_default() += 1;
        text(path, self.limit)
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

/// Reads a regular file as UTF-8 text, at most `limit` bytes of it.
pub(crate) fn text(path: &Path, limit: Limit) -> Result<String, ReadError> {
    let file = path.display().to_string();
    let io = |e: std::io::Error| ReadError::Io {
        file: file.clone(),
        reason: e.to_string(),
    };
    // Asked before opening: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device or FIFO"
        };
        return Err(ReadError::NotAFile {
            file: file.clone(),
            kind,
        });
    }
    let too_large = || ReadError::TooLarge {
        file: file.clone(),
        limit: limit.bytes,
        flag: limit.flag,
    };
    if meta.len() > limit.bytes {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(limit.bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    // The file may have grown since it was measured.
    if bytes.len() as u64 > limit.bytes {
        return Err(too_large());
    }
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

    #[test]
    fn devices_folders_and_fifos_are_refused_without_reading() {
        let dir = tempdir("kinds");
        let refused = |p: &Path| text(p, Limit::default()).expect_err("refused");
        let zero = refused(Path::new("/dev/zero"));
        assert!(
            zero.to_string()
                .contains("`/dev/zero`: it is a device or FIFO"),
            "{zero}"
        );
        assert!(refused(&dir).to_string().contains("a folder"));
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            // Opening a FIFO with no writer would block: the refusal comes before `open`.
            assert!(matches!(refused(&fifo), ReadError::NotAFile { .. }));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_file_over_the_bound_is_refused_naming_the_bound_and_its_flag() {
        let dir = tempdir("bound");
        let file = dir.join("big.yaml");
        std::fs::write(&file, "a: 12345\n").expect("write");
        let limit = Limit {
            bytes: 8,
            flag: "--max-spec-bytes",
        };
        let err = text(&file, limit).expect_err("over");
        let msg = err.to_string();
        assert!(msg.contains("big.yaml"), "{msg}");
        assert!(
            msg.contains("larger than 8 bytes (the bound set by --max-spec-bytes)"),
            "{msg}"
        );
        assert_eq!(err.to_diagnostic().code, "too-large");
        let at_bound = Limit { bytes: 9, ..limit };
        assert_eq!(text(&file, at_bound).expect("fits"), "a: 12345\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempdir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("cartwright-reader-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }
}
