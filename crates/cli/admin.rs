//! The admin API's access on both sides: the mock's (`--admin-token`, a generated token
//! when bound beyond loopback) and its clients' (`run` and `verify` pass the token on).

/// Who may call the admin API: `--admin-token`, else (bound beyond loopback) a fresh token,
/// printed once, with a warning that the admin API is on the network.
pub(crate) fn access(host: &str, given: Option<&str>) -> cartwright_mock::AdminAccess {
    let mut token = given.filter(|t| !t.is_empty()).map(str::to_owned);
    if !is_loopback(host) {
        eprintln!(
            "warning: listening on {} (not loopback): the admin API (/__cartwright/*: reset, \
             clock, journal, outbox) is reachable from the network and needs the admin token",
            host
        );
        if token.is_none() {
            let fresh = cartwright_mock::fresh_token();
            println!(
                "admin token: {fresh} (send `Authorization: Bearer <token>` to /__cartwright/*)"
            );
            token = Some(fresh);
        }
    }
    cartwright_mock::AdminAccess {
        token,
        hosts: vec![host.to_owned()],
    }
}

/// Whether `--host` is a loopback address or `localhost`.
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_loopback_a_token_is_generated_and_on_loopback_none() {
        let wide = access("0.0.0.0", None);
        assert!(wide.token.as_ref().is_some_and(|t| t.len() == 32));
        assert_ne!(
            access("0.0.0.0", None).token,
            wide.token,
            "a fresh one each start"
        );
        assert_eq!(
            access("0.0.0.0", Some("mine")).token.as_deref(),
            Some("mine")
        );
        assert_eq!(access("127.0.0.1", None).token, None);
        assert_eq!(access("localhost", None).token, None);
        assert_eq!(access("::1", Some("")).token, None);
    }
}
