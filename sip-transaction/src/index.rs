//! A matching map that holds a 32-bit tag of a keyed digest per key instead of the key.
//!
//! The transactions already keep their keys (to remove themselves), so the map needs only
//! `tag → slot index`: eight bytes an entry, eight entries a cache line, in one open
//! addressing table (linear probing, deletion by backward shift, at most half full). A
//! lookup usually reads one line of the table, and a miss (every new transaction) never
//! touches a transaction. A tag that matches is confirmed by comparing the full key with
//! the one the transaction holds, and probing goes on past a tag that matches another key,
//! so keys whose tags collide (improbable: the digest is keyed with per-layer random keys)
//! simply sit side by side.

use core::hash::{BuildHasher, Hash};

use crate::slab::SlotKey;

/// A key with its digest, computed once (by [`DigestIndex::digested`]) for every lookup,
/// insertion and removal.
///
/// The digest first (`repr(C)`): removing a key from an index reads it, and dropping the
/// key reads the key's first bytes, on the same cache line.
#[derive(Debug, Clone)]
#[repr(C)]
pub(crate) struct Digested<K> {
    digest: u64,
    pub(crate) key: K,
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

impl<K> Digested<K> {
    /// The tag the table keeps: the digest's high half. The tag's low bits pick the home
    /// bucket, so an entry alone tells where it belongs.
    fn tag(&self) -> u32 {
        (self.digest >> 32) as u32
    }
}

/// See the module documentation. `S` digests the keys.
#[derive(Debug)]
pub(crate) struct DigestIndex<K, S> {
    hasher: S,
    /// `tag << 32 | (slot index + 1)`; 0 is an empty bucket. The length is a power of two
    /// (or zero).
    table: Vec<u64>,
    len: usize,
    key: core::marker::PhantomData<fn() -> K>,
}

/// The smallest table (buckets).
const MIN_BUCKETS: usize = 64;

fn entry(tag: u32, index: u32) -> u64 {
    (u64::from(tag) << 32) | u64::from(index.wrapping_add(1))
}

fn entry_tag(e: u64) -> u32 {
    (e >> 32) as u32
}

fn entry_index(e: u64) -> u32 {
    (e as u32).wrapping_sub(1)
}

impl<K: Hash + Eq, S: BuildHasher> DigestIndex<K, S> {
    pub(crate) fn new(hasher: S) -> Self {
        Self {
            hasher,
            table: Vec::new(),
            len: 0,
            key: core::marker::PhantomData,
        }
    }

    /// `key` with its digest.
    pub(crate) fn digested(&self, key: K) -> Digested<K> {
        Digested {
            digest: self.hasher.hash_one(&key),
            key,
        }
    }

    fn mask(&self) -> usize {
        self.table.len().wrapping_sub(1)
    }

    /// The slot of `key`; `key_of` gives the key and slot of the live transaction at a
    /// slot index.
    pub(crate) fn get<'a>(
        &self,
        key: &Digested<K>,
        key_of: impl Fn(u32) -> Option<(SlotKey, &'a Digested<K>)>,
    ) -> Option<SlotKey>
    where
        K: 'a,
    {
        self.find(key, &key_of).map(|(_, slot)| slot)
    }

    /// The bucket and slot of `key`.
    fn find<'a>(
        &self,
        key: &Digested<K>,
        key_of: &impl Fn(u32) -> Option<(SlotKey, &'a Digested<K>)>,
    ) -> Option<(usize, SlotKey)>
    where
        K: 'a,
    {
        let (mask, tag) = (self.mask(), key.tag());
        let mut i = tag as usize & mask;
        // The table is at most half full: probing ends at an empty bucket.
        for _ in 0..self.table.len() {
            let e = *self.table.get(i)?;
            if e == 0 {
                return None;
            }
            if entry_tag(e) == tag {
                if let Some((slot, k)) = key_of(entry_index(e)) {
                    if k == key {
                        return Some((i, slot));
                    }
                }
            }
            i = (i + 1) & mask;
        }
        None
    }

    /// Maps `key` to `slot` (replacing what `key` mapped to).
    pub(crate) fn insert<'a>(
        &mut self,
        key: &Digested<K>,
        slot: SlotKey,
        key_of: impl Fn(u32) -> Option<(SlotKey, &'a Digested<K>)>,
    ) where
        K: 'a,
    {
        if let Some((i, _)) = self.find(key, &key_of) {
            if let Some(e) = self.table.get_mut(i) {
                *e = entry(key.tag(), slot.index);
            }
            return;
        }
        if (self.len + 1) * 2 > self.table.len() {
            self.grow();
        }
        self.place(entry(key.tag(), slot.index));
        self.len += 1;
    }

