//! The response form's files as they arrive: each is checked (its type from its first bytes,
//! its size, the case's count) and streamed to the document store chunk by chunk, never held
//! whole in memory; a file over the limit is refused as soon as it passes it. Whoever reads the
//! form deletes the stored files again (`answer::discard`) if the response is not recorded.

use super::answer::StoredFile;
use super::documents::{self, UploadProblem, MAX_BYTES};
use super::files::DocumentStore;
use crate::accounts::model::Problem;
use axum::extract::multipart::Field;
use sha2::Digest;

/// Bytes enough to recognise a document's type.
const HEAD: usize = 512;

/// Why a file was not stored: a problem with it (its name kept for the message), or the store
/// failed.
pub enum NotStored {
    Problem(Problem, String),
    Store,
}

fn problem(problem: UploadProblem) -> Problem {
    match problem {
        UploadProblem::Empty => Problem::FileEmpty,
        UploadProblem::TooLarge => Problem::FileTooLarge,
        UploadProblem::WrongType => Problem::FileWrongType,
        UploadProblem::TooMany => Problem::TooManyFiles,
    }
}

/// Stores the file of `field` for the case `dispute`, which has `attached` documents already.
/// `None`: the part was an empty file input (a nameless, empty part).
pub async fn store_file(
    store: &DocumentStore,
    dispute: i64,
    field: &mut Field<'_>,
    attached: usize,
) -> Result<Option<StoredFile>, NotStored> {
    store_upload(store, || DocumentStore::new_key(dispute), field, attached).await
}

/// Stores the file of `field` under the key `new_key` makes (asked only once the file's type
/// is accepted), checked like a case's document: `attached` files come with it already. The
/// secure messages' attachments come in this way too.
pub async fn store_upload(
    store: &DocumentStore,
    new_key: impl FnOnce() -> String,
    field: &mut Field<'_>,
    attached: usize,
) -> Result<Option<StoredFile>, NotStored> {
    let name = field.file_name().unwrap_or_default().to_owned();
    let refused = |kind: UploadProblem| NotStored::Problem(problem(kind), name.clone());
    let unreadable = |_| NotStored::Problem(Problem::FileTooLarge, name.clone());
    // The first bytes, to know the type before anything is stored.
    let mut head = Vec::new();
    let mut ended = false;
    while head.len() < HEAD {
        match field.chunk().await.map_err(unreadable)? {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => {
                ended = true;
                break;
            }
        }
    }
    if name.is_empty() && head.is_empty() {
        return Ok(None);
    }
    if head.len() > MAX_BYTES {
        return Err(refused(UploadProblem::TooLarge));
    }
    let kind = documents::check(&head, attached).map_err(refused)?;

    let key = new_key();
    let mut writing = store.start(&key).await.map_err(|error| {
        tracing::error!(%error, "storing a document");
        NotStored::Store
    })?;
    let mut digest = sha2::Sha256::new();
    let mut size = 0;
    let mut next = Some(axum::body::Bytes::from(head));
    loop {
        let Some(chunk) = next.take() else { break };
        size += chunk.len();
        if size > MAX_BYTES {
            writing.abort().await;
            return Err(refused(UploadProblem::TooLarge));
        }
        digest.update(&chunk);
        if let Err(error) = writing.write(&chunk).await {
            tracing::error!(%error, "storing a document");
            writing.abort().await;
            return Err(NotStored::Store);
        }
        if !ended {
            match field.chunk().await {
                Ok(Some(chunk)) => next = Some(chunk),
                Ok(None) => ended = true,
                Err(_) => {
                    writing.abort().await;
                    return Err(refused(UploadProblem::TooLarge));
                }
            }
        }
    }
    if let Err(error) = writing.finish().await {
        tracing::error!(%error, "storing a document");
        return Err(NotStored::Store);
    }
    Ok(Some(StoredFile {
        key,
        name: documents::safe_name(&name, kind),
        mime: kind.mime(),
        size: size as i64,
        digest: hex::encode(digest.finalize()),
    }))
}
