//! The generated phase: property-based requests from the schemas.

use cartwright_model::Operation;
use cartwright_outcome::Step;

use crate::probe::Probe;

/// The steps of the generated phase for `op`.
pub async fn run(_probe: &Probe<'_>, _op: &Operation) -> Vec<Step> {
    Vec::new()
}
