//! Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 iterations, 1 lane), always
//! run off the async threads. Hashes are PHC strings; this module never logs or serialises them.
//!
//! At most half the machine's cores hash at once (at least one): a storm of sign-ins then
//! queues behind the limit instead of taking every core from the pages.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

static HASHING: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map(usize::from).unwrap_or(1);
    Semaphore::new((cores / 2).max(1))
});

/// Runs `work` on a blocking thread once a hashing slot is free.
async fn with_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let _slot = HASHING.acquire().await.ok()?;
    tokio::task::spawn_blocking(work).await.ok()
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP Argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on a blocking thread.
pub async fn hash(password: String) -> Result<String, crate::AppError> {
    with_slot(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
    })
    .await
    .ok_or(crate::AppError::Internal)?
    .map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        crate::AppError::Internal
    })
}

/// Whether `password` matches the stored PHC `hash`, checked on a blocking thread.
pub async fn verify(password: String, hash: String) -> bool {
    with_slot(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let stored = hash("correct horse 42 battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse 42 battery".into(), stored.clone()).await);
        assert!(!verify("correct horse 43 battery".into(), stored).await);
        assert!(!verify("anything".into(), "not a hash".into()).await);
    }
}
