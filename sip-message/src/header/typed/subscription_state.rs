//! `Subscription-State` (RFC 6665 §8.2.3).

use core::fmt;

use bytes::Bytes;

use crate::header::typed::support::{
    header_params, once, param_delta, param_token, parse_value, ParamsOut,
};
use crate::{ByteStr, HeaderName, Params, Result, TypedHeader};

/// `Subscription-State: substate-value *( SEMI subexp-params )` (RFC 6665 §8.2.3): the state
/// of a subscription in a NOTIFY, with `expires`, `reason` and `retry-after` parsed out.
///
/// ```
/// use sip_message::{header::{SubState, SubscriptionState}, TypedHeader};
/// let s = SubscriptionState::parse_str("terminated;reason=timeout;retry-after=30").unwrap();
/// assert_eq!(s.state, SubState::Terminated);
/// assert_eq!(s.reason.as_deref(), Some("timeout"));
/// assert_eq!(s.retry_after, Some(30));
/// assert_eq!(SubscriptionState::active(600).to_string(), "active;expires=600");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubscriptionState {
    /// The state.
    pub state: SubState,
    /// `reason` (`deactivated`, `probation`, `rejected`, `timeout`, `giveup`,
    /// `noresource`, `invariant` or an extension token), as written.
    pub reason: Option<ByteStr>,
    /// `expires` in seconds.
    pub expires: Option<u32>,
    /// `retry-after` in seconds.
    pub retry_after: Option<u32>,
    /// Other parameters, in order, values as written.
    pub params: Params,
}

/// `substate-value` (RFC 6665 §8.2.3); the registered states compare ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubState {
    /// `active`.
    Active,
    /// `pending`.
    Pending,
    /// `terminated`.
    Terminated,
    /// An extension state (`token`), as written.
    Extension(ByteStr),
}

impl SubState {
    /// The state as written on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Terminated => "terminated",
            Self::Extension(s) => s,
        }
    }

    fn from_token(s: ByteStr) -> Self {
        if s.eq_ignore_ascii_case("active") {
            Self::Active
        } else if s.eq_ignore_ascii_case("pending") {
            Self::Pending
        } else if s.eq_ignore_ascii_case("terminated") {
            Self::Terminated
        } else {
            Self::Extension(s)
        }
    }
}

impl SubscriptionState {
    /// A state without parameters.
    pub fn new(state: SubState) -> Self {
        Self {
            state,
            reason: None,
            expires: None,
            retry_after: None,
            params: Params::new(),
        }
    }

    /// `active;expires=<seconds>`.
    pub fn active(expires: u32) -> Self {
        Self {
            expires: Some(expires),
            ..Self::new(SubState::Active)
        }
    }

    /// `pending;expires=<seconds>`.
    pub fn pending(expires: u32) -> Self {
        Self {
            expires: Some(expires),
            ..Self::new(SubState::Pending)
        }
    }

    /// `terminated;reason=<reason>`.
    pub fn terminated(reason: impl Into<ByteStr>) -> Self {
        Self {
            reason: Some(reason.into()),
            ..Self::new(SubState::Terminated)
        }
    }
}

impl TypedHeader for SubscriptionState {
    const NAME: HeaderName = HeaderName::SubscriptionState;

    fn parse(value: &Bytes) -> Result<Self> {
        parse_value(value, "Subscription-State", |cur| {
            let state = SubState::from_token(cur.token("subscription state")?);
            let mut reason = None;
            let mut expires = None;
            let mut retry_after = None;
            let params = header_params(cur, |p, at| {
                let dup = "parameter not given twice";
                if p.name.eq_ignore_ascii_case("reason") {
                    once(&reason, at, dup)?;
                    reason = Some(param_token(p, at, "reason=token")?);
                } else if p.name.eq_ignore_ascii_case("expires") {
                    once(&expires, at, dup)?;
                    expires = Some(param_delta(p, at)?);
                } else if p.name.eq_ignore_ascii_case("retry-after") {
                    once(&retry_after, at, dup)?;
                    retry_after = Some(param_delta(p, at)?);
                } else {
                    return Ok(false);
                }
                Ok(true)
            })?;
            Ok(Self {
                state,
                reason,
                expires,
                retry_after,
                params,
            })
        })
    }
}

impl fmt::Display for SubState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for SubscriptionState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.state.as_str())?;
        if let Some(r) = &self.reason {
            write!(f, ";reason={r}")?;
        }
        if let Some(e) = self.expires {
            write!(f, ";expires={e}")?;
        }
        if let Some(r) = self.retry_after {
            write!(f, ";retry-after={r}")?;
        }
        write!(f, "{}", ParamsOut(&self.params))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[test]
    fn valid() {
        let s = SubscriptionState::parse_str(" ACTIVE ;\r\n Expires = 3600 ; x=\"y\"").unwrap();
        assert_eq!(s.state, SubState::Active);
        assert_eq!(s.expires, Some(3600));
        assert_eq!(s.params.get("x"), Some("\"y\""));
        assert_eq!(s.to_string(), "active;expires=3600;x=\"y\"");
        let s = SubscriptionState::parse_str("waiting").unwrap();
        assert_eq!(
            s.state,
            SubState::Extension(ByteStr::from_static("waiting"))
        );
        assert_eq!(
            SubscriptionState::terminated("noresource").to_string(),
            "terminated;reason=noresource"
        );
        assert_eq!(SubscriptionState::pending(5).expires, Some(5));
    }

    #[test]
    fn invalid() {
        for (bad, offset) in [
            ("", 0),
            ("active;expires", 6),
            ("active;expires=-1", 6),
            ("active;expires=4294967296", 6),
            ("active;expires=1;expires=2", 6),
            ("terminated;reason=\"timeout\"", 10),
            ("terminated;retry-after=soon", 10),
            ("active x", 7),
        ] {
            match SubscriptionState::parse_str(bad) {
                Err(Error::Header {
                    name: "Subscription-State",
                    offset: o,
                    ..
                }) => assert_eq!(o, offset, "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
