//! Why a request got no answer.

/// A request that could not be sent or whose answer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The URL text does not parse.
    #[error("invalid URL `{url}`: {reason}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What the parser said.
        reason: String,
    },
    /// A path that must go out as written needs a plain `http://` target.
    #[error("a path with dot segments can only be sent as written over http://")]
    RawNeedsHttp,
    /// No TCP connection to the target.
    #[error("cannot connect to {authority}: {source}")]
    Connect {
        /// `host:port`.
        authority: String,
        /// The socket error.
        source: std::io::Error,
    },
    /// The target refused the TCP connection: nothing listens there.
    #[error("connection refused by {0}")]
    Refused(String),
    /// No whole answer came within the time allowed.
    #[error("no answer within {0} s")]
    NoAnswer(u64),
    /// The answer's body is larger than the bound (`--max-response-bytes`): reading on would
    /// only fill memory.
    #[error("answer larger than {limit} bytes (the bound set by --max-response-bytes)")]
    TooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
    /// The client failed while sending or reading; the message holds the whole cause chain.
    #[error("{0}")]
    Transport(String),
}

impl Error {
    /// A client error with every cause in its chain, as `outer: inner: innermost`.
    pub(crate) fn transport(e: &dyn std::error::Error) -> Error {
        let mut msg = e.to_string();
        let mut source = e.source();
        while let Some(s) = source {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            source = s.source();
        }
        Error::Transport(msg)
    }

    /// A failure to send to `url`: [`Error::Refused`] when the connection was refused (the
    /// commonest way a target is down, said plainly), else as [`Error::transport`].
    pub(crate) fn sending(e: &(dyn std::error::Error + 'static), url: &str) -> Error {
        let mut cause: Option<&dyn std::error::Error> = Some(e);
        while let Some(c) = cause {
            if let Some(io) = c.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::ConnectionRefused
            {
                return Error::Refused(authority(url).to_owned());
            }
            cause = c.source();
        }
        Error::transport(e)
    }
}

/// The `host:port` of a URL.
pub(crate) fn authority(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.find(['/', '?']).map_or(rest, |i| &rest[..i])
}
