//! Password hashing: Argon2id with OWASP's parameters (19 MiB, 2 iterations, 1 lane), never on
//! the async threads. Hashes are PHC strings; this module never logs or serialises them.
//!
//! The work runs on dedicated hashing threads, half as many as the machine has cores (at least
//! one), at a lower scheduling priority: a storm of sign-ins queues there instead of taking the
//! cores from the pages (`scripts/bench.sh` measures it). The queue is bounded (64 waiting jobs
//! per thread): when it is full the work is refused at once with [`AppError::Busy`] (a 503 with
//! Retry-After) instead of piling up until every request times out.

use crate::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::mpsc;
use std::sync::{Arc, LazyLock, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// Jobs that may wait for each hashing thread.
const WAITING_PER_THREAD: usize = 64;

/// A bounded queue served by its own threads.
struct HashingQueue {
    sender: mpsc::SyncSender<Job>,
}

impl HashingQueue {
    /// `threads` threads taking jobs from a queue of at most `capacity` waiting ones.
    fn start(threads: usize, capacity: usize) -> HashingQueue {
        let (sender, receiver) = mpsc::sync_channel::<Job>(capacity);
        let receiver = Arc::new(Mutex::new(receiver));
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
        HashingQueue { sender }
    }

    /// Queues `job`, or refuses it at once when the queue is full (or its threads are gone).
    fn submit(&self, job: Job) -> Result<(), AppError> {
        self.sender.try_send(job).map_err(|error| match error {
            mpsc::TrySendError::Full(_) => {
                tracing::warn!("the password hashing queue is full");
                AppError::Busy
            }
            mpsc::TrySendError::Disconnected(_) => AppError::Internal,
        })
    }
}

/// The queue the hashing threads take their work from.
static HASHING: LazyLock<HashingQueue> = LazyLock::new(|| {
    let threads = (std::thread::available_parallelism().map(usize::from).unwrap_or(1) / 2).max(1);
    HashingQueue::start(threads, threads * WAITING_PER_THREAD)
});

/// Nice 10 for the calling thread (on Linux, `setpriority` with 0 names the calling thread).
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its integer arguments.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Runs `work` on a hashing thread and waits for its result without blocking the async threads;
/// [`AppError::Busy`] at once when the queue is full.
async fn with_slot<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let (done, result) = tokio::sync::oneshot::channel();
    HASHING.submit(Box::new(move || {
        let _ = done.send(work());
    }))?;
    result.await.map_err(|_| AppError::Internal)
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP Argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password on a blocking thread.
pub async fn hash(password: String) -> Result<String, AppError> {
    with_slot(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
    })
    .await?
    .map_err(|error| {
        tracing::error!(%error, "password hashing failed");
        AppError::Internal
    })
}

/// Whether `password` matches the stored PHC `hash`, checked on a blocking thread; an error
/// (a full queue) is never a "no", so it never counts as a failed attempt.
pub async fn verify(password: String, hash: String) -> Result<bool, AppError> {
    with_slot(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_their_password() {
        let stored = hash("correct horse 42 battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
        assert!(verify("correct horse 42 battery".into(), stored.clone()).await.unwrap());
        assert!(!verify("correct horse 43 battery".into(), stored).await.unwrap());
        assert!(!verify("anything".into(), "not a hash".into()).await.unwrap());
    }

    /// Hole 8: a full queue refuses new work at once instead of letting it wait without bound.
    #[test]
    fn a_full_queue_refuses_work_at_once() {
        let queue = HashingQueue::start(1, 1);
        let (release, blocked) = mpsc::channel::<()>();
        let (started, running) = mpsc::channel::<()>();
        queue
            .submit(Box::new(move || {
                let _ = started.send(());
                let _ = blocked.recv();
            }))
            .unwrap();
        running.recv().unwrap();
        // The thread is busy; one job may wait…
        queue.submit(Box::new(|| {})).unwrap();
        // …and the next is refused without waiting.
        let asked = std::time::Instant::now();
        assert_eq!(queue.submit(Box::new(|| {})), Err(AppError::Busy));
        assert!(asked.elapsed() < std::time::Duration::from_millis(100));
        release.send(()).unwrap();
    }
}
