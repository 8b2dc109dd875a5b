//! The journal says how an answer was paced on purpose: the delay it waited (asked for or
//! drawn from a latency model), the fault sent instead, and whether chaos chose it. A slow
//! or failed request in a frontend's test is then explained by the mock, not guessed at.

use cartwright_mock::Config;
use serde_json::Value;

use crate::faults::PACE;
use crate::{Server, start_with};

async fn server(config: Config) -> Server {
    start_with(
        PACE,
        Config {
            stateless: true,
            ..config
        },
    )
    .await
}

/// The journal's newest entry.
async fn last(s: &Server) -> Value {
    let entries: Value = s
        .client
        .get(format!("{}/__cartwright/journal?limit=1", s.base))
        .send()
        .await
        .expect("journal")
        .json()
        .await
        .expect("json");
    entries["entries"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .expect("an entry")
}

async fn get(s: &Server, prefer: Option<&str>) -> u16 {
    let mut r = reqwest::Client::new().get(format!("{}/items", s.base));
    if let Some(p) = prefer {
        r = r.header("prefer", p);
    }
    match r.send().await {
        Ok(res) => res.status().as_u16(),
        // A fault breaks the connection: no status.
        Err(_) => 0,
    }
}

#[tokio::test]
async fn the_journal_names_asked_and_drawn_delays_and_faults() {
    let s = server(Config::default()).await;
    assert_eq!(get(&s, None).await, 200);
    let plain = last(&s).await;
    for key in ["delay_ms", "fault", "chaos"] {
        assert!(
            plain.get(key).is_none(),
            "an unpaced answer has no {key}: {plain}"
        );
    }
    assert_eq!(get(&s, Some("delay=40")).await, 200);
    assert_eq!(last(&s).await["delay_ms"], 40);
    assert_eq!(get(&s, Some("fault=empty")).await, 0);
    let faulted = last(&s).await;
    assert_eq!(faulted["fault"], "empty", "{faulted}");
    assert_eq!(faulted["operation"], "listItems");

    let s = server(Config {
        latency: cartwright_model::Latency::parse("fixed:30ms").ok(),
        ..Config::default()
    })
    .await;
    assert_eq!(get(&s, None).await, 200);
    assert_eq!(last(&s).await["delay_ms"], 30, "a drawn delay");
    // Asked for wins over the run's model, as it does for the answer.
    assert_eq!(get(&s, Some("delay=5")).await, 200);
    assert_eq!(last(&s).await["delay_ms"], 5);
}

#[tokio::test]
async fn the_journal_marks_what_chaos_answered() {
    let s = server(Config {
        chaos: Some(1.0),
        chaos_seed: Some(1),
        ..Config::default()
    })
    .await;
    // Every answer is chaos's: the declared 429.
    assert_eq!(get(&s, None).await, 429);
    let e = last(&s).await;
    assert_eq!(e["chaos"], true, "{e}");
    assert_eq!(e["status"], 429);
    let s = server(Config {
        chaos: Some(0.0),
        ..Config::default()
    })
    .await;
    assert_eq!(get(&s, None).await, 200);
    assert!(last(&s).await.get("chaos").is_none());
}
