//! Queries on `clients` and `client_people`.

use super::{now, DbError};
use crate::domain::clients::{Client, ClientInput, ClientPerson, ClientRow};
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use rusqlite::{params, Connection, OptionalExtension};

pub fn create(conn: &Connection, input: &ClientInput) -> Result<i64, DbError> {
    let t = now();
    Ok(conn
        .prepare_cached(
            "INSERT INTO clients (name, billing_address, tax_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             RETURNING id",
        )?
        .query_row(params![input.name, input.billing_address, input.tax_id, t], |r| r.get(0))?)
}

/// Sets the language a client's invoices print in; whether the client exists.
pub fn set_lang(conn: &Connection, id: i64, lang: crate::domain::Lang) -> Result<bool, DbError> {
    Ok(conn.prepare_cached("UPDATE clients SET lang = ?2, updated_at = ?3 WHERE id = ?1")?.execute(params![
        id,
        lang.as_str(),
        now()
    ])? == 1)
}

pub fn list(conn: &Connection) -> Result<Vec<ClientRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.name, (SELECT count(*) FROM client_people p WHERE p.client_id = c.id), c.created_at
         FROM clients c ORDER BY c.name COLLATE NOCASE, c.id",
    )?;
    let rows = stmt
        .query_map([], |r| Ok(ClientRow { id: r.get(0)?, name: r.get(1)?, people: r.get(2)?, created_at: r.get(3)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of clients for staff, newest first, by name (`q`, any case; `%` and `_`
/// match themselves): 51 rows read through `clients_recent`.
pub fn page_for_staff(conn: &Connection, q: &str, at: PageAt) -> Result<Page<ClientRow>, DbError> {
    use rusqlite::types::Value;
    let mut args = super::Args::default();
    let mut sql = String::from(
        "SELECT c.id, c.name, (SELECT count(*) FROM client_people p WHERE p.client_id = c.id), c.created_at
         FROM clients c WHERE 1",
    );
    if let Some(pattern) = crate::domain::pagination::like_pattern(q) {
        sql += &format!(" AND c.name LIKE {} ESCAPE '\\'", args.bind(Value::Text(pattern)));
    }
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    if let PageAt::Before(c) | PageAt::After(c) = at {
        let (t, id) = (args.bind(Value::Integer(c.at)), args.bind(Value::Integer(c.id)));
        sql += &format!(" AND (c.created_at, c.id) {cmp} ({t}, {id})");
    }
    sql += &format!(" ORDER BY c.created_at {order}, c.id {order} LIMIT {}", PAGE_SIZE + 1);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(args.into_values()), |r| {
            Ok(ClientRow { id: r.get(0)?, name: r.get(1)?, people: r.get(2)?, created_at: r.get(3)? })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page::from_rows(rows, at, |c| Cursor { at: c.created_at, id: c.id }))
}

pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Client>, DbError> {
    let found = conn
        .prepare_cached("SELECT id, name, billing_address, tax_id, lang FROM clients WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Client {
                id: r.get(0)?,
                name: r.get(1)?,
                billing_address: r.get(2)?,
                tax_id: r.get(3)?,
                lang: crate::domain::Lang::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
                people: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut client) = found else { return Ok(None) };
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.name, u.email, u.email_verified_at IS NOT NULL, p.added_at, u.lang
         FROM client_people p JOIN users u ON u.id = p.user_id WHERE p.client_id = ?1 ORDER BY p.added_at, u.id",
    )?;
    client.people = stmt
        .query_map([id], |r| {
            Ok(ClientPerson {
                user_id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                active: r.get(3)?,
                added_at: r.get(4)?,
                lang: crate::domain::Lang::parse(&r.get::<_, String>(5)?).unwrap_or_default(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(client))
}

/// The client a person belongs to.
pub fn client_of(conn: &Connection, user_id: i64) -> Result<Option<i64>, DbError> {
    Ok(conn
        .prepare_cached("SELECT client_id FROM client_people WHERE user_id = ?1")?
        .query_row([user_id], |r| r.get(0))
        .optional()?)
}

/// Adds a person to a client (moving them from another one, if any).
pub fn add_person(conn: &Connection, client_id: i64, user_id: i64) -> Result<(), DbError> {
    conn.prepare_cached(
        "INSERT INTO client_people (user_id, client_id, added_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET client_id = excluded.client_id, added_at = excluded.added_at",
    )?
    .execute(params![user_id, client_id, now()])?;
    Ok(())
}

/// Removes a person from a client; false if they were not one of its people.
pub fn remove_person(conn: &Connection, client_id: i64, user_id: i64) -> Result<bool, DbError> {
    Ok(conn
        .prepare_cached("DELETE FROM client_people WHERE user_id = ?1 AND client_id = ?2")?
        .execute(params![user_id, client_id])?
        == 1)
}
