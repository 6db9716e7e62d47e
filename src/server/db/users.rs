//! Queries on `users` and `email_tokens`.

use super::{now, DbError};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::users::{AccountState, UserRow as StaffUserRow};
use crate::domain::{Lang, Role, Viewer};
use rusqlite::{params, Connection, OptionalExtension, Row};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct UserRow {
    pub viewer: Viewer,
    pub password_hash: String,
    /// Disabled by staff: cannot sign in.
    pub disabled: bool,
}

pub(super) const COLUMNS: &str =
    "id, name, email, role, email_verified_at IS NOT NULL, password_hash, disabled_at IS NOT NULL, lang";

pub(super) fn from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    let role: String = r.get(3)?;
    Ok(UserRow {
        viewer: Viewer {
            id: r.get(0)?,
            name: r.get(1)?,
            email: r.get(2)?,
            role: Role::parse(&role).unwrap_or(Role::Member),
            verified: r.get(4)?,
            lang: Lang::parse(&r.get::<_, String>(7)?).unwrap_or_default(),
        },
        password_hash: r.get(5)?,
        disabled: r.get(6)?,
    })
}

pub fn find_by_email(conn: &Connection, email: &str) -> Result<Option<UserRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE email = ?1"))?
        .query_row([email], from_row)
        .optional()?)
}

/// Where to write to a user: their address and name.
pub fn mail_address(conn: &Connection, user_id: i64) -> Result<(String, String), DbError> {
    Ok(conn
        .prepare_cached("SELECT email, name FROM users WHERE id = ?1")?
        .query_row([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

/// Where and how to write to a user: their address, name and language, in one read.
pub fn recipient(conn: &Connection, user_id: i64) -> Result<(String, String, Lang), DbError> {
    Ok(conn.prepare_cached("SELECT email, name, lang FROM users WHERE id = ?1")?.query_row([user_id], |r| {
        Ok((r.get(0)?, r.get(1)?, Lang::parse(&r.get::<_, String>(2)?).unwrap_or_default()))
    })?)
}

/// The language to write to an address in: its account's, or the default without one.
pub fn lang_of_address(conn: &Connection, email: &str) -> Result<Lang, DbError> {
    Ok(account_lang(conn, email)?.unwrap_or_default())
}

/// The language of the account with this address, if there is one.
pub fn account_lang(conn: &Connection, email: &str) -> Result<Option<Lang>, DbError> {
    let lang: Option<String> =
        conn.prepare_cached("SELECT lang FROM users WHERE email = ?1")?.query_row([email], |r| r.get(0)).optional()?;
    Ok(lang.and_then(|l| Lang::parse(&l)))
}

/// Sets the language a person reads.
pub fn set_lang(conn: &Connection, user_id: i64, lang: Lang) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE users SET lang = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        user_id,
        lang.as_str(),
        now()
    ])?;
    Ok(())
}

pub fn find_by_id(conn: &Connection, id: i64) -> Result<Option<UserRow>, DbError> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM users WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Inserts a new user; `None` if the email is already registered.
pub fn insert(
    conn: &Connection,
    name: &str,
    email: &str,
    password_hash: &str,
    role: Role,
    verified: bool,
) -> Result<Option<i64>, DbError> {
    let t = now();
    Ok(conn
        .prepare_cached(
            "INSERT INTO users (name, email, password_hash, role, email_verified_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (email) DO NOTHING
             RETURNING id",
        )?
        .query_row(params![name, email, password_hash, role.as_str(), verified.then_some(t), t], |r| r.get(0))
        .optional()?)
}

pub fn set_password(conn: &Connection, user_id: i64, password_hash: &str) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        user_id,
        password_hash,
        now()
    ])?;
    Ok(())
}

/// Makes a user staff with a verified email (the `admin create` command).
pub fn promote_to_staff(conn: &Connection, user_id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE users SET role = 'staff', email_verified_at = coalesce(email_verified_at, ?2), updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![user_id, now()])?;
    Ok(())
}

/// The stored password of an account whose password nobody may use: invited people,
/// Google-only accounts and accounts whose unproven password was forgotten. It is no
/// PHC string, so no password ever matches it (`auth::password::verify` says false).
pub const UNUSABLE_PASSWORD: &str = "!unusable";

