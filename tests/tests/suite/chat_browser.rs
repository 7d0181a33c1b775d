//! The live chat in two headless Chromiums on the release build, the chat's clock pinned
//! (`CHAT_CLOCK`): a merchant asks about a case, an agent takes the chat in the console, messages
//! and "is typing" cross both ways without a reload, the agent ends it and the transcript is under
//! the merchant's Messages; and outside opening hours (a Saturday, Christmas) the chat entry says
//! when it opens and gives the phone line, and a secure message goes instead. No console errors,
//! no accessibility violations.

use crate::browser::{arrived, open_first_case, sign_in_demo, text_of};
use portal_tests::browser::{click, eval, fill, wait_until, Chromium, ReleaseServer};

/// Whether some chat message on the page holds `text`.
fn message_shown(text: &str) -> String {
    format!(
        "[...document.querySelectorAll('[data-testid=chat-message]')].some(m => m.textContent.includes({}))",
        serde_json::to_string(text).unwrap()
    )
}

fn state_says(text: &str) -> String {
    format!(
        "(document.querySelector('[data-testid=chat-state]') || {{ textContent: '' }}).textContent.includes({})",
        serde_json::to_string(text).unwrap()
    )
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn a_merchant_asks_about_a_case_and_an_agent_answers_live() {
    let server = ReleaseServer::start_with(&[("CHAT_CLOCK", "2026-12-02T10:00:00+01:00")]).await;
    let (merchant_browser, agent_browser) = (Chromium::launch().await, Chromium::launch().await);
    let (merchant, agent) = (merchant_browser.page().await, agent_browser.page().await);

    sign_in_demo(&agent, &server, "support").await;
    agent.goto(server.url("/support")).await.unwrap();
    arrived(&agent, "/support").await;
    click(&agent, "[data-testid=available]").await;
    click(&agent, "[data-testid=save-availability]").await;
    wait_until(&agent, "document.querySelector('[data-testid=notice]') !== null", 10).await;

    sign_in_demo(&merchant, &server, "opera").await;
    let case_path = open_first_case(&merchant, &server, "/disputes").await;
    let case_number = case_path.trim_start_matches("/disputes/").to_owned();
    assert_eq!(text_of(&merchant, "[data-testid=chat-entry] [data-testid=chat-button]").await, "Chat en direct");
    click(&merchant, "[data-testid=ask-about-case-button]").await;
    wait_until(&merchant, "location.pathname.startsWith('/chat/') && document.body.dataset.hydrated === 'true'", 30)
        .await;
    let chat_path: String = eval(&merchant, "location.pathname").await;
    wait_until(&merchant, &state_says("n° 1"), 10).await;
    portal_tests::browser::assert_accessible(&merchant).await;
    eval::<bool>(&merchant, "(window.__stillTheSamePage = true)").await;

    // The agent finds it in the console, with its case, and takes it.
    agent.goto(server.url("/support")).await.unwrap();
    arrived(&agent, "/support").await;
    assert!(text_of(&agent, "[data-testid=waiting-chats]").await.contains(&case_number));
    click(&agent, "[data-testid=waiting-chats] [data-testid=take-chat]").await;
    let agent_path = chat_path.replace("/chat/", "/support/chats/");
    arrived(&agent, &agent_path).await;
    assert!(text_of(&agent, "[data-testid=case-summary]").await.contains(&case_number), "the agent sees the case");
    assert!(text_of(&agent, "[data-testid=establishment]").await.contains("9421000011"));
    eval::<bool>(&agent, "(window.__stillTheSamePage = true)").await;
    wait_until(&merchant, &state_says("Yanis"), 10).await;

    // Both ways, live.
    fill(&merchant, "#chat-input", "Bonjour, où en est ce dossier ?").await;
    click(&merchant, "[data-testid=chat-send]").await;
    wait_until(&agent, &message_shown("où en est ce dossier"), 10).await;
    wait_until(&merchant, "document.querySelector('#chat-input').value === ''", 10).await;
    fill(&agent, "#chat-input", "Je regarde").await;
    wait_until(&merchant, "document.querySelector('[data-testid=chat-typing]').textContent.includes('Yanis')", 10)
        .await;
    fill(&agent, "#chat-input", "Il est en cours d'examen.").await;
    click(&agent, "[data-testid=chat-send]").await;
    wait_until(&merchant, &message_shown("Il est en cours d'examen."), 10).await;
    portal_tests::browser::assert_accessible(&merchant).await;
    portal_tests::browser::assert_accessible(&agent).await;
    assert!(eval::<bool>(&agent, "window.__stillTheSamePage === true").await, "no reload on the agent's side");

    // The agent ends it; the merchant's page says so, still without a reload.
    click(&agent, "[data-testid=chat-end]").await;
    wait_until(&agent, "document.querySelector('[data-testid=transcript]') !== null", 30).await;
    arrived(&agent, &agent_path).await;
    wait_until(&merchant, "document.querySelector('[data-testid=chat-box]').dataset.state === 'ended'", 10).await;
    assert!(eval::<bool>(&merchant, "document.querySelector('[data-testid=chat-form]').hidden").await);
    assert!(eval::<bool>(&merchant, "window.__stillTheSamePage === true").await, "no reload on the merchant's side");

    // The transcript is under Messages.
    merchant.goto(server.url("/messages")).await.unwrap();
    arrived(&merchant, "/messages").await;
    click(&merchant, "[data-testid=past-chat] a").await;
    arrived(&merchant, &chat_path).await;
    let transcript = text_of(&merchant, "[data-testid=transcript]").await;
    assert!(transcript.contains("où en est ce dossier") && transcript.contains("Il est en cours d'examen."));

    assert_eq!(merchant_browser.errors(), Vec::<String>::new(), "the merchant's console shows no errors");
    assert_eq!(agent_browser.errors(), Vec::<String>::new(), "the agent's console shows no errors");
}

#[tokio::test]
#[ignore = "needs the release build and Chromium: run scripts/test.sh"]
async fn outside_opening_hours_the_chat_gives_the_phone_and_a_secure_message_goes_instead() {
    // A Saturday, then Christmas Day (a Friday): Monday at 9:00 both times.
    let mut server = ReleaseServer::start_with(&[("CHAT_CLOCK", "2026-12-05T11:00:00+01:00")]).await;
    let chromium = Chromium::launch().await;
    let page = chromium.page().await;
    for round in 0..2 {
        if round == 1 {
            server.set_variable("CHAT_CLOCK", "2026-12-25T10:00:00+01:00");
            server.kill_and_restart().await;
        }
        sign_in_demo(&page, &server, "opera").await;
        let entry = text_of(&page, "[data-testid=chat-entry]").await;
        assert!(entry.contains("ouvre lundi à 9h00"), "{entry}");
        assert!(entry.contains("01 47 77 75 75"), "the phone line: {entry}");
        click(&page, "[data-testid=chat-button]").await;
        arrived(&page, "/chat").await;
        let unavailable = text_of(&page, "[data-testid=chat-unavailable]").await;
        assert!(unavailable.contains("lundi à 9h00"), "{unavailable}");
        click(&page, "main [data-testid=chat-write-message]").await;
        arrived(&page, "/messages").await;
        fill(&page, "#field-subject", "Question hors des heures du chat").await;
        fill(&page, "#field-body", "Le chat est fermé : je vous écris.").await;
        click(&page, "[data-testid=send-message]").await;
        wait_until(
            &page,
            "location.pathname.startsWith('/messages/') && document.body.dataset.hydrated === 'true'",
            30,
        )
        .await;
        assert!(text_of(&page, "[data-testid=thread-subject]").await.contains("hors des heures"));
        click(&page, "[data-testid=sign-out]").await;
        arrived(&page, "/login").await;
    }
    assert_eq!(chromium.errors(), Vec::<String>::new());
}
