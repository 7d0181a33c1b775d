//! Secure messages on the demo data: a merchant writes to customer service with an attachment,
//! an agent answers from the console, the merchants who see the thread are emailed (in their
//! language, with the link, without the reply's text) and see it unread until they open it;
//! other establishments and organisations are told the thread does not exist; bad attachments
//! and card numbers are refused with nothing stored; the console is for support agents only.

use portal_tests::notify::{deliver_all, demo_with};
use portal_tests::smtp::SmtpServer;
use portal_tests::{scalar, spawn_app_with_demo, text, TestApp, Visitor};
use reqwest::multipart::{Form, Part};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n";
const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1];

async fn signed_in(app: &TestApp, username: &str) -> Visitor {
    let visitor = app.visitor();
    visitor.sign_in_demo(username).await;
    visitor
}

async fn establishment_id(app: &TestApp, number: &str) -> i64 {
    scalar(&app.db, &format!("SELECT id FROM establishments WHERE number = '{number}'")).await
}

/// A new-message form; `files` as (name, content).
fn new_message(
    subject: &str,
    establishment: Option<i64>,
    case_number: &str,
    body: &str,
    files: Vec<(&str, Vec<u8>)>,
) -> Form {
    let mut form = Form::new()
        .text("subject", subject.to_owned())
        .text("topic", "payments")
        .text("establishment", establishment.map(|id| id.to_string()).unwrap_or_default())
        .text("case_number", case_number.to_owned())
        .text("body", body.to_owned());
    for (name, content) in files {
        form = form.part("attachments", Part::bytes(content).file_name(name.to_owned()));
    }
    form
}

fn reply_form(body: &str, files: Vec<(&str, Vec<u8>)>) -> Form {
    let mut form = Form::new().text("body", body.to_owned());
    for (name, content) in files {
        form = form.part("attachments", Part::bytes(content).file_name(name.to_owned()));
    }
    form
}

/// Posts a new thread and returns its id, from the redirect to its page.
async fn write_thread(visitor: &Visitor, form: Form) -> i64 {
    let response = visitor.post_multipart("/messages", form).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.strip_prefix("/messages/").unwrap_or_else(|| panic!("sent to the thread, not {location}")).parse().unwrap()
}

/// The count beside "Messages" in the header (0 when none is shown).
async fn unread_threads(visitor: &Visitor) -> i64 {
    let page = visitor.page("/profile").await;
    let Some(at) = page.find("data-testid=\"unread-threads\"") else { return 0 };
    let start = at + page[at..].find('>').unwrap() + 1;
    page[start..start + page[start..].find('<').unwrap()].trim().parse().unwrap()
}

fn files_under(path: &std::path::Path) -> usize {
    std::fs::read_dir(path)
        .map(|dir| dir.flatten().map(|entry| if entry.path().is_dir() { files_under(&entry.path()) } else { 1 }).sum())
        .unwrap_or(0)
}

/// Rows of every secure-message table and the stored files.
async fn footprint(app: &TestApp) -> (i64, i64, i64, i64, usize) {
    (
        scalar(&app.db, "SELECT COUNT(*) FROM message_threads").await,
        scalar(&app.db, "SELECT COUNT(*) FROM secure_messages").await,
        scalar(&app.db, "SELECT COUNT(*) FROM message_attachments").await,
        scalar(&app.db, "SELECT COUNT(*) FROM message_events").await,
        files_under(&app.folder.path().join("documents")),
    )
}

