//! The model pool: loaded models under a memory budget. A model is loaded on first use;
//! before a load, the least recently used models that are not pinned (the router is)
//! and not in use are unloaded until the new one fits. One model alone larger than the
//! budget is an error. Safe to share between threads; each model is used by one thread
//! at a time. Loads happen one at a time, without holding up the use of models already
//! loaded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why the pool could not hand out a model.
#[derive(Debug, thiserror::Error)]
pub enum PoolError<E: std::error::Error + 'static> {
    #[error(
        "the {role} model needs about {needed} MB but memory_budget_mb is {budget}: raise the budget or choose a smaller model"
    )]
    TooBig {
        role: String,
        needed: u64,
        budget: u64,
    },
    #[error(
        "the {role} model needs about {needed} MB and models pinned or in use already hold {pinned} of the {budget} MB budget"
    )]
    NoRoom {
        role: String,
        needed: u64,
        pinned: u64,
        budget: u64,
    },
    #[error(transparent)]
    Load(E),
}

struct Entry<M> {
    model: Arc<Mutex<M>>,
    bytes: u64,
    pinned: bool,
    last_used: u64,
}

struct Inner<M> {
    entries: HashMap<String, Entry<M>>,
    clock: u64,
}

pub struct Pool<M> {
    budget_bytes: u64,
    inner: Mutex<Inner<M>>,
    /// Held through a load, so that two loads never race for the same room; `inner` is
    /// not, so that loaded models stay usable meanwhile.
    loading: Mutex<()>,
}

const MB: u64 = 1 << 20;

