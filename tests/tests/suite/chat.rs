//! The live chat on the demo data, with the chat's clock pinned (`CHAT_CLOCK`): a merchant
//! starts a chat about a case once an agent is available; two agents take it at once and exactly
//! one gets it; messages cross both ways over the event streams (a card number masked before it
//! is stored; a reconnecting stream gets only what it missed); the agent ends it and the
//! transcript is listed under the merchant's Messages and emailed; another organisation's
//! conversation is not found; outside opening hours (a Saturday, a public holiday) the chat says
//! when it opens and gives the phone line, and refuses to start.

use portal_tests::events::EventStream;
use portal_tests::{scalar, spawn_app_with_demo_and, text, TestApp, Visitor};
use std::time::Duration;

/// Wednesday 2 December 2026, 10:00 in Paris.
const OPEN: &str = "2026-12-02T10:00:00+01:00";
const WAIT: Duration = Duration::from_secs(10);

async fn signed_in(app: &TestApp, username: &str) -> Visitor {
    let visitor = app.visitor();
    visitor.sign_in_demo(username).await;
    visitor
}

/// A second support agent, with the demo agent's password.
async fn second_agent(app: &TestApp) -> Visitor {
    sqlx::query(
        "INSERT INTO users (username, email, full_name, password_hash, language, kind, password_changed_at, created_at) \
         SELECT 'support.ines', 'ines@demo.example', 'Inès Moreau', password_hash, 'fr', 'support_agent', \
                password_changed_at, created_at FROM users WHERE username = 'support'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let visitor = app.visitor();
    let response = visitor.sign_in("support.ines", "Demo-support-2026").await;
    assert_eq!(response.headers()["location"], "/");
    visitor
}

async fn available(agent: &Visitor) {
    let page = agent.submit("/support/availability", &[("availability", "available")]).await;
    assert!(page.contains("data-testid=\"notice\""), "the availability is saved");
}

/// Starts a chat (about `case`) and returns its id, from the redirect.
async fn start(visitor: &Visitor, case: &str) -> i64 {
    let response = visitor.post("/chat", &[("case_number", case)]).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    location.strip_prefix("/chat/").unwrap_or_else(|| panic!("sent to the chat, not {location}")).parse().unwrap()
}

async fn stream(app: &TestApp, visitor: &Visitor, id: i64, last: Option<i64>) -> EventStream {
    EventStream::open(&visitor.client, &app.url(&format!("/chat/{id}/events")), last).await.ok().expect("a stream")
}

#[tokio::test]
async fn a_chat_about_a_case_is_taken_by_one_agent_crosses_both_ways_and_ends_in_a_transcript() {
    let app = spawn_app_with_demo_and(&[("CHAT_CLOCK", OPEN)]).await;
    let opera = signed_in(&app, "opera").await;
    let case = text(
        &app.db,
        "SELECT d.case_number FROM disputes d JOIN establishments e ON e.id = d.establishment_id \
         WHERE e.number = '9421000011' ORDER BY d.id LIMIT 1",
    )
    .await;
    let page = opera.page("/disputes").await;
    assert!(page.contains("data-testid=\"chat-entry\" data-open=\"true\""), "the chat button, open");
    assert!(opera.page(&format!("/disputes/{case}")).await.contains("data-testid=\"ask-about-case\""));

    // No agent available yet: told, offered a secure message, nothing started.
    let refused = opera.submit("/chat", &[("case_number", &case)]).await;
    assert!(refused.contains("Aucun conseiller n'est disponible"), "{refused}");
    assert!(refused.contains("data-testid=\"chat-write-message\""));
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM chat_conversations").await, 0);

    let yanis = signed_in(&app, "support").await;
    let ines = second_agent(&app).await;
    available(&yanis).await;
    available(&ines).await;
    let id = start(&opera, &case).await;
    assert_eq!(start(&opera, "").await, id, "one chat at a time: the same one again");
    let mut merchant = stream(&app, &opera, id, None).await;
    let waiting = merchant.next_named("state", WAIT).await.unwrap();
    assert_eq!(waiting.data, "waiting||1|0|1", "first in the queue, an agent available");

    // The merchant writes while waiting; the console lists the chat with its case.
    let sent = opera.post(&format!("/chat/{id}/messages"), &[("body", "Bonjour, une question sur ce dossier.")]).await;
    assert_eq!(sent.status(), 204);
    let first = merchant.next_named("message", WAIT).await.unwrap();
    assert_eq!(first.id, Some(scalar(&app.db, "SELECT MAX(id) FROM chat_messages").await.to_string()));
    assert!(first.data.starts_with("m|") && first.data.ends_with("|Bonjour, une question sur ce dossier."));
    let console = yanis.page("/support").await;
    assert!(console.contains(&format!("data-chat=\"{id}\" data-status=\"waiting\"")), "{console}");
    assert!(console.contains(&case));

    // Two agents take it at once: exactly one gets it, the other is told.
    let take = format!("/support/chats/{id}/take");
    let (a, b) = tokio::join!(yanis.post(&take, &[]), ines.post(&take, &[]));
    let locations: Vec<String> =
        [&a, &b].iter().map(|response| response.headers()["location"].to_str().unwrap().to_owned()).collect();
    let winners = locations.iter().filter(|location| **location == format!("/support/chats/{id}")).count();
    assert_eq!(winners, 1, "{locations:?}");
    let owner = scalar(&app.db, &format!("SELECT agent_user_id FROM chat_conversations WHERE id = {id}")).await;
    let (agent, other) = if locations[0] == format!("/support/chats/{id}") { (&yanis, &ines) } else { (&ines, &yanis) };
    let told = other.page("/support").await;
    assert!(told.contains("Un autre conseiller a déjà pris ce chat."), "the other agent is told");
    let taken = format!("SELECT COUNT(*) FROM chat_events WHERE conversation_id = {id} AND action = 'taken'");
    assert_eq!(scalar(&app.db, &taken).await, 1);
    assert_eq!(other.post(&format!("/chat/{id}/messages"), &[("body", "Moi aussi")]).await.status(), 422);

    // The agent sees the case and the merchant; the merchant sees the agent's first name.
    let reading = agent.page(&format!("/support/chats/{id}")).await;
    assert!(reading.contains("Maison Lemaire") && reading.contains("9421000011") && reading.contains(&case));
    assert!(reading.contains("data-testid=\"case-summary\""), "the case's summary, read-only");
    let connected = merchant.state_starting("connected", WAIT).await.unwrap();
    let first_name = if owner == scalar(&app.db, "SELECT id FROM users WHERE username = 'support'").await {
        "Yanis"
    } else {
        "Inès"
    };
    assert_eq!(connected.data, format!("connected|{first_name}|0|0|1"));

    // The agent's stream gets the waiting message, then both ways live; typing shows.
    let mut agent_stream = stream(&app, agent, id, None).await;
    assert_eq!(agent_stream.next_named("message", WAIT).await.unwrap().id, first.id, "what was written while waiting");
    assert_eq!(agent.post(&format!("/chat/{id}/typing"), &[]).await.status(), 204);
    assert!(merchant.state_starting(&format!("connected|{first_name}|0|1"), WAIT).await.is_some(), "is typing");
    assert_eq!(agent.post(&format!("/chat/{id}/messages"), &[("body", "Bonjour, je regarde.")]).await.status(), 204);
    let answer = merchant.next_named("message", WAIT).await.unwrap();
    assert!(answer.data.starts_with(&format!("a|{first_name}|")) && answer.data.ends_with("|Bonjour, je regarde."));
    let own = agent_stream.next_named("message", WAIT).await.unwrap();
    assert_eq!(own.id, answer.id, "the agent's own message shows once stored");
    let masked = opera.post(&format!("/chat/{id}/messages"), &[("body", "Ma carte 4111 1111 1111 1111")]).await;
    assert_eq!(masked.status(), 200);
    assert!(masked.text().await.unwrap().contains("masqué"));
    let card = agent_stream.next_named("message", WAIT).await.unwrap();
    assert!(card.data.ends_with("|Ma carte 411111******1111"), "{card:?}");
    let stored = format!("SELECT COUNT(*) FROM chat_messages WHERE conversation_id = {id} AND body LIKE '%4111 1111%'");
    assert_eq!(scalar(&app.db, &stored).await, 0, "no card number stored");
    assert_eq!(opera.post(&format!("/chat/{id}/messages"), &[("body", "  ")]).await.status(), 422);

    // A reconnecting browser gets only what it missed.
    let seen: i64 = answer.id.unwrap().parse().unwrap();
    let mut again = stream(&app, &opera, id, Some(seen)).await;
    assert_eq!(again.next_named("message", WAIT).await.unwrap().id, card.id);
    assert!(again.next_named("message", Duration::from_millis(1500)).await.is_none(), "nothing twice");

    // Another organisation's merchant: not found, whatever they try.
    let rivage = signed_in(&app, "rivage.hq").await;
    assert_eq!(rivage.get(&format!("/chat/{id}")).await.status(), 404);
    assert_eq!(rivage.get(&format!("/chat/{id}/events")).await.status(), 404);
    assert_eq!(rivage.post(&format!("/chat/{id}/messages"), &[("body", "x")]).await.status(), 404);
    assert_eq!(rivage.post(&format!("/chat/{id}/end"), &[]).await.status(), 404);

    // The agent ends it: both streams say so and close; the transcript is under Messages.
    let ended = agent.post(&format!("/support/chats/{id}/end"), &[]).await;
    assert_eq!(ended.status(), 303);
    assert!(merchant.state_starting("ended", WAIT).await.is_some());
    assert!(merchant.next_within(WAIT).await.is_none(), "the stream ends");
    assert_eq!(opera.post(&format!("/chat/{id}/messages"), &[("body", "Encore ?")]).await.status(), 422);
    let messages = opera.page("/messages").await;
    assert!(messages.contains(&format!("data-testid=\"past-chat\" data-chat=\"{id}\"")), "{messages}");
    let transcript = opera.page(&format!("/chat/{id}")).await;
    assert!(transcript.contains("Bonjour, je regarde.") && transcript.contains("411111******1111"));
    let emailed = opera.submit(&format!("/chat/{id}/email"), &[]).await;
    assert!(emailed.contains("data-testid=\"notice\""));
    let emails = app.wait_for_emails("opera@demo.example", 1).await;
    let email = emails.last().unwrap();
    assert!(email.contains("Bonjour, je regarde.") && email.contains("411111******1111"), "{email}");
    assert!(!email.contains("4111 1111"));
    let audit = format!("SELECT COUNT(*) FROM chat_events WHERE conversation_id = {id}");
    assert_eq!(scalar(&app.db, &audit).await, 4, "started, taken, ended, transcript emailed");
    assert_eq!(rivage.post(&format!("/chat/{id}/email"), &[]).await.status(), 404);
}

#[tokio::test]
async fn a_chat_goes_back_to_the_queue_or_to_another_agent_and_the_merchant_may_end_it() {
    let app = spawn_app_with_demo_and(&[("CHAT_CLOCK", OPEN)]).await;
    let (yanis, ines) = (signed_in(&app, "support").await, second_agent(&app).await);
    available(&yanis).await;
    available(&ines).await;
    let opera = signed_in(&app, "opera").await;
    let id = start(&opera, "").await;
    let lyon = signed_in(&app, "lyon").await;
    let second = start(&lyon, "").await;
    let mut lyon_stream = stream(&app, &lyon, second, None).await;
    assert_eq!(lyon_stream.next_named("state", WAIT).await.unwrap().data, "waiting||2|0|1", "second in the queue");
    assert_eq!(yanis.post(&format!("/support/chats/{id}/take"), &[]).await.status(), 303);
    assert!(lyon_stream.state_starting("waiting||1|", WAIT).await.is_some(), "now first");
    let ines_id = text(&app.db, "SELECT CAST(id AS TEXT) FROM users WHERE username = 'support.ines'").await;
    let handed = yanis.post(&format!("/support/chats/{id}/transfer"), &[("to", &ines_id)]).await;
    assert_eq!(handed.headers()["location"], "/support");
    let owner = format!("SELECT agent_user_id FROM chat_conversations WHERE id = {id}");
    assert_eq!(scalar(&app.db, &owner).await.to_string(), ines_id);
    assert_eq!(yanis.post(&format!("/chat/{id}/messages"), &[("body", "x")]).await.status(), 422, "no longer his");
    assert!(ines.page("/support").await.contains(&format!("data-chat=\"{id}\" data-status=\"open\"")));
    assert_eq!(ines.post(&format!("/support/chats/{id}/transfer"), &[("to", "")]).await.status(), 303);
    let status = format!("SELECT status FROM chat_conversations WHERE id = {id}");
    assert_eq!(text(&app.db, &status).await, "waiting", "back in the queue");
    assert_eq!(opera.post(&format!("/chat/{id}/end"), &[]).await.status(), 303);
    assert_eq!(text(&app.db, &status).await, "closed");
    assert!(opera.page(&format!("/chat/{id}")).await.contains("data-testid=\"transcript\""));
    // The transfer is audited with the agent it went to.
    let transferred = format!("SELECT detail FROM chat_events WHERE conversation_id = {id} AND action = 'transferred'");
    assert_eq!(text(&app.db, &transferred).await, "support.ines");
}

/// Two instances on one database: a message written through one reaches a stream held by the
/// other (within its one-second look), and a message is never lost or doubled across them.
#[tokio::test]
async fn a_message_written_on_one_instance_reaches_a_stream_on_another() {
    let app = spawn_app_with_demo_and(&[("CHAT_CLOCK", OPEN)]).await;
    let (other, _running) = app.another_instance().await;
    let opera = signed_in(&app, "opera").await;
    let agent = Visitor::new(&other);
    agent.sign_in_demo("support").await;
    available(&agent).await;
    let id = start(&opera, "").await;
    assert_eq!(agent.post(&format!("/support/chats/{id}/take"), &[]).await.status(), 303);
    let mut merchant = stream(&app, &opera, id, None).await;
    for n in 0..3 {
        let body = format!("Réponse {n}");
        assert_eq!(agent.post(&format!("/chat/{id}/messages"), &[("body", &body)]).await.status(), 204);
        let sent = std::time::Instant::now();
        let got = merchant.next_named("message", WAIT).await.expect("the message crosses instances");
        assert!(got.data.ends_with(&format!("|{body}")), "{got:?}");
        assert!(sent.elapsed() < Duration::from_millis(2500), "within a look or two: {:?}", sent.elapsed());
    }
    assert!(merchant.next_named("message", Duration::from_millis(1500)).await.is_none(), "nothing twice");
}

#[tokio::test]
async fn outside_opening_hours_the_chat_says_when_it_opens_and_gives_the_phone() {
    for (clock, phone) in
        [("2026-12-05T11:00:00+01:00", "01 47 77 75 75"), ("2026-12-25T10:00:00+01:00", "01 23 45 67 89")]
    {
        let app = spawn_app_with_demo_and(&[("CHAT_CLOCK", clock), ("SUPPORT_PHONE", phone)]).await;
        let agent = signed_in(&app, "support").await;
        available(&agent).await;
        let opera = signed_in(&app, "opera").await;
        // A Saturday and Christmas (a Friday): Monday morning, either way.
        let page = opera.page("/disputes").await;
        assert!(page.contains("data-testid=\"chat-entry\" data-open=\"false\""), "{clock}");
        assert!(page.contains("Chat fermé : ouvre lundi à 9h00"), "{clock}");
        assert!(page.contains(phone));
        let refused = opera.submit("/chat", &[("case_number", "")]).await;
        assert!(refused.contains("Le chat est fermé en ce moment.") && refused.contains("ouvre lundi à 9h00"));
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM chat_conversations").await, 0);
        // A secure message instead.
        let form = reqwest::multipart::Form::new()
            .text("subject", "Question")
            .text("topic", "website")
            .text("establishment", "")
            .text("case_number", "")
            .text("body", "Le chat est fermé, je vous écris.");
        assert_eq!(opera.post_multipart("/messages", form).await.status(), 303);
    }
}
