//! Security review, sessions and accounts: each test reproduces one hole the review found (its
//! number in the Access issue) and shows it closed.

use portal_tests::{mail, scalar, spawn_app_with_demo, spawn_app_with_demo_and, TestApp, Visitor};
use std::str::FromStr;
use std::time::Duration;
use tower_sessions::session::Id;
use tower_sessions::SessionStore;

/// Hole 2: a request still in flight when its session was ended (password reset, user removed)
/// must not write the session back when it finishes.
#[tokio::test]
async fn an_ended_session_stays_ended_whatever_finishes_after() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let id = opera.session_id().expect("a session cookie");
    let store = app::accounts::session_store::DbSessionStore::new(app.db.clone());
    // The in-flight request loaded its session before it was ended…
    let record = store.load(&Id::from_str(&id).unwrap()).await.unwrap().expect("the stored session");
    let user = scalar(&app.db, "SELECT id FROM users WHERE username = 'opera'").await;
    app::accounts::session_store::DbSessionStore::end_sessions_of(&app.db, user, None).await.unwrap();
    // …and saves it (a touched idle timeout, a flash) once it was.
    store.save(&record).await.unwrap();
    assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM sessions WHERE id = '{id}'")).await, 0);
    assert_eq!(opera.signed_in_as().await, None, "signed out for good");
    app.stop().await;
}

