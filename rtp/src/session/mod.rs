//! The sans-IO RTP session (RFC 3550 §6, §8): sender state, receiver statistics, RTCP
//! scheduling and reports, SSRC collisions, DTMF events and per-source jitter buffers.
//!
//! # Drive loop
//!
//! The session never reads a clock or touches a socket. The driver feeds it what arrives and
//! the current time, and drains what it hands out, in this order:
//!
//! ```text
//! loop {
//!     on RTP datagram  -> session.handle_rtp(now, source, bytes)
//!     on RTCP datagram -> session.handle_rtcp(now, source, bytes)
//!     on a frame to send -> session.send_rtp(now, payload, marker)
//!     at session.poll_timeout() -> session.handle_timeout(now)
//!     while let Some(t) = session.poll_transmit()      { send t.payload on t.channel }
//!     while let Some(e) = session.poll_event()         { act on e }
//!     while let Some(p) = session.poll_playout(now)    { decode or conceal p }
//! }
//! ```
//!
//! Invariants: `poll_timeout` is `None` only once the session is closed and nothing is
//! queued; calling `handle_timeout` early is harmless; the same seed and the same inputs give
//! the same packets out.

mod interval;
mod statistics;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

pub use statistics::{SourceStatistics, MAX_DROPOUT, MAX_MISORDER, MIN_SEQUENTIAL};

use crate::dtmf::{DtmfEvent, DtmfPacket, DtmfReceiver, DtmfSender};
use crate::error::{Error, Result};
use crate::jitter_buffer::{
    units, JitterBuffer, JitterBufferConfig, MediaHeader, MediaPacket, Playout,
};
use crate::packet::{RtpPacket, RtpPacketBuilder};
use crate::rtcp::{
    Compound, CompoundBuilder, ReportBlock, RtcpPacket, SdesItem, SdesItemType, SenderInfo,
};
use interval::IntervalInputs;

/// §6.3.5: a member is timed out after this many deterministic intervals of silence.
const MEMBER_TIMEOUT_INTERVALS: u32 = 5;
/// §6.3.7: below this many members a BYE may be sent at once.
const BYE_RECONSIDERATION_MEMBERS: usize = 50;
/// IPv4 + UDP header octets, counted into the average RTCP size (§6.2).
const LOWER_LAYER_OVERHEAD: usize = 28;
/// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
const NTP_UNIX_OFFSET: u64 = 2_208_988_800;
/// Addresses remembered for §8.2 loop detection.
const MAX_CONFLICTS: usize = 16;
/// Undrained events kept at most.
const MAX_EVENTS: usize = 1024;

/// Session settings. `Default` gives an 8 kHz PCMU session with 20 ms packets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionConfig {
    /// RTP clock rate in Hz (default 8000).
    pub clock_rate: u32,
    /// Payload type of [`Session::send_rtp`] packets (default 0, PCMU).
    pub payload_type: u8,
    /// Timestamp advance per sent packet (default 160: 20 ms at 8 kHz).
    pub samples_per_packet: u32,
    /// Session bandwidth in bits per second, lower layers included (default 80 000: PCMU
    /// at 50 packets/s); RTCP gets 5 % of it (§6.2).
    pub session_bandwidth: u32,
    /// Minimum RTCP interval (§6.2, default 5 s; halved before the first report).
    pub min_rtcp_interval: Duration,
    /// Initial SSRC (e.g. one signalled in SDP `a=ssrc`); random when `None`. A collision
    /// still replaces it (§8.2).
    pub ssrc: Option<u32>,
    /// SDES CNAME; a random `rtp-<hex>@invalid` when `None`.
    pub cname: Option<String>,
    /// Seed of the session's RNG (SSRC, initial sequence number and timestamp, RTCP
    /// intervals); OS entropy once when `None`.
    pub rng_seed: Option<[u8; 32]>,
    /// Wall-clock time at the session's start `Instant`, for SR NTP timestamps. When `None`
    /// the NTP clock counts from 0 at the start (RTT still works: it only needs our own
    /// clock to be consistent).
    pub wall_clock: Option<SystemTime>,
    /// Payload type of RFC 4733 telephone events (default `Some(101)`).
    pub telephone_event_payload_type: Option<u8>,
    /// Spacing of DTMF update packets (default 50 ms, RFC 4733 §2.5.1.2).
    pub dtmf_interval: Duration,
    /// Jitter buffer of each remote source.
    pub jitter_buffer: JitterBufferConfig,
    /// Remote sources tracked at most; packets of further sources are dropped (default 32).
    pub max_sources: usize,
    /// Accept RFC 5506 reduced-size RTCP (default true).
    pub accept_reduced_size: bool,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            clock_rate: 8000,
            payload_type: 0,
            samples_per_packet: 160,
            session_bandwidth: 80_000,
            min_rtcp_interval: Duration::from_secs(5),
            ssrc: None,
            cname: None,
            rng_seed: None,
            wall_clock: None,
            telephone_event_payload_type: Some(101),
            dtmf_interval: Duration::from_millis(50),
            jitter_buffer: JitterBufferConfig::default(),
            max_sources: 32,
            accept_reduced_size: true,
        }
    }
}

/// Which flow a datagram belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// RTP data.
    Rtp,
    /// RTCP control (the RTP port + 1, or the same port with rtcp-mux).
    Rtcp,
}

/// A datagram to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// The flow.
    pub channel: Channel,
    /// The datagram.
    pub payload: Bytes,
}

