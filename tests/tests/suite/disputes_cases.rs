//! The case page and the merchant's answers on the demo data: responding with documents (draft,
//! submit, retried submit), bad files and stale forms refused with nothing changed, acceptance
//! and bulk acceptance (all or nothing), headquarters in central and local configuration, and
//! the audit trail and outbox rows every change writes; ten clients answering at once, with no
//! server error and every write recorded.

use portal_tests::{hidden_value, scalar, spawn_app_with_demo, text, TestApp, Visitor};
use reqwest::multipart::{Form, Part};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n";

fn today() -> chrono::NaiveDate {
    app::clock::paris_today()
}

/// A case of the establishment waiting for an answer, its reply-by date moved to 10 days from
/// today (the demo data is generated for a fixed day); its case number.
pub(crate) async fn open_case(app: &TestApp, establishment: &str, stage: &str) -> String {
    let number = text(
        &app.db,
        &format!(
            "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
             WHERE e.number = '{establishment}' AND d.stage = '{stage}' AND d.status = 'needs_response' \
             ORDER BY d.id LIMIT 1"
        ),
    )
    .await;
    let reply_by = today() + chrono::Duration::days(10);
    sqlx::query("UPDATE disputes SET reply_by = $1 WHERE case_number = $2")
        .bind(reply_by.to_string())
        .bind(&number)
        .execute(&app.db.pool)
        .await
        .unwrap();
    number
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    scalar(&app.db, sql).await
}

async fn status(app: &TestApp, number: &str) -> String {
    text(&app.db, &format!("SELECT status FROM disputes WHERE case_number = '{number}'")).await
}

async fn version(app: &TestApp, number: &str) -> i64 {
    count(app, &format!("SELECT version FROM disputes WHERE case_number = '{number}'")).await
}

/// The demo with the Opéra shop's user signed in and one of its open cases of `stage`.
async fn opera_on_case(stage: &str) -> (TestApp, Visitor, String) {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let number = open_case(&app, "9421000011", stage).await;
    (app, opera, number)
}

/// Everything a refused answer must leave as it was.
async fn footprint(app: &TestApp, number: &str) -> (String, i64, i64, i64, i64, i64) {
    let id = count(app, &format!("SELECT id FROM disputes WHERE case_number = '{number}'")).await;
    (
        status(app, number).await,
        version(app, number).await,
        count(app, &format!("SELECT COUNT(*) FROM documents WHERE dispute_id = {id} AND removed_at IS NULL")).await,
        count(app, &format!("SELECT COUNT(*) FROM responses WHERE dispute_id = {id}")).await,
        count(app, &format!("SELECT COUNT(*) FROM adjustments WHERE dispute_id = {id}")).await,
        count(app, &format!("SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {id}")).await,
    )
}

/// The response form of a case page, filled in.
fn response_form(page: &str, intent: &str, comments: &str, files: Vec<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new()
        .text("version", hidden_value(page, "version"))
        .text("idempotency_key", hidden_value(page, "idempotency_key"))
        .text("comments", comments.to_owned())
        .text("ticked", "0")
        .text("intent", intent.to_owned());
    for (name, content) in files {
        form = form.part("documents", Part::bytes(content).file_name(name.to_owned()));
    }
    form
}

