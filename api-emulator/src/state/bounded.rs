//! A map that remembers insertion order and forgets its oldest entries beyond a
//! bound, like the record store does with deliveries: a long-running emulator
//! keeps a fixed amount of state however many users or groups its callers make.

use std::collections::{HashMap, VecDeque};

/// String-keyed entries in insertion order, at most `limit` of them.
#[derive(Debug)]
pub(crate) struct Bounded<V> {
    limit: Option<usize>,
    next: u64,
    map: HashMap<String, (u64, V)>,
    /// (insertion number, key) of every insertion; entries whose key was removed
    /// or re-inserted since are skipped, and the queue is compacted when they pile up.
    order: VecDeque<(u64, String)>,
}

impl<V> Bounded<V> {
    /// An empty map keeping at most `limit` entries (`None`: no bound).
    pub fn new(limit: Option<usize>) -> Self {
        Self {
            limit,
            next: 0,
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.map.get(key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut V> {
        self.map.get_mut(key).map(|(_, v)| v)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Inserts `make()` under `key` unless it is present. Returns the entries
    /// forgotten to stay within the bound (never `key` itself), oldest first.
    pub fn ensure(&mut self, key: &str, make: impl FnOnce() -> V) -> Vec<(String, V)> {
        if self.map.contains_key(key) {
            return Vec::new();
        }
        let n = self.next;
        self.next += 1;
        self.map.insert(key.to_owned(), (n, make()));
        self.order.push_back((n, key.to_owned()));
        let mut evicted = Vec::new();
        while self
            .limit
            .is_some_and(|limit| self.map.len() > limit.max(1))
        {
            let Some((n, oldest)) = self.order.pop_front() else {
                break;
            };
            if self.map.get(&oldest).is_some_and(|(m, _)| *m == n)
                && let Some((_, v)) = self.map.remove(&oldest)
            {
                evicted.push((oldest, v));
            }
        }
        if self.order.len() > 2 * self.map.len() + 64 {
            self.compact();
        }
        evicted
    }

    pub fn remove(&mut self, key: &str) -> Option<V> {
        self.map.remove(key).map(|(_, v)| v)
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        let mut entries: Vec<(u64, &str, &V)> = self
            .map
            .iter()
            .map(|(k, (n, v))| (*n, k.as_str(), v))
            .collect();
        entries.sort_by_key(|(n, _, _)| *n);
        entries.into_iter().map(|(_, k, v)| (k, v))
    }

    fn compact(&mut self) {
        let map = &self.map;
        self.order
            .retain(|(n, key)| map.get(key).is_some_and(|(m, _)| m == n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgets_the_oldest_beyond_the_limit() {
        let mut map = Bounded::new(Some(2));
        assert!(map.ensure("a", || 1).is_empty());
        assert!(map.ensure("b", || 2).is_empty());
        assert!(map.ensure("a", || 9).is_empty(), "present: unchanged");
        assert_eq!(map.get("a"), Some(&1));
        assert_eq!(map.ensure("c", || 3), [("a".to_owned(), 1)]);
        map.remove("b");
        assert!(map.ensure("d", || 4).is_empty());
        assert_eq!(map.iter().map(|(k, _)| k).collect::<Vec<_>>(), ["c", "d"]);
        // A re-inserted key counts from its new insertion.
        map.remove("c");
        map.ensure("c", || 5);
        assert_eq!(map.ensure("e", || 6), [("d".to_owned(), 4)]);
    }

    #[test]
    fn stays_compact_under_churn() {
        let mut map = Bounded::new(None);
        for i in 0..10_000 {
            map.ensure("k", || i);
            map.remove("k");
        }
        assert!(map.order.len() < 200);
        assert_eq!(map.len(), 0);
    }
}
