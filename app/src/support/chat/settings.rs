//! The live chat's settings and wake-ups, built once at start-up and shared through
//! [`Services`](crate::services::Services): the opening hours, the phone line given when the chat
//! is closed, the clock the opening hours are judged by, and the signal that wakes this
//! instance's open chat streams when a conversation changes.
//!
//! The clock is the real one unless pinned (`CHAT_CLOCK`, for tests and demos): then it reads
//! the pinned instant when the server started and runs on from there. Only the opening hours
//! follow it; messages and the queue's times are real.
//!
//! Wake-ups are local: a stream on another instance sees a change at its next look (each stream
//! looks every [`LOOK_EVERY`](super::events::LOOK_EVERY) anyway), so several instances work.

use super::hours::{Opening, OpeningHours};
use tokio::sync::broadcast;

/// The default phone line, the one in the page footer.
pub const DEFAULT_PHONE: &str = "01 47 77 75 75";

/// The id a wake-up carries for a change of the queue rather than of one conversation.
pub const QUEUE: i64 = 0;

#[derive(Debug)]
pub struct ChatSettings {
    pub hours: OpeningHours,
    /// `SUPPORT_PHONE`.
    pub phone: String,
    /// Seconds added to the real clock (0 unless pinned).
    offset: i64,
    wake: broadcast::Sender<i64>,
}

impl Default for ChatSettings {
    fn default() -> ChatSettings {
        ChatSettings::new(OpeningHours::default(), DEFAULT_PHONE.to_owned(), None)
    }
}

impl ChatSettings {
    /// `pinned`: the instant the chat's clock reads now (Unix seconds), if pinned.
    pub fn new(hours: OpeningHours, phone: String, pinned: Option<i64>) -> ChatSettings {
        let offset = pinned.map_or(0, |at| at - crate::clock::now());
        ChatSettings { hours, phone, offset, wake: broadcast::channel(1024).0 }
    }

    /// Now, as the opening hours see it.
    pub fn now(&self) -> i64 {
        crate::clock::now() + self.offset
    }

    /// Whether the chat is open now.
    pub fn opening(&self) -> Opening {
        self.hours.at(self.now())
    }

    /// Wakes this instance's streams following `conversation` (or the queue, [`QUEUE`]).
    pub fn wake(&self, conversation: i64) {
        // No receiver: no stream open, nothing to wake.
        let _ = self.wake.send(conversation);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.wake.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_clock_reads_the_pinned_instant_and_runs_on() {
        let saturday = crate::clock::paris_instant(chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(), 11, 0);
        let settings = ChatSettings::new(OpeningHours::default(), DEFAULT_PHONE.into(), Some(saturday));
        assert!((settings.now() - saturday).abs() <= 1);
        assert!(!settings.opening().is_open());
        let real = ChatSettings::default();
        assert!((real.now() - crate::clock::now()).abs() <= 1);
    }

    #[tokio::test]
    async fn a_wake_up_reaches_every_stream() {
        let settings = ChatSettings::default();
        let (mut first, mut second) = (settings.subscribe(), settings.subscribe());
        settings.wake(7);
        assert_eq!(first.recv().await.unwrap(), 7);
        assert_eq!(second.recv().await.unwrap(), 7);
    }
}
