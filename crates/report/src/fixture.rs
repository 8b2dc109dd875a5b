//! One fixed run with every way a case can end, shared by the tests of each report so the
//! terminal text, the JUnit document and the JSON all describe the same data. Durations are
//! fixed numbers, so snapshots of the reports stay stable from one machine to the next.

use cartwright_diag::{Position, Span};
use cartwright_outcome::{Case, Check, Run, Status, Step};

/// A one-char span at `line:column` of `file`.
pub(crate) fn span(file: &str, line: usize, column: usize) -> Span {
    Span {
        file: file.into(),
        start: Position { line, column },
        len: 1,
    }
}

/// A step that ended as `status`, taking `ms`.
pub(crate) fn step(name: &str, status: Status, ms: u64) -> Step {
    Step {
        status,
        duration_ms: ms,
        ..Step::new(name)
    }
}

/// A case of `steps` in `suite`, read from `file`.
pub(crate) fn case(suite: &str, name: &str, file: Option<&str>, steps: Vec<Step>) -> Case {
    Case {
        name: name.into(),
        suite: suite.into(),
        file: file.map(Into::into),
        duration_ms: steps.iter().map(|s| s.duration_ms).sum(),
        steps,
        error: None,
    }
}

const CART: &str = "scenarios/vendo-storefront/cart.yaml";
const CHECKOUT: &str = "scenarios/vendo-storefront/checkout.yaml";
const LOGIN: &str = "scenarios/centra/login.yaml";
const ORDERS: &str = "scenarios/centra/orders.yaml";

/// A passing case whose mock-only step was skipped against a real server.
fn cart() -> Case {
    let mut advance = step("mock advance 1h", Status::Skipped, 0);
    advance.reason = Some("mock-only step against a real server".into());
    let mut add = step("add an item", Status::Passed, 21);
    add.checks = vec![Check::pass("status == 200"), Check::pass("schema")];
    case(
        "vendo-storefront",
        "a cart remembers its items",
        Some(CART),
        vec![add, advance, step("GET /cart", Status::Passed, 19)],
    )
}

/// A failing case: one passed step, then one with three failed checks, one of them a diff.
fn checkout() -> Case {
    let mut post = step("POST /checkout", Status::Failed, 74);
    post.span = Some(span(CHECKOUT, 12, 5));
    post.curl = Some(
        "curl -X POST 'http://127.0.0.1:8080/checkout' -H 'authorization: Bearer ****' \
         -H 'content-type: application/json' --data '{\"cart\":\"c-1\"}'"
            .into(),
    );
    post.response_status = Some(422);
    post.response_body = Some(
        "{\n  \"error\": {\n    \"code\": \"cart\",\n    \"message\": \"no address\"\n  }\n}"
            .into(),
    );
    post.checks = vec![
        Check::fail("status", "== 200", "422").with_span(Some(span(CHECKOUT, 14, 7))),
        Check::pass("content-type"),
        Check::fail("body $.error.code", "== \"address\"", "\"cart\"")
            .with_span(Some(span(CHECKOUT, 15, 7))),
        Check {
            name: "snapshot checkout".into(),
            passed: false,
            expected: None,
            actual: None,
            detail: Some("@@ -1,3 +1,3 @@\n {\n-  \"total\": 100\n+  \"total\": 120\n }".into()),
            span: Some(span(CHECKOUT, 16, 7)),
        },
    ];
    case(
        "vendo-storefront",
        "checkout needs an address",
        Some(CHECKOUT),
        vec![step("add an item", Status::Passed, 21), post],
    )
}

/// A case skipped as a whole, with a name that must be escaped in XML.
fn login() -> Case {
    let skip = |name: &str| {
        let mut s = step(name, Status::Skipped, 0);
        s.reason = Some("skip_if: env.no_login".into());
        s
    };
    case(
        "centra",
        "login <as> \"guest\" & 'member'",
        Some(LOGIN),
        vec![skip("POST /login"), skip("GET /me")],
    )
}

/// A case stopped because the target could not be reached.
fn orders() -> Case {
    let mut get = step("GET /orders", Status::Errored, 3);
    get.reason = Some("target unreachable: connection refused (127.0.0.1:9)".into());
    get.span = Some(span(ORDERS, 4, 5));
    get.curl = Some("curl 'http://127.0.0.1:9/orders'".into());
    case("centra", "orders are listed", Some(ORDERS), vec![get])
}

/// A case that could not start: the error sits on the case, not on a step.
fn broken_include() -> Case {
    Case {
        error: Some("include `auth.yaml` not found".into()),
        ..case("centra", "refunds", None, Vec::new())
    }
}

/// The fixed run: one case of each ending, plus a case that errored before any step, in two
/// suites whose cases interleave (`vendo-storefront` is seen first).
pub(crate) fn run() -> Run {
    Run {
        name: "cartwright run".into(),
        target: "http://127.0.0.1:8080".into(),
        cases: vec![cart(), login(), checkout(), orders(), broken_include()],
        duration_ms: 412,
        coverage: None,
    }
}
