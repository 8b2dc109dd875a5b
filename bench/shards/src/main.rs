//! Whether carts wait for each other: the Vendo mock in process (no HTTP, no client on the
//! same cores), loaded by one thread, then by two threads each on its own cart, then by two
//! threads on one cart, each thread alternately adding an item and reading its cart. Two
//! carts on two threads can run at most twice one thread's rate; one cart shared by two
//! threads is the reference for operations that must wait for each other.
//!
//! Usage: `cartwright-bench-shards [PAIRS]` (add/read pairs per thread and case, in each of
//! five rounds; default 20000).

use std::path::Path;
use std::time::Instant;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_mock::{Config, Incoming, Mock};
use http::{HeaderValue, Method};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let pairs: u32 = (std::env::args().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../specs/vendo-storefront.yaml");
    let options = cartwright_spec::LoadOptions::default();
    let api = match cartwright_spec::load(&spec, &options, &mut Sources::new()) {
        Ok(loaded) => loaded.api,
        Err(e) => {
            eprintln!("{} does not load: {e:?}", spec.display());
            std::process::exit(2);
        }
    };
    let mock = Mock::new(vec![api], Config::default());
    // Five rounds, each case once per round, ratios taken within a round: a shared machine
    // moves a single run by more than the difference measured.
    let (mut two, mut shared) = (Vec::new(), Vec::new());
    for round in 1..=5 {
        let carts: Vec<String> = (0..2).map(|_| new_cart(&mock)).collect();
        let one = rate(&mock, &carts[..1], pairs);
        let both = rate(&mock, &carts, pairs);
        let same = rate(&mock, &[carts[0].clone(), carts[0].clone()], pairs);
        println!(
            "round {round}: one thread {one:.0} pairs/s; two threads, a cart each {both:.0} \
             ({:.2} x); two threads, one cart {same:.0} ({:.2} x)",
            both / one,
            same / one
        );
        two.push(both / one);
        shared.push(same / one);
    }
    println!(
        "two threads, a cart each / one thread: median {:.2}",
        median(two)
    );
    println!(
        "two threads, one cart / one thread: median {:.2}",
        median(shared)
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Add/read pairs per second, all threads together, with one thread per cart given.
fn rate(mock: &Mock, carts: &[String], pairs: u32) -> f64 {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for cart in carts {
            scope.spawn(move || {
                for _ in 0..pairs {
                    send(mock, Method::POST, "/cart/add_item", Some(cart));
                    send(mock, Method::GET, "/cart", Some(cart));
                }
            });
        }
    });
    f64::from(pairs) * carts.len() as f64 / start.elapsed().as_secs_f64()
}

fn new_cart(mock: &Mock) -> String {
    let made: serde_json::Value =
        serde_json::from_slice(&send(mock, Method::POST, "/cart", None)).unwrap_or_default();
    match made["data"]["attributes"]["token"].as_str() {
        Some(t) => t.to_owned(),
        None => {
            eprintln!("the mock made no cart: {made}");
            std::process::exit(1);
        }
    }
}

fn send(mock: &Mock, method: Method, path: &str, token: Option<&str>) -> Bytes {
    let adding = path.ends_with("add_item");
    let mut req = Incoming::new(method, &format!("/api/v2/storefront{path}"));
    if let Some(t) = token.and_then(|t| HeaderValue::from_str(t).ok()) {
        req.headers.insert("x-vendo-order-token", t);
    }
    if adding {
        let json = HeaderValue::from_static("application/json");
        req.headers.insert(http::header::CONTENT_TYPE, json);
        req.body = Bytes::from_static(br#"{"variant_id":"1","quantity":1}"#);
    }
    let out = mock.handle(req);
    if !out.status.is_success() {
        eprintln!("{path} answered {}", out.status);
        std::process::exit(1);
    }
    out.body
}
