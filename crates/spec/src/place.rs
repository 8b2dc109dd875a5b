//! Turns diagnostics' JSON pointers into `file:line:col` spans.

use cartwright_diag::{Diagnostic, Sources};
use cartwright_source::span_of;

use crate::bundle::FilePart;

/// Gives every diagnostic with a pointer (into the bundled document) a span in its own file,
/// and rewrites the pointer to be relative to that file.
pub(crate) fn place(diags: &mut [Diagnostic], files: &[FilePart], sources: &Sources) {
    for d in diags.iter_mut() {
        if d.span.is_some() {
            continue;
        }
        let Some(pointer) = d.pointer.clone() else {
            continue;
        };
        let part = files
            .iter()
            .filter(|f| pointer.starts_with(&f.prefix))
            .max_by_key(|f| f.prefix.len());
        let Some(part) = part else { continue };
        let local = pointer[part.prefix.len()..].to_owned();
        d.span = span_of(&part.file, &local, sources);
        d.pointer = Some(local);
    }
}

/// Drops repeated findings (a shared schema is reached by several operations) and orders
/// the rest by place, so a user reads a file top to bottom.
pub(crate) fn tidy(diags: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| {
        seen.insert((
            d.code.clone(),
            d.pointer.clone(),
            d.span.clone(),
            d.message.clone(),
        ))
    });
    diags.sort_by_key(|d| {
        d.span
            .as_ref()
            .map(|s| (s.file.clone(), s.start.line, s.start.column))
    });
}