#[tokio::test]
async fn an_establishment_user_submits_a_response_with_a_pdf_once() {
    let (app, opera, number) = opera_on_case("inquiry").await;
    let path = format!("/disputes/{number}");
    let page = opera.page(&path).await;
    assert!(page.contains("data-testid=\"reason-explanation\"") && page.contains("data-testid=\"checklist\""));
    assert!(page.contains("data-testid=\"transaction\"") && page.contains("*****"), "masked card shown");
    assert!(page.contains("data-testid=\"response-form\""));

    let form =
        response_form(&page, "submit", "Livré le 3, preuve jointe.", vec![("preuve livraison.pdf", PDF.to_vec())]);
    let key = hidden_value(&page, "idempotency_key");
    let answered = opera.submit_multipart(&format!("{path}/response"), form).await;
    assert!(answered.contains("data-testid=\"notice\""), "the page confirms the submission");
    assert!(!answered.contains("data-testid=\"response-form\""), "a submitted response cannot be changed");
    assert_eq!(status(&app, &number).await, "under_review");
    let id = count(&app, &format!("SELECT id FROM disputes WHERE case_number = '{number}'")).await;
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM responses WHERE dispute_id = {id} AND state = 'submitted'")).await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM requested_documents WHERE dispute_id = {id} AND ticked AND position = 0")
        )
        .await,
        1
    );
    for action in ["viewed", "document_added", "submitted"] {
        let recorded = format!("SELECT COUNT(*) FROM case_events WHERE dispute_id = {id} AND action = '{action}' AND actor_scope = '9421000011'");
        assert!(count(&app, &recorded).await >= 1, "{action} is in the timeline");
    }
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {id} AND category = 'case_update' AND event = 'submitted'")).await,
        1
    );

    // The document is stored outside the web root and shown by the browser, not run.
    let key_on_disk = text(&app.db, &format!("SELECT storage_key FROM documents WHERE dispute_id = {id}")).await;
    assert!(app.folder.path().join("documents").join(&key_on_disk).is_file());
    let document_id = count(&app, &format!("SELECT id FROM documents WHERE dispute_id = {id}")).await;
    let download = opera.get(&format!("{path}/documents/{document_id}")).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("inline"));
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert!(download.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    let document_views = format!("SELECT COUNT(*) FROM case_events WHERE dispute_id = {id} AND action = 'viewed' AND detail = 'preuve livraison.pdf'");
    assert_eq!(count(&app, &document_views).await, 1, "reading a document is recorded");
    let stranger = app.visitor();
    stranger.sign_in_demo("rivage.hq").await;
    assert_eq!(stranger.get(&format!("{path}/documents/{document_id}")).await.status(), 404);

    // The same submission again (a double click, a retried request): applied once.
    let before = footprint(&app, &number).await;
    let again = Form::new()
        .text("version", hidden_value(&page, "version"))
        .text("idempotency_key", key)
        .text("comments", "Livré le 3, preuve jointe.")
        .text("intent", "submit")
        .part("documents", Part::bytes(PDF.to_vec()).file_name("preuve livraison.pdf"));
    let resent = opera.submit_multipart(&format!("{path}/response"), again).await;
    assert!(resent.contains("data-testid=\"notice\""), "the page confirms the submission again");
    assert!(!resent.contains("data-testid=\"form-problem\""), "a resent submission is not refused");
    assert_eq!(footprint(&app, &number).await, before, "nothing applied twice");
    app.stop().await;
}

/// The response form's island sends the form itself: the redirect that answers it comes back as
/// 204 with the target in `x-portal-location`, and the outcome waits for the next page view.
#[tokio::test]
async fn a_response_sent_by_the_upload_island_is_answered_with_where_to_go() {
    let (app, opera, number) = opera_on_case("inquiry").await;
    let path = format!("/disputes/{number}");
    let page = opera.page(&path).await;
    assert!(page.contains("data-testid=\"upload-progress\""), "the form carries the upload island");
    let form = response_form(&page, "draft", "Colis remis le 3 novembre.", vec![("preuve.pdf", PDF.to_vec())]);
    let response = opera
        .client
        .post(opera.url(&format!("{path}/response")))
        .header("x-portal-script", "1")
        .multipart(form)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), 204);
    assert!(response.headers().get("location").is_none(), "no redirect for the request to follow");
    let location = response.headers().get("x-portal-location").expect("where to go").to_str().unwrap().to_owned();
    assert_eq!(location, path);
    assert_eq!(status(&app, &number).await, "draft_saved");
    // The confirmation is shown on the page the island goes to, once.
    assert!(opera.page(&location).await.contains("data-testid=\"notice\""));
    assert!(!opera.page(&location).await.contains("data-testid=\"notice\""));
    app.stop().await;
}