#[tokio::test]
async fn a_thread_with_an_attachment_is_answered_read_and_kept_to_its_merchants() {
    let app = spawn_app_with_demo().await;
    let opera = signed_in(&app, "opera").await;
    let lemaire = signed_in(&app, "lemaire.hq").await;
    let lyon = signed_in(&app, "lyon").await;
    let (opera_before, lemaire_before) = (unread_threads(&opera).await, unread_threads(&lemaire).await);
    assert_eq!(unread_threads(&lyon).await, 0, "Lyon sees no thread with a reply");

    // Opéra writes, with a PDF, about its establishment.
    let before = footprint(&app).await;
    let opera_id = establishment_id(&app, "9421000011").await;
    let form = new_message(
        "Relevé de novembre",
        Some(opera_id),
        "",
        "Bonjour, la ligne du 12 novembre est-elle correcte ?",
        vec![("releve.pdf", PDF.to_vec())],
    );
    let thread = write_thread(&opera, form).await;
    let after = footprint(&app).await;
    assert_eq!((after.0, after.1, after.2, after.4), (before.0 + 1, before.1 + 1, before.2 + 1, before.4 + 1));
    assert_eq!(text(&app.db, &format!("SELECT status FROM message_threads WHERE id = {thread}")).await, "open");
    assert_eq!(text(&app.db, &format!("SELECT topic FROM message_threads WHERE id = {thread}")).await, "payments");
    let page = opera.page(&format!("/messages/{thread}")).await;
    assert!(page.contains("Relevé de novembre") && page.contains("la ligne du 12 novembre"), "{page}");
    assert!(page.contains("data-testid=\"notice\""), "the message is confirmed");
    let attachment = scalar(&app.db, "SELECT MAX(id) FROM message_attachments").await;
    let link = format!("/messages/{thread}/attachments/{attachment}");
    assert!(page.contains(&link), "the attachment is a download link");
    let download = opera.get(&link).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    let list = opera.page("/messages").await;
    assert!(list.contains(&format!("data-thread=\"{thread}\"")) && list.contains("Relevé de novembre"));
    let audit = scalar(&app.db, &format!("SELECT COUNT(*) FROM message_events WHERE thread_id = {thread}")).await;
    assert_eq!(audit, 2, "opened, attachment added");

    // Customer service sees it first in the console (unanswered), finds it by establishment
    // number, reads who wrote and answers with a PNG.
    let agent = signed_in(&app, "support").await;
    let console = agent.page("/support").await;
    let row = format!("data-testid=\"console-row\" data-thread=\"{thread}\" data-status=\"open\"");
    assert!(console.contains(&row), "{console}");
    let first_answered = console.find("data-status=\"answered\"").unwrap_or(usize::MAX);
    assert!(console.find(&row).unwrap() < first_answered, "unanswered threads first");
    assert!(agent.page("/support?q=9421000011").await.contains(&row));
    assert!(!agent.page("/support?q=9421000052").await.contains(&row), "another establishment's search");
    let reading = agent.page(&format!("/support/threads/{thread}")).await;
    assert!(reading.contains("Maison Lemaire") && reading.contains("9421000011"), "organisation and establishment");
    assert_eq!(agent.get(&link).await.status(), 200, "the agent opens the attachment");
    // The document store's orphan sweep knows a recorded attachment: it stays.
    let store = app::disputes::files::DocumentStore::local(&app.folder.path().join("documents")).unwrap();
    assert_eq!(app::disputes::files::delete_orphans(&store, &app.db, std::time::Duration::ZERO).await.unwrap(), 0);
    assert_eq!(agent.get(&link).await.status(), 200, "the attachment survives the orphan sweep");
    let answered = agent
        .post_multipart(
            &format!("/support/threads/{thread}/reply"),
            reply_form("Bonjour Camille, la ligne est correcte.", vec![("capture.png", PNG.to_vec())]),
        )
        .await;
    assert_eq!(answered.status(), 303);
    assert_eq!(text(&app.db, &format!("SELECT status FROM message_threads WHERE id = {thread}")).await, "answered");
    assert_eq!(
        scalar(
            &app.db,
            &format!("SELECT COUNT(*) FROM message_events WHERE thread_id = {thread} AND action = 'answered'")
        )
        .await,
        1
    );

    // Unread for Opéra and headquarters until each opens it; Lyon never sees it.
    assert_eq!(unread_threads(&opera).await, opera_before + 1);
    assert_eq!(unread_threads(&lemaire).await, lemaire_before + 1);
    assert_eq!(unread_threads(&lyon).await, 0);
    let list = opera.page("/messages").await;
    assert!(list.contains(&format!("data-thread=\"{thread}\" data-unread=\"true\"")), "marked unread in the list");
    let page = opera.page(&format!("/messages/{thread}")).await;
    assert!(page.contains("Service clients — Yanis") && !page.contains("Roux"), "first name only: {page}");
    assert!(page.contains("la ligne est correcte") && page.contains("capture.png"));
    assert_eq!(unread_threads(&opera).await, opera_before, "read once opened");
    assert_eq!(unread_threads(&lemaire).await, lemaire_before + 1, "read marks are per user");
    assert!(opera.page("/messages").await.contains(&format!("data-thread=\"{thread}\" data-unread=\"false\"")));

    // Opéra replies: the thread waits for customer service again; then the agent closes it and
    // a reply is refused.
    let replied = opera.submit_multipart(&format!("/messages/{thread}/reply"), reply_form("Merci !", vec![])).await;
    assert!(replied.contains("Merci !"));
    assert_eq!(text(&app.db, &format!("SELECT status FROM message_threads WHERE id = {thread}")).await, "open");
    let closed = agent.post(&format!("/support/threads/{thread}/close"), &[]).await;
    assert_eq!(closed.status(), 303);
    assert_eq!(text(&app.db, &format!("SELECT status FROM message_threads WHERE id = {thread}")).await, "closed");
    let messages = scalar(&app.db, &format!("SELECT COUNT(*) FROM secure_messages WHERE thread_id = {thread}")).await;
    let refused =
        opera.submit_multipart(&format!("/messages/{thread}/reply"), reply_form("Encore une question", vec![])).await;
    assert!(
        refused.contains("data-testid=\"form-problem\"") && refused.contains("conversation est close"),
        "{refused}"
    );
    assert_eq!(
        scalar(&app.db, &format!("SELECT COUNT(*) FROM secure_messages WHERE thread_id = {thread}")).await,
        messages
    );
    app.stop().await;
}

