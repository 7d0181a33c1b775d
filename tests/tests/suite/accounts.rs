//! Accounts: registration, sign-in and sessions, lockout, recovery, profile, organisation users,
//! rate limiting and cookie settings, against the real server and the demo data.

use portal_tests::{mail, scalar, spawn_app_with_demo, spawn_app_with_demo_and, TestApp, Visitor};
use std::time::Duration;

async fn establishment_id(app: &TestApp, number: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM establishments WHERE number = '{number}'")).await
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM users WHERE username = '{username}'")).await
}

/// Whether the establishment has online dispute management.
async fn subscribed(app: &TestApp, establishment: i64) -> bool {
    let sql =
        format!("SELECT CASE WHEN dispute_subscribed THEN 1 ELSE 0 END FROM establishments WHERE id = {establishment}");
    scalar(&app.db, &sql).await == 1
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default()
}

/// Page HTML without the per-response nonce (Leptos also writes it in `crossorigin`), so two
/// answers can be compared.
fn without_nonces(html: &str) -> String {
    let mut page = html.to_owned();
    for attribute in ["nonce=\"", "crossorigin=\""] {
        let mut out = String::new();
        let mut rest = page.as_str();
        while let Some(start) = rest.find(attribute) {
            out.push_str(&rest[..start]);
            let after = &rest[start + attribute.len()..];
            rest = &after[after.find('"').map(|end| end + 1).unwrap_or(after.len())..];
        }
        out.push_str(rest);
        page = out;
    }
    page
}

#[tokio::test]
async fn registration_takes_three_steps_and_keeps_what_was_typed() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    let code = app.issue_activation_code("9421000060").await;

    // Step 1 refuses a wrong code and keeps the number.
    let refused =
        visitor.post("/register/establishment", &[("number", "9421 000 060"), ("code", "WRONG-CODE-0000")]).await;
    assert_eq!((refused.status().as_u16(), location(&refused)), (303, "/register".into()));
    let page = visitor.page("/register").await;
    assert!(page.contains("data-testid=\"register-step-1\""), "still step 1");
    assert!(page.contains("value=\"9421 000 060\""), "the number is kept");
    assert!(page.contains("ne correspondent pas"), "the problem is shown");

    // Step 1 accepted; step 2 refuses a common password and keeps username and email.
    visitor.post("/register/establishment", &[("number", "9421000060"), ("code", &code.to_lowercase())]).await;
    assert!(visitor.page("/register").await.contains("data-testid=\"register-step-2\""));
    let weak = [
        ("username", "jeanne.port"),
        ("email", "jeanne@port.example"),
        ("password", "password1234"),
        ("password_confirm", "password1234"),
    ];
    visitor.post("/register/account", &weak).await;
    let page = visitor.page("/register").await;
    assert!(page.contains("data-testid=\"register-step-2\""));
    assert!(page.contains("value=\"jeanne.port\"") && page.contains("value=\"jeanne@port.example\""));
    assert!(page.contains("trop courant"), "common password refused");
    assert!(!page.contains("password1234"), "passwords are never sent back");
    // A taken username is refused too.
    let taken = [
        ("username", "librairie"),
        ("email", "x@port.example"),
        ("password", "Quai-Duperre-17-rochelle"),
        ("password_confirm", "Quai-Duperre-17-rochelle"),
    ];
    visitor.post("/register/account", &taken).await;
    assert!(visitor.page("/register").await.contains("déjà utilisé"));

    let good = [
        ("username", "jeanne.port"),
        ("email", "jeanne@port.example"),
        ("password", "Quai-Duperre-17-rochelle"),
        ("password_confirm", "Quai-Duperre-17-rochelle"),
    ];
    visitor.post("/register/account", &good).await;
    assert!(visitor.page("/register").await.contains("data-testid=\"register-step-3\""));
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM users WHERE username = 'jeanne.port'").await,
        0,
        "nothing created before step 3"
    );

    let done = visitor.post("/register/finance", &[("paperless", "on"), ("dispute_management", "on")]).await;
    assert_eq!(location(&done), "/");
    let librairie = establishment_id(&app, "9421000060").await;
    assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.username = 'jeanne.port' AND m.establishment_id = {librairie} AND m.role = 'establishment_user'")).await, 1);
    assert!(subscribed(&app, librairie).await);
    let summary = visitor.page("/").await;
    assert!(summary.contains("data-testid=\"welcome-user\">jeanne.port<"), "signed in after step 3");
    assert!(summary.contains("Librairie du Port"));
    app.stop().await;
}

