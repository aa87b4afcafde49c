//! A matching map that holds a 64-bit keyed digest per key instead of the key itself.
//!
//! The transactions already keep their keys (to remove themselves), so the map needs only
//! `digest → slot`: 16 bytes an entry instead of a key of up to 64 bytes, which keeps the
//! tables of tens of thousands of live transactions small and cache friendly, and a miss
//! (every new transaction) never touches a transaction. A hit is confirmed by comparing
//! the full key with the one the transaction holds. Two different keys with the same
//! digest (improbable: the digest is keyed with per-layer random keys) are still kept
//! apart: the later one goes to a small overflow map of full keys.

use core::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::collections::HashMap;

use crate::slab::SlotKey;

/// A key with its digest, computed once (by [`DigestIndex::digested`]) for every lookup,
/// insertion and removal.
#[derive(Debug, Clone)]
pub(crate) struct Digested<K> {
    pub(crate) key: K,
    digest: u64,
}

impl<K: PartialEq> PartialEq for Digested<K> {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest && self.key == other.key
    }
}

impl<K: Eq> Eq for Digested<K> {}

#[cfg(test)]
impl<K> Digested<K> {
    /// A key with a digest of 0 (tests that never put it in an index).
    pub(crate) fn without_digest(key: K) -> Self {
        Self { key, digest: 0 }
    }
}

/// See the module documentation. `S` digests the keys.
#[derive(Debug)]
pub(crate) struct DigestIndex<K, S> {
    hasher: S,
    digests: HashMap<u64, SlotKey, BuildHasherDefault<DigestHasher>>,
    overflow: HashMap<K, SlotKey, S>,
}

impl<K: Hash + Eq, S: BuildHasher + Clone> DigestIndex<K, S> {
    pub(crate) fn new(hasher: S) -> Self {
        Self {
            hasher: hasher.clone(),
            digests: HashMap::default(),
            overflow: HashMap::with_hasher(hasher),
        }
    }

    /// `key` with its digest.
    pub(crate) fn digested(&self, key: K) -> Digested<K> {
        Digested {
            digest: self.hasher.hash_one(&key),
            key,
        }
    }

    /// The slot of `key`; `key_of` gives the key a live slot holds.
    pub(crate) fn get<'a>(
        &self,
        key: &Digested<K>,
        key_of: impl Fn(SlotKey) -> Option<&'a Digested<K>>,
    ) -> Option<SlotKey>
    where
        K: 'a,
    {
        if let Some(&slot) = self.digests.get(&key.digest) {
            if key_of(slot) == Some(key) {
                return Some(slot);
            }
        }
        if self.overflow.is_empty() {
            return None;
        }
        self.overflow.get(&key.key).copied()
    }

    /// Maps `key` to `slot` (replacing what `key` mapped to).
    pub(crate) fn insert<'a>(
        &mut self,
        key: &Digested<K>,
        slot: SlotKey,
        key_of: impl Fn(SlotKey) -> Option<&'a Digested<K>>,
    ) where
        K: Clone + 'a,
    {
        match self.digests.get_mut(&key.digest) {
            None => {
                self.digests.insert(key.digest, slot);
            }
            Some(there) => match key_of(*there) {
                // The same key, or a digest left by a slot that is gone: take it over.
                Some(k) if k != key => {
                    self.overflow.insert(key.key.clone(), slot);
                }
                _ => *there = slot,
            },
        }
    }

    /// Removes `key` if it maps to `slot` (a key taken over by a later slot stays).
    pub(crate) fn remove(&mut self, key: &Digested<K>, slot: SlotKey) {
        if self.digests.get(&key.digest) == Some(&slot) {
            self.digests.remove(&key.digest);
        } else if !self.overflow.is_empty() && self.overflow.get(&key.key) == Some(&slot) {
            self.overflow.remove(&key.key);
        }
    }

    /// Number of entries.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.digests.len() + self.overflow.len()
    }
}

/// Hashes a digest (already a keyed hash) as itself.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct DigestHasher(u64);

impl Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only `u64`s are hashed here; fold anything else all the same.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key gets the same digest: everything beyond the first goes to the overflow.
    #[derive(Debug, Clone, Default)]
    struct Colliding;

    impl BuildHasher for Colliding {
        type Hasher = DigestHasher;
        fn build_hasher(&self) -> DigestHasher {
            DigestHasher(7)
        }
    }

    #[test]
    fn colliding_keys_stay_apart() {
        let slot = |i: u32| SlotKey {
            index: i,
            generation: 0,
        };
        // slot i holds key keys[i]
        let mut idx = DigestIndex::new(Colliding);
        let keys: Vec<Digested<String>> = (0..5).map(|i| idx.digested(format!("k{i}"))).collect();
        let live = std::cell::RefCell::new(vec![true; 5]);
        let key_of = |s: SlotKey| {
            let i = s.index as usize;
            live.borrow()[i].then(|| &keys[i])
        };
        for (i, k) in keys.iter().enumerate() {
            idx.insert(k, slot(i as u32), key_of);
        }
        assert_eq!(idx.len(), 5);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(idx.get(k, key_of), Some(slot(i as u32)));
        }
        assert_eq!(idx.get(&idx.digested("other".to_owned()), key_of), None);
        // Remove the one in the digest map, then one in the overflow.
        live.borrow_mut()[0] = false;
        idx.remove(&keys[0], slot(0));
        live.borrow_mut()[3] = false;
        idx.remove(&keys[3], slot(3));
        assert_eq!(idx.len(), 3);
        for i in [1, 2, 4] {
            assert_eq!(idx.get(&keys[i], key_of), Some(slot(i as u32)));
        }
        assert_eq!(idx.get(&keys[0], key_of), None);
        assert_eq!(idx.get(&keys[3], key_of), None);
        // Removing with a slot the key no longer maps to changes nothing.
        idx.remove(&keys[1], slot(9));
        assert_eq!(idx.get(&keys[1], key_of), Some(slot(1)));
    }

    #[test]
    fn a_key_taken_over_by_a_later_slot() {
        let (a, b) = (
            SlotKey {
                index: 0,
                generation: 0,
            },
            SlotKey {
                index: 1,
                generation: 0,
            },
        );
        let mut idx = DigestIndex::new(std::hash::RandomState::new());
        let key = idx.digested("k".to_owned());
        let key_of = |_: SlotKey| Some(&key);
        idx.insert(&key, a, key_of);
        idx.insert(&key, b, key_of);
        assert_eq!(idx.get(&key, key_of), Some(b));
        idx.remove(&key, a);
        assert_eq!(idx.get(&key, key_of), Some(b));
        idx.remove(&key, b);
        assert_eq!(idx.get(&key, key_of), None);
        assert_eq!(idx.len(), 0);
    }
}
