//! The analytics figures of the last minute, per instance: one computation at a time, and the
//! same question (same establishments, filter and day) answered from the last computation while
//! it is fresh. A stopgap: the figures are computed from the cases themselves (a pass over every
//! case of the period), which takes about 1.6 s on the benchmark database's 100,000 cases; 16
//! such computations at once exhausted the SQLite pool (a 500 after its 5 s acquire timeout).
//! Monthly aggregates kept in the writing transactions would make each computation cheap; until
//! then figures may be up to [`AnalyticsCache::fresh_for`] old (`ANALYTICS_CACHE_SECONDS`, 0
//! turns the cache off but keeps computations one at a time).

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// At most this many answers are kept (the oldest go first).
const CAPACITY: usize = 256;

/// An answer kept, of whatever type its question has (the analytics figures; kept as `Any` so
/// that `Services`, which holds the cache, need not know the figures' types).
type Kept = Arc<dyn Any + Send + Sync>;

#[derive(Debug)]
pub struct AnalyticsCache {
    fresh_for: Duration,
    answers: Mutex<HashMap<String, (Instant, Kept)>>,
    /// Held while computing: one computation at a time per instance.
    computing: tokio::sync::Mutex<()>,
}

impl AnalyticsCache {
    pub fn new(fresh_for: Duration) -> AnalyticsCache {
        AnalyticsCache { fresh_for, answers: Mutex::new(HashMap::new()), computing: tokio::sync::Mutex::new(()) }
    }

    pub fn fresh_for(&self) -> Duration {
        self.fresh_for
    }

    fn fresh<T: Clone + 'static>(&self, key: &str) -> Option<T> {
        let answers = self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        answers
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.fresh_for)
            .and_then(|(_, kept)| kept.downcast_ref::<T>().cloned())
    }

    /// The answer to `key`: a fresh one, or `compute`'s (kept when the cache is on).
    pub async fn get_or_compute<T, F, Fut, E>(&self, key: String, compute: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        if let Some(found) = self.fresh(&key) {
            return Ok(found);
        }
        let _turn = self.computing.lock().await;
        // Computed by the request that held the turn before this one?
        if let Some(found) = self.fresh(&key) {
            return Ok(found);
        }
        let answer = compute().await?;
        if !self.fresh_for.is_zero() {
            let mut answers = self.answers.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            answers.retain(|_, (at, _)| at.elapsed() < self.fresh_for);
            if answers.len() >= CAPACITY {
                if let Some(oldest) = answers.iter().min_by_key(|(_, (at, _))| *at).map(|(key, _)| key.clone()) {
                    answers.remove(&oldest);
                }
            }
            answers.insert(key, (Instant::now(), Arc::new(answer.clone())));
        }
        Ok(answer)
    }
}

impl Default for AnalyticsCache {
    fn default() -> AnalyticsCache {
        AnalyticsCache::new(Duration::from_secs(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn the_same_question_is_computed_once_while_fresh_and_others_apart() {
        let cache = Arc::new(AnalyticsCache::new(Duration::from_secs(60)));
        let computed = Arc::new(AtomicUsize::new(0));
        let ask = |key: &'static str, value: i64| {
            let (cache, computed) = (cache.clone(), computed.clone());
            tokio::spawn(async move {
                cache
                    .get_or_compute(key.to_owned(), || async move {
                        computed.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>(value)
                    })
                    .await
                    .unwrap()
            })
        };
        // Eight at once: one computation, the others wait for its answer.
        let asked: Vec<_> = (0..8).map(|_| ask("a", 1)).collect();
        for answer in asked {
            assert_eq!(answer.await.unwrap(), 1);
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        assert_eq!(ask("b", 2).await.unwrap(), 2, "another question is computed");
        assert_eq!(computed.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_cache_of_zero_seconds_computes_every_time_and_an_error_is_not_kept() {
        let cache = AnalyticsCache::new(Duration::ZERO);
        for _ in 0..2 {
            assert!(cache.get_or_compute("a".into(), || async { Ok::<_, ()>(1_i64) }).await.is_ok());
        }
        assert!(cache.answers.lock().unwrap().is_empty());
        let cache = AnalyticsCache::new(Duration::from_secs(60));
        assert!(cache.get_or_compute("a".into(), || async { Err::<i64, _>("down") }).await.is_err());
        assert_eq!(cache.get_or_compute("a".into(), || async { Ok::<_, ()>(3_i64) }).await.unwrap(), 3);
    }
}