#[tokio::test]
async fn the_account_summary_offers_activate_for_an_unsubscribed_establishment() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("librairie").await;
    let page = visitor.page("/").await;
    assert!(page.contains("non activée") && page.contains("data-testid=\"activate\""));
    let librairie = establishment_id(&app, "9421000060").await;
    let response = visitor.post(&format!("/establishments/{librairie}/activate"), &[]).await;
    assert_eq!(location(&response), "/");
    let page = visitor.page("/").await;
    assert!(page.contains("Gestion des litiges en ligne : activée") && !page.contains("data-testid=\"activate\""));
    app.stop().await;
}

#[tokio::test]
async fn signing_in_renews_the_session_id_and_signing_out_destroys_it() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    // A failed attempt leaves an anonymous session (it carries the form's answer).
    visitor.sign_in("opera", "not-the-password-1").await;
    let before = visitor.session_id().expect("an anonymous session");
    visitor.sign_in_demo("opera").await;
    let after = visitor.session_id().expect("a signed-in session");
    assert_ne!(before, after, "a new id at sign-in");
    assert_eq!(visitor.signed_in_as().await.as_deref(), Some("opera"));
    assert_eq!(visitor.with_session(&before).signed_in_as().await, None, "the old id is dead");
    assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM sessions WHERE id = '{before}'")).await, 0);

    let response = visitor.post("/logout", &[]).await;
    assert_eq!(location(&response), "/login");
    assert_eq!(
        scalar(&app.db, &format!("SELECT COUNT(*) FROM sessions WHERE id = '{after}'")).await,
        0,
        "deleted from the store"
    );
    assert_eq!(visitor.with_session(&after).signed_in_as().await, None, "the signed-out id is dead");
    assert_eq!(visitor.signed_in_as().await, None);
    app.stop().await;
}

#[tokio::test]
async fn the_eleventh_sign_in_is_refused_even_with_the_right_password() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    for attempt in 1..=10 {
        let response = visitor.sign_in("lyon", &format!("wrong-password-{attempt}")).await;
        assert_eq!(location(&response), "/login", "attempt {attempt}");
    }
    let response = visitor.sign_in("lyon", "Demo-lyon-2026").await;
    assert_eq!(location(&response), "/login", "locked: the right password is refused");
    let page = visitor.page("/login").await;
    assert!(page.contains("bloqué pendant 30 minutes"), "the user is told");
    assert_eq!(visitor.signed_in_as().await, None);
    let emails = app.wait_for_emails("lyon@demo.example", 1).await;
    assert!(emails[0].contains("Subject: =?utf-8?") || emails[0].contains("bloqu"), "a lockout email: {}", emails[0]);
    // Once the lock has passed, the right password works again.
    sqlx::query("UPDATE users SET locked_until = 1 WHERE username = 'lyon'").execute(&app.db.pool).await.unwrap();
    visitor.sign_in_demo("lyon").await;
    app.stop().await;
}

