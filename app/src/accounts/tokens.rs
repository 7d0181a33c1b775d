//! Secrets sent by email (password reset, email change, invitation): 32 random bytes shown once
//! as hex, stored only as their SHA-256, single use, with an expiry.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// SHA-256 of a secret, as stored for activation codes and single-use tokens.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// A new secret for a link: 64 hex characters.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What a token is for (the `account_tokens.purpose` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    PasswordReset,
    EmailChange,
    Invitation,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailChange => "email_change",
            Purpose::Invitation => "invitation",
        }
    }

    /// How long a link stays valid.
    pub fn lifetime_seconds(self) -> i64 {
        match self {
            Purpose::PasswordReset => 30 * 60,
            Purpose::EmailChange => 24 * 3600,
            Purpose::Invitation => 7 * 24 * 3600,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_stored_hashed() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(sha256_hex(&a).len(), 64);
        assert_ne!(sha256_hex(&a), a);
        assert_eq!(Purpose::PasswordReset.lifetime_seconds(), 1800);
    }
}
