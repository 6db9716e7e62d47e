//! Queries on `projects` and `milestones`.

use super::{now, DbError};
use crate::domain::html::TrustedHtml;
use crate::domain::pagination::{Cursor, Page, PageAt, PAGE_SIZE};
use crate::domain::projects::{Milestone, MilestoneInput, MilestoneStatus, Project, ProjectInput, ProjectStatus};
use rusqlite::{params, Connection, OptionalExtension, Row};

const COLUMNS: &str =
    "p.id, p.client_id, c.name, p.name, p.description_md, p.description_html, p.status, p.starts_on, p.ends_on";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Project> {
    let status: String = r.get(6)?;
    Ok(Project {
        id: r.get(0)?,
        client_id: r.get(1)?,
        client_name: r.get(2)?,
        name: r.get(3)?,
        description_md: r.get(4)?,
        description_html: r.get(5)?,
        status: ProjectStatus::parse(&status).unwrap_or(ProjectStatus::Proposal),
        starts_on: r.get(7)?,
        ends_on: r.get(8)?,
        milestones: Vec::new(),
        unread: 0,
    })
}

/// Creates (`id` None) or updates a project; `Ok(None)` when there is no such project to update.
pub fn save(
    conn: &Connection,
    id: Option<i64>,
    input: &ProjectInput,
    html: &TrustedHtml,
) -> Result<Option<i64>, DbError> {
    let t = now();
    let values = params![
        input.client_id,
        input.name,
        input.description_md,
        html,
        input.status.as_str(),
        input.starts_on,
        input.ends_on,
        t
    ];
    match id {
        None => Ok(Some(
            conn.prepare_cached(
                "INSERT INTO projects (client_id, name, description_md, description_html, status, starts_on, ends_on, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) RETURNING id",
            )?
            .query_row(values, |r| r.get(0))?,
        )),
        Some(id) => {
            let changed = conn
                .prepare_cached(
                    "UPDATE projects SET client_id = ?1, name = ?2, description_md = ?3, description_html = ?4, status = ?5,
                         starts_on = ?6, ends_on = ?7, updated_at = ?8 WHERE id = ?9",
                )?
                .execute(params![input.client_id, input.name, input.description_md, html, input.status.as_str(), input.starts_on, input.ends_on, t, id])?;
            Ok((changed == 1).then_some(id))
        }
    }
}

fn milestones(conn: &Connection, project_id: i64) -> Result<Vec<Milestone>, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT id, title, due_on, amount_idr, status FROM milestones WHERE project_id = ?1 ORDER BY coalesce(due_on, 1e18), id")?;
    let rows = stmt
        .query_map([project_id], |r| {
            let status: String = r.get(4)?;
            Ok(Milestone {
                id: r.get(0)?,
                title: r.get(1)?,
                due_on: r.get(2)?,
                amount_idr: r.get(3)?,
                status: MilestoneStatus::parse(&status).unwrap_or(MilestoneStatus::Planned),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// One project with its milestones.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<Project>, DbError> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM projects p JOIN clients c ON c.id = p.client_id WHERE p.id = ?1"
        ))?
        .query_row([id], from_row)
        .optional()?;
    let Some(mut project) = found else { return Ok(None) };
    project.milestones = milestones(conn, id)?;
    Ok(Some(project))
}

/// One project, only if it is `client_id`'s (anybody else's is "not found").
pub fn for_client(conn: &Connection, client_id: i64, id: i64) -> Result<Option<Project>, DbError> {
    Ok(by_id(conn, id)?.filter(|p| p.client_id == client_id))
}

/// One client's projects, newest first (through `projects_client`).
pub fn list(conn: &Connection, client_id: i64) -> Result<Vec<Project>, DbError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM projects p JOIN clients c ON c.id = p.client_id
         WHERE p.client_id = ?1 ORDER BY p.created_at DESC, p.id DESC"
    ))?;
    let rows = stmt.query_map([client_id], from_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// A page of every client's projects for staff, newest first, each with its milestones
/// and the messages `reader` has not seen (each read through its project's index).
pub fn page_for_staff(conn: &Connection, reader: i64, at: PageAt) -> Result<Page<Project>, DbError> {
    let (cmp, order) = if at.ascending() { (">", "ASC") } else { ("<", "DESC") };
    let (after, cursor) = match at {
        PageAt::Before(c) | PageAt::After(c) => {
            (format!(" WHERE (p.created_at, p.id) {cmp} (?1, ?2)"), vec![c.at, c.id])
        }
        PageAt::First => (String::new(), Vec::new()),
    };
    let sql = format!(
        "SELECT {COLUMNS}, p.created_at FROM projects p JOIN clients c ON c.id = p.client_id{after}
         ORDER BY p.created_at {order}, p.id {order} LIMIT {}",
        PAGE_SIZE + 1
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(cursor), |r| Ok((r.get::<_, i64>(9)?, from_row(r)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    let page = Page::from_rows(rows, at, |(created_at, p)| Cursor { at: *created_at, id: p.id });
    let mut projects = Vec::with_capacity(page.rows.len());
    for (_, mut project) in page.rows {
        project.milestones = milestones(conn, project.id)?;
        project.unread = unread_for(conn, project.id, reader)?;
        projects.push(project);
    }
    Ok(Page { rows: projects, newer: page.newer, older: page.older })
}

/// Messages in a project from others that `reader` has not seen (counted from
/// `project_messages_unread`).
pub fn unread_for(conn: &Connection, project_id: i64, reader: i64) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM project_messages m WHERE m.project_id = ?1 AND m.author_id <> ?2
               AND m.id > coalesce((SELECT last_message_id FROM project_reads WHERE user_id = ?2 AND project_id = ?1), 0)",
        )?
        .query_row(params![project_id, reader], |r| r.get(0))?)
}

pub fn add_milestone(conn: &Connection, project_id: i64, input: &MilestoneInput) -> Result<i64, DbError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO milestones (project_id, title, due_on, amount_idr, status, created_at)
             VALUES (?1, ?2, ?3, ?4, 'planned', ?5) RETURNING id",
        )?
        .query_row(params![project_id, input.title, input.due_on, input.amount_idr, now()], |r| r.get(0))?)
}

/// Moves a milestone of `project_id`; false if the project has no such milestone.
pub fn set_milestone_status(
    conn: &Connection,
    project_id: i64,
    id: i64,
    status: MilestoneStatus,
) -> Result<bool, DbError> {
    Ok(conn.prepare_cached("UPDATE milestones SET status = ?3 WHERE id = ?2 AND project_id = ?1")?.execute(params![
        project_id,
        id,
        status.as_str()
    ])? == 1)
}
