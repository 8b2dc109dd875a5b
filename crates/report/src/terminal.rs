//! The terminal report, in the manner of `cargo test` and hurl: a line per case, then every
//! failed or errored step in full (where it is written, the request as curl, the answer, and
//! expected against actual for each failed check), then one totals line.
//!
//! The text is laid out without colour first; colour only wraps ANSI codes around a few
//! words, so a CI log (no terminal, no colour) reads exactly like the coloured report.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use cartwright_diag::Span;
use cartwright_outcome::{Case, Check, Run, Status, Step};

/// The most of a response body shown, in chars: enough to see an error envelope, short enough
/// that one failure does not push the others off the screen.
const BODY_CHARS: usize = 400;
/// The most lines of a response body shown, for pretty-printed bodies short in chars but tall.
const BODY_LINES: usize = 12;

/// One line for a case that has just finished: its ending, name, file and time, and how many
/// of its steps were skipped and why.
///
/// ```text
/// PASS  a cart remembers its items (scenarios/cart.yaml) 40 ms — 1 skipped: mock-only step against a real server
/// ```
pub fn progress_line(case: &Case) -> String {
    case_line(case, false)
}

/// [`progress_line`], coloured when asked: the label is the first five bytes, all ASCII,
/// and only it takes the colour.
pub fn case_line(case: &Case, colour: bool) -> String {
    let file = case
        .file
        .as_deref()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    // The label is padded to the longest one (`ERROR`) so names line up in a column.
    let head = format!("{:<5}", label(case.status()));
    format!(
        "{} {}{file} {} ms{}",
        Paint(colour).status(case.status(), &head),
        case.name,
        case.duration_ms,
        skipped_note(case)
    )
}

/// ` — N skipped: reason; other reason`, or nothing when no step was skipped. Skips are
/// usually deliberate (`skip_if`, mock-only steps), so the reason belongs next to the count:
/// a reader should not wonder whether a skip hides a problem.
fn skipped_note(case: &Case) -> String {
    let skipped: Vec<&Step> = case
        .steps
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .collect();
    if skipped.is_empty() {
        return String::new();
    }
    // A set, because every step skipped by one `skip_if` carries the same reason.
    let reasons: BTreeSet<&str> = skipped.iter().filter_map(|s| s.reason.as_deref()).collect();
    let reasons: Vec<&str> = reasons.into_iter().collect();
    if reasons.is_empty() {
        format!(" — {} skipped", skipped.len())
    } else {
        format!(" — {} skipped: {}", skipped.len(), reasons.join("; "))
    }
}

fn label(s: Status) -> &'static str {
    match s {
        Status::Passed => "PASS",
        Status::Failed => "FAIL",
        Status::Skipped => "SKIP",
        Status::Errored => "ERROR",
    }
}

/// ANSI colours, or nothing: every coloured word goes through here so that `colour: false`
/// cannot leak an escape byte.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn status(self, s: Status, text: &str) -> String {
        let code = match s {
            Status::Passed => "32",
            Status::Failed | Status::Errored => "31",
            Status::Skipped => "33",
        };
        self.wrap(code, text)
    }

    fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// The whole report for a finished run; `colour` adds ANSI colours (the caller decides,
/// from whether stdout is a terminal and `NO_COLOR`).
///
/// It ends with a totals line and no newline, so it can be printed with `println!`.
pub fn terminal(run: &Run, colour: bool) -> String {
    let mut out = String::new();
    for c in &run.cases {
        let _ = writeln!(out, "{}", case_line(c, colour));
    }
    out + &details(run, colour)
}

/// The report without its line per case, for a terminal that has just shown those lines as
/// progress: printing them twice on one screen only pushes the failures up.
pub fn details(run: &Run, colour: bool) -> String {
    let paint = Paint(colour);
    let mut out = String::new();
    for c in run
        .cases
        .iter()
        .filter(|c| matches!(c.status(), Status::Failed | Status::Errored))
    {
        failed_case(&mut out, c, paint);
    }
    if let Some(c) = &run.coverage {
        out.push_str(&crate::coverage::block(c, |s| {
            paint.status(Status::Failed, s)
        }));
    }
    let t = run.totals();
    let totals = format!(
        "{} scenarios: {} passed, {} failed, {} skipped, {} errored; {} steps in {} ms",
        run.cases.len(),
        t.passed,
        t.failed,
        t.skipped,
        t.errored,
        t.steps,
        run.duration_ms
    );
    let overall = if t.errored > 0 {
        Status::Errored
    } else if t.failed > 0 {
        Status::Failed
    } else {
        Status::Passed
    };
    let _ = write!(out, "\n{}", paint.status(overall, &totals));
    out
}