#[tokio::test]
async fn bad_files_empty_responses_stale_forms_and_late_answers_change_nothing() {
    let (app, opera, number) = opera_on_case("chargeback").await;
    let path = format!("/disputes/{number}");
    let page = opera.page(&path).await;
    let before = footprint(&app, &number).await;

    let cases: Vec<(&str, Form, &str)> = vec![
        (
            "an executable named .pdf",
            response_form(&page, "draft", "x", vec![("facture.pdf", b"MZ\x90\x00\x03 program".to_vec())]),
            "PDF, JPEG ou PNG",
        ),
        (
            "an HTML page",
            response_form(&page, "draft", "x", vec![("page.png", b"<html><script>alert(1)</script>".to_vec())]),
            "PDF, JPEG ou PNG",
        ),
        (
            "a file over 10 MB",
            response_form(
                &page,
                "draft",
                "x",
                vec![("gros.pdf", {
                    let mut big = PDF.to_vec();
                    big.resize(10 * 1024 * 1024 + 1, b' ');
                    big
                })],
            ),
            "10 Mo",
        ),
        (
            "six files at once",
            response_form(&page, "draft", "x", (0..6).map(|_| ("a.pdf", PDF.to_vec())).collect()),
            "20 documents",
        ),
        ("an empty response", response_form(&page, "submit", "   ", vec![]), "commentaire ou au moins un document"),
    ];
    for (what, form, message) in cases {
        let answered = opera.submit_multipart(&format!("{path}/response"), form).await;
        assert!(answered.contains(message), "{what}: the page says why");
        assert_eq!(footprint(&app, &number).await, before, "{what}: nothing changed");
    }
    assert_eq!(
        walkdir_files(&app.folder.path().join("documents")),
        0,
        "no file left behind (an emptied case folder may stay)"
    );

    // A draft is kept, with its comments; the form shown before it is now stale.
    let saved = opera
        .submit_multipart(&format!("{path}/response"), response_form(&page, "draft", "Brouillon à compléter", vec![]))
        .await;
    assert!(saved.contains("Brouillon à compléter"));
    assert_eq!(status(&app, &number).await, "draft_saved");
    let after_draft = footprint(&app, &number).await;
    let stale = opera
        .submit_multipart(&format!("{path}/response"), response_form(&page, "submit", "Autre texte", vec![]))
        .await;
    assert!(stale.contains("Quelqu'un a modifié ce dossier"), "the stale form is refused");
    assert!(stale.contains("Autre texte"), "the typed comments are given back");
    assert_eq!(footprint(&app, &number).await, after_draft);

    // The draft survives signing out and in again.
    opera.post("/logout", &[]).await;
    opera.sign_in_demo("opera").await;
    let page = opera.page(&path).await;
    assert!(page.contains("Brouillon à compléter"));

    // Past the reply-by date (before the deadline worker ran): refused.
    sqlx::query("UPDATE disputes SET reply_by = $1 WHERE case_number = $2")
        .bind((today() - chrono::Duration::days(1)).to_string())
        .bind(&number)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let late =
        opera.submit_multipart(&format!("{path}/response"), response_form(&page, "submit", "Trop tard", vec![])).await;
    assert!(late.contains("date limite de réponse est dépassée"));
    assert_eq!(status(&app, &number).await, "draft_saved");
    app.stop().await;
}

#[tokio::test]
async fn accepting_needs_confirmation_and_debits_the_refund() {
    let (app, opera, number) = opera_on_case("inquiry").await;
    let path = format!("/disputes/{number}");
    let page = opera.page(&path).await;
    let version = hidden_value(&page, "version");
    let before = footprint(&app, &number).await;
    let unconfirmed = opera.submit(&format!("{path}/accept"), &[("version", &version)]).await;
    assert!(unconfirmed.contains("Cochez la case pour confirmer"));
    assert_eq!(footprint(&app, &number).await, before);

    let accepted = opera.submit(&format!("{path}/accept"), &[("version", &version), ("confirm", "yes")]).await;
    assert!(accepted.contains("data-testid=\"notice\""));
    assert_eq!(status(&app, &number).await, "accepted");
    let amount = count(&app, &format!("SELECT disputed_amount FROM disputes WHERE case_number = '{number}'")).await;
    let id = count(&app, &format!("SELECT id FROM disputes WHERE case_number = '{number}'")).await;
    assert_eq!(
        count(&app, &format!("SELECT amount FROM adjustments WHERE dispute_id = {id} AND kind = 'refund_accepted'"))
            .await,
        -amount
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {id} AND event = 'accepted'")
        )
        .await,
        1
    );

    // Accepting again (a retried request): the case no longer waits; nothing more is debited.
    let again = opera.submit(&format!("{path}/accept"), &[("version", &version), ("confirm", "yes")]).await;
    assert!(again.contains("n'attend plus de réponse"));
    assert_eq!(count(&app, &format!("SELECT COUNT(*) FROM adjustments WHERE dispute_id = {id}")).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn bulk_acceptance_is_all_or_nothing() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let first = open_case(&app, "9421000011", "inquiry").await;
    let second = open_case(&app, "9421000011", "chargeback").await;
    let closed = text(
        &app.db,
        "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000011' AND d.status = 'won' LIMIT 1",
    )
    .await;
    let queue = opera.page("/disputes").await;
    assert!(queue.contains("data-testid=\"bulk-accept\""));

    let with_closed =
        [("case", first.as_str()), ("case", second.as_str()), ("case", closed.as_str()), ("confirm", "yes")];
    let refused = opera.submit("/disputes/accept", &with_closed).await;
    assert!(refused.contains(&format!("({closed})")), "the case that cannot be accepted is named");
    assert_eq!(
        (status(&app, &first).await, status(&app, &second).await),
        ("needs_response".into(), "needs_response".into())
    );

    let too_many: Vec<(&str, &str)> = std::iter::repeat(("case", first.as_str())).take(101).collect();
    let refused = opera.submit("/disputes/accept", &[too_many, vec![("confirm", "yes")]].concat()).await;
    assert!(refused.contains("100 dossiers au plus"));
    let nothing = opera.submit("/disputes/accept", &[("confirm", "yes")]).await;
    assert!(nothing.contains("au moins un dossier"));

    let both = [("case", first.as_str()), ("case", second.as_str()), ("confirm", "yes")];
    let accepted = opera.submit("/disputes/accept", &both).await;
    assert!(accepted.contains("data-testid=\"notice\""));
    assert_eq!((status(&app, &first).await, status(&app, &second).await), ("accepted".into(), "accepted".into()));
    app.stop().await;
}