/// An account whose address was never confirmed has no password anyone can rely on
/// (whoever registered it never proved the mailbox). When such an account is raised
/// (a role, a client) or claimed (Google vouched for the address), its password is
/// replaced by an unusable one, every session ends, and what its holder attached to it
/// (linked sign-ins, a pending address change) goes: the person the address belongs to
/// sets a password through the link mailed there. Call inside the transaction that
/// raises or claims. True if the account was unconfirmed (and so was reset).
pub fn forget_unproven_password(conn: &Connection, user_id: i64) -> Result<bool, DbError> {
    let changed = conn
        .prepare_cached(
            "UPDATE users SET password_hash = ?2, updated_at = ?3 WHERE id = ?1 AND email_verified_at IS NULL",
        )?
        .execute(params![user_id, UNUSABLE_PASSWORD, now()])?;
    if changed == 0 {
        return Ok(false);
    }
    end_sessions(conn, user_id)?;
    super::identities::unlink_all(conn, user_id)?;
    conn.prepare_cached("UPDATE email_changes SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL")?
        .execute(params![user_id, now()])?;
    Ok(true)
}

/// Ends every session of a user (after a password reset).
pub fn end_sessions(conn: &Connection, user_id: i64) -> Result<usize, DbError> {
    Ok(conn.prepare_cached("DELETE FROM sessions WHERE user_id = ?1")?.execute([user_id])?)
}

/// What an emailed token is for, and how long it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
    /// A client's person sets their first password.
    ClientInvite,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ClientInvite => "client_invite",
        }
    }

    pub fn lifetime_secs(self) -> i64 {
        match self {
            Self::VerifyEmail => 24 * 3600,
            Self::ResetPassword => 3600,
            Self::ClientInvite => 72 * 3600,
        }
    }
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Creates a single-use token and returns it; only its hash is stored.
/// Earlier unused tokens of the same purpose stop working.
pub fn create_token(conn: &Connection, user_id: i64, purpose: TokenPurpose) -> Result<String, DbError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw)?;
    let token = hex::encode(raw);
    let t = now();
    conn.prepare_cached(
        "UPDATE email_tokens SET used_at = ?3 WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL",
    )?
    .execute(params![user_id, purpose.as_str(), t])?;
    conn.prepare_cached(
        "INSERT INTO email_tokens (user_id, purpose, token_hash, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user_id, purpose.as_str(), token_hash(&token), t + purpose.lifetime_secs(), t])?;
    Ok(token)
}

/// Uses a token: returns its user if it exists, is unused, unexpired and of this purpose.
pub fn consume_token(conn: &Connection, token: &str, purpose: TokenPurpose) -> Result<Option<i64>, DbError> {
    let t = now();
    Ok(conn
        .prepare_cached(
            "UPDATE email_tokens SET used_at = ?3
             WHERE token_hash = ?1 AND purpose = ?2 AND used_at IS NULL AND expires_at > ?3
             RETURNING user_id",
        )?
        .query_row(params![token_hash(token), purpose.as_str(), t], |r| r.get(0))
        .optional()?)
}

pub fn mark_verified(conn: &Connection, user_id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE users SET email_verified_at = coalesce(email_verified_at, ?2), updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![user_id, now()])?;
    Ok(())
}

/// Saves the GitHub username a member gave (the numeric id is learnt on invite).
pub fn set_github_username(conn: &Connection, user_id: i64, username: &str) -> Result<(), DbError> {
    conn.prepare_cached(
        "UPDATE users SET github_username = ?2,
             github_user_id = CASE WHEN github_username = ?2 THEN github_user_id END, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![user_id, username, now()])?;
    Ok(())
}

pub fn set_github_user_id(conn: &Connection, user_id: i64, github_id: i64) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE users SET github_user_id = ?2 WHERE id = ?1")?.execute(params![user_id, github_id])?;
    Ok(())
}

pub fn github_username(conn: &Connection, user_id: i64) -> Result<Option<String>, DbError> {
    Ok(conn
        .prepare_cached("SELECT github_username FROM users WHERE id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?
        .flatten())
}

pub fn set_name(conn: &Connection, user_id: i64, name: &str) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE users SET name = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        user_id,
        name,
        now()
    ])?;
    Ok(())
}

/// How long a link to confirm a new email address works.
pub const EMAIL_CHANGE_SECS: i64 = 24 * 3600;

