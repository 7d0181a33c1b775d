//! Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 iterations, 1 lane), never on
//! the async threads. Hashes are PHC strings; this module never logs or serialises them.
//!
//! The work runs on dedicated hashing threads, half as many as the machine has cores (at least
//! one), at a lower scheduling priority: a storm of sign-ins queues there instead of taking the
//! cores from the pages (`scripts/bench.sh` measures it).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::mpsc;
use std::sync::{LazyLock, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// The queue the hashing threads take their work from.
static HASHING: LazyLock<Mutex<mpsc::Sender<Job>>> = LazyLock::new(|| {
    let (sender, receiver) = mpsc::channel::<Job>();
    let receiver = std::sync::Arc::new(Mutex::new(receiver));
    let threads = (std::thread::available_parallelism().map(usize::from).unwrap_or(1) / 2).max(1);
    for index in 0..threads {
        let receiver = receiver.clone();
        let spawned = std::thread::Builder::new().name(format!("password-hashing-{index}")).spawn(move || {
            lower_priority();
            loop {
                let job = match receiver.lock() {
                    Ok(queue) => queue.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            }
        });
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start a password hashing thread");
        }
    }
    Mutex::new(sender)
});

/// Nice 10 for the calling thread (on Linux, `setpriority` with 0 names the calling thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Runs `work` on a hashing thread and waits for its result without blocking the async threads.
async fn with_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    HASHING.lock().ok()?.send(job).ok()?;
    result.await.ok()
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
