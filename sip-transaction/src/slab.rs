//! A small generational slab: O(1) insert, lookup and removal by key, with stale keys
//! detected by a generation counter.

/// A key into a [`Slab`]: an index and the generation the slot had when it was filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SlotKey {
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

/// The generation first (`repr(C)`): it shares a cache line with the start of the value.
#[derive(Debug)]
#[repr(C)]
struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// Values addressed by [`SlotKey`]. Freed slots are reused (their generation increases).
#[derive(Debug)]
pub(crate) struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    len: usize,
}

impl<T> Slab<T> {
    pub(crate) fn new() -> Self {
        Self {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The key the next [`Slab::insert`] will return.
    pub(crate) fn next_key(&self) -> SlotKey {
        match self.free.last() {
            Some(&index) => SlotKey {
                index,
                generation: self.slots.get(index as usize).map_or(0, |s| s.generation),
            },
            None => SlotKey {
                index: u32::try_from(self.slots.len()).unwrap_or(u32::MAX),
                generation: 0,
            },
        }
    }

    pub(crate) fn insert(&mut self, value: T) -> SlotKey {
        self.len += 1;
        if let Some(index) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(index as usize) {
                slot.value = Some(value);
                return SlotKey {
                    index,
                    generation: slot.generation,
                };
            }
        }
        let index = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
        self.slots.push(Slot {
            generation: 0,
            value: Some(value),
        });
        SlotKey {
            index,
            generation: 0,
        }
    }

    pub(crate) fn get(&self, key: SlotKey) -> Option<&T> {
        self.slots
            .get(key.index as usize)
            .filter(|s| s.generation == key.generation)
            .and_then(|s| s.value.as_ref())
    }

    /// The live value at slot `index`, with its key.
    pub(crate) fn at(&self, index: u32) -> Option<(SlotKey, &T)> {
        let slot = self.slots.get(index as usize)?;
        let value = slot.value.as_ref()?;
        Some((
            SlotKey {
                index,
                generation: slot.generation,
            },
            value,
        ))
    }

    pub(crate) fn get_mut(&mut self, key: SlotKey) -> Option<&mut T> {
        self.slots
            .get_mut(key.index as usize)
            .filter(|s| s.generation == key.generation)
            .and_then(|s| s.value.as_mut())
    }

    /// Removes the value of `key` where it lies (no move out of the slab), after `f` has
    /// seen it; `None` for a stale key.
    pub(crate) fn remove_with<R>(&mut self, key: SlotKey, f: impl FnOnce(&T) -> R) -> Option<R> {
        let slot = self
            .slots
            .get_mut(key.index as usize)
            .filter(|s| s.generation == key.generation)?;
        let r = f(slot.value.as_ref()?);
        slot.value = None;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(key.index);
        self.len -= 1;
        Some(r)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (SlotKey, &T)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| {
            let value = s.value.as_ref()?;
            Some((
                SlotKey {
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                    generation: s.generation,
                },
                value,
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_keys_miss() {
        let mut s = Slab::new();
        let a = s.insert(1);
        assert_eq!(s.next_key().index, 1);
        assert_eq!(s.remove_with(a, |v| *v), Some(1));
        assert_eq!(s.get(a), None);
        let next = s.next_key();
        let b = s.insert(2);
        assert_eq!(next, b);
        assert_eq!(b.index, a.index);
        assert_ne!(b.generation, a.generation);
        assert_eq!(s.get(a), None);
        assert_eq!(s.remove_with(a, |v| *v), None);
        assert_eq!(s.get(b), Some(&2));
        assert_eq!(s.len(), 1);
        assert_eq!(s.iter().count(), 1);
    }
}