/// Something the application may act on.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A source became a member: validated by RTP (A.1 probation) or heard in RTCP.
    NewSource {
        /// Its SSRC.
        ssrc: u32,
    },
    /// A source's CNAME, when first learned or changed.
    Cname {
        /// The source.
        ssrc: u32,
        /// Its CNAME.
        cname: Bytes,
    },
    /// A sender report arrived.
    SenderReport {
        /// The sender.
        ssrc: u32,
        /// Its sender info.
        info: SenderInfo,
    },
    /// A report block about our stream arrived.
    ReceptionReport {
        /// Who reported.
        reporter: u32,
        /// The block.
        block: ReportBlock,
        /// Round-trip time from LSR and DLSR (§6.4.1), when the block carries them.
        round_trip_time: Option<Duration>,
    },
    /// A source left with a BYE.
    Goodbye {
        /// The source.
        ssrc: u32,
        /// Its reason, if given.
        reason: Option<Bytes>,
    },
    /// A source was silent for 5 RTCP intervals and was removed (§6.3.5).
    SourceTimeout {
        /// The source.
        ssrc: u32,
    },
    /// A telephone event started (reported once per event).
    Dtmf {
        /// The source.
        ssrc: u32,
        /// The event.
        event: DtmfEvent,
    },
    /// Another participant uses our SSRC: we sent a BYE for it and changed (§8.2).
    SsrcCollision {
        /// The SSRC given up.
        old: u32,
        /// The SSRC now used.
        new: u32,
    },
    /// A generic NACK about our stream (RFC 4585).
    Nack {
        /// Who asks.
        sender_ssrc: u32,
        /// The lost sequence numbers.
        sequence_numbers: Vec<u16>,
    },
    /// A picture loss indication about our stream (RFC 4585).
    PictureLossIndication {
        /// Who asks.
        sender_ssrc: u32,
    },
    /// A full intra request for our stream (RFC 5104).
    FullIntraRequest {
        /// Who asks.
        sender_ssrc: u32,
        /// Its command sequence number.
        sequence_number: u8,
    },
}

/// Counters of inputs the session dropped or noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SessionStats {
    /// RTP packets handed to [`Session::handle_rtp`].
    pub rtp_received: u64,
    /// RTCP packets handed to [`Session::handle_rtcp`].
    pub rtcp_received: u64,
    /// Packets dropped as malformed.
    pub malformed: u64,
    /// Packets of a source arriving from a second transport address, dropped (§8.2).
    pub address_conflicts: u64,
    /// Packets with our SSRC from an address already known to collide: loops (§8.2).
    pub loops: u64,
    /// Packets dropped because `max_sources` was reached.
    pub too_many_sources: u64,
    /// RTP packets sent.
    pub rtp_sent: u64,
    /// RTCP packets sent.
    pub rtcp_sent: u64,
    /// Events dropped because more than 1024 were waiting in [`Session::poll_event`].
    pub events_dropped: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Active,
    /// §6.3.7 BYE reconsideration in progress.
    Leaving,
    Closed,
}

#[derive(Debug)]
struct RemoteSource {
    ssrc: u32,
    /// Sent a BYE; kept only until its buffered media has played out.
    left: bool,
    rtp_source: Option<SocketAddr>,
    member: bool,
    statistics: Option<SourceStatistics>,
    last_rtp: Option<Instant>,
    last_activity: Instant,
    last_sr: Option<(u32, Instant)>,
    cname: Option<Bytes>,
    received_since_report: bool,
    jitter_buffer: Option<JitterBuffer>,
    dtmf: DtmfReceiver,
}

#[derive(Debug, Clone, Copy)]
struct ScheduledDtmf {
    due: Instant,
    timestamp: u32,
    packet: DtmfPacket,
}

/// An RTP session: one local source and the remote sources heard; see the
/// [module docs](self) for the drive loop.
///
/// # Examples
///
/// ```
/// use std::net::SocketAddr;
/// use std::time::{Duration, Instant};
/// use rtp::{Channel, Event, Playout, Session, SessionConfig};
///
/// let t0 = Instant::now();
/// let mut config = SessionConfig::default();
/// config.rng_seed = Some([1; 32]);
/// let mut alice = Session::new(config.clone(), t0);
/// config.rng_seed = Some([2; 32]);
/// let mut bob = Session::new(config, t0);
/// let from: SocketAddr = "192.0.2.1:4000".parse().unwrap();
///
/// for i in 0..10u32 {
///     let now = t0 + Duration::from_millis(20 * u64::from(i));
///     alice.send_rtp(now, &[0xFF; 160], i == 0)?;
///     while let Some(t) = alice.poll_transmit() {
///         assert_eq!(t.channel, Channel::Rtp);
///         bob.handle_rtp(now, from, t.payload);
///     }
/// }
/// assert_eq!(bob.poll_event(), Some(Event::NewSource { ssrc: alice.ssrc() }));
/// let mut played = 0;
/// while let Some((_, Playout::Packet(_))) = bob.poll_playout(t0 + Duration::from_secs(1)) {
///     played += 1;
/// }
/// assert_eq!(played, 10);
/// # Ok::<(), rtp::Error>(())
/// ```
#[derive(Debug)]
pub struct Session {
    config: SessionConfig,
    rng: ChaCha20Rng,
    start: Instant,
    /// The last `now` seen by `elapsed_units` and its value.
    clock: (Instant, u64),
    ssrc: u32,
    cname: Bytes,
    state: State,
    sequence: u16,
    timestamp: u32,
    last_sent: Option<(Instant, u32)>,
    packets_sent: u32,
    octets_sent: u32,
    tp: Instant,
    tn: Instant,
    pmembers: usize,
    avg_rtcp_size: f64,
    initial: bool,
    report_times: [Option<Instant>; 2],
    sent_rtcp: bool,
    bye_reason: Option<Bytes>,
    bye_members: usize,
    sources: Vec<RemoteSource>,
    /// Index of the last source looked up (usually the only one sending).
    last_source: usize,
    conflicts: Vec<(SocketAddr, Instant)>,
    dtmf_queue: VecDeque<ScheduledDtmf>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: SessionStats,
}

