//! The offer/answer model (RFC 3264), sans-IO.
//!
//! [`OfferAnswer`] holds this side's capabilities ([`StreamConfig`] per m-line) and the
//! negotiation state. It never sends anything: the caller carries the descriptions it
//! produces in SIP bodies and feeds back what the peer sent.

mod config;
mod events;
mod pt_text;
mod result;

use std::borrow::Cow;

pub use config::{Codec, CodecOrder, SessionConfig, StreamConfig, TelephoneEvent};
pub use result::{ActiveStream, NegotiatedCodec, NegotiatedSession, NegotiatedStream};

use crate::attribute::{parse_num, Attribute, Direction, Fmtp, RtpMap};
use crate::attributes::{Attributes, Digest};
use crate::description::{
    addrtype_of, own, Connection, MediaDescription, Origin, SessionDescription, Timing,
};
use crate::formats::Formats;
use crate::text::eq_ignore_case;
use crate::Error;
use events::EventSet;
pub(crate) use pt_text::PT_TEXT;

/// Where a session is in the offer/answer exchange.
///
/// ```text
///                 create_offer                   set_remote_answer
///      +--------+ -----------> +----------------+ ----------------> +--------+
///      | Stable |              | HaveLocalOffer |                   | Stable |
///      +--------+ <----------- +----------------+                   +--------+
///        |   ^      rollback
///        |   |      rollback
///        |   +---------------- +-----------------+  create_answer
///        +-------------------> | HaveRemoteOffer | ---------------> Stable
///         set_remote_offer     +-----------------+
/// ```
///
/// RFC 3264 §4: a new offer may only be made once the previous exchange has completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalingState {
    /// No exchange in progress.
    Stable,
    /// This side sent an offer and waits for the answer.
    HaveLocalOffer,
    /// This side received an offer and owes an answer.
    HaveRemoteOffer,
}

/// An RFC 3264 offer/answer negotiation for one session (one SIP dialog), sans-IO.
///
/// Drive it like this:
///
/// - To offer: [`create_offer`](Self::create_offer), send the description, then feed the
///   answer to [`set_remote_answer`](Self::set_remote_answer) (or
///   [`rollback`](Self::rollback) if the offer was refused).
/// - To answer: [`set_remote_offer`](Self::set_remote_offer), optionally adjust streams
///   (for example [`add_stream`](Self::add_stream) to accept a new m-line), then
///   [`create_answer`](Self::create_answer) and send it.
/// - After either, [`negotiated`](Self::negotiated) tells the RTP layer what to do.
///
/// Re-offers (RFC 3264 §8) come from changing the streams ([`hold`](Self::hold),
/// [`resume`](Self::resume), [`disable_stream`](Self::disable_stream),
/// [`stream_mut`](Self::stream_mut) for a new address or port, [`add_stream`](Self::add_stream))
/// and calling `create_offer` again. The `o=` version goes up by one exactly when a new local
/// description differs from the previous one.
///
/// Calls out of order return [`Error::InvalidState`] and change nothing.
#[derive(Debug, Clone)]
pub struct OfferAnswer {
    config: SessionConfig,
    streams: Vec<StreamConfig>,
    state: SignalingState,
    last_local: Option<SessionDescription<'static>>,
    remote_offer: Option<SessionDescription<'static>>,
    negotiated: Option<NegotiatedSession>,
    address_text: Cow<'static, str>,
    session_mlines: usize,
}

impl OfferAnswer {
    /// A negotiation in the stable state with the given local streams (one per m-line).
    pub fn new(config: SessionConfig, streams: Vec<StreamConfig>) -> Self {
        Self {
            address_text: Cow::Owned(config.address.to_string()),
            config,
            streams,
            state: SignalingState::Stable,
            last_local: None,
            remote_offer: None,
            negotiated: None,
            session_mlines: 0,
        }
    }

    /// The current state.
    pub fn state(&self) -> SignalingState {
        self.state
    }

    /// Session-wide settings.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// Local streams, one per m-line.
    pub fn streams(&self) -> &[StreamConfig] {
        &self.streams
    }

