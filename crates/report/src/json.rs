//! The JSON report: the run as it is, with its totals.

use cartwright_outcome::Run;

/// Pretty JSON: `{"run": …, "totals": …}`.
pub fn json(run: &Run) -> String {
    let doc = serde_json::json!({"run": run, "totals": run.totals()});
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use cartwright_outcome::Case;

    #[test]
    fn totals_travel_with_the_run() {
        let run = Run {
            cases: vec![Case::default()],
            ..Run::default()
        };
        let v: serde_json::Value = serde_json::from_str(&json(&run)).expect("valid JSON");
        assert_eq!(v["totals"]["passed"], 1);
        assert_eq!(v["run"]["cases"].as_array().map(Vec::len), Some(1));
    }
}