#[tokio::test]
async fn headquarters_answer_in_central_configuration_and_only_watch_in_local() {
    let app = spawn_app_with_demo().await;
    // Central: Maison Lemaire's headquarters answer the Opéra shop's case.
    let hq = app.visitor();
    hq.sign_in_demo("lemaire.hq").await;
    let number = open_case(&app, "9421000011", "inquiry").await;
    let page = hq.page(&format!("/disputes/{number}")).await;
    assert!(page.contains("data-testid=\"response-form\""));
    let saved = hq
        .submit_multipart(
            &format!("/disputes/{number}/response"),
            response_form(&page, "draft", "Vu par le siège", vec![]),
        )
        .await;
    assert!(saved.contains("Vu par le siège"));
    assert_eq!(
        text(&app.db, "SELECT actor_scope FROM case_events WHERE action = 'draft_saved' ORDER BY id DESC LIMIT 1")
            .await,
        "HQ"
    );

    // Local: Rivage's headquarters see the Nice hotel's case and who answers it, and cannot.
    let rivage = app.visitor();
    rivage.sign_in_demo("rivage.hq").await;
    let number = open_case(&app, "9421000045", "inquiry").await;
    let path = format!("/disputes/{number}");
    let page = rivage.page(&path).await;
    assert!(page.contains("data-testid=\"local-configuration\"") && page.contains("rivage.nice"));
    assert!(!page.contains("data-testid=\"response-form\"") && !page.contains("data-testid=\"accept-form\""));
    let before = footprint(&app, &number).await;
    let form = Form::new().text("version", before.1.to_string()).text("comments", "x").text("intent", "submit");
    let refused = rivage.submit_multipart(&format!("{path}/response"), form).await;
    assert!(refused.contains("seuls les utilisateurs de l'établissement"));
    let refused =
        rivage.submit(&format!("{path}/accept"), &[("version", &before.1.to_string()), ("confirm", "yes")]).await;
    assert!(refused.contains("seuls les utilisateurs de l'établissement"));
    assert_eq!(footprint(&app, &number).await, before);

    // Their overview counts each hotel's open, urgent and overdue cases.
    let queue = rivage.page("/disputes").await;
    assert!(queue.contains("data-testid=\"establishment-summary\""));
    let nice = count(&app, "SELECT id FROM establishments WHERE number = '9421000045'").await;
    let open = count(&app, &format!("SELECT COUNT(*) FROM disputes WHERE establishment_id = {nice} AND status IN ('needs_response', 'draft_saved', 'info_requested')")).await;
    let row = &queue[queue.find(&format!("data-establishment=\"{nice}\"")).unwrap()..];
    let cell = &row[row.find("data-testid=\"open-count\"").unwrap()..];
    let cell = &cell[cell.find('>').unwrap() + 1..];
    assert_eq!(cell[..cell.find('<').unwrap()].parse::<i64>().unwrap(), open);
    // Establishment users get no overview.
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    assert!(!opera.page("/disputes").await.contains("data-testid=\"establishment-summary\""));
    app.stop().await;
}