    /// The most recent local description created (offer or answer).
    pub fn local_description(&self) -> Option<&SessionDescription<'static>> {
        self.last_local.as_ref()
    }

    /// The offer received and not yet answered.
    pub fn remote_offer(&self) -> Option<&SessionDescription<'static>> {
        self.remote_offer.as_ref()
    }

    /// The outcome of the last completed exchange.
    pub fn negotiated(&self) -> Option<&NegotiatedSession> {
        self.negotiated.as_ref()
    }

    /// Mutable access to a stream, for example to change its address or port.
    ///
    /// # Errors
    /// [`Error::Config`] if there is no such stream.
    pub fn stream_mut(&mut self, index: usize) -> Result<&mut StreamConfig, Error> {
        self.streams.get_mut(index).ok_or(Error::Config {
            reason: "no stream with that index",
        })
    }

    /// Adds a stream at the end (a new m-line in the next offer, RFC 3264 §8.1) and returns
    /// its index.
    pub fn add_stream(&mut self, stream: StreamConfig) -> usize {
        self.streams.push(stream);
        self.streams.len() - 1
    }

    /// Puts a stream on hold (RFC 3264 §8.4): the next offer drops its receive half.
    ///
    /// # Errors
    /// [`Error::Config`] if there is no such stream.
    pub fn hold(&mut self, index: usize) -> Result<(), Error> {
        self.stream_mut(index)?.held = true;
        Ok(())
    }

    /// Takes a stream off hold.
    ///
    /// # Errors
    /// [`Error::Config`] if there is no such stream.
    pub fn resume(&mut self, index: usize) -> Result<(), Error> {
        self.stream_mut(index)?.held = false;
        Ok(())
    }

    /// Disables a stream: port 0 in the next offer or answer (RFC 3264 §8.2).
    ///
    /// # Errors
    /// [`Error::Config`] if there is no such stream.
    pub fn disable_stream(&mut self, index: usize) -> Result<(), Error> {
        self.stream_mut(index)?.enabled = false;
        Ok(())
    }

    /// Re-enables a disabled stream on the given port.
    ///
    /// # Errors
    /// [`Error::Config`] if there is no such stream or the port is 0.
    pub fn enable_stream(&mut self, index: usize, port: u16) -> Result<(), Error> {
        if port == 0 {
            return Err(Error::Config {
                reason: "an enabled stream needs a non-zero port",
            });
        }
        let s = self.stream_mut(index)?;
        s.enabled = true;
        s.port = port;
        Ok(())
    }

    /// Creates an offer from the local streams (RFC 3264 §5) and moves to
    /// [`SignalingState::HaveLocalOffer`].
    ///
    /// # Errors
    /// [`Error::InvalidState`] unless the state is stable.
    pub fn create_offer(&mut self) -> Result<&SessionDescription<'static>, Error> {
        self.require(SignalingState::Stable, "create_offer")?;
        let mut d = self.base_description();
        d.media.reserve(self.streams.len());
        for s in &self.streams {
            d.media.push(offer_media(s, &self.config));
        }
        self.state = SignalingState::HaveLocalOffer;
        Ok(self.commit_local(d))
    }

    /// Takes the peer's answer to this side's offer (RFC 3264 §7) and moves to
    /// [`SignalingState::Stable`].
    ///
    /// # Errors
    /// [`Error::InvalidState`] unless an offer is outstanding; [`Error::OfferAnswer`] if the
    /// answer's m-lines do not match the offer's (count or media types). On error the state
    /// is unchanged, so the caller may [`rollback`](Self::rollback).
    pub fn set_remote_answer(
        &mut self,
        answer: &SessionDescription<'_>,
    ) -> Result<&NegotiatedSession, Error> {
        self.require(SignalingState::HaveLocalOffer, "set_remote_answer")?;
        let Some(offer) = &self.last_local else {
            return Err(Error::InvalidState {
                operation: "set_remote_answer",
                state: self.state,
            });
        };
        if answer.media.len() != offer.media.len() {
            return Err(Error::OfferAnswer {
                reason: "answer has a different number of m-lines than the offer (RFC 3264 §6)",
            });
        }
        let mut streams = Vec::with_capacity(offer.media.len());
        for (i, (om, am)) in offer.media.iter().zip(&answer.media).enumerate() {
            if om.media != am.media {
                return Err(Error::OfferAnswer {
                    reason: "answer changes the media type of an m-line",
                });
            }
            let local = self.streams.get(i);
            streams.push(match local {
                Some(local) if om.port != 0 && am.port != 0 => {
                    read_answer(answer, i, am, local).unwrap_or_else(|| rejected(&om.media))
                }
                _ => rejected(&om.media),
            });
        }
        self.session_mlines = offer.media.len();
        self.state = SignalingState::Stable;
        Ok(self.negotiated.insert(NegotiatedSession { streams }))
    }

    /// Takes an offer from the peer (RFC 3264 §6) and moves to
    /// [`SignalingState::HaveRemoteOffer`].
    ///
    /// # Errors
    /// [`Error::InvalidState`] unless the state is stable; [`Error::OfferAnswer`] if the offer
    /// has fewer m-lines than the session already has (RFC 3264 §8: m-lines are never removed).
    pub fn set_remote_offer(&mut self, offer: &SessionDescription<'_>) -> Result<(), Error> {
        self.require(SignalingState::Stable, "set_remote_offer")?;
        if offer.media.len() < self.session_mlines {
            return Err(Error::OfferAnswer {
                reason: "offer has fewer m-lines than the session (RFC 3264 §8)",
            });
        }
        self.remote_offer = Some(offer.to_static());
        self.state = SignalingState::HaveRemoteOffer;
        Ok(())
    }

    /// Answers the offer taken by [`set_remote_offer`](Self::set_remote_offer) and moves to
    /// [`SignalingState::Stable`]; [`negotiated`](Self::negotiated) then holds the outcome.
    ///
    /// The answer has the offer's m-lines in the same order (RFC 3264 §6). A stream is
    /// rejected with port 0 when the offer disabled it, no local stream of the same media type
    /// and protocol sits at that position, the protocol is not RTP, the remote address is not
    /// an IP literal, or no codec matches. Codecs keep the offer's payload type numbers.
    ///
    /// # Errors
    /// [`Error::InvalidState`] unless an offer is outstanding.
    pub fn create_answer(&mut self) -> Result<&SessionDescription<'static>, Error> {
        self.require(SignalingState::HaveRemoteOffer, "create_answer")?;
        let Some(offer) = self.remote_offer.take() else {
            return Err(Error::InvalidState {
                operation: "create_answer",
                state: self.state,
            });
        };
        for m in offer.media.get(self.streams.len()..).unwrap_or_default() {
            self.streams.push(StreamConfig::placeholder(
                m.media.clone(),
                m.protocol.clone(),
                self.config.address,
            ));
        }
        let mut d = self.base_description();
        let mut streams = Vec::with_capacity(offer.media.len());
        for (i, (om, local)) in offer.media.iter().zip(&mut self.streams).enumerate() {
            let (m, n) = answer_media(&offer, i, om, local, &self.config);
            if let NegotiatedStream::Active(a) = &n {
                remember_payload_types(local, a);
            }
            d.media.push(m);
            streams.push(n);
        }
        self.negotiated = Some(NegotiatedSession { streams });
        self.session_mlines = offer.media.len();
        self.state = SignalingState::Stable;
        Ok(self.commit_local(d))
    }

    /// Abandons the exchange in progress: an offer the peer refused (for example with SIP
    /// 488) or an offer this side will not answer. Back to [`SignalingState::Stable`]; the
    /// previous negotiated session still applies.
    ///
    /// # Errors
    /// [`Error::InvalidState`] when already stable.
    pub fn rollback(&mut self) -> Result<(), Error> {
        match self.state {
            SignalingState::Stable => Err(Error::InvalidState {
                operation: "rollback",
                state: self.state,
            }),
            SignalingState::HaveLocalOffer | SignalingState::HaveRemoteOffer => {
                self.remote_offer = None;
                self.state = SignalingState::Stable;
                Ok(())
            }
        }
    }

    fn require(&self, state: SignalingState, operation: &'static str) -> Result<(), Error> {
        if self.state == state {
            Ok(())
        } else {
            Err(Error::InvalidState {
                operation,
                state: self.state,
            })
        }
    }

    fn base_description(&self) -> SessionDescription<'static> {
        let addrtype = Cow::Borrowed(addrtype_of(self.config.address));
        SessionDescription {
            version: 0,
            origin: Origin {
                username: self.config.username.clone(),
                session_id: self.config.session_id,
                session_version: self.config.session_version,
                nettype: Cow::Borrowed("IN"),
                addrtype: addrtype.clone(),
                unicast_address: self.address_text.clone(),
            },
            session_name: self.config.session_name.clone(),
            information: None,
            uri: None,
            emails: Vec::new(),
            phones: Vec::new(),
            connection: Some(Connection {
                nettype: Cow::Borrowed("IN"),
                addrtype,
                address: self.address_text.clone(),
                ttl: None,
                count: None,
            }),
            bandwidths: Vec::new(),
            times: vec![Timing::default()],
            key: None,
            attributes: Attributes::new(),
            media: Vec::with_capacity(self.streams.len()),
        }
    }

    /// RFC 3264 §8: the version goes up by one when, and only when, the description changed.
    fn commit_local(&mut self, mut d: SessionDescription<'static>) -> &SessionDescription<'static> {
        if let Some(prev) = &self.last_local {
            let version = prev.origin.session_version;
            d.origin.session_version = version;
            if d != *prev {
                d.origin.session_version = version.wrapping_add(1);
            }
        }
        self.last_local.insert(d)
    }
}

