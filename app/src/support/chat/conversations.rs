//! What merchants and support agents do with live chats: start one (in opening hours, with an
//! agent available, optionally about a case of the caller's scope), write, show that they are
//! typing, take a waiting chat, hand it to another agent or back to the queue, end it, read the
//! past ones and have one's transcript emailed; and the agents' availability.
//!
//! A conversation is its merchant's: another user (another organisation's above all) is told it
//! does not exist. Support agents see every conversation; only the agent who has it writes in it.
//! Each write checks the status (`state`) and is guarded by it in its one transaction with its
//! audit entry, then wakes the streams following it. A card number typed in a message is masked
//! before it is stored, like in a case's comments.

use super::model::{Agent, ChatMessage, ConsoleChat, Conversation, PastChat};
use super::settings::{ChatSettings, QUEUE};
use super::state::{may_write, transition, Action, Side, Status};
use super::store::{self, NewConversation};
use crate::accounts::caller::Caller;
use crate::accounts::model::{Problem, UserKind};
use crate::db::Db;
use crate::support::rules::{self, ThreadScope};
use crate::support::threads::Refused;
use crate::AppError;

/// Longest chat message.
pub const MAX_MESSAGE: usize = 2_000;
/// An agent not seen at work (console, chat pages, their streams) for this long counts as away.
pub const AGENT_SEEN_WITHIN: i64 = 300;
/// A keystroke shows "is typing" for this long (milliseconds).
pub const TYPING_FOR_MS: i64 = 5_000;

fn problem(problem: Problem) -> Refused {
    Refused::Problem(problem, "form".into())
}

/// The merchant's conversation `id` ("not found" for anyone else's).
pub async fn open_for_merchant(db: &Db, caller: &Caller, id: i64) -> Result<Conversation, AppError> {
    ThreadScope::of(caller)?;
    store::conversation_by_id(db, id).await?.filter(|chat| chat.user_id == caller.user_id).ok_or(AppError::NotFound)
}

/// The conversation `id`, for a support agent.
pub async fn open_for_agent(db: &Db, caller: &Caller, id: i64) -> Result<Conversation, AppError> {
    rules::require_agent(caller)?;
    store::conversation_by_id(db, id).await?.ok_or(AppError::NotFound)
}

/// Which side the caller is on in a conversation they may see.
pub fn side_of(caller: &Caller) -> Side {
    if caller.kind == UserKind::SupportAgent {
        Side::Agent
    } else {
        Side::Merchant
    }
}

/// The conversation, if the caller may follow it: its merchant, or a support agent.
pub async fn open(db: &Db, caller: &Caller, id: i64) -> Result<Conversation, AppError> {
    match side_of(caller) {
        Side::Agent => open_for_agent(db, caller, id).await,
        Side::Merchant => open_for_merchant(db, caller, id).await,
    }
}

/// The merchant's conversation still going, if any.
pub async fn active(db: &Db, caller: &Caller) -> Result<Option<i64>, AppError> {
    ThreadScope::of(caller)?;
    Ok(store::active_for_user(db, caller.user_id).await?)
}

/// Whether an agent is available now (seen lately and marked available).
pub async fn agents_available(db: &Db) -> Result<Vec<Agent>, sqlx::Error> {
    store::available_agents(db, crate::clock::now() - AGENT_SEEN_WITHIN).await
}

/// Starts a chat, about the case `case_number` if not empty; its id. A merchant with a chat
/// still going gets that one back. Refused outside opening hours and when no agent is available.
pub async fn start(db: &Db, settings: &ChatSettings, caller: &Caller, case_number: &str) -> Result<i64, Refused> {
    ThreadScope::of(caller)?;
    if let Some(id) = store::active_for_user(db, caller.user_id).await? {
        return Ok(id);
    }
    if !settings.opening().is_open() {
        return Err(problem(Problem::ChatClosed));
    }
    if agents_available(db).await?.is_empty() {
        return Err(problem(Problem::ChatNoAgent));
    }
    let (mut establishment, mut dispute) = (None, None);
    let case_number = case_number.trim();
    if !case_number.is_empty() {
        let case = crate::support::store::case_by_number(db, case_number)
            .await?
            .filter(|case| caller.establishment(case.establishment_id).is_ok())
            .ok_or(problem(Problem::CaseUnknown))?;
        (establishment, dispute) = (Some(case.establishment_id), Some(case.id));
    } else {
        // A user of one establishment chats from it.
        let own: Vec<i64> = caller.establishments.iter().filter(|scope| scope.own).map(|scope| scope.id).collect();
        if let [only] = own[..] {
            establishment = Some(only);
        }
    }
    let organisation = rules::organisation_for(caller, establishment);
    let number = match establishment {
        Some(id) => crate::support::store::establishment_number(db, id).await?,
        None => None,
    };
    let actor = rules::actor(caller, establishment.zip(number.as_deref()));
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let conversation = NewConversation { user: caller.user_id, organisation, establishment, dispute };
    let id = store::insert_conversation(&mut transaction, &conversation, now).await?;
    store::insert_event(&mut transaction, id, &actor, now, "started", case_number).await?;
    transaction.commit().await?;
    settings.wake(QUEUE);
    Ok(id)
}

