//! CSV files, written as they are read: rows go out in chunks of about 64 KB through a small
//! channel, so a file of any length is sent with bounded memory, and a slow client slows the
//! query instead of filling the server's memory. Text cells that a spreadsheet would run as a
//! formula (beginning with `=`, `+`, `-`, `@`, a tab or a carriage return) are escaped with a
//! leading apostrophe; amounts are written by the portal as plain decimals, never escaped.

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;
use tokio::sync::mpsc;

/// Size at which a chunk is sent.
const CHUNK: usize = 64 * 1024;

/// `value`, made harmless for spreadsheets.
pub fn text(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// Where a file's rows are written; see [`stream`].
pub struct Sink {
    /// `None` only while a chunk is being taken out.
    writer: Option<csv::Writer<Vec<u8>>>,
    sender: mpsc::Sender<Result<Bytes, std::io::Error>>,
}

/// The client went away: stop reading.
#[derive(Debug)]
pub struct Gone;

impl Sink {
    /// Writes one row of cells already escaped (text through [`text`]).
    pub async fn row<I, T>(&mut self, cells: I) -> Result<(), Gone>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let writer = self.writer.as_mut().ok_or(Gone)?;
        // A row of another length than the header is a bug: said in the log, not only cut short.
        writer.write_record(cells).map_err(|error| {
            tracing::error!(%error, "CSV row not written");
            Gone
        })?;
        if writer.get_ref().len() >= CHUNK {
            self.send().await?;
        }
        Ok(())
    }

    async fn send(&mut self) -> Result<(), Gone> {
        let chunk = self.writer.take().ok_or(Gone)?.into_inner().map_err(|_| Gone)?;
        self.writer = Some(writer(Vec::with_capacity(CHUNK + 1024)));
        self.sender.send(Ok(Bytes::from(chunk))).await.map_err(|_| Gone)
    }
}

fn writer(buffer: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().has_headers(false).from_writer(buffer)
}

/// What a file's writer can fail with.
#[derive(Debug)]
pub enum WriteError {
    Gone,
    Database(sqlx::Error),
}

impl From<Gone> for WriteError {
    fn from(_: Gone) -> Self {
        WriteError::Gone
    }
}

impl From<sqlx::Error> for WriteError {
    fn from(error: sqlx::Error) -> Self {
        WriteError::Database(error)
    }
}

/// A CSV download named `filename`: `header`, then what `write` writes, as it writes it. A
/// database error half-way ends the response with an error (the browser reports the download
/// as failed instead of saving a short file).
pub fn stream<F, Fut>(filename: &str, header: &[&str], write: F) -> Response
where
    F: FnOnce(Sink) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<Sink, WriteError>> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel(4);
    // UTF-8 byte order mark first: spreadsheets then read the accents right.
    let mut writer = writer("\u{feff}".as_bytes().to_vec());
    let _ = writer.write_record(header);
    let sink = Sink { writer: Some(writer), sender: sender.clone() };
    tokio::spawn(async move {
        match write(sink).await {
            Ok(mut sink) => {
                let _ = sink.send().await;
            }
            Err(WriteError::Gone) => {}
            Err(WriteError::Database(error)) => {
                tracing::error!(%error, "CSV file cut short");
                let _ = sender.send(Err(std::io::Error::other("the file could not be read to its end"))).await;
            }
        }
    });
    let body = Body::from_stream(futures::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|chunk| (chunk, receiver))
    }));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_escaped() {
        assert_eq!(text("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(text("+33 1 23"), "'+33 1 23");
        assert_eq!(text("-2+3"), "'-2+3");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tcmd"), "'\tcmd");
        assert_eq!(text("REF-001"), "REF-001");
        assert_eq!(text(""), "");
    }

    #[tokio::test]
    async fn a_file_arrives_whole_in_chunks_with_its_header() {
        let response = stream("t.csv", &["a", "b"], |mut sink| async move {
            for n in 0..10_000 {
                sink.row([n.to_string().as_str(), text("=1+1").as_ref()]).await?;
            }
            Ok(sink)
        });
        assert_eq!(response.headers()[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 10_001);
        assert_eq!(lines[0], "\u{feff}a,b");
        assert_eq!(lines[10_000], "9999,'=1+1");
    }
}