/// The block for one failed or errored case: its header, a case-level error, then each step
/// that did not pass (skipped steps are already counted on the case line).
fn failed_case(out: &mut String, c: &Case, paint: Paint) {
    let file = c
        .file
        .as_deref()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n{} {}{file}",
        paint.status(c.status(), &format!("── {}", label(c.status()))),
        paint.bold(&c.name)
    );
    if let Some(e) = &c.error {
        aligned(out, "  error: ", e);
    }
    for s in c
        .steps
        .iter()
        .filter(|s| matches!(s.status, Status::Failed | Status::Errored))
    {
        failed_step(out, s, paint);
    }
}

fn failed_step(out: &mut String, s: &Step, paint: Paint) {
    let _ = writeln!(out, "  step: {}", paint.bold(&s.name));
    // A step written without a place (generated steps) still points at its first failed
    // check, which always sits inside the step.
    let place = s
        .span
        .as_ref()
        .or_else(|| s.failures().find_map(|k| k.span.as_ref()));
    if let Some(sp) = place {
        let _ = writeln!(out, "    {} {}", paint.dim("-->"), location(sp));
    }
    if let Some(r) = &s.reason {
        let head = if s.status == Status::Errored {
            "    error:    "
        } else {
            "    reason:   "
        };
        aligned(out, head, r);
    }
    if let Some(curl) = &s.curl {
        aligned(out, "    request:  ", curl);
    }
    if let Some(status) = s.response_status {
        response(out, status, s.response_body.as_deref().unwrap_or(""));
    }
    for k in s.failures() {
        failed_check(out, k, place, paint);
    }
}

/// The status, then the body cut to [`BODY_CHARS`] and [`BODY_LINES`]: on the same line when
/// it is one line, indented below it when it is pretty-printed.
fn response(out: &mut String, status: u16, body: &str) {
    let body = cut(body.trim_end());
    if body.is_empty() {
        let _ = writeln!(out, "    response: {status}");
    } else if !body.contains('\n') {
        let _ = writeln!(out, "    response: {status} {body}");
    } else {
        let _ = writeln!(out, "    response: {status}");
        for line in body.lines() {
            let _ = writeln!(out, "      {line}");
        }
    }
}

fn failed_check(out: &mut String, k: &Check, step_place: Option<&Span>, paint: Paint) {
    let _ = writeln!(out, "    {} {}", paint.status(Status::Failed, "✗"), k.name);
    // Only a place other than the one already shown for the step is worth a line.
    if let Some(sp) = k.span.as_ref().filter(|sp| Some(*sp) != step_place) {
        let _ = writeln!(out, "        {} {}", paint.dim("-->"), location(sp));
    }
    if let Some(e) = &k.expected {
        aligned(out, "        expected: ", e);
    }
    if let Some(a) = &k.actual {
        aligned(out, "        actual:   ", a);
    }
    if let Some(d) = &k.detail {
        // Diffs and schema violations arrive as several lines; each keeps its own leading
        // `+`/`-` and indentation under the check.
        for line in d.lines() {
            let _ = writeln!(out, "        {line}");
        }
    }
}

/// `file:line:col`, the form editors and terminals turn into a link.
fn location(sp: &Span) -> String {
    format!("{}:{}:{}", sp.file, sp.start.line, sp.start.column)
}

/// Writes `text` after `head`, with every further line aligned under the first.
fn aligned(out: &mut String, head: &str, text: &str) {
    let pad = " ".repeat(head.chars().count());
    for (i, line) in text.lines().enumerate() {
        let lead = if i == 0 { head } else { pad.as_str() };
        let _ = writeln!(out, "{lead}{line}");
    }
    if text.is_empty() {
        let _ = writeln!(out, "{}", head.trim_end());
    }
}