#[tokio::test]
async fn recovery_answers_the_same_for_known_and_unknown_accounts() {
    let app = spawn_app_with_demo().await;
    for (path, field, known, unknown) in [
        ("/recover/password", "username", "opera", "nobody-here"),
        ("/recover/username", "email", "opera@demo.example", "nobody@demo.example"),
    ] {
        let (first, second) = (app.visitor(), app.visitor());
        let a = first.post(path, &[(field, known)]).await;
        let b = second.post(path, &[(field, unknown)]).await;
        assert_eq!((a.status(), location(&a)), (b.status(), location(&b)), "{path}");
        let (page_a, page_b) = (first.page(path).await, second.page(path).await);
        let (page_a, page_b) = (without_nonces(&page_a), without_nonces(&page_b));
        if page_a != page_b {
            let at = page_a.bytes().zip(page_b.bytes()).position(|(x, y)| x != y).unwrap_or(0);
            panic!(
                "{path}: pages differ at {at}: {:?} / {:?}",
                &page_a[at.saturating_sub(80)..(at + 80).min(page_a.len())],
                &page_b[at.saturating_sub(80)..(at + 80).min(page_b.len())]
            );
        }
        assert!(page_a.contains("Si un compte correspond"));
    }
    let emails = app.wait_for_emails("opera@demo.example", 2).await;
    assert!(emails.iter().any(|email| email.contains("/reset-password?token=")));
    assert!(emails.iter().any(|email| email.contains("opera")));
    assert!(app.emails_to("nobody@demo.example").is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_reset_link_works_once_within_30_minutes_and_the_old_password_works_until_then() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.post("/recover/password", &[("username", "opera")]).await;
    let email = app.wait_for_emails("opera@demo.example", 1).await.remove(0);
    let link = mail::link(&email, "/reset-password");
    let token = link.split("token=").nth(1).unwrap().to_owned();

    // The old password still works.
    app.visitor().sign_in_demo("opera").await;
    assert!(visitor.page(&link).await.contains("data-testid=\"reset-form\""));
    // The rules apply.
    visitor.post("/reset-password", &[("token", &token), ("password", "short1"), ("password_confirm", "short1")]).await;
    assert!(visitor.page(&link).await.contains("Au moins 12 caractères"));
    let new_password = "Auber-12-rue-Paris-Opera";
    let done = visitor
        .post("/reset-password", &[("token", &token), ("password", new_password), ("password_confirm", new_password)])
        .await;
    assert_eq!(location(&done), "/login");
    assert_eq!(
        location(&app.visitor().sign_in("opera", "Demo-opera-2026").await),
        "/login",
        "the old password no longer works"
    );
    assert_eq!(location(&app.visitor().sign_in("opera", new_password).await), "/");
    // Single use.
    let again = app.visitor();
    again
        .post(
            "/reset-password",
            &[("token", &token), ("password", "Another-9-password-x"), ("password_confirm", "Another-9-password-x")],
        )
        .await;
    assert!(again.page(&link).await.contains("n'est plus valable"));
    assert_eq!(location(&app.visitor().sign_in("opera", new_password).await), "/");

    // An expired link is refused.
    visitor.post("/recover/password", &[("username", "lyon")]).await;
    let email = app.wait_for_emails("lyon@demo.example", 1).await.remove(0);
    let token = mail::link(&email, "/reset-password").split("token=").nth(1).unwrap().to_owned();
    sqlx::query("UPDATE account_tokens SET expires_at = expires_at - 1801").execute(&app.db.pool).await.unwrap();
    let late = app.visitor();
    late.post("/reset-password", &[("token", &token), ("password", new_password), ("password_confirm", new_password)])
        .await;
    assert_eq!(location(&app.visitor().sign_in("lyon", new_password).await), "/login");
    app.stop().await;
}

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions() {
    let app = spawn_app_with_demo().await;
    let (laptop, phone) = (app.visitor(), app.visitor());
    laptop.sign_in_demo("lemaire.hq").await;
    phone.sign_in_demo("lemaire.hq").await;
    let wrong = laptop
        .post(
            "/profile/password",
            &[
                ("current_password", "nope"),
                ("password", "Chartrons-31-quai-x"),
                ("password_confirm", "Chartrons-31-quai-x"),
            ],
        )
        .await;
    assert_eq!(location(&wrong), "/profile");
    assert!(laptop.page("/profile").await.contains("actuel est incorrect"));
    assert_eq!(phone.signed_in_as().await.as_deref(), Some("lemaire.hq"), "a refused change ends nothing");

    laptop
        .post(
            "/profile/password",
            &[
                ("current_password", "Demo-lemaire.hq-2026"),
                ("password", "Chartrons-31-quai-x"),
                ("password_confirm", "Chartrons-31-quai-x"),
            ],
        )
        .await;
    assert!(laptop.page("/profile").await.contains("Vos autres sessions sont fermées"));
    assert_eq!(laptop.signed_in_as().await.as_deref(), Some("lemaire.hq"), "this session carries on");
    assert_eq!(phone.signed_in_as().await, None, "the other session ended");
    app.stop().await;
}

#[tokio::test]
async fn an_email_change_waits_for_the_link_sent_to_the_new_address() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("opera").await;
    visitor.post("/profile/email", &[("email", "not-an-address")]).await;
    assert!(visitor.page("/profile").await.contains("n'est pas valide"));
    visitor
        .post("/profile/email", &[("email", "camille@lemaire.example"), ("email_password", "Demo-opera-2026")])
        .await;
    assert_eq!(
        scalar(&app.db, "SELECT COUNT(*) FROM users WHERE username = 'opera' AND email = 'opera@demo.example'").await,
        1,
        "unchanged until confirmed"
    );
    let email = app.wait_for_emails("camille@lemaire.example", 1).await.remove(0);
    let link = mail::link(&email, "/confirm-email");
    assert!(
        visitor.page(&link).await.contains("action=\"/confirm-email\""),
        "the link shows a button, GET changes nothing"
    );
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM users WHERE email = 'camille@lemaire.example'").await, 0);
    let token = link.split("token=").nth(1).unwrap();
    visitor.post("/confirm-email", &[("token", token)]).await;
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM users WHERE username = 'opera' AND email = 'camille@lemaire.example' AND pending_email IS NULL").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn preferences_language_and_notification_choices_are_saved() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("rivage.nice").await;
    let response = visitor
        .post(
            "/profile/preferences",
            &[("full_name", "Lucas Petit"), ("language", "en"), ("comm_email", "on"), ("comm_phone", "on")],
        )
        .await;
    assert!(response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|cookie| cookie.to_str().unwrap().starts_with("i18n_pref_locale=en")));
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM users WHERE username = 'rivage.nice' AND language = 'en' AND comm_phone AND NOT comm_post").await, 1);
    let form = [
        ("new_inquiry_enabled", "on"),
        ("new_chargeback_enabled", "on"),
        ("urgent_case_enabled", "on"),
        ("urgent_case_digest", "on"),
    ];
    visitor.post("/profile/notifications", &form).await;
    let id = user_id(&app, "rivage.nice").await;
    let enabled =
        scalar(&app.db, &format!("SELECT COUNT(*) FROM notification_preferences WHERE user_id = {id} AND enabled"))
            .await;
    let digest = scalar(
        &app.db,
        &format!("SELECT COUNT(*) FROM notification_preferences WHERE user_id = {id} AND daily_digest"),
    )
    .await;
    assert_eq!((enabled, digest), (3, 1));
    let page = visitor.page("/profile").await;
    assert!(page.contains("Notifications") && page.contains("Saved."), "English now, with the notice");
    app.stop().await;
}