#[tokio::test]
async fn another_merchants_case_does_not_exist_for_you() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let theirs = open_case(&app, "9421000045", "inquiry").await;
    let page = opera.page(&format!("/disputes/{theirs}")).await;
    assert!(page.contains("n'existe pas") && !page.contains("data-testid=\"case-summary\""));
    let before = footprint(&app, &theirs).await;
    let response = opera
        .post(&format!("/disputes/{theirs}/accept"), &[("version", &before.1.to_string()), ("confirm", "yes")])
        .await;
    assert_eq!(response.status(), 404);
    let form = Form::new().text("version", before.1.to_string()).text("comments", "x").text("intent", "submit");
    assert_eq!(opera.post_multipart(&format!("/disputes/{theirs}/response"), form).await.status(), 404);
    assert_eq!(footprint(&app, &theirs).await, before);
    // Nor may a merchant reach the back office.
    assert!(opera.page("/review").await.contains("n'existe pas"));
    assert_eq!(
        opera.post(&format!("/review/{theirs}/decide"), &[("outcome", "merchant"), ("note", "x")]).await.status(),
        404
    );
    app.stop().await;
}

/// Submits a response to `number` as `visitor`.
async fn submit(visitor: &Visitor, number: &str) {
    let page = visitor.page(&format!("/disputes/{number}")).await;
    let form = response_form(&page, "submit", "Preuve jointe", vec![("preuve.pdf", PDF.to_vec())]);
    let response = visitor.post_multipart(&format!("/disputes/{number}/response"), form).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn the_dispute_team_decides_requests_information_and_opens_cases() {
    let app = spawn_app_with_demo().await;
    let opera = app.visitor();
    opera.sign_in_demo("opera").await;
    let chargeback = open_case(&app, "9421000011", "chargeback").await;
    let inquiry = open_case(&app, "9421000011", "inquiry").await;
    submit(&opera, &chargeback).await;
    submit(&opera, &inquiry).await;

    let analyst = app.visitor();
    analyst.sign_in_demo("analyst").await;
    let queue = analyst.page("/review").await;
    assert!(
        queue.contains(&format!("data-case=\"{chargeback}\"")) && queue.contains(&format!("data-case=\"{inquiry}\""))
    );
    let page = analyst.page(&format!("/disputes/{chargeback}")).await;
    assert!(page.contains("data-testid=\"decision-form\"") && page.contains("preuve.pdf"));
    let document_id = count(
        &app,
        &format!(
            "SELECT d.id FROM documents d JOIN disputes c ON c.id = d.dispute_id WHERE c.case_number = '{chargeback}'"
        ),
    )
    .await;
    assert_eq!(analyst.get(&format!("/disputes/{chargeback}/documents/{document_id}")).await.status(), 200);

    // A note is required.
    let version = hidden_value(&page, "version");
    let refused = analyst
        .submit(
            &format!("/review/{chargeback}/decide"),
            &[("outcome", "merchant"), ("note", " "), ("version", &version)],
        )
        .await;
    assert!(refused.contains("data-testid=\"form-problem\""));
    assert_eq!(status(&app, &chargeback).await, "under_review");

    // The merchant wins the chargeback: its debit is credited back.
    let id = count(&app, &format!("SELECT id FROM disputes WHERE case_number = '{chargeback}'")).await;
    let debits = count(
        &app,
        &format!("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM adjustments WHERE dispute_id = {id}"),
    )
    .await;
    let decided = analyst
        .submit(
            &format!("/review/{chargeback}/decide"),
            &[("outcome", "merchant"), ("note", "Preuve de livraison probante."), ("version", &version)],
        )
        .await;
    assert!(decided.contains("data-status=\"won\""));
    let credited = count(
        &app,
        &format!(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM adjustments WHERE dispute_id = {id} AND kind = 'chargeback_reversal'"
        ),
    )
    .await;
    assert_eq!(credited, -debits, "the debit is reversed");
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM decisions WHERE dispute_id = {id} AND outcome = 'merchant'")).await,
        1
    );
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {id} AND event = 'decided'"))
            .await,
        1
    );
    // The merchant sees the new status and the decision in the timeline.
    let seen = opera.page(&format!("/disputes/{chargeback}")).await;
    assert!(seen.contains("data-status=\"won\"") && seen.contains("Preuve de livraison probante."));
    // Deciding again with the old form: stale.
    let stale = analyst
        .submit(
            &format!("/review/{chargeback}/decide"),
            &[("outcome", "cardholder"), ("note", "x"), ("version", &version)],
        )
        .await;
    assert!(stale.contains("data-testid=\"form-problem\""));
    assert_eq!(status(&app, &chargeback).await, "won");

    // More information on the inquiry: back to the merchant with a new date.
    let page = analyst.page(&format!("/disputes/{inquiry}")).await;
    let version = hidden_value(&page, "version");
    let past = today().to_string();
    let refused = analyst
        .submit(
            &format!("/review/{inquiry}/decide"),
            &[("outcome", "info"), ("note", "Facture ?"), ("reply_by", &past), ("version", &version)],
        )
        .await;
    assert!(refused.contains("postérieure à aujourd'hui"));
    let new_date = (today() + chrono::Duration::days(7)).to_string();
    analyst
        .post(
            &format!("/review/{inquiry}/decide"),
            &[
                ("outcome", "info"),
                ("note", "Merci de joindre la facture."),
                ("reply_by", &new_date),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status(&app, &inquiry).await, "info_requested");
    assert_eq!(
        text(&app.db, &format!("SELECT reply_by FROM disputes WHERE case_number = '{inquiry}'")).await,
        new_date
    );
    let merchant_view = opera.page(&format!("/disputes/{inquiry}")).await;
    assert!(
        merchant_view.contains("data-testid=\"info-request\"")
            && merchant_view.contains("data-testid=\"response-form\"")
    );
    // The second round is answered afresh.
    submit(&opera, &inquiry).await;
    assert_eq!(status(&app, &inquiry).await, "under_review");
    let inquiry_id = count(&app, &format!("SELECT id FROM disputes WHERE case_number = '{inquiry}'")).await;
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM responses WHERE dispute_id = {inquiry_id} AND state = 'submitted'"))
            .await,
        2
    );

    // A new chargeback on a charge, found by its reference: opened, debited, notified.
    let reference = text(&app.db, "SELECT t.reference FROM transactions t JOIN establishments e ON e.id = t.establishment_id WHERE e.number = '9421000011' AND t.kind = 'charge' ORDER BY t.id DESC LIMIT 1").await;
    let reply_by = (today() + chrono::Duration::days(20)).to_string();
    let mismatch = analyst
        .submit(
            "/review/open",
            &[("reference", &reference), ("stage", "chargeback"), ("reason_code", "004"), ("reply_by", &reply_by)],
        )
        .await;
    assert!(mismatch.contains("data-testid=\"form-problem\""), "an inquiry code on a chargeback is refused");
    let opened = analyst
        .post(
            "/review/open",
            &[("reference", &reference), ("stage", "chargeback"), ("reason_code", "C08"), ("reply_by", &reply_by)],
        )
        .await;
    let location = opened.headers()["location"].to_str().unwrap().to_owned();
    let new_number = location.trim_start_matches("/disputes/").to_owned();
    let new_id = count(&app, &format!("SELECT id FROM disputes WHERE case_number = '{new_number}'")).await;
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM adjustments WHERE dispute_id = {new_id} AND kind = 'chargeback' AND amount < 0"
            )
        )
        .await,
        1
    );
    assert!(count(&app, &format!("SELECT COUNT(*) FROM requested_documents WHERE dispute_id = {new_id}")).await > 0);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) FROM notification_outbox WHERE dispute_id = {new_id} AND category = 'new_chargeback'"
            )
        )
        .await,
        1
    );
    assert!(opera.page("/disputes").await.contains(&new_number), "the merchant finds it in the queue");
    app.stop().await;
}

