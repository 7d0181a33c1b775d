//! Who the client is, for rate limits: the socket peer, or, when that peer is one of the
//! `TRUSTED_PROXIES`, the right-most `X-Forwarded-For` address that is not a trusted proxy (the
//! entries to its left were written by the client and prove nothing). IPv6 clients are keyed by
//! their /64, the block one subscriber usually holds.

use std::net::{IpAddr, Ipv6Addr};

/// An address block: an address and how many leading bits of it count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Block {
    address: IpAddr,
    prefix: u8,
}

impl Block {
    fn contains(&self, candidate: IpAddr) -> bool {
        match (self.address, candidate) {
            (IpAddr::V4(block), IpAddr::V4(candidate)) => {
                leading_bits_equal(u32::from(block).into(), u32::from(candidate).into(), 32, self.prefix)
            }
            (IpAddr::V6(block), IpAddr::V6(candidate)) => {
                leading_bits_equal(u128::from(block), u128::from(candidate), 128, self.prefix)
            }
            _ => false,
        }
    }
}

fn leading_bits_equal(a: u128, b: u128, width: u8, prefix: u8) -> bool {
    let ignored = u32::from(width - prefix.min(width));
    a.checked_shr(ignored).unwrap_or(0) == b.checked_shr(ignored).unwrap_or(0)
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Block>);

impl TrustedProxies {
    /// Parses `TRUSTED_PROXIES`: comma-separated addresses and CIDR blocks (`10.0.0.0/8`,
    /// `fd00::/8`); empty trusts no one. The error names the entry that is neither.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut blocks = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|entry| !entry.is_empty()) {
            let (address, prefix) = entry.split_once('/').unwrap_or((entry, ""));
            let address: IpAddr =
                address.parse().map_err(|_| format!("{entry:?} is not an IP address or CIDR block"))?;
            let width = if address.is_ipv4() { 32 } else { 128 };
            let prefix = match prefix {
                "" => width,
                bits => bits
                    .parse::<u8>()
                    .ok()
                    .filter(|bits| *bits <= width)
                    .ok_or_else(|| format!("{entry:?}: the prefix length must be a number from 0 to {width}"))?,
            };
            blocks.push(Block { address, prefix });
        }
        Ok(TrustedProxies(blocks))
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|block| block.contains(address))
    }

    /// The client's address: `peer` itself unless it is trusted, then the right-most address of
    /// `forwarded_for` (the `X-Forwarded-For` values, in order) not trusted.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = peer;
        let hops = forwarded_for.iter().flat_map(|value| value.split(',')).collect::<Vec<_>>();
        for hop in hops.into_iter().rev() {
            if !self.trusts(client) {
                break;
            }
            match hop.trim().parse::<IpAddr>() {
                Ok(address) => client = address,
                // A hop no proxy would write: the last trusted one is the best we know.
                Err(_) => break,
            }
        }
        client
    }
}

/// The key a client's allowance is kept under: IPv4 addresses as they are, IPv6 by /64 (an
/// IPv4-mapped IPv6 address counts as its IPv4 address).
pub fn rate_key(client: IpAddr) -> IpAddr {
    match client {
        IpAddr::V4(_) => client,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_for_is_read_only_from_trusted_proxies() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7").unwrap();
        // A trusted proxy: the right-most untrusted hop, not what the client wrote on the left.
        assert_eq!(proxies.client(ip("10.1.2.3"), &["6.6.6.6, 203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(proxies.client(ip("192.168.1.7"), &["203.0.113.9", "10.0.0.2"]), ip("203.0.113.9"));
        // An untrusted peer's header is ignored.
        assert_eq!(proxies.client(ip("198.51.100.4"), &["203.0.113.9"]), ip("198.51.100.4"));
        assert_eq!(proxies.client(ip("10.1.2.3"), &["garbage"]), ip("10.1.2.3"));
        assert_eq!(TrustedProxies::default().client(ip("10.1.2.3"), &["203.0.113.9"]), ip("10.1.2.3"));
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.example").is_err());
    }

    /// Hole 6: two IPv6 addresses in one /64 are one client.
    #[test]
    fn ipv6_clients_are_keyed_by_their_64_block() {
        assert_eq!(rate_key(ip("2001:db8:1:2::1")), rate_key(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(rate_key(ip("2001:db8:1:2::1")), rate_key(ip("2001:db8:1:3::1")));
        assert_eq!(rate_key(ip("::ffff:203.0.113.9")), ip("203.0.113.9"));
    }
}
