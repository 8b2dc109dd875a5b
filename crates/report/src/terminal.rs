//! The terminal report: a line per case, then every failure in full — where, the request
//! as curl, the answer, and expected against actual — then the totals.

use std::fmt::Write;

use cartwright_outcome::{Case, Run, Status, Step};

/// One line as a case finishes.
pub fn progress_line(case: &Case) -> String {
    let file = case
        .file
        .as_deref()
        .map(|f| format!(" ({f})"))
        .unwrap_or_default();
    let skipped = case
        .steps
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .count();
    let note = if skipped > 0 && case.status() != Status::Skipped {
        let why = case
            .steps
            .iter()
            .find_map(|s| s.reason.as_deref())
            .unwrap_or("");
        format!(" — {skipped} skipped: {why}")
    } else {
        String::new()
    };
    format!(
        "{:<5} {}{file} {} ms{note}",
        label(case.status()),
        case.name,
        case.duration_ms
    )
}

fn label(s: Status) -> &'static str {
    match s {
        Status::Passed => "PASS",
        Status::Failed => "FAIL",
        Status::Skipped => "SKIP",
        Status::Errored => "ERROR",
    }
}

/// The whole report; `colour` adds ANSI colours to the labels.
pub fn terminal(run: &Run, colour: bool) -> String {
    let paint = |s: Status, text: &str| {
        if !colour {
            return text.to_owned();
        }
        let code = match s {
            Status::Passed => "32",
            Status::Failed | Status::Errored => "31",
            Status::Skipped => "33",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    let mut out = String::new();
    for c in &run.cases {
        let line = progress_line(c);
        let (head, rest) = line.split_at(5);
        let _ = writeln!(out, "{}{rest}", paint(c.status(), head));
    }
    for c in run
        .cases
        .iter()
        .filter(|c| matches!(c.status(), Status::Failed | Status::Errored))
    {
        let _ = writeln!(out, "\n{} {}", paint(c.status(), "──"), c.name);
        if let Some(e) = &c.error {
            let _ = writeln!(out, "  error: {e}");
        }
        for s in c
            .steps
            .iter()
            .filter(|s| matches!(s.status, Status::Failed | Status::Errored))
        {
            step(&mut out, s);
        }
    }
    let t = run.totals();
    let _ = write!(
        out,
        "\n{} scenarios: {} passed, {} failed, {} skipped, {} errored; {} steps in {} ms",
        run.cases.len(),
        t.passed,
        t.failed,
        t.skipped,
        t.errored,
        t.steps,
        run.duration_ms
    );
    out
}

fn step(out: &mut String, s: &Step) {
    let _ = writeln!(out, "  step: {}", s.name);
    if let Some(sp) = &s.span {
        let _ = writeln!(
            out,
            "    --> {}:{}:{}",
            sp.file, sp.start.line, sp.start.column
        );
    }
    if let Some(r) = &s.reason {
        let _ = writeln!(out, "    {r}");
    }
    if let Some(curl) = &s.curl {
        let _ = writeln!(out, "    request:  {curl}");
    }
    if let Some(status) = s.response_status {
        let body = s.response_body.as_deref().unwrap_or("");
        let _ = writeln!(out, "    response: {status} {}", first_chars(body, 400));
    }
    for k in s.failures() {
        let _ = writeln!(out, "    ✗ {}", k.name);
        if let Some(e) = &k.expected {
            let _ = writeln!(out, "        expected: {e}");
        }
        if let Some(a) = &k.actual {
            let _ = writeln!(out, "        actual:   {a}");
        }
        if let Some(d) = &k.detail {
            for line in d.lines() {
                let _ = writeln!(out, "        {line}");
            }
        }
    }
}

fn first_chars(s: &str, n: usize) -> String {
    if s.chars().count() > n {
        format!("{}…", s.chars().take(n).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_diag::{Position, Span};
    use cartwright_outcome::Check;

    fn run() -> Run {
        let mut failed = Step::new("add an item");
        failed.status = Status::Failed;
        failed.span = Some(Span {
            file: "scenarios/vendo/cart.yaml".into(),
            start: Position { line: 7, column: 5 },
            len: 1,
        });
        failed.curl = Some("curl -X POST 'http://h/cart/add_item'".into());
        failed.response_status = Some(404);
        failed.response_body = Some("{\"error\":\"nope\"}".into());
        failed.checks = vec![
            Check::pass("status"),
            Check::fail("body $.count", "== 2", "1"),
        ];
        Run {
            name: "cartwright run".into(),
            target: "http://h".into(),
            cases: vec![
                Case {
                    name: "cart".into(),
                    suite: "vendo".into(),
                    file: Some("scenarios/vendo/cart.yaml".into()),
                    steps: vec![failed],
                    duration_ms: 12,
                    ..Case::default()
                },
                Case {
                    name: "ok".into(),
                    suite: "vendo".into(),
                    steps: vec![Step::new("GET /cart")],
                    duration_ms: 3,
                    ..Case::default()
                },
            ],
            duration_ms: 20,
        }
    }

    #[test]
    fn failures_show_place_request_answer_and_expectation() {
        let text = terminal(&run(), false);
        assert!(text.contains("--> scenarios/vendo/cart.yaml:7:5"), "{text}");
        assert!(
            text.contains("request:  curl -X POST 'http://h/cart/add_item'"),
            "{text}"
        );
        assert!(
            text.contains("response: 404 {\"error\":\"nope\"}"),
            "{text}"
        );
        assert!(
            text.contains("expected: == 2") && text.contains("actual:   1"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "2 scenarios: 1 passed, 1 failed, 0 skipped, 0 errored; 2 steps in 20 ms"
            ),
            "{text}"
        );
        assert!(!text.contains('\x1b'));
        assert!(terminal(&run(), true).contains("\x1b[31mFAIL"));
    }
}
