//! The portal's frame: health check, server-rendered pages in French and English, the language
//! switch without JavaScript, 404s and graceful shutdown.

use portal_tests::{spawn_app, spawn_app_with_demo};

const PAGES: &[(&str, &str, &str)] = &[
    ("/", "Tableau de bord", "Dashboard"),
    ("/disputes", "Litiges", "Disputes"),
    ("/payments", "Paiements", "Payments"),
    ("/transactions", "Transactions", "Transactions"),
    ("/statements", "Relevés", "Statements"),
    ("/messages", "Messages", "Messages"),
    ("/profile", "Profil", "Profile"),
];

#[tokio::test]
async fn health_check_answers_200_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    app.stop().await;
}

#[tokio::test]
async fn health_check_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.pool.close().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 503);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["database"], "unreachable");
}

#[tokio::test]
async fn home_page_is_server_rendered_in_french_with_the_hydration_script() {
    let app = spawn_app_with_demo().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains(r#"lang="fr""#), "French is the default: {html}");
    for (_, french, _) in PAGES {
        assert!(html.contains(&format!(">{french}</a>")), "navigation link {french}");
    }
    assert!(html.contains("/pkg/portal.js"), "the page loads the front end");
    assert!(html.contains("/pkg/portal.css"), "the page loads the styles");
    assert!(html.contains(r#"name="viewport""#), "the layout is meant for phones too");
    assert!(
        html.contains(r#"<input type="hidden" name="lang" value="en">"#),
        "the switch works without JavaScript: {html}"
    );
    app.stop().await;
}

#[tokio::test]
async fn french_stays_the_default_whatever_the_browser_language() {
    let app = spawn_app().await;
    let html = app
        .client
        .get(app.url("/disputes"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<h1>Litiges</h1>") && html.contains(r#"lang="fr""#), "{html}");
    app.stop().await;
}

#[tokio::test]
async fn every_navigation_page_renders_its_heading() {
    let app = spawn_app().await;
    for (path, french, _) in PAGES {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!("<h1>{french}</h1>")), "{path}");
        assert!(html.contains(r#"aria-current="page""#), "{path}: the current page is marked");
    }
    app.stop().await;
}

/// Building a server renders the app once with resource loading suppressed process-wide; pages
/// another server was rendering at that moment used to wait forever (leptos issue #4773). Here
/// servers start on another thread while this one serves pages: every page still answers.
#[tokio::test]
async fn pages_keep_answering_while_other_servers_start() {
    let app = spawn_app().await;
    let starter = std::thread::spawn(|| {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        for _ in 0..8 {
            runtime.block_on(async { spawn_app().await.stop().await });
        }
    });
    let mut pages = 0;
    while !starter.is_finished() || pages < 20 {
        let path = PAGES[pages % PAGES.len()].0;
        let response = tokio::time::timeout(std::time::Duration::from_secs(15), app.get(path))
            .await
            .unwrap_or_else(|_| panic!("{path} did not answer within 15 s"));
        assert_eq!(response.status(), 200, "{path}");
        let html = tokio::time::timeout(std::time::Duration::from_secs(15), response.text())
            .await
            .unwrap_or_else(|_| panic!("{path}'s body did not end within 15 s"))
            .unwrap();
        assert!(html.contains("</html>"), "{path}: the whole page");
        pages += 1;
    }
    starter.join().expect("the other servers started");
    app.stop().await;
}

#[tokio::test]
async fn unknown_paths_answer_404_with_a_page() {
    let app = spawn_app().await;
    let response = app.get("/no-such-page").await;
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page introuvable"));
    app.stop().await;
}

#[tokio::test]
async fn the_language_switch_works_without_javascript() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/language"))
        .header("referer", app.url("/payments"))
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/payments", "back to the page it came from");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("i18n_pref_locale=en;") && cookie.contains("SameSite=Lax"), "{cookie}");

    // The client kept the cookie: every page is now in English.
    for (path, _, english) in PAGES {
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains(&format!("<h1>{english}</h1>")), "{path}");
        assert!(html.contains(r#"lang="en""#), "{path}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_language_switch_refuses_other_languages_and_foreign_referers() {
    let app = spawn_app().await;
    let refused = app.client.post(app.url("/language")).form(&[("lang", "de")]).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.headers().get("set-cookie").is_none(), "nothing changes");
    assert!(refused.text().await.unwrap().contains("fr or en"));

    let foreign = app
        .client
        .post(app.url("/language"))
        .header("referer", "https://elsewhere.example/phish")
        .form(&[("lang", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.headers()["location"], "/", "never redirects off the portal");
    app.stop().await;
}

#[tokio::test]
async fn shutdown_is_graceful_and_final() {
    let app = spawn_app().await;
    let address = app.address.clone();
    assert_eq!(app.get("/healthz").await.status(), 200);
    app.stop().await;
    let after = reqwest::get(format!("{address}/healthz")).await;
    assert!(after.is_err(), "the port is closed after shutdown");
}