#[tokio::test]
async fn tenants_are_refused_each_others_data_on_every_route_that_takes_an_id() {
    let app = spawn_app_with_demo().await;
    let rivage_hq = app.visitor();
    rivage_hq.sign_in_demo("rivage.hq").await;
    let lemaire_admin = app.visitor();
    lemaire_admin.sign_in_demo("lemaire.admin").await;

    let opera = establishment_id(&app, "9421000011").await;
    let nice = establishment_id(&app, "9421000045").await;
    let librairie = establishment_id(&app, "9421000060").await;
    let lyon_user = user_id(&app, "lyon").await;
    let nice_user = user_id(&app, "rivage.nice").await;
    let business = [("address_line", "1 rue X"), ("postcode", "75001"), ("city", "Paris"), ("phone", "01 02 03 04 05")];
    let nice_text = nice.to_string();

    let before = scalar(&app.db, "SELECT COUNT(*) FROM memberships").await;
    for (visitor, path, form) in [
        (&rivage_hq, format!("/establishments/{opera}/activate"), &[][..]),
        (&rivage_hq, format!("/establishments/{librairie}/activate"), &[][..]),
        (&rivage_hq, format!("/establishments/{opera}/business"), &business[..]),
        (&rivage_hq, format!("/organisation/users/{lyon_user}/remove"), &[][..]),
        (&rivage_hq, format!("/organisation/users/{lyon_user}/establishments"), &[("establishment_id", "1")][..]),
        (&lemaire_admin, format!("/establishments/{nice}/business"), &business[..]),
        (&lemaire_admin, format!("/establishments/{librairie}/activate"), &[][..]),
        (&lemaire_admin, format!("/organisation/users/{nice_user}/remove"), &[][..]),
        (
            &lemaire_admin,
            format!("/organisation/users/{nice_user}/establishments"),
            &[("establishment_id", nice_text.as_str())][..],
        ),
        (
            &lemaire_admin,
            format!("/organisation/users/{lyon_user}/establishments"),
            &[("establishment_id", nice_text.as_str())][..],
        ),
    ] {
        let response = visitor.post(&path, form).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM memberships").await, before, "nothing changed");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM establishments WHERE address_line = '1 rue X'").await, 0);
    assert!(!subscribed(&app, librairie).await);

    // Headquarters under local configuration see their establishments but may not manage them.
    let summary = rivage_hq.page("/").await;
    assert!(summary.contains("Hôtel Rivage Nice") && summary.contains("Hôtel Rivage Biarritz"));
    assert!(!summary.contains("Maison Lemaire"));
    let refused = rivage_hq.post(&format!("/establishments/{nice}/business"), &business).await;
    assert_eq!(location(&refused), "/profile");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM establishments WHERE address_line = '1 rue X'").await, 0);
    // Not signed in: sent to sign in, nothing changes.
    let anonymous = app.visitor().post(&format!("/establishments/{librairie}/activate"), &[]).await;
    assert_eq!(location(&anonymous), "/login");
    app.stop().await;
}