/// Records a request to move `user_id` to `new_email` and returns the token for the
/// confirmation link (only its hash is stored); earlier unconfirmed requests stop working.
pub fn request_email_change(conn: &Connection, user_id: i64, new_email: &str) -> Result<String, DbError> {
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw)?;
    let token = hex::encode(raw);
    let t = now();
    conn.prepare_cached("UPDATE email_changes SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL")?
        .execute(params![user_id, t])?;
    conn.prepare_cached(
        "INSERT INTO email_changes (user_id, new_email, token_hash, expires_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![user_id, new_email, token_hash(&token), t + EMAIL_CHANGE_SECS, t])?;
    Ok(token)
}

/// Uses a confirmation link: the person and their new address, if the link is unused and unexpired.
pub fn consume_email_change(conn: &Connection, token: &str) -> Result<Option<(i64, String)>, DbError> {
    let t = now();
    Ok(conn
        .prepare_cached(
            "UPDATE email_changes SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL AND expires_at > ?2
             RETURNING user_id, new_email",
        )?
        .query_row(params![token_hash(token), t], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Moves an account to a confirmed address (proved by the link, so it counts as verified).
pub fn set_email(conn: &Connection, user_id: i64, email: &str) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE users SET email = ?2, email_verified_at = ?3, updated_at = ?3 WHERE id = ?1")?
        .execute(params![user_id, email, now()])?;
    Ok(())
}

/// Removes what identifies a person from their account, keeping the row (their
/// orders and the studio's books point at it): a placeholder name and an address
/// that cannot receive mail, an unusable password, no GitHub account; their
/// mail links and sessions end. Returns the address it had.
pub fn anonymise(conn: &Connection, user_id: i64) -> Result<String, DbError> {
    let (email, _) = mail_address(conn, user_id)?;
    let t = now();
    conn.prepare_cached(
        "UPDATE users SET name = 'Deleted member', email = ?2, password_hash = ?3, github_username = NULL,
                          github_user_id = NULL, product_update_mails = 0, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![user_id, format!("deleted-{user_id}@deleted.invalid"), UNUSABLE_PASSWORD, t])?;
    conn.prepare_cached("DELETE FROM email_tokens WHERE user_id = ?1")?.execute([user_id])?;
    conn.prepare_cached("DELETE FROM email_changes WHERE user_id = ?1")?.execute([user_id])?;
    conn.prepare_cached("DELETE FROM tool_usage WHERE user_id = ?1")?.execute([user_id])?;
    conn.prepare_cached("DELETE FROM user_identities WHERE user_id = ?1")?.execute([user_id])?;
    super::api_tokens::delete_for_user(conn, user_id)?;
    conn.prepare_cached("DELETE FROM waitlist_entries WHERE email = ?1")?.execute([&email])?;
    conn.prepare_cached(
        "UPDATE contact_messages SET name = 'Deleted member', email = 'deleted@deleted.invalid' WHERE email = ?1 COLLATE NOCASE",
    )?
    .execute([&email])?;
    end_sessions(conn, user_id)?;
    Ok(email)
}

/// People a search matches, at most, before it counts as broad: a broad search
/// ("example.com") reads the list newest first and keeps the matches (a page fills at
/// once), a narrow one reads its few matches through the trigram index and sorts them.
const BROAD: i64 = 2_000;

/// The people a trigram phrase matches, when they are few (at most [`BROAD`]): read
/// once through the index, for the caller to select by id. `None` for a broad phrase
/// (or one the index refuses): the caller falls back to reading newest first.
pub(super) fn matching_people(conn: &Connection, phrase: &str) -> Option<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT rowid FROM users_search WHERE users_search MATCH ?1 LIMIT ?2").ok()?;
    let ids: Vec<i64> =
        stmt.query_map(params![phrase, BROAD + 1], |r| r.get(0)).ok()?.collect::<Result<_, _>>().ok()?;
    (ids.len() as i64 <= BROAD).then_some(ids)
}

/// A page of people for staff: by name or email (`q`, any case; `%` and `_` match
/// themselves), role and state, newest first. Without a search or a state, the page
/// reads its 51 rows through `users_recent` / `users_by_role`.
pub fn page_for_staff(
    conn: &Connection,
    q: &str,
    role: Option<Role>,
    state: Option<AccountState>,
    at: PageAt,
) -> Result<Page<StaffUserRow>, DbError> {
    use rusqlite::types::Value;
    let mut args = super::Args::default();
    let mut sql = format!("SELECT {STAFF_COLUMNS} FROM users u WHERE 1");
    let narrow = crate::domain::pagination::trigram_phrase(q).and_then(|phrase| matching_people(conn, &phrase));
    if let Some(ids) = narrow {
        let p = args.bind(Value::Text(serde_json::to_string(&ids)?));
        sql += &format!(" AND u.id IN (SELECT value FROM json_each({p}))");
    } else if let Some(pattern) = crate::domain::pagination::like_pattern(q) {
        let p = args.bind(Value::Text(pattern));
        sql += &format!(" AND (u.name LIKE {p} ESCAPE '\\' OR u.email LIKE {p} ESCAPE '\\')");
    }
    if let Some(role) = role {
        sql += &format!(" AND u.role = {}", args.bind(Value::Text(role.as_str().into())));
    }
    if let Some(state) = state {
        sql += &format!(" AND {STATE_SQL} = {}", args.bind(Value::Text(state.as_str().into())));
    }
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    if let PageAt::Before(c) | PageAt::After(c) = at {
        let (t, id) = (args.bind(Value::Integer(c.at)), args.bind(Value::Integer(c.id)));
        sql += &format!(" AND (u.created_at, u.id) {cmp} ({t}, {id})");
    }
    sql += &format!(" ORDER BY u.created_at {order}, u.id {order} LIMIT {}", PAGE_SIZE + 1);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows =
        stmt.query_map(rusqlite::params_from_iter(args.into_values()), staff_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |u| Cursor { at: u.created_at, id: u.id }))
}