#[tokio::test]
async fn an_answer_is_emailed_to_each_merchant_who_sees_the_thread_in_their_language_without_its_text() {
    let smtp = SmtpServer::start().await;
    let app = demo_with(&smtp).await;
    let biarritz = signed_in(&app, "rivage.biarritz").await;
    let id = establishment_id(&app, "9421000052").await;
    let thread =
        write_thread(&biarritz, new_message("Refund question", Some(id), "", "Hello, a question.", vec![])).await;
    let agent = signed_in(&app, "support").await;
    let secret = "The refund was sent on 3 December under reference RF-77812.";
    let answered = agent.post_multipart(&format!("/support/threads/{thread}/reply"), reply_form(secret, vec![])).await;
    assert_eq!(answered.status(), 303);

    let delivered = deliver_all(&app, app::clock::now()).await;
    let messages = smtp.wait_for(delivered.sent as usize).await;
    let to: std::collections::BTreeSet<String> = messages.iter().map(|message| message.to.clone()).collect();
    let expected: std::collections::BTreeSet<String> =
        ["rivage.biarritz@demo.example", "rivage.hq@demo.example"].iter().map(|to| to.to_string()).collect();
    assert_eq!(to, expected, "Biarritz and Rivage's headquarters; not Nice, not the agent");
    assert_eq!(messages.len(), 2, "one each");
    let link = format!("/messages/{thread}");
    for message in &messages {
        assert!(message.text.contains(&link) && message.html.contains(&link), "a link to the thread");
        for part in [&message.subject, &message.text, &message.html] {
            assert!(!part.contains("RF-77812") && !part.contains("refund was sent"), "never the reply: {part}");
        }
    }
    let english = messages.iter().find(|message| message.to.contains("biarritz")).unwrap();
    assert!(english.subject.starts_with("Customer service replied"), "{}", english.subject);
    let french = messages.iter().find(|message| message.to.contains("rivage.hq")).unwrap();
    assert!(french.subject.starts_with("Réponse du service clients"), "{}", french.subject);
    // The notification centre lists it too, leading to the thread.
    assert!(biarritz.page("/notifications").await.contains(&format!("href=\"{link}\"")));
    app.stop().await;
}

