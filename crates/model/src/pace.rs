//! How fast, and how reliably, an operation answers in the mock: a latency distribution, a
//! dribbled body, a chaos rate. Written the same way on the command line (`--latency
//! uniform:100ms..300ms`) and in a spec or overlay (`x-cartwright-latency`,
//! `x-cartwright-faults`), so one grammar is parsed here for both.

use std::time::Duration;

use crate::time::{Bare, duration};

/// A delay distribution (WireMock's `fixedDelayMilliseconds` and `delayDistribution`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Latency {
    /// Always this long.
    Fixed(Duration),
    /// Evenly between two bounds (WireMock's `uniform`, `lower`/`upper`).
    Uniform(Duration, Duration),
    /// Log-normally around a median, with spread `sigma` (WireMock's `lognormal`): most
    /// answers near the median, a long tail of slow ones, as real services behave.
    Lognormal {
        /// Half of the delays are shorter than this.
        median: Duration,
        /// The standard deviation of the logarithm; 0.1 is tight, 1.0 is wide.
        sigma: f64,
    },
}

impl Latency {
    /// Parses `fixed:200ms`, `200ms`, `uniform:100ms..300ms` or
    /// `lognormal:median=100ms,sigma=0.3`; a bare number is milliseconds.
    pub fn parse(text: &str) -> Result<Latency, String> {
        let text = text.trim();
        let ms = |t: &str| {
            duration(t, Bare::Millis).map_err(|_| format!("`{t}` is not a duration (say 200ms)"))
        };
        let (kind, rest) = text.split_once(':').unwrap_or(("fixed", text));
        match kind.trim().to_ascii_lowercase().as_str() {
            "fixed" => Ok(Latency::Fixed(ms(rest)?)),
            "uniform" => {
                let (lo, hi) = rest
                    .split_once("..")
                    .ok_or_else(|| format!("`{rest}`: a uniform latency is LOWER..UPPER"))?;
                let (lo, hi) = (ms(lo)?, ms(hi)?);
                if lo > hi {
                    return Err(format!("`{rest}`: the lower bound is above the upper"));
                }
                Ok(Latency::Uniform(lo, hi))
            }
            "lognormal" => {
                let (mut median, mut sigma) = (None, None);
                for part in rest.split(',') {
                    match part.split_once('=').map(|(k, v)| (k.trim(), v.trim())) {
                        Some(("median", v)) => median = Some(ms(v)?),
                        Some(("sigma", v)) => {
                            sigma = Some(
                                v.parse::<f64>()
                                    .ok()
                                    .filter(|s| s.is_finite() && *s >= 0.0)
                                    .ok_or_else(|| format!("sigma `{v}` is not a number >= 0"))?,
                            );
                        }
                        _ => return Err(format!("`{part}`: expected median=… or sigma=…")),
                    }
                }
                Ok(Latency::Lognormal {
                    median: median.ok_or("a lognormal latency needs median=…")?,
                    sigma: sigma.ok_or("a lognormal latency needs sigma=…")?,
                })
            }
            other => Err(format!(
                "unknown latency `{other}`: use fixed:MS, uniform:LO..HI or \
                 lognormal:median=MS,sigma=S"
            )),
        }
    }

    /// The delay for one draw, given `u` and `v` uniform in [0, 1) (two, for the normal
    /// variate of the log-normal). Pure, so a seeded sequence of draws is reproducible.
    pub fn draw(&self, u: f64, v: f64) -> Duration {
        match *self {
            Latency::Fixed(d) => d,
            Latency::Uniform(lo, hi) => lo + (hi - lo).mul_f64(u.clamp(0.0, 1.0)),
            Latency::Lognormal { median, sigma } => {
                // Box–Muller: a standard normal variate from two uniforms.
                let z = (-2.0 * (1.0 - u).ln()).sqrt() * (std::f64::consts::TAU * v).cos();
                let factor = (sigma * z).exp();
                Duration::from_secs_f64((median.as_secs_f64() * factor).min(3600.0))
            }
        }
    }
}

