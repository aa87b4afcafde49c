//! Response status codes (RFC 3261 §7.2, §21 and the IANA "Response Codes" registry).

use core::fmt;

use crate::{Error, Result};

/// A SIP response status code: a number from 100 to 699.
///
/// Every IANA-registered code has a constant and a default reason phrase; any other code in
/// range is accepted too (§8.1.3.2: an unknown code is treated as the x00 code of its class).
///
/// ```
/// use sip_message::StatusCode;
/// let s = StatusCode::from_u16(486).unwrap();
/// assert_eq!(s, StatusCode::BUSY_HERE);
/// assert_eq!(s.reason_phrase(), "Busy Here");
/// assert!(s.is_final() && !s.is_success());
/// assert!(StatusCode::from_u16(99).is_err());
/// assert_eq!(StatusCode::from_u16(499).unwrap().reason_phrase(), "Bad Request");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StatusCode(u16);

macro_rules! status_codes {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, $reason:literal; )+) => {
        impl StatusCode {
            $( $(#[$doc])* #[doc = concat!("`", stringify!($code), " ", $reason, "`.")]
               pub const $name: Self = Self($code); )+

            /// The default reason phrase of a registered code, `None` for an unregistered one.
            pub fn registered_reason(self) -> Option<&'static str> {
                Some(match self.0 {
                    $( $code => $reason, )+
                    _ => return None,
                })
            }

            /// Every registered code, in ascending order.
            pub const REGISTERED: &'static [Self] = &[ $( Self($code), )+ ];
        }
    };
}