#[tokio::test]
async fn an_organisation_administrator_invites_assigns_and_removes_users() {
    let app = spawn_app_with_demo().await;
    let admin = app.visitor();
    admin.sign_in_demo("lemaire.admin").await;
    let lyon = establishment_id(&app, "9421000029").await;
    let bordeaux = establishment_id(&app, "9421000037").await;
    assert!(admin.page("/organisation/users").await.contains("data-username=\"opera\""));

    admin
        .post("/organisation/users/invite", &[("email", "new.staff@lemaire.example"), ("role", "establishment_user")])
        .await;
    assert!(
        admin.page("/organisation/users").await.contains("Ce champ est obligatoire"),
        "an establishment user needs an establishment"
    );
    admin
        .post(
            "/organisation/users/invite",
            &[
                ("email", "new.staff@lemaire.example"),
                ("role", "establishment_user"),
                ("establishment_id", &lyon.to_string()),
            ],
        )
        .await;
    let email = app.wait_for_emails("new.staff@lemaire.example", 1).await.remove(0);
    let token = mail::link(&email, "/invitation").split("token=").nth(1).unwrap().to_owned();
    let invited = app.visitor();
    let accepted = invited
        .post(
            "/invitation",
            &[
                ("token", &token),
                ("username", "lyon.two"),
                ("password", "Bellecour-4-place-69"),
                ("password_confirm", "Bellecour-4-place-69"),
            ],
        )
        .await;
    assert_eq!(location(&accepted), "/");
    let summary = invited.page("/").await;
    assert!(summary.contains("Maison Lemaire — Lyon Bellecour") && !summary.contains("Paris Opéra"));

    let new_user = user_id(&app, "lyon.two").await;
    admin
        .post(&format!("/organisation/users/{new_user}/establishments"), &[("establishment_id", &bordeaux.to_string())])
        .await;
    let summary = invited.page("/").await;
    assert!(summary.contains("Bordeaux Chartrons") && !summary.contains("Lyon Bellecour"));

    admin.post(&format!("/organisation/users/{new_user}/remove"), &[]).await;
    assert_eq!(invited.signed_in_as().await, None, "removed users are signed out");
    assert_eq!(location(&app.visitor().sign_in("lyon.two", "Bellecour-4-place-69").await), "/login");
    // Not the administrator's own account.
    let me = user_id(&app, "lemaire.admin").await;
    admin.post(&format!("/organisation/users/{me}/remove"), &[]).await;
    assert_eq!(admin.signed_in_as().await.as_deref(), Some("lemaire.admin"));
    // Other roles have no such page.
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    assert_eq!(
        hq.post("/organisation/users/invite", &[("email", "x@y.example"), ("role", "hq_user")]).await.status(),
        404
    );
    app.stop().await;
}

