//! Security review, access: each test reproduces one hole the review found (its number in the
//! Access issue) and shows it closed.

use portal_tests::{spawn_app, spawn_app_with_demo};

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

/// Registers a new user into establishment `number` with `code`, through the three steps;
/// returns whether the account was created (the last step lands on the account summary).
async fn register(app: &portal_tests::TestApp, number: &str, code: &str, username: &str) -> bool {
    let visitor = app.visitor();
    let step1 = visitor.post("/register/establishment", &[("number", number), ("code", code)]).await;
    assert_eq!(step1.status(), 303);
    if !visitor.page("/register").await.contains("data-testid=\"register-step-2\"") {
        return false;
    }
    let email = format!("{username}@new.example");
    let password = "Quai-Duperre-17-rochelle";
    let account = [("username", username), ("email", &email), ("password", password), ("password_confirm", password)];
    visitor.post("/register/account", &account).await;
    let done = visitor.post("/register/finance", &[]).await;
    done.headers().get("location").is_some_and(|to| to == "/")
}

async fn users_named(app: &portal_tests::TestApp, username: &str) -> i64 {
    portal_tests::scalar(&app.db, &format!("SELECT COUNT(*) FROM users WHERE username = '{username}'")).await
}

/// Hole 1: an activation code serves once. The second registration with it is refused at step 1,
/// and of two registrations that both passed step 1 with one code, only one creates an account.
#[tokio::test]
async fn a_used_activation_code_is_refused() {
    let app = spawn_app_with_demo().await;
    let code = app.issue_activation_code("9421000060").await;
    assert!(register(&app, "9421000060", &code, "first.port").await);
    assert!(!register(&app, "9421000060", &code, "second.port").await, "a used code opens step 2");
    assert_eq!(users_named(&app, "second.port").await, 0);

    // Both pass step 1 with a fresh code; the first to finish consumes it.
    let code = app.issue_activation_code("9421000060").await;
    let (one, two) = (app.visitor(), app.visitor());
    let password = "Quai-Duperre-17-rochelle";
    for (visitor, name) in [(&one, "third.port"), (&two, "fourth.port")] {
        visitor.post("/register/establishment", &[("number", "9421000060"), ("code", &code)]).await;
        let email = format!("{name}@new.example");
        let account = [("username", name), ("email", &email), ("password", password), ("password_confirm", password)];
        visitor.post("/register/account", &account).await;
    }
    let (a, b) = tokio::join!(one.post("/register/finance", &[]), two.post("/register/finance", &[]));
    let created = [a, b].iter().filter(|r| r.headers().get("location").is_some_and(|to| to == "/")).count();
    assert_eq!(created, 1, "one code, one account");
    assert_eq!(users_named(&app, "third.port").await + users_named(&app, "fourth.port").await, 1);
    app.stop().await;
}

/// Hole 1: a code is valid for 30 days.
#[tokio::test]
async fn an_expired_activation_code_is_refused() {
    let app = spawn_app_with_demo().await;
    let code = app.issue_activation_code("9421000060").await;
    let expired = app::clock::now() - 1;
    sqlx::query("UPDATE establishments SET activation_code_expires_at = $1 WHERE number = '9421000060'")
        .bind(expired)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(!register(&app, "9421000060", &code, "late.port").await);
    assert_eq!(users_named(&app, "late.port").await, 0);
    app.stop().await;
}

/// Hole 1: issuing a new code replaces the old one, which stops working.
#[tokio::test]
async fn a_reissued_activation_code_replaces_the_old_one() {
    let app = spawn_app_with_demo().await;
    let old = app.issue_activation_code("9421000060").await;
    let new = app.issue_activation_code("9421000060").await;
    assert_ne!(old, new);
    assert!(!register(&app, "9421000060", &old, "old.port").await, "the replaced code still works");
    assert!(register(&app, "9421000060", &new, "new.port").await);
    app.stop().await;
}

/// Hole 1: the demo's codes were derived from the establishment number, so anyone could compute
/// them. The derivation no longer opens registration.
#[tokio::test]
async fn an_activation_code_derived_from_the_number_no_longer_works() {
    let app = spawn_app_with_demo().await;
    let number = "9421000060";
    let digest = app::accounts::tokens::sha256_hex(&format!("activation:{number}"));
    let digest = (0..12).map(|i| u8::from_str_radix(&digest[2 * i..2 * i + 2], 16).unwrap());
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let letters: String = digest.map(|byte| ALPHABET[(byte as usize) % ALPHABET.len()] as char).collect();
    let derived = format!("{}-{}-{}", &letters[0..4], &letters[4..8], &letters[8..12]);
    assert!(!register(&app, number, &derived, "guess.port").await);
    assert_eq!(users_named(&app, "guess.port").await, 0);
    app.stop().await;
}

/// Hole 4: an organisation administrator cannot give establishment memberships to an HQ user or
/// to themself (they would answer as an establishment user under the local configuration); the
/// page says why.
#[tokio::test]
async fn establishment_memberships_are_for_establishment_users_only() {
    let app = spawn_app_with_demo().await;
    let admin = app.visitor();
    admin.sign_in_demo("lemaire.admin").await;
    let establishment =
        portal_tests::scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000011'").await.to_string();
    let before = portal_tests::scalar(&app.db, "SELECT COUNT(*) FROM memberships").await;
    for username in ["lemaire.hq", "lemaire.admin"] {
        let user = portal_tests::scalar(&app.db, &format!("SELECT id FROM users WHERE username = '{username}'")).await;
        let response = admin
            .post(&format!("/organisation/users/{user}/establishments"), &[("establishment_id", &establishment)])
            .await;
        assert_eq!(response.status(), 303, "{username}");
        let page = admin.page("/organisation/users").await;
        assert!(
            page.contains("Seuls les utilisateurs d&#x27;établissement")
                || page.contains("Seuls les utilisateurs d'établissement"),
            "{username}: the page says why"
        );
    }
    assert_eq!(portal_tests::scalar(&app.db, "SELECT COUNT(*) FROM memberships").await, before, "nothing changed");
    // An establishment user's memberships still change.
    let lyon = portal_tests::scalar(&app.db, "SELECT id FROM users WHERE username = 'lyon'").await;
    admin.post(&format!("/organisation/users/{lyon}/establishments"), &[("establishment_id", &establishment)]).await;
    let count =
        format!("SELECT COUNT(*) FROM memberships WHERE user_id = {lyon} AND establishment_id = {establishment}");
    assert_eq!(portal_tests::scalar(&app.db, &count).await, 1);
    app.stop().await;
}
