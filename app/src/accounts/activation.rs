//! Activation codes: the proof an establishment gives at registration, step 1. A code is 16
//! random characters from an alphabet without look-alikes (no I, O, 0, 1), shown once in groups
//! of four, stored only as the SHA-256 of its canonical form, valid for 30 days and for one
//! registration. Issuing a new code replaces the old one, which stops working.

use rand::Rng;

/// How long a code stays valid after it is issued.
pub const LIFETIME_SECONDS: i64 = 30 * 24 * 3600;

const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const LENGTH: usize = 16;

/// A new random code, grouped for reading: `ABCD-EFGH-JKLM-NPQR` (80 bits).
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let letters: Vec<char> = (0..LENGTH).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
    letters.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// The code as typed, reduced to what identifies it: upper case, without spaces or dashes.
pub fn canonical(typed: &str) -> String {
    typed.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// What is stored for a code (typed or issued).
pub fn hash(code: &str) -> String {
    super::tokens::sha256_hex(&canonical(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_random_readable_and_typed_loosely() {
        let code = new_code();
        assert_eq!(code.len(), 19);
        assert_ne!(code, new_code());
        assert!(code.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))), "{code}");
        assert_eq!(hash(&code), hash(&code.to_lowercase().replace('-', " ")));
    }
}
