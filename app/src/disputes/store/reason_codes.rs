//! The `reason_codes` table: each code the portal knows written into it at start-up, so that
//! cases can name them on any database.

use sqlx::AnyConnection;

/// A reason code's row, as `disputes::reason_codes` describes the code.
pub struct ReasonCodeRow<'a> {
    pub code: &'a str,
    /// `chargeback` or `inquiry`.
    pub kind: &'a str,
    pub grouping: &'a str,
    pub label_en: &'a str,
    pub label_fr: &'a str,
    pub explanation_en: &'a str,
    pub explanation_fr: &'a str,
    pub documents_en: &'a str,
    pub documents_fr: &'a str,
}

/// Adds the code, or updates its texts if it is there already.
pub async fn upsert_reason_code(connection: &mut AnyConnection, row: &ReasonCodeRow<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reason_codes (code, kind, grouping, label_en, label_fr, explanation_en, explanation_fr, \
             documents_en, documents_fr) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, grouping = excluded.grouping, \
             label_en = excluded.label_en, label_fr = excluded.label_fr, explanation_en = excluded.explanation_en, \
             explanation_fr = excluded.explanation_fr, documents_en = excluded.documents_en, \
             documents_fr = excluded.documents_fr",
    )
    .bind(row.code)
    .bind(row.kind)
    .bind(row.grouping)
    .bind(row.label_en)
    .bind(row.label_fr)
    .bind(row.explanation_en)
    .bind(row.explanation_fr)
    .bind(row.documents_en)
    .bind(row.documents_fr)
    .execute(&mut *connection)
    .await?;
    Ok(())
}
