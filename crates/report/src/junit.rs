//! JUnit XML: one `<testsuite>` per suite, one `<testcase>` per case, with every failed
//! step and check written out in the failure text.

use std::fmt::Write;

use cartwright_outcome::{Case, Run, Status};

/// The run as JUnit XML.
pub fn junit(run: &Run) -> String {
    let t = run.totals();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
        esc(&run.name),
        run.cases.len(),
        t.failed,
        t.errored,
        t.skipped,
        secs(run.duration_ms)
    );
    let mut suites: Vec<&str> = Vec::new();
    for c in &run.cases {
        if !suites.contains(&c.suite.as_str()) {
            suites.push(&c.suite);
        }
    }
    for suite in suites {
        let cases: Vec<&Case> = run.cases.iter().filter(|c| c.suite == suite).collect();
        let count = |s: Status| cases.iter().filter(|c| c.status() == s).count();
        let time: u64 = cases.iter().map(|c| c.duration_ms).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
            esc(suite),
            cases.len(),
            count(Status::Failed),
            count(Status::Errored),
            count(Status::Skipped),
            secs(time)
        );
        for c in cases {
            case(&mut out, c);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn case(out: &mut String, c: &Case) {
    let file = c
        .file
        .as_deref()
        .map(|f| format!(" file=\"{}\"", esc(f)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"{file} time=\"{}\"",
        esc(&c.suite),
        esc(&c.name),
        secs(c.duration_ms)
    );
    match c.status() {
        Status::Passed => out.push_str("/>\n"),
        Status::Skipped => {
            let why = c
                .steps
                .iter()
                .find_map(|s| s.reason.as_deref())
                .unwrap_or("skipped");
            let _ = write!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                esc(why)
            );
        }
        Status::Failed => {
            let first = c
                .steps
                .iter()
                .flat_map(|s| s.failures())
                .next()
                .map(|k| {
                    format!(
                        "{}: expected {}, actual {}",
                        k.name,
                        k.expected.as_deref().unwrap_or("-"),
                        k.actual.as_deref().unwrap_or("-")
                    )
                })
                .unwrap_or_default();
            let _ = write!(
                out,
                ">\n      <failure message=\"{}\" type=\"assertion\">{}</failure>\n    </testcase>\n",
                esc(&first),
                esc(&details(c))
            );
        }
        Status::Errored => {
            let why = c
                .error
                .clone()
                .or_else(|| {
                    c.steps
                        .iter()
                        .find(|s| s.status == Status::Errored)
                        .and_then(|s| s.reason.clone())
                })
                .unwrap_or_default();
            let _ = write!(
                out,
                ">\n      <error message=\"{}\" type=\"runtime\">{}</error>\n    </testcase>\n",
                esc(&why),
                esc(&details(c))
            );
        }
    }
}

/// Every failed or errored step with its place, request and failed checks.
fn details(c: &Case) -> String {
    let mut out = String::new();
    for s in c
        .steps
        .iter()
        .filter(|s| matches!(s.status, Status::Failed | Status::Errored))
    {
        let _ = writeln!(out, "step: {}", s.name);
        if let Some(sp) = &s.span {
            let _ = writeln!(out, "at: {}:{}:{}", sp.file, sp.start.line, sp.start.column);
        }
        if let Some(r) = &s.reason {
            let _ = writeln!(out, "reason: {r}");
        }
        if let Some(curl) = &s.curl {
            let _ = writeln!(out, "request: {curl}");
        }
        for k in s.failures() {
            let _ = writeln!(
                out,
                "{}: expected {}, actual {}",
                k.name,
                k.expected.as_deref().unwrap_or("-"),
                k.actual.as_deref().unwrap_or("-")
            );
            if let Some(d) = &k.detail {
                let _ = writeln!(out, "{d}");
            }
        }
    }
    out
}

fn secs(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Escapes text for XML attributes and content, dropping characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_outcome::{Check, Step};

    fn case(suite: &str, name: &str, status: Status) -> Case {
        let mut s = Step::new("GET /cart");
        s.status = status;
        if status == Status::Failed {
            s.checks.push(Check::fail("status", "== 200", "404"));
        }
        if status == Status::Skipped {
            s.reason = Some("mock-only step".into());
        }
        Case {
            name: name.into(),
            suite: suite.into(),
            file: Some(format!("scenarios/{suite}/x.yaml")),
            steps: vec![s],
            duration_ms: 1234,
            ..Case::default()
        }
    }

    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(
            esc("<script>&\"'\u{1}ok"),
            "&lt;script&gt;&amp;&quot;&apos;ok"
        );
    }

    #[test]
    fn suites_group_cases_and_count_outcomes() {
        let run = Run {
            name: "cartwright run".into(),
            cases: vec![
                case("centra", "a", Status::Passed),
                case("vendo", "b", Status::Failed),
                case("centra", "c <&>", Status::Skipped),
            ],
            duration_ms: 2500,
            ..Run::default()
        };
        let xml = junit(&run);
        assert!(xml.contains("<testsuites name=\"cartwright run\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"2.500\">"), "{xml}");
        assert!(
            xml.contains(
                "<testsuite name=\"centra\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\""
            ),
            "{xml}"
        );
        assert!(
            xml.contains(
                "<failure message=\"status: expected == 200, actual 404\" type=\"assertion\">"
            ),
            "{xml}"
        );
        assert!(xml.contains("name=\"c &lt;&amp;&gt;\""), "{xml}");
        assert!(
            xml.contains("<skipped message=\"mock-only step\"/>"),
            "{xml}"
        );
        assert!(xml.find("name=\"centra\"") < xml.find("name=\"vendo\""));
    }
}