#[tokio::test]
async fn a_document_leaves_a_draft_but_not_a_submitted_response() {
    let (app, opera, number) = opera_on_case("inquiry").await;
    let path = format!("/disputes/{number}");
    let page = opera.page(&path).await;
    let form = response_form(&page, "draft", "", vec![("facture.pdf", PDF.to_vec()), ("ticket.pdf", PDF.to_vec())]);
    let page = opera.submit_multipart(&format!("{path}/response"), form).await;
    let id = count(&app, &format!("SELECT id FROM disputes WHERE case_number = '{number}'")).await;
    let first = count(&app, &format!("SELECT MIN(id) FROM documents WHERE dispute_id = {id}")).await;
    let removed = opera
        .submit(&format!("{path}/documents/{first}/remove"), &[("version", &hidden_value(&page, "version"))])
        .await;
    assert!(removed.contains("data-testid=\"notice\""), "{removed}");
    let documents = &removed[removed.find("data-testid=\"documents\"").unwrap()..];
    let documents = &documents[..documents.find("</ul>").unwrap()];
    assert!(!documents.contains("facture.pdf") && documents.contains("ticket.pdf"));
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM documents WHERE dispute_id = {id} AND removed_at IS NULL")).await,
        1
    );
    let events = format!("SELECT COUNT(*) FROM case_events WHERE dispute_id = {id} AND action = 'document_removed'");
    assert_eq!(count(&app, &events).await, 1);
    // The removed file is no longer served.
    assert_eq!(opera.get(&format!("{path}/documents/{first}")).await.status(), 404);

    // Once submitted, the remaining document stays.
    let submitted = opera
        .post_multipart(&format!("{path}/response"), response_form(&removed, "submit", "Voir facture", vec![]))
        .await;
    assert_eq!(submitted.status(), 303);
    let second = count(&app, &format!("SELECT MAX(id) FROM documents WHERE dispute_id = {id}")).await;
    let version = version(&app, &number).await.to_string();
    let refused = opera.submit(&format!("{path}/documents/{second}/remove"), &[("version", &version)]).await;
    assert!(refused.contains("n'attend plus de réponse"));
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM documents WHERE dispute_id = {id} AND removed_at IS NULL")).await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn stored_files_no_response_recorded_are_deleted_and_recorded_ones_kept() {
    let (app, opera, number) = opera_on_case("inquiry").await;
    let path = format!("/disputes/{number}");
    let page = opera.page(&path).await;
    let form = response_form(&page, "draft", "", vec![("facture.pdf", PDF.to_vec())]);
    opera.submit_multipart(&format!("{path}/response"), form).await;
    // A file whose transaction never committed (the process stopped in between).
    let store = app::disputes::files::DocumentStore::local(&app.folder.path().join("documents")).unwrap();
    store.put("cases/1/orphan", PDF.to_vec()).await.unwrap();
    // The same for a secure message's attachment.
    store.put("messages/orphan", PDF.to_vec()).await.unwrap();

    let deleted = app::disputes::files::delete_orphans(&store, &app.db, std::time::Duration::ZERO).await.unwrap();
    assert_eq!(deleted, 2);
    assert!(store.get("cases/1/orphan").await.is_err());
    assert!(store.get("messages/orphan").await.is_err());
    let key = text(&app.db, "SELECT storage_key FROM documents ORDER BY id DESC LIMIT 1").await;
    assert_eq!(store.get(&key).await.unwrap(), PDF, "the recorded document stays");
    // Within the grace period nothing is touched.
    store.put("cases/1/fresh", PDF.to_vec()).await.unwrap();
    let grace = std::time::Duration::from_secs(3600);
    assert_eq!(app::disputes::files::delete_orphans(&store, &app.db, grace).await.unwrap(), 0);
    app.stop().await;
}

