//! Every phone at a fair asks for the same survey: a short-lived copy of each collection
//! point with its survey saves the handful of queries that build it, on each form shown
//! and each answer checked. Staff changes made through this instance empty the cache at
//! once (see `staff::router`); those made through another instance, or at the command
//! line, reach residents within [`TTL`].

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use pouls::survey::{CollectionPoint, SurveyDefinition};

/// How long a copy is used before it is read again from the database.
pub const TTL: Duration = Duration::from_secs(2);

/// Past this many points, the cache starts afresh rather than grow.
const MAX_ENTRIES: usize = 10_000;

struct Entry {
    loaded: Instant,
    point: CollectionPoint,
    definition: Arc<SurveyDefinition>,
}

#[derive(Default)]
pub struct SurveyCache {
    entries: RwLock<HashMap<String, Entry>>,
}

impl SurveyCache {
    pub fn get(&self, code: &str) -> Option<(CollectionPoint, Arc<SurveyDefinition>)> {
        let entries = self.entries.read().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(code)?;
        (entry.loaded.elapsed() < TTL).then(|| (entry.point.clone(), Arc::clone(&entry.definition)))
    }

    pub fn put(&self, code: &str, point: CollectionPoint, definition: Arc<SurveyDefinition>) {
        let mut entries = self.entries.write().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(
            code.to_owned(),
            Entry {
                loaded: Instant::now(),
                point,
                definition,
            },
        );
    }

    pub fn clear(&self) {
        self.entries
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
    }
}
