//! Whether carts wait for each other: a mock in process (no HTTP, no client on the same
//! cores), loaded by one thread, then by two threads each on its own carts, then by two
//! threads on the same carts, each thread alternately adding a line and reading its cart.
//! Two threads on their own carts can run at most twice one thread's rate; the same carts
//! shared by two threads are the reference for operations that must wait for each other.
//!
//! `vendo` is the Vendo spec's `x-cartwright` carts (sessions by order token); `medusa` is
//! the Medusa spec's inferred carts (items by id), where a thread moves to a fresh cart every
//! 20 lines so a cart's size stays that of a shop's.
//!
//! Usage: `cartwright-bench-shards [vendo|medusa] [PAIRS]` (add/read pairs per thread and
//! case, in each of five rounds; default 20000 for Vendo, 2000 for Medusa).

use std::path::Path;
use std::time::Instant;

use bytes::Bytes;
use cartwright_diag::Sources;
use cartwright_mock::{Config, Incoming, Mock};
use http::{HeaderValue, Method};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Lines a Medusa cart takes before its thread moves to the next.
const LINES: u32 = 20;

#[derive(Clone, Copy)]
enum Shop {
    Vendo,
    Medusa,
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    // The shop is named first, or not at all (Vendo).
    let shop = match args.next_if(|a| a == "medusa" || a == "vendo").as_deref() {
        Some("medusa") => Shop::Medusa,
        _ => Shop::Vendo,
    };
    let default = match shop {
        Shop::Vendo => 20_000,
        Shop::Medusa => 2_000,
    };
    let pairs: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(default);
    let mock = load(shop);
    // Five rounds, each case once per round, ratios taken within a round: a shared machine
    // moves a single run by more than the difference measured.
    let (mut two, mut shared) = (Vec::new(), Vec::new());
    for round in 1..=5 {
        let carts = || shop.carts(&mock, pairs);
        let one = rate(&mock, shop, &[carts()], pairs);
        let both = rate(&mock, shop, &[carts(), carts()], pairs);
        let same_carts = carts();
        let same = rate(&mock, shop, &[same_carts.clone(), same_carts], pairs);
        println!(
            "round {round}: one thread {one:.0} pairs/s; two threads, their own carts {both:.0} \
             ({:.2} x); two threads, the same carts {same:.0} ({:.2} x)",
            both / one,
            same / one
        );
        two.push(both / one);
        shared.push(same / one);
    }
    println!(
        "two threads, their own carts / one thread: median {:.2}",
        median(two)
    );
    println!(
        "two threads, the same carts / one thread: median {:.2}",
        median(shared)
    );
}

fn load(shop: Shop) -> Mock {
    let (file, lenient) = match shop {
        Shop::Vendo => ("../../specs/vendo-storefront.yaml", false),
        Shop::Medusa => ("../../tests/corpus/medusa-store-v2.full.yaml", true),
    };
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let options = cartwright_spec::LoadOptions {
        lenient,
        ..cartwright_spec::LoadOptions::default()
    };
    match cartwright_spec::load(&spec, &options, &mut Sources::new()) {
        Ok(loaded) => Mock::new(vec![loaded.api], Config::default()),
        Err(e) => {
            eprintln!("{} does not load: {e:?}", spec.display());
            std::process::exit(2);
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Add/read pairs per second, all threads together, one thread per list of carts given.
fn rate(mock: &Mock, shop: Shop, threads: &[Vec<String>], pairs: u32) -> f64 {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for carts in threads {
            scope.spawn(move || {
                for i in 0..pairs {
                    let cart = &carts[(i / shop.lines()) as usize % carts.len()];
                    shop.add(mock, cart);
                    shop.read(mock, cart);
                }
            });
        }
    });
    f64::from(pairs) * threads.len() as f64 / start.elapsed().as_secs_f64()
}

impl Shop {
    /// Pairs on one cart before the next.
    fn lines(self) -> u32 {
        match self {
            Shop::Vendo => u32::MAX,
            Shop::Medusa => LINES,
        }
    }

    /// The carts one thread works through in `pairs`, made before the clock starts (two
    /// threads sharing them put twice the lines in each).
    fn carts(self, mock: &Mock, pairs: u32) -> Vec<String> {
        let n = pairs.div_ceil(self.lines()).max(1);
        (0..n).map(|_| self.new_cart(mock)).collect()
    }

    fn new_cart(self, mock: &Mock) -> String {
        let (path, body, at) = match self {
            Shop::Vendo => ("/api/v2/storefront/cart", "", "/data/attributes/token"),
            Shop::Medusa => ("/store/carts", r#"{"region_id":"reg_1"}"#, "/cart/id"),
        };
        let made = send(mock, Method::POST, path, self.token(None), body);
        let made: serde_json::Value = serde_json::from_slice(&made).unwrap_or_default();
        match made.pointer(at).and_then(|t| t.as_str()) {
            Some(t) => t.to_owned(),
            None => {
                eprintln!("the mock made no cart: {made}");
                std::process::exit(1);
            }
        }
    }

    fn add(self, mock: &Mock, cart: &str) {
        match self {
            Shop::Vendo => {
                let line = r#"{"variant_id":"1","quantity":1}"#;
                let path = "/api/v2/storefront/cart/add_item";
                send(mock, Method::POST, path, self.token(Some(cart)), line)
            }
            Shop::Medusa => {
                let line = r#"{"variant_id":"variant_1","quantity":1}"#;
                let path = format!("/store/carts/{cart}/line-items");
                send(mock, Method::POST, &path, None, line)
            }
        };
    }

    fn read(self, mock: &Mock, cart: &str) {
        match self {
            Shop::Vendo => send(mock, Method::GET, "/api/v2/storefront/cart", Some(cart), ""),
            Shop::Medusa => send(mock, Method::GET, &format!("/store/carts/{cart}"), None, ""),
        };
    }

    /// The token a Vendo request carries (Medusa's carts are named in the path).
    fn token(self, cart: Option<&str>) -> Option<&str> {
        match self {
            Shop::Vendo => cart,
            Shop::Medusa => None,
        }
    }
}

fn send(mock: &Mock, method: Method, path: &str, token: Option<&str>, body: &str) -> Bytes {
    let mut req = Incoming::new(method, path);
    if let Some(t) = token.and_then(|t| HeaderValue::from_str(t).ok()) {
        req.headers.insert("x-vendo-order-token", t);
    }
    if !body.is_empty() {
        let json = HeaderValue::from_static("application/json");
        req.headers.insert(http::header::CONTENT_TYPE, json);
        req.body = Bytes::from(body.to_owned());
    }
    let out = mock.handle(req);
    if !out.status.is_success() {
        eprintln!("{path} answered {}", out.status);
        std::process::exit(1);
    }
    out.body
}