status_codes! {
    /// RFC 3261.
    TRYING = 100, "Trying";
    /// RFC 3261.
    RINGING = 180, "Ringing";
    /// RFC 3261.
    CALL_IS_BEING_FORWARDED = 181, "Call Is Being Forwarded";
    /// RFC 3261.
    QUEUED = 182, "Queued";
    /// RFC 3261.
    SESSION_PROGRESS = 183, "Session Progress";
    /// RFC 6228.
    EARLY_DIALOG_TERMINATED = 199, "Early Dialog Terminated";
    /// RFC 3261.
    OK = 200, "OK";
    /// RFC 6665 (deprecated).
    ACCEPTED = 202, "Accepted";
    /// RFC 5839.
    NO_NOTIFICATION = 204, "No Notification";
    /// RFC 3261.
    MULTIPLE_CHOICES = 300, "Multiple Choices";
    /// RFC 3261.
    MOVED_PERMANENTLY = 301, "Moved Permanently";
    /// RFC 3261.
    MOVED_TEMPORARILY = 302, "Moved Temporarily";
    /// RFC 3261.
    USE_PROXY = 305, "Use Proxy";
    /// RFC 3261.
    ALTERNATIVE_SERVICE = 380, "Alternative Service";
    /// RFC 3261.
    BAD_REQUEST = 400, "Bad Request";
    /// RFC 3261.
    UNAUTHORIZED = 401, "Unauthorized";
    /// RFC 3261.
    PAYMENT_REQUIRED = 402, "Payment Required";
    /// RFC 3261.
    FORBIDDEN = 403, "Forbidden";
    /// RFC 3261.
    NOT_FOUND = 404, "Not Found";
    /// RFC 3261.
    METHOD_NOT_ALLOWED = 405, "Method Not Allowed";
    /// RFC 3261.
    NOT_ACCEPTABLE = 406, "Not Acceptable";
    /// RFC 3261.
    PROXY_AUTHENTICATION_REQUIRED = 407, "Proxy Authentication Required";
    /// RFC 3261.
    REQUEST_TIMEOUT = 408, "Request Timeout";
    /// RFC 3261.
    GONE = 410, "Gone";
    /// RFC 3903.
    CONDITIONAL_REQUEST_FAILED = 412, "Conditional Request Failed";
    /// RFC 3261.
    REQUEST_ENTITY_TOO_LARGE = 413, "Request Entity Too Large";
    /// RFC 3261.
    REQUEST_URI_TOO_LONG = 414, "Request-URI Too Long";
    /// RFC 3261.
    UNSUPPORTED_MEDIA_TYPE = 415, "Unsupported Media Type";
    /// RFC 3261.
    UNSUPPORTED_URI_SCHEME = 416, "Unsupported URI Scheme";
    /// RFC 4412.
    UNKNOWN_RESOURCE_PRIORITY = 417, "Unknown Resource-Priority";
    /// RFC 3261.
    BAD_EXTENSION = 420, "Bad Extension";
    /// RFC 3261.
    EXTENSION_REQUIRED = 421, "Extension Required";
    /// RFC 4028.
    SESSION_INTERVAL_TOO_SMALL = 422, "Session Interval Too Small";
    /// RFC 3261.
    INTERVAL_TOO_BRIEF = 423, "Interval Too Brief";
    /// RFC 6442.
    BAD_LOCATION_INFORMATION = 424, "Bad Location Information";
    /// RFC 8876.
    BAD_ALERT_MESSAGE = 425, "Bad Alert Message";
    /// RFC 8224.
    USE_IDENTITY_HEADER = 428, "Use Identity Header";
    /// RFC 3892.
    PROVIDE_REFERRER_IDENTITY = 429, "Provide Referrer Identity";
    /// RFC 5626.
    FLOW_FAILED = 430, "Flow Failed";
    /// RFC 5079.
    ANONYMITY_DISALLOWED = 433, "Anonymity Disallowed";
    /// RFC 4474.
    BAD_IDENTITY_INFO = 436, "Bad Identity-Info";
    /// RFC 8224.
    UNSUPPORTED_CREDENTIAL = 437, "Unsupported Credential";
    /// RFC 8224.
    INVALID_IDENTITY_HEADER = 438, "Invalid Identity Header";
    /// RFC 5626.
    FIRST_HOP_LACKS_OUTBOUND_SUPPORT = 439, "First Hop Lacks Outbound Support";
    /// RFC 5393.
    MAX_BREADTH_EXCEEDED = 440, "Max-Breadth Exceeded";
    /// RFC 6086.
    BAD_INFO_PACKAGE = 469, "Bad Info Package";
    /// RFC 5360.
    CONSENT_NEEDED = 470, "Consent Needed";
    /// RFC 3261.
    TEMPORARILY_UNAVAILABLE = 480, "Temporarily Unavailable";
    /// RFC 3261.
    CALL_OR_TRANSACTION_DOES_NOT_EXIST = 481, "Call/Transaction Does Not Exist";
    /// RFC 3261.
    LOOP_DETECTED = 482, "Loop Detected";
    /// RFC 3261.
    TOO_MANY_HOPS = 483, "Too Many Hops";
    /// RFC 3261.
    ADDRESS_INCOMPLETE = 484, "Address Incomplete";
    /// RFC 3261.
    AMBIGUOUS = 485, "Ambiguous";
    /// RFC 3261.
    BUSY_HERE = 486, "Busy Here";
    /// RFC 3261.
    REQUEST_TERMINATED = 487, "Request Terminated";
    /// RFC 3261.
    NOT_ACCEPTABLE_HERE = 488, "Not Acceptable Here";
    /// RFC 6665.
    BAD_EVENT = 489, "Bad Event";
    /// RFC 3261.
    REQUEST_PENDING = 491, "Request Pending";
    /// RFC 3261.
    UNDECIPHERABLE = 493, "Undecipherable";
    /// RFC 3329.
    SECURITY_AGREEMENT_REQUIRED = 494, "Security Agreement Required";
    /// RFC 3261.
    SERVER_INTERNAL_ERROR = 500, "Server Internal Error";
    /// RFC 3261.
    NOT_IMPLEMENTED = 501, "Not Implemented";
    /// RFC 3261.
    BAD_GATEWAY = 502, "Bad Gateway";
    /// RFC 3261.
    SERVICE_UNAVAILABLE = 503, "Service Unavailable";
    /// RFC 3261.
    SERVER_TIMEOUT = 504, "Server Time-out";
    /// RFC 3261.
    VERSION_NOT_SUPPORTED = 505, "Version Not Supported";
    /// RFC 3261.
    MESSAGE_TOO_LARGE = 513, "Message Too Large";
    /// RFC 8599.
    PUSH_NOTIFICATION_SERVICE_NOT_SUPPORTED = 555, "Push Notification Service Not Supported";
    /// RFC 3312.
    PRECONDITION_FAILURE = 580, "Precondition Failure";
    /// RFC 3261.
    BUSY_EVERYWHERE = 600, "Busy Everywhere";
    /// RFC 3261.
    DECLINE = 603, "Decline";
    /// RFC 3261.
    DOES_NOT_EXIST_ANYWHERE = 604, "Does Not Exist Anywhere";
    /// RFC 3261.
    NOT_ACCEPTABLE_ANYWHERE = 606, "Not Acceptable";
    /// RFC 8197.
    UNWANTED = 607, "Unwanted";
    /// RFC 8688.
    REJECTED = 608, "Rejected";
}