/// The pacing of one operation, its own declarations over the document's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pace {
    /// Applied to every answer (`x-cartwright-latency: uniform:100ms..300ms`).
    pub latency: Option<Latency>,
    /// What the API's documentation says it takes, applied only with `--latency documented`
    /// (`x-cartwright-latency: {documented: …, source: …}`).
    pub documented: Option<Latency>,
    /// The share of answers, 0 to 1, replaced by a declared error answer (429, 503).
    pub chaos: Option<f64>,
    /// A body written in this many chunks over this duration.
    pub dribble: Option<(u32, Duration)>,
}

impl Pace {
    /// `self` where it says something, else `base`.
    pub fn over(&self, base: &Pace) -> Pace {
        Pace {
            latency: self.latency.or(base.latency),
            documented: self.documented.or(base.documented),
            chaos: self.chaos.or(base.chaos),
            dribble: self.dribble.or(base.dribble),
        }
    }

    /// Whether nothing is declared.
    pub fn is_empty(&self) -> bool {
        *self == Pace::default()
    }
}

/// Parses a chaos rate: `5%` or a fraction `0.05`.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let rate = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|p| p / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("`{t}` is not a rate (say 5% or 0.05)"))?;
    if !(0.0..=1.0).contains(&rate) {
        return Err(format!("`{t}` is not between 0% and 100%"));
    }
    Ok(rate)
}

/// Parses a dribble: `CHUNKS/DURATION`, as `10/2s` (WireMock's `chunkedDribbleDelay`).
pub fn parse_dribble(text: &str) -> Result<(u32, Duration), String> {
    let (n, over) = text
        .trim()
        .split_once('/')
        .ok_or_else(|| format!("`{text}`: a dribble is CHUNKS/DURATION, as 10/2s"))?;
    let chunks = n
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| format!("`{n}` is not a number of chunks >= 1"))?;
    let over =
        duration(over, Bare::Millis).map_err(|_| format!("`{over}` is not a duration (say 2s)"))?;
    Ok((chunks, over))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        let ms = Duration::from_millis;
        assert_eq!(Latency::parse("fixed:200ms"), Ok(Latency::Fixed(ms(200))));
        assert_eq!(Latency::parse("150"), Ok(Latency::Fixed(ms(150))));
        assert_eq!(
            Latency::parse("uniform:100ms..300ms"),
            Ok(Latency::Uniform(ms(100), ms(300)))
        );
        assert_eq!(
            Latency::parse("lognormal:median=100ms,sigma=0.3"),
            Ok(Latency::Lognormal {
                median: ms(100),
                sigma: 0.3
            })
        );
        assert!(Latency::parse("uniform:300ms..100ms").is_err());
        assert!(Latency::parse("gaussian:1ms").is_err());
        assert!(Latency::parse("lognormal:median=100ms").is_err());
        assert_eq!(parse_rate("5%"), Ok(0.05));
        assert!(parse_rate("150%").is_err());
        assert_eq!(parse_dribble("4/1s"), Ok((4, ms(1000))));
        assert!(parse_dribble("0/1s").is_err());
    }

    #[test]
    fn draws_stay_in_their_distribution() {
        let ms = Duration::from_millis;
        let u = Latency::Uniform(ms(100), ms(300));
        assert_eq!(u.draw(0.0, 0.5), ms(100));
        assert_eq!(u.draw(0.5, 0.5), ms(200));
        let l = Latency::Lognormal {
            median: ms(100),
            sigma: 0.5,
        };
        // u = 0.5 and v = 0.25 give z = 0: the median itself.
        assert!((l.draw(0.5, 0.25).as_secs_f64() - 0.1).abs() < 1e-6);
        assert!(l.draw(0.9, 0.0) > ms(100));
    }
}
