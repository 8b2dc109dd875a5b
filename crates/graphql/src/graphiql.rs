//! GraphiQL served from the binary: the page a browser gets at the endpoint and the scripts
//! and stylesheet it loads (GraphiQL 3.8.3, React 18.3.1; `assets/README.md`), embedded and
//! answered on the mock's own paths (`/graphiql/<package>@<version>/<file>`), so the page needs no CDN.

/// The page: it loads only the assets below and talks to the endpoint.
pub(crate) const PAGE: &str = include_str!("../assets/graphiql.html");

/// How long a browser may keep an asset: a year, as an asset's path names its version.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The embedded assets: path, bytes, media type.
const ASSETS: &[(&str, &[u8], &str)] = &[
    (
        "/graphiql/graphiql@3.8.3/graphiql.min.js",
        include_bytes!("../assets/graphiql.min.js"),
        JS,
    ),
    (
        "/graphiql/graphiql@3.8.3/graphiql.min.css",
        include_bytes!("../assets/graphiql.min.css"),
        CSS,
    ),
    (
        "/graphiql/react@18.3.1/react.production.min.js",
        include_bytes!("../assets/react.production.min.js"),
        JS,
    ),
    (
        "/graphiql/react-dom@18.3.1/react-dom.production.min.js",
        include_bytes!("../assets/react-dom.production.min.js"),
        JS,
    ),
];

/// The asset at `path`: its bytes and media type.
pub(crate) fn asset(path: &str) -> Option<(&'static [u8], &'static str)> {
    ASSETS
        .iter()
        .find(|(p, _, _)| *p == path)
        .map(|(_, bytes, media)| (*bytes, *media))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_asset_and_nothing_else() {
        for (path, _, _) in ASSETS {
            assert!(PAGE.contains(path), "{path} is not on the page");
        }
        let sources = PAGE.matches("src=\"").count() + PAGE.matches("href=\"").count();
        assert_eq!(sources, ASSETS.len());
    }
}