/// One person as staff see them, and why they were disabled.
pub fn staff_view(conn: &Connection, id: i64) -> Result<Option<(StaffUserRow, Option<String>)>, DbError> {
    let sql = format!("SELECT {STAFF_COLUMNS}, u.disabled_reason FROM users u WHERE u.id = ?1");
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| Ok((staff_row(r)?, r.get(8)?))).optional()?)
}

const STATE_SQL: &str = "(CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled' \
                         WHEN u.email_verified_at IS NULL THEN 'unverified' ELSE 'active' END)";
const STAFF_COLUMNS: &str = "u.id, u.name, u.email, u.role, \
    (CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled' WHEN u.email_verified_at IS NULL THEN 'unverified' ELSE 'active' END), \
    u.created_at, (SELECT count(*) FROM orders o WHERE o.user_id = u.id AND o.status = 'paid'), u.email_verified_at";

fn staff_row(r: &Row<'_>) -> rusqlite::Result<StaffUserRow> {
    let role: String = r.get(3)?;
    let state: String = r.get(4)?;
    Ok(StaffUserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        role: Role::parse(&role).unwrap_or(Role::Member),
        state: AccountState::parse(&state).unwrap_or(AccountState::Active),
        created_at: r.get(5)?,
        paid_orders: r.get(6)?,
    })
}

pub fn set_role(conn: &Connection, user_id: i64, role: Role) -> Result<(), DbError> {
    conn.prepare_cached("UPDATE users SET role = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        user_id,
        role.as_str(),
        now()
    ])?;
    Ok(())
}

/// Staff who can sign in, other than `user_id`.
pub fn other_active_staff(conn: &Connection, user_id: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM users WHERE role = 'staff' AND disabled_at IS NULL AND id <> ?1")?
        .query_row([user_id], |r| r.get(0))?)
}

/// Disables (with the reason staff gave) or enables an account.
pub fn set_disabled(conn: &Connection, user_id: i64, reason: Option<&str>) -> Result<(), DbError> {
    let t = now();
    conn.prepare_cached(
        "UPDATE users SET disabled_at = CASE WHEN ?2 IS NULL THEN NULL ELSE ?3 END, disabled_reason = ?2, updated_at = ?3
         WHERE id = ?1",
    )?
    .execute(params![user_id, reason, t])?;
    Ok(())
}

/// When each of a user's live sessions expires.
pub fn session_expiries(conn: &Connection, user_id: i64) -> Result<Vec<i64>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT expiry_date FROM sessions WHERE user_id = ?1 AND expiry_date > ?2 ORDER BY expiry_date DESC",
    )?;
    let rows = stmt.query_map(params![user_id, now()], |r| r.get(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}