/// What one concurrent client did, and every answer it got that was a server error.
#[derive(Default)]
struct Done {
    views: i64,
    drafts: i64,
    accepts: i64,
    server_errors: Vec<String>,
}

impl Done {
    /// Whether `response` is the expected status; a 5xx is kept to fail the test with.
    fn check(&mut self, what: &str, response: &reqwest::Response, expected: u16) -> bool {
        let status = response.status().as_u16();
        if status >= 500 {
            self.server_errors.push(format!("{what}: {status}"));
        }
        status == expected
    }
}

/// One client's work on the cases it alone answers: open a case, save a draft, now and then
/// accept one, until `until`; then accept whatever it still holds.
async fn answer_concurrently(visitor: Visitor, mut cases: Vec<String>, until: std::time::Instant) -> Done {
    let mut done = Done::default();
    let mut round = 0;
    while std::time::Instant::now() < until && round < 200 && !cases.is_empty() {
        let this = round;
        round += 1;
        let number = cases[this % cases.len()].clone();
        let path = format!("/disputes/{number}");
        let response = visitor.get(&path).await;
        if !done.check("case page", &response, 200) {
            continue;
        }
        done.views += 1;
        let page = response.text().await.expect("a body");
        let form = response_form(&page, "draft", &format!("Brouillon {this}"), vec![]);
        let response = visitor.post_multipart(&format!("{path}/response"), form).await;
        if done.check("draft", &response, 303) {
            done.drafts += 1;
        }
        if cases.len() > 1 && this % 8 == 7 && accept_concurrently(&visitor, &number, &mut done).await {
            cases.retain(|case| *case != number);
        }
    }
    for number in cases {
        accept_concurrently(&visitor, &number, &mut done).await;
    }
    done
}