#[tokio::test]
async fn other_establishments_and_organisations_are_told_a_thread_does_not_exist() {
    let app = spawn_app_with_demo().await;
    let opera = signed_in(&app, "opera").await;
    let opera_id = establishment_id(&app, "9421000011").await;
    let form = new_message("Contrat", Some(opera_id), "", "Question", vec![("contrat.pdf", PDF.to_vec())]);
    let thread = write_thread(&opera, form).await;
    let attachment = scalar(&app.db, "SELECT MAX(id) FROM message_attachments").await;
    let page = format!("/messages/{thread}");
    let download = format!("/messages/{thread}/attachments/{attachment}");

    // Another organisation: not found, for the thread, its attachment and a reply.
    let rivage = signed_in(&app, "rivage.hq").await;
    assert_eq!(rivage.get(&page).await.status(), 404);
    assert_eq!(rivage.get(&download).await.status(), 404);
    let before = scalar(&app.db, "SELECT COUNT(*) FROM secure_messages").await;
    assert_eq!(rivage.post_multipart(&format!("{page}/reply"), reply_form("Intrus", vec![])).await.status(), 404);
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM secure_messages").await, before);
    let theirs_listed = rivage.page("/messages").await;
    assert!(theirs_listed.contains("Downloading statements as CSV"), "Rivage's own threads are listed");
    assert!(!theirs_listed.contains(&format!("data-thread=\"{thread}\"")) && !theirs_listed.contains("Contrat"));
    // Another establishment of the same organisation: not found, not listed.
    let lyon = signed_in(&app, "lyon").await;
    assert_eq!(lyon.get(&page).await.status(), 404);
    assert_eq!(lyon.get(&download).await.status(), 404);
    let listed = lyon.page("/messages").await;
    assert!(listed.contains("data-testid=\"new-message-form\""), "Lyon's messages page works");
    assert!(!listed.contains(&format!("data-thread=\"{thread}\"")) && !listed.contains("Contrat"));
    // Headquarters and the organisation's administrator see it.
    for username in ["lemaire.hq", "lemaire.admin"] {
        let hq = signed_in(&app, username).await;
        assert_eq!(hq.get(&page).await.status(), 200, "{username}");
        assert!(hq.page("/messages").await.contains(&format!("data-thread=\"{thread}\"")), "{username}");
    }
    // A case of another organisation cannot be named in a new thread.
    let theirs = text(
        &app.db,
        "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000045' ORDER BY d.id LIMIT 1",
    )
    .await;
    let refused = opera.submit_multipart("/messages", new_message("Dossier", None, &theirs, "Question", vec![])).await;
    assert!(refused.contains("Aucun de vos dossiers"), "{refused}");
    let ours = text(
        &app.db,
        &format!("SELECT case_number FROM disputes WHERE establishment_id = {opera_id} ORDER BY id LIMIT 1"),
    )
    .await;
    let tied = write_thread(&opera, new_message("Dossier", None, &ours, "Question", vec![])).await;
    let tied_to = scalar(&app.db, &format!("SELECT establishment_id FROM message_threads WHERE id = {tied}")).await;
    assert_eq!(tied_to, opera_id, "a case names its establishment");
    let agent = signed_in(&app, "support").await;
    assert!(agent.page(&format!("/support/threads/{tied}")).await.contains(&ours), "the agent sees the case");

    // The console is customer service's only.
    for username in ["opera", "analyst", "admin"] {
        let visitor = signed_in(&app, username).await;
        assert_eq!(visitor.get("/support").await.status(), 404, "{username}");
        assert_eq!(visitor.get(&format!("/support/threads/{thread}")).await.status(), 404, "{username}");
        let answered =
            visitor.post_multipart(&format!("/support/threads/{thread}/reply"), reply_form("Réponse", vec![])).await;
        assert_eq!(answered.status(), 404, "{username}");
        assert_eq!(visitor.post(&format!("/support/threads/{thread}/close"), &[]).await.status(), 404, "{username}");
    }
    assert_eq!(agent.get("/support").await.status(), 200);
    assert_eq!(text(&app.db, &format!("SELECT status FROM message_threads WHERE id = {thread}")).await, "open");
    app.stop().await;
}

#[tokio::test]
async fn bad_attachments_and_card_numbers_are_refused_and_nothing_is_stored() {
    let app = spawn_app_with_demo().await;
    let opera = signed_in(&app, "opera").await;
    let before = footprint(&app).await;
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let cases: Vec<(&str, Form, &str)> = vec![
        (
            "text named .pdf",
            new_message(
                "Facture",
                None,
                "",
                "Voir pièce",
                vec![("facture.pdf", b"just some text, not a PDF".to_vec())],
            ),
            "PDF, JPEG ou PNG",
        ),
        (
            "a good file, then text named .png",
            new_message(
                "Facture",
                None,
                "",
                "Voir pièces",
                vec![("bon.pdf", PDF.to_vec()), ("photo.png", b"<html><script>alert(1)</script>".to_vec())],
            ),
            "PDF, JPEG ou PNG",
        ),
        ("a file over 10 MB", new_message("Facture", None, "", "Voir pièce", vec![("gros.pdf", big)]), "10 Mo"),
        (
            "a card number in the message",
            new_message(
                "Carte",
                None,
                "",
                "Le client a payé avec la carte 4111 1111 1111 1111.",
                vec![("ok.pdf", PDF.to_vec())],
            ),
            "numéro de carte",
        ),
        (
            "a card number in the subject",
            new_message("Carte 4111111111111111", None, "", "Bonjour", vec![]),
            "numéro de carte",
        ),
    ];
    for (what, form, message) in cases {
        let answered = opera.submit_multipart("/messages", form).await;
        assert!(answered.contains(message), "{what}: the page says why");
        assert!(answered.contains("data-testid=\"form-problem\""), "{what}: shown as the form's problem");
        assert_eq!(footprint(&app).await, before, "{what}: no thread, message, attachment or file");
    }
    // A reply in an existing thread is refused the same way.
    let thread = write_thread(&opera, new_message("Question", None, "", "Bonjour", vec![])).await;
    let before = footprint(&app).await;
    let refused = opera
        .submit_multipart(&format!("/messages/{thread}/reply"), reply_form("Voir", vec![("x.jpg", b"GIF89a".to_vec())]))
        .await;
    assert!(refused.contains("PDF, JPEG ou PNG"));
    let refused =
        opera.submit_multipart(&format!("/messages/{thread}/reply"), reply_form("4111-1111-1111-1111", vec![])).await;
    assert!(refused.contains("numéro de carte"));
    assert_eq!(footprint(&app).await, before, "nothing of the refused replies");
    app.stop().await;
}