/// A message as it is stored: trimmed, checked, any card number masked; and whether one was.
pub fn checked_message(body: &str) -> Result<(String, bool), Problem> {
    let body = body.trim();
    if body.is_empty() {
        return Err(Problem::Required);
    }
    if body.chars().count() > MAX_MESSAGE {
        return Err(Problem::TooLong);
    }
    Ok(crate::cards::mask_numbers(body))
}

/// Writes the caller's message; its id and whether a card number in it was masked. The merchant
/// writes in their own chat while it waits or is connected; an agent in the chat they have.
pub async fn write(
    db: &Db,
    settings: &ChatSettings,
    caller: &Caller,
    id: i64,
    body: &str,
) -> Result<(i64, bool), Refused> {
    let chat = open(db, caller, id).await?;
    let side = side_of(caller);
    if side == Side::Agent && chat.agent_user_id != Some(caller.user_id) {
        return Err(problem(Problem::ChatNotYours));
    }
    if !may_write(chat.status, side) {
        return Err(problem(Problem::ChatEnded));
    }
    let (body, masked) = checked_message(body).map_err(|problem| Refused::Problem(problem, "body".into()))?;
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    let message = store::insert_message(&mut transaction, id, caller.user_id, &body, now).await?;
    // The message ends its writer's "is typing".
    store::set_typing(&mut transaction, id, side == Side::Merchant, 0).await?;
    if side == Side::Agent {
        store::touch_agent(&mut transaction, caller.user_id, now).await?;
    }
    transaction.commit().await?;
    settings.wake(id);
    Ok((message, masked))
}

/// Marks the caller as typing in a conversation they may write in.
pub async fn typing(db: &Db, settings: &ChatSettings, caller: &Caller, id: i64) -> Result<(), AppError> {
    let chat = open(db, caller, id).await?;
    let side = side_of(caller);
    let writes = may_write(chat.status, side) && (side == Side::Merchant || chat.agent_user_id == Some(caller.user_id));
    if writes {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let mut transaction = db.write().await?;
        store::set_typing(&mut transaction, id, side == Side::Merchant, now_ms).await?;
        transaction.commit().await?;
        settings.wake(id);
    }
    Ok(())
}

/// Moves the conversation by `action` (guarded by the status read and, for an agent's move of a
/// connected chat, by its agent): `to` is the agent it goes to. Records `detail` in the audit.
async fn apply(
    db: &Db,
    settings: &ChatSettings,
    caller: &Caller,
    chat: &Conversation,
    action: Action,
    to: Option<i64>,
    detail: &str,
) -> Result<(), Refused> {
    let next = transition(chat.status, action).map_err(|_| match chat.status {
        Status::Ended => problem(Problem::ChatEnded),
        _ => problem(Problem::ChatTaken),
    })?;
    let owner = (side_of(caller) == Side::Agent && chat.status == Status::Connected).then_some(caller.user_id);
    let number = chat.establishment.as_ref().map(|(number, _)| number.as_str());
    let actor = rules::actor(caller, chat.establishment_id.zip(number));
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    if !store::move_conversation(&mut transaction, chat.id, chat.status, owner, next, to, caller.user_id, now).await? {
        // Someone else moved it since it was read: another agent took it, say.
        return Err(problem(if action == Action::Take { Problem::ChatTaken } else { Problem::StaleForm }));
    }
    let name = match action {
        Action::Take => "taken",
        Action::Transfer => "transferred",
        Action::Requeue => "requeued",
        Action::End => "ended",
    };
    store::insert_event(&mut transaction, chat.id, &actor, now, name, detail).await?;
    if side_of(caller) == Side::Agent {
        store::touch_agent(&mut transaction, caller.user_id, now).await?;
    }
    transaction.commit().await?;
    settings.wake(chat.id);
    settings.wake(QUEUE);
    Ok(())
}

/// A support agent takes a waiting chat: of two agents at once, one gets it and the other is
/// told it was taken.
pub async fn take(db: &Db, settings: &ChatSettings, caller: &Caller, id: i64) -> Result<(), Refused> {
    let chat = open_for_agent(db, caller, id).await?;
    apply(db, settings, caller, &chat, Action::Take, Some(caller.user_id), "").await
}