#[allow(clippy::ptr_arg)]
fn rejected(media: &Cow<'static, str>) -> NegotiatedStream {
    // A `Cow` argument so that borrowed `'static` media types are not copied.
    NegotiatedStream::Rejected {
        media: Cow::clone(media),
    }
}

fn pt_text(pt: u8) -> Cow<'static, str> {
    PT_TEXT
        .get(usize::from(pt))
        .map_or_else(|| Cow::Owned(pt.to_string()), |s| Cow::Borrowed(*s))
}

fn media_connection(
    address: std::net::IpAddr,
    config: &SessionConfig,
) -> Option<Connection<'static>> {
    (address != config.address).then(|| Connection::new(address))
}

/// Builds one m-line of an offer.
fn offer_media(s: &StreamConfig, config: &SessionConfig) -> MediaDescription<'static> {
    let port = if s.is_active() { s.port } else { 0 };
    let mut m = MediaDescription::new(s.media.clone(), port, s.protocol.clone());
    let mut used = [false; 128];
    let te_pt = s.telephone_event.as_ref().map(|t| t.payload_type & 0x7f);
    if let Some(p) = te_pt {
        if let Some(u) = used.get_mut(usize::from(p)) {
            *u = true;
        }
    }
    // Payload types: the configured or static one if free, else the next free dynamic one.
    let mut chosen: Vec<(u8, &Codec)> = Vec::with_capacity(s.codecs.len());
    let mut pending = Vec::new();
    for c in &s.codecs {
        match c.payload_type.or_else(|| c.static_payload_type()) {
            Some(p) if p < 128 && !used.get(usize::from(p)).copied().unwrap_or(true) => {
                if let Some(u) = used.get_mut(usize::from(p)) {
                    *u = true;
                }
                chosen.push((p, c));
            }
            _ => {
                pending.push(chosen.len());
                chosen.push((u8::MAX, c));
            }
        }
    }
    let mut next = 96u8;
    for i in pending {
        while next < 128 && used.get(usize::from(next)).copied().unwrap_or(true) {
            next += 1;
        }
        if let (Some(entry), true) = (chosen.get_mut(i), next < 128) {
            entry.0 = next;
            if let Some(u) = used.get_mut(usize::from(next)) {
                *u = true;
            }
        }
    }
    chosen.retain(|(p, _)| *p < 128);

    if !s.is_active() {
        m.formats = chosen.iter().map(|(p, _)| pt_text(*p)).collect();
        if m.formats.is_empty() {
            m.formats.push(Cow::Borrowed("0"));
        }
        return m;
    }
    if let Some(c) = media_connection(s.address, config) {
        m.connections.push(c);
    }
    for (p, c) in &chosen {
        m.formats.push(pt_text(*p));
        m.attributes.push(Attribute::RtpMap(RtpMap {
            payload_type: *p,
            encoding: c.name.clone(),
            clock_rate: c.clock_rate,
            channels: c.channels,
        }));
        if let Some(f) = &c.fmtp {
            m.attributes.push(Attribute::Fmtp(Fmtp {
                format: pt_text(*p),
                parameters: f.clone(),
            }));
        }
    }
    if let (Some(te), Some(p)) = (&s.telephone_event, te_pt) {
        push_telephone_event(&mut m, p, te.clock_rate, te.events.clone());
    }
    if m.formats.is_empty() {
        m.formats.push(Cow::Borrowed("0"));
    }
    push_stream_attributes(&mut m, s, s.effective_direction());
    m
}

