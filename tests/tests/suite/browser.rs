//! Browser tests on the release build in headless Chromium. Run by `scripts/test.sh` after
//! `cargo leptos build --release --precompress` (they are ignored by a plain `cargo test`).

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use portal_tests::browser::{eval, wait_until, Chromium, ReleaseServer};

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn the_page_hydrates_and_switches_language() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    page.goto(server.url("/disputes")).await.expect("the page loads");

    // Server-rendered French first, then the wasm wakes the islands.
    assert_eq!(eval::<String>(&page, "document.querySelector('h1').textContent").await, "Litiges");
    assert_eq!(eval::<String>(&page, "document.documentElement.lang").await, "fr");
    wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;

    // The switch is a form: the server sets the cookie and sends the browser back to the page,
    // now in English.
    page.find_element("[data-testid=language-switch]").await.unwrap().click().await.unwrap();
    wait_until(&page, "document.querySelector('h1').textContent === 'Disputes'", 10).await;
    assert_eq!(eval::<String>(&page, "location.pathname").await, "/disputes", "back on the same page");
    assert_eq!(eval::<String>(&page, "document.documentElement.lang").await, "en");
    assert_eq!(eval::<String>(&page, "document.querySelector('.main-nav a').textContent").await, "Dashboard");
    // The choice is remembered for the next page load.
    assert!(eval::<bool>(&page, "document.cookie.includes('i18n_pref_locale=en')").await);
    page.find_element(".main-nav a[href='/payments']").await.unwrap().click().await.unwrap();
    wait_until(&page, "document.querySelector('h1').textContent === 'Payments'", 10).await;

    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn the_layout_fits_a_phone() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    page.execute(SetDeviceMetricsOverrideParams::new(375, 740, 2.0, true)).await.unwrap();
    page.goto(server.url("/")).await.unwrap();
    wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;
    assert!(
        eval::<bool>(&page, "document.documentElement.scrollWidth <= window.innerWidth").await,
        "no sideways scrolling of the page"
    );
    let switch_height: f64 =
        eval(&page, "document.querySelector('[data-testid=language-switch]').getBoundingClientRect().height").await;
    assert!(switch_height >= 44.0, "touch targets at least 44 px, got {switch_height}");
    assert_eq!(chromium.errors(), Vec::<String>::new());
}

/// Waits for the page at `path` to be the current one and hydrated.
pub(crate) async fn arrived(page: &chromiumoxide::Page, path: &str) {
    let check = format!(
        "location.pathname === {} && document.body.dataset.hydrated === 'true'",
        serde_json::to_string(path).unwrap()
    );
    wait_until(page, &check, 30).await;
    portal_tests::browser::assert_accessible(page).await;
}

