//! Credentials are not data: tokens come from the operating system's CSPRNG whatever the
//! seed, and a one-time code is burnt by its fifth wrong guess (or the binding's
//! `attempts`), so guessing one is hopeless; the right code still works after fewer.

use cartwright_diag::Sources;
use cartwright_mock::Config;
use cartwright_spec::LoadOptions;
use serde_json::{Value, json};

use crate::{Stateful, start_api, start_spec};

const EMAIL: &str = "guess@example.com";

/// The Vendo spec, its `otp_verify` given `attempts` when `Some`.
async fn vendo(attempts: Option<u32>) -> Stateful {
    let Some(n) = attempts else {
        return start_spec("vendo-storefront", Config::default()).await;
    };
    let path = format!(
        "{}/../../specs/vendo-storefront.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let fail = "              fail: {status: 401, example: invalidCode}\n";
    let text = std::fs::read_to_string(&path).expect("spec readable");
    assert!(text.contains(fail), "the spec's otp_verify moved");
    let text = text.replace(fail, &format!("{fail}              attempts: {n}\n"));
    let loaded =
        cartwright_spec::load_str(&path, &text, &LoadOptions::default(), &mut Sources::new())
            .expect("spec loads");
    let base_path = loaded.api.base_paths.first().cloned().unwrap_or_default();
    let server = start_api(loaded.api, Config::default()).await;
    let api = server.mock.apis()[0].clone();
    Stateful {
        base: format!("{}{base_path}", server.base),
        server,
        api,
    }
}

/// Sends a code to [`EMAIL`] and reads it from the outbox.
async fn send_code(v: &Stateful) -> String {
    let sent = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": EMAIL}})),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", sent.body);
    let outbox: Value = v
        .admin("GET", &format!("/outbox?to={EMAIL}"))
        .send()
        .await
        .expect("outbox")
        .json()
        .await
        .expect("json");
    outbox["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["code"].as_str())
        .expect("a code was sent")
        .to_owned()
}

/// The status of a login with `code`.
async fn log_in(v: &Stateful, code: &str) -> u16 {
    let body = json!({"user": {"email": EMAIL, "code": code}});
    v.send(v.req("POST", "/auth").json(&body)).await.status
}

/// A code that is not `code`.
fn wrong(code: &str) -> String {
    let other = if code.starts_with('0') { "1" } else { "0" };
    format!("{other}{}", &code[1..])
}

#[tokio::test]
async fn four_wrong_codes_leave_the_code_working() {
    let v = vendo(None).await;
    let code = send_code(&v).await;
    for _ in 0..4 {
        assert_eq!(log_in(&v, &wrong(&code)).await, 401);
    }
    assert_eq!(
        log_in(&v, &code).await,
        200,
        "the right code after 4 wrong ones"
    );
}

#[tokio::test]
async fn the_fifth_wrong_code_burns_the_code_until_a_new_one_is_sent() {
    let v = vendo(None).await;
    let code = send_code(&v).await;
    for _ in 0..5 {
        assert_eq!(log_in(&v, &wrong(&code)).await, 401);
    }
    assert_eq!(
        log_in(&v, &code).await,
        401,
        "burnt: even the right code fails"
    );
    let fresh = send_code(&v).await;
    assert_eq!(log_in(&v, &fresh).await, 200, "a new code works");
}

#[tokio::test]
async fn the_binding_sets_the_number_of_attempts() {
    let v = vendo(Some(2)).await;
    let code = send_code(&v).await;
    assert_eq!(log_in(&v, &wrong(&code)).await, 401);
    assert_eq!(
        log_in(&v, &code).await,
        200,
        "one wrong code of two allowed"
    );
    let code = send_code(&v).await;
    for _ in 0..2 {
        assert_eq!(log_in(&v, &wrong(&code)).await, 401);
    }
    assert_eq!(log_in(&v, &code).await, 401, "burnt by the second");
}

#[tokio::test]
async fn the_same_seed_never_makes_the_same_tokens() {
    let config = || Config {
        seed: 7,
        ..Config::default()
    };
    let (a, b) = (
        start_spec("vendo-storefront", config()).await,
        start_spec("vendo-storefront", config()).await,
    );
    let token = |v: &Stateful| {
        let v = v.req("POST", "/cart");
        async move {
            let res = v.send().await.expect("cart");
            assert_eq!(res.status(), 201);
            let cart: Value = res.json().await.expect("json");
            cart["data"]["attributes"]["token"]
                .as_str()
                .expect("order token")
                .to_owned()
        }
    };
    let (ta, tb) = (token(&a).await, token(&b).await);
    assert_ne!(ta, tb, "the first order token of two mocks with one seed");
    let (ca, cb) = (send_code(&a).await, send_code(&b).await);
    assert!(
        ca.len() == 6 && ca.chars().all(|c| c.is_ascii_digit()),
        "{ca}"
    );
    // Two codes agree one time in a million; six codes in a row would be a seeded source.
    let mut same = ca == cb;
    for _ in 0..5 {
        same &= send_code(&a).await == send_code(&b).await;
    }
    assert!(!same, "one-time codes follow the seed");
}

#[test]
fn attempts_of_zero_are_refused_at_load_with_their_place() {
    let path = format!(
        "{}/../../specs/vendo-storefront.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    let fail = "              fail: {status: 401, example: invalidCode}\n";
    let text = std::fs::read_to_string(&path).expect("spec readable");
    let text = text.replace(fail, &format!("{fail}              attempts: 0\n"));
    let err = cartwright_spec::load_str(
        "v.yaml",
        &text,
        &LoadOptions::default(),
        &mut Sources::new(),
    )
    .expect_err("refused");
    let d = err
        .iter()
        .find(|d| d.message.contains("`attempts`"))
        .expect("says what is wrong");
    assert!(
        d.pointer
            .as_deref()
            .is_some_and(|p| p.ends_with("/otp_verify/attempts")),
        "{:?}",
        d.pointer
    );
}
