//! Events for the transaction user.

use std::net::SocketAddr;

use sip_message::{Request, Response};

use crate::{ClientTransactionKey, ServerTransactionKey, Timer, TransactionKey, TransportKind};

/// What the transaction layer tells its user (the TU). Drained with
/// [`TransactionLayer::poll_event`](crate::TransactionLayer::poll_event).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Event {
    /// A new request created server transaction `key`; answer it with
    /// [`send_response`](crate::TransactionLayer::send_response). Retransmissions are
    /// absorbed and not reported again.
    RequestReceived {
        /// The new server transaction.
        key: ServerTransactionKey,
        /// The request.
        request: Request,
        /// The transport it arrived on.
        transport: TransportKind,
        /// Where it came from.
        source: SocketAddr,
    },
    /// A CANCEL created server transaction `key` (answer it: 200, or 481 when `invite` is
    /// `None`). `invite` is the INVITE server transaction it cancels, found as §9.2 says
    /// (the §17.2.3 rules with the method taken as INVITE).
    CancelReceived {
        /// The CANCEL's own server transaction.
        key: ServerTransactionKey,
        /// The CANCEL request.
        request: Request,
        /// The INVITE transaction being cancelled, if it is alive.
        invite: Option<ServerTransactionKey>,
        /// The transport it arrived on.
        transport: TransportKind,
        /// Where it came from.
        source: SocketAddr,
    },
    /// §8.2.2.2: a request without To tag whose From tag, Call-ID and CSeq equal those of
    /// live server transaction `original` but that does not match it (a looped or merged
    /// request). Server transaction `key` was created for it; the TU should answer 482
    /// (Loop Detected).
    MergedRequest {
        /// The server transaction of the merged request.
        key: ServerTransactionKey,
        /// The merged request.
        request: Request,
        /// The transaction it collides with.
        original: ServerTransactionKey,
        /// The transport it arrived on.
        transport: TransportKind,
        /// Where it came from.
        source: SocketAddr,
    },
    /// An ACK for the TU: the ACK of a 2xx, which is its own transaction (§17.1.1.3, §13),
    /// either unmatched (`invite` is `None`) or matching an INVITE server transaction in
    /// Accepted (RFC 6026 §8.7). ACKs of non-2xx responses are absorbed.
    AckReceived {
        /// The ACK.
        request: Request,
        /// The INVITE server transaction in Accepted it matched, if any.
        invite: Option<ServerTransactionKey>,
        /// The transport it arrived on.
        transport: TransportKind,
        /// Where it came from.
        source: SocketAddr,
    },
    /// A provisional (1xx) response of client transaction `key`.
    ProvisionalResponse {
        /// The client transaction.
        key: ClientTransactionKey,
        /// The response.
        response: Response,
    },
    /// A final response of client transaction `key`. For an INVITE in Accepted, every 2xx
    /// (retransmissions and other forks) is reported (RFC 6026 §8.4); non-2xx
    /// retransmissions are absorbed.
    FinalResponse {
        /// The client transaction.
        key: ClientTransactionKey,
        /// The response.
        response: Response,
    },
    /// A response that matches no client transaction (§17.1.3), for example a 2xx
    /// retransmission after Timer M: the TU re-sends its ACK.
    StrayResponse {
        /// The response.
        response: Response,
        /// The transport it arrived on.
        transport: TransportKind,
        /// Where it came from.
        source: SocketAddr,
    },
    /// A timer that means failure fired: B or F (no final response; the TU treats it as
    /// 408), H (no ACK for a final response), C (§16.8: the INVITE is being cancelled, or
    /// ended when no provisional arrived), CancelWait (§9.1: no final response 64*T1
    /// after a CANCEL).
    Timeout {
        /// The transaction.
        key: TransactionKey,
        /// The timer.
        timer: Timer,
    },
    /// The transport reported a failure for this transaction (§17.1.4, §17.2.4).
    TransportError {
        /// The transaction.
        key: TransactionKey,
    },
    /// The transaction reached Terminated and was destroyed; its key is now stale.
    Terminated {
        /// The transaction.
        key: TransactionKey,
    },
}

/// The layer's queue of events, in order. An event is 400-odd bytes (most carry a
/// message), and every transaction ends with a [`Event::Terminated`] that carries a key
/// only: those are kept in a few bytes, so that queueing and handing one out does not
/// copy a whole event twice.
#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    /// Every queued event in order: small ones whole, the others as a marker for the next
    /// event of `full`.
    order: std::collections::VecDeque<Queued>,
    full: std::collections::VecDeque<Event>,
}

#[derive(Debug, Clone, Copy)]
enum Queued {
    Terminated(TransactionKey),
    Full,
}

impl EventQueue {
    /// Queues `event` after the others.
    #[inline]
    pub(crate) fn push_back(&mut self, event: Event) {
        match event {
            Event::Terminated { key } => self.order.push_back(Queued::Terminated(key)),
            event => {
                self.full.push_back(event);
                self.order.push_back(Queued::Full);
            }
        }
    }

    /// The first event queued.
    #[inline]
    pub(crate) fn pop_front(&mut self) -> Option<Event> {
        match self.order.pop_front()? {
            Queued::Terminated(key) => Some(Event::Terminated { key }),
            Queued::Full => self.full.pop_front(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Event, EventQueue};
    use crate::slab::SlotKey;
    use crate::{ClientTransactionKey, Timer, TransactionKey};

    #[test]
    fn the_queue_keeps_the_order_of_small_and_full_events() {
        let mut q = EventQueue::default();
        let key = |i| {
            TransactionKey::Client(ClientTransactionKey(SlotKey {
                index: i,
                generation: 0,
            }))
        };
        for i in 0..3 {
            q.push_back(Event::Terminated { key: key(i) });
            q.push_back(Event::Timeout {
                key: key(i),
                timer: Timer::F,
            });
        }
        for i in 0..3 {
            assert!(matches!(q.pop_front(), Some(Event::Terminated { key: k }) if k == key(i)));
            assert!(
                matches!(q.pop_front(), Some(Event::Timeout { key: k, timer: Timer::F }) if k == key(i))
            );
        }
        assert!(q.pop_front().is_none());
    }
}