/// At most [`BODY_CHARS`] chars and [`BODY_LINES`] lines, with `…` where it was cut.
fn cut(s: &str) -> String {
    let mut kept = String::new();
    let mut cut = false;
    for (i, line) in s.lines().enumerate() {
        if i == BODY_LINES {
            cut = true;
            break;
        }
        if i > 0 {
            kept.push('\n');
        }
        kept.push_str(line);
    }
    if kept.chars().count() > BODY_CHARS {
        kept = kept.chars().take(BODY_CHARS).collect();
        cut = true;
    }
    if cut {
        kept.push('…');
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, case, span, step};

    fn text() -> String {
        terminal(&fixture::run(), false)
    }

    #[test]
    fn failed_step_shows_place_request_answer_and_expectation() {
        let t = text();
        assert!(
            t.contains("    --> scenarios/vendo-storefront/checkout.yaml:12:5\n"),
            "{t}"
        );
        assert!(
            t.contains("    request:  curl -X POST 'http://127.0.0.1:8080/checkout'"),
            "{t}"
        );
        assert!(t.contains("    response: 422\n      {\n"), "{t}");
        assert!(
            t.contains("expected: == \"address\"\n        actual:   \"cart\"\n"),
            "{t}"
        );
        assert!(t.contains("        -  \"total\": 100\n"), "{t}");
    }

    #[test]
    fn a_check_written_elsewhere_gets_its_own_location() {
        let t = text();
        assert!(
            t.contains("    ✗ status\n        --> scenarios/vendo-storefront/checkout.yaml:14:7\n"),
            "{t}"
        );
    }

    #[test]
    fn a_step_without_a_place_points_at_its_first_failed_check() {
        let mut s = step("GET /x", Status::Failed, 1);
        s.checks =
            vec![Check::fail("status", "== 200", "500").with_span(Some(span("a.yaml", 3, 9)))];
        let run = Run {
            cases: vec![case("s", "c", None, vec![s])],
            ..Run::default()
        };
        let t = terminal(&run, false);
        assert!(
            t.contains("    --> a.yaml:3:9\n    ✗ status\n        expected"),
            "{t}"
        );
    }

    #[test]
    fn errors_and_skips_say_why() {
        let t = text();
        assert!(
            t.contains("    error:    target unreachable: connection refused"),
            "{t}"
        );
        assert!(t.contains("  error: include `auth.yaml` not found"), "{t}");
        assert!(
            t.contains("40 ms — 1 skipped: mock-only step against a real server\n"),
            "{t}"
        );
        assert!(
            t.contains("0 ms — 2 skipped: skip_if: env.no_login\n"),
            "{t}"
        );
    }

    #[test]
    fn ends_with_the_totals() {
        assert!(
            text().ends_with(
                "\n5 scenarios: 1 passed, 1 failed, 1 skipped, 2 errored; 5 steps in 412 ms"
            ),
            "{}",
            text()
        );
    }

    #[test]
    fn colour_only_when_asked() {
        assert!(!text().contains('\x1b'));
        let coloured = terminal(&fixture::run(), true);
        assert!(coloured.contains("\x1b[31mFAIL \x1b[0m"), "{coloured}");
        assert!(coloured.contains("\x1b[32mPASS \x1b[0m"), "{coloured}");
    }

    #[test]
    fn long_bodies_are_cut() {
        let long = "x".repeat(BODY_CHARS + 10);
        assert_eq!(cut(&long).chars().count(), BODY_CHARS + 1);
        let tall = (0..40)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(cut(&tall).lines().count(), BODY_LINES);
        assert!(cut(&tall).ends_with('…'));
        assert_eq!(cut("{}"), "{}");
    }

    #[test]
    fn progress_line_is_one_line() {
        let run = fixture::run();
        for c in &run.cases {
            assert!(!progress_line(c).contains('\n'));
        }
        assert_eq!(
            progress_line(&run.cases[3]),
            "ERROR orders are listed (scenarios/centra/orders.yaml) 3 ms"
        );
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!("terminal", text());
    }
}
