//! Outgoing webhooks: the events the studio sends, and which addresses may
//! receive them (never the studio's own network in production: a webhook URL is
//! a request staff make the server send, so it must not reach inward).

use super::text_enum::text_enum;
use super::ValidationError;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

text_enum!(
    /// What an endpoint can be told about.
    Event {
        OrderPaid = "order.paid" / "An order is paid",
        OrderRefunded = "order.refunded" / "An order is refunded",
        SubscriptionRenewed = "subscription.renewed" / "A subscription is renewed",
        SubscriptionExpired = "subscription.expired" / "A subscription expires",
        InvoicePaid = "invoice.paid" / "A client invoice is paid",
        WaitlistJoined = "waitlist.joined" / "Someone joins a waitlist",
        ContactReceived = "contact.received" / "A contact message arrives",
    }
);

/// The event a "Send test event" button sends (to any endpoint, whatever it listens to).
pub const TEST_EVENT: &str = "ping";

/// Events as stored (space-separated); unknown ones are dropped.
pub fn parse_events(stored: &str) -> Vec<Event> {
    stored.split_whitespace().filter_map(Event::parse).collect()
}

/// An endpoint as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointView {
    pub id: i64,
    pub url: String,
    pub events: Vec<Event>,
    pub secret: String,
    pub enabled: bool,
    pub from_env: bool,
    pub created_at: i64,
    /// The last try: when, and its HTTP status (`None`: no answer).
    pub last: Option<(i64, Option<i64>)>,
}

/// One try to deliver an event, as the endpoint's log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub id: i64,
    pub event: String,
    pub delivery_id: String,
    pub status_code: Option<i64>,
    pub duration_ms: i64,
    /// The first bytes of the answer.
    pub response: String,
    pub error: String,
    pub created_at: i64,
}

impl DeliveryView {
    pub fn succeeded(&self) -> bool {
        self.status_code.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Whether an address is on the public internet (not loopback, private, link-local,
/// shared, documentation, multicast or unspecified).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
                || (a == 198 && (b == 18 || b == 19))) // benchmarking
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00 // unique local
                || (first & 0xffc0) == 0xfe80 // link-local
                || first == 0x2001 && v6.segments()[1] == 0x0db8) // documentation
        }
    }
}

/// The host (an IPv6 address without its brackets) and port of an http(s) URL, the
/// scheme's port when it names none.
pub fn host_and_port(url: &str) -> Option<(&str, u16)> {
    let (scheme, rest) = url.split_once("://")?;
    let default = match scheme {
        "https" => 443,
        "http" => 80,
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']')?;
            (host, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    Some((host, port.map_or(Some(default), |p| p.parse().ok())?))
}

/// A webhook URL staff typed, checked: http(s) with a host; in production https
/// only, and never `localhost` or an address that is not public.
pub fn check_url(raw: &str, production: bool) -> Result<String, ValidationError> {
    let url = raw.trim();
    let rest = match (url.strip_prefix("https://"), url.strip_prefix("http://")) {
        (Some(rest), _) => rest,
        (None, Some(_)) if production => {
            return Err(ValidationError::new("Use an https:// address: events carry order and customer details."))
        }
        (None, Some(rest)) => rest,
        _ => return Err(ValidationError::new("Enter the receiver's address, like https://hooks.example.com/atelier.")),
    };
    if rest.split(['/', '?', '#']).next().unwrap_or_default().contains('@') {
        return Err(ValidationError::new("Leave the user name and password out of the address."));
    }
    let host = host_and_port(url).map_or("", |(host, _)| host);
    if host.is_empty() || url.len() > 500 || url.chars().any(char::is_whitespace) {
        return Err(ValidationError::new("Enter the receiver's address, like https://hooks.example.com/atelier."));
    }
    if production {
        let inward = host.eq_ignore_ascii_case("localhost")
            || host.to_ascii_lowercase().ends_with(".localhost")
            || host.parse::<IpAddr>().is_ok_and(|ip| !is_public(ip));
        if inward {
            return Err(ValidationError::new(
                "That address is on the studio's own network: a webhook must go to a public address.",
            ));
        }
    }
    Ok(url.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_sends_only_to_public_https_addresses() {
        assert!(check_url("https://hooks.example.com/a", true).is_ok());
        for inward in [
            "https://127.0.0.1/x",
            "https://10.1.2.3/x",
            "https://192.168.0.10:8443/",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/x",
            "https://[fd00::1]/x",
            "https://localhost:3000/x",
            "https://100.64.0.1/",
        ] {
            assert!(check_url(inward, true).unwrap_err().0.contains("own network"), "{inward}");
        }
        assert!(check_url("http://hooks.example.com/a", true).unwrap_err().0.contains("https://"));
        assert!(check_url("https://user:pw@hooks.example.com/", true).is_err());
        assert!(check_url("ftp://x", false).is_err());
        // In development the receiver may run next to the studio.
        assert!(check_url("http://127.0.0.1:9000/hook", false).is_ok());
        assert!(is_public("8.8.8.8".parse().unwrap()) && !is_public("::ffff:10.0.0.1".parse().unwrap()));
    }
}