fn push_telephone_event(
    m: &mut MediaDescription<'static>,
    pt: u8,
    clock_rate: u32,
    events: Cow<'static, str>,
) {
    m.formats.push(pt_text(pt));
    m.attributes.push(Attribute::RtpMap(RtpMap {
        payload_type: pt,
        encoding: Cow::Borrowed("telephone-event"),
        clock_rate,
        channels: None,
    }));
    m.attributes.push(Attribute::Fmtp(Fmtp {
        format: pt_text(pt),
        parameters: events,
    }));
}

fn push_stream_attributes(
    m: &mut MediaDescription<'static>,
    s: &StreamConfig,
    direction: Direction,
) {
    if let Some(p) = s.ptime {
        m.attributes.push(Attribute::Ptime(p));
    }
    if let Some(p) = s.maxptime {
        m.attributes.push(Attribute::MaxPtime(p));
    }
    m.attributes.push(Attribute::Direction(direction));
    m.attributes.extend(s.extra_attributes.iter().cloned());
}

/// The direction a description states for media section `index`, with the RFC 2543 hold
/// address `0.0.0.0` read as "do not send to me" (RFC 3264 §8.4, RFC 6337 §5.3).
fn stated_direction(
    d: &SessionDescription<'_>,
    media: Option<Direction>,
    connection: &Connection<'_>,
) -> Direction {
    // As `SessionDescription::direction_for`, with the media's direction already read.
    let dir = media
        .or_else(|| d.attributes.direction())
        .unwrap_or(Direction::SendRecv);
    if connection.is_hold_address() {
        Direction::from_flags(dir.sends(), false)
    } else {
        dir
    }
}