impl Session {
    /// A session starting at `now`: SSRC, first sequence number and first timestamp drawn
    /// from the seeded RNG (§5.1), the first RTCP report scheduled per §6.2 (half the
    /// minimum interval, randomised).
    pub fn new(config: SessionConfig, now: Instant) -> Self {
        let seed = config.rng_seed.unwrap_or_else(|| {
            let mut seed = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut seed);
            seed
        });
        let mut rng = ChaCha20Rng::from_seed(seed);
        let random_ssrc = rng.gen();
        let ssrc = config.ssrc.unwrap_or(random_ssrc);
        let sequence = rng.gen();
        let timestamp = rng.gen();
        let cname = match &config.cname {
            Some(c) => Bytes::from(c.clone().into_bytes()),
            None => Bytes::from(format!("rtp-{:016x}@invalid", rng.gen::<u64>())),
        };
        let mut session = Self {
            config,
            rng,
            start: now,
            clock: (now, 0),
            ssrc,
            cname,
            state: State::Active,
            sequence,
            timestamp,
            last_sent: None,
            packets_sent: 0,
            octets_sent: 0,
            tp: now,
            tn: now,
            pmembers: 1,
            avg_rtcp_size: 0.0,
            initial: true,
            report_times: [None; 2],
            sent_rtcp: false,
            bye_reason: None,
            bye_members: 1,
            sources: Vec::new(),
            last_source: 0,
            conflicts: Vec::new(),
            dtmf_queue: VecDeque::new(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: SessionStats::default(),
        };
        // A.7: avg_rtcp_size starts at the probable size of the first packet (RR + SDES).
        session.avg_rtcp_size =
            (session.build_report(now, None).len() + LOWER_LAYER_OVERHEAD) as f64;
        session.tn = now + session.interval(now);
        session
    }

    // ------------------------------------------------------------------ getters

    /// Our SSRC.
    pub fn ssrc(&self) -> u32 {
        self.ssrc
    }

    /// Our CNAME.
    pub fn cname(&self) -> &[u8] {
        &self.cname
    }

    /// The sequence number of the next RTP packet.
    pub fn sequence_number(&self) -> u16 {
        self.sequence
    }

    /// The timestamp of the next RTP packet.
    pub fn timestamp(&self) -> u32 {
        self.timestamp
    }

    /// Whether the session has sent its BYE (or left without one).
    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Members, ourselves included (§6.3).
    pub fn members(&self) -> usize {
        1 + self.sources.iter().filter(|s| s.member && !s.left).count()
    }

    /// Senders, ourselves included when we sent recently (§6.3).
    pub fn senders(&self, now: Instant) -> usize {
        usize::from(self.we_sent()) + self.remote_senders(now)
    }

    /// The A.1/A.3/A.8 statistics of a remote source.
    pub fn source_statistics(&self, ssrc: u32) -> Option<&SourceStatistics> {
        self.source(ssrc)?.statistics.as_ref()
    }

    /// The jitter buffer of a remote source.
    pub fn jitter_buffer(&self, ssrc: u32) -> Option<&JitterBuffer> {
        self.source(ssrc)?.jitter_buffer.as_ref()
    }

    /// A remote source's CNAME, once an SDES carried it.
    pub fn source_cname(&self, ssrc: u32) -> Option<&Bytes> {
        self.source(ssrc)?.cname.as_ref()
    }

