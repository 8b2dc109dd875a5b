//! The repository's specs that the crate's own tests load: Vendo (the `x-cartwright` carts)
//! and Medusa (the inferred carts); and their load from several threads at once.

use std::path::Path;

use cartwright_diag::Sources;
use cartwright_model::Api;

use crate::{Config, Mock};

/// The Vendo spec.
pub(crate) fn vendo_api() -> Api {
    load("specs/vendo-storefront.yaml", false)
}

/// A mock of the Vendo spec.
pub(crate) fn vendo() -> Mock {
    Mock::new(vec![vendo_api()], Config::default())
}

/// A mock of the Medusa store spec, loaded leniently as the CLI would.
pub(crate) fn medusa() -> Mock {
    let api = load("tests/corpus/medusa-store-v2.full.yaml", true);
    Mock::new(vec![api], Config::default())
}

/// Loads a spec by its path from the repository's root.
fn load(path: &str, lenient: bool) -> Api {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path);
    let options = cartwright_spec::LoadOptions {
        lenient,
        ..cartwright_spec::LoadOptions::default()
    };
    match cartwright_spec::load(&path, &options, &mut Sources::new()) {
        Ok(loaded) => loaded.api,
        Err(e) => panic!("{} does not load: {e:?}", path.display()),
    }
}

/// Adds to every cart `rounds` times from each of `threads` threads at once; each thread
/// goes through the carts in turn, so every cart has adds from every thread interleaved.
pub(crate) fn add_from_threads(
    carts: &[String],
    (threads, rounds): (usize, usize),
    add: impl Fn(&str) + Sync,
) {
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..rounds {
                    for cart in carts {
                        add(cart);
                    }
                }
            });
        }
    });
}