#[tokio::test]
async fn sign_in_is_rate_limited_per_client() {
    let app = spawn_app_with_demo_and(&[("AUTH_RATE_LIMIT", "5")]).await;
    let visitor = app.visitor();
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(visitor.sign_in("opera", "wrong-password-0").await.status().as_u16());
    }
    assert_eq!(&statuses[..5], &[303; 5]);
    assert!(statuses[5..].iter().all(|status| *status == 429), "{statuses:?}");
    let limited = visitor.sign_in("opera", "Demo-opera-2026").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    // Pages and other routes are not limited.
    assert_eq!(visitor.get("/login").await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn an_idle_session_ends_and_the_cookie_is_protected() {
    let app = spawn_app_with_demo_and(&[("SESSION_IDLE_SECONDS", "2")]).await;
    let visitor = app.visitor();
    let response = visitor.sign_in("opera", "Demo-opera-2026").await;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("portal_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP locally: {cookie}");
    assert_eq!(visitor.signed_in_as().await.as_deref(), Some("opera"));
    tokio::time::sleep(Duration::from_millis(3_200)).await;
    assert_eq!(visitor.signed_in_as().await, None, "ended after the idle timeout");
    app.stop().await;

    let https = spawn_app_with_demo_and(&[("PUBLIC_URL", "https://portal.example")]).await;
    let response = Visitor::new(&https.address).sign_in("opera", "Demo-opera-2026").await;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("__Host-portal_session="))
        .expect("a __Host- cookie");
    assert!(
        cookie.contains("Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("Path=/")
            && !cookie.contains("Domain"),
        "{cookie}"
    );
    https.stop().await;
}

#[tokio::test]
async fn pages_and_sign_in_work_without_javascript() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    let login = visitor.page("/login").await;
    let form = &login[login.find("data-testid=\"login-form\"").expect("the form")..];
    let tag = &login[login[..login.len() - form.len()].rfind("<form").unwrap()..];
    let tag = &tag[..tag.find('>').unwrap()];
    assert!(tag.contains("method=\"post\"") && tag.contains("action=\"/login\""), "a plain form: {tag}");
    assert!(login.contains("name=\"username\"") && login.contains("name=\"password\""));
    visitor.sign_in("opera", "wrong-password-1").await;
    let refused = visitor.page("/login").await;
    assert!(refused.contains("value=\"opera\"") && refused.contains("Identifiant ou mot de passe incorrect"));
    visitor.sign_in_demo("opera").await;
    let summary = visitor.page("/").await;
    assert!(summary.contains("Maison Lemaire — Paris Opéra"), "the summary is in the HTML, not fetched later");
    app.stop().await;
}