    /// Puts `e` in the first empty bucket from its home on (there is one: the table is at
    /// most half full).
    fn place(&mut self, e: u64) {
        let mask = self.mask();
        let mut i = entry_tag(e) as usize & mask;
        for _ in 0..self.table.len() {
            match self.table.get_mut(i) {
                Some(b) if *b == 0 => {
                    *b = e;
                    return;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let buckets = (self.table.len() * 2).max(MIN_BUCKETS);
        let old = core::mem::replace(&mut self.table, vec![0; buckets]);
        for e in old.into_iter().filter(|&e| e != 0) {
            self.place(e);
        }
    }

    /// Removes `key` if it maps to `slot` (a key taken over by a later slot stays).
    pub(crate) fn remove(&mut self, key: &Digested<K>, slot: SlotKey) {
        let (mask, tag) = (self.mask(), key.tag());
        let wanted = entry(tag, slot.index);
        let mut i = tag as usize & mask;
        for _ in 0..self.table.len() {
            match self.table.get(i) {
                Some(&e) if e == wanted => {
                    self.delete(i);
                    self.len -= 1;
                    return;
                }
                Some(&e) if e != 0 => i = (i + 1) & mask,
                _ => return,
            }
        }
    }

    /// Empties bucket `hole` and shifts back the entries after it that probing would no
    /// longer reach (Knuth, TAOCP vol. 3, 6.4, Algorithm R).
    fn delete(&mut self, mut hole: usize) {
        let mask = self.mask();
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let e = match self.table.get(j) {
                Some(&e) if e != 0 => e,
                _ => break,
            };
            let home = entry_tag(e) as usize & mask;
            // `e` may move into the hole unless its home lies cyclically in (hole, j].
            let stays = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !stays {
                if let Some(b) = self.table.get_mut(hole) {
                    *b = e;
                }
                hole = j;
            }
        }
        if let Some(b) = self.table.get_mut(hole) {
            *b = 0;
        }
    }

    /// Number of entries.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::hash::Hasher;
    use std::collections::HashMap;

    /// Every key gets the same digest: every entry has the same tag and home.
    #[derive(Debug, Clone, Default)]
    struct Colliding;

    #[derive(Debug, Default)]
    struct Constant;

    impl Hasher for Constant {
        fn write(&mut self, _: &[u8]) {}
        fn finish(&self) -> u64 {
            7 << 40
        }
    }

    impl BuildHasher for Colliding {
        type Hasher = Constant;
        fn build_hasher(&self) -> Constant {
            Constant
        }
    }

    fn slot(i: u32) -> SlotKey {
        SlotKey {
            index: i,
            generation: 0,
        }
    }

    #[test]
    fn colliding_keys_stay_apart() {
        // slot i holds key keys[i]
        let mut idx = DigestIndex::new(Colliding);
        let keys: Vec<Digested<String>> = (0..5).map(|i| idx.digested(format!("k{i}"))).collect();
        let live = std::cell::RefCell::new(vec![true; 5]);
        let key_of = |i: u32| {
            let i = i as usize;
            live.borrow()[i].then(|| (slot(i as u32), &keys[i]))
        };
        for (i, k) in keys.iter().enumerate() {
            idx.insert(k, slot(i as u32), key_of);
        }
        assert_eq!(idx.len(), 5);
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(idx.get(k, key_of), Some(slot(i as u32)));
        }
        assert_eq!(idx.get(&idx.digested("other".to_owned()), key_of), None);
        // Remove the first of the run, then one in its middle.
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
        let mut idx = DigestIndex::new(std::hash::RandomState::new());
        let key = idx.digested("k".to_owned());
        let key_of = |i: u32| Some((slot(i), &key));
        idx.insert(&key, slot(0), key_of);
        idx.insert(&key, slot(1), key_of);
        assert_eq!(idx.get(&key, key_of), Some(slot(1)));
        idx.remove(&key, slot(0));
        assert_eq!(idx.get(&key, key_of), Some(slot(1)));
        idx.remove(&key, slot(1));
        assert_eq!(idx.get(&key, key_of), None);
        assert_eq!(idx.len(), 0);
    }

    /// Digests with few distinct tags and homes, so that runs wrap around the table and
    /// deletions shift entries back.
    #[derive(Debug, Clone, Default)]
    struct Crowded;

    #[derive(Debug, Default)]
    struct Small(u64);

    impl Hasher for Small {
        fn write(&mut self, bytes: &[u8]) {
            for &b in bytes {
                self.0 = self.0.wrapping_mul(31).wrapping_add(u64::from(b));
            }
        }
        fn finish(&self) -> u64 {
            // 8 tags, homes in the top buckets of a 64-bucket table.
            (60 + self.0 % 8) << 32
        }
    }

    impl BuildHasher for Crowded {
        type Hasher = Small;
        fn build_hasher(&self) -> Small {
            Small::default()
        }
    }

    fn against_a_map<S: BuildHasher>(hasher: S, seed: u64) {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut idx = DigestIndex::new(hasher);
        let keys: Vec<Digested<u32>> = (0..200).map(|k| idx.digested(k)).collect();
        // slot index i holds key held[i] while live; model: key -> slot index.
        let mut held: Vec<Option<u32>> = vec![None; 64];
        let mut model: HashMap<u32, u32> = HashMap::new();
        for _ in 0..20_000 {
            let i = rng.gen_range(0..held.len());
            match held[i] {
                Some(k) => {
                    idx.remove(&keys[k as usize], slot(i as u32));
                    if model.get(&k) == Some(&(i as u32)) {
                        model.remove(&k);
                    }
                    held[i] = None;
                }
                None => {
                    let k = rng.gen_range(0..keys.len() as u32);
                    if model.contains_key(&k) {
                        continue; // the layer never inserts a live key twice
                    }
                    held[i] = Some(k);
                    let key_of = |s: u32| {
                        let k = held.get(s as usize).copied().flatten()?;
                        Some((slot(s), &keys[k as usize]))
                    };
                    idx.insert(&keys[k as usize], slot(i as u32), key_of);
                    model.insert(k, i as u32);
                }
            }
            let key_of = |s: u32| {
                let k = held.get(s as usize).copied().flatten()?;
                Some((slot(s), &keys[k as usize]))
            };
            assert_eq!(idx.len(), model.len());
            for (k, key) in keys.iter().enumerate().step_by(7) {
                let expected = model.get(&(k as u32)).map(|&s| slot(s));
                assert_eq!(idx.get(key, key_of), expected, "key {k}");
            }
        }
    }

    #[test]
    fn agrees_with_a_map_under_churn() {
        against_a_map(std::hash::RandomState::new(), 1);
        against_a_map(Crowded, 2);
        against_a_map(Colliding, 3);
    }
}
