//! A server-sent events reader for tests and benchmarks: opens a stream with a client's cookies
//! and yields its events (name, id, data) one by one, as a browser's `EventSource` would see them.

use std::time::Duration;

/// One event of the stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerEvent {
    pub name: String,
    pub id: Option<String>,
    pub data: String,
}

/// An open stream.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Opens `url` with `client`; `last_event_id` as a reconnecting browser sends it. The
    /// response as it came when it is not a stream (204, 404…).
    pub async fn open(
        client: &reqwest::Client,
        url: &str,
        last_event_id: Option<i64>,
    ) -> Result<EventStream, reqwest::Response> {
        let mut request = client.get(url).header("accept", "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = request.send().await.expect("the server answers");
        let is_stream = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/event-stream"));
        if response.status() != 200 || !is_stream {
            return Err(response);
        }
        Ok(EventStream { response, buffer: String::new() })
    }

    /// The next event, or `None` when the stream ends or nothing comes within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<ServerEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = ServerEvent::default();
                let mut data = Vec::new();
                for line in block.lines() {
                    let (field, value) = line.split_once(':').unwrap_or((line, ""));
                    let value = value.strip_prefix(' ').unwrap_or(value);
                    match field {
                        "event" => event.name = value.to_owned(),
                        "id" => event.id = Some(value.to_owned()),
                        "data" => data.push(value.to_owned()),
                        _ => {}
                    }
                }
                if data.is_empty() {
                    // A keep-alive comment.
                    continue;
                }
                event.data = data.join("\n");
                if event.name.is_empty() {
                    event.name = "message".into();
                }
                return Some(event);
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await.ok()?.ok()??;
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next event named `name` (others are skipped), within `wait`.
    pub async fn next_named(&mut self, name: &str, wait: Duration) -> Option<ServerEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let event = self.next_within(left).await?;
            if event.name == name {
                return Some(event);
            }
        }
    }

    /// The next `state` event whose data starts with `prefix`, within `wait`.
    pub async fn state_starting(&mut self, prefix: &str, wait: Duration) -> Option<ServerEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let event = self.next_named("state", left).await?;
            if event.data.starts_with(prefix) {
                return Some(event);
            }
        }
    }
}