/// Hole 11: the notification stream of a page whose session ended stops, instead of sending for
/// up to the idle timeout (15 minutes).
#[tokio::test]
async fn the_notification_stream_ends_with_its_session() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let mut stream = opera.get("/notifications/events").await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let first = tokio::time::timeout(Duration::from_secs(10), stream.chunk()).await.expect("the first event");
    assert!(first.unwrap().is_some(), "the stream is open");
    // Signed out from another tab.
    let other_tab = opera.with_session(&opera.session_id().unwrap());
    assert_eq!(other_tab.post("/logout", &[]).await.status(), 303);
    // The stream ends within its look-again period (5 s), keep-alive comments aside.
    let ended = tokio::time::timeout(Duration::from_secs(12), async {
        loop {
            match stream.chunk().await {
                Ok(Some(_)) => continue,
                _ => break,
            }
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream was still open 12 s after its session ended");
    app.stop().await;
}

/// Hole 5: the lockout is decided after the password is verified, atomically: 20 wrong passwords
/// and the right one sent at once lock the account, and the right one does not sign in or clear
/// the lock. (Twenty, not fifteen: the right one may be verified first under load and clear a
/// count of up to nine; at least eleven wrong ones are left to lock. With fifteen the test
/// failed once in a loaded run on PostgreSQL.)
#[tokio::test]
async fn concurrent_wrong_passwords_lock_the_account_whatever_the_right_one_does() {
    let app = spawn_app_with_demo_and(&[("AUTH_RATE_LIMIT", "1000")]).await;
    let mut attempts = Vec::new();
    for attempt in 0..21 {
        let visitor = app.visitor();
        // The right password is sent last, so it is verified while the wrong ones lock.
        let secret = if attempt == 20 { "Demo-lyon-2026".to_owned() } else { format!("wrong-password-{attempt}") };
        attempts.push(tokio::spawn(async move {
            let response = visitor.sign_in("lyon", &secret).await;
            response.headers().get("location").map(|value| value.to_str().unwrap().to_owned())
        }));
    }
    for attempt in attempts {
        attempt.await.unwrap();
    }
    let now = app::clock::now();
    let locked =
        scalar(&app.db, &format!("SELECT COUNT(*) FROM users WHERE username = 'lyon' AND locked_until > {now}")).await;
    assert_eq!(locked, 1, "ten failures lock the account, even sent at once");
    let response = app.visitor().sign_in("lyon", "Demo-lyon-2026").await;
    assert_eq!(response.headers()["location"], "/login", "a locked account refuses the right password");
    app.stop().await;
}

/// Hole 14: an address the mailer cannot send to (lettre's parser refuses it) is refused at
/// registration and in the profile, in the user's language, and changes nothing.
#[tokio::test]
async fn an_address_the_mailer_cannot_send_to_is_refused() {
    let app = spawn_app_with_demo().await;
    let unsendable = "jean,dupont@example.fr";
    // In the profile, in French…
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    opera.post("/profile/email", &[("email", unsendable)]).await;
    assert!(opera.page("/profile").await.contains("n'est pas valide"), "the user is told, in French");
    let sql = "SELECT COUNT(*) FROM users WHERE username = 'opera' AND pending_email IS NULL";
    assert_eq!(scalar(&app.db, sql).await, 1, "no pending address");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM account_tokens WHERE purpose = 'email_change'").await, 0);
    // …and in English for a user who reads English.
    opera.post("/language", &[("lang", "en")]).await;
    opera.post("/profile/email", &[("email", unsendable)]).await;
    assert!(opera.page("/profile").await.contains("is not valid"), "the user is told, in English");
    // At registration.
    let visitor = app.visitor();
    let code = app.issue_activation_code("9421000060").await;
    visitor.post("/register/establishment", &[("number", "9421000060"), ("code", &code)]).await;
    let account = [
        ("username", "jean.dupont"),
        ("email", unsendable),
        ("password", "Un-mot-de-passe-2026"),
        ("password_confirm", "Un-mot-de-passe-2026"),
    ];
    visitor.post("/register/account", &account).await;
    let page = visitor.page("/register").await;
    assert!(page.contains("data-testid=\"register-step-2\""), "still step 2");
    assert!(page.contains("n'est pas valide"), "the problem is shown");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM users WHERE username = 'jean.dupont'").await, 0);
    app.stop().await;
}

/// Hole 8: password changes are limited per account (5 an hour, whichever session asks), so the
/// current-password check cannot be used to guess, nor the hashing queue flooded.
#[tokio::test]
async fn password_changes_are_limited_per_account() {
    let app = spawn_app_with_demo().await;
    let laptop = app.visitor();
    laptop.sign_in_demo("opera").await;
    for attempt in 0..5 {
        let guess = format!("guess-{attempt}");
        let form = [
            ("current_password", guess.as_str()),
            ("password", "Nouveau-mot-2026"),
            ("password_confirm", "Nouveau-mot-2026"),
        ];
        assert_eq!(laptop.post("/profile/password", &form).await.status(), 303, "attempt {attempt} is answered");
    }
    // The sixth, from another session of the same account and with the right password, waits.
    let phone = app.visitor();
    phone.sign_in_demo("opera").await;
    let form = [
        ("current_password", "Demo-opera-2026"),
        ("password", "Nouveau-mot-2026"),
        ("password_confirm", "Nouveau-mot-2026"),
    ];
    let response = phone.post("/profile/password", &form).await;
    assert_eq!(response.status(), 429, "over the account's allowance");
    assert!(response.headers().contains_key("retry-after"));
    app.visitor().sign_in_demo("opera").await;
    app.stop().await;
}

/// Signs in as a browser behind a proxy that says the client is `forwarded_for`.
async fn sign_in_from(visitor: &Visitor, forwarded_for: &str, username: &str) -> u16 {
    let form = [("username", username), ("password", "wrong-password")];
    let request = visitor.client.post(visitor.url("/login")).header("x-forwarded-for", forwarded_for).form(&form);
    request.send().await.expect("the server answers").status().as_u16()
}

/// Hole 6: behind a trusted proxy each client (X-Forwarded-For) has its own allowance, an
/// untrusted peer's X-Forwarded-For changes nothing, and each account has an allowance of its
/// own whichever clients ask (the IPv6 /64 key is unit-tested in `accounts::client_address`).
#[tokio::test]
async fn rate_limits_follow_the_real_client_and_the_account() {
    let app = spawn_app_with_demo_and(&[("AUTH_RATE_LIMIT", "3"), ("TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")]).await;
    let proxy = app.visitor();
    for username in ["opera", "lyon", "librairie"] {
        assert_eq!(sign_in_from(&proxy, "203.0.113.1", username).await, 303);
    }
    assert_eq!(sign_in_from(&proxy, "203.0.113.1", "rivage.hq").await, 429, "the first client's allowance is used");
    // The client wrote its own X-Forwarded-For entry on the left: only the right-most counts.
    assert_eq!(sign_in_from(&proxy, "203.0.113.1, 10.1.1.1", "rivage.hq").await, 429, "a trusted hop is skipped");
    assert_eq!(sign_in_from(&proxy, "203.0.113.1, 203.0.113.2", "rivage.hq").await, 303, "another client");
    // Each account has its allowance too, across clients: "opera" was tried above.
    assert_eq!(sign_in_from(&proxy, "203.0.113.3", "opera").await, 303);
    assert_eq!(sign_in_from(&proxy, "203.0.113.4", "opera").await, 303);
    assert_eq!(sign_in_from(&proxy, "203.0.113.5", "opera").await, 429, "the account's allowance is used");
    let recovery = proxy.client.post(proxy.url("/recover/password")).header("x-forwarded-for", "203.0.113.6");
    let response = recovery.form(&[("username", "opera")]).send().await.unwrap();
    assert_eq!(response.status(), 429, "recovery counts against the account too");
    app.stop().await;

    // A peer that is not a trusted proxy cannot choose its key.
    let app: TestApp = spawn_app_with_demo_and(&[("AUTH_RATE_LIMIT", "2"), ("TRUSTED_PROXIES", "10.0.0.1")]).await;
    let direct = app.visitor();
    assert_eq!(sign_in_from(&direct, "203.0.113.1", "opera").await, 303);
    assert_eq!(sign_in_from(&direct, "203.0.113.2", "lyon").await, 303);
    assert_eq!(sign_in_from(&direct, "203.0.113.3", "librairie").await, 429, "one client, whatever it claims");
    app.stop().await;
}

/// The emails to `to` whose text contains `needle`.
fn emails_containing(app: &TestApp, to: &str, needle: &str) -> Vec<String> {
    app.emails_to(to).into_iter().filter(|email| email.contains(needle)).collect()
}

/// Hole 3: changing the email address needs the current password, and the old address is told.
#[tokio::test]
async fn an_email_change_needs_the_password_and_the_old_address_is_told() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    for current in ["", "wrong-password"] {
        opera.post("/profile/email", &[("email", "camille@lemaire.example"), ("email_password", current)]).await;
        assert!(opera.page("/profile").await.contains("field__problem"), "the user is told");
        let pending = "SELECT COUNT(*) FROM users WHERE username = 'opera' AND pending_email IS NULL";
        assert_eq!(scalar(&app.db, pending).await, 1, "refused without the right password ({current:?})");
    }
    assert!(app.emails_to("camille@lemaire.example").is_empty());
    let form = [("email", "camille@lemaire.example"), ("email_password", "Demo-opera-2026")];
    opera.post("/profile/email", &form).await;
    app.wait_for_emails("camille@lemaire.example", 1).await;
    let notices = app.wait_for_emails("opera@demo.example", 1).await;
    assert!(
        notices[0].contains("camille@lemaire.example"),
        "the old address is told, with the new one: {}",
        notices[0]
    );
    assert!(notices[0].contains("Content-Language: fr") || notices[0].contains("lang=\"fr\""), "in French");
    app.stop().await;
}

/// Hole 3: only the newest email confirmation link works.
#[tokio::test]
async fn only_the_newest_email_confirmation_link_works() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    for address in ["first@lemaire.example", "second@lemaire.example"] {
        opera.post("/profile/email", &[("email", address), ("email_password", "Demo-opera-2026")]).await;
    }
    let first = app.wait_for_emails("first@lemaire.example", 1).await.remove(0);
    app.wait_for_emails("second@lemaire.example", 1).await;
    let token = mail::link(&first, "/confirm-email").split("token=").nth(1).unwrap().to_owned();
    opera.post("/confirm-email", &[("token", &token)]).await;
    let sql = "SELECT COUNT(*) FROM users WHERE username = 'opera' AND email = 'opera@demo.example'";
    assert_eq!(scalar(&app.db, sql).await, 1, "the older link no longer changes the address");
    app.stop().await;
}

