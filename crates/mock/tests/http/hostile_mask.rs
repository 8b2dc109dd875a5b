//! Tokens carried in a path or query (`DELETE /auth/{token}`, `?refresh_token=`) are not
//! written to the journal (nor the log line, made from the same masked text): the values of
//! credential-bearing parameters show as `***`, everything else as sent, and the request
//! still does what it should.

use cartwright_mock::Config;
use serde_json::{Value, json};

use crate::{Stateful, start_spec};

async fn login(v: &Stateful, email: &str) -> Value {
    v.send(
        v.req("POST", "/auth")
            .json(&json!({"user": {"email": email}})),
    )
    .await;
    let r = v
        .send(
            v.req("POST", "/auth")
                .json(&json!({"user": {"email": email, "code": "123456"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn a_revoked_token_in_the_path_and_query_is_masked_in_the_journal() {
    let v = start_spec(
        "vendo-storefront",
        Config {
            otp_code: Some("123456".into()),
            ..Config::default()
        },
    )
    .await;
    let pair = login(&v, "mask@example.com").await;
    let access = pair["access_token"].as_str().expect("access").to_owned();
    let refresh = pair["refresh_token"].as_str().expect("refresh").to_owned();
    let revoked = v
        .send(v.req(
            "DELETE",
            &format!("/auth/{access}?refresh_token={refresh}&note=kept"),
        ))
        .await;
    assert_eq!(revoked.status, 204);
    let account = v.send(v.req("GET", "/account").bearer_auth(&access)).await;
    assert_eq!(account.status, 401, "the token was revoked all the same");

    let journal = v.server.mock.journal().recent(100);
    let text = serde_json::to_string(&journal).expect("serialises");
    assert!(!text.contains(&access), "no access token in {text}");
    assert!(!text.contains(&refresh), "no refresh token in {text}");
    let entry = journal
        .iter()
        .find(|e| e.operation.as_deref() == Some("revokeToken"))
        .expect("journaled");
    let base = v.base.split_once("//").map_or("", |(_, r)| r);
    let base = &base[base.find('/').unwrap_or(base.len())..];
    assert_eq!(
        entry.path,
        format!("{base}/auth/***?refresh_token=***&note=kept")
    );
    let other = journal
        .iter()
        .find(|e| e.operation.as_deref() == Some("getAccount"))
        .expect("journaled");
    assert_eq!(other.path, format!("{base}/account"), "other paths as sent");
}
