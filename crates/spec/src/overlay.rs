//! Placeholder until the overlay engine lands.
#![allow(missing_docs)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayIssue {
    pub pointer: String,
    pub message: String,
    pub is_error: bool,
}
pub fn apply(
    _doc: &mut serde_json::Value,
    _overlay: &serde_json::Value,
) -> Result<Vec<OverlayIssue>, Vec<OverlayIssue>> {
    Ok(vec![])
}
