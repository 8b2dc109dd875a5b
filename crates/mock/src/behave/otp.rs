//! One-time codes: what `otp_send` keeps for a recipient and how `otp_verify` spends it.
//! A code works once, until it expires, and only until `attempts` wrong codes have been
//! given for it: then it is burnt, and even the right code fails until a new one is sent,
//! so guessing a six-digit code is hopeless (5 tries in a million).

use super::store::Bounded;
use super::tokens::same_secret;

/// A one-time code sent to a recipient and not yet used or burnt.
#[derive(Debug, Clone)]
pub(super) struct Code {
    /// The digits.
    code: String,
    /// When it expires (virtual ms).
    expires: i64,
    /// Wrong codes given for it so far.
    wrong: u32,
}

impl Code {
    /// A fresh code, valid until `expires` (virtual ms).
    pub(super) fn new(code: &str, expires: i64) -> Code {
        Code {
            code: code.to_owned(),
            expires,
            wrong: 0,
        }
    }
}

/// Whether `given` is the recipient's live code; the code is then used up. A wrong code
/// counts against the recipient's code, which is burnt at the `attempts`-th; an expired
/// code is forgotten.
pub(super) fn spend(
    codes: &mut Bounded<String, Code>,
    to: &str,
    given: &str,
    now_ms: i64,
    attempts: u32,
) -> bool {
    let to = to.to_owned();
    let Some(mut code) = codes.remove(&to) else {
        return false;
    };
    if code.expires <= now_ms {
        return false;
    }
    if same_secret(&code.code, given) {
        return true;
    }
    code.wrong += 1;
    if code.wrong < attempts {
        codes.insert(to, code);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent() -> Bounded<String, Code> {
        let mut codes = Bounded::default();
        codes.insert("ada@example.com".to_owned(), Code::new("123456", 1000));
        codes
    }

    #[test]
    fn a_code_works_once_and_until_it_expires() {
        let mut codes = sent();
        assert!(spend(&mut codes, "ada@example.com", "123456", 0, 5));
        assert!(
            !spend(&mut codes, "ada@example.com", "123456", 0, 5),
            "used"
        );
        let mut codes = sent();
        assert!(
            !spend(&mut codes, "ada@example.com", "123456", 1000, 5),
            "expired"
        );
        assert!(
            !spend(&mut codes, "bob@example.com", "123456", 0, 5),
            "not sent"
        );
    }

    #[test]
    fn wrong_codes_burn_the_code_at_the_limit() {
        let mut codes = sent();
        for _ in 0..4 {
            assert!(!spend(&mut codes, "ada@example.com", "000000", 0, 5));
        }
        assert!(
            spend(&mut codes, "ada@example.com", "123456", 0, 5),
            "4 wrong, still live"
        );

        let mut codes = sent();
        for _ in 0..5 {
            assert!(!spend(&mut codes, "ada@example.com", "000000", 0, 5));
        }
        assert!(
            !spend(&mut codes, "ada@example.com", "123456", 0, 5),
            "burnt after 5"
        );

        let mut codes = sent();
        assert!(!spend(&mut codes, "ada@example.com", "000000", 0, 1));
        assert!(
            !spend(&mut codes, "ada@example.com", "123456", 0, 1),
            "a limit of 1"
        );
    }
}
