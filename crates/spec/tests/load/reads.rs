//! The parts of the request each binding may read, found at load: the mock makes the
//! request view with those parts only, so one left out here would be missing there.

use std::path::Path;

use cartwright_diag::Sources;
use cartwright_model::RequestParts;
use cartwright_spec::{LoadOptions, load};

#[test]
fn each_binding_reads_the_request_parts_its_expressions_name() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/vendo-storefront.yaml");
    let loaded = load(&spec, &LoadOptions::default(), &mut Sources::new()).expect("loads");
    let parts = |id: &str| {
        let op = loaded.api.operations.iter().find(|o| o.id == id);
        op.and_then(|o| o.behaviour.as_deref()).map(|b| b.request)
    };
    let body = RequestParts {
        body: true,
        ..RequestParts::NONE
    };
    let path = RequestParts {
        path: true,
        ..RequestParts::NONE
    };
    assert_eq!(parts("addItem"), Some(body));
    assert_eq!(parts("authenticate"), Some(body));
    assert_eq!(parts("revokeToken"), Some(path));
    assert_eq!(parts("getCart"), Some(RequestParts::NONE));
}