impl StatusCode {
    /// The code for `code`, which must be in `100..=699` (§7.2: `Status-Code = 3DIGIT`, first
    /// digit 1 to 6).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] outside that range.
    pub const fn from_u16(code: u16) -> Result<Self> {
        if code >= 100 && code <= 699 {
            Ok(Self(code))
        } else {
            Err(Error::InvalidInput {
                what: "status code",
                reason: "must be between 100 and 699",
            })
        }
    }

    /// The number.
    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// The class: 1 (provisional) to 6 (global failure).
    pub const fn class(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// The default reason phrase: the registered one, or that of the class's x00 code for an
    /// unregistered code (§8.1.3.2).
    pub fn reason_phrase(self) -> &'static str {
        if let Some(r) = self.registered_reason() {
            return r;
        }
        Self(u16::from(self.class()) * 100)
            .registered_reason()
            .unwrap_or("Unknown")
    }

    /// 1xx.
    pub const fn is_provisional(self) -> bool {
        self.0 < 200
    }

    /// 2xx–6xx.
    pub const fn is_final(self) -> bool {
        self.0 >= 200
    }

    /// 2xx.
    pub const fn is_success(self) -> bool {
        self.0 >= 200 && self.0 < 300
    }

    /// 3xx.
    pub const fn is_redirection(self) -> bool {
        self.0 >= 300 && self.0 < 400
    }

    /// 4xx–6xx.
    pub const fn is_failure(self) -> bool {
        self.0 >= 400
    }
}

impl TryFrom<u16> for StatusCode {
    type Error = Error;
    fn try_from(code: u16) -> Result<Self> {
        Self::from_u16(code)
    }
}

impl From<StatusCode> for u16 {
    fn from(s: StatusCode) -> Self {
        s.0
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_the_issue_names_is_registered() {
        let mut wanted = vec![
            100, 180, 181, 182, 183, 199, 200, 202, 204, 300, 301, 302, 305, 380,
        ];
        wanted.extend([
            400, 401, 402, 403, 404, 405, 406, 407, 408, 410, 412, 413, 414, 415, 416, 417, 420,
            421, 422, 423, 424, 425, 428, 429, 430, 433, 436, 437, 438, 439, 440, 469, 470, 480,
            481, 482, 483, 484, 485, 486, 487, 488, 489, 491, 493, 494,
        ]);
        wanted.extend([
            500, 501, 502, 503, 504, 505, 513, 555, 580, 600, 603, 604, 606, 607, 608,
        ]);
        for code in &wanted {
            let s = StatusCode::from_u16(*code).unwrap();
            assert!(s.registered_reason().is_some(), "{code}");
        }
        assert_eq!(StatusCode::REGISTERED.len(), wanted.len());
        assert!(StatusCode::REGISTERED.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn unregistered_codes_fall_back_to_their_class() {
        assert_eq!(StatusCode::from_u16(299).unwrap().reason_phrase(), "OK");
        assert_eq!(
            StatusCode::from_u16(699).unwrap().reason_phrase(),
            "Busy Everywhere"
        );
        assert!(StatusCode::from_u16(700).is_err());
        assert_eq!(StatusCode::TRYING.class(), 1);
        assert!(StatusCode::RINGING.is_provisional());
        assert!(StatusCode::MOVED_TEMPORARILY.is_redirection());
    }
}