/// The agent who has the chat hands it to another available agent (`to`: their user id), or
/// back to the queue (`to` empty).
pub async fn transfer(db: &Db, settings: &ChatSettings, caller: &Caller, id: i64, to: &str) -> Result<(), Refused> {
    let chat = open_for_agent(db, caller, id).await?;
    if chat.agent_user_id != Some(caller.user_id) {
        return Err(problem(Problem::ChatNotYours));
    }
    match to.trim() {
        "" => apply(db, settings, caller, &chat, Action::Requeue, None, "").await,
        to => {
            let agent = to
                .parse::<i64>()
                .ok()
                .filter(|to| *to != caller.user_id)
                .ok_or(Refused::Problem(Problem::UnknownUser, "to".into()))?;
            let available = agents_available(db).await?;
            let agent = available
                .iter()
                .find(|available| available.user_id == agent)
                .ok_or(Refused::Problem(Problem::UnknownUser, "to".into()))?;
            apply(db, settings, caller, &chat, Action::Transfer, Some(agent.user_id), &agent.username).await
        }
    }
}

/// The merchant ends their chat, or the agent who has it (or any agent, while it waits).
pub async fn end(db: &Db, settings: &ChatSettings, caller: &Caller, id: i64) -> Result<(), Refused> {
    let chat = open(db, caller, id).await?;
    let agent_of_another = side_of(caller) == Side::Agent
        && chat.status == Status::Connected
        && chat.agent_user_id != Some(caller.user_id);
    if agent_of_another {
        return Err(problem(Problem::ChatNotYours));
    }
    apply(db, settings, caller, &chat, Action::End, chat.agent_user_id, "").await
}

/// Every message of a conversation the caller may see, oldest first.
pub async fn messages(db: &Db, chat: &Conversation) -> Result<Vec<ChatMessage>, sqlx::Error> {
    let mut all = Vec::new();
    loop {
        let after = all.last().map_or(0, |message: &ChatMessage| message.id);
        let next = store::messages_after(db, chat.id, after).await?;
        if next.is_empty() {
            return Ok(all);
        }
        all.extend(next);
    }
}

/// The merchant's ended chats, newest first (the transcripts under Messages).
pub async fn past(db: &Db, caller: &Caller) -> Result<Vec<PastChat>, AppError> {
    ThreadScope::of(caller)?;
    Ok(store::past_for_user(db, caller.user_id).await?)
}

/// The agents' console: the queue, the agent's own chats, whether they are available, and the
/// agents a chat can be handed to. Looking at it marks the agent seen.
pub struct ChatConsole {
    pub waiting: Vec<ConsoleChat>,
    pub mine: Vec<ConsoleChat>,
    pub available: bool,
    pub agents: Vec<Agent>,
}

pub async fn console(db: &Db, caller: &Caller) -> Result<ChatConsole, AppError> {
    rules::require_agent(caller)?;
    let now = crate::clock::now();
    let mut transaction = db.write().await?;
    store::touch_agent(&mut transaction, caller.user_id, now).await?;
    transaction.commit().await?;
    let (waiting, mine, availability, agents) = tokio::try_join!(
        store::console_chats(db, None),
        store::console_chats(db, Some(caller.user_id)),
        store::availability_of(db, caller.user_id),
        agents_available(db),
    )?;
    let available = availability.is_some_and(|(availability, _)| availability == "available");
    Ok(ChatConsole { waiting, mine, available, agents })
}

/// The agent marks themselves available or away.
pub async fn set_availability(
    db: &Db,
    settings: &ChatSettings,
    caller: &Caller,
    available: bool,
) -> Result<(), AppError> {
    rules::require_agent(caller)?;
    let mut transaction = db.write().await?;
    let availability = if available { "available" } else { "away" };
    store::set_availability(&mut transaction, caller.user_id, availability, crate::clock::now()).await?;
    transaction.commit().await?;
    settings.wake(QUEUE);
    Ok(())
}

/// Marks the agent seen at work (their chat streams do, once a minute).
pub async fn seen(db: &Db, caller: &Caller) -> Result<(), sqlx::Error> {
    let mut transaction = db.write().await?;
    store::touch_agent(&mut transaction, caller.user_id, crate::clock::now()).await?;
    transaction.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_trimmed_checked_and_its_card_numbers_masked() {
        assert_eq!(checked_message("  Bonjour \n"), Ok(("Bonjour".into(), false)));
        assert_eq!(checked_message(" \n "), Err(Problem::Required));
        assert_eq!(checked_message(&"x".repeat(MAX_MESSAGE + 1)), Err(Problem::TooLong));
        assert_eq!(checked_message("carte 4111 1111 1111 1111 ?"), Ok(("carte 411111******1111 ?".into(), true)));
    }
}
