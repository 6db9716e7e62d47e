//! Personal access tokens: made (shown once, kept as a SHA-256), revoked, and
//! checked when a script presents one as `Authorization: Bearer atl_…`.

use crate::domain::api::{check_request, Scope, TokenView, MAX_TOKENS, TOKEN_PREFIX};
use crate::domain::ValidationError;
use crate::server::db::api_tokens::{self, Bearer};
use crate::server::db::DbError;
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// The characters of a token shown in the list to tell tokens apart.
const SHOWN: usize = TOKEN_PREFIX.len() + 6;

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Makes a token for `user_id`: the token itself (shown once) and how it is listed.
pub fn create(
    conn: &Connection,
    user_id: i64,
    name: &str,
    scopes: &[String],
    now: i64,
) -> Result<Result<(String, TokenView), ValidationError>, DbError> {
    let (name, scopes) = match check_request(name, scopes) {
        Ok(checked) => checked,
        Err(err) => return Ok(Err(err)),
    };
    if api_tokens::live_count(conn, user_id)? >= MAX_TOKENS {
        return Ok(Err(ValidationError::new(format!(
            "You have {MAX_TOKENS} tokens already: revoke one you no longer use first."
        ))));
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)?;
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(secret));
    let prefix = token[..SHOWN].to_owned();
    let id = api_tokens::create(conn, user_id, &name, &scopes, &digest(&token), &prefix, now)?;
    let view = TokenView { id, name, prefix, scopes, created_at: now, last_used_at: None, revoked_at: None };
    Ok(Ok((token, view)))
}

/// Why a presented token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization: Bearer` header.
    Missing,
    /// Not a live token of an account in good standing.
    Invalid,
    /// A good token without the scope the endpoint needs.
    Scope(Scope),
}

/// The value of an `Authorization` header as a bearer token, if it is one.
pub fn from_header(value: Option<&str>) -> Option<&str> {
    let value = value?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// Who `token` acts for, when it may do `needs`; its use is recorded (at most once a minute).
pub fn authenticate(
    conn: &Connection,
    token: &str,
    needs: Option<Scope>,
    now: i64,
) -> Result<Result<Bearer, Refusal>, DbError> {
    if !token.starts_with(TOKEN_PREFIX) || token.len() > 200 {
        return Ok(Err(Refusal::Invalid));
    }
    let Some(bearer) = api_tokens::bearer(conn, &digest(token))? else { return Ok(Err(Refusal::Invalid)) };
    if let Some(scope) = needs.filter(|s| !bearer.scopes.contains(s)) {
        return Ok(Err(Refusal::Scope(scope)));
    }
    if bearer.last_used_at.is_none_or(|at| now - at >= 60) {
        api_tokens::touch(conn, bearer.token_id, now)?;
    }
    Ok(Ok(bearer))
}

#[cfg(test)]
mod tests {
    use super::from_header;

    #[test]
    fn only_a_bearer_header_carries_a_token() {
        assert_eq!(from_header(Some("Bearer atl_abc")), Some("atl_abc"));
        assert_eq!(from_header(Some("bearer   atl_abc ")), Some("atl_abc"));
        assert_eq!(from_header(Some("Basic dXNlcg==")), None);
        assert_eq!(from_header(Some("Bearer ")), None);
        assert_eq!(from_header(None), None);
    }
}