/// G.729 Annex B is on unless `annexb=no` (RFC 4856 §2.1.9).
fn annexb(fmtp: Option<&str>) -> bool {
    !fmtp.is_some_and(|f| {
        f.split(';').any(|p| {
            p.split_once('=').is_some_and(|(k, v)| {
                k.trim().eq_ignore_ascii_case("annexb") && v.trim().eq_ignore_ascii_case("no")
            })
        })
    })
}

/// The codec agreed from local codec `lc` and the peer's `remote` (its payload type and
/// channels, and its fmtp `remote_fmtp`).
fn agreed_codec(
    lc: &Codec,
    remote: &crate::PayloadCodec<'_>,
    remote_fmtp: Option<&str>,
) -> NegotiatedCodec {
    NegotiatedCodec {
        payload_type: remote.payload_type,
        name: lc.name.clone(),
        clock_rate: lc.clock_rate,
        channels: remote.channels,
        fmtp: agreed_fmtp(&lc.name, lc.fmtp.as_ref(), remote_fmtp),
    }
}

/// The fmtp for an agreed codec.
fn agreed_fmtp(
    name: &str,
    local: Option<&Cow<'static, str>>,
    remote: Option<&str>,
) -> Option<Cow<'static, str>> {
    if eq_ignore_case(name, "G729") {
        return if annexb(local.map(|c| &**c)) && annexb(remote) {
            remote.map(own)
        } else {
            Some(Cow::Borrowed("annexb=no"))
        };
    }
    local.cloned().or_else(|| remote.map(own))
}

