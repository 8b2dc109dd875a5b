//! Positions of JSON pointers in YAML or JSON source text.
//!
//! Documents are parsed with serde for speed, which keeps no positions. A diagnostic needs
//! `file:line:col` only for the few nodes it is about, so positions are found lazily: the
//! source is re-scanned with saphyr's event parser (JSON is YAML flow syntax, so one scanner
//! serves both) until the node at the pointer is reached. A clean load never pays for it.

use saphyr_parser::{Event, Parser, Span};

/// Where a node is in the source text: 1-based line and column, and its length in chars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in chars.
    pub column: usize,
    /// Length in chars on that line (at least 1).
    pub len: usize,
}

enum Frame {
    Map { key: Option<(String, Span)> },
    Seq { next: usize },
}

/// Finds the node at `pointer` ("" is the root). With `key`, the position of the mapping key
/// of the last token (for "this field" messages); otherwise the value. When the pointer does
/// not fully exist, the deepest existing ancestor is returned with the pointer that was found.
pub fn locate(text: &str, pointer: &str, key: bool) -> Option<(Located, String)> {
    let target: Vec<String> = crate::pointer::tokens(pointer)?;
    let mut stack: Vec<Frame> = Vec::new();
    // One entry per frame: the token that leads into it (`None` for the root).
    let mut path: Vec<Option<String>> = Vec::new();
    let mut best: Option<(usize, Located)> = None;
    for event in Parser::new_from_str(text) {
        let Ok((event, span)) = event else { break };
        match event {
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                path.pop();
                advance(&mut stack);
                continue;
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {}
            _ => continue,
        }
        // A scalar where a mapping expects a key is the key.
        if let Some(Frame::Map { key: k @ None }) = stack.last_mut() {
            if let Event::Scalar(ref s, ..) = event {
                *k = Some((s.to_string(), span));
            } else {
                // A complex key: give it a placeholder so its value is still tracked.
                *k = Some((String::new(), span));
                if matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
                    stack.push(Frame::Seq { next: 0 });
                    path.push(Some(String::new()));
                }
            }
            continue;
        }
        let (token, key_span) = match stack.last() {
            Some(Frame::Map { key: Some((k, ks)) }) => (Some(k.clone()), Some(*ks)),
            Some(Frame::Seq { next }) => (Some(next.to_string()), None),
            _ => (None, None),
        };
        let mut node_path: Vec<String> = path.iter().flatten().cloned().collect();
        node_path.extend(token.clone());
        let on_path =
            node_path.len() <= target.len() && node_path.iter().zip(&target).all(|(a, b)| a == b);
        if on_path {
            let at = match (key, key_span) {
                (true, Some(ks)) => located(text, ks),
                _ => located(text, span),
            };
            if node_path.len() == target.len() {
                return Some((at, pointer.to_owned()));
            }
            if best.is_none_or(|(d, _)| node_path.len() > d) {
                best = Some((node_path.len(), at));
            }
        }
        match event {
            Event::MappingStart(..) => {
                stack.push(Frame::Map { key: None });
                path.push(token);
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq { next: 0 });
                path.push(token);
            }
            _ => advance(&mut stack),
        }
    }
    best.map(|(depth, at)| (at, crate::pointer::from_tokens(&target[..depth])))
}

/// After a value: a mapping expects its next key, a sequence its next index.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key }) => *key = None,
        Some(Frame::Seq { next }) => *next += 1,
        None => {}
    }
}

/// A span as a position, its length clipped to its first line.
fn located(text: &str, span: Span) -> Located {
    let (start, end) = (span.start, span.end);
    let len = if end.line() == start.line() && end.col() > start.col() {
        end.col() - start.col()
    } else {
        let line = text
            .lines()
            .nth(start.line().saturating_sub(1))
            .unwrap_or("");
        line.chars().count().saturating_sub(start.col()).max(1)
    };
    Located {
        line: start.line(),
        column: start.col() + 1,
        len: len.max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /pets/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n      responses:\n        '200':\n          $ref: '#/components/responses/Pet'\n";

    #[test]
    fn finds_values_keys_and_sequence_items_in_yaml() {
        let (at, _) =
            locate(YAML, "/paths/~1pets~1{id}/get/responses/200/$ref", false).expect("found");
        assert_eq!(
            (at.line, at.column, at.len),
            (10, 17, 28),
            "the quoted string, quotes included"
        );
        let (at, _) = locate(YAML, "/paths/~1pets~1{id}/get", true).expect("found");
        assert_eq!((at.line, at.column, at.len), (4, 5, 3));
        let (at, _) = locate(YAML, "/paths/~1pets~1{id}/get/parameters/0/in", true).expect("found");
        assert_eq!((at.line, at.column), (7, 11));
    }

    #[test]
    fn missing_nodes_give_the_deepest_ancestor() {
        let (at, found) =
            locate(YAML, "/paths/~1pets~1{id}/get/requestBody/content", true).expect("ancestor");
        assert_eq!(found, "/paths/~1pets~1{id}/get");
        assert_eq!(at.line, 4);
    }

    #[test]
    fn json_is_located_too() {
        let json = "{\n  \"paths\": {\n    \"/a\": {\"get\": {\"operationId\": \"x\"}}\n  }\n}";
        let (at, _) = locate(json, "/paths/~1a/get/operationId", false).expect("found");
        assert_eq!((at.line, at.column, at.len), (3, 35, 3));
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            ":",
            "- [",
            "{{{",
            "a: &x 1\nb: *x\nc: *y",
            "\t- x",
            "? [a]\n: b",
        ] {
            let _ = locate(text, "/a/0/b", true);
            let _ = locate(text, "", false);
        }
        assert!(locate(YAML, "no-slash", false).is_none());
    }
}
