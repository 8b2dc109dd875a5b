//! Deciding how an answer is delivered: its delay (asked for with `Prefer: delay`, drawn
//! from `--latency` or the operation's `x-cartwright-latency`), its dribble, its fault, and
//! chaos, which replaces an answer with one of the operation's declared error answers.
//!
//! Draws come from two seeded streams (latency from the value seed, chaos from
//! `--chaos-seed` or the value seed), so the same run with the same seed sees the same
//! sequence of delays and failures. The server alone acts on the decision.

use std::sync::Mutex;
use std::time::Duration;

use cartwright_model::{Api, Operation, Pace, StatusKey};
use http::StatusCode;

use crate::delivery::{Delivery, Dribble};
use crate::negotiate::Prefer;
use crate::problem::{Problem, ProblemKind};
use crate::{Config, Incoming, Mock, Outgoing, respond};

/// The seeded random streams of one mock.
pub(crate) struct Draws {
    latency: Mutex<u64>,
    chaos: Mutex<u64>,
}

impl Draws {
    /// Streams seeded from `config`.
    pub(crate) fn new(config: &Config) -> Self {
        Draws {
            latency: Mutex::new(config.seed),
            chaos: Mutex::new(config.chaos_seed.unwrap_or(config.seed) ^ 0x5eed_c4a0),
        }
    }

    /// The next delay of `latency`: two uniform draws from the latency stream.
    pub(crate) fn delay(&self, latency: &cartwright_model::Latency) -> Duration {
        latency.draw(next(&self.latency), next(&self.latency))
    }

    /// Whether the next answer fails, at `rate`.
    fn fails(&self, rate: f64) -> bool {
        next(&self.chaos) < rate
    }
}

/// SplitMix64: small, fast, and the same sequence for the same seed on every platform.
fn next(state: &Mutex<u64>) -> f64 {
    let mut s = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    *s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *s;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

impl Mock {
    /// With the chaos rate of this run or operation, the operation's own declared error
    /// answer in place of its real one: a declared 429, else a declared 503, else a problem
    /// 503; each with a `Retry-After`. Nothing of the operation runs, so no state changes.
    pub(crate) fn chaos(&self, api: &Api, op: &Operation, req: &Incoming) -> Option<Outgoing> {
        let config = self.config();
        let rate = config
            .chaos
            .or_else(|| op.pace.as_ref().and_then(|p| p.chaos))?;
        if !self.draws.fails(rate) {
            return None;
        }
        let declared = [429, 503]
            .into_iter()
            .find(|c| op.responses.iter().any(|r| r.status == StatusKey::Code(*c)));
        if let Some(code) = declared {
            let pref = Prefer {
                code: Some(code),
                ..Prefer::default()
            };
            if let Ok(out) = respond::respond(api, op, req, &pref, config, &self.bodies) {
                return Some(out);
            }
        }
        let problem = Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ProblemKind::Unavailable,
            "Service Unavailable",
            format!(
                "chaos: {} failed on purpose ({}% of answers); try again",
                op.signature(),
                rate * 100.0
            ),
        );
        let mut out = problem.render(config.error_style, Some(api), Some(op), config.seed);
        out.set("retry-after", "1");
        Some(out)
    }

    /// Decides the delivery of `out`: what the client asked for (`Prefer: delay`, `fault`)
    /// over this run's settings over the operation's declarations. An answer whose
    /// delivery is already decided (a stub's) is left as it is.
    pub(crate) fn deliver(&self, pace: Option<&Pace>, asked: &Prefer, out: &mut Outgoing) {
        if out.delivery != Delivery::default() {
            return;
        }
        let config = self.config();
        let latency = if config.documented_latency {
            pace.and_then(|p| p.documented)
        } else {
            config.latency.or(pace.and_then(|p| p.latency))
        };
        let drawn = latency.map(|l| self.draws.delay(&l).min(config.max_delay));
        out.delivery = Delivery {
            delay: asked.delay.or(drawn),
            dribble: config.dribble.or_else(|| {
                pace.and_then(|p| p.dribble)
                    .map(|(chunks, over)| Dribble { chunks, over })
            }),
            fault: asked.fault,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_delays() {
        let latency =
            cartwright_model::Latency::parse("lognormal:median=100ms,sigma=0.5").expect("latency");
        let run = |seed| {
            let draws = Draws::new(&Config {
                seed,
                ..Config::default()
            });
            (0..20).map(|_| draws.delay(&latency)).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
        let spread: std::collections::BTreeSet<_> = run(7).into_iter().collect();
        assert!(spread.len() > 10, "{spread:?}");
    }

    #[test]
    fn chaos_fails_about_its_rate() {
        let draws = Draws::new(&Config {
            chaos_seed: Some(3),
            ..Config::default()
        });
        let failed = (0..10_000).filter(|_| draws.fails(0.3)).count();
        assert!((2_800..3_200).contains(&failed), "{failed}");
    }
}
