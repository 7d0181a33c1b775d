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

/// Every state-changing endpoint, with a form that would change something if it were accepted.
fn state_changing_requests(
    establishment: i64,
    user: i64,
    case: &str,
    code: &str,
) -> Vec<(String, Vec<(&'static str, String)>)> {
    let password = "Cross-site-42-password".to_owned();
    vec![
        ("/login".into(), vec![("username", "opera".into()), ("password", "Demo-opera-2026".into())]),
        ("/logout".into(), vec![]),
        ("/language".into(), vec![("lang", "en".into())]),
        ("/register/establishment".into(), vec![("number", "9421000060".into()), ("code", code.to_owned())]),
        (
            "/register/account".into(),
            vec![
                ("username", "evil".into()),
                ("email", "evil@x.example".into()),
                ("password", password.clone()),
                ("password_confirm", password.clone()),
            ],
        ),
        ("/register/finance".into(), vec![("dispute_management", "on".into())]),
        ("/register/restart".into(), vec![]),
        ("/recover/username".into(), vec![("email", "opera@demo.example".into())]),
        ("/recover/password".into(), vec![("username", "opera".into())]),
        (
            "/reset-password".into(),
            vec![("token", "0".repeat(64)), ("password", password.clone()), ("password_confirm", password.clone())],
        ),
        ("/confirm-email".into(), vec![("token", "0".repeat(64))]),
        (
            "/invitation".into(),
            vec![
                ("token", "0".repeat(64)),
                ("username", "evil".into()),
                ("password", password.clone()),
                ("password_confirm", password.clone()),
            ],
        ),
        (format!("/establishments/{establishment}/activate"), vec![]),
        (
            format!("/establishments/{establishment}/business"),
            vec![
                ("address_line", "Evil".into()),
                ("postcode", "1".into()),
                ("city", "X".into()),
                ("phone", "0102030405".into()),
            ],
        ),
        (
            "/profile/password".into(),
            vec![
                ("current_password", "Demo-lemaire.admin-2026".into()),
                ("password", password.clone()),
                ("password_confirm", password),
            ],
        ),
        (
            "/profile/email".into(),
            vec![("email", "evil@x.example".into()), ("email_password", "Demo-lemaire.admin-2026".into())],
        ),
        ("/profile/preferences".into(), vec![("language", "en".into()), ("full_name", "Evil".into())]),
        ("/profile/notifications".into(), vec![]),
        ("/organisation/users/invite".into(), vec![("email", "evil@x.example".into()), ("role", "org_admin".into())]),
        (format!("/organisation/users/{user}/establishments"), vec![("establishment_id", establishment.to_string())]),
        (format!("/organisation/users/{user}/remove"), vec![]),
        ("/api/keep_session_alive".into(), vec![]),
        (format!("/disputes/{case}/response"), vec![("comments", "Evil".into()), ("intent", "submit".into())]),
        (format!("/disputes/{case}/accept"), vec![("confirm", "yes".into())]),
        (format!("/disputes/{case}/documents/1/remove"), vec![]),
        ("/disputes/accept".into(), vec![("case", case.to_owned()), ("confirm", "yes".into())]),
        (format!("/review/{case}/decide"), vec![("outcome", "merchant".into()), ("note", "Evil".into())]),
        ("/review/open".into(), vec![("reference", "x".into()), ("stage", "chargeback".into())]),
    ]
}

#[tokio::test]
async fn a_cross_origin_post_to_every_state_changing_endpoint_is_refused_and_changes_nothing() {
    let app = portal_tests::spawn_app_with_demo().await;
    let victim = app.visitor();
    victim.sign_in_demo("lemaire.admin").await;
    let session = victim.session_id().unwrap();
    let establishment =
        portal_tests::scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000037'").await;
    let user = portal_tests::scalar(&app.db, "SELECT id FROM users WHERE username = 'opera'").await;
    let case = portal_tests::text(
        &app.db,
        "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000011' AND d.status = 'needs_response' LIMIT 1",
    )
    .await;
    let cases = "SELECT CAST(SUM(version) AS BIGINT) * 1000 + COUNT(*) FROM disputes";
    let cases_before = portal_tests::scalar(&app.db, cases).await;
    let fingerprint = "SELECT (SELECT COUNT(*) FROM users) * 1000000 + (SELECT COUNT(*) FROM memberships) * 10000 \
        + (SELECT COUNT(*) FROM account_tokens) * 100 + (SELECT COUNT(*) FROM sessions) \
        + (SELECT COUNT(*) FROM establishments WHERE address_line = 'Evil' OR dispute_subscribed) * 100000000 \
        + (SELECT COUNT(*) FROM users WHERE language = 'en' OR full_name = 'Evil') * 10000000000";
    let before = portal_tests::scalar(&app.db, fingerprint).await;
    let hash_before: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'lemaire.admin'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let code = app.issue_activation_code("9421000060").await;
    for (path, form) in state_changing_requests(establishment, user, &case, &code) {
        for headers in [&[("origin", "https://evil.example")][..], &[("sec-fetch-site", "cross-site")][..]] {
            let mut request = victim.client.post(victim.url(&path)).form(&form);
            for (name, value) in headers {
                request = request.header(*name, *value);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 403, "{path} {headers:?}");
            assert!(response.headers().get("set-cookie").is_none(), "{path}");
        }
    }
    assert_eq!(portal_tests::scalar(&app.db, fingerprint).await, before, "nothing changed");
    assert_eq!(portal_tests::scalar(&app.db, cases).await, cases_before, "no case changed");
    let hash_after: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'lemaire.admin'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(hash_before, hash_after);
    assert_eq!(victim.session_id().as_deref(), Some(session.as_str()));
    assert_eq!(victim.signed_in_as().await.as_deref(), Some("lemaire.admin"), "still signed in");
    app.stop().await;
}