/// Picks the telephone-event format to use from a description's m-line: the one at the clock
/// rate of the chosen codec, else the one at the local clock rate; events are the
/// intersection of both lists.
fn choose_telephone_event(
    formats: &Formats<'_>,
    attributes: &Digest<'_>,
    local: &TelephoneEvent,
    codec_clock: u32,
) -> Option<TelephoneEvent> {
    let mut best: Option<(u8, u32)> = None;
    for pt in formats.iter().filter_map(parse_num::<u8>) {
        let Some(c) = attributes.codec(pt) else {
            continue;
        };
        if !eq_ignore_case(c.encoding, "telephone-event") {
            continue;
        }
        if c.clock_rate == codec_clock {
            best = Some((pt, c.clock_rate));
            break;
        }
        if c.clock_rate == local.clock_rate && best.is_none() {
            best = Some((pt, c.clock_rate));
        }
    }
    let (pt, clock_rate) = best?;
    let offered_text = attributes.fmtp(PT_TEXT.get(usize::from(pt)).copied().unwrap_or(""));
    let offered = EventSet::parse(offered_text);
    let local_set = EventSet::parse(Some(&local.events));
    let both = offered.intersect(local_set);
    if both.is_empty() {
        return None;
    }
    // Reuse a list as written when it already is the intersection.
    let events = if both == offered {
        offered_text.map_or(Cow::Borrowed("0-15"), own)
    } else if both == local_set {
        local.events.clone()
    } else {
        Cow::Owned(both.render())
    };
    Some(TelephoneEvent {
        payload_type: pt,
        clock_rate,
        events,
    })
}

/// Builds one m-line of an answer and what it means for this side (RFC 3264 §6.1).
fn answer_media(
    offer: &SessionDescription<'static>,
    index: usize,
    om: &MediaDescription<'static>,
    local: &StreamConfig,
    config: &SessionConfig,
) -> (MediaDescription<'static>, NegotiatedStream) {
    let reject = || {
        let mut m = MediaDescription::new(om.media.clone(), 0, om.protocol.clone());
        m.formats.clone_from(&om.formats);
        if m.formats.is_empty() {
            m.formats.push(Cow::Borrowed("0"));
        }
        (m, rejected(&om.media))
    };
    if om.port == 0
        || !local.is_active()
        || !eq_ignore_case(&local.media, &om.media)
        || !eq_ignore_case(&local.protocol, &om.protocol)
        || !om.is_rtp()
    {
        return reject();
    }
    let Some(connection) = offer.connection_for(index) else {
        return reject();
    };
    let Some(remote_address) = connection.ip() else {
        return reject();
    };
    // Typed once for the lookups below.
    let attrs = om.attributes.digest();
    let offered = stated_direction(offer, attrs.direction, connection);
    let direction = local.effective_direction().intersect(offered.reverse());

    // Codec intersection, in the offer's order (RFC 3264 §6.1).
    // The local index of each agreed codec, for the answerer's order; and which local codecs
    // are taken (a bit each for the first 64, a list beyond).
    let answerer_order = config.codec_order == CodecOrder::Answerer;
    let mut codecs: Vec<NegotiatedCodec> = Vec::with_capacity(local.codecs.len());
    let mut order: Vec<usize> = Vec::new();
    let (mut taken, mut taken_beyond) = (0u64, Vec::new());
    for fmt in om.formats.iter() {
        let Some(pt) = parse_num::<u8>(fmt) else {
            continue;
        };
        let Some(c) = attrs.codec(pt) else { continue };
        let Some((j, lc)) = local
            .codecs
            .iter()
            .enumerate()
            .find(|(_, lc)| lc.matches(c.encoding, c.clock_rate, c.channels))
        else {
            continue;
        };
        match u32::try_from(j).ok().and_then(|j| 1u64.checked_shl(j)) {
            Some(bit) if taken & bit != 0 => continue,
            Some(bit) => taken |= bit,
            None if taken_beyond.contains(&j) => continue,
            None => taken_beyond.push(j),
        }
        if answerer_order {
            order.push(j);
        }
        codecs.push(agreed_codec(lc, &c, attrs.fmtp(fmt)));
    }
    if answerer_order {
        let mut pairs: Vec<(usize, NegotiatedCodec)> = order.into_iter().zip(codecs).collect();
        pairs.sort_by_key(|(j, _)| *j);
        codecs = pairs.into_iter().map(|(_, c)| c).collect();
    }
    if config.single_codec_answer {
        codecs.truncate(1);
    }
    let Some(codec) = codecs.first().cloned() else {
        return reject();
    };
    let telephone_event = local
        .telephone_event
        .as_ref()
        .and_then(|t| choose_telephone_event(&om.formats, &attrs, t, codec.clock_rate));

    let mut m = MediaDescription::new(om.media.clone(), local.port, om.protocol.clone());
    if let Some(c) = media_connection(local.address, config) {
        m.connections.push(c);
    }
    // Room for every line pushed below, so that no push reallocates.
    m.formats = Formats::from(Vec::with_capacity(codecs.len() + 1));
    m.attributes = Attributes::from(Vec::with_capacity(
        2 * codecs.len() + 5 + local.extra_attributes.len(),
    ));
    for c in &codecs {
        m.formats.push(pt_text(c.payload_type));
        m.attributes.push(Attribute::RtpMap(RtpMap {
            payload_type: c.payload_type,
            encoding: c.name.clone(),
            clock_rate: c.clock_rate,
            channels: c.channels,
        }));
        if let Some(f) = &c.fmtp {
            m.attributes.push(Attribute::Fmtp(Fmtp {
                format: pt_text(c.payload_type),
                parameters: f.clone(),
            }));
        }
    }
    if let Some(t) = &telephone_event {
        push_telephone_event(&mut m, t.payload_type, t.clock_rate, t.events.clone());
    }
    push_stream_attributes(&mut m, local, direction);
    let offered_mux = attrs.rtcp_mux;
    let local_mux = local.extra_attributes.contains(&Attribute::RtcpMux);
    if !offered_mux && local_mux {
        // RFC 5761 §5.1.1: rtcp-mux only in an answer to an offer that has it (it can only
        // have come from the extra attributes).
        m.attributes.retain(|a| *a != Attribute::RtcpMux);
    }

    let stream = ActiveStream {
        media: om.media.clone(),
        local_port: local.port,
        remote_address,
        remote_port: om.port,
        remote_rtcp_port: attrs.rtcp_port,
        rtcp_mux: offered_mux && local_mux,
        codec,
        codecs,
        telephone_event,
        direction,
        ptime: attrs.ptime,
    };
    (m, NegotiatedStream::Active(stream))
}