/// Hole 3: a password change, and a password reset, cancel the pending email confirmation links.
#[tokio::test]
async fn a_password_change_or_reset_cancels_pending_email_links() {
    let app = spawn_app_with_demo().await;
    let new_password = "Nouveau-mot-2026-opera";
    // A password change.
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    opera.post("/profile/email", &[("email", "first@lemaire.example"), ("email_password", "Demo-opera-2026")]).await;
    let first = app.wait_for_emails("first@lemaire.example", 1).await.remove(0);
    let form =
        [("current_password", "Demo-opera-2026"), ("password", new_password), ("password_confirm", new_password)];
    assert_eq!(opera.post("/profile/password", &form).await.status(), 303);
    let token = mail::link(&first, "/confirm-email").split("token=").nth(1).unwrap().to_owned();
    opera.post("/confirm-email", &[("token", &token)]).await;
    let unchanged = "SELECT COUNT(*) FROM users WHERE username = 'opera' AND email = 'opera@demo.example'";
    assert_eq!(scalar(&app.db, unchanged).await, 1, "the link died with the password change");
    // A password reset.
    opera.post("/profile/email", &[("email", "second@lemaire.example"), ("email_password", new_password)]).await;
    let second = app.wait_for_emails("second@lemaire.example", 1).await.remove(0);
    app.visitor().post("/recover/password", &[("username", "opera")]).await;
    let mut reset = emails_containing(&app, "opera@demo.example", "/reset-password?token=");
    for _ in 0..100 {
        if !reset.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        reset = emails_containing(&app, "opera@demo.example", "/reset-password?token=");
    }
    let reset = reset.first().expect("a reset email");
    let reset_token = mail::link(reset, "/reset-password").split("token=").nth(1).unwrap().to_owned();
    let form = [
        ("token", reset_token.as_str()),
        ("password", "Encore-un-mot-2026"),
        ("password_confirm", "Encore-un-mot-2026"),
    ];
    app.visitor().post("/reset-password", &form).await;
    let token = mail::link(&second, "/confirm-email").split("token=").nth(1).unwrap().to_owned();
    app.visitor().post("/confirm-email", &[("token", &token)]).await;
    assert_eq!(scalar(&app.db, unchanged).await, 1, "the link died with the reset");
    app.stop().await;
}
