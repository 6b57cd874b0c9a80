//! The server over real sockets: the pages with their placeholders, the element's files, and the exchange
//! mounted at /api/exchange (the exchange itself is anypoint-signin-server's, tested in server/tests/).

use anypoint_signin_playground::{Config, bind, serve};

const CLIENT: &str = "confidential-app";

async fn site(issuer: &str) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixture");
    let vars = [
        ("PLAYGROUND_ADDR", "127.0.0.1:0"),
        ("ANYPOINT_ISSUER", issuer),
        ("ANYPOINT_CLIENT_ID", CLIENT),
        ("ANYPOINT_CLIENT_SECRET", "s3cret"),
        (
            "ANYPOINT_SIGNIN_SESSION_KEY",
            "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA",
        ),
        ("PLAYGROUND_PAGES", &format!("{dir}/pages")),
        ("PLAYGROUND_DIST", &format!("{dir}/dist")),
    ];
    let config = Config::from_vars(
        &vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
    .unwrap();
    let (listener, origin) = bind(&config).await.unwrap();
    tokio::spawn(serve(listener, config, origin.clone()));
    origin
}

/// Status, content type and body of a request (`body` is POSTed as JSON when given).
async fn fetch(url: String, body: Option<String>) -> (u16, String, String) {
    tokio::task::spawn_blocking(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut response = match body {
            // As the site's own page sends it: the exchange refuses other origins.
            Some(body) => agent
                .post(&url)
                .header(
                    "origin",
                    url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/"),
                )
                .header("content-type", "application/json")
                .send(body),
            None => agent.get(&url).call(),
        }
        .unwrap();
        let kind = response
            .headers()
            .get("content-type")
            .map_or("", |v| v.to_str().unwrap())
            .to_owned();
        (
            response.status().as_u16(),
            kind,
            response.body_mut().read_to_string().unwrap(),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn serves_pages_with_their_placeholders_filled_and_the_element() {
    let issuer = "http://127.0.0.1:9/oauth2";
    let origin = site(issuer).await;
    let (status, kind, html) = fetch(format!("{origin}/"), None).await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    let expected =
        format!(r#"data-issuer="{issuer}" data-origin="{origin}" data-client="{CLIENT}""#);
    assert!(html.contains(&expected), "{html}");
    assert_eq!(fetch(format!("{origin}/index.html"), None).await.2, html);
    let (status, kind, css) = fetch(format!("{origin}/site.css"), None).await;
    assert_eq!(
        (status, kind.as_str(), css.trim()),
        (200, "text/css", "body { color: teal }")
    );
    let (status, kind, _) =
        fetch(format!("{origin}/anypoint-signin/anypoint-signin.js"), None).await;
    assert_eq!((status, kind.as_str()), (200, "text/javascript"));
    for missing in [
        "/nope.html",
        "/nope.css",
        "/anypoint-signin/nope.js",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
    ] {
        assert_eq!(
            fetch(format!("{origin}{missing}"), None).await.0,
            404,
            "{missing}"
        );
    }
    assert_eq!(
        fetch(format!("{origin}/api/exchange"), None).await.0,
        405,
        "GET on the exchange"
    );
    let (status, kind, text) = fetch(format!("{origin}/api/exchange"), Some("{}".into())).await;
    assert_eq!((status, kind.as_str()), (400, "application/json"));
    assert!(
        text.contains("missing code"),
        "the exchange answers: {text}"
    );
}