/// Opens the case page and accepts the case; whether it was accepted.
async fn accept_concurrently(visitor: &Visitor, number: &str, done: &mut Done) -> bool {
    let path = format!("/disputes/{number}");
    let response = visitor.get(&path).await;
    if !done.check("case page", &response, 200) {
        return false;
    }
    done.views += 1;
    let version = hidden_value(&response.text().await.expect("a body"), "version");
    let response = visitor.post(&format!("{path}/accept"), &[("version", &version), ("confirm", "yes")]).await;
    let accepted = done.check("accept", &response, 303);
    done.accepts += i64::from(accepted);
    accepted
}

#[tokio::test]
async fn concurrent_answers_all_succeed_and_all_are_recorded() {
    let app = spawn_app_with_demo().await;
    // Two clients for each answering user, each with its own half of that establishment's cases.
    let users = [
        ("opera", "9421000011"),
        ("lyon", "9421000029"),
        ("lemaire.hq", "9421000037"),
        ("rivage.nice", "9421000045"),
        ("rivage.biarritz", "9421000052"),
    ];
    let reply_by = (today() + chrono::Duration::days(10)).to_string();
    let mut clients = Vec::new();
    let mut case_ids = Vec::new();
    for (user, establishment) in users {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT d.id, d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
             WHERE e.number = $1 AND d.status IN ('needs_response', 'draft_saved') ORDER BY d.id",
        )
        .bind(establishment)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert!(rows.len() >= 2, "{establishment} has cases to answer");
        for (id, _) in &rows {
            sqlx::query("UPDATE disputes SET reply_by = $1 WHERE id = $2")
                .bind(&reply_by)
                .bind(id)
                .execute(&app.db.pool)
                .await
                .unwrap();
            case_ids.push(id.to_string());
        }
        for half in 0..2 {
            let visitor = app.visitor();
            visitor.sign_in_demo(user).await;
            let mine = rows.iter().skip(half).step_by(2).map(|(_, number)| number.clone()).collect();
            clients.push((visitor, mine));
        }
    }
    let ids = case_ids.join(", ");
    let events = |action: &str| {
        format!("SELECT COUNT(*) FROM case_events WHERE dispute_id IN ({ids}) AND action = '{action}' AND detail = ''")
    };
    let before = (count(&app, &events("viewed")).await, count(&app, &events("draft_saved")).await);

    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    let tasks: Vec<_> =
        clients.into_iter().map(|(visitor, cases)| tokio::spawn(answer_concurrently(visitor, cases, until))).collect();
    let mut total = Done::default();
    for task in tasks {
        let done = task.await.expect("a client finishes");
        total.views += done.views;
        total.drafts += done.drafts;
        total.accepts += done.accepts;
        total.server_errors.extend(done.server_errors);
    }
    println!(
        "{} clients: {} case pages, {} drafts, {} acceptances answered; {} server errors",
        2 * users.len(),
        total.views,
        total.drafts,
        total.accepts,
        total.server_errors.len()
    );
    let first: Vec<_> = total.server_errors.iter().take(5).collect();
    assert!(total.server_errors.is_empty(), "{} server errors, the first: {first:?}", total.server_errors.len());
    assert!(total.drafts >= 20, "the clients got some drafts saved ({})", total.drafts);
    // A view is recorded once per user, case and hour (hole 10).
    let views = count(&app, &events("viewed")).await - before.0;
    assert!(views >= 1 && views <= total.views, "views recorded at most once an hour ({views} of {})", total.views);
    assert_eq!(count(&app, &events("draft_saved")).await - before.1, total.drafts, "every draft recorded");
    assert_eq!(count(&app, &events("accepted")).await, total.accepts, "every acceptance recorded");
    let accepted = format!("SELECT COUNT(*) FROM disputes WHERE id IN ({ids}) AND status = 'accepted'");
    assert_eq!(count(&app, &accepted).await, case_ids.len() as i64, "every case accepted in the end");
    app.stop().await;
}

/// Files (not folders) under `path`.
fn walkdir_files(path: &std::path::Path) -> usize {
    std::fs::read_dir(path)
        .map(|dir| {
            dir.flatten().map(|entry| if entry.path().is_dir() { walkdir_files(&entry.path()) } else { 1 }).sum()
        })
        .unwrap_or(0)
}