pub(crate) async fn text_of(page: &chromiumoxide::Page, selector: &str) -> String {
    let script = format!(
        "(document.querySelector({}) || {{ textContent: '' }}).textContent",
        serde_json::to_string(selector).unwrap()
    );
    eval::<String>(page, &script).await
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn a_new_user_registers_signs_out_and_in_resets_the_password_and_sets_notifications() {
    use portal_tests::browser::{click, fill};
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    let password = "Quai-Duperre-17-rochelle";

    // Registration, step 1: establishment number and activation code.
    page.goto(server.url("/register")).await.unwrap();
    arrived(&page, "/register").await;
    fill(&page, "input[name=number]", "9421000060").await;
    fill(&page, "input[name=code]", &server.demo_activation_code("9421000060")).await;
    click(&page, "[data-testid=register-step-1] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-testid=register-step-2]')", 30).await;
    // Step 2: sign-in details.
    fill(&page, "input[name=username]", "jeanne.port").await;
    fill(&page, "input[name=email]", "jeanne@port.example").await;
    fill(&page, "input[name=password]", password).await;
    fill(&page, "input[name=password_confirm]", password).await;
    click(&page, "[data-testid=register-step-2] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-testid=register-step-3]')", 30).await;
    // Step 3: financial management; the account summary follows.
    click(&page, "[data-testid=register-step-3] button[type=submit]").await;
    arrived(&page, "/").await;
    assert_eq!(text_of(&page, "[data-testid=welcome-user]").await, "jeanne.port");
    assert!(text_of(&page, "[data-testid=establishments]").await.contains("Librairie du Port"));

    // Sign out, then in again.
    click(&page, "[data-testid=sign-out]").await;
    arrived(&page, "/login").await;
    assert_eq!(text_of(&page, "[data-testid=identity]").await, "Non connecté");
    fill(&page, "input[name=username]", "jeanne.port").await;
    fill(&page, "input[name=password]", password).await;
    click(&page, "[data-testid=login-form] button[type=submit]").await;
    arrived(&page, "/").await;
    assert_eq!(text_of(&page, "[data-testid=identity]").await, "jeanne.port");

    // Notification preferences: payments off, urgent cases in the daily digest.
    page.goto(server.url("/profile")).await.unwrap();
    arrived(&page, "/profile").await;
    click(&page, "input[name=payments_enabled]").await;
    click(&page, "input[name=urgent_case_digest]").await;
    click(&page, "[data-testid=notifications-form] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-testid=notice]')", 30).await;
    arrived(&page, "/profile").await;
    assert!(!eval::<bool>(&page, "document.querySelector('input[name=payments_enabled]').checked").await);
    assert!(eval::<bool>(&page, "document.querySelector('input[name=urgent_case_digest]').checked").await);
    assert!(eval::<bool>(&page, "document.querySelector('input[name=new_inquiry_enabled]').checked").await);

    // Forgotten password: the emailed link sets a new one.
    click(&page, "[data-testid=sign-out]").await;
    arrived(&page, "/login").await;
    page.goto(server.url("/recover/password")).await.unwrap();
    arrived(&page, "/recover/password").await;
    fill(&page, "input[name=username]", "jeanne.port").await;
    click(&page, "form[action='/recover/password'] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-testid=notice]')", 30).await;
    let mut emails = Vec::new();
    for _ in 0..50 {
        emails = portal_tests::mail::emails_to(&server.mail_dir(), "jeanne@port.example");
        if !emails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let link = portal_tests::mail::link(emails.first().expect("the reset email"), "/reset-password");
    page.goto(server.url(&link)).await.unwrap();
    arrived(&page, "/reset-password").await;
    let new_password = "Nouveau-mot-2-passe-port";
    fill(&page, "input[name=password]", new_password).await;
    fill(&page, "input[name=password_confirm]", new_password).await;
    click(&page, "[data-testid=reset-form] button[type=submit]").await;
    arrived(&page, "/login").await;
    fill(&page, "input[name=username]", "jeanne.port").await;
    fill(&page, "input[name=password]", new_password).await;
    click(&page, "[data-testid=login-form] button[type=submit]").await;
    arrived(&page, "/").await;
    assert_eq!(text_of(&page, "[data-testid=identity]").await, "jeanne.port");

    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn the_page_warns_before_the_idle_timeout_and_then_signs_out() {
    use portal_tests::browser::{click, fill};
    // 16 s idle timeout: the warning comes 2 s before the end.
    let server = ReleaseServer::start_with(&[("SESSION_IDLE_SECONDS", "16")]).await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    page.goto(server.url("/login")).await.unwrap();
    arrived(&page, "/login").await;
    fill(&page, "input[name=username]", "opera").await;
    fill(&page, "input[name=password]", "Demo-opera-2026").await;
    click(&page, "[data-testid=login-form] button[type=submit]").await;
    arrived(&page, "/").await;
    assert!(!eval::<bool>(&page, "!!document.querySelector('[data-testid=idle-warning]')").await);

    // The warning appears; staying signed in pushes the end back.
    wait_until(&page, "!!document.querySelector('[data-testid=idle-warning]')", 20).await;
    wait_until(&page, "document.activeElement === document.querySelector('[data-testid=idle-warning] button')", 5)
        .await;
    page.evaluate("window.__sameDocument = true").await.unwrap();
    click(&page, "[data-testid=idle-warning] button").await;
    wait_until(&page, "!document.querySelector('[data-testid=idle-warning]')", 5).await;
    assert!(eval::<bool>(&page, "window.__sameDocument === true").await, "still on the page");

    // Left alone, the page goes to the sign-in page, which says why and leads back to this page.
    wait_until(&page, "location.pathname === '/login' && location.search.includes('expired')", 25).await;
    assert!(eval::<bool>(&page, "location.search.includes('next=%2F')").await, "the way back is kept");
    arrived(&page, "/login").await;
    assert!(text_of(&page, "[data-testid=notice]").await.contains("inactivité"));
    assert_eq!(text_of(&page, "[data-testid=identity]").await, "Non connecté");
    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn a_form_page_follows_the_language_switch() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    page.goto(server.url("/login")).await.unwrap();
    arrived(&page, "/login").await;
    assert_eq!(text_of(&page, "label[for=field-username]").await, "Identifiant");
    portal_tests::browser::click(&page, "[data-testid=language-switch]").await;
    wait_until(&page, "(document.querySelector('label[for=field-username]') || {}).textContent === 'Username'", 15)
        .await;
    arrived(&page, "/login").await;
    assert_eq!(text_of(&page, "h1").await, "Sign in");
    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}

/// Every page a user of each role can reach, in one visit each: it renders, its islands wake
/// without a console error, and axe-core finds no serious or critical violation.
#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn every_page_passes_the_accessibility_checks() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    let visit = |path: &'static str| {
        let page = page.clone();
        let url = server.url(path);
        async move {
            page.goto(url).await.unwrap();
            wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;
            portal_tests::browser::assert_accessible(&page).await;
        }
    };
    for path in ["/login", "/register", "/recover/username", "/recover/password", "/no-such-page"] {
        visit(path).await;
    }
    sign_in_demo(&page, &server, "lemaire.hq").await;
    for path in [
        "/",
        "/disputes",
        "/disputes?queue=closed",
        "/payments",
        "/payments?tab=pending",
        "/transactions",
        "/statements",
        "/reports",
        "/notifications",
        "/profile",
        "/messages",
        "/analytics",
    ] {
        visit(path).await;
    }
    // A case, a payment, a statement and a message thread, each reached from its list.
    for (list, link) in [
        ("/disputes", "[data-testid=case-row] a"),
        ("/payments", "[data-testid=payment-row] a"),
        ("/statements", "[data-testid=statement-row] a"),
        ("/messages", "[data-testid=thread-row] a"),
    ] {
        visit(list).await;
        let script = format!("document.querySelector({}).getAttribute('href')", serde_json::to_string(link).unwrap());
        let href: String = eval(&page, &script).await;
        page.goto(server.url(&href)).await.unwrap();
        wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;
        portal_tests::browser::assert_accessible(&page).await;
    }
    sign_out(&page).await;
    sign_in_demo(&page, &server, "lemaire.admin").await;
    visit("/organisation/users").await;
    sign_out(&page).await;
    sign_in_demo(&page, &server, "analyst").await;
    visit("/review").await;
    visit("/review/open").await;
    visit("/analytics").await;
    sign_out(&page).await;
    sign_in_demo(&page, &server, "support").await;
    visit("/support").await;
    let href: String = eval(&page, "document.querySelector('[data-testid=console-row] a').getAttribute('href')").await;
    page.goto(server.url(&href)).await.unwrap();
    wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;
    portal_tests::browser::assert_accessible(&page).await;
    sign_out(&page).await;
    sign_in_demo(&page, &server, "admin").await;
    visit("/admin/notifications").await;
    visit("/analytics/settings").await;
    // The one error the browser reports is the unknown page's own 404.
    let (expected, errors): (Vec<String>, Vec<String>) =
        chromium.errors().into_iter().partition(|error| error.contains("404") && error.ends_with("/no-such-page"));
    assert_eq!(expected.len(), 1, "the unknown page answers 404");
    assert_eq!(errors, Vec::<String>::new(), "the console shows no other errors");
}

/// Signs `username` in with their demo password and waits for the dashboard.
pub(crate) async fn sign_in_demo(page: &chromiumoxide::Page, server: &ReleaseServer, username: &str) {
    use portal_tests::browser::{click, fill};
    page.goto(server.url("/login")).await.unwrap();
    arrived(page, "/login").await;
    fill(page, "input[name=username]", username).await;
    fill(page, "input[name=password]", &format!("Demo-{username}-2026")).await;
    click(page, "[data-testid=login-form] button[type=submit]").await;
    arrived(page, "/").await;
}

async fn sign_out(page: &chromiumoxide::Page) {
    portal_tests::browser::click(page, "[data-testid=sign-out]").await;
    arrived(page, "/login").await;
}

/// Opens the first case listed at `queue` (a queue address) and returns its case page path.
pub(crate) async fn open_first_case(page: &chromiumoxide::Page, server: &ReleaseServer, queue: &str) -> String {
    page.goto(server.url(queue)).await.unwrap();
    wait_until(page, "document.querySelector('[data-testid=case-row] a') !== null", 30).await;
    let path: String = eval(page, "document.querySelector('[data-testid=case-row] a').getAttribute('href')").await;
    page.goto(server.url(&path)).await.unwrap();
    wait_until(page, "document.querySelector('[data-testid=case-number]') !== null", 30).await;
    path
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn an_establishment_user_answers_an_inquiry_with_a_pdf_and_the_draft_survives_signing_out() {
    use chromiumoxide::cdp::browser_protocol::dom::SetFileInputFilesParams;
    use portal_tests::browser::{click, fill};
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "opera").await;
    let path =
        open_first_case(&page, &server, "/disputes?queue=response_needed&stage=inquiry&status=needs_response").await;
    assert!(text_of(&page, "[data-testid=reason-explanation]").await.len() > 20, "the reason is explained");

    // A draft first, then away and back.
    fill(&page, "#field-comments", "Commande livrée le lendemain ; bon de livraison signé joint.").await;
    click(&page, "[data-testid=save-draft]").await;
    wait_until(&page, "document.querySelector('[data-testid=notice]') !== null", 30).await;
    assert_eq!(
        eval::<String>(&page, "document.querySelector('[data-testid=case-status]').dataset.status").await,
        "draft_saved"
    );
    sign_out(&page).await;
    sign_in_demo(&page, &server, "opera").await;
    page.goto(server.url(&path)).await.unwrap();
    wait_until(&page, "document.querySelector('#field-comments') !== null", 30).await;
    assert_eq!(
        eval::<String>(&page, "document.querySelector('#field-comments').value").await,
        "Commande livrée le lendemain ; bon de livraison signé joint.",
        "the draft survived signing out"
    );

    // Then the proof, ticked in the checklist, and the submission.
    let folder = tempfile::tempdir().unwrap();
    let proof = folder.path().join("bon-de-livraison.pdf");
    std::fs::write(&proof, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n").unwrap();
    let input = page.find_element("#field-documents").await.unwrap();
    let files =
        SetFileInputFilesParams::builder().file(proof.display().to_string()).node_id(input.node_id).build().unwrap();
    page.execute(files).await.unwrap();
    click(&page, "#tick-0").await;
    click(&page, "[data-testid=submit-response]").await;
    wait_until(&page, "document.querySelector('[data-testid=case-status]')?.dataset.status === 'under_review'", 30)
        .await;
    assert!(text_of(&page, "[data-testid=documents]").await.contains("bon-de-livraison.pdf"));
    assert!(text_of(&page, "[data-testid=timeline]").await.contains("Réponse soumise"));
    assert_eq!(eval::<bool>(&page, "document.querySelector('[data-testid=response-form]') === null").await, true);
    assert_eq!(chromium.errors(), Vec::<String>::new());
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn headquarters_under_local_configuration_see_a_case_but_cannot_answer_it() {
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "rivage.hq").await;
    assert!(text_of(&page, "body").await.len() > 0);
    page.goto(server.url("/disputes")).await.unwrap();
    wait_until(&page, "document.querySelector('[data-testid=establishment-summary]') !== null", 30).await;
    open_first_case(&page, &server, "/disputes?queue=response_needed").await;
    let explanation = text_of(&page, "[data-testid=local-configuration]").await;
    assert!(
        explanation.contains("en local") && explanation.contains("rivage."),
        "says why and who answers: {explanation}"
    );
    assert!(
        eval::<bool>(
            &page,
            "document.querySelector('[data-testid=response-form], [data-testid=accept-form]') === null"
        )
        .await
    );
    assert_eq!(chromium.errors(), Vec::<String>::new());
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn an_analyst_decides_and_the_merchant_sees_the_new_status() {
    use portal_tests::browser::{click, fill};
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "analyst").await;
    page.goto(server.url("/review")).await.unwrap();
    wait_until(&page, "document.querySelector('[data-testid=review-queue]') !== null", 30).await;
    // A case of the Opéra shop, whose user checks the outcome afterwards.
    let path: String = eval(
        &page,
        "[...document.querySelectorAll('[data-testid=case-row]')].find(row => row.textContent.includes('Opéra')).querySelector('a').getAttribute('href')",
    )
    .await;
    page.goto(server.url(&path)).await.unwrap();
    wait_until(&page, "document.querySelector('[data-testid=decision-form]') !== null", 30).await;
    click(&page, "#outcome-merchant").await;
    fill(&page, "#field-note", "Preuve de livraison probante.").await;
    click(&page, "[data-testid=decide]").await;
    wait_until(&page, "document.querySelector('[data-testid=case-status]')?.dataset.status === 'won'", 30).await;
    sign_out(&page).await;

    sign_in_demo(&page, &server, "opera").await;
    page.goto(server.url(&path)).await.unwrap();
    wait_until(&page, "document.querySelector('[data-testid=case-status]') !== null", 30).await;
    assert_eq!(
        eval::<String>(&page, "document.querySelector('[data-testid=case-status]').dataset.status").await,
        "won"
    );
    assert!(text_of(&page, "[data-testid=timeline]").await.contains("Preuve de livraison probante."));
    assert_eq!(chromium.errors(), Vec::<String>::new());
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn a_notification_appears_in_an_open_page_when_an_analyst_decides() {
    let server = ReleaseServer::start_with(&[("NOTIFY_INTERVAL_MS", "200")]).await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "opera").await;
    page.goto(server.url("/disputes")).await.unwrap();
    wait_until(&page, "document.body.dataset.hydrated === 'true'", 30).await;
    // The page must not reload: a marker set now has to survive until the end.
    eval::<bool>(&page, "(window.__stillTheSamePage = true)").await;
    // Let the demo's own notifications settle, then remember the count.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let before: i64 = eval(&page, "Number(document.querySelector('[data-testid=unread-count]').textContent)").await;

    // The analyst decides one of Opéra's submitted cases (another browser, here plain HTTP).
    let analyst = portal_tests::Visitor::new(&server.address);
    analyst.sign_in_demo("analyst").await;
    let queue = analyst.page("/review").await;
    let row = queue.split("data-testid=\"case-row\"").skip(1).find(|row| row.contains("Opéra")).expect("an Opéra case");
    let number = row.split("data-case=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let case = analyst.page(&format!("/disputes/{number}")).await;
    let version = portal_tests::hidden_value(&case.split("data-testid=\"decision-form\"").nth(1).unwrap(), "version");
    let decided = analyst
        .post(
            &format!("/review/{number}/decide"),
            &[("outcome", "merchant"), ("note", "Preuve de livraison probante."), ("version", &version)],
        )
        .await;
    assert_eq!(decided.status(), 303);

    wait_until(
        &page,
        &format!("document.querySelector('[data-testid=live-notification]').textContent.includes('{number}')"),
        30,
    )
    .await;
    let live = text_of(&page, "[data-testid=live-notification]").await;
    assert!(live.contains("en votre faveur"), "{live}");
    let after: i64 = eval(&page, "Number(document.querySelector('[data-testid=unread-count]').textContent)").await;
    assert_eq!(after, before + 1);
    assert!(eval::<bool>(&page, "window.__stillTheSamePage === true").await, "no reload");
    assert_eq!(chromium.errors(), Vec::<String>::new());
}

/// Lets the browser save downloads, into the folder returned.
async fn allow_downloads(chromium: &Chromium) -> tempfile::TempDir {
    use chromiumoxide::cdp::browser_protocol::browser::{SetDownloadBehaviorBehavior, SetDownloadBehaviorParams};
    let downloads = tempfile::tempdir().unwrap();
    chromium
        .browser
        .execute(
            SetDownloadBehaviorParams::builder()
                .behavior(SetDownloadBehaviorBehavior::Allow)
                .download_path(downloads.path().display().to_string())
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    downloads
}

/// Waits (up to 30 s) for a finished download whose name ends with `suffix` in `folder`.
async fn downloaded(folder: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    for _ in 0..300 {
        let found = std::fs::read_dir(folder)
            .unwrap()
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .find(|path| path.to_string_lossy().ends_with(suffix));
        if let Some(path) = found {
            return path;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no {suffix} file was downloaded into {}", folder.display());
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn headquarters_pick_an_establishment_search_35_days_and_download_the_csv_and_a_statement_pdf() {
    use portal_tests::browser::click;
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let downloads = allow_downloads(&chromium).await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "lemaire.hq").await;
    page.goto(server.url("/transactions")).await.unwrap();
    arrived(&page, "/transactions").await;

    // Lyon, over the whole 35 days.
    let lyon: String = eval(
        &page,
        "[...document.querySelectorAll('[data-testid=establishment-picker] option')].find(o => o.textContent.includes('Lyon')).value",
    )
    .await;
    let today = app::clock::paris_today();
    let from = today - chrono::Duration::days(34);
    page.evaluate(format!(
        "document.querySelector('[data-testid=establishment-picker]').value = '{lyon}'; \
         document.querySelector('#tx-from').value = '{from}'; document.querySelector('#tx-to').value = '{today}';"
    ))
    .await
    .unwrap();
    click(&page, "[data-testid=search-transactions]").await;
    wait_until(
        &page,
        &format!("location.search.includes('establishment={lyon}') && location.search.includes('from={from}') && document.querySelectorAll('[data-testid=transaction-row]').length === 50"),
        30,
    )
    .await;
    assert!(text_of(&page, "[data-testid=transactions]").await.contains("*****"));

    // The CSV of the whole search.
    click(&page, "[data-testid=download-transactions]").await;
    let csv = downloaded(downloads.path(), ".csv").await;
    let name = csv.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name, format!("transactions-{lyon}-{from}-{today}.csv"));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}date,heure,carte,montant"), "French column names for a French reader");
    assert!(text.lines().count() > 51, "more than one page's worth: the whole search");

    // A statement, then its PDF.
    page.goto(server.url(&format!("/statements?establishment={lyon}"))).await.unwrap();
    arrived(&page, "/statements").await;
    wait_until(&page, "document.querySelectorAll('[data-testid=statement-row]').length === 16", 30).await;
    click(&page, "[data-testid=statement-row] a").await;
    wait_until(&page, "document.querySelector('[data-testid=statement-lines]') !== null", 30).await;
    let month = text_of(&page, "[data-testid=statement-month]").await;
    click(&page, "[data-testid=download-pdf]").await;
    let pdf = downloaded(downloads.path(), ".pdf").await;
    assert_eq!(pdf.file_name().unwrap().to_string_lossy(), format!("statement-9421000029-{month}.pdf"));
    let document = lopdf::Document::load(&pdf).unwrap();
    let text = document.extract_text(&[1]).unwrap();
    assert!(text.contains("Lyon Bellecour") && text.contains(&month), "{text}");
    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn the_platform_onboards_an_establishment_whose_code_serves_once_and_local_configuration_stops_headquarters() {
    use portal_tests::browser::{click, fill};
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;

    // The platform admin creates an organisation, one establishment, and issues its code.
    sign_in_demo(&page, &server, "admin").await;
    page.goto(server.url("/admin/organisations")).await.unwrap();
    arrived(&page, "/admin/organisations").await;
    fill(&page, "[data-testid=new-organisation] input[name=name]", "Caves Rochelaises").await;
    click(&page, "[data-testid=new-organisation] button[type=submit]").await;
    wait_until(
        &page,
        "location.pathname.startsWith('/admin/organisations/') && document.body.dataset.hydrated === 'true'",
        30,
    )
    .await;
    portal_tests::browser::assert_accessible(&page).await;
    for (name, value) in [
        ("number", "9421000094"),
        ("trading_name", "Cave du Quai"),
        ("address_line", "4 quai Duperré"),
        ("postcode", "17000"),
        ("city", "La Rochelle"),
        ("contract_anniversary", "03-15"),
        ("max_installments", "4"),
    ] {
        fill(&page, &format!("[data-testid=new-establishment] input[name={name}]"), value).await;
    }
    click(&page, "[data-testid=new-establishment] button[type=submit]").await;
    wait_until(
        &page,
        "location.pathname.startsWith('/admin/establishments/') && document.body.dataset.hydrated === 'true'",
        30,
    )
    .await;
    click(&page, "[data-testid=issue-code]").await;
    wait_until(&page, "document.querySelector('[data-code]') !== null", 30).await;
    portal_tests::browser::assert_accessible(&page).await;
    let code: String = eval(&page, "document.querySelector('[data-code]').dataset.code").await;
    sign_out(&page).await;

    // A new user registers with it.
    let password = "Quai-Duperre-17-rochelle";
    page.goto(server.url("/register")).await.unwrap();
    arrived(&page, "/register").await;
    fill(&page, "input[name=number]", "9421000094").await;
    fill(&page, "input[name=code]", &code).await;
    click(&page, "[data-testid=register-step-1] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-testid=register-step-2]')", 30).await;
    fill(&page, "input[name=username]", "cave.quai").await;
    fill(&page, "input[name=email]", "cave@quai.example").await;
    fill(&page, "input[name=password]", password).await;
    fill(&page, "input[name=password_confirm]", password).await;
    click(&page, "[data-testid=register-step-2] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-testid=register-step-3]')", 30).await;
    click(&page, "[data-testid=register-step-3] button[type=submit]").await;
    arrived(&page, "/").await;
    assert!(text_of(&page, "[data-testid=establishments]").await.contains("Cave du Quai"));
    sign_out(&page).await;

    // The same code is then refused.
    page.goto(server.url("/register")).await.unwrap();
    arrived(&page, "/register").await;
    fill(&page, "input[name=number]", "9421000094").await;
    fill(&page, "input[name=code]", &code).await;
    click(&page, "[data-testid=register-step-1] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('.field__problem')", 30).await;
    let problem = text_of(&page, ".field__problem").await;
    // In the language of the last user signed in on this browser (the cookie outlives sign-out).
    assert!(problem.contains("ne correspondent pas") || problem.contains("do not match"), "{problem}");

    // Maison Lemaire's administrator switches to local; its HQ user can no longer answer.
    sign_in_demo(&page, &server, "lemaire.admin").await;
    page.goto(server.url("/organisation/users")).await.unwrap();
    arrived(&page, "/organisation/users").await;
    click(&page, "#dispute-config-local").await;
    click(&page, "#dispute-config-confirm").await;
    click(&page, "[data-testid=dispute-config-form] button[type=submit]").await;
    wait_until(&page, "!!document.querySelector('[data-config=local]')", 30).await;
    sign_out(&page).await;
    sign_in_demo(&page, &server, "lemaire.hq").await;
    open_first_case(&page, &server, "/disputes").await;
    assert!(eval::<bool>(&page, "document.querySelector('[data-testid=response-form]') === null").await);
    assert_eq!(chromium.errors(), Vec::<String>::new());
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn headquarters_follow_an_urgent_figure_to_the_queue_then_read_and_download_analytics() {
    use portal_tests::browser::click;
    let server = ReleaseServer::start().await;
    let chromium = Chromium::launch().await;
    let downloads = allow_downloads(&chromium).await;
    let page = chromium.page().await;
    sign_in_demo(&page, &server, "lemaire.hq").await;

    // The most pressing establishment comes first; its urgent figure leads to the queue
    // filtered to its urgent cases, which says the same number.
    let urgent: String =
        eval(&page, "document.querySelector('[data-testid=hq-row] [data-testid=urgent-count] a').textContent").await;
    let establishment: String =
        eval(&page, "document.querySelector('[data-testid=hq-row]').dataset.establishment").await;
    click(&page, "[data-testid=hq-row] [data-testid=urgent-count] a").await;
    arrived(&page, "/disputes").await;
    assert!(
        eval::<bool>(
            &page,
            &format!(
                "location.search.includes('establishment={establishment}') && location.search.includes('due=urgent')"
            )
        )
        .await
    );
    let listed: i64 = eval(&page, "document.querySelectorAll('[data-testid=case-row]').length").await;
    let counted = text_of(&page, "[data-testid=queue-count]").await;
    let urgent: i64 = urgent.trim().parse().unwrap();
    assert_eq!(listed, urgent.min(25));
    if urgent > 0 {
        assert!(counted.starts_with(&format!("{urgent} ")), "{counted}");
    }

    // Analytics from the navigation, then a shorter period and one establishment.
    click(&page, ".main-nav a[href='/analytics']").await;
    arrived(&page, "/analytics").await;
    let months: Vec<String> =
        eval(&page, "[...document.querySelectorAll('#analytics-from option')].map(o => o.value)").await;
    assert_eq!(months.len(), 16);
    let from = months[months.len() - 3].clone();
    page.evaluate(format!(
        "document.querySelector('#analytics-from').value = '{from}'; \
         document.querySelector('#analytics-establishment').value = '{establishment}';"
    ))
    .await
    .unwrap();
    click(&page, "[data-testid=apply-analytics]").await;
    wait_until(
        &page,
        &format!("location.search.includes('from={from}') && location.search.includes('establishment={establishment}') && document.body.dataset.hydrated === 'true'"),
        30,
    )
    .await;
    portal_tests::browser::assert_accessible(&page).await;
    // The chart: an SVG image with its title and description, and the same words beside it.
    let title = text_of(&page, "[data-testid=trend-chart] svg > title").await;
    let description = text_of(&page, "[data-testid=trend-chart] svg > desc").await;
    assert_eq!(title, "Litiges ouverts par mois");
    assert!(description.contains(&from), "{description}");
    assert_eq!(text_of(&page, "[data-testid=chart-description]").await, description);
    assert_eq!(
        eval::<String>(&page, "document.querySelector('[data-testid=trend-chart] svg').getAttribute('role')").await,
        "img"
    );
    assert_eq!(
        eval::<i64>(&page, "document.querySelectorAll('[data-testid=trend-chart] svg rect[x]').length").await,
        6,
        "3 months, 2 bars each"
    );

    // The months table as CSV, for the same filter.
    click(&page, "[data-testid=download-months]").await;
    let csv = downloaded(downloads.path(), ".csv").await;
    let name = csv.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("analytics-months-{from}-")), "{name}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}mois,devise,demandes,debits"), "{text}");
    assert_eq!(chromium.errors(), Vec::<String>::new(), "the console shows no errors");
}
