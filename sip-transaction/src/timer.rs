//! The timers of RFC 3261 §17 (Table 4) and RFC 6026, and a per-transaction table.
//!
//! | timer | value | section | meaning |
//! |---|---|---|---|
//! | A | initially T1, doubling | §17.1.1.2 | INVITE request retransmit interval, UDP only |
//! | B | 64*T1 | §17.1.1.2 | INVITE transaction timeout |
//! | C | > 3 min | §16.6 bullet 11 | proxy INVITE transaction timeout |
//! | D | ≥ 32 s for UDP, 0 for reliable | §17.1.1.2 | wait time for response retransmits |
//! | E | initially T1, doubling to T2 | §17.1.2.2 | non-INVITE request retransmit interval, UDP only |
//! | F | 64*T1 | §17.1.2.2 | non-INVITE transaction timeout |
//! | G | initially T1, doubling to T2 | §17.2.1 | INVITE response retransmit interval |
//! | H | 64*T1 | §17.2.1 | wait time for ACK receipt |
//! | I | T4 for UDP, 0 for reliable | §17.2.1 | wait time for ACK retransmits |
//! | J | 64*T1 for UDP, 0 for reliable | §17.2.2 | wait time for non-INVITE request retransmits |
//! | K | T4 for UDP, 0 for reliable | §17.1.2.2 | wait time for response retransmits |
//! | L | 64*T1 | RFC 6026 §8.7 | wait time for accepted INVITE request retransmits |
//! | M | 64*T1 | RFC 6026 §8.4 | wait time for retransmissions of 2xx to INVITE |
//!
//! Two timers that the RFC describes in prose get names here as well:
//! [`Timer::Trying`] (§17.2.1, the 200 ms after which an INVITE server transaction sends
//! 100 Trying itself) and [`Timer::CancelWait`] (§9.1, the 64*T1 after a CANCEL after
//! which the INVITE client transaction is given up).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::{Duration, Instant};

use crate::TransactionKey;

/// A transaction timer (RFC 3261 Table 4 and RFC 6026).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Timer {
    /// INVITE request retransmission (client, unreliable transport).
    A,
    /// INVITE client transaction timeout.
    B,
    /// Proxy INVITE timeout in Proceeding (§16.6).
    C,
    /// INVITE client: wait for response retransmissions in Completed.
    D,
    /// Non-INVITE request retransmission (client, unreliable transport).
    E,
    /// Non-INVITE client transaction timeout.
    F,
    /// INVITE final response retransmission (server, unreliable transport).
    G,
    /// INVITE server: wait for the ACK in Completed.
    H,
    /// INVITE server: absorb ACK retransmissions in Confirmed.
    I,
    /// Non-INVITE server: absorb request retransmissions in Completed.
    J,
    /// Non-INVITE client: absorb response retransmissions in Completed.
    K,
    /// INVITE server: absorb INVITE retransmissions in Accepted (RFC 6026).
    L,
    /// INVITE client: pass 2xx retransmissions to the TU in Accepted (RFC 6026).
    M,
    /// INVITE server: send 100 Trying if the TU has not answered (§17.2.1).
    Trying,
    /// INVITE client: give up 64*T1 after a CANCEL without a final response (§9.1).
    CancelWait,
}

/// The armed timers of one transaction. A machine runs at most three at once.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimerTable {
    slots: [Option<(Timer, Instant)>; 3],
}

impl TimerTable {
    /// Arms `timer` at `at`, replacing an earlier arming of the same timer.
    pub(crate) fn set(&mut self, timer: Timer, at: Instant) {
        if let Some(slot) = self
            .slots
            .iter_mut()
            .find(|s| matches!(s, Some((t, _)) if *t == timer))
        {
            *slot = Some((timer, at));
            return;
        }
        if let Some(slot) = self.slots.iter_mut().find(|s| s.is_none()) {
            *slot = Some((timer, at));
            return;
        }
        // Cannot happen with the four machines (at most three timers at once); keep the
        // newest rather than lose it.
        tracing::error!(?timer, "timer table full");
        if let Some(last) = self.slots.last_mut() {
            *last = Some((timer, at));
        }
    }

    /// Disarms `timer`.
    pub(crate) fn clear(&mut self, timer: Timer) {
        for s in &mut self.slots {
            if matches!(s, Some((t, _)) if *t == timer) {
                *s = None;
            }
        }
    }

    /// Disarms every timer.
    pub(crate) fn clear_all(&mut self) {
        self.slots = [None; 3];
    }

    /// When `timer` fires, if armed.
    #[cfg(test)]
    pub(crate) fn get(&self, timer: Timer) -> Option<Instant> {
        self.slots
            .iter()
            .flatten()
            .find(|(t, _)| *t == timer)
            .map(|&(_, at)| at)
    }

    /// The earliest armed deadline.
    pub(crate) fn earliest(&self) -> Option<Instant> {
        self.slots.iter().flatten().map(|&(_, at)| at).min()
    }

    /// Removes and returns the earliest timer due at `now`, with its deadline.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<(Timer, Instant)> {
        let slot = self
            .slots
            .iter_mut()
            .filter(|s| matches!(s, Some((_, at)) if *at <= now))
            .min_by_key(|s| s.map(|(_, at)| at))?;
        slot.take()
    }
}

