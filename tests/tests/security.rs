//! The security baseline: every response carries the protective headers, pages carry a
//! Content-Security-Policy naming their own nonce, and cross-site state-changing requests are
//! refused before they change anything.

use portal_tests::spawn_app;

/// The nonce the page's inline scripts carry.
fn script_nonce(html: &str) -> String {
    let start = html.find("nonce=\"").expect("an inline script with a nonce") + 7;
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn pages_carry_a_policy_with_their_own_nonce() {
    let app = spawn_app().await;
    let first = app.get("/disputes").await;
    let headers = first.headers().clone();
    let html = first.text().await.unwrap();
    let policy = headers["content-security-policy"].to_str().unwrap().to_owned();
    let nonce = script_nonce(&html);
    assert!(policy.contains(&format!("'nonce-{nonce}'")), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "same-origin");
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain http");

    let second = app.get("/disputes").await.text().await.unwrap();
    assert_ne!(script_nonce(&second), nonce, "a new nonce for every response");
    app.stop().await;
}

#[tokio::test]
async fn other_responses_carry_the_default_headers() {
    let app = spawn_app().await;
    for path in ["/healthz", "/favicon.ico", "/no-such-page"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers["content-security-policy"].to_str().unwrap().contains("frame-ancestors 'none'"), "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let refused: &[&[(&str, &str)]] = &[
        &[("origin", "https://evil.example")],
        &[("origin", "null")],
        &[("sec-fetch-site", "cross-site"), ("origin", "https://evil.example")],
        &[("sec-fetch-site", "same-site")],
    ];
    for headers in refused {
        for path in ["/language", "/", "/disputes"] {
            let mut request = app.client.post(app.url(path)).form(&[("lang", "en")]);
            for (name, value) in *headers {
                request = request.header(*name, *value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 403, "{path} {headers:?}");
            assert!(response.headers().get("set-cookie").is_none(), "{path} {headers:?}: nothing changes");
        }
    }
    // Nothing was switched: the next page is still French.
    assert!(app.get("/").await.text().await.unwrap().contains(r#"lang="fr""#));

    // The portal's own pages may post.
    let allowed: &[&[(&str, &str)]] = &[&[("sec-fetch-site", "same-origin")], &[("origin", &format!("http://{host}"))]];
    for headers in allowed {
        let mut request = app.client.post(app.url("/language")).form(&[("lang", "en")]);
        for (name, value) in *headers {
            request = request.header(*name, *value);
        }
        assert_eq!(request.send().await.unwrap().status(), 303, "{headers:?}");
    }
    app.stop().await;
}
