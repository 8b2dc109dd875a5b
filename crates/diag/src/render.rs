//! The renderer: a title, `--> file:line:col`, the source line with carets, then notes.

use crate::{Diagnostic, Sources};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

/// Renders one diagnostic. `color` adds ANSI colours (red errors, yellow warnings, blue gutter).
pub fn render(d: &Diagnostic, sources: &Sources, color: bool) -> String {
    let style = Style { on: color };
    let (level, code) = if d.is_error() {
        ("error", "1;31")
    } else {
        ("warning", "1;33")
    };
    let mut out = format!(
        "{}: {}\n",
        style.paint(code, &format!("{level}[{}]", d.code)),
        d.message
    );
    let line_text = d.span.as_ref().and_then(|s| {
        sources
            .get(&s.file)
            .and_then(|t| t.lines().nth(s.start.line.checked_sub(1)?))
    });
    let width = d
        .span
        .as_ref()
        .map_or(1, |s| s.start.line.to_string().len());
    let pad = " ".repeat(width);
    let gutter = |s: &str| style.paint("1;34", s);
    if let Some(span) = &d.span {
        out.push_str(&format!(
            "{pad}{} {}:{}:{}\n",
            gutter("-->"),
            span.file,
            span.start.line,
            span.start.column
        ));
        if let Some(text) = line_text {
            let text = text.replace('\t', "    ");
            let chars = text.chars().count();
            let start = span.start.column.saturating_sub(1).min(chars);
            let len = span.len.max(1).min(chars.saturating_sub(start).max(1));
            out.push_str(&format!("{pad} {}\n", gutter("|")));
            out.push_str(&format!(
                "{} {} {text}\n",
                gutter(&span.start.line.to_string()),
                gutter("|")
            ));
            out.push_str(&format!(
                "{pad} {} {}{}\n",
                gutter("|"),
                " ".repeat(start),
                style.paint(code, &"^".repeat(len))
            ));
        }
    }
    if let Some(p) = &d.pointer {
        out.push_str(&format!(
            "{pad} {} at: {}\n",
            gutter("="),
            if p.is_empty() { "(document root)" } else { p }
        ));
    }
    if let Some(h) = &d.help {
        out.push_str(&format!("{pad} {} help: {h}\n", gutter("=")));
    }
    out
}

/// Renders many, separated by blank lines, then a summary line.
pub fn render_all(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut out: Vec<String> = diagnostics
        .iter()
        .map(|d| render(d, sources, color))
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    out.push(format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    ));
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Position, Span};

    #[test]
    fn plain_rendering_has_location_line_carets_pointer_and_help() {
        let mut sources = Sources::new();
        sources.add(
            "specs/shop.yaml",
            "paths:\n  /users:\n          $ref: '#/components/schemas/AdminUsr'\n",
        );
        let d = Diagnostic::error(
            "ref-not-found",
            "$ref target does not exist: #/components/schemas/AdminUsr",
        )
        .with_span(Span {
            file: "specs/shop.yaml".into(),
            start: Position {
                line: 3,
                column: 17,
            },
            len: 32,
        })
        .with_pointer("/paths/~1users/$ref")
        .with_help("did you mean `AdminUser`?");
        let expected = "\
error[ref-not-found]: $ref target does not exist: #/components/schemas/AdminUsr
 --> specs/shop.yaml:3:17
  |
3 |           $ref: '#/components/schemas/AdminUsr'
  |                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = at: /paths/~1users/$ref
  = help: did you mean `AdminUser`?
";
        assert_eq!(render(&d, &sources, false), expected);
    }

    #[test]
    fn missing_source_or_span_degrades_gracefully() {
        let d = Diagnostic::warning("w", "odd").with_span(Span {
            file: "gone.yaml".into(),
            start: Position {
                line: 120,
                column: 1,
            },
            len: 400,
        });
        assert_eq!(
            render(&d, &Sources::new(), false),
            "warning[w]: odd\n   --> gone.yaml:120:1\n"
        );
        let all = render_all(&[Diagnostic::error("e", "bad"), d], &Sources::new(), false);
        assert!(all.ends_with("1 error, 1 warning"), "{all}");
        assert!(
            render(&Diagnostic::error("e", "bad"), &Sources::new(), true).contains("\x1b[1;31m")
        );
    }

    #[test]
    fn carets_are_clipped_to_the_line() {
        let mut sources = Sources::new();
        sources.add("f", "ab");
        let d = Diagnostic::error("e", "x").with_span(Span {
            file: "f".into(),
            start: Position { line: 1, column: 2 },
            len: 50,
        });
        assert!(render(&d, &sources, false).contains("  |  ^\n"));
    }
}
