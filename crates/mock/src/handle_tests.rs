//! A bug that panics while a request is answered is answered 500, as a problem that says
//! so, instead of dropping the connection; an answer made without one passes as it is.

use http::StatusCode;

use crate::{Config, Mock, Outgoing};

#[test]
fn a_panic_while_answering_is_answered_500() {
    let mock = Mock::new(Vec::new(), Config::default());
    let out = mock.unpanicked(|| panic!("a bug in a test"));
    assert_eq!(out.status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = String::from_utf8_lossy(&out.body);
    assert!(body.contains("urn:cartwright:problem:internal"), "{body}");
    assert!(body.contains("a bug"), "{body}");
    let fine = mock.unpanicked(|| Outgoing::new(StatusCode::CREATED, "text/plain", "made"));
    assert_eq!(
        (fine.status, &fine.body[..]),
        (StatusCode::CREATED, &b"made"[..])
    );
}
