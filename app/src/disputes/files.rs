//! Where the merchants' documents are kept: an object store (the local filesystem by default,
//! outside the web root), addressed by keys the portal makes up, never by the uploaded name.

use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload, WriteMultipart};
use std::sync::Arc;

/// The documents' store; cheap to clone.
#[derive(Clone)]
pub struct DocumentStore {
    inner: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for DocumentStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "DocumentStore({})", self.inner)
    }
}

/// A store that could not be reached or written.
#[derive(Debug, thiserror::Error)]
#[error("document store: {0}")]
pub struct StoreError(#[from] object_store::Error);

impl DocumentStore {
    /// Documents as files under `folder` (created if missing).
    pub fn local(folder: &std::path::Path) -> Result<DocumentStore, StoreError> {
        std::fs::create_dir_all(folder)
            .map_err(|source| object_store::Error::Generic { store: "local", source: Box::new(source) })?;
        Ok(DocumentStore { inner: Arc::new(LocalFileSystem::new_with_prefix(folder)?) })
    }

    /// Any other store (a cloud bucket, or memory in tests).
    pub fn new(inner: Arc<dyn ObjectStore>) -> DocumentStore {
        DocumentStore { inner }
    }

    /// A new key for a case's document: `cases/<dispute id>/<random hex>`.
    pub fn new_key(dispute_id: i64) -> String {
        format!("cases/{dispute_id}/{}", crate::accounts::tokens::new_secret())
    }

    /// A new key for a secure message's attachment: `messages/<random hex>` (the thread may not
    /// exist yet when its first file arrives).
    pub fn new_message_key() -> String {
        format!("messages/{}", crate::accounts::tokens::new_secret())
    }

    pub async fn put(&self, key: &str, content: Vec<u8>) -> Result<(), StoreError> {
        self.inner.put(&Path::from(key), PutPayload::from(content)).await?;
        Ok(())
    }

    /// Starts writing a document under `key`, chunk by chunk; it exists once finished.
    pub async fn start(&self, key: &str) -> Result<Writing, StoreError> {
        let upload = self.inner.put_multipart(&Path::from(key)).await?;
        Ok(Writing(WriteMultipart::new_with_chunk_size(upload, 1024 * 1024)))
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, StoreError> {
        Ok(self.inner.get(&Path::from(key)).await?.bytes().await?.to_vec())
    }

    /// Removes a stored object; a missing one is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), StoreError> {
        match self.inner.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}

/// A document being written (see [`DocumentStore::start`]).
pub struct Writing(WriteMultipart);

impl Writing {
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), StoreError> {
        self.0.wait_for_capacity(2).await?;
        self.0.write(chunk);
        Ok(())
    }

    pub async fn finish(self) -> Result<(), StoreError> {
        self.0.finish().await?;
        Ok(())
    }

    /// Gives up: nothing is left under the key.
    pub async fn abort(self) {
        if let Err(error) = self.0.abort().await {
            tracing::warn!(%error, "could not abort a document's upload");
        }
    }
}

/// Deletes stored files that no row names (a case's document or a secure message's attachment)
/// and that are older than `grace`: files of a response or a message whose transaction never
/// committed (the process stopped between storing the file and recording it). Returns how many
/// were deleted.
pub async fn delete_orphans(
    store: &DocumentStore,
    db: &crate::db::Db,
    grace: std::time::Duration,
) -> Result<usize, StoreError> {
    use futures::TryStreamExt;
    let cutoff = chrono::Utc::now() - chrono::Duration::from_std(grace).unwrap_or_default();
    let mut stored: Vec<object_store::ObjectMeta> = store.inner.list(Some(&Path::from("cases"))).try_collect().await?;
    stored.extend(store.inner.list(Some(&Path::from("messages"))).try_collect::<Vec<_>>().await?);
    let mut deleted = 0;
    for object in stored.into_iter().filter(|object| object.last_modified < cutoff) {
        let key = object.location.to_string();
        let known = super::store::stored_object_is_known(db, &key)
            .await
            .map_err(|error| object_store::Error::Generic { store: "documents table", source: Box::new(error) })?;
        if !known {
            store.delete(&key).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn documents_round_trip_under_the_folder_and_deleting_twice_is_fine() {
        let folder = std::env::temp_dir().join(format!("portal-store-{}", std::process::id()));
        let store = DocumentStore::local(&folder).unwrap();
        let key = DocumentStore::new_key(7);
        assert!(key.starts_with("cases/7/") && key.len() > 20);
        store.put(&key, b"%PDF-1.4 test".to_vec()).await.unwrap();
        assert_eq!(store.get(&key).await.unwrap(), b"%PDF-1.4 test");
        assert!(folder.join(&key).is_file(), "kept as a file under the configured folder");
        store.delete(&key).await.unwrap();
        store.delete(&key).await.unwrap();
        assert!(store.get(&key).await.is_err());
        std::fs::remove_dir_all(folder).ok();
    }
}