/// Reads the answer's m-line `index` against this side's stream (RFC 3264 §7).
fn read_answer(
    answer: &SessionDescription<'_>,
    index: usize,
    am: &MediaDescription<'_>,
    local: &StreamConfig,
) -> Option<NegotiatedStream> {
    let connection = answer.connection_for(index)?;
    let remote_address = connection.ip()?;
    let attrs = am.attributes.digest();
    let answered = stated_direction(answer, attrs.direction, connection);
    let direction = local.effective_direction().intersect(answered.reverse());
    let mut codecs = Vec::new();
    for fmt in am.formats.iter() {
        let Some(pt) = parse_num::<u8>(fmt) else {
            continue;
        };
        let Some(c) = attrs.codec(pt) else { continue };
        let Some(lc) = local
            .codecs
            .iter()
            .find(|lc| lc.matches(c.encoding, c.clock_rate, c.channels))
        else {
            continue;
        };
        codecs.push(agreed_codec(lc, &c, attrs.fmtp(fmt)));
    }
    let codec = codecs.first()?.clone();
    let telephone_event = local
        .telephone_event
        .as_ref()
        .and_then(|t| choose_telephone_event(&am.formats, &attrs, t, codec.clock_rate));
    Some(NegotiatedStream::Active(ActiveStream {
        media: own(&am.media),
        local_port: local.port,
        remote_address,
        remote_port: am.port,
        remote_rtcp_port: attrs.rtcp_port,
        rtcp_mux: attrs.rtcp_mux && local.extra_attributes.contains(&Attribute::RtcpMux),
        codec,
        codecs,
        telephone_event,
        direction,
        ptime: attrs.ptime,
    }))
}

/// RFC 3264 §8.3.2: later offers keep the dynamic payload type numbers agreed in an answer.
fn remember_payload_types(local: &mut StreamConfig, agreed: &ActiveStream) {
    for c in &agreed.codecs {
        if c.payload_type < 96 {
            continue;
        }
        if let Some(lc) = local
            .codecs
            .iter_mut()
            .find(|lc| lc.matches(&c.name, c.clock_rate, c.channels))
        {
            lc.payload_type = Some(c.payload_type);
        }
    }
    if let (Some(lt), Some(t)) = (&mut local.telephone_event, &agreed.telephone_event) {
        lt.payload_type = t.payload_type;
    }
}
