//! The tools' quotas on the server: a member's usage of every published tool and
//! the day's limit that applies (a plan's quota over the member default); the
//! tool endpoint itself is `web::site::tools`.

pub mod invoice_pdf;

use crate::domain::time::{jakarta_day, jakarta_day_label, jakarta_day_start, jakarta_month_start};
use crate::domain::tools::{BuiltinTool, ToolUsage, UsageSummary, HISTORY_DAYS};
use crate::server::cache::ContentCache;
use crate::server::config::Config;
use crate::server::db::Db;
use crate::server::db::{content, tool_usage, tool_usage::Subject, DbError};
use std::sync::Arc;

/// Why a run was refused when the day's runs are spent, in `lang`: how many, when they
/// start again (Jakarta time), and where more are.
pub fn quota_message(lang: crate::domain::Lang, limit: u32, signed_in: bool, resets_at: i64) -> String {
    let key = match (signed_in, limit == 1) {
        (true, true) => "tool-quota-member-one",
        (true, false) => "tool-quota-member",
        (false, true) => "tool-quota-visitor-one",
        (false, false) => "tool-quota-visitor",
    };
    let when = crate::domain::tools::jakarta_rfc3339(resets_at);
    crate::server::i18n::t(lang, key, &[("limit", &limit.to_string()), ("when", &when[11..16])])
}

/// The day's limit for this person: a plan's quota overrides the member default.
pub fn daily_limit(
    conn: &rusqlite::Connection,
    config: &crate::server::config::Config,
    subject: &Subject,
) -> Result<u32, DbError> {
    Ok(match subject {
        Subject::User(id) => super::subscriptions::tool_quota(conn, *id)?.unwrap_or(config.tools_member_daily),
        Subject::Visitor(_) => config.tools_free_daily,
    })
}

/// A member's usage of every published tool: today, this month, the last 30 days.
pub async fn usage_for(
    db: &Db,
    cache: &ContentCache,
    config: &Arc<Config>,
    now: i64,
    user_id: i64,
) -> Result<UsageSummary, DbError> {
    let tools = published_tools(db, cache).await?;
    let config = config.clone();
    db.read(move |c| usage_in(c, &config, user_id, now, tools)).await
}

/// The published tools (slug, title, tool), newest first, from the content cache:
/// every dashboard overview and tools page lists them, and only staff change them.
pub async fn published_tools(db: &Db, cache: &ContentCache) -> Result<PublishedTools, DbError> {
    cache.get_or_load(db, "tools:published".into(), content::published_tools).await
}

/// What [`published_tools`] lists.
pub type PublishedTools = Vec<(String, String, BuiltinTool)>;

/// [`usage_for`] on a connection the caller holds (to read it with other things at once),
/// for `tools` (from [`published_tools`]).
pub fn usage_in(
    c: &rusqlite::Connection,
    config: &crate::server::config::Config,
    user_id: i64,
    now: i64,
    tools: PublishedTools,
) -> Result<UsageSummary, DbError> {
    let today = jakarta_day(now);
    let month_start = jakarta_month_start(today);
    let first_day = (today - HISTORY_DAYS as i64 + 1).min(month_start);
    let limit = daily_limit(c, config, &Subject::User(user_id))?;
    let rows = tool_usage::history(c, user_id, first_day)?;
    let mut seen = Vec::new();
    let mut usage = Vec::new();
    for (slug, title, tool) in tools {
        if seen.contains(&tool) {
            continue;
        }
        seen.push(tool);
        let mine = rows.iter().filter(|(t, _, _)| t == tool.as_str());
        let mut history = vec![0; HISTORY_DAYS];
        let (mut today_uses, mut month) = (0, 0);
        for (_, day, uses) in mine {
            if *day == today {
                today_uses = *uses;
            }
            if *day >= month_start {
                month += uses;
            }
            let age = today - day;
            if (0..HISTORY_DAYS as i64).contains(&age) {
                history[HISTORY_DAYS - 1 - age as usize] = *uses;
            }
        }
        usage.push(ToolUsage { slug, title, tool, today: today_uses, month, limit, history });
    }
    Ok(UsageSummary { day: jakarta_day_label(today), resets_at: jakarta_day_start(today + 1), tools: usage })
}
