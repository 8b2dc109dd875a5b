//! The token and session machinery the security checks share: which session kinds a spec
//! has ([`session`]), obtaining a token of one ([`obtain`], [`otp`]), carrying it on a
//! request ([`carry`]), the documented values of a request ([`documented`]), multi-step
//! exchanges kept as replayable scenarios ([`flow`]), fresh values ([`fresh`]) and JSON
//! paths ([`json`]).

pub(crate) mod carry;
pub(crate) mod documented;
pub(crate) mod flow;
pub(crate) mod fresh;
pub(crate) mod json;
pub(crate) mod mock;
pub(crate) mod obtain;
pub(crate) mod otp;
pub(crate) mod session;
