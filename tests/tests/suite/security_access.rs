//! Security review, access: each test reproduces one hole the review found (its number in the
//! Access issue) and shows it closed.

use portal_tests::spawn_app;

/// Hole 9: the language switch sends the browser back to the page it came from, and only to a
/// page of this site: a Referer naming this host with the path `//evil.example/x` would
/// otherwise redirect to another site.
#[tokio::test]
async fn the_language_switch_never_redirects_to_another_site() {
    let app = spawn_app().await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let back = |referer: String| {
        let request = app.client.post(app.url("/language")).header("referer", referer).form(&[("lang", "en")]);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 303);
            response.headers()["location"].to_str().unwrap().to_owned()
        }
    };
    for hostile in [format!("http://{host}//evil.example/x"), format!("http://{host}/\\evil.example/x")] {
        assert_eq!(back(hostile.clone()).await, "/", "{hostile}");
    }
    assert_eq!(back("https://evil.example/disputes".into()).await, "/");
    // A page of this site, with its query, is where the browser goes back to.
    assert_eq!(back(format!("http://{host}/disputes?queue=closed")).await, "/disputes?queue=closed");
    app.stop().await;
}
