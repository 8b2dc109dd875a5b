//! JUnit XML, in the shape GitLab, Jenkins and the GitHub test reporters read: one
//! `<testsuites>` with the run's counts, one `<testsuite>` per `Case::suite` in the order
//! suites are first seen, one `<testcase>` per case. A failed case carries `<failure>`, an
//! errored one `<error>`, a skipped one `<skipped>`, a passed one with skipped steps lists them
//! (and why) in `<system-out>`; the text of a failure lists every failed step with
//! its place, request and failed checks, because the message attribute is all most viewers
//! show in a list and the text is what someone opens to fix it.
//!
//! The document is written by hand: it is a handful of elements, and escaping is the only
//! hard part, done here once for attributes and once for text.

use std::fmt::Write as _;

use cartwright_outcome::{Case, Check, Run, Status, Step};

/// The run as a JUnit XML document (UTF-8, ending in a newline).
pub fn junit(run: &Run) -> String {
    let t = run.totals();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
        attr(&run.name),
        run.cases.len(),
        t.failed,
        t.errored,
        t.skipped,
        secs(run.duration_ms)
    );
    // First-seen order, not sorted: suites then appear as the run met them, which is the
    // order of the files on disk.
    let mut suites: Vec<&str> = Vec::new();
    for c in &run.cases {
        if !suites.contains(&c.suite.as_str()) {
            suites.push(&c.suite);
        }
    }
    let mut first = true;
    for suite in suites {
        let cases: Vec<&Case> = run.cases.iter().filter(|c| c.suite == suite).collect();
        let count = |s: Status| cases.iter().filter(|c| c.status() == s).count();
        // Cases may run in parallel, so a suite's time is the sum of its cases, not a span
        // of wall time; the run's own time sits on `<testsuites>`.
        let time: u64 = cases.iter().map(|c| c.duration_ms).sum();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
            attr(suite),
            cases.len(),
            count(Status::Failed),
            count(Status::Errored),
            count(Status::Skipped),
            secs(time)
        );
        // Coverage belongs to the whole run; JUnit has properties only on a suite, so the
        // first suite carries them.
        if let Some(cov) = run.coverage.as_ref().filter(|_| first) {
            out.push_str(&crate::coverage::properties(cov, attr));
        }
        first = false;
        for c in cases {
            testcase(&mut out, c);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, c: &Case) {
    let file = c
        .file
        .as_deref()
        .map(|f| format!(" file=\"{}\"", attr(f)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"{file} time=\"{}\"",
        attr(&c.suite),
        attr(&c.name),
        secs(c.duration_ms)
    );
    match c.status() {
        Status::Passed => match skipped_steps(c) {
            // A passing case may have skipped some steps (a mock-only step against a real
            // server): `<skipped>` would mark the whole case skipped, so they are listed as
            // the case's output instead.
            Some(list) => {
                let _ = write!(
                    out,
                    ">\n      <system-out>{}</system-out>\n    </testcase>\n",
                    text(&list)
                );
            }
            None => out.push_str("/>\n"),
        },
        Status::Skipped => {
            let why = c
                .steps
                .iter()
                .find_map(|s| s.reason.as_deref())
                .unwrap_or("skipped");
            let _ = write!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                attr(why)
            );
        }
        Status::Failed => {
            let _ = write!(
                out,
                ">\n      <failure message=\"{}\" type=\"assertion\">{}</failure>\n    </testcase>\n",
                attr(&failure_message(c)),
                text(&details(c))
            );
        }
        Status::Errored => {
            let _ = write!(
                out,
                ">\n      <error message=\"{}\" type=\"runtime\">{}</error>\n    </testcase>\n",
                attr(&error_message(c)),
                text(&details(c))
            );
        }
    }
}

