//! The rows of the merchants' documents (their content is in `disputes::files`): one added to
//! a response, one removed from a draft, one read to be served, and whether a stored object
//! belongs to any.

use crate::db::Db;
use crate::disputes::model::StoredDocument;
use sqlx::{Any, Transaction};

/// A document as a response's form brought it, already checked and stored under `storage_key`.
pub struct NewDocument<'a> {
    pub dispute: i64,
    pub response: i64,
    pub uploaded_by: i64,
    pub original_name: &'a str,
    pub storage_key: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    /// Hex SHA-256 of the content.
    pub sha256: &'a str,
}

/// Records a document of a response.
pub async fn insert_document(
    transaction: &mut Transaction<'_, Any>,
    document: &NewDocument<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO documents (dispute_id, response_id, uploaded_by, original_name, storage_key, content_type, \
             size_bytes, sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(document.dispute)
    .bind(document.response)
    .bind(document.uploaded_by)
    .bind(document.original_name)
    .bind(document.storage_key)
    .bind(document.content_type)
    .bind(document.size_bytes)
    .bind(document.sha256)
    .bind(now)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Marks the case's document removed if it belongs to a draft response and is not removed
/// already; returns its name, type and storage key (its file is the caller's to delete), or
/// `None` when there was no such document.
pub async fn remove_draft_document(
    transaction: &mut Transaction<'_, Any>,
    dispute: i64,
    document: i64,
    now: i64,
) -> Result<Option<StoredDocument>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE documents SET removed_at = $1 WHERE id = $2 AND dispute_id = $3 AND removed_at IS NULL \
             AND response_id IN (SELECT id FROM responses WHERE state = 'draft') \
         RETURNING original_name, content_type, storage_key",
    )
    .bind(now)
    .bind(document)
    .bind(dispute)
    .fetch_optional(&mut **transaction)
    .await
}

/// The case's document `id`, unless it was removed.
pub async fn document_for_case(db: &Db, dispute: i64, id: i64) -> Result<Option<StoredDocument>, sqlx::Error> {
    sqlx::query_as(
        "SELECT original_name, content_type, storage_key FROM documents WHERE id = $1 AND dispute_id = $2 AND removed_at IS NULL",
    )
    .bind(id)
    .bind(dispute)
    .fetch_optional(&db.pool)
    .await
}

/// Whether a row names the stored object `storage_key`: a case's document (removed or not) or a
/// secure message's attachment (the document store holds both; its orphan sweep asks here).
pub async fn stored_object_is_known(db: &Db, storage_key: &str) -> Result<bool, sqlx::Error> {
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE storage_key = $1 \
         UNION ALL SELECT id FROM message_attachments WHERE storage_key = $1 LIMIT 1",
    )
    .bind(storage_key)
    .fetch_optional(&db.pool)
    .await?;
    Ok(known.is_some())
}
