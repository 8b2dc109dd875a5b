//! Standard output for the commands whose exit code is a verdict (`verify`, `run`, `lint`).
//! A reader that stops early (`cartwright verify ... | head -1`) closes stdout; the report
//! is then not written, but the checks already decided the exit code, and a failed run must
//! not end 0 because nobody read its report. So a write to a closed stdout is dropped
//! instead of panicking, and the command ends with its own code.

use std::fmt::Arguments;
use std::io::Write;

/// Writes `text` to stdout; a write that fails (a closed pipe) is dropped.
pub(crate) fn write(text: Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_fmt(text).and_then(|()| stdout.flush());
}

/// `print!` that survives a closed stdout.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*))
    };
}

/// `println!` that survives a closed stdout.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};
