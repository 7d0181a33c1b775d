//! Onboarding by the platform (`/admin/...`): the platform administrator creates organisations
//! and establishments, issues activation codes and disables users; nobody else finds these
//! pages. And the organisation administrator's dispute configuration: confirmed, recorded, told
//! to the HQ users, applied at once.

use portal_tests::smtp::SmtpServer;
use portal_tests::{scalar, spawn_app_with_demo, text, TestApp, Visitor};
use reqwest::multipart::Form;

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default()
}

async fn admin(app: &TestApp) -> Visitor {
    let admin = app.visitor();
    admin.sign_in_demo("admin").await;
    admin
}

fn establishment_form(number: &str) -> Vec<(&'static str, String)> {
    vec![
        ("number", number.to_owned()),
        ("trading_name", "Cave du Quai".into()),
        ("address_line", "4 quai Duperré".into()),
        ("postcode", "17000".into()),
        ("city", "La Rochelle".into()),
        ("currency", "EUR".into()),
        ("pricing", "gross".into()),
        ("contract_anniversary", "03-15".into()),
        ("max_installments", "4".into()),
    ]
}

async fn post(visitor: &Visitor, path: &str, form: &[(&'static str, String)]) -> reqwest::Response {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(name, value)| (*name, value.as_str())).collect();
    visitor.post(path, &pairs).await
}

#[tokio::test]
async fn the_platform_admin_creates_an_organisation_and_an_establishment_and_issues_a_code_shown_once() {
    let app = spawn_app_with_demo().await;
    let admin = admin(&app).await;
    let created =
        admin.post("/admin/organisations", &[("name", "Caves Rochelaises"), ("dispute_config", "local")]).await;
    assert_eq!(created.status(), 303);
    let organisation = location(&created);
    assert!(organisation.starts_with("/admin/organisations/"), "{organisation}");
    assert_eq!(
        text(&app.db, "SELECT dispute_config FROM organisations WHERE name = 'Caves Rochelaises'").await,
        "local"
    );
    assert!(admin.page(&organisation).await.contains("Caves Rochelaises"));

    let created = post(&admin, &format!("{organisation}/establishments"), &establishment_form("9421 000 094")).await;
    let establishment = location(&created);
    assert!(establishment.starts_with("/admin/establishments/"), "{establishment}");
    let row =
        "SELECT currency || pricing || contract_anniversary || CAST(max_installments AS TEXT) FROM establishments \
               WHERE number = '9421000094'";
    assert_eq!(text(&app.db, row).await, "EURgross03-154");
    assert!(admin.page(&organisation).await.contains("Cave du Quai"));

    // Edited, then a code issued: shown on the next view only, stored only hashed.
    let mut edited = establishment_form("9421000094");
    edited[1].1 = "Cave du Vieux Port".into();
    assert_eq!(location(&post(&admin, &establishment, &edited).await), establishment);
    assert!(admin.page(&establishment).await.contains("Cave du Vieux Port"));
    admin.post(&format!("{establishment}/code"), &[]).await;
    let page = admin.page(&establishment).await;
    let start = page.find("data-code=\"").expect("the code is shown") + 11;
    let code = page[start..start + 19].to_owned();
    assert!(!admin.page(&establishment).await.contains("data-testid=\"activation-code\""), "shown once");
    let stored = text(&app.db, "SELECT activation_code_hash FROM establishments WHERE number = '9421000094'").await;
    assert_eq!(stored, app::accounts::activation::hash(&code));
    // The code opens registration.
    let visitor = app.visitor();
    visitor.post("/register/establishment", &[("number", "9421000094"), ("code", &code)]).await;
    assert!(visitor.page("/register").await.contains("data-testid=\"register-step-2\""));
    app.stop().await;
}

#[tokio::test]
async fn an_establishment_number_already_in_use_is_refused_with_a_clear_message() {
    let app = spawn_app_with_demo().await;
    let admin = admin(&app).await;
    let organisation = scalar(&app.db, "SELECT MIN(id) FROM organisations").await;
    let page = format!("/admin/organisations/{organisation}");
    let before = scalar(&app.db, "SELECT COUNT(*) FROM establishments").await;
    let refused = post(&admin, &format!("{page}/establishments"), &establishment_form("9421000011")).await;
    assert_eq!(location(&refused), page);
    let shown = admin.page(&page).await;
    // The demo's platform admin reads English.
    assert!(shown.contains("This number already belongs to another establishment"));
    assert!(shown.contains("value=\"Cave du Quai\""), "what was typed is kept");
    let bad = post(&admin, &format!("{page}/establishments"), &establishment_form("12345")).await;
    assert_eq!(location(&bad), page);
    assert!(admin.page(&page).await.contains("has 10 digits"));
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM establishments").await, before);
    app.stop().await;
}

#[tokio::test]
async fn onboarding_is_not_found_for_anyone_but_the_platform_admin() {
    let app = spawn_app_with_demo().await;
    let establishment = scalar(&app.db, "SELECT MIN(id) FROM establishments").await;
    let organisation = scalar(&app.db, "SELECT MIN(id) FROM organisations").await;
    for username in ["lemaire.admin", "analyst", "opera"] {
        let visitor = app.visitor();
        visitor.sign_in_demo(username).await;
        for path in [
            "/admin/organisations".to_owned(),
            format!("/admin/organisations/{organisation}"),
            format!("/admin/establishments/{establishment}"),
        ] {
            assert_eq!(visitor.get(&path).await.status(), 404, "{username} {path}");
        }
        for path in [
            "/admin/organisations".to_owned(),
            format!("/admin/organisations/{organisation}/establishments"),
            format!("/admin/establishments/{establishment}/code"),
            "/admin/users/disable".to_owned(),
        ] {
            let response =
                visitor.post(&path, &[("name", "X"), ("dispute_config", "local"), ("username", "opera")]).await;
            assert_eq!(response.status(), 404, "{username} {path}");
        }
    }
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM users WHERE disabled_at IS NOT NULL").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    assert_eq!(opera.signed_in_as().await.as_deref(), Some("opera"));
    let admin = admin(&app).await;
    let done = admin.post("/admin/users/disable", &[("username", "opera")]).await;
    assert_eq!(location(&done), "/admin/organisations");
    assert_eq!(opera.signed_in_as().await, None, "the session ended");
    let again = app.visitor().sign_in("opera", "Demo-opera-2026").await;
    assert_eq!(location(&again), "/login");
    // An unknown name is said so.
    admin.post("/admin/users/disable", &[("username", "nobody")]).await;
    // The demo's platform admin reads English.
    assert!(admin.page("/admin/organisations").await.contains("No active user has this username"));
    app.stop().await;
}

/// The organisation administrator switches Maison Lemaire (central) to local: the change needs
/// its box ticked, is recorded (who, when, from, to), is told to the HQ users, and from then on
/// the HQ user's answer is refused.
#[tokio::test]
async fn switching_to_local_refuses_the_hq_users_answer_from_then_on() {
    let smtp = SmtpServer::start().await;
    let app = portal_tests::notify::demo_with(&smtp).await;
    let org_admin = app.visitor();
    org_admin.sign_in_demo("lemaire.admin").await;
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    let number = text(
        &app.db,
        "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000011' AND d.status = 'needs_response' ORDER BY d.id LIMIT 1",
    )
    .await;
    let page = org_admin.page("/organisation/users").await;
    assert!(page.contains("data-config=\"central\""));

    let unconfirmed = org_admin.post("/organisation/dispute-config", &[("dispute_config", "local")]).await;
    assert_eq!(location(&unconfirmed), "/organisation/users");
    assert!(org_admin.page("/organisation/users").await.contains("Cochez la case pour confirmer le changement"));
    let lemaire = "(SELECT organisation_id FROM establishments WHERE number = '9421000011')";
    assert_eq!(
        text(&app.db, &format!("SELECT dispute_config FROM organisations WHERE id = {lemaire}")).await,
        "central"
    );

    org_admin.post("/organisation/dispute-config", &[("dispute_config", "local"), ("confirm", "on")]).await;
    assert_eq!(text(&app.db, &format!("SELECT dispute_config FROM organisations WHERE id = {lemaire}")).await, "local");
    let audit = "SELECT u.username || ':' || c.from_config || '>' || c.to_config FROM dispute_config_changes c \
                 JOIN users u ON u.id = c.changed_by";
    assert_eq!(text(&app.db, audit).await, "lemaire.admin:central>local");
    let told = "SELECT COUNT(*) FROM notification_outbox o JOIN users u ON u.id = o.user_id \
                WHERE o.event = 'dispute_config_changed' AND u.username = 'lemaire.hq'";
    assert_eq!(scalar(&app.db, told).await, 1);
    // The HQ user's email (French, their language) says who changed what; the in-app list has it too.
    portal_tests::notify::deliver_all(&app, app::clock::now()).await;
    let hq_email = text(&app.db, "SELECT email FROM users WHERE username = 'lemaire.hq'").await;
    let messages = smtp.wait_for(1).await;
    let email = messages.iter().find(|m| m.to.contains(&hq_email)).expect("the HQ user is emailed");
    assert!(email.subject.contains("Maison Lemaire") && email.subject.contains("configuration"), "{}", email.subject);
    assert!(email.text.contains("lemaire.admin") && email.text.contains("Désormais : Locale"), "{}", email.text);
    assert!(hq.page("/notifications").await.contains("Maison Lemaire : la configuration des litiges a changé"));
    assert!(org_admin.page("/organisation/users").await.contains("data-config=\"local\""));

    let path = format!("/disputes/{number}");
    let version = scalar(&app.db, &format!("SELECT version FROM disputes WHERE case_number = '{number}'")).await;
    let form = Form::new().text("version", version.to_string()).text("comments", "x").text("intent", "submit");
    let refused = hq.submit_multipart(&format!("{path}/response"), form).await;
    assert!(
        refused.contains("seuls les utilisateurs de l'établissement")
            || refused.contains("seuls les utilisateurs de l&#x27;établissement")
    );
    assert_eq!(scalar(&app.db, &format!("SELECT version FROM disputes WHERE case_number = '{number}'")).await, version);
    app.stop().await;
}

#[tokio::test]
async fn onboarding_sets_the_plan_amex_rates_and_the_payment_facilitator_that_the_api_then_applies() {
    let app = spawn_app_with_demo().await;
    let admin = admin(&app).await;
    let organisation = scalar(&app.db, "SELECT MIN(id) FROM organisations").await;
    let mut form = establishment_form("9421000102");
    form[8].1 = "10".into();
    form.push(("installment_rates", "3:0, 6:2,50; 10:4.5".into()));
    form.push(("payment_facilitator", "on".into()));
    let establishment =
        location(&post(&admin, &format!("/admin/organisations/{organisation}/establishments"), &form).await);
    let id = scalar(&app.db, "SELECT id FROM establishments WHERE number = '9421000102'").await;
    let rates = format!("SELECT COUNT(*) FROM installment_rates WHERE establishment_id = {id}");
    assert_eq!(scalar(&app.db, &rates).await, 3);
    let six =
        format!("SELECT rate_basis_points FROM installment_rates WHERE establishment_id = {id} AND installments = 6");
    assert_eq!(scalar(&app.db, &six).await, 250);
    let facilitator =
        format!("SELECT CASE WHEN payment_facilitator THEN 1 ELSE 0 END FROM establishments WHERE id = {id}");
    assert_eq!(scalar(&app.db, &facilitator).await, 1);
    // The edit form shows them as saved.
    let page = admin.page(&establishment).await;
    assert!(page.contains("value=\"3:0.00, 6:2.50, 10:4.50\""), "the rates are shown as saved");
    let start = page.find("name=\"payment_facilitator\"").expect("the box is on the form");
    let tag = &page[start..start + page[start..].find('>').unwrap()];
    assert!(tag.contains("checked"), "the box is ticked as saved: {tag}");

    // A table that cannot be read (a number of payments above the maximum) changes nothing.
    let mut bad = form.clone();
    bad[9].1 = "3:0, 12:5".into();
    assert_eq!(location(&post(&admin, &establishment, &bad).await), establishment);
    assert!(admin.page(&establishment).await.contains("payments:percent"), "the problem says how to write it");
    assert_eq!(scalar(&app.db, &rates).await, 3);

    // Saved without the box ticked and with one rate: the rest is gone.
    let mut edited: Vec<(&'static str, String)> =
        form.iter().filter(|(name, _)| *name != "payment_facilitator").cloned().collect();
    edited[9].1 = "6:3".into();
    assert_eq!(location(&post(&admin, &establishment, &edited).await), establishment);
    assert_eq!(scalar(&app.db, &rates).await, 1);
    assert_eq!(scalar(&app.db, &six).await, 300);
    assert_eq!(scalar(&app.db, &facilitator).await, 0);

    // The gateway API's terms read the saved rate and maximum.
    let key = super::api::gateway_key(&app).await;
    let terms = |payments: i64, idempotency: &'static str| {
        app.client
            .post(app.url("/api/v1/payment-plans/PLANAMEX/terms"))
            .bearer_auth(&key)
            .header("idempotency-key", idempotency)
            .json(&serde_json::json!({ "establishment_number": "9421000102", "amount": 100_000, "currency": "EUR", "payments": payments }))
            .send()
    };
    let six: serde_json::Value = terms(6, "terms-6").await.unwrap().json().await.unwrap();
    assert_eq!((six["interest_rate"].as_str(), six["total_interest"].as_i64()), (Some("3.00"), Some(3_000)));
    assert_eq!(terms(11, "terms-11").await.unwrap().status(), 422, "above the maximum of 10");
    app.stop().await;
}