    /// The SSRCs of the remote sources (members, and sources still playing out after
    /// their BYE).
    pub fn remote_sources(&self) -> impl Iterator<Item = u32> + '_ {
        self.sources.iter().map(|s| s.ssrc)
    }

    /// Counters.
    pub fn stats(&self) -> SessionStats {
        self.stats
    }

    // ------------------------------------------------------------------ commands

    /// Sends one media packet with the configured payload type at the current timestamp,
    /// then advances the timestamp by `samples_per_packet` and the sequence number by one.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] after [`close`](Self::close).
    pub fn send_rtp(&mut self, now: Instant, payload: &[u8], marker: bool) -> Result<()> {
        let payload_type = self.config.payload_type;
        let timestamp = self.timestamp;
        self.send_packet(now, payload_type, timestamp, marker, payload)?;
        self.timestamp = self.timestamp.wrapping_add(self.config.samples_per_packet);
        Ok(())
    }

    /// Sends a packet with an explicit payload type and timestamp (e.g. comfort noise, or a
    /// codec with variable frame sizes). Does not advance the timestamp.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] after [`close`](Self::close); [`Error::InvalidArgument`] for a
    /// payload type above 127.
    pub fn send_rtp_with(
        &mut self,
        now: Instant,
        payload_type: u8,
        timestamp: u32,
        marker: bool,
        payload: &[u8],
    ) -> Result<()> {
        self.send_packet(now, payload_type, timestamp, marker, payload)
    }

    /// Advances the media timestamp by `samples` without sending (silence suppression).
    pub fn advance_timestamp(&mut self, samples: u32) {
        self.timestamp = self.timestamp.wrapping_add(samples);
    }

    /// Starts sending RFC 4733 event `event` (0–15 for DTMF) lasting `duration`: update
    /// packets every `dtmf_interval`, then the end packet three times, all with the current
    /// media timestamp. The packets go out from [`handle_timeout`](Self::handle_timeout);
    /// the application should pause audio meanwhile.
    ///
    /// # Errors
    ///
    /// [`Error::Closed`] after [`close`](Self::close); [`Error::InvalidArgument`] when no
    /// telephone-event payload type is configured or for a bad duration.
    pub fn send_dtmf(&mut self, now: Instant, event: u8, duration: Duration) -> Result<()> {
        if self.state != State::Active {
            return Err(Error::Closed);
        }
        if self.config.telephone_event_payload_type.is_none() {
            return Err(Error::InvalidArgument {
                field: "telephone_event_payload_type",
                expected: "a configured payload type",
            });
        }
        let sender = DtmfSender::new(
            event,
            10,
            duration,
            self.config.clock_rate,
            self.config.dtmf_interval,
        )?;
        // Events queued back to back start after the previous one.
        let start = self.dtmf_queue.back().map_or(now, |last| last.due.max(now));
        let timestamp = self.timestamp;
        for packet in sender {
            self.dtmf_queue.push_back(ScheduledDtmf {
                due: start + packet.send_after,
                timestamp,
                packet,
            });
        }
        Ok(())
    }

    /// Leaves the session: a BYE (with `reason`) goes out now when there are fewer than 50
    /// members, after §6.3.7 BYE reconsideration otherwise; none at all if we never sent
    /// RTP or RTCP. Harmless when already closed.
    pub fn close(&mut self, now: Instant, reason: Option<&str>) {
        if self.state != State::Active {
            return;
        }
        self.dtmf_queue.clear();
        if !self.sent_rtcp && self.last_sent.is_none() {
            self.state = State::Closed;
            return;
        }
        let reason = reason.map(|r| Bytes::copy_from_slice(r.as_bytes()));
        if self.members() < BYE_RECONSIDERATION_MEMBERS {
            self.send_report(now, Some(reason));
            self.state = State::Closed;
            return;
        }
        // §6.3.7: restart the schedule as if joining, counting only BYEs received.
        self.bye_reason = reason;
        self.state = State::Leaving;
        self.tp = now;
        self.pmembers = 1;
        self.bye_members = 1;
        self.initial = true;
        self.report_times = [None; 2];
        self.last_sent = None;
        self.avg_rtcp_size = (self.build_report(now, Some(self.bye_reason.clone())).len()
            + LOWER_LAYER_OVERHEAD) as f64;
        self.tn = now + self.interval(now);
    }

    // ------------------------------------------------------------------ inputs

    /// Handles an RTP datagram from `source`. Malformed packets, packets of a source from a
    /// second address and packets carrying our own SSRC (a collision, §8.2) are dropped and
    /// counted.
    pub fn handle_rtp(&mut self, now: Instant, source: SocketAddr, packet: Bytes) {
        self.stats.rtp_received += 1;
        let view = match RtpPacket::parse(&packet) {
            Ok(v) => v,
            Err(e) => {
                self.stats.malformed += 1;
                tracing::debug!(%source, error = %e, "dropping malformed rtp packet");
                return;
            }
        };
        if self.state == State::Closed {
            return;
        }
        let ssrc = view.ssrc();
        if ssrc == self.ssrc || view.csrcs().any(|c| c == self.ssrc) {
            self.collision(now, source);
            return;
        }
        let header = MediaHeader::from_view(&view);
        let dtmf = (Some(header.payload_type) == self.config.telephone_event_payload_type)
            .then(|| <[u8; 4]>::try_from(view.payload()).ok())
            .flatten();
        // The view's borrow ends here: the buffer moves into the jitter buffer uncloned.
        let media = MediaPacket::from_parts(header, packet);
        self.receive(now, source, media, dtmf);
    }

    fn receive(
        &mut self,
        now: Instant,
        source: SocketAddr,
        media: MediaPacket,
        dtmf: Option<[u8; 4]>,
    ) {
        let ssrc = media.ssrc;
        let elapsed = self.elapsed_units(now);
        // Wrapping like an RTP timestamp (A.8 only uses differences).
        #[allow(clippy::cast_possible_truncation)]
        let arrival = elapsed as u32;
        let start = self.start;
        let Some(index) = self.source_index_or_insert(ssrc, now) else {
            return;
        };
        let jitter_config = &self.config.jitter_buffer;
        let clock_rate = self.config.clock_rate;
        let Some(remote) = self.sources.get_mut(index) else {
            return;
        };
        if remote.left {
            return;
        }
        match remote.rtp_source {
            Some(known) if known != source => {
                // §8.2: same SSRC from a different transport address: drop the packet.
                self.stats.address_conflicts += 1;
                tracing::warn!(ssrc, %source, %known, "rtp source from a second address");
                return;
            }
            Some(_) => {}
            None => remote.rtp_source = Some(source),
        }
        remote.last_activity = now;
        let seq = media.sequence_number;
        let statistics = remote
            .statistics
            .get_or_insert_with(|| SourceStatistics::new(seq));
        let on_probation = !statistics.is_valid();
        let valid = statistics.update_seq(seq);
        // A.1 restarted the source (two sequential packets after a large jump: `init_seq`
        // left exactly this packet counted): its old media is from another stream.
        let restarted =
            valid && !on_probation && statistics.expected() == 1 && statistics.received() == 1;
        if restarted {
            if let Some(jb) = remote.jitter_buffer.as_mut() {
                jb.reset();
            }
        }
        if valid {
            statistics.update_jitter(arrival, media.timestamp);
            remote.received_since_report = true;
            remote.last_rtp = Some(now);
            if !remote.member {
                remote.member = true;
                push_event(&mut self.events, &mut self.stats, Event::NewSource { ssrc });
            }
            if let Some(payload) = dtmf {
                if let Ok(Some(event)) = remote.dtmf.handle_payload(media.timestamp, &payload) {
                    push_event(
                        &mut self.events,
                        &mut self.stats,
                        Event::Dtmf { ssrc, event },
                    );
                }
            }
        } else if !on_probation {
            // A.1 rejected it (a jump not yet confirmed): not media to play.
            return;
        }
        // Probation packets are not counted by A.1, but their media is still wanted.
        remote
            .jitter_buffer
            .get_or_insert_with(|| {
                JitterBuffer::with_epoch(jitter_config.clone(), clock_rate, start)
            })
            .insert_at(i64::try_from(elapsed).unwrap_or(i64::MAX), media);
    }

    /// Handles an RTCP datagram (compound, or reduced-size when configured) from `source`.
    pub fn handle_rtcp(&mut self, now: Instant, source: SocketAddr, packet: Bytes) {
        self.stats.rtcp_received += 1;
        let parsed = if self.config.accept_reduced_size {
            Compound::parse_reduced_size(&packet)
        } else {
            Compound::parse(&packet)
        };
        let compound = match parsed {
            Ok(c) => c,
            Err(e) => {
                self.stats.malformed += 1;
                tracing::debug!(%source, error = %e, "dropping malformed rtcp packet");
                return;
            }
        };
        if self.state == State::Closed {
            return;
        }
        // A.7 OnReceive: every RTCP packet updates the average size.
        let size = (packet.len() + LOWER_LAYER_OVERHEAD) as f64;
        self.avg_rtcp_size += (size - self.avg_rtcp_size) / 16.0;
        for p in compound.packets() {
            if p.sender_ssrc() == Some(self.ssrc) && !matches!(p, RtcpPacket::Goodbye(_)) {
                self.collision(now, source);
                return;
            }
            self.handle_rtcp_packet(now, &packet, p);
        }
    }

    /// Fires what is due at `now`: DTMF packets and the RTCP timer (A.7 `OnExpire`, with
    /// §6.3.5 timeouts). Calling it early does nothing.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(next) = self.dtmf_queue.front().copied() {
            if next.due > now {
                break;
            }
            self.dtmf_queue.pop_front();
            let Some(pt) = self.config.telephone_event_payload_type else {
                continue;
            };
            let payload = next.packet.payload.to_bytes();
            let _ = self.send_packet(now, pt, next.timestamp, next.packet.marker, &payload);
        }
        if self.state == State::Closed || now < self.tn {
            return;
        }
        match self.state {
            State::Leaving => {
                // §6.3.7: BYE reconsideration.
                let tn = self.tp + self.interval(now);
                if tn <= now {
                    let reason = self.bye_reason.take();
                    self.send_report(now, Some(reason));
                    self.state = State::Closed;
                } else {
                    self.tn = tn;
                }
            }
            State::Active => {
                self.check_timeouts(now);
                let tn = self.tp + self.interval(now);
                if tn <= now {
                    self.send_report(now, None);
                    self.tp = now;
                    self.tn = now + self.interval(now);
                    self.initial = false;
                } else {
                    self.tn = tn;
                }
                self.pmembers = self.members();
            }
            State::Closed => {}
        }
    }

    // ------------------------------------------------------------------ outputs

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The next media packet or gap whose playout time has come, with its source.
    #[inline]
    pub fn poll_playout(&mut self, now: Instant) -> Option<(u32, Playout)> {
        if self
            .sources
            .iter()
            .all(|s| s.jitter_buffer.as_ref().is_none_or(JitterBuffer::is_empty))
        {
            return None;
        }
        let now_units = i64::try_from(self.elapsed_units(now)).unwrap_or(i64::MAX);
        let found = self.sources.iter_mut().enumerate().find_map(|(i, s)| {
            let jitter_buffer = s.jitter_buffer.as_mut()?;
            let p = jitter_buffer.poll_at(now_units)?;
            Some((i, s.ssrc, p, s.left && jitter_buffer.is_empty()))
        });
        let (index, ssrc, playout, drained) = found?;
        if drained {
            // The last media of a source that sent BYE.
            self.sources.swap_remove(index);
        }
        Some((ssrc, playout))
    }

    /// When to call [`handle_timeout`](Self::handle_timeout) or
    /// [`poll_playout`](Self::poll_playout) next: the RTCP timer, the next DTMF packet or
    /// the next playout, whichever is first.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let rtcp = (self.state != State::Closed).then_some(self.tn);
        let dtmf = self.dtmf_queue.front().map(|d| d.due);
        let playout = self
            .sources
            .iter()
            .filter_map(|s| s.jitter_buffer.as_ref()?.poll_timeout())
            .min();
        [rtcp, dtmf, playout].into_iter().flatten().min()
    }

    // ------------------------------------------------------------------ internals

    fn send_packet(
        &mut self,
        now: Instant,
        payload_type: u8,
        timestamp: u32,
        marker: bool,
        payload: &[u8],
    ) -> Result<()> {
        if self.state != State::Active {
            return Err(Error::Closed);
        }
        let bytes = RtpPacketBuilder::new(payload_type, self.sequence, timestamp, self.ssrc)
            .marker(marker)
            .payload(payload)
            .to_bytes()?;
        self.sequence = self.sequence.wrapping_add(1);
        self.packets_sent = self.packets_sent.wrapping_add(1);
        // The octet count wraps like the 32-bit field it feeds (§6.4.1).
        #[allow(clippy::cast_possible_truncation)]
        let octets = payload.len() as u32;
        self.octets_sent = self.octets_sent.wrapping_add(octets);
        self.last_sent = Some((now, timestamp));
        self.stats.rtp_sent += 1;
        self.transmits.push_back(Transmit {
            channel: Channel::Rtp,
            payload: bytes,
        });
        Ok(())
    }

    fn handle_rtcp_packet(&mut self, now: Instant, raw: &Bytes, p: RtcpPacket<'_>) {
        match p {
            RtcpPacket::SenderReport(sr) => {
                if let Some(remote) = self.member(sr.ssrc, now) {
                    remote.last_sr = Some((ntp_middle(sr.sender_info.ntp_timestamp), now));
                }
                self.push_event(Event::SenderReport {
                    ssrc: sr.ssrc,
                    info: sr.sender_info,
                });
                for block in sr.reports.iter() {
                    self.reception_report(now, sr.ssrc, block);
                }
            }
            RtcpPacket::ReceiverReport(rr) => {
                self.member(rr.ssrc, now);
                for block in rr.reports.iter() {
                    self.reception_report(now, rr.ssrc, block);
                }
            }
            RtcpPacket::SourceDescription(sdes) => {
                for chunk in sdes.chunks() {
                    let cname = chunk.cname().map(|c| raw.slice_ref(c));
                    let Some(remote) = self.member(chunk.ssrc, now) else {
                        continue;
                    };
                    if let Some(cname) = cname {
                        if remote.cname.as_ref() != Some(&cname) {
                            remote.cname = Some(cname.clone());
                            self.push_event(Event::Cname {
                                ssrc: chunk.ssrc,
                                cname,
                            });
                        }
                    }
                }
            }
            RtcpPacket::Goodbye(bye) => {
                let reason = bye.reason().map(|r| raw.slice_ref(r));
                for ssrc in bye.sources() {
                    if self.state == State::Leaving {
                        // §6.3.7: during BYE reconsideration only BYEs count as members.
                        self.bye_members += 1;
                        continue;
                    }
                    if let Some(remote) =
                        self.sources.iter_mut().find(|s| s.ssrc == ssrc && !s.left)
                    {
                        // §6.3.4: no longer a member; media already buffered still plays.
                        remote.left = true;
                        remote.member = false;
                        remote.last_rtp = None;
                        self.push_event(Event::Goodbye {
                            ssrc,
                            reason: reason.clone(),
                        });
                    }
                    self.sources.retain(|s| {
                        !s.left || s.jitter_buffer.as_ref().is_some_and(|j| !j.is_empty())
                    });
                }
                self.reverse_reconsideration(now);
            }
            RtcpPacket::Nack(nack) if nack.media_ssrc == self.ssrc => {
                self.push_event(Event::Nack {
                    sender_ssrc: nack.sender_ssrc,
                    sequence_numbers: nack
                        .pairs
                        .iter()
                        .flat_map(|p| p.lost_sequence_numbers())
                        .collect(),
                });
            }
            RtcpPacket::PictureLossIndication(pli) if pli.media_ssrc == self.ssrc => {
                self.push_event(Event::PictureLossIndication {
                    sender_ssrc: pli.sender_ssrc,
                });
            }
            RtcpPacket::FullIntraRequest(fir) => {
                if let Some(entry) = fir.entries.iter().find(|e| e.ssrc == self.ssrc) {
                    self.push_event(Event::FullIntraRequest {
                        sender_ssrc: fir.sender_ssrc,
                        sequence_number: entry.sequence_number,
                    });
                }
            }
            _ => tracing::trace!("ignoring rtcp packet"),
        }
    }

    fn reception_report(&mut self, now: Instant, reporter: u32, block: ReportBlock) {
        if block.ssrc != self.ssrc {
            return;
        }
        // §6.4.1: RTT = A - LSR - DLSR, in 1/65536 s, when LSR is set.
        let round_trip_time = (block.last_sender_report != 0).then(|| {
            let a = ntp_middle(self.ntp(now));
            let rtt = a
                .wrapping_sub(block.last_sender_report)
                .wrapping_sub(block.delay_since_last_sender_report);
            // A negative result (clock trouble or a forged block) is no RTT.
            (rtt < 0x8000_0000).then(|| from_ntp_short(rtt))
        });
        self.push_event(Event::ReceptionReport {
            reporter,
            block,
            round_trip_time: round_trip_time.flatten(),
        });
    }

    fn source(&self, ssrc: u32) -> Option<&RemoteSource> {
        self.sources.iter().find(|s| s.ssrc == ssrc)
    }

    fn source_index_or_insert(&mut self, ssrc: u32, now: Instant) -> Option<usize> {
        if self
            .sources
            .get(self.last_source)
            .is_some_and(|s| s.ssrc == ssrc)
        {
            return Some(self.last_source);
        }
        if let Some(i) = self.sources.iter().position(|s| s.ssrc == ssrc) {
            self.last_source = i;
            return Some(i);
        }
        if self.sources.len() >= self.config.max_sources {
            self.stats.too_many_sources += 1;
            return None;
        }
        self.sources.push(RemoteSource {
            ssrc,
            left: false,
            rtp_source: None,
            member: false,
            statistics: None,
            last_rtp: None,
            last_activity: now,
            last_sr: None,
            cname: None,
            received_since_report: false,
            jitter_buffer: None,
            dtmf: DtmfReceiver::new(),
        });
        Some(self.sources.len() - 1)
    }

    /// Marks `ssrc` a member because it sent RTCP (§6.3.3).
    fn member(&mut self, ssrc: u32, now: Instant) -> Option<&mut RemoteSource> {
        let index = self.source_index_or_insert(ssrc, now)?;
        let remote = self.sources.get_mut(index)?;
        if remote.left {
            return None;
        }
        remote.last_activity = now;
        if !remote.member {
            remote.member = true;
            push_event(&mut self.events, &mut self.stats, Event::NewSource { ssrc });
        }
        Some(remote)
    }

    /// Queues an event; beyond `MAX_EVENTS` undrained events the oldest is dropped (and
    /// counted), so a driver that never polls cannot make the queue grow without bound.
    fn push_event(&mut self, event: Event) {
        push_event(&mut self.events, &mut self.stats, event);
    }

    /// §8.2: a packet carrying our SSRC from `source`.
    fn collision(&mut self, now: Instant, source: SocketAddr) {
        let horizon = self.receiver_interval() * 10;
        self.conflicts
            .retain(|(_, at)| now.saturating_duration_since(*at) < horizon);
        if let Some(conflict) = self.conflicts.iter_mut().find(|(a, _)| *a == source) {
            // Seen before: a loop or a peer that keeps colliding; ignore the packet.
            conflict.1 = now;
            self.stats.loops += 1;
            return;
        }
        if self.conflicts.len() >= MAX_CONFLICTS {
            self.conflicts.remove(0);
        }
        self.conflicts.push((source, now));
        let old = self.ssrc;
        if self.sent_rtcp || self.last_sent.is_some() {
            self.send_report(now, Some(Some(Bytes::from_static(b"SSRC collision"))));
        }
        let mut new = self.rng.gen();
        while new == old || self.source(new).is_some() {
            new = self.rng.gen();
        }
        self.ssrc = new;
        self.packets_sent = 0;
        self.octets_sent = 0;
        self.last_sent = None;
        tracing::warn!(old, new, %source, "ssrc collision: changed ssrc");
        self.push_event(Event::SsrcCollision { old, new });
    }

    /// §6.3.5: drop silent members, demote silent senders.
    fn check_timeouts(&mut self, now: Instant) {
        let td = self.deterministic_interval(now);
        let member_timeout = td * MEMBER_TIMEOUT_INTERVALS;
        let before = self.sources.len();
        let mut timed_out = Vec::new();
        self.sources.retain(|s| {
            let alive = now.saturating_duration_since(s.last_activity) < member_timeout;
            if !alive && s.member {
                timed_out.push(s.ssrc);
            }
            alive
        });
        for ssrc in timed_out {
            self.push_event(Event::SourceTimeout { ssrc });
        }
        if self.sources.len() != before {
            self.reverse_reconsideration(now);
        }
    }

    /// §6.3.4: after members leave, pull the next report in proportionally.
    fn reverse_reconsideration(&mut self, now: Instant) {
        let members = self.members();
        if self.state != State::Active || members >= self.pmembers || self.pmembers == 0 {
            return;
        }
        #[allow(clippy::cast_precision_loss)]
        let ratio = members as f64 / self.pmembers as f64;
        let ahead = self.tn.saturating_duration_since(now);
        self.tn = now + ahead.mul_f64(ratio);
        let behind = now.saturating_duration_since(self.tp);
        self.tp = now.checked_sub(behind.mul_f64(ratio)).unwrap_or(self.tp);
        self.pmembers = members;
    }

    fn remote_senders(&self, now: Instant) -> usize {
        // §6.3.5: a participant that sent no RTP for two intervals is no longer a sender.
        let window = self.receiver_interval() * 2;
        self.sources
            .iter()
            .filter(|s| {
                s.last_rtp
                    .is_some_and(|t| now.saturating_duration_since(t) < window)
            })
            .count()
    }

    /// §6.3.8: we sent RTP since the second previous report.
    fn we_sent(&self) -> bool {
        match (self.last_sent, self.report_times[1]) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some((at, _)), Some(second_previous)) => at >= second_previous,
        }
    }

    fn inputs(&self, now: Instant) -> IntervalInputs {
        let (members, senders, we_sent) = if self.state == State::Leaving {
            (self.bye_members, 0, false)
        } else {
            (self.members(), self.senders(now), self.we_sent())
        };
        IntervalInputs {
            members,
            senders,
            rtcp_bandwidth: f64::from(self.config.session_bandwidth) * 0.05 / 8.0,
            we_sent,
            avg_rtcp_size: self.avg_rtcp_size,
            initial: self.initial,
            min_interval: self.config.min_rtcp_interval,
        }
    }

    fn interval(&mut self, now: Instant) -> Duration {
        let inputs = self.inputs(now);
        let random: f64 = self.rng.gen();
        inputs.randomised(random)
    }

    /// Td of §6.3.5 with the current members and senders.
    fn deterministic_interval(&self, now: Instant) -> Duration {
        let inputs = IntervalInputs {
            initial: false,
            ..self.inputs(now)
        };
        interval::secs(inputs.deterministic())
    }

    /// Td counting every member as a receiver: the window for sender timeouts (which the
    /// sender count itself depends on) and for §8.2 conflict memory.
    fn receiver_interval(&self) -> Duration {
        let inputs = IntervalInputs {
            members: self.members(),
            senders: 0,
            rtcp_bandwidth: f64::from(self.config.session_bandwidth) * 0.05 / 8.0,
            we_sent: false,
            avg_rtcp_size: self.avg_rtcp_size,
            initial: false,
            min_interval: self.config.min_rtcp_interval,
        };
        interval::secs(inputs.deterministic())
    }

    /// Sends SR or RR + SDES (+ BYE when `bye` is `Some(reason)`).
    fn send_report(&mut self, now: Instant, bye: Option<Option<Bytes>>) {
        let bytes = self.build_report(now, bye);
        for s in &mut self.sources {
            s.received_since_report = false;
        }
        self.avg_rtcp_size +=
            ((bytes.len() + LOWER_LAYER_OVERHEAD) as f64 - self.avg_rtcp_size) / 16.0;
        self.report_times = [Some(now), self.report_times[0]];
        self.sent_rtcp = true;
        self.stats.rtcp_sent += 1;
        self.transmits.push_back(Transmit {
            channel: Channel::Rtcp,
            payload: bytes,
        });
    }

    fn build_report(&mut self, now: Instant, bye: Option<Option<Bytes>>) -> Bytes {
        let mut blocks: Vec<ReportBlock> = Vec::new();
        for s in &mut self.sources {
            if blocks.len() >= 31 {
                // At most 31 blocks per report; the rest wait for the next one.
                break;
            }
            let Some(statistics) = s.statistics.as_mut().filter(|st| st.is_valid()) else {
                continue;
            };
            if !s.received_since_report {
                continue;
            }
            let mut block = statistics.report_block(s.ssrc);
            if let Some((lsr, at)) = s.last_sr {
                block.last_sender_report = lsr;
                block.delay_since_last_sender_report =
                    to_ntp_short(now.saturating_duration_since(at));
            }
            blocks.push(block);
        }
        let mut builder = CompoundBuilder::new();
        let written = if self.we_sent() {
            let rtp_timestamp = match self.last_sent {
                Some((at, ts)) => {
                    // The RTP timestamp of `now` on the media clock (§6.4.1).
                    #[allow(clippy::cast_possible_truncation)]
                    let advance =
                        units(now.saturating_duration_since(at), self.config.clock_rate) as u32;
                    ts.wrapping_add(advance)
                }
                None => self.timestamp,
            };
            let info = SenderInfo {
                ntp_timestamp: self.ntp(now),
                rtp_timestamp,
                packet_count: self.packets_sent,
                octet_count: self.octets_sent,
            };
            builder.sender_report(self.ssrc, info, &blocks).map(|_| ())
        } else {
            builder.receiver_report(self.ssrc, &blocks).map(|_| ())
        };
        let cname = self
            .cname
            .get(..self.cname.len().min(255))
            .unwrap_or_default();
        let sdes = builder
            .source_description(self.ssrc, &[SdesItem::new(SdesItemType::Cname, cname)])
            .map(|_| ());
        let goodbye = match &bye {
            Some(reason) => {
                let reason = reason
                    .as_ref()
                    .map(|r| r.get(..r.len().min(255)).unwrap_or_default());
                builder.goodbye(&[self.ssrc], reason).map(|_| ())
            }
            None => Ok(()),
        };
        if let Err(e) = written.and(sdes).and(goodbye) {
            // Counts and lengths are bounded above, so this does not happen.
            tracing::error!(error = %e, "building rtcp report failed");
        }
        builder.finish()
    }

    /// Our NTP clock at `now` (64-bit fixed point).
    fn ntp(&self, now: Instant) -> u64 {
        let elapsed = now.saturating_duration_since(self.start);
        let since_unix = self
            .config
            .wall_clock
            .and_then(|w| w.duration_since(UNIX_EPOCH).ok())
            .map(|d| d + elapsed + Duration::from_secs(NTP_UNIX_OFFSET));
        let t = since_unix.unwrap_or(elapsed);
        let frac = (u64::from(t.subsec_nanos()) << 32) / 1_000_000_000;
        (t.as_secs() << 32) | frac
    }

    /// Time since the session's start in media clock units; the last conversion is cached
    /// because a driver passes the same `now` to several calls in a row.
    #[inline]
    fn elapsed_units(&mut self, now: Instant) -> u64 {
        if self.clock.0 != now {
            self.clock = (
                now,
                units(
                    now.saturating_duration_since(self.start),
                    self.config.clock_rate,
                ),
            );
        }
        self.clock.1
    }
}

/// `Session::push_event` on disjoint fields, for call sites that hold a source borrowed.
fn push_event(events: &mut VecDeque<Event>, stats: &mut SessionStats, event: Event) {
    if events.len() >= MAX_EVENTS {
        events.pop_front();
        stats.events_dropped += 1;
    }
    events.push_back(event);
}

/// The middle 32 bits of an NTP timestamp (LSR, §6.4.1).
fn ntp_middle(ntp: u64) -> u32 {
    // Bits 16..48.
    #[allow(clippy::cast_possible_truncation)]
    let m = (ntp >> 16) as u32;
    m
}

/// A duration in 1/65536 s (DLSR), saturating.
fn to_ntp_short(d: Duration) -> u32 {
    let v = (d.as_secs() << 16) + ((u64::from(d.subsec_nanos()) << 16) / 1_000_000_000);
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn from_ntp_short(v: u32) -> Duration {
    Duration::from_nanos((u64::from(v) * 1_000_000_000) >> 16)
}

#[cfg(test)]
mod tests;