/// The layer's deadlines: which transaction to look at when.
///
/// Most timers are armed as `now + d` for a few fixed `d` (T1, T4, 64*T1 …) while `now`
/// only grows, so the entries of one `d` come in deadline order: each such `d` gets a FIFO
/// lane (push and pop O(1), memory touched in order) instead of a binary heap of tens of
/// thousands of entries (log n cache misses per push and pop). An entry that would break
/// its lane's order (a retransmission anchored to an earlier deadline, a `now` that went
/// back) goes to the heap, as does any `d` beyond [`MAX_LANES`]: the order is always
/// exact.
#[derive(Debug, Default)]
pub(crate) struct TimerQueue {
    lanes: Vec<Lane>,
    heap: BinaryHeap<Reverse<(Instant, TransactionKey)>>,
}

#[derive(Debug)]
struct Lane {
    delay: Duration,
    entries: VecDeque<(Instant, TransactionKey)>,
}

/// Most distinct delays with a lane of their own.
const MAX_LANES: usize = 8;

impl TimerQueue {
    /// Schedules a look at `key` at `at` (armed at `now`).
    pub(crate) fn push(&mut self, now: Instant, at: Instant, key: TransactionKey) {
        let delay = at.saturating_duration_since(now);
        let lane = match self.lanes.iter().position(|l| l.delay == delay) {
            Some(i) => self.lanes.get_mut(i),
            None => match self.lanes.iter().position(|l| l.entries.is_empty()) {
                Some(i) => match self.lanes.get_mut(i) {
                    Some(l) => {
                        l.delay = delay;
                        Some(l)
                    }
                    None => None,
                },
                None if self.lanes.len() < MAX_LANES => {
                    self.lanes.push(Lane {
                        delay,
                        entries: VecDeque::new(),
                    });
                    self.lanes.last_mut()
                }
                None => None,
            },
        };
        match lane {
            Some(l) if l.entries.back().is_none_or(|&(last, _)| last <= at) => {
                l.entries.push_back((at, key));
            }
            _ => self.heap.push(Reverse((at, key))),
        }
    }

    /// The earliest entry.
    pub(crate) fn peek(&self) -> Option<(Instant, TransactionKey)> {
        let mut best = self.heap.peek().map(|r| r.0);
        for l in &self.lanes {
            if let Some(&front) = l.entries.front() {
                if best.is_none_or(|b| front.0 < b.0) {
                    best = Some(front);
                }
            }
        }
        best
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    pub(crate) fn pop_due(&mut self, now: Instant) -> Option<(Instant, TransactionKey)> {
        let mut best: Option<(Instant, Option<usize>)> = self.heap.peek().map(|r| (r.0 .0, None));
        for (i, l) in self.lanes.iter().enumerate() {
            if let Some(&(at, _)) = l.entries.front() {
                if best.is_none_or(|(b, _)| at < b) {
                    best = Some((at, Some(i)));
                }
            }
        }
        match best? {
            (at, _) if at > now => None,
            (_, Some(i)) => self.lanes.get_mut(i)?.entries.pop_front(),
            (_, None) => self.heap.pop().map(|r| r.0),
        }
    }

    /// Number of entries (live and stale).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.heap.len() + self.lanes.iter().map(|l| l.entries.len()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn table_pops_in_deadline_order() {
        let t0 = Instant::now();
        let mut t = TimerTable::default();
        t.set(Timer::B, t0 + Duration::from_secs(32));
        t.set(Timer::A, t0 + Duration::from_millis(500));
        t.set(Timer::A, t0 + Duration::from_millis(1500));
        assert_eq!(t.get(Timer::A), Some(t0 + Duration::from_millis(1500)));
        assert_eq!(t.earliest(), Some(t0 + Duration::from_millis(1500)));
        assert_eq!(t.pop_due(t0), None);
        let late = t0 + Duration::from_secs(40);
        assert_eq!(
            t.pop_due(late),
            Some((Timer::A, t0 + Duration::from_millis(1500)))
        );
        assert_eq!(
            t.pop_due(late),
            Some((Timer::B, t0 + Duration::from_secs(32)))
        );
        assert_eq!(t.earliest(), None);
        t.set(Timer::D, t0);
        t.clear(Timer::D);
        assert_eq!(t.earliest(), None);
    }

    #[test]
    fn queue_pops_in_deadline_order_whatever_the_lanes() {
        use crate::slab::SlotKey;
        use crate::ClientTransactionKey;
        let t0 = Instant::now();
        let key = |i: u32| {
            TransactionKey::Client(ClientTransactionKey(SlotKey {
                index: i,
                generation: 0,
            }))
        };
        let mut q = TimerQueue::default();
        let mut expected = Vec::new();
        // Many delays (more than the lanes), `now` going forward and, once, back.
        let mut i = 0;
        for step in [0u64, 3, 3, 7, 1, 20, 20, 21] {
            for d in [500u64, 5000, 32000, 500, 1500, 4000, 17, 2, 9, 11, 13] {
                let now = t0 + Duration::from_millis(step);
                let at = now + Duration::from_millis(d);
                q.push(now, at, key(i));
                expected.push((at, i));
                i += 1;
            }
        }
        assert_eq!(q.len(), expected.len());
        expected.sort();
        let mut got = Vec::new();
        assert_eq!(q.pop_due(t0), None);
        let end = t0 + Duration::from_secs(60);
        while let Some((at, k)) = q.peek() {
            assert_eq!(q.pop_due(end), Some((at, k)));
            let TransactionKey::Client(c) = k else {
                panic!()
            };
            got.push((at, c.0.index));
        }
        assert_eq!(q.pop_due(end), None);
        // Same deadlines in the same order (ties may come in any order).
        let times = |v: &[(Instant, u32)]| v.iter().map(|e| e.0).collect::<Vec<_>>();
        assert_eq!(times(&got), times(&expected));
        got.sort();
        assert_eq!(got, expected);
    }
}
