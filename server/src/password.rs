//! Password hashing: Argon2id in the PHC string format, cost from [`PasswordCost`].
//!
//! The cost is stored in each hash, so raising it later still verifies old hashes. Unknown
//! emails are checked against a dummy hash of the same cost, so a wrong email takes as long
//! as a wrong password and does not tell which emails are logins.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use ring::rand::{SecureRandom, SystemRandom};

use crate::config::PasswordCost;
use crate::error::Error;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest accepted, in bytes: hashing is the costly step, and no one types more.
pub const MAX_PASSWORD_BYTES: usize = 1024;

fn hasher(cost: PasswordCost) -> Result<Argon2<'static>, Error> {
    let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
        .map_err(|e| Error::Internal(format!("bad Argon2 parameters: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn hash(password: &str, cost: PasswordCost) -> Result<String, Error> {
    let mut salt = [0u8; 16];
    SystemRandom::new().fill(&mut salt).map_err(|_| Error::Internal("random source failed".into()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(e.to_string()))?;
    let hash = hasher(cost)?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))?;
    Ok(hash.to_string())
}

/// True when `password` matches `stored` (a PHC string). The comparison inside is constant time.
pub fn verify(password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    // The parameters come from the stored hash; the default hasher only supplies the algorithm.
    Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
}

/// Checks the rules for a new password; the message never repeats it.
pub fn check_new(password: &str) -> Result<(), Error> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::invalid("password", format!("must be at least {MIN_PASSWORD_CHARS} characters long")));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(Error::invalid("password", format!("must be at most {MAX_PASSWORD_BYTES} bytes long")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse", PasswordCost::INSECURE_FOR_TESTS).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("correct horse"));
        assert!(verify("correct horse", &h));
        assert!(!verify("correct horsf", &h));
        assert!(!verify("correct horse", "not a hash"));
    }

    #[test]
    fn owasp_cost_is_written_into_the_hash() {
        let h = hash("correct horse", PasswordCost::OWASP).unwrap();
        assert!(h.contains("m=19456,t=2,p=1"), "{h}");
    }
}
