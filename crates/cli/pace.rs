//! `cartwright mock` flags for slow and failing answers: `--latency`, `--dribble`,
//! `--chaos`, `--chaos-seed`, `--max-delay` (WireMock's delays, dribbling and faults, set
//! for a whole run; a spec or overlay sets them per operation with `x-cartwright-latency`
//! and `x-cartwright-faults`).

use std::time::Duration;

use cartwright_mock::{Config, Dribble};
use cartwright_model::{Latency, parse_dribble, parse_rate};

/// What `--latency` says.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LatencyArg {
    /// Every answer drawn from this distribution.
    Drawn(Latency),
    /// As the spec documents (`x-cartwright-latency: {documented: …}`).
    Documented,
}

fn parse_latency(s: &str) -> Result<LatencyArg, String> {
    if s.trim().eq_ignore_ascii_case("documented") {
        return Ok(LatencyArg::Documented);
    }
    Latency::parse(s).map(LatencyArg::Drawn)
}

fn parse_dribble_arg(s: &str) -> Result<Dribble, String> {
    parse_dribble(s).map(|(chunks, over)| Dribble { chunks, over })
}

fn parse_max_delay(s: &str) -> Result<Duration, String> {
    cartwright_model::duration(s, cartwright_model::Bare::Millis)
        .map_err(|_| format!("`{s}` is not a duration (say 60s)"))
}

/// The pacing flags of `cartwright mock`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct PaceArgs {
    /// Delay every answer: `fixed:200ms`, `uniform:100ms..300ms`,
    /// `lognormal:median=100ms,sigma=0.3`, or `documented` (as the spec's
    /// `x-cartwright-latency: {documented: …}` says the real API takes). Drawn with the
    /// seed, so a run repeats. Over what operations declare.
    #[arg(long, value_name = "DISTRIBUTION", value_parser = parse_latency)]
    latency: Option<LatencyArg>,
    /// Write every body in CHUNKS pieces spread over DURATION (`10/2s`), as a slow network
    /// does.
    #[arg(long, value_name = "CHUNKS/DURATION", value_parser = parse_dribble_arg)]
    dribble: Option<Dribble>,
    /// Answer this share of requests (`5%`) with the operation's own declared 429 or 503
    /// (else a problem 503), with `Retry-After`; the operation does not run.
    #[arg(long, value_name = "RATE", value_parser = parse_rate)]
    chaos: Option<f64>,
    /// Seed of the chaos draws; `--seed` when not given.
    #[arg(long, value_name = "N")]
    chaos_seed: Option<u64>,
    /// The longest delay a client may ask for with `Prefer: delay=MS` (longer is a 400);
    /// also caps drawn delays.
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = parse_max_delay)]
    max_delay: Duration,
}

impl PaceArgs {
    /// Sets the pacing fields of `config`.
    pub(crate) fn apply(&self, config: &mut Config) {
        match self.latency {
            Some(LatencyArg::Drawn(l)) => config.latency = Some(l),
            Some(LatencyArg::Documented) => config.documented_latency = true,
            None => {}
        }
        config.dribble = self.dribble;
        config.chaos = self.chaos;
        config.chaos_seed = self.chaos_seed;
        config.max_delay = self.max_delay;
    }
}