#[tokio::test]
async fn the_language_switch_is_saved_for_a_signed_in_user() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("lyon").await;
    let response = visitor.post("/language", &[("lang", "en")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM users WHERE username = 'lyon' AND language = 'en'").await, 1);
    // Anonymous visitors only get the cookie.
    assert_eq!(app.visitor().post("/language", &[("lang", "en")]).await.status(), 303);
    app.stop().await;
}

#[tokio::test]
async fn business_details_are_saved_for_an_establishment_the_user_manages() {
    let app = spawn_app_with_demo().await;
    let visitor = app.visitor();
    visitor.sign_in_demo("opera").await;
    let opera = establishment_id(&app, "9421000011").await;
    let path = format!("/establishments/{opera}/business");
    visitor.post(&path, &[("address_line", ""), ("postcode", "75009"), ("city", "Paris"), ("phone", "abc")]).await;
    let page = visitor.page("/profile").await;
    assert!(page.contains("value=\"75009\"") && page.contains("Ce champ est obligatoire"), "refused, values kept");
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM establishments WHERE postcode = '75009' AND address_line = '12 rue Auber'"
        )
        .await,
        1
    );
    let saved = visitor
        .post(
            &path,
            &[("address_line", "14 rue Auber"), ("postcode", "75009"), ("city", "Paris"), ("phone", "01 42 00 10 12")],
        )
        .await;
    assert_eq!(location(&saved), "/profile");
    assert_eq!(
        scalar(
            &app.db,
            "SELECT COUNT(*) FROM establishments WHERE address_line = '14 rue Auber' AND phone = '01 42 00 10 12'"
        )
        .await,
        1
    );
    assert!(visitor.page("/profile").await.contains("value=\"14 rue Auber\""));
    app.stop().await;
}

#[tokio::test]
async fn signing_in_from_a_page_that_asked_for_it_leads_back_to_that_page_and_never_to_another_site() {
    let app = spawn_app_with_demo().await;
    let number = portal_tests::text(
        &app.db,
        "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000011' ORDER BY d.id LIMIT 1",
    )
    .await;
    let case_path = format!("/disputes/{number}");
    let encoded = format!("%2Fdisputes%2F{number}");
    let visitor = app.visitor();

    // A case opened from an email while signed out: the prompt's link carries the way back.
    let prompt = visitor.page(&case_path).await;
    assert!(prompt.contains(&format!("href=\"/login?next={encoded}\"")), "the sign-in link leads back");
    let form = visitor.page(&format!("/login?next={encoded}")).await;
    assert_eq!(portal_tests::hidden_value(&form, "next"), case_path);

    // A wrong password keeps the way back; the right one follows it.
    let password = "Demo-opera-2026";
    let refused = visitor.post("/login", &[("username", "opera"), ("password", "wrong"), ("next", &case_path)]).await;
    assert_eq!(location(&refused), format!("/login?next={encoded}"));
    let signed_in =
        visitor.post("/login", &[("username", "opera"), ("password", password), ("next", &case_path)]).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(location(&signed_in), case_path);
    let case = visitor.page(&case_path).await;
    assert!(case.contains(&number) && !case.contains("data-testid=\"sign-in-prompt\""));

    // Another site, in any disguise, is never where signing in leads.
    for next in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "disputes"] {
        let other = app.visitor();
        let response = other.post("/login", &[("username", "opera"), ("password", password), ("next", next)]).await;
        assert_eq!(location(&response), "/", "{next:?}");
    }
    let page = app.visitor().page("/login?next=%2F%2Fevil.example%2Fx").await;
    assert!(!page.contains("name=\"next\""), "no way back to another site is even offered");
    app.stop().await;
}