/// `skipped: <step>: <reason>` for each skipped step, or nothing when none was.
fn skipped_steps(c: &Case) -> Option<String> {
    let lines: Vec<String> = c
        .steps
        .iter()
        .filter(|s| s.status == Status::Skipped)
        .map(|s| match &s.reason {
            Some(r) => format!("skipped: {}: {r}", s.name),
            None => format!("skipped: {}", s.name),
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// The first failed check as `name: expected …, actual …`; a step that failed without a
/// failed check (a producer's choice) is named instead, so the message is never empty.
fn failure_message(c: &Case) -> String {
    if let Some(k) = c.steps.iter().flat_map(Step::failures).next() {
        return check_line(k);
    }
    c.steps
        .iter()
        .find(|s| s.status == Status::Failed)
        .map(|s| match &s.reason {
            Some(r) => format!("{}: {r}", s.name),
            None => format!("{} failed", s.name),
        })
        .unwrap_or_else(|| "failed".to_owned())
}

/// The case's own error, else the first errored step's reason.
fn error_message(c: &Case) -> String {
    if let Some(e) = &c.error {
        return e.clone();
    }
    c.steps
        .iter()
        .find(|s| s.status == Status::Errored)
        .map(|s| match &s.reason {
            Some(r) => r.clone(),
            None => format!("{} errored", s.name),
        })
        .unwrap_or_else(|| "errored".to_owned())
}

fn check_line(k: &Check) -> String {
    match (&k.expected, &k.actual) {
        (None, None) => format!("{} failed", k.name),
        (e, a) => format!(
            "{}: expected {}, actual {}",
            k.name,
            e.as_deref().unwrap_or("-"),
            a.as_deref().unwrap_or("-")
        ),
    }
}

/// Every failed or errored step with its place, request, answer status and failed checks,
/// as plain text for the element's body.
fn details(c: &Case) -> String {
    let mut out = String::new();
    if let Some(e) = &c.error {
        let _ = writeln!(out, "error: {e}");
    }
    for s in c
        .steps
        .iter()
        .filter(|s| matches!(s.status, Status::Failed | Status::Errored))
    {
        if !out.is_empty() {
            out.push('\n');
        }
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
        if let Some(status) = s.response_status {
            let _ = writeln!(out, "response: {status}");
        }
        for k in s.failures() {
            let _ = writeln!(out, "{}", check_line(k));
            if let Some(sp) = &k.span {
                let _ = writeln!(
                    out,
                    "  at: {}:{}:{}",
                    sp.file, sp.start.line, sp.start.column
                );
            }
            if let Some(d) = &k.detail {
                for line in d.lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
        }
    }
    out
}

/// Milliseconds as seconds with three decimals, the unit JUnit readers expect.
fn secs(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// Escapes an attribute value. Tab, newline and carriage return are written as character
/// references: a parser turns literal ones into spaces in attributes, and a multi-line
/// expectation should stay multi-line in the viewer.
fn attr(s: &str) -> String {
    escape(s, true)
}

/// Escapes element text. A carriage return is written as a reference so a parser does not
/// fold `\r\n` into `\n`.
fn text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, in_attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Quotes only need escaping inside attributes; left alone in text, a curl
            // command in a failure stays readable in the raw file too.
            '"' if in_attr => out.push_str("&quot;"),
            '\'' if in_attr => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' if in_attr => out.push_str("&#9;"),
            '\n' if in_attr => out.push_str("&#10;"),
            '\t' | '\n' => out.push(ch),
            // XML 1.0 allows no other C0 control, not even as a reference, and neither
            // U+FFFE nor U+FFFF; a response body can hold any of them, so they are dropped
            // rather than make the whole document unreadable to the CI server.
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, case, step};

    #[test]
    fn hostile_text_is_escaped() {
        assert_eq!(
            attr("<script>&\"'\u{1}\u{1b}[31m\u{FFFF}ok"),
            "&lt;script&gt;&amp;&quot;&apos;[31mok"
        );
        assert_eq!(attr("a\tb\nc\r"), "a&#9;b&#10;c&#13;");
        assert_eq!(text("a\tb\nc\r\0"), "a\tb\nc&#13;");
        assert_eq!(text("<a href='x'>\"&\""), "&lt;a href='x'&gt;\"&amp;\"");
        assert_eq!(text("é 🛒"), "é 🛒");
    }

    #[test]
    fn hostile_names_never_reach_the_document_raw() {
        let mut s = step("<script>alert(1)</script>", Status::Failed, 1);
        s.checks = vec![Check::fail("x\u{7}", "\"a\" & 'b'", "</failure>")];
        let run = Run {
            name: "<script>&\"'".into(),
            cases: vec![case(
                "<suite>",
                "<script>&\"'\u{8}",
                Some("a&b.yaml"),
                vec![s],
            )],
            ..Run::default()
        };
        let xml = junit(&run);
        assert!(!xml.contains("<script"), "{xml}");
        assert!(!xml.contains('\u{7}') && !xml.contains('\u{8}'), "{xml}");
        assert!(
            xml.contains("name=\"&lt;script&gt;&amp;&quot;&apos;\""),
            "{xml}"
        );
        assert!(xml.contains("file=\"a&amp;b.yaml\""), "{xml}");
        assert_eq!(xml.matches("</failure>").count(), 1, "{xml}");
    }

    #[test]
    fn suites_group_cases_in_first_seen_order_with_their_counts() {
        let xml = junit(&fixture::run());
        assert!(
            xml.contains("<testsuites name=\"cartwright run\" tests=\"5\" failures=\"1\" errors=\"2\" skipped=\"1\" time=\"0.412\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<testsuite name=\"vendo-storefront\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0.135\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<testsuite name=\"centra\" tests=\"3\" failures=\"0\" errors=\"2\" skipped=\"1\" time=\"0.003\">"),
            "{xml}"
        );
        assert_eq!(xml.matches("<testsuite ").count(), 2);
        let vendo = xml.find("name=\"vendo-storefront\"");
        let centra = xml.find("<testsuite name=\"centra\"");
        assert!(vendo < centra, "{xml}");
        // Both vendo cases sit in the one vendo suite, although a centra case ran between.
        let checkout = xml.find("name=\"checkout needs an address\"");
        assert!(checkout < centra, "{xml}");
    }

    #[test]
    fn each_ending_has_its_element() {
        let xml = junit(&fixture::run());
        assert!(
            xml.contains(
                "<failure message=\"status: expected == 200, actual 422\" type=\"assertion\">"
            ),
            "{xml}"
        );
        assert!(xml.contains("request: curl -X POST"), "{xml}");
        assert!(
            xml.contains("at: scenarios/vendo-storefront/checkout.yaml:12:5"),
            "{xml}"
        );
        assert!(xml.contains("snapshot checkout failed\n"), "{xml}");
        assert!(
            xml.contains("<error message=\"target unreachable: connection refused (127.0.0.1:9)\" type=\"runtime\">"),
            "{xml}"
        );
        assert!(
            xml.contains("<error message=\"include `auth.yaml` not found\""),
            "{xml}"
        );
        assert!(
            xml.contains("<skipped message=\"skip_if: env.no_login\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("name=\"a cart remembers its items\" file=\"scenarios/vendo-storefront/cart.yaml\" time=\"0.040\">\n      <system-out>skipped: mock advance 1h: mock-only step against a real server</system-out>"),
            "{xml}"
        );
    }

    #[test]
    fn a_failed_step_without_failed_checks_still_has_a_message() {
        let s = step("GET /x", Status::Failed, 1);
        let c = case("s", "c", None, vec![s]);
        assert_eq!(failure_message(&c), "GET /x failed");
    }

    #[test]
    fn seconds_have_three_decimals() {
        assert_eq!(secs(0), "0.000");
        assert_eq!(secs(1234), "1.234");
        assert_eq!(secs(60_005), "60.005");
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!("junit", junit(&fixture::run()));
    }
}
