//! Random secrets, digests and constant-time comparison.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

const ALPHANUMERIC: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn fill(buf: &mut [u8]) {
    // The OS random source failing is not something a server can go on from.
    #[allow(clippy::expect_used)]
    getrandom::fill(buf).expect("the operating system's random source failed");
}

/// `len` characters from `[A-Za-z0-9]`, uniformly (5.95 bits each).
pub fn alphanumeric(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        fill(&mut buf);
        for &b in &buf {
            // 62 * 4 = 248: reject the top values to stay uniform.
            if b < 248 && out.len() < len {
                out.push(ALPHANUMERIC[(b % 62) as usize] as char);
            }
        }
    }
    out
}

/// `len` decimal digits, uniformly.
pub fn digits(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 32];
    while out.len() < len {
        fill(&mut buf);
        for &b in &buf {
            if b < 250 && out.len() < len {
                out.push((b'0' + b % 10) as char);
            }
        }
    }
    out
}

/// A public numeric id of `len` digits that does not start with 0, so that
/// it survives a client that sends it as a JSON number.
pub fn numeric_id(len: usize) -> String {
    loop {
        let id = digits(len);
        if !id.starts_with('0') {
            return id;
        }
    }
}

/// Lower-case hex of `bytes` random bytes.
pub fn hex_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    fill(&mut buf);
    hex::encode(buf)
}

/// Hex SHA-256 of the parts, each length-prefixed so that parts cannot run
/// into each other.
pub fn digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Compares two strings in time that depends only on their lengths.
pub fn equal(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(alphanumeric(40).len(), 40);
        assert!(digits(6).bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(alphanumeric(32), alphanumeric(32));
        assert_eq!(hex_token(16).len(), 32);
        assert!((0..200).all(|_| !numeric_id(12).starts_with('0')));
        assert_ne!(digest(&["ab", "c"]), digest(&["a", "bc"]));
        assert!(equal("abc", "abc") && !equal("abc", "abd"));
    }
}
