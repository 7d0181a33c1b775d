//! What the chat's store reads, as the pages, the stream and the rules see it: a conversation
//! with what its pages name, a message with its sender, the live state a stream watches, a row
//! of the agents' queue and of their own chats, a merchant's past chat. Nothing here reads the
//! database or knows the caller.

use super::state::Status;
use crate::support::model::Sender;

/// A conversation with its merchant, organisation, establishment, case and agent.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: i64,
    /// The merchant who started it.
    pub user_id: i64,
    pub merchant: String,
    pub organisation: Option<String>,
    pub establishment_id: Option<i64>,
    /// The establishment's number and trading name.
    pub establishment: Option<(String, String)>,
    pub agent_user_id: Option<i64>,
    pub agent: Option<Sender>,
    pub status: Status,
    pub dispute_id: Option<i64>,
    pub case_number: Option<String>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

/// A message of a conversation.
#[derive(Debug, Clone)]
pub struct ChatMessage {
    pub id: i64,
    pub sender: Sender,
    pub body: String,
    pub sent_at: i64,
}

/// What an open chat page follows, read in one query: the status, the agent, each side's last
/// keystroke (milliseconds), the queue position's key and the newest message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveState {
    pub user_id: i64,
    pub status: Status,
    pub agent_user_id: Option<i64>,
    /// The agent's full name (pages show the first name).
    pub agent_name: Option<String>,
    pub merchant_typing_ms: i64,
    pub agent_typing_ms: i64,
    pub queued_at: i64,
    /// The newest message's id (0 without any).
    pub last_message: i64,
}

/// A chat in the agents' console: waiting (oldest first) or one of the agent's own.
#[derive(Debug, Clone)]
pub struct ConsoleChat {
    pub id: i64,
    pub status: Status,
    /// When it joined the queue.
    pub queued_at: i64,
    pub merchant: String,
    pub organisation: Option<String>,
    pub establishment_number: Option<String>,
    pub case_number: Option<String>,
}

/// A merchant's past chat, as the Messages page lists it.
#[derive(Debug, Clone)]
pub struct PastChat {
    pub id: i64,
    pub created_at: i64,
    pub case_number: Option<String>,
    /// The agent's full name (pages show the first name).
    pub agent_name: Option<String>,
    pub messages: i64,
}

/// An agent who may be handed a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub user_id: i64,
    pub full_name: String,
    pub username: String,
}
