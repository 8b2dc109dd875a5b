//! JSON pointers as `file:line:col` spans.

use cartwright_diag::{Position, Sources, Span};

use crate::locate::locate;

/// The span of a pointer in a registered file, pointing at the key unless the node is a
/// `$ref` string (or the root).
pub fn span_of(file: &str, pointer: &str, sources: &Sources) -> Option<Span> {
    let text = sources.get(file)?;
    let key = !pointer.ends_with("/$ref") && !pointer.is_empty();
    span_at(file, text, pointer, key)
}

/// The span of a pointer in `text`, named `file`: the mapping key with `key`, else the value.
pub fn span_at(file: &str, text: &str, pointer: &str, key: bool) -> Option<Span> {
    let (at, _) = locate(text, pointer, key)?;
    Some(Span {
        file: file.to_owned(),
        start: Position {
            line: at.line,
            column: at.column,
        },
        len: at.len.max(1),
    })
}