impl<M> Pool<M> {
    pub fn new(budget_mb: u64) -> Self {
        Pool {
            budget_bytes: budget_mb * MB,
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                clock: 0,
            }),
            loading: Mutex::new(()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<M>> {
        // A panic while holding the lock leaves only bookkeeping behind; keep going.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The model for `role`, loading it with `load` if needed (`bytes` is its estimated
    /// memory). Pinned models are never unloaded to make room.
    pub fn get<E: std::error::Error + 'static>(
        &self,
        role: &str,
        bytes: u64,
        pinned: bool,
        load: impl FnOnce() -> Result<M, E>,
    ) -> Result<Arc<Mutex<M>>, PoolError<E>> {
        if let Some(model) = self.lookup(role) {
            return Ok(model);
        }
        let _loading = self
            .loading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Another thread may have loaded it while this one waited.
        if let Some(model) = self.lookup(role) {
            return Ok(model);
        }
        if bytes > self.budget_bytes {
            return Err(PoolError::TooBig {
                role: role.to_string(),
                needed: bytes.div_ceil(MB),
                budget: self.budget_bytes / MB,
            });
        }
        {
            let mut inner = self.lock();
            while inner.entries.values().map(|e| e.bytes).sum::<u64>() + bytes > self.budget_bytes {
                // A model someone holds stays: unloading it would free nothing while
                // it runs, and the new one would join it in memory.
                let victim = inner
                    .entries
                    .iter()
                    .filter(|(_, e)| !e.pinned && Arc::strong_count(&e.model) == 1)
                    .min_by_key(|(_, e)| e.last_used)
                    .map(|(k, _)| k.clone());
                match victim {
                    Some(key) => {
                        inner.entries.remove(&key);
                    }
                    None => {
                        return Err(PoolError::NoRoom {
                            role: role.to_string(),
                            needed: bytes.div_ceil(MB),
                            pinned: inner.entries.values().map(|e| e.bytes).sum::<u64>() / MB,
                            budget: self.budget_bytes / MB,
                        });
                    }
                }
            }
        }
        let model = Arc::new(Mutex::new(load().map_err(PoolError::Load)?));
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        inner.entries.insert(
            role.to_string(),
            Entry {
                model: Arc::clone(&model),
                bytes,
                pinned,
                last_used: now,
            },
        );
        Ok(model)
    }

    /// The model for `role` if it is loaded, marked as used now.
    pub fn lookup(&self, role: &str) -> Option<Arc<Mutex<M>>> {
        let mut inner = self.lock();
        inner.clock += 1;
        let now = inner.clock;
        let entry = inner.entries.get_mut(role)?;
        entry.last_used = now;
        Some(Arc::clone(&entry.model))
    }

    /// The roles loaded now, least recently used first.
    pub fn loaded(&self) -> Vec<String> {
        let inner = self.lock();
        let mut roles: Vec<(&String, u64)> = inner
            .entries
            .iter()
            .map(|(k, e)| (k, e.last_used))
            .collect();
        roles.sort_by_key(|(_, t)| *t);
        roles.into_iter().map(|(k, _)| k.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("load failed")]
    struct Failed;

    fn ok(name: &str) -> impl FnOnce() -> Result<String, Failed> + '_ {
        move || Ok(name.to_string())
    }

    #[test]
    fn least_recently_used_unpinned_models_make_room() {
        let pool: Pool<String> = Pool::new(1000);
        pool.get("router", 200 * MB, true, ok("r")).expect("router");
        pool.get("coder", 500 * MB, false, ok("c")).expect("coder");
        pool.get("algorithm", 250 * MB, false, ok("a"))
            .expect("algorithm");
        // Using the coder makes the algorithm model the least recently used.
        pool.get("coder", 500 * MB, false, ok("c"))
            .expect("coder again");
        pool.get("other", 300 * MB, false, ok("o")).expect("other");
        assert_eq!(pool.loaded(), vec!["router", "coder", "other"]);
        pool.get("big", 700 * MB, false, ok("b")).expect("big");
        assert_eq!(
            pool.loaded(),
            vec!["router", "big"],
            "the router stays pinned"
        );
    }

    #[test]
    fn a_model_in_use_is_not_unloaded_to_make_room() {
        let pool: Pool<String> = Pool::new(1000);
        let coder = pool.get("coder", 600 * MB, false, ok("c")).expect("coder");
        let err = pool
            .get("algorithm", 600 * MB, false, ok("a"))
            .expect_err("the coder is in use");
        assert!(matches!(err, PoolError::NoRoom { .. }), "{err}");
        assert_eq!(pool.loaded(), vec!["coder"]);
        drop(coder);
        pool.get("algorithm", 600 * MB, false, ok("a"))
            .expect("room once the coder is put down");
        assert_eq!(pool.loaded(), vec!["algorithm"]);
    }

    #[test]
    fn a_model_alone_over_budget_is_a_clear_error() {
        let pool: Pool<String> = Pool::new(1000);
        let err = pool
            .get("coder", 1500 * MB, false, ok("c"))
            .expect_err("too big");
        assert!(
            err.to_string()
                .contains("1500 MB but memory_budget_mb is 1000"),
            "{err}"
        );
        pool.get("router", 800 * MB, true, ok("r")).expect("router");
        let err = pool
            .get("coder", 300 * MB, false, ok("c"))
            .expect_err("no room");
        assert!(matches!(err, PoolError::NoRoom { .. }));
    }

    #[test]
    fn a_failed_load_leaves_nothing_behind_and_threads_share_one_model() {
        let pool: Pool<String> = Pool::new(1000);
        assert!(matches!(
            pool.get("coder", MB, false, || Err::<String, _>(Failed)),
            Err(PoolError::Load(Failed))
        ));
        assert!(pool.loaded().is_empty());
        let pool = Arc::new(pool);
        let loads = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let pool = Arc::clone(&pool);
                let loads = Arc::clone(&loads);
                std::thread::spawn(move || {
                    let model = pool
                        .get("coder", MB, false, || {
                            loads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            Ok::<_, Failed>("c".to_string())
                        })
                        .expect("model");
                    let guard = model.lock().expect("lock");
                    guard.len()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().expect("thread"), 1);
        }
        assert_eq!(loads.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
