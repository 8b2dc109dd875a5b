//! GraphiQL is served by the mock itself: the page names no script or stylesheet on another
//! host, and each one it names is answered with its media type and a long cache lifetime.

/// The values of the page's `src="..."` and `href="..."` attributes.
fn references(html: &str) -> Vec<String> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attr| {
            html.match_indices(attr)
                .map(move |(i, _)| &html[i + attr.len()..])
        })
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn graphiql_loads_its_scripts_and_stylesheet_from_the_mock() {
    let s = crate::start().await;
    let page = s
        .client
        .get(format!("{}/graphql", s.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("send");
    assert_eq!(page.status(), 200);
    let media = page.headers()["content-type"].to_str().expect("ascii");
    assert!(media.starts_with("text/html"), "{media}");
    let html = page.text().await.expect("text");
    let refs = references(&html);
    assert_eq!(refs.len(), 4, "three scripts and a stylesheet: {refs:?}");
    for r in &refs {
        assert!(
            !r.starts_with("http://") && !r.starts_with("https://") && !r.starts_with("//"),
            "{r} is on another host"
        );
        let res = s
            .client
            .get(format!("{}{r}", s.base))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 200, "{r}");
        let media = res.headers()["content-type"].to_str().expect("ascii");
        let want = if r.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(media.starts_with(want), "{r}: {media}");
        let cache = res.headers()["cache-control"].to_str().expect("ascii");
        assert!(cache.contains("max-age=31536000"), "{r}: {cache}");
        assert!(!res.bytes().await.expect("body").is_empty(), "{r} is empty");
    }
    assert!(!html.contains("unpkg") && !html.contains("cdn"));
}

#[tokio::test]
async fn an_unknown_graphiql_file_is_not_found() {
    let s = crate::start().await;
    let res = s
        .client
        .get(format!(
            "{}/graphiql/graphiql@0.0.0/graphiql.min.js",
            s.base
        ))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404);
}
