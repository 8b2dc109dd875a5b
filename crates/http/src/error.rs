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
}
