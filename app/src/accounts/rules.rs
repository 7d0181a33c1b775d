//! What the server accepts in account forms: usernames, email addresses, establishment numbers
//! and passwords (12 to 128 characters, letters and digits, not a common password).
//!
//! `common_passwords.txt` is the 30,000-entry password list of zxcvbn 4.4.2 (MIT licence),
//! most common first.

use super::model::Problem;
use std::collections::HashSet;
use std::sync::LazyLock;

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;

static COMMON_PASSWORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| include_str!("common_passwords.txt").lines().filter(|line| !line.is_empty()).collect());

/// Whether the password is on the list, or is a listed password with digits or symbols only
/// added around it ("monkey123456", "!password2026").
fn is_common(password: &str) -> bool {
    let lower = password.to_lowercase();
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    COMMON_PASSWORDS.contains(lower.as_str()) || (core.chars().count() >= 4 && COMMON_PASSWORDS.contains(core))
}

/// The password rules, checked in the order a user fixes them.
pub fn check_password(password: &str) -> Result<(), Problem> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err(Problem::PasswordTooShort);
    }
    if length > PASSWORD_MAX {
        return Err(Problem::PasswordTooLong);
    }
    if !password.chars().any(char::is_alphabetic) || !password.chars().any(|c| c.is_ascii_digit()) {
        return Err(Problem::PasswordNeedsLettersAndDigits);
    }
    if is_common(password) {
        return Err(Problem::PasswordTooCommon);
    }
    Ok(())
}

/// Usernames: 3 to 40 characters among letters, digits, dot, dash and underscore.
pub fn check_username(username: &str) -> Result<(), Problem> {
    let length = username.chars().count();
    let allowed = username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if username.is_empty() {
        Err(Problem::Required)
    } else if !(3..=40).contains(&length) || !allowed {
        Err(Problem::UsernameFormat)
    } else {
        Ok(())
    }
}

/// Email addresses: the shape `local@domain.tld`, at most 254 characters, no spaces, and (on the
/// server) an address lettre's parser accepts, so that the mailer can send to it.
pub fn check_email(email: &str) -> Result<(), Problem> {
    if email.is_empty() {
        return Err(Problem::Required);
    }
    let shaped = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    };
    if shaped && email.len() <= 254 && !email.chars().any(char::is_whitespace) && sendable(email) {
        Ok(())
    } else {
        Err(Problem::EmailFormat)
    }
}

/// Whether the mailer could send to `email`.
#[cfg(feature = "ssr")]
fn sendable(email: &str) -> bool {
    email.parse::<lettre::Address>().is_ok()
}

/// Only the server has the mailer; it checks again.
#[cfg(not(feature = "ssr"))]
fn sendable(_email: &str) -> bool {
    true
}

/// Establishment numbers are 10 digits; spaces typed between groups are ignored.
pub fn normalise_establishment_number(number: &str) -> Option<String> {
    let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 10 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_every_rule() {
        assert_eq!(check_password("short1"), Err(Problem::PasswordTooShort));
        assert_eq!(check_password(&format!("a1{}", "b".repeat(127))), Err(Problem::PasswordTooLong));
        assert_eq!(check_password("onlylettersherenow"), Err(Problem::PasswordNeedsLettersAndDigits));
        assert_eq!(check_password("123456789012345"), Err(Problem::PasswordNeedsLettersAndDigits));
        assert_eq!(check_password("password1234"), Err(Problem::PasswordTooCommon));
        assert_eq!(check_password("Monkey123456"), Err(Problem::PasswordTooCommon));
        assert_eq!(check_password("qwertyuiop123"), Err(Problem::PasswordTooCommon));
        assert_eq!(check_password("Lemaire-caisse-42-Opéra"), Ok(()));
        assert_eq!(check_password(&format!("a1{}", "b".repeat(126))), Ok(()));
    }

    #[test]
    fn usernames_and_emails_have_a_shape() {
        assert_eq!(check_username(""), Err(Problem::Required));
        assert_eq!(check_username("ab"), Err(Problem::UsernameFormat));
        assert_eq!(check_username("jean dupont"), Err(Problem::UsernameFormat));
        assert_eq!(check_username("jean.dupont-2"), Ok(()));
        assert_eq!(check_email("jean@exemple.fr"), Ok(()));
        let unsendable = ["jean,dupont@exemple.fr", "jean;dupont@exemple.fr", "<jean@exemple.fr>", "jean@exem ple.fr"];
        for bad in ["jean", "jean@", "@exemple.fr", "jean@exemple", "jean @exemple.fr", "a@b@c.fr"]
            .into_iter()
            .chain(unsendable)
        {
            assert_eq!(check_email(bad), Err(Problem::EmailFormat), "{bad}");
        }
    }

    #[test]
    fn establishment_numbers_are_ten_digits() {
        assert_eq!(normalise_establishment_number("94 2100 0001").as_deref(), Some("9421000001"));
        assert_eq!(normalise_establishment_number("94210000"), None);
        assert_eq!(normalise_establishment_number("94210000ab"), None);
    }
}
