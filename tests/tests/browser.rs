//! Browser tests on the release build in headless Chromium. Run by `scripts/test.sh` after
//! `cargo leptos build --release` (they are ignored by a plain `cargo test`).

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use portal_tests::browser::{eval, wait_until, Chromium, ReleaseServer};

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn the_page_hydrates_and_switches_language_without_a_reload() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    page.goto(server.url("/disputes"))
        .await
        .expect("the page loads");

    // Server-rendered French first, then the wasm takes over.
    assert_eq!(
        eval::<String>(&page, "document.querySelector('h1').textContent").await,
        "Litiges"
    );
    wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;

    // A marker a reload would wipe out.
    page.evaluate("window.__sameDocument = true").await.unwrap();
    page.find_element("[data-testid=language-switch]")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &page,
        "document.querySelector('h1').textContent === 'Disputes'",
        10,
    )
    .await;
    assert!(
        eval::<bool>(&page, "window.__sameDocument === true").await,
        "switched in place, without a reload"
    );
    assert_eq!(
        eval::<String>(&page, "document.documentElement.lang").await,
        "en"
    );
    assert_eq!(
        eval::<String>(&page, "document.querySelector('.main-nav a').textContent").await,
        "Dashboard"
    );
    // The choice is remembered for the next page load.
    assert!(eval::<bool>(&page, "document.cookie.includes('i18n_pref_locale=en')").await);

    // Client-side navigation keeps the document too.
    page.find_element(".main-nav a[href='/payments']")
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_until(
        &page,
        "document.querySelector('h1').textContent === 'Payments'",
        10,
    )
    .await;
    assert!(
        eval::<bool>(&page, "window.__sameDocument === true").await,
        "navigated without a reload"
    );

    assert_eq!(
        chromium.errors(),
        Vec::<String>::new(),
        "the console shows no errors"
    );
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn the_layout_fits_a_phone() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    page.execute(SetDeviceMetricsOverrideParams::new(375, 740, 2.0, true))
        .await
        .unwrap();
    page.goto(server.url("/")).await.unwrap();
    wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;
    assert!(
        eval::<bool>(
            &page,
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        .await,
        "no sideways scrolling of the page"
    );
    let switch_height: f64 = eval(
        &page,
        "document.querySelector('[data-testid=language-switch]').getBoundingClientRect().height",
    )
    .await;
    assert!(
        switch_height >= 44.0,
        "touch targets at least 44 px, got {switch_height}"
    );
    assert_eq!(chromium.errors(), Vec::<String>::new());
}
